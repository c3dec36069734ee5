// Model-based tests of the WebAssembly flow cache against the reference (fc.commands, manual
// clock): random traffic, timeouts, tiny capacities and export queues; after every command the
// two caches hold the same flows, have exported the same flows for the same reasons, agree on
// every counter and statistic, and packets in = packets in live flows + expired + refused.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { FlowCache, type FlowCacheOptions } from "../src/flow/cache.js";
import type { PacketBatch } from "../src/packet/batch.js";
import { ReferenceFlowCache, type FlowPacket } from "../src/reference/flow-cache.js";
import type { FlowCacheCounters } from "../src/flow/statistics.js";
import { FLOW_MASKS } from "../src/flow/record.js";
import { withDebugBuild } from "./helpers/wasm.js";
import { type GeneratedPacket, fillBatch, packetArbitrary } from "./helpers/flows.js";

interface Model {
  clock: number;
}
interface Real {
  cache: FlowCache;
  reference: ReferenceFlowCache;
  batch: PacketBatch;
}

/** Counters both must agree on (probe statistics exist only in the hash table). */
function comparable(counters: FlowCacheCounters): Omit<FlowCacheCounters, "probes" | "longestProbe"> {
  const { probes: _p, longestProbe: _l, ...rest } = counters;
  return rest;
}

function checkAgreement(real: Real): void {
  const counters = real.cache.counters();
  assert.deepEqual(comparable(counters), comparable(real.reference.counters()));
  const flows = real.cache.flows();
  assert.deepEqual(flows, real.reference.flows());
  assert.deepEqual(real.cache.statistics(), real.reference.statistics());
  // Conservation, from the live flows themselves rather than from any counter.
  const livePackets = flows.reduce((sum, flow) => sum + flow.packets, 0);
  const liveBytes = flows.reduce((sum, flow) => sum + flow.bytes, 0);
  assert.equal(counters.packetsIn, livePackets + counters.packetsExpired + counters.packetsRefused);
  assert.equal(counters.bytesIn, liveBytes + counters.bytesExpired + counters.bytesRefused);
  assert.equal(counters.activeFlows, flows.length);
  assert.ok(flows.length <= real.cache.options.capacity);
  assert.ok(counters.queuedFlows <= real.cache.options.exportQueueCapacity);
  assert.ok(counters.longestProbe <= 256);
}

class UpdateCommand implements fc.Command<Model, Real> {
  constructor(
    readonly packets: GeneratedPacket[],
    readonly direction: "ingress" | "egress",
    readonly selection: boolean[] | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const packets: FlowPacket[] = this.packets.map(({ offset, ...p }) => ({ ...p, time: model.clock + offset }));
    fillBatch(real.batch, packets);
    const selection = this.selection && Uint8Array.from(this.packets.map((_, i) => (this.selection![i % this.selection!.length] ? 1 : 0)));
    const options = { direction: this.direction, ...(selection ? { selection } : {}) };
    assert.equal(real.cache.update(real.batch, options), real.reference.update(packets, options));
    checkAgreement(real);
  }
  toString(): string {
    return `update(${this.packets.length} packets, ${this.direction}${this.selection ? ", selection" : ""})`;
  }
}

class AdvanceCommand implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model): void {
    model.clock += this.ms;
  }
  toString(): string {
    return `advance(${this.ms})`;
  }
}

class AgeCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    assert.equal(real.cache.age(model.clock), real.reference.age(model.clock));
    checkAgreement(real);
  }
  toString(): string {
    return "age";
  }
}

class DrainCommand implements fc.Command<Model, Real> {
  constructor(readonly max: number) {}
  check(): boolean {
    return true;
  }
  run(_model: Model, real: Real): void {
    assert.deepEqual(real.cache.drain(this.max), real.reference.drain(this.max));
    checkAgreement(real);
  }
  toString(): string {
    return `drain(${this.max})`;
  }
}

class FlushStepCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    assert.equal(real.cache.flushStep(model.clock), real.reference.flushStep(model.clock));
    checkAgreement(real);
  }
  toString(): string {
    return "flushStep";
  }
}

const optionsArbitrary: fc.Arbitrary<FlowCacheOptions> = fc
  .record({
    capacity: fc.integer({ min: 1, max: 8 }),
    exportQueueCapacity: fc.integer({ min: 1, max: 5 }),
    // Timeouts and clock steps on a 5 ms grid as often as not, so that deadlines tie.
    activeTimeout: fc.oneof(fc.constantFrom(5, 10, 20, 30, 60), fc.integer({ min: 1, max: 300 })),
    inactiveTimeout: fc.oneof(fc.constantFrom(5, 10, 15, 20), fc.integer({ min: 1, max: 120 }), fc.constant(0.5)),
    mask: fc.constantFrom(...FLOW_MASKS),
    maxPacketsPerFlow: fc.oneof(fc.constant(0xffffffff), fc.integer({ min: 1, max: 4 })),
    agerSpread: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  })
  .map(({ agerSpread, ...o }) => ({ ...o, agerBatch: 1 + Math.floor(agerSpread * (o.capacity - 1)) }));

const commands = fc.commands<Model, Real>(
  [
    fc
      .tuple(
        fc.array(packetArbitrary(), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<"ingress" | "egress">("ingress", "ingress", "egress"),
        fc.option(fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), { freq: 4 }),
      )
      .map(([packets, direction, selection]) => new UpdateCommand(packets, direction, selection ?? undefined)),
    fc
      .oneof(
        fc.integer({ min: 0, max: 40 }).map((n) => n * 5),
        fc.integer({ min: 0, max: 200 }),
      )
      .map((ms) => new AdvanceCommand(ms)),
    fc.constant(new AgeCommand()),
    fc.integer({ min: 1, max: 6 }).map((max) => new DrainCommand(max)),
    fc.constant(new FlushStepCommand()),
  ],
  { size: "max", maxCommands: 80 },
);

function runModel(options: FlowCacheOptions, cmds: Iterable<fc.Command<Model, Real>>): void {
  const cache = new FlowCache(options);
  const reference = new ReferenceFlowCache(options);
  const batch = cache.createBatch({ capacity: 16, frameBytes: 0 });
  fc.modelRun(() => ({ model: { clock: 1_700_000_000_000 }, real: { cache, reference, batch } }), cmds);
  // At the end everything flushes out identically.
  const end = 1_700_000_000_000 + 1e9;
  assert.deepEqual(cache.flush(end), reference.flush(end));
  checkAgreement({ cache, reference, batch });
  assert.equal(cache.counters().packetsIn, cache.counters().packetsExpired + cache.counters().packetsRefused);
}

/** Runs per property in `npm test`; `npm run test:fuzz` (FUZZ=nightly) keeps its time-boxed settings. */
function runs(fallback: number): { numRuns?: number } {
  return process.env.FUZZ === "nightly" ? {} : { numRuns: Number(process.env.FC_NUM_RUNS ?? fallback) };
}

test("flow cache = reference under random traffic, timeouts, tiny capacities and queues (release build)", () => {
  fc.assert(fc.property(optionsArbitrary, commands, runModel), { ...runs(1000), endOnFailure: process.env.FC_END_ON_FAILURE === "1" });
});

test("flow cache = reference on the debug build (assertions on)", async () => {
  await withDebugBuild(() => {
    fc.assert(fc.property(optionsArbitrary, commands, runModel), runs(200));
  });
});
