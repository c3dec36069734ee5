// The NAT table's entries: the fixed pool, the two keyed indexes (buckets of one cache line,
// see below) and the per-class expiry lists. Every
// operation is O(1) expected: the lists are kept in expiry order because every class has one
// timeout and time only moves forward, so the ager only ever looks at list heads.

import { sipHash13Words3, sipHashWord } from "../common/hash";
import { budgetFree } from "../common/budget";
import {
  NatState, NIL, E_BYTES, E_LOCAL, E_GLOBAL, E_OUTSIDE, E_LOCAL_PORT, E_GLOBAL_PORT, E_OUTSIDE_PORT, E_PROTOCOL,
  E_FLAGS, E_CLASS, E_EXPIRES, E_PREV, E_NEXT, E_CREATED, E_FORWARD_HASH, E_REVERSE_HASH, E_MAPPING, E_POOL_SLOT, FLAG_LIVE, FLAG_STATIC, FLAG_EXTENDED,
  CLASSES, LINE_BYTES, BUCKET_SHIFT, BUCKET_SLOTS, BUCKET_LANES, BUCKET_OVERFLOW, BUCKET_ENTRIES, C_EXPIRED, C_EXPIRED_CLASS, C_AGER_REMOVED, POOL_ALLOCATED, POOL_SIZE, POOL_SLOTS, POOL_FREE_TOP,
  POOL_START, POOL_BYTES, MAP_REFCOUNT, MAP_BYTES, MAP_POOL, MAP_OVERLOAD,
} from "./state";

const TAG_FORWARD_EXTENDED: u64 = 1 << 40;
const TAG_FORWARD_SIMPLE: u64 = 2 << 40;
const TAG_REVERSE_EXTENDED: u64 = 3 << 40;
const TAG_REVERSE_SIMPLE: u64 = 4 << 40;

// @ts-ignore: decorator
@inline export function entry(t: NatState, e: u32): usize {
  return t.entries + <usize>e * E_BYTES;
}

// @ts-ignore: decorator
@inline export function count(t: NatState, slot: u32, by: u64 = 1): void {
  const p = t.counters + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + by);
}

// ---- hashing: one function per key kind, all under the table's secret key

// @ts-ignore: decorator
@inline export function hashForwardExtended(t: NatState, protocol: u32, local: u32, localPort: u32, outside: u32, outsidePort: u32): u32 {
  const m1 = <u64>localPort | (<u64>outsidePort << 16) | (<u64>protocol << 32) | TAG_FORWARD_EXTENDED;
  return <u32>sipHash13Words3(<u64>local | (<u64>outside << 32), m1, 0, t.k0, t.k1);
}
// @ts-ignore: decorator
@inline export function hashForwardSimple(t: NatState, local: u32): u32 {
  return <u32>sipHashWord(<u64>local | TAG_FORWARD_SIMPLE, t.k0, t.k1);
}
// @ts-ignore: decorator
@inline export function hashReverseExtended(t: NatState, protocol: u32, global: u32, globalPort: u32, outside: u32, outsidePort: u32): u32 {
  const m1 = <u64>globalPort | (<u64>outsidePort << 16) | (<u64>protocol << 32) | TAG_REVERSE_EXTENDED;
  return <u32>sipHash13Words3(<u64>global | (<u64>outside << 32), m1, 0, t.k0, t.k1);
}
// @ts-ignore: decorator
@inline export function hashReverseSimple(t: NatState, global: u32): u32 {
  return <u32>sipHashWord(<u64>global | TAG_REVERSE_SIMPLE, t.k0, t.k1);
}

// ---- the indexes: buckets of one cache line (BUCKET_BYTES): BUCKET_SLOTS tags (the entry's
// hash with its low bit set, 0 for a free slot), then the overflow count (entries that went on
// past this bucket because it was full), then BUCKET_SLOTS entry numbers (entry + 1). A lookup
// compares its tag with the whole bucket at once and goes on to the next bucket only when the
// overflow count says some entry did: almost always one line and the same few branches whatever
// the load, so the cost of a probe does not grow as the table fills (linear probing's did: its
// loops ran longer and mispredicted more at higher loads).

// @ts-ignore: decorator
@inline function tagOf(h: u32): u32 {
  return h | 1;
}

/** The home bucket of hash `h`: its high bits scaled to the bucket count. */
// @ts-ignore: decorator
@inline function homeOf(t: NatState, h: u32): u32 {
  return <u32>((<u64>h * <u64>t.buckets) >> 32);
}

/** The bucket after `b`, wrapping. */
// @ts-ignore: decorator
@inline function nextBucket(t: NatState, b: u32): u32 {
  return b + 1 == t.buckets ? 0 : b + 1;
}

// @ts-ignore: decorator
@inline export function bucketOf(t: NatState, index: usize, h: u32): usize {
  return index + (<usize>homeOf(t, h) << BUCKET_SHIFT);
}

/** Lanes (bit k: slot k) of the bucket at `p` whose 32-bit word at `at` equals `value`. */
// @ts-ignore: decorator
@inline function lanes(p: usize, at: usize, value: u32): u32 {
  if (ASC_FEATURE_SIMD) {
    const v = i32x4.splat(value);
    return (<u32>i32x4.bitmask(i32x4.eq(v128.load(p + at), v))
      | (<u32>i32x4.bitmask(i32x4.eq(v128.load(p + at, 16), v)) << 4)) & BUCKET_LANES;
  } else {
    let m: u32 = 0;
    for (let k: u32 = 0; k < BUCKET_SLOTS; k++) if (load<u32>(p + at + (<usize>k << 2)) == value) m |= 1 << k;
    return m;
  }
}

/**
 * The entry in the first slot of `h`'s home bucket in `index` that holds `h`'s tag, or NIL (the
 * read-ahead's "most likely established", and the entry it loads for it).
 */
export function bucketCandidate(t: NatState, index: usize, h: u32): u32 {
  const q = bucketOf(t, index, h);
  const m = lanes(q, 0, tagOf(h));
  return m == 0 ? NIL : load<u32>(q + BUCKET_ENTRIES + (<usize>ctz(m) << 2)) - 1;
}

/** The hash the last find computed (an insert after a miss reuses it instead of hashing again). */
export let lastHash: u32 = 0;

function noteProbe(t: NatState, probes: u32): void {
  if (probes > t.longestProbe) t.longestProbe = probes;
}

/**
 * The entry under hash `h` in `index` whose address field (`addressAt`: E_LOCAL or E_GLOBAL)
 * is `address` and, for an extended key, whose port field (`portAt`), outside endpoint and
 * protocol match too; NIL when there is none. One probe loop for the four key kinds.
 */
// @ts-ignore: decorator
@inline function find(
  t: NatState, index: usize, h: u32, extended: bool, addressAt: usize, portAt: usize, protocol: u32, address: u32, port: u32,
  outside: u32, outsidePort: u32,
): u32 {
  lastHash = h;
  const tag = tagOf(h);
  let b = homeOf(t, h);
  let probes: u32 = 0;
  for (;;) {
    const q = index + (<usize>b << BUCKET_SHIFT);
    let m = lanes(q, 0, tag);
    while (m != 0) {
      const e = load<u32>(q + BUCKET_ENTRIES + (<usize>ctz(m) << 2)) - 1;
      const p = entry(t, e);
      const isExtended = (load<u8>(p + E_FLAGS) & FLAG_EXTENDED) != 0;
      if (isExtended == extended && load<u32>(p + addressAt) == address && (!extended || (
        <u32>load<u16>(p + portAt) == port && load<u32>(p + E_OUTSIDE) == outside
        && <u32>load<u16>(p + E_OUTSIDE_PORT) == outsidePort && <u32>load<u8>(p + E_PROTOCOL) == protocol))) {
        noteProbe(t, probes);
        return e;
      }
      m &= m - 1;
    }
    if (load<u32>(q + BUCKET_OVERFLOW) == 0 || probes >= t.buckets) break;
    b = nextBucket(t, b);
    probes++;
  }
  noteProbe(t, probes);
  return NIL;
}

/** The inside → outside entry of `protocol` local:localPort → outside:outsidePort under hash `h`. */
export function findForwardExtendedAt(t: NatState, h: u32, protocol: u32, local: u32, localPort: u32, outside: u32, outsidePort: u32): u32 {
  return find(t, t.forward, h, true, E_LOCAL, E_LOCAL_PORT, protocol, local, localPort, outside, outsidePort);
}

export function findForwardExtended(t: NatState, protocol: u32, local: u32, localPort: u32, outside: u32, outsidePort: u32): u32 {
  return findForwardExtendedAt(t, hashForwardExtended(t, protocol, local, localPort, outside, outsidePort), protocol, local, localPort,
    outside, outsidePort);
}

export function findForwardSimple(t: NatState, local: u32): u32 {
  return find(t, t.forward, hashForwardSimple(t, local), false, E_LOCAL, 0, 0, local, 0, 0, 0);
}

/** The outside → inside entry of `protocol` global:globalPort ← outside:outsidePort under hash `h`. */
export function findReverseExtendedAt(t: NatState, h: u32, protocol: u32, global: u32, globalPort: u32, outside: u32, outsidePort: u32): u32 {
  return find(t, t.reverse, h, true, E_GLOBAL, E_GLOBAL_PORT, protocol, global, globalPort, outside, outsidePort);
}

export function findReverseExtended(t: NatState, protocol: u32, global: u32, globalPort: u32, outside: u32, outsidePort: u32): u32 {
  return findReverseExtendedAt(t, hashReverseExtended(t, protocol, global, globalPort, outside, outsidePort), protocol, global,
    globalPort, outside, outsidePort);
}

export function findReverseSimple(t: NatState, global: u32): u32 {
  return find(t, t.reverse, hashReverseSimple(t, global), false, E_GLOBAL, 0, 0, global, 0, 0, 0);
}

// ---- index maintenance

/** Puts entry `e` (hash `h`) in the first bucket from its home with a free slot, counting the full ones it passes. */
function indexInsert(t: NatState, index: usize, h: u32, e: u32): void {
  let b = homeOf(t, h);
  let probes: u32 = 0;
  for (;;) {
    const q = index + (<usize>b << BUCKET_SHIFT);
    const free = lanes(q, 0, 0);
    if (free != 0) {
      const k = <usize>ctz(free) << 2;
      store<u32>(q + k, tagOf(h));
      store<u32>(q + BUCKET_ENTRIES + k, e + 1);
      break;
    }
    store<u32>(q + BUCKET_OVERFLOW, load<u32>(q + BUCKET_OVERFLOW) + 1);
    b = nextBucket(t, b);
    probes++;
  }
  noteProbe(t, probes);
}

/** Removes entry `e` (hash `h`), taking back the overflow counts its insertion added on the way. */
function indexRemove(t: NatState, index: usize, h: u32, e: u32): void {
  let b = homeOf(t, h);
  for (;;) {
    const q = index + (<usize>b << BUCKET_SHIFT);
    const at = lanes(q, BUCKET_ENTRIES, e + 1);
    if (at != 0) {
      const k = <usize>ctz(at) << 2;
      store<u32>(q + k, 0);
      store<u32>(q + BUCKET_ENTRIES + k, 0);
      return;
    }
    store<u32>(q + BUCKET_OVERFLOW, load<u32>(q + BUCKET_OVERFLOW) - 1);
    b = nextBucket(t, b);
  }
}

// ---- class lists

// @ts-ignore: decorator
@inline function head(t: NatState, c: u32): u32 {
  return load<u32>(t.heads + (<usize>c << 2));
}
// @ts-ignore: decorator
@inline function tail(t: NatState, c: u32): u32 {
  return load<u32>(t.tails + (<usize>c << 2));
}
// @ts-ignore: decorator
@inline export function timeoutOf(t: NatState, c: u32): i64 {
  return load<i64>(t.timeouts + (<usize>c << 3));
}

function listAppend(t: NatState, c: u32, e: u32): void {
  const p = entry(t, e);
  const last = tail(t, c);
  store<u32>(p + E_PREV, last);
  store<u32>(p + E_NEXT, NIL);
  if (last == NIL) store<u32>(t.heads + (<usize>c << 2), e);
  else store<u32>(entry(t, last) + E_NEXT, e);
  store<u32>(t.tails + (<usize>c << 2), e);
}

function listRemove(t: NatState, c: u32, e: u32): void {
  const p = entry(t, e);
  const prev = load<u32>(p + E_PREV);
  const next = load<u32>(p + E_NEXT);
  if (prev == NIL) store<u32>(t.heads + (<usize>c << 2), next);
  else store<u32>(entry(t, prev) + E_NEXT, next);
  if (next == NIL) store<u32>(t.tails + (<usize>c << 2), prev);
  else store<u32>(entry(t, next) + E_PREV, prev);
}

/** Marks a dynamic entry used at `now` in class `c`: it moves to the tail of that class's list. */
export function touch(t: NatState, e: u32, c: u32, now: i64): void {
  const p = entry(t, e);
  const old = <u32>load<u8>(p + E_CLASS);
  listRemove(t, old, e);
  store<u8>(p + E_CLASS, <u8>c);
  store<i64>(p + E_EXPIRES, now + timeoutOf(t, c));
  listAppend(t, c, e);
}

// ---- creation and removal

/**
 * Takes a free entry, fills its key and links it everywhere under its index hashes `forwardHash`
 * and `reverseHash` (the caller computed them for its lookups, and checked there is an entry).
 */
export function insertEntry(
  t: NatState, flags: u8, protocol: u32, local: u32, localPort: u32, global: u32, globalPort: u32, outside: u32,
  outsidePort: u32, c: u32, mapping: u32, poolSlot: u32, now: i64, forwardHash: u32, reverseHash: u32,
): u32 {
  const e = t.freeHead;
  const p = entry(t, e);
  t.freeHead = load<u32>(p + E_NEXT);
  memory.fill(p, 0, E_BYTES);
  store<u32>(p + E_LOCAL, local);
  store<u32>(p + E_GLOBAL, global);
  store<u32>(p + E_OUTSIDE, outside);
  store<u16>(p + E_LOCAL_PORT, <u16>localPort);
  store<u16>(p + E_GLOBAL_PORT, <u16>globalPort);
  store<u16>(p + E_OUTSIDE_PORT, <u16>outsidePort);
  store<u8>(p + E_PROTOCOL, <u8>protocol);
  store<u8>(p + E_FLAGS, flags | FLAG_LIVE);
  store<u8>(p + E_CLASS, <u8>c);
  store<u16>(p + E_MAPPING, <u16>mapping);
  store<u32>(p + E_POOL_SLOT, poolSlot);
  store<i64>(p + E_CREATED, now);
  store<i64>(p + E_EXPIRES, (flags & FLAG_STATIC) ? now : now + timeoutOf(t, c));
  store<u32>(p + E_FORWARD_HASH, forwardHash);
  store<u32>(p + E_REVERSE_HASH, reverseHash);
  indexInsert(t, t.forward, forwardHash, e);
  indexInsert(t, t.reverse, reverseHash, e);
  if (!(flags & FLAG_STATIC)) {
    listAppend(t, c, e);
    t.dynamic++;
    const m = t.mappings + <usize>mapping * MAP_BYTES;
    store<u32>(m + MAP_REFCOUNT, load<u32>(m + MAP_REFCOUNT) + 1);
    const refs = t.poolRefs + (<usize>poolSlot << 2);
    const r = load<u32>(refs);
    store<u32>(refs, r + 1);
    if (r == 0) {
      const pool = t.pools + <usize>load<u32>(m + MAP_POOL) * POOL_BYTES;
      store<u32>(pool + POOL_ALLOCATED, load<u32>(pool + POOL_ALLOCATED) + 1);
    }
  }
  if (flags & FLAG_EXTENDED) t.extended++;
  t.live++;
  return e;
}

/** Unlinks and frees a dynamic entry, giving its global address back when it was the last user. */
export function removeEntry(t: NatState, e: u32): void {
  const p = entry(t, e);
  const flags = load<u8>(p + E_FLAGS);
  indexRemove(t, t.forward, load<u32>(p + E_FORWARD_HASH), e);
  indexRemove(t, t.reverse, load<u32>(p + E_REVERSE_HASH), e);
  listRemove(t, <u32>load<u8>(p + E_CLASS), e);
  const mapping = <u32>load<u16>(p + E_MAPPING);
  const m = t.mappings + <usize>mapping * MAP_BYTES;
  store<u32>(m + MAP_REFCOUNT, load<u32>(m + MAP_REFCOUNT) - 1);
  const poolIndex = load<u32>(m + MAP_POOL);
  const pool = t.pools + <usize>poolIndex * POOL_BYTES;
  const slot = load<u32>(p + E_POOL_SLOT);
  const refs = t.poolRefs + (<usize>slot << 2);
  const r = load<u32>(refs) - 1;
  store<u32>(refs, r);
  if (r == 0) {
    store<u32>(pool + POOL_ALLOCATED, load<u32>(pool + POOL_ALLOCATED) - 1);
    if (!load<u32>(m + MAP_OVERLOAD)) {
      // A simple pool: the address goes back on its free stack.
      const top = load<u32>(pool + POOL_FREE_TOP);
      store<u32>(t.poolFree + (<usize>(load<u32>(pool + POOL_SLOTS) + top) << 2), slot - load<u32>(pool + POOL_SLOTS));
      store<u32>(pool + POOL_FREE_TOP, top + 1);
    }
  }
  store<u8>(p + E_FLAGS, 0);
  store<u32>(p + E_NEXT, t.freeHead);
  t.freeHead = e;
  t.dynamic--;
  if (flags & FLAG_EXTENDED) t.extended--;
  t.live--;
}

/** Removes an expired entry, counting it under its class. */
export function expireEntry(t: NatState, e: u32): void {
  const c = <u32>load<u8>(entry(t, e) + E_CLASS);
  removeEntry(t, e);
  count(t, C_EXPIRED);
  count(t, C_EXPIRED_CLASS + c);
}

/** The class whose list head expires first (ties: the lower class), or NIL when all are empty. */
export function earliestClass(t: NatState): u32 {
  let best: u32 = NIL;
  let bestAt: i64 = i64.MAX_VALUE;
  for (let c: u32 = 0; c < CLASSES; c++) {
    const e = head(t, c);
    if (e == NIL) continue;
    const at = load<i64>(entry(t, e) + E_EXPIRES);
    if (best == NIL || at < bestAt) {
      best = c;
      bestAt = at;
    }
  }
  return best;
}

/** Removes the entry that expires first if it has expired by `now`; true when one was removed. */
export function reclaimOne(t: NatState, now: i64): bool {
  const c = earliestClass(t);
  if (c == NIL) return false;
  const e = head(t, c);
  if (load<i64>(entry(t, e) + E_EXPIRES) > now) return false;
  expireEntry(t, e);
  return true;
}

/** The ager: removes expired entries in expiry order, at most `t.agerWork` of them. */
export function age(t: NatState, now: i64): u32 {
  let removed: u32 = 0;
  while (removed < t.agerWork && reclaimOne(t, now)) removed++;
  count(t, C_AGER_REMOVED, removed);
  return removed;
}

/** `clear ip nat translation *`: removes every dynamic entry; returns how many. */
export function clearDynamic(t: NatState): u32 {
  let removed: u32 = 0;
  for (let c: u32 = 0; c < CLASSES; c++) {
    for (let e = head(t, c); e != NIL; e = head(t, c)) {
      removeEntry(t, e);
      removed++;
    }
  }
  return removed;
}

/** Frees every block of a table made by natCreate (the host then detaches it from its core). */
export function freeTable(t: NatState): void {
  const b = t.budget;
  budgetFree(b, t.entriesBlock, <usize>t.capacity * E_BYTES + LINE_BYTES);
  budgetFree(b, t.forwardBlock, (<usize>t.buckets << BUCKET_SHIFT) + LINE_BYTES);
  budgetFree(b, t.reverseBlock, (<usize>t.buckets << BUCKET_SHIFT) + LINE_BYTES);
  budgetFree(b, t.poolRefs, <usize>t.poolAddressCapacity << 2);
  budgetFree(b, t.poolFree, <usize>t.poolAddressCapacity << 2);
  heap.free(t.heads);
  heap.free(t.tails);
  heap.free(t.timeouts);
  heap.free(t.roles);
  heap.free(t.counters);
  heap.free(t.pools);
  heap.free(t.mappings);
  heap.free(t.acl);
  if (t.hints) heap.free(t.hints);
  heap.free(changetype<usize>(b));
  heap.free(changetype<usize>(t));
}

/** Pool address slot of `address` in `pool`. */
// @ts-ignore: decorator
@inline export function poolSlot(t: NatState, pool: usize, address: u32): u32 {
  return load<u32>(pool + POOL_SLOTS) + (address - load<u32>(pool + POOL_START));
}

export { POOL_SIZE, MAP_POOL, MAP_OVERLOAD };
