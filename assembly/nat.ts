// NAT/PAT (Cisco IOS `ip nat`; seed 000 "NAT/PAT meltdown", spec §1.10): inside/outside
// interfaces, static NAT, dynamic NAT from a pool, PAT (overload) with port allocation, IOS
// timeouts per protocol with a bounded ager, `ip nat translation max-entries`, and the rewrite
// of packets of a PacketBatch in place. `natCreate` allocates every entry and index up front
// from its budget; the host then writes the configuration (roles, pools, access lists,
// mappings, static entries, timeouts) and nothing is allocated afterwards.
//
// Pipeline hook: `natTranslateRow(table, batch, i, now, egressInterface)` and
// `natTranslateBatch(...)` take the table pointer and a batch, so the Dataplane can run NAT as
// a stage from inside the module (outside → inside before the FIB lookup, inside → outside
// after it with the output interface). Verdicts: see VERDICT_* in nat/state.ts.

import { budgetCreate, budgetAlloc } from "./common/budget";
import { splitMix64 } from "./common/prng";
import { clockMs, clockSteppedBack } from "./common/clock";
import { PacketBatch } from "./packet/batch";
import {
  NatState, NIL, E_BYTES, E_NEXT, CLASSES, MAX_INTERFACES, COUNTERS, C_AGER_CALLS, C_CLEARED, C_CLOCK_BACKWARDS,
  POOL_BYTES, POOL_START, POOL_SIZE, POOL_SLOTS, POOL_FREE_TOP, MAP_BYTES, MAP_POOL, MAP_OVERLOAD, MAP_ACL_START,
  MAP_ACL_COUNT, ACL_BYTES, MAX_POOLS, MAX_MAPPINGS, MAX_ACL_ENTRIES, FLAG_LIVE, FLAG_STATIC, E_FLAGS, ROLE_NONE,
  E_POOL_SLOT, E_MAPPING, C_PEAK_ENTRIES, READ_AHEAD_RUN, HINT_BYTES, BUCKET_SHIFT, LINE_BYTES,
} from "./nat/state";
import {
  entry, age, clearDynamic, insertEntry, findForwardSimple, findReverseSimple, freeTable, hashForwardSimple, hashReverseSimple,
} from "./nat/table";
import { translateRow } from "./nat/translate";
import { prepareRun } from "./nat/read-ahead";

export {
  NAT_VERDICT_NOT_NAT, NAT_VERDICT_OUT, NAT_VERDICT_IN, NAT_VERDICT_SKIPPED, NAT_VERDICT_NO_MAPPING,
  NAT_VERDICT_OUTSIDE_MISS, NAT_VERDICT_DROP_MAX_ENTRIES, NAT_VERDICT_DROP_TABLE_FULL, NAT_VERDICT_DROP_NO_ADDRESS,
  NAT_VERDICT_DROP_NO_PORT, NAT_VERDICT_DROP_UNTRANSLATABLE, NAT_VERDICT_ICMP,
} from "./nat/verdicts";

// @ts-ignore: decorator
@inline function lineAligned(block: usize): usize {
  return block == 0 ? 0 : (block + LINE_BYTES - 1) & ~(LINE_BYTES - 1);
}

/**
 * Buckets per index: 2 for every 5 entries of capacity (any count: the home bucket is found by
 * a multiply, not a mask), so a full table fills its buckets to 0.36 of their slots at every
 * capacity and each translation costs 64 + 2 × 64 × 2 / 5 = 115.2 bytes. Measured: at load 0.70
 * (power-of-two counts, 5 entries a bucket) one home bucket in five had overflowed and the
 * lookups that went on to the next one cost a new flow at 40,000 entries ×1.2.
 */
// @ts-ignore: decorator
@inline function indexBuckets(capacity: u32): u32 {
  const buckets = (<u64>capacity * 2 + 4) / 5;
  return buckets < 2 ? 2 : <u32>buckets;
}

/** Bytes a table of `capacity` entries and `poolAddresses` pool addresses allocates. */
export function natBytes(capacity: u32, poolAddresses: u32): f64 {
  return <f64>(<u64>capacity * E_BYTES + (<u64>indexBuckets(capacity) << (BUCKET_SHIFT + 1)) + 3 * <u64>LINE_BYTES + (<u64>poolAddresses << 3)
    + offsetof<NatState>() + (<u64>COUNTERS << 3) + <u64>MAX_INTERFACES + <u64>MAX_POOLS * POOL_BYTES
    + <u64>MAX_MAPPINGS * MAP_BYTES + <u64>MAX_ACL_ENTRIES * ACL_BYTES + <u64>CLASSES * 16 + <u64>(READ_AHEAD_RUN + 1) * HINT_BYTES + 256);
}

/**
 * A table of `capacity` entries (static and dynamic), at most `maxEntries` dynamic ones, room
 * for `poolAddresses` pool addresses, keyed by the 64-bit seed. Returns 0 when `limitBytes`
 * cannot hold it. Timeouts start at the IOS defaults (the host may set them before use).
 */
export function natCreate(capacity: u32, maxEntries: u32, agerWork: u32, poolAddresses: u32, seedLow: u32, seedHigh: u32, limitBytes: f64): usize {
  const budget = budgetCreate(<u64>limitBytes);
  const t = changetype<NatState>(heap.alloc(offsetof<NatState>()));
  memory.fill(changetype<usize>(t), 0, offsetof<NatState>());
  const seed = ((<u64>seedHigh) << 32) | seedLow;
  t.budget = budget;
  t.k0 = splitMix64(seed);
  t.k1 = splitMix64(seed + 0x9e3779b97f4a7c15);
  t.capacity = capacity;
  t.maxEntries = maxEntries;
  t.agerWork = agerWork;
  const buckets = indexBuckets(capacity);
  t.buckets = buckets;
  // Entries and buckets are one cache line each: their blocks start on a line (the heap aligns
  // to 16 bytes only, and a bucket across two lines costs a second miss the read-ahead does not load).
  t.entriesBlock = budgetAlloc(budget, <usize>capacity * E_BYTES + LINE_BYTES);
  t.forwardBlock = budgetAlloc(budget, (<usize>buckets << BUCKET_SHIFT) + LINE_BYTES);
  t.reverseBlock = budgetAlloc(budget, (<usize>buckets << BUCKET_SHIFT) + LINE_BYTES);
  t.entries = lineAligned(t.entriesBlock);
  t.forward = lineAligned(t.forwardBlock);
  t.reverse = lineAligned(t.reverseBlock);
  t.poolAddressCapacity = poolAddresses;
  t.poolRefs = budgetAlloc(budget, <usize>poolAddresses << 2);
  t.poolFree = budgetAlloc(budget, <usize>poolAddresses << 2);
  if (!t.entriesBlock || !t.forwardBlock || !t.reverseBlock || (poolAddresses > 0 && (!t.poolRefs || !t.poolFree))) {
    freeTable(t);
    return 0;
  }
  for (let e: u32 = 0; e < capacity; e++) store<u32>(entry(t, e) + E_NEXT, e + 1 < capacity ? e + 1 : NIL);
  t.freeHead = capacity > 0 ? 0 : NIL;
  t.heads = heap.alloc(<usize>CLASSES << 2);
  t.tails = heap.alloc(<usize>CLASSES << 2);
  t.timeouts = heap.alloc(<usize>CLASSES << 3);
  for (let c: u32 = 0; c < CLASSES; c++) {
    store<u32>(t.heads + (<usize>c << 2), NIL);
    store<u32>(t.tails + (<usize>c << 2), NIL);
  }
  // IOS defaults: timeout 24 h, udp 5 min, dns 1 min, tcp 24 h, finrst 1 min, icmp 1 min, syn 1 min.
  const defaults: StaticArray<i64> = [86400000, 300000, 60000, 86400000, 60000, 60000, 60000];
  for (let c: u32 = 0; c < CLASSES; c++) store<i64>(t.timeouts + (<usize>c << 3), unchecked(defaults[c]));
  t.roles = heap.alloc(<usize>MAX_INTERFACES);
  memory.fill(t.roles, ROLE_NONE, <usize>MAX_INTERFACES);
  t.counters = heap.alloc(<usize>COUNTERS << 3);
  memory.fill(t.counters, 0, <usize>COUNTERS << 3);
  t.pools = heap.alloc(<usize>MAX_POOLS * POOL_BYTES);
  memory.fill(t.pools, 0, <usize>MAX_POOLS * POOL_BYTES);
  t.mappings = heap.alloc(<usize>MAX_MAPPINGS * MAP_BYTES);
  memory.fill(t.mappings, 0, <usize>MAX_MAPPINGS * MAP_BYTES);
  t.acl = heap.alloc(<usize>MAX_ACL_ENTRIES * ACL_BYTES);
  t.hints = heap.alloc(<usize>(READ_AHEAD_RUN + 1) * HINT_BYTES);
  t.lastNow = 0;
  return changetype<usize>(t);
}

/** Frees a table made by natCreate. */
export function natFree(t: NatState): void {
  freeTable(t);
}

/** `ip nat inside` (1) / `ip nat outside` (2) / neither (0) on interface id `iface`; false when out of range. */
export function natSetRole(t: NatState, iface: u32, role: u32): bool {
  if (iface >= MAX_INTERFACES || role > 2) return false;
  store<u8>(t.roles + <usize>iface, <u8>role);
  return true;
}

/**
 * Sets the timeout of class `c` (see CLASS_* in nat/state.ts) in milliseconds; before the first
 * translation (an entry's last use is read back as its expiry minus its class's timeout).
 */
export function natSetTimeout(t: NatState, c: u32, ms: f64): void {
  if (c < CLASSES) store<i64>(t.timeouts + (<usize>c << 3), <i64>ms);
}

/** Adds a pool of `size` addresses from `start`; returns its id, or NIL when there is no room. */
export function natAddPool(t: NatState, start: u32, size: u32): u32 {
  if (t.poolCount >= MAX_POOLS || size == 0 || <u64>t.poolAddresses + <u64>size > <u64>t.poolAddressCapacity) return NIL;
  const id = t.poolCount++;
  const pool = t.pools + <usize>id * POOL_BYTES;
  store<u32>(pool + POOL_START, start);
  store<u32>(pool + POOL_SIZE, size);
  store<u32>(pool + POOL_SLOTS, t.poolAddresses);
  // The free stack pops the lowest address first.
  for (let k: u32 = 0; k < size; k++) store<u32>(t.poolFree + (<usize>(t.poolAddresses + k) << 2), size - 1 - k);
  store<u32>(pool + POOL_FREE_TOP, size);
  t.poolAddresses += size;
  return id;
}

/** Appends an access-list entry (address, mask, permit); returns its index, or NIL when full. */
export function natAddAcl(t: NatState, address: u32, mask: u32, permit: u32): u32 {
  if (t.aclCount >= MAX_ACL_ENTRIES) return NIL;
  const id = t.aclCount++;
  const a = t.acl + <usize>id * ACL_BYTES;
  store<u32>(a, address & mask);
  store<u32>(a, mask, 4);
  store<u32>(a, permit, 8);
  return id;
}

/** Adds a mapping: ACL entries [aclStart, aclStart + aclCount) select sources for `pool`. */
export function natAddMapping(t: NatState, pool: u32, overload: u32, aclStart: u32, aclCount: u32): u32 {
  if (t.mappingCount >= MAX_MAPPINGS || pool >= t.poolCount) return NIL;
  const id = t.mappingCount++;
  const m = t.mappings + <usize>id * MAP_BYTES;
  store<u32>(m + MAP_POOL, pool);
  store<u32>(m + MAP_OVERLOAD, overload);
  store<u32>(m + MAP_ACL_START, aclStart);
  store<u32>(m + MAP_ACL_COUNT, aclCount);
  return id;
}

/** `ip nat inside source static LOCAL GLOBAL`: 0, -1 when the table is full, -2 when either address is taken. */
export function natAddStatic(t: NatState, local: u32, global: u32, now: f64): i32 {
  if (findForwardSimple(t, local) != NIL || findReverseSimple(t, global) != NIL) return -2;
  if (t.freeHead == NIL) return -1;
  insertEntry(t, FLAG_STATIC, 0, local, 0, global, 0, 0, 0, 0, 0xffff, 0, <i64>now, hashForwardSimple(t, local), hashReverseSimple(t, global));
  return 0;
}

/** `now` as whole milliseconds, never before the last time seen (a step back is counted). */
function timeOf(t: NatState, now: f64): i64 {
  const ms = clockMs(now, t.lastNow);
  if (clockSteppedBack) store<u64>(t.counters + (<usize>C_CLOCK_BACKWARDS << 3), load<u64>(t.counters + (<usize>C_CLOCK_BACKWARDS << 3)) + 1);
  t.lastNow = ms;
  return ms;
}

/**
 * Translates packets [from, from + count) of the batch at `now`, writing one verdict byte per
 * packet at `verdicts` (indexed from `from`). `egress`, when not 0, points at one u32 output
 * interface id per batch row (0xffffffff: not known). Returns the packets translated.
 */
export function natTranslateBatch(t: NatState, b: PacketBatch, from: u32, count: u32, now: f64, egress: usize, verdicts: usize): u32 {
  const ms = timeOf(t, now);
  const end = from + count < b.count ? from + count : b.count;
  let translated: u32 = 0;
  for (let start = from; start < end; start += READ_AHEAD_RUN) {
    const stop = end - start > READ_AHEAD_RUN ? start + READ_AHEAD_RUN : end;
    prepareRun(t, b, start, stop, egress);
    for (let i = start; i < stop; i++) {
      let role: u32 = 0xff;
      if (egress != 0) {
        const out = load<u32>(egress + (<usize>i << 2));
        role = out == 0xffffffff ? 0xff : out < MAX_INTERFACES ? <u32>load<u8>(t.roles + <usize>out) : 0;
      }
      const verdict = translateRow(t, b, i, ms, role, t.hints + <usize>(i - start) * HINT_BYTES);
      store<u8>(verdicts + <usize>(i - from), verdict);
      if (verdict == 1 || verdict == 2) translated++;
    }
  }
  return translated;
}

/** One packet (the pipeline's per-row stage); `egressInterface` 0xffffffff when not known. */
export function natTranslateRow(t: NatState, b: PacketBatch, i: u32, now: f64, egressInterface: u32): u32 {
  if (i >= b.count) return 3;
  const role: u32 = egressInterface == 0xffffffff ? 0xff : egressInterface < MAX_INTERFACES ? <u32>load<u8>(t.roles + <usize>egressInterface) : 0;
  return translateRow(t, b, i, timeOf(t, now), role);
}

/** Runs the ager at `now`: removes at most agerWork expired entries, in expiry order. */
export function natAge(t: NatState, now: f64): u32 {
  store<u64>(t.counters + (<usize>C_AGER_CALLS << 3), load<u64>(t.counters + (<usize>C_AGER_CALLS << 3)) + 1);
  return age(t, timeOf(t, now));
}

/** `clear ip nat translation *`: every dynamic entry; returns how many. */
export function natClear(t: NatState): u32 {
  const removed = clearDynamic(t);
  store<u64>(t.counters + (<usize>C_CLEARED << 3), load<u64>(t.counters + (<usize>C_CLEARED << 3)) + removed);
  return removed;
}

/** Pointer to the COUNTERS u64 counter slots. */
export function natCounters(t: NatState): usize {
  return t.counters;
}

/** Live entries, dynamic entries, extended entries, longest probe, free-list head (as f64 words at `out`). */
export function natOccupancy(t: NatState, out: usize): void {
  store<f64>(out, <f64>t.live);
  store<f64>(out, <f64>t.dynamic, 8);
  store<f64>(out, <f64>t.extended, 16);
  store<f64>(out, <f64>t.longestProbe, 24);
  store<f64>(out, <f64>load<u64>(t.counters + (<usize>C_PEAK_ENTRIES << 3)), 32);
  store<f64>(out, <f64>t.budget.used, 40);
  store<f64>(out, <f64>t.lastNow, 48);
}

/** The next live entry at or after slot `cursor`, or NIL. */
export function natEntryNext(t: NatState, cursor: u32): u32 {
  for (let e = cursor; e < t.capacity; e++) if (load<u8>(entry(t, e) + E_FLAGS) & FLAG_LIVE) return e;
  return NIL;
}

/** Pointer to entry `e`'s record (layout E_* in nat/state.ts). */
export function natEntry(t: NatState, e: u32): usize {
  return entry(t, e);
}

/** Pointer to pool `id`'s record (POOL_*). */
export function natPool(t: NatState, id: u32): usize {
  return t.pools + <usize>id * POOL_BYTES;
}

/** Pointer to mapping `id`'s record (MAP_*). */
export function natMapping(t: NatState, id: u32): usize {
  return t.mappings + <usize>id * MAP_BYTES;
}

