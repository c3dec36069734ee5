/**
 * The decisive IOS displays of a simulated router at the end of a run, and how well the
 * NetFlow displays name the infected hosts: `show ip flow top … match destination-port 80`
 * (dynamic top talkers, seed 003) and `show ip cache flow | include 0050` (the Code Red
 * document's method, 000:L57–75), each scored against the generator's ground truth.
 */

import type { Display } from "../report/result.js";
import type { SimRouter } from "../router/router.js";
import { NegativeCachingArp } from "../router/arp-models.js";
import { showCommands } from "../../show/commands.js";
import { renderTopTalkers } from "../../show/top-talkers.js";
import { renderProcessesCpu, renderProcessesMemory } from "../../show/processes.js";
import { renderLogging } from "../../show/logging.js";
import { renderRouteCacheHeader, renderRouteCacheEntry } from "../../show/route-cache.js";
import { ENTRY_BYTES } from "../load-meter/costs.js";

/** Flows to port 80 from one source that make an operator name it (the note's "abnormally high number of entries"). */
export const NAMED_FLOWS = 3;

/** Precision and recall of one display (null: nothing named, or nothing to find). */
export interface Score {
  named: number;
  precision: number | null;
  recall: number | null;
}

/** Both displays' scores (null when the display is not available: no NetFlow, or the router is reloading). */
export interface Detection {
  top: Score | null;
  include0050: Score | null;
  /** The commands and their display lines, for the report. */
  topQuery: string;
  includeCommand: string;
  topLines: string[];
  includeLines: string[];
}

function score(named: Set<number>, truth: Set<number>): Score {
  let hits = 0;
  for (const a of named) if (truth.has(a)) hits++;
  return {
    named: named.size,
    precision: named.size === 0 ? null : hits / named.size,
    recall: truth.size === 0 ? null : hits / truth.size,
  };
}

function ipv4(text: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (m === null) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/** Scores the router's NetFlow displays against the infected hosts. */
export function detection(
  router: SimRouter,
  truth: Set<number>,
  nowMs: number,
  match = "destination-port 80",
  hexPort = "0050",
): Detection {
  const topQuery = `show ip flow top 100 aggregate source-address sorted-by flows match ${match}`;
  const includeCommand = `show ip cache flow | include ${hexPort}`;
  const parts = router.components();
  const cache = parts?.dataplane.flowCache;
  if (parts === undefined || cache === undefined || parts.top === undefined)
    return {
      top: null,
      include0050: null,
      topQuery,
      includeCommand,
      topLines: ["% NetFlow is not running (no flow cache, or the router is reloading)"],
      includeLines: [],
    };
  const names = { interfaceName: (i: number) => parts.dataplane.interfaceNames[i] ?? `if${i}` };
  const result = parts.top.query(topQuery.slice("show ip flow top ".length));
  const topNamed = new Set<number>();
  for (const t of result.talkers) {
    const a = typeof t.value === "string" ? ipv4(t.value) : undefined;
    if (a !== undefined && t.flows >= NAMED_FLOWS) topNamed.add(a);
  }
  const topLines = renderTopTalkers(result, names);
  const include = showCommands.run(includeCommand, { now: nowMs, flowCache: cache, names }).lines;
  const perSource = new Map<number, number>();
  for (const line of include) {
    const w = line.trim().split(/\s+/);
    if (w.length < 8 || w[6] !== hexPort) continue;
    const a = ipv4(w[1]!);
    if (a !== undefined) perSource.set(a, (perSource.get(a) ?? 0) + 1);
  }
  const includeNamed = new Set([...perSource].filter(([, n]) => n >= NAMED_FLOWS).map(([a]) => a));
  return {
    top: score(topNamed, truth),
    include0050: score(includeNamed, truth),
    topQuery,
    includeCommand,
    topLines,
    includeLines: include,
  };
}

function head(lines: string[], n: number): string {
  const shown = lines.slice(0, n);
  if (lines.length > n) shown.push(`... (${(lines.length - n).toLocaleString("en-US")} more lines)`);
  return `${shown.join("\n")}\n`;
}

/** The displays of the report, at the end of the run. */
export function routerDisplays(router: SimRouter, det: Detection): Display[] {
  const out: Display[] = [];
  out.push({ title: "show processes cpu sorted", text: head(renderProcessesCpu(router.cpu.snapshot(), { sorted: true }).split("\n"), 12) });
  const parts = router.components();
  if (parts === undefined) {
    out.push({ title: "show version", text: "% the router is reloading\n" });
  } else {
    out.push({ title: "show processes memory", text: head(renderProcessesMemory(parts.pool.snapshot()).split("\n"), 20) });
    const a = { present: 0, incomplete: 0, nexist: 0 };
    for (const arp of parts.arps) {
      const x = arp.summary();
      a.present += x.present;
      a.incomplete += x.incomplete;
      a.nexist += x.nexist;
    }
    const arpText = parts.arps.some((x) => x instanceof NegativeCachingArp)
      ? `${a.present + a.incomplete} IP ARP entries, with ${a.incomplete} of them incomplete\n${a.nexist} negative (NEXIST) entries\n`
      : `${a.present} IP ARP entries, with 0 of them incomplete\n`;
    out.push({ title: "show ip arp summary", text: arpText });
    const cache = parts.routeCache;
    if (cache !== undefined) {
      const s = cache.statistics();
      const lines = renderRouteCacheHeader(s, cache.timers, s.nowMs, false);
      lines.push("", "Prefix/Length          Age    Interface     Next Hop");
      for (const e of cache.entries().slice(0, 8)) lines.push(...renderRouteCacheEntry(e, s.nowMs, false));
      out.push({ title: "show ip cache", text: head(lines, 20) });
    } else {
      const adjacencies = Math.round((router.seconds.at(-1)?.cefBytes ?? 0) / ENTRY_BYTES.cefAdjacency);
      out.push({ title: "show adjacency summary", text: `Adjacency Table has ${adjacencies} adjacencies\n` });
    }
  }
  out.push({ title: det.topQuery, text: head(det.topLines, 16) });
  if (det.includeLines.length > 0 || det.include0050 !== null) out.push({ title: det.includeCommand, text: head(det.includeLines, 16) });
  const logging = renderLogging(router.console.snapshot());
  out.push({ title: "show logging", text: `${logging}${router.console.recent.slice(-4).join("\n")}\n` });
  return out;
}
