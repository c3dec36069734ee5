// One batch through the router: the stages in order, over the batch's columns in place.
//
//   1. parse (optional: readers hand out parsed batches)
//   2. packet selector (input filters, samplers) and ingress flow accounting, over the batch
//   3. per packet, in arrival order (ARP state and the ICMP bucket are sequential):
//      ARP timers on a fixed time grid → parse verdict (malformed, not IP, ARP → ARP table)
//      → interface → IPv4 header checksum → evidence of life for ARP → input ACL → uRPF
//      → [IP accounting slot] → switching (switching.ts: CEF, route cache, process) → receive / multicast
//      → TTL → adjacency → output ACL → [NAT / bridge slots] → ARP resolution → rewrite
//      NAT (pipeline/nat-stage.ts): outside → inside before the FIB lookup, inside → outside
//      after the output ACL; bridging (pipeline/bridge-stage.ts): at input on bridged ports,
//      and after ARP for packets routed out of a BVI.
//   4. egress flow accounting of the forwarded packets on `ip flow egress` interfaces
//
// Measured hot loop: one pass, columns read with plain loads, no allocation.

import { PacketBatch } from "../packet/batch";
import { parseBatch } from "../packet/parse";
import {
  PACKET_STATUS_FIRST_ERROR, PACKET_STATUS_ARP, PACKET_STATUS_OK, PACKET_STATUS_FRAGMENT,
} from "../packet/status";
import { Fib } from "../fib/state";
import { lookup4, lookup6, lookup4Strided } from "../fib/lookup";
import { ADJ_NULL, ADJ_PUNT, ADJ_DROP, ADJ_GLEAN, ADJ_DISCARD, ADJ_NEIGHBOR } from "../fib";
import { arpResultMacHigh, arpResultMacLow, arpResultHandle, arpReceiveArp, arpTick, arpKindOf } from "../arp";
import {
  VERDICT_FOUND, VERDICT_QUEUED as ARP_QUEUED, VERDICT_NEXIST, VERDICT_RATE, VERDICT_NO_SLOT, VERDICT_QUEUE_FULL,
  VERDICT_BAD_TARGET, VERDICT_ICMP,
} from "../arp/state";
import { prepareSightings, receiveSighting } from "./sightings";
import { cacheUpdate } from "../flow/cache";
import { FlowCache } from "../flow/state";
import { Selector } from "../sampler/selector-state";
import { selectorRunBatch } from "../sampler/selector";
import {
  Pipeline, VERDICT_FORWARDED, VERDICT_QUEUED, VERDICT_PUNTED, VERDICT_DROPPED, REASON_NONE, REASON_NO_ROUTE,
  REASON_TTL_EXPIRED, REASON_NULL_ADJACENCY, REASON_DROP_ADJACENCY, REASON_ARP_NEXIST, REASON_ARP_RATE_LIMITED,
  REASON_ARP_QUEUE_FULL, REASON_MALFORMED, REASON_NOT_IP, REASON_ACL_DENIED, REASON_URPF_FAILED,
  REASON_ARP_INCOMPLETE_FULL, REASON_ARP_BAD_TARGET, REASON_BAD_INTERFACE, REASON_NOT_ETHERNET,
  REASON_DISCARD_ADJACENCY, REASON_INCOMPLETE_ADJACENCY, REASON_ND_UNRESOLVED, REASON_FRAME_TOO_LARGE,
  REASON_ACL_DENIED_OUT, REASON_BAD_CHECKSUM, REASON_ARP, REASON_RECEIVE, REASON_GLEAN, IF_BYTES, IF_MAC, IF_FLAGS,
  IF_ACL_IN, IF_ACL_OUT, IF_FLOW_EGRESS, IF_URPF_RX, IF_URPF_ANY, ADJ_BYTES, ADJ_IFACE, ADJ_NEXT_HOP, ADJ_MAC,
  ADJ_FIXED_MAC, NO_IFACE, HOLD_META_BYTES, HOLD_LENGTH, HOLD_IN_IFACE, HOLD_OUT_IFACE, HOLD_L3, HOLD_WIRE, HOLD_PATH,
  C_PACKETS_IN, C_VERDICTS, C_REASONS, C_ARP_TICKS, C_FLOW_INGRESS, C_FLOW_EGRESS, C_URPF_CHECKED, IC_PACKETS_IN,
  IC_BYTES_IN, IC_PACKETS_OUT, IC_BYTES_OUT, IC_DROPS_IN, IC_PUNTED, IC_QUEUED, IC_REASONS,
} from "./state";
import { counterAdd, ifCounterAdd, setCurrentPacket } from "./output";
import { macFromWire, macToWire, decrementTtl4, ipv4HeaderValid } from "./frames";
import { icmpError, icmpEligible, ICMP_TIME_EXCEEDED, ICMP_UNREACHABLE, ICMP6_TIME_EXCEEDED, ICMP6_UNREACHABLE } from "./icmp";
import { aclPermits } from "./acl";
import { drainArp, HOLD_ELIGIBLE } from "./arp-io";
import { resolveNextHop } from "./arp-hit";
import { natInbound, natOutbound, natTick } from "./nat-stage";
import { bridgeInput, bridgeOutput, bridgeTick, BRIDGE_DONE } from "./bridge-stage";
import { switch4, switch6, cachedMac, countOut, settleMiss, tickRouteCache } from "./switching";

const LINKTYPE_ETHERNET: u16 = 1;

/** Runs the ARP timers on the grid up to `time` (results do not depend on how packets are batched). */
function ticksUpTo(p: Pipeline, time: f64): void {
  if (!p.arp && !p.routeCache) return;
  if (isNaN(p.nextTick)) {
    p.nextTick = Math.floor(time / p.tickInterval) * p.tickInterval + p.tickInterval;
    return;
  }
  if (time < p.nextTick) return;
  tickAt(p, p.nextTick);
  const grid = Math.floor(time / p.tickInterval) * p.tickInterval;
  if (grid > p.nextTick) tickAt(p, grid);
  p.nextTick = grid + p.tickInterval;
}

function tickAt(p: Pipeline, time: f64): void {
  if (p.routeCache) tickRouteCache(p, time);
  if (!p.arp) return;
  arpTick(p.arp, time);
  if (p.nat) natTick(p, time);
  if (p.bridge) bridgeTick(p, time);
  counterAdd(p, C_ARP_TICKS, 1);
  drainArp(p, time);
}

/** The timers up to `now` (the host's `tick`). */
export function tickTo(p: Pipeline, now: f64): void {
  setCurrentPacket(0xffffffff);
  ticksUpTo(p, now);
}

// @ts-ignore: decorator
@inline function finish(p: Pipeline, i: u32, iface: u32, verdict: u8, reason: u8): void {
  store<u8>(p.verdicts + <usize>i, verdict);
  store<u8>(p.reasons + <usize>i, reason);
  if (p.swPending != 0) settleMiss(p, i, verdict, reason);
  counterAdd(p, C_VERDICTS + <u32>verdict, 1);
  if (verdict >= VERDICT_PUNTED) counterAdd(p, C_REASONS + <u32>reason, 1);
  if (iface < p.interfaceCount) {
    if (verdict == VERDICT_DROPPED) ifCounterAdd(p, iface, IC_DROPS_IN, 1);
    else if (verdict == VERDICT_PUNTED) ifCounterAdd(p, iface, IC_PUNTED, 1);
    else if (verdict == VERDICT_QUEUED) ifCounterAdd(p, iface, IC_QUEUED, 1);
    if (verdict >= VERDICT_PUNTED) ifCounterAdd(p, iface, IC_REASONS + <u32>reason, 1);
  }
}

/** Processes the batch; returns the packets processed, or -1 when it exceeds maxBatch. */
export function processBatch(p: Pipeline, b: PacketBatch, now: f64, useNow: bool, parse: bool): i32 {
  const count = b.count;
  if (count > p.maxBatch) return -1;
  if (parse && count > 0) parseBatch(b, 0, count);
  counterAdd(p, C_PACKETS_IN, <u64>count);
  ingressFlows(p, b, count);
  lookupDestinations(p, b, count);
  prepareSightings(p, b, count);
  for (let i: u32 = 0; i < count; i++) forwardOne(p, b, i, useNow ? now : load<f64>(b.time + (<usize>i << 3)));
  egressFlows(p, b, count);
  return <i32>count;
}

/**
 * The FIB lookup of every IP packet's destination, in one pass over the batch before the
 * per-packet stages: the lookups are independent, so their cache misses overlap here, where
 * inside the per-packet stages each would wait alone. The FIB does not change during a call,
 * so the switching stage reads the same adjacency it would look up.
 */
function lookupDestinations(p: Pipeline, b: PacketBatch, count: u32): void {
  const fib = changetype<Fib>(p.fib);
  const out = p.destinationAdjacencies;
  // Every packet's word 0 of the destination as if IPv4 (a level at a time), then the answers
  // of the packets that are not IPv4 replaced.
  lookup4Strided(fib.trie4, b.dst, 16, out, count);
  for (let i: u32 = 0; i < count; i++) {
    const n = <usize>i;
    const version = load<u8>(b.ipVersion + n);
    if (version == 4 && load<u8>(b.status + n) <= PACKET_STATUS_FRAGMENT) continue;
    store<u32>(out + (n << 2), version == 6 && load<u8>(b.status + n) <= PACKET_STATUS_FRAGMENT ? lookup6(fib.trie6, b.dst + (n << 4)) : 0);
  }
}

function ingressFlows(p: Pipeline, b: PacketBatch, count: u32): void {
  if (!p.flow || !p.selector || count == 0) return;
  const sel = changetype<Selector>(p.selector);
  const k = selectorRunBatch(sel, b, 0, count, p.selectedIndices, p.selectedSlots);
  if (k <= 0) return;
  // Every packet selected (full NetFlow on IP traffic): no selection bytes to fill or read.
  let selection: usize = 0;
  if (<u32>k < count) {
    selection = p.flowSelection;
    memory.fill(selection, 0, <usize>count);
    for (let j: u32 = 0; j < <u32>k; j++) store<u8>(selection + <usize>load<u32>(p.selectedIndices + (<usize>j << 2)), 1);
  }
  counterAdd(p, C_FLOW_INGRESS, <u64>cacheUpdate(changetype<FlowCache>(p.flow), b, 0, count, 0, selection));
}

function egressFlows(p: Pipeline, b: PacketBatch, count: u32): void {
  if (!p.flow || count == 0) return;
  let any = false;
  for (let f: u32 = 0; f < p.interfaceCount; f++) {
    if (load<u32>(p.interfaces + <usize>f * IF_BYTES + IF_FLAGS) & IF_FLOW_EGRESS) any = true;
  }
  if (!any) return;
  const selection = p.flowSelection;
  let offered: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    let take: u8 = 0;
    if (load<u8>(p.verdicts + <usize>i) == VERDICT_FORWARDED) {
      const egress = load<u32>(p.egress + (<usize>i << 2));
      take = <u8>((load<u32>(p.interfaces + <usize>egress * IF_BYTES + IF_FLAGS) & IF_FLOW_EGRESS) != 0);
    }
    store<u8>(selection + <usize>i, take);
    offered += take;
  }
  if (offered > 0) counterAdd(p, C_FLOW_EGRESS, <u64>cacheUpdate(changetype<FlowCache>(p.flow), b, 0, count, 1, selection));
}

function receiveArpPacket(p: Pipeline, b: PacketBatch, i: u32, iface: u32, time: f64): void {
  const n = <usize>i;
  const sender = macFromWire(b.arpSenderMac + (n << 3));
  const target = macFromWire(b.arpTargetMac + (n << 3));
  const source = macFromWire(b.srcMac + (n << 3));
  const destination = macFromWire(b.dstMac + (n << 3));
  arpReceiveArp(
    p.arp, iface, <u32>load<u16>(b.arpOperation + (n << 1)), load<u32>(b.arpSenderAddress + (n << 2)),
    <u32>(sender >> 32), <u32>sender, load<u32>(b.arpTargetAddress + (n << 2)), <u32>(target >> 32), <u32>target,
    <u32>(source >> 32), <u32>source, <u32>(destination >> 32), <u32>destination, time,
  );
  drainArp(p, time);
}

/** Whether uRPF (`ip verify unicast source reachable-via rx|any`) accepts the source `src`. */
function urpfAccepts(p: Pipeline, fib: Fib, src: u32, iface: u32, rx: bool): bool {
  counterAdd(p, C_URPF_CHECKED, 1);
  const adj = lookup4(fib.trie4, src);
  if (adj == 0) return false;
  const kind = load<u8>(fib.adjKinds + <usize>adj);
  if (kind != ADJ_NEIGHBOR) return false;
  if (!rx) return true;
  return load<u32>(p.adjacencies + <usize>adj * ADJ_BYTES + ADJ_IFACE) == iface;
}

function forwardOne(p: Pipeline, b: PacketBatch, i: u32, time: f64): void {
  const n = <usize>i;
  setCurrentPacket(i);
  if (!(time < p.nextTick)) ticksUpTo(p, time);
  let iface = load<u32>(b.iface + (n << 2));
  const arrivedOn = iface; // (the bridge stage writes the BVI into the batch's column)
  const status = load<u8>(b.status + n);
  if (iface < p.interfaceCount) {
    ifCounterAdd(p, iface, IC_PACKETS_IN, 1);
    ifCounterAdd(p, iface, IC_BYTES_IN, <u64>load<u32>(b.wireLength + (n << 2)));
  }
  if (status >= PACKET_STATUS_FIRST_ERROR) return finish(p, i, iface, VERDICT_DROPPED, REASON_MALFORMED);
  if (iface >= p.interfaceCount) return finish(p, i, iface, VERDICT_DROPPED, REASON_BAD_INTERFACE);
  if (p.bridge) {
    const r = bridgeInput(p, b, i, iface, time);
    if (r & BRIDGE_DONE) return finish(p, i, iface, <u8>(r >> 8), <u8>r);
    iface = r;
  }
  if (status == PACKET_STATUS_ARP) {
    if (p.arp) receiveArpPacket(p, b, i, iface, time);
    return finish(p, i, iface, VERDICT_PUNTED, REASON_ARP);
  }
  if (status != PACKET_STATUS_OK && status != PACKET_STATUS_FRAGMENT) return finish(p, i, iface, VERDICT_DROPPED, REASON_NOT_IP);
  const version = <u32>load<u8>(b.ipVersion + n);
  if (version != 4 && version != 6) return finish(p, i, iface, VERDICT_DROPPED, REASON_NOT_IP);
  if (load<u16>(b.linkType + (n << 1)) != LINKTYPE_ETHERNET) return finish(p, i, iface, VERDICT_DROPPED, REASON_NOT_ETHERNET);
  const frame = b.frames + <usize>load<u32>(b.frameOffset + (n << 2));
  const l3 = load<u32>(b.l3Offset + (n << 2));
  const ip = frame + <usize>l3;
  const f = p.interfaces + <usize>iface * IF_BYTES;
  const flags = load<u32>(f + IF_FLAGS);
  const fib = changetype<Fib>(p.fib);
  const protocol = <u32>load<u8>(b.protocol + n);
  const fragmentOffset = <u32>load<u16>(b.fragmentOffset + (n << 1));
  let adj: u32 = 0;
  if (version == 4) {
    if (!ipv4HeaderValid(ip, (<u32>load<u8>(ip) & 15) << 2)) return finish(p, i, iface, VERDICT_DROPPED, REASON_BAD_CHECKSUM);
    const src = load<u32>(b.src + (n << 4));
    let dst = load<u32>(b.dst + (n << 4));
    // Evidence of life for ARP, from sources on the interface's subnets (the others cannot be
    // neighbours; skipping them keeps a scan's random sources out of the ARP index's cache lines).
    if (p.arp) receiveSighting(p, n, iface, iface == arrivedOn, src, time);
    const aclIn = load<u32>(f + IF_ACL_IN);
    if (aclIn != 0 && !aclPermits(
      p, aclIn - 1, src, dst, protocol, <u32>load<u16>(b.srcPort + (n << 1)), <u32>load<u16>(b.dstPort + (n << 1)),
      <u32>load<u16>(b.tcpFlags + (n << 1)), <u32>load<u8>(b.icmpType + n), <u32>load<u8>(b.icmpCode + n),
      status == PACKET_STATUS_FRAGMENT || fragmentOffset != 0,
    )) return finish(p, i, iface, VERDICT_DROPPED, REASON_ACL_DENIED);
    if ((flags & (IF_URPF_RX | IF_URPF_ANY)) != 0 && !urpfAccepts(p, fib, src, iface, (flags & IF_URPF_RX) != 0)) {
      return finish(p, i, iface, VERDICT_DROPPED, REASON_URPF_FAILED);
    }
    const arrived = dst;
    if (p.nat) dst = natInbound(p, b, i, iface, time);
    // [IP accounting slot: p.accounting]
    if (dst >= 0xe0000000) return finish(p, i, iface, VERDICT_PUNTED, REASON_RECEIVE);
    // The FIB's answer, looked up for the whole batch first (lookupDestinations) unless NAT
    // translated the destination since.
    const fibAdj = dst == arrived ? load<u32>(p.destinationAdjacencies + (n << 2)) : lookup4(fib.trie4, dst);
    adj = switch4(p, iface, flags, dst, fibAdj, load<u32>(b.wireLength + (n << 2)), time);
  } else {
    if (load<u8>(ip + 24) == 0xff) return finish(p, i, iface, VERDICT_PUNTED, REASON_RECEIVE);
    adj = switch6(p, iface, load<u32>(p.destinationAdjacencies + (n << 2)), load<u32>(b.wireLength + (n << 2)));
  }
  const kind = adj == 0 ? <u8>0 : load<u8>(fib.adjKinds + <usize>adj);
  if (kind == ADJ_PUNT) return finish(p, i, iface, VERDICT_PUNTED, REASON_RECEIVE);
  const captured = load<u32>(b.capturedLength + (n << 2));
  if (load<u8>(b.ttl + n) <= 1) {
    icmpError(p, frame, captured, l3, version, iface, version == 4 ? ICMP_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED, 0, time,
      icmpEligible(frame, ip, version, protocol, <u32>load<u8>(b.icmpType + n), fragmentOffset), true);
    return finish(p, i, iface, VERDICT_DROPPED, REASON_TTL_EXPIRED);
  }
  if (adj == 0) {
    icmpError(p, frame, captured, l3, version, iface, version == 4 ? ICMP_UNREACHABLE : ICMP6_UNREACHABLE, 0, time,
      icmpEligible(frame, ip, version, protocol, <u32>load<u8>(b.icmpType + n), fragmentOffset), true);
    return finish(p, i, iface, VERDICT_DROPPED, REASON_NO_ROUTE);
  }
  if (kind == ADJ_NULL) return finish(p, i, iface, VERDICT_DROPPED, REASON_NULL_ADJACENCY);
  if (kind == ADJ_DROP) return finish(p, i, iface, VERDICT_DROPPED, REASON_DROP_ADJACENCY);
  if (kind == ADJ_DISCARD) return finish(p, i, iface, VERDICT_DROPPED, REASON_DISCARD_ADJACENCY);
  if (kind == ADJ_GLEAN) return finish(p, i, iface, VERDICT_PUNTED, REASON_GLEAN);
  const a = p.adjacencies + <usize>adj * ADJ_BYTES;
  const egress = adj < p.adjCapacity ? load<u32>(a + ADJ_IFACE) : NO_IFACE;
  if (egress >= p.interfaceCount) return finish(p, i, iface, VERDICT_DROPPED, REASON_INCOMPLETE_ADJACENCY);
  const e = p.interfaces + <usize>egress * IF_BYTES;
  if (version == 4) {
    const aclOut = load<u32>(e + IF_ACL_OUT);
    if (aclOut != 0 && !aclPermits(
      p, aclOut - 1, load<u32>(b.src + (n << 4)), load<u32>(b.dst + (n << 4)), protocol, <u32>load<u16>(b.srcPort + (n << 1)),
      <u32>load<u16>(b.dstPort + (n << 1)), <u32>load<u16>(b.tcpFlags + (n << 1)), <u32>load<u8>(b.icmpType + n),
      <u32>load<u8>(b.icmpCode + n), status == PACKET_STATUS_FRAGMENT || fragmentOffset != 0,
    )) return finish(p, i, iface, VERDICT_DROPPED, REASON_ACL_DENIED_OUT);
  }
  if (p.nat && version == 4) {
    const reason = natOutbound(p, b, i, iface, egress, time);
    if (reason != REASON_NONE) return finish(p, i, iface, VERDICT_DROPPED, reason);
  }
  let mac = p.swEntry != 0 ? cachedMac(p) : load<u64>(a + ADJ_MAC);
  if (mac & ADJ_FIXED_MAC) {
    mac &= 0xffffffffffff;
  } else if (version == 6) {
    return finish(p, i, iface, VERDICT_DROPPED, REASON_ND_UNRESOLVED);
  } else {
    const nextHop = load<u32>(a + ADJ_NEXT_HOP);
    const target = nextHop != 0 ? nextHop : load<u32>(b.dst + (n << 4));
    if (captured > p.holdSlotBytes) {
      // A frame that could not be held is refused before ARP sees it (it would queue a handle).
      if (!p.arp || arpKindOf(p.arp, egress, target) != 1) return finish(p, i, iface, VERDICT_DROPPED, REASON_FRAME_TOO_LARGE);
    }
    const verdict = p.arp ? resolveNextHop(p, egress, target, time) : VERDICT_BAD_TARGET;
    const code = verdict & ~VERDICT_ICMP;
    if (code == VERDICT_FOUND) {
      mac = ((<u64>arpResultMacHigh(p.arp)) << 32) | <u64>arpResultMacLow(p.arp);
    } else {
      if (code == ARP_QUEUED) {
        const handle = arpResultHandle(p.arp);
        hold(p, handle, frame, captured, iface, egress, l3, load<u32>(b.wireLength + (n << 2)),
          icmpEligible(frame, ip, version, protocol, <u32>load<u8>(b.icmpType + n), fragmentOffset));
        store<u32>(p.handles + (n << 2), handle);
        store<u32>(p.egress + (n << 2), egress);
        drainArp(p, time);
        return finish(p, i, iface, VERDICT_QUEUED, REASON_NONE);
      }
      if (verdict & VERDICT_ICMP) {
        icmpError(p, frame, captured, l3, version, iface, ICMP_UNREACHABLE, 1, time,
          icmpEligible(frame, ip, version, protocol, <u32>load<u8>(b.icmpType + n), fragmentOffset), false);
      }
      drainArp(p, time);
      const reason = code == VERDICT_NEXIST ? REASON_ARP_NEXIST : code == VERDICT_RATE ? REASON_ARP_RATE_LIMITED
        : code == VERDICT_NO_SLOT ? REASON_ARP_INCOMPLETE_FULL : code == VERDICT_QUEUE_FULL ? REASON_ARP_QUEUE_FULL
        : code == VERDICT_BAD_TARGET ? REASON_ARP_BAD_TARGET : REASON_BAD_INTERFACE;
      return finish(p, i, iface, VERDICT_DROPPED, reason);
    }
  }
  let out = egress;
  if (p.bridge) {
    out = bridgeOutput(p, egress, mac, time);
    if (out & BRIDGE_DONE) return finish(p, i, iface, <u8>(out >> 8), <u8>out);
  }
  // Rewrite: the next hop's MAC, ours, TTL or hop limit one lower.
  macToWire(mac, frame);
  macToWire(load<u64>(e + IF_MAC), frame + 6);
  if (version == 4) decrementTtl4(ip);
  else store<u8>(ip + 7, load<u8>(ip + 7) - 1);
  store<u32>(p.egress + (n << 2), out);
  store<u64>(p.nextHopMacs + (n << 3), mac);
  ifCounterAdd(p, out, IC_PACKETS_OUT, 1);
  ifCounterAdd(p, out, IC_BYTES_OUT, <u64>load<u32>(b.wireLength + (n << 2)));
  countOut(p, out, p.swPath, load<u32>(b.wireLength + (n << 2)));
  finish(p, i, iface, VERDICT_FORWARDED, REASON_NONE);
}

function hold(p: Pipeline, handle: u32, frame: usize, captured: u32, iface: u32, egress: u32, l3: u32, wire: u32, eligible: bool): void {
  if (handle >= p.holdSlots) return;
  const meta = p.holdMeta + <usize>handle * HOLD_META_BYTES;
  memory.copy(p.hold + <usize>handle * <usize>p.holdSlotBytes, frame, captured);
  store<u32>(meta + HOLD_LENGTH, captured);
  store<u32>(meta + HOLD_IN_IFACE, iface);
  store<u32>(meta + HOLD_OUT_IFACE, egress);
  store<u32>(meta + HOLD_L3, l3);
  store<u32>(meta + HOLD_WIRE, wire);
  store<u8>(meta + HOLD_ELIGIBLE, eligible ? 1 : 0);
  store<u8>(meta + HOLD_PATH, <u8>p.swPath);
}

