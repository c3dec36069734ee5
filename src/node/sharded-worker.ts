/**
 * One shard of a {@link ShardedDataplane}: a worker thread with its own Dataplane, fed by a
 * {@link ShardRing}. It processes the packets as they come, in batches, and when the ring
 * closes posts its counters and its flows (flushed) to the parent.
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
const CAPACITY = 4096;
const FRAME_BYTES = 4 * 1024 * 1024;
const batch = new PacketBatch({ core: dp.core, capacity: CAPACITY, frameBytes: FRAME_BYTES });
let lastTime = 0;
for (;;) {
  // Frames go straight into the batch's frame area and columns (the reader's way), not through
  // push(), which validates field objects.
  const c = batch.columns;
  const frames = batch.frames;
  let used = 0;
  let count = 0;
  const n = ring.pop(CAPACITY, (frame, iface, time, wireLength, linkType) => {
    if (used + frame.length > FRAME_BYTES) return false;
    frames.set(frame, used);
    c.frameOffset[count] = used;
    c.capturedLength[count] = frame.length;
    c.wireLength[count] = wireLength;
    c.time[count] = time;
    c.interface[count] = iface;
    c.linkType[count] = linkType;
    used += frame.length;
    count++;
    if (time > lastTime) lastTime = time;
    return true;
  });
  if (n === 0) break;
  batch.length = n;
  dp.process(batch);
}
const flows = dp.flowCache ? dp.flowCache.flush(lastTime) : [];
parentPort!.postMessage({ counters: dp.counters(), interfaces: dp.interfaceCounters(), flows, arp: dp.arp.counters() });
