// The flow cache's lifecycle (one test per transition, manual clock), its key and non-key
// fields, bad options, and its resistance to keys crafted against a known hash key.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FlowCache, type FlowCacheOptions } from "../src/flow/cache.js";
import { ConfigError, TimeError } from "../src/errors.js";
import { PacketBatch } from "../src/packet/batch.js";
import type { FlowEndReason } from "../src/flow/record.js";
import type { FlowPacket } from "../src/reference/flow-cache.js";
import { fillBatch, flowPacket } from "./helpers/flows.js";
import { craftCollidingBatch } from "../src/sim/flow-traffic.js";
import { flowJson } from "../src/show/flow-cache.js";

const T0 = 1_700_000_000_000;

/** Feeds packets (one update per packet) and returns the cache. */
function feed(cache: FlowCache, packets: FlowPacket[], direction: "ingress" | "egress" = "ingress"): FlowCache {
  const batch = cache.createBatch({ capacity: 64, frameBytes: 0 });
  for (const p of packets) {
    fillBatch(batch, [p]);
    cache.update(batch, { direction });
  }
  return cache;
}

interface Transition {
  name: string;
  options: FlowCacheOptions;
  packets: FlowPacket[];
  /** Ager polls at these times (each a full sweep: agerBatch = capacity). */
  agerAt?: number[];
  /** Drain the queue before the ager runs (default true). */
  expected: { reasons: FlowEndReason[]; live: number; refused?: number; stalls?: number };
  queueFullFirst?: boolean;
}

const base = { capacity: 4, inactiveTimeout: 15_000, activeTimeout: 60_000, seed: 7 };
const tcp = (time: number, fields: Partial<FlowPacket> = {}) => flowPacket({ time: T0 + time, ...fields });

// The flow lifecycle, row by row: what the packets and the ager do, and which flows end why.
const TRANSITIONS: Transition[] = [
  {
    name: "a packet starts a flow; nothing ends before a timeout",
    options: base,
    packets: [tcp(0)],
    agerAt: [T0 + 14_999],
    expected: { reasons: [], live: 1 },
  },
  {
    name: "idle for the inactive timeout → inactive",
    options: base,
    packets: [tcp(0), tcp(1000)],
    agerAt: [T0 + 16_000],
    expected: { reasons: ["inactive"], live: 0 },
  },
  {
    name: "busy past the active timeout → active",
    options: base,
    packets: [0, 10, 20, 30, 40, 50].map((s) => tcp(s * 1000)),
    agerAt: [T0 + 60_000],
    expected: { reasons: ["active"], live: 0 },
  },
  {
    name: "deadlines tie → active",
    options: { ...base, activeTimeout: 20_000, inactiveTimeout: 15_000 },
    packets: [tcp(0), tcp(5000)],
    agerAt: [T0 + 20_000],
    expected: { reasons: ["active"], live: 0 },
  },
  {
    name: "TCP FIN ends the flow at that packet",
    options: base,
    packets: [tcp(0), tcp(1, { tcpFlags: 0x11 })],
    expected: { reasons: ["tcp-end"], live: 0 },
  },
  {
    name: "TCP RST ends the flow at that packet",
    options: base,
    packets: [tcp(0, { tcpFlags: 0x04 })],
    expected: { reasons: ["tcp-end"], live: 0 },
  },
  {
    name: "FIN bits in a UDP packet end nothing",
    options: base,
    packets: [tcp(0, { protocol: 17, tcpFlags: 0x01 })],
    expected: { reasons: [], live: 1 },
  },
  {
    name: "a packet after the inactive timeout ends the old flow and starts a new one",
    options: base,
    packets: [tcp(0), tcp(15_000)],
    expected: { reasons: ["inactive"], live: 1 },
  },
  {
    name: "a new flow in a full cache evicts the oldest → cache-full",
    options: { ...base, capacity: 2 },
    packets: [tcp(0, { srcPort: 1 }), tcp(1, { srcPort: 2 }), tcp(2, { srcPort: 1 }), tcp(3, { srcPort: 3 })],
    expected: { reasons: ["cache-full"], live: 2 },
  },
  {
    name: "an evicted flow whose time was up keeps its own reason",
    options: { ...base, capacity: 1 },
    packets: [tcp(0, { srcPort: 1 }), tcp(20_000, { srcPort: 2 })],
    expected: { reasons: ["inactive"], live: 1 },
  },
  {
    name: "the packet counter full → counter-full, and a new flow",
    options: { ...base, maxPacketsPerFlow: 2 },
    packets: [tcp(0), tcp(1), tcp(2)],
    expected: { reasons: ["counter-full"], live: 1 },
  },
  {
    name: "export queue full: a FIN flow stays until there is room, then the ager ends it",
    options: { ...base, exportQueueCapacity: 1 },
    queueFullFirst: true,
    packets: [tcp(10, { srcPort: 5, tcpFlags: 0x01 })],
    agerAt: [T0 + 11],
    expected: { reasons: ["tcp-end"], live: 0, stalls: 1 },
  },
  {
    name: "export queue full and cache full: the new flow is refused and counted",
    options: { ...base, capacity: 1, exportQueueCapacity: 1 },
    queueFullFirst: true,
    packets: [tcp(10, { srcPort: 6 }), tcp(11, { srcPort: 7 })],
    expected: { reasons: [], live: 1, refused: 1, stalls: 1 },
  },
];

for (const row of TRANSITIONS) {
  test(`flow lifecycle: ${row.name}`, () => {
    const cache = new FlowCache({ ...row.options, agerBatch: row.options.capacity ?? 1 });
    if (row.queueFullFirst) {
      // One RST flow fills the one-record queue.
      feed(cache, [tcp(0, { srcPort: 999, tcpFlags: 0x04 })]);
      assert.equal(cache.queuedFlows, 1);
    }
    feed(cache, row.packets);
    const reasons: FlowEndReason[] = [];
    if (row.queueFullFirst) {
      assert.deepEqual(
        cache.drain(1).map((f) => f.srcPort),
        [999],
      );
    }
    reasons.push(...cache.drain().map((f) => f.endReason));
    for (const now of row.agerAt ?? []) {
      cache.age(now);
      reasons.push(...cache.drain().map((f) => f.endReason));
    }
    const counters = cache.counters();
    assert.deepEqual(reasons, row.expected.reasons);
    assert.equal(cache.activeFlows, row.expected.live);
    assert.equal(counters.packetsRefused, row.expected.refused ?? 0);
    assert.equal(counters.exportStalls, row.expected.stalls ?? 0);
    for (const reason of row.expected.reasons) assert.ok(counters.expired[reason] >= 1);
    const live = cache.flows().reduce((sum, f) => sum + f.packets, 0);
    assert.equal(counters.packetsIn, live + counters.packetsExpired + counters.packetsRefused);
  });
}

test("key fields: ICMP type/code in the destination port, ToS, interface and direction separate flows", () => {
  const cache = feed(new FlowCache({ seed: 1 }), [
    tcp(0, { protocol: 1, icmpType: 8, icmpCode: 0, srcPort: 1234, dstPort: 5678 }),
    tcp(1, { protocol: 1, icmpType: 12, icmpCode: 1 }),
    tcp(2, { protocol: 58, ipVersion: 6, src: "2001:db8::1", dst: "2001:db8::2", icmpType: 128, icmpCode: 0 }),
    tcp(3, { tos: 0xb8 }),
    tcp(4, { tos: 0 }),
    tcp(5, { interface: 3 }),
  ]);
  feed(cache, [tcp(6)], "egress");
  const flows = cache.flows();
  assert.deepEqual(flows.map((f) => [f.protocol, f.srcPort, f.dstPort]).slice(0, 3), [
    [1, 0, 0x0800],
    [1, 0, 0x0c01],
    [58, 0, 128 * 256],
  ]);
  assert.deepEqual(
    flows.slice(0, 3).map((f) => [f.icmpType, f.icmpCode]),
    [
      [8, 0],
      [12, 1],
      [128, 0],
    ],
  );
  assert.equal(flows.length, 7);
  assert.deepEqual(
    flows.slice(3).map((f) => [f.tos, f.inputInterface, f.direction]),
    [
      [0xb8, 0, "ingress"],
      [0, 0, "ingress"],
      [0, 3, "ingress"],
      [0, 0, "egress"],
    ],
  );
  assert.equal(flows[2]!.src, "2001:db8::1");
});

test("flow masks narrow the key as the MLS masks do", () => {
  const packets = [
    tcp(0, { src: "10.0.0.1", dst: "192.0.2.1", srcPort: 1, dstPort: 80 }),
    tcp(1, { src: "10.0.0.1", dst: "192.0.2.1", srcPort: 2, dstPort: 443, protocol: 17 }),
    tcp(2, { src: "10.0.0.2", dst: "192.0.2.1", srcPort: 3, dstPort: 80 }),
    tcp(3, { src: "10.0.0.2", dst: "192.0.2.9", srcPort: 3, dstPort: 80 }),
  ];
  const count = (mask: NonNullable<FlowCacheOptions["mask"]>) => feed(new FlowCache({ mask, seed: 2 }), packets).flows();
  assert.equal(count("full").length, 4);
  const ds = count("destination-source");
  assert.deepEqual(
    ds.map((f) => [f.src, f.dst, f.packets, f.protocol, f.srcPort, f.dstPort]),
    [
      ["10.0.0.1", "192.0.2.1", 2, 0, 0, 0],
      ["10.0.0.2", "192.0.2.1", 1, 0, 0, 0],
      ["10.0.0.2", "192.0.2.9", 1, 0, 0, 0],
    ],
  );
  const d = count("destination");
  assert.deepEqual(
    d.map((f) => [f.src, f.dst, f.packets]),
    [
      ["0.0.0.0", "192.0.2.1", 3],
      ["0.0.0.0", "192.0.2.9", 1],
    ],
  );
});

test("non-key fields: min/max length and TTL, first IP id, first fragment offset, MACs, VLANs, flags OR-ed", () => {
  const cache = feed(new FlowCache({ seed: 3 }), [
    tcp(0, { ipLength: 1500, ttl: 59, ipId: 77, tcpFlags: 0x02, srcMac: "aa:aa:bb:bb:cc:03", dstMac: "aa:aa:bb:bb:cc:06", vlanOuter: 5 }),
    tcp(1, {
      ipLength: 40,
      ttl: 64,
      ipId: 78,
      tcpFlags: 0x10,
      fragmentFlags: 0x20,
      fragmentOffset: 0,
      srcMac: "02:00:00:00:00:09",
      vlanOuter: 9,
    }),
    tcp(2, { ipLength: 554, ttl: 3, fragmentOffset: 185, tcpFlags: 0x08 }),
  ]);
  const [flow] = cache.flows();
  assert.deepEqual(
    { ...flow, entry: 0 },
    {
      entry: 0,
      ipVersion: 4,
      src: "10.0.0.1",
      dst: "192.0.2.1",
      protocol: 6,
      srcPort: 40000,
      dstPort: 80,
      tos: 0,
      direction: "ingress",
      inputInterface: 0,
      packets: 3,
      bytes: 2094,
      firstMs: T0,
      lastMs: T0 + 2,
      tcpFlags: 0x1a,
      minLength: 40,
      maxLength: 1500,
      minTtl: 3,
      maxTtl: 64,
      ipId: 77,
      fragmentOffset: 0,
      srcMac: "aa:aa:bb:bb:cc:03",
      dstMac: "aa:aa:bb:bb:cc:06",
      inputVlan: 5,
    },
  );
  const egress = feed(new FlowCache({ seed: 3 }), [tcp(0, { vlanOuter: 6 })], "egress").flows()[0]!;
  assert.equal(egress.outputVlan, 6);
  assert.equal(egress.inputVlan, undefined);
});

test("selection: packets whose byte is 0 are not offered; non-IP packets are refused and counted", () => {
  const cache = new FlowCache({ seed: 4 });
  const batch = cache.createBatch({ capacity: 8, frameBytes: 0 });
  fillBatch(batch, [tcp(0, { srcPort: 1 }), tcp(1, { srcPort: 2 }), tcp(2, { srcPort: 3, status: 3 }), tcp(3, { srcPort: 4, status: 40 })]);
  assert.equal(cache.update(batch, { selection: Uint8Array.of(1, 0, 1, 1) }), 1);
  const counters = cache.counters();
  assert.equal(counters.unselected, 1);
  assert.equal(counters.packetsIn, 3);
  assert.equal(counters.refused.notIp, 2);
  assert.deepEqual(
    cache.flows().map((f) => f.srcPort),
    [1],
  );
});

test("bad options and inputs are typed errors naming the value", () => {
  const bad: [FlowCacheOptions, string][] = [
    [{ capacity: 0 }, "flow-capacity"],
    [{ capacity: 2 ** 24 }, "flow-capacity"],
    [{ capacity: 1.5 }, "flow-capacity"],
    [{ activeTimeout: 0 }, "flow-active-timeout"],
    [{ inactiveTimeout: Number.NaN }, "flow-inactive-timeout"],
    [{ mask: "source" as never }, "flow-mask"],
    [{ exportQueueCapacity: 0 }, "flow-queue-capacity"],
    [{ agerBatch: 0 }, "flow-ager-batch"],
    [{ maxPacketsPerFlow: 0 }, "flow-max-packets"],
  ];
  for (const [options, code] of bad) {
    assert.throws(
      () => new FlowCache(options),
      (error: unknown) => error instanceof ConfigError && error.code === code,
      JSON.stringify(options),
    );
  }
  const cache = new FlowCache({ capacity: 8 });
  assert.throws(
    () => cache.update(new PacketBatch({ capacity: 1, frameBytes: 0 })),
    (e: unknown) => e instanceof ConfigError && e.code === "batch-core",
  );
  assert.throws(
    () => cache.age(Number.POSITIVE_INFINITY),
    (e: unknown) => e instanceof TimeError && e.code === "time",
  );
  assert.throws(
    () => cache.update(cache.createBatch({ capacity: 1, frameBytes: 0 }), { direction: "up" as never }),
    (e: unknown) => e instanceof ConfigError,
  );
});

test("memory: at most 128 bytes per flow for the table, allocated at creation", () => {
  for (const capacity of [1000, 100_000, 1_000_000]) {
    const cache = new FlowCache({ capacity, seed: 5 });
    assert.ok(cache.bytesPerFlow <= 128, `${capacity}: ${cache.bytesPerFlow} bytes per flow`);
    const memory = cache.wasm.memory.buffer.byteLength;
    feed(
      cache,
      Array.from({ length: 2000 }, (_, i) => tcp(i, { srcPort: i })),
    );
    assert.equal(cache.wasm.memory.buffer.byteLength, memory, "memory grew on the packet path");
  }
});

test("adversarial: keys that collide under a known key make long probes there, short ones in a keyed cache", () => {
  const capacity = 2048;
  const known = new FlowCache({ capacity, seed: 0 });
  const crafted = craftCollidingBatch(known, 200, 4);
  known.update(crafted);
  const attacked = known.counters();
  // The same keys in a cache with a secret key: copy the batch into its instance.
  const keyed = new FlowCache({ capacity });
  const copy = keyed.createBatch({ capacity: crafted.length, frameBytes: 0 });
  for (const name of Object.keys(copy.columns) as (keyof typeof copy.columns)[]) copy.columns[name].set(crafted.columns[name]);
  copy.length = crafted.length;
  keyed.update(copy);
  const defended = keyed.counters();
  assert.equal(attacked.flowsAdded, 200);
  assert.equal(defended.flowsAdded, 200);
  assert.ok(attacked.probes / attacked.lookups > 50, `known key: ${attacked.probes / attacked.lookups} probes per lookup`);
  assert.ok(defended.probes / defended.lookups < 3, `secret key: ${defended.probes / defended.lookups} probes per lookup`);
  assert.ok(defended.longestProbe < 20, `secret key: longest probe ${defended.longestProbe}`);
});

test("export records: the JSON bytes written from the record equal JSON.stringify of the decoded record, for every kind of flow", async () => {
  const { writeExportRecordJson, decodeExpiredFlow, EXPORT_RECORD_JSON_MAX_BYTES } = await import("../src/flow/record.js");
  const out = new Uint8Array(EXPORT_RECORD_JSON_MAX_BYTES);
  const cache = feed(new FlowCache({ seed: 9 }), [
    tcp(0, { ipLength: 1500, srcMac: "aa:aa:bb:bb:cc:03", dstMac: "aa:aa:bb:bb:cc:06", vlanOuter: 5 }),
    tcp(1, { protocol: 1, icmpType: 8, fragmentOffset: 185 }),
    tcp(2.125, { protocol: 58, ipVersion: 6, src: "2001:db8::1", dst: "ff02::1", tcpFlags: 0 }),
  ]);
  feed(cache, [tcp(3, { vlanOuter: 7, tcpFlags: 0x04 })], "egress");
  cache.flushStep(T0 + 10);
  let n = 0;
  cache.drainVisit((view, at) => {
    const end = writeExportRecordJson(view, at, out, 0);
    assert.equal(Buffer.from(out.subarray(0, end)).toString("latin1"), JSON.stringify(flowJson(decodeExpiredFlow(view, at))));
    n++;
  });
  assert.equal(n, 4);
});

test("export records: the JSON bytes equal JSON.stringify of the decoded record, for arbitrary record contents", async () => {
  const fc = await import("fast-check");
  const { writeExportRecordJson, decodeExpiredFlow, EXPORT_RECORD_BYTES, EXPORT_RECORD_JSON_MAX_BYTES } = await import(
    "../src/flow/record.js"
  );
  const time = fc.oneof(
    fc.double(),
    fc.integer({ min: 0, max: 2 ** 53 }).map((v) => v + 0),
    fc.constantFrom(1.7e12 + 0.125, -0, 1e21, 2 ** 53 + 2, 2 ** 43 - 0.001, 2 ** 43 + 0.125),
    fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((v) => v / 1000),
    fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((v) => v / 1000 + 1e-4),
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: EXPORT_RECORD_BYTES, maxLength: EXPORT_RECORD_BYTES }),
      fc.constantFrom(4, 6),
      fc.integer({ min: 0, max: 7 }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      time,
      time,
      fc.constantFrom(0, 0xffff),
      fc.constantFrom(0, 0xffff),
      (bytes, version, reason, byteCount, first, last, inVlanMask, outVlanMask) => {
        const view = new DataView(bytes.buffer);
        view.setUint8(38, version);
        view.setUint32(44, reason, true);
        view.setBigUint64(56, byteCount, true);
        view.setFloat64(64, first, true);
        view.setFloat64(72, last, true);
        view.setUint16(100, view.getUint16(100, true) | inVlanMask, true);
        view.setUint16(102, view.getUint16(102, true) | outVlanMask, true);
        const out = new Uint8Array(EXPORT_RECORD_JSON_MAX_BYTES + 8).fill(0xee);
        const end = writeExportRecordJson(view, 0, out, 3);
        assert.ok(end - 3 <= EXPORT_RECORD_JSON_MAX_BYTES);
        assert.equal(out[end], 0xee);
        assert.equal(Buffer.from(out.subarray(3, end)).toString("latin1"), JSON.stringify(flowJson(decodeExpiredFlow(view, 0))));
      },
    ),
    { numRuns: 2000 },
  );
});

test("JSON lines written in WebAssembly (and TypeScript for the numbers it declines) equal JSON.stringify of every record, across ring wrap and scratch sizes", async () => {
  const fc = await import("fast-check");
  const { decodeExpiredFlow, EXPORT_RECORD_BYTES } = await import("../src/flow/record.js");
  const { writeJsonLines } = await import("../src/flow/json-lines.js");
  const { withDebugBuild } = await import("./helpers/wasm.js");
  const time = fc.oneof(
    fc.double(),
    fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((v) => v / 1000),
    fc.integer({ min: 0, max: 2 ** 44 }).map((v) => v + 0.5),
    fc.constantFrom(1.7e12 + 0.125, -0, 0, 2 ** 43 - 0.001, 2 ** 43 + 0.125, 2 ** 53 - 1, 2 ** 53, 0.0005, 1e-7, Number.NaN),
  );
  const record = fc.record({
    bytes: fc.uint8Array({ minLength: EXPORT_RECORD_BYTES, maxLength: EXPORT_RECORD_BYTES }),
    version: fc.constantFrom(4, 4, 4, 6, 0),
    reason: fc.integer({ min: 0, max: 7 }),
    byteCount: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 53n + 5n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    first: time,
    last: time,
    vlans: fc.constantFrom(0, 0xffff),
    // Address words from a small alphabet, so that IPv6 text has zero runs, ties and mapped forms.
    words: fc.option(fc.array(fc.constantFrom(0, 0, 0xffff, 0xffff0000, 0x20010db8, 1, 0xc0a80001), { minLength: 8, maxLength: 8 })),
  });
  const check = () =>
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 776, max: 3000 }),
        (records, headSeed, countSeed, scratchBytes) => {
          const cache = new FlowCache({ capacity: 1, seed: 1 });
          const wasm = cache.wasm;
          const n = records.length;
          const ring = wasm.alloc(n * EXPORT_RECORD_BYTES);
          const scratch = wasm.alloc(scratchBytes);
          const view = new DataView(wasm.memory.buffer);
          records.forEach((r, i) => {
            const at = ring + i * EXPORT_RECORD_BYTES;
            new Uint8Array(wasm.memory.buffer, at, EXPORT_RECORD_BYTES).set(r.bytes);
            view.setUint8(at + 38, r.version);
            view.setUint32(at + 44, r.reason, true);
            view.setBigUint64(at + 56, r.byteCount, true);
            view.setFloat64(at + 64, r.first, true);
            view.setFloat64(at + 72, r.last, true);
            view.setUint16(at + 100, view.getUint16(at + 100, true) | r.vlans, true);
            r.words?.forEach((word, w) => view.setUint32(at + w * 4, word, true));
          });
          const head = headSeed % n;
          const count = 1 + (countSeed % n);
          const expected = Array.from(
            { length: count },
            (_, k) => `${JSON.stringify(flowJson(decodeExpiredFlow(view, ring + ((head + k) % n) * EXPORT_RECORD_BYTES)))}\n`,
          ).join("");
          const chunks: string[] = [];
          writeJsonLines(wasm, ring, n, head, count, scratch, scratchBytes, (bytes) => {
            const text = Buffer.from(bytes).toString("latin1");
            assert.ok(text.endsWith("\n"), "a chunk ends with a whole line");
            chunks.push(text);
          });
          assert.equal(chunks.join(""), expected);
          wasm.free(scratch);
          wasm.free(ring);
        },
      ),
      { numRuns: 300 },
    );
  check();
  await withDebugBuild(check);
});

test("drainJsonLines drains the same flows, as the lines of drain() would print", () => {
  const make = () =>
    feed(new FlowCache({ seed: 3, exportQueueCapacity: 8 }), [
      tcp(0, { ipLength: 1500, srcMac: "aa:aa:bb:bb:cc:03", dstMac: "aa:aa:bb:bb:cc:06", vlanOuter: 5 }),
      tcp(0.5, { srcPort: 1, tcpFlags: 0x01 }),
      tcp(1, { protocol: 1, icmpType: 8, fragmentOffset: 185 }),
      tcp(2.125, { protocol: 58, ipVersion: 6, src: "2001:db8::1", dst: "ff02::1", tcpFlags: 0 }),
    ]);
  const a = make(),
    b = make();
  a.flushStep(T0 + 10);
  b.flushStep(T0 + 10);
  let text = "";
  assert.equal(
    a.drainJsonLines((bytes) => {
      text += Buffer.from(bytes).toString("latin1");
    }, 3),
    3,
  );
  assert.equal(
    a.drainJsonLines((bytes) => {
      text += Buffer.from(bytes).toString("latin1");
    }),
    1,
  );
  assert.equal(a.counters().queuedFlows, 0);
  const flows = b.drain();
  assert.equal(flows.length, 4);
  assert.equal(text, flows.map((flow) => `${JSON.stringify(flowJson(flow))}\n`).join(""));
});

test("the three-word SipHash-1-3 of IPv4 keys equals the general SipHash-1-3 over the same 24 bytes", () => {
  const cache = new FlowCache({ capacity: 1 });
  for (const seed of [0, 1, 0xdeadbeef, 0xffffffff]) assert.equal(cache.wasm.flowHashSelfCheck(seed, seed ^ 0x5bd1e995, 20_000), 0);
});
