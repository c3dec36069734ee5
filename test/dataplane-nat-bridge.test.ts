// The NAT and bridge stages of the Dataplane, configured by IOS lines: one test per command
// (`ip nat inside|outside`, `ip nat inside source list ... interface ... overload`, `ip nat
// pool` with and without overload, `ip nat inside source static`, `ip nat translation
// max-entries`, `ip nat translation udp-timeout`, `bridge N protocol ieee`, `bridge-group`,
// `bridge N aging-time`, `bridge irb` with `interface BVI N`), what each does to packets, the
// round trip inside → outside → inside, valid checksums, and the conservation law with the new
// drop and punt reasons. The model test (dataplane-model) compares both stages with the reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { PacketBatch } from "../src/packet/batch.js";
import { ConfigError } from "../src/errors.js";
import { showCommands } from "../src/show/commands.js";
import { type FrameSpec, checksumsValid, ipFrame } from "./helpers/ip-frames.js";

const ROUTER_E0 = [0, 0, 0x0c, 0, 0, 1];
const ROUTER_E1 = [0, 0, 0x0c, 0, 0, 2];
const HOST_A = [0x0a, 0, 0, 0, 0, 0x0a];
const HOST_B = [0x0a, 0, 0, 0, 0, 0x0b];
const SERVER = [0x0a, 0, 0, 0, 0, 0x5e];

/** Inside E0 (10.0.0.0/24), outside E1 (198.51.100.0/24), the server's MAC known, access list 1 the inside hosts. */
const NAT_BASE = `
interface Ethernet0
 mac-address 0000.0c00.0001
 ip address 10.0.0.1 255.255.255.0
 ip nat inside
interface Ethernet1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
 ip nat outside
arp 198.51.100.80 0a00.0000.005e arpa
arp 10.0.0.2 0a00.0000.000a arpa
arp 10.0.0.3 0a00.0000.000b arpa
access-list 1 permit 10.0.0.0 0.0.0.255
`;

interface Sent {
  spec: FrameSpec;
  from: number;
  time?: number;
}

function send(dp: Dataplane, packets: Sent[]) {
  const batch = new PacketBatch({ core: dp.core, capacity: 64, frameBytes: 64 * 128 });
  for (const p of packets) {
    const frame = ipFrame(p.spec);
    batch.push({ frame, time: p.time ?? 1000, interface: p.from, linkType: 1, wireLength: frame.length });
  }
  const result = dp.process(batch);
  const verdicts = packets.map((_, i) => result.verdict(i));
  const frames = packets.map((_, i) => batch.frame(i).slice());
  batch.dispose();
  const c = dp.counters();
  assert.equal(c.packetsIn, c.forwarded + c.queued + c.punted + c.dropped, "conservation");
  assert.equal(
    Object.values(c.reasons).reduce((x, y) => x + y, 0),
    c.punted + c.dropped,
    "every drop and punt has a reason",
  );
  return { verdicts, frames, output: result.output };
}

const ip = (frame: Uint8Array, at: number) => `${frame[at]}.${frame[at + 1]}.${frame[at + 2]}.${frame[at + 3]}`;
const port = (frame: Uint8Array, at: number) => (frame[at]! << 8) | frame[at + 1]!;

test("ip nat inside / outside + ip nat inside source list L interface X overload: PAT onto the outside address, and back", () => {
  const dp = Dataplane.fromConfig(`${NAT_BASE}ip nat inside source list 1 interface Ethernet1 overload\n`, { seed: 1 });
  try {
    const out = send(dp, [
      {
        spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "tcp", srcPort: 3000, dstPort: 80, dstMac: ROUTER_E0, srcMac: HOST_A },
        from: 0,
      },
    ]);
    assert.deepEqual(out.verdicts[0], { verdict: "forwarded", interface: 1, mac: "0a:00:00:00:00:5e" });
    const f = out.frames[0]!;
    assert.equal(ip(f, 26), "198.51.100.1", "the source is the outside interface's address");
    assert.equal(port(f, 34), 3000, "the inside port is kept when it is free");
    assert.deepEqual(checksumsValid(f), { ip: true, l4: true });
    const back = send(dp, [
      {
        spec: { src: "198.51.100.80", dst: "198.51.100.1", protocol: "tcp", srcPort: 80, dstPort: 3000, dstMac: ROUTER_E1, srcMac: SERVER },
        from: 1,
        time: 1001,
      },
    ]);
    assert.deepEqual(back.verdicts[0], { verdict: "forwarded", interface: 0, mac: "0a:00:00:00:00:0a" });
    const g = back.frames[0]!;
    assert.equal(ip(g, 30), "10.0.0.2", "the reply reaches the inside host");
    assert.equal(port(g, 36), 3000);
    assert.deepEqual(checksumsValid(g), { ip: true, l4: true });
    assert.deepEqual(dp.counters().nat, { translatedIn: 1, translatedOut: 1 });
    assert.equal(dp.nat!.translations().length, 1);
    // Not inside → outside: untouched (outside → outside, routed as any packet).
    const other = send(dp, [
      {
        spec: { src: "198.51.100.9", dst: "198.51.100.80", protocol: "udp", srcPort: 9, dstPort: 9, dstMac: ROUTER_E1 },
        from: 1,
        time: 1002,
      },
    ]);
    assert.equal(ip(other.frames[0]!, 26), "198.51.100.9");
  } finally {
    dp.dispose();
  }
});

test("ip nat pool + ip nat inside source list L pool NAME: one global address per inside host; an empty pool drops with ICMP", () => {
  const dp = Dataplane.fromConfig(
    `${NAT_BASE}ip nat pool public 203.0.113.5 203.0.113.5 prefix-length 24\nip nat inside source list 1 pool public\n`,
    { seed: 2 },
  );
  try {
    const r = send(dp, [
      { spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "udp", srcPort: 1111, dstPort: 53, dstMac: ROUTER_E0 }, from: 0 },
      { spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "udp", srcPort: 2222, dstPort: 53, dstMac: ROUTER_E0 }, from: 0 },
      { spec: { src: "10.0.0.3", dst: "198.51.100.80", protocol: "udp", srcPort: 1111, dstPort: 53, dstMac: ROUTER_E0 }, from: 0 },
    ]);
    assert.equal(ip(r.frames[0]!, 26), "203.0.113.5");
    assert.equal(port(r.frames[1]!, 34), 2222, "simple NAT keeps ports");
    assert.equal(ip(r.frames[1]!, 26), "203.0.113.5", "the host keeps its address");
    assert.deepEqual(r.verdicts[2], { verdict: "dropped", reason: "nat-no-address" });
    const icmp = r.output.filter((o) => o.kind === "icmp");
    assert.equal(icmp.length, 1, "a host unreachable for the refused packet");
    assert.deepEqual([icmp[0]!.frame[34], icmp[0]!.frame[35]], [3, 1], "ICMP destination unreachable, host unreachable");
    assert.equal(icmp[0]!.interface, 0);
  } finally {
    dp.dispose();
  }
});

test("ip nat inside source list L pool NAME overload: PAT onto the pool", () => {
  const dp = Dataplane.fromConfig(
    `${NAT_BASE}ip nat pool public 203.0.113.5 203.0.113.5 netmask 255.255.255.0\nip nat inside source list 1 pool public overload\n`,
    { seed: 3 },
  );
  try {
    const r = send(dp, [
      { spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "udp", srcPort: 1111, dstPort: 53, dstMac: ROUTER_E0 }, from: 0 },
      { spec: { src: "10.0.0.3", dst: "198.51.100.80", protocol: "udp", srcPort: 1111, dstPort: 53, dstMac: ROUTER_E0 }, from: 0 },
    ]);
    assert.equal(ip(r.frames[0]!, 26), "203.0.113.5");
    assert.equal(ip(r.frames[1]!, 26), "203.0.113.5");
    assert.notEqual(port(r.frames[1]!, 34), port(r.frames[0]!, 34), "two hosts, one address: different ports");
    for (const f of r.frames) assert.deepEqual(checksumsValid(f), { ip: true, l4: true });
  } finally {
    dp.dispose();
  }
});

test("ip nat inside source static LOCAL GLOBAL: reachable from outside without a first packet out", () => {
  const dp = Dataplane.fromConfig(
    `${NAT_BASE}ip nat inside source static 10.0.0.3 203.0.113.30\nip route 203.0.113.0 255.255.255.0 Null0\n`,
    {
      seed: 4,
    },
  );
  try {
    const r = send(dp, [
      { spec: { src: "198.51.100.80", dst: "203.0.113.30", protocol: "icmp", icmpId: 7, dstMac: ROUTER_E1 }, from: 1 },
      { spec: { src: "198.51.100.80", dst: "203.0.113.31", protocol: "icmp", icmpId: 7, dstMac: ROUTER_E1 }, from: 1 },
      { spec: { src: "10.0.0.3", dst: "198.51.100.80", protocol: "icmp", icmpType: 0, icmpId: 7, dstMac: ROUTER_E0 }, from: 0 },
    ]);
    assert.deepEqual(r.verdicts[0], { verdict: "forwarded", interface: 0, mac: "0a:00:00:00:00:0b" });
    assert.equal(ip(r.frames[0]!, 30), "10.0.0.3");
    assert.deepEqual(r.verdicts[1], { verdict: "dropped", reason: "null-adjacency" }, "no translation: routed as addressed");
    assert.equal(ip(r.frames[2]!, 26), "203.0.113.30", "the local host leaves as its global address");
    for (const k of [0, 2]) assert.deepEqual(checksumsValid(r.frames[k]!), { ip: true, l4: true });
  } finally {
    dp.dispose();
  }
});

test("ip nat translation max-entries N: the next new flow is dropped (nat-table-full) and answered", () => {
  const dp = Dataplane.fromConfig(
    `${NAT_BASE}ip nat inside source list 1 interface Ethernet1 overload\nip nat translation max-entries 2\n`,
    {
      seed: 5,
    },
  );
  try {
    const scan = Array.from({ length: 5 }, (_, k) => ({
      spec: { src: "10.0.0.2", dst: `198.51.100.${80 + k}`, protocol: "tcp" as const, srcPort: 4000, dstPort: 80, dstMac: ROUTER_E0 },
      from: 0,
      time: 1000 + k * 1000,
    }));
    const r = send(dp, scan);
    assert.deepEqual(
      r.verdicts.map((v) => v.reason ?? v.verdict),
      ["forwarded", "queued", "nat-table-full", "nat-table-full", "nat-table-full"],
    );
    assert.equal(dp.nat!.translations().length, 2);
    assert.equal(dp.counters().reasons["nat-table-full"], 3);
    assert.equal(dp.nat!.counters().droppedMaxEntries, 3);
    assert.ok(
      r.output.some((o) => o.kind === "icmp" && o.frame[34] === 3 && o.frame[35] === 1),
      "answered with a host unreachable",
    );
  } finally {
    dp.dispose();
  }
});

test("ip nat translation udp-timeout S: the translation ages on the packet-time grid, whatever the batches", () => {
  const config = `${NAT_BASE}ip nat inside source list 1 interface Ethernet1 overload\nip nat translation udp-timeout 60\n`;
  const flow = (time: number) => ({
    spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "udp" as const, srcPort: 5000, dstPort: 5000, dstMac: ROUTER_E0 },
    from: 0,
    time,
  });
  const other = (time: number) => ({
    spec: { src: "198.51.100.80", dst: "198.51.100.1", protocol: "udp" as const, srcPort: 7, dstPort: 7, dstMac: ROUTER_E1 },
    from: 1,
    time,
  });
  const live: number[][] = [];
  for (const split of [false, true]) {
    const dp = Dataplane.fromConfig(config, { seed: 6 });
    try {
      const packets = [flow(1000), other(30_000), other(61_050), other(61_200), other(90_000)];
      const seen: number[] = [];
      if (split) for (const p of packets) send(dp, [p]), seen.push(dp.nat!.translations().length);
      else {
        send(dp, packets);
        seen.push(dp.nat!.translations().length);
      }
      live.push(seen);
      assert.equal(dp.nat!.counters().expired, 1, "expired once, by the ager");
    } finally {
      dp.dispose();
    }
  }
  // Created at 1 s, due at 61 s: the tick at 61 s removes it, before the packet at 61.05 s.
  assert.deepEqual(live, [[0], [1, 1, 0, 0, 0]]);
});

const BRIDGE = `
bridge 1 protocol ieee
bridge 1 aging-time 10
interface Ethernet0
 bridge-group 1
interface Ethernet1
 bridge-group 1
interface Ethernet2
 mac-address 0000.0c00.0003
 ip address 192.0.2.1 255.255.255.0
`;

test("bridge N protocol ieee + bridge-group N: learned stations are bridged port to port, unknown ones flooded", () => {
  const dp = Dataplane.fromConfig(BRIDGE, { seed: 7 });
  try {
    const aToB = { spec: { src: "10.9.0.1", dst: "10.9.0.2", protocol: "udp" as const, srcMac: HOST_A, dstMac: HOST_B }, from: 0 };
    const bToA = { spec: { src: "10.9.0.2", dst: "10.9.0.1", protocol: "udp" as const, srcMac: HOST_B, dstMac: HOST_A }, from: 1 };
    const back = { spec: { src: "10.9.0.2", dst: "10.9.0.1", protocol: "udp" as const, srcMac: HOST_B, dstMac: HOST_A }, from: 0 };
    const r = send(dp, [aToB, bToA, aToB, back]);
    assert.deepEqual(r.verdicts[0], { verdict: "punted", reason: "bridge-flooded" }, "B is unknown: flooded, process switched");
    assert.deepEqual(r.verdicts[1], { verdict: "forwarded", interface: 0, mac: "0a:00:00:00:00:0a" }, "A was learned on Ethernet0");
    assert.deepEqual(r.verdicts[2], { verdict: "forwarded", interface: 1, mac: "0a:00:00:00:00:0b" });
    assert.deepEqual(r.verdicts[3], { verdict: "dropped", reason: "bridge-filtered" }, "B moved to Ethernet0, where A is");
    const again = send(dp, [aToB]);
    assert.deepEqual(again.verdicts[0], { verdict: "dropped", reason: "bridge-filtered" }, "B is now on the port A is on");
    assert.equal(ip(r.frames[1]!, 26), "10.9.0.2", "a bridged frame is not rewritten");
    assert.equal(r.frames[1]![22], 64, "nor its TTL");
    assert.equal(dp.counters().bridged, 2);
    assert.equal(dp.bridge!.counters(1).moved, 1);
    // An interface outside the group routes as before.
    const routed = send(dp, [{ spec: { src: "192.0.2.9", dst: "192.0.2.1", protocol: "udp", dstMac: [0, 0, 0x0c, 0, 0, 3] }, from: 2 }]);
    assert.deepEqual(routed.verdicts[0], { verdict: "punted", reason: "receive" });
  } finally {
    dp.dispose();
  }
});

test("bridge N aging-time S: a station not heard from for S seconds is forgotten (flooded again)", () => {
  const dp = Dataplane.fromConfig(BRIDGE, { seed: 8 });
  try {
    const aToB = (time: number) => ({
      spec: { src: "10.9.0.1", dst: "10.9.0.2", protocol: "udp" as const, srcMac: HOST_A, dstMac: HOST_B },
      from: 0,
      time,
    });
    const bToA = (time: number) => ({
      spec: { src: "10.9.0.2", dst: "10.9.0.1", protocol: "udp" as const, srcMac: HOST_B, dstMac: HOST_A },
      from: 1,
      time,
    });
    const r = send(dp, [aToB(1000), bToA(5000), bToA(10_999), bToA(11_001)]);
    assert.deepEqual(
      r.verdicts.map((v) => v.reason ?? v.verdict),
      ["bridge-flooded", "forwarded", "forwarded", "bridge-flooded"],
    );
    assert.ok(dp.bridge!.counters(1).aged >= 1);
  } finally {
    dp.dispose();
  }
});

const IRB = `
bridge irb
bridge 1 protocol ieee
interface Ethernet0
 bridge-group 1
interface Ethernet1
 bridge-group 1
interface BVI1
 mac-address 0000.0c00.00b1
 ip address 10.5.0.1 255.255.255.0
interface Ethernet2
 mac-address 0000.0c00.0003
 ip address 192.0.2.1 255.255.255.0
arp 10.5.0.7 0a00.0000.000a arpa
arp 192.0.2.9 0a00.0000.005e arpa
`;

test("bridge irb + interface BVI N: routed out of the BVI to a forgotten station floods (the seed's ARP/bridge-aging interaction)", () => {
  const dp = Dataplane.fromConfig(IRB, { seed: 9 });
  try {
    const toHost = (time: number) => ({
      spec: { src: "192.0.2.9", dst: "10.5.0.7", protocol: "udp" as const, dstMac: [0, 0, 0x0c, 0, 0, 3] },
      from: 3,
      time,
    });
    const fromHost = (time: number) => ({
      spec: { src: "10.5.0.7", dst: "192.0.2.9", protocol: "udp" as const, srcMac: HOST_A, dstMac: [0, 0, 0x0c, 0, 0, 0xb1] },
      from: 1,
      time,
    });
    const r = send(dp, [toHost(1000), fromHost(2000), toHost(3000), toHost(400_000)]);
    assert.deepEqual(r.verdicts[0], { verdict: "punted", reason: "bridge-flooded" }, "ARP knows the host, the bridge does not");
    assert.deepEqual(r.verdicts[1], { verdict: "forwarded", interface: 3, mac: "0a:00:00:00:00:5e" }, "to the BVI's MAC: routed");
    assert.deepEqual(r.verdicts[2], { verdict: "forwarded", interface: 1, mac: "0a:00:00:00:00:0a" }, "learned: out of its port");
    assert.deepEqual([...r.frames[2]!.subarray(6, 12)], [0, 0, 0x0c, 0, 0, 0xb1], "from the BVI's MAC");
    assert.equal(r.frames[2]![22], 63, "routed: TTL one lower");
    assert.deepEqual(r.verdicts[3], { verdict: "punted", reason: "bridge-flooded" }, "300 s later the station is gone, ARP's entry is not");
    assert.equal(dp.bridge!.counters(1).routedFlooded, 2);
  } finally {
    dp.dispose();
  }
});

test("NAT and bridging lines that do not resolve are ConfigErrors", () => {
  for (const text of [
    `${NAT_BASE}ip nat inside source list 9 interface Ethernet1 overload\n`,
    `${NAT_BASE}ip nat inside source list 1 pool nowhere\n`,
    "bridge 1 protocol ieee\ninterface E0\n bridge-group 2\n",
    "bridge 1 protocol dec\ninterface E0\n bridge-group 1\n",
    "bridge 1 protocol ieee\ninterface BVI1\n ip address 10.0.0.1 255.255.255.0\ninterface BVI2\nbridge irb\n",
  ]) {
    assert.throws(() => Dataplane.fromConfig(text).dispose(), ConfigError, text);
  }
});

test("show ip nat translations [verbose], show ip nat statistics and show bridge run from the show registry", () => {
  const dp = Dataplane.fromConfig(
    `${NAT_BASE}${BRIDGE.replace(/Ethernet([012])/g, "Ethernet1$1")}ip nat inside source list 1 interface Ethernet1 overload\n`,
    {
      seed: 12,
    },
  );
  try {
    send(dp, [
      { spec: { src: "10.0.0.2", dst: "198.51.100.80", protocol: "udp", srcPort: 7000, dstPort: 7, dstMac: ROUTER_E0 }, from: 0 },
      { spec: { src: "10.9.0.1", dst: "10.9.0.2", protocol: "udp", srcMac: HOST_A, dstMac: HOST_B }, from: 2 },
    ]);
    const context = { now: 2000, components: { nat: dp.nat, bridge: dp.bridge } };
    const translations = showCommands.run("sh ip nat tr", context);
    assert.equal(translations.lines.length, 2, "the header and one translation");
    assert.match(translations.lines[1]!, /^udp 198\.51\.100\.1:7000 +10\.0\.0\.2:7000/);
    assert.equal((translations.json as { translations: unknown[] }).translations.length, 1);
    assert.match(showCommands.run("show ip nat translations verbose", context).lines[2]!, /create 00:00:01, use 00:00:01/);
    assert.match(showCommands.run("show ip nat statistics", context).lines[0]!, /^Total active translations: 1 /);
    assert.ok(showCommands.run("show bridge", context).lines.some((l) => l.startsWith("0a00.0000.000a   forward   Ethernet10")));
    assert.throws(() => showCommands.run("show ip nat statistics", { now: 0 }), ConfigError);
    assert.throws(() => showCommands.run("show bridge extra", context), ConfigError);
  } finally {
    dp.dispose();
  }
});
