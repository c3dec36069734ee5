/**
 * {@link ShardedDataplane}: the router across cores. N worker threads, each a long-lived
 * {@link Dataplane} configured the same way, fed through one SharedArrayBuffer ring each
 * (frames copied in once, indices moved with Atomics); packets are sharded by a keyed hash of
 * their flow (addresses, protocol, ports), so every flow is accounted whole by one shard and
 * the flows and counters add up to those of one Dataplane on the same packets. The routing
 * table is read once and copied to every shard. Node only.
 */

import { Worker } from "node:worker_threads";
import { ConfigError, describe } from "../errors.js";
import type { PacketBatch } from "../packet/batch.js";
import type { DataplaneOptions } from "../dataplane/options.js";
import type { DataplaneCounters, InterfaceCounters } from "../dataplane/verdicts.js";
import type { ExpiredFlow } from "../flow/record.js";
import type { ArpCounters } from "../arp/types.js";
import type { RouteTable } from "./table-file.js";
import { ShardRing, createRingBuffer } from "./shard-ring.js";

/** What a shard's worker is given. @internal */
export interface ShardWorkerData {
  config: string;
  options: Pick<DataplaneOptions, "seed" | "maxBatch" | "icmpRate" | "icmpBurst" | "tickIntervalMs">;
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
  dataplane?: Pick<DataplaneOptions, "icmpRate" | "icmpBurst" | "tickIntervalMs">;
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

/** The worker's entry: the built file beside this one, or (running from sources) the TS file through tsx. */
function workerUrl(): URL {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new URL("./sharded-worker.js", here);
  const tsx = import.meta.resolve("tsx/esm/api");
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
  readonly #results: Promise<{ counters: DataplaneCounters; interfaces: InterfaceCounters[]; flows: ExpiredFlow[]; arp: ArpCounters }>[];
  readonly #perShard: number[];
  readonly #ready: Promise<unknown>[] = [];
  readonly #k0: number;
  readonly #k1: number;
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
    this.#k0 = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.#k1 = Math.imul((seed >>> 16) ^ 0xc2b2ae35, 0x27d4eb2f) >>> 0;
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

  /** The shard of packet `i` of a parsed batch: a keyed hash of its flow key. */
  #shard(c: PacketBatch["columns"], i: number): number {
    if (this.workers === 1) return 0;
    const version = c.ipVersion[i]!;
    if (version !== 4 && version !== 6) return 0;
    let h = this.#k0;
    const mix = (v: number) => {
      h = Math.imul(h ^ v, 0x01000193) >>> 0;
      h = (h ^ (h >>> 15) ^ this.#k1) >>> 0;
    };
    for (let w = 0; w < (version === 6 ? 4 : 1); w++) {
      mix(c.src[i * 4 + w]!);
      mix(c.dst[i * 4 + w]!);
    }
    mix(c.protocol[i]! | (c.srcPort[i]! << 8));
    mix(c.dstPort[i]!);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return ((h ^ (h >>> 16)) >>> 0) % this.workers;
  }

  /** Shards a parsed batch's packets onto the workers (their frames are copied into the rings). */
  process(batch: PacketBatch): void {
    if (this.#finished) throw new ConfigError("sharded-finished", "the ShardedDataplane has finished", undefined);
    const c = batch.columns;
    for (let i = 0; i < batch.length; i++) {
      const s = this.#shard(c, i);
      this.#perShard[s]!++;
      this.#rings[s]!.push({
        frame: batch.frame(i),
        interface: c.interface[i]!,
        time: c.time[i]!,
        wireLength: c.wireLength[i]!,
        linkType: c.linkType[i]!,
      });
    }
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
    return { counters, interfaces, flows: parts.flatMap((p) => p.flows), arp, perShard: [...this.#perShard] };
  }
}
