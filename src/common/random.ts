/**
 * xoshiro128** seeded through SplitMix64: the TypeScript twin of assembly/common/prng.ts, for
 * workload generators and for reference implementations that must draw the same numbers.
 */

const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 output for `state` (the next state is `state + 0x9e3779b97f4a7c15`). */
export function splitMix64(state: bigint): bigint {
  let z = (state + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** A xoshiro128** stream. */
export class Xoshiro128 {
  readonly state = new Uint32Array(4);

  /** Seeds from a 64-bit value exactly as `xoshiroSeed` does in the WebAssembly core. */
  constructor(seed: number | bigint = 0) {
    const s = BigInt.asUintN(64, BigInt(seed));
    const a = splitMix64(s);
    const b = splitMix64((s + 0x9e3779b97f4a7c15n) & MASK64);
    this.state[0] = Number(a & 0xffffffffn);
    this.state[1] = Number(a >> 32n);
    this.state[2] = Number(b & 0xffffffffn);
    this.state[3] = Number(b >> 32n);
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** The next unsigned 32-bit output. */
  next(): number {
    const s = this.state;
    const s1 = s[1]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s1;
    s[1] = s1 ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Advances 2^64 outputs (the published jump polynomial). */
  jump(): void {
    const poly = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
    const j = new Uint32Array(4);
    for (const word of poly) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) for (let k = 0; k < 4; k++) j[k] = j[k]! ^ this.state[k]!;
        this.next();
      }
    }
    this.state.set(j);
  }

  /** A uniform integer in [0, bound), bound ≤ 2^32, without modulo bias (Lemire 2019). */
  below(bound: number): number {
    // 32×32→64-bit product split in halves to stay exact in doubles.
    let x = this.next();
    let m = mul64(x, bound);
    if (m.low < bound) {
      const threshold = (2 ** 32 - bound) % bound;
      while (m.low < threshold) {
        x = this.next();
        m = mul64(x, bound);
      }
    }
    return m.high;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function mul64(a: number, b: number): { high: number; low: number } {
  const aLow = a & 0xffff,
    aHigh = a >>> 16;
  const bLow = b & 0xffff,
    bHigh = Math.floor(b / 65536);
  const low = aLow * bLow;
  const mid = aHigh * bLow + aLow * bHigh;
  const high = aHigh * bHigh;
  const total = low + (mid % 65536) * 65536;
  return { low: total % 4294967296, high: high + Math.floor(mid / 65536) + Math.floor(total / 4294967296) };
}
