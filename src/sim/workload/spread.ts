/**
 * Worm spread by the random constant spread (RCS) model (Staniford, Paxson, Weaver, "How to 0wn
 * the Internet in Your Spare Time", USENIX Security 2002): N vulnerable hosts, each infected
 * host scanning η random addresses a second out of 2^32, so the infected share a obeys
 * da/dt = K·a·(1 − a) with K = η·N / 2^32, whose solution is the logistic
 * a(t) = 1 / (1 + (N/I0 − 1)·e^(−K·t)). Early on the population doubles every ln 2 / K.
 *
 * {@link simulateSpread} runs the same model as a stochastic process in time steps (binomial
 * new infections from the scans of the step), with an optional cap on the total scan rate
 * (Slammer saturated links: its scans peaked near 55 M/s while the uncapped model asks for
 * many times that).
 */

import { ConfigError, describe } from "../../errors.js";
import { Xoshiro128 } from "../../common/random.js";
import { portableLog } from "../../common/portable-log.js";

/** The IPv4 address space the worms scan. */
export const ADDRESS_SPACE = 2 ** 32;

/** Parameters of a spread. */
export interface SpreadModel {
  /** Vulnerable hosts (all of which end up infected). */
  population: number;
  /** Hosts infected at time 0. */
  initial: number;
  /** Scans per second per infected host (η). */
  scansPerSecond: number;
  /** Most scans per second of all hosts together (default no cap). */
  maxTotalScansPerSecond?: number;
}

/** The growth constant K = η·N / 2^32, per second. */
export function growthRate(model: SpreadModel): number {
  return (model.scansPerSecond * model.population) / ADDRESS_SPACE;
}

/** Infected hosts at `seconds` by the closed form (no scan cap). */
export function logisticInfected(model: SpreadModel, seconds: number): number {
  const k = growthRate(model);
  return model.population / (1 + (model.population / model.initial - 1) * Math.exp(-k * seconds));
}

/** The per-host scan rate that gives a doubling time (early, uncapped) for a population. */
export function scanRateForDoubling(population: number, doublingSeconds: number): number {
  return (Math.LN2 / doublingSeconds) * (ADDRESS_SPACE / population);
}

/**
 * Code Red v2, 19 July 2001: "more than 359,000 computers … infected … in less than 14 hours",
 * population doubling ≈ 37 min (Moore, Shannon, Brown, IMW 2002; research/seq.md §4). η follows
 * from the doubling time (3.7 scans/s: the fleet average, below a fully threaded host's 14/s),
 * and I0 = 6 is the fewest first hosts that put 99 % of the population infected by 14 h
 * **(inferred)**.
 */
export const CODE_RED_V2_SPREAD: SpreadModel = { population: 359_000, initial: 6, scansPerSecond: scanRateForDoubling(359_000, 37 * 60) };

/**
 * Slammer, 25 January 2003: "at least 75,000 victims", "doubling in size every 8.5 seconds",
 * scans peaking at "over 55 million IP addresses per second" (Moore et al., IEEE S&P 2003;
 * research/seq.md §4). The cap on total scans is that peak.
 */
export const SLAMMER_SPREAD: SpreadModel = {
  population: 75_000,
  initial: 1,
  scansPerSecond: scanRateForDoubling(75_000, 8.5),
  maxTotalScansPerSecond: 55e6,
};

/** A simulated spread: per step, time, infected hosts and total scans per second. */
export interface SpreadSeries {
  seconds: Float64Array;
  infected: Float64Array;
  scansPerSecond: Float64Array;
}

/** Options of {@link simulateSpread}. */
export interface SpreadSimulationOptions {
  /** Simulated duration, s. */
  seconds: number;
  /** Step, s (default: 1/100 of the early doubling time). */
  stepSeconds?: number;
  seed?: number;
  /** `stochastic` (binomial draws, default) or `mean` (the expected value of each step). */
  mode?: "stochastic" | "mean";
}

/**
 * Runs the model in steps: in a step of dt the infected hosts send S = min(η·I, cap)·dt scans,
 * each susceptible host escapes all of them with probability (1 − 2^−32)^S ≈ e^(−S/2^32), and the
 * number newly infected is Binomial(N − I, 1 − e^(−S/2^32)).
 */
export function simulateSpread(model: SpreadModel, options: SpreadSimulationOptions): SpreadSeries {
  checkModel(model);
  const k = growthRate(model);
  const dt = options.stepSeconds ?? Math.LN2 / k / 100;
  if (!(options.seconds > 0) || !Number.isFinite(options.seconds))
    throw new ConfigError("spread-seconds", `seconds must be a positive number, got ${describe(options.seconds)}`, options.seconds);
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ConfigError("spread-step", `stepSeconds must be a positive number, got ${describe(dt)}`, dt);
  const steps = Math.ceil(options.seconds / dt);
  if (steps > 10_000_000) throw new ConfigError("spread-step", `${steps} steps are too many: raise stepSeconds`, steps);
  const random = new Xoshiro128(options.seed ?? 1);
  const stochastic = (options.mode ?? "stochastic") === "stochastic";
  const cap = model.maxTotalScansPerSecond ?? Infinity;
  const out: SpreadSeries = {
    seconds: new Float64Array(steps + 1),
    infected: new Float64Array(steps + 1),
    scansPerSecond: new Float64Array(steps + 1),
  };
  let infected = model.initial;
  for (let s = 0; ; s++) {
    const scans = Math.min(model.scansPerSecond * infected, cap);
    out.seconds[s] = s * dt;
    out.infected[s] = infected;
    out.scansPerSecond[s] = scans;
    if (s === steps) break;
    const susceptible = model.population - infected;
    const p = -Math.expm1(-(scans * dt) / ADDRESS_SPACE);
    infected += stochastic ? binomial(random, susceptible, p) : susceptible * p;
  }
  return out;
}

function checkModel(model: SpreadModel): void {
  const { population, initial, scansPerSecond } = model;
  if (!Number.isInteger(population) || population < 1)
    throw new ConfigError("spread-population", `population must be a positive integer, got ${describe(population)}`, population);
  if (!Number.isInteger(initial) || initial < 1 || initial > population)
    throw new ConfigError("spread-initial", `initial must be an integer from 1 to the population, got ${describe(initial)}`, initial);
  if (!(scansPerSecond > 0) || !Number.isFinite(scansPerSecond))
    throw new ConfigError("spread-rate", `scansPerSecond must be a positive number, got ${describe(scansPerSecond)}`, scansPerSecond);
  const cap = model.maxTotalScansPerSecond;
  if (cap !== undefined && !(cap > 0))
    throw new ConfigError("spread-cap", `maxTotalScansPerSecond must be positive, got ${describe(cap)}`, cap);
}

/**
 * A Binomial(n, p) draw: by inversion (Poisson-like sequential search) when the mean is small,
 * else the normal approximation rounded and clamped to [0, n] (its error, O(1/√(np(1−p))), is
 * far below what the spread tests resolve).
 */
export function binomial(random: Xoshiro128, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 30) {
    // Inversion: walk the probability mass function from 0.
    const u = random.float();
    const q = 1 - p;
    let probability = Math.exp(n * Math.log1p(-p));
    let cumulative = probability;
    let x = 0;
    while (u > cumulative && x < n) {
      probability *= ((n - x) / (x + 1)) * (p / q);
      x++;
      cumulative += probability;
      if (probability === 0) break;
    }
    return x;
  }
  const z = standardNormal(random);
  const x = Math.round(mean + z * Math.sqrt(mean * (1 - p)));
  return Math.max(0, Math.min(n, x));
}

/** A standard normal draw (Box–Muller, portable logarithm). */
export function standardNormal(random: Xoshiro128): number {
  const u = (random.next() + 1) / 4294967297;
  const v = random.float();
  return Math.sqrt(-2 * portableLog(u)) * Math.cos(2 * Math.PI * v);
}
