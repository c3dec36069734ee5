// `dataplane simulate arpanet-1980`: one run as JSON, the default table, the report files, and
// bad usage as one line on stderr with exit code 2 (1 for an unwritable report directory).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEQUENCE_RULE_NAMES } from "../src/flooding/sequence.js";

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "simulate", ...args], { encoding: "utf8" });
}

test("--json: one object per run with rule, values, stormPersisted and the metrics", () => {
  const out = run("arpanet-1980", "--nodes", "12", "--seconds", "3", "--values", "8,40,44", "--json");
  assert.equal(out.status, 0, out.stderr);
  const runs = out.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.deepEqual(
    runs.map((r) => r.rule),
    [...SEQUENCE_RULE_NAMES],
  );
  for (const r of runs) {
    assert.deepEqual(r.values, [8, 40, 44]);
    assert.equal(typeof r.stormPersisted, "boolean");
    for (const key of ["examinedPerSecond", "acceptedPerSecond", "busiestNodeExaminedPerSecond", "drops", "lastAcceptanceMs"])
      assert.ok(key in r, key);
    assert.ok("busiestNode" in r.cpu && "mean" in r.cpu && "meanOccupancy" in r.queue && "nodes" in r.alarm);
    assert.equal(typeof r.agree, "boolean");
  }
  assert.deepEqual(
    runs.map((r) => r.stormPersisted),
    runs.map((r) => r.rule === "rfc789"),
  );
});

test("the default table has every rule against 8/40/44 and its own cycle; --report writes JSON and an HTML chart", () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-simulate-"));
  try {
    const out = run("arpanet-1980", "--nodes", "12", "--seconds", "1", "--report", directory);
    assert.equal(out.status, 0, out.stderr);
    const rows = out.stdout.split("\n").filter((line) => /^(rfc789|strict|rfc1982|lollipop|ospf) /.test(line));
    assert.equal(rows.length, 9); // ospf has no cycle; the others have 8/40/44 and one cycle each
    assert.match(out.stdout, /^strict +0\/21\/42 .* persists /m);
    assert.match(out.stdout, /^strict +8\/40\/44 .* died /m);
    const report = JSON.parse(readFileSync(join(directory, "arpanet-1980.json"), "utf8"));
    assert.equal(report.runs.length, 9);
    assert.ok(report.runs.every((r: { timeline: { meanCpu: number[] } }) => r.timeline.meanCpu.length === 10));
    const html = readFileSync(join(directory, "arpanet-1980.html"), "utf8");
    assert.match(html, /<svg[^>]*>/);
    assert.equal((html.match(/<polyline /g) ?? []).length, 9);
    assert.match(html, /strict 0\/21\/42/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("bad usage: one line on stderr naming the value, exit 2; an unwritable report, exit 1; no stack traces", () => {
  const cases: [string[], RegExp, number][] = [
    [[], /name a scenario: arpanet-1980/, 2],
    [["codered-9"], /unknown scenario "codered-9"/, 2],
    [["arpanet-1980", "--rule", "rfc790"], /--rule must be one of .*"rfc790"/, 2],
    [["arpanet-1980", "--values", "8,x"], /--values .*"8,x"/, 2],
    [["arpanet-1980", "--values", "70", "--rule", "strict"], /from 0 to 63 .*got 70/, 2],
    [["arpanet-1980", "--nodes", "2"], /--nodes .*"2"/, 2],
    [["arpanet-1980", "--bogus"], /bogus/, 2],
  ];
  for (const [args, message, status] of cases) {
    const out = run(...args);
    assert.equal(out.status, status, `${args.join(" ")}: ${out.stderr}`);
    assert.match(out.stderr, message);
    assert.equal(out.stderr.trim().split("\n").length, 1, out.stderr);
    assert.doesNotMatch(out.stderr, /\n\s+at /);
  }
  const directory = mkdtempSync(join(tmpdir(), "dataplane-simulate-"));
  try {
    const file = join(directory, "not-a-directory");
    writeFileSync(file, "");
    const out = run("arpanet-1980", "--rule", "ospf", "--values", "1", "--nodes", "4", "--seconds", "0.1", "--report", file);
    assert.equal(out.status, 1);
    assert.match(out.stderr, /--report .*not-a-directory/);
    assert.equal(out.stderr.trim().split("\n").length, 1);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
