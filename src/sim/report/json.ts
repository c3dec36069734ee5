/** The JSON report: the scenario result as plain JSON (typed arrays as arrays, non-finite numbers as null). */

import type { ScenarioResult } from "./result.js";
import { validateScenarioResult } from "./result.js";

/** Version of the JSON layout. */
export const REPORT_JSON_VERSION = 1;

/** The result as a JSON document `{ version, ...result }`. */
export function renderJsonReport(result: ScenarioResult): string {
  validateScenarioResult(result);
  return `${JSON.stringify(
    { version: REPORT_JSON_VERSION, ...result },
    (_key, value: unknown) => {
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, finiteOrNull);
      if (typeof value === "number") return finiteOrNull(value);
      return value;
    },
    2,
  )}\n`;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
