/** Small text helpers shared by the CLI commands. */

import type { Fib } from "../fib/fib.js";

/** "192.0.2.1 (table), adjacency 7", or the special adjacency's name. */
export function describeAdjacency(fib: Fib, id: number): string {
  const adjacency = fib.adjacency(id);
  if (adjacency === undefined) return `adjacency ${id}`;
  if (adjacency.kind !== "neighbor") return `${adjacency.kind} adjacency`;
  const via = adjacency.nextHop ?? "attached";
  return `${via} (${adjacency.interface}), adjacency ${id}`;
}

/** A rate with an SI suffix: 152.3 M/s. */
export function formatRate(perSecond: number, unit = "/s"): string {
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G${unit}`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M${unit}`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k${unit}`;
  return `${perSecond.toFixed(0)} ${unit}`;
}
