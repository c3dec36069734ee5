// Statistical tools for the sampler tests, kept independent of the library's own distribution
// functions (src/analysis/distributions.ts), which are tested separately against published values.
//
// Every assertion uses α = 1e-6 (research: sampling.md §4): with fixed seeds the outcome is
// deterministic, and a legitimate change of the random streams flips one with probability ~1e-6.

import { Xoshiro128 } from "../../src/common/random.js";

/** Per-assertion significance level. */
export const ALPHA = 1e-6;
/** Two-sided standard-normal critical value at α = 1e-6. */
export const Z_TWO_SIDED = 4.8916;
/** One-sided standard-normal critical value at α = 1e-6. */
export const Z_ONE_SIDED = 4.7534;
/** Kolmogorov–Smirnov: reject when √n·D exceeds this (asymptotic, c(α) = √(−ln(α/2)/2)). */
export const KS_CRITICAL = Math.sqrt(-Math.log(ALPHA / 2) / 2);

/**
 * χ² critical value at α = 1e-6 by Wilson–Hilferty (within 1% and on the safe, larger, side
 * for df ≥ 31; research §4.2 gives 131.37 exact against 131.7 here for df 63).
 */
export function chiSquareCritical(df: number): number {
  const v = 2 / (9 * df);
  return df * (1 - v + Z_ONE_SIDED * Math.sqrt(v)) ** 3;
}

/** Pearson's χ² of observed counts against expected counts. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i]! - expected[i]!;
    x += (d * d) / expected[i]!;
  }
  return x;
}

/** √n·D of the Kolmogorov–Smirnov test of values against Uniform(0, 1). */
export function ksUniform(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    d = Math.max(d, (i + 1) / n - v, v - i / n);
  }
  return Math.sqrt(n) * d;
}

/**
 * Randomised probability integral transform of integer observations under a discrete law
 * with distribution function `cdf` (P(G ≤ g)): V = F(g−1) + W·(F(g) − F(g−1)), W ~ U(0,1) from
 * its own stream. Under the law, V is exactly Uniform(0, 1), so KS applies.
 */
export function randomizedPit(values: number[], cdf: (g: number) => number, seed: number): number[] {
  const rng = new Xoshiro128(seed);
  return values.map((g) => {
    const low = cdf(g - 1);
    return low + rng.float() * (cdf(g) - low);
  });
}

/** Gap laws of the sampling designs at interval N (research §1.6). */
export const gapLaws = {
  /** Bernoulli: geometric, P(G ≤ g) = 1 − (1 − 1/N)^g. */
  geometric: (n: number) => (g: number) => (g < 1 ? 0 : 1 - (1 - 1 / n) ** Math.floor(g)),
  /** sFlow: uniform on 1 … 2N − 1. */
  uniform: (n: number) => (g: number) => Math.min(1, Math.max(0, Math.floor(g)) / (2 * n - 1)),
  /** Random (one per window): triangular on 1 … 2N − 1, P(g) = (N − |g − N|)/N². */
  triangular: (n: number) => (g: number) => {
    const x = Math.floor(g);
    if (x < 1) return 0;
    if (x >= 2 * n - 1) return 1;
    if (x <= n) return (x * (x + 1)) / 2 / (n * n);
    const above = 2 * n - 1 - x; // P(G > x) = Σ_{j=1}^{above} j / N²
    return 1 - (above * (above + 1)) / 2 / (n * n);
  },
};

/** The gaps between consecutive selected indices. */
export function gaps(indices: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < indices.length; i++) out.push(indices[i]! - indices[i - 1]!);
  return out;
}
