// The bgp-churn scenario (issue 18; seed 004, spec §7, §9.5): the CCF between BGP changes per
// 5 minutes and the 1-minute CPU average read every 5 minutes has the paper's shape in each
// regime — small over a typical week, ≈ 0.3–0.6 around its events, ≈ 0.5–0.7 during Slammer —
// and vanishes when the BGP processes are charged nothing (the negative control); the changes
// counted are the generator's; a run is a function of its seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  type BgpChurnRun,
  type BgpRegime,
  PAPER_TABLE_ROUTES,
  bgpChurnResult,
  bgpChurnStreamOptions,
  runBgpChurn,
} from "../src/sim/bgp/index.js";
import { BgpUpdateStream, BGP_BIN_MS } from "../src/sim/workload/index.js";
import { generateIPv4Table } from "../src/sim/table.js";
import { renderHtmlReport, renderJsonReport, renderSummaryTable } from "../src/sim/report/index.js";
import { ConfigError } from "../src/errors.js";

const table = generateIPv4Table({ count: PAPER_TABLE_ROUTES, seed: 9 });
const SEEDS = [1, 2, 3];
const cache = new Map<string, BgpChurnRun>();
function run(regime: BgpRegime, seed: number, costScale = 1): BgpChurnRun {
  const key = `${regime}/${seed}/${costScale}`;
  let r = cache.get(key);
  if (r === undefined) {
    r = runBgpChurn({ regime, seed, costScale, table });
    cache.set(key, r);
  }
  return r;
}
/** Mean over the seeds of r(0) in the named window. */
function meanLag0(regime: BgpRegime, window: string, costScale = 1): number {
  const values = SEEDS.map((seed) => {
    const c = run(regime, seed, costScale).ccf.find((w) => w.name === window);
    assert.ok(c !== undefined, `${regime}: no window ${window}`);
    return c.lag0;
  });
  return values.reduce((a, b) => a + b, 0) / values.length;
}

test("typical week: ≈ 600 changes per 5 min, an Event A bin above 30,000, CPU ≈ 20–25 %, BGP the larger part of the processes' time", () => {
  const r = run("week", 1);
  const total = r.updates.reduce((a, b) => a + b, 0);
  const mean = total / r.updates.length;
  assert.ok(mean > 500 && mean < 800, `mean ${mean} per bin`);
  assert.ok(Math.max(...r.updates) > 30_000, `max ${Math.max(...r.updates)}`);
  const cpuMean = r.cpu.reduce((a, b) => a + b, 0) / r.cpu.length;
  assert.ok(cpuMean > 18 && cpuMean < 28, `CPU mean ${cpuMean}`);
  // Event B (a session reset) drives the CPU past 40 % in a sample; nothing else does.
  assert.ok(Math.max(...r.cpu) > 40, `CPU max ${Math.max(...r.cpu)}`);
  assert.ok(r.bgpSharePercent > 50, `BGP share ${r.bgpSharePercent}`);
  // The BGP Scanner's walk takes a 5-second period past 95 % (the paper's 95.48 %).
  assert.ok(r.maxFiveSecondPercent > 95);
});

test("CCF, typical week: small over the week, ≈ 0.3–0.6 around Event A and Event B; the negative control is small everywhere", () => {
  const whole = meanLag0("week", "whole run");
  assert.ok(whole > 0 && whole < 0.12, `week r(0) ${whole}`);
  for (const seed of SEEDS) {
    const c = run("week", seed).ccf.find((w) => w.name === "whole run")!;
    assert.ok(Math.max(...c.r.map(Math.abs)) < 0.15, `seed ${seed}: week max |r| ${Math.max(...c.r.map(Math.abs))}`);
  }
  for (const window of ["Event A ± 1 h", "Event B ± 1 h"]) {
    const r0 = meanLag0("week", window);
    assert.ok(r0 >= 0.3 && r0 <= 0.65, `${window}: mean r(0) ${r0}`);
    const control = meanLag0("week", window, 0);
    assert.ok(Math.abs(control) < 0.2, `${window}, BGP costing nothing: mean r(0) ${control}`);
  }
  assert.ok(Math.abs(meanLag0("week", "whole run", 0)) < 0.05);
});

test("CCF, Slammer: ≈ 0.5 over the 65 hours, ≈ 0.6 over ±12 h; the negative control is not", () => {
  const whole = meanLag0("slammer", "whole run");
  const twelve = meanLag0("slammer", "Slammer ± 12 h");
  assert.ok(whole >= 0.42 && whole <= 0.7, `65 h r(0) ${whole}`);
  assert.ok(twelve >= 0.5 && twelve <= 0.7, `±12 h r(0) ${twelve}`);
  for (const seed of SEEDS) {
    const r = run("slammer", seed);
    // ≈ 20,000 changes per 5 min at the peak; the CPU rises by less than 20 points (004:L266).
    const peak = Math.max(...r.updates);
    assert.ok(peak > 17_000 && peak < 25_000, `peak ${peak}`);
    assert.ok(Math.max(...r.cpu) < 50);
  }
  const control = [meanLag0("slammer", "whole run", 0), meanLag0("slammer", "Slammer ± 12 h", 0)];
  for (const c of control) assert.ok(Math.abs(c) < 0.2, `Slammer, BGP costing nothing: r(0) ${c}`);
  assert.ok(whole - control[0]! > 0.3 && twelve - control[1]! > 0.3);
});

test("the changes counted per bin are the generator's; every change reaches the FIB", () => {
  for (const regime of ["week", "slammer"] as const) {
    const r = run(regime, 2);
    const expected = new BgpUpdateStream(bgpChurnStreamOptions(regime, 2, r.routes)).binCounts(r.seconds * 1000);
    assert.deepEqual(Array.from(r.updates), expected);
    const total = expected.reduce((a, b) => a + b, 0);
    assert.equal(r.announcements + r.withdrawals, total);
    assert.equal(r.fibChanges, total);
    // BGP I/O received the changes, plus (week) the reset peer's table.
    assert.equal(r.messages, regime === "week" ? total + Math.round(r.routes * (1 - 0.015)) : total);
    const router = r.processes.processes.find((p) => p.name === "BGP Router")!;
    assert.equal(router.invoked, r.messages);
    assert.equal(r.processes.processes.find((p) => p.name === "CEF process")!.invoked, total);
    // The table stays about its size (withdrawn paths come back).
    assert.equal(r.fibRoutesStart, r.routes);
    assert.ok(r.fibRoutesEnd > 0.95 * r.routes && r.fibRoutesEnd <= r.routes, `${r.fibRoutesEnd}`);
    assert.equal(r.cef.ipv4.routes, r.fibRoutesEnd);
  }
});

test("a run is a function of its seed", () => {
  const a = runBgpChurn({ regime: "slammer", seed: 7, seconds: 6 * 3600, table });
  const b = runBgpChurn({ regime: "slammer", seed: 7, seconds: 6 * 3600, table });
  const c = runBgpChurn({ regime: "slammer", seed: 8, seconds: 6 * 3600, table });
  const json = (r: BgpChurnRun) => renderJsonReport(bgpChurnResult([r], "test"));
  assert.equal(json(a), json(b));
  assert.notEqual(json(a), json(c));
  assert.equal(a.updates.length, (6 * 3600 * 1000) / BGP_BIN_MS);
});

test("the report: a summary row per regime, the CCF plot and the displays in the HTML", async () => {
  const runs = [run("week", 1), run("slammer", 1)];
  const result = bgpChurnResult(runs, "generated");
  const summary = renderSummaryTable(result);
  assert.match(summary, /typical week/);
  assert.match(summary, /SQL Slammer/);
  const html = await renderHtmlReport(result);
  assert.match(html, /id="chart-ccf"/);
  assert.match(html, /show processes cpu/);
  assert.match(html, /BGP Scanner/);
  assert.equal(
    result.ccf!.length,
    runs.reduce((a, r) => a + r.ccf.length, 0),
  );
});

test("bad options are ConfigErrors", () => {
  const bad: [Parameters<typeof runBgpChurn>[0], string][] = [
    [{ regime: "monday" as BgpRegime }, "bgp-regime"],
    [{ seconds: 10 }, "bgp-seconds"],
    [{ seconds: Number.NaN }, "bgp-seconds"],
    [{ seed: 1.5 }, "bgp-seed"],
    [{ costScale: -1 }, "bgp-cost-scale"],
    [{ noisePercent: Number.POSITIVE_INFINITY }, "bgp-noise"],
    [{ table, routes: table.count + 1 }, "bgp-routes"],
    [{ table, routes: 0 }, "bgp-routes"],
  ];
  for (const [options, code] of bad)
    assert.throws(
      () => runBgpChurn(options),
      (e: unknown) => e instanceof ConfigError && e.code === code,
      code,
    );
  assert.throws(
    () => new BgpUpdateStream({ bursts: [{ startMs: 0, durationMs: 0, count: 10 }] }),
    (e: unknown) => e instanceof ConfigError && e.code === "bgp-burst",
  );
});

test("a burst adds its updates inside its interval and leaves the stream before it unchanged", () => {
  const base = { seed: 3, prefixes: 100 };
  const burst = { startMs: 10 * BGP_BIN_MS + 60_000, durationMs: 90_000, count: 20_000 };
  const plain = new BgpUpdateStream(base).binCounts(20 * BGP_BIN_MS);
  const bursty = new BgpUpdateStream({ ...base, bursts: [burst] }).binCounts(20 * BGP_BIN_MS);
  assert.deepEqual(bursty.slice(0, 10), plain.slice(0, 10));
  const extra = bursty[10]! - 600;
  assert.ok(Math.abs(extra - 20_000) < 5 * Math.sqrt(20_000) + 3 * 600, `extra ${extra}`);
  const times = new Float64Array(40_000);
  const n = new BgpUpdateStream({ ...base, baselinePerBin: 0, bursts: [burst] }).fill(
    times,
    new Uint32Array(40_000),
    new Uint8Array(40_000),
    20 * BGP_BIN_MS,
  );
  assert.ok(n > 19_000 && n < 21_000, `${n}`);
  for (let i = 0; i < n; i++) assert.ok(times[i]! >= burst.startMs && times[i]! < burst.startMs + burst.durationMs);
});

test("dataplane simulate bgp-churn --json: one JSON report with both regimes", () => {
  const out = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "simulate", "bgp-churn", "--seconds", "3600", "--routes", "2000", "--json"],
    { encoding: "utf8", env: { ...process.env, DATAPLANE_TABLE: "" } },
  );
  assert.equal(out.status, 0, out.stderr);
  const report = JSON.parse(out.stdout) as { scenario: string; variants: { name: string; summary: Record<string, unknown> }[] };
  assert.equal(report.scenario, "bgp-churn");
  assert.equal(report.variants.length, 2);
  assert.match(report.variants[1]!.name, /Slammer/);
  // An hour of a typical week: about 12 bins of ≈ 600 changes.
  const changes = report.variants[0]!.summary.changes as number;
  assert.ok(changes > 3000 && changes < 15_000, `${changes}`);
});

test("a stream with no baseline ends after its last burst (no endless search for the next update)", () => {
  const stream = new BgpUpdateStream({ baselinePerBin: 0 });
  assert.equal(stream.nextTime, Number.POSITIVE_INFINITY);
  assert.deepEqual(stream.binCounts(3 * BGP_BIN_MS), [0, 0, 0]);
});
