/**
 * Synthetic flow workloads for benchmarks and tests: packets of `flows` distinct 5-tuples drawn
 * uniformly or by a Zipf law, written straight into packet-batch columns or as Ethernet frames;
 * and keys crafted to collide in the index of a flow cache whose hash key is known.
 */

import type { PacketBatch } from "../packet/batch.js";
import type { FlowCache } from "../flow/cache.js";
import { Xoshiro128 } from "../common/random.js";

/** Draws flow indices in [0, flows): uniform, or Zipf with exponent `s` (index 0 most frequent). */
export function flowIndexSampler(flows: number, distribution: "uniform" | "zipf", seed: number, s = 1): () => number {
  const random = new Xoshiro128(seed);
  if (distribution === "uniform") return () => random.below(flows);
  // Inverse CDF over the harmonic weights 1/(k+1)^s, by binary search.
  const cdf = new Float64Array(flows);
  let sum = 0;
  for (let k = 0; k < flows; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  return () => {
    const u = (random.next() / 2 ** 32) * sum;
    let lo = 0,
      hi = flows - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The 5-tuple of flow `id` (< 2^24): a distinct source address per flow. */
export function flowTuple(id: number): { src: number; dst: number; protocol: number; srcPort: number; dstPort: number } {
  return {
    src: (0x0a000000 + id) >>> 0,
    dst: (0xc6120000 + (id % 65_521)) >>> 0,
    protocol: id % 4 === 0 ? 17 : 6,
    srcPort: 1024 + (id % 60_000),
    dstPort: [80, 443, 53, 22][id % 4]!,
  };
}

/** Fills `batch` (columns only, parse status ok) with packets of the given flow ids at time `time`. */
export function fillFlowBatch(batch: PacketBatch, ids: ArrayLike<number>, time: number): void {
  const c = batch.columns;
  const n = Math.min(ids.length, batch.capacity);
  for (let i = 0; i < n; i++) {
    const t = flowTuple(ids[i]!);
    c.time[i] = time + i / 1000;
    c.status[i] = 0;
    c.ipVersion[i] = 4;
    c.src[i * 4] = t.src;
    c.dst[i * 4] = t.dst;
    c.protocol[i] = t.protocol;
    c.srcPort[i] = t.srcPort;
    c.dstPort[i] = t.dstPort;
    c.ipLength[i] = 40 + (ids[i]! % 1400);
    c.ttl[i] = 64;
    c.tcpFlags[i] = t.protocol === 6 ? 0x10 : 0;
    c.vlanOuter[i] = 0xffff;
    c.vlanInner[i] = 0xffff;
  }
  batch.length = n;
}

/** A 64-byte Ethernet/IPv4 frame (TCP ACK or UDP) of flow `id`, with IP total length 50. */
export function flowFrame(id: number): Uint8Array {
  const t = flowTuple(id);
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x02000000);
  view.setUint16(4, 1);
  view.setUint32(6, 0x02000000);
  view.setUint16(10, 2);
  view.setUint16(12, 0x0800);
  view.setUint16(14, 0x4500);
  view.setUint16(16, 50);
  view.setUint16(18, id & 0xffff);
  view.setUint16(20, 0x4000);
  bytes[22] = 64;
  bytes[23] = t.protocol;
  view.setUint32(26, t.src);
  view.setUint32(30, t.dst);
  view.setUint16(34, t.srcPort);
  view.setUint16(36, t.dstPort);
  if (t.protocol === 17) view.setUint16(38, 30);
  else view.setUint16(46, 0x5010); // data offset 5, ACK
  return bytes;
}

/**
 * `wanted` flows whose keys land in the first `window` index slots of `known` (a cache whose
 * hash key the attacker knows, e.g. one created with seed 0), written into a batch of `known`'s
 * instance. Found by trying candidate source addresses and ports and keeping those whose hash
 * maps there: about slots / window tries per key.
 */
export function craftCollidingBatch(known: FlowCache, wanted: number, window: number, time = 1.7e12): PacketBatch {
  const out = known.createBatch({ capacity: wanted, frameBytes: 0 });
  const probe = known.createBatch({ capacity: 4096, frameBytes: 0 });
  const slots = known.indexSlots;
  const ids = new Uint32Array(probe.capacity);
  const found: number[] = [];
  for (let base = 0; found.length < wanted; base += probe.capacity) {
    for (let i = 0; i < ids.length; i++) ids[i] = base + i;
    fillFlowBatch(probe, ids, time);
    for (let i = 0; i < probe.length && found.length < wanted; i++) {
      const home = Math.floor((known.packetHash(probe, i) / 2 ** 32) * slots);
      if (home < window) found.push(base + i);
    }
  }
  fillFlowBatch(out, found, time);
  return out;
}
