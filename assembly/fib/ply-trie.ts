// The forwarding trie of one address family: a multibit trie with a 16-bit root and 8-bit
// plies below it (16-8-8 for IPv4, 16-8-8-…-8 for IPv6), in the style of VPP's ip4_mtrie and
// of Gupta, Lin & McKeown's DIR-24-8 (INFOCOM 1998), with every entry fully expanded
// ("leaf pushed") so that a lookup is one load per level and no backtracking.
//
//   address  |<---- 16 bits ---->|<-- 8 -->|<-- 8 -->|  …
//   root     [ 65536 × u32 ]  ──ply──▶ [ 256 entries ] ──ply──▶ [ 256 entries ] …
//
// An entry is either an adjacency id (0 = no route) or a reference to a child ply, marked by
// its top bit. Root entries are u32. Ply entries start narrow (u16: 15-bit adjacency or ply
// index), which halves the table and keeps it in cache; the trie widens itself to u32 entries
// the first time an adjacency id or a ply index needs more than 15 bits.
//
// Updates keep, beside the entries, a "start mask" per entry: bit k of a ply entry's mask says
// that a route of length depth+1+k begins at that entry (bit k of a root entry's mask: a route of
// length k). That is enough to paint a route's range without overwriting the more-specific
// routes inside it (skip the range of the shortest longer route that begins at an entry) and to
// find the next-longest covering route when one is deleted. Each ply also remembers the value it
// inherits from above, its number of local routes and of child plies; a ply with neither is
// folded back into its parent entry.

import { Budget, budgetAlloc, budgetFree, budgetFits } from "../common/budget";
import { key0, key1, key2, key3 } from "./prefix-table";

export const PLY_FLAG: u32 = 0x80000000;
export const NARROW_PLY_FLAG: u32 = 0x8000;
export const NARROW_LIMIT: u32 = 0x8000;
export const PLY_ENTRIES: u32 = 256;
export const ROOT_ENTRIES: u32 = 65536;
const NO_PLY: u32 = 0xffffffff;
/** Bytes of per-ply bookkeeping: inherited value (u32), local routes (u16), child plies (u16). */
const INFO_BYTES: u32 = 8;

@unmanaged export class PlyTrie {
  /** Address length in bits: 32 or 128. */
  addressBits: u32;
  /** 0: ply entries are u16; 1: u32. */
  wide: u32;
  root: usize;
  rootMasks: usize;
  entries: usize;
  masks: usize;
  info: usize;
  capacity: u32;
  /** Plies ever handed out (indices below this are live or on the free list). */
  highWater: u32;
  live: u32;
  freeHead: u32;
  /** Times the trie switched from u16 to u32 entries. */
  widenings: u32;
  budget: Budget;
}

export function plyTrieCreate(addressBits: u32, budget: Budget): PlyTrie {
  const trie = changetype<PlyTrie>(heap.alloc(offsetof<PlyTrie>()));
  trie.addressBits = addressBits;
  trie.wide = 0;
  trie.root = 0;
  trie.rootMasks = 0;
  trie.entries = 0;
  trie.masks = 0;
  trie.info = 0;
  trie.capacity = 0;
  trie.highWater = 0;
  trie.live = 0;
  trie.freeHead = NO_PLY;
  trie.widenings = 0;
  trie.budget = budget;
  return trie;
}

// ---------------------------------------------------------------------------------------------
// Memory

function entryBytes(trie: PlyTrie): u32 {
  return trie.wide ? 4 : 2;
}

export function plyTrieBytes(trie: PlyTrie): u64 {
  const rootBytes: u64 = trie.root ? <u64>ROOT_ENTRIES * 8 : 0;
  return rootBytes + (<u64>trie.capacity) * (PLY_ENTRIES * entryBytes(trie) + PLY_ENTRIES + INFO_BYTES);
}

/** Allocates the root on first use. */
function ensureRoot(trie: PlyTrie): bool {
  if (trie.root) return true;
  if (!budgetFits(trie.budget, <u64>ROOT_ENTRIES * 8)) {
    trie.budget.refusals++;
    return false;
  }
  trie.root = budgetAlloc(trie.budget, ROOT_ENTRIES * 4);
  trie.rootMasks = budgetAlloc(trie.budget, ROOT_ENTRIES * 4);
  return true;
}

/** Grows the ply pool to at least `wanted` plies (by a quarter at a time). */
function growPool(trie: PlyTrie, wanted: u32): bool {
  let capacity = trie.capacity + (trie.capacity >> 2);
  if (capacity < wanted) capacity = wanted;
  if (capacity < 64) capacity = 64;
  const eb = entryBytes(trie);
  const oldCapacity = trie.capacity;
  // Each array is copied while its old copy still exists: asking for room for all the new
  // arrays at once bounds that peak.
  if (!budgetFits(trie.budget, (<u64>capacity) * (PLY_ENTRIES * eb + PLY_ENTRIES + INFO_BYTES))) {
    trie.budget.refusals++;
    return false;
  }
  trie.entries = moveBlock(trie, trie.entries, <usize>oldCapacity * PLY_ENTRIES * eb, <usize>capacity * PLY_ENTRIES * eb);
  trie.masks = moveBlock(trie, trie.masks, <usize>oldCapacity * PLY_ENTRIES, <usize>capacity * PLY_ENTRIES);
  trie.info = moveBlock(trie, trie.info, <usize>oldCapacity * INFO_BYTES, <usize>capacity * INFO_BYTES);
  trie.capacity = capacity;
  return true;
}

function moveBlock(trie: PlyTrie, ptr: usize, oldBytes: usize, newBytes: usize): usize {
  const next = budgetAlloc(trie.budget, newBytes);
  if (ptr) {
    memory.copy(next, ptr, oldBytes);
    budgetFree(trie.budget, ptr, oldBytes);
  }
  return next;
}

/**
 * Makes sure `plies` new plies can be handed out and, in the narrow format, that their indices
 * and `value` fit in 15 bits (widening the trie if not). Returns false when the budget is short;
 * nothing has changed then.
 */
export function plyTrieReserve(trie: PlyTrie, plies: u32, value: u32): bool {
  if (!ensureRoot(trie)) return false;
  let free: u32 = 0;
  for (let p = trie.freeHead; p != NO_PLY && free < plies; p = load<u32>(trie.info + (<usize>p) * INFO_BYTES)) free++;
  const fresh = plies - free;
  if (!trie.wide && (value >= NARROW_LIMIT || trie.highWater + fresh > NARROW_LIMIT)) {
    if (!widen(trie)) return false;
  }
  if (trie.highWater + fresh > trie.capacity) return growPool(trie, trie.highWater + fresh);
  return true;
}

/** Converts every ply entry from u16 to u32. */
function widen(trie: PlyTrie): bool {
  const count = <usize>trie.capacity * PLY_ENTRIES;
  const next = budgetAlloc(trie.budget, count * 4);
  if (next == 0 && count != 0) return false;
  for (let i: usize = 0; i < count; i++) {
    const e = <u32>load<u16>(trie.entries + (i << 1));
    store<u32>(next + (i << 2), e & NARROW_PLY_FLAG ? PLY_FLAG | (e & 0x7fff) : e);
  }
  budgetFree(trie.budget, trie.entries, count * 2);
  trie.entries = next;
  trie.wide = 1;
  trie.widenings++;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Entry access (control path). Entries are exchanged in the wide encoding.

// @ts-ignore: decorator
@inline function getEntry(trie: PlyTrie, ply: u32, index: u32): u32 {
  const slot = (<usize>ply << 8) | index;
  if (trie.wide) return load<u32>(trie.entries + (slot << 2));
  const e = <u32>load<u16>(trie.entries + (slot << 1));
  return e & NARROW_PLY_FLAG ? PLY_FLAG | (e & 0x7fff) : e;
}

// @ts-ignore: decorator
@inline function setEntry(trie: PlyTrie, ply: u32, index: u32, entry: u32): void {
  const slot = (<usize>ply << 8) | index;
  if (trie.wide) store<u32>(trie.entries + (slot << 2), entry);
  else store<u16>(trie.entries + (slot << 1), <u16>(entry & PLY_FLAG ? NARROW_PLY_FLAG | entry : entry));
}

// @ts-ignore: decorator
@inline function maskAt(trie: PlyTrie, ply: u32, index: u32): usize {
  return trie.masks + ((<usize>ply << 8) | index);
}

// @ts-ignore: decorator
@inline function infoAt(trie: PlyTrie, ply: u32): usize {
  return trie.info + (<usize>ply) * INFO_BYTES;
}

/** The byte of the current key (key0..key3) that indexes a ply at `depth` (a multiple of 8). */
// @ts-ignore: decorator
@inline function keyByte(depth: u32): u32 {
  const word = depth >>> 5;
  const w = word == 0 ? key0 : word == 1 ? key1 : word == 2 ? key2 : key3;
  return (w >>> (24 - (depth & 31))) & 255;
}

function allocatePly(trie: PlyTrie, inherited: u32): u32 {
  let ply = trie.freeHead;
  if (ply != NO_PLY) trie.freeHead = load<u32>(infoAt(trie, ply));
  else ply = trie.highWater++;
  const info = infoAt(trie, ply);
  store<u32>(info, inherited);
  store<u16>(info, 0, 4);
  store<u16>(info, 0, 6);
  memory.fill(maskAt(trie, ply, 0), 0, PLY_ENTRIES);
  if (trie.wide) {
    const base = trie.entries + ((<usize>ply) << 10);
    for (let i: usize = 0; i < PLY_ENTRIES; i++) store<u32>(base + (i << 2), inherited);
  } else {
    const base = trie.entries + ((<usize>ply) << 9);
    const v = <u16>inherited;
    for (let i: usize = 0; i < PLY_ENTRIES; i++) store<u16>(base + (i << 1), v);
  }
  trie.live++;
  return ply;
}

function releasePly(trie: PlyTrie, ply: u32): void {
  store<u32>(infoAt(trie, ply), trie.freeHead);
  trie.freeHead = ply;
  trie.live--;
}

// ---------------------------------------------------------------------------------------------
// Painting

/**
 * Writes `value` into entries [start, end) of `ply` (at `depth`) that are not covered by a
 * route starting in this ply whose mask bit is in `blocking`; child plies reached this way
 * inherit `value`.
 */
function paintPly(trie: PlyTrie, ply: u32, depth: u32, start: u32, end: u32, value: u32, blocking: u32): void {
  let i = start;
  while (i < end) {
    const m = <u32>load<u8>(maskAt(trie, ply, i)) & blocking;
    if (m) {
      i += <u32>1 << (7 - ctz(m));
      continue;
    }
    const e = getEntry(trie, ply, i);
    if (e & PLY_FLAG) inherit(trie, e & ~PLY_FLAG, depth + 8, value);
    else setEntry(trie, ply, i, value);
    i++;
  }
}

/** Gives `ply` (at `depth`) a new inherited value and repaints the entries that show it. */
function inherit(trie: PlyTrie, ply: u32, depth: u32, value: u32): void {
  store<u32>(infoAt(trie, ply), value);
  paintPly(trie, ply, depth, 0, PLY_ENTRIES, value, 0xff);
}

function paintRoot(trie: PlyTrie, start: u32, end: u32, value: u32, blocking: u32): void {
  let i = start;
  while (i < end) {
    const m = load<u32>(trie.rootMasks + (<usize>i << 2)) & blocking;
    if (m) {
      i += <u32>1 << (16 - ctz(m));
      continue;
    }
    const e = load<u32>(trie.root + (<usize>i << 2));
    if (e & PLY_FLAG) inherit(trie, e & ~PLY_FLAG, 16, value);
    else store<u32>(trie.root + (<usize>i << 2), value);
    i++;
  }
}

/** Mask bits of the routes longer than `length` at the root (lengths 0..16). */
// @ts-ignore: decorator
@inline function rootLonger(length: u32): u32 {
  return (<u32>0x1fffe << length) & 0x1ffff;
}

/** Mask bits of the routes longer than the one with bit `bit` in a ply. */
// @ts-ignore: decorator
@inline function plyLonger(bit: u32): u32 {
  return (<u32>0xfe << bit) & 0xff;
}

// ---------------------------------------------------------------------------------------------
// Updates. The key is in key0..key3 (host bits zero); the caller has checked the route table.

/** Number of plies a route of `length` sits below (0 for the root). */
// @ts-ignore: decorator
@inline export function pliesFor(length: u32): u32 {
  return length <= 16 ? 0 : (length - 9) >>> 3;
}

/**
 * Installs a route (new, or an existing one with a new value). `isNew` records it in the start
 * masks. `plyTrieReserve(trie, pliesFor(length), value)` must have succeeded.
 */
export function plyTrieSet(trie: PlyTrie, length: u32, value: u32, isNew: bool): void {
  if (length <= 16) {
    const start = key0 >>> 16;
    const slot = trie.rootMasks + (<usize>start << 2);
    if (isNew) store<u32>(slot, load<u32>(slot) | (<u32>1 << length));
    paintRoot(trie, start, start + (<u32>1 << (16 - length)), value, rootLonger(length));
    return;
  }
  // Descend, creating plies on the way.
  const rootSlot = trie.root + (<usize>(key0 >>> 16) << 2);
  let e = load<u32>(rootSlot);
  let ply: u32;
  if (e & PLY_FLAG) ply = e & ~PLY_FLAG;
  else {
    ply = allocatePly(trie, e);
    store<u32>(rootSlot, PLY_FLAG | ply);
  }
  let depth: u32 = 16;
  while (length > depth + 8) {
    const index = keyByte(depth);
    e = getEntry(trie, ply, index);
    let child: u32;
    if (e & PLY_FLAG) child = e & ~PLY_FLAG;
    else {
      child = allocatePly(trie, e);
      setEntry(trie, ply, index, PLY_FLAG | child);
      const info = infoAt(trie, ply);
      store<u16>(info, load<u16>(info, 6) + 1, 6);
    }
    ply = child;
    depth += 8;
  }
  const bit = length - depth - 1;
  const start = keyByte(depth);
  if (isNew) {
    const m = maskAt(trie, ply, start);
    store<u8>(m, load<u8>(m) | (<u8>1 << <u8>bit));
    const info = infoAt(trie, ply);
    store<u16>(info, load<u16>(info, 4) + 1, 4);
  }
  paintPly(trie, ply, depth, start, start + (<u32>1 << (7 - bit)), value, plyLonger(bit));
}

// Path of the last descent: ply and entry index per level (up to 14 plies for IPv6).
const pathPly = memory.data(16 * 4);
const pathIndex = memory.data(16 * 4);

/** Where the covering route that replaces a deleted one lies. */
export let coverLength: u32 = 0;

/**
 * Removes a route known to exist. Its entries take `replacement`, the value of the route of
 * length `coverLength` found by `plyTrieCover` (or the inherited value).
 */
export function plyTrieRemove(trie: PlyTrie, length: u32, replacement: u32): void {
  if (length <= 16) {
    const start = key0 >>> 16;
    const slot = trie.rootMasks + (<usize>start << 2);
    store<u32>(slot, load<u32>(slot) & ~(<u32>1 << length));
    paintRoot(trie, start, start + (<u32>1 << (16 - length)), replacement, rootLonger(length));
    return;
  }
  const levels = descend(trie, length);
  const depth = 16 + ((levels - 1) << 3);
  const ply = load<u32>(pathPly + ((levels - 1) << 2));
  const bit = length - depth - 1;
  const start = keyByte(depth);
  const m = maskAt(trie, ply, start);
  store<u8>(m, load<u8>(m) & ~(<u8>1 << <u8>bit));
  const info = infoAt(trie, ply);
  store<u16>(info, load<u16>(info, 4) - 1, 4);
  paintPly(trie, ply, depth, start, start + (<u32>1 << (7 - bit)), replacement, plyLonger(bit));
  collapse(trie, levels);
}

/** Follows the current key down to the ply holding routes of `length`; returns the levels. */
function descend(trie: PlyTrie, length: u32): u32 {
  let e = load<u32>(trie.root + (<usize>(key0 >>> 16) << 2));
  let levels: u32 = 0;
  let depth: u32 = 16;
  while (true) {
    const ply = e & ~PLY_FLAG;
    store<u32>(pathPly + (levels << 2), ply);
    levels++;
    if (length <= depth + 8) return levels;
    const index = keyByte(depth);
    store<u32>(pathIndex + (levels << 2), index);
    e = getEntry(trie, ply, index);
    depth += 8;
  }
}

/** Folds plies without local routes or children back into their parents, bottom up. */
function collapse(trie: PlyTrie, levels: u32): void {
  let level = levels;
  while (level > 0) {
    const ply = load<u32>(pathPly + ((level - 1) << 2));
    const info = infoAt(trie, ply);
    if (load<u16>(info, 4) != 0 || load<u16>(info, 6) != 0) return;
    const inherited = load<u32>(info);
    releasePly(trie, ply);
    if (level == 1) {
      store<u32>(trie.root + (<usize>(key0 >>> 16) << 2), inherited);
      return;
    }
    const parent = load<u32>(pathPly + ((level - 2) << 2));
    setEntry(trie, parent, load<u32>(pathIndex + ((level - 1) << 2)), inherited);
    const parentInfo = infoAt(trie, parent);
    store<u16>(parentInfo, load<u16>(parentInfo, 6) - 1, 6);
    level--;
  }
}

/**
 * For a route of `length` about to be deleted, finds the next-longest route that covers it.
 * Sets `coverLength` to its length and returns 1, or returns 0 when it is not a start-masked
 * route: the deleted route's entries then take the ply's inherited value (`plyTrieInherited`),
 * or "no route" at the root.
 */
export function plyTrieCover(trie: PlyTrie, length: u32): u32 {
  if (length <= 16) {
    const index = key0 >>> 16;
    for (let l = <i32>length - 1; l >= 0; l--) {
      const aligned = index & ~((<u32>1 << (16 - <u32>l)) - 1);
      if (load<u32>(trie.rootMasks + (<usize>aligned << 2)) & (<u32>1 << <u32>l)) {
        coverLength = <u32>l;
        return 1;
      }
    }
    return 0;
  }
  const levels = descend(trie, length);
  const depth = 16 + ((levels - 1) << 3);
  const ply = load<u32>(pathPly + ((levels - 1) << 2));
  const index = keyByte(depth);
  for (let bit = <i32>(length - depth - 1) - 1; bit >= 0; bit--) {
    const aligned = index & ~((<u32>1 << (7 - <u32>bit)) - 1);
    if (<u32>load<u8>(maskAt(trie, ply, aligned)) & (<u32>1 << <u32>bit)) {
      coverLength = depth + 1 + <u32>bit;
      return 1;
    }
  }
  return 0;
}

/** The inherited value of the ply found by the last `plyTrieCover` (route length > 16). */
export function plyTrieInherited(trie: PlyTrie, length: u32): u32 {
  const levels = descend(trie, length);
  return load<u32>(infoAt(trie, load<u32>(pathPly + ((levels - 1) << 2))));
}

/** Drops every route and ply (the root stays allocated, emptied). */
export function plyTrieClear(trie: PlyTrie): void {
  const eb = entryBytes(trie);
  budgetFree(trie.budget, trie.entries, <usize>trie.capacity * PLY_ENTRIES * eb);
  budgetFree(trie.budget, trie.masks, <usize>trie.capacity * PLY_ENTRIES);
  budgetFree(trie.budget, trie.info, <usize>trie.capacity * INFO_BYTES);
  trie.entries = 0;
  trie.masks = 0;
  trie.info = 0;
  trie.capacity = 0;
  trie.highWater = 0;
  trie.live = 0;
  trie.freeHead = NO_PLY;
  trie.wide = 0;
  if (trie.root) {
    memory.fill(trie.root, 0, ROOT_ENTRIES * 4);
    memory.fill(trie.rootMasks, 0, ROOT_ENTRIES * 4);
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics for `show ip cef summary`.

/** Entries holding a route (non-zero value) and entries pointing at a ply, over the whole trie. */
export let countLeafRefs: u64 = 0;
export let countNodeRefs: u64 = 0;
export function plyTrieCountRefs(trie: PlyTrie): void {
  countLeafRefs = 0;
  countNodeRefs = 0;
  if (!trie.root) return;
  for (let i: u32 = 0; i < ROOT_ENTRIES; i++) countEntry(load<u32>(trie.root + (<usize>i << 2)));
  countPlies(trie);
}

function countPlies(trie: PlyTrie): void {
  // Free plies are counted too unless skipped: mark them by walking the free list first.
  let freeCount: u32 = 0;
  for (let p = trie.freeHead; p != NO_PLY; p = load<u32>(infoAt(trie, p))) freeCount++;
  if (freeCount == 0) {
    for (let ply: u32 = 0; ply < trie.highWater; ply++) countPly(trie, ply);
    return;
  }
  // Walk live plies from the root instead.
  for (let i: u32 = 0; i < ROOT_ENTRIES; i++) {
    const e = load<u32>(trie.root + (<usize>i << 2));
    if (e & PLY_FLAG) countSubtree(trie, e & ~PLY_FLAG);
  }
}

function countSubtree(trie: PlyTrie, ply: u32): void {
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) {
    const e = getEntry(trie, ply, i);
    countEntry(e);
    if (e & PLY_FLAG) countSubtree(trie, e & ~PLY_FLAG);
  }
}

function countPly(trie: PlyTrie, ply: u32): void {
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) countEntry(getEntry(trie, ply, i));
}

// @ts-ignore: decorator
@inline function countEntry(e: u32): void {
  if (e & PLY_FLAG) countNodeRefs++;
  else if (e != 0) countLeafRefs++;
}
