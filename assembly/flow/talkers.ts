// The top-talkers column of a flow cache: 16 bytes per entry mirroring what the address sweep
// of top talkers reads (analysis/top.ts), so that `show ip flow top N aggregate source-address`
// streams 16 bytes a flow instead of the 112-byte record. It exists only while top talkers are
// attached (`FlowCache.talkers` non-zero, refcounted by the host); the packet path then rewrites
// an entry's 16 bytes after accounting a packet to it (two stores of values it has in cache, no
// load of the column) and zeroes its packets when the entry is released. Without it, the packet
// path pays one predictable branch.
//
//   +0 u32 packets (0 = a free entry)   +4 u32 source address word 0 (the IPv4 address)
//   +8 u64 bytes in the low 56 bits, IP version in the top 8
//
// Bytes fit 56 bits: at most 2^32 packets of at most 2^17 bytes each.

import { FlowCache, OFF_PACKETS, OFF_BYTES, OFF_SRC, OFF_VERSION } from "./state";

export const TALKER_BYTES: u32 = 16;
export const TALKER_BYTES_MASK: u64 = 0x00ffffffffffffff;

/** Rewrites the column entry of live entry `id` (record at `e`) from its record. */
// @ts-ignore: decorator
@inline export function talkerMirror(c: FlowCache, id: u32, e: usize): void {
  const p = c.talkers + (<usize>id << 4);
  store<u64>(p, <u64>load<u32>(e, OFF_PACKETS) | ((<u64>load<u32>(e, OFF_SRC)) << 32));
  store<u64>(p, load<u64>(e, OFF_BYTES) | ((<u64>load<u8>(e, OFF_VERSION)) << 56), 8);
}

/** Marks entry `id` free in the column. */
// @ts-ignore: decorator
@inline export function talkerRelease(c: FlowCache, id: u32): void {
  store<u32>(c.talkers + (<usize>id << 4), 0);
}
