// The route-cache entry lifecycle (spec §1.7–1.8, Cisco Doc 12808), one test per row, each
// driven with a manual clock against both the WebAssembly cache and the TypeScript reference.
//
// | #  | state   | event / guard                                          | action (counter)                                         | next    |
// |----|---------|--------------------------------------------------------|----------------------------------------------------------|---------|
// | 1  | ABSENT  | packet; route, next hop resolved                       | process switched, entry built (processSwitched, adds)    | PRESENT |
// | 2  | PRESENT | packet                                                 | fast switched, marked used (fastSwitched)                | PRESENT |
// | 3  | PRESENT | ager run examines it, unused since its last examination | removed (aged, invalidates)                              | ABSENT  |
// | 4  | PRESENT | ager run examines it, used since                        | kept, used mark cleared (agerExamined)                   | PRESENT |
// | 5  | PRESENT | FIB change, then MIN s held and QUIET s without requests | whole cache invalidated (invalidatedFull, fullInvalidations) | ABSENT |
// | 6  | PRESENT | FIB changes keep coming                                | invalidated MAX s after the first request, quiet or not  | ABSENT  |
// | 7  | PRESENT | clear ip cache                                         | removed, memory freed (cleared)                          | ABSENT  |
// | 8  | PRESENT | clear ip cache PREFIX MASK covering it                 | removed (cleared); others stay                           | ABSENT  |
// | 9  | PRESENT | ARP: its next hop's MAC changes, or the entry goes     | removed (arpInvalidated)                                 | ABSENT  |
// | 10 | ABSENT  | packet; cache full (memory budget)                     | process switched, no entry (noMemory)                    | ABSENT  |
// | 11 | ABSENT  | packet; next hop / host not resolved by ARP            | process switched, no entry (unresolved)                  | ABSENT  |
// | 12 | ABSENT  | packet; no route                                       | process switched, dropped (noRoute)                      | ABSENT  |
// | 13 | ABSENT  | packet; special adjacency, or class D/E destination    | process switched, never cached (uncacheable)             | ABSENT  |
// | 14 | any     | ager interval 0                                        | no ager runs                                              | —       |
// | 15 | PRESENT | ager run with less than lowMemoryBytes free            | examines 1/Y instead of 1/Z (agerLowMemoryRuns)          | —       |

import { test } from "node:test";
import assert from "node:assert/strict";
import { Twin, SMALL, type AnyCache, type CacheOptions } from "./helpers/route-cache.js";
import { withDebugBuild } from "./helpers/wasm.js";

const KINDS = ["wasm", "reference"] as const;
const GW = "192.0.2.1";
const GW_MAC = "00:00:0c:34:a7:fc";

/** A router with a default and a few routes, a cache, and a manual clock. */
class Bench {
  readonly twin = new Twin(5);
  readonly cache: AnyCache;
  readonly gw: number;
  now = 1_000_000;
  constructor(kind: (typeof KINDS)[number], options: CacheOptions = {}) {
    this.gw = this.twin.adjacency({ interface: "Ethernet1", nextHop: GW });
    const serial = this.twin.adjacency({ interface: "Serial1", nextHop: "198.51.100.1" });
    this.twin.route("10.0.0.0/8", this.gw);
    this.twin.route("172.16.0.0/16", serial);
    this.cache = this.twin.cache(kind, { ...SMALL, ...options });
    this.cache.setNeighbor(GW, GW_MAC, this.now);
  }
  at(ms: number): this {
    this.now += ms;
    return this;
  }
  send(address: string) {
    return this.cache.fill(address, this.now);
  }
  tick(ms = 0) {
    this.now += ms;
    this.cache.advance(this.now);
  }
  get stats() {
    return this.cache.statistics();
  }
  prefixes(): string[] {
    return this.cache.entries().map((e) => e.prefix);
  }
}

function row(name: string, body: (kind: (typeof KINDS)[number]) => void): void {
  for (const kind of KINDS) test(`${name} [${kind}]`, () => body(kind));
}

row("1: a miss is process switched and builds the entry", (kind) => {
  const b = new Bench(kind);
  assert.equal(b.send("10.1.2.3"), "process");
  const s = b.stats;
  assert.equal(s.processSwitched, 1);
  assert.equal(s.adds, 1);
  assert.equal(s.entries, 1);
  const [entry] = b.cache.entries();
  assert.equal(entry!.prefix, "10.0.0.0/8");
  assert.equal(entry!.interface, "Ethernet1");
  assert.equal(entry!.nextHop, GW);
  assert.equal(entry!.header, "00000C34A7FC0000000000000800");
  assert.equal(entry!.createdMs, b.now);
});

row("2: a hit is fast switched and marks the entry used", (kind) => {
  const b = new Bench(kind);
  b.send("10.1.2.3");
  assert.equal(b.at(10).send("10.200.0.1"), "fast");
  const s = b.stats;
  assert.equal(s.fastSwitched, 1);
  assert.equal(s.lookups, s.fastSwitched + s.processSwitched);
  assert.equal(s.adds, 1);
  assert.equal(b.cache.entries()[0]!.used, true);
});

row("3: an entry unused since the ager last examined it is removed by the next run", (kind) => {
  // 1/3 of the cache per run (Z = 3) and 3 entries: one entry examined per run, in creation order.
  const b = new Bench(kind, { ager: { intervalSeconds: 10, normalDivisor: 3 }, lowMemoryBytes: 0 });
  b.send("10.1.2.3");
  b.send("172.16.1.1");
  b.twin.route("11.0.0.0/8", b.gw);
  b.cache.clear(b.now);
  for (const d of ["10.1.2.3", "172.16.1.1", "11.1.1.1"]) b.send(d);
  b.tick(10_000); // run 1 examines 10/8: used at creation → cleared
  assert.equal(b.stats.aged, 0);
  b.tick(10_000); // run 2: 172.16/16
  b.tick(10_000); // run 3: 11/8
  assert.deepEqual(b.prefixes(), ["10.0.0.0/8", "172.16.0.0/16", "11.0.0.0/8"]);
  b.tick(10_000); // run 4: 10/8 again, unused since run 1 → removed
  assert.deepEqual(b.prefixes(), ["172.16.0.0/16", "11.0.0.0/8"]);
  const s = b.stats;
  assert.equal(s.aged, 1);
  assert.equal(s.agerRuns, 4);
  assert.equal(s.entries, s.adds - s.invalidates);
  // Traffic for it continues: the next packet is process switched again (seed 000:L244).
  assert.equal(b.send("10.1.2.3"), "process");
});

row("4: an entry used since its last examination survives the run", (kind) => {
  const b = new Bench(kind, { ager: { intervalSeconds: 10, normalDivisor: 3 }, lowMemoryBytes: 0 });
  // One entry: every run examines it.
  b.send("10.1.2.3");
  b.tick(10_000); // used at creation: mark cleared
  b.at(1).send("10.9.9.9");
  b.tick(10_000); // used since: kept, mark cleared
  assert.deepEqual(b.prefixes(), ["10.0.0.0/8"]);
  assert.equal(b.cache.entries()[0]!.used, false);
  b.tick(10_000); // unused since: removed
  assert.deepEqual(b.prefixes(), []);
  assert.equal(b.stats.agerExamined, 3);
});

row("5: a FIB change invalidates the whole cache after MIN seconds held and QUIET quiet seconds", (kind) => {
  const b = new Bench(kind, { ager: { intervalSeconds: 0 } });
  b.send("10.1.2.3");
  b.send("172.16.1.1");
  b.twin.route("10.5.0.0/16", b.gw); // request at now (second s)
  b.tick(0);
  assert.equal(b.stats.invalidationRequests, 1);
  assert.equal(b.stats.pendingSinceMs, b.now);
  // Held: stale entries keep switching during the delay.
  assert.equal(b.at(1000).send("10.5.1.1"), "fast");
  b.tick(1000); // 2 s: MIN reached, but the request's second is within the last 3 s
  assert.equal(b.stats.entries, 2);
  b.tick(1000); // 3 s: the last 3 whole seconds were quiet
  const s = b.stats;
  assert.equal(s.entries, 0);
  assert.equal(s.invalidatedFull, 2);
  assert.equal(s.fullInvalidations, 1);
  assert.equal(s.lastFullInvalidationMs, b.now);
  assert.equal(s.pendingSinceMs, undefined);
  // Rebuilt at the new granularity.
  assert.equal(b.send("10.5.1.1"), "process");
  assert.equal(b.cache.entries()[0]!.prefix, "10.5.0.0/16");
});

row("6: under continuous FIB changes the invalidation comes at MAX seconds", (kind) => {
  const b = new Bench(kind, { ager: { intervalSeconds: 0 } });
  b.send("10.1.2.3");
  const start = b.now;
  for (let t = 0; t < 5; t++) {
    b.twin.route(`10.${t + 1}.0.0/16`, b.gw);
    b.tick(t === 0 ? 0 : 1000);
    assert.equal(b.stats.entries, 1, `held at ${b.now - start} ms`);
  }
  b.twin.route("10.99.0.0/16", b.gw);
  b.tick(1000); // 5 s after the first request
  assert.equal(b.stats.entries, 0);
  assert.equal(b.stats.fullInvalidations, 1);
});

row("7: clear ip cache removes everything and frees the memory", (kind) => {
  const b = new Bench(kind);
  b.send("10.1.2.3");
  b.send("172.16.1.1");
  assert.equal(b.cache.clear(b.now), 2);
  const s = b.stats;
  assert.equal(s.entries, 0);
  assert.equal(s.cleared, 2);
  assert.equal(s.invalidates, 2);
  assert.equal(s.fullInvalidations, 1);
  if ("usedBytes" in b.cache) {
    const fixed = b.cache.usedBytes();
    b.send("10.1.2.3");
    assert.ok(b.cache.usedBytes() > fixed, "an entry takes memory");
    b.cache.clear(b.now);
    assert.equal(b.cache.usedBytes(), fixed, "clear gives it back");
  }
});

row("8: clear ip cache PREFIX MASK removes the entries it covers", (kind) => {
  const b = new Bench(kind);
  b.send("10.1.2.3");
  b.send("172.16.1.1");
  assert.equal(b.cache.clear(b.now, "172.16.0.0/12"), 1);
  assert.deepEqual(b.prefixes(), ["10.0.0.0/8"]);
  assert.equal(b.cache.clear(b.now, "10.1.0.0/16"), 1, "an entry containing the prefix overlaps it");
  assert.equal(b.stats.cleared, 2);
});

row("9: an ARP change of a next hop invalidates the entries through it", (kind) => {
  const b = new Bench(kind);
  b.send("10.1.2.3");
  b.send("172.16.1.1"); // via Serial1: no MAC rewrite, untouched
  assert.equal(b.cache.setNeighbor(GW, GW_MAC, b.now), 0, "same MAC: nothing");
  assert.equal(b.cache.setNeighbor(GW, "00:00:0c:00:00:01", b.now), 1);
  assert.deepEqual(b.prefixes(), ["172.16.0.0/16"]);
  assert.equal(b.send("10.1.2.3"), "process");
  assert.equal(b.cache.entries()[1]!.header.slice(0, 12), "00000C000001");
  assert.equal(b.cache.removeNeighbor(GW, b.now), 1);
  assert.equal(b.send("10.1.2.3"), "unresolved");
  assert.equal(b.stats.arpInvalidated, 2);
});

row("10: with the cache full a miss is process switched without an entry", (kind) => {
  const b = new Bench(kind, { maxEntries: 2 });
  b.twin.route("11.0.0.0/8", b.gw);
  b.send("10.1.2.3");
  b.send("172.16.1.1");
  assert.equal(b.send("11.1.1.1"), "no-memory");
  assert.equal(b.send("11.1.1.1"), "no-memory");
  const s = b.stats;
  assert.equal(s.noMemory, 2);
  assert.equal(s.entries, 2);
  assert.equal(s.processSwitched, 4);
});

row("11: a next hop (or attached host) without ARP is process switched, no entry", (kind) => {
  const b = new Bench(kind);
  const lan = b.twin.adjacency({ interface: "Ethernet2" });
  const far = b.twin.adjacency({ interface: "Ethernet1", nextHop: "192.0.2.9" });
  b.twin.route("192.168.1.0/24", lan);
  b.twin.route("12.0.0.0/8", far);
  assert.equal(b.send("192.168.1.7"), "unresolved");
  assert.equal(b.send("12.0.0.1"), "unresolved");
  b.cache.setNeighbor("192.168.1.7", "00:11:22:33:44:55", b.now);
  assert.equal(b.send("192.168.1.7"), "process");
  assert.equal(b.stats.unresolved, 2);
});

row("12: no route: process switched and dropped", (kind) => {
  const b = new Bench(kind);
  assert.equal(b.send("8.8.8.8"), "no-route");
  assert.equal(b.stats.noRoute, 1);
  assert.equal(b.stats.entries, 0);
});

row("13: special adjacencies and class D/E are never cached", (kind) => {
  const b = new Bench(kind);
  b.twin.route("13.0.0.0/8", 1); // Null0
  b.twin.route("224.0.0.0/4", b.gw);
  assert.equal(b.send("13.1.1.1"), "uncacheable");
  assert.equal(b.send("224.0.0.5"), "uncacheable");
  assert.equal(b.stats.uncacheable, 2);
  assert.equal(b.stats.entries, 0);
});

row("14: ager interval 0 disables the ager", (kind) => {
  const b = new Bench(kind);
  b.cache.configure("ip cache-ager-interval 0 4 20");
  b.send("10.1.2.3");
  b.tick(10 * 60_000);
  assert.equal(b.stats.agerRuns, 0);
  assert.equal(b.stats.entries, 1);
});

row("15: with memory low the ager examines 1/Y instead of 1/Z", (kind) => {
  const b = new Bench(kind, { ager: { intervalSeconds: 60, lowMemoryDivisor: 2, normalDivisor: 100 }, lowMemoryBytes: 1e12 });
  b.twin.route("11.0.0.0/8", b.gw);
  b.twin.route("12.0.0.0/8", b.gw);
  b.twin.route("13.0.0.0/8", b.gw);
  b.cache.clear(b.now);
  for (const d of ["10.0.0.1", "11.0.0.1", "12.0.0.1", "13.0.0.1"]) b.send(d);
  b.tick(60_000);
  assert.equal(b.stats.agerLowMemoryRuns, 1);
  assert.equal(b.stats.agerExamined, 2, "1/2 of 4 entries");
});

test("the debug build passes rows 3, 5 and 10 too", async () => {
  await withDebugBuild(() => {
    const b = new Bench("wasm", { ager: { intervalSeconds: 10, normalDivisor: 3 }, maxEntries: 2, lowMemoryBytes: 0 });
    b.send("10.1.2.3");
    b.send("172.16.1.1");
    b.twin.route("11.0.0.0/8", b.gw);
    assert.equal(b.send("11.1.1.1"), "no-memory");
    b.tick(3000);
    assert.equal(b.stats.fullInvalidations, 1);
    for (const d of ["10.1.2.3", "172.16.1.1"]) b.send(d);
    for (let i = 0; i < 4; i++) b.tick(10_000);
    assert.equal(b.stats.aged, 2);
  });
});
