// Ethernet/IPv4 frames with correct checksums for the NAT and bridge tests, and an independent
// checksum verifier (RFC 1071: the one's complement sum over the covered bytes is 0xffff).

import { parseIPv4 } from "../../src/net/address.js";

export interface FrameSpec {
  src: string;
  dst: string;
  protocol: "tcp" | "udp" | "icmp" | "gre";
  srcPort?: number;
  dstPort?: number;
  /** TCP flags (default ACK). */
  flags?: number;
  /** ICMP type (default 8, echo request) and query id. */
  icmpType?: number;
  icmpId?: number;
  payload?: number[];
  /** UDP without a checksum (0). */
  noUdpChecksum?: boolean;
  /** A non-first fragment (offset in 8-byte units). */
  fragmentOffset?: number;
  srcMac?: number[];
  dstMac?: number[];
}

function sum16(bytes: ArrayLike<number>, start: number, end: number, initial = 0): number {
  let sum = initial;
  for (let i = start; i < end; i += 2) sum += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function pseudo(frame: ArrayLike<number>, l3: number, protocol: number, length: number): number {
  return sum16(frame, l3 + 12, l3 + 20, protocol + length);
}

/** An Ethernet II frame carrying the packet, every checksum correct. */
export function ipFrame(spec: FrameSpec): Uint8Array {
  const payload = spec.payload ?? [1, 2, 3, 4, 5];
  const protocol = { tcp: 6, udp: 17, icmp: 1, gre: 47 }[spec.protocol];
  let l4: number[];
  if (spec.fragmentOffset) l4 = payload.slice();
  else if (spec.protocol === "tcp") {
    l4 = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0, 0xff, 0xff, 0, 0, 0, 0, ...payload];
    l4[0] = (spec.srcPort ?? 0) >> 8;
    l4[1] = (spec.srcPort ?? 0) & 255;
    l4[2] = (spec.dstPort ?? 0) >> 8;
    l4[3] = (spec.dstPort ?? 0) & 255;
    const flags = spec.flags ?? 0x010;
    l4[12] = 0x50 | ((flags >> 8) & 0xf);
    l4[13] = flags & 0xff;
  } else if (spec.protocol === "udp") {
    const length = 8 + payload.length;
    l4 = [
      (spec.srcPort ?? 0) >> 8,
      (spec.srcPort ?? 0) & 255,
      (spec.dstPort ?? 0) >> 8,
      (spec.dstPort ?? 0) & 255,
      length >> 8,
      length & 255,
      0,
      0,
      ...payload,
    ];
  } else if (spec.protocol === "icmp") {
    const id = spec.icmpId ?? 0;
    l4 = [spec.icmpType ?? 8, 0, 0, 0, id >> 8, id & 255, 0, 1, ...payload];
  } else l4 = payload.slice();
  const total = 20 + l4.length;
  const src = parseIPv4(spec.src);
  const dst = parseIPv4(spec.dst);
  const fragment = spec.fragmentOffset ?? 0;
  const ip = [0x45, 0, total >> 8, total & 255, 0x12, 0x34, (fragment >> 8) & 0x1f, fragment & 255, 64, protocol, 0, 0];
  for (const a of [src, dst]) ip.push(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
  const frame = new Uint8Array(14 + total);
  frame.set(spec.dstMac ?? [0, 0, 0x0c, 0, 0, 1], 0);
  frame.set(spec.srcMac ?? [0, 0x11, 0x22, 0x33, 0x44, 0x55], 6);
  frame[12] = 0x08;
  frame[13] = 0x00;
  frame.set(ip, 14);
  frame.set(l4, 34);
  const ipSum = ~sum16(frame, 14, 34) & 0xffff;
  frame[24] = ipSum >> 8;
  frame[25] = ipSum & 255;
  if (!fragment) {
    if (protocol === 6 || (protocol === 17 && !spec.noUdpChecksum)) {
      const at = 34 + (protocol === 6 ? 16 : 6);
      let c = ~sum16(frame, 34, 34 + l4.length, pseudo(frame, 14, protocol, l4.length)) & 0xffff;
      if (protocol === 17 && c === 0) c = 0xffff;
      frame[at] = c >> 8;
      frame[at + 1] = c & 255;
    } else if (protocol === 1) {
      const c = ~sum16(frame, 34, 34 + l4.length) & 0xffff;
      frame[36] = c >> 8;
      frame[37] = c & 255;
    }
  }
  return frame;
}

/** Whether the IPv4 header and the TCP/UDP/ICMP checksums of an Ethernet/IPv4 frame verify. */
export function checksumsValid(frame: Uint8Array): { ip: boolean; l4: boolean } {
  const ihl = (frame[14]! & 15) * 4;
  const total = (frame[16]! << 8) | frame[17]!;
  const protocol = frame[23]!;
  const fragment = ((frame[20]! & 0x1f) << 8) | frame[21]!;
  const ip = sum16(frame, 14, 14 + ihl) === 0xffff;
  const l4 = 14 + ihl;
  const end = 14 + total;
  if (fragment) return { ip, l4: true };
  if (protocol === 6) return { ip, l4: sum16(frame, l4, end, pseudo(frame, 14, 6, end - l4)) === 0xffff };
  if (protocol === 17) {
    if (frame[l4 + 6] === 0 && frame[l4 + 7] === 0) return { ip, l4: true };
    return { ip, l4: sum16(frame, l4, end, pseudo(frame, 14, 17, end - l4)) === 0xffff };
  }
  if (protocol === 1) return { ip, l4: sum16(frame, l4, end) === 0xffff };
  return { ip, l4: true };
}
