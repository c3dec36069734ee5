/** Export records (the flow cache's 128-byte queue records) written from plain fields, for the exporter tests. */

import fc from "fast-check";
import { parseIPv4, parseIPv6 } from "../../src/net/address.js";
import { parseMac } from "../../src/net/mac.js";
import { EXPORT_RECORD_BYTES } from "../../src/flow/record.js";

/** The fields of one export record. */
export interface RecordSpec {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tos: number;
  direction: 0 | 1;
  inputInterface: number;
  packets: number;
  bytes: number;
  firstMs: number;
  lastMs: number;
  ipId: number;
  minLength: number;
  maxLength: number;
  srcMac?: string;
  dstMac?: string;
  inputVlan: number;
  outputVlan: number;
  fragmentOffset?: number;
  tcpFlags: number;
  minTtl: number;
  maxTtl: number;
  icmpType?: number;
  icmpCode?: number;
  endReason: number;
  expiredMs: number;
  sequence: number;
}

function putAddress(view: DataView, at: number, text: string, version: 4 | 6): void {
  if (version === 4) {
    view.setUint32(at, parseIPv4(text), true);
    return;
  }
  const words = parseIPv6(text);
  for (let i = 0; i < 4; i++) view.setUint32(at + i * 4, words[i]!, true);
}

/** Writes `spec` as an export record at byte `at` of `view` (layout of assembly/flow/state.ts). */
export function writeRecord(view: DataView, at: number, spec: RecordSpec): void {
  new Uint8Array(view.buffer, view.byteOffset + at, EXPORT_RECORD_BYTES).fill(0);
  putAddress(view, at, spec.src, spec.ipVersion);
  putAddress(view, at + 16, spec.dst, spec.ipVersion);
  view.setUint16(at + 32, spec.srcPort, true);
  view.setUint16(at + 34, spec.dstPort, true);
  view.setUint8(at + 36, spec.protocol);
  view.setUint8(at + 37, spec.tos);
  view.setUint8(at + 38, spec.ipVersion);
  view.setUint8(at + 39, spec.direction);
  view.setUint32(at + 40, spec.inputInterface, true);
  view.setUint32(at + 44, spec.endReason, true);
  view.setUint32(at + 48, 7, true);
  view.setUint32(at + 52, spec.packets, true);
  view.setBigUint64(at + 56, BigInt(spec.bytes), true);
  view.setFloat64(at + 64, spec.firstMs, true);
  view.setFloat64(at + 72, spec.lastMs, true);
  view.setUint32(at + 80, spec.ipId, true);
  view.setUint16(at + 84, spec.minLength, true);
  view.setUint16(at + 86, spec.maxLength, true);
  let flags = spec.tcpFlags & 0xfff;
  if (spec.srcMac !== undefined && spec.dstMac !== undefined) {
    flags |= 0x4000;
    parseMac(spec.srcMac).forEach((b, i) => view.setUint8(at + 88 + i, b));
    parseMac(spec.dstMac).forEach((b, i) => view.setUint8(at + 94 + i, b));
  }
  view.setUint16(at + 100, spec.inputVlan, true);
  view.setUint16(at + 102, spec.outputVlan, true);
  if (spec.fragmentOffset !== undefined) {
    flags |= 0x1000;
    view.setUint16(at + 104, spec.fragmentOffset, true);
  }
  if (spec.icmpType !== undefined) {
    flags |= 0x2000;
    view.setUint8(at + 110, spec.icmpType);
    view.setUint8(at + 111, spec.icmpCode ?? 0);
  }
  view.setUint16(at + 106, flags, true);
  view.setUint8(at + 108, spec.minTtl);
  view.setUint8(at + 109, spec.maxTtl);
  view.setFloat64(at + 112, spec.expiredMs, true);
  view.setBigUint64(at + 120, BigInt(spec.sequence), true);
}

/** Export records as bytes. */
export function recordBytes(specs: readonly RecordSpec[]): Uint8Array {
  const out = new Uint8Array(specs.length * EXPORT_RECORD_BYTES);
  const view = new DataView(out.buffer);
  specs.forEach((s, i) => writeRecord(view, i * EXPORT_RECORD_BYTES, s));
  return out;
}

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join("."));
const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((w) => w.map((x) => x.toString(16)).join(":"));
const mac = fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, "0")).join(":"));

/** Random export records: any field values the cache can produce, times from 1970 to ~2100, ends no later than the export time. */
export function recordArbitrary(exportMs: number): fc.Arbitrary<RecordSpec> {
  return fc
    .record({
      ipVersion: fc.constantFrom(4 as const, 6 as const),
      v4s: ipv4,
      v4d: ipv4,
      v6s: ipv6,
      v6d: ipv6,
      protocol: fc.oneof(fc.constantFrom(1, 6, 17, 58), fc.nat(255)),
      srcPort: fc.nat(0xffff),
      dstPort: fc.nat(0xffff),
      tos: fc.nat(255),
      direction: fc.constantFrom(0 as const, 1 as const),
      inputInterface: fc.oneof(fc.nat(20), fc.nat(0xffffffff)),
      packets: fc.integer({ min: 1, max: 0xffffffff }),
      bytes: fc.oneof(fc.integer({ min: 20, max: 100_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      age: fc.integer({ min: 0, max: 40 * 86_400_000 }),
      length: fc.integer({ min: 0, max: 7 * 86_400_000 }),
      fraction: fc.constantFrom(0, 0.25, 0.5, 0.999),
      ipId: fc.nat(0xffffffff),
      minLength: fc.nat(0xffff),
      maxLength: fc.nat(0xffff),
      macs: fc.option(fc.tuple(mac, mac)),
      inputVlan: fc.oneof(fc.constant(0xffff), fc.nat(4095)),
      outputVlan: fc.oneof(fc.constant(0xffff), fc.nat(4095)),
      fragmentOffset: fc.option(fc.nat(0x1fff)),
      tcpFlags: fc.nat(0xfff),
      minTtl: fc.nat(255),
      maxTtl: fc.nat(255),
      icmp: fc.option(fc.tuple(fc.nat(255), fc.nat(255))),
      endReason: fc.nat(5),
    })
    .map((r) => {
      const lastMs = exportMs - r.age - r.fraction;
      const spec: RecordSpec = {
        ipVersion: r.ipVersion,
        src: r.ipVersion === 4 ? r.v4s : r.v6s,
        dst: r.ipVersion === 4 ? r.v4d : r.v6d,
        protocol: r.protocol,
        srcPort: r.srcPort,
        dstPort: r.dstPort,
        tos: r.tos,
        direction: r.direction,
        inputInterface: r.inputInterface,
        packets: r.packets,
        bytes: r.bytes,
        firstMs: lastMs - r.length,
        lastMs,
        ipId: r.ipId,
        minLength: r.minLength,
        maxLength: r.maxLength,
        inputVlan: r.inputVlan,
        outputVlan: r.outputVlan,
        tcpFlags: r.tcpFlags,
        minTtl: r.minTtl,
        maxTtl: r.maxTtl,
        endReason: r.endReason,
        expiredMs: exportMs,
        sequence: 0,
      };
      if (r.macs !== null) [spec.srcMac, spec.dstMac] = r.macs;
      if (r.fragmentOffset !== null) spec.fragmentOffset = r.fragmentOffset;
      if (r.icmp !== null) [spec.icmpType, spec.icmpCode] = r.icmp;
      return spec;
    });
}
