/**
 * Counter-based random numbers for workload generators: a value is a function of (key, counter),
 * so a generator can recompute the draw behind any packet (a TCP retransmission goes to the
 * same target as its SYN) without storing it. The finaliser is the "lowbias32" integer hash
 * (C. Wellons, hash-prospector, 2018: bias 0.17 over all 32-bit inputs), chained so that every
 * input word passes through a full mix.
 */

/** The lowbias32 finaliser: a bijection of 32-bit integers with good avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit draw for (key, a, b, c): each word folded into the state through a full mix. */
export function draw32(key: number, a: number, b: number, c = 0): number {
  let h = mix32((key ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ a) >>> 0);
  h = mix32((h + Math.imul(b, 0x85ebca6b)) >>> 0);
  return mix32((h ^ Math.imul(c + 1, 0xc2b2ae35)) >>> 0);
}
