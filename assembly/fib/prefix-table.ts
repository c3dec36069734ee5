// The set of routes of one address family: an exact-match table keyed by (address, length),
// holding each route's adjacency. The trie (ply-trie.ts) answers longest-prefix lookups; this
// table answers "does this prefix exist, and with which adjacency", which the trie needs when
// a deletion must fall back to the next-longest covering prefix.
//
// Open addressing with linear probing and backward-shift deletion (no tombstones), keyed with a
// per-instance secret. A slot is the key's address words followed by one u32 holding
// `length << 24 | adjacency`; 0xffffffff marks an empty slot. A failed search ends at an empty
// slot, which is where the key would go, so find-or-insert is one probe sequence.

import { Budget, budgetAlloc, budgetFree } from "../common/budget";
import { fmix64, reduceRange } from "../common/hash";

/** Largest adjacency id a route can hold (24 bits). */
export const MAX_ROUTE_VALUE: u32 = 0x00ffffff;
export const EMPTY_SLOT: u32 = 0xffffffff;
/** Load factor above which the table grows, and the one it grows to, in 1/256ths. */
const MAX_LOAD_256: u64 = 205; // 0.8
const GROWN_LOAD_256: u64 = 141; // 0.55

@unmanaged export class PrefixTable {
  slots: usize;
  capacity: u32;
  count: u32;
  /** Address words per key: 1 (IPv4) or 4 (IPv6). */
  words: u32;
  slotBytes: u32;
  seed: u64;
  budget: Budget;
}

// The key of the current operation, most significant word first (IPv4 uses key0 only).
export let key0: u32 = 0;
export let key1: u32 = 0;
export let key2: u32 = 0;
export let key3: u32 = 0;

export function setKey(w0: u32, w1: u32, w2: u32, w3: u32): void {
  key0 = w0;
  key1 = w1;
  key2 = w2;
  key3 = w3;
}

/** Clears the host bits of the current key beyond `length`. */
export function maskKey(length: u32): void {
  key0 = length >= 32 ? key0 : length == 0 ? 0 : key0 & ~(0xffffffff >>> length);
  key1 = length >= 64 ? key1 : length <= 32 ? 0 : key1 & ~(0xffffffff >>> (length - 32));
  key2 = length >= 96 ? key2 : length <= 64 ? 0 : key2 & ~(0xffffffff >>> (length - 64));
  key3 = length >= 128 ? key3 : length <= 96 ? 0 : key3 & ~(0xffffffff >>> (length - 96));
}

export function prefixTableCreate(words: u32, seed: u64, budget: Budget): PrefixTable {
  const table = changetype<PrefixTable>(heap.alloc(offsetof<PrefixTable>()));
  table.slots = 0;
  table.capacity = 0;
  table.count = 0;
  table.words = words;
  table.slotBytes = (words + 1) << 2;
  table.seed = seed;
  table.budget = budget;
  return table;
}

export function prefixTableBytes(table: PrefixTable): u64 {
  return (<u64>table.capacity) * table.slotBytes;
}

// @ts-ignore: decorator
@inline function hashKey(table: PrefixTable, length: u32): u32 {
  let h = fmix64((((<u64>key0) << 32) | key1) ^ table.seed);
  if (table.words > 1) h = fmix64(h ^ ((((<u64>key2) << 32) | key3) + 0x9e3779b97f4a7c15));
  return <u32>((h ^ (h >> 32)) + length * 0x85ebca6b);
}

// @ts-ignore: decorator
@inline function slotAt(table: PrefixTable, index: u32): usize {
  return table.slots + (<usize>index) * table.slotBytes;
}

// @ts-ignore: decorator
@inline function metaOf(table: PrefixTable, slot: usize): u32 {
  return load<u32>(slot + (<usize>table.words << 2));
}

function slotMatches(table: PrefixTable, slot: usize, length: u32): bool {
  if (metaOf(table, slot) >>> 24 != length || load<u32>(slot) != key0) return false;
  if (table.words == 1) return true;
  return load<u32>(slot, 4) == key1 && load<u32>(slot, 8) == key2 && load<u32>(slot, 12) == key3;
}

/** Home slot of the entry stored in `slot`. */
function homeOf(table: PrefixTable, slot: usize): u32 {
  const s0 = key0, s1 = key1, s2 = key2, s3 = key3;
  key0 = load<u32>(slot);
  if (table.words > 1) {
    key1 = load<u32>(slot, 4);
    key2 = load<u32>(slot, 8);
    key3 = load<u32>(slot, 12);
  }
  const home = reduceRange(hashKey(table, metaOf(table, slot) >>> 24), table.capacity);
  key0 = s0; key1 = s1; key2 = s2; key3 = s3;
  return home;
}

/**
 * Reads the home slot of the current key with `length` and returns the word read. Batches call
 * it for the next few keys before working on them, so that their cache misses overlap instead of
 * coming one after another (WebAssembly has no prefetch instruction; an early load does the same).
 */
export function prefixTableTouch(table: PrefixTable, length: u32): u32 {
  if (table.capacity == 0) return 0;
  return load<u32>(slotAt(table, reduceRange(hashKey(table, length), table.capacity)));
}

/** Where the last failed `prefixTableFind` ended: the empty slot the key would take. */
export let vacantSlot: usize = 0;

/** The slot holding the current key with `length`, or 0 (then `vacantSlot` is where it would go). */
export function prefixTableFind(table: PrefixTable, length: u32): usize {
  vacantSlot = 0;
  const capacity = table.capacity;
  if (capacity == 0) return 0;
  let index = reduceRange(hashKey(table, length), capacity);
  while (true) {
    const slot = slotAt(table, index);
    const meta = metaOf(table, slot);
    if (meta == EMPTY_SLOT) {
      vacantSlot = slot;
      return 0;
    }
    if (slotMatches(table, slot, length)) return slot;
    index++;
    if (index == capacity) index = 0;
  }
}

/** The adjacency of the current key with `length`, or EMPTY_SLOT. */
export function prefixTableGet(table: PrefixTable, length: u32): u32 {
  const slot = prefixTableFind(table, length);
  return slot == 0 ? EMPTY_SLOT : metaOf(table, slot) & MAX_ROUTE_VALUE;
}

/** Overwrites the adjacency held in `slot` (from prefixTableFind). */
export function prefixTableSetValue(table: PrefixTable, slot: usize, value: u32): void {
  const meta = metaOf(table, slot);
  store<u32>(slot + (<usize>table.words << 2), (meta & 0xff000000) | value);
}

/**
 * Places the current key, known to be absent, in `slot` — the `vacantSlot` of a failed find
 * made after the last change to the table (capacity must have been reserved).
 */
export function prefixTableInsertAt(table: PrefixTable, slot: usize, length: u32, value: u32): void {
  store<u32>(slot, key0);
  if (table.words > 1) {
    store<u32>(slot, key1, 4);
    store<u32>(slot, key2, 8);
    store<u32>(slot, key3, 12);
  }
  store<u32>(slot + (<usize>table.words << 2), (length << 24) | value);
  table.count++;
}

/** Places the current key, known to be absent; capacity must have been reserved. */
export function prefixTableInsert(table: PrefixTable, length: u32, value: u32): void {
  prefixTableFind(table, length);
  prefixTableInsertAt(table, vacantSlot, length, value);
}

/** Removes the entry in `slot` (from prefixTableFind), moving later entries of its cluster back. */
export function prefixTableRemoveSlot(table: PrefixTable, slot: usize): void {
  const capacity = table.capacity;
  const bytes = <usize>table.slotBytes;
  let hole = <u32>((slot - table.slots) / bytes);
  let index = hole;
  while (true) {
    index++;
    if (index == capacity) index = 0;
    const next = slotAt(table, index);
    if (metaOf(table, next) == EMPTY_SLOT) break;
    // The entry may fill the hole unless its home lies cyclically in (hole, index].
    const home = homeOf(table, next);
    const fromHome = index >= home ? index - home : index + capacity - home;
    const fromHole = index >= hole ? index - hole : index + capacity - hole;
    if (fromHome >= fromHole) {
      memory.copy(slotAt(table, hole), next, bytes);
      hole = index;
    }
  }
  store<u32>(slotAt(table, hole) + (<usize>table.words << 2), EMPTY_SLOT);
  table.count--;
}

/**
 * Makes room for `extra` more entries without exceeding the load limit. Returns false, with the
 * table unchanged, when the budget cannot hold the larger table.
 */
export function prefixTableReserve(table: PrefixTable, extra: u32): bool {
  const needed = <u64>table.count + extra;
  if (needed * 256 <= <u64>table.capacity * MAX_LOAD_256) return true;
  let capacity = needed * 256 / GROWN_LOAD_256 + 1;
  if (capacity < 64) capacity = 64;
  if (capacity > 0x7fffffff) return false;
  const bytes = <usize>(capacity * table.slotBytes);
  const slots = budgetAlloc(table.budget, bytes, false);
  if (slots == 0) return false;
  memory.fill(slots, 0xff, bytes);
  const oldSlots = table.slots;
  const oldCapacity = table.capacity;
  table.slots = slots;
  table.capacity = <u32>capacity;
  table.count = 0;
  const s0 = key0, s1 = key1, s2 = key2, s3 = key3;
  const words = table.words;
  for (let i: u32 = 0; i < oldCapacity; i++) {
    const slot = oldSlots + (<usize>i) * table.slotBytes;
    const meta = load<u32>(slot + (<usize>words << 2));
    if (meta == EMPTY_SLOT) continue;
    key0 = load<u32>(slot);
    if (words > 1) {
      key1 = load<u32>(slot, 4);
      key2 = load<u32>(slot, 8);
      key3 = load<u32>(slot, 12);
    }
    prefixTableInsert(table, meta >>> 24, meta & MAX_ROUTE_VALUE);
  }
  key0 = s0; key1 = s1; key2 = s2; key3 = s3;
  budgetFree(table.budget, oldSlots, <usize>oldCapacity * table.slotBytes);
  return true;
}

/** Drops every entry and releases the slots. */
export function prefixTableClear(table: PrefixTable): void {
  budgetFree(table.budget, table.slots, <usize>table.capacity * table.slotBytes);
  table.slots = 0;
  table.capacity = 0;
  table.count = 0;
}

/**
 * Iteration: the first occupied slot index ≥ `from`, or `capacity` when there is none. The
 * slot's key is loaded into key0..key3 and its meta word returned through `iterMeta`.
 */
export let iterMeta: u32 = 0;
export function prefixTableNext(table: PrefixTable, from: u32): u32 {
  const words = table.words;
  for (let i = from; i < table.capacity; i++) {
    const slot = slotAt(table, i);
    const meta = metaOf(table, slot);
    if (meta == EMPTY_SLOT) continue;
    key0 = load<u32>(slot);
    key1 = words > 1 ? load<u32>(slot, 4) : 0;
    key2 = words > 1 ? load<u32>(slot, 8) : 0;
    key3 = words > 1 ? load<u32>(slot, 12) : 0;
    iterMeta = meta;
    return i;
  }
  return table.capacity;
}
