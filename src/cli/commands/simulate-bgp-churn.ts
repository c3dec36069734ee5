/**
 * `dataplane simulate bgp-churn`: the BGP paper's router (seed 004) through a typical week and
 * the SQL Slammer days — BGP updates at the measured rates applied to a real FIB through the
 * BGP processes, the CPU as the 1-minute average read every 5 minutes, and the CCF between the
 * two. A summary table, the CCFs and `show processes cpu` on the terminal; `--json` prints the
 * JSON report instead; `--report DIR` writes DIR/bgp-churn.json and DIR/bgp-churn.html.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTableFile, sharedTablePath } from "../../node/table-file.js";
import { generateIPv4Table } from "../../sim/table.js";
import {
  BGP_REGIMES,
  type BgpChurnRun,
  type BgpRegime,
  type BgpRouteSource,
  PAPER_TABLE_ROUTES,
  bgpChurnResult,
  defaultSeconds,
  renderCcfTable,
  runBgpChurn,
  variantName,
} from "../../sim/bgp/index.js";
import { renderHtmlReport, renderJsonReport, renderSummaryTable } from "../../sim/report/index.js";
import { renderProcessesCpu } from "../../show/processes.js";
import { UsageError, numberOption, parseOptions } from "../command.js";
import { scenarioProgress } from "../scenario-progress.js";
import type { SimulationScenario } from "./simulate.js";

const USAGE = `usage: dataplane simulate bgp-churn [--regime week|slammer] [--seconds S] [--seed N] [--routes N]
         [--json] [--report DIR]

The BGP paper's router (Sprint, 2003: a 200 MHz MIPS R5000 route processor): BGP updates at the
measured rates (≈ 600 changes per 5 min, Event A > 30,000 in a bin, a session reset; Slammer
≈ 20,000 per 5 min for hours) applied to a FIB through BGP I/O, BGP Router, CEF and BGP Scanner,
each charged its cost; the CPU as the 1-minute average read every 5 minutes, and the CCF of
changes and CPU over ±10 lags. The table is ../shared/data/tier1-prefixes.txt.gz (or
DATAPLANE_TABLE) when present, else a generated one of its shape; the router holds an evenly
spaced sample of it.

  --regime R    week (10-17 Feb 2003) or slammer (65 h from 24 Jan 2003 17:30 UTC); default both
  --seconds S   simulated seconds of each run (default 604,800 for week, 234,000 for slammer)
  --seed N      seed of the updates and the load (default 1)
  --routes N    routes in the router's table (default ${PAPER_TABLE_ROUTES.toLocaleString("en-US")}, the paper-era table)
  --json        print the JSON report instead of the tables
  --report DIR  write DIR/bgp-churn.json and DIR/bgp-churn.html (charts, the CCF plot)`;

async function loadTable(): Promise<{ table: BgpRouteSource; source: string }> {
  const path = sharedTablePath();
  if (path !== undefined) return { table: (await readTableFile(path)).ipv4, source: path };
  return { table: generateIPv4Table(), source: "generated table of the real table's shape (tier1-prefixes.txt.gz absent)" };
}

export const bgpChurnScenario: SimulationScenario = {
  name: "bgp-churn",
  summary: "the BGP paper's router: BGP churn, CPU and their cross-correlation (a week; Slammer)",
  usage: USAGE,
  async run(args) {
    const { values: o, positionals } = parseOptions(args, {
      regime: { type: "string" },
      seconds: { type: "string" },
      seed: { type: "string" },
      routes: { type: "string" },
      json: { type: "boolean" },
      report: { type: "string" },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    let regimes: BgpRegime[] = [...BGP_REGIMES];
    if (o.regime !== undefined) {
      if (!BGP_REGIMES.includes(o.regime as BgpRegime))
        throw new UsageError(`--regime must be ${BGP_REGIMES.join(" or ")}, got ${JSON.stringify(o.regime)}`);
      regimes = [o.regime as BgpRegime];
    }
    const seconds =
      o.seconds === undefined ? undefined : numberOption(o.seconds, "seconds", 0, { integer: true, min: 3600, max: 31 * 86_400 });
    const seed = numberOption(o.seed, "seed", 1, { integer: true, min: 0, max: 2 ** 32 - 1 });
    const routes = numberOption(o.routes, "routes", PAPER_TABLE_ROUTES, { integer: true, min: 1000, max: 2_000_000 });
    if (o.report === "") throw new UsageError("--report needs a directory");
    const { table, source } = await loadTable();
    if (routes > table.count)
      throw new UsageError(`--routes must be at most the table's ${table.count.toLocaleString("en-US")} IPv4 routes, got ${routes}`);
    const total = regimes.reduce((a, r) => a + (seconds ?? defaultSeconds(r)), 0);
    const bar = scenarioProgress("bgp-churn", total);
    const runs: BgpChurnRun[] = [];
    let done = 0;
    for (const regime of regimes) {
      runs.push(
        runBgpChurn({ regime, seconds: seconds ?? defaultSeconds(regime), seed, table, routes, progress: (s) => bar.report(done + s) }),
      );
      done += runs[runs.length - 1]!.seconds;
    }
    bar.finish();
    const result = bgpChurnResult(runs, source);
    if (o.json) process.stdout.write(renderJsonReport(result));
    else {
      process.stdout.write(renderSummaryTable(result));
      for (const run of runs) {
        process.stdout.write(`\n${renderCcfTable(run)}`);
        process.stdout.write(`\n${variantName(run)}, at the end:\n${renderProcessesCpu(run.processes)}\n`);
      }
    }
    if (o.report !== undefined) {
      try {
        mkdirSync(o.report, { recursive: true });
        writeFileSync(join(o.report, "bgp-churn.json"), renderJsonReport(result));
        writeFileSync(join(o.report, "bgp-churn.html"), await renderHtmlReport(result));
      } catch (error) {
        console.error(`dataplane simulate: --report ${o.report}: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      }
      if (!o.json) process.stdout.write(`\nreport: ${join(o.report, "bgp-churn.html")}\n`);
    }
    return 0;
  },
};
