/**
 * `npm run bench [-- suite ...]`: runs the benchmark suites (all by default) and merges their
 * results into bench/results.json. Each suite is bench/suites/<name>.ts exporting `run()`.
 */

import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { machine } from "./lib/measure.js";

/** A suite returns whatever figures it wants recorded. */
export type SuiteRun = () => Promise<Record<string, unknown>>;

const suites: Record<string, () => Promise<{ run: SuiteRun }>> = {
  fib: () => import("./suites/fib.js"),
  sampler: () => import("./suites/sampler.js"),
  packets: () => import("./suites/packets.js"),
  arp: () => import("./suites/arp.js"),
  flows: () => import("./suites/flows.js"),
  workload: () => import("./suites/workload.js"),
  export: () => import("./suites/export.js"),
  "top-talkers": () => import("./suites/top-talkers.js"),
  "route-cache": () => import("./suites/route-cache.js"),
  nat: () => import("./suites/nat.js"),
  dataplane: () => import("./suites/dataplane.js"),
  scenario: () => import("./suites/scenario.js"),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith("-"));
for (const name of requested) {
  if (!(name in suites)) {
    console.error(`unknown suite ${JSON.stringify(name)}; suites: ${Object.keys(suites).join(", ")}`);
    process.exit(2);
  }
}
const names = requested.length > 0 ? requested : Object.keys(suites);
const file = join(dirname(fileURLToPath(import.meta.url)), "results.json");
const results: Record<string, unknown> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
console.log(`dataplane benchmarks — ${new Date().toISOString()} — ${JSON.stringify(machine())}`);
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const suite = await suites[name]!();
  results[name] = { date: new Date().toISOString(), machine: machine(), ...(await suite.run()) };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
console.log(`\nresults written to ${file}`);
