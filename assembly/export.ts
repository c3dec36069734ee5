// NetFlow v5, v9 and IPFIX export: encoders from export records into datagrams (see
// export/encoder.ts for the rules, export/templates.ts for the templates). Everything is
// allocated at creation; encoding allocates nothing.

import { ExportEncoder, COUNTER_SLOTS, SAMPLER_TABLE_INTERFACES, encode, encoderBytes } from "./export/encoder";
export {
  TEMPLATE_SET_BYTES as EXPORT_TEMPLATE_SET_BYTES, COMPACT_TEMPLATE_SET_BYTES as EXPORT_COMPACT_TEMPLATE_SET_BYTES,
  COUNTER_SLOTS as EXPORT_COUNTER_SLOTS,
} from "./export/encoder";
export { largestRecordBytes as exportLargestRecordBytes, headerBytes as exportHeaderBytes } from "./export/encoder";

// @ts-ignore: decorator
@inline function zeroed(bytes: usize): usize {
  const p = heap.alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** Bytes `exportEncoderCreate` allocates for these sizes. */
export function exportEncoderBytes(slots: u32, maxBytes: u32, optionsCapacity: u32, samplerTable: bool): f64 {
  return encoderBytes(slots, maxBytes, optionsCapacity, samplerTable);
}

/**
 * An encoder for `format` (5, 9 or 10 = IPFIX) writing datagrams of at most `maxBytes` into
 * `slots` output slots; `optionsCapacity` bytes for the options sets; a per-interface sampler
 * table when `samplerTable`. `domain` is the v9 source id / IPFIX observation domain, `engine`
 * the v5 engine type (high byte) and id (low byte), `v5Sampling` the v5 header's sampling field,
 * `defaultSamplerId` the sampler id of flows the table does not cover (0: unsampled).
 * Templates are re-sent every `refreshDatagrams` datagrams and `refreshMs` ms; `systemInit` is
 * the sysUpTime origin (ms since the epoch, whole).
 */
export function exportEncoderCreate(
  format: u32, slots: u32, maxBytes: u32, optionsCapacity: u32, samplerTable: bool, domain: u32, engine: u32, v5Sampling: u32,
  defaultSamplerId: u32, refreshMs: f64, refreshDatagrams: u32, systemInit: f64,
): ExportEncoder {
  const e = changetype<ExportEncoder>(zeroed(offsetof<ExportEncoder>()));
  e.slotBytes = (maxBytes + 7) & ~7;
  e.out = zeroed(<usize>slots * e.slotBytes);
  e.lengths = zeroed(<usize>slots << 2);
  e.counters = zeroed(<usize>COUNTER_SLOTS << 3);
  e.options = zeroed(optionsCapacity > 0 ? <usize>optionsCapacity : 8);
  e.optionsCapacity = optionsCapacity;
  e.samplerTable = samplerTable ? zeroed(SAMPLER_TABLE_INTERFACES) : 0;
  e.format = format;
  e.slots = slots;
  e.maxBytes = maxBytes;
  e.domain = domain;
  e.engine = engine;
  e.v5Sampling = v5Sampling;
  e.defaultSamplerId = defaultSamplerId;
  e.refreshMs = refreshMs;
  e.refreshDatagrams = refreshDatagrams;
  e.systemInit = systemInit;
  return e;
}

/** Frees an encoder. */
export function exportEncoderFree(e: ExportEncoder): void {
  heap.free(e.out);
  heap.free(e.lengths);
  heap.free(e.counters);
  heap.free(e.options);
  if (e.samplerTable != 0) heap.free(e.samplerTable);
  heap.free(changetype<usize>(e));
}

/** Encodes records of a ring; see export/encoder.ts `encode`. Returns the records consumed. */
export function exportEncode(
  e: ExportEncoder, ring: usize, ringRecords: u32, head: u32, count: u32, now: f64, maxDatagrams: u32, maxRecords: u32,
): u32 {
  return encode(e, ring, ringRecords, head, count, now, maxDatagrams, maxRecords);
}

/** Datagrams written by the last `exportEncode`. */
export function exportWritten(e: ExportEncoder): u32 {
  return e.written;
}

/** Pointer to output slot 0 (slot i at `+ i × exportSlotBytes`). */
export function exportOut(e: ExportEncoder): usize {
  return e.out;
}

/** Bytes between output slots. */
export function exportSlotBytes(e: ExportEncoder): u32 {
  return e.slotBytes;
}

/** Pointer to the datagram lengths (u32 per slot). */
export function exportLengths(e: ExportEncoder): usize {
  return e.lengths;
}

/** Pointer to the counters (EXPORT_COUNTER_SLOTS u64). */
export function exportCounters(e: ExportEncoder): usize {
  return e.counters;
}

/** Pointer to the per-interface sampler table (u8 per interface), or 0. */
export function exportSamplerTable(e: ExportEncoder): usize {
  return e.samplerTable;
}

/** Pointer to the options area (`exportEncoderCreate`'s optionsCapacity bytes). */
export function exportOptions(e: ExportEncoder): usize {
  return e.options;
}

/**
 * Uses the first `bytes` of the options area (options template sets and options data sets,
 * in wire form) with every template refresh: `templateRecords` options template records and
 * `dataRecords` options data records, which advance the IPFIX sequence number when
 * `inSequence`. Returns 0, or 1 when `bytes` exceeds the area.
 */
export function exportSetOptions(e: ExportEncoder, bytes: u32, templateRecords: u32, dataRecords: u32, inSequence: bool): u32 {
  if (bytes > e.optionsCapacity) return 1;
  e.optionsInSequence = inSequence ? 1 : 0;
  e.optionsBytes = bytes;
  e.optionsTemplateRecords = templateRecords;
  e.optionsDataRecords = dataRecords;
  return 0;
}

/** Sends the compact templates too (export/templates.ts) and uses them for the records that fit them. */
export function exportSetCompact(e: ExportEncoder, on: bool): void {
  e.compact = on ? 1 : 0;
}

/** Makes the next datagram carry the templates. */
export function exportForceTemplates(e: ExportEncoder): void {
  e.forceTemplates = 1;
}

/** The next sequence number (the header field is its low 32 bits), as f64. */
export function exportSequence(e: ExportEncoder): f64 {
  return <f64>e.sequence;
}

/** Sets the sysUpTime origin (ms since the epoch, whole). */
export function exportSetSystemInit(e: ExportEncoder, systemInit: f64): void {
  e.systemInit = systemInit;
}
