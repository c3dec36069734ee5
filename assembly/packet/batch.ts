// The packet batch: the one structure-of-arrays layout that every component consumes (parser →
// input filters → sampler → flow cache → FIB/ARP). One allocation of fixed capacity per batch:
// a header (this class), one column per field, the per-status counters and a frame area that
// holds the captured bytes the columns describe. Nothing is allocated after creation.
//
// THE LAYOUT IS A CONTRACT: column ids, widths and meanings are mirrored in src/packet/batch.ts
// (with TSDoc for each field) and must only ever be extended, never renumbered.
//
//  id name              width  meaning
//   0 time               8 f64  capture time, milliseconds since the Unix epoch (sub-ms kept)
//   1 interface          4 u32  input interface (pcapng interface id, or the reader's)
//   2 capturedLength     4 u32  bytes captured (in the frame area)
//   3 wireLength         4 u32  bytes on the wire
//   4 frameOffset        4 u32  where the captured bytes start in the frame area
//   5 linkType           2 u16  LINKTYPE_ value of the frame (1 Ethernet, 113 SLL, ...)
//   6 status             1 u8   parse status (PACKET_STATUS_*)
//   7 srcMac             8      source MAC in bytes 0..5 (wire order), bytes 6..7 zero
//   8 dstMac             8      destination MAC, likewise
//   9 etherType          2 u16  EtherType of the payload after VLAN tags (0 for 802.3/LLC)
//  10 vlanOuter          2 u16  outer VLAN id, 0xffff when untagged
//  11 vlanInner          2 u16  inner VLAN id (QinQ), 0xffff when absent
//  12 l3Offset           4 u32  offset of the network header in the frame, 0 when none
//  13 l4Offset           4 u32  offset of the transport header (after IPv6 extensions), 0 when none
//  14 ipVersion          1 u8   4, 6, or 0 when not IP
//  15 src               16      source address: four u32 words, most significant first; IPv4 in word 0
//  16 dst               16      destination address, likewise
//  17 protocol           1 u8   IPv4 protocol / IPv6 upper-layer next header
//  18 tos                1 u8   IPv4 ToS / IPv6 traffic class
//  19 ttl                1 u8   TTL / hop limit
//  20 ipLength           4 u32  IPv4 total length / IPv6 40 + payload length
//  21 ipId               4 u32  IPv4 identification / IPv6 fragment identification
//  22 fragmentOffset     2 u16  fragment offset in 8-octet units
//  23 fragmentFlags      1 u8   0x80 reserved, 0x40 don't fragment, 0x20 more fragments
//  24 srcPort            2 u16  TCP/UDP source port
//  25 dstPort            2 u16  TCP/UDP destination port
//  26 tcpFlags           2 u16  the 12 flag bits of the TCP header (0x002 SYN, 0x010 ACK ...)
//  27 icmpType           1 u8   ICMP / ICMPv6 type
//  28 icmpCode           1 u8   ICMP / ICMPv6 code
//  29 arpOperation       2 u16  ARP opcode (1 request, 2 reply)
//  30 arpSenderMac       8      ARP sender hardware address, like srcMac
//  31 arpTargetMac       8      ARP target hardware address
//  32 arpSenderAddress   4 u32  ARP sender IPv4 address
//  33 arpTargetAddress   4 u32  ARP target IPv4 address

export const COLUMN_COUNT: u32 = 34;
export const STATUS_SLOTS: u32 = 64;
/** No VLAN tag at this level. */
export const NO_VLAN: u16 = 0xffff;

/** Bytes per packet of each column, by id. */
const WIDTHS: StaticArray<u8> = [
  8, 4, 4, 4, 4, 2, 1, 8, 8, 2, 2, 2, 4, 4, 1, 16, 16, 1, 1, 1, 4, 4, 2, 1, 2, 2, 2, 1, 1, 2, 8, 8, 4, 4,
];

export function columnWidth(id: u32): u32 {
  return id < COLUMN_COUNT ? <u32>unchecked(WIDTHS[id]) : 0;
}

@unmanaged export class PacketBatch {
  capacity: u32;
  count: u32;
  frameBytes: u32;
  /** The frame area: `frameBytes` bytes that the frameOffset column points into. */
  frames: usize;
  /** STATUS_SLOTS u64 counters: packets parsed per status since creation or reset. */
  statusCounts: usize;
  // Column pointers, in id order (packetBatchColumn reads them by index).
  time: usize;
  iface: usize;
  capturedLength: usize;
  wireLength: usize;
  frameOffset: usize;
  linkType: usize;
  status: usize;
  srcMac: usize;
  dstMac: usize;
  etherType: usize;
  vlanOuter: usize;
  vlanInner: usize;
  l3Offset: usize;
  l4Offset: usize;
  ipVersion: usize;
  src: usize;
  dst: usize;
  protocol: usize;
  tos: usize;
  ttl: usize;
  ipLength: usize;
  ipId: usize;
  fragmentOffset: usize;
  fragmentFlags: usize;
  srcPort: usize;
  dstPort: usize;
  tcpFlags: usize;
  icmpType: usize;
  icmpCode: usize;
  arpOperation: usize;
  arpSenderMac: usize;
  arpTargetMac: usize;
  arpSenderAddress: usize;
  arpTargetAddress: usize;
  /** The heap block the batch was laid out in (for batchFree). */
  block: usize;
  /** Why the last pcap indexing call stopped before its end: 0 (batch full or record incomplete) or a PCAP_ERROR_. */
  indexError: u32;
}

// @ts-ignore: decorator
@inline function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** Bytes one allocation needs for a batch of `capacity` packets and `frameBytes` of frames. */
export function batchBytes(capacity: u32, frameBytes: u32): usize {
  let total = align16(offsetof<PacketBatch>()) + align16(<usize>STATUS_SLOTS << 3);
  for (let id: u32 = 0; id < COLUMN_COUNT; id++) total += align16(<usize>capacity * columnWidth(id));
  return total + align16(<usize>frameBytes) + 16;
}

/** Lays a batch out in one zeroed block (from heap.alloc); returns 0 when it cannot be had. */
export function batchCreate(capacity: u32, frameBytes: u32): PacketBatch {
  const bytes = batchBytes(capacity, frameBytes);
  const block = heap.alloc(bytes);
  memory.fill(block, 0, bytes);
  const base = (block + 15) & ~(<usize>15);
  const batch = changetype<PacketBatch>(base);
  batch.capacity = capacity;
  batch.count = 0;
  batch.frameBytes = frameBytes;
  let cursor = base + align16(offsetof<PacketBatch>());
  batch.statusCounts = cursor;
  cursor += align16(<usize>STATUS_SLOTS << 3);
  const columns = base + offsetof<PacketBatch>("time");
  for (let id: u32 = 0; id < COLUMN_COUNT; id++) {
    store<usize>(columns + (<usize>id << alignof<usize>()), cursor);
    cursor += align16(<usize>capacity * columnWidth(id));
  }
  batch.frames = cursor;
  batch.block = block;
  return batch;
}

/** Frees the block of a batch made by `batchCreate`. */
export function batchFree(batch: PacketBatch): void {
  heap.free(batch.block);
}

/** Pointer to column `id` (0 for an unknown id). */
export function batchColumn(batch: PacketBatch, id: u32): usize {
  if (id >= COLUMN_COUNT) return 0;
  return load<usize>(changetype<usize>(batch) + offsetof<PacketBatch>("time") + (<usize>id << alignof<usize>()));
}
