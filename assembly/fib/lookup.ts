// Longest-prefix lookups: the hot path. One load per trie level, no branches but "is this a
// ply?", and 0 for "no route" so that callers' loops stay branch-free too.

import { PlyTrie, PLY_FLAG, NARROW_PLY_FLAG } from "./ply-trie";
import { imageEntry, IMAGE_VALUES } from "./ply-image";

/** Adjacency for one IPv4 address. */
export function lookup4(trie: PlyTrie, address: u32): u32 {
  if (!trie.root) return 0;
  let e = load<u32>(trie.root + (<usize>(address >>> 16) << 2));
  if (!(e & PLY_FLAG)) return e;
  const entries = trie.entries;
  if (trie.wide) {
    e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | ((address >>> 8) & 255)) << 2));
    if (e & PLY_FLAG) e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | (address & 255)) << 2));
    return e;
  }
  e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | ((address >>> 8) & 255)) << 1));
  if (e & NARROW_PLY_FLAG) e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | (address & 255)) << 1));
  return e;
}

/** Adjacencies for `count` IPv4 addresses (u32 each) at `addresses`, written as u32 to `out`. */
export function lookup4Batch(trie: PlyTrie, addresses: usize, out: usize, count: u32): void {
  const n = <usize>count;
  if (!trie.root) {
    memory.fill(out, 0, n << 2);
    return;
  }
  const root = trie.root;
  const entries = trie.entries;
  if (trie.wide) {
    for (let i: usize = 0; i < n; i++) {
      const a = load<u32>(addresses + (i << 2));
      let e = load<u32>(root + (<usize>(a >>> 16) << 2));
      if (e & PLY_FLAG) {
        e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | ((a >>> 8) & 255)) << 2));
        if (e & PLY_FLAG) e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | (a & 255)) << 2));
      }
      store<u32>(out + (i << 2), e);
    }
    return;
  }
  for (let i: usize = 0; i < n; i++) {
    const a = load<u32>(addresses + (i << 2));
    let e = load<u32>(root + (<usize>(a >>> 16) << 2));
    if (e & PLY_FLAG) {
      e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | ((a >>> 8) & 255)) << 1));
      if (e & NARROW_PLY_FLAG) e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | (a & 255)) << 1));
    }
    store<u32>(out + (i << 2), e);
  }
}

/**
 * Adjacencies for `count` IPv4 addresses (u32 each, `stride` bytes apart from `addresses`, e.g.
 * a packet batch's destination column) written as u32 to `out`, one trie level at a time over
 * all of them: each level's loads are independent of one another, so their cache misses
 * overlap even when the trie is far out of cache (one address after another, each miss waits
 * alone). The same answers as lookup4.
 */
export function lookup4Strided(trie: PlyTrie, addresses: usize, stride: usize, out: usize, count: u32): void {
  const n = <usize>count;
  if (!trie.root) {
    memory.fill(out, 0, n << 2);
    return;
  }
  const root = trie.root;
  const entries = trie.entries;
  for (let i: usize = 0; i < n; i++) store<u32>(out + (i << 2), load<u32>(root + (<usize>(load<u32>(addresses + i * stride) >>> 16) << 2)));
  if (trie.wide) {
    for (let i: usize = 0; i < n; i++) {
      const e = load<u32>(out + (i << 2));
      if (e & PLY_FLAG) {
        const a = load<u32>(addresses + i * stride);
        store<u32>(out + (i << 2), load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | ((a >>> 8) & 255)) << 2)));
      }
    }
    for (let i: usize = 0; i < n; i++) {
      const e = load<u32>(out + (i << 2));
      if (e & PLY_FLAG) {
        const a = load<u32>(addresses + i * stride);
        store<u32>(out + (i << 2), load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | (a & 255)) << 2)));
      }
    }
    return;
  }
  // Narrow plies: u16 entries; one that names a ply is widened to PLY_FLAG | ply between levels.
  for (let i: usize = 0; i < n; i++) {
    const e = load<u32>(out + (i << 2));
    if (e & PLY_FLAG) {
      const a = load<u32>(addresses + i * stride);
      const next = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | ((a >>> 8) & 255)) << 1));
      store<u32>(out + (i << 2), next & NARROW_PLY_FLAG ? PLY_FLAG | (next & 0x7fff) : next);
    }
  }
  for (let i: usize = 0; i < n; i++) {
    const e = load<u32>(out + (i << 2));
    if (e & PLY_FLAG) {
      const a = load<u32>(addresses + i * stride);
      store<u32>(out + (i << 2), <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | (a & 255)) << 1)));
    }
  }
}

/** Adjacency for one IPv6 address given as four u32 words at `address`, most significant first. */
function lookup6Dense(trie: PlyTrie, address: usize): u32 {
  let e = load<u32>(trie.root + (<usize>(load<u32>(address) >>> 16) << 2));
  let depth: u32 = 16;
  const entries = trie.entries;
  if (trie.wide) {
    while (e & PLY_FLAG) {
      const index = keyByteAt(address, depth);
      e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | index) << 2));
      depth += 8;
    }
    return e;
  }
  while (e & PLY_FLAG) {
    const index = keyByteAt(address, depth);
    e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | index) << 1));
    if (e & NARROW_PLY_FLAG) e |= PLY_FLAG;
    depth += 8;
  }
  return e & 0x7fff;
}

/** The byte of the address at `address` (four u32 words) that indexes a ply at `depth`. */
// @ts-ignore: decorator
@inline function keyByteAt(address: usize, depth: u32): u32 {
  return (load<u32>(address + ((depth >>> 5) << 2)) >>> (24 - (depth & 31))) & 255;
}

function lookup6Compact(root: usize, images: usize, address: usize): u32 {
  let e = load<u32>(root + (<usize>(load<u32>(address) >>> 16) << 2));
  // Depth 16: a dense image, indexed directly.
  if (!(e & PLY_FLAG)) return e;
  e = load<u32>(images + (<usize>(e & 0x7fffffff) << 2) + IMAGE_VALUES + (<usize>((load<u32>(address) >>> 8) & 255) << 2));
  let depth: u32 = 24;
  while (e & PLY_FLAG) {
    e = imageEntry(images + (<usize>(e & 0x7fffffff) << 2), keyByteAt(address, depth));
    depth += 8;
  }
  return e;
}

export function lookup6(trie: PlyTrie, address: usize): u32 {
  if (!trie.root) return 0;
  return trie.compact ? lookup6Compact(trie.root, trie.images.base, address) : lookup6Dense(trie, address);
}

// A compact trie is searched eight addresses at a time, in lock step: every round moves each
// unfinished lookup down one level with branch-free selects, so eight independent cache misses
// are in flight instead of one, and the loop exits once per group instead of once per address.

// @ts-ignore: decorator
@inline function stepDense(e: u32, images: usize, index: u32): u32 {
  const node = select<usize>(images + (<usize>(e & 0x7fffffff) << 2), IDLE_DENSE, e >>> 31);
  return select<u32>(load<u32>(node + IMAGE_VALUES + (<usize>index << 2)), e, e >>> 31);
}

// @ts-ignore: decorator
@inline function stepCompact(e: u32, images: usize, index: u32, idle: usize): u32 {
  const node = select<usize>(images + (<usize>(e & 0x7fffffff) << 2), idle, e >>> 31);
  return select<u32>(imageEntry(node, index), e, e >>> 31);
}

/** Adjacencies for `count` IPv6 addresses (four u32 words each) at `addresses`. */
export function lookup6Batch(trie: PlyTrie, addresses: usize, out: usize, count: u32): void {
  const n = <usize>count;
  if (!trie.root) {
    memory.fill(out, 0, n << 2);
    return;
  }
  if (!trie.compact) {
    for (let i: usize = 0; i < n; i++) store<u32>(out + (i << 2), lookup6Dense(trie, addresses + (i << 4)));
    return;
  }
  const root = trie.root;
  const images = trie.images.base;
  const idle = IDLE_IMAGE;
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const a = addresses + (i << 4);
    let e0 = load<u32>(root + (<usize>(load<u32>(a) >>> 16) << 2));
    let e1 = load<u32>(root + (<usize>(load<u32>(a, 16) >>> 16) << 2));
    let e2 = load<u32>(root + (<usize>(load<u32>(a, 32) >>> 16) << 2));
    let e3 = load<u32>(root + (<usize>(load<u32>(a, 48) >>> 16) << 2));
    let e4 = load<u32>(root + (<usize>(load<u32>(a, 64) >>> 16) << 2));
    let e5 = load<u32>(root + (<usize>(load<u32>(a, 80) >>> 16) << 2));
    let e6 = load<u32>(root + (<usize>(load<u32>(a, 96) >>> 16) << 2));
    let e7 = load<u32>(root + (<usize>(load<u32>(a, 112) >>> 16) << 2));
    e0 = stepDense(e0, images, keyByteAt(a, 16));
    e1 = stepDense(e1, images, keyByteAt(a + 16, 16));
    e2 = stepDense(e2, images, keyByteAt(a + 32, 16));
    e3 = stepDense(e3, images, keyByteAt(a + 48, 16));
    e4 = stepDense(e4, images, keyByteAt(a + 64, 16));
    e5 = stepDense(e5, images, keyByteAt(a + 80, 16));
    e6 = stepDense(e6, images, keyByteAt(a + 96, 16));
    e7 = stepDense(e7, images, keyByteAt(a + 112, 16));
    let depth: u32 = 24;
    while ((e0 | e1 | e2 | e3 | e4 | e5 | e6 | e7) & PLY_FLAG) {
      e0 = stepCompact(e0, images, keyByteAt(a, depth), idle);
      e1 = stepCompact(e1, images, keyByteAt(a + 16, depth), idle);
      e2 = stepCompact(e2, images, keyByteAt(a + 32, depth), idle);
      e3 = stepCompact(e3, images, keyByteAt(a + 48, depth), idle);
      e4 = stepCompact(e4, images, keyByteAt(a + 64, depth), idle);
      e5 = stepCompact(e5, images, keyByteAt(a + 80, depth), idle);
      e6 = stepCompact(e6, images, keyByteAt(a + 96, depth), idle);
      e7 = stepCompact(e7, images, keyByteAt(a + 112, depth), idle);
      depth += 8;
    }
    const o = out + (i << 2);
    store<u32>(o, e0);
    store<u32>(o, e1, 4);
    store<u32>(o, e2, 8);
    store<u32>(o, e3, 12);
    store<u32>(o, e4, 16);
    store<u32>(o, e5, 20);
    store<u32>(o, e6, 24);
    store<u32>(o, e7, 28);
  }
  for (; i < n; i++) store<u32>(out + (i << 2), lookup6Compact(root, images, addresses + (i << 4)));
}

// The image that finished lanes read while the others descend: every bitmap word has bit 0
// set, so every entry index reads run 0, whose value is 0.
const IDLE_IMAGE = memory.data<u64>([1, 1, 1, 1, 0, 0, 0, 0], 64);
/** What finished lanes index at depth 16: a zeroed area as large as a dense image. */
const IDLE_DENSE = memory.data(1088, 64);
