// `show ip cache` and `show ip cache verbose` against the seed's examples (000:L221-242), fed
// the seed's state; then the live displays of a cache and of its reference.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderRouteCache, showIpCache, type RouteCacheView, type RouteCacheStatistics, type RouteCacheEntry } from "../src/index.js";
import { Twin, SMALL } from "./helpers/route-cache.js";

const SEED_NAME = "000_f004fb75dcdd3d1a.txt";
/**
 * Where the seed may be: $DATAPLANE_SEEDS, then the shared folder beside this clone
 * (../../shared/seeds from test/), or beside the folder of worktrees it is in (/work/wt/NAME).
 */
const SEED_PATHS = [
  ...(process.env.DATAPLANE_SEEDS ? [join(process.env.DATAPLANE_SEEDS, SEED_NAME)] : []),
  fileURLToPath(new URL(`../../shared/seeds/${SEED_NAME}`, import.meta.url)),
  fileURLToPath(new URL(`../../../shared/seeds/${SEED_NAME}`, import.meta.url)),
];
const SEED_PATH = SEED_PATHS.find((path) => existsSync(path));
const SEED = SEED_PATH === undefined ? undefined : readFileSync(SEED_PATH, "utf8").split("\n");
const NO_SEED = `seed ${SEED_NAME} not found (looked in ${SEED_PATHS.join(", ")}): set DATAPLANE_SEEDS to the seeds folder to compare with it`;
/** Seed lines `from`..`to` (1-based, inclusive), as printed after the prompt line. */
function seed(from: number, to: number): string[] {
  return SEED!.slice(from - 1, to);
}

const HOUR = 3_600_000;
const NOW = 100 * HOUR;
function ago(h: number, m: number, s: number): number {
  return NOW - (h * HOUR + m * 60_000 + s * 1000);
}

/** The state of the seed's router: 2 entries, 332 bytes, 27 adds, 25 invalidates, ip cache-ager 60 5 25. */
function seedState(lastFull: number, ages: [number, number]): RouteCacheView {
  const statistics = {
    entries: 2,
    entryBytes: 332,
    adds: 27,
    invalidates: 25,
    requestsLastSecond: 0,
    requestsLastQuiet: 0,
    lastFullInvalidationMs: lastFull,
    nowMs: NOW,
  } as RouteCacheStatistics;
  const entries: RouteCacheEntry[] = [
    { prefix: "10.1.0.0/16", createdMs: ages[0], interface: "Serial1", nextHop: "10.9.9.1", adjacency: 6, header: "0F000800", used: true },
    {
      prefix: "10.2.0.0/16",
      createdMs: ages[1],
      interface: "Ethernet1",
      nextHop: "10.8.8.1",
      adjacency: 7,
      header: "00000C34A7FC00000C13DBA90800",
      used: true,
    },
  ];
  return {
    statistics: () => statistics,
    entries: () => entries,
    timers: {
      agerIntervalSeconds: 60,
      agerLowMemoryDivisor: 5,
      agerNormalDivisor: 25,
      minimumSeconds: 2,
      maximumSeconds: 5,
      quietSeconds: 3,
      threshold: 0,
    },
  };
}

/** The seed's flattened row text with what the scraper dropped (prefixes, next hops) removed from ours. */
function tokens(lines: string[]): string[] {
  return lines
    .join(" ")
    .split(/\s+/)
    .filter((w) => w !== "" && !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(w));
}

test("show ip cache reproduces the seed's example line for line (ip cache-ager 60 5 25)", (t) => {
  if (SEED === undefined) return t.skip(NO_SEED);
  const out = renderRouteCache(seedState(ago(3, 55, 12), [ago(3, 44, 53), ago(0, 3, 15)])).split("\n");
  const want = seed(222, 230);
  // Header block and the blank line: verbatim, trailing space included.
  assert.deepEqual(out.slice(0, 8), want.slice(0, 8));
  assert.equal(out[2], "Cache aged by 1/25 every 60 seconds (1/5 when memory is low).");
  // Column header: the seed's, up to where the scraper glued the rows onto it.
  assert.ok(want[8]!.startsWith(out[8]!), out[8]);
  // Rows: the surviving tokens, in order.
  assert.deepEqual(tokens(out.slice(9)), tokens([want[8]!.slice(out[8]!.length)]));
});

test("show ip cache verbose reproduces the seed's example line for line", (t) => {
  if (SEED === undefined) return t.skip(NO_SEED);
  const out = renderRouteCache(seedState(ago(3, 57, 31), [ago(3, 47, 13), ago(0, 5, 35)]), { verbose: true }).split("\n");
  const want = seed(233, 242);
  assert.deepEqual(out.slice(0, 7), want.slice(0, 7));
  assert.ok(want[7]!.startsWith(out[7]!), out[7]);
  // The MAC-header lines survived intact: exactly the seed's.
  assert.equal(out[9], want[8]!.slice(0, out[9]!.length));
  assert.equal(out[11], want[9]);
  assert.match(want[8]!, /^ {19}4 {3}0F000800/);
  assert.deepEqual(tokens([out[8]!, out[10]!]), tokens([want[7]!.slice(out[7]!.length), want[8]!.slice(out[9]!.length)]));
});

test("a live cache and its reference print the same displays", () => {
  const twin = new Twin(2);
  const gw = twin.adjacency({ interface: "Ethernet1", nextHop: "192.0.2.1" });
  const serial = twin.adjacency({ interface: "Serial1", nextHop: "198.51.100.1" });
  twin.route("10.0.0.0/8", gw);
  twin.route("10.1.0.0/16", serial);
  const [wasm, reference] = twin.pair({ ...SMALL, interfaces: { Ethernet1: { mac: "00:00:0c:13:db:a9" } } });
  for (const c of [wasm, reference]) {
    c.configure("ip cache-ager 60 5 25");
    c.setNeighbor("192.0.2.1", "00:00:0c:34:a7:fc", 0);
    c.fill("10.1.2.3", 1000);
    c.fill("10.2.3.4", 5000);
  }
  twin.route("10.3.0.0/16", serial);
  for (const c of [wasm, reference]) {
    c.advance(6000);
    c.advance(9000); // invalidated (held 2 s, quiet 3 s)
    c.fill("10.2.3.4", 10_000);
    c.fill("10.1.9.9", 12_000);
  }
  for (const command of [
    "show ip cache",
    "show ip cache verbose",
    "show ip cache 10.2.0.0 255.255.0.0",
    "show ip cache verbose 10.1.0.0/16",
  ]) {
    assert.equal(showIpCache(wasm, command, 15_000), showIpCache(reference, command, 15_000), command);
  }
  const text = showIpCache(wasm, "show ip cache verbose", 15_000);
  assert.match(text, /^IP routing cache 2 entries, 128 bytes\n {3}4 adds, 2 invalidates, 0 refcounts\n/);
  assert.match(text, /Last full cache invalidation occurred 00:00:06 ago/);
  assert.match(text, /^10\.2\.0\.0\/16 {9}00:00:05 {2}Ethernet1 {7}192\.0\.2\.1$/m);
  assert.match(text, /^ {19}14 {2}00000C34A7FC00000C13DBA90800$/m);
  assert.match(text, /^ {19}4 {3}0F000800$/m);
  assert.equal(showIpCache(wasm, "show ip cache 10.2.0.0 255.255.0.0", 15_000).split("\n").length, 11);
  assert.throws(() => showIpCache(wasm, "show ip cache 10.0.0.0 255.0.255.0"), /mask/);
});
