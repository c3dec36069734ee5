/**
 * The reference route cache: IOS fast switching as the Code Red document describes it (Cisco
 * Doc 12808; spec §1.7–1.8), written for obviousness with Maps and arrays. It is the oracle
 * that tests compare {@link RouteCache} with, over a {@link ReferenceFib}.
 *
 * - A packet whose destination is covered by an entry is fast switched. Otherwise it is process
 *   switched: the FIB gives its route and path; the entry built for it is /32 when the route is
 *   load-shared or the destination itself is resolved with ARP on a broadcast interface, and
 *   otherwise as long as the longest route inside the destination's classful major network
 *   (at least the major network). That length is fixed, per major network, by the first entry
 *   built there after a whole-cache invalidation.
 * - Time: each call first counts FIB changes as invalidation requests, applies a pending one
 *   per `ip cache-invalidate-delay`, then performs the ager runs that are due.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { type IPv4Input, toIPv4, formatIPv4, parseAddress } from "../net/address.js";
import { type PrefixInput, parsePrefix } from "../net/prefix.js";
import { type MacInput, parseMac } from "../net/mac.js";
import type { ReferenceFib } from "./fib.js";
import {
  type RouteCacheAgerOptions,
  type RouteCacheInvalidateDelayOptions,
  type RouteCacheInterfaceOptions,
  type RouteCacheTimers,
  DEFAULT_TIMERS,
  DEFAULT_LOW_MEMORY_BYTES,
  resolveAger,
  resolveInvalidateDelay,
  applyCommand,
  encapsulationOf,
  interfaceMac,
  checkNow,
} from "../route-cache/options.js";
import type { RouteCacheVerdict, RouteCacheEntry, RouteCacheStatistics, RouteCacheCounters } from "../route-cache/types.js";

/** An adjacency as the reference cache sees it (the shape of `Fib.adjacency(id)`). */
export interface ReferenceAdjacency {
  kind: string;
  interface?: string | number;
  nextHop?: string;
  mac?: string;
}

/** Options of a {@link ReferenceRouteCache}. */
export interface ReferenceRouteCacheOptions {
  fib: ReferenceFib;
  /** The adjacency behind an id (undefined: none). */
  adjacency: (id: number) => ReferenceAdjacency | undefined;
  /** Entries the cache may hold (the WebAssembly cache's `maxEntries`). */
  maxEntries: number;
  interfaces?: Record<string, RouteCacheInterfaceOptions>;
  ager?: RouteCacheAgerOptions;
  invalidateDelay?: RouteCacheInvalidateDelayOptions;
  lowMemoryBytes?: number;
  maxNeighbors?: number;
  maxAdjacencies?: number;
}

const ENTRY_BYTES = 64;
const MAX_RUNS_PER_CALL = 202;

interface Entry {
  network: number;
  length: number;
  interface: string;
  adjacency: number;
  nextHop: number;
  createdMs: number;
  header: string;
  pointToPoint: boolean;
  used: boolean;
}

function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
}

/** The classful major network of an address: [network, length], or undefined for class D and E. */
function majorNetwork(address: number): [number, number] | undefined {
  const first = address >>> 24;
  const length = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 0;
  return length === 0 ? undefined : [(address & maskOf(length)) >>> 0, length];
}

/** A plain-TypeScript route cache with the answers of {@link RouteCache}. */
export class ReferenceRouteCache {
  /** Entries the cache may hold. */
  readonly maxEntries: number;
  readonly #fib: ReferenceFib;
  readonly #adjacency: (id: number) => ReferenceAdjacency | undefined;
  readonly #interfaces: Record<string, RouteCacheInterfaceOptions>;
  readonly #lowMemoryBytes: number;
  readonly #maxNeighbors: number;
  readonly #maxAdjacencies: number;
  #timers: RouteCacheTimers = DEFAULT_TIMERS;
  /** Entries by "network/length", and their creation order for the ager. */
  readonly #entries = new Map<string, Entry>();
  #order: string[] = [];
  #cursor = 0;
  /** Entry length per major network, fixed since the last whole invalidation. */
  readonly #granularity = new Map<number, number>();
  readonly #neighbors = new Map<number, string>();
  readonly #requests = new Map<number, number>();
  readonly #counters: RouteCacheCounters = {
    lookups: 0,
    fastSwitched: 0,
    processSwitched: 0,
    adds: 0,
    invalidates: 0,
    aged: 0,
    invalidatedFull: 0,
    cleared: 0,
    arpInvalidated: 0,
    noMemory: 0,
    noRoute: 0,
    unresolved: 0,
    uncacheable: 0,
    fullInvalidations: 0,
    invalidationRequests: 0,
    agerRuns: 0,
    agerExamined: 0,
    agerLowMemoryRuns: 0,
  };
  #started = false;
  #now = 0;
  #nextRun = 0;
  #seenVersion = 0;
  #pendingSince: number | undefined;
  #lastFull = 0;

  constructor(options: ReferenceRouteCacheOptions) {
    this.#fib = options.fib;
    this.#adjacency = options.adjacency;
    this.maxEntries = options.maxEntries;
    this.#interfaces = options.interfaces ?? {};
    this.#lowMemoryBytes = options.lowMemoryBytes ?? DEFAULT_LOW_MEMORY_BYTES;
    this.#maxNeighbors = options.maxNeighbors ?? 65536;
    this.#maxAdjacencies = options.maxAdjacencies ?? 65536;
    if (options.ager !== undefined) this.#timers = resolveAger(this.#timers, options.ager);
    if (options.invalidateDelay !== undefined) this.#timers = resolveInvalidateDelay(this.#timers, options.invalidateDelay);
  }

  /** Whether the cache's clock has started (its first call that brings a time). */
  get started(): boolean {
    return this.#started;
  }

  /** The ager and invalidation settings in force. */
  get timers(): RouteCacheTimers {
    return { ...this.#timers };
  }

  /** Applies `ip cache-ager-interval X Y Z` / `ip cache-invalidate-delay ...` (as RouteCache.configure). */
  configure(line: string): void {
    this.#timers = applyCommand(this.#timers, line);
    // A new setting starts the ager's period again from the latest time the cache has seen.
    if (this.#started) this.#nextRun = this.#now + this.#timers.agerIntervalSeconds * 1000;
  }

  // -------------------------------------------------------------------------------------------
  // Time

  /** Runs the invalidation and ager work due at `now`; returns the cache's clock (never backwards). */
  advance(now: number): number {
    checkNow(now);
    if (!this.#started) {
      this.#started = true;
      this.#now = now;
      this.#lastFull = now;
      this.#nextRun = now + this.#timers.agerIntervalSeconds * 1000;
      this.#seenVersion = this.#fib.version;
    }
    now = Math.max(now, this.#now);
    this.#now = now;
    if (this.#fib.version !== this.#seenVersion) {
      this.#request(now, this.#fib.version - this.#seenVersion);
      this.#seenVersion = this.#fib.version;
    }
    if (this.#pendingSince !== undefined) {
      const held = now - this.#pendingSince;
      const t = this.#timers;
      if (held >= t.maximumSeconds * 1000 || (held >= t.minimumSeconds * 1000 && this.#requestsIn(now, t.quietSeconds) <= t.threshold)) {
        this.#invalidateAll(now);
      }
    }
    const interval = this.#timers.agerIntervalSeconds * 1000;
    if (interval > 0 && now >= this.#nextRun) {
      const due = Math.floor((now - this.#nextRun) / interval) + 1;
      for (let r = 0; r < Math.min(due, MAX_RUNS_PER_CALL); r++) this.#ageRun();
      this.#nextRun += due * interval;
    }
    return now;
  }

  #request(now: number, count: number): void {
    const second = Math.floor(now / 1000);
    this.#requests.set(second, (this.#requests.get(second) ?? 0) + count);
    this.#counters.invalidationRequests += count;
    if (this.#pendingSince === undefined) this.#pendingSince = now;
  }

  /** Requests in the `seconds` whole seconds ending with the second of `now` (at most 128 back). */
  #requestsIn(now: number, seconds: number): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let back = 0; back < Math.min(seconds, 128) && current - back >= 0; back++) total += this.#requests.get(current - back) ?? 0;
    return total;
  }

  #reset(): void {
    this.#entries.clear();
    this.#order = [];
    this.#cursor = 0;
    this.#granularity.clear();
  }

  #invalidateAll(now: number): void {
    const n = this.#entries.size;
    this.#counters.invalidates += n;
    this.#counters.invalidatedFull += n;
    this.#counters.fullInvalidations++;
    this.#reset();
    this.#pendingSince = undefined;
    this.#lastFull = now;
  }

  #remove(key: string): void {
    this.#entries.delete(key);
    const at = this.#order.indexOf(key);
    this.#order.splice(at, 1);
    if (at < this.#cursor) this.#cursor--;
    if (this.#cursor >= this.#order.length) this.#cursor = 0;
  }

  #ageRun(): void {
    const c = this.#counters;
    c.agerRuns++;
    const count = this.#entries.size;
    if (count === 0) return;
    const low = (this.maxEntries - count) * ENTRY_BYTES < this.#lowMemoryBytes;
    if (low) c.agerLowMemoryRuns++;
    const divisor = low ? this.#timers.agerLowMemoryDivisor : this.#timers.agerNormalDivisor;
    let todo = Math.ceil(count / divisor);
    while (todo > 0 && this.#entries.size > 0) {
      if (this.#cursor >= this.#order.length) this.#cursor = 0;
      const key = this.#order[this.#cursor]!;
      const entry = this.#entries.get(key)!;
      c.agerExamined++;
      todo--;
      if (entry.used) {
        entry.used = false;
        this.#cursor++;
        if (this.#cursor >= this.#order.length) this.#cursor = 0;
      } else {
        this.#remove(key);
        c.aged++;
        c.invalidates++;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Switching

  #find(address: number): Entry | undefined {
    for (let length = 32; length >= 8; length--) {
      const entry = this.#entries.get(`${(address & maskOf(length)) >>> 0}/${length}`);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  #switch(address: number, now: number): { verdict: RouteCacheVerdict; adjacency: number } {
    const c = this.#counters;
    c.lookups++;
    const hit = this.#find(address);
    if (hit !== undefined) {
      hit.used = true;
      c.fastSwitched++;
      return { verdict: "fast", adjacency: hit.adjacency };
    }
    c.processSwitched++;
    const verdict = this.#processSwitch(address, now);
    c[verdict === "process" ? "adds" : verdict === "no-memory" ? "noMemory" : verdict === "no-route" ? "noRoute" : verdict]++;
    const built = verdict === "process" ? this.#find(address) : undefined;
    return { verdict, adjacency: built?.adjacency ?? 0 };
  }

  /** The slow path: returns the verdict; builds the entry when it is "process". */
  #processSwitch(address: number, now: number): Exclude<RouteCacheVerdict, "fast"> {
    const route = this.#fib.matchRoute4(address);
    if (route === undefined) return "no-route";
    const shared = route.paths.length > 1;
    const id = this.#fib.choosePath4(route.paths, address);
    const major = majorNetwork(address);
    const adjacency = this.#adjacency(id);
    if (major === undefined || adjacency === undefined || adjacency.kind !== "neighbor" || adjacency.interface === undefined)
      return "uncacheable";
    if (id >= this.#maxAdjacencies) return "uncacheable";
    const next = adjacency.nextHop === undefined ? undefined : parseAddress(adjacency.nextHop);
    if (next !== undefined && next.family !== 4) return "uncacheable";
    const name = String(adjacency.interface);
    const pointToPoint = encapsulationOf(name, this.#interfaces[name]) === "hdlc";
    const attached = next === undefined;
    let nextHop = attached ? address : next.words[0]!;
    let header: string;
    if (pointToPoint) {
      if (attached) nextHop = 0;
      header = "0F000800";
    } else {
      const mac = this.#neighbors.get(nextHop) ?? (!attached && adjacency.mac !== undefined ? hex(parseMac(adjacency.mac)) : undefined);
      if (mac === undefined) return "unresolved";
      header = `${mac}${hex(interfaceMac(this.#interfaces[name]))}0800`;
    }
    const [majorNet, majorLength] = major;
    let granularity = this.#granularity.get(majorNet);
    if (granularity === undefined) {
      granularity = Math.max(majorLength, this.#fib.longestWithin4(majorNet, majorLength));
      this.#granularity.set(majorNet, granularity);
    }
    const length = shared || (attached && !pointToPoint) ? 32 : granularity;
    if (this.#entries.size >= this.maxEntries) return "no-memory";
    const network = (address & maskOf(length)) >>> 0;
    const key = `${network}/${length}`;
    this.#entries.set(key, { network, length, interface: name, adjacency: id, nextHop, createdMs: now, header, pointToPoint, used: true });
    this.#order.push(key);
    return "process";
  }

  // -------------------------------------------------------------------------------------------
  // The Dataplane's switching stage: the pipeline resolves a miss itself and reports its outcome.

  /** A lookup by the pipeline: the entry hit (marked used) or undefined; counted fast or process switched. */
  pipelineLookup(address: number): { adjacency: number; mac: number } | undefined {
    const c = this.#counters;
    c.lookups++;
    const hit = this.#find(address);
    if (hit === undefined) {
      c.processSwitched++;
      return undefined;
    }
    hit.used = true;
    c.fastSwitched++;
    return { adjacency: hit.adjacency, mac: Number.parseInt(hit.header.slice(0, 12), 16) };
  }

  /** A miss the pipeline did not forward, by why no entry was built. */
  pipelineMissed(outcome: "no-route" | "unresolved" | "uncacheable"): void {
    this.#counters[outcome === "no-route" ? "noRoute" : outcome]++;
  }

  /**
   * A miss the pipeline forwarded out of Ethernet interface `interfaceName` (own MAC `srcMac`)
   * to `dstMac`: the entry at the granularity rule (`host`: a /32 per destination).
   */
  pipelineFill(
    address: number,
    now: number,
    adjacency: number,
    interfaceName: string,
    nextHop: number,
    dstMac: number,
    srcMac: number,
    host: boolean,
  ): "process" | "no-memory" | "uncacheable" {
    const major = majorNetwork(address);
    if (major === undefined) {
      this.#counters.uncacheable++;
      return "uncacheable";
    }
    const [majorNet, majorLength] = major;
    let granularity = this.#granularity.get(majorNet);
    if (granularity === undefined) {
      granularity = Math.max(majorLength, this.#fib.longestWithin4(majorNet, majorLength));
      this.#granularity.set(majorNet, granularity);
    }
    if (this.#entries.size >= this.maxEntries) {
      this.#counters.noMemory++;
      return "no-memory";
    }
    const length = host ? 32 : granularity;
    const network = (address & maskOf(length)) >>> 0;
    const key = `${network}/${length}`;
    const mac = (m: number) => m.toString(16).padStart(12, "0").toUpperCase();
    const header = `${mac(dstMac)}${mac(srcMac)}0800`;
    this.#entries.set(key, {
      network,
      length,
      interface: interfaceName,
      adjacency,
      nextHop,
      createdMs: now,
      header,
      pointToPoint: false,
      used: true,
    });
    this.#order.push(key);
    this.#counters.adds++;
    return "process";
  }

  /** Invalidates (as ARP changes) the entries `keep` refuses, in creation order; returns how many. */
  invalidateWhere(
    keep: (entry: { interface: string; nextHop: number; adjacency: number; mac: number; headerBytes: number }) => boolean,
  ): number {
    let removed = 0;
    for (const key of [...this.#order]) {
      const e = this.#entries.get(key)!;
      const view = {
        interface: e.interface,
        nextHop: e.nextHop,
        adjacency: e.adjacency,
        mac: Number.parseInt(e.header.slice(0, 12), 16),
        headerBytes: e.header.length / 2,
      };
      if (keep(view)) continue;
      this.#remove(key);
      removed++;
    }
    this.#counters.arpInvalidated += removed;
    this.#counters.invalidates += removed;
    return removed;
  }

  /** Switches a batch: verdict codes (1 fast … 6 no route) and adjacencies, as RouteCache.switchBatch. */
  switchBatch(destinations: Uint32Array, now: number): { verdicts: Uint8Array; adjacencies: Uint32Array; fastSwitched: number } {
    now = this.advance(now);
    const codes: Record<RouteCacheVerdict, number> = { fast: 1, process: 2, "no-memory": 3, uncacheable: 4, unresolved: 5, "no-route": 6 };
    const verdicts = new Uint8Array(destinations.length);
    const adjacencies = new Uint32Array(destinations.length);
    let fast = 0;
    destinations.forEach((d, i) => {
      const r = this.#switch(d, now);
      verdicts[i] = codes[r.verdict];
      adjacencies[i] = r.adjacency;
      if (r.verdict === "fast") fast++;
    });
    return { verdicts, adjacencies, fastSwitched: fast };
  }

  /** Hits only: the cached adjacency per destination (0 on a miss); returns the hits. */
  lookupBatch(destinations: Uint32Array, now: number, out: Uint32Array = new Uint32Array(destinations.length)): number {
    this.advance(now);
    let hits = 0;
    destinations.forEach((d, i) => {
      const hit = this.#find(d);
      out[i] = hit?.adjacency ?? 0;
      if (hit !== undefined) {
        hit.used = true;
        hits++;
      }
    });
    this.#counters.lookups += hits;
    this.#counters.fastSwitched += hits;
    return hits;
  }

  /** Switches one packet; `fast` when cached, else process switched. */
  fill(destination: IPv4Input, now: number): RouteCacheVerdict {
    now = this.advance(now);
    return this.#switch(toIPv4(destination), now).verdict;
  }

  // -------------------------------------------------------------------------------------------
  // Invalidation

  /** One whole-cache invalidation request at `now`. */
  requestInvalidation(now: number): void {
    now = this.advance(now);
    this.#request(now, 1);
    this.advance(now);
  }

  /** `clear ip cache [PREFIX MASK]`; returns the entries removed. */
  clear(now: number, prefix?: PrefixInput): number {
    now = this.advance(now);
    const before = this.#entries.size;
    if (prefix === undefined) {
      this.#counters.invalidates += before;
      this.#counters.cleared += before;
      this.#counters.fullInvalidations++;
      this.#reset();
      this.#pendingSince = undefined;
      this.#lastFull = now;
      return before;
    }
    const p = parsePrefix(prefix);
    if (p.family !== 4) throw new ConfigError("route-cache-prefix", `invalid prefix ${describe(prefix)}: the route cache is IPv4`, prefix);
    for (const [key, e] of [...this.#entries]) {
      const shorter = Math.min(e.length, p.length);
      if (((e.network ^ p.words[0]!) & maskOf(shorter)) >>> 0 === 0) {
        this.#remove(key);
        this.#counters.cleared++;
        this.#counters.invalidates++;
      }
    }
    return before - this.#entries.size;
  }

  #invalidateNeighbor(address: number): number {
    let removed = 0;
    for (const [key, e] of [...this.#entries]) {
      if (e.nextHop === address && !e.pointToPoint) {
        this.#remove(key);
        removed++;
      }
    }
    this.#counters.arpInvalidated += removed;
    this.#counters.invalidates += removed;
    return removed;
  }

  /** ARP resolved a neighbour; a changed MAC invalidates its entries (returns how many). */
  setNeighbor(address: IPv4Input, mac: MacInput, now: number): number {
    this.advance(now);
    const ip = toIPv4(address);
    const text = hex(parseMac(mac));
    const known = this.#neighbors.get(ip);
    if (known === text) return 0;
    if (known === undefined && this.#neighbors.size >= this.#maxNeighbors) {
      throw new CapacityError("route-cache-neighbors", `cannot add neighbour ${formatIPv4(ip)}: the neighbour table is full`, address);
    }
    this.#neighbors.set(ip, text);
    return known === undefined ? 0 : this.#invalidateNeighbor(ip);
  }

  /** ARP lost a neighbour; its entries are invalidated (returns how many). */
  removeNeighbor(address: IPv4Input, now: number): number {
    this.advance(now);
    const ip = toIPv4(address);
    if (!this.#neighbors.delete(ip)) return 0;
    return this.#invalidateNeighbor(ip);
  }

  // -------------------------------------------------------------------------------------------
  // Inspection

  /** Counters and the state `show ip cache` prints. */
  statistics(): RouteCacheStatistics {
    const started = this.#started;
    return {
      ...this.#counters,
      entries: this.#entries.size,
      maxEntries: this.maxEntries,
      entryBytes: this.#entries.size * ENTRY_BYTES,
      lastFullInvalidationMs: this.#lastFull,
      pendingSinceMs: this.#pendingSince,
      requestsLastSecond: started ? this.#requestsIn(this.#now, 1) : 0,
      requestsLastQuiet: started ? this.#requestsIn(this.#now, this.#timers.quietSeconds) : 0,
      nowMs: this.#now,
    };
  }

  /** The entries in creation order, or those inside a prefix. */
  entries(prefix?: PrefixInput): RouteCacheEntry[] {
    const filter = prefix === undefined ? undefined : parsePrefix(prefix);
    const out: RouteCacheEntry[] = [];
    for (const key of this.#order) {
      const e = this.#entries.get(key)!;
      if (filter !== undefined && (e.length < filter.length || ((e.network ^ filter.words[0]!) & maskOf(filter.length)) >>> 0 !== 0))
        continue;
      const entry: RouteCacheEntry = {
        prefix: `${formatIPv4(e.network)}/${e.length}`,
        createdMs: e.createdMs,
        interface: e.interface,
        adjacency: e.adjacency,
        header: e.header,
        used: e.used,
      };
      if (e.nextHop !== 0) entry.nextHop = formatIPv4(e.nextHop);
      out.push(entry);
    }
    return out;
  }
}
