// Interop of `dataplane flows --export` with the collectors operators run, on real captures
// Debian ships (and one made here with 802.1Q tags and MACs): for NetFlow v5, v9 and IPFIX,
// nfcapd 1.7.1 on 127.0.0.1 receives every flow, and `nfdump -o json` gives per flow the same
// addresses, ports, protocol, packets, bytes, first/last ms, TCP flags, ToS, interfaces, MACs,
// VLANs and ICMP type/code as our `--json`, with 0 sequence errors; tshark dissects every
// datagram of `--export-file` with no malformed field or warning and shows the Layer 2 /
// security fields; pmacct's nfacctd receives the same totals; and a sampled export is scaled by
// nfdump as a sampled one. Skipped, with the reason, when a tool or the captures are missing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatAddress, parseAddress } from "../src/net/address.js";
import { writePcap } from "../src/packet/writer.js";
import { FlowCache } from "../src/flow/cache.js";
import { FlowExporter, type ExportFormat } from "../src/export/exporter.js";
import { UdpTransport } from "../src/node/udp-transport.js";
import { samplingExportInfo } from "../src/sampling/export-info.js";
import { readPacketFileSync } from "../src/node/capture-file.js";
import { CAPTURE_DIRECTORIES, debianCaptures } from "./helpers/captures.js";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const has = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
const FORMATS: ExportFormat[] = ["v5", "v9", "ipfix"];
/** Debian captures with ICMP, ICMPv6, IPv6, ToS and a busy LAN hour; the VLAN one is made below. */
const WANTED = ["real.pcap", "icmp_ttl.pcap", "icmp6-sample.pcap.gz", "dscp_udp_fwd3.pcap", "basic_ipv6_tcp.pcap"];
let nextPort = 29700 + (process.pid % 200);

/** Eight TCP/UDP/ICMP packets on VLANs 100 and 200 with MACs, as a pcap file. */
function vlanCapture(path: string): void {
  const records = [];
  for (let i = 0; i < 8; i++) {
    const protocol = [6, 17, 1][i % 3]!;
    const l4 = protocol === 6 ? 20 : 8;
    const frame = new Uint8Array(18 + 20 + l4 + 10);
    const v = new DataView(frame.buffer);
    frame.set([0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a + (i % 2)], 0);
    v.setUint16(12, 0x8100);
    v.setUint16(14, i % 2 === 0 ? 100 : 200);
    v.setUint16(16, 0x0800);
    const ip = 18;
    v.setUint8(ip, 0x45);
    v.setUint8(ip + 1, 0x20);
    v.setUint16(ip + 2, frame.length - ip);
    v.setUint16(ip + 4, 1000 + i);
    v.setUint8(ip + 8, 60 + i);
    v.setUint8(ip + 9, protocol);
    v.setUint32(ip + 12, 0xc6120001 + (i % 4));
    v.setUint32(ip + 16, 0xc6130001);
    const t = ip + 20;
    if (protocol === 1) {
      v.setUint8(t, 8);
    } else {
      v.setUint16(t, 40000 + (i % 4));
      v.setUint16(t + 2, protocol === 6 ? 80 : 53);
      if (protocol === 6) {
        v.setUint8(t + 12, 0x50);
        v.setUint8(t + 13, 0x18);
      } else v.setUint16(t + 4, 18);
    }
    records.push({ time: 1_700_000_000_000 + i * 250, bytes: frame });
  }
  writeFileSync(path, writePcap(records, { linkType: 1 }));
}

async function waitForUdpPort(port: number): Promise<void> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  for (let i = 0; i < 300; i++) {
    if (readFileSync("/proc/net/udp", "utf8").includes(hex)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`collector did not bind 127.0.0.1:${port}`);
}

interface Collector {
  port: number;
  stop(): Promise<{ log: string; files: string[] }>;
}

async function startNfcapd(work: string): Promise<Collector> {
  const port = nextPort++;
  const out = mkdtempSync(join(work, "nfcapd-"));
  const child: ChildProcess = spawn("nfcapd", ["-b", "127.0.0.1", "-p", String(port), "-B", "4000000", "-w", out, "-t", "3600"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await waitForUdpPort(port);
  return {
    port,
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 100));
      child.kill("SIGTERM");
      await exited;
      return {
        log,
        files: readdirSync(out)
          .filter((f) => f.startsWith("nfcapd.") && !f.includes("current"))
          .map((f) => join(out, f)),
      };
    },
  };
}

/** Flow lines of nfdump -o json for the files. */
function nfdumpFlows(files: string[]): Record<string, unknown>[] {
  const flows: Record<string, unknown>[] = [];
  for (const file of files) {
    const run = spawnSync("nfdump", ["-r", file, "-o", "json"], {
      encoding: "utf8",
      maxBuffer: 1 << 29,
      env: { ...process.env, TZ: "UTC" },
    });
    const text = run.stdout.trim();
    if (text === "" || text.includes("No matching flows")) continue;
    flows.push(...(JSON.parse(text) as Record<string, unknown>[]).filter((r) => r.type === "FLOW"));
  }
  return flows;
}

const FLAG_LETTERS = "CEUAPRSF";
const flagBits = (text: string) => [...text].reduce((bits, c, i) => (c === FLAG_LETTERS[i] ? bits | (1 << (7 - i)) : bits), 0);
const canonical = (a: string) => formatAddress(parseAddress(a));
const ZERO_MAC = "00:00:00:00:00:00";

/** The fields nfdump and our --json both carry, in one line per flow, for `format`. */
function ourKey(r: Record<string, number | string>, format: ExportFormat): string {
  const fields = [
    canonical(r.src as string),
    canonical(r.dst as string),
    r.proto,
    r.sport,
    r.dport,
    r.tos,
    format === "v5" ? Math.min(r.in_if as number, 0xffff) : r.in_if,
    r.packets,
    format === "v5" ? Math.min(r.bytes as number, 0xffffffff) : r.bytes,
    Math.floor(r.first_ms as number),
    Math.floor(r.last_ms as number),
    (r.tcp_flags as number) & 0xff,
  ];
  if (format !== "v5") {
    fields.push(r.src_mac ?? ZERO_MAC, r.dst_mac ?? ZERO_MAC, r.in_vlan ?? 0, r.out_vlan ?? 0, r.icmp_type ?? 0, r.icmp_code ?? 0);
  }
  return fields.join(" ");
}

function nfdumpKey(r: Record<string, unknown>, format: ExportFormat): string {
  const time = (t: unknown) => Date.parse(`${t as string}Z`);
  const fields = [
    canonical((r.src4_addr ?? r.src6_addr) as string),
    canonical((r.dst4_addr ?? r.dst6_addr) as string),
    r.proto,
    r.src_port ?? 0,
    r.dst_port ?? (((r.icmp_type as number) ?? 0) << 8) + ((r.icmp_code as number) ?? 0),
    r.src_tos,
    r.input_snmp ?? 0,
    r.in_packets,
    r.in_bytes,
    time(r.first),
    time(r.last),
    flagBits((r.tcp_flags as string) ?? "........"),
  ];
  if (format !== "v5") {
    fields.push(r.in_src_mac ?? ZERO_MAC, r.in_dst_mac ?? ZERO_MAC, r.src_vlan ?? 0, r.dst_vlan ?? 0, r.icmp_type ?? 0, r.icmp_code ?? 0);
  }
  return fields.join(" ");
}

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function diff(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of a) if ((b.get(k) ?? 0) !== n) out.push(`${k}: ours ${n}, nfdump ${b.get(k) ?? 0}`);
  for (const [k, n] of b) if (!a.has(k)) out.push(`${k}: ours 0, nfdump ${n}`);
  return out.slice(0, 5);
}

function captures(work: string): string[] {
  const found = debianCaptures(CAPTURE_DIRECTORIES);
  const chosen = WANTED.map((name) => found.find((p) => p.endsWith(`/${name}`))).filter((p): p is string => p !== undefined);
  const vlan = join(work, "vlan.pcap");
  vlanCapture(vlan);
  return [...chosen, vlan];
}

const missingCollector = !has("nfcapd") || !has("nfdump") ? "nfcapd/nfdump not installed (.ci/run installs nfdump)" : false;

test("nfcapd/nfdump decode every flow of dataplane flows --export exactly as --json prints it (v5, v9, IPFIX), 0 sequence errors", {
  skip: missingCollector || (!existsSync(CLI) && "dist/cli.js not built"),
}, async (t) => {
  const work = mkdtempSync(join(tmpdir(), "dataplane-export-interop-"));
  try {
    const list = captures(work);
    if (list.length < 3) t.diagnostic(`only ${list.length - 1} Debian captures found; install pathspider and python3-libtrace for more`);
    for (const capture of list) {
      for (const format of FORMATS) {
        const collector = await startNfcapd(work);
        const pcap = join(work, `export-${format}.pcap`);
        const run = spawnSync(
          "node",
          [
            CLI,
            "flows",
            capture,
            "--json",
            "--export",
            `udp://127.0.0.1:${collector.port}`,
            "--format",
            format,
            "--export-file",
            pcap,
            "--rate",
            "200000",
          ],
          {
            encoding: "utf8",
            maxBuffer: 1 << 29,
            timeout: 120_000,
          },
        );
        const { log, files } = await collector.stop();
        assert.equal(run.status, 0, `dataplane flows ${capture} --format ${format}: ${run.stderr}`);
        const lines = run.stdout
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as Record<string, number | string>);
        const summary = lines.pop() as unknown as { summary: { export: { records: number; skippedIPv6: number; sendErrors: number } } };
        const ours = lines.filter((r) => format !== "v5" || r.ip_version === 4);
        assert.equal(summary.summary.export.records, ours.length);
        assert.equal(summary.summary.export.sendErrors, 0);
        const theirs = nfdumpFlows(files);
        const name = `${capture.split("/").pop()} ${format}`;
        assert.equal(theirs.length, ours.length, `${name}: nfdump has ${theirs.length} flows, we exported ${ours.length}`);
        const d = diff(multiset(ours.map((r) => ourKey(r, format))), multiset(theirs.map((r) => nfdumpKey(r, format))));
        assert.deepEqual(d, [], `${name}: flows differ`);
        const stats = /Flows: (\d+), Packets: \d+, Bytes: \d+, Sequence Errors: (\d+), Bad Packets: (\d+)/.exec(log);
        assert.ok(stats, `nfcapd printed its statistics: ${log}`);
        assert.equal(Number(stats[1]), ours.length, `${name}: nfcapd counted every flow`);
        assert.equal(Number(stats[2]), 0, `${name}: nfcapd sequence errors`);
        assert.equal(Number(stats[3]), 0, `${name}: nfcapd bad packets`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("tshark dissects every exported datagram with no malformed field and shows the Layer 2 / security fields", {
  skip: !has("tshark") ? "tshark not installed" : !existsSync(CLI) && "dist/cli.js not built",
}, async () => {
  const work = mkdtempSync(join(tmpdir(), "dataplane-export-tshark-"));
  try {
    const list = captures(work);
    for (const format of FORMATS) {
      for (const capture of [list[0]!, list[list.length - 1]!]) {
        const pcap = join(work, `export-${format}.pcap`);
        const port = format === "ipfix" ? 4739 : 2055;
        const run = spawnSync("node", [CLI, "flows", capture, "--json", "--export-file", pcap, "--format", format], {
          encoding: "utf8",
          maxBuffer: 1 << 29,
        });
        assert.equal(run.status, 0, run.stderr);
        const ours = run.stdout
          .trim()
          .split("\n")
          .slice(0, -1)
          .map((l) => JSON.parse(l) as { packets: number; bytes: number; ip_version: number })
          .filter((r) => format !== "v5" || r.ip_version === 4);
        const fields = [
          "cflow.packets",
          "cflow.ttl_min",
          "cflow.length_max",
          "cflow.frag_ident",
          "cflow.fragment_offset",
          "cflow.srcmac",
          "cflow.vlanid",
          "cflow.icmp_ipv4_type",
          "cflow.direction",
          "cflow.flow_end_reason",
          "_ws.malformed",
          "_ws.expert.severity",
        ];
        const out = spawnSync(
          "tshark",
          [
            "-r",
            pcap,
            "-d",
            `udp.port==${port},cflow`,
            "-T",
            "fields",
            "-E",
            "occurrence=a",
            "-E",
            "aggregator=,",
            ...fields.flatMap((f) => ["-e", f]),
          ],
          {
            encoding: "utf8",
            maxBuffer: 1 << 28,
          },
        );
        const columns = fields.map(() => [] as string[]);
        for (const line of out.stdout.split("\n")) {
          if (line === "") continue;
          line.split("\t").forEach((cell, k) => {
            if (cell !== "") columns[k]!.push(...cell.split(","));
          });
        }
        // One tshark pass: the last two columns are the malformed-packet marks and expert severities.
        const WARNING = 0x600000; // epan/proto.h PI_WARN
        assert.deepEqual(columns[fields.length - 2], [], `${format}: tshark found malformed datagrams`);
        assert.ok(
          columns[fields.length - 1]!.every((v) => Number(v) < WARNING),
          `${format}: tshark warnings ${columns[fields.length - 1]}`,
        );
        const packets = columns[0]!.reduce((n, v) => n + Number(v), 0);
        assert.equal(columns[0]!.length, ours.length, `${format}: tshark sees every flow record`);
        assert.equal(
          packets,
          ours.reduce((n, r) => n + r.packets, 0),
          `${format}: the same packets`,
        );
        if (format !== "v5") {
          for (let k = 1; k < fields.length - 2; k++) {
            if (fields[k] === "cflow.icmp_ipv4_type" && !ours.some((r) => r.ip_version === 4)) continue;
            assert.ok(columns[k]!.length > 0, `${format}: tshark shows ${fields[k]}`);
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("pmacct's nfacctd receives the same packet and byte totals (v5, v9, IPFIX)", {
  skip: !has("nfacctd") ? "nfacctd not installed (.ci/run installs pmacct)" : !existsSync(CLI) && "dist/cli.js not built",
}, async () => {
  const work = mkdtempSync(join(tmpdir(), "dataplane-export-pmacct-"));
  try {
    const capture = captures(work)[0]!;
    for (const format of FORMATS) {
      const port = nextPort++;
      const csv = join(work, `nfacctd-${format}.csv`);
      const conf = join(work, `nfacctd-${format}.conf`);
      writeFileSync(
        conf,
        [
          `daemonize: false`,
          `nfacctd_ip: 127.0.0.1`,
          `nfacctd_port: ${port}`,
          `plugins: print`,
          `aggregate: proto`,
          `print_output: csv`,
          `print_output_file: ${csv}`,
          `print_output_file_append: true`,
          `print_refresh_time: 1`,
          "",
        ].join("\n"),
      );
      const child = spawn("nfacctd", ["-f", conf], { stdio: "ignore" });
      const exited = new Promise((resolve) => child.on("exit", resolve));
      try {
        await waitForUdpPort(port);
        const run = spawnSync("node", [CLI, "flows", capture, "--json", "--export", `udp://127.0.0.1:${port}`, "--format", format], {
          encoding: "utf8",
          maxBuffer: 1 << 29,
        });
        assert.equal(run.status, 0, run.stderr);
        const ours = run.stdout
          .trim()
          .split("\n")
          .slice(0, -1)
          .map((l) => JSON.parse(l) as { packets: number; bytes: number; ip_version: number })
          .filter((r) => format !== "v5" || r.ip_version === 4);
        await new Promise((resolve) => setTimeout(resolve, 2500)); // two print refreshes
        child.kill("SIGINT");
        await exited;
        let packets = 0;
        let bytes = 0;
        for (const line of readFileSync(csv, "utf8").split("\n")) {
          const cells = line.split(",");
          if (cells.length !== 3 || cells[0] === "PROTOCOL") continue;
          packets += Number(cells[1]);
          bytes += Number(cells[2]);
        }
        assert.equal(
          packets,
          ours.reduce((n, r) => n + r.packets, 0),
          `${format}: packets at nfacctd`,
        );
        assert.equal(
          bytes,
          ours.reduce((n, r) => n + r.bytes, 0),
          `${format}: bytes at nfacctd`,
        );
      } finally {
        if (child.exitCode === null) {
          child.kill("SIGKILL");
          await exited;
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("nfdump scales a sampled export as sampled flows (sampler options record, IE 48 on every flow)", {
  skip: missingCollector,
}, async () => {
  const work = mkdtempSync(join(tmpdir(), "dataplane-export-sampled-"));
  try {
    const capture = captures(work)[0]!;
    const interval = 10;
    for (const format of ["v9", "ipfix"] as const) {
      const collector = await startNfcapd(work);
      const cache = new FlowCache({ capacity: 65536, seed: 3 });
      const udp = new UdpTransport({ collectors: [`udp://127.0.0.1:${collector.port}`] });
      const samplers = [
        samplingExportInfo({ samplerId: 1, samplerName: "every-flow", mode: "random", interval, packetsObserved: 0, packetsSelected: 0 }),
      ];
      // nfdump 1.7.1 counts flow records only in the IPFIX sequence number.
      const exporter = new FlowExporter({
        core: cache.core,
        format,
        sinks: [udp],
        samplers,
        flowSamplerId: 1,
        optionsRecordsInSequence: false,
        pacing: { recordsPerSecond: 50_000 },
      });
      let packets = 0;
      let last = 0;
      const drain = async () => {
        while (cache.queuedFlows > 0) {
          exporter.exportFrom(cache, last);
          if (cache.queuedFlows > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(1, exporter.waitMs())));
        }
      };
      for (const batch of readPacketFileSync(capture, cache.readerOptions())) {
        packets += cache.update(batch);
        last = Math.max(last, batch.columns.time[batch.length - 1]!);
        await drain();
      }
      while (cache.flushStep(last) > 0) await drain();
      await drain();
      await udp.close();
      const { log, files } = await collector.stop();
      const theirs = nfdumpFlows(files);
      const total = theirs.reduce((n, r) => n + (r.in_packets as number), 0);
      assert.equal(total, packets * interval, `${format}: nfdump scales by the sampling interval`);
      assert.ok(
        theirs.every((r) => r.sampled === 1),
        `${format}: every flow marked sampled`,
      );
      assert.match(log, /Sequence Errors: 0/);
      exporter.dispose();
      cache.dispose();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
