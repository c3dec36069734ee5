// `dataplane simulate codered|codered2|slammer` (issue 18): the summary table (a row per router
// variant), the displays and the report's path on stdout; --json prints the JSON report; the
// report directory holds report.html and report.json; the scenarios are listed by --help.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function simulate(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "simulate", ...args], { encoding: "utf8" });
}

test("dataplane simulate codered: summary, displays, report files; --json", () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-simulate-"));
  try {
    const r = simulate("codered", "--seconds", "3", "--seed", "2", "--report", directory);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "", "no progress bar when stderr is not a terminal");
    const lines = r.stdout.split("\n");
    assert.match(lines[0]!, /^Code Red .* 3 s simulated, seed 2$/);
    for (const name of [
      "vulnerable",
      "vulnerable 256 MB",
      "next-hop route",
      "CEF",
      "negative ARP",
      "sampled NetFlow",
      "ACL port 80",
      "all fixes",
    ])
      assert.ok(
        lines.some((l) => l.startsWith(`${name}  `)),
        `a row for ${name}`,
      );
    for (const display of ["show processes cpu", "show ip arp summary", "show ip cache", "show ip flow top", "show logging"])
      assert.ok(r.stdout.includes(`vulnerable# ${display}`), display);
    assert.ok(r.stdout.includes(`Report: ${join(directory, "report.html")}`));
    assert.ok(existsSync(join(directory, "report.html")));
    const json = JSON.parse(readFileSync(join(directory, "report.json"), "utf8"));
    assert.equal(json.scenario, "codered");
    assert.equal(json.variants.length, 8);
    const j = simulate("codered", "--seconds", "2", "--json");
    assert.equal(j.status, 0, j.stderr);
    const printed = JSON.parse(j.stdout);
    assert.equal(printed.simulatedSeconds, 2);
    assert.deepEqual(printed.metrics.map((m: { key: string }) => m.key).slice(0, 3), ["arpPerSecond", "arpPeak", "arpMB"]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("dataplane simulate --help lists codered, codered2 and slammer with their options", () => {
  const r = simulate("--help");
  const text = r.stdout + r.stderr;
  for (const name of ["codered", "codered2", "slammer"]) {
    assert.match(text, new RegExp(`dataplane simulate ${name} \\[--seconds S\\] \\[--seed N\\] \\[--json\\] \\[--report DIR\\]`));
  }
});
