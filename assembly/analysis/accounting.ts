// IP accounting (`ip accounting output-packets`, seed spec §1.4, §3.2): packets and bytes per
// (source, destination) pair of the packets sent out of the interfaces that have it. The table
// holds at most `threshold` pairs (IOS `ip accounting-threshold`, default 512); a packet of a new
// pair beyond that is counted as "accounting threshold exceeded" (packets and bytes), never
// dropped silently. `clear ip accounting` moves the active table to the checkpoint (the previous
// checkpoint is discarded) and starts an empty one.
//
// An entry (ENTRY_BYTES): +0 source (16 bytes, four u32 words most significant first, IPv4 in
// word 0), +16 destination, +32 u32 IP version, +36 u32 unused, +40 u64 packets, +48 u64 bytes.
// Entries are in arrival order of their first packet; the index is linear probing over u32
// slots (entry + 1) under a keyed SipHash, since the pairs come from traffic.

import { PacketBatch } from "../packet/batch";
import { sipHash13Words3, sipHash13 } from "../common/hash";

export const ENTRY_BYTES: u32 = 56;

@unmanaged export class AccountingTable {
  entries: usize;
  checkpoint: usize;
  index: usize;
  /** 40 bytes: a key to hash (IPv6). */
  scratch: usize;
  key0: u64;
  key1: u64;
  exceededPackets: u64;
  exceededBytes: u64;
  checkpointExceededPackets: u64;
  checkpointExceededBytes: u64;
  /** Packets offered that were not IP (counted, not accounted). */
  notIp: u64;
  threshold: u32;
  slots: u32;
  count: u32;
  checkpointCount: u32;
}

/** Bytes an accounting table of `threshold` pairs allocates (both tables, index, header). */
export function accountingBytes(threshold: u32): usize {
  return offsetof<AccountingTable>() + 2 * <usize>threshold * ENTRY_BYTES + (<usize>slotsFor(threshold) << 2) + 40;
}

function slotsFor(threshold: u32): u32 {
  let slots: u32 = 16;
  while (slots < (threshold << 1)) slots <<= 1;
  return slots;
}

export function accountingCreate(threshold: u32, seedLow: u32, seedHigh: u32, seedLow2: u32, seedHigh2: u32): AccountingTable {
  const t = changetype<AccountingTable>(heap.alloc(offsetof<AccountingTable>()));
  memory.fill(changetype<usize>(t), 0, offsetof<AccountingTable>());
  t.threshold = threshold;
  t.slots = slotsFor(threshold);
  const entryBytes = <usize>threshold * ENTRY_BYTES;
  t.entries = heap.alloc(entryBytes);
  t.checkpoint = heap.alloc(entryBytes);
  t.index = heap.alloc(<usize>t.slots << 2);
  t.scratch = heap.alloc(40);
  memory.fill(t.index, 0, <usize>t.slots << 2);
  t.key0 = ((<u64>seedHigh) << 32) | seedLow;
  t.key1 = ((<u64>seedHigh2) << 32) | seedLow2;
  return t;
}

export function accountingFree(t: AccountingTable): void {
  heap.free(t.entries);
  heap.free(t.checkpoint);
  heap.free(t.index);
  heap.free(t.scratch);
  heap.free(changetype<usize>(t));
}

// @ts-ignore: decorator
@inline function entryAt(base: usize, i: u32): usize {
  return base + <usize>i * ENTRY_BYTES;
}

function pairHash(t: AccountingTable, src: usize, dst: usize, version: u32): u32 {
  if (version == 4) {
    const pair = <u64>load<u32>(src) | ((<u64>load<u32>(dst)) << 32);
    return <u32>sipHash13Words3(pair, 4, 0, t.key0, t.key1);
  }
  const s = t.scratch;
  memory.copy(s, src, 16);
  memory.copy(s + 16, dst, 16);
  store<u64>(s, <u64>version, 32);
  return <u32>sipHash13(s, 40, t.key0, t.key1);
}

// @ts-ignore: decorator
@inline function sameAddress(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8);
}

/** Accounts one packet of `length` bytes from `src` to `dst` (16-byte addresses). */
function accountOne(t: AccountingTable, src: usize, dst: usize, version: u32, length: u64): void {
  const mask = t.slots - 1;
  let i = pairHash(t, src, dst, version) & mask;
  for (;;) {
    const at = t.index + (<usize>i << 2);
    const slot = load<u32>(at);
    if (slot == 0) {
      if (t.count == t.threshold) {
        t.exceededPackets++;
        t.exceededBytes += length;
        return;
      }
      const n = t.count++;
      store<u32>(at, n + 1);
      const e = entryAt(t.entries, n);
      memory.copy(e, src, 16);
      memory.copy(e + 16, dst, 16);
      store<u32>(e, version, 32);
      store<u32>(e, 0, 36);
      store<u64>(e, 1, 40);
      store<u64>(e, length, 48);
      return;
    }
    const e = entryAt(t.entries, slot - 1);
    if (load<u32>(e, 32) == version && sameAddress(e, src) && sameAddress(e + 16, dst)) {
      store<u64>(e, load<u64>(e, 40) + 1, 40);
      store<u64>(e, load<u64>(e, 48) + length, 48);
      return;
    }
    i = (i + 1) & mask;
  }
}

/**
 * Accounts packets [from, from + count) given as columns: `version` (u8 per packet), `src` and
 * `dst` (16 bytes per packet), `length` (u32 IP total length per packet); `selection`, when
 * non-zero, is one byte per packet (index 0 = packet 0) and packets whose byte is 0 are skipped.
 * Packets that are not IPv4 or IPv6 are counted in `notIp`. Returns the packets accounted
 * (including those over the threshold).
 */
export function accountColumns(
  t: AccountingTable, version: usize, src: usize, dst: usize, length: usize, selection: usize, from: u32, count: u32,
): u32 {
  let accounted: u32 = 0;
  const end = from + count;
  for (let i = from; i < end; i++) {
    const n = <usize>i;
    if (selection != 0 && load<u8>(selection + n) == 0) continue;
    const v = <u32>load<u8>(version + n);
    if (v != 4 && v != 6) {
      t.notIp++;
      continue;
    }
    accountOne(t, src + (n << 4), dst + (n << 4), v, <u64>load<u32>(length + (n << 2)));
    accounted++;
  }
  return accounted;
}

/** Accounts packets [from, from + count) of a batch (clamped to it); see accountColumns. */
export function accountBatch(t: AccountingTable, b: PacketBatch, from: u32, count: u32, selection: usize): u32 {
  if (from >= b.count) return 0;
  if (count > b.count - from) count = b.count - from;
  return accountColumns(t, b.ipVersion, b.src, b.dst, b.ipLength, selection, from, count);
}

/** `clear ip accounting`: the active table becomes the checkpoint; a new, empty one starts. */
export function accountingClear(t: AccountingTable): void {
  const old = t.checkpoint;
  t.checkpoint = t.entries;
  t.checkpointCount = t.count;
  t.checkpointExceededPackets = t.exceededPackets;
  t.checkpointExceededBytes = t.exceededBytes;
  t.entries = old;
  t.count = 0;
  t.exceededPackets = 0;
  t.exceededBytes = 0;
  memory.fill(t.index, 0, <usize>t.slots << 2);
}
