// The bridge table's state and record layouts (IOS transparent bridging as IRB uses it: seed
// 000 "IRB / HyBridge Input", spec §1.11). Stations are learned per bridge group into one
// fixed pool with one keyed index; each group keeps its stations in one list in expiry order
// (a group has one aging time and time only moves forward), so aging looks at list heads only.

import { Budget } from "../common/budget";

export const NIL: u32 = 0xffffffff;
/** Bridge groups 1 .. 255 (IOS `bridge N`); 0 is "not bridged". */
export const MAX_GROUPS: u32 = 256;
/** Interface ids the port table covers (the batch's `interface` column). */
export const MAX_INTERFACES: u32 = 4096;

// Station record (48 bytes).
export const S_BYTES: usize = 48;
export const S_MAC: usize = 0; // u64, wire-order bytes in the low 48 bits
export const S_EXPIRES: usize = 8; // i64
export const S_LAST_SEEN: usize = 16; // i64
export const S_PORT: usize = 24; // u32 interface id
export const S_GROUP: usize = 28; // u16
export const S_FLAGS: usize = 30; // u8
export const S_PREV: usize = 32; // u32 group list
export const S_NEXT: usize = 36; // u32 group list (free list link)
export const S_RX: usize = 40; // u32 frames received from the station
export const S_TX: usize = 44; // u32 frames forwarded to it
export const FLAG_LIVE: u8 = 1;

// Group record (32 bytes).
export const G_BYTES: usize = 32;
export const G_AGING: usize = 0; // i64 ms
export const G_BVI_MAC: usize = 8; // u64
export const G_HEAD: usize = 16; // u32
export const G_TAIL: usize = 20; // u32
export const G_STATIONS: usize = 24; // u32
export const G_FLAGS: usize = 28; // u8: 1 configured, 2 has a BVI

// Verdicts (mirrored in src/bridge/types.ts).
export const VERDICT_NOT_BRIDGED: u8 = 0;
export const VERDICT_FORWARD: u8 = 1;
export const VERDICT_FILTER: u8 = 2;
export const VERDICT_FLOOD_UNKNOWN: u8 = 3;
export const VERDICT_FLOOD_BROADCAST: u8 = 4;
export const VERDICT_FLOOD_MULTICAST: u8 = 5;
export const VERDICT_ROUTE: u8 = 6;
export const VERDICT_SKIPPED: u8 = 7;
/** Routed traffic out of the BVI to a station the group does not know: flooded, process switched. */
export const VERDICT_FLOOD_ROUTED: u8 = 8;

// Counter slots per group (u64).
export const C_FRAMES: u32 = 0;
export const C_LEARNED: u32 = 1;
export const C_REFRESHED: u32 = 2;
export const C_MOVED: u32 = 3;
export const C_AGED: u32 = 4;
export const C_LEARN_REFUSED: u32 = 5;
export const C_SOURCE_NOT_LEARNED: u32 = 6;
export const C_FORWARDED: u32 = 7;
export const C_FILTERED: u32 = 8;
export const C_FLOODED_UNKNOWN: u32 = 9;
export const C_FLOODED_BROADCAST: u32 = 10;
export const C_FLOODED_MULTICAST: u32 = 11;
export const C_ROUTED: u32 = 12;
export const C_ROUTED_FORWARDED: u32 = 13;
export const C_ROUTED_FLOODED: u32 = 14;
export const C_PROCESS_SWITCHED: u32 = 15;
export const C_NOT_BRIDGED: u32 = 16;
export const C_SKIPPED: u32 = 17;
export const C_CLEARED: u32 = 18;
export const COUNTERS: u32 = 20;

@unmanaged export class BridgeState {
  budget: Budget;
  k0: u64;
  k1: u64;
  lastNow: i64;
  capacity: u32;
  agerWork: u32;
  live: u32;
  freeHead: u32;
  indexMask: u32;
  longestProbe: u32;
  clockBackwards: u32;
  stations: usize;
  index: usize;
  groups: usize;
  /** u16 group per interface id (0: not in a bridge group). */
  ports: usize;
  /** COUNTERS u64 per group (slot 0: frames on interfaces in no group). */
  counters: usize;
  /** The output port (or the group) of the last row verdict (read with bridgeResultPort). */
  resultPort: u32;
}
