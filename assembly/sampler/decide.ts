// The sampler's decisions: the skip-ahead kernels. The state keeps `skip`, the distance from
// the next packet to the next selected one; a batch of `count` packets costs O(1) plus O(1)
// per selected packet, never O(count): the loop jumps from one selected position to the next
// (the VPP sFlow pattern). Because only that distance is kept, splitting a stream into
// batches anywhere gives exactly the decisions of one packet at a time.
//
// Random draws per mode (the reference in src/reference/sampler.ts draws the same, in order):
//   random         one xoshiroBelow(N) per window of N packets (drawn when the window before
//                  it is sampled; the first at configuration)
//   bernoulli      one xoshiroNext per selected packet (geometric skip)
//   deterministic  none
//   sflow          the equilibrium first delay at configuration, then one xoshiroBelow(2N−1)
//                  per selected packet
//   N = 1          none, in every mode: every packet is selected

import { xoshiroBelow } from "../common/prng";
import { geometricSkip, geometricInverseLog, uniformSkipEquilibriumDelay } from "../common/skips";
import { SamplerState, MODE_RANDOM, MODE_BERNOULLI, MODE_SFLOW } from "./state";

/** The stream address of a sampler (its first 16 bytes). */
// @ts-ignore: decorator
@inline function stream(s: SamplerState): usize {
  return changetype<usize>(s);
}

/**
 * Sets the mode and interval and draws the first skip from the sampler's current stream
 * (its counters are left alone). The caller has validated `mode` and 1 ≤ `interval` ≤ 65535.
 */
export function samplerConfigure(s: SamplerState, mode: u32, interval: u32): void {
  s.mode = mode;
  s.interval = interval;
  s.target = 0;
  s.inverseLog = 0;
  if (interval == 1) {
    s.skip = 1;
    return;
  }
  if (mode == MODE_RANDOM) {
    s.target = xoshiroBelow(stream(s), interval);
    s.skip = <u64>s.target + 1;
  } else if (mode == MODE_BERNOULLI) {
    s.inverseLog = geometricInverseLog(interval);
    s.skip = geometricSkip(stream(s), s.inverseLog);
  } else if (mode == MODE_SFLOW) {
    s.skip = uniformSkipEquilibriumDelay(stream(s), interval);
  } else {
    // Deterministic: the 1st, (N+1)th, (2N+1)th … packets (seed 003:L739).
    s.skip = 1;
  }
}

/**
 * Decides on the next `count` packets: writes `base + i` to `out` (u32, ascending) for every
 * selected packet i and returns how many. `out` must have room for `count` entries.
 */
export function samplerDecide(s: SamplerState, count: u32, out: usize, base: u32): u32 {
  return decideBatch(s, count, 0, out, base, false);
}

/**
 * The same decisions as {@link samplerDecide}, but the i-th packet of the population is
 * `positions[i]` (u32): writes `positions[i]` (plus `base`) for each selected i. This is how a
 * sampler runs over the packets an input filter kept. `positions` = 0 means the identity.
 */
export function samplerDecideGather(s: SamplerState, count: u32, positions: usize, out: usize, base: u32): u32 {
  return decideBatch(s, count, positions, out, base, false);
}

/**
 * The same decisions as {@link samplerDecide}, as a mask: `mask[i]` (u8) = 1 for a selected
 * packet, 0 otherwise. Returns how many were selected. Costs one memory fill of `count` bytes
 * plus the skip-ahead decisions.
 */
export function samplerDecideMask(s: SamplerState, count: u32, mask: usize): u32 {
  memory.fill(mask, 0, count);
  return decideBatch(s, count, 0, mask, 0, true);
}

/** Records selected packet `at` (the k-th selected): its index in `out`, or a 1 in the mask. */
// @ts-ignore: decorator
@inline function emit(asMask: bool, out: usize, k: u32, positions: usize, at: u64, base: u32): void {
  if (asMask) {
    store<u8>(out + <usize>at, 1);
  } else {
    const index = positions == 0 ? <u32>at : load<u32>(positions + ((<usize>at) << 2));
    store<u32>(out + ((<usize>k) << 2), base + index);
  }
}

/** The skip-ahead loop of every mode; `asMask` is a constant at each call site. */
// @ts-ignore: decorator
@inline function decideBatch(s: SamplerState, count: u32, positions: usize, out: usize, base: u32, asMask: bool): u32 {
  s.seen += count;
  const n = <u64>count;
  let at = s.skip - 1; // index in this batch of the next selected packet
  let k: u32 = 0;
  if (at < n) {
    const interval = s.interval;
    const mode = s.mode;
    if (interval == 1) {
      // Every packet (no draws).
      if (asMask) {
        memory.fill(out + <usize>at, 1, <usize>(n - at));
        k = <u32>(n - at);
      } else {
        for (let i = at; i < n; i++) emit(false, out, k++, positions, i, base);
      }
      at = n;
    } else if (mode == MODE_RANDOM || mode == MODE_SFLOW) {
      // random: one selected packet per window; after position t of this window, the next
      // selected one is t' of the next window, N − t + t' packets further (t' = below(N)).
      // sflow: the next one is 1 + below(2N − 1) packets further.
      // The generator (xoshiro128**, then Lemire's bounded draw, exactly as xoshiroNext and
      // xoshiroBelow) runs on locals: its state stays in registers for the whole batch.
      const windowed = mode == MODE_RANDOM;
      const bound = windowed ? interval : 2 * interval - 1;
      const threshold = (<u32>0 - bound) % bound;
      const span = <u64>interval;
      let target = s.target;
      let s0 = s.rng0, s1 = s.rng1, s2 = s.rng2, s3 = s.rng3;
      while (at < n) {
        emit(asMask, out, k++, positions, at, base);
        let m: u64 = 0;
        do {
          const r = rotl<u32>(s1 * 5, 7) * 9;
          const t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = rotl<u32>(s3, 11);
          m = (<u64>r) * (<u64>bound);
        } while (<u32>m < threshold);
        const next = <u32>(m >> 32);
        if (windowed) {
          at += span - <u64>target + <u64>next;
          target = next;
        } else {
          at += <u64>next + 1;
        }
      }
      s.rng0 = s0;
      s.rng1 = s1;
      s.rng2 = s2;
      s.rng3 = s3;
      s.target = target;
    } else if (mode == MODE_BERNOULLI) {
      const inverseLog = s.inverseLog;
      while (at < n) {
        emit(asMask, out, k++, positions, at, base);
        at += geometricSkip(stream(s), inverseLog);
      }
    } else {
      const span = <u64>interval;
      while (at < n) {
        emit(asMask, out, k++, positions, at, base);
        at += span;
      }
    }
  }
  s.skip = at - n + 1;
  s.selected += k;
  return k;
}
