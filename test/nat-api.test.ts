// The NAT and bridge tables' API: the IOS configuration parsers, the displays in the IOS
// layout, typed errors for bad options, batches of another core and bad times, disposal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BridgeTable, ConfigError, Core, NatTable, NatVerdict, PacketBatch, parseBridgeConfig, parseNatConfig } from "../src/index.js";
import { ipFrame } from "./helpers/ip-frames.js";

const CONFIG = `
interface Ethernet0
 ip address 10.1.1.254 255.255.255.0
 ip nat inside
!
interface Serial0
 ip address 171.69.233.209 255.255.255.240
 ip nat outside
!
ip nat pool test 171.69.233.210 171.69.233.222 netmask 255.255.255.240
ip nat inside source list 1 interface Serial0 overload
ip nat inside source list 2 pool test
ip nat inside source static 10.3.0.5 171.69.233.223
ip nat translation udp-timeout 60
ip nat translation max-entries 4000
access-list 1 permit 10.1.1.0 0.0.0.255
access-list 2 deny host 10.2.0.66
access-list 2 permit 10.2.0.0 0.0.255.255
`;

test("parseNatConfig reads the IOS lines into a working table", () => {
  const options = parseNatConfig(CONFIG);
  assert.deepEqual(options.interfaces, [
    { name: "Ethernet0", ifIndex: 0, address: "10.1.1.254", nat: "inside" },
    { name: "Serial0", ifIndex: 1, address: "171.69.233.209", nat: "outside" },
  ]);
  assert.deepEqual(options.timeouts, { udpTimeout: 60_000 });
  assert.equal(options.maxEntries, 4000);
  using nat = new NatTable({ ...options, capacity: 8192, seed: 1 });
  using batch = PacketBatch.from(
    [
      { interface: 0, frame: ipFrame({ src: "10.1.1.1", dst: "171.69.1.220", protocol: "udp", srcPort: 1220, dstPort: 53 }) },
      { interface: 0, frame: ipFrame({ src: "10.2.0.1", dst: "171.69.1.220", protocol: "tcp", srcPort: 11012, dstPort: 23 }) },
      { interface: 0, frame: ipFrame({ src: "10.2.0.66", dst: "171.69.1.220", protocol: "tcp", srcPort: 11012, dstPort: 23 }) },
      { interface: 0, frame: ipFrame({ src: "10.3.0.5", dst: "171.69.1.220", protocol: "tcp", srcPort: 25, dstPort: 25 }) },
    ],
    { core: nat.core },
  );
  batch.parse();
  assert.deepEqual([...nat.translate(batch, { now: 1_000 })], [1, 1, NatVerdict.noMapping, 1]);
  assert.equal(
    nat.show(),
    [
      "Pro Inside global      Inside local       Outside local      Outside global",
      "udp 171.69.233.209:1220 10.1.1.1:1220      171.69.1.220:53    171.69.1.220:53",
      "--- 171.69.233.210     10.2.0.1           ---                ---",
      "--- 171.69.233.223     10.3.0.5           ---                ---",
      "",
    ].join("\n"),
  );
  const verbose = nat.show({ verbose: true, now: 31_000 }).split("\n");
  assert.equal(verbose[2], "    create 00:00:30, use 00:00:30, left 00:00:30, timeout dns, Map-Id(In): 1, flags: extended, use_count: 1");
  assert.equal(verbose[6], "    create 00:00:31, use 00:00:30, left never, Map-Id(In): 0, flags: static, use_count: 1");
  const statistics = nat.showStatistics().split("\n");
  assert.deepEqual(statistics.slice(0, 9), [
    "Total active translations: 3 (1 static, 2 dynamic; 1 extended)",
    "Peak translations: 3",
    "Outside interfaces:",
    "  Serial0",
    "Inside interfaces:",
    "  Ethernet0",
    "Hits: 1  Misses: 3",
    "Expired translations: 0",
    "Dynamic mappings:",
  ]);
  assert.deepEqual(statistics.slice(9, 15), [
    "-- Inside Source",
    "[Id: 1] access-list 1 interface Serial0 overload refcount 1",
    "[Id: 2] access-list 2 pool test refcount 1",
    " pool test: netmask 255.255.255.240",
    "\tstart 171.69.233.210 end 171.69.233.222",
    "\ttype generic, total addresses 13, allocated 1 (7%), misses 0",
  ]);
});

test("a malformed NAT line is a ConfigError naming the line", () => {
  for (const line of [
    "ip nat pool x 1.1.1.1",
    "ip nat translation udp-timeout soon",
    "ip nat inside source list 1 pool",
    "ip nat frobnicate",
  ]) {
    assert.throws(
      () => parseNatConfig(line),
      (e) => e instanceof ConfigError && e.message.includes(JSON.stringify(line)),
    );
  }
});

test("bad NAT options are ConfigErrors naming the value", () => {
  const cases: [object, string][] = [
    [{ capcity: 5 }, "option-name"],
    [{ capacity: 0 }, "nat-capacity"],
    [{ timeouts: { udpTimout: 5000 } }, "option-name"],
    [{ timeouts: { udpTimeout: -1 } }, "nat-timeout"],
    [{ pools: [{ name: "p", start: "10.0.0.9", end: "10.0.0.1", netmask: "255.255.255.0" }] }, "nat-pool-range"],
    [{ pools: [{ name: "p", start: "10.0.0.1", end: "10.0.1.1", netmask: "255.255.255.0" }] }, "nat-pool-range"],
    [{ pools: [{ name: "p", start: "10.0.0.1", end: "10.0.0.9", netmask: "255.0.255.0" }] }, "nat-netmask"],
    [{ insideSource: [{ list: "9", pool: "p" }] }, "nat-access-list"],
    [{ interfaces: [{ name: "a", nat: "sideways" }] }, "nat-interface-role"],
    [{ insideSourceStatic: [{ local: "10.0.0.1", global: "nonsense" }] }, "nat-address"],
  ];
  for (const [options, code] of cases) {
    assert.throws(
      () => new NatTable(options as never),
      (e) => e instanceof ConfigError && e.code === code,
      JSON.stringify(options),
    );
  }
});

test("translate refuses a batch of another core and a bad time; dispose gives the budget back", () => {
  const core = new Core({ maxBytes: 64 * 1024 ** 2 });
  const nat = new NatTable({ core, capacity: 100 });
  const other = new PacketBatch({ capacity: 1, frameBytes: 0 });
  assert.throws(
    () => nat.translate(other, { now: 0 }),
    (e) => e instanceof ConfigError && e.code === "batch-core",
  );
  const batch = new PacketBatch({ core, capacity: 1, frameBytes: 0 });
  assert.throws(
    () => nat.translate(batch, { now: Number.NaN }),
    (e) => e instanceof ConfigError && e.code === "nat-time",
  );
  assert.throws(() => nat.translate(batch, { now: 0, count: 5 }), RangeError);
  assert.deepEqual([...nat.translate(batch, { now: 0 })], []);
  nat.dispose();
  nat.dispose();
  assert.throws(
    () => nat.translate(batch, { now: 0 }),
    (e) => e instanceof ConfigError && e.code === "disposed",
  );
  assert.deepEqual(
    core.memory().components.map((c) => c.kind),
    ["packet-batch"],
  );
});

test("parseBridgeConfig reads the IRB lines; show bridge has the IOS layout", () => {
  const options = parseBridgeConfig(`
bridge irb
bridge 1 protocol ieee
bridge 1 aging-time 14400
interface ATM0.1 point-to-point
 bridge-group 1
interface ATM0.2 point-to-point
 bridge-group 1
interface BVI1
 mac-address 0000.0c3e.5e80
 ip address 10.0.0.1 255.255.255.0
`);
  assert.deepEqual(options.groups, [{ group: 1, protocol: "ieee", agingTime: 14_400_000 }]);
  assert.deepEqual(options.bvis, [{ group: 1, mac: "0000.0c3e.5e80" }]);
  using bridge = new BridgeTable({ ...options, capacity: 300, seed: 4 });
  using batch = PacketBatch.from(
    [
      { interface: 0, srcMac: "00:00:0c:3e:5e:88", dstMac: "00:00:0c:3e:5e:80" },
      { interface: 1, srcMac: "00:00:0c:05:10:18", dstMac: "00:00:0c:3e:5e:88" },
    ],
    { core: bridge.core },
  );
  assert.deepEqual([...bridge.input(batch, { now: 0 }).verdicts], [6, 1]);
  assert.equal(
    bridge.show({ now: 180_000 }),
    [
      "Total of 300 station blocks, 298 free",
      "Codes: P - permanent, S - self",
      "",
      "Bridge Group 1:",
      "",
      "    Address       Action   Interface       Age   RX count   TX count",
      "0000.0c05.1018   forward   ATM0.2           3         1          0",
      "0000.0c3e.5e88   forward   ATM0.1           3         1          1",
      "",
    ].join("\n"),
  );
  assert.throws(
    () => parseBridgeConfig("bridge 1 protocol dec"),
    (e) => e instanceof ConfigError,
  );
  assert.throws(
    () => new BridgeTable({ groups: [{ group: 1 }], bvis: [{ group: 1, mac: "00:00:0c:00:00:01" }] }),
    (e) => e instanceof ConfigError && e.code === "bridge-irb",
  );
  assert.throws(
    () => new BridgeTable({ groups: [{ group: 1, agingTime: 5 }] }),
    (e) => e instanceof ConfigError && e.code === "bridge-aging-time",
  );
});

test("results do not depend on how a batch is cut (from/count)", () => {
  const frames = Array.from({ length: 40 }, (_, k) => ({
    interface: k % 5 === 4 ? 1 : 0,
    frame: ipFrame(
      k % 5 === 4
        ? { src: "171.69.1.220", dst: "171.69.233.209", protocol: "udp", srcPort: 53, dstPort: 1000 + (k % 7) }
        : { src: `10.1.1.${k % 9}`, dst: "171.69.1.220", protocol: k % 2 ? "udp" : "tcp", srcPort: 1000 + (k % 7), dstPort: 53 },
    ),
  }));
  const run = (cuts: number[]) => {
    using nat = new NatTable({ ...parseNatConfig(CONFIG), capacity: 64, maxEntries: 12, seed: 3 });
    using batch = PacketBatch.from(frames, { core: nat.core });
    batch.parse();
    const verdicts: number[] = [];
    let from = 0;
    for (const cut of [...cuts, frames.length]) {
      if (cut <= from) continue;
      verdicts.push(...nat.translate(batch, { now: 5000, from, count: cut - from }));
      from = cut;
    }
    return { verdicts, frames: [...batch.frames], translations: nat.translations(), counters: nat.counters() };
  };
  const whole = run([]);
  assert.deepEqual(run([1, 2, 3, 17, 30, 39]), whole);
  assert.deepEqual(run([20]), whole);
  assert.ok(whole.verdicts.includes(NatVerdict.droppedMaxEntries | NatVerdict.icmpFlag), "the run reaches max-entries");
});

test("hand-filled columns that point outside the frame are skipped, never written through", () => {
  using nat = new NatTable({ ...parseNatConfig(CONFIG), capacity: 64, seed: 3 });
  const frame = ipFrame({ src: "10.1.1.1", dst: "171.69.1.220", protocol: "tcp", srcPort: 1000, dstPort: 80 });
  using batch = PacketBatch.from(
    [
      { interface: 0, frame },
      { interface: 0, frame },
      { interface: 0, frame },
    ],
    { core: nat.core },
  );
  batch.parse();
  const c = batch.columns;
  c.l3Offset[0] = 1_000_000; // beyond the frame
  c.l4Offset[1] = c.capturedLength[1]! - 4; // a TCP header cut off
  c.frameOffset[2] = batch.frameBytes - 10; // the frame runs past the frame area
  const before = batch.frames.slice();
  assert.deepEqual([...nat.translate(batch, { now: 0 })], [NatVerdict.skipped, NatVerdict.skipped, NatVerdict.skipped]);
  assert.deepEqual(batch.frames, before);
  assert.equal(nat.counters().skipped, 3);
});
