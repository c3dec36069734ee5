// Model-based test of the Dataplane: the WebAssembly pipeline against the reference
// composition (src/reference/dataplane.ts) on random routers (connected subnets, static routes
// to next hops, to interfaces and to Null0, static ARP, access lists, uRPF, NetFlow ingress and
// egress), random traffic and a simulated LAN that answers ARP for the hosts that exist. After
// every batch: the same verdicts, the same rewritten frames, the same frames made (ARP, ICMP,
// released packets), the same counters of every stage, and conservation. Release and debug.
// The scenarios and the comparison are in helpers/dataplane-scenario.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { VERDICTS, REASONS } from "../src/dataplane/verdicts.js";
import { scenario, fastScenario, run } from "./helpers/dataplane-scenario.js";
import { withDebugBuild } from "./helpers/wasm.js";

test("the WebAssembly pipeline forwards as the reference composition (release)", () => {
  fc.assert(
    fc.property(scenario, (s) => {
      run(s);
    }),
    { numRuns: 150 },
  );
});

test("the WebAssembly pipeline forwards as the reference composition (debug build)", async () => {
  await withDebugBuild(() =>
    fc.assert(
      fc.property(scenario, (s) => {
        run(s);
      }),
      { numRuns: 30 },
    ),
  );
});

test("fast switching on every interface: the route cache stage and its reference agree, and it is exercised", () => {
  let hits = 0;
  fc.assert(
    fc.property(fastScenario, (s) => {
      const c = run(s);
      hits += c.switching.fast;
      return true;
    }),
    { numRuns: 100 },
  );
  // Across the runs (one seed per run of the suite), hits must have happened: the property above
  // compares something.
  assert.ok(hits > 0, "no packet was fast switched in 100 fast-switching scenarios");
});

test("verdict and reason names cover every code the pipeline writes", () => {
  assert.deepEqual(VERDICTS, ["forwarded", "queued", "punted", "dropped"]);
  assert.equal(REASONS[1], "no-route");
  assert.equal(REASONS[10], "acl-denied");
});
