/**
 * One validation for every public entry point: option names, times, interfaces, integers,
 * sizes and seeds. Every failure is a typed error (src/errors.ts) whose message names the bad
 * value (NaN and Infinity by name) and what was expected; every component uses these, so one
 * `now` and one interface index mean the same thing to all of them.
 */

import { CapacityError, ConfigError, InterfaceError, TimeError, describe } from "../errors.js";

/**
 * Largest time (`now`, a capture timestamp) accepted: 2^53 ms (≈ 285,000 years after 1970),
 * exact in a double. Every component takes times from 0 to this, in milliseconds.
 */
export const MAX_TIME = 2 ** 53;

/**
 * Largest time a date can show: 8.64e15 ms (year 275760, the ECMAScript date range). Capture
 * timestamps beyond it are counted as out of range by the capture readers.
 */
export const MAX_DATE_TIME = 8.64e15;

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

/**
 * Checks a time argument (`now`, in milliseconds): a number from 0 to {@link MAX_TIME}.
 * Fractions of a millisecond are kept (components that count whole milliseconds floor it).
 * @throws TimeError (code "time") naming the value.
 */
export function checkTime(now: unknown, name = "time"): number {
  if (typeof now !== "number" || !(now >= 0 && now <= MAX_TIME)) {
    throw new TimeError("time", `invalid ${name} ${describe(now)}: expected milliseconds from 0 to 2^53`, now);
  }
  return now;
}

/**
 * Checks a table's time argument (finite milliseconds from 0 to 2^53), as a ConfigError of
 * `code` (the NAT and bridge tables' `nat-time`, `bridge-time`).
 */
export function checkTableTime(now: unknown, code: string): number {
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0 || now > 2 ** 53) {
    throw new ConfigError(code, `invalid time ${describe(now)}: expected milliseconds from 0 to 2^53`, now);
  }
  return now;
}

/**
 * Checks an interface index: an integer from 0 to `count − 1`.
 * @throws InterfaceError (code "interface") naming the value and the valid range.
 */
export function checkInterface(ifIndex: unknown, count: number): number {
  if (typeof ifIndex !== "number" || !Number.isInteger(ifIndex) || ifIndex < 0 || ifIndex >= count) {
    throw new InterfaceError("interface", `invalid interface ${describe(ifIndex)}: expected an index from 0 to ${count - 1}`, ifIndex);
  }
  return ifIndex;
}

/**
 * Checks an integer option or argument from `min` to `max`.
 * @throws ConfigError with `code`, naming the option and the value.
 */
export function checkInteger(value: unknown, name: string, code: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(code, `invalid ${name} ${describe(value)}: expected an integer from ${min} to ${max}`, value);
  }
  return value;
}

/**
 * Checks a 64-bit seed: a safe integer (taken modulo 2^64) or a bigint.
 * @throws ConfigError (code "seed") naming the value.
 */
export function checkSeed(seed: unknown, name = "seed"): number | bigint {
  if (typeof seed === "bigint" || (typeof seed === "number" && Number.isSafeInteger(seed))) return seed;
  throw new ConfigError("seed", `invalid ${name} ${describe(seed)}: expected a safe integer or a bigint`, seed);
}

/** What a {@link CapacityError} about a size parameter carries as its value. */
export interface SizeRefusal {
  /** The parameter, as the caller spelled it (`capacity`, `--lookups`, `interfaces`, ...). */
  parameter: string;
  /** The value given. */
  value: unknown;
  /** Bytes it would need. */
  bytes: number;
  /** Bytes available (or the most that one allocation or memory can hold). */
  available: number;
}

/**
 * Checks up front that a size parameter's memory fits: `bytes` (what `value` of `parameter`
 * would need) against `available`.
 * @throws CapacityError (with `code`) naming the parameter, the value and the bytes it would need.
 */
export function checkBytes(code: string, parameter: string, value: unknown, bytes: number, available: number, why = "available"): void {
  if (bytes <= available) return;
  const refusal: SizeRefusal = { parameter, value, bytes, available };
  throw new CapacityError(
    code,
    `${parameter} ${describe(value)} would need ${Math.ceil(bytes)} bytes, more than the ${Math.floor(available)} ${why}`,
    refusal,
  );
}
