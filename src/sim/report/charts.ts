/**
 * The report's charts as vega-lite specifications, and their rendering to SVG in Node with
 * vega's headless view (no DOM, no canvas, no network: data is inline). vega and vega-lite are
 * ESM-only runtime dependencies of the report and the CLI, never of the library's entry point.
 * They are loaded on the first rendering: loading them took ~0.2 CPU-s at the start of every
 * CLI command (the CLI imports this module), charts or not.
 */

import type { TopLevelSpec } from "vega-lite";
import { CHART_TITLES, type ScenarioResult, type TimeSeries } from "./result.js";

/** A chart: its title and its vega-lite specification. */
export interface ChartSpec {
  /** Stable id, e.g. `cpu-ours` or `ccf`. */
  id: string;
  title: string;
  spec: TopLevelSpec;
}

/** Most points a series keeps in a chart (longer series are averaged in buckets). */
export const MAX_POINTS = 600;

const WIDTH = 640;
const HEIGHT = 220;

/** A series cut to at most `max` points: bucket means of time and value. */
export function downsample(
  seconds: ArrayLike<number>,
  values: ArrayLike<number>,
  max = MAX_POINTS,
): { seconds: number[]; values: number[] } {
  const n = seconds.length;
  if (n <= max) return { seconds: Array.from(seconds), values: Array.from(values) };
  const outS: number[] = [],
    outV: number[] = [];
  for (let b = 0; b < max; b++) {
    const from = Math.floor((b * n) / max),
      to = Math.floor(((b + 1) * n) / max);
    let s = 0,
      v = 0;
    for (let i = from; i < to; i++) {
      s += seconds[i]!;
      v += values[i]!;
    }
    outS.push(s / (to - from));
    outV.push(v / (to - from));
  }
  return { seconds: outS, values: outV };
}

function rows(series: TimeSeries[], label: (s: TimeSeries) => string): { t: number; value: number; series: string }[] {
  const out: { t: number; value: number; series: string }[] = [];
  for (const s of series) {
    const d = downsample(s.seconds, s.values);
    for (let i = 0; i < d.seconds.length; i++)
      if (Number.isFinite(d.values[i]!)) out.push({ t: d.seconds[i]!, value: d.values[i]!, series: label(s) });
  }
  return out;
}

function lineChart(
  title: string,
  axis: string,
  data: { t: number; value: number; series: string }[],
  events: { t: number; label: string }[],
  names: string[],
): TopLevelSpec {
  const line = {
    data: { values: data },
    mark: { type: "line" as const, interpolate: "step-after" as const, strokeWidth: 1.5 },
    encoding: {
      x: { field: "t", type: "quantitative" as const, title: "time (s)" },
      y: { field: "value", type: "quantitative" as const, title: axis },
      // The legend keeps the scenario's order (variants as listed), not vega's alphabetical one.
      color: {
        field: "series",
        type: "nominal" as const,
        title: null,
        scale: { domain: names },
        legend: { orient: "bottom" as const, columns: 4 },
      },
    },
  };
  const layers: object[] = [line];
  if (events.length > 0) {
    layers.push(
      {
        data: { values: events },
        mark: { type: "rule", color: "#b00", strokeDash: [4, 3] },
        encoding: { x: { field: "t", type: "quantitative" } },
      },
      {
        data: { values: events },
        mark: { type: "text", color: "#b00", align: "left", dx: 3, dy: -4, baseline: "top", fontSize: 10 },
        encoding: { x: { field: "t", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
      },
    );
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: WIDTH,
    height: HEIGHT,
    layer: layers,
    config: CONFIG,
  } as TopLevelSpec;
}

const CONFIG = { font: "Helvetica, Arial, sans-serif", view: { stroke: "#ddd" }, axis: { labelFontSize: 10, titleFontSize: 11 } };

/**
 * The charts of a result: for each chart key in the order of {@link CHART_TITLES} (then any
 * other), one chart comparing the variants when each variant has one series in it, else one
 * chart per variant with a line per series; then the CCFs.
 */
export function chartSpecs(result: ScenarioResult): ChartSpec[] {
  const keys = [...new Set(result.variants.flatMap((v) => v.series.map((s) => s.chart)))];
  keys.sort((a, b) => order(a) - order(b));
  const charts: ChartSpec[] = [];
  for (const key of keys) {
    const known = CHART_TITLES[key];
    const title = known?.title ?? key;
    const perVariant = result.variants.map((v) => ({ v, series: v.series.filter((s) => s.chart === key) }));
    const single = perVariant.every((p) => p.series.length <= 1);
    if (single) {
      const data = perVariant.flatMap((p) => rows(p.series, () => p.v.name));
      const axis = known?.axis ?? perVariant.find((p) => p.series.length > 0)!.series[0]!.unit;
      charts.push({
        id: key,
        title,
        spec: lineChart(
          title,
          axis,
          data,
          [],
          perVariant.filter((p) => p.series.length > 0).map((p) => p.v.name),
        ),
      });
    } else {
      for (const { v, series } of perVariant) {
        if (series.length === 0) continue;
        const events = (v.events ?? []).map((e) => ({ t: e.seconds, label: e.label }));
        charts.push({
          id: `${key}-${slug(v.name)}`,
          title: `${title} — ${v.name}`,
          spec: lineChart(
            `${title} — ${v.name}`,
            known?.axis ?? series[0]!.unit,
            rows(series, (s) => s.name),
            events,
            [...new Set(series.map((s) => s.name))],
          ),
        });
      }
    }
  }
  if (result.ccf !== undefined && result.ccf.length > 0) charts.push({ id: "ccf", title: "Cross-correlation", spec: ccfChart(result.ccf) });
  return charts;
}

function order(key: string): number {
  const i = Object.keys(CHART_TITLES).indexOf(key);
  return i < 0 ? 100 : i;
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function ccfChart(ccf: NonNullable<ScenarioResult["ccf"]>): TopLevelSpec {
  const values = ccf.flatMap((c) => c.lags.map((lag, i) => ({ lag, r: c.r[i]!, series: c.name })));
  const bands = ccf.flatMap((c) => [
    { y: c.ci95, series: c.name },
    { y: -c.ci95, series: c.name },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Cross-correlation of BGP updates and CPU (lag in 5-minute samples; dashed: 95 % white-noise band)",
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "lag", type: "quantitative", title: "lag k (r(k) = cor(updates[t+k], CPU[t]))" },
          y: { field: "r", type: "quantitative", title: "r", scale: { domain: [-1, 1] } },
          color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom" } },
        },
      },
      {
        data: { values: bands },
        mark: { type: "rule", strokeDash: [4, 3] },
        encoding: { y: { field: "y", type: "quantitative" }, color: { field: "series", type: "nominal" } },
      },
    ],
  } as TopLevelSpec;
}

/** Renders a vega-lite specification to an SVG document (headless, no DOM). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
