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
// into the source table, whose 16-byte slots are the aggregates themselves (one cache line a
// flow, not an index slot and then a 40-byte aggregate); see sweepSourceTable.

import { fmix64 } from "../common/hash";
import { FlowCache, RECORD_BYTES, OFF_PACKETS, OFF_BYTES, OFF_SRC, OFF_DST, OFF_VERSION } from "../flow/state";
import { TALKER_BYTES, TALKER_BYTES_MASK } from "../flow/talkers";
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
  /** The source table of the last run (in the groups area) and its slot count. */
  table: usize;
  tableSlots: u32;
  /** The source table size the next sweep starts at: what the last one needed (0 before the first). */
  tableHint: u32;
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
 * held in locals (reloaded only when the index grows). With `column` (source addresses, the
 * cache keeping its top-talkers column, flow/talkers.ts) it reads 16 bytes a flow from the
 * column and goes to the record only for the rest of an IPv6 address; otherwise the records.
 */
function sweepAddresses(t: TopTalkers, c: FlowCache, offset: u32, column: bool): bool {
  const end = c.fresh;
  const index = t.index;
  const groups = t.groups;
  const maxGroups = t.maxGroups;
  let mask = t.slotsInUse - 1;
  let shift = 32 - ctz<u32>(t.slotsInUse);
  let count: u32 = 0;
  let seen: u32 = 0;
  let e = c.entries;
  let p = c.talkers;
  for (let id: u32 = 0; id < end; id++, e += RECORD_BYTES, p += TALKER_BYTES) {
    let packets: u32, bytes: u64, version: u32, high: u64;
    if (column) {
      const word = load<u64>(p);
      packets = <u32>word;
      if (packets == 0) continue;
      const counted = load<u64>(p, 8);
      bytes = counted & TALKER_BYTES_MASK;
      version = <u32>(counted >> 56);
      high = word & 0xffffffff00000000;
    } else {
      packets = load<u32>(e, OFF_PACKETS);
      if (packets == 0) continue;
      bytes = load<u64>(e, OFF_BYTES);
      version = <u32>load<u8>(e, OFF_VERSION);
      high = (<u64>load<u32>(e + offset)) << 32;
    }
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

// ---- The source table ----------------------------------------------------------------------
//
// Slots of 16 bytes: +0 u32 key (the IPv4 address; for IPv6, 32 bits of the address's keyed
// hash, the address itself being the first flow's), +4 u32 flows | SLOT_V6 (0: empty), +8 u32
// packets and +12 u32 bytes (their low 32 bits). Beside the T slots, a u32 per slot (the entry
// id of the aggregate's first flow: its sweep order, and for IPv6 where its address is) and a
// u64 per slot (the high 32 bits of packets and of bytes, written only on a carry). 28 bytes a
// slot, in the groups area: the table starts at the size the previous sweep's sources needed
// (at least 1024 slots; the cache changes little between two displays, so a sweep does not
// regrow it from 1024 each time) and doubles at three-quarters full, each new table at the other end of the area from the old; when the area cannot hold the next
// one (more sources than about a third of maxGroups), the sweep gives up and the general
// address sweep runs instead, so the result never depends on the road taken. IPv4 slots are
// chosen by a keyed multiply-shift of the address, IPv6 ones by the keyed finaliser.

const SLOT_V6: u32 = 0x80000000;
const TABLE_FIRST_SLOTS: u32 = 1024;
const TABLE_SLOT_BYTES: u32 = 28;

// @ts-ignore: decorator
@inline function v4Slot(t: TopTalkers, address: u32): u32 {
  return <u32>((((<u64>address) ^ t.key0) * (t.key1 | 1)) >> 32);
}

/** Where a table of `slots` goes when the one at `old` (or none, 0 slots) is there. */
function tablePlace(t: TopTalkers, old: usize, slots: u32): usize {
  const area = <usize>t.maxGroups * GROUP_BYTES;
  const bytes = <usize>slots * TABLE_SLOT_BYTES;
  const oldBytes = <usize>t.tableSlots * TABLE_SLOT_BYTES;
  if (old == 0) return bytes <= area ? t.groups : 0;
  if (bytes + oldBytes > area) return 0;
  return old == t.groups ? t.groups + area - bytes : t.groups;
}

/** Moves the table into one twice its size; false when the groups area cannot hold it. */
function tableGrow(t: TopTalkers): bool {
  const old = t.table;
  const oldSlots = t.tableSlots;
  const slots = oldSlots << 1;
  const at = tablePlace(t, old, slots);
  if (at == 0) return false;
  memory.fill(at, 0, <usize>slots << 4);
  const firsts = at + (<usize>slots << 4);
  const highs = firsts + (<usize>slots << 2);
  const oldFirsts = old + (<usize>oldSlots << 4);
  const oldHighs = oldFirsts + (<usize>oldSlots << 2);
  const mask = slots - 1;
  const shift = 32 - ctz<u32>(slots);
  for (let s: u32 = 0; s < oldSlots; s++) {
    const from = old + (<usize>s << 4);
    const flows = load<u32>(from, 4);
    if (flows == 0) continue;
    const key = load<u32>(from);
    let i = ((flows & SLOT_V6) != 0 ? key : v4Slot(t, key)) >>> shift;
    while (load<u32>(at + (<usize>i << 4), 4) != 0) i = (i + 1) & mask;
    memory.copy(at + (<usize>i << 4), from, 16);
    store<u32>(firsts + (<usize>i << 2), load<u32>(oldFirsts + (<usize>s << 2)));
    store<u64>(highs + (<usize>i << 3), load<u64>(oldHighs + (<usize>s << 3)));
  }
  t.table = at;
  t.tableSlots = slots;
  return true;
}

/** Adds carries out of the slot's low 32 bits (and a flow's bytes above them) to its high words. */
function tableCarry(t: TopTalkers, i: u32, packetsCarry: u64, bytesCarry: u64): void {
  const h = t.table + (<usize>t.tableSlots << 4) + (<usize>t.tableSlots << 2) + (<usize>i << 3);
  store<u64>(h, load<u64>(h) + packetsCarry + (bytesCarry << 32));
}

/** Adds a flow to slot `i` (which holds its aggregate). */
// @ts-ignore: decorator
@inline function tableAdd(t: TopTalkers, at: usize, i: u32, flows: u32, packets: u32, bytes: u64): void {
  store<u32>(at, flows + 1, 4);
  const oldPackets = load<u32>(at, 8);
  const oldBytes = load<u32>(at, 12);
  const newPackets = oldPackets + packets;
  const newBytes = oldBytes + <u32>bytes;
  store<u32>(at, newPackets, 8);
  store<u32>(at, newBytes, 12);
  const bytesCarry = (bytes >> 32) + <u64>(newBytes < oldBytes);
  if ((bytesCarry | <u64>(newPackets < oldPackets)) != 0) tableCarry(t, i, <u64>(newPackets < oldPackets), bytesCarry);
}

/**
 * The slow road of a flow into the source table: probing past the home slot, a new aggregate
 * (growing the table first when it is three-quarters full), or an IPv6 source (`e` its address
 * in the record; `key` its hash). False when the table cannot grow.
 */
function tableEnter(t: TopTalkers, entries: usize, id: u32, key: u32, hash: u32, flag: u32, e: usize, packets: u32, bytes: u64): bool {
  let grown = true;
  while (grown) {
    const table = t.table;
    const slots = t.tableSlots;
    const mask = slots - 1;
    const firsts = table + (<usize>slots << 4);
    let i = hash >>> (32 - ctz<u32>(slots));
    for (;;) {
      const at = table + (<usize>i << 4);
      const flows = load<u32>(at, 4);
      if (flows == 0) break;
      if (load<u32>(at) == key && (flows & SLOT_V6) == flag
        && (flag == 0 || sameSource(entries + <usize>load<u32>(firsts + (<usize>i << 2)) * RECORD_BYTES + OFF_SRC, e))) {
        tableAdd(t, at, i, flows, packets, bytes);
        return true;
      }
      i = (i + 1) & mask;
    }
    if (t.groupCount < slots - (slots >> 2)) {
      const at = table + (<usize>i << 4);
      t.groupCount++;
      store<u32>(at, key);
      store<u32>(at, 1 | flag, 4);
      store<u32>(at, packets, 8);
      store<u32>(at, <u32>bytes, 12);
      store<u32>(firsts + (<usize>i << 2), id);
      store<u64>(firsts + (<usize>slots << 2) + (<usize>i << 3), (bytes >> 32) << 32);
      return true;
    }
    grown = tableGrow(t);
  }
  return false;
}

/**
 * The sweep of `aggregate source-address` (no criterion) from the column into the source table;
 * false when the table outgrows the groups area (nothing is lost: the caller sweeps again the
 * general way). An inner loop does the common case, an IPv4 flow whose aggregate is in its
 * home slot, and stops at any other flow, which goes to tableEnter before the loop resumes.
 */
function sweepSourceTable(t: TopTalkers, c: FlowCache): bool {
  let slots = t.tableHint > TABLE_FIRST_SLOTS ? t.tableHint : TABLE_FIRST_SLOTS;
  t.tableSlots = 0;
  t.groupCount = 0;
  let table = tablePlace(t, 0, slots);
  while (table == 0 && slots > 16) {
    slots >>= 1;
    table = tablePlace(t, 0, slots);
  }
  if (table == 0) return false;
  memory.fill(table, 0, <usize>slots << 4);
  t.table = table;
  t.tableSlots = slots;
  const key0 = t.key0;
  const multiplier = t.key1 | 1;
  const entries = c.entries;
  const end = c.fresh;
  let seen: u32 = 0;
  let id: u32 = 0;
  while (id < end) {
    // The common case in a loop of its own, with no call in it (so V8 keeps its state in
    // registers): an IPv4 flow of under 2^32 bytes whose aggregate is in its home slot and takes
    // it without a carry. Anything else leaves the loop for the slow road below, one flow.
    const shift = 32 - ctz<u32>(t.tableSlots);
    let p = c.talkers + <usize>id * TALKER_BYTES;
    for (; id < end; id++, p += TALKER_BYTES) {
      const word = load<u64>(p);
      const packets = <u32>word;
      if (packets == 0) continue;
      const counted = load<u64>(p, 8);
      if ((counted >> 32) != 0x04000000) break;
      const address = <u32>(word >> 32);
      const at = table + (<usize>(<u32>((((<u64>address) ^ key0) * multiplier) >> 32) >>> shift) << 4);
      // The slot's key and flows word: the key is the address and 1 <= flows < 2^31 (taken, IPv4).
      const head = load<u64>(at);
      if (rotr<u64>(head ^ <u64>address, 32) - 1 >= 0x7fffffff) break;
      const oldPackets = load<u32>(at, 8);
      const oldBytes = load<u32>(at, 12);
      const newPackets = oldPackets + packets;
      const newBytes = oldBytes + <u32>counted;
      if ((newPackets < oldPackets) | (newBytes < oldBytes)) break;
      store<u64>(at, head + 0x100000000);
      store<u64>(at, <u64>newPackets | ((<u64>newBytes) << 32), 8);
      seen++;
    }
    if (id == end) break;
    const p1 = c.talkers + <usize>id * TALKER_BYTES;
    const word = load<u64>(p1);
    const packets = <u32>word;
    const counted = load<u64>(p1, 8);
    const bytes = counted & TALKER_BYTES_MASK;
    const address = <u32>(word >> 32);
    seen++;
    let ok: bool;
    if (<u32>(counted >> 56) == 4) {
      const hash = <u32>((((<u64>address) ^ key0) * multiplier) >> 32);
      ok = tableEnter(t, entries, id, address, hash, 0, 0, packets, bytes);
    } else {
      const e = entries + <usize>id * RECORD_BYTES + OFF_SRC;
      const hash = groupHash(t, ((<u64>address) << 32) | <u64>load<u32>(e, 4), ((<u64>load<u32>(e, 8)) << 32) | <u64>load<u32>(e, 12), 6);
      ok = tableEnter(t, entries, id, hash, hash, SLOT_V6, e, packets, bytes);
    }
    if (!ok) return false;
    table = t.table;
    id++;
  }
  t.seen = seen;
  t.matched = seen;
  // The next sweep starts at the size this one's sources needed (the cache changes little
  // between two displays), so it does not regrow the table from TABLE_FIRST_SLOTS each time.
  let hint = TABLE_FIRST_SLOTS;
  while (t.groupCount > hint - (hint >> 2) && hint < t.tableSlots) hint <<= 1;
  t.tableHint = hint;
  return true;
}

// @ts-ignore: decorator
@inline function sameSource(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8);
}

/** Ranks the source table's aggregates into the results (ties in sweep order: first flow's entry). */
function rankTable(t: TopTalkers, c: FlowCache, q: usize): void {
  const limit = load<u32>(q, Q_LIMIT);
  const sort = load<u32>(q, Q_SORT);
  const descending = load<u32>(q, Q_DESCENDING) != 0;
  const table = t.table;
  const slots = t.tableSlots;
  const firsts = table + (<usize>slots << 4);
  const highs = firsts + (<usize>slots << 2);
  const p = t.candidate;
  let qualifying: u32 = 0;
  let qualifyingFlows: u32 = 0;
  t.shown = 0;
  for (let s: u32 = 0; s < slots; s++) {
    const at = table + (<usize>s << 4);
    const word = load<u32>(at, 4);
    if (word == 0) continue;
    const flows = word & ~SLOT_V6;
    if (!flowsQualify(q, flows)) continue;
    qualifying++;
    qualifyingFlows += flows;
    const first = load<u32>(firsts + (<usize>s << 2));
    const high = load<u64>(highs + (<usize>s << 3));
    if ((word & SLOT_V6) != 0) {
      const e = c.entries + <usize>first * RECORD_BYTES + OFF_SRC;
      store<u64>(p, ((<u64>load<u32>(e)) << 32) | <u64>load<u32>(e, 4));
      store<u64>(p, ((<u64>load<u32>(e, 8)) << 32) | <u64>load<u32>(e, 12), 8);
      store<u32>(p, 6, 36);
    } else {
      store<u64>(p, (<u64>load<u32>(at)) << 32);
      store<u64>(p, 0, 8);
      store<u32>(p, 4, 36);
    }
    store<u64>(p, (high & 0xffffffff00000000) | <u64>load<u32>(at, 12), 16);
    store<u64>(p, (high << 32) | <u64>load<u32>(at, 8), 24);
    store<u32>(p, flows, 32);
    store<u32>(p, first, 40);
    offer(t, limit, sort, descending);
  }
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
    if (sweepSourceTable(t, c)) {
      rankTable(t, c, q);
      return TOP_OK;
    }
    t.groupCount = 0;
  }
  if (criteria == 0 && (field == FIELD_SOURCE_ADDRESS || field == FIELD_DESTINATION_ADDRESS)) {
    const source = field == FIELD_SOURCE_ADDRESS;
    if (!sweepAddresses(t, c, source ? OFF_SRC : OFF_DST, source && c.talkers != 0)) return TOP_TOO_MANY_GROUPS;
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
