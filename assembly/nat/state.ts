// The NAT table's state and record layouts (kept apart from nat.ts so that only functions
// become module exports). One `NatState` holds the configuration written by the host at
// creation (interface roles, pools, access lists, mappings, timeouts), the fixed entry pool,
// the two keyed indexes (inside → outside and outside → inside) and one expiry list per
// timeout class. Nothing is allocated after the host has finished the configuration.

import { Budget } from "../common/budget";

/** "No entry": the end of a list. */
export const NIL: u32 = 0xffffffff;

// Interface roles (`ip nat inside` / `ip nat outside`).
export const ROLE_NONE: u8 = 0;
export const ROLE_INSIDE: u8 = 1;
export const ROLE_OUTSIDE: u8 = 2;
/** Interface ids the role table covers (the batch's `interface` column). */
export const MAX_INTERFACES: u32 = 4096;

// Timeout classes: which `ip nat translation ...-timeout` governs an entry. Also the order in
// which the ager breaks ties between entries that expire at the same millisecond.
export const CLASS_TIMEOUT: u32 = 0; // simple dynamic entries: `ip nat translation timeout` (24 h)
export const CLASS_UDP: u32 = 1; // udp-timeout (5 min)
export const CLASS_DNS: u32 = 2; // dns-timeout (1 min): UDP to port 53
export const CLASS_TCP: u32 = 3; // tcp-timeout (24 h): established
export const CLASS_FINRST: u32 = 4; // finrst-timeout (1 min): after a FIN or RST
export const CLASS_ICMP: u32 = 5; // icmp-timeout (1 min)
export const CLASS_SYN: u32 = 6; // syn-timeout (1 min): SYN seen, not yet established
export const CLASSES: u32 = 7;

// Entry record (64 bytes).
export const E_BYTES: usize = 64;
export const E_LOCAL: usize = 0; // u32 inside local address
export const E_GLOBAL: usize = 4; // u32 inside global address
export const E_OUTSIDE: usize = 8; // u32 outside address (extended entries)
export const E_LOCAL_PORT: usize = 12; // u16 (ICMP: query id)
export const E_GLOBAL_PORT: usize = 14; // u16
export const E_OUTSIDE_PORT: usize = 16; // u16 (0 for ICMP)
export const E_PROTOCOL: usize = 18; // u8 (0 for simple entries)
export const E_FLAGS: usize = 19; // u8
export const E_CLASS: usize = 20; // u8
export const E_MAPPING: usize = 22; // u16 mapping (rule) id, 0xffff for static entries
export const E_CREATED: usize = 24; // i64
export const E_FORWARD_HASH: usize = 32; // u32 keyed hash in the inside → outside index (kept: removal needs no rehash)
export const E_REVERSE_HASH: usize = 36; // u32 keyed hash in the outside → inside index
// i64: when a dynamic entry expires (its last use is this minus its class's timeout, which is
// fixed before the first packet); a static entry never expires and keeps its last use here.
export const E_EXPIRES: usize = 40;
export const E_PREV: usize = 48; // u32 class list
export const E_NEXT: usize = 52; // u32 class list (free list link)
export const E_HITS: usize = 56; // u32 packets translated
export const E_POOL_SLOT: usize = 60; // u32 index of the global address in the pool refcounts

export const FLAG_LIVE: u8 = 1;
export const FLAG_STATIC: u8 = 2;
export const FLAG_EXTENDED: u8 = 4;

// Verdicts, one u8 per packet (mirrored in src/nat/types.ts).
export const VERDICT_NOT_NAT: u8 = 0;
export const VERDICT_OUT: u8 = 1;
export const VERDICT_IN: u8 = 2;
export const VERDICT_SKIPPED: u8 = 3;
export const VERDICT_NO_MAPPING: u8 = 4;
export const VERDICT_OUTSIDE_MISS: u8 = 5;
export const VERDICT_DROP_MAX_ENTRIES: u8 = 16;
export const VERDICT_DROP_TABLE_FULL: u8 = 17;
export const VERDICT_DROP_NO_ADDRESS: u8 = 18;
export const VERDICT_DROP_NO_PORT: u8 = 19;
export const VERDICT_DROP_UNTRANSLATABLE: u8 = 20;
/** Or'ed into a drop verdict: the pipeline should answer with an ICMP host unreachable. */
export const VERDICT_ICMP: u8 = 0x80;

// Counter slots (u64; mirrored in src/nat/types.ts).
export const C_PACKETS: u32 = 0;
export const C_TRANSLATED_OUT: u32 = 1;
export const C_TRANSLATED_IN: u32 = 2;
export const C_HITS: u32 = 3;
export const C_MISSES: u32 = 4;
export const C_CREATED: u32 = 5;
export const C_EXPIRED: u32 = 6;
export const C_EXPIRED_CLASS: u32 = 7; // 7 .. 13, one per class
export const C_CLEARED: u32 = 14;
export const C_NOT_NAT: u32 = 15;
export const C_SKIPPED: u32 = 16;
export const C_NO_MAPPING: u32 = 17;
export const C_OUTSIDE_MISS: u32 = 18;
export const C_DROP_MAX_ENTRIES: u32 = 19;
export const C_DROP_TABLE_FULL: u32 = 20;
export const C_DROP_NO_ADDRESS: u32 = 21;
export const C_DROP_NO_PORT: u32 = 22;
export const C_DROP_UNTRANSLATABLE: u32 = 23;
export const C_AGER_CALLS: u32 = 24;
export const C_AGER_REMOVED: u32 = 25;
export const C_PEAK_ENTRIES: u32 = 26;
export const C_CLOCK_BACKWARDS: u32 = 27;
export const C_COLUMNS_ONLY: u32 = 28;
export const C_PORT_PROBES: u32 = 29;
export const C_RECLAIMED: u32 = 30;
export const COUNTERS: u32 = 32;

// A pool: a contiguous range of global addresses with one refcount word each.
export const POOL_BYTES: usize = 24;
export const POOL_START: usize = 0; // u32 first address
export const POOL_SIZE: usize = 4; // u32 addresses
export const POOL_SLOTS: usize = 8; // u32 first refcount slot
export const POOL_FREE_TOP: usize = 12; // u32 free stack height (simple pools)
export const POOL_ALLOCATED: usize = 16; // u32 addresses with refcount > 0
export const POOL_MISSES: usize = 20; // u32 allocation failures

// A mapping (`ip nat inside source list ACL pool NAME [overload]`).
export const MAP_BYTES: usize = 20;
export const MAP_POOL: usize = 0; // u32
export const MAP_OVERLOAD: usize = 4; // u32 0/1
export const MAP_ACL_START: usize = 8; // u32 first ACL entry
export const MAP_ACL_COUNT: usize = 12; // u32
export const MAP_REFCOUNT: usize = 16; // u32 entries made by this mapping
/** One access-list entry: address, mask (1 = must match), permit (u32 0/1). */
export const ACL_BYTES: usize = 12;

export const MAX_POOLS: u32 = 256;
export const MAX_MAPPINGS: u32 = 256;
export const MAX_ACL_ENTRIES: u32 = 4096;
export const MAX_POOL_ADDRESSES: u32 = 1 << 20;
/** A cache line: entries and index buckets are one each, aligned to it. */
export const LINE_BYTES: usize = 64;
// Index buckets (nat/table.ts): one cache line each.
export const BUCKET_SHIFT: usize = 6; // 64 bytes
export const BUCKET_SLOTS: u32 = 7;
export const BUCKET_LANES: u32 = (1 << BUCKET_SLOTS) - 1;
export const BUCKET_OVERFLOW: usize = 28; // u32 after the 7 tags (u32 each)
export const BUCKET_ENTRIES: usize = 32; // 7 u32 entry numbers (entry + 1; 0 free)
/** Rows per read-ahead run of natTranslateBatch, and the bytes of one row's hint (nat/read-ahead.ts). */
export const READ_AHEAD_RUN: u32 = 32;
export const HINT_BYTES: usize = 16;
export const HINT_FORWARD: usize = 0; // u32 forward extended hash of the row's key
export const HINT_REVERSE: usize = 4; // u32 reverse extended hash of the first port PAT will try
export const HINT_GLOBAL: usize = 8; // u32 the global address that hash is for
export const HINT_PORT: usize = 12; // u16 the port it is for
export const HINT_FLAGS: usize = 14; // u16: HINT_HAS_FORWARD | HINT_HAS_REVERSE
export const HINT_HAS_FORWARD: u16 = 1;
export const HINT_HAS_REVERSE: u16 = 2;
/** Ports tried, from the inside local port upward in its range, before a PAT allocation fails. */
export const PORT_PROBES: u32 = 128;

@unmanaged export class NatState {
  budget: Budget;
  k0: u64;
  k1: u64;
  lastNow: i64;
  /** Entries the pool holds (static and dynamic). */
  capacity: u32;
  /** `ip nat translation max-entries`: dynamic entries allowed. */
  maxEntries: u32;
  /** Entries removed per `natAge` call at most. */
  agerWork: u32;
  live: u32;
  dynamic: u32;
  extended: u32;
  freeHead: u32;
  /** Buckets per index (see indexBuckets in nat.ts). */
  buckets: u32;
  /** Most buckets any lookup or insertion went past its home bucket, in either index. */
  longestProbe: u32;
  entries: usize;
  /** Inside → outside index: buckets of BUCKET_SLOTS tags and entry numbers. */
  forward: usize;
  /** Outside → inside index, same layout. */
  reverse: usize;
  /** Per class: head, tail (u32 each), timeout (i64). */
  heads: usize;
  tails: usize;
  timeouts: usize;
  roles: usize;
  counters: usize;
  pools: usize;
  poolCount: u32;
  /** Refcount per pool address (u32), then the free stacks of the simple pools (u32 each). */
  poolRefs: usize;
  poolFree: usize;
  poolAddresses: u32;
  poolAddressCapacity: u32;
  mappings: usize;
  mappingCount: u32;
  acl: usize;
  aclCount: u32;
  /** READ_AHEAD_RUN hints of HINT_BYTES (see nat/read-ahead.ts). */
  hints: usize;
  /** The budget's blocks behind `entries`, `forward` and `reverse` (each one line longer: those start on a line). */
  entriesBlock: usize;
  forwardBlock: usize;
  reverseBlock: usize;
}
