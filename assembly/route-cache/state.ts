// The route cache's state record and the layout of its entries (kept apart from
// route-cache.ts so that only functions become module exports).

import { Budget } from "../common/budget";
import { Fib } from "../fib/state";

// An entry (ENTRY_BYTES): the cached prefix, the rewrite and the bookkeeping of the ager.
//
//   0  network      u32   destination prefix, host bits clear
//   4  length       u8    8..32
//   5  headerBytes  u8    MAC header length (4 HDLC, 14 Ethernet)
//   6  interface    u16   outgoing interface index
//   8  adjacency    u32   the FIB adjacency it forwards to
//  12  nextHop      u32   the neighbour whose MAC is in the header (0: point-to-point)
//  16  created      f64   ms; "Age" in `show ip cache`
//  24  prev, next   u32   ager order (creation order), entry index + 1, 0 = none
//  32  used         u32   1 when hit since the ager last examined it
//  36  header       24 bytes
export const ENTRY_BYTES: u32 = 64;
export const OFF_NETWORK: usize = 0;
export const OFF_LENGTH: usize = 4;
export const OFF_HEADER_BYTES: usize = 5;
export const OFF_INTERFACE: usize = 6;
export const OFF_ADJACENCY: usize = 8;
export const OFF_NEXT_HOP: usize = 12;
export const OFF_CREATED: usize = 16;
export const OFF_PREV: usize = 24;
export const OFF_NEXT: usize = 28;
export const OFF_USED: usize = 32;
export const OFF_HEADER: usize = 36;
export const MAX_HEADER_BYTES: u32 = 24;

/** Entries per pool segment: the pool grows by segments, never by copying. */
export const SEGMENT_SHIFT: u32 = 10;
export const SEGMENT_ENTRIES: u32 = 1 << SEGMENT_SHIFT;

// Major-network memo: one byte per class A, B and C network. 0 = nothing cached there since the
// last invalidation; else MEMO_KNOWN | length of the network's entries, and MEMO_HOSTS when it
// also holds /32 host entries (load sharing, ARP per destination).
export const MEMO_A: u32 = 0;
export const MEMO_B: u32 = 128;
export const MEMO_C: u32 = 128 + 16384;
export const MEMO_BYTES: u32 = 128 + 16384 + (1 << 21);
export const MEMO_KNOWN: u8 = 0x80;
export const MEMO_HOSTS: u8 = 0x40;

/** Per-second invalidation-request counts kept for the quiet period and the display. */
export const RATE_SECONDS: u32 = 128;

/** Interface record: encapsulation (u8: 0 ARPA Ethernet, 1 HDLC), pad, own MAC (6). */
export const INTERFACE_BYTES: u32 = 8;
export const MAX_INTERFACES: u32 = 4096;
export const ENCAP_ARPA: u8 = 0;
export const ENCAP_HDLC: u8 = 1;

// Adjacency record (ADJ_INFO_BYTES, indexed by adjacency id): flags (u8), pad, interface (u16),
// next hop (u32), static MAC (6), pad (2).
export const ADJ_INFO_BYTES: u32 = 16;
export const ADJ_VALID: u8 = 1;
/** No next hop: the destination itself is resolved (a connected subnet, a route to an interface). */
export const ADJ_ATTACHED: u8 = 2;
export const ADJ_STATIC_MAC: u8 = 4;

// Neighbour (ARP) slot: address (u32), present (u16), MAC (6).
export const NEIGHBOR_BYTES: u32 = 12;

/** Counters, in the order routeCacheCounters writes them. */
@unmanaged export class Counters {
  lookups: u64;
  fastSwitched: u64;
  processSwitched: u64;
  adds: u64;
  invalidates: u64;
  aged: u64;
  invalidatedFull: u64;
  cleared: u64;
  arpInvalidated: u64;
  noMemory: u64;
  noRoute: u64;
  unresolved: u64;
  uncacheable: u64;
  fullInvalidations: u64;
  invalidationRequests: u64;
  agerRuns: u64;
  agerExamined: u64;
  agerLowMemoryRuns: u64;
}
export const COUNTER_COUNT: u32 = 18;

@unmanaged export class RouteCache {
  fib: Fib;
  budget: Budget;
  k0: u64;
  k1: u64;
  counters: Counters;
  // Pool
  segments: usize;
  segmentCount: u32;
  maxEntries: u32;
  count: u32;
  highWater: u32;
  freeHead: u32;
  // Index: entry index + 1 per slot, 0 empty; capacity a power of two.
  index: usize;
  indexMask: u32;
  // Ager order
  head: u32;
  tail: u32;
  cursor: u32;
  memo: usize;
  interfaces: usize;
  adjacencies: usize;
  maxAdjacencies: u32;
  neighbors: usize;
  neighborMask: u32;
  neighborCount: u32;
  maxNeighbors: u32;
  // Time
  started: u32;
  lastNow: f64;
  // Ager: `ip cache-ager-interval X Y Z`
  agerIntervalMs: f64;
  agerLowDivisor: u32;
  agerNormalDivisor: u32;
  lowMemoryBytes: f64;
  nextRun: f64;
  // Invalidation: `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD`
  minimumMs: f64;
  maximumMs: f64;
  quietSeconds: u32;
  threshold: u32;
  seenFibVersion: u64;
  pendingSince: f64;
  lastFullInvalidation: f64;
  rateSeconds: usize;
  rateCounts: usize;
  /** Results of the last call for the host to read: the entry `fill` built, the entries an ARP change removed. */
  lastEntry: u32;
  lastInvalidated: u32;
}
