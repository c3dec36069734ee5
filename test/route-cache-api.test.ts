// The route cache's API edges: option and command validation, typed errors naming the value,
// batch-size independence, the core's accounting, and the pipeline-facing exports.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Fib, RouteCache, Core, ConfigError, TimeError, CapacityError } from "../src/index.js";
import { Twin, SMALL } from "./helpers/route-cache.js";

function small(): { fib: Fib; gw: number } {
  const fib = new Fib({ seed: 1 });
  const gw = fib.addAdjacency({ interface: "Ethernet1", nextHop: "192.0.2.1", mac: "00:00:0c:00:00:01" });
  fib.insert("0.0.0.0/0", gw);
  fib.insert("10.1.0.0/16", gw);
  return { fib, gw };
}

test("bad options and commands are typed errors that name the value", () => {
  const { fib } = small();
  assert.throws(
    () => new RouteCache({ fib, capacity: 3 } as never),
    (e: Error) => e instanceof ConfigError && /capacity/.test(e.message),
  );
  assert.throws(() => new RouteCache({} as never), ConfigError);
  assert.throws(() => new RouteCache({ fib, ager: { intervalSeconds: -1 } }), /-1/);
  assert.throws(() => new RouteCache({ fib, ager: { normalDivisor: 2 } }), /2/);
  assert.throws(() => new RouteCache({ fib, ager: { lowMemoryDivisor: 51 } }), /51/);
  assert.throws(() => new RouteCache({ fib, invalidateDelay: { minimumSeconds: 6, maximumSeconds: 5 } }), /5/);
  assert.throws(() => new RouteCache({ fib, maxBytes: 1000 }), CapacityError);
  assert.throws(() => new RouteCache({ fib, interfaces: { Serial1: { encapsulation: "ppp" as never } } }), /ppp/);
  const cache = new RouteCache({ fib, ...SMALL });
  assert.throws(() => cache.configure("ip cache-ager-interval 60 1 25"), /1/);
  assert.throws(() => cache.configure("ip cache-ager-interval sixty"), /sixty/);
  assert.throws(() => cache.configure("ip route-cache"), /ip route-cache/);
  assert.throws(() => cache.configure("ip cache-invalidate-delay 2 5 3"), /MIN MAX QUIET THRESHOLD/);
  assert.throws(() => cache.fill("10.1.1.1", Number.NaN), TimeError);
  assert.throws(() => cache.switchBatch(new Uint32Array(1), -5), TimeError);
  assert.throws(() => cache.clear(0, "2001:db8::/32"), /IPv4/);
  assert.throws(() => cache.fill("10.1.1.999", 0), /10\.1\.1\.999/);
  // Defaults and the no forms.
  cache.configure("ip cache-ager 60 5 25");
  assert.deepEqual([cache.timers.agerIntervalSeconds, cache.timers.agerLowMemoryDivisor, cache.timers.agerNormalDivisor], [60, 5, 25]);
  cache.configure("no ip cache-ager-interval");
  assert.deepEqual([cache.timers.agerIntervalSeconds, cache.timers.agerLowMemoryDivisor, cache.timers.agerNormalDivisor], [60, 4, 20]);
  cache.configure("ip cache-invalidate-delay 1 9 4 2");
  assert.deepEqual(
    [cache.timers.minimumSeconds, cache.timers.maximumSeconds, cache.timers.quietSeconds, cache.timers.threshold],
    [1, 9, 4, 2],
  );
  cache.configure("ip cache-invalidate-delay");
  assert.deepEqual(
    [cache.timers.minimumSeconds, cache.timers.maximumSeconds, cache.timers.quietSeconds, cache.timers.threshold],
    [2, 5, 3, 0],
  );
});

test("results do not depend on how a stream is cut into batches", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.nat({ max: 0xffff }).map((h) => (0x0a010000 | h) >>> 0),
          fc.nat({ max: 0xdfffffff }),
        ),
        { minLength: 1, maxLength: 400 },
      ),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
      (stream, cuts) => {
        const { fib } = small();
        const whole = new RouteCache({ fib, ...SMALL, maxEntries: 64, seed: 1 });
        const pieces = new RouteCache({ fib, ...SMALL, maxEntries: 64, seed: 2 });
        const all = Uint32Array.from(stream);
        const one = whole.switchBatch(all, 5000);
        const verdicts: number[] = [];
        for (let at = 0, k = 0; at < all.length; k++) {
          const n = cuts[k % cuts.length]!;
          verdicts.push(...pieces.switchBatch(all.subarray(at, at + n), 5000).verdicts);
          at += n;
        }
        assert.deepEqual(verdicts, [...one.verdicts]);
        assert.deepEqual(pieces.statistics(), whole.statistics());
        whole.dispose();
        pieces.dispose();
      },
    ),
    { numRuns: 40 },
  );
});

test("the cache reserves its budget from the FIB's core and gives it back", () => {
  const core = new Core({ maxBytes: 64 * 1024 ** 2 });
  const fib = new Fib({ core, maxBytes: 16 * 1024 ** 2 });
  const cache = new RouteCache({ fib, maxBytes: 8 * 1024 ** 2 });
  const kinds = core.memory().components.map((c) => c.kind);
  assert.deepEqual(kinds, ["fib", "route-cache"]);
  assert.throws(() => new RouteCache({ fib, maxBytes: 48 * 1024 ** 2 }), CapacityError);
  cache.dispose();
  assert.deepEqual(
    core.memory().components.map((c) => c.kind),
    ["fib"],
  );
});

test("a scan grows the cache by one entry per destination where CEF grows by none", () => {
  const twin = new Twin(3);
  const lan = twin.adjacency({ interface: "Vlan3" });
  twin.route("0.0.0.0/0", lan);
  const cache = twin.cache("wasm", SMALL) as RouteCache;
  const cefBytes = twin.fib.summary().bytes;
  const before = cache.usedBytes();
  const hosts = Uint32Array.from({ length: 3000 }, (_, i) => (0x0b000000 + i * 7919) >>> 0);
  for (const h of hosts) cache.setNeighbor(h, "00:11:22:33:44:55", 0);
  const { verdicts } = cache.switchBatch(hosts, 1000);
  assert.ok(verdicts.every((v) => v === 2));
  assert.equal(cache.statistics().entries, hosts.length);
  assert.ok(cache.usedBytes() - before >= hosts.length * 64);
  twin.fib.lookupBatch(hosts);
  assert.equal(twin.fib.summary().bytes, cefBytes);
});

test("lookupBatch reports hits only; fill process-switches the misses", () => {
  const { fib, gw } = small();
  const cache = new RouteCache({ fib, ...SMALL });
  const dst = Uint32Array.of(0x0a010203, 0x08080808, 0x0a01ffff);
  const out = new Uint32Array(3);
  assert.equal(cache.lookupBatch(dst, 0, out), 0);
  assert.deepEqual([...out], [0, 0, 0]);
  assert.equal(cache.fill(dst[0]!, 0), "process");
  assert.equal(cache.lookupBatch(dst, 0, out), 2);
  assert.deepEqual([...out], [gw, 0, gw]);
  const s = cache.statistics();
  assert.equal(s.lookups, s.fastSwitched + s.processSwitched);
  assert.ok(cache.handle > 0);
});
