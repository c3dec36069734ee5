// Property (issue 16): for every acyclic rule — the OSPF linear space on any values, and every
// other rule on value sets that happen to be acyclic under it — random corrupted copies on
// random topologies always die out, and the number of accepted updates stays within
// (longest chain of the values) × 2|E|, as does the number of copies sent after the injections.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { simulateFlooding } from "../src/flooding/simulator.js";
import { sequenceRule, SEQUENCE_RULE_NAMES, signedSequence } from "../src/flooding/sequence.js";
import { longestChain } from "../src/flooding/cycles.js";
import { buildTopology } from "../src/flooding/topology.js";

const scenario = fc
  .record({
    rule: fc.constantFrom(...SEQUENCE_RULE_NAMES),
    bits: fc.oneof(fc.constant(6), fc.integer({ min: 2, max: 32 })),
    nodes: fc.integer({ min: 3, max: 14 }),
    chordShare: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    bufferCapacity: fc.integer({ min: 0, max: 8 }),
    cpuPerUpdateMs: fc.double({ min: 0.1, max: 2, noNaN: true }),
    linkDelayMs: fc.double({ min: 0.5, max: 10, noNaN: true }),
    draws: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 5 }),
  })
  .map((s) => {
    const free = (s.nodes * (s.nodes - 1)) / 2 - s.nodes;
    const chords = Math.floor(s.chordShare * free);
    // Distinct injection nodes other than the originator (node 0, down), values in the rule's space.
    const candidates = Array.from({ length: s.nodes - 1 }, (_, i) => i + 1);
    const injections = s.draws.slice(0, candidates.length).map(([where, value]) => {
      const node = candidates.splice(where % candidates.length, 1)[0]!;
      return { node, atMs: 0, sequence: value % 2 ** s.bits };
    });
    return { ...s, chords, injections };
  })
  .filter(
    (s) =>
      longestChain(
        s.injections.map((i) => i.sequence),
        sequenceRule(s.rule, s.bits).later,
      ) !== null,
  );

test("acyclic rules: random corrupted copies on random topologies die out within chain length × 2|E| acceptances", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const topology = { kind: "ring-chords" as const, nodes: s.nodes, chords: s.chords };
      const r = simulateFlooding({
        rule: s.rule,
        bits: s.bits,
        topology,
        seed: s.seed,
        durationMs: 10_000,
        bufferCapacity: s.bufferCapacity,
        cpuPerUpdateMs: s.cpuPerUpdateMs,
        linkDelayMs: s.linkDelayMs,
        injections: s.injections,
      });
      const rule = sequenceRule(s.rule, s.bits);
      const chain = longestChain(
        s.injections.map((i) => i.sequence),
        rule.later,
      )!;
      const built = buildTopology(topology, s.seed);
      const twiceEdges = 2 * built.edges.length;
      assert.equal(r.links, built.edges.length);
      assert.equal(r.stormPersisted, false);
      assert.ok(r.accepted <= chain * twiceEdges, `accepted ${r.accepted} > ${chain} × ${twiceEdges}`);
      const injectedSends = s.injections.reduce((sum, i) => sum + built.neighbours[i.node]!.filter((n) => n !== 0).length, 0);
      assert.ok(r.sent <= chain * twiceEdges + injectedSends, `sent ${r.sent}`);
      // Settled: every copy sent was examined, dropped or lost.
      assert.equal(r.unsettled, 0);
      assert.equal(r.sent, r.examined + r.drops + r.lost);
      if (s.rule === "ospf" && r.drops === 0) {
        // A total order without losses: every node ends with the newest value.
        const newest = Math.max(...s.injections.map((i) => signedSequence(i.sequence, s.bits)));
        assert.ok(
          r.finalValues.slice(1).every((v) => v !== null && signedSequence(v, s.bits) === newest),
          JSON.stringify(r.finalValues),
        );
      }
    }),
  );
});
