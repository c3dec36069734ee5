// CEF load sharing: a route with several paths points at a load-sharing element instead of an
// adjacency. The element lives in the adjacency id space (kind ADJ_LOADSHARE), so the trie,
// the route table and the reference counts treat it like any adjacency; lookups that land on
// one pick a path from its 16 buckets with a keyed hash of the destination (or of the source
// and destination), as CEF's universal algorithm does: the key is per router, so neighbouring
// routers do not all send the same flows down the same path (polarisation).
//
// An element is 16 bucket adjacencies (u32), its path count (u32) and its paths (16 × u32):
// the buckets hold the paths in turn (path i in buckets i, i + n, i + 2n, ...), so with n paths
// each path takes 16/n of the buckets, rounded.

import { fmix64 } from "../common/hash";
import { Fib } from "./state";

/** Not an adjacency: a load-sharing element (several paths), in the same id space (kind 7). */
export const ADJ_LOADSHARE: u8 = 7;

export const LOAD_SHARE_BUCKETS: u32 = 16;
export const MAX_PATHS: u32 = 16;
/** Bytes of one element: buckets, path count, paths. */
export const ELEMENT_BYTES: u32 = (LOAD_SHARE_BUCKETS + 1 + MAX_PATHS) * 4;

/** Writes the buckets and paths of a new element at `element` from `count` paths at `paths`. */
export function elementFill(element: usize, paths: usize, count: u32): void {
  for (let b: u32 = 0; b < LOAD_SHARE_BUCKETS; b++) {
    store<u32>(element + (<usize>b << 2), load<u32>(paths + (<usize>(b % count) << 2)));
  }
  store<u32>(element + (<usize>LOAD_SHARE_BUCKETS << 2), count);
  memory.copy(element + (<usize>(LOAD_SHARE_BUCKETS + 1) << 2), paths, <usize>count << 2);
}

export function elementPathCount(element: usize): u32 {
  return load<u32>(element + (<usize>LOAD_SHARE_BUCKETS << 2));
}

export function elementPath(element: usize, i: u32): u32 {
  return load<u32>(element + (<usize>(LOAD_SHARE_BUCKETS + 1 + i) << 2));
}

/** The bucket of a destination: the top four bits of a keyed 64-bit mix. */
// @ts-ignore: decorator
@inline export function bucketOf(key: u64, destination: u32, source: u32): u32 {
  return <u32>(fmix64(((<u64>source << 32) | destination) ^ key) >> 60);
}

/** The bucket of an IPv6 destination (four words at `address`). */
export function bucketOf6(key: u64, address: usize): u32 {
  const high = (<u64>load<u32>(address) << 32) | load<u32>(address, 4);
  const low = (<u64>load<u32>(address, 8) << 32) | load<u32>(address, 12);
  return <u32>(fmix64(fmix64(high ^ key) ^ low) >> 60);
}

// @ts-ignore: decorator
@inline export function elementChoose(element: usize, bucket: u32): u32 {
  return load<u32>(element + (<usize>bucket << 2));
}

// @ts-ignore: decorator
@inline export function isLoadShare(fib: Fib, id: u32): bool {
  return id < fib.adjCount && load<u8>(fib.adjKinds + id) == ADJ_LOADSHARE;
}

// @ts-ignore: decorator
@inline export function elementOf(fib: Fib, id: u32): usize {
  return <usize>load<u32>(fib.adjData + (<usize>id << 2));
}

/** The adjacency a route value gives for an IPv4 destination (and source; 0 for per-destination). */
// @ts-ignore: decorator
@inline export function resolve4(fib: Fib, value: u32, destination: u32, source: u32): u32 {
  if (!isLoadShare(fib, value)) return value;
  return elementChoose(elementOf(fib, value), bucketOf(fib.loadShareKey, destination, source));
}
