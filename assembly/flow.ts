// The NetFlow flow cache (see flow/cache.ts for the semantics, flow/table.ts for the storage
// and flow/state.ts for the record layout). Everything is allocated at creation: the entry
// pool, the index, the export queue and the statistics; nothing grows afterwards.

import { PacketBatch } from "./packet/batch";
import {
  FlowCache, RECORD_BYTES, EXPORT_RECORD_BYTES, NONE, COUNTER_SLOTS, SIZE_BUCKETS, PROTOCOL_CATEGORIES,
  PROTOCOL_FIELDS, OFF_NEXT, OFF_PACKETS,
} from "./flow/state";
import { cacheUpdate, cacheAge, cacheFlush, queuePop, packetKeyHash, READ_AHEAD_KEY_BYTES, READ_AHEAD_RUN } from "./flow/cache";
import { entryAt } from "./flow/table";
import { sipHash13, sipHash13Words3 } from "./common/hash";
import { jsonLines } from "./flow/json";
import { talkersBytes, talkersAllocate, talkersFree, talkerIntern, talkerMirror } from "./flow/talkers";
export { JSON_LINE_MAX as FLOW_JSON_LINE_MAX } from "./flow/json";

export {
  RECORD_BYTES as FLOW_RECORD_BYTES, EXPORT_RECORD_BYTES as FLOW_EXPORT_RECORD_BYTES, COUNTER_SLOTS as FLOW_COUNTER_SLOTS,
  SIZE_BUCKETS as FLOW_SIZE_BUCKETS, PROTOCOL_CATEGORIES as FLOW_PROTOCOL_CATEGORIES, MAX_CAPACITY as FLOW_MAX_CAPACITY,
  MAX_PROBE as FLOW_MAX_PROBE,
} from "./flow/state";

// @ts-ignore: decorator
@inline function zeroed(bytes: usize): usize {
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** Bytes a flow cache of `capacity` flows and `queueCapacity` export records allocates at creation. */
export function flowCacheBytes(capacity: u32, queueCapacity: u32): f64 {
  const slots = <usize>capacity + (capacity >> 1) + (capacity >> 2) + 1;
  return <f64>(
    offsetof<FlowCache>() + <usize>capacity * RECORD_BYTES + (slots << 3) + <usize>queueCapacity * EXPORT_RECORD_BYTES +
    ((<usize>COUNTER_SLOTS + SIZE_BUCKETS + PROTOCOL_CATEGORIES * PROTOCOL_FIELDS) << 3) + 128 +
    <usize>READ_AHEAD_RUN * (READ_AHEAD_KEY_BYTES + 4 + 8 + 4 + 8)
  );
}

/** Frees every block of a flow cache made by `flowCacheCreate`. */
export function flowCacheFree(c: FlowCache): void {
  heap.free(c.entries);
  heap.free(c.index);
  heap.free(c.queue);
  heap.free(c.counters);
  heap.free(c.sizes);
  heap.free(c.protocols);
  heap.free(c.scratch);
  heap.free(c.keys);
  heap.free(c.hashes);
  heap.free(c.slotsRun);
  heap.free(c.entriesRun);
  heap.free(c.victims);
  if (c.talkers != 0) talkersFree(c);
  heap.free(changetype<usize>(c));
}

/**
 * A flow cache of `capacity` flows (at most FLOW_MAX_CAPACITY) with an export queue of
 * `queueCapacity` records. Timeouts in milliseconds; `mask` 0 full, 1 destination-source,
 * 2 destination; at most `maxPackets` packets per flow; the ager looks at `agerBatch` entries
 * per poll. `seedLow`/`seedHigh` and `seedLow2`/`seedHigh2` are the 128-bit hash key.
 */
export function flowCacheCreate(
  capacity: u32, queueCapacity: u32, activeTimeout: f64, inactiveTimeout: f64, mask: u32, maxPackets: u32,
  agerBatch: u32, seedLow: u32, seedHigh: u32, seedLow2: u32, seedHigh2: u32,
): FlowCache {
  const c = changetype<FlowCache>(zeroed(offsetof<FlowCache>()));
  const slots = capacity + (capacity >> 1) + (capacity >> 2) + 1;
  const entryBytes = <usize>capacity * RECORD_BYTES;
  const indexBytes = <usize>slots << 3;
  const queueBytes = <usize>queueCapacity * EXPORT_RECORD_BYTES;
  c.entries = zeroed(entryBytes);
  c.index = zeroed(indexBytes);
  c.queue = zeroed(queueBytes);
  c.counters = zeroed(<usize>COUNTER_SLOTS << 3);
  c.sizes = zeroed(<usize>SIZE_BUCKETS << 3);
  c.protocols = zeroed(<usize>(PROTOCOL_CATEGORIES * PROTOCOL_FIELDS) << 3);
  c.scratch = zeroed(128);
  c.keys = zeroed(<usize>READ_AHEAD_RUN * READ_AHEAD_KEY_BYTES);
  c.hashes = zeroed(<usize>READ_AHEAD_RUN << 2);
  c.slotsRun = zeroed(<usize>READ_AHEAD_RUN << 3);
  c.entriesRun = zeroed(<usize>READ_AHEAD_RUN << 2);
  c.victims = zeroed(<usize>READ_AHEAD_RUN << 3);
  c.key0 = ((<u64>seedHigh) << 32) | seedLow;
  c.key1 = ((<u64>seedHigh2) << 32) | seedLow2;
  c.activeTimeout = activeTimeout;
  c.inactiveTimeout = inactiveTimeout;
  c.capacity = capacity;
  c.slots = slots;
  c.queueCapacity = queueCapacity;
  c.freeHead = NONE;
  c.oldest = NONE;
  c.newest = NONE;
  c.agerBatch = agerBatch;
  c.mask = mask;
  c.maxPackets = maxPackets;
  c.memoryBytes = <u32>(entryBytes + indexBytes);
  return c;
}

/** Bytes of the entry pool and the index (the memory that grows with the capacity). */
export function flowCacheTableBytes(c: FlowCache): u32 {
  return c.memoryBytes;
}

/** Index slots (1.75 per flow, plus one). */
export function flowCacheSlots(c: FlowCache): u32 {
  return c.slots;
}

/** Accounts packets [from, from + count) of a batch; see cacheUpdate. Returns the packets accounted. */
export function flowCacheUpdate(c: FlowCache, batch: PacketBatch, from: u32, count: u32, direction: u32, selection: usize): u32 {
  return cacheUpdate(c, batch, from, count, direction, selection);
}

/** One ager poll at `now` (ms); returns the flows expired. */
export function flowCacheAge(c: FlowCache, now: f64): u32 {
  return cacheAge(c, now);
}

/** Expires flows oldest first (reason flush) while the export queue has room; returns the flows left. */
export function flowCacheFlush(c: FlowCache, now: f64): u32 {
  return cacheFlush(c, now);
}

/** Live flows. */
export function flowCacheLive(c: FlowCache): u32 {
  return c.live;
}

/** Pointer to the export queue's ring of records. */
export function flowCacheQueue(c: FlowCache): usize {
  return c.queue;
}

/** Index (in records) of the oldest record in the export queue. */
export function flowCacheQueueHead(c: FlowCache): u32 {
  return c.queueHead;
}

/** Records waiting in the export queue. */
export function flowCacheQueueCount(c: FlowCache): u32 {
  return c.queueCount;
}

/**
 * JSON lines of up to `count` records of a ring of export records (the export queue, or any
 * array of records), from record `head`, into `out`; see flow/json.ts. Returns the records
 * written and stores the bytes written as a u32 at `bytesOut`.
 */
export function flowJsonLines(ring: usize, ringRecords: u32, head: u32, count: u32, out: usize, outBytes: u32, bytesOut: usize): u32 {
  return jsonLines(ring, ringRecords, head, count, out, outBytes, bytesOut);
}

/** Drops the `count` oldest export records (after the host read them). */
export function flowCacheQueuePop(c: FlowCache, count: u32): void {
  queuePop(c, count);
}

/** Pointer to the counters (FLOW_COUNTER_SLOTS u64). */
export function flowCacheCounters(c: FlowCache): usize {
  return c.counters;
}

/** Pointer to the packet size distribution (FLOW_SIZE_BUCKETS u64). */
export function flowCacheSizes(c: FlowCache): usize {
  return c.sizes;
}

/** Pointer to the protocol table: per category flows, packets, bytes (u64), active ms, idle ms (f64). */
export function flowCacheProtocols(c: FlowCache): usize {
  return c.protocols;
}

/** Zeroes the size distribution and the protocol table (`clear ip flow stats`). */
export function flowCacheClearStatistics(c: FlowCache): void {
  memory.fill(c.sizes, 0, <usize>SIZE_BUCKETS << 3);
  memory.fill(c.protocols, 0, <usize>(PROTOCOL_CATEGORIES * PROTOCOL_FIELDS) << 3);
}

/** The oldest live flow's entry id, or 0xffffffff. */
export function flowCacheOldest(c: FlowCache): u32 {
  return c.oldest;
}

/** The entry id of the flow created after live entry `id`, or 0xffffffff. */
export function flowCacheNext(c: FlowCache, id: u32): u32 {
  if (id >= c.capacity) return NONE;
  return load<u32>(entryAt(c, id), OFF_NEXT);
}

/** Pointer to entry `id`'s record. */
export function flowCacheEntry(c: FlowCache, id: u32): usize {
  return id < c.capacity ? entryAt(c, id) : 0;
}

/** The keyed hash of packet `i`'s flow key (for tests and the adversarial benchmark). */
export function flowCachePacketHash(c: FlowCache, batch: PacketBatch, i: u32, direction: u32): u32 {
  return packetKeyHash(c, batch, i, direction);
}

/**
 * Self-check of the three-word SipHash against the general one: hashes `count` pseudo-random
 * 24-byte inputs under the key (`k0`, `k1`) both ways; returns how many differ (0 expected).
 */
export function flowHashSelfCheck(seedLow: u32, seedHigh: u32, count: u32): u32 {
  let state = ((<u64>seedHigh) << 32) | seedLow;
  const buffer = heap.alloc(24);
  let differ: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    state = state * 6364136223846793005 + 1442695040888963407;
    const k0 = state ^ (state >> 29);
    state = state * 6364136223846793005 + 1442695040888963407;
    const k1 = state ^ (state >> 31);
    for (let w = 0; w < 3; w++) {
      state = state * 6364136223846793005 + 1442695040888963407;
      store<u64>(buffer + (<usize>w << 3), state ^ (state >> 33));
    }
    const general = sipHash13(buffer, 24, k0, k1);
    const words = sipHash13Words3(load<u64>(buffer), load<u64>(buffer, 8), load<u64>(buffer, 16), k0, k1);
    if (general != words) differ++;
  }
  heap.free(buffer);
  return differ;
}

/** Bytes of the top-talkers column and its source table (flow/talkers.ts) of a cache of `capacity` flows. */
export function flowCacheTalkersBytes(capacity: u32): f64 {
  return <f64>talkersBytes(capacity);
}

/**
 * Attaches a user of the top-talkers column; the first one allocates it and its source table and
 * fills them from the live flows, after which the packet path keeps them. Returns the users attached.
 */
export function flowCacheTalkersKeep(c: FlowCache): u32 {
  if (c.talkersUsers == 0) {
    talkersAllocate(c);
    for (let id: u32 = 0, end = c.fresh; id < end; id++) {
      const e = entryAt(c, id);
      if (load<u32>(e, OFF_PACKETS) == 0) continue;
      talkerIntern(c, id, e);
      talkerMirror(c, id, e);
    }
  }
  return ++c.talkersUsers;
}

/** The source table of the top-talkers column: `which` 0 the sources live, 1 the source ids ever used (its high-water mark); 0 without top talkers. */
export function flowCacheTalkerSources(c: FlowCache, which: u32): u32 {
  if (c.talkers == 0) return 0;
  return which == 0 ? c.sourcesLive : c.sourcesFresh;
}

/** Detaches a user of the top-talkers column; the last one frees it. Returns the users left. */
export function flowCacheTalkersDrop(c: FlowCache): u32 {
  if (c.talkersUsers == 0) return 0;
  if (--c.talkersUsers == 0) talkersFree(c);
  return c.talkersUsers;
}
