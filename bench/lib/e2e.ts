/**
 * The end-to-end case of the workload suite (issue 18: simulated packets/s, generator + router):
 * the router, the Code Red mix and the loop that generates a batch and runs it through the
 * router, shared by the suite (one thread) and its worker (one shard per worker thread).
 */

import { resolvedNextHops } from "./next-hops.js";
import { PacketBatch } from "../../src/packet/batch.js";
import { Dataplane } from "../../src/dataplane/dataplane.js";
import { hashedNextHop, type RouteTable } from "../../src/node/table-file.js";
import { CodeRedI, BackgroundTraffic, fillMixed, type Workload, type DestinationTable } from "../../src/sim/workload/index.js";

export const BATCH = 4096;
const NEXT_HOPS = 16;

/** Background packets per second and Code Red I hosts of the whole mix (14 SYNs/s each, retransmitted twice: 420 k pps). */
export const MIX = { backgroundPps: 200_000, backgroundFlows: 10_000, codeRedHosts: 10_000 } as const;

/** The router: two interfaces, NetFlow on the inside one, the full table, every next hop resolved. */
export function router(routes: RouteTable): Dataplane {
  const dp = new Dataplane({
    interfaces: [
      { name: "Gi0/0", mac: "02:00:00:00:00:02", addresses: ["10.0.0.1/8"], netflow: { flow: "full" } },
      { name: "Gi0/1", mac: "02:00:00:00:00:03", addresses: ["198.51.100.1/24"] },
    ],
    ...resolvedNextHops(NEXT_HOPS),
    flowCache: { capacity: 131_072, activeTimeout: 1_800_000, inactiveTimeout: 15_000, exportQueueCapacity: 4096 },
    maxBatch: BATCH,
    seed: 1,
  });
  const spread = dp.nextHopAdjacencies();
  const ids = (columns: RouteTable["ipv4"], words: number) =>
    Uint32Array.from(
      { length: columns.count },
      (_, i) => spread[hashedNextHop(columns.addresses, words, i, columns.lengths[i]!, spread.length)]!,
    );
  dp.installRoutes(routes, { ipv4: ids(routes.ipv4, 1), ipv6: ids(routes.ipv6, 4) });
  return dp;
}

/** Code Red I hosts 10.0.x.y: shard `shard` of `shards` takes every `shards`-th of them. */
function codeRedHosts(shard: number, shards: number): number[] {
  const out: number[] = [];
  for (let i = shard; i < MIX.codeRedHosts; i += shards) out.push((0x0a000000 + 256 + i) >>> 0);
  return out;
}

export type EndToEndMode = "generator" | "parse" | "columns" | "background";

/**
 * Shard `shard` of `shards` of the Code Red mix (background traffic toward `destinations` and
 * Code Red I, with frames: the router checks each IPv4 header's checksum in its frame and
 * rewrites the frame, so even with `parse: false` it needs them), or background traffic alone
 * at the mix's whole rate.
 */
export function mix(destinations: DestinationTable, mode: EndToEndMode, shard = 0, shards = 1): Workload[] {
  const seed = 2 + shard;
  const frames = true;
  if (mode === "background") {
    return [
      new BackgroundTraffic({ table: destinations, packetsPerSecond: 620_000 / shards, flows: MIX.backgroundFlows / shards, seed, frames }),
    ];
  }
  return [
    new BackgroundTraffic({
      table: destinations,
      packetsPerSecond: MIX.backgroundPps / shards,
      flows: MIX.backgroundFlows / shards,
      seed,
      frames,
    }),
    new CodeRedI({ hosts: codeRedHosts(shard, shards), frames, seed: 3 }),
  ];
}

/**
 * One call fills one batch on the router's core with the workloads (fillMixed, in time order)
 * and, unless `mode` is "generator", runs it through the router — which parses the frames
 * ("parse", "background") or trusts the generator's columns ("columns") — then drains the flow
 * cache's export queue (the records are dropped: encoding them is the export suite's), as the
 * export process of a router does; without it the queue fills, and with it the cache, and
 * every new flow is refused instead of evicting the oldest. Returns the packets of the batch.
 */
export function endToEnd(dp: Dataplane, workloads: Workload[], mode: EndToEndMode): () => number {
  const batch = new PacketBatch({ capacity: BATCH, frameBytes: BATCH * 64, core: dp.core });
  const labels = new Uint8Array(BATCH);
  const cache = dp.flowCache!;
  const ignore = () => {};
  let until = 0;
  return () => {
    batch.clear();
    while (batch.length < BATCH) {
      until += 10;
      fillMixed(batch, workloads, until, labels);
    }
    if (mode !== "generator") {
      dp.process(batch, { parse: mode !== "columns" });
      cache.drainVisit(ignore);
    }
    return batch.length;
  };
}
