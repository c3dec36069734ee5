// The FIB of the Code Red document's CEF: per address family a route table (exact match) and a
// forwarding trie (longest match), plus the adjacency table the routes point to. Everything
// is allocated through one budget; an update that does not fit is refused whole.

import { budgetCreate, budgetAlloc, budgetFree } from "./common/budget";
import {
  PrefixTable, prefixTableCreate, prefixTableFind, prefixTableGet, prefixTableInsert, prefixTableInsertAt, prefixTableReserve, prefixTableTouch, vacantSlot,
  prefixTableRemoveSlot, prefixTableSetValue, prefixTableBytes, prefixTableClear, prefixTableNext,
  setKey, maskKey, key0, key1, key2, key3, iterMeta, EMPTY_SLOT, MAX_ROUTE_VALUE,
} from "./fib/prefix-table";
import {
  PlyTrie, plyTrieCreate, plyTrieReserve, plyTrieSet, plyTrieRemove, plyTrieCover, plyTrieInherited,
  plyTrieBytes, plyTrieClear, plyTrieCountRefs, plyTrieTouched, pliesFor, coverLength, countLeafRefs, countNodeRefs,
  plyTrieLongestWithin4,
} from "./fib/ply-trie";
import { lookup4, lookup4Batch, lookup6, lookup6Batch } from "./fib/lookup";
import { Fib, FamilyStats, STATS_BYTES } from "./fib/state";
import { fmix64 } from "./common/hash";
import {
  ELEMENT_BYTES, MAX_PATHS, ADJ_LOADSHARE, elementFill, elementPathCount, elementPath, bucketOf6, elementChoose,
  isLoadShare, elementOf, resolve4,
} from "./fib/load-share";
import { PacketBatch } from "./packet/batch";

/** Update outcomes (negative: refused, nothing changed). */
export const FIB_NEW: i32 = 0;
export const FIB_REPLACED: i32 = 1;
export const FIB_UNCHANGED: i32 = 2;
export const FIB_NO_MEMORY: i32 = -1;
export const FIB_BAD_ADJACENCY: i32 = -2;
export const FIB_BAD_LENGTH: i32 = -3;
export const FIB_HOST_BITS: i32 = -4;

/** Adjacency kinds; ids 1..5 are the special adjacencies, created with every FIB. */
export const ADJ_FREE: u8 = 0;
export const ADJ_NULL: u8 = 1;
export const ADJ_PUNT: u8 = 2;
export const ADJ_DROP: u8 = 3;
export const ADJ_GLEAN: u8 = 4;
export const ADJ_DISCARD: u8 = 5;
export const ADJ_NEIGHBOR: u8 = 6;


function familyTrie(fib: Fib, family: u32): PlyTrie {
  return family == 6 ? fib.trie6 : fib.trie4;
}
function familyRoutes(fib: Fib, family: u32): PrefixTable {
  return family == 6 ? fib.routes6 : fib.routes4;
}
function familyStats(fib: Fib, family: u32): FamilyStats {
  return family == 6 ? fib.stats6 : fib.stats4;
}

function allocStats(): FamilyStats {
  const stats = changetype<FamilyStats>(heap.alloc(<usize>STATS_BYTES));
  memory.fill(changetype<usize>(stats), 0, <usize>STATS_BYTES);
  return stats;
}

/** A FIB holding at most `limitBytes` of tables; `seedLow`/`seedHigh` key its hash tables. */
export function fibCreate(limitBytes: f64, seedLow: u32, seedHigh: u32): Fib {
  const fib = changetype<Fib>(heap.alloc(offsetof<Fib>()));
  const budget = budgetCreate(<u64>limitBytes);
  const seed = ((<u64>seedHigh) << 32) | seedLow;
  fib.budget = budget;
  // IPv4 plies are dense (most are busy, and lookups must be one load per level); IPv6 plies are
  // sparse, so they are stored compressed.
  fib.trie4 = plyTrieCreate(32, false, budget);
  fib.trie6 = plyTrieCreate(128, true, budget);
  fib.routes4 = prefixTableCreate(1, seed, budget);
  fib.routes6 = prefixTableCreate(4, seed ^ 0x6a09e667f3bcc908, budget);
  fib.stats4 = allocStats();
  fib.stats6 = allocStats();
  fib.version = 1;
  fib.resets = 0;
  fib.adjKinds = 0;
  fib.adjRefs = 0;
  fib.adjCapacity = 0;
  fib.adjCount = 1; // id 0 means "no route"
  fib.adjLive = 0;
  fib.adjFreeHint = ADJ_DISCARD + 1;
  fib.adjData = 0;
  fib.loadShareLive = 0;
  fib.loadShareFrees = 0;
  fib.loadShareRefs = 0;
  fib.loadSharePending = 0;
  fib.loadShareKey = fmix64(seed ^ 0x3c6ef372fe94f82b);
  fib.previous = 0;
  fib.invalidReason = 0;
  for (let kind = ADJ_NULL; kind <= ADJ_DISCARD; kind++) fibAdjacencyAdd(fib, kind);
  return fib;
}

// ---------------------------------------------------------------------------------------------
// Adjacencies

/** Adds an adjacency of `kind`; returns its id, or 0 when the budget is exhausted. */
export function fibAdjacencyAdd(fib: Fib, kind: u8): u32 {
  if (kind == ADJ_FREE || kind == ADJ_LOADSHARE) return 0;
  const id = allocateId(fib);
  if (id == 0) return 0;
  store<u8>(fib.adjKinds + id, kind);
  fib.adjLive++;
  return id;
}

/** A free id (kind still ADJ_FREE, no references, no data), or 0 when the budget is exhausted. */
function allocateId(fib: Fib): u32 {
  // Reuse the lowest free id above the special ones, so ids stay small (and narrow).
  let id: u32 = 0;
  let i = fib.adjFreeHint;
  while (i < fib.adjCount && load<u8>(fib.adjKinds + i) != ADJ_FREE) i++;
  fib.adjFreeHint = i;
  if (i < fib.adjCount) id = i;
  else {
    if (fib.adjCount > MAX_ROUTE_VALUE) return 0;
    if (fib.adjCount >= fib.adjCapacity) {
      const capacity = fib.adjCapacity < 64 ? 64 : fib.adjCapacity * 2;
      const kinds = budgetAlloc(fib.budget, capacity);
      if (kinds == 0) return 0;
      const refs = budgetAlloc(fib.budget, <usize>capacity << 2);
      const data: usize = refs == 0 ? <usize>0 : budgetAlloc(fib.budget, <usize>capacity << 2);
      if (data == 0) {
        budgetFree(fib.budget, kinds, capacity);
        budgetFree(fib.budget, refs, <usize>capacity << 2);
        return 0;
      }
      if (fib.adjKinds) {
        memory.copy(kinds, fib.adjKinds, fib.adjCapacity);
        memory.copy(refs, fib.adjRefs, <usize>fib.adjCapacity << 2);
        memory.copy(data, fib.adjData, <usize>fib.adjCapacity << 2);
        budgetFree(fib.budget, fib.adjKinds, fib.adjCapacity);
        budgetFree(fib.budget, fib.adjRefs, <usize>fib.adjCapacity << 2);
        budgetFree(fib.budget, fib.adjData, <usize>fib.adjCapacity << 2);
      }
      fib.adjKinds = kinds;
      fib.adjRefs = refs;
      fib.adjData = data;
      fib.adjCapacity = capacity;
    }
    id = fib.adjCount++;
  }
  store<u32>(fib.adjRefs + (<usize>id << 2), 0);
  store<u32>(fib.adjData + (<usize>id << 2), 0);
  return id;
}

/** The kind of id `id` (ADJ_FREE when it is none). */
export function fibAdjacencyKind(fib: Fib, id: u32): u8 {
  return id != 0 && id < fib.adjCount ? load<u8>(fib.adjKinds + id) : ADJ_FREE;
}

// ---------------------------------------------------------------------------------------------
// Load-sharing elements


/**
 * Adds a load-sharing element over `count` (2..16) adjacencies at `paths` (u32 each); returns
 * its id, 0 when the budget is exhausted, or -1 (as u32) when a path is not an adjacency. The
 * element holds a reference on each path; it is freed when its last route goes.
 */
export function fibLoadShareCreate(fib: Fib, paths: usize, count: u32): u32 {
  if (count < 2 || count > MAX_PATHS) return 0xffffffff;
  for (let i: u32 = 0; i < count; i++) {
    const path = load<u32>(paths + (<usize>i << 2));
    if (!adjacencyExists(fib, path) || isLoadShare(fib, path)) return 0xffffffff;
  }
  const element = budgetAlloc(fib.budget, ELEMENT_BYTES);
  if (element == 0) return 0;
  const id = allocateId(fib);
  if (id == 0) {
    budgetFree(fib.budget, element, ELEMENT_BYTES);
    return 0;
  }
  elementFill(element, paths, count);
  store<u8>(fib.adjKinds + id, ADJ_LOADSHARE);
  store<u32>(fib.adjData + (<usize>id << 2), <u32>element);
  for (let i: u32 = 0; i < count; i++) addRef(fib, load<u32>(paths + (<usize>i << 2)), 1);
  fib.loadShareLive++;
  // Until a route uses it, the element is garbage: the end of the next update frees it if the
  // insertion it was made for failed.
  fib.loadSharePending = 1;
  return id;
}

/** Writes the paths of element `id` to `out` (u32 each); returns their number (0: not an element). */
export function fibLoadSharePaths(fib: Fib, id: u32, out: usize): u32 {
  if (!isLoadShare(fib, id)) return 0;
  const element = elementOf(fib, id);
  const count = elementPathCount(element);
  for (let i: u32 = 0; i < count; i++) store<u32>(out + (<usize>i << 2), elementPath(element, i));
  return count;
}

/** Elements freed so far (the wrapper drops its index entries for them when this moves). */
export function fibLoadShareFrees(fib: Fib): u32 {
  return fib.loadShareFrees;
}

/** Frees the elements no route uses any more (run at the end of every update that may drop one). */
function sweepLoadShare(fib: Fib): void {
  if (!fib.loadSharePending) return;
  fib.loadSharePending = 0;
  for (let id: u32 = ADJ_DISCARD + 1; id < fib.adjCount; id++) {
    if (load<u8>(fib.adjKinds + id) != ADJ_LOADSHARE || load<u32>(fib.adjRefs + (<usize>id << 2)) != 0) continue;
    const element = elementOf(fib, id);
    const count = elementPathCount(element);
    for (let i: u32 = 0; i < count; i++) addRef(fib, elementPath(element, i), -1);
    budgetFree(fib.budget, element, ELEMENT_BYTES);
    store<u32>(fib.adjData + (<usize>id << 2), 0);
    store<u8>(fib.adjKinds + id, ADJ_FREE);
    if (id < fib.adjFreeHint) fib.adjFreeHint = id;
    fib.loadShareLive--;
    fib.loadShareFrees++;
  }
}



// @ts-ignore: decorator
@inline function adjacencyExists(fib: Fib, id: u32): bool {
  return id != 0 && id < fib.adjCount && load<u8>(fib.adjKinds + id) != ADJ_FREE;
}

/** Removes adjacency `id`: 0 done, -1 no such adjacency or a special one, -2 routes use it. */
export function fibAdjacencyRemove(fib: Fib, id: u32): i32 {
  if (id <= ADJ_DISCARD || !adjacencyExists(fib, id) || isLoadShare(fib, id)) return -1;
  if (load<u32>(fib.adjRefs + (<usize>id << 2)) != 0) return -2;
  store<u8>(fib.adjKinds + id, ADJ_FREE);
  fib.adjLive--;
  if (id < fib.adjFreeHint) fib.adjFreeHint = id;
  return 0;
}

/** Number of routes pointing at adjacency `id`. */
export function fibAdjacencyRefs(fib: Fib, id: u32): u32 {
  return adjacencyExists(fib, id) ? load<u32>(fib.adjRefs + (<usize>id << 2)) : 0;
}

export function fibAdjacencyCount(fib: Fib): u32 {
  return fib.adjLive;
}

// @ts-ignore: decorator
@inline function addRef(fib: Fib, id: u32, delta: i32): void {
  const slot = fib.adjRefs + (<usize>id << 2);
  const refs = load<u32>(slot) + delta;
  store<u32>(slot, refs);
  if (load<u8>(fib.adjKinds + id) == ADJ_LOADSHARE) {
    fib.loadShareRefs += delta;
    if (refs == 0) fib.loadSharePending = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Checks a route; the key is in key0..key3. Returns 0 or a negative FIB_ status. */
function check(fib: Fib, family: u32, length: u32, value: u32): i32 {
  const bits: u32 = family == 6 ? 128 : 32;
  if (length > bits) return FIB_BAD_LENGTH;
  if (hostBitsSet(family, length)) return FIB_HOST_BITS;
  if (!adjacencyExists(fib, value)) return FIB_BAD_ADJACENCY;
  return 0;
}

function hostBitsSet(family: u32, length: u32): bool {
  const words: u32 = family == 6 ? 4 : 1;
  for (let w: u32 = 0; w < words; w++) {
    const word = w == 0 ? key0 : w == 1 ? key1 : w == 2 ? key2 : key3;
    const first = w << 5;
    if (length <= first) {
      if (word != 0) return true;
    } else if (length < first + 32) {
      if (word & (0xffffffff >>> (length - first))) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Updates

function insertKey(fib: Fib, family: u32, length: u32, value: u32): i32 {
  const status = check(fib, family, length, value);
  if (status < 0) return status;
  const routes = familyRoutes(fib, family);
  const trie = familyTrie(fib, family);
  const stats = familyStats(fib, family);
  const slot = prefixTableFind(routes, length);
  if (slot != 0) {
    const old = load<u32>(slot + (<usize>routes.words << 2)) & MAX_ROUTE_VALUE;
    fib.previous = old;
    if (old == value) return FIB_UNCHANGED;
    if (!plyTrieReserve(trie, 0, value, plyTrieTouched(trie, length))) {
      stats.aborted++;
      return FIB_NO_MEMORY;
    }
    prefixTableSetValue(routes, slot, value);
    plyTrieSet(trie, length, value, false);
    addRef(fib, old, -1);
    addRef(fib, value, 1);
    stats.revisions++;
    fib.version++;
    return FIB_REPLACED;
  }
  const vacant = vacantSlot;
  const capacity = routes.capacity;
  if (!prefixTableReserve(routes, 1) || !plyTrieReserve(trie, pliesFor(length), value, plyTrieTouched(trie, length))) {
    stats.aborted++;
    return FIB_NO_MEMORY;
  }
  if (routes.capacity != capacity) prefixTableInsert(routes, length, value);
  else prefixTableInsertAt(routes, vacant, length, value);
  plyTrieSet(trie, length, value, true);
  addRef(fib, value, 1);
  stats.inserts++;
  if (<u64>routes.count > stats.peakRoutes) stats.peakRoutes = routes.count;
  fib.version++;
  return FIB_NEW;
}

function deleteKey(fib: Fib, family: u32, length: u32): i32 {
  const bits: u32 = family == 6 ? 128 : 32;
  if (length > bits) return FIB_BAD_LENGTH;
  const routes = familyRoutes(fib, family);
  const slot = prefixTableFind(routes, length);
  if (slot == 0) return 0;
  const trie = familyTrie(fib, family);
  if (!plyTrieReserve(trie, 0, 0, plyTrieTouched(trie, length))) {
    familyStats(fib, family).aborted++;
    return FIB_NO_MEMORY;
  }
  const value = prefixTableGet(routes, length);
  prefixTableRemoveSlot(routes, prefixTableFind(routes, length));
  // The entries the route owned fall back to the next-longest route that covers it.
  let replacement: u32 = 0;
  if (plyTrieCover(trie, length)) {
    const w0 = key0, w1 = key1, w2 = key2, w3 = key3;
    maskKey(coverLength);
    replacement = prefixTableGet(routes, coverLength);
    setKey(w0, w1, w2, w3);
  } else if (length > 16) {
    replacement = plyTrieInherited(trie, length);
  }
  plyTrieRemove(trie, length, replacement);
  addRef(fib, value, -1);
  fib.previous = value;
  familyStats(fib, family).invalidations++;
  fib.version++;
  return 1;
}

/** Inserts or replaces one route. Returns a FIB_ status; the FIB's `previous` holds a replaced value. */
export function fibInsert(fib: Fib, family: u32, w0: u32, w1: u32, w2: u32, w3: u32, length: u32, value: u32): i32 {
  setKey(w0, w1, w2, w3);
  const status = insertKey(fib, family, length, value);
  sweepLoadShare(fib);
  return status;
}

/** Deletes one route: 1 deleted (its value in the FIB's `previous`), 0 absent, negative if invalid. */
export function fibDelete(fib: Fib, family: u32, w0: u32, w1: u32, w2: u32, w3: u32, length: u32): i32 {
  setKey(w0, w1, w2, w3);
  const status = deleteKey(fib, family, length);
  sweepLoadShare(fib);
  return status;
}

/** The adjacency of an exact route, or 0xffffffff. */
export function fibGet(fib: Fib, family: u32, w0: u32, w1: u32, w2: u32, w3: u32, length: u32): u32 {
  setKey(w0, w1, w2, w3);
  return prefixTableGet(familyRoutes(fib, family), length);
}

// Batches: `addresses` holds one u32 (IPv4) or four (IPv6) per route, `lengths` one u8, `values`
// one u32.

// @ts-ignore: decorator
@inline function loadKey(family: u32, addresses: usize, i: u32): void {
  if (family == 6) {
    const p = addresses + (<usize>i << 4);
    setKey(load<u32>(p), load<u32>(p, 4), load<u32>(p, 8), load<u32>(p, 12));
  } else setKey(load<u32>(addresses + (<usize>i << 2)), 0, 0, 0);
}

/** Why the route that the FIB's last `fibValidateBatch` named is invalid (a negative FIB_ status). */
export function fibInvalidReason(fib: Fib): i32 {
  return fib.invalidReason;
}

/** Index of the first invalid route of a batch, or -1 when all are valid. */
export function fibValidateBatch(fib: Fib, family: u32, addresses: usize, lengths: usize, values: usize, count: u32): i32 {
  for (let i: u32 = 0; i < count; i++) {
    loadKey(family, addresses, i);
    const status = check(fib, family, load<u8>(lengths + i), load<u32>(values + (<usize>i << 2)));
    if (status < 0) {
      fib.invalidReason = status;
      return <i32>i;
    }
  }
  return -1;
}

/**
 * Inserts a validated batch. Writes each route's previous adjacency (0xffffffff if it was new)
 * to `previous`. Returns `count`, or the index of the route that did not fit, after restoring
 * the table (and its counters) to its state before the batch.
 */
export function fibInsertBatch(fib: Fib, family: u32, addresses: usize, lengths: usize, values: usize, count: u32, previous: usize): u32 {
  const routes = familyRoutes(fib, family);
  const stats = familyStats(fib, family);
  const saved = changetype<FamilyStats>(memory.data(STATS_BYTES));
  memory.copy(changetype<usize>(saved), changetype<usize>(stats), <usize>STATS_BYTES);
  const version = fib.version;
  prefixTableReserve(routes, count);
  for (let i: u32 = 0; i < count; i++) {
    if ((i & (TOUCH_AHEAD - 1)) == 0) touchAhead(routes, family, addresses, lengths, i, count);
    loadKey(family, addresses, i);
    const status = insertKey(fib, family, load<u8>(lengths + i), load<u32>(values + (<usize>i << 2)));
    if (status < 0) {
      rollback(fib, family, addresses, lengths, previous, i);
      memory.copy(changetype<usize>(stats), changetype<usize>(saved), <usize>STATS_BYTES);
      stats.aborted++;
      fib.version = version;
      sweepLoadShare(fib);
      return i;
    }
    store<u32>(previous + (<usize>i << 2), status == FIB_NEW ? EMPTY_SLOT : fib.previous);
  }
  sweepLoadShare(fib);
  return count;
}

/** Keys whose route-table slots are read ahead in batches, and where the reads go. */
const TOUCH_AHEAD: u32 = 16;
let touchSink: u32 = 0;

/** Reads the route-table slots of batch items i+16 .. i+31 (see prefixTableTouch). */
function touchAhead(routes: PrefixTable, family: u32, addresses: usize, lengths: usize, i: u32, count: u32): void {
  let touched: u32 = 0;
  for (let k = i + TOUCH_AHEAD; k < i + 2 * TOUCH_AHEAD && k < count; k++) {
    loadKey(family, addresses, k);
    touched ^= prefixTableTouch(routes, load<u8>(lengths + k));
  }
  touchSink ^= touched;
}

function rollback(fib: Fib, family: u32, addresses: usize, lengths: usize, previous: usize, done: u32): void {
  for (let i = <i32>done - 1; i >= 0; i--) {
    loadKey(family, addresses, <u32>i);
    const length = <u32>load<u8>(lengths + i);
    const old = load<u32>(previous + (<usize>i << 2));
    if (old == EMPTY_SLOT) deleteKey(fib, family, length);
    else insertKey(fib, family, length, old);
  }
}

/** Deletes a batch; writes 1/0 (deleted/absent) per route to `results`; returns the deletions. */
export function fibDeleteBatch(fib: Fib, family: u32, addresses: usize, lengths: usize, count: u32, results: usize): u32 {
  const routes = familyRoutes(fib, family);
  let deleted: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    if ((i & (TOUCH_AHEAD - 1)) == 0) touchAhead(routes, family, addresses, lengths, i, count);
    loadKey(family, addresses, i);
    const status = deleteKey(fib, family, load<u8>(lengths + i));
    const done: u8 = status == 1 ? 1 : 0;
    store<u8>(results + i, done);
    deleted += done;
  }
  sweepLoadShare(fib);
  return deleted;
}

/** Removes every route of both families and counts a reset; adjacencies stay. */
export function fibClear(fib: Fib): void {
  for (let family: u32 = 4; family <= 6; family += 2) {
    const routes = familyRoutes(fib, family);
    for (let i = prefixTableNext(routes, 0); i < routes.capacity; i = prefixTableNext(routes, i + 1)) {
      addRef(fib, iterMeta & MAX_ROUTE_VALUE, -1);
    }
    familyStats(fib, family).invalidations += routes.count;
    prefixTableClear(routes);
    plyTrieClear(familyTrie(fib, family));
  }
  fib.resets++;
  fib.version++;
  sweepLoadShare(fib);
}

// ---------------------------------------------------------------------------------------------
// Lookups

// A lookup that lands on a load-sharing element picks its path afterwards, in a second pass
// that runs only when the FIB has elements, so that the single-path loop stays as it is.

export function fibLookup4(fib: Fib, address: u32): u32 {
  const value = lookup4(fib.trie4, address);
  return fib.loadShareLive ? resolve4(fib, value, address, 0) : value;
}

/** Per-destination lookups; with `sources` (u32 each, or 0) the path is chosen per source-destination pair. */
export function fibLookup4Batch(fib: Fib, addresses: usize, out: usize, count: u32, sources: usize): void {
  lookup4Batch(fib.trie4, addresses, out, count);
  if (fib.loadShareLive) resolveBatch4(fib, addresses, out, count, sources);
}

function resolveBatch4(fib: Fib, addresses: usize, out: usize, count: u32, sources: usize): void {
  for (let i: usize = 0; i < <usize>count; i++) {
    const value = load<u32>(out + (i << 2));
    if (!isLoadShare(fib, value)) continue;
    const source = sources ? load<u32>(sources + (i << 2)) : 0;
    store<u32>(out + (i << 2), resolve4(fib, value, load<u32>(addresses + (i << 2)), source));
  }
}

// @ts-ignore: decorator
@inline function resolve6(fib: Fib, value: u32, address: usize): u32 {
  if (!isLoadShare(fib, value)) return value;
  return elementChoose(elementOf(fib, value), bucketOf6(fib.loadShareKey, address));
}

export function fibLookup6(fib: Fib, address: usize): u32 {
  const value = lookup6(fib.trie6, address);
  return fib.loadShareLive ? resolve6(fib, value, address) : value;
}
export function fibLookup6Batch(fib: Fib, addresses: usize, out: usize, count: u32): void {
  lookup6Batch(fib.trie6, addresses, out, count);
  if (!fib.loadShareLive) return;
  for (let i: usize = 0; i < <usize>count; i++) {
    store<u32>(out + (i << 2), resolve6(fib, load<u32>(out + (i << 2)), addresses + (i << 4)));
  }
}

/** Length of the longest IPv4 route within `network`/`length` (itself included), or −1. */
export function fibLongestWithin4(fib: Fib, network: u32, length: u32): i32 {
  return plyTrieLongestWithin4(fib.trie4, network, length);
}

/** The route value (an adjacency or a load-sharing element) of an IPv4 destination, 0 for none. */
export function fibRouteValue4(fib: Fib, address: u32): u32 {
  return lookup4(fib.trie4, address);
}

/**
 * Looks up the destination of packets `from` … `from + count − 1` of a batch in place (its ipVersion
 * and dst columns): `out` gets one u32 adjacency per packet, 0 for no route and for non-IP packets.
 */
export function fibLookupPacketBatch(fib: Fib, batch: PacketBatch, from: u32, count: u32, out: usize): void {
  const versions = batch.ipVersion;
  const dst = batch.dst;
  for (let i: u32 = 0; i < count; i++) {
    const row = <usize>(from + i);
    const version = load<u8>(versions + row);
    let adjacency: u32 = 0;
    if (version == 4) {
      const address = load<u32>(dst + (row << 4));
      adjacency = lookup4(fib.trie4, address);
      if (fib.loadShareLive) adjacency = resolve4(fib, adjacency, address, 0);
    } else if (version == 6) {
      adjacency = lookup6(fib.trie6, dst + (row << 4));
      if (fib.loadShareLive) adjacency = resolve6(fib, adjacency, dst + (row << 4));
    }
    store<u32>(out + (<usize>i << 2), adjacency);
  }
}

// ---------------------------------------------------------------------------------------------
// Iteration and statistics

/** Next route slot at or after `cursor` (== capacity at the end); key in fibKey*, meta via fibRouteMeta. */
export function fibRouteNext(fib: Fib, family: u32, cursor: u32): u32 {
  return prefixTableNext(familyRoutes(fib, family), cursor);
}
export function fibRouteCapacity(fib: Fib, family: u32): u32 {
  return familyRoutes(fib, family).capacity;
}
export function fibRouteMeta(): u32 {
  return iterMeta;
}
export function fibKey(word: u32): u32 {
  return word == 0 ? key0 : word == 1 ? key1 : word == 2 ? key2 : key3;
}

/**
 * Writes the counters of one family as f64 to `out`: routes, plies, trie bytes, route-table
 * bytes, inserts, invalidations, revisions, aborted, peak routes, widenings, leaf refs, node
 * refs (the last two only when `countRefs`, since they need a walk of the trie).
 */
export function fibFamilyStats(fib: Fib, family: u32, out: usize, countRefs: bool): void {
  const trie = familyTrie(fib, family);
  const routes = familyRoutes(fib, family);
  const stats = familyStats(fib, family);
  store<f64>(out, <f64>routes.count);
  store<f64>(out, <f64>trie.live, 8);
  store<f64>(out, <f64>plyTrieBytes(trie), 16);
  store<f64>(out, <f64>prefixTableBytes(routes), 24);
  store<f64>(out, <f64>stats.inserts, 32);
  store<f64>(out, <f64>stats.invalidations, 40);
  store<f64>(out, <f64>stats.revisions, 48);
  store<f64>(out, <f64>stats.aborted, 56);
  store<f64>(out, <f64>stats.peakRoutes, 64);
  store<f64>(out, <f64>trie.widenings, 72);
  if (countRefs) plyTrieCountRefs(trie);
  store<f64>(out, countRefs ? <f64>countLeafRefs : -1, 80);
  store<f64>(out, countRefs ? <f64>countNodeRefs : -1, 88);
}

/**
 * Writes the FIB-wide counters as f64: version, resets, bytes in use, budget, refusals, peak
 * bytes, adjacencies, load-sharing elements, their bytes, the routes that use them.
 */
export function fibStats(fib: Fib, out: usize): void {
  store<f64>(out, <f64>fib.loadShareLive, 56);
  store<f64>(out, <f64>fib.loadShareLive * ELEMENT_BYTES, 64);
  store<f64>(out, <f64>fib.loadShareRefs, 72);
  store<f64>(out, <f64>fib.version);
  store<f64>(out, <f64>fib.resets, 8);
  store<f64>(out, <f64>fib.budget.used, 16);
  store<f64>(out, <f64>fib.budget.limit, 24);
  store<f64>(out, <f64>fib.budget.refusals, 32);
  store<f64>(out, <f64>fib.budget.peak, 40);
  store<f64>(out, <f64>fib.adjLive, 48);
}
