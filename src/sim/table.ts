/**
 * A synthetic routing table with the prefix-length distribution of a real full Internet table
 * (the iprbench "Tier1" snapshot: 901,899 IPv4 and 160,147 IPv6 prefixes; research/lpm.md §3)
 * and about half of the prefixes nested inside shorter ones, as in the real table. Deterministic
 * for a given seed. Used by `npm start`, and by tests and benchmarks when the real table is absent.
 */

import { Xoshiro128 } from "../common/random.js";

/** Prefix counts per length of the real IPv4 table (lengths 8..32; /25../31 spread evenly). */
export const IPV4_LENGTH_COUNTS: Readonly<Record<number, number>> = {
  8: 16,
  9: 13,
  10: 38,
  11: 103,
  12: 299,
  13: 581,
  14: 1203,
  15: 2100,
  16: 13490,
  17: 8235,
  18: 13798,
  19: 24870,
  20: 42611,
  21: 50750,
  22: 108623,
  23: 96510,
  24: 537698,
  25: 11,
  26: 11,
  27: 11,
  28: 11,
  29: 11,
  30: 10,
  31: 10,
  32: 886,
};

/** Prefix counts per length of the real IPv6 table. */
export const IPV6_LENGTH_COUNTS: Readonly<Record<number, number>> = {
  16: 1,
  19: 1,
  20: 16,
  21: 3,
  22: 7,
  23: 8,
  24: 30,
  25: 8,
  26: 15,
  27: 20,
  28: 193,
  29: 4371,
  30: 650,
  31: 284,
  32: 22548,
  33: 2926,
  34: 2603,
  35: 1043,
  36: 5996,
  37: 880,
  38: 1617,
  39: 1377,
  40: 13418,
  41: 903,
  42: 2301,
  43: 1001,
  44: 14365,
  45: 1553,
  46: 3039,
  47: 3153,
  48: 75488,
  49: 11,
  50: 3,
  52: 1,
  55: 1,
  56: 24,
  58: 20,
  60: 2,
  64: 184,
  112: 2,
  122: 1,
  124: 4,
  125: 9,
  126: 19,
  127: 42,
  128: 6,
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
  /**
   * Share of prefixes drawn inside an earlier aggregate (default: the real table's share of
   * prefixes covered by a shorter one, 0.507 for IPv4 and 0.569 for IPv6).
   */
  nested?: number;
  seed?: number;
}

/**
 * How the real tables cluster: the number of distinct blocks at each 8-bit level that contain a
 * longer prefix (IPv4: 25,398 /16s and 451 /24s; IPv6: 59 /16s, 7,224 /24s, ...), and the
 * share of the prefixes of exactly that length that are such a block (an announced aggregate
 * with more-specifics inside: 43.6 % of the IPv4 /16s, 18.1 % of the IPv6 /32s). Measured on
 * the tier1 table of research/lpm.md §3.
 */
const IPV4_BLOCKS: BlockLevel[] = [
  [16, 25_398, 0.436],
  [24, 451, 0.0003],
];
const IPV6_BLOCKS: BlockLevel[] = [
  [16, 59, 0],
  [24, 7_224, 0.267],
  [32, 10_906, 0.181],
  [40, 19_078, 0.069],
  [48, 104, 0.0003],
  [56, 125, 0],
  [64, 82, 0],
];

/** A clustering level: prefix length, distinct blocks there, share of that length's prefixes that are blocks. */
type BlockLevel = [length: number, blocks: number, prefixShare: number];

/** The blocks of each level, and the blocks of the next level inside each block. */
interface Blocks {
  byLevel: Map<number, Uint32Array[]>;
  /** Keyed by `blockKey(length, block)`. */
  children: Map<string, Uint32Array[]>;
}

const blockKey = (length: number, block: Uint32Array): string => `${length}:${block.join(",")}`;

/**
 * One of `count` items, skewed towards the first (count · u³: the first tenth gets 46 % of the
 * draws). The real tables put most prefixes in a few crowded blocks and leave most blocks nearly
 * empty, so that most trie plies are small; with uniform draws the generated table had 20 %
 * more IPv4 plies and 55 % more IPv6 ones than the real table, and its lookups ran 25–30 %
 * slower. With this skew, the aggregates and the real nesting shares, the full generated
 * tables have 26,022 IPv4 plies (real: 25,850; the same 33,898,768 bytes) and 36,377 IPv6 ones
 * (real: 38,156), and the same mean of 3.5 plies per covered IPv6 lookup.
 */
function skewed(random: Xoshiro128, count: number): number {
  return Math.min(count - 1, Math.floor(count * random.float() ** 3));
}

/** Blocks per level, each inside a random block of the level above (the first inside `space`). */
function makeBlocks(levels: BlockLevel[], scale: number, words: number, random: Xoshiro128, space: (out: Uint32Array) => void): Blocks {
  const byLevel = new Map<number, Uint32Array[]>();
  const children = new Map<string, Uint32Array[]>();
  let parents: Uint32Array[] | undefined;
  let parentLength = 0;
  for (const [length, real] of levels) {
    const count = Math.max(1, Math.round(real * scale));
    const made: Uint32Array[] = [];
    const distinct = new Set<string>();
    for (let i = 0, attempts = 0; i < count && attempts < count * 20; attempts++) {
      const block = new Uint32Array(words);
      const parent = parents?.[random.below(parents.length)];
      if (parent === undefined) space(block);
      else {
        for (let w = 0; w < words; w++) block[w] = random.next();
        keepPrefix(block, parent, parentLength);
      }
      clearBeyond(block, length);
      // The real counts are of distinct blocks.
      const key = block.join(",");
      if (distinct.has(key)) continue;
      distinct.add(key);
      made.push(block);
      if (parent !== undefined) {
        const siblings = children.get(blockKey(parentLength, parent));
        if (siblings) siblings.push(block);
        else children.set(blockKey(parentLength, parent), [block]);
      }
      i++;
    }
    byLevel.set(length, made);
    parents = made;
    parentLength = length;
  }
  return { byLevel, children };
}

/** Copies the first `length` bits of `from` into `to`. */
function keepPrefix(to: Uint32Array, from: Uint32Array, length: number): void {
  for (let w = 0; w < to.length; w++) {
    const fixed = Math.max(0, Math.min(32, length - w * 32));
    const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
    to[w] = ((from[w]! & keep) | (to[w]! & ~keep)) >>> 0;
  }
}

/** Sets bits [length − width, length) of an address whose bits from there on are zero, to `value`. */
function setBitsBelow(words: Uint32Array, value: number, width: number, length: number): void {
  for (let b = 0; b < width; b++) {
    if ((value >>> b) & 1) {
      const position = length - 1 - b;
      words[position >>> 5] = (words[position >>> 5]! | (1 << (31 - (position & 31)))) >>> 0;
    }
  }
}

/** Clears every bit beyond `length`. */
function clearBeyond(words: Uint32Array, length: number): void {
  for (let w = 0; w < words.length; w++) {
    const fixed = Math.max(0, Math.min(32, length - w * 32));
    words[w] = fixed === 0 ? 0 : (words[w]! & ((0xffffffff << (32 - fixed)) >>> 0)) >>> 0;
  }
}

/**
 * The generator shared by both families: prefixes by increasing length; a share `nested` is drawn
 * inside an earlier aggregate (down its blocks, then in its first sub-blocks), a level's share of
 * the rest is one of the blocks of its length (an aggregate), and the others fall inside a
 * block of the deepest level above their length (or anywhere in `space` when there is none).
 */
function generate(
  words: number,
  lengthCounts: Readonly<Record<number, number>>,
  blockLevels: BlockLevel[],
  realTotal: number,
  defaultNested: number,
  options: TableOptions,
  defaultSeed: number,
  space: (out: Uint32Array, random: Xoshiro128) => void,
): GeneratedTable {
  const count = options.count ?? realTotal;
  const nested = options.nested ?? defaultNested;
  const random = new Xoshiro128(options.seed ?? defaultSeed);
  const { byLevel, children } = makeBlocks(blockLevels, count / realTotal, words, random, (out) => space(out, random));
  const addresses = new Uint32Array(count * words);
  const lengths = new Uint8Array(count);
  const seen = new Set<string>();
  const candidate = new Uint32Array(words);
  // Prefixes that are blocks (aggregates), by index: nested prefixes go inside them.
  const aggregates: number[] = [];
  let n = 0;
  for (const [length, wanted] of scaledCounts(lengthCounts, count)) {
    let level = 0;
    for (const [blockLength] of blockLevels) if (blockLength < length) level = blockLength;
    const pool = level > 0 ? byLevel.get(level)! : undefined;
    const own = byLevel.get(length);
    const ownShare = blockLevels.find(([blockLength]) => blockLength === length)?.[2] ?? 0;
    const shorterAggregates = aggregates.length;
    for (let made = 0, attempts = 0; made < wanted && attempts < wanted * 50; attempts++) {
      for (let w = 0; w < words; w++) candidate[w] = random.next();
      let aggregate = false;
      if (shorterAggregates > 0 && random.float() < nested) {
        // Inside an earlier aggregate, down its blocks as deep as they go above this length,
        // then in its first sub-blocks (allocations fill from the bottom).
        const parent = aggregates[skewed(random, shorterAggregates)]!;
        let block: Uint32Array = addresses.slice(parent * words, parent * words + words);
        let blockLength = lengths[parent]!;
        for (;;) {
          const inside = children.get(blockKey(blockLength, block));
          const next = blockLevels.find(([l]) => l > blockLength)?.[0];
          if (inside === undefined || next === undefined || next >= length) break;
          block = inside[skewed(random, inside.length)]!;
          blockLength = next;
        }
        candidate.set(block);
        const width = Math.min(length - blockLength, 8);
        setBitsBelow(candidate, random.below(2 ** width), width, length);
      } else if (own !== undefined && random.float() < ownShare) {
        // An aggregate: the prefix is one of the blocks that hold longer prefixes.
        candidate.set(own[random.below(own.length)]!);
        aggregate = true;
      } else if (pool !== undefined) {
        keepPrefix(candidate, pool[skewed(random, pool.length)]!, level);
      } else {
        space(candidate, random);
      }
      clearBeyond(candidate, length);
      const key = `${candidate.join(",")}/${length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      addresses.set(candidate, n * words);
      lengths[n] = length;
      if (aggregate) aggregates.push(n);
      n++;
      made++;
    }
  }
  return { addresses: addresses.subarray(0, n * words), lengths: lengths.subarray(0, n), count: n };
}

function scaledCounts(base: Readonly<Record<number, number>>, count: number): [number, number][] {
  const total = Object.values(base).reduce((a, b) => a + b, 0);
  const lengths = Object.keys(base)
    .map(Number)
    .sort((a, b) => a - b);
  const counts = lengths.map((l) => [l, Math.floor((base[l]! * count) / total)] as [number, number]);
  // Hand out the rounding remainder to the most common lengths.
  let missing = count - counts.reduce((a, [, c]) => a + c, 0);
  const byShare = [...counts].sort((a, b) => b[1] - a[1]);
  for (let i = 0; missing > 0; i = (i + 1) % byShare.length, missing--) byShare[i]![1]++;
  return counts;
}

/** An IPv4 table with the real length distribution, in unicast space (1.0.0.0 - 223.255.255.255). */
export function generateIPv4Table(options: TableOptions = {}): GeneratedTable {
  return generate(1, IPV4_LENGTH_COUNTS, IPV4_BLOCKS, 901_899, 0.507, options, 1, (out, random) => {
    out[0] = (((1 + random.below(223)) << 24) | (random.next() & 0xffffff)) >>> 0;
  });
}

/** An IPv6 table with the real length distribution, inside 2000::/3. */
export function generateIPv6Table(options: TableOptions = {}): GeneratedTable {
  return generate(4, IPV6_LENGTH_COUNTS, IPV6_BLOCKS, 160_147, 0.569, options, 2, (out, random) => {
    for (let w = 0; w < 4; w++) out[w] = random.next();
    out[0] = ((out[0]! & 0x1fffffff) | 0x20000000) >>> 0;
  });
}
