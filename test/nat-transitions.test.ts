// The NAT transition table, one test per row, each driven with a manual clock against the
// WebAssembly table (release and debug builds) and the TypeScript reference.
//
// | #  | state          | event / guard                                         | action (counter)                                          | next            |
// |----|----------------|-------------------------------------------------------|-----------------------------------------------------------|-----------------|
// | 1  | ABSENT         | inside packet, PAT mapping permits                    | extended entry, port kept, source rewritten (created)     | EXTENDED        |
// | 2  | ABSENT         | inside packet, pool mapping permits                   | simple entry, lowest free pool address (created)          | SIMPLE          |
// | 3  | ABSENT         | inside packet, no access list permits                 | passed untranslated (noMapping)                           | ABSENT          |
// | 4  | EXTENDED       | inside packet of the flow                             | source rewritten, timeout restarted (hits)                | EXTENDED        |
// | 5  | EXTENDED       | outside packet to the global address:port             | destination restored: the round trip gives the flow back  | EXTENDED        |
// | 6  | ABSENT         | outside packet                                        | passed untranslated (outsideMiss)                         | ABSENT          |
// | 7  | STATIC         | inside or outside packet; ager; clear                 | translated both ways; never expires, never cleared        | STATIC          |
// | 8  | EXTENDED udp   | udp-timeout (5 min) passes                            | ager removes it (expiredUdp)                              | ABSENT          |
// | 9  | EXTENDED dns   | UDP to port 53; dns-timeout (1 min) passes            | removed (expiredDns)                                      | ABSENT          |
// | 10 | EXTENDED syn   | SYN; syn-timeout (1 min); an ACK before it            | syn → tcp (24 h); unanswered: removed (expiredSyn)        | tcp / ABSENT    |
// | 11 | EXTENDED tcp   | FIN or RST, either way                                | finrst (1 min), then removed (expiredFinrst)              | finrst / ABSENT |
// | 12 | ABSENT         | ICMP echo inside, reply outside                       | query id translated and restored; icmp-timeout 1 min      | EXTENDED icmp   |
// | 13 | SIMPLE         | timeout (24 h) passes                                 | removed, address back to the pool (expiredTimeout)        | ABSENT          |
// | 14 | any dynamic    | a packet after its timeout, before the ager           | expired on lookup, then missed (lazy expiry)              | new / ABSENT    |
// | 15 | ABSENT         | max-entries reached                                   | drop, ICMP (droppedMaxEntries)                            | ABSENT          |
// | 16 | ABSENT         | every entry of the table in use                       | drop, ICMP (droppedTableFull)                             | ABSENT          |
// | 17 | ABSENT         | pool has no free address                              | drop, ICMP (droppedNoAddress)                             | ABSENT          |
// | 18 | ABSENT         | PAT: the port and the next 127 taken for that peer    | drop, ICMP (droppedNoPort)                                | ABSENT          |
// | 19 | ABSENT         | PAT: the port is taken for that peer                  | the next free port of its range (portProbes)              | EXTENDED        |
// | 20 | ABSENT         | PAT: a packet without ports (GRE, a fragment)         | drop (droppedUntranslatable)                              | ABSENT          |
// | 21 | ABSENT         | limit reached but an entry has expired                | that entry reclaimed, the new one made (reclaimed)        | EXTENDED        |
// | 22 | any dynamic    | clear ip nat translation *                            | removed, addresses back (cleared)                         | ABSENT          |
// | 23 | many expired   | age                                                   | at most agerWork removed per call, in expiry order        | —               |
// | 24 | —              | packet on no NAT interface, or inside → inside        | passed untouched (notNat)                                 | —               |
// | 25 | —              | not IPv4 with ports parsed (parse error)              | passed untouched (skipped)                                | —               |

import { test } from "node:test";
import assert from "node:assert/strict";
import { NatVerdict, type NatOptions } from "../src/index.js";
import { IMPLEMENTATIONS, INSIDE, NatRig, OTHER, OUTSIDE, type Table, natOptions } from "./nat-helpers.js";
import { checksumsValid } from "./helpers/ip-frames.js";

const PAT = "171.69.233.209";
const SERVER = "171.69.1.220";
const MIN = 60_000;

function valid(frame: Uint8Array): void {
  assert.deepEqual(checksumsValid(frame), { ip: true, l4: true }, "checksums of the rewritten frame");
}

function counter(t: Table, name: keyof ReturnType<Table["counters"]>): number {
  return t.counters()[name];
}

interface Row {
  row: number;
  title: string;
  check(make: (o: NatOptions) => Table): void;
}

const tcp = (src: string, srcPort: number, flags = 0x010) => ({
  iface: INSIDE,
  src,
  dst: SERVER,
  protocol: "tcp" as const,
  srcPort,
  dstPort: 80,
  flags,
});
const reply = (dstPort: number, flags = 0x010, dst = PAT) => ({
  iface: OUTSIDE,
  src: SERVER,
  dst,
  protocol: "tcp" as const,
  srcPort: 80,
  dstPort,
  flags,
});
const udp = (src: string, srcPort: number, dstPort = 4000) => ({
  iface: INSIDE,
  src,
  dst: SERVER,
  protocol: "udp" as const,
  srcPort,
  dstPort,
});

const ROWS: Row[] = [
  {
    row: 1,
    title: "ABSENT + inside packet under PAT → extended entry keeping the port, source rewritten",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.one(tcp("10.1.1.1", 11012, 0x002));
      assert.equal(out.verdict, NatVerdict.translatedOut);
      assert.deepEqual([out.src, out.srcPort, out.dst, out.dstPort], [PAT, 11012, SERVER, 80]);
      valid(out.frame);
      const [t] = r.table.translations().filter((x) => !x.static);
      assert.deepEqual(
        [t!.protocol, t!.insideLocal, t!.insideLocalPort, t!.insideGlobalPort, t!.outside, t!.outsidePort],
        ["tcp", "10.1.1.1", 11012, 11012, SERVER, 80],
      );
      assert.equal(counter(r.table, "created"), 1);
      assert.equal(counter(r.table, "misses"), 1);
    },
  },
  {
    row: 2,
    title: "ABSENT + inside packet under a pool → simple entry on the lowest free address",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const a = r.one(udp("10.2.0.9", 5000));
      const b = r.one(udp("10.2.0.10", 5000));
      assert.deepEqual([a.src, a.srcPort, b.src, b.srcPort], ["171.69.233.210", 5000, "171.69.233.211", 5000]);
      valid(a.frame);
      const simple = r.table.translations().filter((x) => !x.extended && !x.static);
      assert.deepEqual(
        simple.map((x) => [x.insideLocal, x.insideGlobal, x.timeoutClass]),
        [
          ["10.2.0.9", "171.69.233.210", "timeout"],
          ["10.2.0.10", "171.69.233.211", "timeout"],
        ],
      );
    },
  },
  {
    row: 3,
    title: "ABSENT + inside packet no access list permits → untranslated",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.one(tcp("10.9.9.9", 1234));
      assert.deepEqual([out.verdict, out.src, out.srcPort], [NatVerdict.noMapping, "10.9.9.9", 1234]);
      assert.equal(counter(r.table, "noMapping"), 1);
      assert.equal(r.table.translations().length, 1, "only the static entry");
    },
  },
  {
    row: 4,
    title: "EXTENDED + inside packet of the flow → hit, timeout restarted",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(udp("10.1.1.1", 5000));
      r.at(4 * MIN).one(udp("10.1.1.1", 5000));
      const [t] = r.table.translations().filter((x) => x.extended);
      assert.equal(t!.expiresAt, r.now + 5 * MIN);
      assert.equal(t!.hits, 2);
      assert.equal(counter(r.table, "hits"), 1);
      assert.equal(r.at(5 * MIN - 1).age(), 0);
      assert.equal(r.at(1).age(), 1);
    },
  },
  {
    row: 5,
    title: "EXTENDED + outside reply → destination restored; inside → outside → inside gives the flow back",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.one(tcp("10.1.1.1", 11012, 0x002));
      const back = r.one(reply(out.srcPort!, 0x012));
      assert.equal(back.verdict, NatVerdict.translatedIn);
      assert.deepEqual([back.src, back.srcPort, back.dst, back.dstPort], [SERVER, 80, "10.1.1.1", 11012]);
      valid(back.frame);
      assert.equal(counter(r.table, "translatedIn"), 1);
    },
  },
  {
    row: 6,
    title: "ABSENT + outside packet → untranslated (outsideMiss)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const back = r.one(reply(31337));
      assert.deepEqual([back.verdict, back.dst, back.dstPort], [NatVerdict.outsideMiss, PAT, 31337]);
      assert.equal(counter(r.table, "outsideMiss"), 1);
    },
  },
  {
    row: 7,
    title: "STATIC + packets both ways → translated; never aged, never cleared",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.one({ iface: INSIDE, src: "10.3.0.5", dst: SERVER, protocol: "tcp", srcPort: 2000, dstPort: 25 });
      assert.deepEqual([out.verdict, out.src, out.srcPort], [NatVerdict.translatedOut, "171.69.233.220", 2000]);
      const inbound = r.one({ iface: OUTSIDE, src: "192.0.2.1", dst: "171.69.233.220", protocol: "tcp", srcPort: 999, dstPort: 25 });
      assert.deepEqual([inbound.verdict, inbound.dst, inbound.dstPort], [NatVerdict.translatedIn, "10.3.0.5", 25]);
      valid(out.frame);
      valid(inbound.frame);
      r.age(400 * 24 * 60 * MIN);
      assert.equal(r.table.clear(), 0);
      const [s] = r.table.translations();
      assert.deepEqual([s!.static, s!.expiresAt, s!.hits], [true, null, 2]);
    },
  },
  {
    row: 8,
    title: "EXTENDED udp + udp-timeout (5 min) → removed by the ager",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(udp("10.1.1.1", 5000));
      assert.equal(r.table.translations().find((x) => x.extended)!.timeoutClass, "udp");
      assert.equal(r.age(5 * MIN - 1), 0);
      assert.equal(r.age(1), 1);
      assert.equal(counter(r.table, "expiredUdp"), 1);
      assert.equal(r.table.translations().filter((x) => x.extended).length, 0);
    },
  },
  {
    row: 9,
    title: "EXTENDED dns (UDP to 53) + dns-timeout (1 min) → removed",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(udp("10.1.1.1", 5000, 53));
      assert.equal(r.table.translations().find((x) => x.extended)!.timeoutClass, "dns");
      assert.equal(r.age(MIN - 1), 0);
      assert.equal(r.age(1), 1);
      assert.equal(counter(r.table, "expiredDns"), 1);
    },
  },
  {
    row: 10,
    title: "EXTENDED syn: an ACK moves it to tcp (24 h); an unanswered SYN leaves after syn-timeout",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(tcp("10.1.1.1", 1111, 0x002));
      r.one(tcp("10.1.1.2", 2222, 0x002));
      const entry = (port: number) => r.table.translations().find((x) => x.insideLocalPort === port)!;
      assert.equal(entry(1111).timeoutClass, "syn");
      r.at(1000).one(reply(1111, 0x012));
      assert.equal(entry(1111).timeoutClass, "tcp");
      assert.equal(entry(1111).expiresAt, r.now + 24 * 60 * MIN);
      assert.equal(r.age(MIN - 1000), 1, "the unanswered SYN");
      assert.equal(counter(r.table, "expiredSyn"), 1);
      assert.equal(entry(1111).timeoutClass, "tcp");
    },
  },
  {
    row: 11,
    title: "EXTENDED tcp + FIN or RST (either direction) → finrst (1 min), then removed",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(tcp("10.1.1.1", 1111, 0x002));
      r.one(reply(1111, 0x012));
      r.one(tcp("10.1.1.1", 1111, 0x010));
      r.one(reply(1111, 0x011));
      const t = r.table.translations().find((x) => x.extended)!;
      assert.equal(t.timeoutClass, "finrst");
      r.at(30_000).one(tcp("10.1.1.1", 1111, 0x010));
      assert.equal(r.table.translations().find((x) => x.extended)!.timeoutClass, "finrst", "finrst for good");
      assert.equal(r.age(MIN - 1), 0);
      assert.equal(r.age(1), 1);
      assert.equal(counter(r.table, "expiredFinrst"), 1);
      // RST from inside on a fresh flow.
      r.one(tcp("10.1.1.3", 3333, 0x004));
      assert.equal(r.table.translations().find((x) => x.extended)!.timeoutClass, "finrst");
    },
  },
  {
    row: 12,
    title: "ICMP echo → query id translated and restored; icmp-timeout (1 min)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one({ iface: INSIDE, src: "10.1.1.7", dst: "8.8.8.8", protocol: "icmp", icmpType: 8, icmpId: 77 });
      const second = r.one({ iface: INSIDE, src: "10.1.1.8", dst: "8.8.8.8", protocol: "icmp", icmpType: 8, icmpId: 77 });
      valid(second.frame);
      const ids = r.table
        .translations()
        .filter((x) => x.protocol === "icmp")
        .map((x) => [x.insideLocal, x.insideGlobalPort]);
      assert.deepEqual(ids, [
        ["10.1.1.7", 77],
        ["10.1.1.8", 78],
      ]);
      assert.equal((second.frame[38]! << 8) | second.frame[39]!, 78, "the id in the frame");
      const back = r.one({ iface: OUTSIDE, src: "8.8.8.8", dst: PAT, protocol: "icmp", icmpType: 0, icmpId: 78 });
      assert.deepEqual([back.verdict, back.dst, (back.frame[38]! << 8) | back.frame[39]!], [NatVerdict.translatedIn, "10.1.1.8", 77]);
      valid(back.frame);
      assert.equal(r.age(MIN - 1), 0);
      assert.equal(r.age(1), 2);
      assert.equal(counter(r.table, "expiredIcmp"), 2);
    },
  },
  {
    row: 13,
    title: "SIMPLE + timeout (24 h) → removed, its address back to the pool",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(udp("10.2.0.9", 5000));
      assert.equal(r.age(24 * 60 * MIN), 1);
      assert.equal(counter(r.table, "expiredTimeout"), 1);
      assert.equal(r.table.statistics().pools[0]!.allocated, 0);
      assert.equal(r.one(udp("10.2.0.77", 5000)).src, "171.69.233.210", "the address is free again");
    },
  },
  {
    row: 14,
    title: "dynamic entry + a packet after its timeout, before the ager → expired on lookup, made anew",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.one(udp("10.1.1.1", 5000));
      const created = r.table.translations().find((x) => x.extended)!.createdAt;
      r.at(5 * MIN).one(udp("10.1.1.1", 5000));
      assert.equal(counter(r.table, "expiredUdp"), 1);
      assert.equal(counter(r.table, "created"), 2);
      assert.equal(r.table.translations().find((x) => x.extended)!.createdAt, created + 5 * MIN);
      // An outside packet for an expired entry misses.
      r.at(5 * MIN).one({ iface: OUTSIDE, src: SERVER, dst: PAT, protocol: "udp", srcPort: 4000, dstPort: 5000 });
      assert.equal(counter(r.table, "outsideMiss"), 1);
      assert.equal(counter(r.table, "expiredUdp"), 2);
    },
  },
  {
    row: 15,
    title: "ABSENT + max-entries reached → dropped with ICMP, nothing created",
    check(make) {
      const r = new NatRig(make(natOptions({ maxEntries: 3 })));
      const out = r.send([1, 2, 3, 4].map((k) => tcp(`10.1.1.${k}`, 1000 + k)));
      assert.deepEqual(
        out.map((o) => o.verdict),
        [1, 1, 1, NatVerdict.droppedMaxEntries | NatVerdict.icmpFlag],
      );
      assert.deepEqual([out[3]!.src, out[3]!.srcPort], ["10.1.1.4", 1004], "a dropped packet is not rewritten");
      assert.equal(counter(r.table, "droppedMaxEntries"), 1);
      assert.equal(r.table.translations().filter((x) => !x.static).length, 3);
    },
  },
  {
    row: 16,
    title: "ABSENT + every entry in use (capacity) → dropped with ICMP (droppedTableFull)",
    check(make) {
      const r = new NatRig(make(natOptions({ capacity: 3 })));
      const out = r.send([1, 2, 3].map((k) => tcp(`10.1.1.${k}`, 1000 + k)));
      assert.deepEqual(
        out.map((o) => o.verdict),
        [1, 1, NatVerdict.droppedTableFull | NatVerdict.icmpFlag],
      );
      assert.equal(counter(r.table, "droppedTableFull"), 1);
    },
  },
  {
    row: 17,
    title: "ABSENT + pool without a free address → dropped with ICMP (droppedNoAddress)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.send([udp("10.2.0.1", 1), udp("10.2.0.2", 1), udp("10.2.0.3", 1)]);
      assert.deepEqual(
        out.map((o) => o.verdict),
        [1, 1, NatVerdict.droppedNoAddress | NatVerdict.icmpFlag],
      );
      assert.equal(r.table.statistics().pools[0]!.misses, 1);
      assert.equal(counter(r.table, "droppedNoAddress"), 1);
    },
  },
  {
    row: 18,
    title: "PAT + the port and the next 127 taken for that peer → dropped with ICMP (droppedNoPort)",
    check(make) {
      const r = new NatRig(
        make(
          natOptions({
            accessLists: [{ name: "1", entries: [{ action: "permit", address: "any" }] }],
            insideSource: [{ list: "1", interface: "Serial0", overload: true }],
            pools: [],
          }),
        ),
      );
      const hosts = Array.from({ length: 129 }, (_, k) => tcp(`10.${(k >> 8) + 1}.${k & 255}.1`, 40000));
      const out = r.send(hosts);
      assert.deepEqual(
        out.slice(0, 128).map((o) => o.srcPort),
        Array.from({ length: 128 }, (_, k) => 40000 + k),
      );
      assert.equal(out[128]!.verdict, NatVerdict.droppedNoPort | NatVerdict.icmpFlag);
      assert.equal(counter(r.table, "droppedNoPort"), 1);
      // Another peer: the port is free again.
      assert.equal(r.one({ ...hosts[128]!, dst: "192.0.2.99" }).srcPort, 40000);
    },
  },
  {
    row: 19,
    title: "PAT + the port taken for that peer → the next free port of its range",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.send([
        tcp("10.1.1.1", 511),
        tcp("10.1.1.2", 511),
        tcp("10.1.1.3", 1023),
        tcp("10.1.1.4", 1023),
        tcp("10.1.1.5", 65535),
        tcp("10.1.1.6", 65535),
      ]);
      assert.deepEqual(
        out.map((o) => o.srcPort),
        [511, 1, 1023, 512, 65535, 1024],
      );
      out.forEach((o) => valid(o.frame));
      assert.equal(counter(r.table, "portProbes"), 9);
    },
  },
  {
    row: 20,
    title: "PAT + a packet without ports (GRE, a non-first fragment) → dropped (droppedUntranslatable)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const out = r.send([
        { iface: INSIDE, src: "10.1.1.1", dst: SERVER, protocol: "gre" },
        { iface: INSIDE, src: "10.1.1.1", dst: SERVER, protocol: "udp", fragmentOffset: 100 },
      ]);
      assert.deepEqual(
        out.map((o) => o.verdict),
        [NatVerdict.droppedUntranslatable, NatVerdict.droppedUntranslatable],
      );
      // A simple entry translates them.
      const pool = r.send([
        { iface: INSIDE, src: "10.2.0.1", dst: SERVER, protocol: "gre" },
        { iface: INSIDE, src: "10.2.0.1", dst: SERVER, protocol: "udp", fragmentOffset: 100 },
      ]);
      assert.deepEqual(
        pool.map((o) => [o.verdict, o.src]),
        [
          [1, "171.69.233.210"],
          [1, "171.69.233.210"],
        ],
      );
      pool.forEach((o) => valid(o.frame));
    },
  },
  {
    row: 21,
    title: "limit reached but an entry has expired → that entry is reclaimed and the new one made",
    check(make) {
      const r = new NatRig(make(natOptions({ maxEntries: 1 })));
      r.one(udp("10.1.1.1", 5000, 53));
      assert.equal(r.at(MIN).one(udp("10.1.1.2", 6000)).verdict, NatVerdict.translatedOut);
      assert.deepEqual([counter(r.table, "reclaimed"), counter(r.table, "expiredDns")], [1, 1]);
      assert.deepEqual(
        r.table
          .translations()
          .filter((x) => x.extended)
          .map((x) => x.insideLocal),
        ["10.1.1.2"],
      );
    },
  },
  {
    row: 22,
    title: "clear ip nat translation * → dynamic entries removed, addresses back, static kept",
    check(make) {
      const r = new NatRig(make(natOptions()));
      r.send([udp("10.1.1.1", 1), udp("10.2.0.1", 1), tcp("10.1.1.2", 2)]);
      assert.equal(r.table.clear(), 3);
      assert.equal(counter(r.table, "cleared"), 3);
      assert.deepEqual(
        r.table.translations().map((x) => x.static),
        [true],
      );
      assert.equal(r.table.statistics().pools[0]!.allocated, 0);
      assert.equal(r.table.statistics().mappings[1]!.refcount, 0);
    },
  },
  {
    row: 23,
    title: "many expired → at most agerWork per age call, in expiry order",
    check(make) {
      const r = new NatRig(make(natOptions({ agerWork: 2 })));
      for (let k = 1; k <= 5; k++) r.at(1).one(udp(`10.1.1.${k}`, 7000));
      r.at(5 * MIN);
      const order: string[] = [];
      for (let calls = 0; calls < 3; calls++) {
        const before = new Set(r.table.translations().map((x) => x.insideLocal));
        assert.ok(r.age() <= 2);
        const after = new Set(r.table.translations().map((x) => x.insideLocal));
        order.push(...[...before].filter((a) => !after.has(a)));
      }
      assert.deepEqual(order, ["10.1.1.1", "10.1.1.2", "10.1.1.3", "10.1.1.4", "10.1.1.5"]);
      assert.equal(counter(r.table, "agerCalls"), 3);
    },
  },
  {
    row: 24,
    title: "a packet on no NAT interface, or inside → inside after routing → untouched (notNat)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      const other = r.one({ ...tcp("10.1.1.1", 1), iface: OTHER });
      const [routed] = r.send([tcp("10.1.1.1", 1)], [OTHER]);
      const [unknown] = r.send([tcp("10.1.1.1", 1)], [0xffffffff]);
      assert.deepEqual(
        [other.verdict, routed!.verdict, unknown!.verdict],
        [NatVerdict.notNat, NatVerdict.notNat, NatVerdict.translatedOut],
      );
      assert.equal(counter(r.table, "notNat"), 2);
    },
  },
  {
    row: 25,
    title: "a malformed packet → untouched (skipped)",
    check(make) {
      const r = new NatRig(make(natOptions()));
      // A UDP length beyond the IP payload: parse status bad-udp-length.
      const out = r.one({ ...udp("10.1.1.1", 5000), mutate: (f) => (f[39] = 200) });
      assert.deepEqual([out.verdict, out.src], [NatVerdict.skipped, "10.1.1.1"]);
      assert.equal(counter(r.table, "skipped"), 1);
      assert.equal(counter(r.table, "created"), 0);
    },
  },
];

for (const row of ROWS) {
  for (const [name, make] of IMPLEMENTATIONS) {
    test(`row ${row.row} (${name}): ${row.title}`, () => row.check(make));
  }
}

test("every row is tested and the counters obey the conservation law on every implementation", () => {
  assert.deepEqual(
    ROWS.map((r) => r.row),
    Array.from({ length: 25 }, (_, k) => k + 1),
  );
  for (const [, make] of IMPLEMENTATIONS) {
    const r = new NatRig(make(natOptions({ maxEntries: 4 })));
    r.send([
      tcp("10.1.1.1", 1),
      tcp("10.1.1.2", 1),
      udp("10.2.0.1", 1),
      udp("10.2.0.2", 1),
      udp("10.2.0.3", 1),
      reply(1),
      reply(9),
      tcp("10.9.0.1", 3),
      tcp("10.1.1.3", 4),
    ]);
    const c = r.table.counters();
    const accounted =
      c.translatedOut +
      c.translatedIn +
      c.notNat +
      c.skipped +
      c.noMapping +
      c.outsideMiss +
      c.droppedMaxEntries +
      c.droppedTableFull +
      c.droppedNoAddress +
      c.droppedNoPort +
      c.droppedUntranslatable;
    assert.equal(accounted, c.packets);
    assert.equal(c.hits + c.created, c.translatedOut + c.translatedIn);
  }
});
