/** Flows described by their totals, loaded into a flow cache as the packets that make them. */

import type { FlowCache } from "../../src/flow/cache.js";
import type { PacketInit } from "../../src/packet/packet.js";

/** A flow: its key, its totals (packets, bytes), and when its first and last packets came. */
export interface FlowSpec {
  src: string;
  dst: string;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
  packets: number;
  bytes: number;
  /** Time of the first packet (ms) and the span to the last (ms). */
  first?: number;
  activeMs?: number;
  interface?: number;
  tos?: number;
  ttl?: number;
  tcpFlags?: number;
  srcMac?: string;
  dstMac?: string;
  vlan?: number;
  fragmentOffset?: number;
}

/** The packets of a flow: lengths as equal as the totals allow (the first ones one byte longer). */
export function flowPackets(spec: FlowSpec): PacketInit[] {
  const base = Math.floor(spec.bytes / spec.packets);
  const longer = spec.bytes - base * spec.packets;
  const first = spec.first ?? 1_000_000;
  const span = spec.activeMs ?? 1000;
  return Array.from({ length: spec.packets }, (_, k) => ({
    time: spec.packets === 1 ? first : first + (span * k) / (spec.packets - 1),
    interface: spec.interface ?? 0,
    src: spec.src,
    dst: spec.dst,
    protocol: spec.protocol,
    srcPort: spec.srcPort ?? 0,
    dstPort: spec.dstPort ?? 0,
    icmpType: spec.icmpType ?? 0,
    icmpCode: spec.icmpCode ?? 0,
    tos: spec.tos ?? 0,
    ttl: spec.ttl ?? 59,
    tcpFlags: spec.tcpFlags ?? 0,
    ipLength: base + (k < longer ? 1 : 0),
    ...(spec.srcMac !== undefined ? { srcMac: spec.srcMac } : {}),
    ...(spec.dstMac !== undefined ? { dstMac: spec.dstMac } : {}),
    ...(spec.vlan !== undefined ? { vlanOuter: spec.vlan } : {}),
    ...(spec.fragmentOffset !== undefined ? { fragmentOffset: spec.fragmentOffset } : {}),
  }));
}

/** Feeds the flows' packets to the cache, flow after flow (so entries are in the given order). */
export function loadFlows(cache: FlowCache, specs: readonly FlowSpec[]): void {
  const batch = cache.createBatch({ capacity: 4096 });
  try {
    for (const spec of specs) {
      for (const packet of flowPackets(spec)) {
        if (batch.length === batch.capacity) {
          cache.update(batch);
          batch.clear();
        }
        batch.push(packet);
      }
    }
    if (batch.length > 0) cache.update(batch);
  } finally {
    batch.dispose();
  }
}

/** Splits totals over `count` flows (packets evenly, bytes in proportion). */
export function splitFlows(count: number, packets: number, bytes: number): { packets: number; bytes: number }[] {
  let leftPackets = packets;
  let leftBytes = bytes;
  return Array.from({ length: count }, (_, i) => {
    const p = i === count - 1 ? leftPackets : Math.floor(packets / count);
    const b = i === count - 1 ? leftBytes : Math.floor((bytes * p) / packets);
    leftPackets -= p;
    leftBytes -= b;
    return { packets: p, bytes: b };
  });
}
