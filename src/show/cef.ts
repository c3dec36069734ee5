/**
 * `show ip cef summary`, in the layout of the Code Red document's example (seed 000, lines
 * 277-288; spec §3.5). Counters this FIB has no mechanism for (recursive re-resolution, the
 * resolution timer) are printed as the zeros they are. Load-sharing elements are shared by both
 * families, so their line counts them once, in the IPv4 block.
 */

import type { FibFamilySummary, FibSummary } from "../fib/fib.js";

function familyBlock(title: string, version: number, s: FibFamilySummary, summary: FibSummary, loadSharing: boolean): string[] {
  const ls = loadSharing ? summary.loadSharing : { elements: 0, bytes: 0, references: 0 };
  return [
    `${title} with switching (Table Version ${version})`,
    `  ${s.routes} routes, 0 reresolve, 0 unresolved (0 old, 0 new), peak 0`,
    `  ${s.leaves} leaves, ${s.nodes} nodes, ${s.bytes} bytes, ${s.inserts} inserts, ${s.invalidations} invalidations`,
    `  ${ls.elements} load sharing elements, ${ls.bytes} bytes, ${ls.references} references`,
    `  universal per-destination load sharing algorithm, id ${summary.hashId}`,
    `  ${summary.resets} CEF resets, ${s.revisions} revisions of existing leaves`,
    `  ${s.revisions} in-place/${s.aborted} aborted modifications`,
    `  Resolution Timer: Exponential (currently 0s, peak 0s)`,
    `  refcounts:  ${s.refcounts.leaf} leaf, ${s.refcounts.node} node`,
  ];
}

/**
 * Renders a {@link FibSummary} as IOS prints `show ip cef summary`; an IPv6 block follows when
 * the FIB holds IPv6 routes.
 */
export function renderCefSummary(summary: FibSummary): string {
  const lines = familyBlock("IP CEF", summary.tableVersion, summary.ipv4, summary, true);
  if (summary.ipv6.routes > 0 || summary.ipv6.inserts > 0) {
    lines.push("", ...familyBlock("IPv6 CEF", summary.tableVersion, summary.ipv6, summary, false));
  }
  lines.push("", `Adjacency Table has ${summary.adjacencies} adjacencies`);
  return `${lines.join("\n")}\n`;
}
