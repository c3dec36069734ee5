/**
 * Options of the route cache, and the IOS commands that set them: `ip cache-ager-interval X Y Z`
 * and `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD` (Cisco Doc 12808; spec §1.8). Shared
 * by the WebAssembly cache and its reference, so both accept and refuse the same values.
 */

import { ConfigError, TimeError, describe } from "../errors.js";
import { type MacInput, parseMac } from "../net/mac.js";

/** The ager: `ip cache-ager-interval X Y Z`. */
export interface RouteCacheAgerOptions {
  /** X: seconds between ager runs, 0 to 2147483; 0 disables the ager (default 60). */
  intervalSeconds?: number | undefined;
  /** Y: a run examines 1/Y of the cache when memory is low, 2 to 50 (default 4). */
  lowMemoryDivisor?: number | undefined;
  /** Z: a run examines 1/Z of the cache otherwise, 3 to 100 (default 20). */
  normalDivisor?: number | undefined;
}

/** Whole-cache invalidation: `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD`. */
export interface RouteCacheInvalidateDelayOptions {
  /** MIN: a request is held at least this many seconds, 0 to 100 (default 2). */
  minimumSeconds?: number | undefined;
  /** MAX: and at most this many, MIN to 100 (default 5). */
  maximumSeconds?: number | undefined;
  /** QUIET: between MIN and MAX, it is honoured once this many seconds were quiet, 1 to 100 (default 3). */
  quietSeconds?: number | undefined;
  /** THRESHOLD: "quiet" means at most this many requests in that period (default 0). */
  threshold?: number | undefined;
}

/** An outgoing interface as the cache builds its MAC header. */
export interface RouteCacheInterfaceOptions {
  /**
   * `arpa`: Ethernet II, a broadcast interface whose next hops (and attached hosts) are resolved
   * with ARP, 14-byte header; `hdlc`: Cisco HDLC point to point, 4-byte header `0F000800`.
   * Default: `hdlc` for names starting Serial, POS or Tunnel, `arpa` otherwise.
   */
  encapsulation?: "arpa" | "hdlc";
  /** The interface's own MAC (the header's source address; default all zeros). */
  mac?: MacInput;
}

/** The ager and invalidation settings, resolved. */
export interface RouteCacheTimers {
  agerIntervalSeconds: number;
  agerLowMemoryDivisor: number;
  agerNormalDivisor: number;
  minimumSeconds: number;
  maximumSeconds: number;
  quietSeconds: number;
  threshold: number;
}

/** IOS defaults (spec §1.8, §9.1). */
export const DEFAULT_TIMERS: RouteCacheTimers = {
  agerIntervalSeconds: 60,
  agerLowMemoryDivisor: 4,
  agerNormalDivisor: 20,
  minimumSeconds: 2,
  maximumSeconds: 5,
  quietSeconds: 3,
  threshold: 0,
};

/** "Low memory condition (200k)" (seed 000:L209), read as 200 KiB of the cache's budget left. */
export const DEFAULT_LOW_MEMORY_BYTES = 200 * 1024;

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError("route-cache-option", `invalid ${name} ${describe(value)}: expected an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** Applies ager options over `timers` (checked against the seed's ranges). */
export function resolveAger(timers: RouteCacheTimers, ager: RouteCacheAgerOptions): RouteCacheTimers {
  if (ager === null || typeof ager !== "object") throw new ConfigError("route-cache-option", `invalid ager ${describe(ager)}`, ager);
  for (const name of Object.keys(ager)) {
    if (!["intervalSeconds", "lowMemoryDivisor", "normalDivisor"].includes(name)) {
      throw new ConfigError(
        "option-name",
        `unknown ager option ${JSON.stringify(name)}: expected intervalSeconds, lowMemoryDivisor, normalDivisor`,
        name,
      );
    }
  }
  return {
    ...timers,
    agerIntervalSeconds: integer(ager.intervalSeconds ?? timers.agerIntervalSeconds, "cache-ager interval", 0, 2147483),
    agerLowMemoryDivisor: integer(ager.lowMemoryDivisor ?? timers.agerLowMemoryDivisor, "cache-ager low-memory divisor", 2, 50),
    agerNormalDivisor: integer(ager.normalDivisor ?? timers.agerNormalDivisor, "cache-ager normal divisor", 3, 100),
  };
}

/** Applies invalidate-delay options over `timers`. */
export function resolveInvalidateDelay(timers: RouteCacheTimers, delay: RouteCacheInvalidateDelayOptions): RouteCacheTimers {
  if (delay === null || typeof delay !== "object") {
    throw new ConfigError("route-cache-option", `invalid invalidateDelay ${describe(delay)}`, delay);
  }
  for (const name of Object.keys(delay)) {
    if (!["minimumSeconds", "maximumSeconds", "quietSeconds", "threshold"].includes(name)) {
      throw new ConfigError(
        "option-name",
        `unknown invalidateDelay option ${JSON.stringify(name)}: expected minimumSeconds, maximumSeconds, quietSeconds, threshold`,
        name,
      );
    }
  }
  const minimumSeconds = integer(delay.minimumSeconds ?? timers.minimumSeconds, "cache-invalidate-delay minimum", 0, 100);
  return {
    ...timers,
    minimumSeconds,
    maximumSeconds: integer(
      delay.maximumSeconds ?? Math.max(timers.maximumSeconds, minimumSeconds),
      "cache-invalidate-delay maximum",
      minimumSeconds,
      100,
    ),
    quietSeconds: integer(delay.quietSeconds ?? timers.quietSeconds, "cache-invalidate-delay quiet", 1, 100),
    threshold: integer(delay.threshold ?? timers.threshold, "cache-invalidate-delay threshold", 0, 0xffffffff),
  };
}

/**
 * Parses one configuration line: `ip cache-ager-interval X Y Z` (also spelled `ip cache-ager`,
 * as in the seed's sample sentence), `ip cache-invalidate-delay [MIN MAX QUIET THRESHOLD]`, and
 * their `no` forms (back to the defaults). Returns the new timers.
 * @throws ConfigError naming the line for anything else or a value out of range.
 */
export function applyCommand(timers: RouteCacheTimers, line: string): RouteCacheTimers {
  if (typeof line !== "string") throw new ConfigError("route-cache-command", `invalid command ${describe(line)}`, line);
  const words = line.trim().split(/\s+/);
  const negated = words[0] === "no";
  if (negated) words.shift();
  const numbers = words.slice(2).map((w) => (/^\d+$/.test(w) ? Number(w) : Number.NaN));
  if (numbers.some(Number.isNaN)) {
    throw new ConfigError(
      "route-cache-command",
      `invalid command ${JSON.stringify(line)}: expected numbers after ${words.slice(0, 2).join(" ")}`,
      line,
    );
  }
  if (words[0] === "ip" && (words[1] === "cache-ager-interval" || words[1] === "cache-ager")) {
    if (negated) return { ...timers, ...pick(DEFAULT_TIMERS, ["agerIntervalSeconds", "agerLowMemoryDivisor", "agerNormalDivisor"]) };
    if (numbers.length < 1 || numbers.length > 3) {
      throw new ConfigError(
        "route-cache-command",
        `invalid command ${JSON.stringify(line)}: expected ip cache-ager-interval X [Y [Z]]`,
        line,
      );
    }
    return resolveAger(timers, { intervalSeconds: numbers[0], lowMemoryDivisor: numbers[1], normalDivisor: numbers[2] });
  }
  if (words[0] === "ip" && words[1] === "cache-invalidate-delay") {
    if (negated || numbers.length === 0)
      return { ...timers, ...pick(DEFAULT_TIMERS, ["minimumSeconds", "maximumSeconds", "quietSeconds", "threshold"]) };
    if (numbers.length !== 4) {
      throw new ConfigError(
        "route-cache-command",
        `invalid command ${JSON.stringify(line)}: expected ip cache-invalidate-delay MIN MAX QUIET THRESHOLD`,
        line,
      );
    }
    return resolveInvalidateDelay(timers, {
      minimumSeconds: numbers[0],
      maximumSeconds: numbers[1],
      quietSeconds: numbers[2],
      threshold: numbers[3],
    });
  }
  throw new ConfigError("route-cache-command", `unknown route-cache command ${JSON.stringify(line)}`, line);
}

function pick(timers: RouteCacheTimers, names: (keyof RouteCacheTimers)[]): Partial<RouteCacheTimers> {
  return Object.fromEntries(names.map((n) => [n, timers[n]]));
}

/** The encapsulation of an interface: as configured, else guessed from its name. */
export function encapsulationOf(name: string, options: RouteCacheInterfaceOptions | undefined): "arpa" | "hdlc" {
  const given = options?.encapsulation;
  if (given !== undefined) {
    if (given !== "arpa" && given !== "hdlc") {
      throw new ConfigError("route-cache-interface", `invalid encapsulation ${describe(given)} for ${name}: expected arpa or hdlc`, given);
    }
    return given;
  }
  return /^(serial|se\d|pos|tunnel|tu\d)/i.test(name) ? "hdlc" : "arpa";
}

/** The interface's own MAC as six bytes. */
export function interfaceMac(options: RouteCacheInterfaceOptions | undefined): Uint8Array {
  return options?.mac === undefined ? new Uint8Array(6) : parseMac(options.mac);
}

/** Checks a time argument (`now`): finite milliseconds from 0 to 2^53. */
export function checkNow(now: number): number {
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0 || now > 2 ** 53) {
    throw new TimeError("route-cache-time", `invalid time ${describe(now)}: expected milliseconds from 0 to 2^53`, now);
  }
  return now;
}
