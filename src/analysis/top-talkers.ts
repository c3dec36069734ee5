/**
 * Top talkers over the live flows of a {@link FlowCache}, in WebAssembly (seed spec §1.18–1.19):
 * the dynamic `show ip flow top N aggregate FIELD ...` (any field, sorted by the field, bytes,
 * flows or packets, one match criterion) and the configured `ip flow-top-talkers` (the top N
 * individual flows by bytes or packets among those matching every criterion). The flows are read
 * in place; the sweep and the ranking are assembly/analysis/top.ts, and
 * src/reference/top-talkers.ts is the plain-TypeScript oracle.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { formatIPv4, formatIPv6 } from "../net/address.js";
import { formatMac } from "../net/mac.js";
import type { WasmExports } from "../wasm/exports.js";
import { type CoreAttachment, type Core, disposedCore } from "../wasm/core.js";
import { checkOptionNames } from "../common/validation.js";
import type { FlowCache } from "../flow/cache.js";
import { type FlowRecord, decodeFlowRecord } from "../flow/record.js";
import { type FlowCapture, type TopFieldName, type TopFieldSpec, TOP_FIELDS, topField, unavailableField } from "./top-fields.js";
import { type TopMatch, type TopQuery, TOP_MAX_LIMIT, parseTopQuery } from "./top-query.js";

/** One aggregate of a dynamic top-talkers query. */
export interface TopTalker {
  /**
   * The aggregated value: an address or prefix (`10.0.0.0/0`) as text, a MAC as
   * `aa:bb:cc:dd:ee:ff`, a number otherwise (ICMP: type × 256 + code).
   */
  value: string | number;
  /** IP version of an address or prefix value. */
  ipVersion?: 4 | 6;
  /** ICMP type and code of an `icmp` aggregate. */
  icmpType?: number;
  icmpCode?: number;
  bytes: number;
  packets: number;
  flows: number;
}

/** What a dynamic top-talkers query returns (or, `unavailable`, why it cannot run). */
export interface TopTalkersResult {
  query: TopQuery;
  /** The top talkers, best first. */
  talkers: TopTalker[];
  /** Flows that matched (N of `N of M flows matched.`): flows in the aggregates that pass every criterion. */
  matched: number;
  /** Flows the sweep saw (M). */
  seen: number;
  /** Aggregates that passed every criterion (at least `talkers.length`). */
  aggregates: number;
  /** `% <field> is not available for this cache`, when the cache does not keep a field the query needs. */
  unavailable?: string;
}

/** The `ip flow-top-talkers` configuration (seed spec §1.19). */
export interface TopTalkersConfig {
  /** `top N`: the most flows retrieved (1 to 200). */
  top: number;
  /** `sort-by bytes | packets`. */
  sortBy: "bytes" | "packets";
  /** `match ...` criteria; a flow must meet all of them (none: every flow is a candidate). */
  match?: readonly TopMatch[];
  /** `cache-timeout` ms: how long a computed list is reused by later displays (default 5000). */
  cacheTimeoutMs?: number;
}

/** What `show ip flow top-talkers` shows. */
export interface ConfiguredTopTalkersResult {
  /** The top flows, best first (ties in cache order). */
  flows: FlowRecord[];
  /** `top N` as configured. */
  top: number;
  /** Flows that met every criterion. */
  matched: number;
  /** Flows seen. */
  seen: number;
  /** When the list was computed (the `now` of the display that computed it). */
  computedAt: number;
}

/** Options of {@link FlowTopTalkers}. */
export interface TopTalkersOptions {
  /** The flow cache whose live flows are read (the engine lives on its core). */
  cache: FlowCache;
  /** Aggregates the engine can hold (default: the cache's capacity, so any query fits). */
  maxGroups?: number;
  /** `ip flow-capture` features configured (default all: this cache captures every field). */
  captures?: readonly FlowCapture[];
  /** Key of the aggregate table's hash (default: from the core). */
  seed?: number | bigint;
  /** Resolves an interface name in `match input-interface NAME` to its index. */
  interfaceIndex?: (name: string) => number | undefined;
}

/** Largest `top N` of `ip flow-top-talkers` (IOS: 1 to 200). */
export const TOP_TALKERS_MAX = 200;
/** A ranked aggregate (assembly/analysis/top.ts): value high, low, bytes, packets (u64), flows, tag, sweep order (u32). */
const RESULT_BYTES = 48;
const CRITERION_BYTES = 48;
const Q_CRITERION = 40;
const MAX_CRITERIA = 8;
const PER_FLOW = 0xff;
const SORT_NUMBER = { aggregate: 0, bytes: 1, flows: 2, packets: 3 } as const;
const RESULT_TOO_MANY_GROUPS = 1;
const DEFAULT_CACHE_TIMEOUT = 5000;

/** The 128-bit (high, low) form of an address prefix's words and its mask. */
function prefixWords(prefix: NonNullable<TopMatch["prefix"]>): [bigint, bigint, bigint, bigint] {
  const w = prefix.words.map((x) => BigInt(x >>> 0));
  const high = prefix.version === 4 ? w[0]! << 32n : (w[0]! << 32n) | w[1]!;
  const low = prefix.version === 4 ? 0n : (w[2]! << 32n) | w[3]!;
  const all = (1n << 128n) - 1n;
  const mask = prefix.length === 0 ? 0n : (all << BigInt(128 - prefix.length)) & all;
  return [high, low, mask >> 64n, mask & 0xffffffffffffffffn];
}

/** The WebAssembly field number a criterion reads: prefix fields match on the address. */
function criterionFieldId(match: TopMatch): number {
  const field = topField(match.field)!;
  if (field.name === "source-prefix") return 0;
  if (field.name === "destination-prefix") return 1;
  return field.id;
}

function decodeValue(field: TopFieldSpec, high: bigint, low: bigint, tag: number): Omit<TopTalker, "bytes" | "packets" | "flows"> {
  switch (field.kind) {
    case "address":
    case "prefix": {
      const version = tag === 6 ? 6 : 4;
      const text =
        version === 4
          ? formatIPv4(Number(high >> 32n))
          : formatIPv6([Number(high >> 32n), Number(high & 0xffffffffn), Number(low >> 32n), Number(low & 0xffffffffn)]);
      return { value: field.kind === "prefix" ? `${text}/0` : text, ipVersion: version };
    }
    case "mac": {
      const bytes = Array.from({ length: 6 }, (_, i) => Number((low >> BigInt(8 * (5 - i))) & 0xffn));
      return { value: formatMac(bytes) };
    }
    case "icmp": {
      const v = Number(low);
      return { value: v, icmpType: v >> 8, icmpCode: v & 255 };
    }
    default:
      return { value: Number(low) };
  }
}

/**
 * Dynamic and configured top talkers over a flow cache's live flows, in WebAssembly.
 *
 * @example
 * ```ts
 * const cache = new FlowCache({ capacity: 100_000 });
 * const top = new FlowTopTalkers({ cache });
 * const result = top.query("10 aggregate source-address sorted-by bytes");
 * for (const t of result.talkers) console.log(t.value, t.bytes, t.packets, t.flows);
 * console.log(`${result.matched} of ${result.seen} flows matched.`);
 * ```
 */
export class FlowTopTalkers {
  readonly cache: FlowCache;
  readonly core: Core;
  /** `ip flow-capture` features configured (undefined: all). */
  readonly captures: readonly FlowCapture[] | undefined;
  readonly maxGroups: number;
  #wasm: WasmExports;
  readonly #handle: number;
  readonly #attachment: CoreAttachment;
  readonly #interfaceIndex: ((name: string) => number | undefined) | undefined;
  #disposed = false;

  constructor(options: TopTalkersOptions) {
    checkOptionNames(options, ["cache", "maxGroups", "captures", "seed", "interfaceIndex"], "FlowTopTalkers");
    const cache = options.cache;
    if (cache === undefined || typeof cache !== "object" || !("handle" in cache)) {
      throw new ConfigError("top-cache", `invalid FlowTopTalkers cache ${describe(cache)}: expected a FlowCache`, cache);
    }
    const maxGroups = options.maxGroups ?? cache.options.capacity;
    if (!Number.isInteger(maxGroups) || maxGroups < 1 || maxGroups > 1 << 24) {
      throw new ConfigError(
        "top-max-groups",
        `invalid maxGroups ${describe(maxGroups)}: expected an integer from 1 to 16777216`,
        maxGroups,
      );
    }
    this.cache = cache;
    this.core = cache.core;
    this.maxGroups = maxGroups;
    this.captures = options.captures === undefined ? undefined : [...options.captures];
    this.#interfaceIndex = options.interfaceIndex;
    this.#wasm = this.core.wasm;
    const bytes = this.#wasm.topTalkersBytes(maxGroups);
    this.#attachment = this.core.attach("top-talkers", bytes, () => bytes, "maxGroups");
    const [low, high] = this.core.componentSeed(options.seed);
    try {
      this.#handle = this.#wasm.topTalkersCreate(maxGroups, low, high);
    } catch (error) {
      this.core.detach(this.#attachment);
      throw new CapacityError(
        "top-memory",
        `cannot allocate top talkers for ${maxGroups} aggregates: ${(error as Error).message}`,
        maxGroups,
      );
    }
    try {
      cache.retainTalkersColumn();
    } catch (error) {
      this.#wasm.topTalkersFree(this.#handle);
      this.core.detach(this.#attachment);
      throw error;
    }
  }

  /** Frees the engine's memory on its core (and, with the last engine, the cache's top-talkers column). Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#wasm.topTalkersFree(this.#handle);
    this.#wasm = disposedCore("FlowTopTalkers");
    this.core.detach(this.#attachment);
    this.cache.releaseTalkersColumn();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Why a field is not available for this cache (`% ... is not available for this cache`), or undefined. */
  unavailable(field: TopFieldName): string | undefined {
    return unavailableField(topField(field)!, { mask: this.cache.options.mask, captures: this.captures });
  }

  /**
   * Runs a dynamic query: a {@link TopQuery} or the words after `show ip flow top`
   * (`"10 aggregate source-address sorted-by bytes"`).
   * @throws ConfigError on a bad command (naming the word, listing what is accepted).
   */
  query(query: TopQuery | string): TopTalkersResult {
    const q = typeof query === "string" ? parseTopQuery(query, this.#interfaceIndex) : query;
    checkQuery(q);
    const field = topField(q.aggregate)!;
    const unavailable =
      this.unavailable(q.aggregate) ?? (q.match && q.match.field !== "flows" ? this.unavailable(q.match.field) : undefined);
    if (unavailable !== undefined) return { query: q, talkers: [], matched: 0, seen: 0, aggregates: 0, unavailable };
    const criteria = q.match && q.match.field !== "flows" ? [q.match] : [];
    const flows = q.match?.field === "flows" ? q.match : undefined;
    this.#run(field.id, SORT_NUMBER[q.sortBy], q.order === "descending", q.limit, criteria, flows);
    const w = this.#wasm;
    const view = new DataView(w.memory.buffer);
    const results = w.topTalkersResults(this.#handle);
    const talkers: TopTalker[] = [];
    for (let k = 0, n = w.topTalkersCount(this.#handle, 3); k < n; k++) {
      const at = results + k * RESULT_BYTES;
      talkers.push({
        ...decodeValue(field, view.getBigUint64(at, true), view.getBigUint64(at + 8, true), view.getUint32(at + 36, true)),
        bytes: Number(view.getBigUint64(at + 16, true)),
        packets: Number(view.getBigUint64(at + 24, true)),
        flows: view.getUint32(at + 32, true),
      });
    }
    return {
      query: q,
      talkers,
      matched: w.topTalkersCount(this.#handle, 5),
      seen: w.topTalkersCount(this.#handle, 0),
      aggregates: w.topTalkersCount(this.#handle, 4),
    };
  }

  /**
   * The configured top talkers now (`show ip flow top-talkers`): the top `config.top` flows by
   * `config.sortBy` among those meeting every criterion, ties in cache order.
   */
  topFlows(config: TopTalkersConfig, now = 0): ConfiguredTopTalkersResult {
    checkTopTalkersConfig(config);
    const criteria = config.match ?? [];
    for (const m of criteria) {
      const why = m.field === "flows" ? "% flows is not a flow field" : this.unavailable(m.field);
      if (why !== undefined) throw new ConfigError("top-talkers-match", `${why} (match ${m.field})`, m);
    }
    this.#run(PER_FLOW, SORT_NUMBER[config.sortBy], true, config.top, criteria, undefined);
    const w = this.#wasm;
    const view = new DataView(w.memory.buffer);
    const results = w.topTalkersResults(this.#handle);
    const flows: FlowRecord[] = [];
    for (let k = 0, n = w.topTalkersCount(this.#handle, 3); k < n; k++) {
      const entry = Number(view.getBigUint64(results + k * RESULT_BYTES + 8, true));
      flows.push(decodeFlowRecord(view, w.flowCacheEntry(this.cache.handle, entry), entry));
    }
    return {
      flows,
      top: config.top,
      matched: w.topTalkersCount(this.#handle, 1),
      seen: w.topTalkersCount(this.#handle, 0),
      computedAt: now,
    };
  }

  #run(field: number, sort: number, descending: boolean, limit: number, criteria: readonly TopMatch[], flows: TopMatch | undefined): void {
    if (criteria.length > MAX_CRITERIA) {
      throw new ConfigError("top-criteria", `too many match criteria (${criteria.length}): at most ${MAX_CRITERIA}`, criteria.length);
    }
    const w = this.#wasm;
    const q = w.topTalkersQuery(this.#handle);
    const view = new DataView(w.memory.buffer);
    view.setUint32(q, field, true);
    view.setUint32(q + 4, sort, true);
    view.setUint32(q + 8, descending ? 1 : 0, true);
    view.setUint32(q + 12, limit, true);
    view.setUint32(q + 16, criteria.length, true);
    view.setUint32(q + 20, flows ? 1 : 0, true);
    view.setBigUint64(q + 24, BigInt(flows?.min ?? 0), true);
    view.setBigUint64(q + 32, BigInt(flows?.max ?? 0), true);
    criteria.forEach((m, i) => {
      const at = q + Q_CRITERION + i * CRITERION_BYTES;
      view.setUint32(at, criterionFieldId(m), true);
      if (m.prefix) {
        const [high, low, maskHigh, maskLow] = prefixWords(m.prefix);
        view.setUint32(at + 4, 1, true);
        view.setUint32(at + 8, m.prefix.version, true);
        view.setBigUint64(at + 16, high, true);
        view.setBigUint64(at + 24, low, true);
        view.setBigUint64(at + 32, maskHigh, true);
        view.setBigUint64(at + 40, maskLow, true);
      } else {
        view.setUint32(at + 4, 0, true);
        view.setUint32(at + 8, 0, true);
        view.setBigUint64(at + 16, BigInt(m.min ?? 0), true);
        view.setBigUint64(at + 24, BigInt(m.max ?? 0), true);
      }
    });
    const status = w.topTalkersRun(this.#handle, this.cache.handle);
    if (status === RESULT_TOO_MANY_GROUPS) {
      throw new CapacityError(
        "top-groups",
        `the query makes more than maxGroups ${this.maxGroups} aggregates: make FlowTopTalkers with a larger maxGroups (the cache's capacity always fits)`,
        this.maxGroups,
      );
    }
    if (status !== 0) throw new ConfigError("top-query", `invalid top-talkers query (status ${status})`, status);
  }
}

/** Checks a {@link TopQuery} given as data. */
export function checkQuery(q: TopQuery): void {
  if (q === null || typeof q !== "object") throw new ConfigError("top-query", `invalid top-talkers query ${describe(q)}`, q);
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > TOP_MAX_LIMIT) {
    throw new ConfigError("top-limit", `invalid number of top talkers ${describe(q.limit)}: expected 1 to ${TOP_MAX_LIMIT}`, q.limit);
  }
  if (topField(q.aggregate) === undefined) {
    throw new ConfigError(
      "top-field",
      `unknown field ${describe(q.aggregate)}: expected one of ${TOP_FIELDS.map((f) => f.name).join(", ")}`,
      q.aggregate,
    );
  }
  if (q.match && q.match.field !== "flows" && topField(q.match.field) === undefined) {
    throw new ConfigError("top-field", `unknown match field ${describe(q.match.field)}`, q.match.field);
  }
}

/** Checks an `ip flow-top-talkers` configuration. */
export function checkTopTalkersConfig(config: TopTalkersConfig): void {
  if (config === null || typeof config !== "object")
    throw new ConfigError("top-talkers", `invalid top talkers configuration ${describe(config)}`, config);
  checkOptionNames(config, ["top", "sortBy", "match", "cacheTimeoutMs"], "ip flow-top-talkers");
  if (!Number.isInteger(config.top) || config.top < 1 || config.top > TOP_TALKERS_MAX) {
    throw new ConfigError("top-talkers-top", `invalid top ${describe(config.top)}: expected 1 to ${TOP_TALKERS_MAX}`, config.top);
  }
  if (config.sortBy !== "bytes" && config.sortBy !== "packets") {
    throw new ConfigError("top-talkers-sort", `invalid sort-by ${describe(config.sortBy)}: expected bytes or packets`, config.sortBy);
  }
  const timeout = config.cacheTimeoutMs ?? DEFAULT_CACHE_TIMEOUT;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0) {
    throw new ConfigError("top-talkers-timeout", `invalid cache-timeout ${describe(timeout)}: expected milliseconds ≥ 0`, timeout);
  }
}

/**
 * `ip flow-top-talkers` with its `cache-timeout`: a display reuses the list computed by an
 * earlier one until `cacheTimeoutMs` has passed since it was computed (the period starts with
 * the first display).
 */
export class ConfiguredTopTalkers {
  readonly config: TopTalkersConfig;
  readonly engine: FlowTopTalkers;
  #last: ConfiguredTopTalkersResult | undefined;

  constructor(engine: FlowTopTalkers, config: TopTalkersConfig) {
    checkTopTalkersConfig(config);
    this.engine = engine;
    this.config = { ...config, match: [...(config.match ?? [])] };
  }

  /** The list at `now` (ms): the cached one while younger than the cache timeout, else a new one. */
  show(now: number): ConfiguredTopTalkersResult {
    if (typeof now !== "number" || !Number.isFinite(now)) throw new ConfigError("top-talkers-time", `invalid time ${describe(now)}`, now);
    const timeout = this.config.cacheTimeoutMs ?? DEFAULT_CACHE_TIMEOUT;
    if (this.#last !== undefined && now >= this.#last.computedAt && now - this.#last.computedAt < timeout) return this.#last;
    this.#last = this.engine.topFlows(this.config, now);
    return this.#last;
  }
}
