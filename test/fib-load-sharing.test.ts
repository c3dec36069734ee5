// CEF load sharing in the FIB: routes with up to 16 paths, one path per destination (or per
// source-destination pair) chosen by a keyed hash, elements shared by routes with the same
// paths and counted in `show ip cef summary`. Checked against the reference FIB.

import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Fib, AdjacencyError, renderCefSummary, formatIPv4 } from "../src/index.js";
import { ReferenceFib } from "../src/reference/fib.js";
import { Xoshiro128 } from "../src/common/random.js";
import { withDebugBuild } from "./helpers/wasm.js";

function neighbors(fib: Fib, count: number): number[] {
  return Array.from({ length: count }, (_, i) => fib.addAdjacency({ interface: `Gi0/${i}`, nextHop: `192.0.2.${i + 1}` }));
}

describe("FIB load sharing", () => {
  test("a load-shared route spreads destinations over its paths and reports the chosen one", () => {
    const fib = new Fib({ seed: 7 });
    const [a, b, c] = neighbors(fib, 3) as [number, number, number];
    fib.insert("10.0.0.0/8", [a, b, c]);
    const random = new Xoshiro128(1);
    const addresses = Uint32Array.from({ length: 30_000 }, () => ((10 << 24) | (random.next() & 0xffffff)) >>> 0);
    const got = fib.lookupBatch(addresses);
    const counts = new Map<number, number>();
    for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), [a, b, c].sort());
    // 16 buckets over 3 paths: 6/16, 5/16, 5/16 of the destinations.
    for (const n of counts.values()) assert.ok(n > 8_000 && n < 12_500, `share ${n}`);
    // The same destination always takes the same path, single lookups included.
    for (let i = 0; i < 200; i++) assert.equal(fib.lookup(addresses[i]!), got[i]);
    assert.deepEqual(fib.paths("10.0.0.0/8"), [a, b, c]);
  });

  test("routes with the same paths share one element; the summary counts elements and references", () => {
    const fib = new Fib({ seed: 1 });
    const [a, b, c] = neighbors(fib, 3) as [number, number, number];
    fib.insert("10.0.0.0/8", [a, b]);
    fib.insert("11.0.0.0/8", [b, a]);
    fib.insert("12.0.0.0/8", [a, c]);
    fib.insert("13.0.0.0/8", a);
    let summary = fib.summary();
    assert.deepEqual(summary.loadSharing, { elements: 2, bytes: 2 * 132, references: 3 });
    assert.equal(summary.adjacencies, 5 + 3, "elements are not adjacencies");
    assert.match(renderCefSummary(summary), /^ {2}2 load sharing elements, 264 bytes, 3 references$/m);
    assert.equal(fib.get("10.0.0.0/8"), fib.get("11.0.0.0/8"));
    // A path in use by an element cannot be removed; once the last route goes, the element goes.
    assert.throws(() => fib.removeAdjacency(c), AdjacencyError);
    fib.delete("12.0.0.0/8");
    summary = fib.summary();
    assert.deepEqual(summary.loadSharing, { elements: 1, bytes: 132, references: 2 });
    fib.removeAdjacency(c);
    fib.insert("10.0.0.0/8", b);
    fib.insert("11.0.0.0/8", a);
    assert.deepEqual(fib.summary().loadSharing, { elements: 0, bytes: 0, references: 0 });
    // A new element after frees gets a working id.
    fib.insert("14.0.0.0/8", [a, b]);
    assert.deepEqual(fib.paths("14.0.0.0/8"), [a, b]);
    assert.ok([a, b].includes(fib.lookup("14.1.2.3")));
  });

  test("bad path lists are refused with the value named, and nothing changes", () => {
    const fib = new Fib();
    const [a] = neighbors(fib, 1) as [number];
    assert.throws(() => fib.insert("10.0.0.0/8", []), AdjacencyError);
    assert.throws(
      () =>
        fib.insert(
          "10.0.0.0/8",
          Array.from({ length: 17 }, () => a),
        ),
      AdjacencyError,
    );
    assert.throws(() => fib.insert("10.0.0.0/8", [a, 999]), /999/);
    fib.insert("11.0.0.0/8", [a, 1]);
    const element = fib.get("11.0.0.0/8")!;
    assert.throws(() => fib.insert("10.0.0.0/8", [a, element]), AdjacencyError);
    assert.equal(fib.get("10.0.0.0/8"), undefined);
    assert.equal(fib.summary().loadSharing.elements, 1);
  });

  test("per source-destination choice: the pair picks the path", () => {
    const fib = new Fib({ seed: 3 });
    const ids = neighbors(fib, 4);
    fib.insert("0.0.0.0/0", ids);
    const ref = new ReferenceFib({ loadSharingKey: fib.loadSharingKey });
    ref.insert("0.0.0.0/0", ids);
    const random = new Xoshiro128(9);
    const dst = Uint32Array.from({ length: 5000 }, () => random.next());
    const src = Uint32Array.from({ length: 5000 }, () => random.next());
    const got = fib.lookupBatch(dst, new Uint32Array(dst.length), src);
    assert.deepEqual(got, ref.lookupBatch(dst, new Uint32Array(dst.length), src));
    // The source matters: the same destinations alone choose differently somewhere.
    assert.notDeepEqual(got, fib.lookupBatch(dst));
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any interleaving of single- and multi-path inserts and deletes answers as the reference.

interface Op {
  insert: boolean;
  slot: number;
  length: number;
  paths: number[];
}

const opArbitrary = fc.record({
  insert: fc.boolean(),
  slot: fc.nat({ max: 11 }),
  length: fc.integer({ min: 0, max: 32 }),
  paths: fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 5 }),
});

function runLoadSharing(bases: number[], ops: Op[], seed: number): void {
  const fib = new Fib({ seed });
  const ref = new ReferenceFib({ loadSharingKey: fib.loadSharingKey });
  const ids = [...neighbors(fib, 5), 1];
  const random = new Xoshiro128(seed);
  const prefixes = new Map<string, number[]>();
  for (const op of ops) {
    const base = bases[op.slot % bases.length]!;
    const network = op.length === 0 ? 0 : (base & (0xffffffff << (32 - op.length))) >>> 0;
    const prefix = `${formatIPv4(network)}/${op.length}`;
    if (op.insert) {
      const paths = op.paths.map((p) => ids[p]!);
      assert.equal(fib.insert(prefix, paths), ref.insert(prefix, paths), `insert ${prefix}`);
      prefixes.set(
        prefix,
        [...paths].sort((x, y) => x - y),
      );
    } else {
      assert.equal(fib.delete(prefix), ref.delete(prefix), `delete ${prefix}`);
      prefixes.delete(prefix);
    }
  }
  for (const [prefix, paths] of prefixes) assert.deepEqual(fib.paths(prefix), paths.length === 1 ? paths : paths, prefix);
  const probes = Uint32Array.from({ length: 2000 }, (_, i) => {
    const base = bases[i % bases.length]!;
    return (base ^ (random.next() >>> (i % 32))) >>> 0;
  });
  const got = fib.lookupBatch(probes);
  const want = ref.lookupBatch(probes);
  for (let i = 0; i < probes.length; i++) {
    if (got[i] !== want[i]) assert.fail(`${formatIPv4(probes[i]!)} -> ${got[i]}, reference says ${want[i]}`);
  }
  // Elements: one per distinct multi-path set in use; references: the multi-path routes.
  const sets = new Set<string>();
  let references = 0;
  for (const paths of prefixes.values()) {
    if (paths.length > 1) {
      sets.add(paths.join(","));
      references++;
    }
  }
  const summary = fib.summary().loadSharing;
  assert.equal(summary.elements, sets.size, "elements");
  assert.equal(summary.references, references, "references");
}

describe("FIB load sharing against the reference (fast-check)", () => {
  const bases = fc.array(fc.nat({ max: 0xffffffff }), { minLength: 2, maxLength: 4 });
  test("IPv4: lookups, paths and element counts follow the reference", () => {
    fc.assert(fc.property(bases, fc.array(opArbitrary, { maxLength: 120 }), fc.nat(), runLoadSharing), { numRuns: 60 });
  });

  test("IPv6 load-shared routes choose as the reference does", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 64, maxLength: 64 }), fc.nat(), (words, seed) => {
        const fib = new Fib({ seed });
        const ref = new ReferenceFib({ loadSharingKey: fib.loadSharingKey });
        const ids = neighbors(fib, 3);
        for (const f of [fib, ref]) {
          f.insert("2001:db8::/32", ids);
          f.insert("::/0", [ids[0]!, ids[1]!]);
        }
        const addresses = Uint32Array.from(words);
        for (let i = 0; i < 16; i += 2) addresses[i * 4] = 0x20010db8;
        assert.deepEqual(fib.lookupBatch6(addresses), ref.lookupBatch6(addresses));
      }),
      { numRuns: 40 },
    );
  });

  test("the debug build agrees too", async () => {
    await withDebugBuild(() => {
      fc.assert(fc.property(bases, fc.array(opArbitrary, { maxLength: 80 }), fc.nat(), runLoadSharing), { numRuns: 20 });
    });
  });
});
