// Transparent bridging with IRB as a Dataplane stage (`bridge N protocol ieee`, `bridge-group N`,
// `bridge irb`, `interface BVI N`; seed 000 "IRB / HyBridge Input"). A frame received on a
// bridged port is bridged first: learned, then forwarded to the port its destination was learned
// on, filtered (same port), or flooded to the group, which is process switching (punted); a frame
// to the BVI's MAC, and a broadcast or multicast the group floods, is routed as received on the
// BVI. A routed packet leaving through a BVI goes to the port its next hop's MAC was learned on,
// or, when the group has forgotten that station (an ARP entry of 4 h outliving a bridge entry of
// 5 min), is flooded and process switched: the seed's interaction.

import { PacketBatch } from "../packet/batch";
import { BridgeState, MAX_INTERFACES } from "../bridge/state";
import {
  bridgeInputRow, bridgeRouteOne, bridgeAge, BRIDGE_VERDICT_FORWARD, BRIDGE_VERDICT_FILTER, BRIDGE_VERDICT_ROUTE,
  BRIDGE_VERDICT_FLOOD_UNKNOWN, BRIDGE_VERDICT_FLOOD_BROADCAST, BRIDGE_VERDICT_FLOOD_MULTICAST, BRIDGE_VERDICT_FLOOD_ROUTED,
} from "../bridge";
import {
  Pipeline, VERDICT_FORWARDED, VERDICT_PUNTED, VERDICT_DROPPED, REASON_NONE, REASON_BRIDGE_FILTERED, REASON_BRIDGE_FLOODED,
  REASON_BAD_INTERFACE, IF_BYTES, IF_BVI, IF_BVI_GROUP, IC_PACKETS_OUT, IC_BYTES_OUT, C_BRIDGED,
} from "./state";
import { counterAdd, ifCounterAdd } from "./output";
import { macFromWire } from "./frames";

/** Set in a stage result when the stage has decided the packet: verdict in bits 8..15, reason in bits 0..7. */
export const BRIDGE_DONE: u32 = 0x80000000;

// @ts-ignore: decorator
@inline function done(verdict: u8, reason: u8): u32 {
  return BRIDGE_DONE | ((<u32>verdict) << 8) | <u32>reason;
}

/**
 * A frame received on interface `iface`: the interface to route it on (`iface` when it is not
 * bridged, the BVI when it goes to the router), or BRIDGE_DONE with its verdict.
 */
export function bridgeInput(p: Pipeline, b: PacketBatch, i: u32, iface: u32, time: f64): u32 {
  const t = changetype<BridgeState>(p.bridge);
  if (iface >= MAX_INTERFACES || load<u16>(t.ports + (<usize>iface << 1)) == 0) return iface;
  const verdict = <u8>bridgeInputRow(t, b, i, time);
  const bvi = load<u32>(p.interfaces + <usize>iface * IF_BYTES + IF_BVI);
  if (verdict == BRIDGE_VERDICT_FORWARD) {
    const port = t.resultPort;
    if (port >= p.interfaceCount) return done(VERDICT_DROPPED, REASON_BAD_INTERFACE);
    const n = <usize>i;
    store<u32>(p.egress + (n << 2), port);
    store<u64>(p.nextHopMacs + (n << 3), macFromWire(b.dstMac + (n << 3)));
    ifCounterAdd(p, port, IC_PACKETS_OUT, 1);
    ifCounterAdd(p, port, IC_BYTES_OUT, <u64>load<u32>(b.wireLength + (n << 2)));
    counterAdd(p, C_BRIDGED, 1);
    return done(VERDICT_FORWARDED, REASON_NONE);
  }
  if (verdict == BRIDGE_VERDICT_FILTER) return done(VERDICT_DROPPED, REASON_BRIDGE_FILTERED);
  const flood = verdict == BRIDGE_VERDICT_FLOOD_UNKNOWN || verdict == BRIDGE_VERDICT_FLOOD_BROADCAST
    || verdict == BRIDGE_VERDICT_FLOOD_MULTICAST;
  // The router is a station of the group through its BVI: it receives what is sent to the
  // BVI's MAC and what the group floods to everyone (ARP requests, broadcasts, multicasts).
  // The batch's interface column then names the BVI (NAT roles and egress flows read it).
  if (bvi != 0 && (verdict == BRIDGE_VERDICT_ROUTE || verdict == BRIDGE_VERDICT_FLOOD_BROADCAST
    || verdict == BRIDGE_VERDICT_FLOOD_MULTICAST)) {
    store<u32>(b.iface + (<usize>i << 2), bvi - 1);
    return bvi - 1;
  }
  if (flood || verdict == BRIDGE_VERDICT_ROUTE) return done(VERDICT_PUNTED, REASON_BRIDGE_FLOODED);
  return iface; // skipped: routed (and judged) as any frame of the interface
}

/**
 * A routed packet leaving through interface `egress` to next-hop `mac` (first octet in bits
 * 40..47): the interface it leaves through (the group's port for a BVI), or BRIDGE_DONE.
 */
export function bridgeOutput(p: Pipeline, egress: u32, mac: u64, time: f64): u32 {
  const g = load<u32>(p.interfaces + <usize>egress * IF_BYTES + IF_BVI_GROUP);
  if (g == 0) return egress;
  const t = changetype<BridgeState>(p.bridge);
  const column = bswap<u64>(mac) >> 16; // the batch's MAC column form: wire-order bytes from bit 0
  const verdict = <u8>bridgeRouteOne(t, g, <u32>(column >> 32), <u32>column, time);
  if (verdict == BRIDGE_VERDICT_FORWARD && t.resultPort < p.interfaceCount) {
    counterAdd(p, C_BRIDGED, 1);
    return t.resultPort;
  }
  if (verdict == BRIDGE_VERDICT_FLOOD_ROUTED) return done(VERDICT_PUNTED, REASON_BRIDGE_FLOODED);
  return egress;
}

/** The bridge ager on the pipeline's timer grid (bounded work per tick; see bridgeAge). */
export function bridgeTick(p: Pipeline, time: f64): void {
  bridgeAge(changetype<BridgeState>(p.bridge), time);
}
