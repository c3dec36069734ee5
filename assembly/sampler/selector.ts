// The packet selector: input filters and samplers per interface, as the seed's NetFlow Input
// Filters and Random Sampled NetFlow (003:L729–L837). Per packet: the input interface picks a
// program; full NetFlow accounts every packet; otherwise the classes are tried in order, the
// first match wins, and the packet joins the population of that class's sampler slot (no match:
// not accounted). Filters apply before sampling (003:L746). Each slot is one sampler with its own
// stream, deciding with skip-ahead over the positions of its packets in the batch.
//
// Program (u32 words, compiled by src/sampling/filter-program.ts, validated by selectorLoad):
//   [programCount P, interfaceCount I, P program offsets, I × (ifIndex, program index), ...]
//   program  [kind (1 full, 2 classes), ruleCount R, R × (class offset, slot)]
//   class    see filter-match.ts

import { budgetCreate, budgetAlloc, budgetFree, budgetRelease } from "../common/budget";
import { xoshiroSeed, xoshiroJump } from "../common/prng";
import { classBits, CLASS_HEADER_WORDS, CRITERION_WORDS, CRITERION_LAST, CRITERION_SOURCE_PREFIX, CRITERION_DESTINATION_PREFIX } from "./filter-match";
import { SamplerState, SAMPLER_BYTES, MAX_INTERVAL, MODE_SFLOW } from "./state";
import { samplerConfigure, samplerDecideGather } from "./decide";
import {
  Selector, INTERFACE_SLOTS, FULL_ACCOUNTING, MAX_SLOTS, CLASS_CACHE_ENTRIES, SLOT_SEEN, SLOT_SELECTED,
  SELECTOR_PACKETS, SELECTOR_NOT_CONFIGURED, SELECTOR_FILTERED_OUT, SELECTOR_FULL_ACCOUNTED, SELECTOR_SAMPLED_POPULATION, SELECTOR_SAMPLED, SELECTOR_MEMORY_BYTES, SELECTOR_BUDGET_BYTES, SELECTOR_LIVE_SLOTS, SELECTOR_MALFORMED, SELECTOR_NOT_IP,
} from "./selector-state";
import {
  COLUMN_INPUT_INTERFACE, COLUMN_IP_VERSION, COLUMN_STATUS, COLUMN_SOURCE, COLUMN_DESTINATION, COLUMN_PROTOCOL,
  COLUMN_SOURCE_PORT, COLUMN_DESTINATION_PORT, COLUMN_TOS, COLUMN_TCP_FLAGS, COLUMN_DESCRIPTOR_BYTES, STATUS_FIRST_ERROR,
} from "./filter-columns";
import { PacketBatch, batchColumn } from "../packet/batch";

export const PROGRAM_FULL: u32 = 1;
export const PROGRAM_CLASSES: u32 = 2;

/** Status codes of the selector's configuration calls. */
export const SELECTOR_OK: i32 = 0;
export const SELECTOR_NO_MEMORY: i32 = -1;
export const SELECTOR_BAD_SLOT: i32 = -2;
export const SELECTOR_BAD_CONFIGURATION: i32 = -3;
export const SELECTOR_BAD_PROGRAM: i32 = -4;
export const SELECTOR_SLOT_IN_USE: i32 = -5;
export const SELECTOR_BATCH_TOO_LARGE: i32 = -6;

/** Counter words written by `selectorStats` (f64 each). */
export const SELECTOR_STATS_WORDS: i32 = 11;

// @ts-ignore: decorator
@inline function slotAt(sel: Selector, slot: u32): SamplerState {
  return changetype<SamplerState>(sel.slots + (<usize>slot) * SAMPLER_BYTES);
}

// @ts-ignore: decorator
@inline function programWord(sel: Selector, index: u32): u32 {
  return load<u32>(sel.program + ((<usize>index) << 2));
}

/**
 * A selector with `maxSlots` sampler slots (1 … 4096), deciding on at most `maxBatch` packets
 * per call, drawing its samplers' streams from the 64-bit seed, with `programBytes` for filter
 * programs. Everything is allocated here, from one budget; returns 0 when arguments are out of
 * range.
 */
export function selectorCreate(maxSlots: u32, maxBatch: u32, seedLow: u32, seedHigh: u32, programBytes: u32): Selector {
  if (maxSlots < 1 || maxSlots > MAX_SLOTS || maxBatch < 1 || maxBatch > (1 << 24)) return changetype<Selector>(0);
  const bitmapBytes = (<usize>((maxBatch + 63) >> 6)) << 3;
  const fixed = <u64>maxSlots * (<u64>SAMPLER_BYTES + 1) + 16 + <u64>COLUMN_DESCRIPTOR_BYTES + <u64>INTERFACE_SLOTS * 5 + <u64>maxBatch * 8
    + (3 + <u64>CLASS_CACHE_ENTRIES) * <u64>bitmapBytes + 4 * <u64>CLASS_CACHE_ENTRIES;
  // Room for two programs: a new one is installed before the old one is freed.
  const budget = budgetCreate(fixed + 64 + 2 * <u64>programBytes);
  const sel = changetype<Selector>(heap.alloc(offsetof<Selector>()));
  memory.fill(changetype<usize>(sel), 0, offsetof<Selector>());
  sel.budget = budget;
  sel.maxSlots = maxSlots;
  sel.maxBatch = maxBatch;
  sel.slots = budgetAlloc(budget, <usize>maxSlots * SAMPLER_BYTES);
  sel.slotSamplerIds = budgetAlloc(budget, <usize>maxSlots);
  sel.master = budgetAlloc(budget, 16);
  sel.batchColumns = budgetAlloc(budget, COLUMN_DESCRIPTOR_BYTES);
  sel.interfaces = budgetAlloc(budget, <usize>INTERFACE_SLOTS << 1);
  sel.programSeen = budgetAlloc(budget, <usize>INTERFACE_SLOTS);
  sel.programsTouched = budgetAlloc(budget, <usize>INTERFACE_SLOTS << 1);
  sel.programOf = budgetAlloc(budget, <usize>maxBatch << 1);
  sel.marks = budgetAlloc(budget, <usize>maxBatch << 1);
  sel.positions = budgetAlloc(budget, <usize>maxBatch << 2);
  sel.unassigned = budgetAlloc(budget, bitmapBytes);
  sel.scratch = budgetAlloc(budget, bitmapBytes);
  sel.configured = budgetAlloc(budget, bitmapBytes);
  sel.classCache = budgetAlloc(budget, bitmapBytes * <usize>CLASS_CACHE_ENTRIES);
  sel.classCacheKeys = budgetAlloc(budget, 4 * <usize>CLASS_CACHE_ENTRIES);
  xoshiroSeed(sel.master, ((<u64>seedHigh) << 32) | <u64>seedLow);
  // An empty program: no interface has NetFlow.
  sel.program = budgetAlloc(budget, 8);
  sel.programWords = 2;
  return sel;
}

/**
 * Configures slot `slot` as a fresh sampler: a new stream (the master stream's current state,
 * after which the master jumps 2^64), zero counters, the given mode and interval, and the
 * sampler id reported for its packets. A slot that was live hands its counters to the
 * released totals first.
 */
/** Frees everything the selector holds (all blocks of its budget) and the selector itself. */
export function selectorDestroy(sel: Selector): void {
  budgetRelease(sel.budget);
  heap.free(changetype<usize>(sel));
}

export function selectorConfigureSlot(sel: Selector, slot: u32, mode: u32, interval: u32, samplerId: u32): i32 {
  if (slot >= sel.maxSlots) return SELECTOR_BAD_SLOT;
  if (mode > MODE_SFLOW || interval < 1 || interval > MAX_INTERVAL || samplerId > 255) return SELECTOR_BAD_CONFIGURATION;
  const s = slotAt(sel, slot);
  retireCounters(sel, s);
  memory.copy(changetype<usize>(s), sel.master, 16);
  xoshiroJump(sel.master);
  s.live = 1;
  samplerConfigure(s, mode, interval);
  store<u8>(sel.slotSamplerIds + <usize>slot, <u8>samplerId);
  return SELECTOR_OK;
}

function retireCounters(sel: Selector, s: SamplerState): void {
  if (s.live != 0) {
    sel.releasedSeen += s.seen;
    sel.releasedSelected += s.selected;
  }
  s.seen = 0;
  s.selected = 0;
}

/** Frees a slot; refused (SELECTOR_SLOT_IN_USE) while the loaded program refers to it. */
export function selectorReleaseSlot(sel: Selector, slot: u32): i32 {
  if (slot >= sel.maxSlots) return SELECTOR_BAD_SLOT;
  if (programUsesSlot(sel, slot)) return SELECTOR_SLOT_IN_USE;
  const s = slotAt(sel, slot);
  retireCounters(sel, s);
  s.live = 0;
  return SELECTOR_OK;
}

function programUsesSlot(sel: Selector, slot: u32): bool {
  const programs = programWord(sel, 0);
  for (let p: u32 = 0; p < programs; p++) {
    const at = programWord(sel, 2 + p);
    if (programWord(sel, at) != PROGRAM_CLASSES) continue;
    const rules = programWord(sel, at + 1);
    for (let r: u32 = 0; r < rules; r++) if (programWord(sel, at + 3 + 2 * r) == slot) return true;
  }
  return false;
}

/** Sampler id of a slot (what the flow cache records as FLOW_SAMPLER_ID / selectorId). */
export function selectorSlotSamplerId(sel: Selector, slot: u32): u32 {
  return slot < sel.maxSlots ? <u32>load<u8>(sel.slotSamplerIds + <usize>slot) : 0;
}

/** The sampler record of a slot, for the `sampler*` state calls (0 when out of range). */
export function selectorSlotSampler(sel: Selector, slot: u32): SamplerState {
  return changetype<SamplerState>(slot < sel.maxSlots ? changetype<usize>(slotAt(sel, slot)) : 0);
}

/** Writes a slot's counters (seen, selected) as two f64 to `out`. */
export function selectorSlotCounters(sel: Selector, slot: u32, out: usize): void {
  let seen: u64 = 0, selected: u64 = 0;
  if (slot < sel.maxSlots) {
    const s = slotAt(sel, slot);
    seen = s.seen;
    selected = s.selected;
  }
  store<f64>(out, <f64>seen, SLOT_SEEN << 3);
  store<f64>(out, <f64>selected, SLOT_SELECTED << 3);
}

/**
 * Validates and installs a program of `words` u32 words at `source` (copied). Returns
 * SELECTOR_OK, SELECTOR_NO_MEMORY, or SELECTOR_BAD_PROGRAM (the old program stays).
 */
export function selectorLoad(sel: Selector, source: usize, words: u32): i32 {
  if (!programValid(sel, source, words)) return SELECTOR_BAD_PROGRAM;
  const bytes = (<usize>words) << 2;
  const copy = budgetAlloc(sel.budget, bytes);
  if (copy == 0) return SELECTOR_NO_MEMORY;
  memory.copy(copy, source, bytes);
  budgetFree(sel.budget, sel.program, (<usize>sel.programWords) << 2);
  sel.program = copy;
  sel.programWords = words;
  memory.fill(sel.interfaces, 0, (<usize>INTERFACE_SLOTS) << 1);
  const programs = load<u32>(copy);
  const interfaces = load<u32>(copy, 4);
  for (let k: u32 = 0; k < interfaces; k++) {
    const pair = copy + ((<usize>(2 + programs + 2 * k)) << 2);
    store<u16>(sel.interfaces + ((<usize>load<u32>(pair)) << 1), <u16>(load<u32>(pair, 4) + 1));
  }
  return SELECTOR_OK;
}

function programValid(sel: Selector, source: usize, words: u32): bool {
  if (words < 2) return false;
  const programs = load<u32>(source);
  const interfaces = load<u32>(source, 4);
  if (<u64>2 + <u64>programs + 2 * <u64>interfaces > <u64>words || programs > 0xfffe) return false;
  for (let k: u32 = 0; k < interfaces; k++) {
    const pair = source + ((<usize>(2 + programs + 2 * k)) << 2);
    if (load<u32>(pair) >= INTERFACE_SLOTS || load<u32>(pair, 4) >= programs) return false;
  }
  for (let p: u32 = 0; p < programs; p++) {
    const at = load<u32>(source + ((<usize>(2 + p)) << 2));
    if (<u64>at + 2 > <u64>words) return false;
    const kind = load<u32>(source + ((<usize>at) << 2));
    const rules = load<u32>(source + ((<usize>at + 1) << 2));
    if (kind == PROGRAM_FULL) {
      if (rules != 0) return false;
      continue;
    }
    if (kind != PROGRAM_CLASSES || <u64>at + 2 + 2 * <u64>rules > <u64>words) return false;
    for (let r: u32 = 0; r < rules; r++) {
      const classAt = load<u32>(source + ((<usize>(at + 2 + 2 * r)) << 2));
      const slot = load<u32>(source + ((<usize>(at + 3 + 2 * r)) << 2));
      if (slot >= sel.maxSlots || slotAt(sel, slot).live == 0) return false;
      if (!classValid(source, words, classAt)) return false;
    }
  }
  return true;
}

function classValid(source: usize, words: u32, at: u32): bool {
  if (<u64>at + <u64>CLASS_HEADER_WORDS > <u64>words) return false;
  const matchAll = load<u32>(source + ((<usize>at) << 2));
  const count = load<u32>(source + ((<usize>at + 1) << 2));
  if (matchAll > 1 || <u64>at + <u64>CLASS_HEADER_WORDS + <u64>count * <u64>CRITERION_WORDS > <u64>words) return false;
  for (let c: u32 = 0; c < count; c++) {
    const head = load<u32>(source + ((<usize>(at + CLASS_HEADER_WORDS + c * CRITERION_WORDS)) << 2));
    const kind = head & 0xff;
    const family = (head >> 16) & 0xff;
    if (kind < 1 || kind > CRITERION_LAST || (head & 0xff00fe00) != 0) return false;
    if ((kind == CRITERION_SOURCE_PREFIX || kind == CRITERION_DESTINATION_PREFIX) && family != 4 && family != 6) return false;
  }
  return true;
}

/**
 * Runs a batch of `count` packets (≤ maxBatch) whose columns the descriptor `columns`
 * describes (assembly/sampler/filter-columns.ts): writes the index of every accounted packet
 * to `outIndices` (u32, ascending) and the slot that selected it to `outSlots` (u16;
 * 0xffff = full NetFlow), and returns how many, or SELECTOR_BATCH_TOO_LARGE (nothing done).
 *
 * Per program met in the batch (one per configured interface): the bitmap of its packets;
 * then each class in order takes the packets of that bitmap it matches (first match wins), and
 * its sampler decides on them in arrival order. Cost: O(count) per program met, plus the
 * criteria, plus O(1) per selected packet.
 */
export function selectorRun(sel: Selector, columns: usize, count: u32, outIndices: usize, outSlots: usize): i32 {
  if (count > sel.maxBatch) return SELECTOR_BATCH_TOO_LARGE;
  sel.packetsIn += count;
  const programOf = sel.programOf;
  const marks = sel.marks;
  const seen = sel.programSeen;
  const touched = sel.programsTouched;
  const interfacesColumn = <usize>load<u32>(columns + COLUMN_INPUT_INTERFACE);
  const versionColumn = <usize>load<u32>(columns + COLUMN_IP_VERSION);
  const statusColumn = <usize>load<u32>(columns + COLUMN_STATUS);
  const words = (count + 63) >> 6;
  let touchedCount: u32 = 0;
  let notConfigured: u32 = 0, malformed: u32 = 0, notIp: u32 = 0;

  // 1. The program of each packet (0: none: malformed, not IP, or NetFlow is off on its
  //    interface), and the bitmap of the packets that have one.
  const configured = sel.configured;
  for (let w: u32 = 0; w < words; w++) {
    const base = w << 6;
    const end = min<u32>(64, count - base);
    let bits: u64 = 0;
    for (let j: u32 = 0; j < end; j++) {
      const i = base + j;
      const ifIndex = load<u32>(interfacesColumn + ((<usize>i) << 2));
      const bad = <u32>(<u32>load<u8>(statusColumn + <usize>i) >= STATUS_FIRST_ERROR);
      const version = <u32>load<u8>(versionColumn + <usize>i);
      const ip = (<u32>(version == 4) | <u32>(version == 6)) & (bad ^ 1);
      malformed += bad;
      notIp += (bad ^ 1) & (ip ^ 1);
      const program = ifIndex < INTERFACE_SLOTS ? <u32>load<u16>(sel.interfaces + ((<usize>ifIndex) << 1)) : 0;
      const entry = ip != 0 ? program : 0;
      notConfigured += ip & <u32>(program == 0);
      store<u16>(programOf + ((<usize>i) << 1), <u16>entry);
      bits |= (<u64>(entry != 0)) << j;
      if (entry != 0 && load<u8>(seen + <usize>entry) == 0) {
        store<u8>(seen + <usize>entry, 1);
        store<u16>(touched + ((<usize>(touchedCount++)) << 1), <u16>entry);
      }
    }
    store<u64>(configured + ((<usize>w) << 3), bits);
  }
  sel.notConfigured += notConfigured;
  sel.malformed += malformed;
  sel.notIp += notIp;
  if (touchedCount == 1) {
    // One program met and it is full NetFlow (the usual batch from one interface): its packets
    // are the configured ones, accounted in order, without the marks pass.
    const entry = <u32>load<u16>(touched);
    if (programWord(sel, programWord(sel, 2 + entry - 1)) == PROGRAM_FULL) {
      store<u8>(seen + <usize>entry, 0);
      let k: u32 = 0;
      for (let w: u32 = 0; w < words; w++) {
        let bits = load<u64>(configured + ((<usize>w) << 3));
        if (bits == 0xffffffffffffffff) {
          const base = w << 6;
          for (let j: u32 = 0; j < 64; j++) {
            store<u32>(outIndices + ((<usize>(k + j)) << 2), base + j);
            store<u16>(outSlots + ((<usize>(k + j)) << 1), <u16>FULL_ACCOUNTING);
          }
          k += 64;
          continue;
        }
        while (bits != 0) {
          store<u32>(outIndices + ((<usize>k) << 2), (w << 6) + <u32>ctz<u64>(bits));
          store<u16>(outSlots + ((<usize>k) << 1), <u16>FULL_ACCOUNTING);
          k++;
          bits &= bits - 1;
        }
      }
      sel.fullAccounted += k;
      return <i32>k;
    }
  }
  memory.fill(marks, 0, (<usize>count) << 1);
  sel.classCacheCount = 0;
  sel.classCacheNext = 0;

  // 2. Each program: full NetFlow, or its classes in order, each feeding its sampler.
  const unassigned = sel.unassigned;
  const positions = sel.positions;
  for (let t: u32 = 0; t < touchedCount; t++) {
    const entry = <u32>load<u16>(touched + ((<usize>t) << 1));
    store<u8>(seen + <usize>entry, 0);
    let remaining: u32 = 0;
    if (touchedCount == 1) {
      // One program (the usual batch from one interface): its packets are the configured ones.
      memory.copy(unassigned, configured, (<usize>words) << 3);
      remaining = count - notConfigured - malformed - notIp;
    } else {
      for (let w: u32 = 0; w < words; w++) {
        const base = w << 6;
        const end = min<u32>(64, count - base);
        let bits: u64 = 0;
        for (let j: u32 = 0; j < end; j++) {
          bits |= (<u64>(<u32>load<u16>(programOf + ((<usize>(base + j)) << 1)) == entry)) << j;
        }
        store<u64>(unassigned + ((<usize>w) << 3), bits);
        remaining += <u32>popcnt<u64>(bits);
      }
    }
    const at = programWord(sel, 2 + entry - 1);
    if (programWord(sel, at) == PROGRAM_FULL) {
      sel.fullAccounted += remaining;
      for (let w: u32 = 0; w < words; w++) {
        let bits = load<u64>(unassigned + ((<usize>w) << 3));
        while (bits != 0) {
          store<u16>(marks + ((<usize>((w << 6) + <u32>ctz<u64>(bits))) << 1), <u16>FULL_ACCOUNTING);
          bits &= bits - 1;
        }
      }
      continue;
    }
    const rules = programWord(sel, at + 1);
    for (let r: u32 = 0; r < rules && remaining > 0; r++) {
      const matched = cachedClassBits(sel, programWord(sel, at + 2 + 2 * r), columns, count);
      let n: u32 = 0;
      for (let w: u32 = 0; w < words; w++) {
        let bits = load<u64>(matched + ((<usize>w) << 3)) & load<u64>(unassigned + ((<usize>w) << 3));
        if (bits == 0) continue;
        const u = unassigned + ((<usize>w) << 3);
        store<u64>(u, load<u64>(u) & ~bits);
        while (bits != 0) {
          store<u32>(positions + ((<usize>(n++)) << 2), (w << 6) + <u32>ctz<u64>(bits));
          bits &= bits - 1;
        }
      }
      remaining -= n;
      if (n == 0) continue;
      // The sampler decides in place: the selected positions overwrite the front of the list.
      const slot = programWord(sel, at + 3 + 2 * r);
      const k = samplerDecideGather(slotAt(sel, slot), n, positions, positions, 0);
      for (let j: u32 = 0; j < k; j++) {
        store<u16>(marks + ((<usize>load<u32>(positions + ((<usize>j) << 2))) << 1), <u16>(slot + 1));
      }
    }
    sel.filteredOut += remaining;
  }

  // 3. The accounted packets, in order.
  let k: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const mark = <u32>load<u16>(marks + ((<usize>i) << 1));
    if (mark == 0) continue;
    store<u32>(outIndices + ((<usize>k) << 2), i);
    store<u16>(outSlots + ((<usize>k) << 1), <u16>(mark == FULL_ACCOUNTING ? FULL_ACCOUNTING : mark - 1));
    k++;
  }
  return <i32>k;
}

/**
 * The bitmap of the configured packets of this batch that belong to the class at word `at` of
 * the program: from the batch's cache, or evaluated into it (replacing the oldest entry).
 */
function cachedClassBits(sel: Selector, at: u32, columns: usize, count: u32): usize {
  const bitmapBytes = (<usize>((sel.maxBatch + 63) >> 6)) << 3;
  for (let e: u32 = 0; e < sel.classCacheCount; e++) {
    if (load<u32>(sel.classCacheKeys + ((<usize>e) << 2)) == at) return sel.classCache + (<usize>e) * bitmapBytes;
  }
  let entry: u32;
  if (sel.classCacheCount < CLASS_CACHE_ENTRIES) {
    entry = sel.classCacheCount++;
  } else {
    entry = sel.classCacheNext;
    sel.classCacheNext = (entry + 1) % CLASS_CACHE_ENTRIES;
  }
  const bitmap = sel.classCache + (<usize>entry) * bitmapBytes;
  store<u32>(sel.classCacheKeys + ((<usize>entry) << 2), at);
  classBits(sel.program, at, columns, count, sel.configured, bitmap, sel.scratch);
  return bitmap;
}

/**
 * Runs packets `from` … `from + count − 1` of a packet batch (assembly/packet/batch.ts) in
 * place, as `selectorRun` does for a column descriptor: the indices written are relative to
 * `from`. Returns how many were accounted, or SELECTOR_BATCH_TOO_LARGE when `count` exceeds
 * maxBatch or the range exceeds the batch (nothing done).
 */
export function selectorRunBatch(sel: Selector, batch: PacketBatch, from: u32, count: u32, outIndices: usize, outSlots: usize): i32 {
  if (<u64>from + <u64>count > <u64>batch.capacity) return SELECTOR_BATCH_TOO_LARGE;
  const d = sel.batchColumns;
  const at = <usize>from;
  // Column ids of the batch layout: 14 ipVersion, 15 src, 16 dst, 17 protocol, 24 srcPort,
  // 25 dstPort, 18 tos, 26 tcpFlags, 1 interface, 6 status.
  store<u32>(d + COLUMN_IP_VERSION, <u32>(batchColumn(batch, 14) + at));
  store<u32>(d + COLUMN_SOURCE, <u32>(batchColumn(batch, 15) + (at << 4)));
  store<u32>(d + COLUMN_DESTINATION, <u32>(batchColumn(batch, 16) + (at << 4)));
  store<u32>(d + COLUMN_PROTOCOL, <u32>(batchColumn(batch, 17) + at));
  store<u32>(d + COLUMN_SOURCE_PORT, <u32>(batchColumn(batch, 24) + (at << 1)));
  store<u32>(d + COLUMN_DESTINATION_PORT, <u32>(batchColumn(batch, 25) + (at << 1)));
  store<u32>(d + COLUMN_TOS, <u32>(batchColumn(batch, 18) + at));
  store<u32>(d + COLUMN_TCP_FLAGS, <u32>(batchColumn(batch, 26) + (at << 1)));
  store<u32>(d + COLUMN_INPUT_INTERFACE, <u32>(batchColumn(batch, 1) + (at << 2)));
  store<u32>(d + COLUMN_STATUS, <u32>(batchColumn(batch, 6) + at));
  return selectorRun(sel, d, count, outIndices, outSlots);
}

/**
 * Writes the selector's counters as SELECTOR_STATS_WORDS f64: packets in, not configured,
 * filtered out, full NetFlow, seen by samplers, selected by samplers (live and released slots),
 * budget bytes used, budget limit, slots live, malformed, not IP.
 */
export function selectorStats(sel: Selector, out: usize): void {
  let seen = sel.releasedSeen, selected = sel.releasedSelected;
  let live: u32 = 0;
  for (let slot: u32 = 0; slot < sel.maxSlots; slot++) {
    const s = slotAt(sel, slot);
    if (s.live == 0) continue;
    live++;
    seen += s.seen;
    selected += s.selected;
  }
  store<f64>(out, <f64>sel.packetsIn, SELECTOR_PACKETS << 3);
  store<f64>(out, <f64>sel.notConfigured, SELECTOR_NOT_CONFIGURED << 3);
  store<f64>(out, <f64>sel.filteredOut, SELECTOR_FILTERED_OUT << 3);
  store<f64>(out, <f64>sel.fullAccounted, SELECTOR_FULL_ACCOUNTED << 3);
  store<f64>(out, <f64>seen, SELECTOR_SAMPLED_POPULATION << 3);
  store<f64>(out, <f64>selected, SELECTOR_SAMPLED << 3);
  store<f64>(out, <f64>sel.budget.used, SELECTOR_MEMORY_BYTES << 3);
  store<f64>(out, <f64>sel.budget.limit, SELECTOR_BUDGET_BYTES << 3);
  store<f64>(out, <f64>live, SELECTOR_LIVE_SLOTS << 3);
  store<f64>(out, <f64>sel.malformed, SELECTOR_MALFORMED << 3);
  store<f64>(out, <f64>sel.notIp, SELECTOR_NOT_IP << 3);
}

/** Zeroes every counter of the selector and its slots (decisions go on unchanged). */
export function selectorClearCounters(sel: Selector): void {
  sel.packetsIn = 0;
  sel.malformed = 0;
  sel.notIp = 0;
  sel.notConfigured = 0;
  sel.filteredOut = 0;
  sel.fullAccounted = 0;
  sel.releasedSeen = 0;
  sel.releasedSelected = 0;
  for (let slot: u32 = 0; slot < sel.maxSlots; slot++) {
    const s = slotAt(sel, slot);
    s.seen = 0;
    s.selected = 0;
  }
}
