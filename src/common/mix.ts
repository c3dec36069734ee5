/**
 * The 64-bit mixes that the WebAssembly side uses where a choice must be reproducible from
 * TypeScript (the twins, simulators): murmur3's finaliser and CEF's load-sharing bucket.
 */

const MASK = (1n << 64n) - 1n;

/** murmur3's 64-bit finaliser (a bijection with full avalanche), on unsigned 64-bit BigInts. */
export function fmix64(x: bigint): bigint {
  x &= MASK;
  x ^= x >> 33n;
  x = (x * 0xff51afd7ed558ccdn) & MASK;
  x ^= x >> 33n;
  x = (x * 0xc4ceb9fe1a85ec53n) & MASK;
  x ^= x >> 33n;
  return x;
}

/**
 * The load-sharing bucket (0..15) of an IPv4 destination, and source when the choice is per
 * source-destination pair (0 otherwise): the top four bits of `fmix64((source << 32 | dst) ^ key)`.
 */
export function loadShareBucket(key: bigint, destination: number, source = 0): number {
  const word = (BigInt(source >>> 0) << 32n) | BigInt(destination >>> 0);
  return Number(fmix64(word ^ key) >> 60n);
}

/** The load-sharing bucket of an IPv6 destination given as four words, most significant first. */
export function loadShareBucket6(key: bigint, words: ArrayLike<number>): number {
  const high = (BigInt(words[0]! >>> 0) << 32n) | BigInt(words[1]! >>> 0);
  const low = (BigInt(words[2]! >>> 0) << 32n) | BigInt(words[3]! >>> 0);
  return Number(fmix64(fmix64(high ^ key) ^ low) >> 60n);
}
