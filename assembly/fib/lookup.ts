// Longest-prefix lookups: the hot path. One load per trie level, no branches but "is this a
// ply?", and 0 for "no route" so that callers' loops stay branch-free too.

import { PlyTrie, PLY_FLAG, NARROW_PLY_FLAG } from "./ply-trie";

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

/** Adjacency for one IPv6 address given as four u32 words at `address`, most significant first. */
// @ts-ignore: decorator
@inline function lookup6At(root: usize, entries: usize, wide: u32, address: usize): u32 {
  let e = load<u32>(root + (<usize>(load<u32>(address) >>> 16) << 2));
  let depth: u32 = 16;
  if (wide) {
    while (e & PLY_FLAG) {
      const word = load<u32>(address + ((depth >>> 5) << 2));
      const index = (word >>> (24 - (depth & 31))) & 255;
      e = load<u32>(entries + (((<usize>(e & 0x7fffffff) << 8) | index) << 2));
      depth += 8;
    }
    return e;
  }
  while (e & PLY_FLAG) {
    const word = load<u32>(address + ((depth >>> 5) << 2));
    const index = (word >>> (24 - (depth & 31))) & 255;
    e = <u32>load<u16>(entries + (((<usize>(e & 0x7fff) << 8) | index) << 1));
    if (e & NARROW_PLY_FLAG) e |= PLY_FLAG;
    depth += 8;
  }
  return e & 0x7fff;
}

export function lookup6(trie: PlyTrie, address: usize): u32 {
  if (!trie.root) return 0;
  return lookup6At(trie.root, trie.entries, trie.wide, address);
}

/** Adjacencies for `count` IPv6 addresses (four u32 words each) at `addresses`. */
export function lookup6Batch(trie: PlyTrie, addresses: usize, out: usize, count: u32): void {
  const n = <usize>count;
  if (!trie.root) {
    memory.fill(out, 0, n << 2);
    return;
  }
  const root = trie.root;
  const entries = trie.entries;
  const wide = trie.wide;
  for (let i: usize = 0; i < n; i++) {
    store<u32>(out + (i << 2), lookup6At(root, entries, wide, addresses + (i << 4)));
  }
}
