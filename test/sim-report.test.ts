// Scenario reports (issue 18): the terminal summary, the JSON report, the HTML report and its
// charts, on a fixture made from the real generators and CPU model.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ConfigError } from "../src/index.js";
import {
  renderSummaryTable,
  renderJsonReport,
  renderHtmlReport,
  chartSpecs,
  downsample,
  escapeHtml,
  validateScenarioResult,
  type ScenarioResult,
} from "../src/sim/report/index.js";
import { reportFixture } from "./helpers/report-fixture.js";

const fixture = reportFixture(60);

test("the summary table has one row per variant, the metrics as columns, numbers right-aligned", () => {
  const text = renderSummaryTable(fixture);
  const lines = text.trimEnd().split("\n");
  assert.match(lines[0]!, /^Report fixture: Code Red I against two routers — 60 s simulated, seed 1$/);
  assert.match(lines[2]!, /^variant +ARP requests \(\/s\) +ARP memory \(bytes\) +CPU 5 min \(%\) +established lost +reloads +MALLOCFAIL$/);
  assert.equal(lines.length, 4 + fixture.variants.length);
  const [vulnerable, hardened] = lines.slice(4);
  assert.match(vulnerable!, /^vulnerable +40\.0 +\d{1,3}(,\d{3})* +\d+\.\d\d +\d[\d,]* +yes +yes <&> escaped$/);
  assert.match(hardened!, /^hardened +0\.0 +0 +\d+\.\d\d +0 +no +-$/);
  // Right-aligned: each row ends where the header does.
  assert.equal(vulnerable!.length, lines[2]!.length);
});

test("the JSON report round-trips the result, typed arrays as arrays and non-finite numbers as null", () => {
  const result: ScenarioResult = {
    ...fixture,
    variants: [{ ...fixture.variants[0]!, summary: { ...fixture.variants[0]!.summary, ratio: Infinity } }, fixture.variants[1]!],
  };
  const parsed = JSON.parse(renderJsonReport({ ...result, metrics: fixture.metrics }));
  assert.equal(parsed.version, 1);
  assert.equal(parsed.scenario, "fixture");
  assert.equal(parsed.variants.length, 2);
  assert.equal(parsed.variants[0].summary.ratio, null);
  const series = parsed.variants[0].series.find((s: { name: string }) => s.name === "ARP requests");
  assert.equal(series.values.length, 60);
  assert.deepEqual(series.values, Array.from(fixture.variants[0]!.series[0]!.values));
  assert.deepEqual(parsed.ccf[0].r, fixture.ccf![0]!.r);
});

test("charts: one comparison chart per single-series key, one per variant for multi-series keys, and the CCF", () => {
  const ids = chartSpecs(fixture).map((c) => c.id);
  assert.deepEqual(ids, ["arp", "memory-vulnerable", "memory-hardened", "cpu-vulnerable", "cpu-hardened", "loss", "ccf"]);
  const arp = chartSpecs(fixture)[0]!.spec as { layer: { data: { values: { series: string }[] } }[] };
  assert.deepEqual([...new Set(arp.layer[0]!.data.values.map((v) => v.series))], ["vulnerable", "hardened"]);
  // Long series are averaged down to at most 600 points: bucket b holds samples ⌊b·n/600⌋ … ⌊(b+1)·n/600⌋ − 1.
  const seconds = Float64Array.from({ length: 10_000 }, (_, i) => i);
  const d = downsample(
    seconds,
    seconds.map((s) => 2 * s),
  );
  assert.equal(d.values.length, 600);
  for (const b of [0, 1, 299, 599]) {
    const from = Math.floor((b * 10_000) / 600),
      to = Math.floor(((b + 1) * 10_000) / 600);
    assert.ok(Math.abs(d.seconds[b]! - (from + to - 1) / 2) < 1e-9 && Math.abs(d.values[b]! - (from + to - 1)) < 1e-9, `bucket ${b}`);
  }
});

test("the HTML report is one self-contained page: inline SVG charts, no script, nothing fetched", async () => {
  const html = await renderHtmlReport(fixture);
  assert.ok(html.startsWith("<!doctype html>"));
  assert.equal((html.match(/<figure /g) ?? []).length, chartSpecs(fixture).length);
  assert.equal((html.match(/<svg /g) ?? []).length, chartSpecs(fixture).length);
  assert.doesNotMatch(html, /<script|<link |<img |@import|url\(/i);
  // No reference to anything outside the page except SVG/XML namespaces.
  const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(urls, []);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.match(html, /yes &lt;&amp;&gt; escaped/);
  assert.match(html, /<pre>CPU utilization for five seconds: /);
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

test("the core entry point does not import the report's dependencies (vega, vega-lite)", () => {
  // Walk the static imports of src/index.ts.
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (url: URL) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const source = readFileSync(url, "utf8");
    for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) visit(new URL(spec.replace(/\.js$/, ".ts"), url));
      else external.add(spec);
    }
  };
  visit(new URL("../src/index.ts", import.meta.url));
  assert.ok(seen.size > 20, `walked ${seen.size} files`);
  assert.deepEqual(
    [...external].filter((e) => !e.startsWith("node:")),
    [],
  );
  assert.ok(![...seen].some((f) => f.includes("/sim/report/")));
});

test("a malformed result is a typed error naming the problem", async () => {
  const bad: [ScenarioResult, string][] = [
    [{ ...fixture, variants: [] }, "report-variants"],
    [{ ...fixture, variants: [fixture.variants[0]!, fixture.variants[0]!] }, "report-variant-name"],
    [
      {
        ...fixture,
        variants: [{ ...fixture.variants[0]!, series: [{ chart: "arp", name: "x", unit: "", seconds: [1, 2], values: [1] }] }],
      },
      "report-series",
    ],
    [{ ...fixture, metrics: [...fixture.metrics, { key: "nope", label: "nope" }] }, "report-metric"],
  ];
  for (const [result, code] of bad) {
    assert.throws(
      () => validateScenarioResult(result),
      (e: unknown) => e instanceof ConfigError && e.code === code,
      code,
    );
    assert.throws(
      () => renderSummaryTable(result),
      (e: unknown) => e instanceof ConfigError && e.code === code,
    );
    await assert.rejects(renderHtmlReport(result), (e: unknown) => e instanceof ConfigError && e.code === code);
  }
});
