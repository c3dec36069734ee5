import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  Fib,
  SpecialAdjacency,
  renderCefSummary,
  PrefixError,
  AdjacencyError,
  CapacityError,
  ConfigError,
  formatIPv4,
  formatIPv6,
  formatPrefix,
  networkWords,
} from "../src/index.js";
import { ReferenceFib } from "../src/reference/fib.js";
import { Xoshiro128 } from "../src/common/random.js";
import { installTable } from "../src/node/table-file.js";
import { fullTable } from "./helpers/tables.js";
import { withDebugBuild } from "./helpers/wasm.js";

// ---------------------------------------------------------------------------------------------
// Helpers

function neighbors(fib: Fib, count: number): number[] {
  return Array.from({ length: count }, (_, i) => fib.addAdjacency({ interface: `Gi0/${i}`, nextHop: `192.0.2.${(i % 250) + 1}` }));
}

/** Host bits beyond `length` cleared, for one word. */
function mask4(address: number, length: number): number {
  return length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
}

/** A random address inside a prefix. */
function inside(words: Uint32Array, length: number, random: Xoshiro128): Uint32Array {
  const out = new Uint32Array(words.length);
  for (let w = 0; w < words.length; w++) {
    const fixed = Math.max(0, Math.min(32, length - w * 32));
    const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
    out[w] = ((words[w]! & keep) | (random.next() & ~keep)) >>> 0;
  }
  return out;
}

/** Compares IPv4 lookups of `addresses` in both tables, reporting the first difference. */
function sameAnswers4(fib: Fib, ref: ReferenceFib, addresses: Uint32Array, label: string): void {
  const got = fib.lookupBatch(addresses);
  const want = ref.lookupBatch(addresses);
  for (let i = 0; i < addresses.length; i++) {
    if (got[i] !== want[i]) assert.fail(`${label}: ${formatIPv4(addresses[i]!)} -> ${got[i]}, reference says ${want[i]}`);
  }
}

function sameAnswers6(fib: Fib, ref: ReferenceFib, addresses: Uint32Array, label: string): void {
  const got = fib.lookupBatch6(addresses);
  const want = ref.lookupBatch6(addresses);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i])
      assert.fail(`${label}: ${formatIPv6(addresses.subarray(i * 4, i * 4 + 4))} -> ${got[i]}, reference says ${want[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Behaviour

describe("FIB basics", () => {
  test("longest match, and deletion falls back to the next-longest route", () => {
    const fib = new Fib({ seed: 1 });
    const [a, b, c] = neighbors(fib, 3);
    assert.equal(fib.lookup("10.1.2.3"), 0, "empty table routes nothing");
    assert.equal(fib.insert("10.0.0.0/8", a!), true);
    assert.equal(fib.insert("10.1.0.0/16", b!), true);
    assert.equal(fib.insert("10.1.2.0/24", c!), true);
    assert.equal(fib.lookup("10.1.2.3"), c);
    assert.equal(fib.lookup("10.1.3.3"), b);
    assert.equal(fib.lookup("10.2.0.1"), a);
    assert.equal(fib.lookup("11.0.0.1"), 0);
    assert.equal(fib.delete("10.1.0.0/16"), true);
    assert.equal(fib.lookup("10.1.3.3"), a, "falls back to /8");
    assert.equal(fib.lookup("10.1.2.3"), c, "more-specific untouched");
    assert.equal(fib.delete("10.1.0.0/16"), false, "second delete finds nothing");
    assert.equal(fib.match("10.1.2.200")?.prefix, "10.1.2.0/24");
    assert.equal(fib.match("10.200.0.1")?.prefix, "10.0.0.0/8");
    assert.equal(fib.match("12.0.0.1"), undefined);
  });

  test("default route, host routes and IPv6", () => {
    const fib = new Fib({ seed: 2 });
    const [a, b, c, d] = neighbors(fib, 4);
    fib.insert("0.0.0.0/0", a!);
    fib.insert("192.0.2.1/32", b!);
    fib.insert("::/0", c!);
    fib.insert("2001:db8::1/128", d!);
    fib.insert("2001:db8::/32", SpecialAdjacency.null);
    assert.equal(fib.lookup("8.8.8.8"), a);
    assert.equal(fib.lookup("192.0.2.1"), b);
    assert.equal(fib.lookup("192.0.2.2"), a);
    assert.equal(fib.lookup(0xc0000201), b, "numbers are IPv4");
    assert.equal(fib.lookup("2001:db8::1"), d);
    assert.equal(fib.lookup("2001:db8::2"), SpecialAdjacency.null);
    assert.equal(fib.lookup("2001:db9::1"), c);
    assert.equal(fib.lookup(0x20010db8000000000000000000000001n), d, "bigints are IPv6");
    assert.equal(fib.size(4), 2);
    assert.equal(fib.size(6), 3);
    fib.delete("0.0.0.0/0");
    assert.equal(fib.lookup("8.8.8.8"), 0);
  });

  test("replacing a route's adjacency is a revision, not an insert", () => {
    const fib = new Fib({ seed: 3 });
    const [a, b] = neighbors(fib, 2);
    assert.equal(fib.insert("10.0.0.0/8", a!), true);
    assert.equal(fib.insert("10.0.0.0/8", b!), false);
    assert.equal(fib.insert("10.0.0.0/8", b!), false);
    assert.equal(fib.lookup("10.9.9.9"), b);
    assert.equal(fib.get("10.0.0.0/8"), b);
    assert.equal(fib.get("10.0.0.0/9"), undefined);
    const s = fib.summary();
    assert.equal(s.inserts, 1);
    assert.equal(s.revisions, 1);
    assert.equal(fib.adjacency(a!)!.routes, 0);
    assert.equal(fib.adjacency(b!)!.routes, 1);
  });

  test("invalid prefixes raise typed errors naming the value, and change nothing", () => {
    const fib = new Fib({ seed: 4 });
    const [a] = neighbors(fib, 1);
    fib.insert("10.0.0.0/8", a!);
    const cases: [unknown, string][] = [
      ["10.0.0.0/33", "prefix-length"],
      ["10.0.0.1/8", "prefix-host-bits"],
      ["not a prefix", "prefix-syntax"],
      ["10.0.0/8", "prefix-syntax"],
      ["2001:db8::/129", "prefix-length"],
      ["2001:db8::1/32", "prefix-host-bits"],
      [{ address: "10.0.0.0", length: -1 }, "prefix-length"],
    ];
    for (const [prefix, code] of cases) {
      assert.throws(
        () => fib.insert(prefix as never, a!),
        (e: unknown) => e instanceof PrefixError && e.code === code && e.message.includes(JSON.stringify(prefix).slice(0, 12)),
        `${JSON.stringify(prefix)}`,
      );
    }
    assert.throws(
      () => fib.insert("11.0.0.0/8", 999),
      (e: unknown) => e instanceof AdjacencyError && e.value === 999,
    );
    assert.throws(() => fib.insert("11.0.0.0/8", 0), AdjacencyError, "0 is 'no route', not an adjacency");
    assert.throws(() => fib.insert("11.0.0.0/8", 1.5), AdjacencyError);
    assert.equal(fib.size(), 1);
    assert.equal(fib.summary().tableVersion, 2, "only the one good insert changed the table");
  });

  test("a batch with one bad route changes nothing", () => {
    const fib = new Fib({ seed: 5 });
    const [a] = neighbors(fib, 1);
    const addresses = Uint32Array.of(0x0a000000, 0x0b000000, 0x0c000001);
    const lengths = Uint8Array.of(8, 8, 8);
    assert.throws(
      () => fib.insertBatch(addresses, lengths, Uint32Array.of(a!, a!, a!)),
      (e: unknown) =>
        e instanceof PrefixError && e.code === "prefix-host-bits" && e.message.includes("route 2") && e.message.includes("12.0.0.1/8"),
    );
    assert.throws(
      () => fib.insertBatch(addresses.subarray(0, 2), lengths.subarray(0, 2), Uint32Array.of(a!, 77)),
      (e: unknown) => e instanceof AdjacencyError && e.message.includes("route 1"),
    );
    assert.throws(
      () => fib.insertBatch(addresses, Uint8Array.of(8, 40, 8), Uint32Array.of(a!, a!, a!)),
      (e: unknown) => e instanceof PrefixError && e.code === "prefix-length",
    );
    assert.throws(() => fib.insertBatch(addresses, lengths, Uint32Array.of(a!)), ConfigError);
    assert.equal(fib.size(), 0);
    assert.equal(fib.lookup("10.0.0.1"), 0);
  });

  test("adjacencies: specials exist, in-use ones cannot be removed, ids are reused", () => {
    const fib = new Fib({ seed: 6 });
    assert.deepEqual(
      fib.adjacencies().map((a) => a.kind),
      ["null", "punt", "drop", "glean", "discard"],
    );
    const a = fib.addAdjacency({ interface: "Gi0/1", nextHop: "2001:db8::1", mac: "0000.0c12.3456" });
    assert.deepEqual(fib.adjacency(a), {
      id: a,
      kind: "neighbor",
      interface: "Gi0/1",
      nextHop: "2001:db8::1",
      mac: "00:00:0c:12:34:56",
      routes: 0,
    });
    fib.insert("10.0.0.0/8", a);
    assert.throws(
      () => fib.removeAdjacency(a),
      (e: unknown) => e instanceof AdjacencyError && e.code === "adjacency-in-use",
    );
    assert.throws(
      () => fib.removeAdjacency(SpecialAdjacency.drop),
      (e: unknown) => e instanceof AdjacencyError && e.code === "adjacency-unknown",
    );
    fib.delete("10.0.0.0/8");
    fib.removeAdjacency(a);
    assert.equal(fib.adjacency(a), undefined);
    assert.equal(fib.addAdjacency({ interface: 3 }), a, "the freed id is reused");
    assert.throws(() => fib.addAdjacency({ interface: "" }), AdjacencyError);
    assert.throws(() => fib.addAdjacency({ interface: "x", mac: "nope" }), /MAC/);
  });

  test("summary follows the CEF counters and renders in the IOS layout", () => {
    const fib = new Fib({ seed: 7 });
    const [a, b] = neighbors(fib, 2);
    fib.insert("10.0.0.0/8", a!);
    fib.insert("10.1.0.0/16", b!);
    fib.insert("10.1.1.0/24", b!);
    fib.insert("2001:db8::/32", a!);
    fib.delete("10.1.0.0/16");
    fib.insert("10.0.0.0/8", b!);
    const s = fib.summary();
    assert.equal(s.routes, 3);
    assert.equal(s.inserts - s.invalidations, s.routes);
    assert.equal(s.ipv4.routes, 2);
    assert.equal(s.ipv6.routes, 1);
    assert.equal(s.revisions, 1);
    assert.equal(s.tableVersion, 1 + s.inserts + s.invalidations + s.revisions);
    assert.equal(s.adjacencies, 7);
    assert.ok(s.bytes > 0 && s.bytes >= s.ipv4.bytes + s.ipv6.bytes);
    const text = renderCefSummary(s);
    const lines = text.split("\n");
    assert.equal(lines[0], `IP CEF with switching (Table Version ${s.tableVersion})`);
    assert.equal(lines[1], "  2 routes, 0 reresolve, 0 unresolved (0 old, 0 new), peak 0");
    assert.equal(lines[2], `  2 leaves, ${s.ipv4.nodes} nodes, ${s.ipv4.bytes} bytes, 3 inserts, 1 invalidations`);
    assert.match(text, /universal per-destination load sharing algorithm, id [0-9A-F]{8}\n/);
    assert.match(text, /\n {2}0 CEF resets, 1 revisions of existing leaves\n/);
    assert.match(text, /\nIPv6 CEF with switching/);
    assert.match(text, /\nAdjacency Table has 7 adjacencies\n$/);
  });

  test("clear() empties both families and counts a reset", () => {
    const fib = new Fib({ seed: 8 });
    const [a] = neighbors(fib, 1);
    fib.insert("10.0.0.0/8", a!);
    fib.insert("2001:db8::/32", a!);
    fib.clear();
    assert.equal(fib.size(), 0);
    assert.equal(fib.lookup("10.0.0.1"), 0);
    assert.equal(fib.lookup("2001:db8::1"), 0);
    assert.equal(fib.summary().resets, 1);
    assert.equal(fib.adjacency(a!)!.routes, 0);
    fib.insert("10.0.0.0/8", a!);
    assert.equal(fib.lookup("10.0.0.1"), a);
  });

  test("routes() lists exactly the routes of the reference", () => {
    const fib = new Fib({ seed: 9 });
    const ref = new ReferenceFib();
    const ids = neighbors(fib, 5);
    const random = new Xoshiro128(9);
    for (let i = 0; i < 2000; i++) {
      const six = random.below(3) === 0;
      const length = six ? random.below(129) : random.below(33);
      const words = six
        ? networkWords(Uint32Array.of(0x20010db8, random.next(), random.next(), random.next()), length)
        : Uint32Array.of(mask4(random.next(), length));
      const prefix = formatPrefix({ family: six ? 6 : 4, words, length });
      const id = ids[random.below(ids.length)]!;
      fib.insert(prefix, id);
      ref.insert(prefix, id);
      if (random.below(4) === 0) {
        fib.delete(prefix);
        ref.delete(prefix);
      }
    }
    const listed = [...fib.routes()].map((r) => `${r.prefix} ${r.adjacency}`).sort();
    const expected = [4, 6]
      .flatMap((f) => [...ref.entries(f as 4 | 6)].map(([w, l, v]) => `${formatPrefix({ family: f as 4 | 6, words: w, length: l })} ${v}`))
      .sort();
    assert.deepEqual(listed, expected);
  });
});

describe("FIB memory budget", () => {
  test("an insert the budget cannot hold is refused whole and counted", () => {
    const fib = new Fib({ seed: 10, maxBytes: 640 * 1024 });
    const ref = new ReferenceFib();
    const [a] = neighbors(fib, 1);
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const prefix = `${10 + (i >> 8)}.${i & 255}.1.0/24`;
      try {
        fib.insert(prefix, a!);
        ref.insert(prefix, a!);
      } catch (error) {
        assert.ok(error instanceof CapacityError, String(error));
        refused++;
      }
    }
    assert.ok(refused > 0, "the budget must run out in this test");
    const s = fib.summary();
    assert.ok(s.bytes <= 640 * 1024, `bytes ${s.bytes} within the budget`);
    assert.equal(s.aborted, refused);
    assert.equal(fib.size(), ref.size());
    const probes = Uint32Array.from({ length: 400 }, (_, i) => (((10 + (i >> 8)) << 24) | ((i & 255) << 16) | 0x0105) >>> 0);
    sameAnswers4(fib, ref, probes, "after refusals");
  });

  test("a batch the budget cannot hold is rolled back", () => {
    const fib = new Fib({ seed: 11, maxBytes: 1024 * 1024 });
    const [a, b] = neighbors(fib, 2);
    fib.insert("10.0.0.0/8", a!);
    fib.insert("10.1.1.0/24", a!);
    const n = 5000;
    const addresses = Uint32Array.from({ length: n }, (_, i) => (((11 + (i >> 12)) << 24) | ((i & 4095) << 12)) >>> 0);
    addresses[0] = 0x0a010100; // an existing route, replaced in the batch: rollback must restore it
    const lengths = new Uint8Array(n).fill(24);
    const before = fib.summary();
    assert.throws(() => fib.insertBatch(addresses, lengths, new Uint32Array(n).fill(b!)), CapacityError);
    const after = fib.summary();
    assert.equal(fib.size(), 2);
    assert.equal(fib.get("10.1.1.0/24"), a);
    assert.equal(fib.lookup("10.1.1.1"), a);
    assert.equal(fib.lookup("11.0.16.1"), 0);
    assert.equal(after.tableVersion, before.tableVersion);
    assert.equal(after.inserts, before.inserts);
    assert.equal(after.aborted, before.aborted + 1);
    assert.equal(fib.adjacency(b!)!.routes, 0);
  });
});

describe("FIB entry width", () => {
  test("adjacency ids beyond 15 bits widen the trie, answers unchanged", () => {
    const fib = new Fib({ seed: 12 });
    const ref = new ReferenceFib();
    const ids = neighbors(fib, 33_000);
    const random = new Xoshiro128(12);
    const addresses: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const length = 8 + random.below(25);
      const address = mask4(random.next(), length);
      const id = ids[i < 1500 ? random.below(1000) : ids.length - 1 - random.below(1000)]!;
      fib.insert({ address, length }, id);
      ref.insert({ address, length }, id);
      addresses.push(address, (address | 1) >>> 0);
      if (i === 1499) assert.equal(fib.summary().ipv4.entryBits, 16);
    }
    assert.equal(fib.summary().ipv4.entryBits, 32);
    for (let i = 0; i < 20000; i++) addresses.push(random.next());
    sameAnswers4(fib, ref, Uint32Array.from(addresses), "wide adjacencies");
  });

  test("more than 32768 plies widen the trie, answers unchanged", () => {
    const fib = new Fib({ seed: 13 });
    const ref = new ReferenceFib();
    const [a, b] = neighbors(fib, 2);
    const n = 33_000;
    const addresses = new Uint32Array(n);
    for (let i = 0; i < n; i++) addresses[i] = ((i << 16) | 0x0100) >>> 0;
    const lengths = new Uint8Array(n).fill(24);
    const values = Uint32Array.from({ length: n }, (_, i) => (i % 2 ? a! : b!));
    fib.insertBatch(addresses, lengths, values);
    ref.insertBatch(addresses, lengths, values);
    assert.equal(fib.summary().ipv4.entryBits, 32);
    assert.equal(fib.summary().ipv4.nodes, n + 1);
    const probes = new Uint32Array(n * 2);
    for (let i = 0; i < n; i++) {
      probes[2 * i] = (addresses[i]! | 7) >>> 0;
      probes[2 * i + 1] = (addresses[i]! + 256) >>> 0;
    }
    sameAnswers4(fib, ref, probes, "wide plies");
  });
});

// ---------------------------------------------------------------------------------------------
// Differential properties against the reference binary trie

interface Op {
  insert: boolean;
  /** Index of a base address: prefixes share high bits, so they nest heavily. */
  base: number;
  /** Where the random bits start (bits above come from the base). */
  split: number;
  noise: number[];
  length: number;
  adjacency: number;
  /** For deletes: take the prefix of an earlier operation instead (index modulo the history). */
  earlier: number | null;
}

function opArbitrary(bits: 32 | 128): fc.Arbitrary<Op> {
  return fc.record({
    insert: fc.boolean(),
    base: fc.nat({ max: 2 }),
    split: fc.integer({ min: bits === 32 ? 4 : 12, max: bits }),
    noise: fc.array(fc.nat({ max: 0xffffffff }), { minLength: bits / 32, maxLength: bits / 32 }),
    length: fc.oneof(fc.integer({ min: 0, max: bits }), fc.integer({ min: bits === 32 ? 14 : 28, max: bits === 32 ? 26 : 52 })),
    adjacency: fc.nat({ max: 5 }),
    earlier: fc.option(fc.nat({ max: 1000 }), { freq: 2 }),
  });
}

function runOps(family: 4 | 6, bases: number[][], ops: Op[], checkEvery: number, seed: number): void {
  const bits = family === 4 ? 32 : 128;
  const words = bits / 32;
  const fib = new Fib({ seed });
  const ref = new ReferenceFib();
  const ids = [...neighbors(fib, 4), SpecialAdjacency.null, SpecialAdjacency.drop];
  const history: { words: Uint32Array; length: number }[] = [];
  const random = new Xoshiro128(seed);
  const check = (label: string): void => {
    const probes: number[] = [];
    for (const p of history) {
      const first = networkWords(p.words, p.length);
      probes.push(...first);
      const last = Uint32Array.from(first);
      for (let w = 0; w < words; w++) {
        const fixed = Math.max(0, Math.min(32, p.length - w * 32));
        last[w] = (last[w]! | (fixed === 32 ? 0 : 0xffffffff >>> fixed)) >>> 0;
      }
      probes.push(...last, ...inside(p.words, p.length, random));
      // Just past the end of the prefix (carry through the words).
      const next = Uint32Array.from(last);
      for (let w = words - 1; w >= 0; w--) {
        next[w] = (next[w]! + 1) >>> 0;
        if (next[w] !== 0) break;
      }
      probes.push(...next);
    }
    for (let i = 0; i < 64; i++) for (let w = 0; w < words; w++) probes.push(random.next());
    const addresses = Uint32Array.from(probes);
    if (family === 4) sameAnswers4(fib, ref, addresses, label);
    else sameAnswers6(fib, ref, addresses, label);
    assert.equal(fib.size(family), ref.size(family), `${label}: route count`);
  };
  ops.forEach((op, step) => {
    let prefixWords: Uint32Array;
    let length: number;
    if (!op.insert && op.earlier !== null && history.length > 0) {
      ({ words: prefixWords, length } = history[op.earlier % history.length]!);
    } else {
      const base = bases[op.base]!;
      const mixed = new Uint32Array(words);
      for (let w = 0; w < words; w++) {
        const fixed = Math.max(0, Math.min(32, op.split - w * 32));
        const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
        mixed[w] = ((base[w]! & keep) | (op.noise[w]! & ~keep)) >>> 0;
      }
      length = op.length;
      prefixWords = networkWords(mixed, length);
    }
    const prefix = { address: family === 4 ? prefixWords[0]! : formatIPv6(prefixWords), length };
    if (op.insert) {
      const id = ids[op.adjacency]!;
      assert.equal(fib.insert(prefix, id), ref.insert(prefix, id), `insert ${formatPrefix({ family, words: prefixWords, length })}: new?`);
      history.push({ words: prefixWords, length });
    } else {
      assert.equal(fib.delete(prefix), ref.delete(prefix), `delete ${formatPrefix({ family, words: prefixWords, length })}: existed?`);
    }
    if ((step + 1) % checkEvery === 0) check(`after step ${step}`);
  });
  check("at the end");
}

describe("FIB against the reference (fast-check)", () => {
  const bases4 = fc.array(
    fc.nat({ max: 0xffffffff }).map((n) => [n]),
    { minLength: 3, maxLength: 3 },
  );
  const bases6 = fc.array(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 });

  test("IPv4: interleaved inserts and deletes of nested prefixes give the reference's answers", () => {
    fc.assert(
      fc.property(bases4, fc.array(opArbitrary(32), { maxLength: 250 }), fc.nat(), (bases, ops, seed) => runOps(4, bases, ops, 50, seed)),
    );
  });

  test("IPv6: interleaved inserts and deletes of nested prefixes give the reference's answers", () => {
    fc.assert(
      fc.property(bases6, fc.array(opArbitrary(128), { maxLength: 250 }), fc.nat(), (bases, ops, seed) => runOps(6, bases, ops, 50, seed)),
    );
  });

  test("the debug build (assertions on) agrees too", async () => {
    await withDebugBuild(() => {
      fc.assert(
        fc.property(bases4, fc.array(opArbitrary(32), { maxLength: 150 }), fc.nat(), (bases, ops, seed) => runOps(4, bases, ops, 50, seed)),
        { numRuns: 30 },
      );
      fc.assert(
        fc.property(bases6, fc.array(opArbitrary(128), { maxLength: 150 }), fc.nat(), (bases, ops, seed) =>
          runOps(6, bases, ops, 50, seed),
        ),
        { numRuns: 30 },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The full Internet table

describe("FIB on a full Internet table", () => {
  test("identical to the reference for 1,000,000 random and 1,000,000 covered IPv4 addresses and 200,000 IPv6 ones, before and after churn", async (t) => {
    const { table, source } = await fullTable();
    t.diagnostic(`table: ${source} (${table.ipv4.count} IPv4, ${table.ipv6.count} IPv6 prefixes)`);
    const fib = new Fib({ seed: 14 });
    installTable(fib, table);
    const ref = new ReferenceFib();
    const v4 = table.ipv4;
    const v6 = table.ipv6;
    // The same adjacencies the FIB got, read back per route.
    const ids4 = Uint32Array.from({ length: v4.count }, (_, i) => fib.get({ address: v4.addresses[i]!, length: v4.lengths[i]! })!);
    const ids6 = new Uint32Array(v6.count);
    for (let i = 0; i < v6.count; i++)
      ids6[i] = fib.get({ address: formatIPv6(v6.addresses.subarray(i * 4, i * 4 + 4)), length: v6.lengths[i]! })!;
    ref.insertBatch(v4.addresses, v4.lengths, ids4);
    ref.insertBatch6(v6.addresses, v6.lengths, ids6);
    assert.equal(fib.size(4), ref.size(4));
    assert.equal(fib.size(6), ref.size(6));

    const random = new Xoshiro128(14);
    const probes = (): { random4: Uint32Array; covered4: Uint32Array; v6: Uint32Array } => {
      const random4 = Uint32Array.from({ length: 1_000_000 }, () => random.next());
      const covered4 = new Uint32Array(1_000_000);
      for (let i = 0; i < covered4.length; i++) {
        const k = random.below(v4.count);
        covered4[i] = inside(v4.addresses.subarray(k, k + 1), v4.lengths[k]!, random)[0]!;
      }
      const six = new Uint32Array(200_000 * 4);
      for (let i = 0; i < 200_000; i++) {
        if (i % 4 === 3) {
          for (let w = 0; w < 4; w++) six[i * 4 + w] = random.next();
          six[i * 4] = ((six[i * 4]! & 0x1fffffff) | 0x20000000) >>> 0;
        } else {
          const k = random.below(v6.count);
          six.set(inside(v6.addresses.subarray(k * 4, k * 4 + 4), v6.lengths[k]!, random), i * 4);
        }
      }
      return { random4, covered4, v6: six };
    };
    let p = probes();
    sameAnswers4(fib, ref, p.random4, "random IPv4");
    sameAnswers4(fib, ref, p.covered4, "covered IPv4");
    sameAnswers6(fib, ref, p.v6, "IPv6");

    // Churn: delete a tenth of the routes, re-add half of those with other adjacencies.
    const [other] = neighbors(fib, 1);
    for (let i = 0; i < v4.count; i += 10) {
      const prefix = { address: v4.addresses[i]!, length: v4.lengths[i]! };
      assert.equal(fib.delete(prefix), ref.delete(prefix));
      if (i % 20 === 0) assert.equal(fib.insert(prefix, other!), ref.insert(prefix, other!));
    }
    for (let i = 0; i < v6.count; i += 10) {
      const prefix = { address: formatIPv6(v6.addresses.subarray(i * 4, i * 4 + 4)), length: v6.lengths[i]! };
      assert.equal(fib.delete(prefix), ref.delete(prefix));
      if (i % 20 === 0) assert.equal(fib.insert(prefix, other!), ref.insert(prefix, other!));
    }
    p = probes();
    sameAnswers4(fib, ref, p.random4, "random IPv4 after churn");
    sameAnswers4(fib, ref, p.covered4, "covered IPv4 after churn");
    sameAnswers6(fib, ref, p.v6, "IPv6 after churn");
    const s = fib.summary();
    assert.equal(s.inserts - s.invalidations, s.routes);
    t.diagnostic(`IPv4 FIB bytes: ${s.ipv4.bytes}, IPv6: ${s.ipv6.bytes}, total ${s.bytes}`);
  });
});
