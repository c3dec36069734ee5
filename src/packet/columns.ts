/**
 * The columns of a {@link PacketBatch}: one typed array per field, `capacity` entries each,
 * living in WebAssembly memory so that every component (parser, input filters, samplers, flow
 * cache, FIB, ARP) reads them in place. Ids and widths are a contract with
 * assembly/packet/batch.ts; columns are only ever added, never renumbered.
 */

/** How a column's entries are stored. */
export type ColumnKind = "f64" | "u32" | "u16" | "u8" | "mac" | "address";

/** One column: its id in the WebAssembly layout, its storage and what it holds. */
export interface ColumnSpec {
  id: number;
  kind: ColumnKind;
  /** Bytes per packet. */
  width: number;
  description: string;
}

function column<K extends ColumnKind>(id: number, kind: K, description: string): ColumnSpec & { kind: K } {
  const width = { f64: 8, u32: 4, u16: 2, u8: 1, mac: 8, address: 16 }[kind];
  return { id, kind, width, description };
}

/** Every column of a packet batch, by name. */
export const PACKET_COLUMNS = {
  time: column(0, "f64", "capture time in milliseconds since the Unix epoch, sub-millisecond digits kept"),
  interface: column(1, "u32", "input interface: the pcapng interface id, or the one the reader was given"),
  capturedLength: column(2, "u32", "bytes captured (present in the frame area)"),
  wireLength: column(3, "u32", "bytes the frame had on the wire"),
  frameOffset: column(4, "u32", "where the captured bytes start in the frame area"),
  linkType: column(5, "u16", "LINKTYPE_ value of the frame (see LinkType)"),
  status: column(6, "u8", "parse status (see PACKET_STATUSES)"),
  srcMac: column(7, "mac", "source MAC: bytes 0-5 of the 8-byte slot, in wire order"),
  dstMac: column(8, "mac", "destination MAC, likewise"),
  etherType: column(9, "u16", "EtherType of the payload after any VLAN tags (0 for 802.3/LLC; 0x0800/0x86dd on raw-IP and loopback links)"),
  vlanOuter: column(10, "u16", "outer 802.1Q/802.1ad VLAN id, 0xffff when untagged"),
  vlanInner: column(11, "u16", "inner VLAN id of a QinQ frame, 0xffff when absent"),
  l3Offset: column(12, "u32", "offset of the network (IP or ARP) header in the frame, 0 when none"),
  l4Offset: column(13, "u32", "offset of the transport header after IPv6 extension headers, 0 when none"),
  ipVersion: column(14, "u8", "4 or 6, 0 when the packet is not IP"),
  src: column(15, "address", "source address as four u32 words, most significant first; IPv4 in word 0, words 1-3 zero"),
  dst: column(16, "address", "destination address, likewise"),
  protocol: column(17, "u8", "IPv4 protocol or IPv6 upper-layer next header (after extension headers)"),
  tos: column(18, "u8", "IPv4 type of service / IPv6 traffic class (DSCP and ECN)"),
  ttl: column(19, "u8", "IPv4 TTL / IPv6 hop limit"),
  ipLength: column(20, "u32", "IPv4 total length / IPv6 payload length + 40"),
  ipId: column(21, "u32", "IPv4 identification / IPv6 fragment-header identification"),
  fragmentOffset: column(22, "u16", "fragment offset in 8-octet units"),
  fragmentFlags: column(23, "u8", "0x80 reserved, 0x40 don't fragment, 0x20 more fragments (IPFIX IE 197 layout)"),
  srcPort: column(24, "u16", "TCP/UDP source port"),
  dstPort: column(25, "u16", "TCP/UDP destination port"),
  tcpFlags: column(
    26,
    "u16",
    "the 12 TCP flag bits (0x001 FIN, 0x002 SYN, 0x004 RST, 0x008 PSH, 0x010 ACK, 0x020 URG, 0x040 ECE, 0x080 CWR, 0x100 AE/NS)",
  ),
  icmpType: column(27, "u8", "ICMP or ICMPv6 type"),
  icmpCode: column(28, "u8", "ICMP or ICMPv6 code"),
  arpOperation: column(29, "u16", "ARP opcode: 1 request, 2 reply"),
  arpSenderMac: column(30, "mac", "ARP sender hardware address"),
  arpTargetMac: column(31, "mac", "ARP target hardware address"),
  arpSenderAddress: column(32, "u32", "ARP sender IPv4 address"),
  arpTargetAddress: column(33, "u32", "ARP target IPv4 address"),
} as const;

/** A column's name. */
export type ColumnName = keyof typeof PACKET_COLUMNS;

/** Column names in id order. */
export const COLUMN_NAMES = (Object.keys(PACKET_COLUMNS) as ColumnName[]).sort((a, b) => PACKET_COLUMNS[a].id - PACKET_COLUMNS[b].id);

type ArrayOf<K extends ColumnKind> = K extends "f64"
  ? Float64Array
  : K extends "u32" | "address"
    ? Uint32Array
    : K extends "u16"
      ? Uint16Array
      : Uint8Array;

/** The typed array of each column, over the batch's whole capacity ({@link elementsPerPacket} elements per packet). */
export type PacketColumns = { [K in ColumnName]: ArrayOf<(typeof PACKET_COLUMNS)[K]["kind"]> };

/** Typed-array elements one packet takes in a column: 8 for MACs (bytes), 4 for addresses (words), else 1. */
export function elementsPerPacket(name: ColumnName): number {
  const kind = PACKET_COLUMNS[name].kind;
  return kind === "mac" ? 8 : kind === "address" ? 4 : 1;
}

/**
 * Typed-array views of every column over a buffer, as a class with one field per column: every
 * batch's columns object has the same hidden class with in-object fields, so a column read
 * (`batch.columns.dst`) is a fixed-offset load. (An object filled with computed keys has too
 * many properties for V8's fast mode and becomes a dictionary: every access a hash lookup.)
 * The field list is PACKET_COLUMNS in id order; `implements PacketColumns` keeps them in step.
 */
class ColumnViews implements PacketColumns {
  readonly time: Float64Array;
  readonly interface: Uint32Array;
  readonly capturedLength: Uint32Array;
  readonly wireLength: Uint32Array;
  readonly frameOffset: Uint32Array;
  readonly linkType: Uint16Array;
  readonly status: Uint8Array;
  readonly srcMac: Uint8Array;
  readonly dstMac: Uint8Array;
  readonly etherType: Uint16Array;
  readonly vlanOuter: Uint16Array;
  readonly vlanInner: Uint16Array;
  readonly l3Offset: Uint32Array;
  readonly l4Offset: Uint32Array;
  readonly ipVersion: Uint8Array;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly protocol: Uint8Array;
  readonly tos: Uint8Array;
  readonly ttl: Uint8Array;
  readonly ipLength: Uint32Array;
  readonly ipId: Uint32Array;
  readonly fragmentOffset: Uint16Array;
  readonly fragmentFlags: Uint8Array;
  readonly srcPort: Uint16Array;
  readonly dstPort: Uint16Array;
  readonly tcpFlags: Uint16Array;
  readonly icmpType: Uint8Array;
  readonly icmpCode: Uint8Array;
  readonly arpOperation: Uint16Array;
  readonly arpSenderMac: Uint8Array;
  readonly arpTargetMac: Uint8Array;
  readonly arpSenderAddress: Uint32Array;
  readonly arpTargetAddress: Uint32Array;

  constructor(buffer: ArrayBuffer, pointers: readonly number[], capacity: number) {
    this.time = new Float64Array(buffer, pointers[0]!, capacity);
    this.interface = new Uint32Array(buffer, pointers[1]!, capacity);
    this.capturedLength = new Uint32Array(buffer, pointers[2]!, capacity);
    this.wireLength = new Uint32Array(buffer, pointers[3]!, capacity);
    this.frameOffset = new Uint32Array(buffer, pointers[4]!, capacity);
    this.linkType = new Uint16Array(buffer, pointers[5]!, capacity);
    this.status = new Uint8Array(buffer, pointers[6]!, capacity);
    this.srcMac = new Uint8Array(buffer, pointers[7]!, capacity * 8);
    this.dstMac = new Uint8Array(buffer, pointers[8]!, capacity * 8);
    this.etherType = new Uint16Array(buffer, pointers[9]!, capacity);
    this.vlanOuter = new Uint16Array(buffer, pointers[10]!, capacity);
    this.vlanInner = new Uint16Array(buffer, pointers[11]!, capacity);
    this.l3Offset = new Uint32Array(buffer, pointers[12]!, capacity);
    this.l4Offset = new Uint32Array(buffer, pointers[13]!, capacity);
    this.ipVersion = new Uint8Array(buffer, pointers[14]!, capacity);
    this.src = new Uint32Array(buffer, pointers[15]!, capacity * 4);
    this.dst = new Uint32Array(buffer, pointers[16]!, capacity * 4);
    this.protocol = new Uint8Array(buffer, pointers[17]!, capacity);
    this.tos = new Uint8Array(buffer, pointers[18]!, capacity);
    this.ttl = new Uint8Array(buffer, pointers[19]!, capacity);
    this.ipLength = new Uint32Array(buffer, pointers[20]!, capacity);
    this.ipId = new Uint32Array(buffer, pointers[21]!, capacity);
    this.fragmentOffset = new Uint16Array(buffer, pointers[22]!, capacity);
    this.fragmentFlags = new Uint8Array(buffer, pointers[23]!, capacity);
    this.srcPort = new Uint16Array(buffer, pointers[24]!, capacity);
    this.dstPort = new Uint16Array(buffer, pointers[25]!, capacity);
    this.tcpFlags = new Uint16Array(buffer, pointers[26]!, capacity);
    this.icmpType = new Uint8Array(buffer, pointers[27]!, capacity);
    this.icmpCode = new Uint8Array(buffer, pointers[28]!, capacity);
    this.arpOperation = new Uint16Array(buffer, pointers[29]!, capacity);
    this.arpSenderMac = new Uint8Array(buffer, pointers[30]!, capacity * 8);
    this.arpTargetMac = new Uint8Array(buffer, pointers[31]!, capacity * 8);
    this.arpSenderAddress = new Uint32Array(buffer, pointers[32]!, capacity);
    this.arpTargetAddress = new Uint32Array(buffer, pointers[33]!, capacity);
  }
}

/** Typed-array views of every column over `buffer`, given each column's byte address. */
export function columnViews(buffer: ArrayBuffer, pointers: readonly number[], capacity: number): PacketColumns {
  return new ColumnViews(buffer, pointers, capacity);
}

/** The value of the VLAN columns for "no tag". */
export const NO_VLAN = 0xffff;
