// Transparent bridging as IRB uses it (Cisco IOS `bridge N protocol ieee`, `bridge-group N`,
// `bridge irb`, `interface BVI N`; seed 000 "IRB / HyBridge Input", spec §1.11): MAC learning
// per bridge group with `bridge N aging-time` (default 300 s), flooding of unknown unicast,
// broadcast and multicast to the group's ports, the BVI as the group's routed port. Routed
// traffic sent out of the BVI to a station the group no longer knows (its ARP entry, 4 h,
// outliving its bridge entry, 5 min) is flooded and process switched: the seed's interaction.
//
// Pipeline hook: `bridgeInputRow(table, batch, i, now)` for frames received on bridged
// interfaces (verdict returned, output port or group in `bridgeResultPort(table)`), and
// `bridgeRouteRow(table, batch, i, group, now)` for routed frames leaving through BVI `group`
// (their dstMac column holds the next hop's MAC from ARP).

import { budgetCreate, budgetAlloc, budgetFree } from "./common/budget";
import { splitMix64 } from "./common/prng";
import { clockMs, clockSteppedBack } from "./common/clock";
import { PacketBatch } from "./packet/batch";
import {
  BridgeState, NIL, S_BYTES, S_NEXT, S_FLAGS, S_TX, S_PORT, FLAG_LIVE, G_BYTES, G_AGING, G_BVI_MAC, G_HEAD, G_TAIL,
  G_FLAGS, MAX_GROUPS, MAX_INTERFACES, COUNTERS, VERDICT_NOT_BRIDGED, VERDICT_FORWARD, VERDICT_FILTER,
  VERDICT_FLOOD_UNKNOWN, VERDICT_FLOOD_BROADCAST, VERDICT_FLOOD_MULTICAST, VERDICT_ROUTE, VERDICT_SKIPPED,
  VERDICT_FLOOD_ROUTED, C_FRAMES, C_SOURCE_NOT_LEARNED, C_FORWARDED, C_FILTERED, C_FLOODED_UNKNOWN,
  C_FLOODED_BROADCAST, C_FLOODED_MULTICAST, C_ROUTED, C_ROUTED_FORWARDED, C_ROUTED_FLOODED, C_PROCESS_SWITCHED,
  C_NOT_BRIDGED, C_SKIPPED, C_CLEARED,
} from "./bridge/state";
import { station, group, count, find, alive, learn, age, removeStation } from "./bridge/table";

const BROADCAST: u64 = 0xffffffffffff;
const LINK_ETHERNET: u32 = 1;

/** The output port (or the group, for floods and routes) of the table's last row verdict. */
export function bridgeResultPort(t: BridgeState): u32 {
  return t.resultPort;
}

// @ts-ignore: decorator
@inline function indexSlots(capacity: u32): u32 {
  let slots: u32 = 16;
  while (slots < capacity * 2) slots <<= 1;
  return slots;
}

/** Bytes a table of `capacity` stations allocates. */
export function bridgeBytes(capacity: u32): f64 {
  return <f64>(<u64>capacity * S_BYTES + (<u64>indexSlots(capacity) << 3) + <u64>MAX_GROUPS * G_BYTES
    + (<u64>MAX_INTERFACES << 1) + (<u64>MAX_GROUPS * COUNTERS << 3) + offsetof<BridgeState>() + 256);
}

/** A table of `capacity` stations keyed by the 64-bit seed; 0 when `limitBytes` cannot hold it. */
export function bridgeCreate(capacity: u32, agerWork: u32, seedLow: u32, seedHigh: u32, limitBytes: f64): usize {
  const budget = budgetCreate(<u64>limitBytes);
  const t = changetype<BridgeState>(heap.alloc(offsetof<BridgeState>()));
  memory.fill(changetype<usize>(t), 0, offsetof<BridgeState>());
  const seed = ((<u64>seedHigh) << 32) | seedLow;
  t.budget = budget;
  t.k0 = splitMix64(seed);
  t.k1 = splitMix64(seed + 0x9e3779b97f4a7c15);
  t.capacity = capacity;
  t.agerWork = agerWork;
  const slots = indexSlots(capacity);
  t.indexMask = slots - 1;
  t.stations = budgetAlloc(budget, <usize>capacity * S_BYTES);
  t.index = budgetAlloc(budget, <usize>slots << 3);
  t.groups = budgetAlloc(budget, <usize>MAX_GROUPS * G_BYTES);
  t.ports = budgetAlloc(budget, <usize>MAX_INTERFACES << 1);
  t.counters = budgetAlloc(budget, <usize>MAX_GROUPS * COUNTERS << 3);
  if (!t.stations || !t.index || !t.groups || !t.ports || !t.counters) {
    bridgeFree(t);
    return 0;
  }
  for (let s: u32 = 0; s < capacity; s++) store<u32>(station(t, s) + S_NEXT, s + 1 < capacity ? s + 1 : NIL);
  t.freeHead = capacity > 0 ? 0 : NIL;
  for (let g: u32 = 0; g < MAX_GROUPS; g++) {
    const gp = group(t, g);
    store<i64>(gp + G_AGING, 300000);
    store<u32>(gp + G_HEAD, NIL);
    store<u32>(gp + G_TAIL, NIL);
  }
  return changetype<usize>(t);
}

/** Frees a table made by bridgeCreate. */
export function bridgeFree(t: BridgeState): void {
  const b = t.budget;
  const slots = <usize>t.indexMask + 1;
  budgetFree(b, t.stations, <usize>t.capacity * S_BYTES);
  budgetFree(b, t.index, slots << 3);
  budgetFree(b, t.groups, <usize>MAX_GROUPS * G_BYTES);
  budgetFree(b, t.ports, <usize>MAX_INTERFACES << 1);
  budgetFree(b, t.counters, <usize>MAX_GROUPS * COUNTERS << 3);
  heap.free(changetype<usize>(b));
  heap.free(changetype<usize>(t));
}

/** `bridge N protocol ieee` + `bridge N aging-time`, and the BVI's MAC when `interface BVI N` exists (with `bridge irb`). */
export function bridgeSetGroup(t: BridgeState, g: u32, agingMs: f64, bviMacHigh: u32, bviMacLow: u32, hasBvi: u32): void {
  if (g == 0 || g >= MAX_GROUPS) return;
  const gp = group(t, g);
  store<i64>(gp + G_AGING, <i64>agingMs);
  store<u64>(gp + G_BVI_MAC, ((<u64>bviMacHigh) << 32) | <u64>bviMacLow);
  store<u8>(gp + G_FLAGS, <u8>(1 | (hasBvi ? 2 : 0)));
}

/** `bridge-group N` on interface id `iface` (0: none); false when out of range. */
export function bridgeSetPort(t: BridgeState, iface: u32, g: u32): bool {
  if (iface >= MAX_INTERFACES || g >= MAX_GROUPS) return false;
  store<u16>(t.ports + (<usize>iface << 1), <u16>g);
  return true;
}

function timeOf(t: BridgeState, now: f64): i64 {
  const ms = clockMs(now, t.lastNow);
  if (clockSteppedBack) t.clockBackwards++;
  t.lastNow = ms;
  return ms;
}

/** One received frame: learn its source, decide where it goes. */
function inputRow(t: BridgeState, b: PacketBatch, i: u32, now: i64): u8 {
  const k = <usize>i;
  const iface = load<u32>(b.iface + (k << 2));
  const g = iface < MAX_INTERFACES ? <u32>load<u16>(t.ports + (<usize>iface << 1)) : 0;
  if (g == 0) {
    count(t, 0, C_NOT_BRIDGED);
    return VERDICT_NOT_BRIDGED;
  }
  const status = <u32>load<u8>(b.status + k);
  const link = <u32>load<u16>(b.linkType + (k << 1));
  // The MACs are known unless the Ethernet header itself was cut off or out of bounds.
  if (link != LINK_ETHERNET || status == 32 || status == 33 || status == 50) {
    count(t, g, C_SKIPPED);
    return VERDICT_SKIPPED;
  }
  count(t, g, C_FRAMES);
  const gp = group(t, g);
  const bvi = (load<u8>(gp + G_FLAGS) & 2) != 0;
  const bviMac = load<u64>(gp + G_BVI_MAC);
  const src = load<u64>(b.srcMac + (k << 3));
  const dst = load<u64>(b.dstMac + (k << 3));
  if ((src & 1) == 0 && src != 0 && !(bvi && src == bviMac)) learn(t, g, src, iface, now);
  else count(t, g, C_SOURCE_NOT_LEARNED);
  t.resultPort = g;
  if (dst == BROADCAST) {
    count(t, g, C_FLOODED_BROADCAST);
    count(t, g, C_PROCESS_SWITCHED);
    return VERDICT_FLOOD_BROADCAST;
  }
  if (dst & 1) {
    count(t, g, C_FLOODED_MULTICAST);
    count(t, g, C_PROCESS_SWITCHED);
    return VERDICT_FLOOD_MULTICAST;
  }
  if (bvi && dst == bviMac) {
    count(t, g, C_ROUTED);
    return VERDICT_ROUTE;
  }
  const s = alive(t, find(t, g, dst), now);
  if (s == NIL) {
    count(t, g, C_FLOODED_UNKNOWN);
    count(t, g, C_PROCESS_SWITCHED);
    return VERDICT_FLOOD_UNKNOWN;
  }
  const p = station(t, s);
  const port = load<u32>(p + S_PORT);
  if (port == iface) {
    count(t, g, C_FILTERED);
    return VERDICT_FILTER;
  }
  store<u32>(p + S_TX, load<u32>(p + S_TX) + 1);
  t.resultPort = port;
  count(t, g, C_FORWARDED);
  return VERDICT_FORWARD;
}

/**
 * Frames [from, from + count) received at `now`: one verdict byte each at `verdicts`, and at
 * `ports` (when not 0) one u32 each: the output interface (forward) or the group (floods, route).
 * Returns the frames forwarded.
 */
export function bridgeInputBatch(t: BridgeState, b: PacketBatch, from: u32, n: u32, now: f64, verdicts: usize, ports: usize): u32 {
  const ms = timeOf(t, now);
  const end = from + n < b.count ? from + n : b.count;
  let forwarded: u32 = 0;
  for (let i = from; i < end; i++) {
    t.resultPort = 0;
    const verdict = inputRow(t, b, i, ms);
    store<u8>(verdicts + <usize>(i - from), verdict);
    if (ports != 0) store<u32>(ports + (<usize>(i - from) << 2), t.resultPort);
    if (verdict == VERDICT_FORWARD) forwarded++;
  }
  return forwarded;
}

/** One received frame (the pipeline's stage); the port is in `bridgeResultPort(table)`. */
export function bridgeInputRow(t: BridgeState, b: PacketBatch, i: u32, now: f64): u32 {
  t.resultPort = 0;
  if (i >= b.count) return VERDICT_SKIPPED;
  return inputRow(t, b, i, timeOf(t, now));
}

/** A routed frame out of BVI `g` to next-hop MAC `mac`: forwarded to its port, or flooded (process switched). */
function routeOne(t: BridgeState, g: u32, mac: u64, now: i64): u8 {
  t.resultPort = 0;
  if (g == 0 || g >= MAX_GROUPS || (load<u8>(group(t, g) + G_FLAGS) & 2) == 0) {
    count(t, 0, C_NOT_BRIDGED);
    return VERDICT_NOT_BRIDGED;
  }
  t.resultPort = g;
  const s = (mac & 1) ? NIL : alive(t, find(t, g, mac), now);
  if (s == NIL) {
    count(t, g, C_ROUTED_FLOODED);
    count(t, g, C_PROCESS_SWITCHED);
    return VERDICT_FLOOD_ROUTED;
  }
  const p = station(t, s);
  store<u32>(p + S_TX, load<u32>(p + S_TX) + 1);
  t.resultPort = load<u32>(p + S_PORT);
  count(t, g, C_ROUTED_FORWARDED);
  return VERDICT_FORWARD;
}

/** routeOne for `count` MACs (u64 each, wire-order bytes in the low 48 bits) at `macs`. */
export function bridgeRouteBatch(t: BridgeState, g: u32, macs: usize, n: u32, now: f64, verdicts: usize, ports: usize): u32 {
  const ms = timeOf(t, now);
  let forwarded: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const verdict = routeOne(t, g, load<u64>(macs + (<usize>i << 3)), ms);
    store<u8>(verdicts + <usize>i, verdict);
    if (ports != 0) store<u32>(ports + (<usize>i << 2), t.resultPort);
    if (verdict == VERDICT_FORWARD) forwarded++;
  }
  return forwarded;
}

/** One routed frame to `mac` (high 16 and low 32 bits of the column value). */
export function bridgeRouteOne(t: BridgeState, g: u32, macHigh: u32, macLow: u32, now: f64): u32 {
  return routeOne(t, g, ((<u64>macHigh) << 32) | <u64>macLow, timeOf(t, now));
}

/** Row `i` of a batch routed out of BVI `g`: its dstMac column holds the next hop's MAC. */
export function bridgeRouteRow(t: BridgeState, b: PacketBatch, i: u32, g: u32, now: f64): u32 {
  if (i >= b.count) return VERDICT_SKIPPED;
  return routeOne(t, g, load<u64>(b.dstMac + (<usize>i << 3)), timeOf(t, now));
}

/** Runs the ager at `now`; returns the stations removed (at most agerWork). */
export function bridgeAge(t: BridgeState, now: f64): u32 {
  return age(t, timeOf(t, now));
}

/** `clear bridge [N]`: removes the learned stations of group `g` (0: every group). */
export function bridgeClear(t: BridgeState, g: u32): u32 {
  let removed: u32 = 0;
  for (let k: u32 = 1; k < MAX_GROUPS; k++) {
    if (g != 0 && k != g) continue;
    const gp = group(t, k);
    for (let s = load<u32>(gp + G_HEAD); s != NIL; s = load<u32>(gp + G_HEAD)) {
      removeStation(t, s);
      count(t, k, C_CLEARED);
      removed++;
    }
  }
  return removed;
}

/** Pointer to group `g`'s COUNTERS u64 slots. */
export function bridgeCounters(t: BridgeState, g: u32): usize {
  const group: u32 = g < MAX_GROUPS ? g : 0;
  return t.counters + ((<usize>group * <usize>COUNTERS) << 3);
}

/** Stations, capacity, longest probe, clock steps back, last time (f64 words at `out`). */
export function bridgeOccupancy(t: BridgeState, out: usize): void {
  store<f64>(out, <f64>t.live);
  store<f64>(out, <f64>t.capacity, 8);
  store<f64>(out, <f64>t.longestProbe, 16);
  store<f64>(out, <f64>t.clockBackwards, 24);
  store<f64>(out, <f64>t.lastNow, 32);
}

/** The next live station at or after slot `cursor`, or NIL. */
export function bridgeEntryNext(t: BridgeState, cursor: u32): u32 {
  for (let s = cursor; s < t.capacity; s++) if (load<u8>(station(t, s) + S_FLAGS) & FLAG_LIVE) return s;
  return NIL;
}

/** Pointer to station `s`'s record (S_* in bridge/state.ts). */
export function bridgeEntry(t: BridgeState, s: u32): usize {
  return station(t, s);
}

export {
  VERDICT_NOT_BRIDGED as BRIDGE_VERDICT_NOT_BRIDGED, VERDICT_FORWARD as BRIDGE_VERDICT_FORWARD,
  VERDICT_FILTER as BRIDGE_VERDICT_FILTER, VERDICT_FLOOD_UNKNOWN as BRIDGE_VERDICT_FLOOD_UNKNOWN,
  VERDICT_FLOOD_BROADCAST as BRIDGE_VERDICT_FLOOD_BROADCAST, VERDICT_FLOOD_MULTICAST as BRIDGE_VERDICT_FLOOD_MULTICAST,
  VERDICT_ROUTE as BRIDGE_VERDICT_ROUTE, VERDICT_SKIPPED as BRIDGE_VERDICT_SKIPPED,
  VERDICT_FLOOD_ROUTED as BRIDGE_VERDICT_FLOOD_ROUTED,
};
