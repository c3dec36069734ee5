// Analysis over the flow cache and the forwarded packets: top talkers (analysis/top.ts, fields
// in analysis/fields.ts) and IP accounting (analysis/accounting.ts). The pipeline calls the
// accounting functions directly with the table pointer: `ipAccountingUpdate(table, batch, from,
// count, selection)` or `ipAccountingColumns(...)` on its output packets.

import { FlowCache } from "./flow/state";
import { fmix64 } from "./common/hash";
import { PacketBatch } from "./packet/batch";
import { TopTalkers, topRun, QUERY_BYTES, MAX_LIMIT, GROUP_BYTES, RESULT_BYTES } from "./analysis/top";
import {
  AccountingTable, accountingBytes, accountingCreate, accountingFree, accountColumns, accountBatch, accountingClear,
} from "./analysis/accounting";

export {
  QUERY_BYTES as TOP_QUERY_BYTES, GROUP_BYTES as TOP_GROUP_BYTES, RESULT_BYTES as TOP_RESULT_BYTES, MAX_LIMIT as TOP_MAX_LIMIT,
} from "./analysis/top";
export { ENTRY_BYTES as ACCOUNTING_ENTRY_BYTES } from "./analysis/accounting";

function slotsFor(maxGroups: u32): u32 {
  let slots: u32 = 16;
  while (slots < (maxGroups << 1)) slots <<= 1;
  return slots;
}

/** Bytes a top-talkers engine for `maxGroups` aggregates allocates. */
export function topTalkersBytes(maxGroups: u32): f64 {
  return <f64>(offsetof<TopTalkers>() + QUERY_BYTES + <usize>maxGroups * GROUP_BYTES + (<usize>slotsFor(maxGroups) << 2) + <usize>(MAX_LIMIT + 1) * RESULT_BYTES);
}

/** A top-talkers engine holding up to `maxGroups` aggregates; `seedLow`/`seedHigh` key its hash. */
export function topTalkersCreate(maxGroups: u32, seedLow: u32, seedHigh: u32): TopTalkers {
  const t = changetype<TopTalkers>(heap.alloc(offsetof<TopTalkers>()));
  memory.fill(changetype<usize>(t), 0, offsetof<TopTalkers>());
  t.maxGroups = maxGroups;
  t.indexSlots = slotsFor(maxGroups);
  t.query = heap.alloc(QUERY_BYTES);
  memory.fill(t.query, 0, QUERY_BYTES);
  t.groups = heap.alloc(<usize>maxGroups * GROUP_BYTES);
  t.index = heap.alloc(<usize>t.indexSlots << 2);
  t.results = heap.alloc(<usize>MAX_LIMIT * RESULT_BYTES);
  t.candidate = heap.alloc(RESULT_BYTES);
  // The seed may be small (a user's fixed seed): spread it over 64 bits before use.
  const key = ((<u64>seedHigh) << 32) | seedLow;
  t.key0 = fmix64(key ^ 0x9e3779b97f4a7c15);
  t.key1 = fmix64(key + 0x632be59bd9b4e019);
  return t;
}

export function topTalkersFree(t: TopTalkers): void {
  heap.free(t.query);
  heap.free(t.groups);
  heap.free(t.index);
  heap.free(t.results);
  heap.free(t.candidate);
  heap.free(changetype<usize>(t));
}

/** Pointer to the query record (QUERY_BYTES) the host fills before `topTalkersRun`. */
export function topTalkersQuery(t: TopTalkers): usize {
  return t.query;
}

/** Runs the query over the live flows of `cache`: 0 ok, 1 too many aggregates, 2 bad query. */
export function topTalkersRun(t: TopTalkers, cache: FlowCache): u32 {
  return topRun(t, cache);
}

/** Pointer to the ranked aggregates of the last run, best first (TOP_RESULT_BYTES each; count 3 of them). */
export function topTalkersResults(t: TopTalkers): usize {
  return t.results;
}

/** Counts of the last run, by `which`: 0 flows seen, 1 matched, 2 aggregates, 3 ranked, 4 qualifying aggregates, 5 flows in them. */
export function topTalkersCount(t: TopTalkers, which: u32): u32 {
  switch (which) {
    case 0: return t.seen;
    case 1: return t.matched;
    case 2: return t.groupCount;
    case 3: return t.shown;
    case 4: return t.qualifying;
    default: return t.qualifyingFlows;
  }
}

/** Bytes an IP accounting table of `threshold` pairs allocates. */
export function ipAccountingBytes(threshold: u32): f64 {
  return <f64>accountingBytes(threshold);
}

/** An IP accounting table of at most `threshold` pairs; the seeds key its hash. */
export function ipAccountingCreate(threshold: u32, seedLow: u32, seedHigh: u32, seedLow2: u32, seedHigh2: u32): AccountingTable {
  return accountingCreate(threshold, seedLow, seedHigh, seedLow2, seedHigh2);
}

export function ipAccountingFree(t: AccountingTable): void {
  accountingFree(t);
}

/**
 * Accounts the packets [from, from + count) of `batch` whose `selection` byte is non-zero (all
 * when `selection` is 0): the pipeline's hook for output packets. Returns the packets accounted.
 */
export function ipAccountingUpdate(t: AccountingTable, batch: PacketBatch, from: u32, count: u32, selection: usize): u32 {
  return accountBatch(t, batch, from, count, selection);
}

/** Accounts packets given as column pointers (see analysis/accounting.ts accountColumns). */
export function ipAccountingColumns(
  t: AccountingTable, version: usize, src: usize, dst: usize, length: usize, selection: usize, from: u32, count: u32,
): u32 {
  return accountColumns(t, version, src, dst, length, selection, from, count);
}

/** `clear ip accounting`. */
export function ipAccountingClear(t: AccountingTable): void {
  accountingClear(t);
}

/** Pointer to the active entries (checkpoint false) or the checkpoint's. */
export function ipAccountingEntries(t: AccountingTable, checkpoint: bool): usize {
  return checkpoint ? t.checkpoint : t.entries;
}

/** Counts by `which`: 0 active pairs, 1 checkpoint pairs, 2 threshold. */
export function ipAccountingCount(t: AccountingTable, which: u32): u32 {
  return which == 0 ? t.count : which == 1 ? t.checkpointCount : t.threshold;
}

/** Counters (u64, as f64: exact below 2^53) by `which`: 0/1 exceeded packets/bytes, 2/3 the checkpoint's, 4 not IP. */
export function ipAccountingCounter(t: AccountingTable, which: u32): f64 {
  switch (which) {
    case 0: return <f64>t.exceededPackets;
    case 1: return <f64>t.exceededBytes;
    case 2: return <f64>t.checkpointExceededPackets;
    case 3: return <f64>t.checkpointExceededBytes;
    default: return <f64>t.notIp;
  }
}
