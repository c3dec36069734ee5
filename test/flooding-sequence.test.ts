// Sequence-number rules: the unit vectors of spec §9.3 (RFC 789's LATER and its fix), RFC 1982's
// undefined case, the lollipop, OSPF's linear space and §13.1 tie-breaks, argument checks, and
// properties over every width 2–32.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  later789,
  laterStrict,
  later1982,
  compareSerialNumbers,
  laterLollipop,
  laterLinear,
  compareLsaInstances,
  sequenceRule,
  SEQUENCE_RULE_NAMES,
  signedSequence,
} from "../src/flooding/sequence.js";
import { ConfigError } from "../src/errors.js";

test("RFC 789 LATER: the unit vectors of spec §9.3", () => {
  const vectors: [number, number, boolean][] = [
    [44, 40, true],
    [40, 8, true],
    [8, 44, true],
    [40, 44, false],
    [8, 40, false],
    [44, 8, false],
    [0, 63, true],
    [63, 0, false],
    [32, 0, true],
    [0, 32, false],
    [33, 0, false],
    [0, 33, true],
  ];
  for (const [n, m, expected] of vectors) assert.equal(later789(n, m), expected, `LATER(${n}, ${m})`);
  for (let n = 0; n < 64; n++) assert.equal(later789(n, n), false, `LATER(${n}, ${n})`);
});

test("RFC 789's strict fix: the unit vectors of spec §9.3, including the 0/21/42 cycle that survives it", () => {
  const vectors: [number, number, boolean][] = [
    [40, 8, false],
    [8, 40, false],
    [32, 0, false],
    [0, 32, false],
    [44, 40, true],
    [8, 44, true],
    [21, 0, true],
    [42, 21, true],
    [0, 42, true],
  ];
  for (const [n, m, expected] of vectors) assert.equal(laterStrict(n, m), expected, `LATER'(${n}, ${m})`);
});

test("RFC 1982: undefined exactly at distance 2^(bits-1), and 'greater' is the strict fix on every 6-bit pair", () => {
  assert.equal(compareSerialNumbers(0, 2 ** 31), "undefined");
  assert.equal(compareSerialNumbers(2 ** 31, 0), "undefined");
  assert.equal(compareSerialNumbers(1, 0), "greater");
  assert.equal(compareSerialNumbers(0, 2 ** 32 - 1), "greater"); // wraps: 0 follows 2^32 − 1
  assert.equal(compareSerialNumbers(2 ** 32 - 1, 0), "less");
  assert.equal(compareSerialNumbers(7, 7), "equal");
  for (let n = 0; n < 64; n++) {
    for (let m = 0; m < 64; m++) {
      assert.equal(later1982(n, m), laterStrict(n, m), `${n}, ${m}`);
      const answer = compareSerialNumbers(n, m, 6);
      assert.equal(answer === "undefined", n !== m && Math.abs(n - m) === 32, `${n}, ${m}: ${answer}`);
    }
  }
});

test("lollipop: the stick (negative) is older than the circle and linear; the circle wraps with window H/2", () => {
  // 6 bits: 32..63 are −32..−1 (the stick), 0..31 the circle.
  assert.equal(laterLollipop(0, 63), true); // circle 0 beats stick −1
  assert.equal(laterLollipop(33, 32), true); // −31 beats −32
  assert.equal(laterLollipop(32, 33), false);
  assert.equal(laterLollipop(8, 44), true); // 8 on the circle beats 44 (= −20) on the stick
  assert.equal(laterLollipop(44, 40), true); // −20 beats −24
  assert.equal(laterLollipop(0, 31), true); // circle wraps: 31 → 0
  assert.equal(laterLollipop(16, 0), false); // distance H/2 = 16: incomparable
  assert.equal(laterLollipop(0, 16), false);
  assert.equal(laterLollipop(11, 0) && laterLollipop(22, 11) && laterLollipop(0, 22), true); // a cycle on the circle
});

test("OSPF linear space (RFC 2328 §12.1.6): 0x80000001 is the oldest, 0x7fffffff the newest; no wrap", () => {
  assert.equal(laterLinear(0x7fffffff, 0x80000001), true);
  assert.equal(laterLinear(0x80000001, 0x7fffffff), false);
  assert.equal(laterLinear(0x80000002, 0x80000001), true);
  assert.equal(laterLinear(0, 0xffffffff), true); // 0 > −1
  assert.equal(signedSequence(0x80000000, 32), -(2 ** 31));
  // At 6 bits 40 is −24 and 44 is −20: 8 > 44 > 40, and 8 is later than 40 too (no cycle).
  assert.equal(laterLinear(44, 40, 6), true);
  assert.equal(laterLinear(8, 44, 6), true);
  assert.equal(laterLinear(8, 40, 6), true);
  assert.equal(laterLinear(40, 8, 6), false);
});

test("RFC 2328 §13.1: sequence, then checksum, then MaxAge, then MaxAgeDiff", () => {
  const lsa = (sequence: number, checksum: number, age: number) => ({ sequence, checksum, age });
  assert.equal(compareLsaInstances(lsa(5, 1, 0), lsa(4, 9, 0)), "newer");
  assert.equal(compareLsaInstances(lsa(5, 1, 0), lsa(5, 2, 0)), "older");
  assert.equal(compareLsaInstances(lsa(5, 2, 3600), lsa(5, 2, 10)), "newer"); // a MaxAge copy beats the same seq and checksum
  assert.equal(compareLsaInstances(lsa(5, 2, 100), lsa(5, 2, 1001)), "newer"); // ages 901 apart: the younger
  assert.equal(compareLsaInstances(lsa(5, 2, 100), lsa(5, 2, 1000)), "identical"); // 900 apart: not more than MaxAgeDiff
  assert.equal(compareLsaInstances(lsa(5, 2, 3), lsa(5, 2, 3)), "identical");
  // CVE-2017-3224: a forged instance at MaxSequenceNumber with a larger checksum outranks the
  // originator's premature-aging flush of its own instance at MaxSequenceNumber …
  const forged = lsa(0x7fffffff, 0xffff, 10);
  assert.equal(compareLsaInstances(forged, lsa(0x7fffffff, 0x1234, 3600)), "newer");
  // … while flushing the instance actually held (same checksum) wins by the MaxAge rule.
  assert.equal(compareLsaInstances(lsa(0x7fffffff, 0xffff, 3600), forged), "newer");
});

test("bad widths, numbers, checksums and ages are ConfigErrors naming the value", () => {
  const cases: [() => unknown, string, unknown][] = [
    [() => later789(1, 0, 1), "sequence-bits", 1],
    [() => laterStrict(1, 0, 33), "sequence-bits", 33],
    [() => later1982(1, 0, 6.5), "sequence-bits", 6.5],
    [() => later789(64, 0), "sequence-value", 64],
    [() => laterLollipop(-1, 0), "sequence-value", -1],
    [() => laterLinear(1.5, 0), "sequence-value", 1.5],
    [() => compareLsaInstances({ sequence: 1, checksum: 0x10000, age: 0 }, { sequence: 1, checksum: 0, age: 0 }), "lsa-checksum", 0x10000],
    [() => compareLsaInstances({ sequence: 1, checksum: 0, age: 3601 }, { sequence: 1, checksum: 0, age: 0 }), "lsa-age", 3601],
    [() => sequenceRule("rfc791" as never), "sequence-rule", "rfc791"],
    [() => sequenceRule("strict").later(0, 64), "sequence-value", 64],
  ];
  for (const [call, code, value] of cases) {
    assert.throws(
      call,
      (error: unknown) =>
        error instanceof ConfigError && error.code === code && error.value === value && error.message.includes(String(value)),
    );
  }
});

const widthAndPair = fc
  .integer({ min: 2, max: 32 })
  .chain((bits) => fc.tuple(fc.constant(bits), fc.integer({ min: 0, max: 2 ** bits - 1 }), fc.integer({ min: 0, max: 2 ** bits - 1 })));

test("every rule at every width is irreflexive and asymmetric (the signed-difference mirror bug would fail this)", () => {
  fc.assert(
    fc.property(fc.constantFrom(...SEQUENCE_RULE_NAMES), widthAndPair, (name, [bits, n, m]) => {
      const rule = sequenceRule(name, bits);
      assert.equal(rule.later(n, n), false);
      assert.equal(rule.later(n, m) && rule.later(m, n), false);
      const order = rule.compare(n, m);
      const reverse = rule.compare(m, n);
      assert.equal(reverse, { newer: "older", older: "newer", equal: "equal", incomparable: "incomparable" }[order]);
    }),
  );
});

test("RFC 789 is total on distinct numbers; the strict fix misses exactly the pairs 2^(bits-1) apart", () => {
  // Half the pairs are drawn exactly 2^(bits-1) apart, the case random pairs almost never hit.
  const pairs = fc
    .tuple(widthAndPair, fc.boolean())
    .map(([[bits, n, m], halfApart]) => [bits, n, halfApart ? (n + 2 ** (bits - 1)) % 2 ** bits : m] as const);
  fc.assert(
    fc.property(pairs, ([bits, n, m]) => {
      fc.pre(n !== m);
      assert.equal(later789(n, m, bits) !== later789(m, n, bits), true);
      const incomparable = !laterStrict(n, m, bits) && !laterStrict(m, n, bits);
      assert.equal(incomparable, Math.abs(n - m) === 2 ** (bits - 1));
      // The strict fix is the "signed difference is positive" idiom: n later iff (n − m) mod 2^b in 1 … H − 1.
      const distance = (((n - m) % 2 ** bits) + 2 ** bits) % 2 ** bits;
      assert.equal(laterStrict(n, m, bits), distance > 0 && distance < 2 ** (bits - 1));
    }),
  );
});

test("the linear space is transitive and has no directed cycle over random 3- to 5-sets at any width", () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 2, max: 32 })
        .chain((bits) =>
          fc.tuple(fc.constant(bits), fc.uniqueArray(fc.integer({ min: 0, max: 2 ** bits - 1 }), { minLength: 3, maxLength: 5 })),
        ),
      ([bits, values]) => {
        const rule = sequenceRule("ospf", bits);
        for (const a of values)
          for (const b of values)
            for (const c of values) {
              if (rule.later(a, b) && rule.later(b, c)) assert.equal(rule.later(a, c), true, `${a} > ${b} > ${c}`);
            }
        // A total order on distinct values: exactly one maximum, later than every other value.
        const maxima = values.filter((v) => values.every((w) => w === v || rule.later(v, w)));
        assert.equal(maxima.length, 1);
      },
    ),
  );
});
