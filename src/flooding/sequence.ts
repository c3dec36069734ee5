/**
 * Sequence-number "later than" rules for routing updates, for any width of 2 to 32 bits.
 *
 * A b-bit sequence number is an unsigned integer 0 … 2^b − 1 (for the linear and lollipop
 * spaces the same bit pattern is read as two's complement). Write N = 2^b and H = 2^(b−1).
 * Every rule answers "is update n more recently generated than update m?". Only the linear
 * (OSPF) space is acyclic; RFC 789's LATER, its strict fix, RFC 1982 and the lollipop all have
 * 3-cycles such as the 8 → 40 → 44 → 8 of 27 October 1980 (see `cycles.ts`).
 */

import { ConfigError, describe } from "../errors.js";

/** Smallest and largest sequence-number width accepted by every rule, in bits. */
export const MIN_SEQUENCE_BITS = 2;
/** Largest sequence-number width accepted by every rule, in bits (OSPF's 32). */
export const MAX_SEQUENCE_BITS = 32;

/** The names of the rules, as the CLI spells them. */
export type SequenceRuleName = "rfc789" | "strict" | "rfc1982" | "lollipop" | "ospf";

/** Every rule, in the order RFC 789 → OSPF. */
export const SEQUENCE_RULE_NAMES: readonly SequenceRuleName[] = ["rfc789", "strict", "rfc1982", "lollipop", "ospf"];

/**
 * How update n relates to update m: `newer` (n is later), `older` (m is later), `equal`
 * (same number), or `incomparable` (neither is later: RFC 1982's undefined case, the strict
 * fix at distance H, the lollipop at distance H/2 on its circle).
 */
export type SequenceOrder = "newer" | "older" | "equal" | "incomparable";

/** Throws a ConfigError unless `bits` is an integer in 2 … 32. */
export function checkSequenceBits(bits: number): number {
  if (!Number.isInteger(bits) || bits < MIN_SEQUENCE_BITS || bits > MAX_SEQUENCE_BITS) {
    throw new ConfigError(
      "sequence-bits",
      `sequence-number width must be an integer from ${MIN_SEQUENCE_BITS} to ${MAX_SEQUENCE_BITS} bits, got ${describe(bits)}`,
      bits,
    );
  }
  return bits;
}

/** Throws a ConfigError unless `value` is an unsigned `bits`-bit integer. */
export function checkSequenceValue(value: number, bits: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new ConfigError(
      "sequence-value",
      `sequence number must be an integer from 0 to ${2 ** bits - 1} (${bits} bits), got ${describe(value)}`,
      value,
    );
  }
  return value;
}

function checked(n: number, m: number, bits: number): void {
  checkSequenceBits(bits);
  checkSequenceValue(n, bits);
  checkSequenceValue(m, bits);
}

/** The b-bit pattern `value` read as two's complement. */
export function signedSequence(value: number, bits: number): number {
  const half = 2 ** (bits - 1);
  return value >= half ? value - 2 * half : value;
}

// Unchecked kernels: the brute-force counters and the simulator call these millions of times
// on values they have validated once.

/** @internal RFC 789 LATER without argument checks. */
export function later789Unchecked(n: number, m: number, bits: number): boolean {
  const half = 2 ** (bits - 1);
  return (n > m && n - m <= half) || (n < m && m - n > half);
}

/** @internal The strict fix (= RFC 1982 "greater") without argument checks. */
export function laterStrictUnchecked(n: number, m: number, bits: number): boolean {
  const half = 2 ** (bits - 1);
  return (n > m && n - m < half) || (n < m && m - n > half);
}

/** @internal The lollipop without argument checks. */
export function laterLollipopUnchecked(n: number, m: number, bits: number): boolean {
  const sn = signedSequence(n, bits);
  const sm = signedSequence(m, bits);
  if (sn === sm) return false;
  if (sn < 0 || sm < 0) return sn > sm;
  const circle = 2 ** (bits - 1);
  const distance = (((sn - sm) % circle) + circle) % circle;
  return distance > 0 && distance < circle / 2;
}

/** @internal The linear space without argument checks. */
export function laterLinearUnchecked(n: number, m: number, bits: number): boolean {
  return signedSequence(n, bits) > signedSequence(m, bits);
}

/**
 * RFC 789's LATER (ARPANET IMP routing updates, 6-bit numbers in 1980): n is LATER than m iff
 * (a) n > m and n − m ≤ H, or (b) n < m and m − n > H, the numbers read as plain unsigned
 * integers. Total and asymmetric but not transitive: LATER(44, 40), LATER(40, 8) and
 * LATER(8, 44) all hold (RFC 789, "Vulnerabilities of Network Control Protocols").
 *
 * @param n - the candidate update's number, 0 … 2^bits − 1
 * @param m - the stored update's number
 * @param bits - width, 2 … 32 (default 6, the IMP's)
 * @throws ConfigError for a width or number out of range
 */
export function later789(n: number, m: number, bits = 6): boolean {
  checked(n, m, bits);
  return later789Unchecked(n, m, bits);
}

/**
 * RFC 789's proposed fix: clause (a) of LATER with "<" instead of "<=", so n is later than m
 * iff the upward distance (n − m) mod 2^b is 1 … H − 1. Numbers exactly H apart are
 * incomparable; 3-cycles such as 0 → 21 → 42 → 0 remain ("it cannot be guaranteed that no
 * related problems will ever arise", RFC 789).
 *
 * @param bits - width, 2 … 32 (default 6)
 * @throws ConfigError for a width or number out of range
 */
export function laterStrict(n: number, m: number, bits = 6): boolean {
  checked(n, m, bits);
  return laterStrictUnchecked(n, m, bits);
}

/** RFC 1982 §3.2's answer for a pair of serial numbers; `undefined` is the case the RFC leaves open. */
export type SerialOrder = "less" | "equal" | "greater" | "undefined";

/**
 * RFC 1982 serial-number arithmetic, §3.2: s1 < s2 iff i1 ≠ i2 and (i1 < i2 and i2 − i1 < H,
 * or i1 > i2 and i1 − i2 > H); s1 > s2 symmetrically. For i1 − i2 = ±H the RFC says the
 * comparison is undefined (an implementation may answer either way or report an error); this
 * function returns `"undefined"` so that the case cannot be resolved silently in both directions.
 *
 * @param bits - SERIAL_BITS, 2 … 32 (default 32)
 * @throws ConfigError for a width or number out of range
 */
export function compareSerialNumbers(s1: number, s2: number, bits = 32): SerialOrder {
  checked(s1, s2, bits);
  if (s1 === s2) return "equal";
  if (laterStrictUnchecked(s1, s2, bits)) return "greater";
  if (laterStrictUnchecked(s2, s1, bits)) return "less";
  return "undefined";
}

/**
 * RFC 1982 "s1 is greater than s2" as a later-than rule. It agrees with {@link laterStrict} on
 * every pair; the undefined pairs (distance H) are answered `false` both ways.
 *
 * @param bits - SERIAL_BITS, 2 … 32 (default 6, to compare with RFC 789)
 * @throws ConfigError for a width or number out of range
 */
export function later1982(n: number, m: number, bits = 6): boolean {
  return compareSerialNumbers(n, m, bits) === "greater";
}

/**
 * Perlman's lollipop space (used by OSPF version 1; RFC 6550 §7.2 uses a variant): the b-bit
 * number read as two's complement. The negative "stick" −H … −1 is linear and older than every
 * circle value; the circle 0 … H − 1 is compared circularly with window H/2 (n later than m iff
 * (n − m) mod H is in 1 … H/2 − 1). A rebooted router starting at −H + 1 is ordered below
 * everything, but the circle is still cyclic (0 → 11 → 22 → 0 at 6 bits).
 *
 * @param bits - width, 2 … 32 (default 6)
 * @throws ConfigError for a width or number out of range
 */
export function laterLollipop(n: number, m: number, bits = 6): boolean {
  checked(n, m, bits);
  return laterLollipopUnchecked(n, m, bits);
}

/**
 * The linear sequence space of OSPFv2 (RFC 2328 §12.1.6): the b-bit pattern is a signed
 * integer, −2^(b−1) is reserved, InitialSequenceNumber is −2^(b−1) + 1 and MaxSequenceNumber
 * 2^(b−1) − 1; n is later than m iff it is larger as a signed number. No wrap, so no cycle of
 * any length; at MaxSequenceNumber the LSA is flushed (premature aging) before numbering
 * restarts.
 *
 * @param bits - width, 2 … 32 (default 32, OSPF's; 0x80000001 is the oldest, 0x7fffffff the newest)
 * @throws ConfigError for a width or number out of range
 */
export function laterLinear(n: number, m: number, bits = 32): boolean {
  checked(n, m, bits);
  return laterLinearUnchecked(n, m, bits);
}

/** One instance of an LSA as RFC 2328 §13.1 compares it. */
export interface LsaInstance {
  /** LS sequence number as an unsigned bit pattern (read as signed `bits`-bit). */
  sequence: number;
  /** LS checksum, 16-bit unsigned (RFC 2328 §12.1.7). */
  checksum: number;
  /** LS age, in the unit of `maxAge` (seconds by default), 0 … maxAge. */
  age: number;
}

/** Constants of the §13.1 comparison (RFC 2328 Appendix B); scale them together for a simulation. */
export interface LsaCompareOptions {
  /** Sequence-number width (default 32). */
  bits?: number;
  /** MaxAge (default 3600 s). */
  maxAge?: number;
  /** MaxAgeDiff (default 900 s). */
  maxAgeDiff?: number;
}

/** The answer of RFC 2328 §13.1: `a` is more recent, `b` is, or the two are the same instance. */
export type LsaOrder = "newer" | "older" | "identical";

/** @internal §13.1 without argument checks. */
export function compareLsaUnchecked(a: LsaInstance, b: LsaInstance, bits: number, maxAge: number, maxAgeDiff: number): LsaOrder {
  const sa = signedSequence(a.sequence, bits);
  const sb = signedSequence(b.sequence, bits);
  if (sa !== sb) return sa > sb ? "newer" : "older";
  if (a.checksum !== b.checksum) return a.checksum > b.checksum ? "newer" : "older";
  const aMax = a.age >= maxAge;
  const bMax = b.age >= maxAge;
  if (aMax !== bMax) return aMax ? "newer" : "older";
  if (Math.abs(a.age - b.age) > maxAgeDiff) return a.age < b.age ? "newer" : "older";
  return "identical";
}

/**
 * Which of two instances of one LSA is more recent, RFC 2328 §13.1: the larger signed LS
 * sequence number; on a tie the larger LS checksum (unsigned 16-bit); then the one whose age is
 * MaxAge if only one is; then, if the ages differ by more than MaxAgeDiff, the younger;
 * otherwise the two are considered identical. A strict partial order: no cycle, so a storm like
 * 8 → 40 → 44 cannot form.
 *
 * @throws ConfigError for a width, sequence number, checksum or age out of range
 */
export function compareLsaInstances(a: LsaInstance, b: LsaInstance, options: LsaCompareOptions = {}): LsaOrder {
  const bits = checkSequenceBits(options.bits ?? 32);
  const maxAge = options.maxAge ?? 3600;
  const maxAgeDiff = options.maxAgeDiff ?? 900;
  if (!(maxAge > 0) || !Number.isFinite(maxAge))
    throw new ConfigError("lsa-max-age", `MaxAge must be a positive number, got ${describe(maxAge)}`, maxAge);
  if (!(maxAgeDiff >= 0) || !Number.isFinite(maxAgeDiff))
    throw new ConfigError("lsa-max-age-diff", `MaxAgeDiff must be a number ≥ 0, got ${describe(maxAgeDiff)}`, maxAgeDiff);
  for (const instance of [a, b]) {
    checkSequenceValue(instance.sequence, bits);
    if (!Number.isInteger(instance.checksum) || instance.checksum < 0 || instance.checksum > 0xffff) {
      throw new ConfigError(
        "lsa-checksum",
        `LS checksum must be an integer from 0 to 65535, got ${describe(instance.checksum)}`,
        instance.checksum,
      );
    }
    if (!(instance.age >= 0) || instance.age > maxAge)
      throw new ConfigError("lsa-age", `LS age must be from 0 to MaxAge (${maxAge}), got ${describe(instance.age)}`, instance.age);
  }
  return compareLsaUnchecked(a, b, bits, maxAge, maxAgeDiff);
}

/** A named later-than rule at one width, its arguments checked once. */
export interface SequenceRule {
  /** The rule's name. */
  readonly name: SequenceRuleName;
  /** Width in bits. */
  readonly bits: number;
  /** True when the rule has no cycle at any width (only `ospf`, the linear space). */
  readonly acyclic: boolean;
  /** n is later than m. @throws ConfigError for a number out of range */
  later(n: number, m: number): boolean;
  /** How n relates to m. @throws ConfigError for a number out of range */
  compare(n: number, m: number): SequenceOrder;
  /** @internal `later` without argument checks. */
  readonly laterUnchecked: (n: number, m: number) => boolean;
}

/** The width each rule is usually met at: 6 bits (the IMP's) for the circular rules, 32 for OSPF. */
export function defaultSequenceBits(name: SequenceRuleName): number {
  return name === "ospf" ? 32 : 6;
}

/** Throws a ConfigError unless `name` is one of {@link SEQUENCE_RULE_NAMES}. */
export function checkSequenceRuleName(name: string): SequenceRuleName {
  if (!(SEQUENCE_RULE_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError("sequence-rule", `sequence rule must be one of ${SEQUENCE_RULE_NAMES.join(", ")}, got ${describe(name)}`, name);
  }
  return name as SequenceRuleName;
}

/**
 * The rule `name` at width `bits`: RFC 789's LATER (`rfc789`), its strict fix (`strict`),
 * RFC 1982 (`rfc1982`), the lollipop (`lollipop`) or OSPF's linear space (`ospf`, RFC 2328
 * §12.1.6; the simulator adds the §13.1 checksum and age tie-breaks).
 *
 * @param bits - 2 … 32; default {@link defaultSequenceBits}
 * @throws ConfigError for an unknown name or a width out of range
 */
export function sequenceRule(name: SequenceRuleName, bits = defaultSequenceBits(name)): SequenceRule {
  checkSequenceRuleName(name);
  checkSequenceBits(bits);
  const kernel = {
    rfc789: later789Unchecked,
    strict: laterStrictUnchecked,
    rfc1982: laterStrictUnchecked,
    lollipop: laterLollipopUnchecked,
    ospf: laterLinearUnchecked,
  }[name];
  const laterUnchecked = (n: number, m: number) => kernel(n, m, bits);
  return {
    name,
    bits,
    acyclic: name === "ospf",
    laterUnchecked,
    later(n, m) {
      checkSequenceValue(n, bits);
      checkSequenceValue(m, bits);
      return laterUnchecked(n, m);
    },
    compare(n, m) {
      checkSequenceValue(n, bits);
      checkSequenceValue(m, bits);
      if (n === m) return "equal";
      if (laterUnchecked(n, m)) return "newer";
      if (laterUnchecked(m, n)) return "older";
      return "incomparable";
    },
  };
}
