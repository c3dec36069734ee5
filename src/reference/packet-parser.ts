/**
 * The reference frame parser: plain TypeScript, written for clarity, the oracle that the
 * WebAssembly parser (assembly/packet/parse.ts) is checked against. Every read goes through a
 * reader that throws when it leaves the frame, so the reference cannot "see" past the frame.
 * The result holds the raw column values of one packet (see src/packet/columns.ts).
 */

import { PACKET_STATUSES as S } from "../packet/status.js";
import { LinkType } from "../packet/link-type.js";

/** Raw column values of one parsed packet. MACs are 12 hex digits; addresses four u32 words. */
export interface ReferenceFields {
  status: number;
  srcMac: string;
  dstMac: string;
  etherType: number;
  vlanOuter: number;
  vlanInner: number;
  l3Offset: number;
  l4Offset: number;
  ipVersion: number;
  src: number[];
  dst: number[];
  protocol: number;
  tos: number;
  ttl: number;
  ipLength: number;
  ipId: number;
  fragmentOffset: number;
  fragmentFlags: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  icmpType: number;
  icmpCode: number;
  arpOperation: number;
  arpSenderMac: string;
  arpTargetMac: string;
  arpSenderAddress: number;
  arpTargetAddress: number;
}

/** A read outside the frame (a bug in the reference if it ever escapes). */
class OutOfFrame extends Error {}

class Bytes {
  constructor(readonly data: Uint8Array) {}
  get length(): number {
    return this.data.length;
  }
  u8(at: number): number {
    if (!(at >= 0 && at < this.data.length)) throw new OutOfFrame(`read of byte ${at} in a ${this.data.length}-byte frame`);
    return this.data[at]!;
  }
  u16(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }
  u32(at: number): number {
    return ((this.u16(at) << 16) | this.u16(at + 2)) >>> 0;
  }
  hex(at: number, count: number): string {
    let text = "";
    for (let i = 0; i < count; i++)
      text += this.u8(at + i)
        .toString(16)
        .padStart(2, "0");
    return text;
  }
}

const NO_MAC = "000000000000";
const IPV6_EXTENSIONS = new Set([0, 43, 44, 51, 60, 135, 139, 140]);
const VLAN_TYPES = new Set([0x8100, 0x88a8, 0x9100]);
const EXTENSION_LIMIT = 16;

function emptyFields(): ReferenceFields {
  return {
    status: 0,
    srcMac: NO_MAC,
    dstMac: NO_MAC,
    etherType: 0,
    vlanOuter: 0xffff,
    vlanInner: 0xffff,
    l3Offset: 0,
    l4Offset: 0,
    ipVersion: 0,
    src: [0, 0, 0, 0],
    dst: [0, 0, 0, 0],
    protocol: 0,
    tos: 0,
    ttl: 0,
    ipLength: 0,
    ipId: 0,
    fragmentOffset: 0,
    fragmentFlags: 0,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    icmpType: 0,
    icmpCode: 0,
    arpOperation: 0,
    arpSenderMac: NO_MAC,
    arpTargetMac: NO_MAC,
    arpSenderAddress: 0,
    arpTargetAddress: 0,
  };
}

/**
 * Parses one frame: its captured bytes, link type and wire length. `inBounds: false` stands
 * for a frame whose place in the frame area is invalid.
 */
export function referenceParse(frame: Uint8Array, linkType: number, wireLength: number, inBounds = true): ReferenceFields {
  const f = emptyFields();
  if (!inBounds) return { ...f, status: S["frame-out-of-bounds"].code };
  const b = new Bytes(frame);
  f.status = parseLink(b, linkType, Math.max(wireLength, frame.length), f);
  return f;
}

/** The status after the link layer and everything above it. */
function parseLink(b: Bytes, link: number, onWire: number, f: ReferenceFields): number {
  let pos: number;
  let type: number;
  let tagged = false;
  switch (link) {
    case LinkType.ethernet:
      if (b.length < 14) return S["truncated-link-header"].code;
      f.dstMac = b.hex(0, 6);
      f.srcMac = b.hex(6, 6);
      type = b.u16(12);
      pos = 14;
      tagged = true;
      break;
    case LinkType.linuxSll:
      if (b.length < 16) return S["truncated-link-header"].code;
      if (b.u16(4) === 6) f.srcMac = b.hex(6, 6);
      type = b.u16(14);
      pos = 16;
      tagged = true;
      break;
    case LinkType.linuxSll2:
      if (b.length < 20) return S["truncated-link-header"].code;
      if (b.u8(11) === 6) f.srcMac = b.hex(12, 6);
      type = b.u16(0);
      pos = 20;
      tagged = true;
      break;
    case LinkType.null:
    case LinkType.loop: {
      if (b.length < 4) return S["truncated-link-header"].code;
      const bigEndian = b.u32(0);
      const littleEndian = ((b.u8(3) << 24) | (b.u8(2) << 16) | (b.u8(1) << 8) | b.u8(0)) >>> 0;
      // LOOP is big-endian; NULL is in the writer's order, and families are below 65536.
      const family = link === LinkType.loop || littleEndian > 0xffff ? bigEndian : littleEndian;
      pos = 4;
      if (family === 2) type = 0x0800;
      else if ([24, 28, 30].includes(family)) type = 0x86dd;
      else return S["non-ip"].code;
      break;
    }
    case LinkType.raw:
    case LinkType.rawOpenBsd:
    case LinkType.rawBsdOs: {
      if (b.length < 1) return S["truncated-ip-header"].code;
      const version = b.u8(0) >> 4;
      if (version === 4) type = 0x0800;
      else if (version === 6) type = 0x86dd;
      else return S["bad-ip-version"].code;
      pos = 0;
      break;
    }
    case LinkType.ipv4:
      type = 0x0800;
      pos = 0;
      break;
    case LinkType.ipv6:
      type = 0x86dd;
      pos = 0;
      break;
    default:
      return S["unsupported-link-type"].code;
  }
  if (tagged) {
    let tags = 0;
    while (VLAN_TYPES.has(type)) {
      if (b.length - pos < 4) {
        f.etherType = type;
        return S["truncated-vlan"].code;
      }
      const id = b.u16(pos) & 0xfff;
      if (tags === 0) f.vlanOuter = id;
      else if (tags === 1) f.vlanInner = id;
      tags++;
      type = b.u16(pos + 2);
      pos += 4;
    }
    if (type < 0x0600) {
      const llc = link === LinkType.ethernet || tags > 0 ? type <= 1500 : type === 4;
      f.etherType = llc ? 0 : type;
      return llc ? S.llc.code : S["non-ip"].code;
    }
  }
  f.etherType = type;
  if (type === 0x0800) return parseIPv4(b, pos, onWire, f);
  if (type === 0x86dd) return parseIPv6(b, pos, onWire, f);
  if (type === 0x0806) return parseArp(b, pos, f);
  return S["non-ip"].code;
}

function parseArp(b: Bytes, pos: number, f: ReferenceFields): number {
  f.l3Offset = pos;
  if (b.length - pos < 8) return S["truncated-arp"].code;
  f.arpOperation = b.u16(pos + 6);
  const ethernetIPv4 = b.u16(pos) === 1 && b.u16(pos + 2) === 0x0800 && b.u8(pos + 4) === 6 && b.u8(pos + 5) === 4;
  if (!ethernetIPv4) return S["unsupported-arp"].code;
  if (b.length - pos < 28) return S["truncated-arp"].code;
  f.arpSenderMac = b.hex(pos + 8, 6);
  f.arpSenderAddress = b.u32(pos + 14);
  f.arpTargetMac = b.hex(pos + 18, 6);
  f.arpTargetAddress = b.u32(pos + 24);
  return S.arp.code;
}

function parseIPv4(b: Bytes, pos: number, onWire: number, f: ReferenceFields): number {
  f.l3Offset = pos;
  const available = b.length - pos;
  if (available < 1) return S["truncated-ip-header"].code;
  if (b.u8(pos) >> 4 !== 4) return S["bad-ip-version"].code;
  if (available < 20) return S["truncated-ip-header"].code;
  const headerLength = (b.u8(pos) & 15) * 4;
  f.ipVersion = 4;
  f.tos = b.u8(pos + 1);
  f.ipLength = b.u16(pos + 2);
  f.ipId = b.u16(pos + 4);
  f.fragmentFlags = b.u8(pos + 6) & 0xe0;
  f.fragmentOffset = b.u16(pos + 6) & 0x1fff;
  f.ttl = b.u8(pos + 8);
  f.protocol = b.u8(pos + 9);
  f.src = [b.u32(pos + 12), 0, 0, 0];
  f.dst = [b.u32(pos + 16), 0, 0, 0];
  if (headerLength < 20) return S["bad-ip-header-length"].code;
  if (f.ipLength < headerLength) return S["bad-ip-total-length"].code;
  if (headerLength > available) return S["truncated-ip-header"].code;
  if (f.ipLength > onWire - pos) return S["ip-length-exceeds-frame"].code;
  if (f.fragmentOffset * 8 + f.ipLength - headerLength > 65535) return S["fragment-overflow"].code;
  if (f.fragmentOffset !== 0) return S.fragment.code;
  f.l4Offset = pos + headerLength;
  return parseTransport(b, f.l4Offset, pos + f.ipLength, f);
}

function parseIPv6(b: Bytes, pos: number, onWire: number, f: ReferenceFields): number {
  f.l3Offset = pos;
  const available = b.length - pos;
  if (available < 1) return S["truncated-ip-header"].code;
  if (b.u8(pos) >> 4 !== 6) return S["bad-ip-version"].code;
  if (available < 40) return S["truncated-ip-header"].code;
  f.ipVersion = 6;
  f.tos = (b.u16(pos) >> 4) & 0xff;
  f.ipLength = 40 + b.u16(pos + 4);
  let next = b.u8(pos + 6);
  f.protocol = next;
  f.ttl = b.u8(pos + 7);
  f.src = [b.u32(pos + 8), b.u32(pos + 12), b.u32(pos + 16), b.u32(pos + 20)];
  f.dst = [b.u32(pos + 24), b.u32(pos + 28), b.u32(pos + 32), b.u32(pos + 36)];
  if (f.ipLength > onWire - pos) return S["ip-length-exceeds-frame"].code;
  const end = pos + f.ipLength;
  const limit = Math.min(end, b.length);
  let at = pos + 40;
  let count = 0;
  let fragmented = false;
  while (IPV6_EXTENSIONS.has(next)) {
    count++;
    if (count > EXTENSION_LIMIT) {
      f.protocol = next;
      return S["ipv6-extension-limit"].code;
    }
    if (limit - at < 8) {
      f.protocol = next;
      return S["truncated-ipv6-extension"].code;
    }
    let length: number;
    if (next === 44) {
      if (!fragmented) {
        f.fragmentOffset = b.u16(at + 2) >> 3;
        f.fragmentFlags = b.u16(at + 2) & 1 ? 0x20 : 0;
        f.ipId = b.u32(at + 4);
        fragmented = true;
      }
      length = 8;
    } else if (next === 51) {
      length = (b.u8(at + 1) + 2) * 4;
    } else {
      length = (b.u8(at + 1) + 1) * 8;
    }
    if (limit - at < length) {
      f.protocol = next;
      return S["truncated-ipv6-extension"].code;
    }
    next = b.u8(at);
    at += length;
    if (f.fragmentOffset !== 0) break;
  }
  f.protocol = next;
  if (f.fragmentOffset * 8 + (end - at) > 65535) return S["fragment-overflow"].code;
  if (f.fragmentOffset !== 0) return S.fragment.code;
  f.l4Offset = at;
  return parseTransport(b, at, end, f);
}

function parseTransport(b: Bytes, at: number, ipEnd: number, f: ReferenceFields): number {
  const available = Math.max(0, Math.min(ipEnd, b.length) - at);
  const icmp = (f.protocol === 1 && f.ipVersion === 4) || (f.protocol === 58 && f.ipVersion === 6);
  if (f.protocol === 6) {
    if (available < 20) return S["truncated-tcp"].code;
    f.srcPort = b.u16(at);
    f.dstPort = b.u16(at + 2);
    f.tcpFlags = b.u16(at + 12) & 0x0fff;
    const headerLength = (b.u8(at + 12) >> 4) * 4;
    return headerLength < 20 || headerLength > ipEnd - at ? S["bad-tcp-header-length"].code : S.ok.code;
  }
  if (f.protocol === 17) {
    if (available < 8) return S["truncated-udp"].code;
    f.srcPort = b.u16(at);
    f.dstPort = b.u16(at + 2);
    const length = b.u16(at + 4);
    return length < 8 || length > ipEnd - at ? S["bad-udp-length"].code : S.ok.code;
  }
  if (icmp) {
    if (available < 4) return S["truncated-icmp"].code;
    f.icmpType = b.u8(at);
    f.icmpCode = b.u8(at + 1);
  }
  return S.ok.code;
}
