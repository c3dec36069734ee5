/** Generated traffic for the flow cache tests: packets as the cache reads them, written into batches. */

import fc from "fast-check";
import type { PacketBatch } from "../../src/packet/batch.js";
import type { FlowPacket } from "../../src/reference/flow-cache.js";

const V4 = ["10.0.0.1", "10.0.0.2", "192.0.2.7"];
const V6 = ["2001:db8::1", "2001:db8::2", "fe80::1"];
const MACS = ["00:00:00:00:00:00", "02:00:00:00:00:01", "aa:bb:cc:dd:ee:ff"];

/** A packet with a time offset (added to the model clock), drawn from a small key space so flows repeat. */
export interface GeneratedPacket extends Omit<FlowPacket, "time"> {
  ipVersion: 4 | 6;
  offset: number;
}

export function packetArbitrary(): fc.Arbitrary<GeneratedPacket> {
  return fc
    .record({
      offset: fc.oneof(
        fc.integer({ min: -1, max: 6 }).map((n) => n * 5),
        fc.integer({ min: -5, max: 30 }).map((n) => n + (n % 3) * 0.25),
      ),
      interface: fc.integer({ min: 0, max: 1 }),
      status: fc.oneof(
        { weight: 10, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.constantFrom(3, 4, 40) },
      ),
      v6: fc.boolean(),
      srcIndex: fc.integer({ min: 0, max: 2 }),
      dstIndex: fc.integer({ min: 0, max: 2 }),
      protocol: fc.constantFrom(6, 6, 17, 1, 58, 47),
      tos: fc.constantFrom(0, 0, 0xb8),
      ttl: fc.integer({ min: 0, max: 255 }),
      ipLength: fc.oneof(fc.integer({ min: 20, max: 1600 }), fc.constantFrom(0, 40, 576, 577, 4608, 4609, 65535, 70000)),
      ipId: fc.integer({ min: 0, max: 0xffffffff }),
      fragmentOffset: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 0x1fff }) }),
      fragmentFlags: fc.constantFrom(0, 0x40, 0x20),
      srcPort: fc.constantFrom(0, 20, 53, 80, 40000),
      dstPort: fc.constantFrom(0, 23, 80, 123, 6001),
      tcpFlags: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(0x02, 0x10, 0x18) },
        { weight: 1, arbitrary: fc.constantFrom(0x01, 0x04, 0x11, 0xfff) },
      ),
      icmpType: fc.constantFrom(0, 8, 12),
      icmpCode: fc.constantFrom(0, 1),
      srcMac: fc.constantFrom(...MACS),
      dstMac: fc.constantFrom(...MACS),
      vlanOuter: fc.constantFrom(0xffff, 0xffff, 5, 4095),
    })
    .map(({ v6, srcIndex, dstIndex, ...p }) => ({
      ...p,
      ipVersion: (v6 ? 6 : 4) as 4 | 6,
      src: (v6 ? V6 : V4)[srcIndex]!,
      dst: (v6 ? V6 : V4)[dstIndex]!,
    }));
}

/** Writes packets into an empty batch (fields as given, not parsed). */
export function fillBatch(batch: PacketBatch, packets: readonly FlowPacket[]): void {
  batch.clear();
  for (const p of packets) {
    batch.push({
      time: p.time,
      interface: p.interface,
      status: p.status,
      ipVersion: p.ipVersion as 0 | 4 | 6,
      src: p.src,
      dst: p.dst,
      protocol: p.protocol,
      tos: p.tos,
      ttl: p.ttl,
      ipLength: p.ipLength,
      ipId: p.ipId,
      fragmentOffset: p.fragmentOffset,
      fragmentFlags: p.fragmentFlags,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      tcpFlags: p.tcpFlags,
      icmpType: p.icmpType,
      icmpCode: p.icmpCode,
      srcMac: p.srcMac,
      dstMac: p.dstMac,
      vlanOuter: p.vlanOuter,
    });
  }
}

/** A plain packet for hand-written tests, every field defaulted. */
export function flowPacket(fields: Partial<FlowPacket> & { time: number }): FlowPacket {
  return {
    interface: 0,
    status: 0,
    ipVersion: 4,
    src: "10.0.0.1",
    dst: "192.0.2.1",
    protocol: 6,
    tos: 0,
    ttl: 64,
    ipLength: 40,
    ipId: 0,
    fragmentOffset: 0,
    fragmentFlags: 0,
    srcPort: 40000,
    dstPort: 80,
    tcpFlags: 0x10,
    icmpType: 0,
    icmpCode: 0,
    srcMac: "00:00:00:00:00:00",
    dstMac: "00:00:00:00:00:00",
    vlanOuter: 0xffff,
    ...fields,
  };
}
