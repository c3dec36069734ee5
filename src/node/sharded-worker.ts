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
const CAPACITY = 4096;
const FRAME_BYTES = 4 * 1024 * 1024;
const batch = new PacketBatch({ core: dp.core, capacity: CAPACITY, frameBytes: FRAME_BYTES });
let used = 0;
let lastTime = 0;
for (;;) {
  batch.clear();
  used = 0;
  const n = ring.pop(CAPACITY, (frame, iface, time, wireLength, linkType) => {
    if (used + frame.length > FRAME_BYTES) return false;
    used += frame.length;
    batch.push({ frame, time, interface: iface, wireLength, linkType });
    if (time > lastTime) lastTime = time;
    return true;
  });
  if (n === 0) break;
  dp.process(batch);
}
const flows = dp.flowCache ? dp.flowCache.flush(lastTime) : [];
parentPort!.postMessage({ counters: dp.counters(), interfaces: dp.interfaceCounters(), flows, arp: dp.arp.counters() });
