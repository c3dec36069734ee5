/**
 * The sharded end-to-end case: `shards` worker threads, each generating its share of the Code
 * Red mix and routing it through its own Dataplane (bench/lib/e2e-worker.ts). Measured from a
 * common start signal to the last shard's last batch: simulated packets per second of wall
 * time, and the process's CPU time over the same interval (the main thread only waits), whose
 * ratio to the wall time is the cores used.
 */

import { Worker } from "node:worker_threads";
import type { RouteTable } from "../../src/node/table-file.js";
import type { EndToEndMode } from "./e2e.js";

/** The table file each worker reads, or the table itself (copied to each worker). */
export type ShardTable = { path: string } | { routes: RouteTable };

export interface ShardedResult {
  shards: number;
  packets: number;
  wallMs: number;
  cpuMs: number;
  packetsPerSecond: number;
  packetsPerCpuSecond: number;
  coresUsed: number;
  forwarded: number;
  perShard: { packets: number; ms: number }[];
}

export async function runSharded(table: ShardTable, shards: number, batches: number, mode: EndToEndMode): Promise<ShardedResult> {
  const start = new SharedArrayBuffer(4);
  const workers = Array.from(
    { length: shards },
    (_, shard) =>
      new Worker(new URL("./e2e-worker.mjs", import.meta.url), {
        workerData: { table, shard, shards, batches, mode, start },
        execArgv: [],
      }),
  );
  const ready = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.once("message", () => resolve());
        w.once("error", reject);
      }),
  );
  await Promise.all(ready);
  const done = workers.map(
    (w) =>
      new Promise<{ packets: number; ms: number; forwarded: number }>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      }),
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  Atomics.store(new Int32Array(start), 0, 1);
  Atomics.notify(new Int32Array(start), 0);
  const results = await Promise.all(done);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(workers.map((w) => w.terminate()));
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const packets = results.reduce((a, r) => a + r.packets, 0);
  return {
    shards,
    packets,
    wallMs,
    cpuMs,
    packetsPerSecond: (packets * 1000) / wallMs,
    packetsPerCpuSecond: (packets * 1000) / cpuMs,
    coresUsed: cpuMs / wallMs,
    forwarded: results.reduce((a, r) => a + r.forwarded, 0),
    perShard: results.map((r) => ({ packets: r.packets, ms: r.ms })),
  };
}
