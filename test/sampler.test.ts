// Exact properties of the samplers: the generator's known answers, WebAssembly against the
// reference for any seed, interval and batch split (release and debug builds), the per-window
// and every-Nth invariants, state save/restore, and refusals of bad input.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { runs } from "./helpers/runs.js";
import { Sampler, ConfigError, SAMPLER_MODES, type SamplerMode } from "../src/index.js";
import { ReferenceSampler } from "../src/reference/sampler.js";
import { Xoshiro128, splitMix64 } from "../src/common/random.js";
import { portableLog } from "../src/common/portable-log.js";
import { instantiate } from "../src/wasm/instance.js";
import { withDebugBuild } from "./helpers/wasm.js";

const modeArb = fc.constantFrom<SamplerMode>(...SAMPLER_MODES);
/** Intervals biased to the edges and to small values, where off-by-one errors show. */
const intervalArb = fc.oneof(
  fc.constantFrom(1, 2, 3, 7, 64, 100, 65535),
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 1, max: 65535 }),
);
const seedArb = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

test("xoshiro128** known answers (state {1, 2, 3, 4}) in the WebAssembly core and the TS twin", () => {
  const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492];
  const ts = new Xoshiro128(0);
  ts.state.set([1, 2, 3, 4]);
  assert.deepEqual(
    expected.map(() => ts.next()),
    expected,
  );

  const w = instantiate();
  const handle = w.samplerCreate(0, 100, 0, 0, 0);
  const at = w.alloc(88);
  w.samplerSaveState(handle, at);
  new Float64Array(w.memory.buffer, at, 4).set([1, 2, 3, 4]);
  assert.equal(w.samplerRestoreState(handle, at), 0);
  assert.deepEqual(
    expected.map(() => w.samplerNextRandom(handle) >>> 0),
    expected,
  );
});

test("SplitMix64 known answers (seed 1234567) and WebAssembly seeding equal to the TS twin", () => {
  // Published test vector of SplitMix64 for seed 1234567.
  const expected = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
  let state = 1234567n;
  const outputs = expected.map(() => {
    const out = splitMix64(state);
    state = (state + 0x9e3779b97f4a7c15n) & ((1n << 64n) - 1n);
    return out;
  });
  assert.deepEqual(outputs, expected);

  fc.assert(
    fc.property(seedArb, fc.integer({ min: 0, max: 3 }), (seed, stream) => {
      const sampler = new Sampler({ mode: "deterministic", interval: 5, seed, stream });
      const twin = new Xoshiro128(seed);
      for (let i = 0; i < stream; i++) twin.jump();
      assert.deepEqual(sampler.saveState().stream, [...twin.state]);
    }),
    runs(30),
  );
});

test("the portable logarithm is accurate to a few ulp and exact at powers of two", () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
      const ours = portableLog(x);
      const reference = Math.log(x);
      assert.ok(Math.abs(ours - reference) <= 4 * Number.EPSILON * Math.max(1, Math.abs(reference)), `${x}: ${ours} vs ${reference}`);
    }),
  );
  for (let e = -40; e <= 40; e++) assert.ok(Math.abs(portableLog(2 ** e) - e * Math.LN2) <= 2 * Number.EPSILON * Math.max(1, Math.abs(e)));
  assert.equal(portableLog(1), 0);
  assert.ok(Number.isNaN(portableLog(0)) && Number.isNaN(portableLog(-1)) && Number.isNaN(portableLog(Infinity)));
  assert.ok(Math.abs(portableLog(5e-324) - Math.log(5e-324)) < 1e-12, "subnormal input");
});

/** Splits `total` packets into batches of the given sizes (cycled), the last one cut to fit. */
function batchSizes(total: number, sizes: number[]): number[] {
  const out: number[] = [];
  let left = total;
  for (let i = 0; left > 0; i++) {
    const n = Math.min(left, sizes[i % sizes.length]!);
    out.push(n);
    left -= n;
  }
  return out;
}

function differentialProperty(count: number) {
  fc.assert(
    fc.property(
      modeArb,
      intervalArb,
      seedArb,
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 30000 }),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 70000 })), { minLength: 1, maxLength: 6 }),
      (mode, interval, seed, stream, total, sizes) => {
        fc.pre(sizes.some((s) => s > 0));
        const reference = new ReferenceSampler({ mode, interval, seed, stream }).select(total);
        const sampler = new Sampler({ mode, interval, seed, stream });
        const got: number[] = [];
        let base = 0;
        for (const n of batchSizes(total, sizes)) {
          for (const i of sampler.select(n)) got.push(base + i);
          base += n;
        }
        assert.deepEqual(got, [...reference]);
        assert.equal(sampler.seen, total);
        assert.equal(sampler.selected, reference.length);
      },
    ),
    runs(count),
  );
}

test("WebAssembly selects exactly the reference's packets for any seed, mode, interval and batch split", () => {
  differentialProperty(120);
});

test("the debug build (assertions on) agrees with the reference too", async () => {
  await withDebugBuild(() => differentialProperty(25));
});

test("mask, index-list and population forms make the same decisions", () => {
  fc.assert(
    fc.property(modeArb, intervalArb, seedArb, fc.integer({ min: 0, max: 140000 }), (mode, interval, seed, total) => {
      const indices = new Sampler({ mode, interval, seed }).select(total);
      const mask = new Sampler({ mode, interval, seed }).selectMask(total);
      const fromMask: number[] = [];
      mask.forEach((m, i) => {
        if (m === 1) fromMask.push(i);
        else assert.equal(m, 0);
      });
      assert.deepEqual(fromMask, [...indices]);
      // A population given as positions (here: every third packet of a larger batch).
      const positions = Uint32Array.from({ length: total }, (_, i) => 3 * i + 1);
      const fromPositions = new Sampler({ mode, interval, seed }).selectFrom(positions);
      assert.deepEqual(
        [...fromPositions],
        [...indices].map((i) => 3 * i + 1),
      );
      const into = new Uint32Array(total);
      const k = new Sampler({ mode, interval, seed }).selectInto(total, into, 7);
      assert.deepEqual(
        [...into.subarray(0, k)],
        [...indices].map((i) => i + 7),
      );
    }),
    runs(40),
  );
});

test("random mode selects exactly one packet in every window of N", () => {
  fc.assert(
    fc.property(intervalArb, seedArb, fc.integer({ min: 1, max: 40 }), (interval, seed, windows) => {
      const total = Math.min(interval * windows, 3_000_000);
      const full = Math.floor(total / interval);
      const picked = new Sampler({ mode: "random", interval, seed }).select(full * interval);
      const perWindow = new Uint32Array(full);
      for (const i of picked) perWindow[Math.floor(i / interval)]!++;
      assert.ok(
        perWindow.every((c) => c === 1),
        `interval ${interval}: window counts ${[...perWindow.slice(0, 20)]}`,
      );
    }),
    runs(60),
  );
});

test("deterministic mode selects exactly the 1st, (N+1)th, (2N+1)th … packets", () => {
  fc.assert(
    fc.property(intervalArb, seedArb, fc.integer({ min: 0, max: 200000 }), (interval, seed, total) => {
      const picked = [...new Sampler({ mode: "deterministic", interval, seed }).select(total)];
      const expected: number[] = [];
      for (let i = 0; i < total; i += interval) expected.push(i);
      assert.deepEqual(picked, expected);
    }),
    runs(60),
  );
});

test("an interval of 1 selects every packet in every mode (no threshold overflow)", () => {
  for (const mode of SAMPLER_MODES) {
    const sampler = new Sampler({ mode, interval: 1, seed: 9 });
    const picked = sampler.select(100000);
    assert.equal(picked.length, 100000, mode);
    assert.ok(
      picked.every((v, i) => v === i),
      mode,
    );
    assert.equal(
      sampler.selectMask(70000).every((m) => m === 1),
      true,
      mode,
    );
  }
});

test("a saved state resumes exactly, in the same sampler or another one", () => {
  fc.assert(
    fc.property(
      modeArb,
      intervalArb,
      seedArb,
      fc.integer({ min: 0, max: 50000 }),
      fc.integer({ min: 0, max: 50000 }),
      (mode, interval, seed, first, second) => {
        const a = new Sampler({ mode, interval, seed });
        a.select(first);
        const saved = a.saveState();
        const expected = [...a.select(second)];
        const b = new Sampler({ mode: mode === "random" ? "sflow" : "random", interval: 3, seed: 1 });
        b.restoreState(saved);
        assert.deepEqual([...b.select(second)], expected);
        assert.equal(b.seen, first + second);
        a.restoreState(saved);
        assert.deepEqual([...a.select(second)], expected);
      },
    ),
    runs(40),
  );
});

test("reset(seed, stream) makes the decisions of a new sampler with that seed and stream", () => {
  fc.assert(
    fc.property(modeArb, intervalArb, seedArb, seedArb, fc.integer({ min: 0, max: 3 }), (mode, interval, seedA, seedB, stream) => {
      const a = new Sampler({ mode, interval, seed: seedA });
      a.select(12345);
      a.reset(seedB, stream);
      assert.equal(a.seen, 0);
      assert.deepEqual([...a.select(40000)], [...new Sampler({ mode, interval, seed: seedB, stream }).select(40000)]);
      assert.equal(a.seed, seedB);
    }),
    runs(30),
  );
});

test("reconfigure changes mode and interval and keeps counting", () => {
  const sampler = new Sampler({ mode: "random", interval: 10, seed: 5 });
  sampler.select(1000);
  sampler.reconfigure({ mode: "deterministic", interval: 4 });
  assert.deepEqual([...sampler.select(12)], [0, 4, 8]);
  assert.equal(sampler.seen, 1012);
  assert.equal(sampler.mode, "deterministic");
  assert.equal(sampler.interval, 4);
  sampler.clearCounters();
  assert.equal(sampler.seen, 0);
  assert.equal(sampler.selected, 0);
});

test("bad configurations and states are refused with a ConfigError naming the value", () => {
  for (const interval of [0, -1, 65536, 1.5, Number.NaN, "100", undefined as unknown as number]) {
    if (interval === undefined) continue;
    assert.throws(
      () => new Sampler({ interval: interval as number }),
      (e: unknown) => e instanceof ConfigError && e.code === "sampler-interval" && Object.is(e.value, interval),
      String(interval),
    );
  }
  assert.throws(
    () => new Sampler({ mode: "systematic" as SamplerMode }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-mode" && e.value === "systematic",
  );
  assert.throws(
    () => new Sampler({ stream: 70000 }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-stream",
  );
  assert.throws(
    () => new Sampler({ seed: 1.5 }),
    (e: unknown) => e instanceof ConfigError && e.code === "seed",
  );
  const sampler = new Sampler({ seed: 1 });
  assert.throws(() => sampler.reconfigure({ interval: 0 }), ConfigError);
  assert.throws(() => sampler.select(-1), ConfigError);
  assert.throws(() => sampler.select(2 ** 32), ConfigError);
  const good = sampler.saveState();
  for (const bad of [
    { ...good, stream: [0, 0, 0, 0] },
    { ...good, target: good.interval },
    { ...good, skip: 0 },
    { ...good, skip: Number.NaN },
    { ...good, seen: -1 },
    { ...good, selected: good.seen + 1 },
    { ...good, stream: [1, 2, 3, 2 ** 32] },
    { ...good, mode: "x" as SamplerMode },
  ]) {
    assert.throws(() => sampler.restoreState(bad as typeof good), ConfigError, JSON.stringify(bad));
  }
  // Nothing changed by the refusals.
  assert.deepEqual(sampler.saveState(), good);
});

test("the raw state calls never trap on arbitrary values", () => {
  const w = instantiate();
  const handle = w.samplerCreate(1, 50, 1, 2, 0);
  const at = w.alloc(88);
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.double(), fc.integer({ min: -5, max: 70000 }).map(Number)), { minLength: 11, maxLength: 11 }),
      (values) => {
        new Float64Array(w.memory.buffer, at, 11).set(values);
        const status = w.samplerRestoreState(handle, at);
        assert.ok(status === 0 || status < 0);
        const out = w.alloc(4 * 1000);
        w.samplerSelect(handle, 1000, out, 0);
        w.free(out);
      },
    ),
  );
  assert.equal(w.samplerCreate(4, 10, 0, 0, 0), 0, "mode out of range");
  assert.equal(w.samplerCreate(0, 0, 0, 0, 0), 0, "interval 0");
  assert.equal(w.samplerCreate(0, 65536, 0, 0, 0), 0, "interval 65536");
});

test("export information per mode follows RFC 5477 / RFC 7270 and carries the totals", () => {
  const cases: [SamplerMode, number, Record<number, number>][] = [
    ["deterministic", 100, { 304: 1, 305: 1, 306: 99, 49: 1, 50: 100 }],
    ["random", 100, { 304: 3, 309: 1, 310: 100, 49: 2, 50: 100 }],
    ["bernoulli", 64, { 304: 4, 311: 1 / 64, 49: 2, 50: 64 }],
    ["sflow", 8, { 304: 4, 311: 1 / 8, 49: 2, 50: 8 }],
  ];
  for (const [mode, interval, fields] of cases) {
    const sampler = new Sampler({ mode, interval, seed: 3 });
    sampler.select(10000);
    const info = sampler.exportInfo(3, "edge");
    const all = new Map([...info.netflowV9, ...info.ipfix].map((f) => [f.id, f.value]));
    for (const [id, value] of Object.entries(fields)) assert.equal(all.get(Number(id)), value, `${mode} IE ${id}`);
    assert.equal(all.get(48), 3);
    assert.equal(all.get(302), 3);
    assert.equal(all.get(335), "edge");
    assert.equal(all.get(318), 10000);
    assert.equal(all.get(319), sampler.selected);
    // Only one parameter set per algorithm (collectors mis-scale mixtures).
    const parameterIds = info.ipfix.map((f) => f.id).filter((id) => id >= 305 && id <= 311);
    assert.equal(parameterIds.length, mode === "deterministic" || mode === "random" ? 2 : 1);
  }
  assert.throws(() => new Sampler().exportInfo(0), ConfigError);
});
