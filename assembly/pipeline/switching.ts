// The switching step of the pipeline, per input interface as IOS configures it:
//
// * CEF (`ip route-cache cef`, the default): the FIB lookup;
// * fast switching (`no ip route-cache cef`, `ip route-cache`): the route cache first. A hit
//   is fast switched with the entry's rewrite (no FIB lookup, no ARP); a miss is process
//   switched — the FIB lookup and ARP of the CEF path — and, when the packet is forwarded out
//   of an interface that has `ip route-cache` on (as IOS requires of the outgoing interface),
//   the entry is built from what the slow path found (route-cache/switching.ts: pipelineFill);
// * process switching (`no ip route-cache`): the FIB lookup, every packet counted as process
//   switched.
//
// IPv6 is CEF switched (`ip route-cache` is IPv4). The route cache's timers (ager,
// invalidation) run on the ARP timers' packet-time grid (forward.ts: tickAt). Before a lookup,
// the route cache is checked against ARP: when the ARP table's change counters moved (an entry
// expired, was evicted, cleared, replaced, or its MAC moved), every entry whose rewrite came
// from ARP is checked against the table and invalidated when its MAC is no longer there.

import { ArpTableState, KIND_PRESENT, KIND_SHIFT, SLOT_MASK, P_MAC, C_PRESENT_EXPIRED, C_PRESENT_EVICTED, C_MAC_MOVED, C_CLEARED, C_STATIC_ADDED, C_STATIC_REMOVED } from "../arp/state";
import { indexGet } from "../arp/index-table";
import { presentRecord, ifaceOf } from "../arp/pools";
import { RouteCache, OFF_NEXT, OFF_NEXT_HOP, OFF_INTERFACE, OFF_ADJACENCY, OFF_HEADER_BYTES } from "../route-cache/state";
import { entryAt, removeEntry } from "../route-cache/table";
import { advance } from "../route-cache/timers";
import {
  pipelineLookup, pipelineMissed, pipelineFill, entryAdjacency, entryDstMac, MISS_NO_ROUTE, MISS_UNRESOLVED, MISS_UNCACHEABLE,
} from "../route-cache/switching";
import {
  Pipeline, IF_BYTES, IF_MAC, IF_FLAGS, IF_FAST_SWITCHING, IF_PROCESS_SWITCHING, ADJ_BYTES, ADJ_IFACE, ADJ_NEXT_HOP, ADJ_MAC, ADJ_FIXED_MAC,
  PATH_CEF, PATH_FAST, PATH_PROCESS, C_SWITCHED, IC_SWITCHING, VERDICT_FORWARDED, VERDICT_QUEUED, REASON_NO_ROUTE,
  REASON_ARP_NEXIST, REASON_ARP_RATE_LIMITED, REASON_ARP_QUEUE_FULL, REASON_ARP_INCOMPLETE_FULL, REASON_ARP_BAD_TARGET,
} from "./state";
import { counterAdd, ifCounterAdd } from "./output";

// @ts-ignore: decorator
@inline function countPath(p: Pipeline, iface: u32, path: u32, wire: u32): void {
  p.swPath = path;
  counterAdd(p, C_SWITCHED + path, 1);
  ifCounterAdd(p, iface, IC_SWITCHING + (path << 2), 1);
  ifCounterAdd(p, iface, IC_SWITCHING + (path << 2) + 1, <u64>wire);
}

/**
 * Switches an IPv4 packet to `dst` that came in on `iface` (IF_ `flags`), given `fibAdj`, the
 * FIB's answer for `dst` (the CEF lookup, however the caller made it): the adjacency it leaves
 * by (0: no route) — a route-cache hit's own on a fast-switched interface.
 */
export function switch4(p: Pipeline, iface: u32, flags: u32, dst: u32, fibAdj: u32, wire: u32, time: f64): u32 {
  p.swEntry = 0;
  if ((flags & IF_FAST_SWITCHING) != 0 && p.routeCache != 0) {
    const cache = changetype<RouteCache>(p.routeCache);
    if (!cache.started) advance(cache, time);
    if (p.arp != 0) checkArp(p, cache);
    const e = pipelineLookup(cache, dst);
    if (e != 0) {
      p.swEntry = e;
      countPath(p, iface, PATH_FAST, wire);
      return entryAdjacency(cache, e);
    }
    // A miss: the slow path's FIB lookup.
    p.swPending = 1;
    p.swDst = dst;
    p.swAdj = fibAdj;
    p.swTime = time;
    countPath(p, iface, PATH_PROCESS, wire);
    return fibAdj;
  }
  countPath(p, iface, (flags & (IF_PROCESS_SWITCHING | IF_FAST_SWITCHING)) != 0 ? PATH_PROCESS : PATH_CEF, wire);
  return fibAdj;
}

/** Switches an IPv6 packet (CEF), given the FIB's answer `fibAdj`. */
export function switch6(p: Pipeline, iface: u32, fibAdj: u32, wire: u32): u32 {
  p.swEntry = 0;
  countPath(p, iface, PATH_CEF, wire);
  return fibAdj;
}

/** The next hop's MAC of a fast-switched packet, as a fixed rewrite (ADJ_FIXED_MAC set). */
// @ts-ignore: decorator
@inline export function cachedMac(p: Pipeline): u64 {
  return entryDstMac(changetype<RouteCache>(p.routeCache), p.swEntry) | ADJ_FIXED_MAC;
}

/** Counts a forwarded packet out of `egress` on its switching path (`show interfaces stats`). */
// @ts-ignore: decorator
@inline export function countOut(p: Pipeline, egress: u32, path: u32, wire: u32): void {
  ifCounterAdd(p, egress, IC_SWITCHING + (path << 2) + 2, 1);
  ifCounterAdd(p, egress, IC_SWITCHING + (path << 2) + 3, <u64>wire);
}

/**
 * What became of a process-switched miss (called by `finish`): a forwarded packet leaves its
 * entry in the route cache (`i` is its batch index: egress and MAC are in the columns); any
 * other outcome is counted by why no entry was built.
 */
export function settleMiss(p: Pipeline, i: u32, verdict: u8, reason: u8): void {
  p.swPending = 0;
  const cache = changetype<RouteCache>(p.routeCache);
  if (verdict == VERDICT_FORWARDED) {
    const a = p.adjacencies + <usize>p.swAdj * ADJ_BYTES;
    const egress = load<u32>(a + ADJ_IFACE);
    const nextHop = load<u32>(a + ADJ_NEXT_HOP);
    const fixed = (load<u64>(a + ADJ_MAC) & ADJ_FIXED_MAC) != 0;
    // IOS builds entries for packets out of interfaces with `ip route-cache` on only.
    if ((load<u32>(p.interfaces + <usize>egress * IF_BYTES + IF_FLAGS) & IF_PROCESS_SWITCHING) != 0) {
      pipelineMissed(cache, MISS_UNCACHEABLE);
      return;
    }
    // Resolved with ARP for the destination itself: one entry per host (its own MAC).
    const host = nextHop == 0 && !fixed;
    pipelineFill(
      cache, p.swDst, p.swTime, p.swAdj, egress, host ? p.swDst : nextHop, load<u64>(p.nextHopMacs + (<usize>i << 3)),
      load<u64>(p.interfaces + <usize>egress * IF_BYTES + IF_MAC), host,
    );
    return;
  }
  let outcome = MISS_UNCACHEABLE;
  if (reason == REASON_NO_ROUTE) outcome = MISS_NO_ROUTE;
  else if (
    verdict == VERDICT_QUEUED || reason == REASON_ARP_NEXIST || reason == REASON_ARP_RATE_LIMITED || reason == REASON_ARP_QUEUE_FULL
    || reason == REASON_ARP_INCOMPLETE_FULL || reason == REASON_ARP_BAD_TARGET
  ) outcome = MISS_UNRESOLVED;
  pipelineMissed(cache, outcome);
}

/** Runs the route cache's timers at `time` (a grid tick). */
export function tickRouteCache(p: Pipeline, time: f64): void {
  advance(changetype<RouteCache>(p.routeCache), time);
}

// ---------------------------------------------------------------------------------------------
// ARP changes

/** The ARP table's counters of changes to resolved entries, summed over its interfaces. */
function arpSignature(table: ArpTableState): u64 {
  let sum: u64 = 0;
  for (let i: u32 = 0; i < table.count; i++) {
    const c = ifaceOf(table, i).counters;
    sum += load<u64>(c + (<usize>C_PRESENT_EXPIRED << 3)) + load<u64>(c + (<usize>C_PRESENT_EVICTED << 3))
      + load<u64>(c + (<usize>C_MAC_MOVED << 3)) + load<u64>(c + (<usize>C_CLEARED << 3))
      + load<u64>(c + (<usize>C_STATIC_ADDED << 3)) + load<u64>(c + (<usize>C_STATIC_REMOVED << 3));
  }
  return sum;
}

/** The MAC ARP holds for `ip` on interface `ifIndex` (PRESENT or STATIC), or NO_MAC. */
function arpMac(table: ArpTableState, ifIndex: u32, ip: u32): u64 {
  if (ifIndex >= table.count) return NO_MAC;
  const f = ifaceOf(table, ifIndex);
  const ref = indexGet(table, f, ip);
  if (ref >>> KIND_SHIFT != KIND_PRESENT) return NO_MAC;
  return load<u64>(presentRecord(f, ref & SLOT_MASK) + P_MAC);
}

const NO_MAC: u64 = 0xffffffffffffffff;

/** Invalidates the entries whose ARP rewrite changed since the last check (counted as ARP invalidations). */
function checkArp(p: Pipeline, cache: RouteCache): void {
  const table = changetype<ArpTableState>(p.arp);
  const signature = arpSignature(table);
  if (signature == p.arpSignature) return;
  p.arpSignature = signature;
  let e = cache.head;
  while (e != 0) {
    const entry = entryAt(cache, e - 1);
    const next = load<u32>(entry, OFF_NEXT);
    const adj = load<u32>(entry, OFF_ADJACENCY);
    const fixed = adj < p.adjCapacity && (load<u64>(p.adjacencies + <usize>adj * ADJ_BYTES + ADJ_MAC) & ADJ_FIXED_MAC) != 0;
    if (!fixed && load<u8>(entry, OFF_HEADER_BYTES) == 14) {
      const mac = arpMac(table, <u32>load<u16>(entry, OFF_INTERFACE), load<u32>(entry, OFF_NEXT_HOP));
      if (mac != entryDstMac(cache, e)) {
        removeEntry(cache, e);
        cache.counters.arpInvalidated++;
        cache.counters.invalidates++;
      }
    }
    e = next;
  }
}
