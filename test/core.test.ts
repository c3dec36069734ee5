// The shared Core: one WebAssembly instance read in place by every component made on it, memory
// partitioned up front, and no interference between two tables of a kind on one core (each is
// checked against its own reference while the two are driven interleaved).

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Core } from "../src/wasm/core.js";
import { bigIntFromWords } from "../src/net/address.js";
import { CapacityError, ConfigError } from "../src/errors.js";
import { PacketBatch } from "../src/packet/batch.js";
import { Fib } from "../src/fib/fib.js";
import { FlowCache } from "../src/flow/cache.js";
import { Sampler } from "../src/sampling/sampler.js";
import { PacketSelector } from "../src/sampling/packet-selector.js";
import { ArpTable } from "../src/arp/table.js";
import { ReferenceFib } from "../src/reference/fib.js";
import { ReferenceSampler } from "../src/reference/sampler.js";
import { ReferenceFlowCache, flowPacketsFromBatch } from "../src/reference/flow-cache.js";
import { ReferenceArpTable } from "../src/reference/arp.js";
import { validFrame } from "./helpers/frames.js";
import { fillBatch, packetArbitrary } from "./helpers/flows.js";
import { withDebugBuild } from "./helpers/wasm.js";

function sameMemory(core: Core, view: ArrayBufferView): boolean {
  return view.buffer === core.wasm.memory.buffer;
}

test("a batch made on a core is parsed, selected, accounted and looked up in place by the components of that core", () => {
  const core = new Core({ seed: 7 });
  const fib = new Fib({ core });
  const gw = fib.addAdjacency({ interface: 1, nextHop: "192.0.2.1" });
  fib.insert("0.0.0.0/1", gw);
  fib.insert("2000::/3", gw);
  const selector = new PacketSelector({ core, seed: 21 });
  selector.samplerMap("one-in-two", { interval: 2 });
  selector.setInterface(0, { sampler: "one-in-two" });
  const cache = new FlowCache({ core, capacity: 1024 });
  const batch = new PacketBatch({ core, capacity: 256, frameBytes: 256 * 256 });
  const frames = fc.sample(validFrame, { seed: 11, numRuns: 120 });
  for (const frame of frames) batch.push({ frame: frame.bytes, linkType: frame.linkType, wireLength: frame.wireLength, time: 1000 });
  batch.parse();

  // The columns and frames are views of the core's own memory: nothing was copied out.
  assert.ok(sameMemory(core, batch.columns.dst));
  assert.ok(sameMemory(core, batch.frames));

  // Selection in place equals selection over a copy of the columns.
  const copy = { ...batch.columns };
  const inPlace = selector.selectBatch(batch);
  const other = new PacketSelector({ core: new Core(), seed: 21 });
  other.samplerMap("one-in-two", { interval: 2 });
  other.setInterface(0, { sampler: "one-in-two" });
  const copied = other.select(copy, batch.length);
  assert.deepEqual([...inPlace.indices], [...copied.indices]);

  // Lookups in place equal lookups one by one.
  const adjacencies = fib.lookupPackets(batch);
  const versions = batch.column("ipVersion");
  const dst = batch.column("dst");
  for (let i = 0; i < batch.length; i++) {
    const expected =
      versions[i] === 4 ? fib.lookup(dst[i * 4]!) : versions[i] === 6 ? fib.lookup(bigIntFromWords(dst.subarray(i * 4, i * 4 + 4))) : 0;
    assert.equal(adjacencies[i], expected, `packet ${i}`);
  }

  // The flow cache accounts the very same batch.
  const added = cache.update(batch);
  const ipPackets = batch.column("ipVersion").filter((v) => v !== 0).length;
  assert.equal(added + cache.counters().packetsRefused, batch.length);
  assert.ok(added <= ipPackets, `${added} packets accounted, ${ipPackets} IP packets`);

  // A batch of another core is refused, not silently copied or misread.
  const foreign = new PacketBatch({ capacity: 1, frameBytes: 0 });
  assert.throws(
    () => cache.update(foreign),
    (e: unknown) => e instanceof ConfigError && e.code === "batch-core",
  );
  assert.throws(
    () => fib.lookupPackets(foreign),
    (e: unknown) => e instanceof ConfigError && e.code === "batch-core",
  );
});

test("core.memory() reports each component, reservations are checked up front and given back by dispose()", () => {
  const core = new Core({ maxBytes: 64 * 1024 * 1024 });
  const fib = new Fib({ core, maxBytes: 8 * 1024 * 1024 });
  const cache = new FlowCache({ core, capacity: 10_000 });
  const batch = new PacketBatch({ core, capacity: 64, frameBytes: 4096 });
  const memory = core.memory();
  assert.deepEqual(
    memory.components.map((c) => c.kind),
    ["fib", "flow-cache", "packet-batch"],
  );
  assert.equal(
    memory.reservedBytes,
    memory.components.reduce((sum, c) => sum + c.reservedBytes, 0),
  );
  assert.ok(memory.components[0]!.reservedBytes === 8 * 1024 * 1024);
  assert.ok(memory.components[1]!.reservedBytes >= 10_000 * 128);
  for (const c of memory.components) assert.ok(c.usedBytes <= c.reservedBytes, `${c.kind} uses more than it reserved`);
  assert.ok(memory.usedBytes <= memory.reservedBytes && memory.reservedBytes <= memory.maxBytes);

  // More than the core has left is refused before anything is allocated, naming the component.
  assert.throws(
    () => new FlowCache({ core, capacity: 1_000_000 }),
    (e: unknown) => e instanceof CapacityError && e.code === "core-budget" && /flow-cache/.test(e.message),
  );
  assert.equal(core.memory().components.length, 3);

  const before = core.availableBytes;
  cache.dispose();
  batch.dispose();
  assert.ok(core.availableBytes > before);
  assert.deepEqual(
    core.memory().components.map((c) => c.kind),
    ["fib"],
  );
  {
    using scoped = new Sampler({ core, seed: 1 });
    assert.equal(core.memory().components.length, 2);
    scoped.select(10);
  }
  assert.equal(core.memory().components.length, 1);
  fib.dispose();
  assert.equal(core.availableBytes, core.maxBytes);
});

test("freed flow-cache memory is reused on the core: making and disposing caches does not grow it", () => {
  const core = new Core();
  new FlowCache({ core, capacity: 50_000 }).dispose();
  const size = core.memory().memoryBytes;
  for (let i = 0; i < 20; i++) new FlowCache({ core, capacity: 50_000 }).dispose();
  assert.equal(core.memory().memoryBytes, size);
});

test("components on a seeded core draw reproducible seeds; an explicit seed wins", () => {
  const a = new Core({ seed: 99 });
  const b = new Core({ seed: 99 });
  assert.equal(new Sampler({ core: a }).seed, new Sampler({ core: b }).seed);
  assert.notEqual(new Sampler({ core: a }).seed, new Sampler({ core: a }).seed);
  assert.equal(new Sampler({ core: a, seed: 5 }).seed, 5n);
  assert.throws(() => new Core({ maxBytes: -1 }), ConfigError);
  assert.throws(
    () => new Core({ capcity: 1 } as never),
    (e: unknown) => e instanceof ConfigError && /capcity/.test(e.message),
  );
  assert.throws(
    () => new Fib({ core: {} as never }),
    (e: unknown) => e instanceof ConfigError && e.code === "core",
  );
});

// ---------------------------------------------------------------------------------------------
// Two tables of every kind on one core, interleaved, each against its own reference.

const prefixArb = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([word, len]) => {
  const w = len === 0 ? 0 : (word & (0xffffffff << (32 - len))) >>> 0;
  return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}/${len}`;
});

function twoFibs(build?: string): void {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.boolean(), prefixArb, fc.integer({ min: 1, max: 3 })), { maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 50 }),
      (ops, probes) => {
        const core = new Core(build === undefined ? {} : { build });
        const fibs = [new Fib({ core, seed: 1 }), new Fib({ core, seed: 1 })];
        const refs = [new ReferenceFib(), new ReferenceFib()];
        const adjacency = fibs.map((f) => [
          0,
          f.addAdjacency({ interface: 0 }),
          f.addAdjacency({ interface: 1 }),
          f.addAdjacency({ interface: 2 }),
        ]);
        for (const [which, remove, prefix, adj] of ops) {
          const k = which ? 1 : 0;
          if (remove) assert.equal(fibs[k]!.delete(prefix), refs[k]!.delete(prefix));
          else {
            fibs[k]!.insert(prefix, adjacency[k]![adj]!);
            refs[k]!.insert(prefix, adjacency[k]![adj]!);
          }
        }
        const addresses = Uint32Array.from(probes);
        for (let k = 0; k < 2; k++) assert.deepEqual([...fibs[k]!.lookupBatch(addresses)], [...refs[k]!.lookupBatch(addresses)]);
      },
    ),
    { numRuns: 60 },
  );
}

test("two FIBs on one core, updated interleaved, each answer as their own reference", () => twoFibs());
test("two FIBs on one core: the debug build agrees too", () => withDebugBuild(() => twoFibs("debug")));

test("two samplers on one core, drawn interleaved, each decide as their own reference", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("random", "deterministic", "bernoulli") as fc.Arbitrary<"random" | "deterministic" | "bernoulli">,
      fc.integer({ min: 1, max: 50 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 20 }),
      (mode, interval, draws) => {
        const core = new Core();
        const samplers = [new Sampler({ core, mode, interval, seed: 3 }), new Sampler({ core, mode, interval, seed: 4 })];
        const refs = [new ReferenceSampler({ mode, interval, seed: 3 }), new ReferenceSampler({ mode, interval, seed: 4 })];
        for (const [which, count] of draws) {
          const k = which ? 1 : 0;
          assert.deepEqual([...samplers[k]!.select(count)], [...refs[k]!.select(count)]);
        }
      },
    ),
    { numRuns: 80 },
  );
});

test("two flow caches on one core, fed interleaved from batches of that core, each keep the flows of their own reference", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.array(packetArbitrary(), { minLength: 1, maxLength: 20 })), { maxLength: 12 }),
      (runs) => {
        const core = new Core();
        const options = { capacity: 16, inactiveTimeout: 50, activeTimeout: 400, seed: 9 };
        const caches = [new FlowCache({ core, ...options }), new FlowCache({ core, ...options })];
        const refs = [new ReferenceFlowCache(options), new ReferenceFlowCache(options)];
        const batch = new PacketBatch({ core, capacity: 32, frameBytes: 0 });
        const clocks = [1000, 1000];
        for (const [which, generated] of runs) {
          const k = which ? 1 : 0;
          const packets = generated.map(({ offset, ...p }) => ({ ...p, time: (clocks[k] = Math.max(clocks[k]!, clocks[k]! + offset)) }));
          fillBatch(batch, packets);
          assert.equal(caches[k]!.update(batch), refs[k]!.update(flowPacketsFromBatch(batch)));
          caches[k]!.age(clocks[k]!);
          refs[k]!.age(clocks[k]!);
        }
        for (let k = 0; k < 2; k++) {
          const key = (f: {
            src: string;
            dst: string;
            srcPort: number;
            dstPort: number;
            protocol: number;
            packets: number;
            bytes: number;
          }) => `${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes}`;
          assert.deepEqual(caches[k]!.drain().map(key).sort(), refs[k]!.drain().map(key).sort());
          assert.deepEqual(caches[k]!.flows().map(key).sort(), refs[k]!.flows().map(key).sort());
        }
      },
    ),
    { numRuns: 60 },
  );
});

test("two ARP tables on one core, driven interleaved, each answer as their own reference", () => {
  const options = (mac: string) => ({
    seed: 5,
    interfaces: [{ mac, addresses: ["10.0.0.1/24"] }],
  });
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.boolean(),
          fc.constantFrom("resolve", "reply", "tick"),
          fc.integer({ min: 2, max: 12 }),
          fc.integer({ min: 0, max: 3000 }),
        ),
        { maxLength: 40 },
      ),
      (ops) => {
        const core = new Core();
        const macs = ["00:00:0c:00:00:01", "00:00:0c:00:00:02"];
        const tables = macs.map((mac) => new ArpTable({ ...options(mac), core }));
        const refs = macs.map((mac) => new ReferenceArpTable(options(mac)));
        const clocks = [0, 0];
        for (const [which, op, host, step] of ops) {
          const k = which ? 1 : 0;
          const now = (clocks[k] = clocks[k]! + step);
          const ip = `10.0.0.${host}`;
          if (op === "resolve") assert.deepEqual(tables[k]!.resolve(0, ip, now), refs[k]!.resolve(0, ip, now), `resolve ${ip} on ${k}`);
          else if (op === "reply") {
            const packet = {
              ifIndex: 0,
              op: "reply" as const,
              senderIp: ip,
              senderMac: `00:11:22:33:44:${host.toString(16).padStart(2, "0")}`,
              targetIp: "10.0.0.1",
              targetMac: macs[k]!,
            };
            assert.deepEqual(tables[k]!.receiveArp(packet, now), refs[k]!.receiveArp(packet, now));
          } else {
            tables[k]!.tick(now);
            refs[k]!.tick(now);
          }
          assert.deepEqual(tables[k]!.drainRequests(), refs[k]!.drainRequests());
          assert.deepEqual(tables[k]!.drainReleased(), refs[k]!.drainReleased());
        }
        for (let k = 0; k < 2; k++) assert.deepEqual(tables[k]!.counters(), refs[k]!.counters());
      },
    ),
    { numRuns: 60 },
  );
});
