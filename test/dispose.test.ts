// dispose() frees a component's memory in its core: making, using and disposing components of
// every kind over and over on one core leaves the WebAssembly memory the size it was after the
// first round (TLSF hands the freed blocks out again), and a disposed component refuses every
// further call with a ConfigError "disposed" naming it instead of touching freed memory.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../src/wasm/core.js";
import { ConfigError } from "../src/errors.js";
import { Fib } from "../src/fib/fib.js";
import { ArpTable } from "../src/arp/table.js";
import { Sampler } from "../src/sampling/sampler.js";
import { PacketSelector } from "../src/sampling/packet-selector.js";
import { FlowCache } from "../src/flow/cache.js";
import { PacketBatch } from "../src/packet/batch.js";
import { withDebugBuild } from "./helpers/wasm.js";
import { RouteCache } from "../src/route-cache/cache.js";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { ipv4Frame } from "./helpers/router-frames.js";

/** A FIB filled with `routes` IPv4 and IPv6 routes, looked up once: tries, images, tables and staging in use. */
function fibRound(core: Core, routes: number): Fib {
  const fib = new Fib({ core, maxBytes: 64 * 1024 * 1024 });
  const gw = fib.addAdjacency({ interface: 1, nextHop: "192.0.2.1" });
  const addresses = new Uint32Array(routes);
  const lengths = new Uint8Array(routes);
  const adjacencies = new Uint32Array(routes).fill(gw);
  for (let i = 0; i < routes; i++) {
    const length = 16 + (i % 17);
    addresses[i] = ((0x0a000000 + i * 0x100 * 7) & (0xffffffff << (32 - length))) >>> 0;
    lengths[i] = length;
  }
  fib.insertBatch(addresses, lengths, adjacencies);
  for (let i = 0; i < 200; i++) fib.insert(`2001:db8:${i.toString(16)}::/48`, gw);
  for (let i = 0; i < 40; i++) fib.addAdjacency({ interface: 2, nextHop: `192.0.2.${i + 2}` });
  fib.lookupBatch(addresses);
  fib.summary();
  return fib;
}

function arpRound(core: Core): ArpTable {
  const table = new ArpTable({
    core,
    seed: 5,
    interfaces: [
      { mac: "00:00:0c:00:00:01", addresses: ["10.0.0.1/16"] },
      { mac: "00:00:0c:00:00:02", addresses: ["10.1.0.1/16"] },
    ],
  });
  for (let i = 2; i < 300; i++) table.resolve(0, `10.0.${i >> 8}.${i & 255}`, i);
  table.receiveArp(
    { ifIndex: 1, op: "reply", senderIp: "10.1.0.9", senderMac: "00:11:22:33:44:55", targetIp: "10.1.0.1", targetMac: "00:00:0c:00:00:02" },
    400,
  );
  table.tick(5000);
  table.drainRequests();
  table.drainReleased();
  table.counters();
  table.occupancy();
  table.entries();
  return table;
}

function samplerRound(core: Core): Sampler {
  const sampler = new Sampler({ core, seed: 3, interval: 10 });
  sampler.select(10_000);
  sampler.selectMask(1000);
  sampler.saveState();
  return sampler;
}

function selectorRound(core: Core): PacketSelector {
  const selector = new PacketSelector({ core, seed: 21, maxBatch: 4096 });
  selector.samplerMap("one-in-two", { interval: 2 });
  selector.setInterface(0, { sampler: "one-in-two" });
  selector.setInterface(1, { sampler: "one-in-two" });
  selector.counters();
  return selector;
}

/** A route cache over a small FIB, filled by a scan (entry segments allocated) and partly cleared. */
function routeCacheRound(core: Core): { dispose(): void } {
  const fib = fibRound(core, 200);
  const cache = new RouteCache({ fib, maxBytes: 8 * 1024 * 1024, seed: 9 });
  cache.setNeighbor("192.0.2.1", "00:00:0c:00:00:09", 0);
  const scan = Uint32Array.from({ length: 3000 }, (_, i) => (0xc0000000 + i * 0x100) >>> 0);
  cache.switchBatch(scan, 10);
  cache.clear(20, "192.0.0.0/16");
  cache.statistics();
  cache.entries();
  return {
    dispose() {
      cache.dispose();
      fib.dispose();
    },
  };
}

/** A router with NetFlow and a fast-switching interface, after a scan through it. */
function dataplaneRound(core: Core): Dataplane {
  const router = Dataplane.fromConfig(
    `no ip cef\ninterface E0\n ip address 192.0.2.1 255.255.255.0\n ip flow ingress\ninterface E1\n ip address 198.51.100.1 255.255.255.0\nip route 0.0.0.0 0.0.0.0 198.51.100.2\narp 198.51.100.2 0a00.0000.0202 arpa\n`,
    { core, seed: 4, maxBatch: 256 },
  );
  const batch = new PacketBatch({ core, capacity: 256, frameBytes: 256 * 64 });
  for (let i = 0; i < 256; i++) {
    const frame = ipv4Frame({
      srcMac: "0a:00:00:00:00:09",
      dstMac: "00:00:0c:00:00:01",
      src: "192.0.2.7",
      dst: `${1 + (i % 200)}.${i}.0.1`,
      protocol: 6,
      ttl: 64,
    });
    batch.push({ frame, time: 1000 + i, interface: 0, linkType: 1, wireLength: frame.length });
  }
  router.process(batch);
  batch.dispose();
  return router;
}

const kinds: Record<string, (core: Core) => { dispose(): void }> = {
  Fib: (core) => fibRound(core, 5000),
  ArpTable: arpRound,
  Sampler: samplerRound,
  PacketSelector: selectorRound,
  FlowCache: (core) => new FlowCache({ core, capacity: 20_000 }),
  PacketBatch: (core) => new PacketBatch({ core, capacity: 256, frameBytes: 65536 }),
  RouteCache: routeCacheRound,
  Dataplane: dataplaneRound,
};

for (const build of ["release", "debug"] as const) {
  const run = <T>(body: () => T) => (build === "debug" ? withDebugBuild(body) : body());

  test(`${build} build: making and disposing each kind of component on one core leaves its memory the same size`, async () => {
    await run(() => {
      for (const [kind, make] of Object.entries(kinds)) {
        const core = new Core();
        make(core).dispose();
        const size = core.memory().memoryBytes;
        // A sampler's state is small: enough rounds that leaking it would outgrow a 64 KiB page.
        const rounds = kind === "Sampler" ? (build === "debug" ? 100 : 1500) : build === "debug" ? 4 : 12;
        for (let i = 0; i < rounds; i++) make(core).dispose();
        assert.equal(core.memory().memoryBytes, size, `${kind}: the core's memory grew over ${rounds} rounds`);
        assert.equal(core.availableBytes, core.maxBytes, `${kind}: the reservation was given back`);
      }
      // All kinds at once, interleaved, in a different order each round.
      const core = new Core();
      const all = Object.values(kinds);
      for (const make of all) make(core).dispose();
      const live = all.map((make) => make(core));
      for (const component of live) component.dispose();
      const size = core.memory().memoryBytes;
      for (let i = 0; i < 3; i++) {
        const made = (i % 2 === 0 ? all : [...all].reverse()).map((make) => make(core));
        for (const component of i % 2 === 0 ? made.reverse() : made) component.dispose();
      }
      assert.equal(core.memory().memoryBytes, size, "mixed components: the core's memory grew");
    });
  });
}

test("a FIB's blocks are all given back: its memory is reused by a FIB of another shape", () => {
  const core = new Core();
  fibRound(core, 20_000).dispose();
  const size = core.memory().memoryBytes;
  // Many small tables where one large one was: the freed space is one region again.
  for (let round = 0; round < 3; round++) {
    const fibs = Array.from({ length: 8 }, () => fibRound(core, 2000));
    for (const fib of fibs) fib.dispose();
  }
  fibRound(core, 20_000).dispose();
  assert.equal(core.memory().memoryBytes, size);
});

function refusesAsDisposed(kind: string, call: () => unknown): void {
  assert.throws(call, (e: unknown) => e instanceof ConfigError && e.code === "disposed" && e.message.includes(kind), `${kind}: ${call}`);
}

test("a disposed component refuses every call with a ConfigError naming it; dispose is idempotent", () => {
  const core = new Core();
  const fib = fibRound(core, 100);
  fib.dispose();
  fib.dispose();
  refusesAsDisposed("Fib", () => fib.lookup("10.0.0.1"));
  refusesAsDisposed("Fib", () => fib.lookupBatch(new Uint32Array([1, 2, 3])));
  refusesAsDisposed("Fib", () => fib.insert("10.0.0.0/8", 1));
  refusesAsDisposed("Fib", () => fib.summary());
  refusesAsDisposed("Fib", () => fib.size());

  const arp = arpRound(core);
  arp.dispose();
  arp.dispose();
  refusesAsDisposed("ArpTable", () => arp.resolve(0, "10.0.0.7", 10_000));
  refusesAsDisposed("ArpTable", () => arp.resolveBatch(0, new Uint32Array([0x0a000007]), 10_000, new Uint8Array(1)));
  refusesAsDisposed("ArpTable", () => arp.counters());
  refusesAsDisposed("ArpTable", () => arp.tick(20_000));

  const sampler = samplerRound(core);
  sampler.dispose();
  sampler.dispose();
  refusesAsDisposed("Sampler", () => sampler.select(10));
  refusesAsDisposed("Sampler", () => sampler.decide());
  refusesAsDisposed("Sampler", () => sampler.seen);

  const selector = selectorRound(core);
  selector.dispose();
  selector.dispose();
  refusesAsDisposed("PacketSelector", () => selector.counters());
  refusesAsDisposed("PacketSelector", () => selector.samplerMap("other", { interval: 4 }));

  const cache = new FlowCache({ core, capacity: 1000 });
  const batch = new PacketBatch({ core, capacity: 16, frameBytes: 4096 });
  cache.dispose();
  refusesAsDisposed("FlowCache", () => cache.counters());
  refusesAsDisposed("FlowCache", () => cache.drain());
  refusesAsDisposed("FlowCache", () => cache.update(batch));
  batch.dispose();
  refusesAsDisposed("PacketBatch", () => batch.parse());
  const live = new FlowCache({ core, capacity: 1000 });
  refusesAsDisposed("PacketBatch", () => live.update(batch));
  const reader = fibRound(core, 10);
  refusesAsDisposed("PacketBatch", () => reader.lookupPackets(batch));
  live.dispose();
  reader.dispose();

  const cacheFib = fibRound(core, 10);
  const routeCache = new RouteCache({ fib: cacheFib, maxBytes: 8 * 1024 * 1024 });
  routeCache.dispose();
  routeCache.dispose();
  refusesAsDisposed("RouteCache", () => routeCache.fill("10.0.0.1", 0));
  refusesAsDisposed("RouteCache", () => routeCache.statistics());
  refusesAsDisposed("RouteCache", () => routeCache.switchBatch(new Uint32Array([1]), 0));
  cacheFib.dispose();

  // The core goes on serving the components made after.
  const fresh = fibRound(core, 100);
  assert.equal(fresh.lookup("10.0.0.1"), fresh.lookup("10.0.0.1"));
  assert.ok(fresh.size() > 0);
  fresh.dispose();
  assert.equal(core.availableBytes, core.maxBytes);
});
