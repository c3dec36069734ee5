/**
 * Skip generators for packet samplers: the TypeScript twins of assembly/common/skips.ts. A
 * skip is how many packets to advance to reach the next selected one (1 = the very next
 * packet). Same seed, same draws, same skips as the WebAssembly core.
 */

import type { Xoshiro128 } from "./random.js";
import { portableLog } from "./portable-log.js";

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const MAX_SKIP = 4294967295;

/** 1 / ln(1 − 1/N), the constant of {@link geometricSkip}, for an interval N ≥ 2. */
export function geometricInverseLog(interval: number): number {
  return 1.0 / portableLog(1.0 - 1.0 / interval);
}

/** A geometric skip with p = 1/N (one 32-bit draw): G = 1 + ⌊ln U / ln(1 − p)⌋, U = (r + 1)·2^−32. */
export function geometricSkip(rng: Xoshiro128, inverseLog: number): number {
  const u = (rng.next() + 1.0) * TWO_POW_MINUS_32;
  const g = Math.floor(portableLog(u) * inverseLog) + 1.0;
  return Math.min(g, MAX_SKIP);
}

/** A skip uniform on 1 … 2N − 1 (the sFlow reference rule). One bounded draw. */
export function uniformSkip(rng: Xoshiro128, interval: number): number {
  return rng.below(2 * interval - 1) + 1;
}

/**
 * The first skip of a stationary renewal process with skips uniform on 1 … 2N − 1
 * (P(D = d) ∝ 2N − d), by rejection, exactly as the WebAssembly core draws it.
 */
export function uniformSkipEquilibriumDelay(rng: Xoshiro128, interval: number): number {
  const span = 2 * interval - 1;
  for (;;) {
    const j = rng.below(span) + 1;
    const u = rng.below(span);
    if (u < j) return span + 1 - j;
  }
}
