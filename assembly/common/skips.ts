// Skip generators for packet samplers: how many packets to advance to reach the next selected
// one (1 = the very next packet). Each draws from a xoshiro128** state (assembly/common/prng.ts)
// in a documented order, so that the TypeScript twins (src/sim/skips.ts) reproduce the exact
// same skips from the same seed. (The sFlow skip, 1 + xoshiroBelow(2N − 1), is drawn inline by
// the sampler's loop, assembly/sampler/decide.ts.)

import { xoshiroNext, xoshiroBelow } from "./prng";
import { portableLog } from "./portable-log";

/** 2^−32: turns a u32 into a uniform in (0, 1] as (r + 1)·2^−32. */
const TWO_POW_MINUS_32: f64 = 2.3283064365386963e-10;

/** Largest skip a generator returns (the skips below never come near it for N ≤ 65535). */
export const MAX_SKIP: f64 = 4294967295.0;

/**
 * 1 / ln(1 − 1/N), the constant of {@link geometricSkip} for an interval N ≥ 2 (negative).
 * N = 1 needs no constant: every packet is selected.
 */
export function geometricInverseLog(interval: u32): f64 {
  return 1.0 / portableLog(1.0 - 1.0 / <f64>interval);
}

/**
 * A geometric skip with success probability p = 1/N: P(G = g) = (1 − p)^(g−1)·p for g ≥ 1,
 * by inversion, G = 1 + ⌊ln U / ln(1 − p)⌋ with U = (r + 1)·2^−32 from one 32-bit draw.
 * The largest possible skip is about 22.2·N. One draw per call.
 */
// @ts-ignore: decorator
@inline export function geometricSkip(state: usize, inverseLog: f64): u64 {
  const u = (<f64>xoshiroNext(state) + 1.0) * TWO_POW_MINUS_32;
  const g = Math.floor(portableLog(u) * inverseLog) + 1.0;
  return <u64>(g > MAX_SKIP ? MAX_SKIP : g);
}

/**
 * The first skip of a stationary renewal process with skips uniform on 1 … 2N − 1: P(D = d) is
 * proportional to P(G ≥ d) = (2N − d)/(2N − 1), so every packet, the first ones included, is
 * selected with probability exactly 1/N. Drawn by rejection: j uniform on 1 … 2N − 1 is kept
 * when a second draw u on 0 … 2N − 2 falls below it (P(j) ∝ j), and D = 2N − j.
 * Two bounded draws per attempt, about two attempts on average.
 */
export function uniformSkipEquilibriumDelay(state: usize, interval: u32): u64 {
  const span = 2 * interval - 1;
  while (true) {
    const j = xoshiroBelow(state, span) + 1;
    const u = xoshiroBelow(state, span);
    if (u < j) return <u64>(span + 1 - j);
  }
  return 1; // unreachable
}
