// The NAT meltdown shape (seed 000: 20,000–40,000 translations melted an NPE-300): a Code Red
// scan through PAT makes one translation per probe until max-entries, then every new probe is
// dropped and counted, memory stays where it was at creation, established flows keep working,
// and the bounded ager drains the SYN entries a minute later.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CapacityError, Core, NatTable, NatVerdict, PacketBatch } from "../src/index.js";
import { Xoshiro128 } from "../src/common/random.js";
import { wasmNat } from "./nat-helpers.js";

const MAX_ENTRIES = 40_000;
const PROBES = 60_000;
const BATCH = 4096;

function fillScan(batch: PacketBatch, random: Xoshiro128, count: number): void {
  const c = batch.columns;
  for (let i = 0; i < count; i++) {
    c.interface[i] = 0;
    c.status[i] = 0;
    c.ipVersion[i] = 4;
    c.capturedLength[i] = 0;
    c.src[i * 4] = 0x0a010101; // the infected host 10.1.1.1
    c.dst[i * 4] = random.next() >>> 0; // a random target
    c.protocol[i] = 6;
    c.srcPort[i] = 1024 + (random.next() % 60000);
    c.dstPort[i] = 80;
    c.tcpFlags[i] = 0x002;
  }
  batch.length = count;
}

test("a scan fills PAT translations up to max-entries, then drops are counted and memory stays bounded", () => {
  const core = new Core({ maxBytes: 256 * 1024 ** 2, seed: 5 });
  const nat = new NatTable({
    core,
    capacity: 50_000,
    maxEntries: MAX_ENTRIES,
    agerWork: 1000,
    interfaces: [
      { name: "Ethernet0", nat: "inside" },
      { name: "Serial0", nat: "outside", address: "171.69.233.209" },
    ],
    accessLists: [{ name: "1", entries: [{ action: "permit", address: "any" }] }],
    insideSource: [{ list: "1", interface: "Serial0", overload: true }],
  });
  const batch = new PacketBatch({ core, capacity: BATCH, frameBytes: 0 });
  const memory = core.wasm.memory.buffer.byteLength;
  const random = new Xoshiro128(99);
  const verdicts = new Uint8Array(BATCH);
  const tally = new Map<number, number>();
  let now = 1_000_000;
  for (let sent = 0; sent < PROBES; sent += BATCH) {
    const n = Math.min(BATCH, PROBES - sent);
    fillScan(batch, random, n);
    nat.translate(batch, { now, verdicts });
    for (const v of verdicts.subarray(0, n)) tally.set(v, (tally.get(v) ?? 0) + 1);
    now += 100;
  }
  const c = nat.counters();
  const dropped = tally.get(NatVerdict.droppedMaxEntries | NatVerdict.icmpFlag) ?? 0;
  assert.equal(nat.occupancy().live, MAX_ENTRIES);
  assert.equal(c.created, MAX_ENTRIES);
  assert.equal((tally.get(NatVerdict.translatedOut) ?? 0) + dropped + c.droppedNoPort, PROBES);
  assert.equal(c.droppedMaxEntries, dropped);
  assert.ok(dropped >= PROBES - MAX_ENTRIES, `drops ${dropped}`);
  assert.equal(core.wasm.memory.buffer.byteLength, memory, "no memory grew during the scan");
  assert.ok(nat.bytesPerTranslation <= 128, `bytes per translation ${nat.bytesPerTranslation}`);
  assert.ok(nat.occupancy().longestProbe < 64, `longest probe ${nat.occupancy().longestProbe}`);

  // A minute later (syn-timeout) the bounded ager drains the scan, 1000 per call.
  now += 60_000;
  let calls = 0;
  for (let removed = nat.age(now); removed > 0; removed = nat.age(now)) {
    assert.ok(removed <= 1000);
    calls++;
  }
  assert.equal(calls, MAX_ENTRIES / 1000);
  assert.equal(nat.occupancy().live, 0);
  assert.equal(nat.counters().expiredSyn, MAX_ENTRIES);
  fillScan(batch, random, 10);
  assert.deepEqual([...nat.translate(batch, { now })], new Array(10).fill(NatVerdict.translatedOut));
  batch.dispose();
  nat.dispose();
});

test("a table the core cannot hold is refused up front with a CapacityError", () => {
  const core = new Core({ maxBytes: 1024 * 1024 });
  assert.throws(
    () => new NatTable({ core, capacity: 100_000 }),
    (e) => e instanceof CapacityError && e.code === "core-budget",
  );
  const nat = new NatTable({ core, capacity: 1000 });
  assert.equal(core.memory().components.find((m) => m.kind === "nat")!.reservedBytes > 1000 * 96, true);
  nat.dispose();
  assert.equal(core.memory().components.length, 0);
});

const SMALL = 500;

test("an index bucket that overflows keeps every translation reachable both ways and gives its slots back", () => {
  // Capacity 500: 200 buckets of 7 slots per index, filled to 0.36 on average, so about one full
  // table in two has a bucket that overflowed (which depends on the table's secret, hence the
  // search over seeds).
  const flows = (base: number) => Array.from({ length: SMALL }, (_, i) => ({ dst: `192.${base}.${i >> 8}.${i & 255}`, srcPort: 2000 + i }));
  for (const variant of ["release", "debug", "release-nosimd"]) {
    let overflowed = 0;
    for (let seed = 0; seed < 200 && overflowed < 3; seed++) {
      const nat = wasmNat(
        {
          seed,
          capacity: SMALL,
          maxEntries: SMALL,
          interfaces: [
            { name: "Ethernet0", nat: "inside" },
            { name: "Serial0", nat: "outside", address: "171.69.233.209" },
          ],
          accessLists: [{ name: "1", entries: [{ action: "permit", address: "any" }] }],
          insideSource: [{ list: "1", interface: "Serial0", overload: true }],
        },
        variant,
      );
      const roundTrip = (set: { dst: string; srcPort: number }[], now: number) => {
        const out = PacketBatch.from(
          set.map((f) => ({
            interface: 0,
            src: "10.0.0.1",
            dst: f.dst,
            protocol: "tcp" as const,
            srcPort: f.srcPort,
            dstPort: 80,
            tcpFlags: 0x010,
          })),
          { core: nat.core },
        );
        assert.deepEqual([...nat.translate(out, { now })], Array(set.length).fill(NatVerdict.translatedOut));
        const back = PacketBatch.from(
          set.map((f, i) => ({
            interface: 1,
            src: f.dst,
            dst: out.packet(i).src!,
            protocol: "tcp" as const,
            srcPort: 80,
            dstPort: out.packet(i).srcPort!,
            tcpFlags: 0x010,
          })),
          { core: nat.core },
        );
        assert.deepEqual([...nat.translate(back, { now })], Array(set.length).fill(NatVerdict.translatedIn));
        for (const [i, f] of set.entries()) assert.deepEqual([back.packet(i).dst, back.packet(i).dstPort], ["10.0.0.1", f.srcPort]);
        out.dispose();
        back.dispose();
      };
      roundTrip(flows(0), 0);
      if (nat.occupancy().longestProbe > 0) {
        overflowed++;
        roundTrip(flows(0), 1); // hits, both ways
        assert.equal(nat.clear(), SMALL);
        assert.equal(nat.occupancy().live, 0);
        roundTrip(flows(1), 2); // the slots (and overflow counts) given back serve new keys
        assert.equal(nat.occupancy().live, SMALL);
      }
      nat.dispose();
    }
    assert.equal(overflowed, 3, `${variant}: three tables whose index overflowed`);
  }
});
