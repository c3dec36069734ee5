/** Scenario reports: the result shape, the terminal summary, the JSON and HTML reports, and the charts. */

export {
  type ScenarioResult,
  type VariantResult,
  type TimeSeries,
  type MetricSpec,
  type ScenarioEvent,
  type Display,
  type CcfResult,
  CHART_TITLES,
  validateScenarioResult,
} from "./result.js";
export { renderSummaryTable, formatMetric } from "./summary.js";
export { renderJsonReport, REPORT_JSON_VERSION } from "./json.js";
export { renderHtmlReport, escapeHtml } from "./html.js";
export { chartSpecs, renderSvg, downsample, type ChartSpec, MAX_POINTS } from "./charts.js";
