/**
 * A minimal, self-contained report of flooding runs: the runs as JSON, and an HTML page with a
 * hand-written SVG chart of mean CPU over time, one line per run. Kept small on purpose so it can
 * give way to the simulator's shared report conventions (src/sim/report/) later.
 */

import type { FloodingResult } from "./simulator.js";

/** One run as the report shows it. */
export interface FloodingReportRun {
  /** Legend label, e.g. "rfc789 8/40/44". */
  label: string;
  result: FloodingResult;
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const WIDTH = 760,
  HEIGHT = 320,
  LEFT = 50,
  RIGHT = 220,
  TOP = 20,
  BOTTOM = 40;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** At most `limit` points of `values`, each the mean of its stretch. */
function downsample(values: readonly number[], limit: number): number[] {
  if (values.length <= limit) return [...values];
  const out: number[] = [];
  const step = values.length / limit;
  for (let i = 0; i < limit; i++) {
    const from = Math.floor(i * step),
      to = Math.max(from + 1, Math.floor((i + 1) * step));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j]!;
    out.push(sum / (to - from));
  }
  return out;
}

/** An SVG line chart of each run's mean CPU (percent of every node's time) against simulated seconds. */
export function renderCpuChartSvg(runs: readonly FloodingReportRun[]): string {
  const plotWidth = WIDTH - LEFT - RIGHT,
    plotHeight = HEIGHT - TOP - BOTTOM;
  const seconds = Math.max(1e-9, ...runs.map((run) => run.result.durationMs / 1000));
  const x = (s: number) => LEFT + (s / seconds) * plotWidth;
  const y = (fraction: number) => TOP + (1 - fraction) * plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${LEFT - 4}" x2="${LEFT + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(tick) + 4}" text-anchor="end">${tick * 100}%</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const s = (seconds * i) / 5;
    parts.push(`<text x="${x(s)}" y="${TOP + plotHeight + 16}" text-anchor="middle">${Number(s.toFixed(2))}</text>`);
  }
  parts.push(`<text x="${LEFT + plotWidth / 2}" y="${HEIGHT - 6}" text-anchor="middle">simulated seconds</text>`);
  parts.push(
    `<text x="12" y="${TOP + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 12 ${TOP + plotHeight / 2})">mean CPU</text>`,
  );
  runs.forEach((run, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const { sampleMs, meanCpu } = run.result.timeline;
    const points = downsample(meanCpu, 600);
    const step = (meanCpu.length * sampleMs) / 1000 / Math.max(1, points.length);
    const path = points.map((v, k) => `${x((k + 0.5) * step).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${path}"/>`);
    const ly = TOP + 8 + i * 16;
    parts.push(`<line x1="${WIDTH - RIGHT + 12}" x2="${WIDTH - RIGHT + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${WIDTH - RIGHT + 38}" y="${ly + 4}">${escapeXml(run.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** A run without its per-node values and timeline (what `--json` prints), or with them (`detail`, the JSON report). */
export function floodingSummary(result: FloodingResult, detail = false): Partial<FloodingResult> {
  if (detail) return result;
  const { finalValues: _finalValues, timeline: _timeline, ...rest } = result;
  return rest;
}

/** A standalone HTML page: title, a table of the outcomes and the CPU chart. */
export function renderFloodingReportHtml(title: string, runs: readonly FloodingReportRun[]): string {
  const rows = runs.map(({ label, result: r }) => {
    const cells = [
      label,
      r.examinedPerSecond.toFixed(1),
      r.acceptedPerSecond.toFixed(1),
      `${(r.cpu.busiestNode * 100).toFixed(1)} %`,
      `${(r.cpu.mean * 100).toFixed(1)} %`,
      r.lastAcceptanceMs === null ? "-" : (r.lastAcceptanceMs / 1000).toFixed(3),
      r.stormPersisted ? "persists" : "died",
      Object.entries(r.finalValueCounts)
        .map(([value, count]) => `${value}: ${count}`)
        .join(", "),
    ];
    return `<tr>${cells.map((cell) => `<td>${escapeXml(cell)}</td>`).join("")}</tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child{text-align:left}</style>
</head><body>
<h1>${escapeXml(title)}</h1>
<table><tr><th>run</th><th>examined/s</th><th>accepted/s</th><th>busiest CPU</th><th>mean CPU</th><th>last acceptance (s)</th><th>storm</th><th>final values</th></tr>
${rows.join("\n")}
</table>
<h2>Mean CPU over time</h2>
${renderCpuChartSvg(runs)}
</body></html>
`;
}
