/**
 * `show ip cache`, `show ip cache verbose` and `show ip cache PREFIX MASK` in the layout of the
 * Code Red document's examples (seed 000, lines 221-242; spec §3.4). The header block is the
 * seed's, character for character (including the trailing space after "5 seconds," in the
 * plain form and the indented "quiet interval" line in the verbose one). The seed's entry rows
 * were flattened by its scraper (prefixes and next hops lost), so the row columns here follow
 * the column headers and the spacing that survived: the plain row puts four spaces after the
 * age, as "03:44:53    Serial1" does; the verbose row puts the age in a 10-wide column
 * ("03:47:13  Serial1") and the MAC header on a second line, 19 spaces in, its length in a
 * 4-wide column ("                   14  00000C34A7FC00000C13DBA90800").
 *
 * The ager line prints 1/Z and 1/Y with the configured values, as the seed's sample does for
 * `ip cache-ager 60 5 25` ("Cache aged by 1/25 every 60 seconds (1/5 when memory is low).");
 * the cache examines exactly that fraction (README, "Route cache": the seed's CLI help says
 * 1/(Z+1), its prose and its display say 1/Z).
 */

import type { RouteCacheEntry, RouteCacheStatistics } from "../route-cache/types.js";
import type { RouteCacheTimers } from "../route-cache/options.js";
import { type PrefixInput, parsePrefix, formatPrefix } from "../net/prefix.js";
import { parseIPv4 } from "../net/address.js";
import { ConfigError } from "../errors.js";
import type { ShowRegistry } from "./commands.js";

/** What the display reads: a {@link RouteCache} or its reference, or any state shaped like them. */
export interface RouteCacheView {
  statistics(): RouteCacheStatistics;
  entries(prefix?: PrefixInput): RouteCacheEntry[];
  readonly timers: RouteCacheTimers;
}

/** Options of {@link renderRouteCache}. */
export interface RouteCacheShowOptions {
  /** `show ip cache verbose`. */
  verbose?: boolean;
  /** `show ip cache PREFIX MASK`: only the entries inside it. */
  prefix?: PrefixInput;
  /** Time the ages are computed at (default: the cache's clock). */
  now?: number;
}

/** hh:mm:ss of a duration in ms (hours unbounded). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/** The header block of `show ip cache` (plain or verbose). */
export function renderRouteCacheHeader(s: RouteCacheStatistics, t: RouteCacheTimers, now: number, verbose: boolean): string[] {
  return [
    `IP routing cache ${s.entries} entries, ${s.entryBytes} bytes`,
    `   ${s.adds} adds, ${s.invalidates} invalidates, 0 refcounts`,
    `Cache aged by 1/${t.agerNormalDivisor} every ${t.agerIntervalSeconds} seconds (1/${t.agerLowMemoryDivisor} when memory is low).`,
    `Minimum invalidation interval ${t.minimumSeconds} seconds, maximum interval ${t.maximumSeconds} seconds,${verbose ? "" : " "}`,
    `${verbose ? "   " : ""}quiet interval ${t.quietSeconds} seconds, threshold ${t.threshold} requests`,
    `Invalidation rate ${s.requestsLastSecond} in last second, ${s.requestsLastQuiet} in last ${t.quietSeconds} seconds`,
    `Last full cache invalidation occurred ${formatDuration(now - s.lastFullInvalidationMs)} ago`,
  ];
}

/** One entry's row(s). */
export function renderRouteCacheEntry(e: RouteCacheEntry, now: number, verbose: boolean): string[] {
  const age = formatDuration(now - e.createdMs);
  const nextHop = e.nextHop ?? "";
  // A name as wide as its column keeps one space before the next hop.
  const column = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));
  if (!verbose) return [`${column(e.prefix, 23)}${age}    ${column(e.interface, 11)}${nextHop}`.trimEnd()];
  return [
    `${column(e.prefix, 20)}${age.padEnd(10)}${column(e.interface, 16)}${nextHop}`.trimEnd(),
    `${" ".repeat(19)}${String(e.header.length / 2).padEnd(4)}${e.header}`,
  ];
}

/** Renders `show ip cache [verbose] [PREFIX MASK]` for a cache at `now`. */
export function renderRouteCache(cache: RouteCacheView, options: RouteCacheShowOptions = {}): string {
  const s = cache.statistics();
  const now = options.now ?? s.nowMs;
  const verbose = options.verbose ?? false;
  const lines = renderRouteCacheHeader(s, cache.timers, now, verbose);
  if (!verbose) lines.push("");
  lines.push(verbose ? "Prefix/Length       Age       Interface       Next Hop" : "Prefix/Length          Age    Interface     Next Hop");
  for (const e of cache.entries(options.prefix)) lines.push(...renderRouteCacheEntry(e, now, verbose));
  return `${lines.join("\n")}\n`;
}

/**
 * Runs a `show ip cache` command line: `show ip cache`, `show ip cache verbose`,
 * `show ip cache A.B.C.D M.M.M.M` (also `A.B.C.D/len`), in either order with `verbose`.
 * @throws ConfigError naming the line when it is not one of those.
 */
export function showIpCache(cache: RouteCacheView, line: string, now?: number): string {
  const words = line.trim().split(/\s+/);
  if (words[0] !== "show" || words[1] !== "ip" || words[2] !== "cache") {
    throw new ConfigError("show-command", `not a show ip cache command: ${JSON.stringify(line)}`, line);
  }
  const rest = words.slice(3);
  const verbose = rest.includes("verbose");
  const args = rest.filter((w) => w !== "verbose");
  let prefix: string | undefined;
  if (args.length === 1 && args[0]!.includes("/")) prefix = formatPrefix(parsePrefix(args[0]!));
  else if (args.length === 2) prefix = `${args[0]}/${maskLength(args[1]!, line)}`;
  else if (args.length !== 0) throw new ConfigError("show-command", `invalid show ip cache arguments in ${JSON.stringify(line)}`, line);
  const options: RouteCacheShowOptions = { verbose };
  if (prefix !== undefined) options.prefix = prefix;
  if (now !== undefined) options.now = now;
  return renderRouteCache(cache, options);
}

function maskLength(mask: string, line: string): number {
  const value = parseIPv4(mask);
  const length = 32 - Math.log2((~value >>> 0) + 1 || 2 ** 32);
  if (!Number.isInteger(length) || (length === 0 && value !== 0)) {
    throw new ConfigError("show-command", `invalid mask ${JSON.stringify(mask)} in ${JSON.stringify(line)}`, mask);
  }
  return length;
}

/** Registers `show ip cache [verbose] [PREFIX MASK]` (the fast-switching route cache, `components.routeCache`). */
export function registerRouteCacheShowCommands(registry: ShowRegistry): void {
  registry.register({
    words: ["show", "ip", "cache"],
    syntax: "show ip cache [verbose] [PREFIX MASK]",
    summary: "the fast-switching route cache (interfaces with no ip route-cache cef, or no ip cef)",
    run(args, context) {
      const cache = context.components?.routeCache as RouteCacheView | undefined;
      if (cache === undefined) {
        const why = "% The route cache is not enabled (no interface is fast switched: no ip route-cache cef, or no ip cef)";
        throw new ConfigError("show-unavailable", why, "route cache");
      }
      // `verbose` may be abbreviated, as IOS words are.
      const words = args.map((w) => (w.length > 0 && /^[a-z]+$/i.test(w) && "verbose".startsWith(w.toLowerCase()) ? "verbose" : w));
      const line = ["show", "ip", "cache", ...words].join(" ");
      const text = showIpCache(cache, line, context.now);
      const verbose = words.includes("verbose");
      const rest = words.filter((w) => w !== "verbose");
      const prefix = rest.length === 0 ? undefined : rest.length === 1 ? rest[0]! : `${rest[0]}/${maskLength(rest[1]!, line)}`;
      return {
        lines: text.replace(/\n$/, "").split("\n"),
        json: { statistics: cache.statistics(), timers: cache.timers, verbose, entries: cache.entries(prefix) },
      };
    },
  });
}
