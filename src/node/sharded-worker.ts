/**
 * One shard of a {@link ShardedDataplane}: a worker thread with its own Dataplane, fed by a
 * {@link ShardRing}. Each run of records is copied from the ring into this Dataplane's
 * WebAssembly memory in one piece and unpacked there into a batch, which the Dataplane parses
 * and processes; when the ring closes the worker posts its counters and its flows (flushed) to
 * the parent.
 */

import { parentPort, workerData } from "node:worker_threads";
import { Dataplane } from "../dataplane/dataplane.js";
import { PacketBatch } from "../packet/batch.js";
import { ShardRing } from "./shard-ring.js";
import { installTableRoutes } from "./dataplane-table.js";
import type { ShardWorkerData } from "./sharded-dataplane.js";

const data = workerData as ShardWorkerData;
const dp = Dataplane.fromConfig(data.config, data.options);
if (data.table) installTableRoutes(dp, data.table, data.tableSource ?? "table");
const ring = new ShardRing(data.ring);
parentPort!.postMessage({ ready: true });
const CAPACITY = data.options.maxBatch ?? 4096;
const FRAME_BYTES = 4 * 1024 * 1024;
const batch = new PacketBatch({ core: dp.core, capacity: CAPACITY, frameBytes: FRAME_BYTES });
const w = dp.core.wasm;
let staging = 0;
let stagingBytes = 0;
let lastTime = 0;
for (;;) {
  const run = ring.take();
  if (run === undefined) break;
  const bytes = run.bytes.length;
  if (bytes > stagingBytes) {
    if (staging !== 0) w.free(staging);
    stagingBytes = Math.max(bytes, 1 << 20);
    staging = w.alloc(stagingBytes);
  }
  new Uint8Array(w.memory.buffer, staging, bytes).set(run.bytes);
  ring.release();
  for (let at = 0; at < bytes; ) {
    const taken = w.packetBatchUnpack(batch.handle, staging + at, bytes - at);
    if (taken <= 0) throw new Error(`shard worker: malformed run of records at byte ${at} of ${bytes}`);
    at += taken;
    const times = batch.columns.time;
    for (let i = 0, n = batch.length; i < n; i++) if (times[i]! > lastTime) lastTime = times[i]!;
    dp.process(batch);
  }
}
// When the last packet was done (before the flows are flushed and sent), on the epoch clock.
const processedAt = performance.timeOrigin + performance.now();
const flows = dp.flowCache ? dp.flowCache.flush(lastTime) : [];
parentPort!.postMessage({ counters: dp.counters(), interfaces: dp.interfaceCounters(), flows, arp: dp.arp.counters(), processedAt });
