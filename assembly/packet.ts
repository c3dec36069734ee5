// Packet input: the packet batch (the layout every component consumes), the frame parser and
// the classic-pcap record indexer. See packet/batch.ts for the column layout.

import { PacketBatch, batchCreate, batchFree, batchBytes, batchColumn, columnWidth, COLUMN_COUNT, STATUS_SLOTS } from "./packet/batch";
import { parseBatch } from "./packet/parse";
import { indexPcap, indexPcapAndParse } from "./packet/pcap";
import { batchPartition, batchUnpack } from "./packet/shard";

export {
  PACKET_STATUS_OK, PACKET_STATUS_FRAGMENT, PACKET_STATUS_ARP, PACKET_STATUS_LLC, PACKET_STATUS_NON_IP,
  PACKET_STATUS_FIRST_ERROR, PACKET_STATUS_UNSUPPORTED_LINK_TYPE, PACKET_STATUS_TRUNCATED_LINK,
  PACKET_STATUS_TRUNCATED_VLAN, PACKET_STATUS_TRUNCATED_ARP, PACKET_STATUS_UNSUPPORTED_ARP,
  PACKET_STATUS_TRUNCATED_IP, PACKET_STATUS_BAD_IP_VERSION, PACKET_STATUS_BAD_IP_HEADER_LENGTH,
  PACKET_STATUS_BAD_IP_TOTAL_LENGTH, PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME, PACKET_STATUS_FRAGMENT_OVERFLOW,
  PACKET_STATUS_TRUNCATED_IPV6_EXTENSION, PACKET_STATUS_IPV6_EXTENSION_LIMIT, PACKET_STATUS_TRUNCATED_TCP,
  PACKET_STATUS_BAD_TCP_HEADER_LENGTH, PACKET_STATUS_TRUNCATED_UDP, PACKET_STATUS_BAD_UDP_LENGTH,
  PACKET_STATUS_TRUNCATED_ICMP, PACKET_STATUS_FRAME_OUT_OF_BOUNDS, IPV6_EXTENSION_LIMIT,
} from "./packet/status";
export { PCAP_SWAPPED, PCAP_NANOSECONDS, PCAP_ERROR_RECORD_TOO_LARGE } from "./packet/pcap";

/** Why the batch's last pcap indexing call stopped before its end: 0 or PCAP_ERROR_RECORD_TOO_LARGE. */
export function packetBatchIndexError(batch: PacketBatch): u32 {
  return batch.indexError;
}

/** Number of columns of a packet batch, and of per-status counters. */
export const PACKET_COLUMN_COUNT: u32 = COLUMN_COUNT;
export const PACKET_STATUS_SLOTS: u32 = STATUS_SLOTS;

/** Bytes of the one block a batch of `capacity` packets and `frameBytes` of frames takes. */
export function packetBatchBytes(capacity: u32, frameBytes: u32): f64 {
  return <f64>batchBytes(capacity, frameBytes);
}

/** Frees a batch made by `packetBatchCreate`. */
export function packetBatchFree(batch: PacketBatch): void {
  batchFree(batch);
}

/** A batch for `capacity` packets with a frame area of `frameBytes` bytes. */
export function packetBatchCreate(capacity: u32, frameBytes: u32): PacketBatch {
  return batchCreate(capacity, frameBytes);
}

/** Pointer to column `id` of a batch (0 for an unknown id). */
export function packetBatchColumn(batch: PacketBatch, id: u32): usize {
  return batchColumn(batch, id);
}

/** Bytes per packet of column `id`. */
export function packetColumnWidth(id: u32): u32 {
  return columnWidth(id);
}

/** Pointer to the frame area of a batch. */
export function packetBatchFrames(batch: PacketBatch): usize {
  return batch.frames;
}

/** Pointer to the per-status counters (STATUS_SLOTS u64) of a batch. */
export function packetBatchStatusCounts(batch: PacketBatch): usize {
  return batch.statusCounts;
}

/** Packets in the batch. */
export function packetBatchCount(batch: PacketBatch): u32 {
  return batch.count;
}

/** Sets the number of packets in the batch (at most its capacity). */
export function packetBatchSetCount(batch: PacketBatch, count: u32): void {
  batch.count = count < batch.capacity ? count : batch.capacity;
}

/** Parses packets [from, from + count) (clamped to the batch); returns how many had an error status. */
export function packetParse(batch: PacketBatch, from: u32, count: u32): u32 {
  if (from >= batch.count) return 0;
  const available = batch.count - from;
  return parseBatch(batch, from, count < available ? count : available);
}

/**
 * Appends the classic-pcap records in frame-area bytes [start, end) to the batch; returns the
 * offset after the last record indexed. `packetBatchIndexError` tells whether a bad record stopped it.
 */
export function packetIndexPcap(batch: PacketBatch, start: u32, end: u32, flags: u32, linkType: u32, iface: u32, maxCaptured: u32): u32 {
  return indexPcap(batch, start, end, flags, linkType, iface, maxCaptured);
}

/** packetIndexPcap that also parses (and counts) every packet it appends, in the same pass. */
export function packetIndexPcapAndParse(batch: PacketBatch, start: u32, end: u32, flags: u32, linkType: u32, iface: u32, maxCaptured: u32): u32 {
  return indexPcapAndParse(batch, start, end, flags, linkType, iface, maxCaptured);
}

/**
 * Partitions a parsed batch over `shards` shards (ShardedDataplane) by a keyed flow hash under
 * the key (high << 32 | low words): one run of records per shard at `out`, the runs' offsets,
 * bytes and packets at `table`; `work` holds count + 48 bytes. See packet/shard.ts. Returns the
 * bytes written, or -1 (nothing written).
 */
export function packetBatchPartition(
  batch: PacketBatch, shards: u32, k0Low: u32, k0High: u32, k1Low: u32, k1High: u32, out: usize, outBytes: u32, table: usize, work: usize,
): i32 {
  return batchPartition(batch, shards, ((<u64>k0High) << 32) | <u64>k0Low, ((<u64>k1High) << 32) | <u64>k1Low, out, outBytes, table, work);
}

/** Unpacks shard records from [src, src + bytes) into the empty batch; returns the bytes taken, or -1. */
export function packetBatchUnpack(batch: PacketBatch, src: usize, bytes: u32): i32 {
  return batchUnpack(batch, src, bytes);
}

export { SHARD_RECORD_HEADER as PACKET_SHARD_RECORD_HEADER, SHARD_TABLE_WORDS as PACKET_SHARD_TABLE_WORDS, SHARD_MAX as PACKET_SHARD_MAX } from "./packet/shard";
