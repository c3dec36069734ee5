/**
 * Writes a scenario's reports into a directory: `report.html` (self-contained, opens from disk)
 * and `report.json`. Not exported from `dataplane/node`: it pulls in vega, which only the CLI
 * and the report depend on.
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { renderHtmlReport } from "../sim/report/html.js";
import { renderJsonReport } from "../sim/report/json.js";
import type { ScenarioResult } from "../sim/report/result.js";

/** Paths of the written reports. */
export interface ReportFiles {
  html: string;
  json: string;
}

/** Renders both reports and writes them into `directory` (created if needed). */
export async function writeReportFiles(directory: string, result: ScenarioResult): Promise<ReportFiles> {
  const dir = resolve(directory);
  await mkdir(dir, { recursive: true });
  const html = join(dir, "report.html");
  const json = join(dir, "report.json");
  await writeFile(html, await renderHtmlReport(result));
  await writeFile(json, renderJsonReport(result));
  return { html, json };
}
