// The Dataplane's state record and the layouts it shares with src/dataplane/ (kept apart from
// pipeline.ts so that only functions become module exports). Values are a contract mirrored in
// src/dataplane/verdicts.ts and are never renumbered.
//
// STAGE SLOTS. One batch runs through parse → packet selector (input filters, samplers) →
// ingress flow accounting → per packet: ARP input, input ACL, uRPF, switching (FIB, or a route
// cache), TTL, adjacency, output ACL, ARP resolution, rewrite → egress flow accounting. Every
// feature is a slot holding a component's handle (0 = off): `flow`, `selector`, and the slots
// that the route cache, IP accounting and NAT/bridge tables plug into (`routeCache`,
// `accounting`, `nat`, `bridge`), each called through its exported AssemblyScript functions at
// the marked place in pipeline/forward.ts.

/** Verdicts (one u8 per packet). */
export const VERDICT_FORWARDED: u8 = 0;
export const VERDICT_QUEUED: u8 = 1;
export const VERDICT_PUNTED: u8 = 2;
export const VERDICT_DROPPED: u8 = 3;

// Reasons (one u8 per packet): why a packet was dropped (or punted).
export const REASON_NONE: u8 = 0;
export const REASON_NO_ROUTE: u8 = 1;
export const REASON_TTL_EXPIRED: u8 = 2;
export const REASON_NULL_ADJACENCY: u8 = 3;
export const REASON_DROP_ADJACENCY: u8 = 4;
export const REASON_ARP_NEXIST: u8 = 5;
export const REASON_ARP_RATE_LIMITED: u8 = 6;
export const REASON_ARP_QUEUE_FULL: u8 = 7;
export const REASON_MALFORMED: u8 = 8;
export const REASON_NOT_IP: u8 = 9;
export const REASON_ACL_DENIED: u8 = 10;
export const REASON_URPF_FAILED: u8 = 11;
export const REASON_ARP_INCOMPLETE_FULL: u8 = 12;
export const REASON_ARP_BAD_TARGET: u8 = 13;
export const REASON_BAD_INTERFACE: u8 = 14;
export const REASON_NOT_ETHERNET: u8 = 15;
export const REASON_DISCARD_ADJACENCY: u8 = 16;
export const REASON_INCOMPLETE_ADJACENCY: u8 = 17;
export const REASON_ND_UNRESOLVED: u8 = 18;
export const REASON_FRAME_TOO_LARGE: u8 = 19;
export const REASON_ACL_DENIED_OUT: u8 = 20;
export const REASON_BAD_CHECKSUM: u8 = 21;
export const REASON_NAT_TABLE_FULL: u8 = 22; // `ip nat translation max-entries` or the table's budget reached
export const REASON_NAT_NO_ADDRESS: u8 = 23; // the pool has no free address, or PAT no free port
export const REASON_NAT_UNTRANSLATABLE: u8 = 27; // PAT cannot translate it (no ports: a fragment, another protocol)
export const REASON_BRIDGE_FILTERED: u8 = 28; // bridged to the port it came from
// Punt reasons.
export const REASON_ARP: u8 = 24;
export const REASON_RECEIVE: u8 = 25;
export const REASON_GLEAN: u8 = 26;
export const REASON_BRIDGE_FLOODED: u8 = 29; // flooded to the bridge group: process switched (seed 000, IRB)
export const REASON_SLOTS: u32 = 32;

// Global counters (u64 each).
export const C_PACKETS_IN: u32 = 0;
export const C_VERDICTS: u32 = 1; // + verdict (4 slots)
export const C_REASONS: u32 = 8; // + reason (32 slots): per-reason totals of drops and punts
export const C_RELEASED_SENT: u32 = 40;
export const C_RELEASED_FAILED: u32 = 41;
export const C_RELEASED_OVERFLOW: u32 = 42;
export const C_RELEASED_CLEARED: u32 = 43;
export const C_RELEASED_LOST: u32 = 44; // released but the output area was full
export const C_ICMP_TIME_EXCEEDED: u32 = 45;
export const C_ICMP_UNREACHABLE: u32 = 46;
export const C_ICMP_RATE_LIMITED: u32 = 47;
export const C_ICMP_NOT_ALLOWED: u32 = 48; // errors about errors, fragments, broadcasts, no source address
export const C_ARP_REQUESTS_OUT: u32 = 49;
export const C_ARP_REPLIES_OUT: u32 = 50;
export const C_OUTPUT_OVERFLOW: u32 = 51; // emitted frames lost to a full output area
export const C_ARP_TICKS: u32 = 52;
export const C_FLOW_INGRESS: u32 = 53; // packets accounted ingress
export const C_FLOW_EGRESS: u32 = 54;
export const C_ACL_LOGGED: u32 = 55;
export const C_URPF_CHECKED: u32 = 56;
export const C_ACL_CHECKED: u32 = 57;
// Switching paths of the IPv4 and IPv6 packets that reached the switching step: CEF, fast
// (route cache hit) and process (route cache miss, or `no ip route-cache`), + PATH_*.
export const C_SWITCHED: u32 = 58;
export const C_NAT_IN: u32 = 61; // outside → inside packets translated
export const C_NAT_OUT: u32 = 62; // inside → outside packets translated
export const C_BRIDGED: u32 = 63; // frames bridged to a port (received, or routed out of a BVI)
export const COUNTERS: u32 = 64;

// Per-interface counters (u64 each, IF_COUNTERS per interface).
export const IC_PACKETS_IN: u32 = 0;
export const IC_BYTES_IN: u32 = 1;
export const IC_PACKETS_OUT: u32 = 2;
export const IC_BYTES_OUT: u32 = 3;
export const IC_DROPS_IN: u32 = 4;
export const IC_PUNTED: u32 = 5;
export const IC_QUEUED: u32 = 6;
export const IC_ARP_OUT: u32 = 7;
export const IC_ICMP_OUT: u32 = 8;
export const IC_REASONS: u32 = 16; // + reason: drops and punts by the packet's input interface
// `show interfaces stats` by switching path: IC_SWITCHING + PATH_* × 4 + (0 packets in, 1 bytes
// in on the input interface; 2 packets out, 3 bytes out on the egress interface).
export const IC_SWITCHING: u32 = 48;
export const IF_COUNTERS: u32 = 64;

/** Switching paths. */
export const PATH_CEF: u32 = 0;
export const PATH_FAST: u32 = 1;
export const PATH_PROCESS: u32 = 2;

// Interface record.
export const IF_BYTES: usize = 48;
export const IF_MAC: usize = 0; // u64, first octet in bits 40..47
export const IF_ADDRESS: usize = 8; // u32 primary IPv4 address (ICMP source), 0 = none
export const IF_FLAGS: usize = 12; // u32
export const IF_ACL_IN: usize = 16; // u32: access list index + 1, 0 = none
export const IF_ACL_OUT: usize = 20;
export const IF_ADDRESS6: usize = 24; // 16 bytes in wire order; all 0 = none
export const IF_BVI_GROUP: usize = 40; // u32: the bridge group of a BVI interface (routed out of it), 0 = not a BVI
export const IF_BVI: usize = 44; // u32: on a bridged port, its group's BVI interface + 1 (routed frames), 0 = none
export const IF_FLOW_EGRESS: u32 = 1;
export const IF_URPF_RX: u32 = 2;
export const IF_URPF_ANY: u32 = 4;
export const IF_HAS_ADDRESS6: u32 = 8;
export const IF_CONFIGURED: u32 = 16;
/** `no ip route-cache cef` (with `ip route-cache`): IPv4 is fast switched through the route cache. */
export const IF_FAST_SWITCHING: u32 = 32;
/** `no ip route-cache`: every IPv4 packet is process switched. */
export const IF_PROCESS_SWITCHING: u32 = 64;

// Adjacency rewrite record, by FIB adjacency id.
export const ADJ_BYTES: usize = 16;
export const ADJ_IFACE: usize = 0; // u32, NO_IFACE = not set
export const ADJ_NEXT_HOP: usize = 4; // u32 IPv4 next hop; 0 = attached (ARP for the destination)
export const ADJ_MAC: usize = 8; // u64: bit 63 set = a fixed MAC (no ARP), low 48 bits the MAC
export const ADJ_FIXED_MAC: u64 = 0x8000000000000000;
export const NO_IFACE: u32 = 0xffffffff;

// A frame held while ARP resolves its next hop, by global ARP handle.
export const HOLD_META_BYTES: usize = 24;
export const HOLD_LENGTH: usize = 0; // u32 captured bytes held (0 = slot empty)
export const HOLD_IN_IFACE: usize = 4; // u32
export const HOLD_OUT_IFACE: usize = 8; // u32
export const HOLD_L3: usize = 12; // u32 offset of the IP header in the held frame
export const HOLD_WIRE: usize = 16; // u32 wire length
export const HOLD_PATH: usize = 21; // u8 switching path (after HOLD_ELIGIBLE's byte)

// Output records: header then the frame, padded to 8 bytes.
export const OUT_HEADER_BYTES: usize = 24;
export const OUT_IFACE: usize = 0; // u32
export const OUT_LENGTH: usize = 4; // u32
export const OUT_KIND: usize = 8; // u8
export const OUT_DETAIL: usize = 9; // u8: ICMP type, or 0
export const OUT_AFTER: usize = 12; // u32: index of the batch packet it follows (0xffffffff: before the first)
export const OUT_TIME: usize = 16; // f64
export const OUT_KIND_RELEASED: u8 = 0;
export const OUT_KIND_ARP_REQUEST: u8 = 1;
export const OUT_KIND_ARP_REPLY: u8 = 2;
export const OUT_KIND_ICMP: u8 = 3;

// Access-list entries: ACE_WORDS u32 each.
export const ACE_WORDS: u32 = 16;
export const ACE_ACTION: u32 = 0; // 1 permit, 0 deny
export const ACE_FLAGS: u32 = 1;
export const ACE_PROTOCOL: u32 = 2; // 0..255, ACE_ANY_PROTOCOL for "ip"
export const ACE_SRC: u32 = 3;
export const ACE_SRC_WILD: u32 = 4;
export const ACE_DST: u32 = 5;
export const ACE_DST_WILD: u32 = 6;
export const ACE_SRC_OP: u32 = 7;
export const ACE_SRC_LOW: u32 = 8;
export const ACE_SRC_HIGH: u32 = 9;
export const ACE_DST_OP: u32 = 10;
export const ACE_DST_LOW: u32 = 11;
export const ACE_DST_HIGH: u32 = 12;
export const ACE_ICMP_TYPE: u32 = 13; // ACE_ANY for none
export const ACE_ICMP_CODE: u32 = 14;
export const ACE_ANY_PROTOCOL: u32 = 256;
export const ACE_ANY: u32 = 0xffffffff;
export const ACE_FLAG_LOG: u32 = 1;
export const ACE_FLAG_ESTABLISHED: u32 = 2;
export const PORT_ANY: u32 = 0;
export const PORT_EQ: u32 = 1;
export const PORT_NEQ: u32 = 2;
export const PORT_LT: u32 = 3;
export const PORT_GT: u32 = 4;
export const PORT_RANGE: u32 = 5;

@unmanaged export class Pipeline {
  // Component slots (0 = off).
  fib: usize;
  arp: usize;
  flow: usize;
  selector: usize;
  routeCache: usize;
  accounting: usize;
  nat: usize;
  bridge: usize;
  interfaceCount: u32;
  maxBatch: u32;
  interfaces: usize;
  adjCapacity: u32;
  adjacencies: usize;
  verdicts: usize;
  reasons: usize;
  egress: usize;
  nextHopMacs: usize;
  handles: usize;
  flowSelection: usize;
  /** The FIB's adjacency for each packet's destination, looked up for the whole batch first. */
  destinationAdjacencies: usize;
  /** The ARP index home of each packet's sighting (forward.ts prepareSightings), then 8 bytes of sink. */
  sightingHomes: usize;
  selectedIndices: usize;
  selectedSlots: usize;
  counters: usize;
  ifCounters: usize;
  // Access lists: a directory of (first entry, entry count) pairs, the entries, their counters.
  aclCount: u32;
  aceCount: u32;
  aclDirectory: usize;
  aces: usize;
  aceMatches: usize;
  aclImplicitDenies: usize;
  // Frames held for ARP: one slot per ARP handle.
  holdSlots: u32;
  holdSlotBytes: u32;
  hold: usize;
  holdMeta: usize;
  // The output area.
  out: usize;
  outCapacity: u32;
  outUsed: u32;
  outRecords: u32;
  // ICMP error rate limit: a token bucket in thousandths of a token.
  icmpRate: i64;
  icmpBurst: i64;
  icmpTokens: i64;
  icmpAt: i64;
  icmpId: u32;
  tickInterval: f64;
  nextTick: f64;
  lastTime: f64;
  /** Scratch for one IPv6 address (16 bytes) and ARP drains. */
  scratch: usize;
  // The packet being switched (pipeline/switching.ts): its path, the route cache entry it hit,
  // and a miss waiting for its outcome (destination, adjacency, time).
  swPath: u32;
  swEntry: u32;
  swPending: u32;
  swDst: u32;
  swAdj: u32;
  swTime: f64;
  /** The ARP table's change counters when the route cache was last checked against it. */
  arpSignature: u64;
  /** Where next hops were found in the ARP index (pipeline/arp-hit.ts). */
  arpMemo: usize;
}
