// The route cache's table: entries in a pool grown by segments (never copied, so the table's
// memory is exactly what its entries need, as IOS's cache is), an open-addressing index keyed
// with SipHash (the keys are destinations chosen by whoever sends the traffic — a worm scan),
// and a list in creation order that the ager walks.

import { budgetAlloc, budgetFree } from "../common/budget";
import { sipHashWord, reduceRange } from "../common/hash";
import {
  RouteCache, ENTRY_BYTES, SEGMENT_SHIFT, SEGMENT_ENTRIES, OFF_NETWORK, OFF_LENGTH, OFF_PREV, OFF_NEXT,
  MEMO_A, MEMO_B, MEMO_C, MEMO_BYTES, NEIGHBOR_BYTES,
} from "./state";

// @ts-ignore: decorator
@inline export function entryAt(cache: RouteCache, index: u32): usize {
  const segment = <usize>load<u32>(cache.segments + (<usize>(index >>> SEGMENT_SHIFT) << 2));
  return segment + (<usize>(index & (SEGMENT_ENTRIES - 1))) * ENTRY_BYTES;
}

// @ts-ignore: decorator
@inline export function slotOf(cache: RouteCache, network: u32, length: u32): u32 {
  return <u32>sipHashWord(((<u64>network) << 8) | length, cache.k0, cache.k1) & cache.indexMask;
}

/** The index (entry + 1) of the entry for `network`/`length`, or 0. */
// @ts-ignore: decorator
@inline export function find(cache: RouteCache, network: u32, length: u32): u32 {
  let slot = slotOf(cache, network, length);
  while (true) {
    const e = load<u32>(cache.index + (<usize>slot << 2));
    if (e == 0) return 0;
    const entry = entryAt(cache, e - 1);
    if (load<u32>(entry, OFF_NETWORK) == network && <u32>load<u8>(entry, OFF_LENGTH) == length) return e;
    slot = (slot + 1) & cache.indexMask;
  }
}

/**
 * A fresh entry (zeroed), linked at the tail of the ager order and indexed under
 * `network`/`length`; returns its index + 1, or 0 when the cache holds `maxEntries`.
 */
export function insertEntry(cache: RouteCache, network: u32, length: u32): u32 {
  if (cache.count >= cache.maxEntries) return 0;
  let index: u32;
  if (cache.freeHead != 0) {
    index = cache.freeHead - 1;
    cache.freeHead = load<u32>(entryAt(cache, index), OFF_NEXT);
  } else {
    index = cache.highWater;
    if ((index & (SEGMENT_ENTRIES - 1)) == 0 && (index >>> SEGMENT_SHIFT) >= cache.segmentCount) {
      const segment = budgetAlloc(cache.budget, <usize>SEGMENT_ENTRIES * ENTRY_BYTES, false);
      if (segment == 0) return 0;
      store<u32>(cache.segments + (<usize>cache.segmentCount << 2), <u32>segment);
      cache.segmentCount++;
    }
    cache.highWater++;
  }
  const entry = entryAt(cache, index);
  memory.fill(entry, 0, ENTRY_BYTES);
  store<u32>(entry, network, OFF_NETWORK);
  store<u8>(entry, <u8>length, OFF_LENGTH);
  store<u32>(entry, cache.tail, OFF_PREV);
  if (cache.tail != 0) store<u32>(entryAt(cache, cache.tail - 1), index + 1, OFF_NEXT);
  else cache.head = index + 1;
  cache.tail = index + 1;
  let slot = slotOf(cache, network, length);
  while (load<u32>(cache.index + (<usize>slot << 2)) != 0) slot = (slot + 1) & cache.indexMask;
  store<u32>(cache.index + (<usize>slot << 2), index + 1);
  cache.count++;
  return index + 1;
}

/** Removes entry `e` (index + 1) from the index, the ager order and the pool. */
export function removeEntry(cache: RouteCache, e: u32): void {
  const entry = entryAt(cache, e - 1);
  // Index: find its slot, then shift the rest of the cluster back (no tombstones).
  const mask = cache.indexMask;
  let hole = slotOf(cache, load<u32>(entry, OFF_NETWORK), load<u8>(entry, OFF_LENGTH));
  while (load<u32>(cache.index + (<usize>hole << 2)) != e) hole = (hole + 1) & mask;
  let slot = hole;
  while (true) {
    slot = (slot + 1) & mask;
    const other = load<u32>(cache.index + (<usize>slot << 2));
    if (other == 0) break;
    const o = entryAt(cache, other - 1);
    const home = slotOf(cache, load<u32>(o, OFF_NETWORK), load<u8>(o, OFF_LENGTH));
    // `other` may move into the hole unless its home lies cyclically in (hole, slot].
    if (((slot - home) & mask) >= ((slot - hole) & mask)) {
      store<u32>(cache.index + (<usize>hole << 2), other);
      hole = slot;
    }
  }
  store<u32>(cache.index + (<usize>hole << 2), 0);
  // Ager order; the ager's cursor moves on to the next entry.
  const prev = load<u32>(entry, OFF_PREV);
  const next = load<u32>(entry, OFF_NEXT);
  if (prev != 0) store<u32>(entryAt(cache, prev - 1), next, OFF_NEXT);
  else cache.head = next;
  if (next != 0) store<u32>(entryAt(cache, next - 1), prev, OFF_PREV);
  else cache.tail = prev;
  if (cache.cursor == e) cache.cursor = next;
  store<u32>(entry, cache.freeHead, OFF_NEXT);
  cache.freeHead = e;
  cache.count--;
}

/** Drops every entry and gives the pool's memory back; the major-network memo starts over. */
export function removeAll(cache: RouteCache): void {
  for (let s: u32 = 0; s < cache.segmentCount; s++) {
    budgetFree(cache.budget, <usize>load<u32>(cache.segments + (<usize>s << 2)), <usize>SEGMENT_ENTRIES * ENTRY_BYTES);
  }
  cache.segmentCount = 0;
  cache.highWater = 0;
  cache.freeHead = 0;
  cache.count = 0;
  cache.head = 0;
  cache.tail = 0;
  cache.cursor = 0;
  memory.fill(cache.index, 0, (<usize>cache.indexMask + 1) << 2);
  memory.fill(cache.memo, 0, MEMO_BYTES);
}

// ---------------------------------------------------------------------------------------------
// Major networks (classful: A /8 below 128, B /16 below 192, C /24 below 224)

/** Memo slot of the major network of `address`, or 0 for class D and E (never cached). */
// @ts-ignore: decorator
@inline export function memoSlot(cache: RouteCache, address: u32): usize {
  const first = address >>> 24;
  if (first < 128) return cache.memo + MEMO_A + first;
  if (first < 192) return cache.memo + MEMO_B + ((address >>> 16) - 0x8000);
  if (first < 224) return cache.memo + MEMO_C + ((address >>> 8) - 0xc00000);
  return 0;
}

/** Length of the major network of `address` (8, 16 or 24; 0 for class D and E). */
// @ts-ignore: decorator
@inline export function majorLength(address: u32): u32 {
  const first = address >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 0;
}

// @ts-ignore: decorator
@inline export function maskOf(length: u32): u32 {
  return length == 0 ? 0 : 0xffffffff << (32 - length);
}

// ---------------------------------------------------------------------------------------------
// Neighbours: the MAC rewrites that ARP resolved (address → MAC), open addressing.

// @ts-ignore: decorator
@inline function neighborSlot(cache: RouteCache, address: u32): u32 {
  return reduceRange(<u32>sipHashWord(<u64>address | 0x100000000, cache.k0, cache.k1), cache.neighborMask + 1);
}

// @ts-ignore: decorator
@inline function neighborAt(cache: RouteCache, slot: u32): usize {
  return cache.neighbors + (<usize>slot) * NEIGHBOR_BYTES;
}

/** The neighbour slot for `address` (its address), or 0 when absent. */
export function neighborFind(cache: RouteCache, address: u32): usize {
  let slot = neighborSlot(cache, address);
  while (true) {
    const n = neighborAt(cache, slot);
    if (load<u16>(n, 4) == 0) return 0;
    if (load<u32>(n) == address) return n;
    slot = (slot + 1) & cache.neighborMask;
  }
}

/** Sets the MAC of a neighbour: 1 new, 2 changed, 0 unchanged, −1 table full. */
export function neighborSet(cache: RouteCache, address: u32, mac: usize): i32 {
  let slot = neighborSlot(cache, address);
  while (true) {
    const n = neighborAt(cache, slot);
    if (load<u16>(n, 4) == 0) break;
    if (load<u32>(n) == address) {
      if (load<u32>(n, 6) == load<u32>(mac) && load<u16>(n, 10) == load<u16>(mac, 4)) return 0;
      memory.copy(n + 6, mac, 6);
      return 2;
    }
    slot = (slot + 1) & cache.neighborMask;
  }
  if (cache.neighborCount >= cache.maxNeighbors) return -1;
  const n = neighborAt(cache, slot);
  store<u32>(n, address);
  store<u16>(n, 1, 4);
  memory.copy(n + 6, mac, 6);
  cache.neighborCount++;
  return 1;
}

/** Removes a neighbour: 1 removed, 0 absent. */
export function neighborRemove(cache: RouteCache, address: u32): i32 {
  const n = neighborFind(cache, address);
  if (n == 0) return 0;
  const mask = cache.neighborMask;
  let hole = <u32>((n - cache.neighbors) / NEIGHBOR_BYTES);
  let slot = hole;
  while (true) {
    slot = (slot + 1) & mask;
    const o = neighborAt(cache, slot);
    if (load<u16>(o, 4) == 0) break;
    const home = neighborSlot(cache, load<u32>(o));
    if (((slot - home) & mask) >= ((slot - hole) & mask)) {
      memory.copy(neighborAt(cache, hole), o, NEIGHBOR_BYTES);
      hole = slot;
    }
  }
  store<u16>(neighborAt(cache, hole), 0, 4);
  cache.neighborCount--;
  return 1;
}
