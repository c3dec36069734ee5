// `dataplane route` with `ip nat`: the translated frames it writes are valid for tshark (IPv4,
// TCP, UDP and ICMP checksums verified), their sources are the outside address, and it prints
// `show ip nat translations` and `show ip nat statistics`; a round trip through the Dataplane
// (inside → outside, the peers' mirrored replies outside → inside) gives back the original flows,
// valid for tshark too. The tshark parts are skipped with a message when tshark is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { PacketBatch } from "../src/packet/batch.js";
import { writePcap } from "../src/packet/writer.js";
import { type FrameSpec, ipFrame } from "./helpers/ip-frames.js";
import { NAT_FIELDS, tsharkFields, tsharkSkip } from "./helpers/tshark.js";

const skip = tsharkSkip;

const CONFIG = `hostname R1
interface GigabitEthernet0/0
 mac-address 0000.0c00.0001
 ip address 10.1.1.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
 ip nat outside
ip route 0.0.0.0 0.0.0.0 198.51.100.2
arp 198.51.100.2 0000.0c99.0002 arpa
arp 10.1.1.2 0a00.0000.0002 arpa
arp 10.1.1.3 0a00.0000.0003 arpa
access-list 1 permit 10.1.1.0 0.0.0.255
ip nat inside source list 1 interface GigabitEthernet0/1 overload
`;

const ROUTER_IN = [0, 0, 0x0c, 0, 0, 1];
const ROUTER_OUT = [0, 0, 0x0c, 0, 0, 2];

/** Inside hosts to outside servers: TCP (two hosts on the same port: PAT moves one), UDP with and without a checksum, ICMP echo. */
const FLOWS: FrameSpec[] = (
  [
    { src: "10.1.1.2", dst: "203.0.113.80", protocol: "tcp", srcPort: 40000, dstPort: 80, flags: 0x002 },
    { src: "10.1.1.3", dst: "203.0.113.80", protocol: "tcp", srcPort: 40000, dstPort: 80, flags: 0x002 },
    { src: "10.1.1.2", dst: "203.0.113.53", protocol: "udp", srcPort: 6000, dstPort: 9999 },
    { src: "10.1.1.3", dst: "203.0.113.53", protocol: "udp", srcPort: 6000, dstPort: 9999, noUdpChecksum: true },
    { src: "10.1.1.2", dst: "203.0.113.1", protocol: "icmp", icmpId: 0x1234 },
    { src: "10.1.1.3", dst: "203.0.113.1", protocol: "icmp", icmpId: 0x1234 },
  ] as FrameSpec[]
).map((f) => ({ ...f, dstMac: ROUTER_IN }));

const FIELDS = [...NAT_FIELDS, "_ws.malformed"];

function dissect(path: string): Record<string, string>[] {
  return tsharkFields(path, FIELDS).map((row) => Object.fromEntries(FIELDS.map((f, k) => [f, row[k] ?? ""])));
}

/** Every checksum tshark verified is good (status 1; UDP sent without a checksum: 3, "not present", and it stays so); rows in FLOWS order. */
function assertChecksums(rows: Record<string, string>[], what: string): void {
  for (const [i, row] of rows.entries()) {
    assert.equal(row["ip.checksum.status"], "1", `${what}: IPv4 header checksum of ${JSON.stringify(row)}`);
    for (const p of ["tcp", "icmp"]) {
      if (row[`${p}.checksum.status`] !== "")
        assert.equal(row[`${p}.checksum.status`], "1", `${what}: ${p} checksum of ${JSON.stringify(row)}`);
    }
    if (row["udp.checksum.status"] !== "") {
      const none = FLOWS[i]!.noUdpChecksum === true;
      assert.equal(row["udp.checksum.status"], none ? "3" : "1", `${what}: UDP checksum of ${JSON.stringify(row)}`);
    }
    assert.equal(row["_ws.malformed"], "", `${what}: malformed ${JSON.stringify(row)}`);
  }
}

function route(dir: string, json: boolean) {
  const capture = join(dir, "inside.pcap");
  writeFileSync(
    capture,
    writePcap(
      FLOWS.map((f, i) => ({ time: 1000 + i, bytes: ipFrame(f) })),
      { linkType: 1 },
    ),
  );
  writeFileSync(join(dir, "r1.cfg"), CONFIG);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "route", capture, "--config", join(dir, "r1.cfg"), "--out", dir, ...(json ? ["--json"] : [])],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("dataplane route: translated frames are valid for tshark, from the outside address; it prints the NAT displays", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "dataplane-nat-"));
  try {
    const text = route(dir, false);
    const rows = dissect(join(dir, "GigabitEthernet0_1.pcap"));
    assert.equal(rows.length, FLOWS.length, "every flow forwarded");
    assertChecksums(rows, "translated");
    for (const row of rows) assert.equal(row["ip.src"], "198.51.100.1");
    const tcpPorts = rows.filter((r) => r["tcp.srcport"] !== "").map((r) => r["tcp.srcport"]);
    assert.equal(new Set(tcpPorts).size, 2, "two inside hosts on one port: two outside ports");
    assert.match(text, /R1#show ip nat translations\nPro Inside global/);
    assert.match(text, /tcp 198\.51\.100\.1:40000 +10\.1\.1\.2:40000 +203\.0\.113\.80:80/);
    assert.match(text, /R1#show ip nat statistics\nTotal active translations: 6 \(0 static, 6 dynamic; 6 extended\)/);
    const json = JSON.parse(route(dir, true));
    assert.equal(json.nat.translations.length, 6);
    assert.equal(json.counters.nat.translatedOut, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a round trip inside → outside → inside restores the original flows (tshark checks the frames both ways)", { skip }, () => {
  const dp = Dataplane.fromConfig(CONFIG, { seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), "dataplane-nat-"));
  try {
    const out = new PacketBatch({ core: dp.core, capacity: 16, frameBytes: 4096 });
    for (const [i, f] of FLOWS.entries()) {
      const frame = ipFrame(f);
      out.push({ frame, time: 1000 + i, interface: 0, linkType: 1, wireLength: frame.length });
    }
    const sent = dp.process(out);
    const translated = FLOWS.map((_, i) => out.frame(i).slice());
    assert.ok(FLOWS.every((_, i) => sent.verdict(i).verdict === "forwarded"));
    // The peers answer: addresses and ports swapped (checksums stay valid: the sums are the same), echo replies.
    const back = new PacketBatch({ core: dp.core, capacity: 16, frameBytes: 4096 });
    for (const [i, t] of translated.entries()) {
      const reply = t.slice();
      reply.set(ROUTER_OUT, 0);
      reply.set([0, 0, 0x0c, 0x99, 0, 2], 6);
      reply.set(t.subarray(30, 34), 26);
      reply.set(t.subarray(26, 30), 30);
      if (reply[23] !== 1) {
        reply.set(t.subarray(36, 38), 34);
        reply.set(t.subarray(34, 36), 36);
      } else {
        // Echo request (8) → reply (0): RFC 1624 for the type word.
        const sum = (((reply[36]! << 8) | reply[37]!) ^ 0xffff) + (0x0800 ^ 0xffff) + 0x0000;
        const c = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
        reply[34] = 0;
        reply[36] = c >> 8;
        reply[37] = c & 255;
      }
      back.push({ frame: reply, time: 2000 + i, interface: 1, linkType: 1, wireLength: reply.length });
    }
    const returned = dp.process(back);
    const restored = FLOWS.map((_, i) => back.frame(i).slice());
    for (let i = 0; i < FLOWS.length; i++) {
      assert.deepEqual(returned.verdict(i), {
        verdict: "forwarded",
        interface: 0,
        mac: `0a:00:00:00:00:0${FLOWS[i]!.src.endsWith(".2") ? 2 : 3}`,
      });
    }
    writeFileSync(
      join(dir, "out.pcap"),
      writePcap(
        translated.map((bytes, i) => ({ time: i, bytes })),
        { linkType: 1 },
      ),
    );
    writeFileSync(
      join(dir, "back.pcap"),
      writePcap(
        restored.map((bytes, i) => ({ time: i, bytes })),
        { linkType: 1 },
      ),
    );
    assertChecksums(dissect(join(dir, "out.pcap")), "inside → outside");
    const rows = dissect(join(dir, "back.pcap"));
    assertChecksums(rows, "outside → inside");
    rows.forEach((row, i) => {
      const f = FLOWS[i]!;
      assert.equal(row["ip.dst"], f.src, `flow ${i}: back to the inside host`);
      assert.equal(row["ip.src"], f.dst);
      if (f.protocol === "tcp") assert.deepEqual([row["tcp.dstport"], row["tcp.srcport"]], [String(f.srcPort), String(f.dstPort)]);
      if (f.protocol === "udp") assert.deepEqual([row["udp.dstport"], row["udp.srcport"]], [String(f.srcPort), String(f.dstPort)]);
      if (f.protocol === "icmp") assert.equal(Number(row["icmp.ident"]!.split(",")[0]), f.icmpId, `flow ${i}: the echo id`);
    });
    assert.deepEqual(dp.counters().nat, { translatedIn: FLOWS.length, translatedOut: FLOWS.length });
    out.dispose();
    back.dispose();
    assert.ok(readFileSync(join(dir, "back.pcap")).length > 24);
  } finally {
    dp.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
