// Brute-force cycle counts of each rule: the 6-bit table of research seq.md §1.2, the closed
// forms for 3–8 bits, the witnesses, and the chain bound the simulator's property relies on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sequenceRule, SEQUENCE_RULE_NAMES } from "../src/flooding/sequence.js";
import { countRelation, findThreeCycle, evenlySpreadCycle, longestChain } from "../src/flooding/cycles.js";
import { ConfigError } from "../src/errors.js";

const choose = (n: number, k: number) => {
  let result = 1;
  for (let i = 0; i < k; i++) result = (result * (n - i)) / (i + 1);
  return result;
};

test("6 bits: irreflexivity, 2-cycles, incomparable pairs, transitivity violations and 3-cycles as in research seq.md §1.2", () => {
  const expected = {
    rfc789: { incomparablePairs: 0, total: true, transitivityViolations: 32_736, orderedThreeCycles: 32_736, unorderedThreeCycles: 10_912 },
    strict: {
      incomparablePairs: 32,
      total: false,
      transitivityViolations: 31_744,
      orderedThreeCycles: 29_760,
      unorderedThreeCycles: 9_920,
    },
    rfc1982: {
      incomparablePairs: 32,
      total: false,
      transitivityViolations: 31_744,
      orderedThreeCycles: 29_760,
      unorderedThreeCycles: 9_920,
    },
    lollipop: {
      incomparablePairs: 16,
      total: false,
      transitivityViolations: 3_840,
      orderedThreeCycles: 3_360,
      unorderedThreeCycles: 1_120,
    },
    ospf: { incomparablePairs: 0, total: true, transitivityViolations: 0, orderedThreeCycles: 0, unorderedThreeCycles: 0 },
  };
  for (const name of SEQUENCE_RULE_NAMES) {
    const counts = countRelation(sequenceRule(name, 6));
    assert.equal(counts.irreflexive, true, name);
    assert.equal(counts.twoCycles, 0, name);
    assert.equal(counts.threeSets, 41_664);
    const { incomparablePairs, total, transitivityViolations, orderedThreeCycles, unorderedThreeCycles } = counts;
    assert.deepEqual({ incomparablePairs, total, transitivityViolations, orderedThreeCycles, unorderedThreeCycles }, expected[name], name);
    assert.equal(orderedThreeCycles, 3 * unorderedThreeCycles, name);
  }
});

test("closed forms for 3–8 bits: RFC 789 is a tournament; strict = RFC 1982 = N·compositions/3; the lollipop is the strict fix on its circle", () => {
  for (let bits = 3; bits <= 8; bits++) {
    const size = 2 ** bits,
      half = size / 2;
    const rfc789 = sequenceRule("rfc789", bits);
    const counts789 = countRelation(rfc789);
    // Tournament identity: cyclic 3-sets = C(N,3) − Σ_m C(outdeg(m), 2) …
    let transitive = 0;
    for (let m = 0; m < size; m++) {
      let outdegree = 0;
      for (let n = 0; n < size; n++) if (rfc789.later(m, n)) outdegree++;
      transitive += choose(outdegree, 2);
    }
    assert.equal(counts789.unorderedThreeCycles, choose(size, 3) - transitive, `rfc789 ${bits} bits`);
    // … where half the numbers beat H others and half beat H − 1.
    assert.equal(
      counts789.unorderedThreeCycles,
      choose(size, 3) - (size / 2) * (choose(half, 2) + choose(half - 1, 2)),
      `rfc789 ${bits} bits`,
    );

    // Compositions of N into three upward gaps, each in 1 … H − 1, counted directly.
    const compositions = (circle: number) => {
      let count = 0;
      for (let g1 = 1; g1 < circle / 2; g1++)
        for (let g2 = 1; g2 < circle / 2; g2++) {
          const g3 = circle - g1 - g2;
          if (g3 >= 1 && g3 < circle / 2) count++;
        }
      return count;
    };
    for (const name of ["strict", "rfc1982"] as const) {
      assert.equal(countRelation(sequenceRule(name, bits)).unorderedThreeCycles, (size * compositions(size)) / 3, `${name} ${bits} bits`);
    }
    assert.equal(
      countRelation(sequenceRule("lollipop", bits)).unorderedThreeCycles,
      (half * compositions(half)) / 3,
      `lollipop ${bits} bits`,
    );
    assert.equal(countRelation(sequenceRule("ospf", bits)).unorderedThreeCycles, 0);
  }
  // The figures the research quotes for 8 bits.
  assert.equal(countRelation(sequenceRule("rfc789", 8)).unorderedThreeCycles, 699_008);
  assert.equal(countRelation(sequenceRule("strict", 8)).unorderedThreeCycles, 682_752);
});

test("witnesses: the first 3-cycle of each rule, the evenly spread one, and 8 → 40 → 44 → 8 only under RFC 789", () => {
  assert.deepEqual(findThreeCycle(sequenceRule("rfc789")), [0, 1, 33]);
  assert.deepEqual(findThreeCycle(sequenceRule("strict")), [0, 2, 33]);
  assert.deepEqual(findThreeCycle(sequenceRule("rfc1982")), [0, 2, 33]);
  assert.deepEqual(findThreeCycle(sequenceRule("lollipop")), [0, 2, 17]);
  assert.equal(findThreeCycle(sequenceRule("ospf", 8)), null);
  for (const name of SEQUENCE_RULE_NAMES) {
    for (let bits = 2; bits <= 32; bits++) {
      const rule = sequenceRule(name, bits);
      const cycle = evenlySpreadCycle(rule);
      if (cycle === null) continue;
      const [x, y, z] = cycle;
      assert.equal(rule.later(y, x) && rule.later(z, y) && rule.later(x, z), true, `${name} ${bits}: ${cycle}`);
    }
    assert.equal(evenlySpreadCycle(sequenceRule("ospf", 32)), null);
  }
  assert.deepEqual(evenlySpreadCycle(sequenceRule("strict")), [0, 21, 42]);
  const historical = [8, 40, 44];
  for (const name of SEQUENCE_RULE_NAMES) {
    const rule = sequenceRule(name, 6);
    assert.equal(longestChain(historical, rule.later) === null, name === "rfc789", name);
  }
});

test("longestChain: the longest run of successive later values, or null for a cycle", () => {
  const linear = sequenceRule("ospf", 6).later;
  assert.equal(longestChain([1, 2, 3, 4], linear), 4);
  assert.equal(longestChain([5, 5, 5], linear), 1);
  assert.equal(longestChain([], linear), 0);
  // Strict fix on 8/40/44: 44 > 40 and 8 > 44, so 40 → 44 → 8 is a chain of three.
  assert.equal(longestChain([8, 40, 44], sequenceRule("strict").later), 3);
  // Strict fix: 0 and 32 are incomparable: no chain longer than one.
  assert.equal(longestChain([0, 32], sequenceRule("strict").later), 1);
  assert.equal(longestChain([0, 21, 42], sequenceRule("strict").later), null);
});

test("the signed-difference mirror idiom (int_b)(m − n) < 0 makes the 32 pairs at distance 32 later than each other", () => {
  const signed6 = (x: number) => (((x % 64) + 64) % 64 >= 32 ? (((x % 64) + 64) % 64) - 64 : ((x % 64) + 64) % 64);
  const mirror = (n: number, m: number) => signed6(m - n) < 0;
  const strict = sequenceRule("strict", 6);
  const mirrorRule = { ...strict, laterUnchecked: mirror };
  assert.equal(countRelation(mirrorRule).twoCycles, 32);
  // The other idiom, (int_b)(n − m) > 0, is exactly the strict fix.
  for (let n = 0; n < 64; n++) for (let m = 0; m < 64; m++) assert.equal(signed6(n - m) > 0, strict.later(n, m));
  assert.equal(countRelation(strict).twoCycles, 0);
});

test("the brute force refuses widths over 8 bits", () => {
  assert.throws(
    () => countRelation(sequenceRule("rfc789", 9)),
    (e: unknown) => e instanceof ConfigError && e.code === "brute-force-bits" && e.value === 9,
  );
  assert.throws(() => findThreeCycle(sequenceRule("strict", 16)), ConfigError);
});
