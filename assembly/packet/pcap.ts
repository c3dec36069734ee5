// Classic pcap records (the libpcap savefile format, draft-ietf-opsawg-pcap): each record is
// a 16-byte header (seconds, micro- or nanoseconds, captured length, original length, in the
// file's byte order) followed by the captured bytes. The indexer walks records that a reader
// copied into the batch's frame area and appends one packet per complete record, pointing at
// the bytes in place (no copy).

import { PacketBatch } from "./batch";
import { parseRow, resetOutputColumns, countStatus } from "./parse";
import { PACKET_STATUS_OK } from "./status";

/** Flags of pcapIndex. */
export const PCAP_SWAPPED: u32 = 1;
export const PCAP_NANOSECONDS: u32 = 2;

/** A record claims more captured bytes than the reader allows. */
export const PCAP_ERROR_RECORD_TOO_LARGE: u32 = 1;

/**
 * Reads the record header at frame-area offset `pos` and fills row `n`'s time, captured and
 * wire lengths and frame offset. Returns the captured length, or -1 when the record is not
 * whole before `end` or is larger than `maxCaptured` (then the batch's `indexError` says so).
 */
// @ts-ignore: decorator
@inline function indexRecord(b: PacketBatch, n: u32, pos: u32, end: u32, swapped: bool, unitsPerSecond: f64, maxCaptured: u32): i64 {
  const h = b.frames + <usize>pos;
  let seconds = load<u32>(h), fraction = load<u32>(h, 4), captured = load<u32>(h, 8), original = load<u32>(h, 12);
  if (swapped) {
    seconds = bswap<u32>(seconds);
    fraction = bswap<u32>(fraction);
    captured = bswap<u32>(captured);
    original = bswap<u32>(original);
  }
  if (captured > maxCaptured) {
    b.indexError = PCAP_ERROR_RECORD_TOO_LARGE;
    return -1;
  }
  if (end - pos - 16 < captured) return -1;
  const k = <usize>n;
  store<f64>(b.time + (k << 3), <f64>seconds * 1000 + (<f64>fraction * 1000) / unitsPerSecond);
  store<u32>(b.capturedLength + (k << 2), captured);
  store<u32>(b.wireLength + (k << 2), original);
  store<u32>(b.frameOffset + (k << 2), pos + 16);
  return <i64>captured;
}

/**
 * Indexes the records in frame-area bytes [start, end); returns the offset of the first record
 * not indexed (a partial record, or one that did not fit in the batch).
 */
export function indexPcap(b: PacketBatch, start: u32, end: u32, flags: u32, linkType: u32, iface: u32, maxCaptured: u32): u32 {
  b.indexError = 0;
  if (end > b.frameBytes || start > end) return start;
  const swapped = (flags & PCAP_SWAPPED) != 0;
  const unitsPerSecond: f64 = (flags & PCAP_NANOSECONDS) != 0 ? 1e9 : 1e6;
  let pos = start;
  let n = b.count;
  const capacity = b.capacity;
  while (n < capacity && end - pos >= 16) {
    const captured = indexRecord(b, n, pos, end, swapped, unitsPerSecond, maxCaptured);
    if (captured < 0) break;
    const k = <usize>n;
    store<u32>(b.iface + (k << 2), iface);
    store<u16>(b.linkType + (k << 1), <u16>linkType);
    pos += 16 + <u32>captured;
    n++;
  }
  b.count = n;
  return pos;
}

/**
 * indexPcap and the parser in one pass: each record is parsed as soon as it is indexed, while
 * its bytes are in cache. Returns like indexPcap; the packets appended are parsed and counted.
 */
export function indexPcapAndParse(b: PacketBatch, start: u32, end: u32, flags: u32, linkType: u32, iface: u32, maxCaptured: u32): u32 {
  b.indexError = 0;
  if (end > b.frameBytes || start > end) return start;
  const swapped = (flags & PCAP_SWAPPED) != 0;
  const unitsPerSecond: f64 = (flags & PCAP_NANOSECONDS) != 0 ? 1e9 : 1e6;
  let pos = start;
  let n = b.count;
  const capacity = b.capacity;
  // At most one record per 16 bytes: reset the output columns of the rows this call can fill.
  const room = capacity - n;
  const most = (end - start) >> 4;
  const rows = <usize>(most < room ? most : room);
  resetOutputColumns(b, n, <u32>rows);
  // Interface and link type are the file's: one fill each instead of a store per packet.
  const first = <usize>n;
  for (let k: usize = 0; k < rows; k++) store<u32>(b.iface + ((first + k) << 2), iface);
  for (let k: usize = 0; k < rows; k++) store<u16>(b.linkType + ((first + k) << 1), <u16>linkType);
  let ok: u64 = 0;
  while (n < capacity && end - pos >= 16) {
    const captured = indexRecord(b, n, pos, end, swapped, unitsPerSecond, maxCaptured);
    if (captured < 0) break;
    const status = parseRow(b, n, <u32>captured, pos + 16, linkType, load<u32>(b.wireLength + (<usize>n << 2)));
    if (status == PACKET_STATUS_OK) ok++;
    else countStatus(b, status);
    pos += 16 + <u32>captured;
    n++;
  }
  store<u64>(b.statusCounts, load<u64>(b.statusCounts) + ok);
  b.count = n;
  return pos;
}
