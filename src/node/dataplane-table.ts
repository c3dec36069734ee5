/**
 * A routing-table file's routes into a Dataplane (`dataplane route --table`): each route to its
 * next hop's adjacency (or a special adjacency by name); routes without a next hop spread over
 * the configuration's next hops by a hash of the prefix, so every run (and every shard) builds
 * the same FIB.
 */

import { ConfigError } from "../errors.js";
import type { Dataplane } from "../dataplane/dataplane.js";
import { SpecialAdjacency } from "../fib/fib.js";
import { hashedNextHop, type RouteTable, type TableColumns } from "./table-file.js";

function adjacencies(dp: Dataplane, columns: TableColumns, words: number, source: string): Uint32Array {
  const ids = new Uint32Array(columns.count);
  const spread = dp.nextHopAdjacencies();
  const cache = new Map<string, number>();
  for (let i = 0; i < columns.count; i++) {
    const target = columns.targets[i] ?? "";
    if (target === "") {
      if (spread.length === 0) {
        throw new ConfigError(
          "route-table",
          `${source}: routes without a next hop need an ip route to a next hop in the configuration`,
          source,
        );
      }
      ids[i] = spread[hashedNextHop(columns.addresses, words, i, columns.lengths[i]!, spread.length)]!;
      continue;
    }
    let id = cache.get(target) ?? (SpecialAdjacency as Record<string, number>)[target.toLowerCase()];
    if (id === undefined) {
      id = dp.adjacencyFor({ nextHop: target });
      cache.set(target, id);
    }
    ids[i] = id;
  }
  return ids;
}

/** Installs `table` in the Dataplane's FIB (the configured routes stay on top). */
export function installTableRoutes(dp: Dataplane, table: RouteTable, source: string): void {
  dp.installRoutes(table, { ipv4: adjacencies(dp, table.ipv4, 1, source), ipv6: adjacencies(dp, table.ipv6, 4, source) });
}
