// Estimators and the distribution functions under them: published values (R, the research's
// Garwood table), inverse properties, the estimators' formulas and refusals, and the sampled
// top-talkers list, whose distinguishability test is checked for its false-positive rate and
// its power by simulation through the real samplers.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { runs } from "./helpers/runs.js";
import { Z_ONE_SIDED } from "./helpers/statistics.js";
import {
  Sampler,
  ConfigError,
  estimatePackets,
  estimateTotal,
  estimateShare,
  estimateRatioTotal,
  estimateTcpConnections,
  estimateTopTalkers,
  normalQuantile,
  normalCdf,
  chiSquareQuantile,
  chiSquareUpperTail,
  poissonInterval,
  binomialInterval,
  binomialCdf,
  SMALL_COUNT,
  type SamplerMode,
} from "../src/index.js";
import { gammaP, gammaQuantile, betaRegularized, betaQuantile, logGamma } from "../src/analysis/distributions.js";

function close(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.max(1e-300, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

test("distribution functions reproduce published values", () => {
  // R: qnorm, pnorm, qchisq, pchisq, pbinom, binom.test; research §4.2 for the 1e-6 quantiles.
  close(normalQuantile(0.975), 1.959963984540054, 1e-12, "qnorm(0.975)");
  close(normalQuantile(1e-10), -6.361340902404056, 1e-10, "qnorm(1e-10)");
  close(normalQuantile(1 - 5e-7), 4.891638475698, 1e-9, "two-sided 1e-6");
  close(normalCdf(-3), 0.0013498980316301, 1e-10, "pnorm(-3)");
  close(chiSquareQuantile(1 - 1e-6, 63), 131.37, 1e-4, "qchisq(1-1e-6, 63)");
  close(chiSquareQuantile(1 - 1e-6, 1023), 1252.58, 1e-5, "qchisq(1-1e-6, 1023)");
  close(chiSquareQuantile(0.975, 10), 20.48317735080739, 1e-10, "qchisq(0.975, 10)");
  close(chiSquareQuantile(0.025, 10), 3.246972780236841, 1e-10, "qchisq(0.025, 10)");
  close(chiSquareUpperTail(3.841458820694124, 1), 0.05, 1e-10, "pchisq(3.84, 1, lower = FALSE)");
  close(binomialCdf(3, 10, 0.5), 176 / 1024, 1e-12, "pbinom(3, 10, 0.5)");
  const [lo, hi] = binomialInterval(5, 20, 0.95);
  close(lo, 0.08657146910143, 1e-8, "Clopper-Pearson low");
  close(hi, 0.4910458717079, 1e-8, "Clopper-Pearson high");
  close(logGamma(10), Math.log(362880), 1e-13, "lgamma(10)");
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-13, "lgamma(1/2)");
  // Research §5.3: 95% intervals for the packet estimate at 1:1000.
  const table: [number, number, number][] = [
    [0, 0, 3689],
    [1, 25, 5572],
    [5, 1623, 11668],
    [10, 4795, 18390],
    [30, 20241, 42827],
    [100, 81364, 121627],
    [1000, 938973, 1063952],
  ];
  for (const [k, low, high] of table) {
    const [l, h] = poissonInterval(k, 0.95);
    assert.deepEqual([Math.round(l * 1000), Math.round(h * 1000)], [low, high], `k = ${k}`);
  }
});

test("gamma and beta quantiles invert their distribution functions", () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), fc.double({ min: 0.05, max: 5e4, noNaN: true }), (p, a) => {
      close(gammaP(a, gammaQuantile(p, a)), p, 1e-8, `gamma a=${a} p=${p}`);
    }),
    runs(300),
  );
  fc.assert(
    fc.property(
      fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
      fc.double({ min: 0.5, max: 500, noNaN: true }),
      fc.double({ min: 0.5, max: 500, noNaN: true }),
      (p, a, b) => {
        const x = betaQuantile(p, a, b);
        // Where the function is steeper than the spacing of doubles, the best x brackets p
        // between its neighbours.
        const step = 2 * Number.EPSILON * x;
        const bracketed = betaRegularized(x - step, a, b) <= p && p <= betaRegularized(x + step, a, b);
        assert.ok(Math.abs(betaRegularized(x, a, b) - p) < 1e-9 || bracketed, `beta a=${a} b=${b} p=${p}`);
      },
    ),
    runs(200),
  );
});

test("packet estimates: N·k with variance N(N−1)k, Garwood below the small-count bound, exact when unsampled", () => {
  const small = estimatePackets(5, { interval: 1000 });
  assert.equal(small.method, "garwood");
  assert.equal(small.estimate, 5000);
  assert.equal(small.variance, 1000 * 999 * 5);
  assert.deepEqual([Math.round(small.ciLow), Math.round(small.ciHigh)], [1623, 11668]);
  const large = estimatePackets(400, { interval: 10, confidence: 0.9 });
  assert.equal(large.method, "normal");
  const z = normalQuantile(0.95);
  close(large.ciHigh - large.estimate, z * Math.sqrt(10 * 9 * 400), 1e-12, "half width");
  assert.equal(large.samplesUsed, 400);
  assert.equal(estimatePackets(SMALL_COUNT, { interval: 10 }).method, "normal");
  const exact = estimatePackets(123, { interval: 1 });
  assert.deepEqual(
    [exact.method, exact.estimate, exact.variance, exact.ciLow, exact.ciHigh, exact.relativeError],
    ["exact", 123, 0, 123, 123, 0],
  );
  const none = estimatePackets(0, { interval: 100 });
  assert.deepEqual([none.estimate, none.ciLow, none.relativeError], [0, 0, Infinity]);
  assert.ok(none.ciHigh > 0);
  assert.match(estimatePackets(50, { interval: 100, mode: "deterministic" }).biasWarning ?? "", /period/);
  assert.equal(estimatePackets(50, { interval: 100, mode: "random" }).biasWarning, undefined);
  assert.deepEqual(estimateTcpConnections(7, { interval: 100 }), estimatePackets(7, { interval: 100 }));
  for (const bad of [-1, Number.NaN, Infinity]) assert.throws(() => estimatePackets(bad, { interval: 10 }), ConfigError);
  assert.throws(
    () => estimatePackets(1, { interval: 0 }),
    (e: unknown) => e instanceof ConfigError && e.code === "estimate-interval",
  );
  assert.throws(
    () => estimatePackets(1, { interval: 10, confidence: 1 }),
    (e: unknown) => e instanceof ConfigError && e.code === "estimate-confidence",
  );
});

test("totals, shares and ratio estimates follow their formulas", () => {
  const bytes = estimateTotal({ count: 200, sum: 200 * 700, sumOfSquares: 200 * 700 * 700 + 5e6 }, { interval: 50 });
  assert.equal(bytes.estimate, 50 * 200 * 700);
  assert.equal(bytes.variance, 50 * 49 * (200 * 700 * 700 + 5e6));
  assert.equal(bytes.method, "normal");
  const fewBytes = estimateTotal({ count: 3, sum: 3000, sumOfSquares: 3e6 }, { interval: 100 });
  const [pl, ph] = poissonInterval(3, 0.95);
  close(fewBytes.ciLow, 100 * pl * 1000, 1e-12, "small-count bytes low");
  close(fewBytes.ciHigh, 100 * ph * 1000, 1e-12, "small-count bytes high");
  assert.equal(estimateTotal({ count: 0, sum: 0, sumOfSquares: 0 }, { interval: 100 }).ciHigh, Infinity);
  close(
    estimateTotal({ count: 0, sum: 0, sumOfSquares: 0 }, { interval: 100, maxValue: 1500 }).ciHigh,
    100 * poissonInterval(0, 0.95)[1] * 1500,
    1e-12,
    "maxValue",
  );

  const share = estimateShare({ population: 1e6, sampled: 2500, sampledInClass: 1000 });
  assert.equal(share.estimate, 400000);
  // sFlow's "packet sampling basics" example: 381k … 419k.
  assert.deepEqual([Math.round(share.ciLow / 1000), Math.round(share.ciHigh / 1000)], [381, 419]);
  const tiny = estimateShare({ population: 1e6, sampled: 2500, sampledInClass: 2 });
  const [cl, ch] = binomialInterval(2, 2500, 0.95);
  close(tiny.ciLow, 1e6 * cl, 1e-12, "exact share low");
  close(tiny.ciHigh, 1e6 * ch, 1e-12, "exact share high");
  assert.equal(estimateShare({ population: 10, sampled: 10, sampledInClass: 4 }).method, "exact");
  assert.throws(() => estimateShare({ population: 10, sampled: 5, sampledInClass: 6 }), ConfigError);
  assert.throws(() => estimateShare({ population: 10, sampled: 11, sampledInClass: 1 }), ConfigError);

  const ratio = estimateRatioTotal(100000, { count: 1000, sum: 1000 * 500, sumOfSquares: 1000 * 500 * 500 });
  assert.equal(ratio.estimate, 100000 * 500);
  assert.equal(ratio.variance, 0, "constant values: no spread");
  assert.equal(estimateRatioTotal(4, { count: 4, sum: 10, sumOfSquares: 30 }).method, "exact");
  assert.throws(() => estimateRatioTotal(3, { count: 4, sum: 10, sumOfSquares: 30 }), ConfigError);
});

test("top talkers: records merged by key, flow records never scaled, exact when unsampled", () => {
  const flows = [
    { key: "a", packets: 10, bytes: 10000 },
    { key: "b", packets: 4, bytes: 400 },
    { key: "a", packets: 5, bytes: 5000 },
    { key: "c", packets: 4, bytes: 4000 },
  ];
  const list = estimateTopTalkers(flows, { interval: 100, top: 2 });
  assert.equal(list.sampledFlowRecords, 4);
  assert.equal(list.distinctKeys, 3);
  assert.deepEqual(
    list.entries.map((e) => e.key),
    ["a", "c"],
  );
  const a = list.entries[0]!;
  assert.deepEqual(
    [a.sampledFlowRecords, a.sampledPackets, a.sampledBytes, a.bytes.estimate, a.packets.estimate],
    [2, 15, 15000, 1_500_000, 1500],
  );
  assert.deepEqual(
    estimateTopTalkers(flows, { interval: 100, sortBy: "packets" }).entries.map((e) => e.key),
    ["a", "c", "b"],
  );

  const unsampled = estimateTopTalkers(
    [
      { key: "x", packets: 5, bytes: 500 },
      { key: "y", packets: 5, bytes: 499 },
      { key: "z", packets: 5, bytes: 499 },
    ],
    { interval: 1 },
  );
  assert.deepEqual(
    unsampled.entries.map((e) => [e.distinguishableFromNext, e.bytes.method]),
    [
      [true, "exact"],
      [false, "exact"],
      [false, "exact"],
    ],
  );

  const clear = estimateTopTalkers(
    [
      { key: "big", packets: 5000, bytes: 5e6 },
      { key: "small", packets: 50, bytes: 5e4 },
      { key: "tiny", packets: 1, bytes: 100 },
    ],
    { interval: 1000, top: 1 },
  );
  assert.equal(clear.entries[0]!.distinguishableFromNext, true);
  assert.equal(clear.entries[0]!.membership, "certain");
  const tied = estimateTopTalkers(
    [
      { key: "p", packets: 101, bytes: 1e5 },
      { key: "q", packets: 100, bytes: 1e5 },
    ],
    { interval: 1000, top: 1, sortBy: "packets" },
  );
  assert.equal(tied.entries[0]!.distinguishableFromNext, false);
  assert.equal(tied.entries[0]!.membership, "uncertain");
  assert.ok(tied.entries[0]!.pValueNext > 0.9);
  assert.throws(() => estimateTopTalkers([{ key: "x", packets: -1, bytes: 0 }], { interval: 10 }), ConfigError);
  assert.throws(() => estimateTopTalkers([], { interval: 10, top: 0 }), ConfigError);
});

/**
 * Two flows of `sizeA` and `sizeB` packets interleaved, sampled at 1/N through a real sampler,
 * `runs` times: how often the top-talkers list calls the first distinguishable from the second.
 */
function flaggedFraction(mode: SamplerMode, interval: number, sizeA: number, sizeB: number, runsCount: number): number {
  const sampler = new Sampler({ mode, interval, seed: 0 });
  const total = sizeA + sizeB;
  let flagged = 0;
  for (let r = 0; r < runsCount; r++) {
    sampler.reset(r + 1);
    let a = 0,
      b = 0;
    // Packet i belongs to A when i·sizeA/total crosses an integer: the flows interleave evenly.
    for (const i of sampler.select(total)) {
      if (Math.floor(((i + 1) * sizeA) / total) > Math.floor((i * sizeA) / total)) a++;
      else b++;
    }
    const list = estimateTopTalkers(
      [
        { key: "A", packets: a, bytes: a * 100 },
        { key: "B", packets: b, bytes: b * 100 },
      ],
      { interval, sortBy: "packets", mode },
    );
    if (list.entries[0]!.distinguishableFromNext) flagged++;
  }
  return flagged / runsCount;
}

test("distinguishable top talkers: at most 5% false alarms on equal flows, and power on flows twice apart", () => {
  const runsCount = 2000;
  const alpha = 0.05;
  for (const mode of ["bernoulli", "random"] as const) {
    const falseAlarms = flaggedFraction(mode, 100, 20000, 20000, runsCount);
    const z = (falseAlarms - alpha) / Math.sqrt((alpha * (1 - alpha)) / runsCount);
    assert.ok(z < Z_ONE_SIDED, `${mode}: equal flows called distinguishable in ${(100 * falseAlarms).toFixed(1)}% of runs`);
    const power = flaggedFraction(mode, 100, 20000, 10000, runsCount);
    assert.ok(power > 0.99, `${mode}: flows twice apart told apart in only ${(100 * power).toFixed(1)}% of runs`);
  }
});
