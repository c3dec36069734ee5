// The state record of a packet selector: the NetFlow input filters and samplers of a router's
// interfaces (kept apart from selector.ts so that only functions become module exports).

import { Budget } from "../common/budget";

/** Interface indices the selector can configure: 0 … 65535. */
export const INTERFACE_SLOTS: u32 = 65536;
/** `marks`/`outSlots` value for a packet accounted by full (unsampled) NetFlow. */
export const FULL_ACCOUNTING: u32 = 0xffff;
/** `classOf` value for a packet that no sampler decides on. */
export const NO_SLOT: u32 = 0xffff;
/** Most sampler slots a selector can have (slot numbers stay below both sentinels). */
export const MAX_SLOTS: u32 = 4096;
/** Class bitmaps kept per batch, so that a class shared by several interfaces is evaluated once. */
export const CLASS_CACHE_ENTRIES: u32 = 16;

// @layout src/sampling/layout.ts
/** Slots (f64) of the counters `selectorStats` writes. */
export const SELECTOR_PACKETS: u32 = 0;
export const SELECTOR_NOT_CONFIGURED: u32 = 1;
export const SELECTOR_FILTERED_OUT: u32 = 2;
export const SELECTOR_FULL_ACCOUNTED: u32 = 3;
export const SELECTOR_SAMPLED_POPULATION: u32 = 4;
export const SELECTOR_SAMPLED: u32 = 5;
export const SELECTOR_MEMORY_BYTES: u32 = 6;
export const SELECTOR_BUDGET_BYTES: u32 = 7;
export const SELECTOR_LIVE_SLOTS: u32 = 8;
export const SELECTOR_MALFORMED: u32 = 9;
export const SELECTOR_NOT_IP: u32 = 10;
export const SELECTOR_STAT_SLOTS: u32 = 11;
/** Slots (f64) of one sampler slot's counters (`selectorSlotCounters`). */
export const SLOT_SEEN: u32 = 0;
export const SLOT_SELECTED: u32 = 1;
// @end-layout

@unmanaged export class Selector {
  budget: Budget;
  /** Sampler records, SAMPLER_BYTES each. */
  slots: usize;
  /** Sampler (map) id per slot (u8), reported with every selected packet's flow. */
  slotSamplerIds: usize;
  maxSlots: u32;
  /** Most packets per `selectorRun` call (the scratch arrays are sized for it). */
  maxBatch: u32;
  /** A column descriptor for `selectorRunBatch` (COLUMN_DESCRIPTOR_BYTES). */
  batchColumns: usize;
  /** The stream new slots take theirs from (16 bytes); it jumps 2^64 per slot. */
  master: usize;
  /** Program index + 1 per interface (u16 × INTERFACE_SLOTS); 0 = NetFlow off. */
  interfaces: usize;
  /** The loaded filter program (u32 words) and its length. */
  program: usize;
  programWords: u32;
  /** Scratch per packet: its program index + 1 (u16), its outcome (u16), positions of a class's hits (u32). */
  programOf: usize;
  marks: usize;
  positions: usize;
  /** Scratch bitmaps, one bit per packet (u64 words): a program's packets not yet in a class, a criterion's bits. */
  unassigned: usize;
  scratch: usize;
  /** Packets whose interface has NetFlow (bitmap): what class bitmaps are evaluated over. */
  configured: usize;
  /** Class bitmaps of this batch (CLASS_CACHE_ENTRIES bitmaps), the class offset of each, and how many are valid. */
  classCache: usize;
  classCacheKeys: usize;
  classCacheCount: u32;
  classCacheNext: u32;
  /** Programs met in the current batch: a flag per program (u8 × INTERFACE_SLOTS) and their list (u16). */
  programSeen: usize;
  programsTouched: usize;
  packetsIn: u64;
  /** Packets whose parse failed (status ≥ 32): never accounted. */
  malformed: u64;
  /** Frames that are not IP (ARP, LLC, other EtherTypes): NetFlow accounts IP only. */
  notIp: u64;
  /** IP packets from an interface without NetFlow. */
  notConfigured: u64;
  /** Packets on a filtered interface that matched no class. */
  filteredOut: u64;
  /** Packets accounted by full NetFlow (not sampled). */
  fullAccounted: u64;
  /** Counters of slots since released or reconfigured (so totals stay conserved). */
  releasedSeen: u64;
  releasedSelected: u64;
}
