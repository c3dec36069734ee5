// Top talkers in WebAssembly against the plain-TypeScript reference (src/reference/top-talkers.ts)
// on random flow sets: every aggregation field, every sort key and direction, limits from 1 up,
// no match / a pre-aggregation match on any field (values, ranges, prefixes of either family) /
// the post-aggregation `flows` match; and the configured top talkers with several criteria. The
// flows are made by packets through a small flow cache (so entries are reused and the sweep order
// is not the creation order), IPv4 and IPv6, ingress and egress. Ties: the reference is a stable
// sort of the groups in the order the sweep first met them.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { FlowCache } from "../src/flow/cache.js";
import type { FlowRecord } from "../src/flow/record.js";
import { FlowTopTalkers } from "../src/analysis/top-talkers.js";
import { TOP_FIELDS, TOP_FIELD_NAMES, type TopFieldName } from "../src/analysis/top-fields.js";
import { type TopMatch, type TopQuery, parseTopQuery } from "../src/analysis/top-query.js";
import { referenceConfiguredTopTalkers, referenceFieldValue, referenceTopTalkers } from "../src/reference/top-talkers.js";
import { parseAddress } from "../src/net/address.js";
import { fillBatch, flowPacket } from "./helpers/flows.js";
import type { FlowPacket } from "../src/reference/flow-cache.js";
import { withDebugBuild } from "./helpers/wasm.js";

const V4 = ["10.0.0.1", "10.0.0.2", "10.0.1.9", "192.0.2.7", "172.16.10.2", "255.255.255.255"];
const V6 = ["2001:db8::1", "2001:db8::2", "2001:db8:0:1::5", "fe80::1", "::ffff:10.0.0.1"];
const MACS = ["00:00:00:00:00:00", "02:00:00:00:00:01", "aa:aa:bb:bb:cc:03", "ff:ff:ff:ff:ff:fe"];

interface Generated extends FlowPacket {
  egress: boolean;
}

const packetArbitrary: fc.Arbitrary<Generated> = fc
  .record({
    v6: fc.boolean(),
    src: fc.nat(9),
    dst: fc.nat(9),
    protocol: fc.constantFrom(6, 6, 17, 1, 58, 47),
    srcPort: fc.constantFrom(20, 21, 80, 1024, 65535),
    dstPort: fc.constantFrom(20, 21, 80, 0x00dc, 443),
    tos: fc.constantFrom(0, 0, 0xb8, 255),
    ttl: fc.integer({ min: 0, max: 255 }),
    ipLength: fc.oneof(fc.integer({ min: 20, max: 1600 }), fc.constantFrom(28, 1500, 65535)),
    fragmentOffset: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 185, 0x1fff) }),
    tcpFlags: fc.constantFrom(0x02, 0x10, 0x18, 0x12, 0x00),
    icmpType: fc.constantFrom(0, 8, 12),
    icmpCode: fc.constantFrom(0, 1),
    srcMac: fc.constantFrom(...MACS),
    dstMac: fc.constantFrom(...MACS),
    vlanOuter: fc.constantFrom(0xffff, 0xffff, 5, 6, 4095),
    interface: fc.nat(3),
    egress: fc.boolean(),
    time: fc.integer({ min: 0, max: 5000 }),
  })
  .map(({ v6, src, dst, ...p }) => ({
    ...flowPacket({ time: p.time }),
    ...p,
    ipVersion: v6 ? 6 : 4,
    src: v6 ? V6[src % V6.length]! : V4[src % V4.length]!,
    dst: v6 ? V6[dst % V6.length]! : V4[dst % V4.length]!,
    // TCP FIN/RST would end flows at once; keep them alive so the cache holds a varied set.
    tcpFlags: p.protocol === 6 ? p.tcpFlags : 0,
  }));

/** Loads the packets (sorted by time) into a fresh cache; returns it and its live flows in sweep (entry) order. */
function load(capacity: number, packets: readonly Generated[], seed: number): { cache: FlowCache; flows: FlowRecord[] } {
  const cache = new FlowCache({ capacity, seed, exportQueueCapacity: 4096 });
  const batch = cache.createBatch({ capacity: 64 });
  const sorted = [...packets].sort((a, b) => a.time - b.time);
  for (let i = 0; i < sorted.length; i += 16) {
    const chunk = sorted.slice(i, i + 16);
    for (const egress of [false, true]) {
      const part = chunk.filter((p) => p.egress === egress);
      if (part.length === 0) continue;
      fillBatch(batch, part);
      cache.update(batch, { direction: egress ? "egress" : "ingress" });
      cache.drain();
    }
  }
  batch.dispose();
  const flows = cache.flows().sort((a, b) => a.entry - b.entry);
  return { cache, flows };
}

/** A criterion on `field` built from a value that some flow has (so it matches some and not others). */
function matchArbitrary(flows: readonly FlowRecord[]): fc.Arbitrary<TopMatch | undefined> {
  const fieldMatch = fc
    .tuple(fc.constantFrom(...TOP_FIELD_NAMES), fc.nat(Math.max(0, flows.length - 1)), fc.integer({ min: -1, max: 3 }), fc.nat(128))
    .map(([field, at, spread, length]): TopMatch | undefined => {
      const flow = flows[at];
      if (flow === undefined) return undefined;
      const spec = TOP_FIELDS.find((f) => f.name === field)!;
      if (spec.kind === "address" || spec.kind === "prefix") {
        const address = parseAddress(field.startsWith("source") ? flow.src : flow.dst);
        const max = address.family === 4 ? 32 : 128;
        const len = length % (max + 1);
        const words = [0, 0, 0, 0];
        for (let i = 0; i < address.words.length; i++) {
          const bits = Math.max(0, Math.min(32, len - 32 * i));
          words[i] = (address.words[i]! & (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0)) >>> 0;
        }
        return { field, prefix: { version: address.family, words, length: len } };
      }
      const value = referenceFieldValue(flow, field);
      const base = value === undefined ? 0 : Number(value.number);
      return spread < 0 ? { field, min: base + 1, max: base + 1 } : { field, min: Math.max(0, base - spread), max: base + spread };
    });
  const flowsMatch = fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.nat(2))
    .map(([min, extra]): TopMatch => ({ field: "flows", min, max: min + extra }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fieldMatch },
    { weight: 1, arbitrary: flowsMatch },
  );
}

const caseArbitrary = fc
  .record({
    capacity: fc.integer({ min: 2, max: 48 }),
    packets: fc.array(packetArbitrary, { minLength: 0, maxLength: 120 }),
    seed: fc.nat(),
  })
  .chain((c) => {
    const { cache, flows } = load(c.capacity, c.packets, c.seed);
    const queries = fc.array(
      fc.record({
        limit: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(100)),
        aggregate: fc.constantFrom(...TOP_FIELD_NAMES) as fc.Arbitrary<TopFieldName>,
        sortBy: fc.constantFrom("aggregate", "bytes", "flows", "packets") as fc.Arbitrary<TopQuery["sortBy"]>,
        order: fc.constantFrom("ascending", "descending") as fc.Arbitrary<TopQuery["order"]>,
        match: matchArbitrary(flows),
      }),
      { minLength: 1, maxLength: 6 },
    );
    return fc.tuple(fc.constant(cache), fc.constant(flows), queries);
  });

function checkQueries(runs: number): void {
  fc.assert(
    fc.property(caseArbitrary, ([cache, flows, queries]) => {
      const top = new FlowTopTalkers({ cache, seed: 3 });
      try {
        for (const raw of queries) {
          const query: TopQuery = { limit: raw.limit, aggregate: raw.aggregate, sortBy: raw.sortBy, order: raw.order };
          if (raw.match) query.match = raw.match;
          assert.deepEqual(top.query(query), referenceTopTalkers(flows, query));
        }
      } finally {
        top.dispose();
        cache.dispose();
      }
    }),
    { numRuns: runs },
  );
}

test("show ip flow top: WebAssembly equals the reference on random flow sets (every field, sort, direction, match)", () => {
  checkQueries(150);
});

test("show ip flow top: the debug build equals the reference too", async () => {
  await withDebugBuild(() => checkQueries(25));
});

test("ip flow-top-talkers: WebAssembly equals the reference (top N by bytes or packets, all criteria AND-ed, ties in cache order)", () => {
  fc.assert(
    fc.property(
      caseArbitrary.chain(([cache, flows]) =>
        fc.tuple(
          fc.constant(cache),
          fc.constant(flows),
          fc.integer({ min: 1, max: 12 }),
          fc.constantFrom("bytes", "packets") as fc.Arbitrary<"bytes" | "packets">,
          fc.array(
            matchArbitrary(flows).filter((m) => m === undefined || m.field !== "flows"),
            { maxLength: 3 },
          ),
        ),
      ),
      ([cache, flows, topN, sortBy, criteria]) => {
        const top = new FlowTopTalkers({ cache });
        try {
          const match = criteria.filter((m): m is TopMatch => m !== undefined);
          const result = top.topFlows({ top: topN, sortBy, match });
          const expected = referenceConfiguredTopTalkers(flows, { top: topN, sortBy, match });
          assert.deepEqual({ entries: result.flows.map((f) => f.entry), matched: result.matched, seen: result.seen }, expected);
          assert.deepEqual(
            result.flows,
            expected.entries.map((e) => flows.find((f) => f.entry === e)),
          );
        } finally {
          top.dispose();
          cache.dispose();
        }
      },
    ),
    { numRuns: 100 },
  );
});

test("the command text parses to the query the data form gives (hex and decimal, ranges, icmp, prefixes, flows)", () => {
  assert.deepEqual(parseTopQuery("10 aggregate source-address sorted-by flows match destination-port 0x00DC"), {
    limit: 10,
    aggregate: "source-address",
    sortBy: "flows",
    order: "descending",
    match: { field: "destination-port", min: 220, max: 220 },
  });
  assert.deepEqual(parseTopQuery("5 aggregate destination-address match destination-prefix 172.16.0.0/16").match, {
    field: "destination-prefix",
    prefix: { version: 4, words: [0xac100000, 0, 0, 0], length: 16 },
  });
  assert.deepEqual(parseTopQuery("2 aggregate destination-address match flows 6").match, { field: "flows", min: 6, max: 6 });
  assert.deepEqual(parseTopQuery("3 aggregate icmp sorted-by packets ascending match icmp type 12").match, {
    field: "icmp",
    min: 12 * 256,
    max: 12 * 256 + 255,
  });
  assert.deepEqual(parseTopQuery("3 aggregate protocol match source-address 2001:db8::1").match, {
    field: "source-address",
    prefix: { version: 6, words: [0x20010db8, 0, 0, 1], length: 128 },
  });
});

test("bad commands are ConfigErrors naming the word and what is accepted", () => {
  const cases: [string, RegExp][] = [
    ["10 aggregate source-vlans", /unknown field "source-vlans": expected one of source-address, .*packets/],
    ["0 aggregate protocol", /from 1 to 100/],
    ["101 aggregate protocol", /from 1 to 100/],
    ["10 aggregate protocol sorted-by size", /expected one of aggregate, bytes, flows, packets/],
    ["10 aggregate protocol match protocol icmp match tos 0", /only one match criterion/],
    ["10 aggregate protocol match destination-port min 30 max 20", /min 30 is above max 20/],
    ["10 aggregate protocol match destination-port 70000", /from 0 to 65535/],
    ["10 aggregate protocol match nexthop 1.2.3.4", /unknown field "nexthop": expected one of .*flows/],
    ["10 protocol", /expected "aggregate"/],
  ];
  for (const [command, message] of cases) assert.throws(() => parseTopQuery(command), { name: "ConfigError", message });
});

test("many aggregates (the index grows from 1024 slots while the sweep runs): WebAssembly equals the reference", async () => {
  const { fillFlowBatch } = await import("../src/sim/flow-traffic.js");
  for (const build of ["release", "debug"] as const) {
    const body = () => {
      const cache = new FlowCache({ capacity: 6000, seed: 9 });
      const batch = cache.createBatch({ capacity: 1000, frameBytes: 0 });
      // 5000 flows with distinct sources; some flows again, so aggregates differ in size.
      for (let base = 0; base < 6000; base += 1000) {
        fillFlowBatch(
          batch,
          Uint32Array.from({ length: 1000 }, (_, i) => (base + i) % 5000),
          1.7e12 + base,
        );
        cache.update(batch);
      }
      batch.dispose();
      const flows = cache.flows().sort((a, b) => a.entry - b.entry);
      const top = new FlowTopTalkers({ cache });
      try {
        for (const command of [
          "100 aggregate source-address sorted-by bytes",
          "7 aggregate destination-address sorted-by packets ascending",
          "50 aggregate source-port sorted-by flows",
          "20 aggregate bytes",
          "9 aggregate source-address match destination-port 443",
        ]) {
          const query = parseTopQuery(command);
          assert.deepEqual(top.query(query), referenceTopTalkers(flows, query), command);
        }
      } finally {
        top.dispose();
        cache.dispose();
      }
    };
    if (build === "debug") await withDebugBuild(body);
    else body();
  }
});

test("engines attached before the packets: the top-talkers column kept by the packet path (new, reused, aged and evicted entries) gives the reference's answers", () => {
  const sourceQueries = fc.array(
    fc.record({
      limit: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(100)),
      sortBy: fc.constantFrom("aggregate", "bytes", "flows", "packets") as fc.Arbitrary<TopQuery["sortBy"]>,
      order: fc.constantFrom("ascending", "descending") as fc.Arbitrary<TopQuery["order"]>,
      flows: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 24 }),
      fc.array(packetArbitrary, { maxLength: 120 }),
      fc.nat(),
      fc.integer({ min: 200, max: 3000 }),
      sourceQueries,
      (capacity, packets, seed, inactiveTimeout, queries) => {
        const cache = new FlowCache({ capacity, seed, inactiveTimeout, exportQueueCapacity: 4096 });
        const early = new FlowTopTalkers({ cache, seed: 5 });
        const batch = cache.createBatch({ capacity: 64 });
        let late: FlowTopTalkers | undefined;
        try {
          const sorted = [...packets].sort((a, b) => a.time - b.time);
          for (let i = 0; i < sorted.length; i += 16) {
            const chunk = sorted.slice(i, i + 16);
            fillBatch(batch, chunk);
            cache.update(batch);
            for (let k = 0; k < capacity; k++) cache.age(chunk[chunk.length - 1]!.time);
            cache.drain();
            // A second engine attached midway shares the column; one of them leaving keeps it.
            if (late === undefined && i >= sorted.length / 2) late = new FlowTopTalkers({ cache, seed: 6 });
          }
          const flows = cache.flows().sort((a, b) => a.entry - b.entry);
          for (const raw of queries) {
            const query: TopQuery = { limit: raw.limit, aggregate: "source-address", sortBy: raw.sortBy, order: raw.order };
            if (raw.flows !== undefined) query.match = { field: "flows", min: raw.flows, max: raw.flows + 1 };
            const expected = referenceTopTalkers(flows, query);
            assert.deepEqual(early.query(query), expected);
            if (late !== undefined) {
              assert.deepEqual(late.query(query), expected);
              late.dispose();
              assert.deepEqual(early.query(query), expected);
              late = new FlowTopTalkers({ cache, seed: 6 });
            }
          }
        } finally {
          late?.dispose();
          early.dispose();
          batch.dispose();
          cache.dispose();
        }
      },
    ),
    { numRuns: 120 },
  );
});

test("the top-talkers column is reserved on the core while an engine is attached, freed with the last one; a disposed engine refuses calls", () => {
  const cache = new FlowCache({ capacity: 1000, seed: 1 });
  const kinds = () => cache.core.memory().components.map((c) => c.kind);
  assert.ok(!kinds().includes("flow-cache-talkers"));
  const a = new FlowTopTalkers({ cache });
  const b = new FlowTopTalkers({ cache });
  const column = cache.core.memory().components.filter((c) => c.kind === "flow-cache-talkers");
  assert.equal(column.length, 1);
  // 16 bytes of column and a 24-byte source per entry, and 1.5 source index slots of 8 bytes.
  assert.equal(column[0]!.reservedBytes, 1000 * (16 + 24) + (1000 + 500 + 1) * 8);
  a.dispose();
  assert.ok(kinds().includes("flow-cache-talkers"));
  assert.throws(() => a.query("10 aggregate source-address"), { name: "ConfigError", message: /disposed/ });
  assert.equal(b.query("10 aggregate source-address").seen, 0);
  b.dispose();
  assert.ok(!kinds().includes("flow-cache-talkers"));
  const c = new FlowTopTalkers({ cache });
  cache.dispose();
  c.dispose();
  assert.ok(!kinds().includes("flow-cache-talkers"));
});

test("aggregates past 32 bits of bytes and packets, IPv4 and IPv6 sources together", () => {
  const cache = new FlowCache({ capacity: 64, seed: 4 });
  const top = new FlowTopTalkers({ cache });
  const batch = cache.createBatch({ capacity: 1000, frameBytes: 0 });
  try {
    const sources = ["10.0.0.1", "2001:db8::1", "10.0.0.2", "2001:db8::2"];
    // 80,000 packets a source, most of 65,535 bytes (4.6e9 bytes, past 2^32), over 4 flows each.
    const packets = Array.from({ length: 1000 }, (_, i) => {
      const src = sources[i % 4]!;
      const v6 = src.includes(":");
      return flowPacket({
        time: 0,
        src,
        dst: v6 ? "2001:db8::99" : "192.0.2.1",
        ipVersion: v6 ? 6 : 4,
        srcPort: 1000 + (i % 16),
        ipLength: i % 8 === 2 ? 40 : 65535,
      });
    });
    fillBatch(batch, packets);
    for (let round = 0; round < 320; round++) cache.update(batch);
    const flows = cache.flows().sort((a, b) => a.entry - b.entry);
    for (const command of [
      "4 aggregate source-address sorted-by bytes",
      "4 aggregate source-address sorted-by packets ascending",
      "4 aggregate source-address",
      "2 aggregate source-address sorted-by flows match flows 16",
    ]) {
      const query = parseTopQuery(command);
      const result = top.query(query);
      assert.deepEqual(result, referenceTopTalkers(flows, query), command);
      if (command.endsWith("bytes")) assert.ok(result.talkers[0]!.bytes > 2 ** 32);
    }
  } finally {
    batch.dispose();
    top.dispose();
    cache.dispose();
  }
});

test("one engine over a cache whose sources grow and shrink again (source ids freed with their last flow and reused) agrees with the reference every time", () => {
  const cache = new FlowCache({ capacity: 8192, seed: 7, exportQueueCapacity: 8192 });
  const top = new FlowTopTalkers({ cache, seed: 8 });
  const batch = cache.createBatch({ capacity: 4096, frameBytes: 0 });
  try {
    // Rounds of 4,000 flows over `sources` sources (two IPv6 among them in the last rounds); the
    // cache is flushed before each round, so it holds one round's flows at a time.
    const rounds = [3000, 40, 2500, 5, 4000, 1];
    rounds.forEach((sources, round) => {
      const time = round * 10_000;
      cache.flush(time);
      const packets = Array.from({ length: 4000 }, (_, i) => {
        const s = (i * 7919) % sources;
        const v6 = round >= 4 && s < 2;
        return flowPacket({
          time,
          src: v6 ? `2001:db8::${s + 1}` : `10.${(s >> 16) & 255}.${(s >> 8) & 255}.${s & 255}`,
          dst: v6 ? "2001:db8::99" : "192.0.2.1",
          ipVersion: v6 ? 6 : 4,
          srcPort: 1024 + (i & 4095),
          dstPort: 80 + (i >> 12),
          ipLength: 40 + ((i * 37) % 1400),
        });
      });
      for (let at = 0; at < packets.length; at += 4096) {
        fillBatch(batch, packets.slice(at, at + 4096));
        cache.update(batch);
      }
      const flows = cache.flows().sort((a, b) => a.entry - b.entry);
      assert.equal(flows.length, 4000);
      for (const command of ["10 aggregate source-address sorted-by bytes", "5 aggregate source-address sorted-by flows ascending"]) {
        const query = parseTopQuery(command);
        const result = top.query(query);
        assert.deepEqual(result, referenceTopTalkers(flows, query), `round ${round}: ${command}`);
        assert.equal(result.aggregates, Math.min(sources, 4000));
      }
    });
  } finally {
    batch.dispose();
    top.dispose();
    cache.dispose();
  }
});

test("the source table interns each live flow's source once: live sources equal the distinct sources of the live flows through creation, reuse, ageing, eviction and flushes, and ids stay within the capacity", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 16 }),
      fc.array(packetArbitrary, { minLength: 1, maxLength: 200 }),
      fc.nat(),
      fc.boolean(),
      (capacity, packets, seed, attachLate) => {
        const cache = new FlowCache({ capacity, seed, inactiveTimeout: 800, exportQueueCapacity: 4096 });
        const batch = cache.createBatch({ capacity: 8 });
        let top = attachLate ? undefined : new FlowTopTalkers({ cache, seed: 3 });
        try {
          const sorted = [...packets].sort((a, b) => a.time - b.time);
          for (let i = 0; i < sorted.length; i += 8) {
            const chunk = sorted.slice(i, i + 8);
            fillBatch(batch, chunk);
            cache.update(batch);
            const time = chunk[chunk.length - 1]!.time;
            if (i % 24 === 16) cache.age(time);
            if (i % 64 === 56) cache.flush(time);
            cache.drain();
            if (top === undefined && i >= sorted.length / 2) top = new FlowTopTalkers({ cache, seed: 3 });
            const flows = cache.flows();
            const distinct = new Set(flows.map((f) => `${f.ipVersion} ${f.src}`)).size;
            const sources = cache.talkerSources();
            if (top === undefined) {
              assert.deepEqual(sources, { live: 0, ids: 0 });
              continue;
            }
            assert.equal(sources.live, distinct);
            // Freed ids are reused before fresh ones: never more ids than entries, whatever the churn
            // inside a batch (a source can peak and leave between two observations).
            assert.ok(sources.ids <= capacity, `${sources.ids} ids for ${capacity} entries`);
            const query = parseTopQuery("100 aggregate source-address sorted-by flows");
            assert.deepEqual(
              top.query(query),
              referenceTopTalkers(
                flows.sort((a, b) => a.entry - b.entry),
                query,
              ),
            );
          }
        } finally {
          top?.dispose();
          batch.dispose();
          cache.dispose();
        }
      },
    ),
    { numRuns: 150 },
  );
});

test("an IPv4 source and an IPv6 source with the same leading words are two aggregates; an engine with fewer aggregates than source ids takes the general road with the same answer", () => {
  const cache = new FlowCache({ capacity: 64, seed: 9 });
  const batch = cache.createBatch({ capacity: 64, frameBytes: 0 });
  const wide = new FlowTopTalkers({ cache });
  const narrow = new FlowTopTalkers({ cache, maxGroups: 4 });
  try {
    // 10.0.0.1 and a00:1:: share their first 32 bits; a00:1::1 shares the first 64 too.
    const sources = ["10.0.0.1", "a00:1::", "a00:1::1", "10.0.0.2", "10.0.0.3"];
    const packets = sources.flatMap((src, s) =>
      Array.from({ length: s + 1 }, (_, k) =>
        flowPacket({
          time: k,
          src,
          dst: src.includes(":") ? "2001:db8::99" : "192.0.2.1",
          ipVersion: src.includes(":") ? 6 : 4,
          srcPort: 2000 + k,
          ipLength: 100 * (s + 1),
        }),
      ),
    );
    fillBatch(batch, packets);
    cache.update(batch);
    const flows = cache.flows().sort((a, b) => a.entry - b.entry);
    const query = parseTopQuery("10 aggregate source-address sorted-by bytes");
    const expected = referenceTopTalkers(flows, query);
    assert.equal(expected.talkers.length, 5);
    assert.deepEqual(wide.query(query), expected);
    // Five sources do not fit four aggregates: the general road reports it, as before interning.
    assert.throws(() => narrow.query(query), { name: "CapacityError" });
    const fewer = parseTopQuery("10 aggregate source-address sorted-by bytes match flows 5");
    assert.throws(() => narrow.query(fewer), { name: "CapacityError" });
    assert.equal(cache.talkerSources().live, 5);
  } finally {
    narrow.dispose();
    wide.dispose();
    batch.dispose();
    cache.dispose();
  }
});
