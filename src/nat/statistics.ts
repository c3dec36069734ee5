/** The figures of `show ip nat statistics`, from a table's configuration, translations and counters. */

import { formatIPv4 } from "../net/address.js";
import type { ResolvedNatOptions } from "./options.js";
import type { NatCounters, NatStatistics, NatTranslation } from "./types.js";

/** Builds {@link NatStatistics} (shared by the table and its reference). */
export function natStatistics(
  config: ResolvedNatOptions,
  translations: NatTranslation[],
  counters: NatCounters,
  pools: { allocated: number; misses: number }[],
  refcounts: number[],
): NatStatistics {
  const statics = translations.filter((t) => t.static).length;
  return {
    active: translations.length,
    static: statics,
    dynamic: translations.length - statics,
    extended: translations.filter((t) => t.extended).length,
    peak: counters.peakEntries,
    insideInterfaces: config.interfaces.filter((i) => i.role === "inside").map((i) => i.name),
    outsideInterfaces: config.interfaces.filter((i) => i.role === "outside").map((i) => i.name),
    maxEntries: config.maxEntries,
    capacity: config.capacity,
    mappings: config.mappings.map((m, id) => ({
      id: id + 1,
      list: m.list,
      pool: config.pools[m.pool]!.name,
      interface: config.pools[m.pool]!.type === "interface",
      overload: m.overload,
      refcount: refcounts[id] ?? 0,
    })),
    pools: config.pools.map((p, id) => ({
      name: p.name,
      start: formatIPv4(p.start),
      end: formatIPv4(p.start + p.size - 1),
      netmask: formatIPv4(p.netmask),
      total: p.size,
      allocated: pools[id]?.allocated ?? 0,
      misses: pools[id]?.misses ?? 0,
      type: p.type,
    })),
    counters,
  };
}
