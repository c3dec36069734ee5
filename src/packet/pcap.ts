/**
 * Classic pcap (the libpcap savefile format, draft-ietf-opsawg-pcap): a 24-byte file header,
 * then records of a 16-byte header and the captured bytes. Both byte orders, micro- and
 * nanosecond timestamps. The records are indexed in WebAssembly (assembly/packet/pcap.ts),
 * in place in a batch's frame area.
 */

import { CaptureFileError } from "../errors.js";

/** The file-header magic as read little-endian, and what it means. */
const MAGICS = new Map<number, { swapped: boolean; nanoseconds: boolean }>([
  [0xa1b2c3d4, { swapped: false, nanoseconds: false }],
  [0xd4c3b2a1, { swapped: true, nanoseconds: false }],
  [0xa1b23c4d, { swapped: false, nanoseconds: true }],
  [0x4d3cb2a1, { swapped: true, nanoseconds: true }],
]);

/** The first four bytes of a pcapng file (a section header block). */
export const PCAPNG_MAGIC = 0x0a0d0d0a;
/** Bytes of the classic pcap file header. */
export const PCAP_HEADER_BYTES = 24;
/** Bytes of a classic pcap record header. */
export const PCAP_RECORD_HEADER_BYTES = 16;
/**
 * The largest captured length a reader accepts by default: libpcap's and Wireshark's maximum
 * snapshot length for the link types here (262144).
 */
export const DEFAULT_MAX_CAPTURED_LENGTH = 262144;

/** A classic pcap file header. */
export interface PcapHeader {
  /** Whether the file's byte order is the opposite of little-endian. */
  swapped: boolean;
  nanoseconds: boolean;
  versionMajor: number;
  versionMinor: number;
  snapLength: number;
  linkType: number;
  /** The FCS length in bytes that the link-type field announces (0 when unknown or none). */
  fcsBytes: number;
}

/** Which format the first four bytes announce, or undefined for neither. */
export function detectFormat(bytes: Uint8Array): "pcap" | "pcapng" | undefined {
  const magic = readU32(bytes, 0, true);
  if (magic === PCAPNG_MAGIC) return "pcapng";
  return MAGICS.has(magic) ? "pcap" : undefined;
}

/** Parses a classic pcap file header (24 bytes at the start of `bytes`). */
export function parsePcapHeader(bytes: Uint8Array): PcapHeader {
  const kind = MAGICS.get(readU32(bytes, 0, true));
  if (kind === undefined) throw new CaptureFileError("capture-magic", "not a pcap file: unknown magic number", 0);
  const little = !kind.swapped;
  const versionMajor = readU16(bytes, 4, little);
  const versionMinor = readU16(bytes, 6, little);
  if (versionMajor !== 2) {
    throw new CaptureFileError("pcap-version", `unsupported pcap version ${versionMajor}.${versionMinor} (expected 2.x)`, 4);
  }
  const network = readU32(bytes, 20, little);
  // libpcap's LT_FCS_LENGTH_PRESENT (0x04000000) and LT_FCS_LENGTH (top 4 bits, 16-bit units).
  const fcs = network & 0x04000000 ? ((network >>> 28) & 0xf) * 2 : 0;
  return {
    swapped: kind.swapped,
    nanoseconds: kind.nanoseconds,
    versionMajor,
    versionMinor,
    snapLength: readU32(bytes, 16, little),
    linkType: network & 0xffff,
    fcsBytes: fcs,
  };
}

/** An unsigned 16-bit integer at `at`. */
export function readU16(bytes: Uint8Array, at: number, little: boolean): number {
  return little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
}

/** An unsigned 32-bit integer at `at`. */
export function readU32(bytes: Uint8Array, at: number, little: boolean): number {
  return little
    ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
    : ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Milliseconds since the epoch of a capture timestamp: whole `seconds` and a `fraction` in
 * units of 1/`unitsPerSecond`. Both readers compute times this way, so a packet gets the same
 * time from pcap and pcapng.
 */
export function timestampMs(seconds: number, fraction: number, unitsPerSecond: number): number {
  return seconds * 1000 + (fraction * 1000) / unitsPerSecond;
}
