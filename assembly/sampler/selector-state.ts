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

@unmanaged export class Selector {
  budget: Budget;
  /** Sampler records, SAMPLER_BYTES each. */
  slots: usize;
  /** Sampler (map) id per slot (u8), reported with every selected packet's flow. */
  slotSamplerIds: usize;
  maxSlots: u32;
  /** Most packets per `selectorRun` call (the scratch arrays are sized for it). */
  maxBatch: u32;
  /** The stream new slots take theirs from (16 bytes); it jumps 2^64 per slot. */
  master: usize;
  /** Program index + 1 per interface (u16 × INTERFACE_SLOTS); 0 = NetFlow off. */
  interfaces: usize;
  /** The loaded filter program (u32 words) and its length. */
  program: usize;
  programWords: u32;
  /** Scratch per packet: the slot deciding on it (u16), its outcome (u16), bucketed positions (u32). */
  classOf: usize;
  marks: usize;
  positions: usize;
  /** Scratch per slot: packets in this batch (u32), bucket start (u32), slots touched (u16). */
  slotCounts: usize;
  slotStarts: usize;
  touched: usize;
  packetsIn: u64;
  /** Packets from an interface without NetFlow. */
  notConfigured: u64;
  /** Packets on a filtered interface that matched no class. */
  filteredOut: u64;
  /** Packets accounted by full NetFlow (not sampled). */
  fullAccounted: u64;
  /** Counters of slots since released or reconfigured (so totals stay conserved). */
  releasedSeen: u64;
  releasedSelected: u64;
}
