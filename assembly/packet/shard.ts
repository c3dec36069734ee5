// Sharding a parsed batch across workers (ShardedDataplane): one call partitions the batch's
// packets by a keyed hash of their flow into one contiguous run of records per shard, which the
// host copies into that shard's ring in one piece; on the other side one call unpacks a run of
// records into a batch (frames into its frame area, the capture columns set), ready to parse.
//
// A record is SHARD_RECORD_HEADER bytes then the captured frame, padded to 8 bytes:
//   u32 captured length, u32 interface, f64 time, u32 wire length, u16 link type, u16 0.
//
// The shard is a function of the fields every flow key is made of (IP version, addresses,
// protocol, and the ports for TCP and UDP), so all the packets of a flow, in either direction
// of accounting, go to the same shard; packets that are not IP go to shard 0. The hash is
// SipHash-1-3 under the host's key, as for the tables fed by traffic: crafted traffic cannot
// aim every flow at one shard without knowing the key.

import { PacketBatch } from "./batch";
import { sipHash13, sipHash13Words3 } from "../common/hash";

export const SHARD_RECORD_HEADER: u32 = 24;
/** Words per shard in the partition's table: byte offset of its run, bytes, packets. */
export const SHARD_TABLE_WORDS: u32 = 3;
export const SHARD_MAX: u32 = 256;

// @ts-ignore: decorator
@inline function recordBytes(captured: u32): u32 {
  return SHARD_RECORD_HEADER + ((captured + 7) & ~7);
}

/** The shard (below `shards`) of packet `n` of a parsed batch; `scratch` holds 40 bytes. */
// @ts-ignore: decorator
@inline function shardOf(b: PacketBatch, n: usize, shards: u32, k0: u64, k1: u64, scratch: usize): u32 {
  const version = load<u8>(b.ipVersion + n);
  if (version != 4 && version != 6) return 0;
  const protocol = <u64>load<u8>(b.protocol + n);
  let ports: u64 = 0;
  if (protocol == 6 || protocol == 17) ports = <u64>load<u16>(b.srcPort + (n << 1)) | ((<u64>load<u16>(b.dstPort + (n << 1))) << 16);
  const last = ports | (protocol << 32) | ((<u64>version) << 40);
  let h: u64;
  if (version == 4) {
    h = sipHash13Words3(<u64>load<u32>(b.src + (n << 4)) | ((<u64>load<u32>(b.dst + (n << 4))) << 32), last, 0, k0, k1);
  } else {
    memory.copy(scratch, b.src + (n << 4), 16);
    memory.copy(scratch + 16, b.dst + (n << 4), 16);
    store<u64>(scratch, last, 32);
    h = sipHash13(scratch, 40, k0, k1);
  }
  return <u32>(((h >>> 32) * <u64>shards) >>> 32);
}

/**
 * Partitions the `b.count` packets of the parsed batch `b` over `shards` shards: writes every
 * shard's records, in arrival order, as one run at `out` (runs one after another, shard 0
 * first) and, at `table`, SHARD_TABLE_WORDS u32 per shard (offset of its run from `out`, its
 * bytes, its packets). `work` holds b.count + 48 bytes. Returns the bytes written, or -1 when
 * they would exceed `outBytes` or `shards` is out of range (nothing written).
 */
export function batchPartition(
  b: PacketBatch, shards: u32, k0: u64, k1: u64, out: usize, outBytes: u32, table: usize, work: usize,
): i32 {
  if (shards < 1 || shards > SHARD_MAX) return -1;
  const count = b.count;
  const shardOfPacket = work + 48;
  memory.fill(table, 0, (<usize>shards * SHARD_TABLE_WORDS) << 2);
  // 1. The shard of every packet, and the bytes and packets of each shard.
  let total: u64 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const n = <usize>i;
    const s = shards == 1 ? 0 : shardOf(b, n, shards, k0, k1, work);
    store<u8>(shardOfPacket + n, <u8>s);
    const bytes = recordBytes(load<u32>(b.capturedLength + (n << 2)));
    const at = table + ((<usize>s * SHARD_TABLE_WORDS) << 2);
    store<u32>(at, load<u32>(at, 4) + bytes, 4);
    store<u32>(at, load<u32>(at, 8) + 1, 8);
    total += <u64>bytes;
  }
  if (total > <u64>outBytes) return -1;
  // 2. Where each run starts; then the records, each at the end of its shard's run so far.
  let offset: u32 = 0;
  for (let s: u32 = 0; s < shards; s++) {
    const at = table + ((<usize>s * SHARD_TABLE_WORDS) << 2);
    store<u32>(at, offset);
    offset += load<u32>(at, 4);
    store<u32>(at, 0, 4);
  }
  for (let i: u32 = 0; i < count; i++) {
    const n = <usize>i;
    const at = table + ((<usize>load<u8>(shardOfPacket + n) * SHARD_TABLE_WORDS) << 2);
    const used = load<u32>(at, 4);
    const r = out + <usize>load<u32>(at) + <usize>used;
    const captured = load<u32>(b.capturedLength + (n << 2));
    store<u32>(r, captured);
    store<u32>(r, load<u32>(b.iface + (n << 2)), 4);
    store<f64>(r, load<f64>(b.time + (n << 3)), 8);
    store<u32>(r, load<u32>(b.wireLength + (n << 2)), 16);
    store<u32>(r, <u32>load<u16>(b.linkType + (n << 1)), 20);
    memory.copy(r + SHARD_RECORD_HEADER, b.frames + <usize>load<u32>(b.frameOffset + (n << 2)), captured);
    store<u32>(at, used + recordBytes(captured), 4);
  }
  return <i32>total;
}

/**
 * Unpacks the records in [src, src + bytes) into the empty batch `b` (frames into its frame
 * area from offset 0, the capture columns set, not parsed), as many as fit its capacity and
 * frame area; sets its count. Returns the bytes of records taken (the caller passes the rest
 * in the next call), or -1 when a record is malformed or larger than the frame area.
 */
export function batchUnpack(b: PacketBatch, src: usize, bytes: u32): i32 {
  let at: u32 = 0;
  let used: u32 = 0;
  let n: u32 = 0;
  while (at < bytes && n < b.capacity) {
    if (bytes - at < SHARD_RECORD_HEADER) return -1;
    const r = src + <usize>at;
    const captured = load<u32>(r);
    const size = recordBytes(captured);
    if (captured > b.frameBytes || <u64>size > <u64>(bytes - at)) return -1;
    if (<u64>used + <u64>captured > <u64>b.frameBytes) break;
    const k = <usize>n;
    memory.copy(b.frames + <usize>used, r + SHARD_RECORD_HEADER, captured);
    store<u32>(b.frameOffset + (k << 2), used);
    store<u32>(b.capturedLength + (k << 2), captured);
    store<u32>(b.iface + (k << 2), load<u32>(r, 4));
    store<f64>(b.time + (k << 3), load<f64>(r, 8));
    store<u32>(b.wireLength + (k << 2), load<u32>(r, 16));
    store<u16>(b.linkType + (k << 1), <u16>load<u32>(r, 20));
    used += captured;
    at += size;
    n++;
  }
  b.count = n;
  return <i32>at;
}
