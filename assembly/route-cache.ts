// The fast-switching route cache of the Code Red document (Cisco Doc 12808): demand-filled by
// process-switched packets, aged by `ip cache-ager-interval`, invalidated as a whole when the
// FIB changes (held per `ip cache-invalidate-delay`), per neighbour when ARP changes, and by
// `clear ip cache`. It reads the FIB of the same core in place.
//
// The batch functions take a cache handle and pointers into this module's memory, so a
// pipeline stage in WebAssembly calls them directly:
//
//   routeCacheSwitchBatch(cache, dst, count, now, verdicts, adjacencies)   hits fast, misses filled
//   routeCacheLookupBatch(cache, dst, count, now, adjacencies, entries)    hits only (0 = miss)
//   routeCacheFill(cache, address, now)                                    one miss, process switched
//   routeCacheEntryHeader / …HeaderBytes / …Interface (cache, entry)       the rewrite of a hit

import { budgetCreate, budgetAlloc, budgetRelease } from "./common/budget";
import { Fib } from "./fib/state";
import {
  RouteCache, Counters, COUNTER_COUNT, ENTRY_BYTES, SEGMENT_ENTRIES, MEMO_BYTES, INTERFACE_BYTES, MAX_INTERFACES,
  ADJ_INFO_BYTES, NEIGHBOR_BYTES, RATE_SECONDS, OFF_NETWORK, OFF_LENGTH, OFF_HEADER_BYTES, OFF_INTERFACE, OFF_ADJACENCY,
  OFF_NEXT_HOP, OFF_CREATED, OFF_HEADER, OFF_NEXT, OFF_USED,
} from "./route-cache/state";
import { entryAt, removeEntry, removeAll, maskOf, neighborSet, neighborRemove } from "./route-cache/table";
import { lookupOne, fillOne, entryAdjacency, VERDICT_FAST } from "./route-cache/switching";
import { advance, recordRequests, requestsIn } from "./route-cache/timers";

function nextPowerOfTwo(n: u64): u64 {
  let p: u64 = 64;
  while (p < n) p <<= 1;
  return p;
}

/** Entries a budget of `avail` bytes holds: whole segments plus an index at load ≤ 1/2. */
function entriesFor(avail: u64): u32 {
  let n = avail / (ENTRY_BYTES + 8);
  while (n > 0) {
    const indexBytes = nextPowerOfTwo(n * 2) * 4;
    const segments = (n + SEGMENT_ENTRIES - 1) / SEGMENT_ENTRIES;
    const bytes = indexBytes + segments * SEGMENT_ENTRIES * ENTRY_BYTES + (segments + 1) * 4;
    if (bytes <= avail) break;
    let next = indexBytes >= avail ? n >> 1 : (avail - indexBytes) / ENTRY_BYTES;
    if (next > SEGMENT_ENTRIES) next -= next % SEGMENT_ENTRIES;
    else if (indexBytes + <u64>SEGMENT_ENTRIES * ENTRY_BYTES + 8 > avail) next = 0; // not even one segment
    n = next < n ? next : n - 1;
  }
  return n > 0x40000000 ? 0x40000000 : <u32>n;
}

/**
 * A route cache over `fib` within `limitBytes` holding at most `maxEntries` (less when the
 * budget holds fewer); returns 0 when the fixed tables (memo,
 * interfaces, adjacencies, neighbours) leave no room for entries.
 */
export function routeCacheCreate(
  fib: Fib, limitBytes: f64, maxEntries: u32, maxNeighbors: u32, maxAdjacencies: u32, seedLow: u32, seedHigh: u32,
): RouteCache {
  const cache = changetype<RouteCache>(heap.alloc(offsetof<RouteCache>()));
  memory.fill(changetype<usize>(cache), 0, offsetof<RouteCache>());
  const budget = budgetCreate(<u64>limitBytes);
  cache.fib = fib;
  cache.budget = budget;
  const seed = ((<u64>seedHigh) << 32) | seedLow;
  cache.k0 = seed ^ 0x243f6a8885a308d3;
  cache.k1 = (seed * 0x9e3779b97f4a7c15) ^ 0x13198a2e03707344;
  cache.counters = changetype<Counters>(heap.alloc(offsetof<Counters>()));
  memory.fill(changetype<usize>(cache.counters), 0, offsetof<Counters>());
  const neighborSlots = nextPowerOfTwo(<u64>maxNeighbors * 2);
  const fixed: u64 = MEMO_BYTES + <u64>MAX_INTERFACES * INTERFACE_BYTES + <u64>maxAdjacencies * ADJ_INFO_BYTES
    + neighborSlots * NEIGHBOR_BYTES + <u64>RATE_SECONDS * 12;
  let entries: u32 = fixed >= <u64>limitBytes ? 0 : entriesFor(<u64>limitBytes - fixed);
  if (entries > maxEntries) entries = maxEntries;
  if (entries == 0) {
    routeCacheDestroy(cache);
    return changetype<RouteCache>(0);
  }
  cache.memo = budgetAlloc(budget, MEMO_BYTES);
  cache.interfaces = budgetAlloc(budget, MAX_INTERFACES * INTERFACE_BYTES);
  cache.adjacencies = budgetAlloc(budget, <usize>maxAdjacencies * ADJ_INFO_BYTES);
  cache.maxAdjacencies = maxAdjacencies;
  cache.neighbors = budgetAlloc(budget, <usize>(neighborSlots * NEIGHBOR_BYTES));
  cache.neighborMask = <u32>neighborSlots - 1;
  cache.maxNeighbors = maxNeighbors;
  cache.rateSeconds = budgetAlloc(budget, RATE_SECONDS * 8);
  for (let s: u32 = 0; s < RATE_SECONDS; s++) store<f64>(cache.rateSeconds + (<usize>s << 3), -1);
  cache.rateCounts = budgetAlloc(budget, RATE_SECONDS * 4);
  const indexSlots = nextPowerOfTwo(<u64>entries * 2);
  cache.index = budgetAlloc(budget, <usize>(indexSlots * 4));
  cache.indexMask = <u32>indexSlots - 1;
  cache.segments = budgetAlloc(budget, <usize>((entries + SEGMENT_ENTRIES - 1) / SEGMENT_ENTRIES + 1) << 2);
  cache.maxEntries = entries;
  cache.pendingSince = -1;
  cache.agerIntervalMs = 60000;
  cache.agerLowDivisor = 4;
  cache.agerNormalDivisor = 20;
  cache.lowMemoryBytes = 204800;
  cache.minimumMs = 2000;
  cache.maximumMs = 5000;
  cache.quietSeconds = 3;
  cache.threshold = 0;
  return cache;
}

/** Frees everything the cache holds (its budget's blocks: tables and entry segments), its counters and itself. */
export function routeCacheDestroy(cache: RouteCache): void {
  budgetRelease(cache.budget);
  heap.free(changetype<usize>(cache.counters));
  heap.free(changetype<usize>(cache));
}

export function routeCacheMaxEntries(cache: RouteCache): u32 {
  return cache.maxEntries;
}

/** `ip cache-ager-interval X Y Z` (X in ms here); `lowMemoryBytes` is the low-memory threshold. */
export function routeCacheSetAger(cache: RouteCache, intervalMs: f64, lowDivisor: u32, normalDivisor: u32, lowMemoryBytes: f64): void {
  cache.agerIntervalMs = intervalMs;
  cache.agerLowDivisor = lowDivisor;
  cache.agerNormalDivisor = normalDivisor;
  cache.lowMemoryBytes = lowMemoryBytes;
  if (cache.started) cache.nextRun = cache.lastNow + intervalMs;
}

/** `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD` (times in ms, quiet in seconds). */
export function routeCacheSetInvalidateDelay(cache: RouteCache, minimumMs: f64, maximumMs: f64, quietSeconds: u32, threshold: u32): void {
  cache.minimumMs = minimumMs;
  cache.maximumMs = maximumMs;
  cache.quietSeconds = quietSeconds;
  cache.threshold = threshold;
}

/** Interface `ifIndex`: encapsulation (0 ARPA, 1 HDLC) and its own MAC (6 bytes at `mac`). */
export function routeCacheSetInterface(cache: RouteCache, ifIndex: u32, encapsulation: u8, mac: usize): void {
  if (ifIndex >= MAX_INTERFACES) return;
  const iface = cache.interfaces + (<usize>ifIndex) * INTERFACE_BYTES;
  store<u8>(iface, encapsulation);
  memory.copy(iface + 2, mac, 6);
}

/** What the cache knows of FIB adjacency `id`: flags (0 forgets it), interface, next hop, static MAC. */
export function routeCacheSetAdjacency(cache: RouteCache, id: u32, flags: u8, ifIndex: u32, nextHop: u32, mac: usize): void {
  if (id >= cache.maxAdjacencies) return;
  const info = cache.adjacencies + (<usize>id) * ADJ_INFO_BYTES;
  store<u8>(info, flags);
  store<u16>(info, <u16>ifIndex, 2);
  store<u32>(info, nextHop, 4);
  memory.copy(info + 8, mac, 6);
}

// ---------------------------------------------------------------------------------------------
// Switching

/** Runs the invalidation and ager work due at `now` (every batch call does this first). */
export function routeCacheAdvance(cache: RouteCache, now: f64): void {
  advance(cache, now);
}

/**
 * Switches `count` IPv4 destinations (u32 at `dst`) at `now`: a verdict per packet (u8 at
 * `verdicts`, see VERDICT_*) and the adjacency it leaves by (u32 at `adjacencies`, 0 when
 * none). Misses are process switched and fill the cache. Returns the fast-switched count.
 */
export function routeCacheSwitchBatch(cache: RouteCache, dst: usize, count: u32, now: f64, verdicts: usize, adjacencies: usize): u32 {
  now = advance(cache, now);
  const c = cache.counters;
  let hits: u32 = 0;
  for (let i: usize = 0; i < <usize>count; i++) {
    const address = load<u32>(dst + (i << 2));
    let e = lookupOne(cache, address);
    let verdict = VERDICT_FAST;
    if (e != 0) hits++;
    else {
      verdict = fillOne(cache, address, now);
      e = cache.lastEntry;
    }
    store<u8>(verdicts + i, verdict);
    store<u32>(adjacencies + (i << 2), e != 0 ? entryAdjacency(cache, e) : 0);
  }
  c.lookups += count;
  c.fastSwitched += hits;
  return hits;
}

/**
 * Looks `count` destinations up without filling: the adjacency of each hit (u32 at
 * `adjacencies`, 0 on a miss) and its entry (u32 index + 1 at `entries`, 0 on a miss; pass 0 to
 * skip). Misses are not counted until `routeCacheFill` process-switches them. Returns the hits.
 */
export function routeCacheLookupBatch(cache: RouteCache, dst: usize, count: u32, now: f64, adjacencies: usize, entries: usize): u32 {
  advance(cache, now);
  let hits: u32 = 0;
  for (let i: usize = 0; i < <usize>count; i++) {
    const e = lookupOne(cache, load<u32>(dst + (i << 2)));
    store<u32>(adjacencies + (i << 2), e != 0 ? entryAdjacency(cache, e) : 0);
    if (entries) store<u32>(entries + (i << 2), e);
    if (e != 0) hits++;
  }
  cache.counters.lookups += hits;
  cache.counters.fastSwitched += hits;
  return hits;
}

/** Process-switches one missed destination; returns its verdict (`routeCacheLastEntry(cache)`: the entry hit or built). */
export function routeCacheFill(cache: RouteCache, address: u32, now: f64): u8 {
  now = advance(cache, now);
  const e = lookupOne(cache, address);
  cache.counters.lookups++;
  if (e != 0) {
    cache.counters.fastSwitched++;
    cache.lastEntry = e;
    return VERDICT_FAST;
  }
  return fillOne(cache, address, now);
}

/** The entry the last `routeCacheFill` hit or built (index + 1), 0 when none. */
export function routeCacheLastEntry(cache: RouteCache): u32 {
  return cache.lastEntry;
}

export function routeCacheEntryHeader(cache: RouteCache, e: u32): usize {
  return entryAt(cache, e - 1) + OFF_HEADER;
}
export function routeCacheEntryHeaderBytes(cache: RouteCache, e: u32): u32 {
  return load<u8>(entryAt(cache, e - 1), OFF_HEADER_BYTES);
}
export function routeCacheEntryInterface(cache: RouteCache, e: u32): u32 {
  return load<u16>(entryAt(cache, e - 1), OFF_INTERFACE);
}

// ---------------------------------------------------------------------------------------------
// Invalidation

/** An explicit whole-cache invalidation request at `now` (FIB changes are seen by themselves). */
export function routeCacheRequestInvalidation(cache: RouteCache, now: f64): void {
  now = advance(cache, now);
  recordRequests(cache, now, 1);
  advance(cache, now);
}

/**
 * `clear ip cache` (length 33: everything, memory freed) or `clear ip cache PREFIX MASK`: the
 * entries overlapping `network`/`length`. Returns the entries removed.
 */
export function routeCacheClear(cache: RouteCache, network: u32, length: u32, now: f64): u32 {
  now = advance(cache, now);
  const before = cache.count;
  if (length > 32) {
    // A full invalidation by hand: it also answers any pending request.
    cache.counters.invalidates += before;
    cache.counters.cleared += before;
    cache.counters.fullInvalidations++;
    removeAll(cache);
    cache.pendingSince = -1;
    cache.lastFullInvalidation = now;
    return before;
  }
  let e = cache.head;
  while (e != 0) {
    const entry = entryAt(cache, e - 1);
    const next = load<u32>(entry, OFF_NEXT);
    const entryLength = <u32>load<u8>(entry, OFF_LENGTH);
    const shorter = entryLength < length ? entryLength : length;
    if (((load<u32>(entry, OFF_NETWORK) ^ network) & maskOf(shorter)) == 0) {
      removeEntry(cache, e);
      cache.counters.cleared++;
      cache.counters.invalidates++;
    }
    e = next;
  }
  return before - cache.count;
}

/** Removes the entries whose rewrite goes to neighbour `address`; returns how many. */
function invalidateNeighbor(cache: RouteCache, address: u32): u32 {
  let removed: u32 = 0;
  let e = cache.head;
  while (e != 0) {
    const entry = entryAt(cache, e - 1);
    const next = load<u32>(entry, OFF_NEXT);
    if (load<u32>(entry, OFF_NEXT_HOP) == address && load<u8>(entry, OFF_HEADER_BYTES) != 4) {
      removeEntry(cache, e);
      removed++;
    }
    e = next;
  }
  cache.counters.arpInvalidated += removed;
  cache.counters.invalidates += removed;
  return removed;
}

/**
 * ARP resolved `address` to the MAC at `mac`: 1 new, 2 changed (its entries invalidated), 0
 * unchanged, −1 neighbour table full. `routeCacheLastInvalidated(cache)` gives the entries removed.
 */
export function routeCacheSetNeighbor(cache: RouteCache, address: u32, mac: usize, now: f64): i32 {
  advance(cache, now);
  const status = neighborSet(cache, address, mac);
  cache.lastInvalidated = status == 2 ? invalidateNeighbor(cache, address) : 0;
  return status;
}

/** ARP lost `address`: its entries are invalidated. Returns 1 when it was known. */
export function routeCacheRemoveNeighbor(cache: RouteCache, address: u32, now: f64): i32 {
  advance(cache, now);
  const status = neighborRemove(cache, address);
  cache.lastInvalidated = status == 1 ? invalidateNeighbor(cache, address) : 0;
  return status;
}

/** Entries the last neighbour change invalidated. */
export function routeCacheLastInvalidated(cache: RouteCache): u32 {
  return cache.lastInvalidated;
}

// ---------------------------------------------------------------------------------------------
// Inspection

/**
 * Writes the counters (COUNTER_COUNT f64, in Counters order), then: entries, max entries,
 * bytes used, byte limit, neighbours, last full invalidation (ms), pending since (ms, −1),
 * requests in the last second, requests in the last QUIET seconds, clock (ms).
 */
export function routeCacheStats(cache: RouteCache, out: usize): void {
  const counters = changetype<usize>(cache.counters);
  for (let i: u32 = 0; i < COUNTER_COUNT; i++) store<f64>(out + (<usize>i << 3), <f64>load<u64>(counters + (<usize>i << 3)));
  const o = out + (<usize>COUNTER_COUNT << 3);
  const now = cache.lastNow;
  store<f64>(o, <f64>cache.count);
  store<f64>(o, <f64>cache.maxEntries, 8);
  store<f64>(o, <f64>cache.budget.used, 16);
  store<f64>(o, <f64>cache.budget.limit, 24);
  store<f64>(o, <f64>cache.neighborCount, 32);
  store<f64>(o, cache.lastFullInvalidation, 40);
  store<f64>(o, cache.pendingSince, 48);
  store<f64>(o, cache.started ? <f64>requestsIn(cache, now, 1) : 0, 56);
  store<f64>(o, cache.started ? <f64>requestsIn(cache, now, cache.quietSeconds) : 0, 64);
  store<f64>(o, now, 72);
}

/** The entry after `e` in creation order (`e` = 0: the first); 0 at the end. */
export function routeCacheNextEntry(cache: RouteCache, e: u32): u32 {
  return e == 0 ? cache.head : load<u32>(entryAt(cache, e - 1), OFF_NEXT);
}

/** Writes entry `e` as f64: network, length, interface, adjacency, next hop, created, header bytes, used. */
export function routeCacheEntry(cache: RouteCache, e: u32, out: usize): void {
  const entry = entryAt(cache, e - 1);
  store<f64>(out, <f64>load<u32>(entry, OFF_NETWORK));
  store<f64>(out, <f64>load<u8>(entry, OFF_LENGTH), 8);
  store<f64>(out, <f64>load<u16>(entry, OFF_INTERFACE), 16);
  store<f64>(out, <f64>load<u32>(entry, OFF_ADJACENCY), 24);
  store<f64>(out, <f64>load<u32>(entry, OFF_NEXT_HOP), 32);
  store<f64>(out, load<f64>(entry, OFF_CREATED), 40);
  store<f64>(out, <f64>load<u8>(entry, OFF_HEADER_BYTES), 48);
  store<f64>(out, <f64>load<u32>(entry, OFF_USED), 56);
}
