// The Dataplane: one packet batch through every stage of the router in one call (see
// pipeline/forward.ts for the stages, pipeline/state.ts for the layouts). The components are
// made by their own constructors on the same core; the pipeline holds their handles, the
// interfaces, the adjacencies' rewrite records, the access lists, the frames held for ARP and
// the output area. Everything is allocated here or when the configuration changes; nothing is
// allocated while packets are processed.

import { PacketBatch } from "./packet/batch";
import {
  Pipeline, IF_BYTES, IF_MAC, IF_ADDRESS, IF_FLAGS, IF_ACL_IN, IF_ACL_OUT, IF_ADDRESS6, IF_BVI_GROUP, IF_BVI, ADJ_BYTES, ADJ_IFACE, ADJ_NEXT_HOP,
  ADJ_MAC, ADJ_FIXED_MAC, NO_IFACE, HOLD_META_BYTES, COUNTERS, IF_COUNTERS, ACE_WORDS,
} from "./pipeline/state";
import { processBatch, tickTo } from "./pipeline/forward";
import { holdSlotsFor, drainArp } from "./pipeline/arp-io";
import { setCurrentPacket } from "./pipeline/output";
import { ARP_MEMO_ENTRIES, ARP_MEMO_BYTES } from "./pipeline/arp-hit";

export { COUNTERS as PIPELINE_COUNTERS, IF_COUNTERS as PIPELINE_INTERFACE_COUNTERS } from "./pipeline/state";

// @ts-ignore: decorator
@inline function zeroed(bytes: usize): usize {
  const p = heap.alloc(bytes > 0 ? bytes : 8);
  memory.fill(p, 0, bytes);
  return p;
}

/**
 * A pipeline for `interfaceCount` interfaces and batches of at most `maxBatch` packets, with
 * rewrite records for adjacency ids below `adjCapacity`, `outBytes` of output area, ICMP
 * errors limited to `icmpRate` per second (bucket depth `icmpBurst`) and ARP timers run every
 * `tickInterval` ms of packet time.
 */
export function pipelineCreate(
  interfaceCount: u32, maxBatch: u32, adjCapacity: u32, outBytes: u32, icmpRate: u32, icmpBurst: u32, tickInterval: f64,
): Pipeline {
  const p = changetype<Pipeline>(zeroed(offsetof<Pipeline>()));
  p.interfaceCount = interfaceCount;
  p.maxBatch = maxBatch;
  p.interfaces = zeroed(<usize>interfaceCount * IF_BYTES);
  p.adjCapacity = adjCapacity;
  p.adjacencies = zeroed(<usize>adjCapacity * ADJ_BYTES);
  for (let id: u32 = 0; id < adjCapacity; id++) store<u32>(p.adjacencies + <usize>id * ADJ_BYTES + ADJ_IFACE, NO_IFACE);
  p.verdicts = zeroed(<usize>maxBatch);
  p.reasons = zeroed(<usize>maxBatch);
  p.egress = zeroed(<usize>maxBatch << 2);
  p.nextHopMacs = zeroed(<usize>maxBatch << 3);
  p.handles = zeroed(<usize>maxBatch << 2);
  p.flowSelection = zeroed(<usize>maxBatch);
  p.destinationAdjacencies = zeroed(<usize>maxBatch << 2);
  p.sightingHomes = zeroed((<usize>maxBatch << 2) + 8);
  p.selectedIndices = zeroed(<usize>maxBatch << 2);
  p.selectedSlots = zeroed(<usize>maxBatch << 1);
  p.counters = zeroed(<usize>COUNTERS << 3);
  p.ifCounters = zeroed((<usize>interfaceCount * IF_COUNTERS) << 3);
  p.aclDirectory = zeroed(8);
  p.aces = zeroed(8);
  p.aceMatches = zeroed(8);
  p.aclImplicitDenies = zeroed(8);
  p.out = zeroed(<usize>outBytes);
  p.outCapacity = outBytes;
  p.icmpRate = <i64>icmpRate;
  p.icmpBurst = <i64>icmpBurst;
  p.icmpTokens = <i64>icmpBurst * 1000;
  p.icmpAt = 0;
  p.tickInterval = tickInterval;
  p.nextTick = NaN;
  p.scratch = zeroed(64 + 64 * 24);
  p.arpMemo = zeroed(<usize>ARP_MEMO_ENTRIES * ARP_MEMO_BYTES);
  return p;
}

/** Bytes the pipeline allocated (its share of the core beside the components). */
export function pipelineBytes(interfaceCount: u32, maxBatch: u32, adjCapacity: u32, outBytes: u32, holdSlots: u32, holdSlotBytes: u32): f64 {
  return <f64>(offsetof<Pipeline>() + <usize>interfaceCount * (IF_BYTES + (<usize>IF_COUNTERS << 3)) + <usize>adjCapacity * ADJ_BYTES
    + <usize>maxBatch * 36 + 8 + (<usize>COUNTERS << 3) + <usize>outBytes + 64 + 64 * 24 + <usize>ARP_MEMO_ENTRIES * ARP_MEMO_BYTES
    + <usize>holdSlots * (<usize>holdSlotBytes + HOLD_META_BYTES));
}

/**
 * Plugs in the components (0 = none) and sizes the held frames (one of `holdSlotBytes` per
 * ARP packet handle). Call once, before the first batch.
 */
export function pipelineSetComponents(p: Pipeline, fib: usize, arp: usize, flow: usize, selector: usize, holdSlotBytes: u32): void {
  p.fib = fib;
  p.arp = arp;
  p.flow = flow;
  p.selector = selector;
  p.holdSlots = holdSlotsFor(arp);
  p.holdSlotBytes = holdSlotBytes;
  p.hold = zeroed(<usize>p.holdSlots * <usize>holdSlotBytes);
  p.holdMeta = zeroed(<usize>p.holdSlots * HOLD_META_BYTES);
}

/** Plugs a feature's table into its stage slot: 0 route cache, 1 IP accounting, 2 NAT, 3 bridge. */
export function pipelineSetStage(p: Pipeline, stage: u32, handle: usize): void {
  if (stage == 0) p.routeCache = handle;
  else if (stage == 1) p.accounting = handle;
  else if (stage == 2) p.nat = handle;
  else if (stage == 3) p.bridge = handle;
}

/** Configures interface `i`: its MAC (halves), primary IPv4 address, IF_ flags, ACLs (index + 1), IPv6 address words. */
export function pipelineSetInterface(
  p: Pipeline, i: u32, macHigh: u32, macLow: u32, address: u32, flags: u32, aclIn: u32, aclOut: u32, a0: u32, a1: u32, a2: u32, a3: u32,
): void {
  if (i >= p.interfaceCount) return;
  const f = p.interfaces + <usize>i * IF_BYTES;
  store<u64>(f + IF_MAC, ((<u64>macHigh) << 32) | <u64>macLow);
  store<u32>(f + IF_ADDRESS, address);
  store<u32>(f + IF_FLAGS, flags);
  store<u32>(f + IF_ACL_IN, aclIn);
  store<u32>(f + IF_ACL_OUT, aclOut);
  // In wire order: ICMPv6 errors copy it into their header.
  store<u32>(f + IF_ADDRESS6, bswap<u32>(a0));
  store<u32>(f + IF_ADDRESS6 + 4, bswap<u32>(a1));
  store<u32>(f + IF_ADDRESS6 + 8, bswap<u32>(a2));
  store<u32>(f + IF_ADDRESS6 + 12, bswap<u32>(a3));
}

/**
 * Bridging of interface `i` (with the bridge stage): `bviGroup`, when `i` is `interface BVI N`,
 * its group N (routed packets out of it are bridged); `bvi`, when `i` is a bridged port, its
 * group's BVI interface + 1 (frames for the router are routed as received there); 0: none.
 */
export function pipelineSetBridging(p: Pipeline, i: u32, bviGroup: u32, bvi: u32): void {
  if (i >= p.interfaceCount) return;
  const f = p.interfaces + <usize>i * IF_BYTES;
  store<u32>(f + IF_BVI_GROUP, bviGroup);
  store<u32>(f + IF_BVI, bvi);
}

/**
 * Sets the rewrite of FIB adjacency `id`: egress interface, IPv4 next hop (0: the packet's
 * destination is on the link) and, when `fixed`, a MAC used without ARP. Returns false for an
 * id beyond the capacity.
 */
export function pipelineSetAdjacency(p: Pipeline, id: u32, iface: u32, nextHop: u32, macHigh: u32, macLow: u32, fixed: bool): bool {
  if (id >= p.adjCapacity) return false;
  const a = p.adjacencies + <usize>id * ADJ_BYTES;
  store<u32>(a + ADJ_IFACE, iface);
  store<u32>(a + ADJ_NEXT_HOP, nextHop);
  store<u64>(a + ADJ_MAC, fixed ? ADJ_FIXED_MAC | ((<u64>macHigh) << 32) | <u64>macLow : 0);
  return true;
}

/**
 * Installs access lists: `aclCount` (first entry, entry count) u32 pairs at `directory` and
 * `aceCount` entries of ACE_WORDS u32 at `aces` (copied). Counters start at zero.
 */
export function pipelineLoadAcls(p: Pipeline, directory: usize, aclCount: u32, aces: usize, aceCount: u32): void {
  heap.free(p.aclDirectory);
  heap.free(p.aces);
  heap.free(p.aceMatches);
  heap.free(p.aclImplicitDenies);
  p.aclDirectory = zeroed(<usize>aclCount << 3);
  memory.copy(p.aclDirectory, directory, <usize>aclCount << 3);
  const aceBytes = (<usize>aceCount * ACE_WORDS) << 2;
  p.aces = zeroed(aceBytes);
  memory.copy(p.aces, aces, aceBytes);
  p.aceMatches = zeroed(<usize>aceCount << 3);
  p.aclImplicitDenies = zeroed(<usize>aclCount << 3);
  p.aclCount = aclCount;
  p.aceCount = aceCount;
}

/**
 * Runs the batch through the router: `now` for every packet when `useNow`, else each
 * packet's time; `parse` parses the frames first. Returns the packets, or -1 when the batch
 * exceeds maxBatch (nothing done).
 */
export function pipelineProcess(p: Pipeline, batch: PacketBatch, now: f64, useNow: bool, parse: bool): i32 {
  return processBatch(p, batch, now, useNow, parse);
}

/** Runs the ARP timers up to `now` (idle time between batches). */
export function pipelineTick(p: Pipeline, now: f64): void {
  tickTo(p, now);
}

/** Drains whatever the ARP table holds for output (after host-side ARP changes). */
export function pipelineDrainArp(p: Pipeline, now: f64): void {
  setCurrentPacket(0xffffffff);
  if (p.arp) drainArp(p, now);
}

export function pipelineVerdicts(p: Pipeline): usize {
  return p.verdicts;
}
export function pipelineReasons(p: Pipeline): usize {
  return p.reasons;
}
export function pipelineEgress(p: Pipeline): usize {
  return p.egress;
}
export function pipelineNextHopMacs(p: Pipeline): usize {
  return p.nextHopMacs;
}
export function pipelineHandles(p: Pipeline): usize {
  return p.handles;
}
export function pipelineCounters(p: Pipeline): usize {
  return p.counters;
}
export function pipelineInterfaceCounters(p: Pipeline): usize {
  return p.ifCounters;
}
export function pipelineAceMatches(p: Pipeline): usize {
  return p.aceMatches;
}
export function pipelineAclImplicitDenies(p: Pipeline): usize {
  return p.aclImplicitDenies;
}
export function pipelineOutput(p: Pipeline): usize {
  return p.out;
}
export function pipelineOutputUsed(p: Pipeline): u32 {
  return p.outUsed;
}
export function pipelineOutputRecords(p: Pipeline): u32 {
  return p.outRecords;
}
/** Empties the output area (after the host read it). */
export function pipelineOutputClear(p: Pipeline): void {
  p.outUsed = 0;
  p.outRecords = 0;
}

/** Frees the pipeline's own memory (not the components'). */
export function pipelineFree(p: Pipeline): void {
  heap.free(p.interfaces);
  heap.free(p.adjacencies);
  heap.free(p.verdicts);
  heap.free(p.reasons);
  heap.free(p.egress);
  heap.free(p.nextHopMacs);
  heap.free(p.handles);
  heap.free(p.flowSelection);
  heap.free(p.destinationAdjacencies);
  heap.free(p.sightingHomes);
  heap.free(p.selectedIndices);
  heap.free(p.selectedSlots);
  heap.free(p.counters);
  heap.free(p.ifCounters);
  heap.free(p.aclDirectory);
  heap.free(p.aces);
  heap.free(p.aceMatches);
  heap.free(p.aclImplicitDenies);
  heap.free(p.out);
  heap.free(p.scratch);
  heap.free(p.arpMemo);
  if (p.hold) heap.free(p.hold);
  if (p.holdMeta) heap.free(p.holdMeta);
  heap.free(changetype<usize>(p));
}
