/**
 * The worm scenarios of `dataplane simulate`: `codered` (and, as they land, `codered2` and
 * `slammer`). Each runs its router variants in simulated time, prints the summary table (one
 * row per variant) and the decisive IOS displays, and with `--report DIR` writes the HTML and
 * JSON reports; `--json` prints the JSON report instead of the text.
 */

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { FileError } from "../../errors.js";
import { UsageError, numberOption, parseOptions } from "../command.js";
import { scenarioProgress } from "../scenario-progress.js";
import type { SimulationScenario } from "./simulate.js";
import type { ScenarioResult } from "../../sim/report/result.js";
import { renderSummaryTable } from "../../sim/report/summary.js";
import { renderJsonReport } from "../../sim/report/json.js";
import { writeReportFiles } from "../../node/report-files.js";

/** What a worm scenario module provides to the CLI. */
export interface WormScenarioDefinition {
  name: string;
  summary: string;
  /** What the usage text says about the scenario (after the options line). */
  description: string;
  /** Default and largest simulated seconds. */
  defaultSeconds: number;
  maxSeconds: number;
  /** Runs it; `progress(done, total)` in simulated seconds. */
  run(options: { seconds: number; seed: number; progress: (done: number, total: number) => void }): ScenarioResult;
  /** Variants whose displays the terminal shows (the report has every variant's). */
  terminalVariants: string[];
}

/** A `dataplane simulate NAME [--seconds S] [--seed N] [--json] [--report DIR]` scenario. */
export function wormScenario(d: WormScenarioDefinition): SimulationScenario {
  const usage = `usage: dataplane simulate ${d.name} [--seconds S] [--seed N] [--json] [--report DIR]

${d.description}

  --seconds S    simulated seconds (default ${d.defaultSeconds}, at most ${d.maxSeconds})
  --seed N       seed of the workloads and the routers' hashes (default 1)
  --json         print the JSON report instead of the summary and the displays
  --report DIR   write DIR/report.html (charts, opens from disk) and DIR/report.json`;
  return {
    name: d.name,
    summary: d.summary,
    usage,
    async run(args) {
      const { values: o, positionals } = parseOptions(args, {
        seconds: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
        report: { type: "string" },
      });
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
      const seconds = numberOption(o.seconds, "seconds", d.defaultSeconds, { integer: true, min: 1, max: d.maxSeconds });
      const seed = numberOption(o.seed, "seed", 1, { integer: true, min: 0, max: 0xffffffff });
      if (o.report !== undefined && o.report.trim() === "") throw new UsageError("--report needs a directory");
      // The report's directory is made before the run, so a bad one fails at once.
      if (o.report !== undefined) {
        try {
          mkdirSync(resolve(o.report), { recursive: true });
        } catch (error) {
          throw new FileError("report-directory", `--report ${o.report}: ${(error as Error).message.split("\n")[0]}`, o.report);
        }
      }
      let bar: ReturnType<typeof scenarioProgress> | undefined;
      const started = performance.now();
      let result: ScenarioResult;
      try {
        result = d.run({
          seconds,
          seed,
          progress: (done, total) => {
            bar ??= scenarioProgress(d.name, total);
            bar.report(done);
          },
        });
      } finally {
        bar?.finish();
      }
      const runMs = performance.now() - started;
      const files = o.report === undefined ? undefined : await writeReportFiles(o.report, result);
      if (o.json) {
        process.stdout.write(renderJsonReport(result));
        return 0;
      }
      const out: string[] = [renderSummaryTable(result)];
      for (const v of result.variants) {
        if (!d.terminalVariants.includes(v.name)) continue;
        for (const display of v.displays ?? []) out.push(`\n${v.name}# ${display.title}\n${display.text.trimEnd()}`);
      }
      const events = result.variants.flatMap((v) => (v.events ?? []).map((e) => `  ${v.name} at ${e.seconds.toFixed(0)} s: ${e.label}`));
      if (events.length > 0) out.push("", "Events:", ...events);
      out.push("", `Simulated ${seconds} s × ${result.variants.length} variants in ${(runMs / 1000).toFixed(1)} s.`);
      if (files !== undefined) out.push(`Report: ${files.html} (JSON: ${files.json})`);
      else out.push("Charts: add --report DIR for the HTML report.");
      process.stdout.write(`${out.join("\n")}\n`);
      return 0;
    },
  };
}
