// Model-based test of the WebAssembly route cache against the reference (fc.commands, manual
// clock): traffic from a scanning workload and from a few popular destinations, FIB churn
// (single and load-shared routes, routes to interfaces), ARP changes, clears, ager and
// invalidate-delay reconfiguration. After every command both caches gave the same verdicts and
// adjacencies, hold the same entries in the same order, and agree on every counter; the
// counters obey their conservation laws.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatIPv4, type RouteCache, type RouteCacheStatistics } from "../src/index.js";
import type { ReferenceRouteCache } from "../src/reference/route-cache.js";
import { Twin, SMALL } from "./helpers/route-cache.js";
import { withDebugBuild } from "./helpers/wasm.js";

interface Model {
  clock: number;
}
interface Real {
  twin: Twin;
  wasm: RouteCache;
  reference: ReferenceRouteCache;
  adjacencies: number[];
}

/** Networks the workload and the churn share, so that they meet: class A, B and C, and a D. */
const NETWORKS = [0x0a000000, 0x0a010000, 0x0a010100, 0xac100000, 0xac100500, 0xc0a80100, 0xc0a80000, 0x2d000000, 0xe0000000];
const NEIGHBORS = ["192.0.2.1", "192.0.2.2", "192.0.2.3"];

function checkAgreement(real: Real): void {
  const s: RouteCacheStatistics = real.wasm.statistics();
  assert.deepEqual(s, real.reference.statistics());
  assert.deepEqual(real.wasm.entries(), real.reference.entries());
  assert.equal(s.lookups, s.fastSwitched + s.processSwitched);
  assert.equal(s.processSwitched, s.adds + s.noMemory + s.uncacheable + s.unresolved + s.noRoute);
  assert.equal(s.entries, s.adds - s.invalidates);
  assert.equal(s.invalidates, s.aged + s.invalidatedFull + s.cleared + s.arpInvalidated);
  assert.ok(s.entries <= s.maxEntries);
}

class SwitchCommand implements fc.Command<Model, Real> {
  constructor(
    readonly destinations: number[],
    readonly offset: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const now = model.clock + this.offset;
    const batch = Uint32Array.from(this.destinations);
    const got = real.wasm.switchBatch(batch, now);
    const want = real.reference.switchBatch(batch, now);
    assert.deepEqual(got.verdicts, want.verdicts);
    assert.deepEqual(got.adjacencies, want.adjacencies);
    assert.equal(got.fastSwitched, want.fastSwitched);
    checkAgreement(real);
  }
  toString(): string {
    return `switch(${this.destinations.length}: ${this.destinations.slice(0, 4).map(formatIPv4).join(" ")} …)`;
  }
}

class RouteCommand implements fc.Command<Model, Real> {
  constructor(
    readonly network: number,
    readonly length: number,
    readonly paths: number[] | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const prefix = `${formatIPv4(this.length === 0 ? 0 : (this.network & (0xffffffff << (32 - this.length))) >>> 0)}/${this.length}`;
    if (this.paths === undefined) real.twin.unroute(prefix);
    else
      real.twin.route(
        prefix,
        this.paths.map((p) => real.adjacencies[p % real.adjacencies.length]!),
      );
    real.wasm.advance(model.clock);
    real.reference.advance(model.clock);
    checkAgreement(real);
  }
  toString(): string {
    return `${this.paths ? "route" : "unroute"}(${formatIPv4(this.network)}/${this.length}${this.paths ? ` -> ${this.paths}` : ""})`;
  }
}

class ArpCommand implements fc.Command<Model, Real> {
  constructor(
    readonly address: string,
    readonly mac: number | undefined,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    if (this.mac === undefined)
      assert.equal(real.wasm.removeNeighbor(this.address, model.clock), real.reference.removeNeighbor(this.address, model.clock));
    else {
      const mac = `00:00:0c:00:00:${this.mac.toString(16).padStart(2, "0")}`;
      assert.equal(real.wasm.setNeighbor(this.address, mac, model.clock), real.reference.setNeighbor(this.address, mac, model.clock));
    }
    checkAgreement(real);
  }
  toString(): string {
    return `arp(${this.address} ${this.mac ?? "gone"})`;
  }
}

class TickCommand implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    model.clock += this.ms;
    real.wasm.advance(model.clock);
    real.reference.advance(model.clock);
    checkAgreement(real);
  }
  toString(): string {
    return `tick(${this.ms})`;
  }
}

class ClearCommand implements fc.Command<Model, Real> {
  constructor(readonly prefix: string | undefined) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    assert.equal(real.wasm.clear(model.clock, this.prefix), real.reference.clear(model.clock, this.prefix));
    checkAgreement(real);
  }
  toString(): string {
    return `clear(${this.prefix ?? ""})`;
  }
}

class ConfigureCommand implements fc.Command<Model, Real> {
  constructor(readonly line: string) {}
  check(): boolean {
    return true;
  }
  run(_model: Model, real: Real): void {
    real.wasm.configure(this.line);
    real.reference.configure(this.line);
    checkAgreement(real);
  }
  toString(): string {
    return this.line;
  }
}

const inNetwork = fc
  .record({ net: fc.nat({ max: NETWORKS.length - 1 }), host: fc.nat({ max: 0xffff }) })
  .map(({ net, host }) => (NETWORKS[net]! | (host & (net < 3 ? 0xff : 0xffff))) >>> 0);
/** A scan: consecutive or random addresses, each a new destination. */
const scan = fc.oneof(
  fc
    .record({ start: fc.nat({ max: 0xffffffff }), count: fc.integer({ min: 1, max: 120 }) })
    .map(({ start, count }) => Array.from({ length: count }, (_, i) => (start + i * 257) >>> 0)),
  fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 80 }),
);

const commands = [
  fc
    .tuple(fc.oneof(fc.array(inNetwork, { minLength: 1, maxLength: 60 }), scan), fc.nat({ max: 999 }))
    .map(([d, o]) => new SwitchCommand(d, o)),
  fc
    .tuple(
      fc.constantFrom(...NETWORKS),
      fc.constantFrom(0, 8, 12, 16, 20, 24, 26, 32),
      fc.option(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    )
    .map(([n, l, p]) => new RouteCommand(n, l, p)),
  fc
    .tuple(fc.oneof(fc.constantFrom(...NEIGHBORS), inNetwork.map(formatIPv4)), fc.option(fc.nat({ max: 3 }), { nil: undefined }))
    .map(([a, m]) => new ArpCommand(a, m)),
  fc.oneof(fc.constantFrom(500, 1000, 2000, 3000), fc.integer({ min: 1, max: 200_000 })).map((ms) => new TickCommand(ms)),
  fc.option(fc.constantFrom("10.0.0.0/8", "10.1.0.0/16", "172.16.5.0/24", "0.0.0.0/0"), { nil: undefined }).map((p) => new ClearCommand(p)),
  fc
    .oneof(
      fc
        .tuple(fc.constantFrom(0, 1, 5, 60), fc.integer({ min: 2, max: 50 }), fc.integer({ min: 3, max: 100 }))
        .map(([x, y, z]) => `ip cache-ager-interval ${x} ${y} ${z}`),
      fc
        .tuple(
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 3, max: 8 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 2 }),
        )
        .map(([a, b, c, d]) => `ip cache-invalidate-delay ${a} ${b} ${c} ${d}`),
    )
    .map((line) => new ConfigureCommand(line)),
];

function setup(seed: number, maxEntries: number, lowMemoryBytes: number): Real {
  const twin = new Twin(seed);
  const adjacencies = [
    twin.adjacency({ interface: "Ethernet1", nextHop: NEIGHBORS[0]! }),
    twin.adjacency({ interface: "Ethernet1", nextHop: NEIGHBORS[1]!, mac: "00:00:0c:aa:bb:cc" }),
    twin.adjacency({ interface: "Serial1", nextHop: "198.51.100.1" }),
    twin.adjacency({ interface: "Vlan3" }),
    twin.adjacency({ interface: "Ethernet2", nextHop: NEIGHBORS[2]! }),
    1, // Null0
  ];
  twin.route("0.0.0.0/0", adjacencies[3]!);
  const [wasm, reference] = twin.pair({
    ...SMALL,
    maxEntries,
    lowMemoryBytes,
    seed,
    ager: { intervalSeconds: 5, normalDivisor: 4, lowMemoryDivisor: 2 },
  });
  return { twin, wasm, reference, adjacencies };
}

function property(numRuns: number) {
  return fc.assert(
    fc.property(
      fc.commands(commands, { size: "max", maxCommands: 60 }),
      fc.nat(),
      fc.constantFrom(4, 64, 100_000),
      fc.constantFrom(0, 640, 1e12),
      (cmds, seed, maxEntries, lowMemoryBytes) => {
        const real = setup(seed, maxEntries, lowMemoryBytes);
        // Scanned hosts answer ARP (the worm's targets that exist).
        for (let i = 0; i < 64; i++) real.wasm.setNeighbor(formatIPv4((NETWORKS[i % 8]! + i) >>> 0), "00:11:22:33:44:55", 0);
        for (let i = 0; i < 64; i++) real.reference.setNeighbor(formatIPv4((NETWORKS[i % 8]! + i) >>> 0), "00:11:22:33:44:55", 0);
        fc.modelRun(() => ({ model: { clock: 1000 }, real }), cmds);
        real.wasm.dispose();
      },
    ),
    { numRuns },
  );
}

test("route cache model: the WebAssembly cache follows the reference under traffic, churn, ARP and time", () => {
  property(80);
});

test("route cache model, debug build", async () => {
  await withDebugBuild(() => property(15));
});
