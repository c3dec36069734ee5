// The flooding simulator on small networks: the 1980 storm under RFC 789, its end under the
// strict fix, the 0/21/42 storm that survives the fix, MaxAge, MinLSArrival, the end-to-end
// checksum, RFC 789's retransmission and resynchronisation rules, node failures, determinism,
// conservation of copies, and option checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateFlooding, type FloodingResult } from "../src/flooding/simulator.js";
import { arpanet1980 } from "../src/flooding/arpanet-1980.js";
import type { FloodingOptions } from "../src/flooding/options.js";
import type { SequenceRuleName } from "../src/flooding/sequence.js";
import { ConfigError } from "../src/errors.js";

const NODES = 12;

function storm(
  rule: SequenceRuleName,
  values: number[],
  flooding: Partial<Omit<FloodingOptions, "rule" | "injections">> = {},
  seconds = 5,
): FloodingResult {
  return simulateFlooding(arpanet1980({ rule, values, nodes: NODES, seconds, flooding: { alarm: { windowMs: 1000 }, ...flooding } }));
}

const values = (r: FloodingResult) => Object.keys(r.finalValueCounts);
const upNodes = (r: FloodingResult) => Object.values(r.finalValueCounts).reduce((a, b) => a + b, 0);

test("RFC 789 with 8/40/44: the storm persists, CPUs saturate, nodes end split across {8, 40, 44}, the software alarm trips", () => {
  const r = storm("rfc789", [8, 40, 44]);
  assert.equal(r.stormPersisted, true);
  assert.ok(r.cpu.busiestNode > 0.9, `busiest CPU ${r.cpu.busiestNode}`);
  assert.ok(r.cpu.mean > 0.5, `mean CPU ${r.cpu.mean}`);
  assert.ok(r.drops > 0 && r.queue.maxOccupancy === r.queue.capacity, "buffers fill and drop");
  assert.equal(r.agree, false);
  assert.ok(values(r).length >= 2 && values(r).every((v) => ["8", "40", "44"].includes(v)), JSON.stringify(r.finalValueCounts));
  assert.ok(r.alarm.nodes > 0 && r.alarm.firstAtMs !== null && r.alarm.firstAtMs <= r.durationMs);
  assert.ok(r.lastAcceptanceMs! > r.durationMs - 100);
  // Copies are conserved: every copy sent was examined, dropped, lost, or is still queued or in flight.
  assert.ok(r.unsettled > 0);
  assert.equal(r.sent, r.examined + r.drops + r.lost + r.unsettled);
});

test("the strict fix with 8/40/44: the storm ends within a second and every node holds 8 (8 beats 44 beats 40)", () => {
  const r = storm("strict", [8, 40, 44]);
  assert.equal(r.stormPersisted, false);
  assert.ok(r.lastAcceptanceMs! < 1000, `last acceptance ${r.lastAcceptanceMs}`);
  assert.equal(r.agree, true);
  assert.deepEqual(r.finalValueCounts, { 8: NODES - 1 });
  assert.equal(r.alarm.nodes, 0, "no false alarm");
  assert.equal(r.sent, r.examined + r.drops + r.lost, "nothing left in flight");
});

test("the strict fix and RFC 1982 with 0/21/42, and the lollipop with 0/10/21: storms that survive the fix", () => {
  for (const [rule, copies] of [
    ["strict", [0, 21, 42]],
    ["rfc1982", [0, 21, 42]],
    ["lollipop", [0, 10, 21]],
  ] as const) {
    const r = storm(rule, [...copies]);
    assert.equal(r.stormPersisted, true, rule);
    assert.ok(r.cpu.busiestNode > 0.9, `${rule}: busiest CPU ${r.cpu.busiestNode}`);
    assert.equal(r.agree, false, rule);
  }
});

test("the lollipop and the OSPF linear space end the 8/40/44 storm; OSPF's nodes all hold 44, the newest", () => {
  const lollipop = storm("lollipop", [8, 40, 44]);
  assert.equal(lollipop.stormPersisted, false);
  assert.equal(lollipop.agree, true);
  const ospf = storm("ospf", [8, 40, 44]);
  assert.equal(ospf.stormPersisted, false);
  assert.deepEqual(ospf.finalValueCounts, { 44: NODES - 1 });
});

test("MaxAge ends the RFC 789 storm at MaxAge: saturated until then, nothing accepted after, every copy gone", () => {
  const maxAgeMs = 2000;
  const r = storm("rfc789", [8, 40, 44], { maxAgeMs });
  assert.equal(r.stormPersisted, false);
  assert.ok(r.lastAcceptanceMs! < maxAgeMs && r.lastAcceptanceMs! > maxAgeMs - 100, `last acceptance ${r.lastAcceptanceMs}`);
  const bucket = Math.floor((maxAgeMs - 200) / r.timeline.sampleMs);
  assert.ok(r.timeline.accepted[bucket]! > 0 && r.timeline.busiestCpu[bucket]! > 0.9, "still storming just before MaxAge");
  assert.ok(r.timeline.accepted.slice(Math.ceil(maxAgeMs / r.timeline.sampleMs)).every((n) => n === 0));
  assert.ok(r.agedOut > 0);
  assert.deepEqual(r.finalValueCounts, { none: NODES - 1 });
});

test("MinLSArrival stops the RFC 789 storm at once but leaves the nodes disagreeing", () => {
  const r = storm("rfc789", [8, 40, 44], { minLsArrivalMs: 1000 });
  assert.equal(r.stormPersisted, false);
  assert.ok(r.lastAcceptanceMs! < 1000);
  assert.ok(r.rateLimited > 0);
  assert.equal(r.agree, false);
  assert.ok(values(r).length >= 2, JSON.stringify(r.finalValueCounts));
});

test("the end-to-end checksum removes the trigger: corrupted copies are dropped and every node holds the real 44", () => {
  const r = storm("rfc789", [8, 40, 44], { verifyChecksum: true });
  assert.equal(r.stormPersisted, false);
  assert.ok(r.checksumDrops > 0);
  assert.deepEqual(r.finalValueCounts, { 44: NODES - 1 });
});

test("RFC 789's 100 ms rule: a copy dropped at a full buffer is re-created from the table and resent until echoed", () => {
  // 0 (the originator, down) – 1 – 2. Node 1's table gets 10, then 20 half a millisecond later;
  // node 2 is still examining 10 when 20 arrives, and with no buffer 20 is dropped.
  const base: FloodingOptions = {
    rule: "ospf",
    topology: {
      kind: "edges",
      nodes: 3,
      edges: [
        [0, 1],
        [1, 2],
      ],
    },
    durationMs: 1000,
    bufferCapacity: 0,
    injections: [
      { node: 1, atMs: 0, sequence: 10 },
      { node: 1, atMs: 0.5, sequence: 20 },
    ],
  };
  const without = simulateFlooding(base);
  assert.equal(without.drops, 1);
  assert.deepEqual(without.finalValues, [null, 20, 10]);
  const withRule = simulateFlooding({ ...base, retransmitMs: 100 });
  assert.equal(withRule.drops, 1);
  assert.deepEqual(withRule.finalValues, [null, 20, 20]);
  assert.equal(withRule.retransmissions, 1, "one resend, then the echo acknowledges it");
  assert.ok(withRule.lastAcceptanceMs! > 100);
  assert.equal(withRule.sent, withRule.examined + withRule.drops + withRule.lost);
});

test("RFC 789's one-minute rule: a node stuck on a corrupted 'later' number accepts the originator's updates again", () => {
  // The originator (node 0) sends 0, 1, 2, … every 10 s; at 5 s node 2's table turns into 20,
  // later than the originator's numbers for the next 200 s under the strict fix.
  const base: FloodingOptions = {
    rule: "strict",
    topology: { kind: "ring", nodes: 5 },
    durationMs: 95_000,
    originatorDown: false,
    injections: [{ node: 2, atMs: 5000, sequence: 20 }],
  };
  const withRule = simulateFlooding(base);
  assert.ok(withRule.resyncAccepts > 0);
  assert.deepEqual(withRule.finalValues, [9, 9, 9, 9, 9]);
  assert.equal(withRule.agree, true);
  assert.equal(withRule.stormPersisted, false);
  const withoutRule = simulateFlooding({ ...base, resyncMs: null });
  assert.equal(withoutRule.resyncAccepts, 0);
  assert.deepEqual(withoutRule.finalValues, [9, 20, 20, 20, 20]);
});

test("a node that goes down mid-storm holds nothing and is left out of the final counts", () => {
  const r = storm("rfc789", [8, 40, 44], { failures: [{ node: 5, atMs: 1000 }] }, 2);
  assert.equal(r.finalValues[5], null);
  assert.equal(upNodes(r), NODES - 2);
  assert.ok(r.lost > 0);
  assert.equal(r.sent, r.examined + r.drops + r.lost + r.unsettled);
});

test("runs are deterministic: the same options give the same result; another seed another network", () => {
  const a = storm("rfc789", [8, 40, 44], {}, 1);
  const b = storm("rfc789", [8, 40, 44], {}, 1);
  assert.deepEqual(a, b);
  const c = simulateFlooding(arpanet1980({ rule: "rfc789", nodes: NODES, seconds: 1, seed: 2 }));
  assert.notDeepEqual(c.timeline, a.timeline);
});

test("bad options are ConfigErrors that name the value", () => {
  const ok: FloodingOptions = arpanet1980({ nodes: 6, seconds: 1 });
  const cases: [Partial<FloodingOptions> & Record<string, unknown>, string][] = [
    [{ cpuPerUpdate: 1 }, "option-name"],
    [{ cpuPerUpdateMs: 0 }, "flooding-cpuPerUpdateMs"],
    [{ bufferCapacity: 1.5 }, "flooding-bufferCapacity"],
    [{ durationMs: -1 }, "flooding-durationMs"],
    [{ topology: { kind: "ring-chords", nodes: 2 }, injections: [] }, "topology-nodes"],
    [{ topology: { kind: "ring-chords", nodes: 6, chords: 100 } }, "topology-chords"],
    [{ topology: { kind: "edges", nodes: 3, edges: [[0, 0]] }, injections: [] }, "topology-edge"],
    [{ injections: [{ node: 9, atMs: 0, sequence: 1 }] }, "flooding-injection node"],
    [{ injections: [{ node: 1, atMs: 0, sequence: 64 }] }, "sequence-value"],
    [{ rule: "rfc790" as SequenceRuleName }, "sequence-rule"],
    [{ bits: 40 }, "sequence-bits"],
    [{ maxAgeMs: 0 }, "flooding-maxAgeMs"],
    [{ alarm: { threshold: 2 } }, "flooding-alarm threshold"],
  ];
  for (const [change, code] of cases) {
    assert.throws(
      () => simulateFlooding({ ...ok, ...change } as FloodingOptions),
      (e: unknown) => e instanceof ConfigError && e.code === code,
      code,
    );
  }
});
