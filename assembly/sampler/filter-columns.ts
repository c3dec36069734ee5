// The packet columns an input filter reads. A descriptor in memory holds one pointer (u32) per
// column; the columns are structure-of-arrays over the batch, one entry per packet:
//
//   offset  column            entry
//   0       ipVersion         u8     4, 6, or 0 for a frame that is not IP
//   4       source            4×u32  IPv4 in word 0 (words 1–3 zero); IPv6 most significant first
//   8       destination       4×u32  as source
//   12      protocol          u8     IPv4 protocol / IPv6 next header
//   16      sourcePort        u16    TCP/UDP ports (0 otherwise)
//   20      destinationPort   u16
//   24      tos               u8     IPv4 ToS / IPv6 traffic class (DSCP = tos >> 2)
//   28      tcpFlags          u16    the 12 flag bits of the TCP header (FIN 0x01 SYN 0x02 … CWR 0x80, NS 0x100)
//   32      inputInterface    u32    the interface (or subinterface) index the packet came in on
//   36      status            u8     parse status: 0 ok, 1 non-first fragment (no transport
//                                    header), 2–31 not IP, ≥ 32 malformed (packet/status.ts)
//
// These are columns of the packet batch (assembly/packet/batch.ts on the packet-input branch:
// ipVersion, src, dst, protocol, srcPort, dstPort, tos, tcpFlags, interface), with the same
// widths; the descriptor is how the selector reads them without knowing the batch's record.

export const COLUMN_IP_VERSION: usize = 0;
export const COLUMN_SOURCE: usize = 4;
export const COLUMN_DESTINATION: usize = 8;
export const COLUMN_PROTOCOL: usize = 12;
export const COLUMN_SOURCE_PORT: usize = 16;
export const COLUMN_DESTINATION_PORT: usize = 20;
export const COLUMN_TOS: usize = 24;
export const COLUMN_TCP_FLAGS: usize = 28;
export const COLUMN_INPUT_INTERFACE: usize = 32;
export const COLUMN_STATUS: usize = 36;
/** Bytes of a column descriptor. */
export const COLUMN_DESCRIPTOR_BYTES: usize = 40;

/** Parse statuses the selector tells apart (values of assembly/packet/status.ts). */
export const STATUS_OK: u32 = 0;
export const STATUS_FIRST_ERROR: u32 = 32;

// @ts-ignore: decorator
@inline export function columnU8(columns: usize, column: usize, i: u32): u32 {
  return <u32>load<u8>(<usize>load<u32>(columns + column) + <usize>i);
}

// @ts-ignore: decorator
@inline export function columnU16(columns: usize, column: usize, i: u32): u32 {
  return <u32>load<u16>(<usize>load<u32>(columns + column) + ((<usize>i) << 1));
}

// @ts-ignore: decorator
@inline export function columnU32(columns: usize, column: usize, i: u32): u32 {
  return load<u32>(<usize>load<u32>(columns + column) + ((<usize>i) << 2));
}

/** Word `word` (0–3) of packet i's address in an address column. */
// @ts-ignore: decorator
@inline export function columnAddressWord(columns: usize, column: usize, i: u32, word: u32): u32 {
  return load<u32>(<usize>load<u32>(columns + column) + ((<usize>i) << 4) + ((<usize>word) << 2));
}
