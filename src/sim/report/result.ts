/**
 * The shape every scenario fills and every report reads: a scenario run is a set of router
 * variants (the vulnerable router, each fix, all fixes), each with summary metrics, time series
 * grouped into charts, events (a reload, the first MALLOCFAIL) and IOS displays; plus, for the
 * BGP scenarios, cross-correlation functions.
 */

import { ConfigError, describe } from "../../errors.js";

/** One column of the summary table. */
export interface MetricSpec {
  /** Key into each variant's `summary`. */
  key: string;
  /** Column heading. */
  label: string;
  /** Unit shown after the heading, e.g. `"/s"`, `"bytes"`, `"%"`. */
  unit?: string;
  /** Decimal places for numbers (default 0). */
  digits?: number;
}

/** The charts the report knows by name (others are titled by their key). */
export const CHART_TITLES: Readonly<Record<string, { title: string; axis: string }>> = {
  arp: { title: "ARP requests per second", axis: "requests/s" },
  memory: { title: "Memory per table", axis: "bytes" },
  cpu: { title: "CPU per process", axis: "% of the CPU" },
  loss: { title: "Established traffic lost", axis: "packets lost/s" },
  free: { title: "Free processor memory", axis: "bytes" },
  bgp: { title: "BGP updates", axis: "updates per 5 min" },
};

/** A time series: values at times (seconds from the scenario's start). */
export interface TimeSeries {
  /** Which chart it goes in: `arp`, `memory`, `cpu`, `loss`, `bgp` or another key. */
  chart: string;
  /** Its name in the legend, e.g. `"ARP Input"` or `"route cache"`. */
  name: string;
  unit: string;
  seconds: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Something that happened at a time: a reload, the first MALLOCFAIL, CEF disabling itself. */
export interface ScenarioEvent {
  seconds: number;
  label: string;
}

/** An IOS display captured at the end of a run (`show processes cpu`, `show logging`, ...). */
export interface Display {
  title: string;
  text: string;
}

/** One router variant's results. */
export interface VariantResult {
  name: string;
  description?: string;
  /** Summary metrics, by {@link MetricSpec.key}; `null` for "not applicable". */
  summary: Record<string, number | string | boolean | null>;
  series: TimeSeries[];
  events?: ScenarioEvent[];
  displays?: Display[];
}

/** A cross-correlation function to plot. */
export interface CcfResult {
  name: string;
  lags: number[];
  r: number[];
  /** Half-width of the 95 % white-noise band. */
  ci95: number;
}

/** A whole scenario run. */
export interface ScenarioResult {
  /** The scenario's command name, e.g. `"codered"`. */
  scenario: string;
  title: string;
  seed: number;
  simulatedSeconds: number;
  parameters: Record<string, string | number | boolean>;
  /** The summary table's columns, in order. */
  metrics: MetricSpec[];
  variants: VariantResult[];
  ccf?: CcfResult[];
  notes?: string[];
}

/**
 * Checks a result before it is rendered: at least one variant, unique variant names, every
 * series with as many times as values, every metric key present in every summary.
 * @throws ConfigError naming the first problem.
 */
export function validateScenarioResult(result: ScenarioResult): void {
  if (result.variants.length === 0)
    throw new ConfigError("report-variants", `scenario ${describe(result.scenario)} has no variants`, result.scenario);
  const names = new Set<string>();
  for (const v of result.variants) {
    if (names.has(v.name)) throw new ConfigError("report-variant-name", `variant name ${describe(v.name)} is used twice`, v.name);
    names.add(v.name);
    for (const s of v.series) {
      if (s.seconds.length !== s.values.length) {
        throw new ConfigError(
          "report-series",
          `series ${describe(`${v.name}/${s.name}`)} has ${s.seconds.length} times and ${s.values.length} values`,
          s.name,
        );
      }
    }
    for (const m of result.metrics) {
      if (!(m.key in v.summary))
        throw new ConfigError("report-metric", `variant ${describe(v.name)} has no value for metric ${describe(m.key)}`, m.key);
    }
  }
  for (const c of result.ccf ?? []) {
    if (c.lags.length !== c.r.length)
      throw new ConfigError("report-ccf", `CCF ${describe(c.name)} has ${c.lags.length} lags and ${c.r.length} values`, c.name);
  }
}
