/**
 * The FIB: Cisco Express Forwarding's forwarding table and adjacency table (Cisco Doc 12808,
 * "Dealing with mallocfail and High CPU Utilization Resulting From the Code Red Worm"): built
 * from the routing table before the first packet, no cache and no ager, a route deleted only
 * when the routing table deletes it. Longest-prefix lookups run in WebAssembly over a 16-8-8
 * multibit trie (see assembly/fib/ply-trie.ts).
 */

import { AdjacencyError, CapacityError, ConfigError, DataplaneError, PrefixError, describe } from "../errors.js";
import { type AddressInput, type Family, parseAddress, formatIPv4, formatIPv6, toIPv4 } from "../net/address.js";
import { type PrefixInput, parsePrefix, formatPrefix, networkWords } from "../net/prefix.js";
import { type MacInput, parseMac, formatMac } from "../net/mac.js";
import type { WasmExports } from "../wasm/exports.js";
import type { HeapViews } from "../wasm/views.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import { checkOptionNames } from "../common/validation.js";
import { fmix64 } from "../common/mix.js";
import { PacketBatch } from "../packet/batch.js";

/** The special adjacencies of CEF, present in every FIB with these ids. */
export const SpecialAdjacency = {
  /** Null0: traffic to the route is dropped silently. */
  null: 1,
  /** Punt: the packet goes to the slow path (process switching). */
  punt: 2,
  /** Drop: the packet is dropped (and counted). */
  drop: 3,
  /** Glean: a directly connected subnet; the next hop must be resolved with ARP first. */
  glean: 4,
  /** Discard: the packet is discarded. */
  discard: 5,
} as const;

/** The kind of an adjacency. */
export type AdjacencyKind = keyof typeof SpecialAdjacency | "neighbor";

const NEIGHBOR_KIND = 6;
const LOAD_SHARE_KIND = 7;
/** Most paths a load-shared route may have (CEF's 16 buckets). */
export const MAX_LOAD_SHARE_PATHS = 16;

/** What `addAdjacency` takes: the outgoing interface, the next hop, and its MAC address. */
export interface AdjacencyOptions {
  /** Outgoing interface, by name (`"GigabitEthernet0/1"`) or index. */
  interface: string | number;
  /** Next-hop address (either family). */
  nextHop?: AddressInput;
  /** Layer-2 rewrite: the next hop's MAC address. */
  mac?: MacInput;
}

/** An adjacency as `adjacency()` reports it. */
export interface Adjacency {
  id: number;
  kind: AdjacencyKind;
  interface?: string | number;
  nextHop?: string;
  mac?: string;
  /** Number of routes pointing at it. */
  routes: number;
}

/** Options of a {@link Fib}. */
export interface FibOptions {
  /**
   * Memory budget for routes, tries and adjacencies, in bytes (default 1 GiB). An update that
   * would exceed it is refused with a {@link CapacityError} and changes nothing.
   */
  maxBytes?: number;
  /** Key of the route tables' hash (default: random, or derived from the core's seed). Fix it for reproducible layouts. */
  seed?: number | bigint;
  /** The core to live on (default: a new one of its own). */
  core?: Core;
}

/** Counters of one address family, as `show ip cef summary` reports them. */
export interface FibFamilySummary {
  /** Routes (prefixes) in the table. */
  routes: number;
  /** FIB leaves: one per route, as in IOS. */
  leaves: number;
  /** Trie nodes: the root and the 256-entry plies below it. */
  nodes: number;
  /** Bytes held by this family's trie and route table. */
  bytes: number;
  /** Routes added. */
  inserts: number;
  /** Routes deleted. */
  invalidations: number;
  /** Existing routes that changed adjacency ("revisions of existing leaves"). */
  revisions: number;
  /** Updates refused for lack of memory ("aborted modifications"). */
  aborted: number;
  /** Highest number of routes seen. */
  peak: number;
  /** Width of the trie's ply entries: 16 bits until an adjacency id or ply index needs more. */
  entryBits: 16 | 32;
  /** Trie entries that hold a route, and that point at a child node (IOS "refcounts"). */
  refcounts: { leaf: number; node: number };
}

/** The FIB's `show ip cef summary` counters: totals over both families, and each family. */
export interface FibSummary {
  /** Incremented by every change to the table. */
  tableVersion: number;
  routes: number;
  leaves: number;
  nodes: number;
  /** Bytes held by the whole FIB (both families and the adjacency table). */
  bytes: number;
  inserts: number;
  invalidations: number;
  revisions: number;
  aborted: number;
  /** Table resets (`clear()`). */
  resets: number;
  /** Adjacencies, the five special ones included. */
  adjacencies: number;
  /** The memory budget, in bytes. */
  budgetBytes: number;
  /** Identifier of this FIB's hash key, shown as the load-sharing id. */
  hashId: string;
  /** Load-sharing elements (one per distinct set of paths), their bytes and references. */
  loadSharing: FibLoadSharingSummary;
  /** Trie entries that hold a route, and that point at a child node (IOS "refcounts"). */
  refcounts: { leaf: number; node: number };
  ipv4: FibFamilySummary;
  ipv6: FibFamilySummary;
}

/** A route as listed by `routes()`. */
export interface Route {
  prefix: string;
  family: Family;
  /** The route's adjacency, or the id of its load-sharing element when it has several paths. */
  adjacency: number;
  /** The paths of a load-shared route (absent for a single path). */
  paths?: number[];
}

/** `show ip cef summary`'s load-sharing line: elements, their bytes, the routes that use them. */
export interface FibLoadSharingSummary {
  elements: number;
  bytes: number;
  references: number;
}

/** Bytes of a trie root: 65536 entries and their start masks, u32 each. */
const ROOT_BYTES = 65536 * 8;
const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** The special adjacencies every FIB holds (null, punt, drop, glean, discard). */
const SPECIAL_ADJACENCIES = 5;
/** The least budget that holds the special adjacencies (measured on the core's allocator). */
const MIN_FIB_BYTES = 320;
const CHUNK = 16384;
const STATUS_NEW = 0;
const NO_MEMORY = -1;
const BAD_ADJACENCY = -2;
const BAD_LENGTH = -3;
const HOST_BITS = -4;

/**
 * A longest-prefix-match forwarding table for IPv4 and IPv6 with a CEF adjacency table.
 *
 * @example
 * ```ts
 * const fib = new Fib();
 * const gw = fib.addAdjacency({ interface: "Gi0/1", nextHop: "192.0.2.1", mac: "00:00:0c:12:34:56" });
 * fib.insert("10.0.0.0/8", gw);
 * fib.insert("10.1.0.0/16", SpecialAdjacency.null);
 * fib.lookup("10.2.3.4"); // gw
 * ```
 */
export class Fib {
  /** The core the FIB lives on. */
  readonly core: Core;
  readonly #attachment: CoreAttachment;
  readonly #wasm: WasmExports;
  readonly #handle: number;
  readonly #views: HeapViews;
  readonly #adjacencies = new Map<number, { kind: AdjacencyKind; interface?: string | number; nextHop?: string; mac?: string }>();
  readonly #hashId: string;
  /** Scratch: 16 bytes for one IPv6 address, then 96 bytes of counters. */
  readonly #scratch: number;
  #staging = 0;
  /** Load-sharing elements by their sorted path list, and the count of frees last seen. */
  readonly #elements = new Map<string, number>();
  #elementFrees = 0;
  readonly #listeners: ((id: number) => void)[] = [];
  readonly #loadSharingKey: bigint;

  constructor(options: FibOptions = {}) {
    checkOptionNames(options, ["maxBytes", "seed", "core"], "Fib");
    const core = coreFrom(options);
    const maxBytes = options.maxBytes ?? Math.min(DEFAULT_MAX_BYTES, core.availableBytes);
    if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes < 0 || maxBytes > 3.5 * 1024 ** 3) {
      throw new ConfigError("fib-max-bytes", `invalid maxBytes ${describe(maxBytes)}: expected 0 to 3.5 GiB`, maxBytes);
    }
    const [low, high] = core.componentSeed(options.seed);
    this.core = core;
    this.#attachment = core.attach("fib", maxBytes, () => this.#usedBytes(), "maxBytes", maxBytes);
    this.#wasm = core.wasm;
    this.#handle = this.#wasm.fibCreate(maxBytes, low, high);
    if (this.#wasm.fibAdjacencyCount(this.#handle) < SPECIAL_ADJACENCIES) {
      // The budget cannot even hold the five special adjacencies (320 bytes): refuse it here
      // rather than let every later call fail with a puzzling "no adjacency".
      core.detach(this.#attachment);
      throw new CapacityError(
        "fib-max-bytes",
        `maxBytes ${describe(maxBytes)} cannot hold the FIB's special adjacencies: give at least ${MIN_FIB_BYTES} bytes`,
        maxBytes,
      );
    }
    this.#scratch = this.#wasm.alloc(128);
    this.#views = core.views;
    this.#hashId = (Math.imul(low ^ high, 0x9e3779b1) >>> 0).toString(16).toUpperCase().padStart(8, "0");
    this.#loadSharingKey = loadSharingKeyOf((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
    for (const [kind, id] of Object.entries(SpecialAdjacency)) this.#adjacencies.set(id, { kind: kind as AdjacencyKind });
  }

  // -------------------------------------------------------------------------------------------
  // Adjacencies

  /**
   * Adds a neighbour adjacency (outgoing interface, next hop, MAC rewrite) and returns its id.
   * Ids are small integers, reused after `removeAdjacency`.
   */
  addAdjacency(options: AdjacencyOptions): number {
    if (options === null || typeof options !== "object") {
      throw new AdjacencyError(
        "adjacency-options",
        `invalid adjacency ${describe(options)}: expected { interface, nextHop?, mac? }`,
        options,
      );
    }
    checkOptionNames(options, ["interface", "nextHop", "mac"], "Fib.addAdjacency");
    const name = options.interface;
    if (!(typeof name === "string" && name.length > 0) && !(typeof name === "number" && Number.isInteger(name) && name >= 0)) {
      throw new AdjacencyError("adjacency-interface", `invalid adjacency interface ${describe(name)}: expected a name or an index`, name);
    }
    const record: { kind: AdjacencyKind; interface: string | number; nextHop?: string; mac?: string } = {
      kind: "neighbor",
      interface: name,
    };
    if (options.nextHop !== undefined) {
      const address = parseAddress(options.nextHop);
      record.nextHop = address.family === 4 ? formatIPv4(address.words[0]!) : formatIPv6(address.words);
    }
    if (options.mac !== undefined) record.mac = formatMac(parseMac(options.mac));
    this.#syncElements();
    const id = this.#wasm.fibAdjacencyAdd(this.#handle, NEIGHBOR_KIND);
    if (id === 0) throw new CapacityError("fib-full", "cannot add an adjacency: the FIB's memory budget is exhausted", options);
    this.#adjacencies.set(id, record);
    for (const listener of this.#listeners) listener(id);
    return id;
  }

  /**
   * The 64-bit key of the per-destination path choice (derived from the FIB's seed): the path
   * of a load-shared route for destination d is bucket `fmix64(d ^ key) >> 60` of its element
   * (see {@link loadShareBucket}). Twins and simulators use it to reproduce the choice.
   */
  get loadSharingKey(): bigint {
    return this.#loadSharingKey;
  }

  /** @internal Calls `listener(id)` whenever an adjacency is added or removed (the route cache's rewrite table). */
  onAdjacencyChange(listener: (id: number) => void): void {
    this.#listeners.push(listener);
  }

  /** @internal Stops calling a listener given to {@link onAdjacencyChange}. */
  offAdjacencyChange(listener: (id: number) => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  /** @internal The FIB's record in its core's memory (the route cache reads it in place). */
  get handle(): number {
    return this.#handle;
  }

  /** Removes an adjacency. Refused for special adjacencies and for adjacencies that routes use. */
  removeAdjacency(id: number): void {
    const status = this.#wasm.fibAdjacencyRemove(this.#handle, id >>> 0);
    if (status === -1 || !this.#adjacencies.has(id)) {
      throw new AdjacencyError("adjacency-unknown", `cannot remove adjacency ${describe(id)}: no such (non-special) adjacency`, id);
    }
    if (status === -2) {
      const routes = this.#wasm.fibAdjacencyRefs(this.#handle, id);
      throw new AdjacencyError("adjacency-in-use", `cannot remove adjacency ${id}: ${routes} routes use it`, id);
    }
    this.#adjacencies.delete(id);
    for (const listener of this.#listeners) listener(id);
  }

  /** An adjacency by id, or undefined. */
  adjacency(id: number): Adjacency | undefined {
    const record = this.#adjacencies.get(id);
    if (record === undefined) return undefined;
    return { id, ...record, routes: this.#wasm.fibAdjacencyRefs(this.#handle, id) };
  }

  /** Every adjacency, specials first. */
  adjacencies(): Adjacency[] {
    return [...this.#adjacencies.keys()].sort((a, b) => a - b).map((id) => this.adjacency(id)!);
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  /**
   * Adds a route, or points an existing one at another adjacency. Returns true when the route
   * is new. Given several adjacencies (up to 16), the route is load-shared: each destination
   * takes one path, chosen by a keyed hash of the address (CEF's universal per-destination
   * algorithm); routes with the same set of paths share one load-sharing element.
   * @throws PrefixError for an invalid prefix; AdjacencyError for an unknown adjacency or a bad
   *   path list; CapacityError when the memory budget cannot hold it (nothing is changed then).
   */
  insert(prefix: PrefixInput, adjacency: number | readonly number[]): boolean {
    const p = parsePrefix(prefix);
    if (Array.isArray(adjacency)) adjacency = this.#element(prefix, adjacency);
    if (typeof adjacency !== "number" || adjacency !== adjacency >>> 0) this.#updateFailed(BAD_ADJACENCY, prefix, adjacency);
    const w = p.words;
    const status = this.#wasm.fibInsert(this.#handle, p.family, w[0]!, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0, p.length, adjacency);
    if (status < 0) this.#updateFailed(status, prefix, adjacency);
    return status === STATUS_NEW;
  }

  /** Deletes a route; the addresses it covered fall back to the next-longest match. Returns whether it existed. */
  delete(prefix: PrefixInput): boolean {
    const p = parsePrefix(prefix);
    const w = p.words;
    return this.#wasm.fibDelete(this.#handle, p.family, w[0]!, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0, p.length) === 1;
  }

  /** The paths of exactly this prefix (one adjacency, or the load-shared ones), or undefined when it is not a route. */
  paths(prefix: PrefixInput): number[] | undefined {
    const value = this.get(prefix);
    if (value === undefined) return undefined;
    return this.#wasm.fibAdjacencyKind(this.#handle, value) === LOAD_SHARE_KIND ? this.#elementPaths(value) : [value];
  }

  /**
   * The adjacency of exactly this prefix (for a load-shared route, its load-sharing element's
   * id; see {@link paths}), or undefined when it is not a route.
   */
  get(prefix: PrefixInput): number | undefined {
    const p = parsePrefix(prefix);
    const w = p.words;
    const value = this.#wasm.fibGet(this.#handle, p.family, w[0]!, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0, p.length) >>> 0;
    return value === 0xffffffff ? undefined : value;
  }

  /** Number of routes (of one family, or of both). */
  size(family?: Family): number {
    const stats = this.#familyCounters(family ?? 4, false);
    if (family !== undefined) return stats[0]!;
    return stats[0]! + this.#familyCounters(6, false)[0]!;
  }

  /** Every route of one family (or both), in no particular order. */
  *routes(family?: Family): IterableIterator<Route> {
    const families: Family[] = family === undefined ? [4, 6] : [family];
    for (const f of families) {
      const w = this.#wasm;
      for (
        let cursor = w.fibRouteNext(this.#handle, f, 0);
        cursor < w.fibRouteCapacity(this.#handle, f);
        cursor = w.fibRouteNext(this.#handle, f, cursor + 1)
      ) {
        const meta = w.fibRouteMeta();
        const words = f === 4 ? Uint32Array.of(w.fibKey(0)) : Uint32Array.of(w.fibKey(0), w.fibKey(1), w.fibKey(2), w.fibKey(3));
        const adjacency = meta & 0xffffff;
        const route: Route = { prefix: formatPrefix({ family: f, words, length: meta >>> 24 }), family: f, adjacency };
        if (w.fibAdjacencyKind(this.#handle, adjacency) === LOAD_SHARE_KIND) route.paths = this.#elementPaths(adjacency);
        yield route;
      }
    }
  }

  /** The adjacency for an address (longest match), or 0 when no route covers it. */
  lookup(address: AddressInput): number {
    if (typeof address === "number") return this.#wasm.fibLookup4(this.#handle, toIPv4(address)) >>> 0;
    const parsed = parseAddress(address);
    if (parsed.family === 4) return this.#wasm.fibLookup4(this.#handle, parsed.words[0]!) >>> 0;
    this.#views.refresh().u32.set(parsed.words, this.#scratch >>> 2);
    return this.#wasm.fibLookup6(this.#handle, this.#scratch) >>> 0;
  }

  /**
   * The route that forwards an address: its prefix and adjacency (what `show ip cef ADDR`
   * prints), or undefined when no route covers it. A diagnostic, slower than `lookup`.
   */
  match(address: AddressInput): { prefix: string; adjacency: number } | undefined {
    const parsed = parseAddress(address);
    const bits = parsed.family === 4 ? 32 : 128;
    for (let length = bits; length >= 0; length--) {
      const w = networkWords(parsed.words, length);
      const value = this.#wasm.fibGet(this.#handle, parsed.family, w[0]!, w[1] ?? 0, w[2] ?? 0, w[3] ?? 0, length) >>> 0;
      if (value !== 0xffffffff) return { prefix: formatPrefix({ family: parsed.family, words: w, length }), adjacency: value };
    }
    return undefined;
  }

  /**
   * IPv4 lookups for a batch: `out[i]` gets the adjacency of `addresses[i]`, 0 for no route; a
   * load-shared route gives the path chosen for that destination, or, with `sources`, for that
   * source-destination pair.
   */
  lookupBatch(addresses: Uint32Array, out: Uint32Array = new Uint32Array(addresses.length), sources?: Uint32Array): Uint32Array {
    checkBatch("lookupBatch", addresses, 1, out, addresses.length);
    if (sources === undefined) {
      this.#lookupChunks(addresses, out, 1, (a, o, n) => this.#wasm.fibLookup4Batch(this.#handle, a, o, n, 0));
      return out;
    }
    if (!(sources instanceof Uint32Array) || sources.length !== addresses.length) {
      throw new RangeError(`lookupBatch: sources must be a Uint32Array of ${addresses.length} addresses`);
    }
    const w = this.#wasm;
    const block = w.alloc(Math.min(CHUNK, addresses.length) * 12 + 4);
    try {
      for (let start = 0; start < addresses.length; start += CHUNK) {
        const n = Math.min(CHUNK, addresses.length - start);
        const u32 = this.#views.refresh().u32;
        const a = block >>> 2;
        u32.set(addresses.subarray(start, start + n), a);
        u32.set(sources.subarray(start, start + n), a + n);
        w.fibLookup4Batch(this.#handle, block, block + n * 8, n, block + n * 4);
        out.set(u32.subarray(a + 2 * n, a + 3 * n), start);
      }
    } finally {
      w.free(block);
    }
    return out;
  }

  /**
   * Looks up the destination of every packet of a {@link PacketBatch} on this FIB's core, reading
   * its columns in place (no copy): `out[i]` gets the adjacency of packet i (IPv4 or IPv6), 0 for
   * no route and for packets that are not IP.
   * @throws ConfigError (code `batch-core`) when the batch lives on another core.
   */
  lookupPackets(batch: PacketBatch, out: Uint32Array = new Uint32Array(batch.length)): Uint32Array {
    if (!(batch instanceof PacketBatch) || batch.core !== this.core) {
      throw new ConfigError(
        "batch-core",
        "the batch must live on the FIB's core: create it with new PacketBatch({ core: fib.core })",
        batch,
      );
    }
    const count = batch.length;
    if (!(out instanceof Uint32Array) || out.length < count) {
      throw new RangeError(`lookupPackets: out must be a Uint32Array of at least ${count} entries`);
    }
    const staging = this.#stagingArea() + CHUNK * 16;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      this.#wasm.fibLookupPacketBatch(this.#handle, batch.handle, start, n, staging);
      out.set(this.#views.refresh().u32.subarray(staging >>> 2, (staging >>> 2) + n), start);
    }
    return out;
  }

  /** IPv6 lookups for a batch: four u32 words per address (most significant first) in `addresses`. */
  lookupBatch6(addresses: Uint32Array, out: Uint32Array = new Uint32Array(addresses.length >>> 2)): Uint32Array {
    checkBatch("lookupBatch6", addresses, 4, out, addresses.length >>> 2);
    this.#lookupChunks(addresses, out, 4, (a, o, n) => this.#wasm.fibLookup6Batch(this.#handle, a, o, n));
    return out;
  }

  /**
   * Adds IPv4 routes from typed arrays in one call: `addresses[i]/lengths[i]` → `adjacencies[i]`.
   * All or nothing: an invalid route throws before anything changes, and a batch the budget
   * cannot hold is rolled back.
   */
  insertBatch(addresses: Uint32Array, lengths: Uint8Array, adjacencies: Uint32Array): void {
    this.#insertBatch(4, addresses, lengths, adjacencies);
  }

  /** IPv6 form of {@link insertBatch}: four u32 words per address. */
  insertBatch6(addresses: Uint32Array, lengths: Uint8Array, adjacencies: Uint32Array): void {
    this.#insertBatch(6, addresses, lengths, adjacencies);
  }

  /** Deletes IPv4 routes; returns how many existed. */
  deleteBatch(addresses: Uint32Array, lengths: Uint8Array): number {
    return this.#deleteBatch(4, addresses, lengths);
  }

  /** IPv6 form of {@link deleteBatch}. */
  deleteBatch6(addresses: Uint32Array, lengths: Uint8Array): number {
    return this.#deleteBatch(6, addresses, lengths);
  }

  /** Removes every route (a CEF reset); adjacencies stay. */
  clear(): void {
    this.#wasm.fibClear(this.#handle);
  }

  // -------------------------------------------------------------------------------------------
  // Statistics

  /** The counters of `show ip cef summary` (see {@link renderCefSummary}). */
  summary(): FibSummary {
    const ipv4 = this.#familySummary(4);
    const ipv6 = this.#familySummary(6);
    this.#wasm.fibStats(this.#handle, this.#scratch + 16);
    const f = this.#views.refresh().f64;
    const base = (this.#scratch + 16) >>> 3;
    return {
      tableVersion: f[base]!,
      routes: ipv4.routes + ipv6.routes,
      leaves: ipv4.leaves + ipv6.leaves,
      nodes: ipv4.nodes + ipv6.nodes,
      bytes: f[base + 2]!,
      inserts: ipv4.inserts + ipv6.inserts,
      invalidations: ipv4.invalidations + ipv6.invalidations,
      revisions: ipv4.revisions + ipv6.revisions,
      aborted: ipv4.aborted + ipv6.aborted,
      resets: f[base + 1]!,
      adjacencies: f[base + 6]!,
      budgetBytes: f[base + 3]!,
      hashId: this.#hashId,
      loadSharing: { elements: f[base + 7]!, bytes: f[base + 8]!, references: f[base + 9]! },
      refcounts: { leaf: ipv4.refcounts.leaf + ipv6.refcounts.leaf, node: ipv4.refcounts.node + ipv6.refcounts.node },
      ipv4,
      ipv6,
    };
  }

  #usedBytes(): number {
    const v4 = this.#familyCounters(4, false);
    const v6 = this.#familyCounters(6, false);
    return v4[2]! + v4[3]! + v6[2]! + v6[3]!;
  }

  /**
   * Gives the FIB's reservation back to its core; the FIB must not be used afterwards.
   * Also `Symbol.dispose`, so `using fib = new Fib({ core })` works.
   */
  dispose(): void {
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #familyCounters(family: Family, countRefs: boolean): Float64Array {
    this.#wasm.fibFamilyStats(this.#handle, family, this.#scratch + 16, countRefs);
    return this.#views.refresh().f64.slice((this.#scratch + 16) >>> 3, ((this.#scratch + 16) >>> 3) + 12);
  }

  #familySummary(family: Family): FibFamilySummary {
    const c = this.#familyCounters(family, true);
    const hasRoot = c[2]! >= ROOT_BYTES;
    return {
      routes: c[0]!,
      leaves: c[0]!,
      nodes: c[1]! + (hasRoot ? 1 : 0),
      bytes: c[2]! + c[3]!,
      inserts: c[4]!,
      invalidations: c[5]!,
      revisions: c[6]!,
      aborted: c[7]!,
      peak: c[8]!,
      entryBits: c[9]! > 0 ? 32 : 16,
      refcounts: { leaf: c[10]!, node: c[11]! },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** Drops the index entries of elements the WebAssembly side has freed since the last look. */
  #syncElements(): void {
    const frees = this.#wasm.fibLoadShareFrees(this.#handle);
    if (frees === this.#elementFrees) return;
    this.#elementFrees = frees;
    for (const [key, id] of this.#elements) {
      if (this.#wasm.fibAdjacencyKind(this.#handle, id) !== LOAD_SHARE_KIND) this.#elements.delete(key);
    }
  }

  /** The load-sharing element for a path list (found or made); a single path is just that adjacency. */
  #element(prefix: unknown, paths: readonly number[]): number {
    if (paths.length < 1 || paths.length > MAX_LOAD_SHARE_PATHS) {
      throw new AdjacencyError("load-share-paths", `cannot insert ${describe(prefix)}: expected 1 to 16 paths, got ${paths.length}`, paths);
    }
    for (const path of paths) {
      if (typeof path !== "number" || path !== path >>> 0 || this.#wasm.fibAdjacencyKind(this.#handle, path) === LOAD_SHARE_KIND) {
        this.#updateFailed(BAD_ADJACENCY, prefix, path);
      }
    }
    if (paths.length === 1) return paths[0]!;
    this.#syncElements();
    const sorted = [...paths].sort((a, b) => a - b);
    const key = sorted.join(",");
    const known = this.#elements.get(key);
    if (known !== undefined) return known;
    const block = this.#scratch + 16;
    this.#views.refresh().u32.set(sorted, block >>> 2);
    const id = this.#wasm.fibLoadShareCreate(this.#handle, block, sorted.length) >>> 0;
    if (id === 0) this.#updateFailed(NO_MEMORY, prefix, paths);
    if (id === 0xffffffff) {
      const bad = sorted.find((p) => this.#adjacencies.get(p) === undefined);
      this.#updateFailed(BAD_ADJACENCY, prefix, bad ?? paths);
    }
    this.#elements.set(key, id);
    return id;
  }

  #elementPaths(id: number): number[] {
    const count = this.#wasm.fibLoadSharePaths(this.#handle, id, this.#scratch + 16);
    return [...this.#views.refresh().u32.subarray((this.#scratch + 16) >>> 2, ((this.#scratch + 16) >>> 2) + count)];
  }

  #updateFailed(status: number, prefix: unknown, adjacency: unknown): never {
    switch (status) {
      case NO_MEMORY:
        throw new CapacityError(
          "fib-full",
          `cannot insert ${describe(prefix)}: the FIB's memory budget is exhausted (nothing changed)`,
          prefix,
        );
      case BAD_ADJACENCY:
        throw new AdjacencyError("adjacency-unknown", `cannot insert ${describe(prefix)}: no adjacency ${describe(adjacency)}`, adjacency);
      case BAD_LENGTH:
        throw new PrefixError("prefix-length", `invalid prefix ${describe(prefix)}: length out of range`, prefix);
      case HOST_BITS:
        throw new PrefixError("prefix-host-bits", `invalid prefix ${describe(prefix)}: host bits are set`, prefix);
      default:
        throw new DataplaneError("fib-status", `unexpected FIB status ${status}`, prefix);
    }
  }

  /** A staging area for CHUNK lookups: 16 bytes of input and 4 of output per address. */
  #stagingArea(): number {
    if (this.#staging === 0) this.#staging = this.#wasm.alloc(CHUNK * 20);
    return this.#staging;
  }

  #lookupChunks(
    addresses: Uint32Array,
    out: Uint32Array,
    words: number,
    run: (input: number, output: number, count: number) => void,
  ): void {
    const staging = this.#stagingArea();
    const input = staging >>> 2;
    const output = (staging + CHUNK * 16) >>> 2;
    const count = out.length;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const u32 = this.#views.refresh().u32;
      u32.set(addresses.subarray(start * words, (start + n) * words), input);
      run(staging, staging + CHUNK * 16, n);
      out.set(u32.subarray(output, output + n), start);
    }
  }

  #insertBatch(family: Family, addresses: Uint32Array, lengths: Uint8Array, adjacencies: Uint32Array): void {
    const words = family === 4 ? 1 : 4;
    const name = family === 4 ? "insertBatch" : "insertBatch6";
    const count = lengths.length;
    if (!(addresses instanceof Uint32Array) || !(lengths instanceof Uint8Array) || !(adjacencies instanceof Uint32Array)) {
      throw new ConfigError("argument", `${name}: expected (Uint32Array, Uint8Array, Uint32Array)`, addresses);
    }
    if (addresses.length !== count * words || adjacencies.length !== count) {
      throw new ConfigError(
        "argument",
        `${name}: ${count} lengths need ${count * words} address words and ${count} adjacencies, got ${addresses.length} and ${adjacencies.length}`,
        addresses,
      );
    }
    if (count === 0) return;
    const w = this.#wasm;
    const block = w.alloc(count * (words * 4 + 9));
    try {
      const a = block,
        v = block + count * words * 4,
        prev = v + count * 4,
        l = prev + count * 4;
      const views = this.#views.refresh();
      views.u32.set(addresses, a >>> 2);
      views.u32.set(adjacencies, v >>> 2);
      views.u8.set(lengths, l);
      const bad = w.fibValidateBatch(this.#handle, family, a, l, v, count);
      if (bad >= 0) {
        const reason = w.fibInvalidReason(this.#handle);
        const text = formatPrefixLoose(family, addresses.subarray(bad * words, bad * words + words), lengths[bad]!);
        const where = `${name}: route ${bad} (${text} -> ${adjacencies[bad]})`;
        if (reason === BAD_ADJACENCY) throw new AdjacencyError("adjacency-unknown", `${where}: no such adjacency`, adjacencies[bad]);
        if (reason === BAD_LENGTH) throw new PrefixError("prefix-length", `${where}: length must be 0 to ${family === 4 ? 32 : 128}`, text);
        throw new PrefixError("prefix-host-bits", `${where}: host bits are set`, text);
      }
      const done = w.fibInsertBatch(this.#handle, family, a, l, v, count, prev);
      if (done !== count) {
        throw new CapacityError("fib-full", `${name}: the FIB's memory budget cannot hold route ${done}; the batch was rolled back`, done);
      }
    } finally {
      w.free(block);
    }
  }

  #deleteBatch(family: Family, addresses: Uint32Array, lengths: Uint8Array): number {
    const words = family === 4 ? 1 : 4;
    const count = lengths.length;
    if (addresses.length !== count * words) {
      throw new ConfigError(
        "argument",
        `deleteBatch: ${count} lengths need ${count * words} address words, got ${addresses.length}`,
        addresses,
      );
    }
    if (count === 0) return 0;
    const w = this.#wasm;
    const block = w.alloc(count * (words * 4 + 2));
    try {
      const a = block,
        l = block + count * words * 4,
        r = l + count;
      const views = this.#views.refresh();
      views.u32.set(addresses, a >>> 2);
      views.u8.set(lengths, l);
      return w.fibDeleteBatch(this.#handle, family, a, l, count, r);
    } finally {
      w.free(block);
    }
  }
}

function checkBatch(name: string, addresses: Uint32Array, words: number, out: Uint32Array, count: number): void {
  if (!(addresses instanceof Uint32Array) || !(out instanceof Uint32Array)) {
    throw new ConfigError("argument", `${name}: expected (Uint32Array, Uint32Array)`, addresses);
  }
  if (addresses.length !== count * words || out.length < count) {
    throw new ConfigError(
      "argument",
      `${name}: ${addresses.length} address words need room for ${Math.floor(addresses.length / words)} results (and a multiple of ${words} words), out has ${out.length}`,
      addresses,
    );
  }
}

/** The load-sharing key derived from a FIB's 64-bit seed (the WebAssembly side derives the same). */
function loadSharingKeyOf(seed: bigint): bigint {
  return fmix64(BigInt.asUintN(64, seed ^ 0x3c6ef372fe94f82bn));
}

/** Text of a possibly invalid prefix, for error messages. */
function formatPrefixLoose(family: Family, words: Uint32Array, length: number): string {
  return `${family === 4 ? formatIPv4(words[0]!) : formatIPv6(words)}/${length}`;
}
