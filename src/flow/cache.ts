/**
 * The NetFlow main cache (Cisco NetFlow; seed spec §1.15–1.16): packets of a {@link PacketBatch}
 * are accounted into unidirectional flows in WebAssembly, flows end by inactive and active
 * timeout, TCP FIN/RST, emergency expiry when the cache is full, or a flush, and every ended
 * flow goes to an export queue that the caller drains. Memory is fixed at creation. The
 * semantics are spelled out in assembly/flow/cache.ts; src/reference/flow-cache.ts is the
 * plain-TypeScript oracle with the same semantics.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import type { WasmExports } from "../wasm/exports.js";
import { seedHalves } from "../wasm/views.js";
import { type Core, type CoreAttachment, coreFrom, disposedCore } from "../wasm/core.js";
import { PacketBatch, type PacketBatchOptions } from "../packet/batch.js";
import {
  type ExpiredFlow,
  type FlowDirection,
  type FlowEndReason,
  type FlowRecord,
  EXPORT_RECORD_BYTES,
  FLOW_END_REASONS,
  FLOW_MASKS,
  decodeExpiredFlow,
  decodeFlowRecord,
} from "./record.js";
import { type FlowCacheCounters, type FlowStatistics, PROTOCOL_CATEGORY_NAMES } from "./statistics.js";
import { type JsonLinesSink, writeJsonLines } from "./json-lines.js";
import {
  C_PACKETS_IN,
  C_BYTES_IN,
  C_PACKETS_ACCOUNTED,
  C_BYTES_ACCOUNTED,
  C_PACKETS_REFUSED,
  C_BYTES_REFUSED,
  C_REFUSED_NOT_IP,
  C_REFUSED_NO_ROOM,
  C_REFUSED_PROBE_LIMIT,
  C_REFUSED_COUNTER_FULL,
  C_FLOWS_ADDED,
  C_ALLOC_FAILURES,
  C_AGER_POLLS,
  C_AGER_EXAMINED,
  C_EXPORT_STALLS,
  C_FLOWS_EXPIRED,
  C_PACKETS_EXPIRED,
  C_BYTES_EXPIRED,
  C_UNSELECTED,
  C_LOOKUPS,
  C_PROBES,
  C_LONGEST_PROBE,
  C_EXPIRED_BY_REASON,
  COUNTER_SLOTS,
  NONE,
  SIZE_BUCKETS,
  PROTOCOL_CATEGORIES,
  PROTOCOL_FIELDS,
  PROTOCOL_FLOWS,
  PROTOCOL_PACKETS,
  PROTOCOL_BYTES,
  PROTOCOL_ACTIVE_MS,
  PROTOCOL_IDLE_MS,
} from "./layout.js";
import {
  type FlowCacheOptions,
  type FlowSamplingConfig,
  type FlowUpdateOptions,
  type ResolvedFlowCacheOptions,
  resolveFlowCacheOptions,
} from "./options.js";
import { checkOptionNames, checkTime } from "../common/validation.js";

export {
  type FlowCacheOptions,
  type FlowSamplingConfig,
  type FlowUpdateOptions,
  type ResolvedFlowCacheOptions,
  MAX_FLOW_CAPACITY,
  resolveFlowCacheOptions,
} from "./options.js";

/** WebAssembly memory for drainJsonLines' lines, allocated on first use: ~100 lines and more. */
const JSON_SCRATCH_BYTES = 64 * 1024;

const FLOW_CACHE_OPTION_NAMES = [
  "capacity",
  "exportQueueCapacity",
  "activeTimeout",
  "inactiveTimeout",
  "mask",
  "maxPacketsPerFlow",
  "agerBatch",
  "seed",
  "sampling",
  "core",
];

/** Decodes the counter slots (u64) of assembly/flow/state.ts. */
export function decodeCounters(slots: ArrayLike<bigint>, activeFlows: number, queuedFlows: number): FlowCacheCounters {
  const n = (i: number) => Number(slots[i]!);
  const expired = {} as Record<FlowEndReason, number>;
  FLOW_END_REASONS.forEach((reason, k) => (expired[reason] = n(C_EXPIRED_BY_REASON + k)));
  return {
    packetsIn: n(C_PACKETS_IN),
    bytesIn: n(C_BYTES_IN),
    packetsAccounted: n(C_PACKETS_ACCOUNTED),
    bytesAccounted: n(C_BYTES_ACCOUNTED),
    packetsRefused: n(C_PACKETS_REFUSED),
    bytesRefused: n(C_BYTES_REFUSED),
    refused: {
      notIp: n(C_REFUSED_NOT_IP),
      noRoom: n(C_REFUSED_NO_ROOM),
      probeLimit: n(C_REFUSED_PROBE_LIMIT),
      counterFull: n(C_REFUSED_COUNTER_FULL),
    },
    flowsAdded: n(C_FLOWS_ADDED),
    allocFailures: n(C_ALLOC_FAILURES),
    agerPolls: n(C_AGER_POLLS),
    agerEntriesExamined: n(C_AGER_EXAMINED),
    exportStalls: n(C_EXPORT_STALLS),
    flowsExpired: n(C_FLOWS_EXPIRED),
    expired,
    packetsExpired: n(C_PACKETS_EXPIRED),
    bytesExpired: n(C_BYTES_EXPIRED),
    unselected: n(C_UNSELECTED),
    lookups: n(C_LOOKUPS),
    probes: n(C_PROBES),
    longestProbe: n(C_LONGEST_PROBE),
    activeFlows,
    queuedFlows,
  };
}

/**
 * A NetFlow flow cache in WebAssembly.
 *
 * @example
 * ```ts
 * const cache = new FlowCache({ capacity: 100_000, inactiveTimeout: 15_000 });
 * for (const batch of readPacketFileSync("trace.pcap", { core: cache.core })) {
 *   cache.update(batch);
 *   cache.age(batch.columns.time[batch.length - 1]!);
 *   for (const flow of cache.drain()) console.log(flow.src, flow.dst, flow.packets, flow.endReason);
 * }
 * for (const flow of cache.flush(Date.now())) console.log(flow);
 * ```
 */
export class FlowCache {
  /** The options in force (defaults filled in). */
  readonly options: Readonly<ResolvedFlowCacheOptions>;
  /** How the packets fed to this cache were sampled, as given at creation. */
  readonly sampling: FlowSamplingConfig;
  /** The core the cache lives on. */
  readonly core: Core;
  /** @internal The WebAssembly instance the cache lives in (its core's). */
  readonly wasm: WasmExports;
  readonly #attachment: CoreAttachment;
  #disposed = false;
  /** @internal */
  readonly handle: number;
  readonly #queue: number;
  #selection = 0;
  #selectionBytes = 0;
  #jsonScratch = 0;
  #talkers: CoreAttachment | undefined;

  constructor(options: FlowCacheOptions = {}) {
    const resolved = resolveFlowCacheOptions(options);
    checkOptionNames(options, FLOW_CACHE_OPTION_NAMES, "FlowCache");
    this.options = Object.freeze(resolved);
    this.sampling = { ...(options.sampling ?? { mode: "none", interval: 1 }) };
    const core = coreFrom(options);
    const [k0, k1] = core.componentSeed(options.seed);
    const [k2, k3] =
      options.seed === undefined
        ? core.componentSeed(undefined)
        : seedHalves(BigInt.asUintN(64, BigInt(k0) * 0x9e3779b97f4a7c15n + BigInt(k1) + 1n));
    this.core = core;
    this.wasm = core.wasm;
    const bytes = this.wasm.flowCacheBytes(resolved.capacity, resolved.exportQueueCapacity);
    this.#attachment = core.attach("flow-cache", bytes, () => bytes, "capacity and exportQueueCapacity", {
      capacity: resolved.capacity,
      exportQueueCapacity: resolved.exportQueueCapacity,
    });
    try {
      this.handle = this.wasm.flowCacheCreate(
        resolved.capacity,
        resolved.exportQueueCapacity,
        resolved.activeTimeout,
        resolved.inactiveTimeout,
        FLOW_MASKS.indexOf(resolved.mask),
        resolved.maxPacketsPerFlow >>> 0,
        resolved.agerBatch,
        k0,
        k1,
        k2,
        k3,
      );
    } catch (error) {
      core.detach(this.#attachment);
      throw new CapacityError(
        "flow-memory",
        `cannot allocate a flow cache of ${resolved.capacity} flows: ${(error as Error).message}`,
        resolved.capacity,
      );
    }
    this.#queue = this.wasm.flowCacheQueue(this.handle);
  }

  /** Bytes of the flow table (entries and index), and per flow of capacity. */
  get tableBytes(): number {
    return this.wasm.flowCacheTableBytes(this.handle) >>> 0;
  }

  /** Bytes of memory per flow of capacity (entries and index). */
  get bytesPerFlow(): number {
    return this.tableBytes / this.options.capacity;
  }

  /** Flows in the cache. */
  get activeFlows(): number {
    return this.wasm.flowCacheLive(this.handle);
  }

  /** Ended flows waiting in the export queue. */
  get queuedFlows(): number {
    return this.wasm.flowCacheQueueCount(this.handle);
  }

  /** A packet batch on this cache's core (the same as `new PacketBatch({ ...options, core: cache.core })`). */
  createBatch(options: Omit<PacketBatchOptions, "core"> = {}): PacketBatch {
    return new PacketBatch({ ...options, core: this.core });
  }

  /** Options that make a capture reader fill its batches on this cache's core: `{ core }`. */
  readerOptions(): { core: Core } {
    return { core: this.core };
  }

  /**
   * Frees the cache's memory on its core (reusable by other components there); the cache must
   * not be used afterwards. Also `Symbol.dispose`, so `using` works.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#jsonScratch !== 0) this.wasm.free(this.#jsonScratch);
    if (this.#selection !== 0) this.wasm.free(this.#selection);
    this.wasm.flowCacheFree(this.handle);
    (this as { wasm: WasmExports }).wasm = disposedCore("FlowCache");
    this.core.detach(this.#attachment);
    if (this.#talkers !== undefined) this.core.detach(this.#talkers);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * @internal Attaches a user of the top-talkers column (assembly/flow/talkers.ts), which the
   * packet path keeps while it has users; the first one reserves and fills it.
   * @throws CapacityError when the core's budget or memory cannot hold it.
   */
  retainTalkersColumn(): void {
    if (this.#talkers === undefined) {
      const bytes = this.wasm.flowCacheTalkersBytes(this.options.capacity);
      this.#talkers = this.core.attach("flow-cache-talkers", bytes, () => bytes, "capacity", this.options.capacity);
      try {
        this.wasm.flowCacheTalkersKeep(this.handle);
      } catch (error) {
        this.core.detach(this.#talkers);
        this.#talkers = undefined;
        throw new CapacityError(
          "flow-memory",
          `cannot allocate the top-talkers column of a flow cache: ${(error as Error).message}`,
          bytes,
        );
      }
      return;
    }
    this.wasm.flowCacheTalkersKeep(this.handle);
  }

  /**
   * @internal The source table of the top-talkers column (assembly/flow/talkers.ts): the distinct
   * sources of the live flows, and the source ids ever used (at most the capacity); zeros
   * without top talkers.
   */
  talkerSources(): { live: number; ids: number } {
    return { live: this.wasm.flowCacheTalkerSources(this.handle, 0), ids: this.wasm.flowCacheTalkerSources(this.handle, 1) };
  }

  /** @internal Detaches a user of the top-talkers column (the last one frees it); nothing once the cache is disposed. */
  releaseTalkersColumn(): void {
    if (this.#disposed || this.#talkers === undefined) return;
    if (this.wasm.flowCacheTalkersDrop(this.handle) === 0) {
      this.core.detach(this.#talkers);
      this.#talkers = undefined;
    }
  }

  /**
   * Accounts the packets of `batch` (made by {@link createBatch} or a reader given
   * {@link readerOptions}). Returns the packets added to flows; the others are counted.
   */
  update(batch: PacketBatch, options: FlowUpdateOptions = {}): number {
    checkOptionNames(options, ["direction", "selection", "from", "count"], "FlowCache.update");
    if (!(batch instanceof PacketBatch) || batch.core !== this.core) {
      throw new ConfigError(
        "batch-core",
        "the batch must live on the flow cache's core: create it with new PacketBatch({ core: cache.core }) or a reader given { core: cache.core }",
        batch,
      );
    }
    const length = batch.length;
    const from = options.from ?? 0;
    const count = options.count ?? length - from;
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(count) || count < 0) {
      throw new ConfigError("argument", `invalid packet range from ${describe(from)} count ${describe(count)}`, { from, count });
    }
    const direction = options.direction ?? "ingress";
    if (direction !== "ingress" && direction !== "egress") {
      throw new ConfigError("flow-direction", `invalid direction ${describe(direction)}: expected "ingress" or "egress"`, direction);
    }
    let selection = 0;
    if (options.selection !== undefined) {
      if (!(options.selection instanceof Uint8Array) || options.selection.length < Math.min(length, from + count)) {
        throw new ConfigError("flow-selection", `the selection must be a Uint8Array with a byte per packet (${length})`, options.selection);
      }
      selection = this.#stageSelection(options.selection, Math.min(length, from + count));
    }
    return this.wasm.flowCacheUpdate(this.handle, batch.handle, from, count, direction === "egress" ? 1 : 0, selection);
  }

  /** One ager poll at `now` (ms): looks at the next `agerBatch` entries. Returns the flows expired (now in the queue). */
  age(now: number): number {
    return this.wasm.flowCacheAge(this.handle, checkTime(now));
  }

  /** Ended flows from the export queue, oldest first (at most `max`). */
  drain(max = Infinity): ExpiredFlow[] {
    const out: ExpiredFlow[] = [];
    this.#drainInto(out, max);
    return out;
  }

  /**
   * Ended flows from the export queue as raw 128-byte export records (layout of
   * assembly/flow/state.ts; decode one with `decodeExpiredFlow(view, i * 128)`), for consumers
   * that encode many at once.
   */
  drainRecords(max = Infinity): Uint8Array {
    const wasm = this.wasm;
    const count = Math.min(wasm.flowCacheQueueCount(this.handle), max);
    const out = new Uint8Array(count * EXPORT_RECORD_BYTES);
    const capacity = this.options.exportQueueCapacity;
    let head = wasm.flowCacheQueueHead(this.handle);
    let done = 0;
    while (done < count) {
      const run = Math.min(count - done, capacity - head);
      out.set(
        new Uint8Array(wasm.memory.buffer, this.#queue + head * EXPORT_RECORD_BYTES, run * EXPORT_RECORD_BYTES),
        done * EXPORT_RECORD_BYTES,
      );
      done += run;
      head = (head + run) % capacity;
    }
    wasm.flowCacheQueuePop(this.handle, count);
    return out;
  }

  /**
   * Ends flows oldest first (reason "flush") while the export queue has room, without draining
   * it; returns the flows still in the cache.
   */
  flushStep(now: number): number {
    return this.wasm.flowCacheFlush(this.handle, checkTime(now));
  }

  /**
   * Drains the export queue through `visit`, which gets a view of WebAssembly memory and the
   * byte offset of each 128-byte export record (decode it with `decodeExpiredFlow`); for
   * consumers that encode records without building objects. Returns the records visited.
   */
  drainVisit(visit: (view: DataView, at: number) => void, max = Infinity): number {
    const wasm = this.wasm;
    const count = Math.min(wasm.flowCacheQueueCount(this.handle), max);
    if (count === 0) return 0;
    const view = new DataView(wasm.memory.buffer);
    const capacity = this.options.exportQueueCapacity;
    let head = wasm.flowCacheQueueHead(this.handle);
    for (let k = 0; k < count; k++) {
      visit(view, this.#queue + head * EXPORT_RECORD_BYTES);
      head = head + 1 === capacity ? 0 : head + 1;
    }
    wasm.flowCacheQueuePop(this.handle, count);
    return count;
  }

  /**
   * Drains the export queue as JSON lines — for each record `JSON.stringify(flowJson(record))`
   * and a newline — handed to `write` in chunks of whole lines (each chunk a view that is valid
   * only during the call; do not call the cache from `write`). The lines are written in
   * WebAssembly, without an object or a string per flow. Returns the records drained.
   */
  drainJsonLines(write: JsonLinesSink, max = Infinity): number {
    const wasm = this.wasm;
    const count = Math.min(wasm.flowCacheQueueCount(this.handle), max);
    if (count === 0) return 0;
    if (this.#jsonScratch === 0) this.#jsonScratch = wasm.alloc(JSON_SCRATCH_BYTES);
    writeJsonLines(
      wasm,
      this.#queue,
      this.options.exportQueueCapacity,
      wasm.flowCacheQueueHead(this.handle),
      count,
      this.#jsonScratch,
      JSON_SCRATCH_BYTES,
      write,
    );
    wasm.flowCacheQueuePop(this.handle, count);
    return count;
  }

  /** Ends every flow (reason "flush") and returns everything in the export queue, oldest first. */
  flush(now: number): ExpiredFlow[] {
    checkTime(now);
    const out: ExpiredFlow[] = [];
    for (;;) {
      const left = this.wasm.flowCacheFlush(this.handle, now);
      this.#drainInto(out, Infinity);
      if (left === 0) return out;
    }
  }

  /** The flows in the cache, oldest first. */
  flows(): FlowRecord[] {
    const wasm = this.wasm;
    const view = new DataView(wasm.memory.buffer);
    const out: FlowRecord[] = [];
    for (let id = wasm.flowCacheOldest(this.handle) >>> 0; id !== NONE; id = wasm.flowCacheNext(this.handle, id) >>> 0) {
      out.push(decodeFlowRecord(view, wasm.flowCacheEntry(this.handle, id), id));
    }
    return out;
  }

  /** Every counter (see {@link FlowCacheCounters}). */
  counters(): FlowCacheCounters {
    const slots = new BigUint64Array(this.wasm.memory.buffer, this.wasm.flowCacheCounters(this.handle), COUNTER_SLOTS);
    return decodeCounters(slots, this.activeFlows, this.queuedFlows);
  }

  /** The packet size distribution and the per-protocol table (flows counted as they expire). */
  statistics(): FlowStatistics {
    const buffer = this.wasm.memory.buffer;
    const sizes = new BigUint64Array(buffer, this.wasm.flowCacheSizes(this.handle), SIZE_BUCKETS);
    const at = this.wasm.flowCacheProtocols(this.handle);
    const counts = new BigUint64Array(buffer, at, PROTOCOL_CATEGORIES * PROTOCOL_FIELDS);
    const times = new Float64Array(buffer, at, PROTOCOL_CATEGORIES * PROTOCOL_FIELDS);
    return {
      sizeDistribution: Array.from(sizes, Number),
      protocols: PROTOCOL_CATEGORY_NAMES.map((name, k) => ({
        name,
        flows: Number(counts[k * PROTOCOL_FIELDS + PROTOCOL_FLOWS]!),
        packets: Number(counts[k * PROTOCOL_FIELDS + PROTOCOL_PACKETS]!),
        bytes: Number(counts[k * PROTOCOL_FIELDS + PROTOCOL_BYTES]!),
        activeMs: times[k * PROTOCOL_FIELDS + PROTOCOL_ACTIVE_MS]!,
        idleMs: times[k * PROTOCOL_FIELDS + PROTOCOL_IDLE_MS]!,
      })),
    };
  }

  /** Zeroes the size distribution and the protocol table. */
  clearStatistics(): void {
    this.wasm.flowCacheClearStatistics(this.handle);
  }

  /** @internal The keyed hash of packet `i`'s flow key (tests, adversarial benchmark). */
  packetHash(batch: PacketBatch, i: number, direction: FlowDirection = "ingress"): number {
    return this.wasm.flowCachePacketHash(this.handle, batch.handle, i, direction === "egress" ? 1 : 0) >>> 0;
  }

  /** @internal Index slots of the table. */
  get indexSlots(): number {
    return this.wasm.flowCacheSlots(this.handle);
  }

  #drainInto(out: ExpiredFlow[], max: number): void {
    this.drainVisit((view, at) => out.push(decodeExpiredFlow(view, at)), max);
  }

  #stageSelection(selection: Uint8Array, length: number): number {
    if (this.#selectionBytes < length) {
      if (this.#selection !== 0) this.wasm.free(this.#selection);
      this.#selectionBytes = Math.max(length, 4096);
      this.#selection = this.wasm.alloc(this.#selectionBytes);
    }
    new Uint8Array(this.wasm.memory.buffer, this.#selection, length).set(selection.subarray(0, length));
    return this.#selection;
  }
}
