// The forwarding trie of one address family: a multibit trie with a 16-bit root and 8-bit
// plies below it (16-8-8 for IPv4, 16-8-8-…-8 for IPv6), in the style of VPP's ip4_mtrie and
// of Gupta, Lin & McKeown's DIR-24-8 (INFOCOM 1998), with every entry fully expanded
// ("leaf pushed") so that a lookup is one load per level and no backtracking.
//
//   address  |<---- 16 bits ---->|<-- 8 -->|<-- 8 -->|  …
//   root     [ 65536 × u32 ]  ──ply──▶ [ 256 entries ] ──ply──▶ [ 256 entries ] …
//
// An entry is either an adjacency id (0 = no route) or a reference to a child ply, marked by
// its top bit. Root entries are u32. Plies are stored one of two ways, chosen per trie:
//
// * dense (IPv4): 256 entries per ply in one pool, addressed by ply index. Entries start narrow
//   (u16: 15-bit adjacency or ply index), which halves the table and keeps it in cache; the
//   trie widens itself to u32 entries the first time a value or a ply index needs 16 bits.
// * compact (IPv6, whose plies are sparse): each ply is a run-length image (ply-image.ts) and a
//   reference holds the image's offset. Updates expand a ply into a scratch array ("open"),
//   change it, and encode it back ("close"), which may move it; its parent is then patched.
//   Plies at depth 16 (few, and on every lookup's path) are kept as dense images, which never
//   move and are indexed without a rank.
//
// Updates keep, beside the entries, a "start mask" per entry: bit k of a ply entry's mask says
// that a route of length depth+1+k begins at that entry (bit k of a root entry's mask: a route of
// length k). That is enough to paint a route's range without overwriting the more-specific
// routes inside it (skip the range of the shortest longer route that begins at an entry) and to
// find the next-longest covering route when one is deleted. Each ply also remembers the value it
// inherits from above, its number of local routes and of child plies; a ply with neither is
// folded back into its parent entry. Masks and bookkeeping are indexed by ply index in both
// storages (a compact image carries its index).

import { Budget, budgetAlloc, budgetFree, budgetFits, budgetGrow } from "../common/budget";
import { key0, key1, key2, key3 } from "./prefix-table";
import {
  ImageHeap, imageHeapCreate, imageHeapBytes, imageHeapReserve, imageHeapClear, imageEntry, imagePatch,
  imageDecode, imageEncode, imageUniform, imageFree, imageIndex, IMAGE_MAX_BYTES,
} from "./ply-image";

export const PLY_FLAG: u32 = 0x80000000;
export const NARROW_PLY_FLAG: u32 = 0x8000;
export const NARROW_LIMIT: u32 = 0x8000;
export const PLY_ENTRIES: u32 = 256;
export const ROOT_ENTRIES: u32 = 65536;
const NO_PLY: u32 = 0xffffffff;
/** Bytes of per-ply bookkeeping: inherited value (u32), local routes (u16), child plies (u16). */
const INFO_BYTES: u32 = 8;
/** Ply levels below the root: 14 for IPv6 (16 + 14 × 8 = 128). */
const MAX_LEVELS: u32 = 14;

@unmanaged export class PlyTrie {
  /** Address length in bits: 32 or 128. */
  addressBits: u32;
  /** 1: plies are run-length images (compact); 0: dense. */
  compact: u32;
  /** Dense only — 0: ply entries are u16; 1: u32. */
  wide: u32;
  root: usize;
  rootMasks: usize;
  /** Dense entry pool (capacity × 256 entries). */
  entries: usize;
  masks: usize;
  info: usize;
  capacity: u32;
  /** Ply indices ever handed out (those below are live or on the free list). */
  highWater: u32;
  live: u32;
  freeHead: u32;
  /** Times the trie switched from u16 to u32 entries. */
  widenings: u32;
  images: ImageHeap;
  budget: Budget;
}

export function plyTrieCreate(addressBits: u32, compact: bool, budget: Budget): PlyTrie {
  const trie = changetype<PlyTrie>(heap.alloc(offsetof<PlyTrie>()));
  memory.fill(changetype<usize>(trie), 0, offsetof<PlyTrie>());
  trie.addressBits = addressBits;
  trie.compact = compact ? 1 : 0;
  trie.freeHead = NO_PLY;
  trie.images = imageHeapCreate(budget);
  trie.budget = budget;
  return trie;
}

// ---------------------------------------------------------------------------------------------
// Memory

function denseEntryBytes(trie: PlyTrie): u32 {
  return trie.compact ? 0 : trie.wide ? 4 : 2;
}

function perPlyBytes(trie: PlyTrie): u32 {
  return PLY_ENTRIES * denseEntryBytes(trie) + PLY_ENTRIES + INFO_BYTES;
}

export function plyTrieBytes(trie: PlyTrie): u64 {
  const rootBytes: u64 = trie.root ? <u64>ROOT_ENTRIES * 8 : 0;
  return rootBytes + (<u64>trie.capacity) * perPlyBytes(trie) + imageHeapBytes(trie.images);
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

/** Grows the ply pool (masks, bookkeeping, dense entries) to at least `wanted` plies. */
function growPool(trie: PlyTrie, wanted: u32): bool {
  let capacity = trie.capacity + (trie.capacity >> 2);
  if (capacity < wanted) capacity = wanted;
  if (capacity < 64) capacity = 64;
  const eb = denseEntryBytes(trie);
  const oldCapacity = trie.capacity;
  // Each array is copied while its old copy still exists: asking for room for all the new
  // arrays at once bounds that peak.
  if (!budgetFits(trie.budget, (<u64>capacity) * perPlyBytes(trie))) {
    trie.budget.refusals++;
    return false;
  }
  if (eb) trie.entries = budgetGrow(trie.budget, trie.entries, <usize>oldCapacity * PLY_ENTRIES * eb, <usize>capacity * PLY_ENTRIES * eb);
  trie.masks = budgetGrow(trie.budget, trie.masks, <usize>oldCapacity * PLY_ENTRIES, <usize>capacity * PLY_ENTRIES);
  trie.info = budgetGrow(trie.budget, trie.info, <usize>oldCapacity * INFO_BYTES, <usize>capacity * INFO_BYTES);
  trie.capacity = capacity;
  return true;
}

/**
 * Makes sure `plies` new plies can be handed out and, in the narrow format, that their indices
 * and `value` fit in 15 bits (widening the trie if not); in the compact format, that `images`
 * more images can be written. Returns false when the budget is short; nothing changed then.
 */
export function plyTrieReserve(trie: PlyTrie, plies: u32, value: u32, images: u32): bool {
  if (!ensureRoot(trie)) return false;
  let free: u32 = 0;
  for (let p = trie.freeHead; p != NO_PLY && free < plies; p = load<u32>(infoAt(trie, p))) free++;
  const fresh = plies - free;
  if (!trie.compact && !trie.wide && (value >= NARROW_LIMIT || trie.highWater + fresh > NARROW_LIMIT)) {
    if (!widen(trie)) return false;
  }
  if (trie.highWater + fresh > trie.capacity && !growPool(trie, trie.highWater + fresh)) return false;
  if (trie.compact && !imageHeapReserve(trie.images, (images + plies) * IMAGE_MAX_BYTES)) return false;
  return true;
}

/** Converts every dense ply entry from u16 to u32. */
function widen(trie: PlyTrie): bool {
  const count = <usize>trie.capacity * PLY_ENTRIES;
  const next = budgetAlloc(trie.budget, count * 4, false);
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
// Plies: a ply is named by a handle — its index (dense) or its image offset / 4 (compact) —
// and changed through a view: its dense entries, or a scratch expansion of its image.

// One scratch array of 256 u32 entries per level, for compact plies open during an update.
const scratch = memory.data(<i32>(MAX_LEVELS * PLY_ENTRIES * 4), 16);

// @ts-ignore: decorator
@inline function maskAt(trie: PlyTrie, index: u32, i: u32): usize {
  return trie.masks + ((<usize>index << 8) | i);
}

// @ts-ignore: decorator
@inline function infoAt(trie: PlyTrie, index: u32): usize {
  return trie.info + (<usize>index) * INFO_BYTES;
}

/** The ply index behind a handle. */
// @ts-ignore: decorator
@inline function indexOf(trie: PlyTrie, handle: u32): u32 {
  return trie.compact ? imageIndex(trie.images, handle << 2) : handle;
}

/** Reads entry `i` of a ply without opening it (wide encoding). */
function entryOf(trie: PlyTrie, handle: u32, i: u32): u32 {
  if (trie.compact) return imageEntry(trie.images.base + (<usize>handle << 2), i);
  const slot = (<usize>handle << 8) | i;
  if (trie.wide) return load<u32>(trie.entries + (slot << 2));
  const e = <u32>load<u16>(trie.entries + (slot << 1));
  return e & NARROW_PLY_FLAG ? PLY_FLAG | (e & 0x7fff) : e;
}

/** Opens a ply for changes at `level`; returns its view. */
function open(trie: PlyTrie, handle: u32, level: u32): usize {
  if (!trie.compact) return trie.entries + ((<usize>handle << 8) << (trie.wide ? 2 : 1));
  const view = scratch + (<usize>level << 10);
  imageDecode(trie.images, handle << 2, view);
  return view;
}

/** Closes a ply opened with `open` at `level`; returns its (possibly new) handle. */
function close(trie: PlyTrie, handle: u32, view: usize, level: u32): u32 {
  if (!trie.compact) return handle;
  return imageEncode(trie.images, view, indexOf(trie, handle), handle << 2, level == 0) >>> 2;
}

// @ts-ignore: decorator
@inline function viewGet(trie: PlyTrie, view: usize, i: u32): u32 {
  if (trie.compact || trie.wide) return load<u32>(view + (<usize>i << 2));
  const e = <u32>load<u16>(view + (<usize>i << 1));
  return e & NARROW_PLY_FLAG ? PLY_FLAG | (e & 0x7fff) : e;
}

// @ts-ignore: decorator
@inline function viewSet(trie: PlyTrie, view: usize, i: u32, entry: u32): void {
  if (trie.compact || trie.wide) store<u32>(view + (<usize>i << 2), entry);
  else store<u16>(view + (<usize>i << 1), <u16>(entry & PLY_FLAG ? NARROW_PLY_FLAG | entry : entry));
}

/** A new ply at `level` whose entries all hold `inherited`; returns its handle. */
function createPly(trie: PlyTrie, inherited: u32, level: u32): u32 {
  let index = trie.freeHead;
  if (index != NO_PLY) trie.freeHead = load<u32>(infoAt(trie, index));
  else index = trie.highWater++;
  const info = infoAt(trie, index);
  store<u32>(info, inherited);
  store<u16>(info, 0, 4);
  store<u16>(info, 0, 6);
  memory.fill(maskAt(trie, index, 0), 0, PLY_ENTRIES);
  trie.live++;
  if (trie.compact) return imageUniform(trie.images, index, inherited, level == 0) >>> 2;
  const view = open(trie, index, 0);
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) viewSet(trie, view, i, inherited);
  return index;
}

function releasePly(trie: PlyTrie, handle: u32): void {
  const index = indexOf(trie, handle);
  if (trie.compact) imageFree(trie.images, handle << 2);
  store<u32>(infoAt(trie, index), trie.freeHead);
  trie.freeHead = index;
  trie.live--;
}

/** The key byte (of key0..key3) that indexes a ply at `depth` (a multiple of 8). */
// @ts-ignore: decorator
@inline function keyByte(depth: u32): u32 {
  const word = depth >>> 5;
  const w = word == 0 ? key0 : word == 1 ? key1 : word == 2 ? key2 : key3;
  return (w >>> (24 - (depth & 31))) & 255;
}

// ---------------------------------------------------------------------------------------------
// The path of the current key: pathHandle[l] is the ply at level l (depth 16 + 8l), and
// pathIndex[l] the entry that refers to it in its parent (the root for l = 0).

const pathHandle = memory.data(<i32>(MAX_LEVELS * 4));
const pathIndex = memory.data(<i32>(MAX_LEVELS * 4));

// @ts-ignore: decorator
@inline function pathPly(level: u32): u32 {
  return load<u32>(pathHandle + (<usize>level << 2));
}

/**
 * Points the parent of the ply at `level` (on the current path) at `entry`. The parent's
 * current entry must be a child reference (a run of its own), so compact parents are patched in
 * place; a new child (`split` true) splits a run, so the parent is re-encoded, and may move.
 */
function setParentEntry(trie: PlyTrie, level: u32, entry: u32, split: bool): void {
  const i = load<u32>(pathIndex + (<usize>level << 2));
  if (level == 0) {
    store<u32>(trie.root + (<usize>i << 2), entry);
    return;
  }
  const parent = pathPly(level - 1);
  if (!trie.compact) {
    viewSet(trie, open(trie, parent, 0), i, entry);
    return;
  }
  if (!split) {
    imagePatch(trie.images, parent << 2, i, entry);
    return;
  }
  const view = open(trie, parent, level - 1);
  viewSet(trie, view, i, entry);
  const moved = close(trie, parent, view, level - 1);
  if (moved != parent) {
    store<u32>(pathHandle + (<usize>(level - 1) << 2), moved);
    setParentEntry(trie, level - 1, PLY_FLAG | moved, false);
  }
}

/** Records the new handle of the ply at `level` after a change, patching its parent. */
function moved(trie: PlyTrie, level: u32, handle: u32): void {
  if (handle == pathPly(level)) return;
  store<u32>(pathHandle + (<usize>level << 2), handle);
  setParentEntry(trie, level, PLY_FLAG | handle, false);
}

/** Follows the current key down to the ply holding routes of `length`; returns the levels. */
function descend(trie: PlyTrie, length: u32): u32 {
  let e = load<u32>(trie.root + (<usize>(key0 >>> 16) << 2));
  store<u32>(pathIndex, key0 >>> 16);
  let level: u32 = 0;
  let depth: u32 = 16;
  while (true) {
    store<u32>(pathHandle + (<usize>level << 2), e & ~PLY_FLAG);
    level++;
    if (length <= depth + 8) return level;
    const index = keyByte(depth);
    store<u32>(pathIndex + (<usize>level << 2), index);
    e = entryOf(trie, e & ~PLY_FLAG, index);
    depth += 8;
  }
}

// ---------------------------------------------------------------------------------------------
// Painting

/**
 * The first entry from `i` (before `end`) not covered by a route starting in this ply whose
 * mask bit is in `blocking`; a blocking route (mask bit b covers 2^(7 − b) entries from where
 * it starts) is skipped in one step.
 */
// @ts-ignore: decorator
@inline function unblocked(masks: usize, i: u32, end: u32, blocking: u32): u32 {
  while (i < end) {
    const m = <u32>load<u8>(masks + i) & blocking;
    if (!m) break;
    i += <u32>1 << (7 - ctz(m));
  }
  return i;
}

/** `unblocked` for the root, whose masks are 32-bit (route lengths 0..16, bit b covers 2^(16 − b) entries). */
// @ts-ignore: decorator
@inline function unblockedRoot(trie: PlyTrie, i: u32, end: u32, blocking: u32): u32 {
  while (i < end) {
    const m = load<u32>(trie.rootMasks + (<usize>i << 2)) & blocking;
    if (!m) break;
    i += <u32>1 << (16 - ctz(m));
  }
  return i;
}

/**
 * Writes `value` into entries [start, end) of the ply `handle` (at `level`, `depth`) that are
 * not covered by a route starting in this ply whose mask bit is in `blocking`; child plies
 * reached this way inherit `value`. Returns the ply's handle afterwards.
 */
function paintPly(trie: PlyTrie, handle: u32, level: u32, depth: u32, start: u32, end: u32, value: u32, blocking: u32): u32 {
  const masks = maskAt(trie, indexOf(trie, handle), 0);
  const view = open(trie, handle, level);
  for (let i = unblocked(masks, start, end, blocking); i < end; i = unblocked(masks, i + 1, end, blocking)) {
    const e = viewGet(trie, view, i);
    if (e & PLY_FLAG) {
      const child = e & ~PLY_FLAG;
      const after = inherit(trie, child, level + 1, depth + 8, value);
      if (after != child) viewSet(trie, view, i, PLY_FLAG | after);
    } else viewSet(trie, view, i, value);
  }
  return close(trie, handle, view, level);
}

/** Gives a ply a new inherited value and repaints the entries that show it. */
function inherit(trie: PlyTrie, handle: u32, level: u32, depth: u32, value: u32): u32 {
  store<u32>(infoAt(trie, indexOf(trie, handle)), value);
  return paintPly(trie, handle, level, depth, 0, PLY_ENTRIES, value, 0xff);
}

function paintRoot(trie: PlyTrie, start: u32, end: u32, value: u32, blocking: u32): void {
  for (let i = unblockedRoot(trie, start, end, blocking); i < end; i = unblockedRoot(trie, i + 1, end, blocking)) {
    const slot = trie.root + (<usize>i << 2);
    const e = load<u32>(slot);
    if (e & PLY_FLAG) store<u32>(slot, PLY_FLAG | inherit(trie, e & ~PLY_FLAG, 0, 16, value));
    else store<u32>(slot, value);
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

// Counting what a paint would touch, to reserve image space before a compact update.

function countPly(trie: PlyTrie, handle: u32, start: u32, end: u32, blocking: u32): u32 {
  const masks = maskAt(trie, indexOf(trie, handle), 0);
  let plies: u32 = 1;
  for (let i = unblocked(masks, start, end, blocking); i < end; i = unblocked(masks, i + 1, end, blocking)) {
    const e = entryOf(trie, handle, i);
    if (e & PLY_FLAG) plies += countPly(trie, e & ~PLY_FLAG, 0, PLY_ENTRIES, 0xff);
  }
  return plies;
}

function countRoot(trie: PlyTrie, start: u32, end: u32, blocking: u32): u32 {
  let plies: u32 = 0;
  for (let i = unblockedRoot(trie, start, end, blocking); i < end; i = unblockedRoot(trie, i + 1, end, blocking)) {
    const e = load<u32>(trie.root + (<usize>i << 2));
    if (e & PLY_FLAG) plies += countPly(trie, e & ~PLY_FLAG, 0, PLY_ENTRIES, 0xff);
  }
  return plies;
}

/**
 * Upper bound on the plies a set or removal of a route of `length` (key in key0..key3) encodes:
 * the ones its paint reaches plus every ancestor. Only compact tries need it (to reserve images).
 */
export function plyTrieTouched(trie: PlyTrie, length: u32): u32 {
  if (!trie.compact || !trie.root) return 0;
  if (length <= 16) {
    const start = key0 >>> 16;
    return countRoot(trie, start, start + (<u32>1 << (16 - length)), rootLonger(length));
  }
  // Walk the existing part of the path; missing plies are counted by the caller as new ones.
  let e = load<u32>(trie.root + (<usize>(key0 >>> 16) << 2));
  let depth: u32 = 16;
  let plies: u32 = 0;
  while (e & PLY_FLAG) {
    const handle = e & ~PLY_FLAG;
    if (length <= depth + 8) {
      const bit = length - depth - 1;
      const start = keyByte(depth);
      return plies + countPly(trie, handle, start, start + (<u32>1 << (7 - bit)), plyLonger(bit));
    }
    plies++;
    e = entryOf(trie, handle, keyByte(depth));
    depth += 8;
  }
  return plies;
}

// ---------------------------------------------------------------------------------------------
// Updates. The key is in key0..key3 (host bits zero); the caller has checked the route table
// and reserved room (plyTrieReserve).

/** Number of plies a route of `length` sits below (0 for the root). */
// @ts-ignore: decorator
@inline export function pliesFor(length: u32): u32 {
  return length <= 16 ? 0 : (length - 9) >>> 3;
}

/** Installs a route (new, or an existing one with a new value). `isNew` records it in the masks. */
export function plyTrieSet(trie: PlyTrie, length: u32, value: u32, isNew: bool): void {
  if (length <= 16) {
    const start = key0 >>> 16;
    const slot = trie.rootMasks + (<usize>start << 2);
    if (isNew) store<u32>(slot, load<u32>(slot) | (<u32>1 << length));
    paintRoot(trie, start, start + (<u32>1 << (16 - length)), value, rootLonger(length));
    return;
  }
  // Descend, creating plies on the way.
  store<u32>(pathIndex, key0 >>> 16);
  let e = load<u32>(trie.root + (<usize>(key0 >>> 16) << 2));
  let level: u32 = 0;
  let depth: u32 = 16;
  while (true) {
    if (e & PLY_FLAG) store<u32>(pathHandle + (<usize>level << 2), e & ~PLY_FLAG);
    else {
      const child = createPly(trie, e, level);
      store<u32>(pathHandle + (<usize>level << 2), child);
      setParentEntry(trie, level, PLY_FLAG | child, true);
      if (level > 0) {
        const info = infoAt(trie, indexOf(trie, pathPly(level - 1)));
        store<u16>(info, load<u16>(info, 6) + 1, 6);
      }
    }
    if (length <= depth + 8) break;
    const index = keyByte(depth);
    level++;
    store<u32>(pathIndex + (<usize>level << 2), index);
    e = entryOf(trie, pathPly(level - 1), index);
    depth += 8;
  }
  const ply = pathPly(level);
  const index = indexOf(trie, ply);
  const bit = length - depth - 1;
  const start = keyByte(depth);
  if (isNew) {
    const m = maskAt(trie, index, start);
    store<u8>(m, load<u8>(m) | (<u8>1 << <u8>bit));
    const info = infoAt(trie, index);
    store<u16>(info, load<u16>(info, 4) + 1, 4);
  }
  moved(trie, level, paintPly(trie, ply, level, depth, start, start + (<u32>1 << (7 - bit)), value, plyLonger(bit)));
}

/** Where the covering route that replaces a deleted one lies (set by `plyTrieCover`). */
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
  const level = levels - 1;
  const depth = 16 + (level << 3);
  const ply = pathPly(level);
  const index = indexOf(trie, ply);
  const bit = length - depth - 1;
  const start = keyByte(depth);
  const m = maskAt(trie, index, start);
  store<u8>(m, load<u8>(m) & ~(<u8>1 << <u8>bit));
  const info = infoAt(trie, index);
  store<u16>(info, load<u16>(info, 4) - 1, 4);
  moved(trie, level, paintPly(trie, ply, level, depth, start, start + (<u32>1 << (7 - bit)), replacement, plyLonger(bit)));
  collapse(trie, level);
}

/** Folds plies without local routes or children back into their parents, bottom up. */
function collapse(trie: PlyTrie, from: u32): void {
  let level = <i32>from;
  while (level >= 0) {
    const ply = pathPly(<u32>level);
    const info = infoAt(trie, indexOf(trie, ply));
    if (load<u16>(info, 4) != 0 || load<u16>(info, 6) != 0) return;
    const inherited = load<u32>(info);
    releasePly(trie, ply);
    if (level == 0) {
      store<u32>(trie.root + (<usize>load<u32>(pathIndex) << 2), inherited);
      return;
    }
    const parent = pathPly(<u32>level - 1);
    const parentInfo = infoAt(trie, indexOf(trie, parent));
    store<u16>(parentInfo, load<u16>(parentInfo, 6) - 1, 6);
    // The parent's entry becomes a leaf again, which can merge runs: re-encode it.
    const i = load<u32>(pathIndex + (<usize>level << 2));
    const view = open(trie, parent, <u32>level - 1);
    viewSet(trie, view, i, inherited);
    moved(trie, <u32>level - 1, close(trie, parent, view, <u32>level - 1));
    level--;
  }
}

/**
 * For a route of `length` about to be deleted, finds the next-longest route that covers it
 * within its own ply (or the root). Sets `coverLength` and returns 1, or returns 0: the deleted
 * route's entries then take the ply's inherited value (`plyTrieInherited`), or "no route" at
 * the root.
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
  const ply = indexOf(trie, pathPly(levels - 1));
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

/** The inherited value of the ply that holds routes of `length` (> 16) for the current key. */
export function plyTrieInherited(trie: PlyTrie, length: u32): u32 {
  const levels = descend(trie, length);
  return load<u32>(infoAt(trie, indexOf(trie, pathPly(levels - 1))));
}

/** Drops every route and ply (the root stays allocated, emptied). */
export function plyTrieClear(trie: PlyTrie): void {
  const eb = denseEntryBytes(trie);
  budgetFree(trie.budget, trie.entries, <usize>trie.capacity * PLY_ENTRIES * eb);
  budgetFree(trie.budget, trie.masks, <usize>trie.capacity * PLY_ENTRIES);
  budgetFree(trie.budget, trie.info, <usize>trie.capacity * INFO_BYTES);
  imageHeapClear(trie.images);
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
// Statistics for `show ip cef summary`: entries holding a route, and entries pointing at a ply.

export let countLeafRefs: u64 = 0;
export let countNodeRefs: u64 = 0;

export function plyTrieCountRefs(trie: PlyTrie): void {
  countLeafRefs = 0;
  countNodeRefs = 0;
  if (!trie.root) return;
  for (let i: u32 = 0; i < ROOT_ENTRIES; i++) {
    const e = load<u32>(trie.root + (<usize>i << 2));
    countEntry(e);
    if (e & PLY_FLAG) countSubtree(trie, e & ~PLY_FLAG);
  }
}

function countSubtree(trie: PlyTrie, handle: u32): void {
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) {
    const e = entryOf(trie, handle, i);
    countEntry(e);
    if (e & PLY_FLAG) countSubtree(trie, e & ~PLY_FLAG);
  }
}

// @ts-ignore: decorator
@inline function countEntry(e: u32): void {
  if (e & PLY_FLAG) countNodeRefs++;
  else if (e != 0) countLeafRefs++;
}

// ---------------------------------------------------------------------------------------------
// Granularity queries for the fast-switching route cache: the longest route inside a prefix.

/** Highest set bit of a ply mask byte, as a route length at `depth` (−1 when none). */
// @ts-ignore: decorator
@inline function longestInMask(mask: u32, depth: u32): i32 {
  return mask == 0 ? -1 : <i32>(depth + 1 + (31 - clz(mask)));
}

/** Longest route starting anywhere in the ply `handle` at `depth` or below it (−1 when none). */
function longestInPly(trie: PlyTrie, handle: u32, depth: u32): i32 {
  let best: i32 = -1;
  const masks = maskAt(trie, indexOf(trie, handle), 0);
  let any: u32 = 0;
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) any |= <u32>load<u8>(masks + i);
  best = longestInMask(any, depth);
  if (depth + 8 >= trie.addressBits) return best;
  for (let i: u32 = 0; i < PLY_ENTRIES; i++) {
    const e = entryOf(trie, handle, i);
    if (e & PLY_FLAG) {
      const child = longestInPly(trie, e & ~PLY_FLAG, depth + 8);
      if (child > best) best = child;
    }
  }
  return best;
}

/**
 * The length of the longest IPv4 route lying within `network`/`length` (the prefix itself
 * included), or −1 when there is none. Used on route-cache misses only: it walks the routes'
 * start masks under the prefix (up to 256 root entries and their plies for a /8).
 */
export function plyTrieLongestWithin4(trie: PlyTrie, network: u32, length: u32): i32 {
  if (!trie.root) return -1;
  let best: i32 = -1;
  if (length <= 16) {
    const start = network >>> 16;
    const end = start + (<u32>1 << (16 - length));
    const keep = (<u32>0x1ffff << length) & 0x1ffff;
    for (let i = start; i < end; i++) {
      const m = load<u32>(trie.rootMasks + (<usize>i << 2)) & keep;
      if (m) {
        const l = <i32>(31 - clz(m));
        if (l > best) best = l;
      }
      const e = load<u32>(trie.root + (<usize>i << 2));
      if (e & PLY_FLAG) {
        const deeper = longestInPly(trie, e & ~PLY_FLAG, 16);
        if (deeper > best) best = deeper;
      }
    }
    return best;
  }
  // Longer prefixes (/17 to /32) lie inside one root entry's ply.
  let e = load<u32>(trie.root + (<usize>(network >>> 16) << 2));
  let depth: u32 = 16;
  while (e & PLY_FLAG) {
    const handle = e & ~PLY_FLAG;
    const index = (network >>> (24 - depth)) & 255;
    if (length <= depth + 8) {
      // Entries [index, index + span) of this ply; mask bits of lengths ≥ `length` only.
      const bit = length - depth - 1;
      const span = <u32>1 << (7 - bit);
      const masks = maskAt(trie, indexOf(trie, handle), 0);
      const keep = (<u32>0xff << bit) & 0xff;
      for (let i = index; i < index + span; i++) {
        const l = longestInMask(<u32>load<u8>(masks + i) & keep, depth);
        if (l > best) best = l;
        if (depth + 8 < trie.addressBits) {
          const child = entryOf(trie, handle, i);
          if (child & PLY_FLAG) {
            const deeper = longestInPly(trie, child & ~PLY_FLAG, depth + 8);
            if (deeper > best) best = deeper;
          }
        }
      }
      return best;
    }
    e = entryOf(trie, handle, index);
    depth += 8;
  }
  return best;
}
