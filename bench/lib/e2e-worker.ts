/**
 * One shard of the sharded end-to-end case (bench/suites/workload.ts): this thread reads the
 * table, builds its own router and its share of the Code Red mix (no packet crosses threads),
 * warms up, waits for the start signal, then generates and routes `batches` batches and
 * reports its packets and the router's counters.
 */

import { parentPort, workerData } from "node:worker_threads";
import { readTableFile } from "../../src/node/table-file.js";
import { endToEnd, mix, router, type EndToEndMode } from "./e2e.js";
import type { ShardTable } from "./e2e-sharded.js";

const data = workerData as {
  table: ShardTable;
  shard: number;
  shards: number;
  batches: number;
  mode: EndToEndMode;
  start: SharedArrayBuffer;
};
const routes = "path" in data.table ? await readTableFile(data.table.path) : data.table.routes;
const dp = router(routes);
const step = endToEnd(dp, mix(routes.ipv4, data.mode, data.shard, data.shards), data.mode);
for (let w = 0; w < 64; w++) step();
const flag = new Int32Array(data.start);
parentPort!.postMessage({ ready: true });
Atomics.wait(flag, 0, 0);
const t0 = performance.now();
let packets = 0;
for (let b = 0; b < data.batches; b++) packets += step();
const ms = performance.now() - t0;
const c = dp.counters();
parentPort!.postMessage({ packets, ms, forwarded: c.forwarded, packetsIn: c.packetsIn, flowsAdded: dp.flowCache!.counters().flowsAdded });
dp.dispose();
