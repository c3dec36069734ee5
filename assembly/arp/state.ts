// The ARP table's state records and record layouts (kept apart from arp.ts so that only
// functions become module exports). One `ArpIface` per interface holds that interface's
// parameters, its keyed index and its fixed pools; `ArpTableState` holds the interfaces, the
// hash key and the clock. Every pool is allocated once, at creation.

import { Budget } from "../common/budget";

/** "No slot": the end of a list, an empty queue. */
export const NIL: u32 = 0xffffffff;
/** A time before any `now`: "never used". Exact in f64 too, so the TS reference agrees. */
export const NEVER: i64 = -4503599627370496; // -(2^52)

// Index values: kind in the top two bits, pool slot below.
export const KIND_PRESENT: u32 = 1;
export const KIND_INCOMPLETE: u32 = 2;
export const KIND_NEXIST: u32 = 3;
export const KIND_SHIFT: u32 = 30;
export const SLOT_MASK: u32 = 0x3fffffff;

// Verdicts of a resolution (resolveBatch writes one u8 per address).
export const VERDICT_FOUND: u8 = 0;
export const VERDICT_QUEUED: u8 = 1;
export const VERDICT_NEXIST: u8 = 2;
export const VERDICT_RATE: u8 = 3;
export const VERDICT_NO_SLOT: u8 = 4;
export const VERDICT_QUEUE_FULL: u8 = 5;
export const VERDICT_BAD_TARGET: u8 = 6;
export const VERDICT_BAD_INTERFACE: u8 = 7;
/** Or'ed into a drop verdict when the ICMP bucket allows a host-unreachable. */
export const VERDICT_ICMP: u8 = 0x80;

// @layout src/arp/layout.ts
// Why a queued packet handle was released.
export const RELEASE_SENT: u8 = 0;
export const RELEASE_RESOLVE_FAILED: u8 = 1;
export const RELEASE_QUEUE_OVERFLOW: u8 = 2;
export const RELEASE_CLEARED: u8 = 3;

// PRESENT record (64 bytes): the hot fields (MAC, last use) share the first 16 bytes.
export const P_BYTES: usize = 64;
export const P_MAC: usize = 0; // u64, 48-bit MAC, first octet in bits 40..47
export const P_LAST_USED: usize = 8; // i64
export const P_EXPIRES: usize = 16; // i64
export const P_UPDATED: usize = 24; // i64: last binding change (locktime)
export const P_DUE: usize = 32; // i64: next refresh probe
export const P_IP: usize = 40; // u32 (0 = free slot)
export const P_FLAGS: usize = 44; // u8
export const P_PROBES: usize = 45; // u8: refresh probes sent
export const P_EXP_PREV: usize = 48; // u32: expiry list (doubles as the free list link)
export const P_EXP_NEXT: usize = 52;
export const P_REF_PREV: usize = 56; // u32: refresh list
export const P_REF_NEXT: usize = 60;

export const FLAG_STATIC: u8 = 1;
export const FLAG_UNCONFIRMED: u8 = 2;
/** Entered the refresh window and was examined (a prefix of the expiry list). */
export const FLAG_EXAMINED: u8 = 4;
/** Linked in the refresh list. */
export const FLAG_REFRESH_LISTED: u8 = 8;
/** Refreshing: examined while recently used. */
export const FLAG_REFRESHING: u8 = 16;

// INCOMPLETE record (56 bytes).
export const I_BYTES: usize = 56;
export const I_CREATED: usize = 0; // i64
export const I_DUE: usize = 8; // i64: next timer event (retry, or failure)
export const I_LAST_SENT: usize = 16; // i64
export const I_IP: usize = 24; // u32 (0 = free)
export const I_SENT: usize = 28; // u16: requests sent
export const I_FAILURES: usize = 30; // u16: consecutive failures carried (back-off)
export const I_Q_HEAD: usize = 32; // u32 local handle
export const I_Q_TAIL: usize = 36;
export const I_Q_COUNT: usize = 40;
export const I_PREV: usize = 44; // retry list (I_NEXT doubles as the free list link)
export const I_NEXT: usize = 48;

// SEEN ring position (16 bytes): an address that showed life recently while it had no entry.
// Its index value has kind 0 and slot position + 1 (0 alone means "absent").
export const S_BYTES: usize = 16;
export const S_AT: usize = 0; // i64: last sighting
export const S_IP: usize = 8; // u32 (0 = hole)
export const S_HOME: usize = 12; // u32: the address's home position in the index (removal needs no hash)

// NEXIST ring position (16 bytes).
export const X_BYTES: usize = 16;
export const X_EXPIRES: usize = 0; // i64
export const X_IP: usize = 8; // u32 (0 = hole)
export const X_FAILURES: usize = 12; // u16
export const X_FLAGS: usize = 14; // u8
/** NEXIST held because the reply could not be stored (PRESENT full): evidence does not clear it. */
export const XFLAG_FULL: u8 = 1;

// Output rings.
export const REL_BYTES: usize = 24; // released handles
export const REL_MAC: usize = 0; // u64
export const REL_HANDLE: usize = 8; // u32 (global handle)
export const REL_IP: usize = 12; // u32
export const REL_REASON: usize = 16; // u8
export const REL_ICMP: usize = 17; // u8
export const OUT_BYTES: usize = 24; // requests and replies to transmit
export const OUT_TIME: usize = 0; // i64
export const OUT_MAC: usize = 8; // u64 target MAC, 0 = broadcast
export const OUT_TARGET: usize = 16; // u32 target IP
export const OUT_SENDER: usize = 20; // u32 sender (our) IP

/** Words (f64) of one interface's occupancy (`arpOccupancy`). */
export const OCC_PRESENT: u32 = 0;
export const OCC_STATIC: u32 = 1;
export const OCC_INCOMPLETE: u32 = 2;
export const OCC_NEXIST: u32 = 3;
export const OCC_NEXIST_POSITIONS: u32 = 4;
export const OCC_QUEUED: u32 = 5;
export const OCC_PENDING_RELEASES: u32 = 6;
export const OCC_PENDING_REQUESTS: u32 = 7;
export const OCC_PENDING_REPLIES: u32 = 8;
export const OCC_BYTES: u32 = 9;
export const OCC_PRESENT_CAPACITY: u32 = 10;
export const OCC_STATIC_CAPACITY: u32 = 11;
export const OCC_INCOMPLETE_CAPACITY: u32 = 12;
export const OCC_NEXIST_CAPACITY: u32 = 13;
export const OCC_QUEUE_CAPACITY: u32 = 14;
export const OCC_PEAK_PRESENT: u32 = 15;
export const OCC_PEAK_INCOMPLETE: u32 = 16;
export const OCC_PEAK_NEXIST: u32 = 17;
export const OCC_PEAK_QUEUED: u32 = 18;
export const OCC_INDEX_ENTRIES: u32 = 19;
export const OCC_INDEX_CAPACITY: u32 = 20;
export const OCC_LONGEST_PROBE: u32 = 21;
export const OCC_FREE_TOKENS: u32 = 22;
export const OCC_OBLIGATIONS: u32 = 23;
export const OCC_SEEN: u32 = 24;
export const OCC_SEEN_CAPACITY: u32 = 25;
export const OCCUPANCY_WORDS: u32 = 26;
/** Words (f64) of one entry record of `arpEntryScan` (INCOMPLETE: updated = created, last used = last request; PRESENT: requests = refresh probes). */
export const ENTRY_IP: u32 = 0;
export const ENTRY_MAC_HIGH: u32 = 1;
export const ENTRY_MAC_LOW: u32 = 2;
export const ENTRY_FLAGS: u32 = 3;
export const ENTRY_EXPIRES: u32 = 4;
export const ENTRY_UPDATED: u32 = 5;
export const ENTRY_LAST_USED: u32 = 6;
export const ENTRY_REQUESTS: u32 = 7;
export const ENTRY_QUEUED: u32 = 8;
export const ENTRY_FAILURES: u32 = 9;
export const ENTRY_WORDS: u32 = 10;
/** Words (f64) of the table-wide counters (`arpTableCounters`). */
export const TABLE_BAD_INTERFACE: u32 = 0;
export const TABLE_CLOCK_BACKWARDS: u32 = 1;
export const TABLE_LAST_NOW: u32 = 2;
export const TABLE_BYTES: u32 = 3;
export const TABLE_COUNTER_WORDS: u32 = 4;
// @end-layout

/** Own addresses and extra on-link prefixes per interface. */
export const MAX_ADDRESSES: u32 = 8;

// @layout src/arp/layout.ts
// Parameters, in the order of the f64 configuration block the host writes (one per interface).
export const CFG_RETRANSMIT_MS: i32 = 0;
export const CFG_REQUESTS: i32 = 1;
export const CFG_DEMAND: i32 = 2;
export const CFG_NEXIST_HOLD_MS: i32 = 3;
export const CFG_BACKOFF: i32 = 4;
export const CFG_BACKOFF_BASE_MS: i32 = 5;
export const CFG_BACKOFF_MAX_MS: i32 = 6;
export const CFG_PRESENT_LIFETIME_MS: i32 = 7;
export const CFG_REFRESH_WINDOW_MS: i32 = 8;
export const CFG_REFRESH_PROBES: i32 = 9;
export const CFG_RECENT_USE_MS: i32 = 10;
export const CFG_LOCKTIME_MS: i32 = 11;
export const CFG_INCOMPLETE_ENTRIES: i32 = 12;
export const CFG_NEXIST_ENTRIES: i32 = 13;
export const CFG_PRESENT_ENTRIES: i32 = 14;
export const CFG_STATIC_ENTRIES: i32 = 15;
export const CFG_IDLE_EVICT_MS: i32 = 16;
export const CFG_QUEUE_PER_ENTRY: i32 = 17;
export const CFG_QUEUE_PER_INTERFACE: i32 = 18;
export const CFG_REQUEST_RATE: i32 = 19;
export const CFG_REQUEST_BURST: i32 = 20;
export const CFG_REFRESH_RESERVE: i32 = 21;
export const CFG_ICMP_RATE: i32 = 22;
export const CFG_ICMP_BURST: i32 = 23;
export const CFG_TICK_WORK: i32 = 24;
export const CFG_ACCEPT_UNSOLICITED: i32 = 25;
export const CFG_LEARN_ON_CLEAR: i32 = 26;
export const CFG_REQUEST_RING: i32 = 27;
export const CFG_REPLY_RING: i32 = 28;
export const CFG_MAC_HIGH: i32 = 29;
export const CFG_MAC_LOW: i32 = 30;
export const CFG_OWN_COUNT: i32 = 31;
export const CFG_ON_LINK_COUNT: i32 = 32;
export const CFG_OWN: i32 = 33; // 8 × (address, length)
export const CFG_ON_LINK: i32 = 49; // 8 × (network, length)
export const CFG_SEEN_ENTRIES: i32 = 65;
export const CFG_SEEN_WINDOW_MS: i32 = 66;
export const CFG_WORDS: i32 = 67;

// Counters, per interface (the TS side lists the same names in the same order).
export const C_RESOLVE_CALLS: i32 = 0;
export const C_PRESENT_HITS: i32 = 1;
export const C_NEXIST_HITS: i32 = 2;
export const C_INCOMPLETE_QUEUED: i32 = 3;
export const C_DEMAND_RETRIES: i32 = 4;
export const C_ADMITTED: i32 = 5;
export const C_ADMIT_REFUSED_SLOTS: i32 = 6;
export const C_ADMIT_REFUSED_RATE: i32 = 7;
export const C_BAD_TARGET: i32 = 8;
export const C_QUEUE_OVERFLOW: i32 = 9;
export const C_QUEUE_FULL: i32 = 10;
export const C_ICMP_ALLOWED: i32 = 11;
export const C_ICMP_SUPPRESSED: i32 = 12;
export const C_RETRIES: i32 = 13;
export const C_RETRY_DEFERRED: i32 = 14;
export const C_RESOLVE_FAILED: i32 = 15;
export const C_NEXIST_EVICTED: i32 = 16;
export const C_NEXIST_EXPIRED: i32 = 17;
export const C_REFRESH_SENT: i32 = 18;
export const C_REFRESH_DEFERRED: i32 = 19;
export const C_PRESENT_EXPIRED: i32 = 20;
export const C_ARP_RECEIVED: i32 = 21;
export const C_ARP_BAD_OP: i32 = 22;
export const C_ARP_BAD_SENDER_MAC: i32 = 23;
export const C_ARP_MAC_MISMATCH: i32 = 24;
export const C_ARP_BAD_SENDER_IP: i32 = 25;
export const C_ARP_OWN_ADDRESS: i32 = 26;
export const C_ARP_OFF_LINK: i32 = 27;
export const C_ARP_PROBE: i32 = 28;
export const C_RESOLVED: i32 = 29;
export const C_RESOLVED_UNCONFIRMED: i32 = 30;
export const C_PRESENT_FULL: i32 = 31;
export const C_PRESENT_EVICTED: i32 = 32;
export const C_NEXIST_CLEARED_BY_ARP: i32 = 33;
export const C_NEXIST_LEARNED: i32 = 34;
export const C_PRESENT_REFRESHED: i32 = 35;
export const C_LOCK_IGNORED: i32 = 36;
export const C_MAC_MOVED: i32 = 37;
export const C_STATIC_PROTECTED: i32 = 38;
export const C_LEARNED_FROM_REQUEST: i32 = 39;
export const C_REQUEST_NOT_LEARNED: i32 = 40;
export const C_UNSOLICITED_IGNORED: i32 = 41;
export const C_UNSOLICITED_LEARNED: i32 = 42;
export const C_REPLIES_SENT: i32 = 43;
export const C_REPLY_RING_FULL: i32 = 44;
export const C_IP_RECEIVED: i32 = 45;
export const C_INCOMPLETE_IP_IGNORED: i32 = 46;
export const C_NEXIST_CLEARED_BY_IP: i32 = 47;
export const C_CLEARED: i32 = 48;
export const C_REQUESTS_SENT: i32 = 49;
export const C_REQUEST_RING_FULL: i32 = 50;
export const C_RELEASED_SENT: i32 = 51;
export const C_RELEASED_DROPPED: i32 = 52;
export const C_HANDLES_ISSUED: i32 = 53;
export const C_STATIC_ADDED: i32 = 54;
export const C_STATIC_REMOVED: i32 = 55;
export const C_NEXIST_FULL_KEPT: i32 = 56;
export const C_SEEN_RECORDED: i32 = 57;
export const C_ADMITTED_SEEN: i32 = 58;
export const COUNTERS: i32 = 59;
// @end-layout

/** One interface: parameters, identity, token buckets, index, pools, queues and rings. */
@unmanaged export class ArpIface {
  ifIndex: u32;
  // parameters
  t1: i64;
  n: u32;
  demand: u32;
  t2: i64;
  backoff: u32;
  backoffBase: i64;
  backoffMax: i64;
  lifetime: i64;
  refreshWindow: i64;
  refreshProbes: u32;
  recentUse: i64;
  lockTime: i64;
  idleEvict: i64;
  iCap: u32;
  xCap: u32;
  pCap: u32;
  sCap: u32;
  qEntry: u32;
  qCap: u32;
  rate: i64;
  burst: i64;
  reserve: i64;
  fillMs: i64;
  icmpRate: i64;
  icmpBurst: i64;
  icmpFillMs: i64;
  tickWork: u32;
  acceptUnsolicited: u32;
  learnOnClear: u32;
  reqCap: u32;
  repCap: u32;
  // identity
  mac: u64;
  ownCount: u32;
  onLinkCount: u32;
  /** 32 u32: own address[8], own length[8], on-link network[8], on-link length[8]. */
  addresses: usize;
  // token buckets, in thousandths of a token
  tokens: i64;
  tokensAt: i64;
  /** Requests that admitted INCOMPLETE entries will still send (timer mode). */
  obligations: i64;
  icmpTokens: i64;
  icmpAt: i64;
  // keyed index (open addressing, linear probing, backward-shift deletion)
  index: usize;
  indexCap: u32;
  indexCount: u32;
  maxProbe: u32;
  ifKey: u64;
  // PRESENT / STATIC pool
  present: usize;
  pFree: u32;
  pCount: u32;
  sCount: u32;
  expHead: u32;
  expTail: u32;
  cursor: u32;
  refHead: u32;
  refTail: u32;
  // INCOMPLETE pool
  incomplete: usize;
  iFree: u32;
  iCount: u32;
  retryHead: u32;
  retryTail: u32;
  // NEXIST ring
  nexist: usize;
  xHead: u32;
  xUsed: u32;
  xLive: u32;
  /** No live NEXIST entry expires before this (a lower bound): hits before it skip the ring. */
  nexistQuiet: i64;
  // SEEN ring
  seen: usize;
  seenCap: u32;
  seenWindow: i64;
  seenHead: u32;
  seenUsed: u32;
  seenLive: u32;
  // packet handles
  handleBase: u32;
  hNext: usize;
  hStack: usize;
  hTop: u32;
  queued: u32;
  // output rings
  released: usize;
  relHead: u32;
  relCount: u32;
  requests: usize;
  reqHead: u32;
  reqCount: u32;
  replies: usize;
  repHead: u32;
  repCount: u32;
  // peaks
  peakPresent: u32;
  peakIncomplete: u32;
  peakNexist: u32;
  peakQueued: u32;
  counters: usize;
  bytes: u64;
  /** The last resolution's answer: the MAC of a FOUND, the packet handle of a QUEUED. */
  resultMac: u64;
  resultHandle: u32;
  /** Verdict of the last refused admission (read right after `admit` returns NIL). */
  refusal: u8;
}

/** The whole table: its interfaces, the hash key and the clock. */
@unmanaged export class ArpTableState {
  count: u32;
  ifaces: usize;
  k0: u64;
  k1: u64;
  lastNow: i64;
  badInterface: u64;
  clockBackwards: u64;
  budget: Budget;
  handles: u32;
  /** The last `arpResolve`'s answer (copied from its interface). */
  resultMac: u64;
  resultHandle: u32;
  /** Entries written by the last `arpScan` (its out count). */
  scanCount: u32;
}
