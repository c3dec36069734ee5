/**
 * The fast-switching route cache (Cisco Doc 12808, "Fast Switching Behavior and
 * Implications"): the cache IOS built from the first, process-switched packet to each
 * destination, which a worm scan turns into one entry per scanned address. It lives in
 * WebAssembly on the FIB's core and reads the FIB in place (assembly/route-cache.ts).
 */

import { CapacityError, ConfigError, InterfaceError, describe } from "../errors.js";
import { type IPv4Input, toIPv4, formatIPv4, parseAddress } from "../net/address.js";
import { type PrefixInput, parsePrefix, formatPrefix } from "../net/prefix.js";
import { type MacInput, parseMac } from "../net/mac.js";
import type { WasmExports } from "../wasm/exports.js";
import type { HeapViews } from "../wasm/views.js";
import { type Core, type CoreAttachment, disposedCore } from "../wasm/core.js";
import { checkOptionNames } from "../common/validation.js";
import { Fib } from "../fib/fib.js";
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
} from "./options.js";
import {
  type RouteCacheVerdict,
  type RouteCacheEntry,
  type RouteCacheStatistics,
  type RouteCacheCounters,
  ROUTE_CACHE_VERDICTS,
} from "./types.js";

/** Options of a {@link RouteCache}. */
export interface RouteCacheOptions {
  /** The FIB that misses are process switched through (the cache lives on its core). */
  fib: Fib;
  /** Memory budget of the cache in bytes (default 64 MiB): a miss that finds it full is process switched without an entry. */
  maxBytes?: number;
  /** Key of the cache's hash (default: random, or derived from the core's seed). */
  seed?: number | bigint;
  /** Outgoing interfaces by name (encapsulation, own MAC); others get the defaults. */
  interfaces?: Record<string, RouteCacheInterfaceOptions>;
  /** Interface names in index order: the i-th gets the cache's interface index i (a Dataplane's own order). */
  interfaceOrder?: readonly string[];
  /** `ip cache-ager-interval X Y Z` (default 60 4 20). */
  ager?: RouteCacheAgerOptions;
  /** `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD` (default 2 5 3 0). */
  invalidateDelay?: RouteCacheInvalidateDelayOptions;
  /** Free entry memory below which the ager takes the low-memory fraction (default 200 KiB, the seed's "200k"). */
  lowMemoryBytes?: number;
  /** Upper bound on the entries, below what `maxBytes` holds (default: what `maxBytes` holds). */
  maxEntries?: number;
  /** Neighbours (ARP rewrites) the cache can hold (default 65536). */
  maxNeighbors?: number;
  /** FIB adjacency ids the cache can rewrite to: ids at or above it are process switched (default 65536). */
  maxAdjacencies?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 ** 2;
/** Bytes of one entry: the `bytes` that `show ip cache` reports per entry. */
export const ROUTE_CACHE_ENTRY_BYTES = 64;
const CHUNK = 8192;
const COUNTER_NAMES: (keyof RouteCacheCounters)[] = [
  "lookups",
  "fastSwitched",
  "processSwitched",
  "adds",
  "invalidates",
  "aged",
  "invalidatedFull",
  "cleared",
  "arpInvalidated",
  "noMemory",
  "noRoute",
  "unresolved",
  "uncacheable",
  "fullInvalidations",
  "invalidationRequests",
  "agerRuns",
  "agerExamined",
  "agerLowMemoryRuns",
];
const ADJ_VALID = 1;
const ADJ_ATTACHED = 2;
const ADJ_STATIC_MAC = 4;
const MAX_INTERFACES = 4096;

/** What a switched batch gives back: a verdict code and the outgoing adjacency per packet. */
export interface RouteCacheBatchResult {
  /** Per packet: 1 fast, 2 process (entry built), 3 no memory, 4 uncacheable, 5 unresolved, 6 no route ({@link ROUTE_CACHE_VERDICTS}). */
  verdicts: Uint8Array;
  /** Per packet: the adjacency it leaves by (0 when it has none: dropped, or waiting for ARP). */
  adjacencies: Uint32Array;
  /** Packets fast switched. */
  fastSwitched: number;
}

/**
 * A demand-filled route cache in front of a {@link Fib}, as IOS fast switching keeps it.
 *
 * @example
 * ```ts
 * const fib = new Fib();
 * const gw = fib.addAdjacency({ interface: "Ethernet1", nextHop: "192.0.2.1" });
 * fib.insert("10.0.0.0/8", gw);
 * const cache = new RouteCache({ fib, ager: { intervalSeconds: 60, lowMemoryDivisor: 5, normalDivisor: 25 } });
 * cache.setNeighbor("192.0.2.1", "00:00:0c:34:a7:fc", 0); // ARP resolved the next hop
 * cache.fill("10.1.2.3", 0); // "process": the first packet is process switched
 * cache.fill("10.9.9.9", 0); // "fast": 10.0.0.0/8 is cached
 * ```
 */
export class RouteCache {
  /** The core the cache lives on (its FIB's). */
  readonly core: Core;
  /** The FIB misses go through. */
  readonly fib: Fib;
  /** Entries the memory budget holds. */
  readonly maxEntries: number;
  readonly #attachment: CoreAttachment;
  #wasm: WasmExports;
  #views: HeapViews;
  readonly #handle: number;
  readonly #scratch: number;
  readonly #interfaceOptions: Record<string, RouteCacheInterfaceOptions>;
  readonly #interfaceIndex = new Map<string, number>();
  readonly #interfaceNames: string[] = [];
  readonly #listener: (id: number) => void;
  readonly #maxAdjacencies: number;
  #timers: RouteCacheTimers = DEFAULT_TIMERS;
  #lowMemoryBytes: number;
  #staging = 0;
  #disposed = false;

  constructor(options: RouteCacheOptions) {
    checkOptionNames(
      options,
      [
        "fib",
        "maxBytes",
        "maxEntries",
        "seed",
        "interfaces",
        "interfaceOrder",
        "ager",
        "invalidateDelay",
        "lowMemoryBytes",
        "maxNeighbors",
        "maxAdjacencies",
      ],
      "RouteCache",
    );
    if (!(options.fib instanceof Fib))
      throw new ConfigError("route-cache-fib", `invalid fib ${describe(options.fib)}: expected a Fib`, options.fib);
    const maxBytes = options.maxBytes ?? Math.min(DEFAULT_MAX_BYTES, options.fib.core.availableBytes);
    if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes < 0 || maxBytes > 3.5 * 1024 ** 3) {
      throw new ConfigError("route-cache-max-bytes", `invalid maxBytes ${describe(maxBytes)}: expected 0 to 3.5 GiB`, maxBytes);
    }
    const maxNeighbors = positive(options.maxNeighbors ?? 65536, "maxNeighbors", 1 << 24);
    const maxEntries = positive(options.maxEntries ?? 0x40000000, "maxEntries", 0x40000000);
    this.#maxAdjacencies = positive(options.maxAdjacencies ?? 65536, "maxAdjacencies", 1 << 24);
    this.#lowMemoryBytes = options.lowMemoryBytes ?? DEFAULT_LOW_MEMORY_BYTES;
    if (typeof this.#lowMemoryBytes !== "number" || !(this.#lowMemoryBytes >= 0)) {
      throw new ConfigError("route-cache-option", `invalid lowMemoryBytes ${describe(options.lowMemoryBytes)}`, options.lowMemoryBytes);
    }
    let timers = DEFAULT_TIMERS;
    if (options.ager !== undefined) timers = resolveAger(timers, options.ager);
    if (options.invalidateDelay !== undefined) timers = resolveInvalidateDelay(timers, options.invalidateDelay);
    this.#interfaceOptions = options.interfaces ?? {};
    if (this.#interfaceOptions === null || typeof this.#interfaceOptions !== "object") {
      throw new ConfigError("route-cache-interface", `invalid interfaces ${describe(options.interfaces)}`, options.interfaces);
    }
    const order = options.interfaceOrder ?? [];
    if (!Array.isArray(order) || order.some((name) => typeof name !== "string")) {
      throw new ConfigError("route-cache-interface", `invalid interfaceOrder ${describe(order)}: expected interface names`, order);
    }
    this.fib = options.fib;
    this.core = options.fib.core;
    this.#attachment = this.core.attach("route-cache", maxBytes, () => this.usedBytes());
    this.#wasm = this.core.wasm;
    this.#views = this.core.views;
    const [low, high] = this.core.componentSeed(options.seed);
    this.#handle = this.#wasm.routeCacheCreate(this.fib.handle, maxBytes, maxEntries, maxNeighbors, this.#maxAdjacencies, low, high);
    if (this.#handle === 0) {
      this.core.detach(this.#attachment);
      throw new CapacityError(
        "route-cache-max-bytes",
        `cannot make a route cache in maxBytes ${maxBytes}: its fixed tables (major-network memo, interfaces, adjacencies, neighbours) need more`,
        maxBytes,
      );
    }
    this.maxEntries = this.#wasm.routeCacheMaxEntries(this.#handle);
    this.#scratch = this.#wasm.alloc(256);
    for (const name of order) this.#interface(name);
    for (const name of Object.keys(this.#interfaceOptions)) this.#interface(name);
    this.#setTimers(timers);
    this.#listener = (id) => this.#syncAdjacency(id);
    for (const adjacency of this.fib.adjacencies()) this.#syncAdjacency(adjacency.id);
    this.fib.onAdjacencyChange(this.#listener);
  }

  // -------------------------------------------------------------------------------------------
  // Configuration

  /** The ager and invalidation settings in force. */
  get timers(): RouteCacheTimers {
    return { ...this.#timers };
  }

  /**
   * Applies an IOS configuration line: `ip cache-ager-interval X Y Z` (or `ip cache-ager X Y Z`),
   * `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD`, or their `no` forms.
   * @throws ConfigError naming the line.
   */
  configure(line: string): void {
    this.#setTimers(applyCommand(this.#timers, line));
  }

  #setTimers(timers: RouteCacheTimers): void {
    this.#timers = timers;
    const w = this.#wasm;
    w.routeCacheSetAger(
      this.#handle,
      timers.agerIntervalSeconds * 1000,
      timers.agerLowMemoryDivisor,
      timers.agerNormalDivisor,
      this.#lowMemoryBytes,
    );
    w.routeCacheSetInvalidateDelay(
      this.#handle,
      timers.minimumSeconds * 1000,
      timers.maximumSeconds * 1000,
      timers.quietSeconds,
      timers.threshold,
    );
  }

  /** The cache's index of an interface name (registered with its encapsulation on first use). */
  #interface(name: string): number {
    const known = this.#interfaceIndex.get(name);
    if (known !== undefined) return known;
    const index = this.#interfaceNames.length;
    if (index >= MAX_INTERFACES)
      throw new InterfaceError("route-cache-interfaces", `too many interfaces (${MAX_INTERFACES}) at ${name}`, name);
    const options = this.#interfaceOptions[name];
    const encapsulation = encapsulationOf(name, options);
    const mac = interfaceMac(options);
    this.#views.refresh().u8.set(mac, this.#scratch);
    this.#wasm.routeCacheSetInterface(this.#handle, index, encapsulation === "hdlc" ? 1 : 0, this.#scratch);
    this.#interfaceIndex.set(name, index);
    this.#interfaceNames.push(name);
    return index;
  }

  /** Copies what the cache needs of FIB adjacency `id` (or forgets it when it is gone). */
  #syncAdjacency(id: number): void {
    if (id >= this.#maxAdjacencies) return;
    const adjacency = this.fib.adjacency(id);
    let flags = 0;
    let ifIndex = 0;
    let nextHop = 0;
    const mac = new Uint8Array(6);
    if (adjacency !== undefined && adjacency.kind === "neighbor" && adjacency.interface !== undefined) {
      const next = adjacency.nextHop === undefined ? undefined : parseAddress(adjacency.nextHop);
      if (next === undefined || next.family === 4) {
        flags = ADJ_VALID;
        ifIndex = this.#interface(String(adjacency.interface));
        if (next === undefined) flags |= ADJ_ATTACHED;
        else nextHop = next.words[0]!;
        if (adjacency.mac !== undefined) {
          flags |= ADJ_STATIC_MAC;
          mac.set(parseMac(adjacency.mac));
        }
      }
    }
    this.#views.refresh().u8.set(mac, this.#scratch);
    this.#wasm.routeCacheSetAdjacency(this.#handle, id, flags, ifIndex, nextHop, this.#scratch);
  }

  // -------------------------------------------------------------------------------------------
  // Switching

  /**
   * Switches a batch of IPv4 destinations at `now` (ms): hits are fast switched; each miss is
   * process switched through the FIB, and leaves an entry behind unless the budget is full.
   * Results never depend on how a stream is cut into batches.
   * @throws TimeError for a bad `now`.
   */
  switchBatch(destinations: Uint32Array, now: number, out?: Partial<RouteCacheBatchResult>): RouteCacheBatchResult {
    checkNow(now);
    if (!(destinations instanceof Uint32Array)) throw new TypeError("switchBatch: expected a Uint32Array of destinations");
    const count = destinations.length;
    const verdicts = out?.verdicts ?? new Uint8Array(count);
    const adjacencies = out?.adjacencies ?? new Uint32Array(count);
    if (verdicts.length < count || adjacencies.length < count) throw new RangeError(`switchBatch: outputs need room for ${count} packets`);
    const staging = this.#stagingArea();
    let fast = 0;
    if (count === 0) this.#wasm.routeCacheAdvance(this.#handle, now);
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      this.#views.refresh().u32.set(destinations.subarray(start, start + n), staging >>> 2);
      fast += this.#wasm.routeCacheSwitchBatch(this.#handle, staging, n, now, staging + CHUNK * 8, staging + CHUNK * 4);
      const views = this.#views.refresh();
      adjacencies.set(views.u32.subarray((staging + CHUNK * 4) >>> 2, ((staging + CHUNK * 4) >>> 2) + n), start);
      verdicts.set(views.u8.subarray(staging + CHUNK * 8, staging + CHUNK * 8 + n), start);
    }
    return { verdicts, adjacencies, fastSwitched: fast };
  }

  /**
   * Looks a batch up without filling: `out[i]` gets the cached adjacency of `destinations[i]`,
   * 0 on a miss (then {@link fill} process-switches it). Returns the hits.
   */
  lookupBatch(destinations: Uint32Array, now: number, out: Uint32Array = new Uint32Array(destinations.length)): number {
    checkNow(now);
    if (!(destinations instanceof Uint32Array) || !(out instanceof Uint32Array) || out.length < destinations.length) {
      throw new TypeError("lookupBatch: expected (Uint32Array, now, Uint32Array of at least as many)");
    }
    const staging = this.#stagingArea();
    let hits = 0;
    for (let start = 0; start < destinations.length; start += CHUNK) {
      const n = Math.min(CHUNK, destinations.length - start);
      this.#views.refresh().u32.set(destinations.subarray(start, start + n), staging >>> 2);
      hits += this.#wasm.routeCacheLookupBatch(this.#handle, staging, n, now, staging + CHUNK * 4, 0);
      const u32 = this.#views.refresh().u32;
      out.set(u32.subarray((staging + CHUNK * 4) >>> 2, ((staging + CHUNK * 4) >>> 2) + n), start);
    }
    return hits;
  }

  /** Switches one packet to `destination`: `fast` when cached, else process switched (see {@link RouteCacheVerdict}). */
  fill(destination: IPv4Input, now: number): RouteCacheVerdict {
    checkNow(now);
    return ROUTE_CACHE_VERDICTS[this.#wasm.routeCacheFill(this.#handle, toIPv4(destination), now)]!;
  }

  /** Runs the invalidation and ager work due at `now` (every switching call does it too). */
  advance(now: number): void {
    this.#wasm.routeCacheAdvance(this.#handle, checkNow(now));
  }

  // -------------------------------------------------------------------------------------------
  // Invalidation

  /** A whole-cache invalidation request (FIB changes request one by themselves), applied per `ip cache-invalidate-delay`. */
  requestInvalidation(now: number): void {
    this.#wasm.routeCacheRequestInvalidation(this.#handle, checkNow(now));
  }

  /**
   * `clear ip cache`: every entry (and its memory); with a prefix, `clear ip cache PREFIX MASK`:
   * the entries overlapping it. Returns the entries removed.
   */
  clear(now: number, prefix?: PrefixInput): number {
    checkNow(now);
    if (prefix === undefined) return this.#wasm.routeCacheClear(this.#handle, 0, 33, now);
    const p = parsePrefix(prefix);
    if (p.family !== 4) throw new ConfigError("route-cache-prefix", `invalid prefix ${describe(prefix)}: the route cache is IPv4`, prefix);
    return this.#wasm.routeCacheClear(this.#handle, p.words[0]!, p.length, now);
  }

  /**
   * ARP resolved (or re-resolved) a neighbour: its MAC becomes the rewrite of entries through
   * it; when the MAC changed, the entries built with the old one are invalidated. Returns how
   * many were.
   * @throws CapacityError when the neighbour table is full.
   */
  setNeighbor(address: IPv4Input, mac: MacInput, now: number): number {
    checkNow(now);
    const ip = toIPv4(address);
    this.#views.refresh().u8.set(parseMac(mac), this.#scratch);
    const status = this.#wasm.routeCacheSetNeighbor(this.#handle, ip, this.#scratch, now);
    if (status < 0)
      throw new CapacityError("route-cache-neighbors", `cannot add neighbour ${formatIPv4(ip)}: the neighbour table is full`, address);
    return this.#wasm.routeCacheLastInvalidated(this.#handle);
  }

  /** ARP lost a neighbour: the entries through it are invalidated. Returns how many. */
  removeNeighbor(address: IPv4Input, now: number): number {
    checkNow(now);
    this.#wasm.routeCacheRemoveNeighbor(this.#handle, toIPv4(address), now);
    return this.#wasm.routeCacheLastInvalidated(this.#handle);
  }

  // -------------------------------------------------------------------------------------------
  // Inspection

  /** Counters and the state `show ip cache` prints. */
  statistics(): RouteCacheStatistics {
    this.#wasm.routeCacheStats(this.#handle, this.#scratch);
    const f = this.#views.refresh().f64;
    const base = this.#scratch >>> 3;
    const counters = Object.fromEntries(COUNTER_NAMES.map((name, i) => [name, f[base + i]!])) as unknown as RouteCacheCounters;
    const o = base + COUNTER_NAMES.length;
    const pending = f[o + 6]!;
    return {
      ...counters,
      entries: f[o]!,
      maxEntries: f[o + 1]!,
      entryBytes: f[o]! * ROUTE_CACHE_ENTRY_BYTES,
      lastFullInvalidationMs: f[o + 5]!,
      pendingSinceMs: pending < 0 ? undefined : pending,
      requestsLastSecond: f[o + 7]!,
      requestsLastQuiet: f[o + 8]!,
      nowMs: f[o + 9]!,
    };
  }

  /** Bytes the cache holds in its core's memory now (fixed tables plus the entries' segments). */
  usedBytes(): number {
    this.#wasm.routeCacheStats(this.#handle, this.#scratch);
    return this.#views.refresh().f64[(this.#scratch >>> 3) + COUNTER_NAMES.length + 2]!;
  }

  /** The entries in creation order (the ager's order); with a prefix, those inside it (`show ip cache PREFIX MASK`). */
  entries(prefix?: PrefixInput): RouteCacheEntry[] {
    const filter = prefix === undefined ? undefined : parsePrefix(prefix);
    const out: RouteCacheEntry[] = [];
    const w = this.#wasm;
    for (let e = w.routeCacheNextEntry(this.#handle, 0); e !== 0; e = w.routeCacheNextEntry(this.#handle, e)) {
      w.routeCacheEntry(this.#handle, e, this.#scratch);
      const views = this.#views.refresh();
      const f = views.f64.subarray(this.#scratch >>> 3, (this.#scratch >>> 3) + 8);
      const network = f[0]!;
      const length = f[1]!;
      if (filter !== undefined && !within(network, length, filter.words[0]!, filter.length)) continue;
      const headerBytes = f[6]!;
      const headerAt = w.routeCacheEntryHeader(this.#handle, e);
      const header = [...this.#views.refresh().u8.subarray(headerAt, headerAt + headerBytes)]
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("")
        .toUpperCase();
      const entry: RouteCacheEntry = {
        prefix: formatPrefix({ family: 4, words: Uint32Array.of(network), length }),
        createdMs: f[5]!,
        interface: this.#interfaceNames[f[2]!] ?? String(f[2]),
        adjacency: f[3]!,
        header,
        used: f[7]! !== 0,
      };
      if (f[4]! !== 0) entry.nextHop = formatIPv4(f[4]!);
      out.push(entry);
    }
    return out;
  }

  /**
   * Frees the cache's memory in its core and gives its reservation back; a disposed cache
   * refuses every call (ConfigError "disposed"). Idempotent. Also `Symbol.dispose`.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.fib.offAdjacencyChange(this.#listener);
    const w = this.#wasm;
    w.routeCacheDestroy(this.#handle);
    w.free(this.#scratch);
    if (this.#staging !== 0) w.free(this.#staging);
    this.#staging = 0;
    this.#wasm = disposedCore("RouteCache");
    this.#views = disposedCore("RouteCache");
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** @internal The cache's record in its core's memory, for a pipeline stage in WebAssembly. */
  get handle(): number {
    return this.#handle;
  }

  #stagingArea(): number {
    if (this.#staging === 0) this.#staging = this.#wasm.alloc(CHUNK * 9);
    return this.#staging;
  }
}

function positive(value: unknown, name: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError("route-cache-option", `invalid ${name} ${describe(value)}: expected an integer from 1 to ${max}`, value);
  }
  return value;
}

/** True when `network`/`length` lies inside `prefix`/`prefixLength`. */
function within(network: number, length: number, prefix: number, prefixLength: number): boolean {
  if (length < prefixLength) return false;
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return ((network ^ prefix) & mask) >>> 0 === 0;
}
