// Top talkers over the live flows of a flow cache, read in place (seed spec §1.18–1.19).
//
// One sweep goes through the entry pool in entry order (the order in which IOS's top talkers
// "sweep through the cache"); every live flow is seen (M), a flow that fails a pre-aggregation
// criterion or lacks the aggregation field is skipped, and the others (N) are added to their
// aggregate in a group table (open addressing under a keyed hash, sized for every flow being its
// own group, so it can never be full). Then the aggregates that pass the post-aggregation
// `flows` criterion are ranked into the top `limit` by an insertion into a sorted array of at
// most MAX_LIMIT entries (one comparison rejects most aggregates). Ties keep sweep order: the
// aggregate seen first comes first, in either direction. In per-flow mode (configured top
// talkers, §1.19) each matching flow is its own aggregate and the table is not used.
//
// The query is a QUERY_BYTES record the host writes (offsets Q_*), criteria CRITERION_BYTES each:
//
//   criterion  +0 u32 field   +4 u32 kind (0 range, 1 prefix)   +8 u32 tag (0 any, 4, 6)
//              +16 u64 a     +24 u64 b    +32 u64 mask high     +40 u64 mask low
//   range: a <= value <= b (scalar fields); prefix: (value & mask) == (a, b) as 128 bits.
//
// An aggregate (GROUP_BYTES): +0 u64 value high, +8 u64 value low, +16 u64 bytes, +24 u64
// packets, +32 u32 flows, +36 u32 tag (per-flow mode: value low = entry id). A result
// (RESULT_BYTES) is an aggregate followed by +40 u32 its sweep order (the entry id of its first
// flow, or its aggregate number), the tie-breaker.
//
// `aggregate source-address` with no criterion, on a cache that keeps its top-talkers column
// (flow/talkers.ts), takes a faster road: the column (16 bytes a flow, not the 112-byte record)
// carries each flow's interned source id, so the flows are added to per-source accumulators by
// index, with no hashing; see sweepSources.

import { fmix64 } from "../common/hash";
import { FlowCache, RECORD_BYTES, OFF_PACKETS, OFF_BYTES, OFF_SRC, OFF_DST, OFF_VERSION } from "../flow/state";
import { TALKER_BYTES, SOURCE_BYTES } from "../flow/talkers";
import { fieldRead, valueHigh, valueLow, valueTag, FIELD_SOURCE_ADDRESS, FIELD_DESTINATION_ADDRESS } from "./fields";

export const FIELD_PER_FLOW: u32 = 0xff;
export const MAX_CRITERIA: u32 = 8;
export const MAX_LIMIT: u32 = 256;
export const CRITERION_BYTES: u32 = 48;
export const GROUP_BYTES: u32 = 40;
export const RESULT_BYTES: u32 = 48;

export const Q_FIELD: u32 = 0;
export const Q_SORT: u32 = 4;
export const Q_DESCENDING: u32 = 8;
export const Q_LIMIT: u32 = 12;
export const Q_CRITERIA: u32 = 16;
export const Q_FLOWS_MATCH: u32 = 20;
export const Q_FLOWS_MIN: u32 = 24;
export const Q_FLOWS_MAX: u32 = 32;
export const Q_CRITERION: u32 = 40;
export const QUERY_BYTES: u32 = Q_CRITERION + MAX_CRITERIA * CRITERION_BYTES;

export const SORT_AGGREGATE: u32 = 0;
export const SORT_BYTES: u32 = 1;
export const SORT_FLOWS: u32 = 2;
export const SORT_PACKETS: u32 = 3;

export const KIND_RANGE: u32 = 0;
export const KIND_PREFIX: u32 = 1;

/** Results of a run: 0 ok; 1 more aggregates than the table holds (only when sized below the cache). */
export const TOP_OK: u32 = 0;
export const TOP_TOO_MANY_GROUPS: u32 = 1;
export const TOP_BAD_QUERY: u32 = 2;

@unmanaged export class TopTalkers {
  query: usize;
  groups: usize;
  /** u32 slots (group + 1, 0 empty); a power of two, at least twice maxGroups. */
  index: usize;
  /** The ranked aggregates of the last run, best first: MAX_LIMIT × RESULT_BYTES. */
  results: usize;
  /** A candidate of the ranking (RESULT_BYTES). */
  candidate: usize;
  /** The secret key of groupHash. */
  key0: u64;
  key1: u64;
  indexSlots: u32;
  /** Slots of the index the current run uses (a power of two, at most indexSlots). */
  slotsInUse: u32;
  maxGroups: u32;
  /** Flows seen, flows matched before aggregation, aggregates made, aggregates ranked, flows in those. */
  seen: u32;
  matched: u32;
  groupCount: u32;
  shown: u32;
  qualifying: u32;
  qualifyingFlows: u32;
}

// @ts-ignore: decorator
@inline function criterionHolds(e: usize, k: usize): bool {
  if (!fieldRead(e, load<u32>(k))) return false;
  const tag = load<u32>(k, 8);
  if (tag != 0 && tag != valueTag) return false;
  if (load<u32>(k, 4) == KIND_RANGE) return valueHigh == 0 && valueLow >= load<u64>(k, 16) && valueLow <= load<u64>(k, 24);
  return (valueHigh & load<u64>(k, 32)) == load<u64>(k, 16) && (valueLow & load<u64>(k, 40)) == load<u64>(k, 24);
}

function criteriaHold(e: usize, q: usize, count: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    if (!criterionHolds(e, q + Q_CRITERION + <usize>i * CRITERION_BYTES)) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline function groupAt(t: TopTalkers, g: u32): usize {
  return t.groups + <usize>g * GROUP_BYTES;
}

/**
 * The keyed hash of an aggregate's value: murmur3's finaliser over the high word under the
 * secret key, then (IPv6 and other 128-bit values) over that and the low word under the second
 * key, so values that collide for one key do not for another and a sender cannot fold 128-bit
 * addresses onto one slot without the key. Slots are its top bits.
 */
// @ts-ignore: decorator
@inline function groupHash(t: TopTalkers, high: u64, low: u64, tag: u32): u32 {
  let h = fmix64(high ^ t.key0 ^ <u64>tag);
  if (low != 0) h = fmix64(h ^ low ^ t.key1);
  return <u32>(h >> 32);
}

/** Index slots the table starts a run with; it doubles whenever it is half full. A slot is the top bits of the hash. */
const FIRST_SLOTS: u32 = 1024;

/** Doubles the index in use (at most indexSlots) and re-enters every aggregate. */
function grow(t: TopTalkers): void {
  const slots = t.slotsInUse << 1;
  const mask = slots - 1;
  const index = t.index;
  memory.fill(index, 0, <usize>slots << 2);
  for (let g: u32 = 0, n = t.groupCount; g < n; g++) {
    const p = groupAt(t, g);
    let i = groupHash(t, load<u64>(p), load<u64>(p, 8), load<u32>(p, 36)) >>> (32 - ctz<u32>(slots));
    while (load<u32>(index + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(index + (<usize>i << 2), g + 1);
  }
  t.slotsInUse = slots;
}

/**
 * Adds the flow at `e` to the aggregate of (high, low, tag); false when the table is full. The
 * index stays at most half full (it grows first), so a probe always meets an empty slot.
 */
// @ts-ignore: decorator
@inline function aggregate(t: TopTalkers, e: usize, high: u64, low: u64, tag: u32): bool {
  const index = t.index;
  let mask = t.slotsInUse - 1;
  let i = groupHash(t, high, low, tag) >>> (32 - ctz<u32>(t.slotsInUse));
  let done = false;
  let ok = true;
  while (!done) {
    const at = index + (<usize>i << 2);
    const slot = load<u32>(at);
    if (slot == 0) {
      const g = t.groupCount;
      if (g == t.maxGroups) {
        ok = false;
      } else {
        t.groupCount = g + 1;
        store<u32>(at, g + 1);
        const p = groupAt(t, g);
        store<u64>(p, high);
        store<u64>(p, low, 8);
        store<u64>(p, load<u64>(e, OFF_BYTES), 16);
        store<u64>(p, <u64>load<u32>(e, OFF_PACKETS), 24);
        store<u32>(p, 1, 32);
        store<u32>(p, tag, 36);
        if ((g + 1) << 1 > t.slotsInUse && t.slotsInUse < t.indexSlots) grow(t);
      }
      done = true;
    } else {
      const p = groupAt(t, slot - 1);
      if (load<u64>(p) == high && load<u64>(p, 8) == low && load<u32>(p, 36) == tag) {
        store<u64>(p, load<u64>(p, 16) + load<u64>(e, OFF_BYTES), 16);
        store<u64>(p, load<u64>(p, 24) + <u64>load<u32>(e, OFF_PACKETS), 24);
        store<u32>(p, load<u32>(p, 32) + 1, 32);
        done = true;
      } else {
        i = (i + 1) & mask;
      }
    }
  }
  return ok;
}

/**
 * The sweep for an address aggregation with no criterion (the common `aggregate source-address`):
 * the general loop with the field read, the hash and the probe inlined and the table's fields
 * held in locals (reloaded only when the index grows).
 */
function sweepAddresses(t: TopTalkers, c: FlowCache, offset: u32): bool {
  const end = c.fresh;
  const index = t.index;
  const groups = t.groups;
  const maxGroups = t.maxGroups;
  let mask = t.slotsInUse - 1;
  let shift = 32 - ctz<u32>(t.slotsInUse);
  let count: u32 = 0;
  let seen: u32 = 0;
  let e = c.entries;
  for (let id: u32 = 0; id < end; id++, e += RECORD_BYTES) {
    const packets = load<u32>(e, OFF_PACKETS);
    if (packets == 0) continue;
    const bytes = load<u64>(e, OFF_BYTES);
    const version = <u32>load<u8>(e, OFF_VERSION);
    let high = (<u64>load<u32>(e + offset)) << 32;
    seen++;
    let low: u64 = 0;
    if (version != 4) {
      const a = e + offset;
      high |= <u64>load<u32>(a, 4);
      low = ((<u64>load<u32>(a, 8)) << 32) | <u64>load<u32>(a, 12);
    }
    let i = groupHash(t, high, low, version) >>> shift;
    for (;;) {
      const at = index + (<usize>i << 2);
      const slot = load<u32>(at);
      if (slot == 0) {
        if (count == maxGroups) {
          t.groupCount = count;
          t.seen = seen;
          return false;
        }
        store<u32>(at, count + 1);
        const g = groups + <usize>count * GROUP_BYTES;
        store<u64>(g, high);
        store<u64>(g, low, 8);
        store<u64>(g, bytes, 16);
        store<u64>(g, <u64>packets, 24);
        store<u32>(g, 1, 32);
        store<u32>(g, version, 36);
        count++;
        if (count << 1 > mask + 1 && mask + 1 < t.indexSlots) {
          t.groupCount = count;
          grow(t);
          mask = t.slotsInUse - 1;
          shift = 32 - ctz<u32>(t.slotsInUse);
        }
        break;
      }
      const g = groups + <usize>(slot - 1) * GROUP_BYTES;
      if (load<u64>(g) == high && load<u64>(g, 8) == low && load<u32>(g, 36) == version) {
        store<u64>(g, load<u64>(g, 16) + bytes, 16);
        store<u64>(g, load<u64>(g, 24) + <u64>packets, 24);
        store<u32>(g, load<u32>(g, 32) + 1, 32);
        break;
      }
      i = (i + 1) & mask;
    }
  }
  t.groupCount = count;
  t.seen = seen;
  t.matched = seen;
  return true;
}

// @ts-ignore: decorator
@inline function compareU64(a: u64, b: u64): i32 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders aggregates a and b ascending by the sort key (0 when equal). */
function compareGroups(a: usize, b: usize, sort: u32): i32 {
  switch (sort) {
    case SORT_BYTES: return compareU64(load<u64>(a, 16), load<u64>(b, 16));
    case SORT_PACKETS: return compareU64(load<u64>(a, 24), load<u64>(b, 24));
    case SORT_FLOWS: return compareU64(<u64>load<u32>(a, 32), <u64>load<u32>(b, 32));
    default: {
      const tags = compareU64(<u64>load<u32>(a, 36), <u64>load<u32>(b, 36));
      if (tags != 0) return tags;
      const high = compareU64(load<u64>(a), load<u64>(b));
      return high != 0 ? high : compareU64(load<u64>(a, 8), load<u64>(b, 8));
    }
  }
}

/** Whether result `a` goes before result `b`: better by the sort key, or as good and met first. */
// @ts-ignore: decorator
@inline function ranksBefore(a: usize, b: usize, sort: u32, descending: bool): bool {
  const c = compareGroups(a, b, sort);
  if (c != 0) return descending ? c > 0 : c < 0;
  return load<u32>(a, 40) < load<u32>(b, 40);
}

/**
 * Offers the candidate (t.candidate) to the ranked results (best first, at most `limit`): an
 * insertion into a sorted array, where one comparison with the last rejects most candidates.
 */
function offer(t: TopTalkers, limit: u32, sort: u32, descending: bool): void {
  const results = t.results;
  const p = t.candidate;
  let k = t.shown;
  let j = k;
  if (k == limit) {
    if (!ranksBefore(p, results + <usize>(k - 1) * RESULT_BYTES, sort, descending)) return;
    j = k - 1;
  } else {
    t.shown = ++k;
  }
  while (j > 0 && ranksBefore(p, results + <usize>(j - 1) * RESULT_BYTES, sort, descending)) j--;
  const at = results + <usize>j * RESULT_BYTES;
  const last = k - 1;
  if (last > j) memory.copy(at + RESULT_BYTES, at, <usize>(last - j) * RESULT_BYTES);
  memory.copy(at, p, RESULT_BYTES);
}

// @ts-ignore: decorator
@inline function flowsQualify(q: usize, flows: u32): bool {
  return load<u32>(q, Q_FLOWS_MATCH) == 0 || (<u64>flows >= load<u64>(q, Q_FLOWS_MIN) && <u64>flows <= load<u64>(q, Q_FLOWS_MAX));
}

/** Ranks the aggregates of the groups area into the results (ties in sweep order: aggregate number). */
function rank(t: TopTalkers, q: usize): void {
  const limit = load<u32>(q, Q_LIMIT);
  const sort = load<u32>(q, Q_SORT);
  const descending = load<u32>(q, Q_DESCENDING) != 0;
  const p = t.candidate;
  let qualifying: u32 = 0;
  let qualifyingFlows: u32 = 0;
  t.shown = 0;
  for (let g: u32 = 0, count = t.groupCount; g < count; g++) {
    const a = groupAt(t, g);
    const flows = load<u32>(a, 32);
    if (!flowsQualify(q, flows)) continue;
    qualifying++;
    qualifyingFlows += flows;
    memory.copy(p, a, GROUP_BYTES);
    store<u32>(p, g, 40);
    offer(t, limit, sort, descending);
  }
  t.qualifying = qualifying;
  t.qualifyingFlows = qualifyingFlows;
}

// ---- The interned sweep ---------------------------------------------------------------------
//
// With the cache keeping its top-talkers column, every live flow carries the dense id of its
// source (flow/talkers.ts), so `aggregate source-address` with no criterion needs no hash at all:
// one pass streams the column and adds each flow to its source's accumulator by index, then the
// accumulators are ranked. An accumulator (ACC_BYTES, in the groups area, one per source id below
// the table's high-water mark): +0 u64 bytes, +8 u64 packets, +16 u32 flows, +20 u32 the entry
// id of the source's first flow in the sweep (its sweep order, the tie-breaker). 47k sources take
// 1.1 MB, which stays in the L2 cache where a keyed table with its keys (and the probes past a
// home slot) did not.

const ACC_BYTES: u32 = 24;

/**
 * Sweeps the column into the accumulators of the source ids; false when they do not fit the
 * groups area (maxGroups set below the cache's capacity), and the caller sweeps the general way.
 */
function sweepSources(t: TopTalkers, c: FlowCache): bool {
  const ids = c.sourcesFresh;
  if (<u64>ids * ACC_BYTES > <u64>t.maxGroups * GROUP_BYTES) return false;
  const acc = t.groups;
  memory.fill(acc, 0, <usize>ids * ACC_BYTES);
  const end = c.fresh;
  let seen: u32 = 0;
  let p = c.talkers;
  for (let id: u32 = 0; id < end; id++, p += TALKER_BYTES) {
    const word = load<u64>(p);
    const packets = <u32>word;
    if (packets == 0) continue;
    seen++;
    const a = acc + <usize>(<u32>(word >> 32)) * ACC_BYTES;
    const flows = load<u32>(a, 16);
    store<u64>(a, load<u64>(a) + load<u64>(p, 8));
    store<u64>(a, load<u64>(a, 8) + <u64>packets, 8);
    // The first flow's entry id, without a branch on whether this is the first.
    store<u64>(a, <u64>(flows + 1) | ((<u64>select<u32>(id, load<u32>(a, 20), flows == 0)) << 32), 16);
  }
  t.seen = seen;
  t.matched = seen;
  return true;
}

/** Ranks the accumulators of the source ids into the results (ties in sweep order: first flow's entry). */
function rankSources(t: TopTalkers, c: FlowCache, q: usize): void {
  const limit = load<u32>(q, Q_LIMIT);
  const sort = load<u32>(q, Q_SORT);
  const descending = load<u32>(q, Q_DESCENDING) != 0;
  const p = t.candidate;
  let groups: u32 = 0;
  let qualifying: u32 = 0;
  let qualifyingFlows: u32 = 0;
  t.shown = 0;
  let a = t.groups;
  let s = c.sources;
  for (let sid: u32 = 0, ids = c.sourcesFresh; sid < ids; sid++, a += ACC_BYTES, s += SOURCE_BYTES) {
    const flows = load<u32>(a, 16);
    if (flows == 0) continue;
    groups++;
    if (!flowsQualify(q, flows)) continue;
    qualifying++;
    qualifyingFlows += flows;
    store<u64>(p, load<u64>(s));
    store<u64>(p, load<u64>(s, 8), 8);
    store<u64>(p, load<u64>(a), 16);
    store<u64>(p, load<u64>(a, 8), 24);
    store<u32>(p, flows, 32);
    store<u32>(p, load<u32>(s, 20), 36);
    store<u32>(p, load<u32>(a, 20), 40);
    offer(t, limit, sort, descending);
  }
  t.groupCount = groups;
  t.qualifying = qualifying;
  t.qualifyingFlows = qualifyingFlows;
}

/** Runs the query at t.query over the live flows of `c`; returns TOP_OK or an error code. */
export function topRun(t: TopTalkers, c: FlowCache): u32 {
  const q = t.query;
  const field = load<u32>(q, Q_FIELD);
  const criteria = load<u32>(q, Q_CRITERIA);
  const limit = load<u32>(q, Q_LIMIT);
  if (criteria > MAX_CRITERIA || limit == 0 || limit > MAX_LIMIT) return TOP_BAD_QUERY;
  const perFlow = field == FIELD_PER_FLOW;
  t.seen = 0;
  t.matched = 0;
  t.groupCount = 0;
  t.shown = 0;
  // The index starts small and doubles as aggregates come (so a few aggregates of many flows
  // stay in cache), up to the table's full size.
  t.slotsInUse = FIRST_SLOTS < t.indexSlots ? FIRST_SLOTS : t.indexSlots;
  if (!perFlow) memory.fill(t.index, 0, <usize>t.slotsInUse << 2);
  if (criteria == 0 && field == FIELD_SOURCE_ADDRESS && c.talkers != 0) {
    // Each live source is one aggregate: the same limit the general road meets group by group.
    if (c.sourcesLive > t.maxGroups) return TOP_TOO_MANY_GROUPS;
    if (sweepSources(t, c)) {
      rankSources(t, c, q);
      return TOP_OK;
    }
  }
  if (criteria == 0 && (field == FIELD_SOURCE_ADDRESS || field == FIELD_DESTINATION_ADDRESS)) {
    if (!sweepAddresses(t, c, field == FIELD_SOURCE_ADDRESS ? OFF_SRC : OFF_DST)) return TOP_TOO_MANY_GROUPS;
    rank(t, q);
    return TOP_OK;
  }
  const end = c.fresh;
  let seen: u32 = 0;
  let matched: u32 = 0;
  let e = c.entries;
  for (let id: u32 = 0; id < end; id++, e += RECORD_BYTES) {
    if (load<u32>(e, OFF_PACKETS) == 0) continue;
    seen++;
    if (criteria != 0 && !criteriaHold(e, q, criteria)) continue;
    if (perFlow) {
      if (t.groupCount == t.maxGroups) return TOP_TOO_MANY_GROUPS;
      const p = groupAt(t, t.groupCount++);
      store<u64>(p, 0);
      store<u64>(p, <u64>id, 8);
      store<u64>(p, load<u64>(e, OFF_BYTES), 16);
      store<u64>(p, <u64>load<u32>(e, OFF_PACKETS), 24);
      store<u32>(p, 1, 32);
      store<u32>(p, 0, 36);
    } else {
      if (!fieldRead(e, field)) continue;
      if (!aggregate(t, e, valueHigh, valueLow, valueTag)) {
        t.seen = seen;
        return TOP_TOO_MANY_GROUPS;
      }
    }
    matched++;
  }
  t.seen = seen;
  t.matched = matched;
  rank(t, q);
  return TOP_OK;
}
