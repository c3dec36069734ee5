/**
 * Top talkers estimated from sampled flows (research: sampling.md §5.4): the largest flows (or
 * any key: source address, port, …) by estimated packets or bytes, each with its confidence
 * interval, and — what the plain sorted list of `show ip flow top-talkers` cannot say under
 * sampling — which entries are statistically distinguishable from the next one, and whether
 * each entry's place in the top list is certain.
 *
 * Ranking by packets compares two entries with the exact conditional test: under sampling at
 * 1/N, two flows of equal size give sampled counts c1, c2 with c1 | c1 + c2 ~ Binomial(c1 + c2,
 * 1/2). Ranking by bytes uses a normal test with the Horvitz–Thompson variances, taking each
 * flow's packets as equal-sized (approximate).
 */

import { ConfigError, describe } from "../errors.js";
import type { SamplerMode } from "../sampling/modes.js";
import { type Estimate, estimatePackets, estimateTotal } from "./estimators.js";
import { binomialCdf, normalCdf } from "./distributions.js";

/** A sampled flow record (or any keyed aggregate of selected packets). */
export interface SampledFlow {
  /** What the entries are ranked by: a flow key, a source address, a port … */
  key: string;
  /** Selected packets counted in the record. */
  packets: number;
  /** Bytes of those packets. */
  bytes: number;
}

/** Options of {@link estimateTopTalkers}. */
export interface TopTalkerOptions {
  /** N: the sampler selected one packet out of N. */
  interval: number;
  mode?: SamplerMode;
  /** How many entries to return (default 10). */
  top?: number;
  /** Rank by estimated bytes (default, as `show ip flow top-talkers`) or packets. */
  sortBy?: "bytes" | "packets";
  /** Confidence level of the intervals and tests (default 0.95). */
  confidence?: number;
}

/** One entry of the estimated top list. */
export interface TopTalkerEstimate {
  /** 1 for the largest. */
  rank: number;
  key: string;
  /** Sampled flow records merged into this entry (not scaled: flow counts never are). */
  sampledFlowRecords: number;
  sampledPackets: number;
  sampledBytes: number;
  packets: Estimate;
  bytes: Estimate;
  /**
   * Whether this entry is larger than the next one with significance 1 − confidence (false
   * for the last entry when nothing follows it).
   */
  distinguishableFromNext: boolean;
  /** p-value of the test against the next entry (1 when nothing follows). */
  pValueNext: number;
  /**
   * `certain` when the entry is distinguishable from the largest entry left out of the list
   * (or nothing was left out), `uncertain` when a left-out entry may truly be larger.
   */
  membership: "certain" | "uncertain";
}

/** The estimated top list. */
export interface TopTalkers {
  entries: TopTalkerEstimate[];
  /** Distinct keys among the sampled flows. */
  distinctKeys: number;
  /** Sampled flow records read (not scaled: flows cannot be estimated by N × records). */
  sampledFlowRecords: number;
  interval: number;
  sortBy: "bytes" | "packets";
  confidence: number;
}

interface Aggregate {
  key: string;
  records: number;
  packets: number;
  bytes: number;
}

/** Two-sided p-value that two entries have the same true size. */
function differenceTest(a: Aggregate, b: Aggregate, sortBy: "bytes" | "packets", interval: number): number {
  // Unsampled counts are exact: any difference is real.
  if (interval === 1) return a[sortBy] === b[sortBy] ? 1 : 0;
  if (sortBy === "packets") {
    const n = a.packets + b.packets;
    if (n === 0) return 1;
    const small = Math.min(a.packets, b.packets);
    return Math.min(1, 2 * binomialCdf(small, n, 0.5));
  }
  const variance = (x: Aggregate) => (x.packets > 0 ? (interval * (interval - 1) * x.bytes * x.bytes) / x.packets : 0);
  const v = variance(a) + variance(b);
  const d = interval * Math.abs(a.bytes - b.bytes);
  if (v === 0) return d === 0 ? 1 : 0;
  return Math.min(1, 2 * normalCdf(-d / Math.sqrt(v)));
}

/**
 * The top entries by estimated bytes or packets, with intervals and distinguishability.
 * Records with the same key are merged. With `interval` 1 (unsampled) every estimate is exact.
 */
export function estimateTopTalkers(flows: Iterable<SampledFlow>, options: TopTalkerOptions): TopTalkers {
  const interval = options?.interval;
  if (typeof interval !== "number" || !Number.isFinite(interval) || interval < 1) {
    throw new ConfigError("estimate-interval", `invalid sampling interval ${describe(interval)}: expected a number ≥ 1`, interval);
  }
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 1)
    throw new ConfigError("top-talkers-top", `invalid top ${describe(top)}: expected an integer ≥ 1`, top);
  const sortBy = options.sortBy ?? "bytes";
  if (sortBy !== "bytes" && sortBy !== "packets") throw new ConfigError("top-talkers-sort", `invalid sortBy ${describe(sortBy)}`, sortBy);
  const confidence = options.confidence ?? 0.95;
  const byKey = new Map<string, Aggregate>();
  let records = 0;
  for (const flow of flows) {
    if (flow === null || typeof flow !== "object" || !(flow.packets >= 0) || !(flow.bytes >= 0)) {
      throw new ConfigError("top-talkers-flow", `invalid sampled flow ${describe(flow)}: expected { key, packets ≥ 0, bytes ≥ 0 }`, flow);
    }
    records++;
    const key = String(flow.key);
    const entry = byKey.get(key) ?? { key, records: 0, packets: 0, bytes: 0 };
    entry.records++;
    entry.packets += flow.packets;
    entry.bytes += flow.bytes;
    byKey.set(key, entry);
  }
  // Ties: the other measure, then the key, so the order never depends on the input's.
  const other = sortBy === "bytes" ? "packets" : "bytes";
  const sorted = [...byKey.values()].sort(
    (a, b) => b[sortBy] - a[sortBy] || b[other] - a[other] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const shown = sorted.slice(0, top);
  const firstLeftOut = sorted[top];
  const alpha = 1 - confidence;
  const estimateOptions = { interval, confidence, ...(options.mode ? { mode: options.mode } : {}) };
  const entries = shown.map((entry, i): TopTalkerEstimate => {
    const next = sorted[i + 1];
    const pValueNext = next === undefined ? 1 : differenceTest(entry, next, sortBy, interval);
    const pLeftOut = firstLeftOut === undefined ? 0 : differenceTest(entry, firstLeftOut, sortBy, interval);
    // Σy² of a record is not kept; take its packets as equal-sized (bytes²/packets).
    const squares = entry.packets > 0 ? (entry.bytes * entry.bytes) / entry.packets : 0;
    return {
      rank: i + 1,
      key: entry.key,
      sampledFlowRecords: entry.records,
      sampledPackets: entry.packets,
      sampledBytes: entry.bytes,
      packets: estimatePackets(entry.packets, estimateOptions),
      bytes: estimateTotal({ count: entry.packets, sum: entry.bytes, sumOfSquares: squares }, estimateOptions),
      distinguishableFromNext: next !== undefined && pValueNext < alpha,
      pValueNext,
      membership: pLeftOut < alpha ? "certain" : "uncertain",
    };
  });
  return { entries, distinctKeys: byKey.size, sampledFlowRecords: records, interval, sortBy, confidence };
}
