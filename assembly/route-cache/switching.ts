// Fast switching: a hit forwards with the cached rewrite; a miss is process switched — the
// packet takes the slow path (FIB lookup, ARP), and the entry it leaves behind is built at the
// granularity IOS uses (Cisco Doc 12808, "Fast Switching Behavior and Implications"):
//
// * the length of the most specific route inside the destination's major network (class A, B
//   or C), or the major network itself when only shorter routes (a default) cover it;
// * /32 when the route is load-shared (one path per destination);
// * /32 when the destination itself is resolved with ARP on a broadcast interface (a connected
//   subnet, or a route pointing at an interface): each host has its own MAC rewrite. This is
//   the entry a worm scan creates for every address it probes.

import { fibAdjacencyKind, fibRouteValue4, fibLongestWithin4, ADJ_NEIGHBOR } from "../fib";
import { isLoadShare, resolve4 } from "../fib/load-share";
import {
  RouteCache, OFF_USED, OFF_ADJACENCY, OFF_NETWORK, OFF_HEADER_BYTES, OFF_INTERFACE, OFF_NEXT_HOP, OFF_CREATED, OFF_HEADER,
  MEMO_KNOWN, MEMO_HOSTS, ADJ_INFO_BYTES, ADJ_VALID, ADJ_ATTACHED, ADJ_STATIC_MAC, INTERFACE_BYTES, ENCAP_HDLC,
} from "./state";
import { entryAt, find, insertEntry, memoSlot, majorLength, maskOf, neighborFind } from "./table";

/** Per-packet verdicts. Everything but FAST is process switched. */
export const VERDICT_FAST: u8 = 1;
/** Process switched; the entry was built. */
export const VERDICT_PROCESS: u8 = 2;
/** Process switched; the cache is full (memory budget), no entry. */
export const VERDICT_NO_MEMORY: u8 = 3;
/** Process switched; not cacheable (special adjacency, class D/E, adjacency unknown to the cache). */
export const VERDICT_UNCACHEABLE: u8 = 4;
/** Process switched; the next hop or host is not resolved (ARP needed), no entry. */
export const VERDICT_UNRESOLVED: u8 = 5;
/** Process switched and dropped: no route. */
export const VERDICT_NO_ROUTE: u8 = 6;

/** The entry (index + 1) caching `address`, or 0. Marks it used. */
// @ts-ignore: decorator
@inline export function lookupOne(cache: RouteCache, address: u32): u32 {
  const m = memoSlot(cache, address);
  if (m == 0) return 0;
  const memo = <u32>load<u8>(m);
  if (memo == 0) return 0;
  // The longest entry covering the address wins: a /32 host entry, else the network's length.
  const length = memo & 63;
  let e: u32 = 0;
  if ((memo & MEMO_HOSTS) && length != 32) e = find(cache, address, 32);
  if (e == 0) e = find(cache, address & maskOf(length), length);
  if (e != 0) store<u32>(entryAt(cache, e - 1), 1, OFF_USED);
  return e;
}

/** Process-switches a packet to `address` that missed; returns its verdict (counted); `cache.lastEntry` is the entry built. */
export function fillOne(cache: RouteCache, address: u32, now: f64): u8 {
  const c = cache.counters;
  c.processSwitched++;
  cache.lastEntry = 0;
  const fib = cache.fib;
  const value = fibRouteValue4(fib, address);
  if (value == 0) {
    c.noRoute++;
    return VERDICT_NO_ROUTE;
  }
  const shared = isLoadShare(fib, value);
  const adjacency = shared ? resolve4(fib, value, address, 0) : value;
  const m = memoSlot(cache, address);
  if (m == 0 || fibAdjacencyKind(fib, adjacency) != ADJ_NEIGHBOR || adjacency >= cache.maxAdjacencies) {
    c.uncacheable++;
    return VERDICT_UNCACHEABLE;
  }
  const info = cache.adjacencies + (<usize>adjacency) * ADJ_INFO_BYTES;
  const flags = load<u8>(info);
  if (!(flags & ADJ_VALID)) {
    c.uncacheable++;
    return VERDICT_UNCACHEABLE;
  }
  const ifIndex = <u32>load<u16>(info, 2);
  const iface = cache.interfaces + (<usize>ifIndex) * INTERFACE_BYTES;
  const pointToPoint = load<u8>(iface) == ENCAP_HDLC;
  const attached = (flags & ADJ_ATTACHED) != 0;
  let nextHop = attached ? address : load<u32>(info, 4);
  let mac: usize = 0;
  if (pointToPoint) {
    if (attached) nextHop = 0;
  } else {
    const neighbor = neighborFind(cache, nextHop);
    if (neighbor != 0) mac = neighbor + 6;
    else if (!attached && (flags & ADJ_STATIC_MAC)) mac = info + 8;
    if (mac == 0) {
      c.unresolved++;
      return VERDICT_UNRESOLVED;
    }
  }
  const e = buildEntry(cache, m, address, now, shared || (attached && !pointToPoint), adjacency, ifIndex, nextHop);
  if (e == 0) return VERDICT_NO_MEMORY;
  const entry = entryAt(cache, e - 1);
  if (pointToPoint) {
    // Cisco HDLC: address 0x0F (unicast), control 0x00, protocol 0x0800.
    store<u32>(entry + OFF_HEADER, 0x0008000f);
    store<u8>(entry, 4, OFF_HEADER_BYTES);
  } else {
    // Ethernet II: destination MAC, the interface's MAC, type 0x0800.
    memory.copy(entry + OFF_HEADER, mac, 6);
    memory.copy(entry + OFF_HEADER + 6, iface + 2, 6);
    store<u16>(entry + OFF_HEADER + 12, 0x0008);
    store<u8>(entry, 14, OFF_HEADER_BYTES);
  }
  c.adds++;
  cache.lastEntry = e;
  return VERDICT_PROCESS;
}

/**
 * The entry for a process-switched `address` at the granularity rule (`host`: a /32), with its
 * rewrite target; its MAC header is left to the caller. Returns it (index + 1), or 0 when the
 * budget is full (counted in noMemory).
 */
function buildEntry(cache: RouteCache, m: usize, address: u32, now: f64, host: bool, adjacency: u32, ifIndex: u32, nextHop: u32): u32 {
  let memo = <u32>load<u8>(m);
  if (memo == 0) {
    const major = majorLength(address);
    const longest = fibLongestWithin4(cache.fib, address & maskOf(major), major);
    memo = <u32>MEMO_KNOWN | (longest > <i32>major ? <u32>longest : major);
  }
  const length = host ? 32 : memo & 63;
  if (host) memo |= MEMO_HOSTS;
  store<u8>(m, <u8>memo);
  const e = insertEntry(cache, address & maskOf(length), length);
  if (e == 0) {
    cache.counters.noMemory++;
    return 0;
  }
  const entry = entryAt(cache, e - 1);
  store<u32>(entry, 1, OFF_USED);
  store<u32>(entry, adjacency, OFF_ADJACENCY);
  store<u16>(entry, <u16>ifIndex, OFF_INTERFACE);
  store<u32>(entry, nextHop, OFF_NEXT_HOP);
  store<f64>(entry, now, OFF_CREATED);
  return e;
}

// ---------------------------------------------------------------------------------------------
// The Dataplane's switching stage (assembly/pipeline/switching.ts): the pipeline resolves a
// miss itself (its FIB lookup, its ARP table), then tells the cache what became of the packet.

/** Looks a destination up for the pipeline: the entry (index + 1, marked used) or 0; counted fast or process switched. */
export function pipelineLookup(cache: RouteCache, address: u32): u32 {
  const e = lookupOne(cache, address);
  const c = cache.counters;
  c.lookups++;
  if (e != 0) c.fastSwitched++;
  else c.processSwitched++;
  return e;
}

/** Outcomes of a miss the pipeline did not forward. */
export const MISS_NO_ROUTE: u8 = 0;
export const MISS_UNRESOLVED: u8 = 1;
export const MISS_UNCACHEABLE: u8 = 2;

/** Counts a process-switched miss that left no entry (MISS_*). */
export function pipelineMissed(cache: RouteCache, outcome: u8): void {
  const c = cache.counters;
  if (outcome == MISS_NO_ROUTE) c.noRoute++;
  else if (outcome == MISS_UNRESOLVED) c.unresolved++;
  else c.uncacheable++;
}

/**
 * A miss the pipeline forwarded through `adjacency` out of Ethernet interface `ifIndex` with
 * destination MAC `dstMac` and source `srcMac`: builds its entry (`host`: one /32 per
 * destination, resolved with ARP). Returns VERDICT_PROCESS, or VERDICT_NO_MEMORY (no entry).
 */
export function pipelineFill(
  cache: RouteCache, address: u32, now: f64, adjacency: u32, ifIndex: u32, nextHop: u32, dstMac: u64, srcMac: u64, host: bool,
): u8 {
  const m = memoSlot(cache, address);
  if (m == 0) {
    cache.counters.uncacheable++;
    return VERDICT_UNCACHEABLE;
  }
  const e = buildEntry(cache, m, address, now, host, adjacency, ifIndex, nextHop);
  if (e == 0) return VERDICT_NO_MEMORY;
  const header = entryAt(cache, e - 1) + OFF_HEADER;
  store<u64>(header, bswap<u64>(dstMac << 16));
  store<u64>(header + 6, bswap<u64>(srcMac << 16));
  store<u16>(header + 12, 0x0008);
  store<u8>(entryAt(cache, e - 1), 14, OFF_HEADER_BYTES);
  cache.counters.adds++;
  return VERDICT_PROCESS;
}

/** The destination MAC of entry `e`'s Ethernet header (first octet in bits 40..47). */
// @ts-ignore: decorator
@inline export function entryDstMac(cache: RouteCache, e: u32): u64 {
  return bswap<u64>(load<u64>(entryAt(cache, e - 1) + OFF_HEADER)) >> 16;
}

/** Adjacency of entry `e` (index + 1). */
// @ts-ignore: decorator
@inline export function entryAdjacency(cache: RouteCache, e: u32): u32 {
  return load<u32>(entryAt(cache, e - 1), OFF_ADJACENCY);
}

export { OFF_NETWORK };
