/**
 * Writes generated IPv4 packets into a {@link PacketBatch}: straight into the columns (what the
 * pipeline reads; the fast path), and optionally also as Ethernet frames in the frame area (so
 * that `batch.parse()` recovers the same columns, and a capture writer can save them). Only the
 * headers are captured; `wireLength` is the frame's full length on the wire.
 */

import type { PacketBatch } from "../../packet/batch.js";
import type { PacketColumns } from "../../packet/columns.js";
import { LinkType } from "../../packet/link-type.js";

/** Transport protocol numbers the generators use. */
export const TCP = 6;
/** UDP's protocol number. */
export const UDP = 17;
/** The TCP SYN flag bit. */
export const TCP_SYN = 0x002;
/** The TCP ACK flag bit. */
export const TCP_ACK = 0x010;

const ETHERNET = LinkType.ethernet;
const ETHERNET_HEADER = 14;
const IPV4_HEADER = 20;
const TCP_HEADER = 20;
/** A Windows 2000 SYN's options: MSS 1460, NOP, NOP, SACK permitted (the 48-byte SYN). */
const SYN_OPTIONS = [0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02];
const UDP_HEADER = 8;
/** Most bytes captured per frame: Ethernet + IPv4 + a TCP SYN header with its 8 bytes of options. */
export const CAPTURED_HEADER_BYTES = ETHERNET_HEADER + IPV4_HEADER + TCP_HEADER + SYN_OPTIONS.length;

/** Bytes of headers a generated frame captures: a SYN carries options, other TCP segments none. */
function capturedBytes(protocol: number, tcpFlags: number): number {
  if (protocol !== TCP) return ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER;
  return ETHERNET_HEADER + IPV4_HEADER + TCP_HEADER + ((tcpFlags & TCP_SYN) !== 0 ? SYN_OPTIONS.length : 0);
}

/** Where a generator writes: a batch, and whether to write frames as well as columns. */
export interface PacketTarget {
  batch: PacketBatch;
  /** Also write Ethernet frames into the frame area (up to 62 bytes of frame area per packet). */
  frames: boolean;
}

/** The columns a generator writes: a batch's own (a fixed-shape object, src/packet/columns.ts). */
export type WorkloadColumns = PacketColumns;

/** The columns of a batch, for the writers below (the batch keeps them until its memory grows). */
export function workloadColumns(batch: PacketBatch): WorkloadColumns {
  return batch.columns;
}

/**
 * Writes the columns that are the same for every generated packet (IPv4 over Ethernet, no
 * VLAN, not fragmented, no ICMP/ARP fields, address words 1–3 zero) for packets [from, to),
 * after {@link writePacketColumns} wrote the rest:
 * a generator calls it once per fill for the packets it wrote, so that the per-packet
 * {@link writePacketColumns} stores only what varies (measured: 35 stores per packet cost
 * ~45 ns on the shared 2-core machine, 13 stores ~15 ns).
 */
export function writeConstantColumns(c: WorkloadColumns, from: number, to: number, iface: number): void {
  if (to - from < 64) {
    // A few packets (workloads interleaving in fillMixed): stores beat fifteen fill() calls.
    for (let i = from; i < to; i++) {
      c.interface[i] = iface;
      c.linkType[i] = ETHERNET;
      c.status[i] = 0;
      c.etherType[i] = 0x0800;
      c.vlanOuter[i] = 0xffff;
      c.vlanInner[i] = 0xffff;
      c.l3Offset[i] = ETHERNET_HEADER;
      c.l4Offset[i] = ETHERNET_HEADER + IPV4_HEADER;
      c.ipVersion[i] = 4;
      c.tos[i] = 0;
      c.fragmentOffset[i] = 0;
      c.fragmentFlags[i] = 0;
      c.icmpType[i] = 0;
      c.icmpCode[i] = 0;
      c.arpOperation[i] = 0;
    }
  } else {
    c.interface.fill(iface, from, to);
    c.linkType.fill(ETHERNET, from, to);
    c.status.fill(0, from, to);
    c.etherType.fill(0x0800, from, to);
    c.vlanOuter.fill(0xffff, from, to);
    c.vlanInner.fill(0xffff, from, to);
    c.l3Offset.fill(ETHERNET_HEADER, from, to);
    c.l4Offset.fill(ETHERNET_HEADER + IPV4_HEADER, from, to);
    c.ipVersion.fill(4, from, to);
    c.tos.fill(0, from, to);
    c.fragmentOffset.fill(0, from, to);
    c.fragmentFlags.fill(0, from, to);
    c.icmpType.fill(0, from, to);
    c.icmpCode.fill(0, from, to);
    c.arpOperation.fill(0, from, to);
  }
  // Address words 1–3 (IPv6 only); word 0 holds the packet's IPv4 address, already written.
  const src = c.src;
  const dst = c.dst;
  for (let i = from; i < to; i++) {
    const a = i << 2;
    src[a + 1] = 0;
    src[a + 2] = 0;
    src[a + 3] = 0;
    dst[a + 1] = 0;
    dst[a + 2] = 0;
    dst[a + 3] = 0;
  }
}

/**
 * Writes packet `i`'s varying columns ({@link writeConstantColumns} then fills in the rest). A
 * measured hot loop: every generator calls it per packet, so it takes the fields as arguments
 * (no object) and writes each column once.
 */
export function writePacketColumns(
  c: WorkloadColumns,
  i: number,
  time: number,
  src: number,
  dst: number,
  protocol: number,
  srcPort: number,
  dstPort: number,
  ipLength: number,
  ipId: number,
  ttl: number,
  tcpFlags: number,
): void {
  c.time[i] = time;
  c.capturedLength[i] = capturedBytes(protocol, tcpFlags);
  c.wireLength[i] = ETHERNET_HEADER + ipLength;
  c.src[i << 2] = src;
  c.dst[i << 2] = dst;
  c.protocol[i] = protocol;
  c.ttl[i] = ttl;
  c.ipLength[i] = ipLength;
  c.ipId[i] = ipId;
  c.srcPort[i] = srcPort;
  c.dstPort[i] = dstPort;
  c.tcpFlags[i] = protocol === TCP ? tcpFlags : 0;
}

/**
 * The bytes of every generated frame that do not vary, as big-endian words at their offsets:
 * the MAC pair (02:00:00:00:00:02 ← 02:00:00:00:00:01, locally administered), EtherType IPv4,
 * version/IHL 0x45, and the SYN options (MSS 1460, NOP, NOP, SACK permitted) after a 20-byte
 * TCP header (written for UDP too, past its 42 captured bytes, as the whole 62-byte template).
 */
const MAC_WORDS = [0x02000000, 0x00020200, 0x00000001, 0x08004500] as const;
const OPTION_WORDS = [
  ((SYN_OPTIONS[0]! << 24) | (SYN_OPTIONS[1]! << 16) | (SYN_OPTIONS[2]! << 8) | SYN_OPTIONS[3]!) >>> 0,
  ((SYN_OPTIONS[4]! << 24) | (SYN_OPTIONS[5]! << 16) | (SYN_OPTIONS[6]! << 8) | SYN_OPTIONS[7]!) >>> 0,
] as const;

let viewedFrames: Uint8Array | undefined;
let frameView: DataView | undefined;

/** A DataView of a frame area, kept while the same area is written (a batch's frames are one array until its memory grows). */
function viewOf(frames: Uint8Array): DataView {
  if (frames !== viewedFrames || frameView === undefined) {
    viewedFrames = frames;
    frameView = new DataView(frames.buffer, frames.byteOffset, frames.byteLength);
  }
  return frameView;
}

/**
 * Writes packet `i`'s Ethernet frame (headers only, the 62 bytes of {@link CAPTURED_HEADER_BYTES}
 * of which a UDP packet captures 42 and a TCP packet 54, or 62 with the SYN options) at
 * `offset` of the frame area and points the packet's `frameOffset` at it; returns the next free
 * offset. The IPv4 checksum is computed; the TCP/UDP checksums are left zero (the payload is
 * not captured). A measured hot loop: big-endian word stores through a DataView, not a template
 * copy and byte stores.
 */
export function writePacketFrame(
  frames: Uint8Array,
  c: WorkloadColumns,
  i: number,
  offset: number,
  src: number,
  dst: number,
  protocol: number,
  srcPort: number,
  dstPort: number,
  ipLength: number,
  ipId: number,
  ttl: number,
  tcpFlags: number,
): number {
  const v = viewOf(frames);
  if (offset + CAPTURED_HEADER_BYTES > frames.length)
    throw new RangeError(`frame at ${offset} does not fit the frame area (${frames.length} bytes)`);
  v.setUint32(offset, MAC_WORDS[0]);
  v.setUint32(offset + 4, MAC_WORDS[1]);
  v.setUint32(offset + 8, MAC_WORDS[2]);
  v.setUint32(offset + 12, MAC_WORDS[3]);
  const ip = offset + ETHERNET_HEADER;
  let sum = 0x4500 + ipLength + ipId + ((ttl << 8) | protocol) + (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  v.setUint32(ip + 2, ((ipLength << 16) | ipId) >>> 0);
  v.setUint32(ip + 6, (ttl << 8) | protocol); // flags and fragment offset 0
  v.setUint16(ip + 10, ~sum & 0xffff);
  v.setUint32(ip + 12, src);
  v.setUint32(ip + 16, dst);
  const l4 = ip + IPV4_HEADER;
  v.setUint32(l4, ((srcPort << 16) | dstPort) >>> 0);
  const captured = capturedBytes(protocol, tcpFlags);
  if (protocol === TCP) {
    v.setUint32(l4 + 4, 0); // sequence
    v.setUint32(l4 + 8, 0); // acknowledgement
    const offsetAndFlags = ((((captured - ETHERNET_HEADER - IPV4_HEADER) >>> 2) << 4) | ((tcpFlags >>> 8) & 0x0f)) << 8;
    v.setUint32(l4 + 12, ((offsetAndFlags | (tcpFlags & 0xff)) << 16) | 0xffff); // window 65535
  } else {
    v.setUint32(l4 + 4, (ipLength - IPV4_HEADER) << 16); // UDP length, checksum 0
    v.setUint32(l4 + 8, 0);
    v.setUint32(l4 + 12, 0);
  }
  v.setUint32(l4 + 16, 0); // TCP checksum and urgent pointer
  v.setUint32(l4 + 20, OPTION_WORDS[0]);
  v.setUint32(l4 + 24, OPTION_WORDS[1]);
  c.frameOffset[i] = offset;
  return offset + captured;
}
