// NetFlow v5 / v9 / IPFIX export: random export records → WebAssembly encoder → the TypeScript
// decoder (written from the RFCs, not from the encoder) → the same records; sequence numbers
// as each RFC defines them; template refresh (a collector started late decodes everything once
// the first refresh has passed); pacing and back-pressure with a manual clock; the 32-bit
// sysUpTime wrap; malformed datagrams counted.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { FlowExporter, MemorySink, type ExportFormat } from "../src/export/exporter.js";
import { ExportDecoder, type DecodedFlow } from "../src/export/decoder.js";
import { decodeExpiredFlow } from "../src/flow/record.js";
import { FlowCache } from "../src/flow/cache.js";
import { Core } from "../src/wasm/core.js";
import { ConfigError } from "../src/errors.js";
import { samplingExportInfo } from "../src/sampling/export-info.js";
import { formatAddress, parseAddress } from "../src/net/address.js";
import { recordArbitrary, recordBytes, type RecordSpec } from "./helpers/export-records.js";
import { withDebugBuild } from "./helpers/wasm.js";

const NOW = 1_764_000_000_000.5;
/** IPFIX flowEndReason per end reason (RFC 7012 IE 136): idle, active, end detected, lack of resources, forced, lack of resources. */
const END_REASON = [1, 2, 3, 5, 4, 5];

/** What a collector should decode for `spec`, from the record as the flow cache's own decoder reads it. */
function expected(spec: RecordSpec, format: ExportFormat, samplerId: number): Partial<DecodedFlow> {
  const bytes = recordBytes([spec]);
  const r = decodeExpiredFlow(new DataView(bytes.buffer), 0);
  const canonical = (a: string) => formatAddress(parseAddress(a));
  const base: Partial<DecodedFlow> = {
    ipVersion: r.ipVersion,
    src: canonical(r.src),
    dst: canonical(r.dst),
    protocol: r.protocol,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    tos: r.tos,
    packets: r.packets,
    firstMs: Math.floor(r.firstMs),
    lastMs: Math.floor(r.lastMs),
  };
  if (format === "v5") {
    return {
      ...base,
      inputInterface: Math.min(r.inputInterface, 0xffff),
      bytes: Math.min(r.bytes, 0xffffffff),
      tcpFlags: r.tcpFlags & 0xff,
    };
  }
  const flow: Partial<DecodedFlow> = {
    ...base,
    inputInterface: r.inputInterface,
    bytes: r.bytes,
    tcpFlags: format === "ipfix" ? r.tcpFlags : r.tcpFlags & 0xff,
    direction: r.direction === "egress" ? 1 : 0,
    endReason: END_REASON[spec.endReason]!,
    minTtl: r.minTtl,
    maxTtl: r.maxTtl,
    minLength: r.minLength,
    maxLength: r.maxLength,
    ipId: r.ipId,
    fragmentOffset: r.fragmentOffset ?? 0,
    icmpType: r.icmpType ?? 0,
    icmpCode: r.icmpCode ?? 0,
    srcMac: r.srcMac ?? "00:00:00:00:00:00",
    dstMac: r.dstMac ?? "00:00:00:00:00:00",
    inputVlan: r.inputVlan ?? 0,
    outputVlan: r.outputVlan ?? 0,
  };
  if (samplerId !== 0) flow.samplerId = samplerId;
  return flow;
}

/** Fields a compact template leaves out: a collector reads them as zero. */
const COMPACT_ABSENT = ["icmpType", "icmpCode", "inputVlan", "outputVlan", "fragmentOffset"] as const;

/**
 * Whether `spec` goes out in a compact template (templates.ts): not ICMP, no VLAN, no fragment,
 * octets below 2^32, input interface below 2^16, an IPv4 flow's IP id of 16 bits.
 */
function fitsCompact(spec: RecordSpec): boolean {
  const untagged = (vlan: number | undefined) => vlan === undefined || vlan === 0 || vlan === 0xffff;
  return (
    spec.icmpType === undefined &&
    spec.fragmentOffset === undefined &&
    untagged(spec.inputVlan) &&
    untagged(spec.outputVlan) &&
    spec.bytes <= 0xffffffff &&
    spec.inputInterface <= 0xffff &&
    (spec.ipVersion === 6 || spec.ipId <= 0xffff)
  );
}

function pick(flow: DecodedFlow, like: Partial<DecodedFlow>): Partial<DecodedFlow> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(like)) out[key] = (flow as unknown as Record<string, unknown>)[key];
  for (const key of COMPACT_ABSENT) if (key in like && out[key] === undefined) out[key] = 0;
  return out as Partial<DecodedFlow>;
}

const formats = fc.constantFrom<ExportFormat>("ipfix", "v9", "v5");

function roundTrip(parameters: fc.Parameters<unknown[]> = {}): void {
  fc.assert(
    fc.property(
      formats,
      fc.array(recordArbitrary(NOW), { maxLength: 120 }),
      fc.integer({ min: 900, max: 9000 }),
      fc.constantFrom(0, 3),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: -2 * 86_400_000, max: 60 * 86_400_000 }),
      (format, specs, mtu, flowSamplerId, refresh, uptimeOffset) => {
        const sink = new MemorySink();
        const samplers = [
          samplingExportInfo({ samplerId: 3, samplerName: "m", mode: "random", interval: 100, packetsObserved: 5, packetsSelected: 1 }),
        ];
        // A sysUpTime origin anywhere from before the oldest flow to far after: uptimes that wrap.
        const systemInitTime = Math.floor(NOW) - 40 * 86_400_000 - uptimeOffset;
        using exporter = new FlowExporter({
          format,
          sinks: [sink],
          pacing: false,
          mtu,
          samplers,
          flowSamplerId,
          systemInitTime,
          templateRefresh: { datagrams: refresh },
        });
        const sent = exporter.exportRecords(recordBytes(specs), NOW);
        assert.equal(sent, specs.length);
        const decoder = new ExportDecoder();
        const flows: DecodedFlow[] = [];
        for (const datagram of sink.datagrams) {
          assert.ok(datagram.length <= (format === "v5" ? mtu - 28 : mtu - 48), `datagram of ${datagram.length} bytes over mtu ${mtu}`);
          const message = decoder.decode(datagram);
          assert.ok(message !== undefined, "the decoder parses every datagram");
          flows.push(...message.flows);
        }
        const kept = format === "v5" ? specs.filter((s) => s.ipVersion === 4) : specs;
        assert.equal(flows.length, kept.length);
        kept.forEach((spec, i) => {
          const want = expected(spec, format, format === "v5" ? 0 : flowSamplerId);
          assert.deepEqual(pick(flows[i]!, want), want);
          // The compact template for exactly the flows that fit it, when the MTU leaves it room.
          if (format !== "v5") {
            const compact = exporter.compactTemplates && fitsCompact(spec);
            assert.equal(flows[i]!.icmpType === undefined, compact, `compact template for ${JSON.stringify(spec)}`);
          }
        });
        const c = decoder.counters();
        assert.equal(c.sequenceErrors, 0);
        assert.equal(c.malformed, 0);
        assert.equal(c.setsWithoutTemplate, 0);
        const counters = exporter.counters();
        assert.equal(counters.records, kept.length);
        assert.equal(counters.skippedIPv6, specs.length - kept.length);
        assert.equal(counters.datagrams, sink.datagrams.length);
        assert.equal(
          counters.bytes,
          sink.datagrams.reduce((n, d) => n + d.length, 0),
        );
        if (format !== "v5" && sink.datagrams.length > 0)
          assert.ok(counters.templateDatagrams >= Math.floor((sink.datagrams.length - 1) / refresh));
      },
    ),
    parameters,
  );
}

test("round trip: random export records encode and decode to the same flows (v5, v9, IPFIX; any MTU; uptime wrap)", () => roundTrip());

test("round trip on the debug build (assertions on)", async () => {
  // Fewer runs than the release build's (the debug build is slower), except when fuzzing.
  await withDebugBuild(() => roundTrip(process.env.FUZZ === "nightly" ? {} : { numRuns: 25 }));
});

function specs(n: number, v6Every = 0): RecordSpec[] {
  return fc
    .sample(recordArbitrary(NOW), { numRuns: n, seed: 7 })
    .map((s, i) =>
      v6Every > 0 && i % v6Every === 0 ? s : { ...s, ipVersion: 4, src: `10.0.${(i >> 8) & 255}.${i & 255}`, dst: "192.0.2.1" },
    );
}

test("sequence numbers: IPFIX counts data records before the message, v9 export packets, v5 flows", () => {
  const samplers = [
    samplingExportInfo({ samplerId: 1, samplerName: "a", mode: "deterministic", interval: 10, packetsObserved: 0, packetsSelected: 0 }),
  ];
  for (const format of ["ipfix", "v9", "v5"] as const) {
    for (const optionsRecordsInSequence of [true, false]) {
      const sink = new MemorySink();
      using exporter = new FlowExporter({
        format,
        sinks: [sink],
        pacing: false,
        samplers,
        optionsRecordsInSequence,
        templateRefresh: { datagrams: 3 },
      });
      exporter.exportRecords(recordBytes(specs(500)), NOW);
      const decoder = new ExportDecoder({ optionsRecordsInSequence });
      let before = 0;
      sink.datagrams.forEach((d, k) => {
        const m = decoder.decode(d)!;
        if (format === "v9") assert.equal(m.sequence, k);
        else assert.equal(m.sequence, before);
        before += m.flows.length + (format === "ipfix" && optionsRecordsInSequence ? m.optionsRecords.length : 0);
        if (format !== "v5" && k % 3 === 0) {
          // Four data templates (IPv4/IPv6, sampled or not), their compact twins, the options templates.
          assert.equal(m.templates.length, (exporter.compactTemplates ? 8 : 4) + 2, `datagram ${k} opens with the templates`);
          assert.equal(m.optionsRecords.length, 2, "and the sampler's two options records");
        }
      });
      assert.equal(decoder.counters().sequenceErrors, 0);
      if (format === "v5") break;
    }
  }
});

test("a collector started after the exporter decodes every flow once the first template refresh has passed", () => {
  for (const format of ["ipfix", "v9"] as const) {
    const sink = new MemorySink();
    using exporter = new FlowExporter({ format, sinks: [sink], pacing: false, templateRefresh: { datagrams: 4, intervalMs: 1e9 } });
    for (let k = 0; k < 10; k++) exporter.exportRecords(recordBytes(specs(40, 3)), NOW + k);
    const late = new ExportDecoder();
    const start = 5; // joins mid-stream, between refreshes
    let refreshed = false;
    let decoded = 0;
    let expectedAfter = 0;
    for (const d of sink.datagrams.slice(start)) {
      const m = late.decode(d)!;
      if (m.templates.length > 0) refreshed = true;
      if (refreshed) {
        assert.equal(m.setsWithoutTemplate, 0);
        decoded += m.flows.length;
        expectedAfter += new ExportDecoder().decode(d) === undefined ? 0 : 1;
      } else {
        assert.equal(m.flows.length, 0);
        assert.ok(m.setsWithoutTemplate > 0);
      }
    }
    assert.ok(refreshed);
    // Every datagram from the first refresh on decodes fully: count its records from the header side.
    const full = new ExportDecoder();
    let all = 0;
    let seen = false;
    sink.datagrams.forEach((d, k) => {
      const m = full.decode(d)!;
      if (k >= start && m.templates.length > 0) seen = true;
      if (seen) all += m.flows.length;
    });
    assert.equal(decoded, all);
    assert.ok(decoded > 0 && expectedAfter > 0);
  }
});

test("time-based template refresh: templates again once intervalMs of export time has passed", () => {
  const sink = new MemorySink();
  using exporter = new FlowExporter({
    format: "ipfix",
    sinks: [sink],
    pacing: false,
    templateRefresh: { datagrams: 1_000_000, intervalMs: 10_000 },
  });
  for (let k = 0; k < 30; k++) exporter.exportRecords(recordBytes(specs(3)), NOW + k * 1000);
  const decoder = new ExportDecoder();
  const withTemplates = sink.datagrams.map((d) => decoder.decode(d)!.templates.length > 0);
  assert.deepEqual(
    withTemplates.flatMap((t, k) => (t ? [k] : [])),
    [0, 10, 20],
  );
});

test("pacing holds records in the flow cache's queue (stalls counted, none lost) and sends them as the clock allows", () => {
  const core = new Core();
  using cache = new FlowCache({ core, capacity: 4096, exportQueueCapacity: 2048, seed: 1 });
  const sink = new MemorySink();
  let clock = 0;
  using exporter = new FlowExporter({
    core,
    format: "v9",
    sinks: [sink],
    pacing: { recordsPerSecond: 1000, burstMs: 50 },
    clock: () => clock,
  });
  const batch = cache.createBatch({ capacity: 1024 });
  // 1000 distinct UDP flows, then a flush: 1000 records in the queue.
  for (let i = 0; i < 1000; i++) {
    if (batch.length === batch.capacity) {
      cache.update(batch);
      batch.clear();
    }
    batch.push({
      time: NOW + i,
      src: 0x0a000000 + i,
      dst: "192.0.2.1",
      protocol: "udp",
      srcPort: 1000 + i,
      dstPort: 53,
      ipLength: 28,
      ttl: 64,
    });
  }
  cache.update(batch);
  cache.flushStep(NOW + 5000);
  assert.equal(cache.queuedFlows, 1000);
  const first = exporter.exportFrom(cache, NOW + 5000);
  // The burst (50 ms at 1000 records/s = 50 tokens) pays for whole datagrams only: the tokens
  // buy datagrams at the largest record's size, and these smaller IPv4 records fill each one
  // further, so the first call sends at least one datagram and at most one more than 50 records.
  assert.ok(first > 0 && first < 100, `first burst ${first}`);
  assert.equal(cache.queuedFlows, 1000 - first);
  assert.equal(exporter.counters().stalls, 1);
  assert.ok(exporter.waitMs(cache.queuedFlows) > 0);
  let total = first;
  let steps = 0;
  for (; steps < 100 && cache.queuedFlows > 0; steps++) {
    clock += 20;
    total += exporter.exportFrom(cache, NOW + 5000);
  }
  assert.equal(total, 1000);
  assert.equal(cache.queuedFlows, 0);
  // The rate holds on average: 950 records after the burst at 1 record/ms take ~950 ms.
  assert.ok(steps * 20 >= 950 - 50 && steps * 20 <= 950 + 100, `${steps} steps of 20 ms`);
  const decoder = new ExportDecoder();
  const messages = sink.datagrams.map((d) => decoder.decode(d)!);
  const flows = messages.flatMap((m) => m.flows);
  // Pacing does not chop the export: every datagram but the last is as full as the others of
  // its kind (with templates, or without).
  const data = messages.filter((m) => m.flows.length > 0);
  for (const withTemplates of [true, false]) {
    const counts = data
      .slice(0, -1)
      .filter((m) => m.templates.length > 0 === withTemplates)
      .map((m) => m.flows.length);
    assert.ok(counts.length > 0);
    assert.ok(Math.max(...counts) >= 10, `${Math.max(...counts)} IPv4 records in a full v9 datagram`);
    assert.deepEqual(new Set(counts).size, 1, `datagram fill ${counts.join(" ")}`);
  }
  assert.equal(flows.length, 1000);
  assert.deepEqual(new Set(flows.map((f) => f.srcPort)).size, 1000);
  assert.equal(decoder.counters().sequenceErrors, 0);
});

test("a sink without room holds the records back; a failing sink counts send errors", () => {
  let room = 0;
  const kept = new MemorySink();
  const sink = {
    send: (d: Uint8Array, now: number) => {
      room--;
      return kept.send(d, now);
    },
    room: () => room,
  };
  using exporter = new FlowExporter({ format: "ipfix", sinks: [sink], pacing: false });
  const bytes = recordBytes(specs(100));
  assert.equal(exporter.exportRecords(bytes, NOW), 0);
  assert.equal(exporter.counters().stalls, 1);
  room = 2;
  const sent = exporter.exportRecords(bytes, NOW);
  assert.ok(sent > 0 && sent < 100);
  assert.equal(kept.datagrams.length, 2);
  using failing = new FlowExporter({ format: "v9", sinks: [{ send: () => false }], pacing: false });
  failing.exportRecords(bytes, NOW);
  assert.equal(failing.counters().sendErrors, failing.counters().datagrams);
});

test("force: everything is sent at once, past the pace and the sinks' room", () => {
  const room = 0;
  const kept = new MemorySink();
  const sink = { send: (d: Uint8Array, now: number) => kept.send(d, now), room: () => room };
  const core = new Core();
  using cache = new FlowCache({ core, capacity: 512, exportQueueCapacity: 512, seed: 4 });
  const batch = cache.createBatch({ capacity: 300 });
  for (let i = 0; i < 300; i++)
    batch.push({ time: NOW, src: 0x0a000000 + i, dst: "10.0.0.1", protocol: "udp", srcPort: i, dstPort: 9, ipLength: 28 });
  cache.update(batch);
  cache.flushStep(NOW);
  using exporter = new FlowExporter({ core, format: "v9", sinks: [sink], pacing: { recordsPerSecond: 1 }, clock: () => 0 });
  assert.equal(exporter.exportFrom(cache, NOW), 0);
  assert.equal(exporter.exportFrom(cache, NOW, { force: true }), 300);
  assert.equal(cache.queuedFlows, 0);
  const decoder = new ExportDecoder();
  assert.equal(kept.datagrams.flatMap((d) => decoder.decode(d)!.flows).length, 300);
  assert.equal(room, 0);
});

test("keep: the records stay queued for another consumer (the CLI's --json with --export)", () => {
  const core = new Core();
  using cache = new FlowCache({ core, capacity: 64, exportQueueCapacity: 64, seed: 2 });
  const batch = cache.createBatch({ capacity: 8 });
  batch.push({ time: NOW, src: "10.0.0.1", dst: "10.0.0.2", protocol: "udp", srcPort: 1, dstPort: 2, ipLength: 28 });
  cache.update(batch);
  cache.flushStep(NOW);
  using exporter = new FlowExporter({ core, format: "ipfix", pacing: false });
  assert.equal(exporter.exportFrom(cache, NOW, { keep: true }), 1);
  assert.equal(cache.queuedFlows, 1);
  assert.equal(cache.drain().length, 1);
});

test("v5: IPv6 flows are skipped and counted; 30 records a datagram; header sampling field from the first sampler", () => {
  const sink = new MemorySink();
  const samplers = [
    samplingExportInfo({ samplerId: 1, samplerName: "a", mode: "random", interval: 100, packetsObserved: 0, packetsSelected: 0 }),
  ];
  using exporter = new FlowExporter({ format: "v5", sinks: [sink], pacing: false, samplers, engineType: 1, engineId: 2 });
  const list = specs(100, 4);
  exporter.exportRecords(recordBytes(list), NOW);
  const v6 = list.filter((s) => s.ipVersion === 6).length;
  assert.equal(exporter.counters().skippedIPv6, v6);
  const decoder = new ExportDecoder();
  const messages = sink.datagrams.map((d) => decoder.decode(d)!);
  const v4 = list.length - v6;
  assert.deepEqual(
    messages.map((m) => m.flows.length),
    Array.from({ length: Math.ceil(v4 / 30) }, (_, k) => Math.min(30, v4 - k * 30)),
  );
  for (const m of messages) {
    assert.equal(m.v5Sampling, (2 << 14) | 100);
    assert.equal(m.domain, 0x0102);
  }
});

test("compact templates: on by default where the MTU leaves them room, off on request; the same flows either way", () => {
  const flowsOf = (options: { compactTemplates?: boolean; mtu?: number }, format: ExportFormat) => {
    const sink = new MemorySink();
    using exporter = new FlowExporter({ format, sinks: [sink], pacing: false, ...options });
    // Four in five untagged, unfragmented, not ICMP (what a capture mostly holds); the rest as generated.
    const mixed = specs(300).map((spec, i) => {
      if (i % 5 === 0) return spec;
      const plain: RecordSpec = {
        ...spec,
        inputVlan: 0xffff,
        outputVlan: 0xffff,
        bytes: spec.bytes % 1e9,
        ipId: spec.ipId & 0xffff,
        inputInterface: spec.inputInterface % 256,
      };
      delete plain.fragmentOffset;
      delete plain.icmpType;
      delete plain.icmpCode;
      return plain;
    });
    exporter.exportRecords(recordBytes(mixed), NOW);
    const decoder = new ExportDecoder();
    const flows = sink.datagrams.flatMap((d) => decoder.decode(d)!.flows);
    const templates = decoder.templates("", format === "ipfix" ? 10 : 9, 0).map((t) => t.id);
    return { compact: exporter.compactTemplates, datagrams: sink.datagrams.length, flows, templates };
  };
  for (const format of ["ipfix", "v9"] as const) {
    const on = flowsOf({}, format);
    const off = flowsOf({ compactTemplates: false }, format);
    const narrow = flowsOf({ mtu: 900 }, format);
    assert.equal(on.compact, true);
    assert.equal(off.compact, false);
    assert.equal(narrow.compact, false, "900 bytes leave no room for the compact twins");
    assert.deepEqual(on.templates.filter((id) => id < 260 || id >= 280).sort(), [256, 257, 258, 259, 280, 281, 282, 283]);
    assert.deepEqual(off.templates.filter((id) => id < 260 || id >= 280).sort(), [256, 257, 258, 259]);
    assert.ok(on.flows.some((f) => f.icmpType === undefined) && off.flows.every((f) => f.icmpType !== undefined));
    assert.ok(on.datagrams < off.datagrams, `${format}: ${on.datagrams} datagrams with compact templates, ${off.datagrams} without`);
    // Absent fields read as zero: the flows are the same.
    const zeroed = (f: DecodedFlow) => ({
      ...f,
      icmpType: f.icmpType ?? 0,
      icmpCode: f.icmpCode ?? 0,
      inputVlan: f.inputVlan ?? 0,
      outputVlan: f.outputVlan ?? 0,
      fragmentOffset: f.fragmentOffset ?? 0,
    });
    assert.deepEqual(on.flows.map(zeroed), off.flows.map(zeroed));
  }
  assert.throws(() => new FlowExporter({ compactTemplates: "yes" as never }), /compactTemplates/);
});

test("configuration errors are ConfigErrors naming the value", () => {
  assert.throws(() => new FlowExporter({ format: "v10" as ExportFormat }), ConfigError);
  assert.throws(() => new FlowExporter({ mtu: 100 }), /mtu/);
  assert.throws(() => new FlowExporter({ mtou: 1500 } as never), /unknown FlowExporter option "mtou"/);
  assert.throws(() => new FlowExporter({ pacing: { recordsPerSecond: 10, datagramsPerSecond: 10 } }), /exactly one/);
  assert.throws(() => new FlowExporter({ flowSamplerId: 256 }), /flowSamplerId 256/);
  assert.throws(() => new FlowExporter({ interfaceSamplerIds: { 70000: 1 } }), /interface/);
  using exporter = new FlowExporter({ pacing: false });
  assert.throws(() => exporter.exportRecords(new Uint8Array(100), NOW), /128-byte/);
  assert.throws(() => exporter.exportRecords(new Uint8Array(0), Number.NaN), /export time/);
  const other = new FlowCache({ capacity: 16 });
  assert.throws(
    () => exporter.exportFrom(other, NOW),
    (e: unknown) => e instanceof ConfigError && e.code === "cache-core",
  );
  other.dispose();
});

test("per-interface sampler ids: flows of a sampled interface carry IE 48, the others not", () => {
  const sink = new MemorySink();
  using exporter = new FlowExporter({ format: "v9", sinks: [sink], pacing: false, interfaceSamplerIds: new Map([[5, 2]]) });
  const list = specs(20).map((s, i) => ({ ...s, inputInterface: i % 2 === 0 ? 5 : 6 }));
  exporter.exportRecords(recordBytes(list), NOW);
  const decoder = new ExportDecoder();
  const flows = sink.datagrams.flatMap((d) => decoder.decode(d)!.flows);
  assert.deepEqual(
    flows.map((f) => f.samplerId),
    list.map((s) => (s.inputInterface === 5 ? 2 : undefined)),
  );
  assert.equal(exporter.counters().sampledRecords, 10);
});

test("malformed datagrams are counted, never thrown", () => {
  const sink = new MemorySink();
  using exporter = new FlowExporter({ format: "ipfix", sinks: [sink], pacing: false });
  exporter.exportRecords(recordBytes(specs(10)), NOW);
  const good = sink.datagrams[0]!;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 1600 }), fc.nat(), fc.nat(255), (noise, at, value) => {
      const decoder = new ExportDecoder();
      decoder.decode(noise);
      const damaged = good.slice();
      damaged[at % damaged.length] = value;
      decoder.decode(damaged);
      decoder.decode(good.subarray(0, at % good.length));
      const c = decoder.counters();
      assert.equal(c.datagrams, 3);
    }),
  );
});

test("observation domains: two exporters (domains 1 and 2) into one collector keep their templates and sequences apart", () => {
  const sinks = [new MemorySink(), new MemorySink()];
  const exporters = [1, 2].map(
    (domain, k) =>
      new FlowExporter({
        format: "ipfix",
        sinks: [sinks[k]!],
        pacing: false,
        observationDomainId: domain,
        templateRefresh: { datagrams: 3 },
      }),
  );
  exporters[0]!.exportRecords(recordBytes(specs(200)), NOW);
  exporters[1]!.exportRecords(recordBytes(specs(120, 2)), NOW);
  const decoder = new ExportDecoder();
  const interleaved = sinks[0]!.datagrams.flatMap((d, k) => [
    d,
    ...(sinks[1]!.datagrams[k] === undefined ? [] : [sinks[1]!.datagrams[k]!]),
  ]);
  interleaved.push(...sinks[1]!.datagrams.slice(sinks[0]!.datagrams.length));
  const flows = interleaved.flatMap((d) => decoder.decode(d, "192.0.2.9")!.flows);
  assert.equal(flows.length, 320);
  assert.equal(decoder.counters().sequenceErrors, 0);
  // Each domain: its four data templates and their compact twins.
  assert.equal(decoder.templates("192.0.2.9", 10, 1).length, 8);
  assert.equal(decoder.templates("192.0.2.9", 10, 2).length, 8);
  for (const e of exporters) e.dispose();
});
