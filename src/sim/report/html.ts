/**
 * The HTML report: one self-contained page (styles and SVG charts inline, no script, no
 * external resource, a Content-Security-Policy that forbids fetching anything), so it opens
 * from disk with no server and no network.
 */

import { chartSpecs, renderSvg } from "./charts.js";
import { formatMetric } from "./summary.js";
import { type ScenarioResult, validateScenarioResult } from "./result.js";

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
body { font: 14px/1.45 Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; }
th { text-align: left; background: #f6f6f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; } figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
pre { background: #f8f8f8; padding: 0.6em; overflow-x: auto; font-size: 12px; } .muted { color: #666; }
`;

/** The report page. */
export async function renderHtmlReport(result: ScenarioResult): Promise<string> {
  validateScenarioResult(result);
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(result.title)}</h1>`);
  parts.push(
    `<p class="muted">scenario <code>${escapeHtml(result.scenario)}</code>, ${result.simulatedSeconds.toLocaleString("en-US")} s simulated, seed ${result.seed}</p>`,
  );
  const parameters = Object.entries(result.parameters);
  if (parameters.length > 0) {
    parts.push(
      `<table class="parameters"><tr><th>parameter</th><th>value</th></tr>${parameters.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`).join("")}</table>`,
    );
  }
  parts.push("<h2>Summary</h2>");
  const head = ["variant", ...result.metrics.map((m) => (m.unit ? `${m.label} (${m.unit})` : m.label))]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join("");
  const body = result.variants
    .map(
      (v) =>
        `<tr><td title="${escapeHtml(v.description ?? "")}">${escapeHtml(v.name)}</td>${result.metrics.map((m) => `<td class="n">${escapeHtml(formatMetric(v.summary[m.key], m))}</td>`).join("")}</tr>`,
    )
    .join("");
  // A row per variant and a column per metric: wider than the page on a narrow window, so the
  // table scrolls inside its own box rather than the whole page sideways.
  parts.push(`<div class="wide"><table class="summary"><tr>${head}</tr>${body}</table></div>`);
  parts.push("<h2>Charts</h2>");
  for (const chart of chartSpecs(result)) {
    const svg = await renderSvg(chart.spec);
    parts.push(`<figure id="chart-${escapeHtml(chart.id)}" aria-label="${escapeHtml(chart.title)}">${svg}</figure>`);
  }
  const displays = result.variants.flatMap((v) => (v.displays ?? []).map((d) => ({ variant: v.name, ...d })));
  if (displays.length > 0) {
    parts.push("<h2>IOS displays</h2>");
    for (const d of displays)
      parts.push(
        `<details><summary>${escapeHtml(d.variant)} — <code>${escapeHtml(d.title)}</code></summary><pre>${escapeHtml(d.text)}</pre></details>`,
      );
  }
  if (result.notes !== undefined && result.notes.length > 0) {
    parts.push("<h2>Notes</h2>", `<ul>${result.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`);
  }
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(result.title)}</title><style>${STYLE}</style></head><body>`,
    ...parts,
    "</body></html>",
    "",
  ].join("\n");
}
