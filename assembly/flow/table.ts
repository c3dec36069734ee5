// The flow cache's storage: the entry pool (records in creation order through two links, free
// entries in a LIFO list through the `next` link) and the open-addressing index over it.
//
// The index is linear probing over u64 slots that hold the 32-bit keyed hash of the flow key
// next to the entry id, so a probe rejects a non-matching slot without touching the entry, and
// a deletion shifts the following slots back (no tombstones) using the stored hashes. The home
// slot is the hash mapped onto [0, slots) by multiply-shift, so the slot count need not be a
// power of two. The table is sized at 1.75 slots per flow (at most 4/7 full): measured against
// 1.5, a scan's evictions and new flows, which probe to an empty slot and shift a run back, cost
// ~5 % less end to end for 2 bytes more per flow. An insertion never goes further than
// MAX_PROBE slots from home; the key is SipHash-1-3 under the cache's secret key, so traffic
// cannot aim at one run of slots without knowing it (Crosby & Wallach, USENIX Security 2003).

import { sipHash13, sipHash13Words3, reduceRange } from "../common/hash";
import { slotDelete } from "../common/probing";
import {
  FlowCache, RECORD_BYTES, NONE, MAX_PROBE, OFF_SRC, OFF_DST, OFF_VERSION, OFF_INTERFACE, OFF_PREV, OFF_NEXT,
  OFF_PACKETS, C_LOOKUPS, C_PROBES, C_LONGEST_PROBE,
} from "./state";
import { talkerRelease } from "./talkers";

// @ts-ignore: decorator
@inline export function entryAt(c: FlowCache, id: u32): usize {
  return c.entries + <usize>id * RECORD_BYTES;
}

// @ts-ignore: decorator
@inline function counterAdd(c: FlowCache, slot: u32, value: u64): void {
  const p = c.counters + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + value);
}

/**
 * The keyed hash of the key at `key` (record layout). An IPv4 key is hashed in a compact
 * 24-byte form (both addresses in one word, then the ports/protocol/ToS/version/direction word
 * and the interface); an IPv6 key as its 44 bytes. The lengths differ, so the forms cannot meet.
 */
// @ts-ignore: decorator
@inline export function keyHash(c: FlowCache, key: usize): u32 {
  if (load<u8>(key, OFF_VERSION) == 4) {
    const addresses = <u64>load<u32>(key, OFF_SRC) | ((<u64>load<u32>(key, OFF_DST)) << 32);
    return <u32>sipHash13Words3(addresses, load<u64>(key, 32), <u64>load<u32>(key, OFF_INTERFACE), c.key0, c.key1);
  }
  return <u32>sipHash13(key, 44, c.key0, c.key1);
}

// @ts-ignore: decorator
@inline function keysEqual(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8)
    && load<u64>(a, 16) == load<u64>(b, 16) && load<u64>(a, 24) == load<u64>(b, 24)
    && load<u64>(a, 32) == load<u64>(b, 32) && load<u32>(a, 40) == load<u32>(b, 40);
}

/** Results of `indexFind` besides its return value: the first empty slot seen, or NONE, and the slots probed. */
export let foundEmptySlot: u32 = NONE;
export let lastProbes: u32 = 0;

/** Adds lookups and probes to the counters (callers sum them over a run of packets). */
export function countLookups(c: FlowCache, lookups: u64, probes: u64, longest: u32): void {
  counterAdd(c, C_LOOKUPS, lookups);
  counterAdd(c, C_PROBES, probes);
  const at = c.counters + (<usize>C_LONGEST_PROBE << 3);
  if (<u64>longest > load<u64>(at)) store<u64>(at, longest);
}

/**
 * The entry id holding the key at `key` (hash `hash`), or NONE. Sets `foundEmptySlot` to the
 * empty slot that ended the search (where the key would be inserted), or NONE when MAX_PROBE
 * slots were all taken, and `lastProbes` to the slots it looked at (the caller counts them).
 */
// @ts-ignore: decorator
@inline export function indexFind(c: FlowCache, key: usize, hash: u32): u32 {
  const slots = c.slots;
  let i = reduceRange(hash, slots);
  const index = c.index;
  let probes: u32 = 0;
  let result = NONE;
  foundEmptySlot = NONE;
  while (probes < MAX_PROBE) {
    probes++;
    const slot = load<u64>(index + (<usize>i << 3));
    if (slot == 0) {
      foundEmptySlot = i;
      break;
    }
    if (<u32>(slot >> 32) == hash) {
      const id = <u32>slot - 1;
      if (keysEqual(entryAt(c, id), key)) {
        result = id;
        break;
      }
    }
    i++;
    if (i == slots) i = 0;
  }
  lastProbes = probes;
  return result;
}

/** Puts entry `id` with hash `hash` in slot `slot` (an empty slot found by indexFind). */
// @ts-ignore: decorator
@inline export function indexPut(c: FlowCache, slot: u32, hash: u32, id: u32): void {
  store<u64>(c.index + (<usize>slot << 3), ((<u64>hash) << 32) | <u64>(id + 1));
}

/** Removes entry `id` from the index, shifting the slots after it back towards their homes. */
export function indexRemove(c: FlowCache, id: u32): void {
  const slots = c.slots;
  const index = c.index;
  // The read-ahead's next victim has its hash ready. Any other removal may free an entry the
  // victims name, for a new flow with another key: then none of them is trusted any more.
  let hash: u32;
  const next = c.victimNext;
  if (next < c.victimCount && load<u32>(c.victims + (<usize>next << 3)) == id) {
    hash = load<u32>(c.victims + (<usize>next << 3), 4);
    c.victimNext = next + 1;
  } else {
    hash = keyHash(c, entryAt(c, id));
    c.victimCount = 0;
  }
  let i = reduceRange(hash, slots);
  const wanted = ((<u64>hash) << 32) | <u64>(id + 1);
  for (let n: u32 = 0; n < MAX_PROBE; n++) {
    if (load<u64>(index + (<usize>i << 3)) == wanted) break;
    i++;
    if (i == slots) i = 0;
  }
  slotDelete(index, slots, i);
}

/** Takes a free entry (the last one freed, else a never-used one); NONE when every entry is live. */
export function entryTake(c: FlowCache): u32 {
  let id = c.freeHead;
  if (id != NONE) {
    c.freeHead = load<u32>(entryAt(c, id), OFF_NEXT);
  } else if (c.fresh < c.capacity) {
    id = c.fresh++;
  } else {
    return NONE;
  }
  c.live++;
  return id;
}

/** Appends live entry `id` to the creation-order list (it becomes the newest flow). */
export function listAppend(c: FlowCache, id: u32): void {
  const e = entryAt(c, id);
  store<u32>(e, c.newest, OFF_PREV);
  store<u32>(e, NONE, OFF_NEXT);
  if (c.newest != NONE) store<u32>(entryAt(c, c.newest), id, OFF_NEXT);
  else c.oldest = id;
  c.newest = id;
}

/** Unlinks entry `id` from the creation-order list. */
export function listRemove(c: FlowCache, id: u32): void {
  const e = entryAt(c, id);
  const prev = load<u32>(e, OFF_PREV);
  const next = load<u32>(e, OFF_NEXT);
  if (prev != NONE) store<u32>(entryAt(c, prev), next, OFF_NEXT);
  else c.oldest = next;
  if (next != NONE) store<u32>(entryAt(c, next), prev, OFF_PREV);
  else c.newest = prev;
}

/** Returns live entry `id` (already out of the index and the list) to the free list. */
export function entryRelease(c: FlowCache, id: u32): void {
  const e = entryAt(c, id);
  store<u32>(e, 0, OFF_PACKETS);
  if (c.talkers != 0) talkerRelease(c, id);
  store<u32>(e, c.freeHead, OFF_NEXT);
  c.freeHead = id;
  c.live--;
}
