// The flow cache's state record and the byte layout of its flow records (kept apart from
// flow.ts so that only functions and constants become module exports).
//
// A FLOW RECORD IS 112 BYTES. The layout is a contract with src/flow/ (which reads the records
// in place through src/flow/layout.ts, generated from the @layout block below by
// scripts/layouts.mjs) and must only ever be extended in the export record's spare bytes:
//
//  off  size  field
//    0   16   source address (four u32 words, most significant first; IPv4 in word 0)   ┐
//   16   16   destination address, likewise                                             │
//   32    2   source port (0 for ICMP)                                                  │ key:
//   34    2   destination port (ICMP: type << 8 | code, as NetFlow carries it)          │ 44 bytes,
//   36    1   protocol                                                                  │ compared
//   37    1   ToS                                                                       │ as 5 u64
//   38    1   IP version (4 or 6)                                                       │ + 1 u32
//   39    1   direction (0 ingress, 1 egress)                                           │
//   40    4   input interface                                                           ┘
//   44    4   previous flow in creation order (export record: end reason)
//   48    4   next flow in creation order, or the next free entry (export record: entry id)
//   52    4   packets (0 = a free entry)
//   56    8   bytes (IP total length summed)
//   64    8   first packet, ms since the epoch (f64)
//   72    8   last packet, ms since the epoch (f64)
//   80    4   IP id of the first packet
//   84    2   minimum packet length            86  2  maximum packet length
//   88    6   source MAC (first frame that had one)   94  6  destination MAC
//  100    2   input VLAN id (0xffff none)      102  2  output VLAN id (0xffff none)
//  104    2   fragment offset of the first fragmented datagram (8-octet units)
//  106    2   TCP flags OR-ed (low 12 bits) | CAPTURED_* bits (high 4 bits)
//  108    1   minimum TTL   109 1 maximum TTL   110 1 ICMP type   111 1 ICMP code
//
// An export record (the queue) is 128 bytes: the flow record with the two links replaced by the
// end reason and the entry id, then the time the flow was expired (f64 at 112) and its export
// sequence number (u64 at 120).

// @layout src/flow/layout.ts
// Flow records and export records: sizes and byte offsets of the fields (the table at the top).
export const RECORD_BYTES: u32 = 112;
export const EXPORT_RECORD_BYTES: u32 = 128;
export const KEY_BYTES: u32 = 44;

export const OFF_SRC: u32 = 0;
export const OFF_DST: u32 = 16;
export const OFF_SRC_PORT: u32 = 32;
export const OFF_DST_PORT: u32 = 34;
export const OFF_PROTOCOL: u32 = 36;
export const OFF_TOS: u32 = 37;
export const OFF_VERSION: u32 = 38;
export const OFF_DIRECTION: u32 = 39;
export const OFF_INTERFACE: u32 = 40;
export const OFF_PREV: u32 = 44;
export const OFF_NEXT: u32 = 48;
export const OFF_PACKETS: u32 = 52;
export const OFF_BYTES: u32 = 56;
export const OFF_FIRST: u32 = 64;
export const OFF_LAST: u32 = 72;
export const OFF_IP_ID: u32 = 80;
export const OFF_MIN_LENGTH: u32 = 84;
export const OFF_MAX_LENGTH: u32 = 86;
export const OFF_SRC_MAC: u32 = 88;
export const OFF_DST_MAC: u32 = 94;
export const OFF_INPUT_VLAN: u32 = 100;
export const OFF_OUTPUT_VLAN: u32 = 102;
export const OFF_FRAGMENT_OFFSET: u32 = 104;
export const OFF_TCP_FLAGS: u32 = 106;
export const OFF_MIN_TTL: u32 = 108;
export const OFF_MAX_TTL: u32 = 109;
export const OFF_ICMP_TYPE: u32 = 110;
export const OFF_ICMP_CODE: u32 = 111;
export const OFF_END_REASON: u32 = 44;
export const OFF_ENTRY_ID: u32 = 48;
export const OFF_EXPIRED_AT: u32 = 112;
export const OFF_SEQUENCE: u32 = 120;

/** Bits above the 12 TCP flag bits of the flags field: what was captured from the first such packet. */
export const CAPTURED_FRAGMENT: u16 = 0x1000;
export const CAPTURED_ICMP: u16 = 0x2000;
export const CAPTURED_MAC: u16 = 0x4000;
export const TCP_FLAG_BITS: u16 = 0x0fff;
/** VLAN id field value: no VLAN tag seen. */
export const NO_VLAN: u16 = 0xffff;

/** "No flow" in the creation-order links and the free list. */
export const NONE: u32 = 0xffffffff;

/** Counter slots (u64 each) of `flowCacheCounters`. */
export const C_PACKETS_IN: u32 = 0;
export const C_BYTES_IN: u32 = 1;
export const C_PACKETS_ACCOUNTED: u32 = 2;
export const C_BYTES_ACCOUNTED: u32 = 3;
export const C_PACKETS_REFUSED: u32 = 4;
export const C_BYTES_REFUSED: u32 = 5;
export const C_REFUSED_NOT_IP: u32 = 6;
export const C_REFUSED_NO_ROOM: u32 = 7;
export const C_REFUSED_PROBE_LIMIT: u32 = 8;
export const C_REFUSED_COUNTER_FULL: u32 = 9;
export const C_FLOWS_ADDED: u32 = 10;
export const C_ALLOC_FAILURES: u32 = 11;
export const C_AGER_POLLS: u32 = 12;
export const C_AGER_EXAMINED: u32 = 13;
export const C_EXPORT_STALLS: u32 = 14;
export const C_FLOWS_EXPIRED: u32 = 15;
export const C_PACKETS_EXPIRED: u32 = 16;
export const C_BYTES_EXPIRED: u32 = 17;
export const C_UNSELECTED: u32 = 18;
export const C_LOOKUPS: u32 = 19;
export const C_PROBES: u32 = 20;
export const C_LONGEST_PROBE: u32 = 21;
/** Expired flows by reason: slot C_EXPIRED_BY_REASON + reason. */
export const C_EXPIRED_BY_REASON: u32 = 22;
export const COUNTER_SLOTS: u32 = 32;

/** Why a flow left the cache (also IPFIX flowEndReason where one fits, RFC 7011 §... IE 136). */
export const REASON_INACTIVE: u32 = 0;
export const REASON_ACTIVE: u32 = 1;
export const REASON_TCP_END: u32 = 2;
export const REASON_CACHE_FULL: u32 = 3;
export const REASON_FLUSH: u32 = 4;
export const REASON_COUNTER_FULL: u32 = 5;
export const REASON_COUNT: u32 = 6;
/** "Not expired" from the end-reason test. */
export const REASON_NONE: u32 = 0xff;

/** Flow masks (Catalyst MLS): which key fields are kept. */
export const MASK_FULL: u32 = 0;
export const MASK_DESTINATION_SOURCE: u32 = 1;
export const MASK_DESTINATION: u32 = 2;

/** Buckets of the IP packet size distribution: 32-byte steps to 576, then 512-byte steps to 4608. */
export const SIZE_BUCKETS: u32 = 26;
/** Protocol categories of `show ip cache flow`, and the u64/f64 fields kept for each. */
export const PROTOCOL_CATEGORIES: u32 = 20;
export const PROTOCOL_FIELDS: u32 = 5;
/** The fields of a protocol category, in slots of 8 bytes: u64 flows, packets, bytes; f64 active and idle ms summed. */
export const PROTOCOL_FLOWS: u32 = 0;
export const PROTOCOL_PACKETS: u32 = 1;
export const PROTOCOL_BYTES: u32 = 2;
export const PROTOCOL_ACTIVE_MS: u32 = 3;
export const PROTOCOL_IDLE_MS: u32 = 4;
// @end-layout

/** Longest linear-probe run an insertion may make; beyond it the flow is refused (counted). */
export const MAX_PROBE: u32 = 256;
/**
 * Largest capacity: entry ids must fit 24 bits of headroom below the "empty slot" encoding, and
 * the entries are one allocation (capacity × RECORD_BYTES), which must stay below 1 GiB.
 */
export const MAX_CAPACITY: u32 = 1 << 23;

@unmanaged export class FlowCache {
  /** Flow entries (RECORD_BYTES each). */
  entries: usize;
  /** Open-addressing index: u64 per slot, (hash32 << 32) | (entry id + 1), 0 = empty. */
  index: usize;
  /** Export queue: a ring of EXPORT_RECORD_BYTES records. */
  queue: usize;
  counters: usize;
  sizes: usize;
  protocols: usize;
  /** 128 bytes: a candidate key (record layout), its compact IPv4 form, a sink for read-ahead loads. */
  scratch: usize;
  /** Read-ahead run buffers: keys (48 bytes each), hashes (u32), index slots (u64) and the entries found (u32 addresses). */
  keys: usize;
  hashes: usize;
  slotsRun: usize;
  entriesRun: usize;
  key0: u64;
  key1: u64;
  activeTimeout: f64;
  inactiveTimeout: f64;
  exportSequence: u64;
  capacity: u32;
  slots: u32;
  queueCapacity: u32;
  queueHead: u32;
  queueCount: u32;
  live: u32;
  /** Entries [fresh, capacity) were never used. */
  fresh: u32;
  freeHead: u32;
  oldest: u32;
  newest: u32;
  agerCursor: u32;
  agerBatch: u32;
  mask: u32;
  maxPackets: u32;
  memoryBytes: u32;
  /** The top-talkers column (flow/talkers.ts), 0 when no top talkers are attached; `talkersUsers` attached. */
  talkers: usize;
  talkersUsers: u32;
  /** The source table of the column (flow/talkers.ts): sources, their index and its keys. */
  sources: usize;
  sourceIndex: usize;
  sourceKey0: u64;
  sourceKey1: u64;
  sourceSlots: u32;
  /** Source ids [sourcesFresh, capacity) were never used; sourcesFree heads the free ones (NONE: none). */
  sourcesFresh: u32;
  sourcesFree: u32;
  sourcesLive: u32;
  /**
   * The read-ahead's victims (flow/cache.ts): the entries a full cache will evict next for the
   * new flows of the run, oldest first, as (id, key hash) pairs, so that their removal from the
   * index does not hash their keys again. [victimNext, victimCount) are still to come.
   */
  victims: usize;
  victimCount: u32;
  victimNext: u32;
}
