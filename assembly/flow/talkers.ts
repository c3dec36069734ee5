// The top-talkers column of a flow cache and its source table: what `show ip flow top N
// aggregate source-address` (analysis/top.ts) reads, kept so that the query streams 16 bytes a
// flow and adds each to its source's aggregate by index, with no hashing at query time.
//
// It exists only while top talkers are attached (`FlowCache.talkers` non-zero, refcounted by the
// host). Each live entry's source address is interned when the flow is created: the source table
// gives every distinct source of the live flows a dense id (entries reused through a free list,
// so ids stay below the cache's capacity), counted by the flows that hold it. The packet path
// then rewrites an entry's packets and bytes in the column after accounting a packet to it (two
// stores of values it has in cache, no load of the column); a new flow pays one lookup in the
// source table, a released flow one decrement (and, for the last flow of a source, its removal).
// Without top talkers the packet path pays one predictable branch.
//
//   column entry (16 bytes)   +0 u32 packets (0 = a free entry)   +4 u32 source id   +8 u64 bytes
//   source (SOURCE_BYTES)     +0 u64 value high   +8 u64 value low   (top talkers' value form:
//                             IPv4 address << 32 and 0, or the IPv6 address as two words)
//                             +16 u32 flows holding it (0 = free; then +0 is the next free id)
//                             +20 u32 tag (IP version)
//   index slot (u64)          (hash32 << 32) | (source id + 1), 0 = empty
//
// The index is linear probing at 1.5 slots per cache entry (at most two thirds full, since no
// more sources than flows are live), homes by multiply-shift of a keyed hash (murmur3's finaliser
// under keys derived from the cache's secret key, as top talkers hash), backward-shift deletion
// with the stored hashes (no tombstones).

import { fmix64, reduceRange } from "../common/hash";
import { slotDelete } from "../common/probing";
import { FlowCache, NONE, OFF_PACKETS, OFF_BYTES, OFF_SRC, OFF_VERSION } from "./state";

export const TALKER_BYTES: u32 = 16;
export const SOURCE_BYTES: u32 = 24;

/** Index slots of the source table of a cache of `capacity` flows. */
// @ts-ignore: decorator
@inline export function sourceSlots(capacity: u32): u32 {
  return capacity + (capacity >> 1) + 1;
}

/** Bytes of the column, the source table and its index for a cache of `capacity` flows. */
export function talkersBytes(capacity: u32): usize {
  return <usize>capacity * (TALKER_BYTES + SOURCE_BYTES) + (<usize>sourceSlots(capacity) << 3);
}

// @ts-ignore: decorator
@inline function sourceHash(c: FlowCache, high: u64, low: u64, tag: u32): u32 {
  let h = fmix64(high ^ c.sourceKey0 ^ <u64>tag);
  if (low != 0) h = fmix64(h ^ low ^ c.sourceKey1);
  return <u32>(h >> 32);
}

/** Allocates the column and the source table for a cache of `capacity` flows: the column and the index zero-filled, the sources written as they are made. */
export function talkersAllocate(c: FlowCache): void {
  const capacity = c.capacity;
  const columnBytes = <usize>capacity * TALKER_BYTES;
  const sourceBytes = <usize>capacity * SOURCE_BYTES;
  const slots = sourceSlots(capacity);
  c.talkers = heap.alloc(columnBytes);
  memory.fill(c.talkers, 0, columnBytes);
  c.sources = heap.alloc(sourceBytes);
  c.sourceIndex = heap.alloc(<usize>slots << 3);
  memory.fill(c.sourceIndex, 0, <usize>slots << 3);
  c.sourceSlots = slots;
  c.sourcesFresh = 0;
  c.sourcesFree = NONE;
  c.sourcesLive = 0;
  c.sourceKey0 = fmix64(c.key0 ^ 0x736f757263657331);
  c.sourceKey1 = fmix64(c.key1 ^ 0x736f757263657332);
}

/** Frees the column and the source table. */
export function talkersFree(c: FlowCache): void {
  heap.free(c.talkers);
  heap.free(c.sources);
  heap.free(c.sourceIndex);
  c.talkers = 0;
  c.sources = 0;
  c.sourceIndex = 0;
}

// The source of a flow key or record (the key is the record's first bytes), read into these
// by sourceRead: the value form and its keyed hash.
let sourceHigh: u64 = 0;
let sourceLow: u64 = 0;

// @ts-ignore: decorator
@inline function sourceRead(c: FlowCache, e: usize, tag: u32): u32 {
  const a = e + OFF_SRC;
  if (tag == 4) {
    sourceHigh = (<u64>load<u32>(a)) << 32;
    sourceLow = 0;
  } else {
    sourceHigh = ((<u64>load<u32>(a)) << 32) | <u64>load<u32>(a, 4);
    sourceLow = ((<u64>load<u32>(a, 8)) << 32) | <u64>load<u32>(a, 12);
  }
  return sourceHash(c, sourceHigh, sourceLow, tag);
}

/**
 * For the flow cache's read-ahead: the home index slot of the source of flow key `key` (whose
 * flow is about to be created), as slot + 1, for talkerTouchIndex to load.
 */
export function talkerHome(c: FlowCache, key: usize): u64 {
  return <u64>reduceRange(sourceRead(c, key, <u32>load<u8>(key, OFF_VERSION)), c.sourceSlots) + 1;
}

/** Loads home slots `homes[k] - 1` of the source index in place of each non-zero `homes[k]` (0 stays 0), in one loop of independent loads. */
export function talkerLoadHomes(c: FlowCache, homes: usize, count: u32): void {
  const index = c.sourceIndex;
  for (let k: u32 = 0; k < count; k++) {
    const at = homes + (<usize>k << 3);
    const home = load<u64>(at);
    if (home != 0) store<u64>(at, load<u64>(index + (<usize>(<u32>home - 1) << 3)));
  }
}

/** Touches the source named by each non-zero index slot in `loaded` (as talkerLoadHomes left them); returns a sum to keep. */
export function talkerTouchSources(c: FlowCache, loaded: usize, count: u32): u64 {
  let sink: u64 = 0;
  for (let k: u32 = 0; k < count; k++) {
    const slot = load<u64>(loaded + (<usize>k << 3));
    if (slot != 0) sink += load<u64>(c.sources + <usize>(<u32>slot - 1) * SOURCE_BYTES);
  }
  return sink;
}

/**
 * Interns the source address of new entry `id` (record at `e`, key in place): finds its source
 * or makes one, counts the flow on it and writes the id into the column entry.
 */
export function talkerIntern(c: FlowCache, id: u32, e: usize): void {
  const tag = <u32>load<u8>(e, OFF_VERSION);
  const hash = sourceRead(c, e, tag);
  const high = sourceHigh;
  const low = sourceLow;
  const slots = c.sourceSlots;
  const index = c.sourceIndex;
  let i = reduceRange(hash, slots);
  let sid: u32 = NONE;
  for (;;) {
    const slot = load<u64>(index + (<usize>i << 3));
    if (slot == 0) break;
    if (<u32>(slot >> 32) == hash) {
      const s = c.sources + <usize>(<u32>slot - 1) * SOURCE_BYTES;
      if (load<u64>(s) == high && load<u64>(s, 8) == low && load<u32>(s, 20) == tag) {
        sid = <u32>slot - 1;
        store<u32>(s, load<u32>(s, 16) + 1, 16);
        break;
      }
    }
    i++;
    if (i == slots) i = 0;
  }
  if (sid == NONE) {
    // A new source, at the empty slot that ended the probe. There is always one: at most
    // `capacity` sources are live in 1.5 × capacity slots.
    sid = c.sourcesFree;
    if (sid != NONE) c.sourcesFree = <u32>load<u64>(c.sources + <usize>sid * SOURCE_BYTES);
    else sid = c.sourcesFresh++;
    const s = c.sources + <usize>sid * SOURCE_BYTES;
    store<u64>(s, high);
    store<u64>(s, low, 8);
    store<u32>(s, 1, 16);
    store<u32>(s, tag, 20);
    store<u64>(index + (<usize>i << 3), ((<u64>hash) << 32) | <u64>(sid + 1));
    c.sourcesLive++;
  }
  store<u32>(c.talkers + (<usize>id << 4), sid, 4);
}

/** Rewrites the packets and bytes of live entry `id` (record at `e`) in the column. */
// @ts-ignore: decorator
@inline export function talkerMirror(c: FlowCache, id: u32, e: usize): void {
  const p = c.talkers + (<usize>id << 4);
  store<u32>(p, load<u32>(e, OFF_PACKETS));
  store<u64>(p, load<u64>(e, OFF_BYTES), 8);
}

/** Marks entry `id` free in the column and takes its flow off its source (freeing the source with its last flow). */
export function talkerRelease(c: FlowCache, id: u32): void {
  const p = c.talkers + (<usize>id << 4);
  store<u32>(p, 0);
  const sid = load<u32>(p, 4);
  const s = c.sources + <usize>sid * SOURCE_BYTES;
  const flows = load<u32>(s, 16) - 1;
  store<u32>(s, flows, 16);
  if (flows == 0) sourceRemove(c, sid, s);
}

/** Removes source `sid` (at `s`, no flows left) from the index and puts it on the free list. */
function sourceRemove(c: FlowCache, sid: u32, s: usize): void {
  const slots = c.sourceSlots;
  const index = c.sourceIndex;
  const hash = sourceHash(c, load<u64>(s), load<u64>(s, 8), load<u32>(s, 20));
  const wanted = ((<u64>hash) << 32) | <u64>(sid + 1);
  let i = reduceRange(hash, slots);
  for (let n: u32 = 0; n < slots && load<u64>(index + (<usize>i << 3)) != wanted; n++) {
    i++;
    if (i == slots) i = 0;
  }
  slotDelete(index, slots, i);
  store<u64>(s, <u64>c.sourcesFree);
  c.sourcesFree = sid;
  c.sourcesLive--;
}
