// Interop with softflowd: per directed 5-tuple (src, dst, protocol, ports; ICMP type·256+code in
// the destination port), the packets and bytes that `dataplane flows --json` reports equal
// those softflowd 1.1.0 exports (`softflowd -r FILE`, IPFIX to nfcapd, read back with nfdump)
// for the real captures Debian packages ship. softflowd keys flows bidirectionally, ignores
// the ToS and exports on other timeouts, so flows are summed per 5-tuple before comparing.
// Skipped, with the reason, when softflowd, nfcapd, nfdump or the captures are missing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseAddress, formatAddress } from "../src/net/address.js";
import { readPacketFile } from "../src/node/capture-file.js";
import { CAPTURE_DIRECTORIES, DAMAGED_CAPTURE_DIRECTORY, debianCaptures } from "./helpers/captures.js";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;

function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
}

/** nfdump's protocol names (src/lib/nfx.c protocol table), for the ones real captures carry. */
const PROTOCOL_NUMBERS: Record<string, number> = {
  ICMP: 1,
  IGMP: 2,
  GGP: 3,
  IPIP: 4,
  ST2: 5,
  TCP: 6,
  UDP: 17,
  IPv6: 41,
  RSVP: 46,
  GRE: 47,
  ESP: 50,
  AH: 51,
  ICMP6: 58,
  EIGRP: 88,
  OSPF: 89,
  PIM: 103,
  VRRP: 112,
  L2TP: 115,
  SCTP: 132,
};

type Totals = Map<string, { packets: number; bytes: number }>;

function add(totals: Totals, key: string, packets: number, bytes: number): void {
  const entry = totals.get(key) ?? { packets: 0, bytes: 0 };
  entry.packets += packets;
  entry.bytes += bytes;
  totals.set(key, entry);
}

const canonical = (address: string) => formatAddress(parseAddress(address));
const tupleKey = (src: string, dst: string, proto: number, sport: number, dport: number) =>
  `${canonical(src)} ${canonical(dst)} ${proto} ${sport} ${dport}`;

/** Waits until a UDP port is bound on 127.0.0.1 (from /proc/net/udp), at most ~2 s. */
async function waitForUdpPort(port: number): Promise<void> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (let i = 0; i < 200; i++) {
    if (readFileSync("/proc/net/udp", "utf8").includes(hex)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`nfcapd did not bind 127.0.0.1:${port}`);
}

/** softflowd's flows for a capture: IPFIX to nfcapd on loopback, read back with nfdump. */
async function softflowdTotals(
  capture: string,
  work: string,
  port: number,
): Promise<{ totals: Totals; records: number; exported: number; read: number; processed: number } | { skip: string }> {
  const out = join(work, `nfcapd-${port}`);
  spawnSync("mkdir", ["-p", out]);
  const collector = spawn("nfcapd", ["-b", "127.0.0.1", "-p", String(port), "-B", "4000000", "-w", out, "-t", "3600"], { stdio: "ignore" });
  const exited = new Promise((resolve) => collector.on("exit", resolve));
  try {
    await waitForUdpPort(port);
    // Neither `-A milli` nor `-c`/`-p`: with them softflowd 1.1.0 never finishes some captures
    // (a VRRP-only one here); only the counters are compared.
    const run = spawnSync("softflowd", ["-r", capture, "-n", `127.0.0.1:${port}`, "-v", "10", "-a", "-d"], {
      encoding: "utf8",
      timeout: 60_000,
    });
    if (run.error) throw new Error(`softflowd -r ${capture}: ${run.error.message}`);
    const text = run.stdout + run.stderr;
    if (/Unsupported datalink|pcap_open_offline|bad dump file|unknown file format/i.test(text))
      return { skip: text.split("\n").find((l) => l.trim() !== "") ?? "softflowd refused it" };
    const exported = Number(/Flows exported: \d+ \((\d+) records\)/.exec(text)?.[1] ?? Number.NaN);
    if (!Number.isFinite(exported)) return { skip: `softflowd said: ${text.slice(0, 200)}` };
    const processed = Number(/Packets processed: (\d+)/.exec(text)?.[1] ?? 0);
    const read = processed + Number(/Ignored packets: (\d+)/.exec(text)?.[1] ?? 0);
    // Let nfcapd read what is in its socket before it stops.
    await new Promise((resolve) => setTimeout(resolve, 50));
    collector.kill("SIGTERM");
    await exited;
    const files = readdirSync(out).filter((f) => f.startsWith("nfcapd.") && !f.includes("current"));
    const totals: Totals = new Map();
    let records = 0;
    for (const file of files) {
      const csv = spawnSync("nfdump", ["-r", join(out, file), "-q", "-N", "-o", "csv"], { encoding: "utf8", maxBuffer: 1 << 28 });
      for (const line of csv.stdout.split("\n")) {
        const cells = line.split(",");
        if (cells.length < 13 || !/^\d{4}-/.test(cells[0]!)) continue;
        const proto = PROTOCOL_NUMBERS[cells[7]!.trim()] ?? Number(cells[7]);
        assert.ok(Number.isInteger(proto), `unknown nfdump protocol ${cells[7]}`);
        records++;
        add(totals, tupleKey(cells[3]!, cells[4]!, proto, Number(cells[5]), Number(cells[6])), Number(cells[11]), Number(cells[12]));
      }
    }
    return { totals, records, exported, read, processed };
  } finally {
    if (collector.exitCode === null) {
      collector.kill("SIGTERM");
      await exited;
    }
  }
}

/** Our flows for a capture, from `dataplane flows --json`. */
function dataplaneTotals(capture: string): { totals: Totals; accounted: number } {
  const run = spawnSync(process.execPath, [CLI, "flows", capture, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, `dataplane flows ${capture}: ${run.stderr}`);
  const totals: Totals = new Map();
  let accounted = Number.NaN;
  for (const line of run.stdout.split("\n")) {
    if (line.startsWith('{"summary"'))
      accounted = (JSON.parse(line) as { summary: { counters: { packetsAccounted: number } } }).summary.counters.packetsAccounted;
    if (!line.startsWith('{"src"')) continue;
    const flow = JSON.parse(line) as {
      src: string;
      dst: string;
      proto: number;
      sport: number;
      dport: number;
      packets: number;
      bytes: number;
    };
    add(totals, tupleKey(flow.src, flow.dst, flow.proto, flow.sport, flow.dport), flow.packets, flow.bytes);
  }
  return { totals, accounted };
}

/**
 * Link-layer padding per 5-tuple: bytes a frame carries after its IP packet (Ethernet pads
 * frames to 60 bytes). softflowd counts a packet's bytes as the frame length after the link
 * header, NetFlow (and this cache) as the IP total length, so softflowd = ours + padding.
 */
async function paddingTotals(capture: string): Promise<{ padding: Totals; packets: number }> {
  const totals: Totals = new Map();
  let packets = 0;
  for await (const batch of readPacketFile(capture)) {
    packets += batch.length;
    for (let i = 0; i < batch.length; i++) {
      const p = batch.packet(i);
      if ((p.status !== "ok" && p.status !== "fragment") || p.src === undefined || p.ipLength === undefined) continue;
      const l3 = batch.columns.l3Offset[i]!;
      const padding = p.wireLength - l3 - p.ipLength;
      if (padding <= 0) continue;
      const icmp = p.protocol === 1 || p.protocol === 58;
      const dport = icmp ? (p.icmpType ?? 0) * 256 + (p.icmpCode ?? 0) : (p.dstPort ?? 0);
      add(totals, tupleKey(p.src, p.dst!, p.protocol!, icmp ? 0 : (p.srcPort ?? 0), dport), 0, padding);
    }
  }
  return { padding: totals, packets };
}

test("per-5-tuple packets and bytes equal softflowd's on Debian's real captures", async (t) => {
  const missing = ["softflowd", "nfcapd", "nfdump"].filter((tool) => !hasTool(tool));
  if (missing.length > 0) return t.skip(`${missing.join(", ")} not installed (.ci/run installs them)`);
  if (!existsSync(CLI)) return t.skip("dist/cli.js not built (npm run build)");
  const seen = new Set<string>();
  const captures = debianCaptures(CAPTURE_DIRECTORIES.filter((d) => d !== DAMAGED_CAPTURE_DIRECTORY)).filter((path) => {
    const digest = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (seen.has(digest)) return false;
    seen.add(digest);
    return true;
  });
  if (captures.length === 0) return t.skip("no captures from Debian packages (.ci/run installs pathspider, python3-dpkt, ...)");
  const work = mkdtempSync(join(tmpdir(), "flow-interop-"));
  let compared = 0,
    tuples = 0,
    packets = 0,
    paddedTuples = 0,
    notSeenBySoftflowd = 0;
  const skipped: string[] = [];
  try {
    let port = 29_400 + (process.pid % 500);
    for (const path of captures) {
      // softflowd reads files through libpcap, which does not inflate .gz.
      const capture = path.endsWith(".gz") ? join(work, "capture.pcap") : path;
      if (capture !== path) writeFileSync(capture, gunzipSync(readFileSync(path)));
      const theirs = await softflowdTotals(capture, work, port++);
      if ("skip" in theirs) {
        skipped.push(`${path}: ${theirs.skip}`);
        continue;
      }
      assert.equal(
        theirs.records,
        theirs.exported,
        `${path}: nfcapd received ${theirs.records} of the ${theirs.exported} records softflowd sent`,
      );
      let scanned: Awaited<ReturnType<typeof paddingTotals>>;
      try {
        scanned = await paddingTotals(capture);
      } catch (error) {
        skipped.push(`${path}: not a readable capture (${(error as Error).message})`);
        continue;
      }
      const { padding, packets: inCapture } = scanned;
      if (theirs.read !== inCapture) {
        // libpcap stopped early (some pcapng variants): softflowd did not see the whole file.
        skipped.push(`${path}: softflowd read ${theirs.read} of its ${inCapture} packets`);
        continue;
      }
      const { totals: ours, accounted } = dataplaneTotals(capture);
      // softflowd ignores as "non-IP" some IP packets this cache counts (IPv6 on BSD loopback
      // links): then only the 5-tuples softflowd reports are compared, and the rest reported.
      const partial = theirs.processed < accounted;
      if (partial) notSeenBySoftflowd += accounted - theirs.processed;
      const keys = partial ? theirs.totals.keys() : new Set([...ours.keys(), ...theirs.totals.keys()]);
      const diffs: string[] = [];
      for (const key of keys) {
        const a = ours.get(key),
          b = theirs.totals.get(key);
        const padded = (a?.bytes ?? 0) + (padding.get(key)?.bytes ?? 0);
        if (a?.packets !== b?.packets || padded !== b?.bytes)
          diffs.push(`${key}: ours ${JSON.stringify(a)} + padding ${padded - (a?.bytes ?? 0)}, softflowd ${JSON.stringify(b)}`);
        if (padded !== a?.bytes) paddedTuples++;
      }
      assert.deepEqual(diffs.slice(0, 10), [], `${path}: ${diffs.length} 5-tuples differ`);
      compared++;
      tuples += ours.size;
      for (const v of ours.values()) packets += v.packets;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  t.diagnostic(
    `${compared} captures, ${tuples} 5-tuples, ${packets} packets agree with softflowd (${paddedTuples} 5-tuples with Ethernet padding, which softflowd counts as bytes; ${notSeenBySoftflowd} IP packets softflowd ignores as non-IP); ${skipped.length} captures skipped`,
  );
  for (const line of skipped) t.diagnostic(`not compared: ${line}`);
  assert.ok(compared > 0, "no capture was compared");
});
