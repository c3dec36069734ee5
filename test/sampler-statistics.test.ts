// Statistical tests of the samplers (research: sampling.md §4), with fixed seeds and α = 1e-6
// per assertion. Each test also runs a negative control — a sampler known to be wrong in the
// way the test looks for — and asserts that the test rejects it, which shows the test has power.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Sampler, estimatePackets, estimateTotal, estimateShare, type SamplerMode, type Estimate } from "../src/index.js";
import { Xoshiro128 } from "../src/common/random.js";
import {
  Z_TWO_SIDED,
  Z_ONE_SIDED,
  KS_CRITICAL,
  chiSquareCritical,
  chiSquare,
  ksUniform,
  randomizedPit,
  gapLaws,
  gaps,
} from "./helpers/statistics.js";

const RANDOM_MODES: SamplerMode[] = ["random", "bernoulli", "sflow"];

// ---------------------------------------------------------------------------------------------
// Inclusion probability of each position: 1/N (χ² over 64 positions, independent runs)

/** A run: decides on `count` packets from a fresh stream `seed`; returns the selected indices. */
type Run = (seed: number, count: number) => ArrayLike<number>;

function samplerRun(mode: SamplerMode, interval: number): Run {
  const sampler = new Sampler({ mode, interval, seed: 0 });
  return (seed, count) => {
    sampler.reset(seed);
    return sampler.select(count);
  };
}

/**
 * χ² of the inclusion counts at 64 positions: each position is tested in `perCell` runs of its
 * own (so the 64 counts are independent binomials), statistic Σ (c − R/N)² / (R·(1/N)(1 − 1/N)),
 * χ² with 64 degrees of freedom under the null.
 */
function inclusionStatistic(run: Run, interval: number, positions: number[], perCell: number, seedBase: number): number {
  const p = 1 / interval;
  let x = 0;
  positions.forEach((position, j) => {
    let hits = 0;
    for (let r = 0; r < perCell; r++) {
      const picked = run(seedBase + j * perCell + r, position + 1);
      if (picked.length > 0 && picked[picked.length - 1] === position) hits++;
    }
    const d = hits - perCell * p;
    x += (d * d) / (perCell * p * (1 - p));
  });
  return x;
}

function positionsFor(interval: number): number[] {
  // The first 64 packets for small N; for larger N, 64 positions spread over the first three
  // windows (the start-up is where a wrong first skip shows).
  return Array.from({ length: 64 }, (_, j) => (interval <= 16 ? j : Math.floor((j * 3 * interval) / 64)));
}

for (const interval of [2, 7, 100]) {
  test(`every position is selected with probability 1/N in each random mode (N = ${interval}, χ²)`, () => {
    const positions = positionsFor(interval);
    // At least 100 expected hits per cell (research §4.1), and enough runs at small N for the
    // negative control's small effect (at N = 2 a naive start moves one probability by 1/6).
    const perCell = Math.max(100 * interval, 2000);
    const critical = chiSquareCritical(64);
    for (const mode of RANDOM_MODES) {
      const x = inclusionStatistic(samplerRun(mode, interval), interval, positions, perCell, 1_000_000);
      assert.ok(x < critical, `${mode}: χ² = ${x.toFixed(1)} ≥ ${critical.toFixed(1)}`);
    }
    // Negative controls. Deterministic: position 0 always, the others never.
    const deterministic = inclusionStatistic(samplerRun("deterministic", interval), interval, positions, perCell, 1_000_000);
    assert.ok(deterministic >= critical, `deterministic passed: χ² = ${deterministic.toFixed(1)}`);
    // sFlow skips started from a first skip uniform on 1 … N (what a naive agent does)
    // instead of the stationary delay: the early positions are off.
    const sflow = new Sampler({ mode: "sflow", interval, seed: 0 });
    const naive: Run = (seed, count) => {
      sflow.reset(seed);
      const state = sflow.saveState();
      sflow.restoreState({ ...state, skip: 1 + new Xoshiro128(seed + 0x5eed).below(interval) });
      return sflow.select(count);
    };
    const naiveStart = inclusionStatistic(naive, interval, positions, perCell, 1_000_000);
    assert.ok(naiveStart >= critical, `naive sFlow start passed: χ² = ${naiveStart.toFixed(1)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Gap distributions (Kolmogorov–Smirnov on the randomised PIT)

const LAWS = { random: gapLaws.triangular, bernoulli: gapLaws.geometric, sflow: gapLaws.uniform } as const;

/** Gaps of a long run; for `random` every other gap (consecutive ones share a window position). */
function modeGaps(mode: SamplerMode, interval: number, wanted: number, seed: number): number[] {
  const sampler = new Sampler({ mode, interval, seed });
  const thin = mode === "random" ? 2 : 1;
  const all = gaps(sampler.select(Math.min(2 ** 32 - 1, (wanted * thin + 2) * interval * 2)));
  return all.filter((_, i) => i % thin === 0).slice(0, wanted);
}

for (const interval of [2, 7, 100, 10000]) {
  test(`the gaps between selected packets follow each mode's law, and not the other modes' (N = ${interval}, KS)`, () => {
    const wanted = 20000;
    for (const mode of RANDOM_MODES) {
      const observed = modeGaps(mode, interval, wanted, 77 + interval);
      assert.equal(observed.length, wanted);
      for (const [lawMode, law] of Object.entries(LAWS)) {
        const d = ksUniform(randomizedPit(observed, law(interval), 99));
        if (lawMode === mode) assert.ok(d < KS_CRITICAL, `${mode} vs its own law: √n·D = ${d.toFixed(2)} ≥ ${KS_CRITICAL.toFixed(2)}`);
        // Negative controls: the other designs' laws must be rejected (at N = 2 the sFlow and
        // random laws are both on 1…3 but differ: 1/3 each against 1/4, 1/2, 1/4).
        else assert.ok(d >= KS_CRITICAL, `${mode} passed as ${lawMode}: √n·D = ${d.toFixed(2)}`);
      }
    }
    if (interval > 1) {
      const constant = modeGaps("deterministic", interval, 5000, 1);
      assert.ok(
        constant.every((g) => g === interval),
        "deterministic gaps are N",
      );
      for (const [lawMode, law] of Object.entries(LAWS)) {
        const d = ksUniform(randomizedPit(constant, law(interval), 99));
        assert.ok(d >= KS_CRITICAL, `deterministic passed as ${lawMode}: √n·D = ${d.toFixed(2)}`);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Rate and phase over one long run

test("the number selected matches 1/N: exactly for random and deterministic, within 4.89σ for bernoulli and sflow", () => {
  for (const interval of [3, 100, 4096]) {
    const total = 4000 * interval;
    for (const mode of ["random", "deterministic"] as const) {
      assert.equal(new Sampler({ mode, interval, seed: 11 }).select(total).length, total / interval, mode);
    }
    // Variances: binomial for bernoulli, renewal (≈ M/(3N)) for sflow (research §1.6).
    const bernoulli = new Sampler({ mode: "bernoulli", interval, seed: 11 }).select(total).length;
    const zb = (bernoulli - total / interval) / Math.sqrt((total / interval) * (1 - 1 / interval));
    assert.ok(Math.abs(zb) < Z_TWO_SIDED, `bernoulli N = ${interval}: z = ${zb.toFixed(2)}`);
    const sflow = new Sampler({ mode: "sflow", interval, seed: 11 }).select(total).length;
    const zs = (sflow - total / interval) / Math.sqrt(((total / interval) * (1 - 1 / (interval * interval))) / 3);
    assert.ok(Math.abs(zs) < Z_TWO_SIDED, `sflow N = ${interval}: z = ${zs.toFixed(2)}`);
    // Negative control: an off-by-one rate (N + 1) is caught by the exact count.
    assert.notEqual(new Sampler({ mode: "random", interval: interval + 1, seed: 11 }).select(total).length, total / interval);
  }
});

test("selected packets are spread evenly over the phases (index mod N) in the random modes (χ²)", () => {
  const interval = 64;
  const total = interval * interval * 200;
  const critical = chiSquareCritical(interval - 1);
  const phaseStatistic = (picked: ArrayLike<number>) => {
    const counts = new Float64Array(interval);
    for (let i = 0; i < picked.length; i++) counts[picked[i]! % interval]!++;
    return chiSquare(counts, new Float64Array(interval).fill(picked.length / interval));
  };
  for (const mode of RANDOM_MODES) {
    const x = phaseStatistic(new Sampler({ mode, interval, seed: 2024 }).select(total));
    assert.ok(x < critical, `${mode}: χ² = ${x.toFixed(1)} ≥ ${critical.toFixed(1)}`);
  }
  // Negative controls: every Nth, and a fixed mask drawn once (random phase, then periodic).
  assert.ok(phaseStatistic(new Sampler({ mode: "deterministic", interval, seed: 1 }).select(total)) >= critical);
  const phase = new Xoshiro128(5).below(interval);
  const fixedMask = Array.from({ length: total / interval }, (_, w) => w * interval + phase);
  assert.ok(phaseStatistic(fixedMask) >= critical, "a fixed mask passed");
});

test("two samplers on one seed with different streams are independent; sharing a stream is caught", () => {
  const interval = 10;
  const total = 2_000_000;
  const overlap = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    const set = new Set(Array.from(a));
    let both = 0;
    for (let i = 0; i < b.length; i++) if (set.has(b[i]!)) both++;
    return both;
  };
  for (const mode of RANDOM_MODES) {
    const a = new Sampler({ mode, interval, seed: 42, stream: 0 }).select(total);
    const b = new Sampler({ mode, interval, seed: 42, stream: 1 }).select(total);
    const expected = total / (interval * interval);
    const z = (overlap(a, b) - expected) / Math.sqrt(expected);
    assert.ok(Math.abs(z) < Z_TWO_SIDED, `${mode}: z = ${z.toFixed(2)}`);
    const same = new Sampler({ mode, interval, seed: 42, stream: 0 }).select(total);
    const zSame = (overlap(a, same) - expected) / Math.sqrt(expected);
    assert.ok(zSame >= Z_TWO_SIDED, `${mode}: a shared stream passed (z = ${zSame.toFixed(2)})`);
  }
});

// ---------------------------------------------------------------------------------------------
// Periodic traffic: no bias in the random modes; deterministic sampling aliases

/**
 * Traffic with period T, flow A in slot 0 of every period: the estimate N·#(selected ≡ 0 mod T)
 * against the true M/T, as z with the Bernoulli variance (N − 1)·M/T (an upper bound for the
 * per-window design).
 */
function periodicZ(picked: ArrayLike<number>, period: number, interval: number, total: number): number {
  let hits = 0;
  for (let i = 0; i < picked.length; i++) if (picked[i]! % period === 0) hits++;
  const truth = total / period;
  return (interval * hits - truth) / Math.sqrt((interval - 1) * truth);
}

test("periodic traffic is estimated without bias by the random modes; deterministic sampling fails the same test", () => {
  const interval = 100;
  const total = 2_000_000;
  for (const period of [100, 4, 2, 3]) {
    for (const mode of RANDOM_MODES) {
      const z = periodicZ(new Sampler({ mode, interval, seed: 300 + period }).select(total), period, interval, total);
      assert.ok(Math.abs(z) < Z_TWO_SIDED, `${mode}, period ${period}: z = ${z.toFixed(2)}`);
    }
    const z = periodicZ(new Sampler({ mode: "deterministic", interval, seed: 1 }).select(total), period, interval, total);
    if (period === 3) {
      // A period coprime with N does not alias; the test cannot tell, and says so.
      assert.ok(Math.abs(z) < Z_TWO_SIDED, `deterministic, coprime period 3: z = ${z.toFixed(2)}`);
    } else {
      assert.ok(Math.abs(z) >= Z_TWO_SIDED, `deterministic sampling passed the periodic test with period ${period} (z = ${z.toFixed(2)})`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Confidence intervals cover the true total at their nominal rate

interface Population {
  inClass: Uint8Array;
  bytes: Uint16Array;
  classPackets: number;
  classBytes: number;
}

function population(total: number, share: number, seed: number, periodic = false): Population {
  const rng = new Xoshiro128(seed);
  const sizes = [64, 576, 1500];
  const inClass = new Uint8Array(total);
  const bytes = new Uint16Array(total);
  let classPackets = 0,
    classBytes = 0;
  for (let i = 0; i < total; i++) {
    inClass[i] = periodic ? (i % Math.round(1 / share) === 0 ? 1 : 0) : rng.float() < share ? 1 : 0;
    bytes[i] = sizes[rng.below(3)]!;
    if (inClass[i]) {
      classPackets++;
      classBytes += bytes[i]!;
    }
  }
  return { inClass, bytes, classPackets, classBytes };
}

/** Coverage of the class's packet and byte totals over `runs` independent runs. */
function coverage(
  mode: SamplerMode,
  interval: number,
  pop: Population,
  runs: number,
  shrink = 1,
): { packets: number; bytes: number; share: number } {
  const sampler = new Sampler({ mode, interval, seed: 0 });
  const covered = (e: Estimate, truth: number) => {
    const half = (e.ciHigh - e.ciLow) / 2;
    const mid = (e.ciHigh + e.ciLow) / 2;
    return truth >= mid - half * shrink && truth <= mid + half * shrink;
  };
  let packets = 0,
    bytes = 0,
    share = 0;
  for (let r = 0; r < runs; r++) {
    sampler.reset(r + 1);
    const picked = sampler.select(pop.inClass.length);
    let k = 0,
      sum = 0,
      squares = 0;
    for (const i of picked) {
      if (pop.inClass[i] === 0) continue;
      k++;
      sum += pop.bytes[i]!;
      squares += pop.bytes[i]! * pop.bytes[i]!;
    }
    const options = { interval, mode, confidence: 0.95 };
    if (covered(estimatePackets(k, options), pop.classPackets)) packets++;
    if (covered(estimateTotal({ count: k, sum, sumOfSquares: squares }, options), pop.classBytes)) bytes++;
    if (
      covered(
        estimateShare({ population: pop.inClass.length, sampled: picked.length, sampledInClass: k }, { confidence: 0.95 }),
        pop.classPackets,
      )
    )
      share++;
  }
  return { packets: packets / runs, bytes: bytes / runs, share: share / runs };
}

/** z of an observed coverage against the nominal 0.95 over `runs` runs. */
function coverageZ(observed: number, runs: number): number {
  return (observed - 0.95) / Math.sqrt((0.95 * 0.05) / runs);
}

test("95% intervals cover the true class totals at least at the nominal rate (normal regime, ~200 sampled class packets)", () => {
  const pop = population(20000, 0.1, 7);
  const runs = 3000;
  for (const mode of RANDOM_MODES) {
    const c = coverage(mode, 10, pop, runs);
    for (const [what, value] of Object.entries(c)) {
      const z = coverageZ(value, runs);
      // Bernoulli's variance estimate is unbiased: coverage ≈ nominal from both sides. For the
      // per-window and sFlow designs it is an upper bound: coverage ≥ nominal.
      assert.ok(z > -Z_ONE_SIDED, `${mode} ${what}: coverage ${value.toFixed(4)} below nominal (z = ${z.toFixed(2)})`);
      if (mode === "bernoulli" && what !== "share")
        assert.ok(z < Z_TWO_SIDED, `bernoulli ${what}: coverage ${value.toFixed(4)} far above nominal (z = ${z.toFixed(2)})`);
    }
  }
  // Negative controls: intervals half as wide, and deterministic sampling of periodic traffic.
  const narrow = coverage("bernoulli", 10, pop, runs, 0.5);
  assert.ok(coverageZ(narrow.packets, runs) <= -Z_ONE_SIDED, `half-width intervals passed: ${narrow.packets}`);
  const periodic = population(20000, 0.1, 7, true);
  const aliased = coverage("deterministic", 10, periodic, 200);
  assert.ok(coverageZ(aliased.packets, 200) <= -Z_ONE_SIDED, `deterministic on periodic traffic passed: ${aliased.packets}`);
});

test("exact Poisson (Garwood) intervals cover small counts at least at the nominal rate (~2 sampled class packets)", () => {
  const pop = population(20000, 0.1, 8);
  const runs = 3000;
  for (const mode of RANDOM_MODES) {
    const c = coverage(mode, 1000, pop, runs);
    const z = coverageZ(c.packets, runs);
    assert.ok(z > -Z_ONE_SIDED, `${mode}: coverage ${c.packets.toFixed(4)} (z = ${z.toFixed(2)})`);
    const zs = coverageZ(c.share, runs);
    assert.ok(zs > -Z_ONE_SIDED, `${mode} share: coverage ${c.share.toFixed(4)} (z = ${zs.toFixed(2)})`);
  }
  const narrow = coverage("bernoulli", 1000, pop, runs, 0.5);
  assert.ok(coverageZ(narrow.packets, runs) <= -Z_ONE_SIDED, `half-width intervals passed: ${narrow.packets}`);
});
