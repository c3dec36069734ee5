/**
 * A synthetic routing table with the prefix-length distribution of a real full Internet table
 * (the iprbench "Tier1" snapshot: 901,899 IPv4 and 160,147 IPv6 prefixes; research/lpm.md §3)
 * and about half of the prefixes nested inside shorter ones, as in the real table. Deterministic
 * for a given seed. Used by `npm start`, and by tests and benchmarks when the real table is absent.
 */

import { Xoshiro128 } from "./random.js";

/** Prefix counts per length of the real IPv4 table (lengths 8..32; /25../31 spread evenly). */
export const IPV4_LENGTH_COUNTS: Readonly<Record<number, number>> = {
  8: 16, 9: 13, 10: 38, 11: 103, 12: 299, 13: 581, 14: 1203, 15: 2100, 16: 13490, 17: 8235, 18: 13798,
  19: 24870, 20: 42611, 21: 50750, 22: 108623, 23: 96510, 24: 537698, 25: 11, 26: 11, 27: 11, 28: 11,
  29: 11, 30: 10, 31: 10, 32: 886,
};

/** Prefix counts per length of the real IPv6 table. */
export const IPV6_LENGTH_COUNTS: Readonly<Record<number, number>> = {
  16: 1, 19: 1, 20: 16, 21: 3, 22: 7, 23: 8, 24: 30, 25: 8, 26: 15, 27: 20, 28: 193, 29: 4371, 30: 650,
  31: 284, 32: 22548, 33: 2926, 34: 2603, 35: 1043, 36: 5996, 37: 880, 38: 1617, 39: 1377, 40: 13418,
  41: 903, 42: 2301, 43: 1001, 44: 14365, 45: 1553, 46: 3039, 47: 3153, 48: 75488, 49: 11, 50: 3, 52: 1,
  55: 1, 56: 24, 58: 20, 60: 2, 64: 184, 112: 2, 122: 1, 124: 4, 125: 9, 126: 19, 127: 42, 128: 6,
};

/** A generated table: prefixes as typed arrays, ready for `insertBatch`. */
export interface GeneratedTable {
  /** One word per IPv4 prefix, four per IPv6 prefix. */
  addresses: Uint32Array;
  lengths: Uint8Array;
  count: number;
}

export interface TableOptions {
  /** Number of prefixes (default: the real table's size for the family). */
  count?: number;
  /** Share of prefixes drawn inside an earlier, shorter prefix (default 0.5, as in the real table). */
  nested?: number;
  seed?: number;
}

function scaledCounts(base: Readonly<Record<number, number>>, count: number): [number, number][] {
  const total = Object.values(base).reduce((a, b) => a + b, 0);
  const lengths = Object.keys(base).map(Number).sort((a, b) => a - b);
  const counts = lengths.map((l) => [l, Math.floor((base[l]! * count) / total)] as [number, number]);
  // Hand out the rounding remainder to the most common lengths.
  let missing = count - counts.reduce((a, [, c]) => a + c, 0);
  const byShare = [...counts].sort((a, b) => b[1] - a[1]);
  for (let i = 0; missing > 0; i = (i + 1) % byShare.length, missing--) byShare[i]![1]++;
  return counts;
}

/** An IPv4 table with the real length distribution, in unicast space (1.0.0.0 - 223.255.255.255). */
export function generateIPv4Table(options: TableOptions = {}): GeneratedTable {
  const count = options.count ?? 901_899;
  const nested = options.nested ?? 0.5;
  const random = new Xoshiro128(options.seed ?? 1);
  const addresses = new Uint32Array(count);
  const lengths = new Uint8Array(count);
  const seen = new Set<number>();
  let n = 0;
  for (const [length, wanted] of scaledCounts(IPV4_LENGTH_COUNTS, count)) {
    const shorter = n;
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
    for (let made = 0, attempts = 0; made < wanted && attempts < wanted * 50; attempts++) {
      let address: number;
      if (shorter > 0 && random.float() < nested) {
        const parent = random.below(shorter);
        const parentLength = lengths[parent]!;
        const hostBits = parentLength === 0 ? 0xffffffff : 0xffffffff >>> parentLength;
        address = ((addresses[parent]! | (random.next() & hostBits)) & mask) >>> 0;
      } else {
        const first = 1 + random.below(223);
        address = (((first << 24) | (random.next() & 0xffffff)) & mask) >>> 0;
      }
      const key = address * 33 + length;
      if (seen.has(key)) continue;
      seen.add(key);
      addresses[n] = address;
      lengths[n] = length;
      n++;
      made++;
    }
  }
  return { addresses: addresses.subarray(0, n), lengths: lengths.subarray(0, n), count: n };
}

/** An IPv6 table with the real length distribution, inside 2000::/3. */
export function generateIPv6Table(options: TableOptions = {}): GeneratedTable {
  const count = options.count ?? 160_147;
  const nested = options.nested ?? 0.5;
  const random = new Xoshiro128(options.seed ?? 2);
  const addresses = new Uint32Array(count * 4);
  const lengths = new Uint8Array(count);
  const seen = new Set<string>();
  const words = new Uint32Array(4);
  let n = 0;
  for (const [length, wanted] of scaledCounts(IPV6_LENGTH_COUNTS, count)) {
    const shorter = n;
    for (let made = 0, attempts = 0; made < wanted && attempts < wanted * 50; attempts++) {
      if (shorter > 0 && random.float() < nested) {
        const parent = random.below(shorter);
        const parentLength = lengths[parent]!;
        for (let w = 0; w < 4; w++) {
          const fixed = Math.max(0, Math.min(32, parentLength - w * 32));
          const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
          words[w] = ((addresses[parent * 4 + w]! & keep) | (random.next() & ~keep)) >>> 0;
        }
      } else {
        for (let w = 0; w < 4; w++) words[w] = random.next();
        words[0] = ((words[0]! & 0x1fffffff) | 0x20000000) >>> 0;
      }
      for (let w = 0; w < 4; w++) {
        const keepBits = Math.max(0, Math.min(32, length - w * 32));
        words[w] = keepBits === 0 ? 0 : (words[w]! & ((0xffffffff << (32 - keepBits)) >>> 0)) >>> 0;
      }
      const key = `${words.join(",")}/${length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      addresses.set(words, n * 4);
      lengths[n] = length;
      n++;
      made++;
    }
  }
  return { addresses: addresses.subarray(0, n * 4), lengths: lengths.subarray(0, n), count: n };
}
