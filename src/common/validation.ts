/**
 * One validation for every public entry point: option names, times, interfaces. Every failure
 * is a typed error whose message names the bad value.
 */

import { ConfigError, describe } from "../errors.js";

/**
 * Rejects option names that the component does not know (a misspelled `capcity` must not be
 * silently ignored).
 * @throws ConfigError naming the unknown option and listing the valid ones.
 */
export function checkOptionNames(options: object, valid: readonly string[], component: string): void {
  if (options === null || typeof options !== "object") {
    throw new ConfigError("options", `invalid ${component} options ${describe(options)}: expected an object`, options);
  }
  for (const name of Object.keys(options)) {
    if (!valid.includes(name)) {
      throw new ConfigError(
        "option-name",
        `unknown ${component} option ${JSON.stringify(name)}: expected one of ${valid.join(", ")}`,
        name,
      );
    }
  }
}
