// Packet samplers (Random Sampled NetFlow and its relatives, seed 003:L733–L837): one packet
// out of N, decided for a whole batch per call with skip-ahead (cost per selected packet, not
// per packet). Modes: `random` (one packet at a uniformly random position in each window of
// N, the Cisco "one-out-of N"), `bernoulli` (each packet independently with probability 1/N,
// drawn as geometric skips), `deterministic` (every Nth packet, the older Sampled NetFlow) and
// `sflow` (skips uniform on 1 … 2N−1, the sFlow reference agent's rule).
//
// Each sampler draws from its own xoshiro128** stream: SplitMix64(seed), jumped 2^64 steps
// `stream` times, so samplers sharing a seed never share random numbers.

import { xoshiroSeed, xoshiroJump, xoshiroNext } from "./common/prng";
import {
  SamplerState, SAMPLER_BYTES, MAX_INTERVAL, MODE_BERNOULLI, MODE_SFLOW, SAVED_RNG0, SAVED_RNG1, SAVED_RNG2, SAVED_RNG3,
  SAVED_MODE, SAVED_INTERVAL, SAVED_TARGET, SAVED_SKIP, SAVED_SEEN, SAVED_SELECTED, SAVED_RESERVED,
} from "./sampler/state";
import { geometricInverseLog } from "./common/skips";
import { samplerConfigure, samplerDecide, samplerDecideGather, samplerDecideMask } from "./sampler/decide";

export * from "./sampler/selector";

/** Status of `samplerReconfigure`. */
export const SAMPLER_OK: i32 = 0;
export const SAMPLER_BAD_MODE: i32 = -1;
export const SAMPLER_BAD_INTERVAL: i32 = -2;
export const SAMPLER_BAD_STATE: i32 = -3;

/** Words of a saved sampler state (`samplerSaveState` / `samplerRestoreState`), as f64. */
export const SAMPLER_SAVED_WORDS: i32 = 11;

function validConfiguration(mode: u32, interval: u32): i32 {
  if (mode > MODE_SFLOW) return SAMPLER_BAD_MODE;
  if (interval < 1 || interval > MAX_INTERVAL) return SAMPLER_BAD_INTERVAL;
  return SAMPLER_OK;
}

/** Seeds the stream of `s`: SplitMix64 of the seed, then `stream` jumps of 2^64 outputs. */
export function samplerSeedStream(s: SamplerState, seedLow: u32, seedHigh: u32, stream: u32): void {
  const address = changetype<usize>(s);
  xoshiroSeed(address, ((<u64>seedHigh) << 32) | <u64>seedLow);
  for (let i: u32 = 0; i < stream; i++) xoshiroJump(address);
}

/**
 * A sampler in `mode` (0 random, 1 bernoulli, 2 deterministic, 3 sflow) selecting one packet
 * out of `interval` (1 … 65535) on average, drawing from stream `stream` of the 64-bit seed.
 * Returns 0 (no sampler) when the mode or interval is out of range.
 */
export function samplerCreate(mode: u32, interval: u32, seedLow: u32, seedHigh: u32, stream: u32): SamplerState {
  if (validConfiguration(mode, interval) != SAMPLER_OK) return changetype<SamplerState>(0);
  const s = changetype<SamplerState>(heap.alloc(SAMPLER_BYTES));
  memory.fill(changetype<usize>(s), 0, SAMPLER_BYTES);
  samplerSeedStream(s, seedLow, seedHigh, stream);
  s.live = 1;
  samplerConfigure(s, mode, interval);
  return s;
}

/** Frees the sampler. The handle must not be used afterwards. */
export function samplerDestroy(s: SamplerState): void {
  heap.free(changetype<usize>(s));
}

/**
 * Starts the sampler afresh on stream `stream` of a new seed: as `samplerCreate` with the
 * current mode and interval, counters zeroed.
 */
export function samplerReseed(s: SamplerState, seedLow: u32, seedHigh: u32, stream: u32): void {
  samplerSeedStream(s, seedLow, seedHigh, stream);
  s.seen = 0;
  s.selected = 0;
  samplerConfigure(s, s.mode, s.interval);
}

/**
 * Changes mode and interval; the stream continues (the new first skip is drawn from it) and
 * the counters are kept. Returns SAMPLER_OK or a negative status (nothing changed).
 */
export function samplerReconfigure(s: SamplerState, mode: u32, interval: u32): i32 {
  const status = validConfiguration(mode, interval);
  if (status == SAMPLER_OK) samplerConfigure(s, mode, interval);
  return status;
}

/**
 * Decides on the next `count` packets: writes the index (plus `base`) of each selected one to
 * `out` (u32, ascending; room for `count` entries) and returns how many were selected.
 */
export function samplerSelect(s: SamplerState, count: u32, out: usize, base: u32): u32 {
  return samplerDecide(s, count, out, base);
}

/**
 * Decides on `count` packets whose indices are `positions[0 … count−1]` (u32): writes the
 * selected indices (plus `base`) to `out` and returns how many.
 */
export function samplerSelectFrom(s: SamplerState, positions: usize, count: u32, out: usize, base: u32): u32 {
  return samplerDecideGather(s, count, positions, out, base);
}

/** Decides on the next `count` packets as a mask (u8 per packet, 1 = selected); returns how many. */
export function samplerSelectMask(s: SamplerState, count: u32, mask: usize): u32 {
  return samplerDecideMask(s, count, mask);
}

/** Packets decided on since creation (f64: exact to 2^53). */
export function samplerSeen(s: SamplerState): f64 {
  return <f64>s.seen;
}

/** Packets selected since creation. */
export function samplerSelected(s: SamplerState): f64 {
  return <f64>s.selected;
}

/** Zeroes the counters (the decisions go on unchanged). */
export function samplerClearCounters(s: SamplerState): void {
  s.seen = 0;
  s.selected = 0;
}

/**
 * Writes the whole state as SAMPLER_SAVED_WORDS f64 values to `out`: the four stream words,
 * mode, interval, target, skip, seen, selected, and 0 (reserved).
 */
export function samplerSaveState(s: SamplerState, out: usize): void {
  store<f64>(out, <f64>s.rng0, SAVED_RNG0 << 3);
  store<f64>(out, <f64>s.rng1, SAVED_RNG1 << 3);
  store<f64>(out, <f64>s.rng2, SAVED_RNG2 << 3);
  store<f64>(out, <f64>s.rng3, SAVED_RNG3 << 3);
  store<f64>(out, <f64>s.mode, SAVED_MODE << 3);
  store<f64>(out, <f64>s.interval, SAVED_INTERVAL << 3);
  store<f64>(out, <f64>s.target, SAVED_TARGET << 3);
  store<f64>(out, <f64>s.skip, SAVED_SKIP << 3);
  store<f64>(out, <f64>s.seen, SAVED_SEEN << 3);
  store<f64>(out, <f64>s.selected, SAVED_SELECTED << 3);
  store<f64>(out, 0, SAVED_RESERVED << 3);
}

/**
 * Restores a state written by `samplerSaveState` (possibly edited: tests set the stream
 * words). Returns SAMPLER_OK, or a negative status when the values are inconsistent
 * (nothing changed then).
 */
export function samplerRestoreState(s: SamplerState, input: usize): i32 {
  const mode = load<f64>(input, SAVED_MODE << 3);
  const interval = load<f64>(input, SAVED_INTERVAL << 3);
  const target = load<f64>(input, SAVED_TARGET << 3);
  const skip = load<f64>(input, SAVED_SKIP << 3);
  if (!(mode >= 0 && mode <= <f64>MODE_SFLOW && mode == Math.floor(mode))) return SAMPLER_BAD_MODE;
  if (!(interval >= 1 && interval <= <f64>MAX_INTERVAL && interval == Math.floor(interval))) return SAMPLER_BAD_INTERVAL;
  // A skip beyond 2^32 or a target outside the window cannot come from a real sampler.
  if (!(target >= 0 && target < interval && skip >= 1 && skip <= 4294967296.0 && skip == Math.floor(skip))) return SAMPLER_BAD_STATE;
  const seen = load<f64>(input, SAVED_SEEN << 3);
  const selected = load<f64>(input, SAVED_SELECTED << 3);
  if (!(seen >= 0 && seen <= 9007199254740992.0 && selected >= 0 && selected <= seen)) return SAMPLER_BAD_STATE;
  for (let i = 0; i < 4; i++) {
    const w = load<f64>(input + ((<usize>SAVED_RNG0 + <usize>i) << 3));
    if (!(w >= 0 && w <= 4294967295.0 && w == Math.floor(w))) return SAMPLER_BAD_STATE;
  }
  const w0 = <u32>load<f64>(input, SAVED_RNG0 << 3), w1 = <u32>load<f64>(input, SAVED_RNG1 << 3);
  const w2 = <u32>load<f64>(input, SAVED_RNG2 << 3), w3 = <u32>load<f64>(input, SAVED_RNG3 << 3);
  // The all-zero state is the generator's fixed point: never a real stream.
  if ((w0 | w1 | w2 | w3) == 0) return SAMPLER_BAD_STATE;
  s.rng0 = w0;
  s.rng1 = w1;
  s.rng2 = w2;
  s.rng3 = w3;
  s.mode = <u32>mode;
  s.interval = <u32>interval;
  s.target = <u32>target;
  s.skip = <u64>skip;
  s.inverseLog = s.mode == MODE_BERNOULLI && s.interval > 1 ? geometricInverseLog(s.interval) : 0;
  s.seen = <u64>seen;
  s.selected = <u64>selected;
  return SAMPLER_OK;
}

/** The next raw 32-bit output of the sampler's stream (diagnostics and known-answer tests). */
export function samplerNextRandom(s: SamplerState): u32 {
  return xoshiroNext(changetype<usize>(s));
}

/**
 * The baseline the benchmarks compare against: one coin per packet (a xoshiro128** draw
 * compared with ⌊2^32/N⌋), writing selected indices like `samplerSelect`. Not a mode of the
 * library: it costs a draw for every packet, which skip-ahead avoids.
 */
export function samplerCoinBaseline(s: SamplerState, count: u32, out: usize): u32 {
  const threshold: u64 = s.interval <= 1 ? 0x100000000 : <u64>(0x100000000 / <u64>s.interval);
  const address = changetype<usize>(s);
  let k: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    if (<u64>xoshiroNext(address) < threshold) store<u32>(out + ((<usize>(k++)) << 2), i);
  }
  s.seen += count;
  s.selected += k;
  return k;
}
