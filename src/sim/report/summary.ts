/** The terminal summary: one row per router variant, one column per metric. */

import type { MetricSpec, ScenarioResult, VariantResult } from "./result.js";
import { validateScenarioResult } from "./result.js";

/** A metric's value as the summary prints it: numbers with thousands separators, `-` for null. */
export function formatMetric(value: VariantResult["summary"][string] | undefined, metric: MetricSpec): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return String(value);
  const digits = metric.digits ?? 0;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The summary table as text: a title line, then the table with right-aligned numbers. */
export function renderSummaryTable(result: ScenarioResult): string {
  validateScenarioResult(result);
  const headings = ["variant", ...result.metrics.map((m) => (m.unit ? `${m.label} (${m.unit})` : m.label))];
  const rows = result.variants.map((v) => [v.name, ...result.metrics.map((m) => formatMetric(v.summary[m.key], m))]);
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[
    `${result.title} — ${result.simulatedSeconds.toLocaleString("en-US")} s simulated, seed ${result.seed}`,
    "",
    line(headings),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n")}\n`;
}
