// Compressed plies ("images") for sparse tries (IPv6): a ply's 256 entries stored as runs of
// equal values, so that most plies fit one 64-byte cache line instead of 1 KiB, and a lookup
// reads one line per level:
//
//   bytes 0..31   run-start bitmap, 4 × u64: bit i set = entry i starts a run (bit 0 always set)
//   bytes 32..35  runs started before each bitmap word, u8 × 4 (the rank base of that word)
//   bytes 36..39  the ply's index (its start masks and bookkeeping live in arrays by index)
//   bytes 40..    one u32 value per run
//
// Entry i's value is run number cum[i >> 6] + popcount(word[i >> 6] & (2 << (i & 63)) - 1) - 1.
// In the real IPv6 table 80 % of plies have at most 6 runs (one line) and the whole trie takes
// about 3 MB instead of 39 MB expanded.
//
// Images live in one growable heap addressed by byte offset (so references survive the heap
// being moved), in five size classes with a free list each, 64-byte aligned.
//
// A "dense" image has every bitmap bit set: each entry is its own run, value i sits at
// IMAGE_VALUES + 4i, and a lookup may index it directly. The trie keeps its first level of plies
// (depth 16, few and hot) dense, which saves the rank computation there on every lookup.

import { Budget, budgetAlloc, budgetFree, budgetFits } from "../common/budget";

export const IMAGE_CUM: u32 = 32;
export const IMAGE_INDEX: u32 = 36;
export const IMAGE_VALUES: u32 = 40;
const CLASSES: u32 = 5;
/** Largest image: 256 runs. */
export const IMAGE_MAX_BYTES: u32 = 1088;
const NO_BLOCK: u32 = 0xffffffff;

@unmanaged export class ImageHeap {
  /** 64-byte aligned start; offsets are relative to it. */
  base: usize;
  raw: usize;
  rawBytes: usize;
  capacity: u32;
  /** First never-used byte. */
  top: u32;
  /** Bytes in live images. */
  used: u32;
  free0: u32;
  free1: u32;
  free2: u32;
  free3: u32;
  free4: u32;
  budget: Budget;
}

export function imageHeapCreate(budget: Budget): ImageHeap {
  const heap_ = changetype<ImageHeap>(heap.alloc(offsetof<ImageHeap>()));
  memory.fill(changetype<usize>(heap_), 0, offsetof<ImageHeap>());
  heap_.free0 = heap_.free1 = heap_.free2 = heap_.free3 = heap_.free4 = NO_BLOCK;
  heap_.budget = budget;
  return heap_;
}

/** Bytes reserved by the heap (its whole block). */
export function imageHeapBytes(images: ImageHeap): u64 {
  return <u64>images.rawBytes;
}

// @ts-ignore: decorator
@inline function classBytes(sizeClass: u32): u32 {
  return sizeClass == 0 ? 64 : sizeClass == 1 ? 128 : sizeClass == 2 ? 256 : sizeClass == 3 ? 512 : IMAGE_MAX_BYTES;
}

// @ts-ignore: decorator
@inline function classFor(runs: u32): u32 {
  const bytes = IMAGE_VALUES + (runs << 2);
  return bytes <= 64 ? 0 : bytes <= 128 ? 1 : bytes <= 256 ? 2 : bytes <= 512 ? 3 : 4;
}

function freeHead(images: ImageHeap, sizeClass: u32): u32 {
  return sizeClass == 0 ? images.free0 : sizeClass == 1 ? images.free1 : sizeClass == 2 ? images.free2 : sizeClass == 3 ? images.free3 : images.free4;
}

function setFreeHead(images: ImageHeap, sizeClass: u32, offset: u32): void {
  if (sizeClass == 0) images.free0 = offset;
  else if (sizeClass == 1) images.free1 = offset;
  else if (sizeClass == 2) images.free2 = offset;
  else if (sizeClass == 3) images.free3 = offset;
  else images.free4 = offset;
}

/**
 * Makes sure `bytes` more can be handed out from the top of the heap (free lists not counted),
 * growing it by at least a quarter. False, with nothing changed, when the budget is short.
 */
export function imageHeapReserve(images: ImageHeap, bytes: u32): bool {
  if (<u64>images.top + bytes <= <u64>images.capacity) return true;
  let capacity = <u64>images.capacity + (images.capacity >> 2);
  const wanted = <u64>images.top + bytes;
  if (capacity < wanted) capacity = wanted;
  if (capacity < 4096) capacity = 4096;
  capacity = (capacity + 63) & ~63;
  if (capacity > 0x7fffffff) return false;
  const rawBytes = <usize>capacity + 64;
  if (!budgetFits(images.budget, <u64>rawBytes)) {
    images.budget.refusals++;
    return false;
  }
  const raw = budgetAlloc(images.budget, rawBytes, false);
  const base = (raw + 63) & ~(<usize>63);
  if (images.raw) {
    memory.copy(base, images.base, images.top);
    budgetFree(images.budget, images.raw, images.rawBytes);
  }
  images.raw = raw;
  images.rawBytes = rawBytes;
  images.base = base;
  images.capacity = <u32>capacity;
  return true;
}

function allocateBlock(images: ImageHeap, sizeClass: u32): u32 {
  const head = freeHead(images, sizeClass);
  const bytes = classBytes(sizeClass);
  images.used += bytes;
  if (head != NO_BLOCK) {
    setFreeHead(images, sizeClass, load<u32>(images.base + head));
    return head;
  }
  // Callers reserve room first (imageHeapReserve); the assertion guards that contract.
  assert(<u64>images.top + bytes <= <u64>images.capacity, "image heap not reserved");
  const offset = images.top;
  images.top += bytes;
  return offset;
}

function freeBlock(images: ImageHeap, offset: u32, sizeClass: u32): void {
  store<u32>(images.base + offset, freeHead(images, sizeClass));
  setFreeHead(images, sizeClass, offset);
  images.used -= classBytes(sizeClass);
}

/** Size class of the image at `offset` (from its run count). */
function classOf(images: ImageHeap, offset: u32): u32 {
  return classFor(runCount(images.base + offset));
}

// @ts-ignore: decorator
@inline export function runCount(node: usize): u32 {
  return <u32>load<u8>(node + IMAGE_CUM + 3) + <u32>popcnt<u64>(load<u64>(node + 24));
}

/** The value of entry `i` of the image at `node`. */
// @ts-ignore: decorator
@inline export function imageEntry(node: usize, i: u32): u32 {
  const w = <usize>(i >>> 6);
  // Shifting bit i to the top drops the bits above it: popcnt then counts runs started at or
  // before i, and value number (runs − 1) sits at IMAGE_VALUES + 4 × (runs − 1).
  const runs = <u32>load<u8>(node + IMAGE_CUM + w) + <u32>popcnt<u64>(load<u64>(node + (w << 3)) << <u64>(~i & 63));
  return load<u32>(node + (IMAGE_VALUES - 4) + (<usize>runs << 2));
}

/** Overwrites entry `i`, which must be a run of its own (a child reference), in place. */
export function imagePatch(images: ImageHeap, offset: u32, i: u32, value: u32): void {
  const node = images.base + offset;
  const w = <usize>(i >>> 6);
  const bits = load<u64>(node + (w << 3)) & ((<u64>2 << <u64>(i & 63)) - 1);
  const run = <u32>load<u8>(node + IMAGE_CUM + w) + <u32>popcnt<u64>(bits) - 1;
  store<u32>(node + IMAGE_VALUES + (<usize>run << 2), value);
}

/** Expands the image at `offset` into 256 u32 entries at `out`. */
export function imageDecode(images: ImageHeap, offset: u32, out: usize): void {
  const node = images.base + offset;
  let run: i32 = -1;
  let value: u32 = 0;
  for (let w: usize = 0; w < 4; w++) {
    const word = load<u64>(node + (w << 3));
    for (let b: usize = 0; b < 64; b++) {
      if ((word >> <u64>b) & 1) {
        run++;
        value = load<u32>(node + IMAGE_VALUES + (<usize>run << 2));
      }
      store<u32>(out + (((w << 6) | b) << 2), value);
    }
  }
}

/** The ply index stored in the image at `offset`. */
// @ts-ignore: decorator
@inline export function imageIndex(images: ImageHeap, offset: u32): u32 {
  return load<u32>(images.base + offset + IMAGE_INDEX);
}

/**
 * Encodes 256 u32 entries at `entries` as the image of ply `index`, in place when the size
 * class is unchanged, else in a new block (the old one, if any, is freed). Returns the offset.
 * `old` is the current offset or NO_BLOCK for a new ply.
 */
export function imageEncode(images: ImageHeap, entries: usize, index: u32, old: u32, dense: bool): u32 {
  let runs: u32 = 1;
  let previous = load<u32>(entries);
  for (let i: usize = 1; i < 256; i++) {
    const e = load<u32>(entries + (i << 2));
    if (dense || e != previous) runs++;
    previous = e;
  }
  const sizeClass = classFor(runs);
  let offset = old;
  if (old == NO_BLOCK || classOf(images, old) != sizeClass) {
    if (old != NO_BLOCK) freeBlock(images, old, classOf(images, old));
    offset = allocateBlock(images, sizeClass);
  }
  const node = images.base + offset;
  let run: u32 = 0;
  previous = 0;
  for (let w: usize = 0; w < 4; w++) {
    store<u8>(node + IMAGE_CUM + w, <u8>run);
    let word: u64 = 0;
    for (let b: usize = 0; b < 64; b++) {
      const i = (w << 6) | b;
      const e = load<u32>(entries + (i << 2));
      if (dense || i == 0 || e != previous) {
        word |= <u64>1 << <u64>b;
        store<u32>(node + IMAGE_VALUES + (<usize>run << 2), e);
        run++;
      }
      previous = e;
    }
    store<u64>(node + (w << 3), word);
  }
  store<u32>(node + IMAGE_INDEX, index);
  return offset;
}

/** An image whose 256 entries all hold `value`, for a new ply: one run, or dense. */
export function imageUniform(images: ImageHeap, index: u32, value: u32, dense: bool): u32 {
  if (dense) {
    const entries = changetype<usize>(UNIFORM);
    for (let i: usize = 0; i < 256; i++) store<u32>(entries + (i << 2), value);
    return imageEncode(images, entries, index, NO_BLOCK, true);
  }
  const offset = allocateBlock(images, 0);
  const node = images.base + offset;
  store<u64>(node, 1);
  store<u64>(node + 8, 0);
  store<u64>(node + 16, 0);
  store<u64>(node + 24, 0);
  store<u32>(node + IMAGE_CUM, 0x01010100);
  store<u32>(node + IMAGE_INDEX, index);
  store<u32>(node + IMAGE_VALUES, value);
  return offset;
}

const UNIFORM = memory.data(1024, 16);

/** Frees the image at `offset`. */
export function imageFree(images: ImageHeap, offset: u32): void {
  freeBlock(images, offset, classOf(images, offset));
}

/** Drops every image and the heap's block. */
export function imageHeapClear(images: ImageHeap): void {
  budgetFree(images.budget, images.raw, images.rawBytes);
  images.raw = 0;
  images.rawBytes = 0;
  images.base = 0;
  images.capacity = 0;
  images.top = 0;
  images.used = 0;
  images.free0 = images.free1 = images.free2 = images.free3 = images.free4 = NO_BLOCK;
}
