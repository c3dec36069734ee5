/** The `bgp-churn` scenario: the BGP paper's router under BGP churn, its CPU and the CCF. */

export {
  runBgpChurn,
  bgpChurnStreamOptions,
  defaultSeconds,
  type BgpChurnOptions,
  type BgpChurnRun,
  type BgpCcfWindow,
  type BgpRegime,
  type BgpRouteSource,
  BGP_REGIMES,
  PAPER_TABLE_ROUTES,
  TRACKED_PROCESSES,
} from "./churn.js";
export { bgpChurnResult, renderCcfTable, variantName } from "./report.js";
export { BGP_COSTS } from "./costs.js";
