// Pseudo-random numbers for samplers and tests, with no host imports.
//
// xoshiro128** 1.1 (Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators",
// ACM TOMS 2021): 128 bits of state in four u32 words, period 2^128 − 1. Seeded through
// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014) because the first outputs of xoshiro are poor
// for low-entropy states. `xoshiroJump` advances 2^64 steps, which gives each user of one
// seed its own non-overlapping stream.
//
// The state lives at a caller-owned address (16 bytes), so one module can hold many streams.

/** One SplitMix64 step: returns the output, the new state is `state + 0x9e3779b97f4a7c15`. */
// @ts-ignore: decorator
@inline export function splitMix64(state: u64): u64 {
  let z = state + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Fills the 16-byte xoshiro128** state at `state` from a 64-bit seed via SplitMix64. */
export function xoshiroSeed(state: usize, seed: u64): void {
  const a = splitMix64(seed);
  const b = splitMix64(seed + 0x9e3779b97f4a7c15);
  store<u32>(state, <u32>a);
  store<u32>(state, <u32>(a >> 32), 4);
  store<u32>(state, <u32>b, 8);
  store<u32>(state, <u32>(b >> 32), 12);
  // An all-zero state is the one fixed point of the generator.
  if ((load<u64>(state) | load<u64>(state, 8)) == 0) store<u32>(state, 1);
}

/** Next 32-bit output of xoshiro128** at `state`. */
// @ts-ignore: decorator
@inline export function xoshiroNext(state: usize): u32 {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let s3 = load<u32>(state, 12);
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
  return result;
}

/** Advances the stream at `state` by 2^64 outputs (the published jump polynomial). */
export function xoshiroJump(state: usize): void {
  let j0: u32 = 0, j1: u32 = 0, j2: u32 = 0, j3: u32 = 0;
  for (let w = 0; w < 4; w++) {
    const poly: u32 = w == 0 ? 0x8764000b : w == 1 ? 0xf542d2d3 : w == 2 ? 0x6fa035c3 : 0x77f2db5b;
    for (let b = 0; b < 32; b++) {
      if (poly & (<u32>1 << b)) {
        j0 ^= load<u32>(state);
        j1 ^= load<u32>(state, 4);
        j2 ^= load<u32>(state, 8);
        j3 ^= load<u32>(state, 12);
      }
      xoshiroNext(state);
    }
  }
  store<u32>(state, j0);
  store<u32>(state, j1, 4);
  store<u32>(state, j2, 8);
  store<u32>(state, j3, 12);
}

/** A uniform integer in [0, bound) without modulo bias (Lemire, ACM TOMACS 2019). */
export function xoshiroBelow(state: usize, bound: u32): u32 {
  let m = (<u64>xoshiroNext(state)) * (<u64>bound);
  let low = <u32>m;
  if (low < bound) {
    const threshold = (<u32>0 - bound) % bound;
    while (low < threshold) {
      m = (<u64>xoshiroNext(state)) * (<u64>bound);
      low = <u32>m;
    }
  }
  return <u32>(m >> 32);
}
