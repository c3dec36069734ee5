// The state record of one packet sampler (kept apart from sampler.ts so that only functions
// become module exports). Samplers live in unmanaged memory: alone (one per `Sampler` object)
// or in a selector's fixed array of slots (assembly/sampler/selector-state.ts).

/** Sampling modes, as numbered in the TypeScript API (`SamplerMode`). */
export const MODE_RANDOM: u32 = 0;
export const MODE_BERNOULLI: u32 = 1;
export const MODE_DETERMINISTIC: u32 = 2;
export const MODE_SFLOW: u32 = 3;

/** Largest interval N (the seed's `one-out-of <1-65535>`). */
export const MAX_INTERVAL: u32 = 65535;

@unmanaged export class SamplerState {
  /** The xoshiro128** state: these four words must stay first (the record's address is the stream's). */
  rng0: u32;
  rng1: u32;
  rng2: u32;
  rng3: u32;
  mode: u32;
  /** N: one packet out of N on average. */
  interval: u32;
  /** `random` mode: position (0 … N−1) of the selected packet in the current window. */
  target: u32;
  /** 1 while the record is configured (selector slots), 0 when free. */
  live: u32;
  /** Distance from the next packet to arrive to the next selected one (1 = the next packet). */
  skip: u64;
  /** `bernoulli` mode: 1 / ln(1 − 1/N). */
  inverseLog: f64;
  /** Packets the sampler has decided on (its population). */
  seen: u64;
  /** Packets it selected. */
  selected: u64;
}

/** Bytes of one record (a multiple of 8, so arrays of records stay aligned). */
export const SAMPLER_BYTES: usize = 64;

// @layout src/sampling/layout.ts
/** Words (f64) of a saved sampler state (`samplerSaveState`, `samplerRestoreState`); the last is reserved (0). */
export const SAVED_RNG0: u32 = 0;
export const SAVED_RNG1: u32 = 1;
export const SAVED_RNG2: u32 = 2;
export const SAVED_RNG3: u32 = 3;
export const SAVED_MODE: u32 = 4;
export const SAVED_INTERVAL: u32 = 5;
export const SAVED_TARGET: u32 = 6;
export const SAVED_SKIP: u32 = 7;
export const SAVED_SEEN: u32 = 8;
export const SAVED_SELECTED: u32 = 9;
export const SAVED_RESERVED: u32 = 10;
export const SAVED_WORDS: u32 = 11;
// @end-layout
