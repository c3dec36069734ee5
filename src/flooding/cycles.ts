/**
 * Brute-force properties of a later-than rule: every pair and every ordered triple of a small
 * sequence space, counting 2-cycles, incomparable pairs, transitivity violations and 3-cycles
 * (the shape of RFC 789's 8 → 40 → 44 → 8).
 */

import { ConfigError, describe } from "../errors.js";
import type { SequenceRule } from "./sequence.js";

/** Widest space the brute force accepts: 2^8 values, 2^24 ordered triples. */
export const MAX_BRUTE_FORCE_BITS = 8;

/** What the brute force found for one rule at one width. */
export interface RelationCounts {
  /** The rule's name. */
  rule: string;
  /** Width in bits. */
  bits: number;
  /** 2^bits. */
  values: number;
  /** No number is later than itself. */
  irreflexive: boolean;
  /** Unordered pairs {n, m}, n ≠ m, each later than the other (0 for an asymmetric rule). */
  twoCycles: number;
  /** Unordered pairs {n, m}, n ≠ m, neither later than the other. */
  incomparablePairs: number;
  /** Every distinct pair is comparable one way (a tournament). */
  total: boolean;
  /** Ordered triples (a, b, c) with a later than b, b later than c, and a not later than c. */
  transitivityViolations: number;
  /** Ordered triples (a, b, c) with b later than a, c later than b and a later than c (each cycle counted 3 times). */
  orderedThreeCycles: number;
  /** 3-sets {a, b, c} that form a cycle in some orientation. */
  unorderedThreeCycles: number;
  /** C(2^bits, 3), for the share of cyclic 3-sets. */
  threeSets: number;
}

function checkBruteForceBits(rule: SequenceRule): number {
  if (rule.bits > MAX_BRUTE_FORCE_BITS) {
    throw new ConfigError(
      "brute-force-bits",
      `brute force covers at most ${MAX_BRUTE_FORCE_BITS} bits (2^24 triples), got ${describe(rule.bits)}`,
      rule.bits,
    );
  }
  return 2 ** rule.bits;
}

/** The relation as an N×N table: entry n·N + m is 1 iff n is later than m. */
function relationTable(rule: SequenceRule, size: number): Uint8Array {
  const table = new Uint8Array(size * size);
  for (let n = 0; n < size; n++) for (let m = 0; m < size; m++) table[n * size + m] = rule.laterUnchecked(n, m) ? 1 : 0;
  return table;
}

/**
 * Counts, by brute force over every pair and every ordered triple, how far `rule` is from an
 * order: reflexive pairs, 2-cycles, incomparable pairs, transitivity violations and 3-cycles.
 * At 6 bits RFC 789's LATER has 10,912 cyclic 3-sets of 41,664 and its strict fix 9,920
 * (research seq.md §1.2); the linear space has none.
 *
 * @throws ConfigError when the rule is wider than {@link MAX_BRUTE_FORCE_BITS}
 */
export function countRelation(rule: SequenceRule): RelationCounts {
  const size = checkBruteForceBits(rule);
  const later = relationTable(rule, size);
  let irreflexive = true;
  let twoCycles = 0;
  let incomparablePairs = 0;
  for (let n = 0; n < size; n++) {
    if (later[n * size + n]) irreflexive = false;
    for (let m = n + 1; m < size; m++) {
      const forward = later[n * size + m]!;
      const backward = later[m * size + n]!;
      if (forward && backward) twoCycles++;
      else if (!forward && !backward) incomparablePairs++;
    }
  }
  let transitivityViolations = 0;
  let orderedThreeCycles = 0;
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      if (b === a) continue;
      const aOverB = later[a * size + b]!;
      const bOverA = later[b * size + a]!;
      if (!aOverB && !bOverA) continue;
      for (let c = 0; c < size; c++) {
        if (c === a || c === b) continue;
        if (aOverB && later[b * size + c] && !later[a * size + c]) transitivityViolations++;
        if (bOverA && later[c * size + b] && later[a * size + c]) orderedThreeCycles++;
      }
    }
  }
  let unorderedThreeCycles = 0;
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      for (let c = b + 1; c < size; c++) {
        const upward = later[b * size + a] && later[c * size + b] && later[a * size + c];
        const downward = later[a * size + b] && later[b * size + c] && later[c * size + a];
        if (upward || downward) unorderedThreeCycles++;
      }
    }
  }
  return {
    rule: rule.name,
    bits: rule.bits,
    values: size,
    irreflexive,
    twoCycles,
    incomparablePairs,
    total: twoCycles === 0 && incomparablePairs === 0,
    transitivityViolations,
    orderedThreeCycles,
    unorderedThreeCycles,
    threeSets: (size * (size - 1) * (size - 2)) / 6,
  };
}

/** The three numbers in cycle order [x, y, z]: y later than x, z later than y, x later than z. */
export type ThreeCycle = [number, number, number];

function orient(rule: SequenceRule, a: number, b: number, c: number): ThreeCycle | null {
  const later = rule.laterUnchecked;
  if (later(b, a) && later(c, b) && later(a, c)) return [a, b, c];
  if (later(c, a) && later(b, c) && later(a, b)) return [a, c, b];
  return null;
}

/**
 * The first 3-cycle of `rule` in ascending order of its numbers (a < b < c), or null if the rule
 * has none: 0/1/33 for RFC 789 at 6 bits, 0/2/33 for the strict fix, 0/2/17 for the lollipop.
 *
 * @throws ConfigError when the rule is wider than {@link MAX_BRUTE_FORCE_BITS}
 */
export function findThreeCycle(rule: SequenceRule): ThreeCycle | null {
  const size = checkBruteForceBits(rule);
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      for (let c = b + 1; c < size; c++) {
        const cycle = orient(rule, a, b, c);
        if (cycle !== null) return cycle;
      }
    }
  }
  return null;
}

/**
 * The rule's most evenly spread 3-cycle, the hardest for a rate assumption to exclude: three
 * numbers a third of the rule's circle apart (0/21/42 at 6 bits for RFC 789, its strict fix and
 * RFC 1982; 0/10/21 on the lollipop's 32-value circle), or null when they do not form a cycle
 * (the linear space, and circles too small for one). Any width; no brute force.
 */
export function evenlySpreadCycle(rule: SequenceRule): ThreeCycle | null {
  const circle = rule.name === "lollipop" ? 2 ** (rule.bits - 1) : 2 ** rule.bits;
  const third = Math.floor(circle / 3);
  const [a, b, c] = [0, third, Math.floor((2 * circle) / 3)];
  if (a === b || b === c) return null;
  return orient(rule, a, b, c);
}

/**
 * The number of values in the longest chain v1, v2, … of distinct members of `values` with
 * each later than the one before, under `later` restricted to those values; null when the
 * restriction has a cycle (no bound). In the flooding simulator a node that starts empty can
 * accept at most this many updates when the restriction is acyclic.
 */
export function longestChain(values: readonly number[], later: (n: number, m: number) => boolean): number | null {
  const distinct = [...new Set(values)];
  const memo = new Map<number, number>();
  const onPath = new Set<number>();
  let cyclic = false;
  const depth = (v: number): number => {
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) {
      cyclic = true;
      return 0;
    }
    onPath.add(v);
    let best = 1;
    for (const w of distinct) if (w !== v && later(w, v)) best = Math.max(best, 1 + depth(w));
    onPath.delete(v);
    memo.set(v, best);
    return best;
  };
  let longest = 0;
  for (const v of distinct) longest = Math.max(longest, depth(v));
  return cyclic ? null : longest;
}
