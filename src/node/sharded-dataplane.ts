/**
 * {@link ShardedDataplane}: the router across cores. N worker threads, each a long-lived
 * {@link Dataplane} configured the same way, fed through one SharedArrayBuffer ring each
 * (frames copied in once, indices moved with Atomics); packets are sharded by a keyed hash of
 * their flow (addresses, protocol, ports), so every flow is accounted whole by one shard and
 * the flows and counters add up to those of one Dataplane on the same packets. The routing
 * table is read once and copied to every shard. Node only.
 */

import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { ConfigError, describe } from "../errors.js";
import type { PacketBatch } from "../packet/batch.js";
import type { DataplaneOptions } from "../dataplane/options.js";
import type { DataplaneCounters, InterfaceCounters } from "../dataplane/verdicts.js";
import type { ExpiredFlow } from "../flow/record.js";
import type { ArpCounters } from "../arp/types.js";
import type { RouteTable } from "./table-file.js";
import type { Core } from "../wasm/core.js";
import { ShardRing, createRingBuffer } from "./shard-ring.js";

/** Bytes of a shard record's header (assembly/packet/shard.ts). */
const RECORD_HEADER = 24;

/** A ShardedDataplane's sharding area on one core. */
interface ShardScratch {
  out: number;
  outBytes: number;
  table: number;
  work: number;
  workBytes: number;
}

/** Pushes a run larger than the ring takes at once as several runs, cut between records. */
function pushInPieces(ring: ShardRing, run: Uint8Array): void {
  const view = new DataView(run.buffer, run.byteOffset, run.byteLength);
  let start = 0;
  let at = 0;
  let packets = 0;
  while (at < run.length) {
    const size = RECORD_HEADER + ((view.getUint32(at, true) + 7) & ~7);
    if (at + size - start > ring.maxRunBytes && packets > 0) {
      ring.push(run.subarray(start, at), packets);
      start = at;
      packets = 0;
    }
    at += size;
    packets++;
  }
  if (packets > 0) ring.push(run.subarray(start, at), packets);
}

/** What a shard's worker is given. @internal */
export interface ShardWorkerData {
  config: string;
  options: Pick<DataplaneOptions, "seed" | "maxBatch" | "icmpRate" | "icmpBurst" | "tickIntervalMs" | "flowCache">;
  ring: SharedArrayBuffer;
  table?: RouteTable;
  tableSource?: string;
}

/** Options of a {@link ShardedDataplane}. */
export interface ShardedDataplaneOptions {
  /** The IOS configuration every shard runs. */
  config: string;
  /** Worker threads (default 2). */
  workers?: number;
  /** A routing table to install in every shard (read once, copied). */
  table?: RouteTable;
  /** Where the table came from (for error messages). */
  tableSource?: string;
  /** Seed of the shards' components and of the sharding hash key. */
  seed?: number;
  /** Options every shard's Dataplane gets. */
  dataplane?: Pick<DataplaneOptions, "icmpRate" | "icmpBurst" | "tickIntervalMs" | "flowCache">;
  /** Bytes of each shard's ring (default 16 MiB). */
  ringBytes?: number;
}

/** What the shards report together when they finish. */
export interface ShardedResult {
  /** The shards' counters added up. */
  counters: DataplaneCounters;
  /** Per interface counters added up. */
  interfaces: InterfaceCounters[];
  /** Every shard's flows (flushed at the end). */
  flows: ExpiredFlow[];
  /** ARP counters added up (per shard ARP state: dynamic resolutions repeat per shard). */
  arp: ArpCounters;
  /** Packets each shard got. */
  perShard: number[];
  /**
   * When the last shard had processed its last packet (before flushing its flows), in
   * milliseconds since the epoch with sub-millisecond precision (`performance.timeOrigin +
   * performance.now()` in that worker).
   */
  processedAt: number;
}

/** Adds numeric leaves of `b` into `a` (objects of the same shape). */
function addInto<T>(a: T, b: T): T {
  for (const key of Object.keys(b as object) as (keyof T)[]) {
    const x = a[key];
    const y = b[key];
    if (typeof y === "number") (a as Record<keyof T, unknown>)[key] = ((typeof x === "number" ? x : 0) as number) + y;
    else if (y !== null && typeof y === "object") (a as Record<keyof T, unknown>)[key] = addInto((x ?? {}) as object, y as object);
    else if (x === undefined) (a as Record<keyof T, unknown>)[key] = y;
  }
  return a;
}

/**
 * The worker's entry: the built file beside this one, or (running from sources) the TS file
 * through tsx. The CommonJS build (`require("dataplane/node")`) has no import.meta but its
 * __filename, in the same directory as the worker.
 */
function workerUrl(): URL {
  const here = typeof __filename === "string" && __filename !== "" ? pathToFileURL(__filename).href : import.meta.url;
  if (!here.endsWith(".ts")) return new URL("./sharded-worker.js", here);
  // tsx's ESM API, found through its package.json (no import.meta.resolve: the CJS build cannot
  // hold it, and this branch only runs from the TypeScript sources).
  const manifest = createRequire(here).resolve("tsx/package.json");
  const api = (createRequire(here)("tsx/package.json") as { exports: Record<string, { import: { default: string } }> }).exports[
    "./esm/api"
  ]!;
  const tsx = new URL(api.import.default, pathToFileURL(manifest)).href;
  const entry = new URL("./sharded-worker.ts", here).href;
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * The router on N worker threads.
 *
 * @example
 * ```ts
 * const sharded = new ShardedDataplane({ config: text, workers: 2 });
 * for (const batch of readPacketFileSync("trace.pcap")) sharded.process(batch);
 * const { counters, flows } = await sharded.finish();
 * ```
 */
export class ShardedDataplane {
  readonly workers: number;
  readonly #rings: ShardRing[];
  readonly #threads: Worker[];
  readonly #results: Promise<{
    counters: DataplaneCounters;
    interfaces: InterfaceCounters[];
    flows: ExpiredFlow[];
    arp: ArpCounters;
    processedAt: number;
  }>[];
  readonly #perShard: number[];
  readonly #ready: Promise<unknown>[] = [];
  /** The sharding hash key: four u32 words (two 64-bit halves, low word first). */
  readonly #key: Uint32Array;
  readonly #scratch = new WeakMap<Core, ShardScratch>();
  #finished = false;

  constructor(options: ShardedDataplaneOptions) {
    const workers = options.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      throw new ConfigError("sharded-workers", `invalid workers ${describe(workers)}: expected 1 to 64`, workers);
    }
    if (typeof options.config !== "string")
      throw new ConfigError("sharded-config", "expected the IOS configuration as text", options.config);
    this.workers = workers;
    const seed = options.seed ?? 1;
    this.#key = Uint32Array.from([0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f], (c, k) => {
      let h = Math.imul(seed ^ c, 0x85ebca6b + 2 * k) >>> 0;
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
      return (h ^ (h >>> 16)) >>> 0;
    });
    this.#perShard = new Array(workers).fill(0);
    const url = workerUrl();
    this.#rings = [];
    this.#threads = [];
    this.#results = [];
    for (let s = 0; s < workers; s++) {
      const buffer = createRingBuffer(options.ringBytes ?? 16 * 1024 * 1024);
      const data: ShardWorkerData = {
        config: options.config,
        options: { seed, maxBatch: 4096, ...options.dataplane },
        ring: buffer,
        ...(options.table ? { table: options.table, tableSource: options.tableSource ?? "table" } : {}),
      };
      // execArgv: none, so a parent run under loaders (tsx, test setup) does not hand them to the worker.
      const worker = new Worker(url, { workerData: data, execArgv: [] });
      this.#rings.push(new ShardRing(buffer));
      this.#threads.push(worker);
      this.#ready.push(new Promise((resolve) => worker.once("message", resolve)));
      this.#results.push(
        new Promise((resolve, reject) => {
          worker.on("message", (m) => {
            if (!("ready" in m)) resolve(m);
          });
          worker.once("error", reject);
          worker.once("exit", (code) => {
            if (code !== 0) reject(new Error(`shard ${s} exited with code ${code}`));
          });
        }),
      );
    }
  }

  /** Resolves when every worker has built its Dataplane (packets sent before wait in the rings). */
  async ready(): Promise<void> {
    await Promise.all(this.#ready);
  }

  /**
   * Shards a parsed batch's packets onto the workers: one call into WebAssembly partitions the
   * batch into one run of records per shard (a keyed hash of each packet's flow), and each run
   * goes into its shard's ring in one copy.
   */
  process(batch: PacketBatch): void {
    if (this.#finished) throw new ConfigError("sharded-finished", "the ShardedDataplane has finished", undefined);
    const count = batch.length;
    if (count === 0) return;
    const w = batch.core.wasm;
    const scratch = this.#scratchFor(batch);
    const written = w.packetBatchPartition(
      batch.handle,
      this.workers,
      this.#key[0]!,
      this.#key[1]!,
      this.#key[2]!,
      this.#key[3]!,
      scratch.out,
      scratch.outBytes,
      scratch.table,
      scratch.work,
    );
    if (written < 0) throw new RangeError(`the batch of ${count} packets does not fit the sharding area`);
    const buffer = w.memory.buffer;
    const table = new Uint32Array(buffer, scratch.table, this.workers * 3);
    for (let s = 0; s < this.workers; s++) {
      const bytes = table[s * 3 + 1]!;
      const packets = table[s * 3 + 2]!;
      if (packets === 0) continue;
      this.#perShard[s]! += packets;
      const run = new Uint8Array(buffer, scratch.out + table[s * 3]!, bytes);
      const ring = this.#rings[s]!;
      if (bytes <= ring.maxRunBytes) ring.push(run, packets);
      else pushInPieces(ring, run);
    }
  }

  /** The sharding area on the batch's core, grown to the batch (WebAssembly memory, reused). */
  #scratchFor(batch: PacketBatch): ShardScratch {
    const w = batch.core.wasm;
    const outBytes = batch.capacity * (RECORD_HEADER + 8) + batch.frameBytes;
    let scratch = this.#scratch.get(batch.core);
    if (scratch !== undefined && scratch.outBytes >= outBytes && scratch.workBytes >= batch.capacity + 48) return scratch;
    if (scratch !== undefined) {
      w.free(scratch.out);
      w.free(scratch.table);
      w.free(scratch.work);
    }
    scratch = {
      out: w.alloc(outBytes),
      outBytes,
      table: w.alloc(this.workers * 12),
      work: w.alloc(batch.capacity + 48),
      workBytes: batch.capacity + 48,
    };
    this.#scratch.set(batch.core, scratch);
    return scratch;
  }

  /** Closes the rings, waits for every shard, and adds their results up; the workers exit. */
  async finish(): Promise<ShardedResult> {
    this.#finished = true;
    for (const ring of this.#rings) ring.close();
    const parts = await Promise.all(this.#results);
    await Promise.all(this.#threads.map((t) => t.terminate()));
    const [first, ...rest] = parts;
    const counters = structuredClone(first!.counters);
    const interfaces = structuredClone(first!.interfaces);
    const arp = structuredClone(first!.arp);
    for (const p of rest) {
      addInto(counters, p.counters);
      p.interfaces.forEach((f, k) => addInto(interfaces[k]!, { ...f, name: undefined as unknown as string }));
      addInto(arp, p.arp);
    }
    for (const f of interfaces) f.name = first!.interfaces[interfaces.indexOf(f)]!.name;
    return {
      counters,
      interfaces,
      flows: parts.flatMap((p) => p.flows),
      arp,
      perShard: [...this.#perShard],
      processedAt: Math.max(...parts.map((p) => p.processedAt)),
    };
  }
}
