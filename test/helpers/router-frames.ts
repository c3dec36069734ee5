// Ethernet frames for the router tests: IPv4 (TCP, UDP, ICMP), IPv6, ARP, with correct
// checksums unless told otherwise.

function mac(text: string): number[] {
  return text.split(":").map((h) => Number.parseInt(h, 16));
}

function ipv4Bytes(text: string): number[] {
  return text.split(".").map(Number);
}

function checksum(bytes: number[], from: number, to: number, initial = 0): number {
  let sum = initial;
  for (let k = from; k < to; k += 2) sum += (bytes[k]! << 8) | (bytes[k + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** What an IPv4 test frame carries. */
export interface Ipv4FrameSpec {
  srcMac: string;
  dstMac: string;
  src: string;
  dst: string;
  protocol: number;
  ttl: number;
  srcPort?: number;
  dstPort?: number;
  tcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  /** Fragment offset in 8-byte units (non-zero: no transport header). */
  fragmentOffset?: number;
  payload?: number;
  badChecksum?: boolean;
  tos?: number;
}

/** An Ethernet + IPv4 frame. */
export function ipv4Frame(s: Ipv4FrameSpec): Uint8Array {
  const b: number[] = [...mac(s.dstMac), ...mac(s.srcMac), 0x08, 0x00];
  const l4: number[] = [];
  const fragment = (s.fragmentOffset ?? 0) !== 0;
  if (!fragment) {
    if (s.protocol === 6) {
      const f = s.tcpFlags ?? 0x002;
      l4.push((s.srcPort ?? 1024) >> 8, (s.srcPort ?? 1024) & 255, (s.dstPort ?? 80) >> 8, (s.dstPort ?? 80) & 255, 0, 0, 0, 1, 0, 0, 0, 0);
      l4.push(0x50 | ((f >> 8) & 1), f & 255, 0xff, 0xff, 0, 0, 0, 0);
    } else if (s.protocol === 17) {
      l4.push(
        (s.srcPort ?? 1024) >> 8,
        (s.srcPort ?? 1024) & 255,
        (s.dstPort ?? 53) >> 8,
        (s.dstPort ?? 53) & 255,
        0,
        8 + (s.payload ?? 0),
        0,
        0,
      );
    } else if (s.protocol === 1) {
      l4.push(s.icmpType ?? 8, s.icmpCode ?? 0, 0, 0, 0, 1, 0, 1);
    }
  }
  for (let k = 0; k < (s.payload ?? 0); k++) l4.push((k * 7) & 255);
  const total = 20 + l4.length;
  const offset = s.fragmentOffset ?? 0;
  const ip = [0x45, s.tos ?? 0, total >> 8, total & 255, 0x12, 0x34, (offset >> 8) & 0x1f, offset & 255, s.ttl, s.protocol, 0, 0];
  ip.push(...ipv4Bytes(s.src), ...ipv4Bytes(s.dst));
  const c = checksum(ip, 0, 20) ^ (s.badChecksum ? 0x5a5a : 0);
  ip[10] = c >> 8;
  ip[11] = c & 255;
  b.push(...ip, ...l4);
  return Uint8Array.from(b);
}

/** An Ethernet + IPv6 + UDP frame (addresses as eight 16-bit groups). */
export function ipv6Frame(s: {
  srcMac: string;
  dstMac: string;
  src: number[];
  dst: number[];
  hopLimit: number;
  payload?: number;
}): Uint8Array {
  const b: number[] = [...mac(s.dstMac), ...mac(s.srcMac), 0x86, 0xdd];
  const udp = [0x04, 0x00, 0x00, 0x35, 0, 8 + (s.payload ?? 0), 0, 0];
  for (let k = 0; k < (s.payload ?? 0); k++) udp.push(k & 255);
  b.push(0x60, 0, 0, 0, udp.length >> 8, udp.length & 255, 17, s.hopLimit);
  for (const g of [...s.src, ...s.dst]) b.push(g >> 8, g & 255);
  b.push(...udp);
  return Uint8Array.from(b);
}

/** An Ethernet ARP frame (padded to 60 bytes). */
export function arpFrame(s: {
  op: number;
  ethDst: string;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}): Uint8Array {
  const b: number[] = [...mac(s.ethDst), ...mac(s.senderMac), 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, s.op];
  b.push(...mac(s.senderMac), ...ipv4Bytes(s.senderIp), ...mac(s.targetMac), ...ipv4Bytes(s.targetIp));
  while (b.length < 60) b.push(0);
  return Uint8Array.from(b);
}

/** The target address and operation of an ARP frame the router sent. */
export function arpFields(frame: Uint8Array): { op: number; senderIp: string; targetIp: string; targetMac: string } {
  const ip = (at: number) => Array.from(frame.subarray(at, at + 4)).join(".");
  const m = Array.from(frame.subarray(32, 38), (x) => x.toString(16).padStart(2, "0")).join(":");
  return { op: frame[21]!, senderIp: ip(28), targetIp: ip(38), targetMac: m };
}

/** Hex of bytes, for comparisons with readable diffs. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
