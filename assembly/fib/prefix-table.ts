// The set of routes of one address family: an exact-match table keyed by (address, length),
// holding each route's adjacency. The trie (ply-trie.ts) answers longest-prefix lookups; this
// table answers "does this prefix exist, and with which adjacency", which the trie needs when
// a deletion must fall back to the next-longest covering prefix.
//
// Open addressing with Robin Hood probing and backward-shift deletion (no tombstones), keyed
// with a per-instance secret. A slot is the key's address words followed by one u32 holding
// `length << 24 | adjacency`; 0xffffffff marks an empty slot.

import { Budget, budgetAlloc, budgetFree } from "../common/budget";
import { fmix64, reduceRange } from "../common/hash";

/** Largest adjacency id a route can hold (24 bits). */
export const MAX_ROUTE_VALUE: u32 = 0x00ffffff;
export const EMPTY_SLOT: u32 = 0xffffffff;
/** Load factor above which the table grows, and the one it grows to, in 1/256ths. */
const MAX_LOAD_256: u64 = 218; // 0.85
const GROWN_LOAD_256: u64 = 154; // 0.6

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

/** Probe distance of the entry in `slot` (at `index`) from its home slot. */
function distanceOf(table: PrefixTable, slot: usize, index: u32): u32 {
  const s0 = key0, s1 = key1, s2 = key2, s3 = key3;
  key0 = load<u32>(slot);
  if (table.words > 1) {
    key1 = load<u32>(slot, 4);
    key2 = load<u32>(slot, 8);
    key3 = load<u32>(slot, 12);
  }
  const home = reduceRange(hashKey(table, metaOf(table, slot) >>> 24), table.capacity);
  key0 = s0; key1 = s1; key2 = s2; key3 = s3;
  return index >= home ? index - home : index + table.capacity - home;
}

/** The slot holding the current key with `length`, or 0. */
export function prefixTableFind(table: PrefixTable, length: u32): usize {
  if (table.count == 0) return 0;
  const capacity = table.capacity;
  let index = reduceRange(hashKey(table, length), capacity);
  let distance: u32 = 0;
  while (true) {
    const slot = slotAt(table, index);
    const meta = metaOf(table, slot);
    if (meta == EMPTY_SLOT) return 0;
    if (slotMatches(table, slot, length)) return slot;
    // Robin Hood invariant: had the key been present it would sit before any richer entry.
    if (distanceOf(table, slot, index) < distance) return 0;
    distance++;
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

/** Places the current key, known to be absent; capacity must have been reserved. */
export function prefixTableInsert(table: PrefixTable, length: u32, value: u32): void {
  const capacity = table.capacity;
  const words = table.words;
  let w0 = key0, w1 = key1, w2 = key2, w3 = key3;
  let meta = (length << 24) | value;
  let index = reduceRange(hashKey(table, length), capacity);
  let distance: u32 = 0;
  while (true) {
    const slot = slotAt(table, index);
    const held = metaOf(table, slot);
    if (held == EMPTY_SLOT) break;
    const heldDistance = distanceOf(table, slot, index);
    if (heldDistance < distance) {
      // Take the slot from the richer entry and carry it onwards.
      const h0 = load<u32>(slot);
      store<u32>(slot, w0);
      w0 = h0;
      if (words > 1) {
        const h1 = load<u32>(slot, 4), h2 = load<u32>(slot, 8), h3 = load<u32>(slot, 12);
        store<u32>(slot, w1, 4);
        store<u32>(slot, w2, 8);
        store<u32>(slot, w3, 12);
        w1 = h1; w2 = h2; w3 = h3;
      }
      store<u32>(slot + (<usize>words << 2), meta);
      meta = held;
      // Continue the probe for the displaced entry from its own distance.
      distance = heldDistance;
    }
    distance++;
    index++;
    if (index == capacity) index = 0;
  }
  const slot = slotAt(table, index);
  store<u32>(slot, w0);
  if (words > 1) {
    store<u32>(slot, w1, 4);
    store<u32>(slot, w2, 8);
    store<u32>(slot, w3, 12);
  }
  store<u32>(slot + (<usize>words << 2), meta);
  table.count++;
}

/** Removes the entry in `slot` (from prefixTableFind), shifting its successors back. */
export function prefixTableRemoveSlot(table: PrefixTable, slot: usize): void {
  const capacity = table.capacity;
  const bytes = <usize>table.slotBytes;
  let index = <u32>((slot - table.slots) / bytes);
  while (true) {
    let next = index + 1;
    if (next == capacity) next = 0;
    const nextSlot = slotAt(table, next);
    if (metaOf(table, nextSlot) == EMPTY_SLOT || distanceOf(table, nextSlot, next) == 0) break;
    memory.copy(slotAt(table, index), nextSlot, bytes);
    index = next;
  }
  store<u32>(slotAt(table, index) + (<usize>table.words << 2), EMPTY_SLOT);
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
  const slots = budgetAlloc(table.budget, bytes);
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
