/**
 * The route cache's result types, shared by {@link RouteCache} and its reference.
 */

/** What happened to a packet: fast switched from the cache, or process switched (and why). */
export type RouteCacheVerdict =
  /** A cache hit: fast switched with the cached rewrite. */
  | "fast"
  /** A miss, process switched; the entry was built (counted in `adds`). */
  | "process"
  /** A miss, process switched without an entry: the cache's memory budget is full. */
  | "no-memory"
  /** Process switched, never cached: a special adjacency (null, punt, drop, glean, discard), class D/E, or an adjacency the cache cannot rewrite. */
  | "uncacheable"
  /** Process switched, no entry: the next hop (or the attached host) has no ARP entry yet. */
  | "unresolved"
  /** Process switched and dropped: no route. */
  | "no-route";

/** Verdict codes as the batch methods write them (index = code). */
export const ROUTE_CACHE_VERDICTS: readonly (RouteCacheVerdict | undefined)[] = [
  undefined,
  "fast",
  "process",
  "no-memory",
  "uncacheable",
  "unresolved",
  "no-route",
];

/** One cache entry. */
export interface RouteCacheEntry {
  /** `a.b.c.d/len` */
  prefix: string;
  /** When the entry was built (ms); `show ip cache` prints its age. */
  createdMs: number;
  /** Outgoing interface, as the adjacency names it. */
  interface: string;
  /** The neighbour whose MAC is in the header (for point-to-point interfaces, the adjacency's next hop, or none). */
  nextHop?: string;
  adjacency: number;
  /** The MAC header, in hex, upper case (`0F000800`, `00000C34A7FC00000C13DBA90800`). */
  header: string;
  /** Used since the ager last examined it. */
  used: boolean;
}

/** Counters of a route cache; `lookups = fastSwitched + processSwitched` and `processSwitched = adds + noMemory + uncacheable + unresolved + noRoute`. */
export interface RouteCacheCounters {
  lookups: number;
  fastSwitched: number;
  processSwitched: number;
  /** Entries built. */
  adds: number;
  /** Entries removed, for any reason: aged + invalidatedFull + cleared + arpInvalidated (so entries = adds − invalidates). */
  invalidates: number;
  aged: number;
  /** Entries removed by whole-cache invalidations (FIB changes). */
  invalidatedFull: number;
  /** Entries removed by `clear ip cache`. */
  cleared: number;
  /** Entries removed because ARP changed or lost their neighbour. */
  arpInvalidated: number;
  noMemory: number;
  noRoute: number;
  unresolved: number;
  uncacheable: number;
  /** Whole-cache invalidations (requested ones, and `clear ip cache` without a prefix). */
  fullInvalidations: number;
  /** Invalidation requests (each FIB change is one). */
  invalidationRequests: number;
  agerRuns: number;
  agerExamined: number;
  agerLowMemoryRuns: number;
}

/** Counters plus the state `show ip cache` prints. */
export interface RouteCacheStatistics extends RouteCacheCounters {
  entries: number;
  maxEntries: number;
  /** Bytes of entries, as IOS counts them (entries × bytes per entry). */
  entryBytes: number;
  /** When the last whole-cache invalidation happened (ms; the cache starts invalidated at its first call). */
  lastFullInvalidationMs: number;
  /** When the pending invalidation request was made, or undefined. */
  pendingSinceMs: number | undefined;
  /** Invalidation requests in the last second and in the last QUIET seconds. */
  requestsLastSecond: number;
  requestsLastQuiet: number;
  /** The cache's clock: the latest `now` it was given. */
  nowMs: number;
}
