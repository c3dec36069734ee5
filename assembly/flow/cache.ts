// The NetFlow main cache: accounting packets of a PacketBatch into flows, the expiry rules and
// the export queue. Semantics (mirrored exactly by src/reference/flow-cache.ts):
//
// * A packet is offered when its selection byte is non-zero (or there is no selection). Offered
//   packets whose parse status is neither `ok` nor `fragment` are refused (not IP).
// * The key is built from the packet under the flow mask; ICMP and ICMPv6 put type << 8 | code
//   in the destination port and 0 in the source port, as NetFlow does.
// * A flow ends for the first of: a TCP FIN or RST (`tcp-end`, at that packet), the inactive
//   timeout (no packet for `inactiveTimeout` ms after the last), the active timeout
//   (`activeTimeout` ms after the first packet), the packet counter reaching its maximum
//   (`counter-full`), the cache being full when a new flow arrives (`cache-full`: the oldest
//   flow by creation goes), or a flush. A timeout is judged at `last + inactive` and
//   `first + active` (earliest wins, a tie goes to `active`), so a flow's end reason does not
//   depend on when the ager happens to look at it; a packet for a flow whose time is up ends it
//   and starts a new one, whether or not the ager got there first.
// * Every ended flow goes to the export queue. When the queue is full, nothing is lost: a flow
//   whose time is up stays in the cache (and takes the packet) until there is room, and a new
//   flow that would need an eviction is refused with its packet (counted). So always
//   packets in = packets in live flows + packets in expired flows + packets refused.
// * The ager looks at `agerBatch` entries per poll, in entry order, from where it stopped.

import { PacketBatch } from "../packet/batch";
import { PACKET_STATUS_FRAGMENT } from "../packet/status";
import {
  FlowCache, RECORD_BYTES, EXPORT_RECORD_BYTES, NONE, OFF_SRC, OFF_DST, OFF_SRC_PORT, OFF_INTERFACE, OFF_PACKETS,
  OFF_BYTES, OFF_FIRST, OFF_LAST, OFF_IP_ID, OFF_MIN_LENGTH, OFF_MAX_LENGTH, OFF_SRC_MAC, OFF_DST_MAC,
  OFF_INPUT_VLAN, OFF_OUTPUT_VLAN, OFF_FRAGMENT_OFFSET, OFF_TCP_FLAGS, OFF_MIN_TTL, OFF_MAX_TTL, OFF_ICMP_TYPE,
  OFF_ICMP_CODE, OFF_END_REASON, OFF_ENTRY_ID, OFF_EXPIRED_AT, OFF_SEQUENCE, OFF_NEXT, CAPTURED_FRAGMENT, CAPTURED_ICMP,
  CAPTURED_MAC, C_PACKETS_IN, C_BYTES_IN, C_PACKETS_ACCOUNTED, C_BYTES_ACCOUNTED, C_PACKETS_REFUSED, C_BYTES_REFUSED,
  C_REFUSED_NOT_IP, C_REFUSED_NO_ROOM, C_REFUSED_PROBE_LIMIT, C_REFUSED_COUNTER_FULL, C_FLOWS_ADDED,
  C_ALLOC_FAILURES, C_AGER_POLLS, C_AGER_EXAMINED, C_EXPORT_STALLS, C_FLOWS_EXPIRED, C_PACKETS_EXPIRED,
  C_BYTES_EXPIRED, C_UNSELECTED, C_EXPIRED_BY_REASON, REASON_INACTIVE, REASON_ACTIVE, REASON_TCP_END,
  REASON_CACHE_FULL, REASON_FLUSH, REASON_COUNTER_FULL, REASON_NONE, MASK_FULL, MASK_DESTINATION, PROTOCOL_FIELDS,
  PROTOCOL_FLOWS, PROTOCOL_PACKETS, PROTOCOL_BYTES, PROTOCOL_ACTIVE_MS, PROTOCOL_IDLE_MS, NO_VLAN,
} from "./state";
import {
  entryAt, keyHash, indexFind, indexPut, indexRemove, entryTake, listAppend, listRemove, entryRelease, foundEmptySlot,
  lastProbes, countLookups,
} from "./table";
import { protocolCategory, sizeBucket } from "./statistics";
import { talkerHome, talkerIntern, talkerLoadHomes, talkerMirror, talkerTouchSources } from "./talkers";
import { reduceRange } from "../common/hash";

const TCP_FIN_RST: u16 = 0x005;
const MORE_FRAGMENTS: u8 = 0x20;

// @ts-ignore: decorator
@inline function counterAdd(c: FlowCache, slot: u32, value: u64): void {
  const p = c.counters + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + value);
}

/** Why the flow at `e` has ended by time `now`, or REASON_NONE. */
// @ts-ignore: decorator
@inline export function endReason(c: FlowCache, e: usize, now: f64): u32 {
  if (load<u16>(e, OFF_TCP_FLAGS) & TCP_FIN_RST) return REASON_TCP_END;
  const activeDeadline = load<f64>(e, OFF_FIRST) + c.activeTimeout;
  const inactiveDeadline = load<f64>(e, OFF_LAST) + c.inactiveTimeout;
  if (activeDeadline <= inactiveDeadline) return now >= activeDeadline ? REASON_ACTIVE : REASON_NONE;
  return now >= inactiveDeadline ? REASON_INACTIVE : REASON_NONE;
}

// @ts-ignore: decorator
@inline function queueFull(c: FlowCache): bool {
  return c.queueCount == c.queueCapacity;
}

/**
 * Moves live entry `id` to the export queue (which must have room) with `reason`, counts it,
 * and takes it out of the index and the creation list. With `release` false the entry stays
 * allocated (and in the index) for a new flow of the same key.
 */
function expire(c: FlowCache, id: u32, reason: u32, now: f64, release: bool): void {
  const e = entryAt(c, id);
  let at = c.queueHead + c.queueCount;
  if (at >= c.queueCapacity) at -= c.queueCapacity;
  const record = c.queue + <usize>at * EXPORT_RECORD_BYTES;
  memory.copy(record, e, RECORD_BYTES);
  store<u32>(record, reason, OFF_END_REASON);
  store<u32>(record, id, OFF_ENTRY_ID);
  store<f64>(record, now, OFF_EXPIRED_AT);
  store<u64>(record, c.exportSequence++, OFF_SEQUENCE);
  c.queueCount++;

  const packets = <u64>load<u32>(e, OFF_PACKETS);
  const bytes = load<u64>(e, OFF_BYTES);
  counterAdd(c, C_FLOWS_EXPIRED, 1);
  counterAdd(c, C_EXPIRED_BY_REASON + reason, 1);
  counterAdd(c, C_PACKETS_EXPIRED, packets);
  counterAdd(c, C_BYTES_EXPIRED, bytes);
  const first = load<f64>(e, OFF_FIRST);
  const last = load<f64>(e, OFF_LAST);
  const stats = c.protocols + <usize>protocolCategory(e) * (PROTOCOL_FIELDS << 3);
  store<u64>(stats, load<u64>(stats, PROTOCOL_FLOWS << 3) + 1, PROTOCOL_FLOWS << 3);
  store<u64>(stats, load<u64>(stats, PROTOCOL_PACKETS << 3) + packets, PROTOCOL_PACKETS << 3);
  store<u64>(stats, load<u64>(stats, PROTOCOL_BYTES << 3) + bytes, PROTOCOL_BYTES << 3);
  store<f64>(stats, load<f64>(stats, PROTOCOL_ACTIVE_MS << 3) + (last - first), PROTOCOL_ACTIVE_MS << 3);
  const idle = now - last;
  store<f64>(stats, load<f64>(stats, PROTOCOL_IDLE_MS << 3) + (idle > 0 ? idle : 0), PROTOCOL_IDLE_MS << 3);

  listRemove(c, id);
  if (release) {
    indexRemove(c, id);
    entryRelease(c, id);
  }
}

/** Starts a flow in entry `id` from packet `i` (key already in the entry). */
// @ts-ignore: decorator
@inline function flowStart(c: FlowCache, b: PacketBatch, i: u32, e: usize, time: f64): void {
  store<u32>(e, 0, OFF_PACKETS);
  store<u64>(e, 0, OFF_BYTES);
  store<f64>(e, time, OFF_FIRST);
  store<f64>(e, time, OFF_LAST);
  store<u32>(e, load<u32>(b.ipId + (<usize>i << 2)), OFF_IP_ID);
  store<u16>(e, 0xffff, OFF_MIN_LENGTH);
  store<u16>(e, 0, OFF_MAX_LENGTH);
  // Both MACs (12 bytes) and both VLAN ids (all ones) in three stores.
  store<u64>(e, 0, OFF_SRC_MAC);
  store<u32>(e, 0, OFF_SRC_MAC + 8);
  store<u32>(e, 0xffffffff, OFF_INPUT_VLAN);
  store<u32>(e, 0, OFF_FRAGMENT_OFFSET); // and the flags
  store<u32>(e, 0x000000ff, OFF_MIN_TTL); // min TTL 255, max 0, ICMP type and code 0
}

/** Adds packet `i` to the flow at `e`. */
// @ts-ignore: decorator
@inline function flowAccount(c: FlowCache, b: PacketBatch, i: u32, e: usize, time: f64, length: u32, protocol: u32, direction: u32): void {
  const n = <usize>i;
  store<u32>(e, load<u32>(e, OFF_PACKETS) + 1, OFF_PACKETS);
  store<u64>(e, load<u64>(e, OFF_BYTES) + <u64>length, OFF_BYTES);
  if (time > load<f64>(e, OFF_LAST)) store<f64>(e, time, OFF_LAST);
  const plen = <u16>(length < 0xffff ? length : 0xffff);
  if (plen < load<u16>(e, OFF_MIN_LENGTH)) store<u16>(e, plen, OFF_MIN_LENGTH);
  if (plen > load<u16>(e, OFF_MAX_LENGTH)) store<u16>(e, plen, OFF_MAX_LENGTH);
  const ttl = load<u8>(b.ttl + n);
  if (ttl < load<u8>(e, OFF_MIN_TTL)) store<u8>(e, ttl, OFF_MIN_TTL);
  if (ttl > load<u8>(e, OFF_MAX_TTL)) store<u8>(e, ttl, OFF_MAX_TTL);
  let flags = load<u16>(e, OFF_TCP_FLAGS) | load<u16>(b.tcpFlags + (n << 1));
  if (!(flags & CAPTURED_ICMP) && (protocol == 1 || protocol == 58)) {
    flags |= CAPTURED_ICMP;
    store<u8>(e, load<u8>(b.icmpType + n), OFF_ICMP_TYPE);
    store<u8>(e, load<u8>(b.icmpCode + n), OFF_ICMP_CODE);
  }
  if (!(flags & CAPTURED_FRAGMENT)) {
    const offset = load<u16>(b.fragmentOffset + (n << 1));
    if (offset != 0 || (load<u8>(b.fragmentFlags + n) & MORE_FRAGMENTS)) {
      flags |= CAPTURED_FRAGMENT;
      store<u16>(e, offset, OFF_FRAGMENT_OFFSET);
    }
  }
  if (!(flags & CAPTURED_MAC)) {
    const src = load<u64>(b.srcMac + (n << 3));
    const dst = load<u64>(b.dstMac + (n << 3));
    if ((src | dst) != 0) {
      flags |= CAPTURED_MAC;
      store<u32>(e, <u32>src, OFF_SRC_MAC);
      store<u16>(e, <u16>(src >> 32), OFF_SRC_MAC + 4);
      store<u32>(e, <u32>dst, OFF_DST_MAC);
      store<u16>(e, <u16>(dst >> 32), OFF_DST_MAC + 4);
    }
  }
  store<u16>(e, flags, OFF_TCP_FLAGS);
  const vlan = load<u16>(b.vlanOuter + (n << 1));
  if (vlan != NO_VLAN) {
    const at = e + <usize>(direction == 0 ? OFF_INPUT_VLAN : OFF_OUTPUT_VLAN);
    if (load<u16>(at) == NO_VLAN) store<u16>(at, vlan);
  }
  // IP packet size distribution, over every packet accounted.
  const bucket = c.sizes + (<usize>sizeBucket(length) << 3);
  store<u64>(bucket, load<u64>(bucket) + 1);
}

/** Writes the key of packet `i` under the cache's mask to `key` (record layout, 48 bytes). */
// @ts-ignore: decorator
@inline function buildKey(c: FlowCache, b: PacketBatch, i: u32, key: usize, direction: u32): void {
  const n = <usize>i;
  const mask = c.mask;
  const src = b.src + (n << 4);
  const dst = b.dst + (n << 4);
  store<u64>(key, load<u64>(dst), OFF_DST);
  store<u64>(key, load<u64>(dst, 8), OFF_DST + 8);
  const version = <u64>load<u8>(b.ipVersion + n);
  let word: u64 = (version << 48) | ((<u64>direction) << 56);
  if (mask != MASK_DESTINATION) {
    store<u64>(key, load<u64>(src), OFF_SRC);
    store<u64>(key, load<u64>(src, 8), OFF_SRC + 8);
  } else {
    store<u64>(key, 0, OFF_SRC);
    store<u64>(key, 0, OFF_SRC + 8);
  }
  if (mask == MASK_FULL) {
    const protocol = <u64>load<u8>(b.protocol + n);
    let ports: u64;
    if (protocol == 1 || protocol == 58) {
      ports = ((<u64>load<u8>(b.icmpType + n)) << 24) | ((<u64>load<u8>(b.icmpCode + n)) << 16);
    } else {
      ports = <u64>load<u16>(b.srcPort + (n << 1)) | ((<u64>load<u16>(b.dstPort + (n << 1))) << 16);
    }
    word |= ports | (protocol << 32) | ((<u64>load<u8>(b.tos + n)) << 40);
  }
  store<u64>(key, word, OFF_SRC_PORT);
  store<u64>(key, <u64>load<u32>(b.iface + (n << 2)), OFF_INTERFACE);
}

// @ts-ignore: decorator
@inline function refuse(c: FlowCache, reasonSlot: u32, length: u32): void {
  counterAdd(c, C_PACKETS_REFUSED, 1);
  counterAdd(c, C_BYTES_REFUSED, <u64>length);
  counterAdd(c, reasonSlot, 1);
}

/**
 * Accounts packets [from, from + count) of `b` (clamped to the batch) in direction `direction`
 * (0 ingress, 1 egress). `selection`, when non-zero, points at one byte per packet of the batch
 * (index 0 = packet 0): packets whose byte is 0 are not offered. Returns the packets accounted.
 */
export function cacheUpdate(c: FlowCache, b: PacketBatch, from: u32, count: u32, direction: u32, selection: usize): u32 {
  if (from >= b.count) return 0;
  const end = count < b.count - from ? from + count : b.count;
  let accounted: u32 = 0;
  for (let start = from; start < end; start += READ_AHEAD_RUN) {
    const stop = end - start > READ_AHEAD_RUN ? start + READ_AHEAD_RUN : end;
    prepareRun(c, b, start, stop, direction, selection);
    accounted += accountRun(c, b, start, stop, direction, selection);
  }
  return accounted;
}

/** Packets per run of the read-ahead: keys and hashes first, then the loads, then the work. */
export const READ_AHEAD_RUN: u32 = 64;
export const READ_AHEAD_KEY_BYTES: u32 = 48;
/** Index slots the read-ahead looks along from a packet's home for its hash. */
const READ_AHEAD_PROBES: u32 = 8;

/**
 * Builds and hashes the keys of packets [start, stop) into the run buffers, then loads, in
 * tight loops of independent loads (so that their cache misses overlap), the index slot of
 * each, then the cache lines of the entry it names. The dependent work in accountRun then finds
 * them in cache. Packets that will not be accounted get hash 0 and no entry loads. Each loop
 * does little besides its loads: without a prefetch instruction in WebAssembly, a missing load
 * holds the reorder buffer until it returns, so the fewer instructions between two loads, the
 * more of them are in flight at once (the entry loads in a loop of their own, out of the probe
 * loop that finds the entries, measured ×0.95–0.98 on the Dataplane bench's 100k flows).
 */
function prepareRun(c: FlowCache, b: PacketBatch, start: u32, stop: u32, direction: u32, selection: usize): void {
  const count = stop - start;
  c.victimCount = 0;
  c.victimNext = 0;
  for (let k: u32 = 0; k < count; k++) {
    const n = <usize>(start + k);
    const version = load<u8>(b.ipVersion + n);
    const offered = (selection == 0 || load<u8>(selection + n) != 0)
      && load<u8>(b.status + n) <= PACKET_STATUS_FRAGMENT && (version == 4 || version == 6);
    if (!offered) {
      store<u32>(c.hashes + (<usize>k << 2), 0);
      continue;
    }
    const key = c.keys + <usize>k * READ_AHEAD_KEY_BYTES;
    buildKey(c, b, start + k, key, direction);
    store<u32>(c.hashes + (<usize>k << 2), keyHash(c, key));
  }
  const index = c.index;
  const slots = c.slots;
  // Every packet's home slot, whether offered or not (a packet not offered has hash 0 and its
  // slot is never read): no branch in the loop, so more of its loads are in flight at once.
  for (let k: u32 = 0; k < count; k++) {
    store<u64>(c.slotsRun + (<usize>k << 3), load<u64>(index + (<usize>reduceRange(load<u32>(c.hashes + (<usize>k << 2)), slots) << 3)));
  }
  // The entry of each packet's flow: the first slot from home holding the packet's hash (often
  // not the home slot itself: linear probing puts about half the keys further along, mostly in
  // the same index line). A new flow's probe stops at the empty slot, touching no entry.
  // With top talkers attached, a new flow's source is looked up in the source table: the run
  // buffer of slots, no longer needed, takes the home slot of each new flow's source (0 for the
  // others), then that slot, and the source it names is touched.
  const talkers = c.talkers != 0;
  let sink: u64 = 0;
  let fresh: u32 = 0;
  let found: u32 = 0;
  for (let k: u32 = 0; k < count; k++) {
    const at = c.slotsRun + (<usize>k << 3);
    let slot = load<u64>(at);
    const hash = load<u32>(c.hashes + (<usize>k << 2));
    // Not offered (or a hash of 0, which only loses the read-ahead).
    if (hash == 0) {
      if (talkers) store<u64>(at, 0);
      continue;
    }
    let i = reduceRange(hash, slots);
    for (let probe: u32 = 0; probe < READ_AHEAD_PROBES && slot != 0 && <u32>(slot >> 32) != hash; probe++) {
      i = i + 1 == slots ? 0 : i + 1;
      slot = load<u64>(index + (<usize>i << 3));
    }
    if (slot == 0) {
      store<u64>(at, talkers ? talkerHome(c, c.keys + <usize>k * READ_AHEAD_KEY_BYTES) : 0);
      fresh++;
      continue;
    }
    if (talkers) store<u64>(at, 0);
    store<u32>(c.entriesRun + (<usize>(found++) << 2), <u32>entryAt(c, <u32>slot - 1));
  }
  // A record (112 bytes) spans two or three cache lines: touch each, in a loop of nothing else.
  for (let j: u32 = 0; j < found; j++) {
    const e = <usize>load<u32>(c.entriesRun + (<usize>j << 2));
    sink += load<u64>(e) + load<u64>(e, 48) + load<u64>(e, 104);
  }
  if (talkers) {
    talkerLoadHomes(c, c.slotsRun, count);
    sink += talkerTouchSources(c, c.slotsRun, count);
  }
  // A full cache evicts its oldest flow for each new one: hash those victims' keys now (their
  // entries are read on the way, as the export will read them) and load their index slots.
  if (fresh > 0 && c.live + fresh > c.capacity) {
    const evictions = c.live + fresh - c.capacity < fresh ? c.live + fresh - c.capacity : fresh;
    let id = c.oldest;
    let n: u32 = 0;
    for (; n < evictions && id != NONE; n++) {
      const e = entryAt(c, id);
      const at = c.victims + (<usize>n << 3);
      store<u32>(at, id);
      store<u32>(at, keyHash(c, e), 4);
      id = load<u32>(e, OFF_NEXT);
    }
    c.victimCount = n;
    for (let v: u32 = 0; v < n; v++) {
      sink += load<u64>(index + (<usize>reduceRange(load<u32>(c.victims + (<usize>v << 3), 4), slots) << 3));
    }
  }
  store<u64>(c.scratch, sink, 120);
}

/** Accounts packets [start, stop), whose keys and hashes prepareRun left in the run buffers. */
function accountRun(c: FlowCache, b: PacketBatch, start: u32, stop: u32, direction: u32, selection: usize): u32 {
  let accounted: u32 = 0;
  // Counters of the run, kept in locals and added once at the end.
  let packetsIn: u64 = 0, bytesIn: u64 = 0, bytesAccounted: u64 = 0, lookups: u64 = 0, probes: u64 = 0;
  let longest: u32 = 0;
  for (let i = start; i < stop; i++) {
    const n = <usize>i;
    if (selection != 0 && load<u8>(selection + n) == 0) {
      counterAdd(c, C_UNSELECTED, 1);
      continue;
    }
    const length = load<u32>(b.ipLength + (n << 2));
    packetsIn++;
    bytesIn += <u64>length;
    const version = load<u8>(b.ipVersion + n);
    if (load<u8>(b.status + n) > PACKET_STATUS_FRAGMENT || (version != 4 && version != 6)) {
      refuse(c, C_REFUSED_NOT_IP, length);
      continue;
    }
    const time = load<f64>(b.time + (n << 3));
    const k = <usize>(i - start);
    const key = c.keys + k * READ_AHEAD_KEY_BYTES;
    const hash = load<u32>(c.hashes + (k << 2));
    let id = indexFind(c, key, hash);
    lookups++;
    probes += lastProbes;
    if (lastProbes > longest) longest = lastProbes;
    let e: usize;
    if (id != NONE) {
      e = entryAt(c, id);
      let reason = endReason(c, e, time);
      if (reason == REASON_NONE && load<u32>(e, OFF_PACKETS) >= c.maxPackets) reason = REASON_COUNTER_FULL;
      if (reason != REASON_NONE) {
        if (!queueFull(c)) {
          // The flow's time is up: export it, and start the new flow in the same entry.
          expire(c, id, reason, time, false);
          listAppend(c, id);
          counterAdd(c, C_FLOWS_ADDED, 1);
          flowStart(c, b, i, e, time);
        } else if (reason == REASON_COUNTER_FULL) {
          counterAdd(c, C_EXPORT_STALLS, 1);
          refuse(c, C_REFUSED_COUNTER_FULL, length);
          continue;
        } else {
          // No room to export it: the flow stays, and takes the packet.
          counterAdd(c, C_EXPORT_STALLS, 1);
        }
      }
    } else {
      let slot = foundEmptySlot;
      if (slot == NONE) {
        counterAdd(c, C_ALLOC_FAILURES, 1);
        refuse(c, C_REFUSED_PROBE_LIMIT, length);
        continue;
      }
      if (c.live == c.capacity) {
        if (queueFull(c)) {
          counterAdd(c, C_EXPORT_STALLS, 1);
          counterAdd(c, C_ALLOC_FAILURES, 1);
          refuse(c, C_REFUSED_NO_ROOM, length);
          continue;
        }
        // Emergency expiry of the oldest flow (by its own reason if its time is up anyway).
        const victim = c.oldest;
        const natural = endReason(c, entryAt(c, victim), time);
        expire(c, victim, natural == REASON_NONE ? REASON_CACHE_FULL : natural, time, true);
        // The deletion may have shifted slots: look again for where the key goes.
        indexFind(c, key, hash);
        lookups++;
        probes += lastProbes;
        if (lastProbes > longest) longest = lastProbes;
        slot = foundEmptySlot;
        if (slot == NONE) {
          counterAdd(c, C_ALLOC_FAILURES, 1);
          refuse(c, C_REFUSED_PROBE_LIMIT, length);
          continue;
        }
      }
      id = entryTake(c);
      e = entryAt(c, id);
      memory.copy(e, key, 44);
      if (c.talkers != 0) talkerIntern(c, id, e);
      indexPut(c, slot, hash, id);
      listAppend(c, id);
      counterAdd(c, C_FLOWS_ADDED, 1);
      flowStart(c, b, i, e, time);
    }
    const protocol = <u32>load<u8>(b.protocol + n);
    flowAccount(c, b, i, e, time, length, protocol, direction);
    if (c.talkers != 0) talkerMirror(c, id, e);
    bytesAccounted += <u64>length;
    accounted++;
    if (load<u16>(b.tcpFlags + (n << 1)) & TCP_FIN_RST && protocol == 6) {
      if (!queueFull(c)) expire(c, id, REASON_TCP_END, time, true);
      else counterAdd(c, C_EXPORT_STALLS, 1);
    }
  }
  counterAdd(c, C_PACKETS_IN, packetsIn);
  counterAdd(c, C_BYTES_IN, bytesIn);
  counterAdd(c, C_PACKETS_ACCOUNTED, <u64>accounted);
  counterAdd(c, C_BYTES_ACCOUNTED, bytesAccounted);
  countLookups(c, lookups, probes, longest);
  return accounted;
}

/**
 * One ager poll at time `now`: looks at the next `agerBatch` entries (in entry order, wrapping)
 * and expires those whose time is up. Stops early, where it is, when the export queue is full.
 * Returns the flows expired.
 */
export function cacheAge(c: FlowCache, now: f64): u32 {
  counterAdd(c, C_AGER_POLLS, 1);
  let expired: u32 = 0;
  let examined: u32 = 0;
  let cursor = c.agerCursor;
  const capacity = c.capacity;
  while (examined < c.agerBatch) {
    const e = entryAt(c, cursor);
    if (load<u32>(e, OFF_PACKETS) != 0) {
      const reason = endReason(c, e, now);
      if (reason != REASON_NONE) {
        if (queueFull(c)) {
          counterAdd(c, C_EXPORT_STALLS, 1);
          break;
        }
        expire(c, cursor, reason, now, true);
        expired++;
      }
    }
    examined++;
    cursor++;
    if (cursor == capacity) cursor = 0;
  }
  c.agerCursor = cursor;
  counterAdd(c, C_AGER_EXAMINED, examined);
  return expired;
}

/** Expires flows oldest first with reason `flush` while the queue has room; returns the flows left. */
export function cacheFlush(c: FlowCache, now: f64): u32 {
  while (c.oldest != NONE && !queueFull(c)) expire(c, c.oldest, REASON_FLUSH, now, true);
  return c.live;
}

/** Drops the `n` oldest records of the export queue (the host has read them). */
export function queuePop(c: FlowCache, n: u32): void {
  if (n > c.queueCount) n = c.queueCount;
  let head = c.queueHead + n;
  if (head >= c.queueCapacity) head -= c.queueCapacity;
  c.queueHead = head;
  c.queueCount -= n;
}

/** The keyed hash of packet `i`'s flow key (for tests and the adversarial benchmark). */
export function packetKeyHash(c: FlowCache, b: PacketBatch, i: u32, direction: u32): u32 {
  buildKey(c, b, i, c.scratch, direction);
  return keyHash(c, c.scratch);
}
