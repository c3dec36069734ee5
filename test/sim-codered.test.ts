// The codered scenario (issue 18): the Code Red document's router against its fixes, small
// and fast. The vulnerable router's ARP request rate grows with the scan rate and its memory
// fails (MALLOCFAIL); the hardened router stays within its budgets and loses no established
// packet; each fix moves its quantity the way the seeds say (000:L159–207, L263–271; 001; 003).

import { test } from "node:test";
import assert from "node:assert/strict";
import { runCodeRed, codeRedConfig, infectionTimes, CODE_RED_SPREAD, type VariantRun } from "../src/sim/scenarios/codered.js";
import { logisticInfected } from "../src/sim/workload/spread.js";
import { parseIosConfig } from "../src/dataplane/config/parse.js";

const MIB = 1024 * 1024;
// A router whose free memory at boot holds the preallocated flow cache (4 MiB) and half a MiB
// more: the vulnerable router's growing tables fail within seconds.
const SMALL = { memoryBytes: 128 * MIB, systemBytes: 128 * MIB - 4.5 * MIB };
const BASE = { seconds: 40, servers: 200, upstreamRoutes: 200_000, establishedPacketsPerSecond: 300, establishedFlows: 200, seed: 7 };

const runs = runCodeRed(BASE).runs;
const by = (name: string): VariantRun => runs.find((r) => r.variant.name === name)!;
const summary = (name: string) => by(name).result.summary;
const num = (name: string, key: string) => summary(name)[key] as number;

test("the variants' configurations parse, and each applies its fix", () => {
  assert.match(codeRedConfig({}), /ip route 0\.0\.0\.0 0\.0\.0\.0 Vlan3/);
  assert.match(codeRedConfig({ nextHop: true }), /ip route 0\.0\.0\.0 0\.0\.0\.0 192\.0\.2\.2/);
  assert.equal(parseIosConfig(codeRedConfig({ cef: true })).cef, true);
  assert.equal(parseIosConfig(codeRedConfig({})).cef, false);
  assert.ok(parseIosConfig(codeRedConfig({ acl: true })).interfaces[1]!.accessGroups.some((g) => g.list === "101"));
  assert.equal(parseIosConfig(codeRedConfig({ sampledNetflow: true })).interfaces[1]!.flowSampler, "SAMPLE");
  assert.equal(runs.length, 8);
});

test("infection times follow the logistic: the share infected by t matches the closed form", () => {
  const n = 20_000;
  const a0 = 0.2;
  const times = infectionTimes(n, a0, CODE_RED_SPREAD, 3);
  const k0 =
    Math.log((CODE_RED_SPREAD.population / CODE_RED_SPREAD.initial - 1) * (a0 / (1 - a0))) /
    ((CODE_RED_SPREAD.scansPerSecond * CODE_RED_SPREAD.population) / 2 ** 32);
  for (const minutes of [0, 30, 120]) {
    const expected = logisticInfected(CODE_RED_SPREAD, k0 + minutes * 60) / CODE_RED_SPREAD.population;
    const seen = times.filter((t) => t <= minutes * 60_000).length / n;
    assert.ok(Math.abs(seen - expected) < 0.02, `${minutes} min: ${seen} infected against ${expected}`);
  }
});

test("the vulnerable router's ARP request rate grows with the scan rate", () => {
  const low = runCodeRed({ ...BASE, seconds: 20, startInfected: 0.05, variants: ["vulnerable"] }).runs[0]!;
  const high = runCodeRed({ ...BASE, seconds: 20, startInfected: 0.4, variants: ["vulnerable"] }).runs[0]!;
  const rate = (r: VariantRun) => r.router.arpRequests / r.router.seconds.length;
  const scans = (r: VariantRun) => r.router.seconds.reduce((a, s) => a + s.wormPackets, 0);
  assert.ok(scans(high) > 3 * scans(low), `scan packets ${scans(low)} → ${scans(high)}`);
  assert.ok(rate(high) > 3 * rate(low), `ARP requests/s ${rate(low)} → ${rate(high)}`);
  // Within a run too: seconds with more scan packets send more requests.
  const h = high.router.seconds.slice(5);
  const mean = (f: (s: (typeof h)[number]) => number) => h.reduce((a, s) => a + f(s), 0) / h.length;
  const mx = mean((s) => s.wormPackets),
    my = mean((s) => s.arpRequests);
  const cov = mean((s) => (s.wormPackets - mx) * (s.arpRequests - my));
  assert.ok(cov > 0, `covariance of scans and ARP requests per second ${cov}`);
});

test("the vulnerable router fails later with twice the memory", () => {
  const small = runCodeRed({ ...BASE, memoryBytes: 68.5 * MIB, variants: ["vulnerable", "vulnerable 256 MB"] }).runs;
  assert.notEqual(small[0]!.router.firstMallocFailSeconds, null, "the 68.5 MB router fails");
  assert.equal(small[1]!.router.firstMallocFailSeconds, null, "the 256 MB router does not (yet)");
  assert.ok(small[1]!.router.seconds.at(-1)!.freeBytes > small[0]!.router.seconds.at(-1)!.freeBytes);
});

test("the vulnerable router's memory fails: MALLOCFAIL on the console, allocations refused", () => {
  const small = runCodeRed({ ...BASE, ...SMALL, variants: ["vulnerable"] }).runs;
  const r = small[0]!.router;
  assert.ok(r.mallocFailures > 0, "no allocation failed");
  assert.notEqual(r.firstMallocFailSeconds, null);
  assert.ok(r.console.logged + r.console.overruns + r.console.dropped > 0);
  assert.ok(r.events.some((e) => e.label === "MALLOCFAIL"));
  assert.ok(
    r.console.recent.some((m) => m.startsWith("%SYS-2-MALLOCFAIL")),
    r.console.recent.join("\n"),
  );
});

test("the hardened router stays within its budgets and loses no established packet", () => {
  const r = by("all fixes").router;
  assert.equal(r.mallocFailures, 0);
  assert.equal(r.reloads, 0);
  assert.ok(r.establishedPackets > 5000, `${r.establishedPackets} established packets`);
  assert.equal(r.establishedLost, 0);
  assert.equal(num("all fixes", "routeCacheMB"), 0);
  assert.ok(Math.min(...r.seconds.map((s) => s.freeBytes)) > 0.5 * MIB);
  assert.ok(r.arpRequests <= 1, `${r.arpRequests} ARP requests`);
});

test("each fix has the effect the seeds claim", () => {
  const v = "vulnerable";
  // Next-hop route (000:L173–175): no ARP per destination.
  assert.ok(num("next-hop route", "arpPerSecond") < 0.01 * num(v, "arpPerSecond"));
  assert.ok(num("next-hop route", "arpMB") < num(v, "arpMB"));
  // CEF (000:L177–183, L263–269): no route cache, far less process switching.
  assert.equal(num("CEF", "routeCacheMB"), 0);
  assert.ok(num(v, "routeCacheMB") > 0);
  assert.ok(num("CEF", "ipInput") < 0.2 * num(v, "ipInput"), `IP Input ${num("CEF", "ipInput")} vs ${num(v, "ipInput")}`);
  // Negative ARP caching (001): far fewer requests for the same scan.
  assert.ok(num("negative ARP", "arpPerSecond") < 0.5 * num(v, "arpPerSecond"));
  // Sampled NetFlow (003): less NetFlow work at interrupt level, and top talkers still name the infected servers.
  assert.ok(num("sampled NetFlow", "interrupt") < num(v, "interrupt"));
  const sampled = by("sampled NetFlow").detection.top!;
  assert.ok(sampled.recall! >= 0.8 && sampled.precision! >= 0.9, JSON.stringify(sampled));
  // ACL blocking port 80 inbound (000:L163–165): the scan stops at the router.
  const forwarded = (name: string) => by(name).router.seconds.reduce((a, s) => a + s.wormForwarded, 0);
  assert.ok(forwarded(v) > 1000);
  assert.equal(forwarded("ACL port 80"), 0);
  assert.ok(num("ACL port 80", "arpPerSecond") < 0.2 * num(v, "arpPerSecond"));
  assert.ok(num("ACL port 80", "lost") <= num(v, "lost"));
  // NetFlow names the infected servers in the vulnerable router too (000:L57–75).
  const full = by(v).detection.include0050!;
  assert.ok(full.recall! >= 0.9 && full.precision! >= 0.9, JSON.stringify(full));
});

test("with no infected server nothing is named and there is no ARP storm (negative control)", () => {
  const quiet = runCodeRed({ ...BASE, seconds: 20, startInfected: 1e-9, variants: ["vulnerable"] }).runs[0]!;
  assert.equal(
    quiet.router.seconds.reduce((a, s) => a + s.wormPackets, 0),
    0,
  );
  assert.equal(quiet.detection.include0050!.named, 0);
  assert.equal(quiet.detection.top!.named, 0);
  const late = quiet.router.seconds.slice(-5).reduce((a, s) => a + s.arpRequests, 0) / 5;
  assert.ok(late < 0.1 * num("vulnerable", "arpPerSecond"), `${late} requests/s`);
});

test("CEF that cannot allocate an adjacency disables itself and the router falls back to fast switching (000:L271)", () => {
  const cef = runCodeRed({ ...BASE, ...SMALL, variants: ["CEF"] }).runs[0]!.router;
  const disabled = cef.events.find((e) => e.label === "CEF disabled");
  assert.ok(disabled !== undefined, JSON.stringify(cef.events));
  assert.equal(cef.switching, "fast");
  // (Its %FIB message went to a console flooded with MALLOCFAILs: an overrun, as such messages were.)
  assert.ok(cef.console.overruns > 0);
  // Before: no route cache; after: one, growing.
  const before = cef.seconds.filter((s) => s.seconds <= disabled.seconds);
  const after = cef.seconds.filter((s) => s.seconds > disabled.seconds + 1);
  assert.ok(before.every((s) => s.routeCacheBytes === 0));
  assert.ok(after.some((s) => s.routeCacheBytes > 0));
  assert.equal(after.at(-1)!.cefBytes, 0, "the adjacencies went with CEF");
});

test("a router whose allocations fail for 60 s reloads, is down for the boot time, and loses everything meanwhile", () => {
  const r = runCodeRed({ ...BASE, ...SMALL, seconds: 100, variants: ["vulnerable"] }).runs[0]!.router;
  assert.notEqual(r.firstMallocFailSeconds, null);
  assert.notEqual(r.firstReloadSeconds, null, JSON.stringify(r.events));
  assert.ok(r.firstReloadSeconds! >= r.firstMallocFailSeconds! + 60, JSON.stringify(r.events));
  assert.equal(r.up, false, "still booting 180 s later");
  const down = r.seconds.filter((s) => s.seconds > r.firstReloadSeconds! + 1);
  assert.ok(down.length > 0);
  for (const s of down) assert.equal(s.establishedLost, s.establishedPackets);
});
