// The export encoder: export records (a ring of flow/state.ts records, e.g. the flow cache's
// queue) into whole NetFlow v5, v9 or IPFIX datagrams, written into fixed output slots.
//
// * Sequence numbers as each format defines them: IPFIX counts the data records (flow records
//   and options data records) sent before this message, modulo 2^32, templates excluded
//   (RFC 7011 §3.1); NetFlow v9 counts the export packets sent before this one (RFC 3954 §5.1);
//   NetFlow v5 counts the flows sent before this datagram.
// * Templates (and the options records the host gave: the samplers) open the first datagram
//   and then every datagram that starts `refreshDatagrams` datagrams or `refreshMs` ms after
//   the last one that had them. One encoder is one observation domain (source id).
// * Header times: v5 gives the export time in ms (secs and nsecs); v9 and IPFIX give whole
//   seconds, rounded up so that no flow ends after its datagram's time, and v9's sysUpTime is
//   taken at that same second, so a collector's `unix_secs·1000 − (sysUpTime − first)` is the
//   flow's first millisecond exactly.

import { EXPORT_RECORD_BYTES, OFF_VERSION, OFF_INTERFACE } from "../flow/state";
import { FORMAT_V5, FORMAT_IPFIX, DATA_TEMPLATES, FULL_TEMPLATES, recordBytes, templateId, writeTemplateSet } from "./templates";
import { fitsCompact, writeFlowRecord, writeV5Record, V5_HEADER_BYTES, V5_RECORD_BYTES, V5_MAX_RECORDS } from "./records";
import { be16, be32 } from "./wire";

export const V9_HEADER_BYTES: u32 = 20;
export const IPFIX_HEADER_BYTES: u32 = 16;
/** Interfaces with a sampler id in the per-interface table (PacketSelector's interface range). */
export const SAMPLER_TABLE_INTERFACES: u32 = 65536;

/** Counter slots (u64 each), in the order src/export/exporter.ts names them. */
export const X_RECORDS: u32 = 0;
export const X_DATAGRAMS: u32 = 1;
export const X_BYTES: u32 = 2;
export const X_TEMPLATE_RECORDS: u32 = 3;
export const X_TEMPLATE_DATAGRAMS: u32 = 4;
export const X_OPTIONS_RECORDS: u32 = 5;
export const X_SKIPPED_IPV6: u32 = 6;
export const X_SAMPLED_RECORDS: u32 = 7;
export const COUNTER_SLOTS: u32 = 8;

@unmanaged export class ExportEncoder {
  /** Output: `slots` datagrams of at most `slotBytes`, their lengths (u32 each). */
  out: usize;
  lengths: usize;
  counters: usize;
  /** Options sets (templates and data, ready to send) and their record counts. */
  options: usize;
  /** u8 sampler id per input interface (0: not sampled), or 0 for `defaultSamplerId` on every flow. */
  samplerTable: usize;
  systemInit: f64;
  refreshMs: f64;
  lastTemplates: f64;
  sequence: u64;
  format: u32;
  slots: u32;
  slotBytes: u32;
  maxBytes: u32;
  domain: u32;
  engine: u32;
  v5Sampling: u32;
  defaultSamplerId: u32;
  refreshDatagrams: u32;
  sinceTemplates: u32;
  templatesSent: u32;
  optionsBytes: u32;
  optionsCapacity: u32;
  optionsTemplateRecords: u32;
  optionsDataRecords: u32;
  /** Whether IPFIX options data records advance the sequence number (RFC 7011 §3.1: they do). */
  optionsInSequence: u32;
  /** Datagrams written by the last encode call. */
  written: u32;
  /** Set: the next datagram carries the templates whatever the refresh rule says. */
  forceTemplates: u32;
  /** Set: the compact templates are sent too, and used for the records that fit them (templates.ts). */
  compact: u32;
}

// @ts-ignore: decorator
@inline function counterAdd(e: ExportEncoder, slot: u32, value: u64): void {
  const p = e.counters + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + value);
}

/**
 * Bytes of the data template set: the set header and four templates of 27, 27, 28 and 28
 * fields (4 + 2 × (4 + 4 × 27) + 2 × (4 + 4 × 28)); with the compact twins of 21, 21, 22 and
 * 22 fields, 360 more (2 × (4 + 4 × 21) + 2 × (4 + 4 × 22)). Literals, so that the exports are
 * immutable globals (main's ABI test requires it).
 */
export const TEMPLATE_SET_BYTES: u32 = 460;
export const COMPACT_TEMPLATE_SET_BYTES: u32 = 820;

// @ts-ignore: decorator
@inline function samplerIdOf(e: ExportEncoder, r: usize): u32 {
  if (e.samplerTable == 0) return e.defaultSamplerId;
  const iface = load<u32>(r, OFF_INTERFACE);
  return iface < SAMPLER_TABLE_INTERFACES ? <u32>load<u8>(e.samplerTable + iface) : e.defaultSamplerId;
}

// @ts-ignore: decorator
@inline function templatesDue(e: ExportEncoder, now: f64): bool {
  return e.forceTemplates != 0 || e.templatesSent == 0 || e.sinceTemplates >= e.refreshDatagrams || now - e.lastTemplates >= e.refreshMs;
}

/** Whole seconds of the v9 / IPFIX header for export time `now`: rounded up. */
// @ts-ignore: decorator
@inline function headerSeconds(now: f64): f64 {
  return Math.ceil(now / 1000);
}

/**
 * Encodes up to `count` records of the ring (`ringRecords` records from `ring`, starting at
 * record `head`) into at most `maxDatagrams` datagrams (and the encoder's slots) and at most
 * `maxRecords` flow records, at export time `now`. Returns the records consumed (v5 skips and
 * counts IPv6 records); `written` holds the datagrams. With `count` 0 and templates due (or
 * forced), writes one datagram of templates alone.
 */
export function encode(e: ExportEncoder, ring: usize, ringRecords: u32, head: u32, count: u32, now: f64, maxDatagrams: u32, maxRecords: u32): u32 {
  if (maxDatagrams > e.slots) maxDatagrams = e.slots;
  const v5 = e.format == FORMAT_V5;
  const ipfix = e.format == FORMAT_IPFIX;
  const boot = <i64>e.systemInit;
  const compactOn = e.compact != 0;
  let consumed: u32 = 0;
  let flowsLeft = maxRecords;
  let datagrams: u32 = 0;
  let at = head;
  while (datagrams < maxDatagrams) {
    const withTemplates = !v5 && templatesDue(e, now);
    if ((consumed == count || flowsLeft == 0) && !withTemplates) break;
    const start = e.out + <usize>datagrams * e.slotBytes;
    const end = start + e.maxBytes;
    let p = start + (v5 ? V5_HEADER_BYTES : ipfix ? IPFIX_HEADER_BYTES : V9_HEADER_BYTES);
    let records: u32 = 0; // every record in the datagram (v9 header count)
    let dataRecords: u32 = 0; // data records (IPFIX sequence)
    let flows: u32 = 0;
    if (withTemplates) {
      const templates = compactOn ? DATA_TEMPLATES : FULL_TEMPLATES;
      p = writeTemplateSet(p, ipfix, compactOn);
      memory.copy(p, e.options, e.optionsBytes);
      p += e.optionsBytes;
      records += templates + e.optionsTemplateRecords + e.optionsDataRecords;
      if (e.optionsInSequence != 0) dataRecords += e.optionsDataRecords;
      counterAdd(e, X_TEMPLATE_RECORDS, <u64>(templates + e.optionsTemplateRecords));
      counterAdd(e, X_TEMPLATE_DATAGRAMS, 1);
      counterAdd(e, X_OPTIONS_RECORDS, <u64>e.optionsDataRecords);
      e.templatesSent++;
      e.sinceTemplates = 0;
      e.lastTemplates = now;
      e.forceTemplates = 0;
    }
    let set: usize = 0;
    let setTemplate: u32 = 0;
    while (consumed < count && flowsLeft > 0) {
      const r = ring + <usize>at * EXPORT_RECORD_BYTES;
      const v6 = load<u8>(r, OFF_VERSION) == 6;
      if (v5) {
        if (v6) {
          counterAdd(e, X_SKIPPED_IPV6, 1);
        } else {
          if (flows == V5_MAX_RECORDS || p + V5_RECORD_BYTES > end) break;
          writeV5Record(p, r, boot);
          p += V5_RECORD_BYTES;
          flows++;
          flowsLeft--;
        }
      } else {
        const samplerId = samplerIdOf(e, r);
        const sampled = samplerId != 0;
        const compact = compactOn && fitsCompact(r);
        const template = templateId(v6, sampled, compact);
        const bytes = recordBytes(ipfix, v6, sampled, compact);
        if (template != setTemplate) {
          // A new set: close the open one (v9 pads each FlowSet to 4 bytes, RFC 3954 §5.3).
          if (set != 0) p = closeSet(set, p, ipfix);
          if (p + 4 + bytes + (ipfix ? 0 : 3) > end) break;
          set = p;
          setTemplate = template;
          be16(set, template, 0);
          p += 4;
        } else if (p + bytes + (ipfix ? 0 : 3) > end) break;
        // One inlined writer per (format, version, template): constant flags, no branch inside.
        if (ipfix) {
          if (v6) p += compact ? writeFlowRecord(p, r, true, true, true, sampled, samplerId, boot) : writeFlowRecord(p, r, true, true, false, sampled, samplerId, boot);
          else p += compact ? writeFlowRecord(p, r, true, false, true, sampled, samplerId, boot) : writeFlowRecord(p, r, true, false, false, sampled, samplerId, boot);
        } else {
          if (v6) p += compact ? writeFlowRecord(p, r, false, true, true, sampled, samplerId, boot) : writeFlowRecord(p, r, false, true, false, sampled, samplerId, boot);
          else p += compact ? writeFlowRecord(p, r, false, false, true, sampled, samplerId, boot) : writeFlowRecord(p, r, false, false, false, sampled, samplerId, boot);
        }
        if (sampled) counterAdd(e, X_SAMPLED_RECORDS, 1);
        flows++;
        flowsLeft--;
      }
      consumed++;
      at = at + 1 == ringRecords ? 0 : at + 1;
    }
    if (set != 0) p = closeSet(set, p, ipfix);
    if (flows == 0 && !withTemplates) break; // only skipped records were left
    records += flows;
    dataRecords += flows;
    const length = <u32>(p - start);
    writeHeader(e, start, now, length, records, flows);
    if (v5) e.sequence += flows;
    else if (ipfix) e.sequence += dataRecords;
    else e.sequence += 1;
    store<u32>(e.lengths + (<usize>datagrams << 2), length);
    e.sinceTemplates++;
    counterAdd(e, X_RECORDS, <u64>flows);
    counterAdd(e, X_DATAGRAMS, 1);
    counterAdd(e, X_BYTES, <u64>length);
    datagrams++;
  }
  e.written = datagrams;
  return consumed;
}

/** Writes the length of the set opened at `set` (padding a v9 FlowSet to 4 bytes); returns its end. */
function closeSet(set: usize, p: usize, ipfix: bool): usize {
  if (!ipfix) {
    while (((p - set) & 3) != 0) {
      store<u8>(p, 0);
      p++;
    }
  }
  be16(set, <u32>(p - set), 2);
  return p;
}

function writeHeader(e: ExportEncoder, p: usize, now: f64, length: u32, records: u32, flows: u32): void {
  const sequence = <u32>e.sequence;
  if (e.format == FORMAT_V5) {
    const ms = Math.floor(now);
    const seconds = Math.floor(ms / 1000);
    be16(p, 5, 0);
    be16(p, flows, 2);
    be32(p, <u32>(<i64>ms - <i64>e.systemInit), 4);
    be32(p, <u32>(<i64>seconds), 8);
    be32(p, <u32>(<i64>(ms - seconds * 1000) * 1000000), 12);
    be32(p, sequence, 16);
    store<u8>(p + 20, <u8>(e.engine >> 8));
    store<u8>(p + 21, <u8>e.engine);
    be16(p, e.v5Sampling, 22);
  } else if (e.format == FORMAT_IPFIX) {
    be16(p, 10, 0);
    be16(p, length, 2);
    be32(p, <u32>(<i64>headerSeconds(now)), 4);
    be32(p, sequence, 8);
    be32(p, e.domain, 12);
  } else {
    const seconds = headerSeconds(now);
    be16(p, 9, 0);
    be16(p, records, 2);
    be32(p, <u32>(<i64>(seconds * 1000) - <i64>e.systemInit), 4);
    be32(p, <u32>(<i64>seconds), 8);
    be32(p, sequence, 12);
    be32(p, e.domain, 16);
  }
}

/** Bytes an encoder with `slots` output datagrams of `maxBytes` allocates (with a sampler table or not). */
export function encoderBytes(slots: u32, maxBytes: u32, optionsCapacity: u32, samplerTable: bool): f64 {
  const slotBytes = (maxBytes + 7) & ~7;
  return <f64>(
    offsetof<ExportEncoder>() + <usize>slots * slotBytes + (<usize>slots << 2) + (<usize>COUNTER_SLOTS << 3) + optionsCapacity +
    (samplerTable ? <usize>SAMPLER_TABLE_INTERFACES : 0)
  );
}

/** The largest records can take in a datagram: the biggest data record, with its set header and padding. */
export function largestRecordBytes(format: u32): u32 {
  if (format == FORMAT_V5) return V5_RECORD_BYTES;
  return 4 + recordBytes(format == FORMAT_IPFIX, true, true, false) + 3;
}

/** Header bytes of `format`. */
export function headerBytes(format: u32): u32 {
  return format == FORMAT_V5 ? V5_HEADER_BYTES : format == FORMAT_IPFIX ? IPFIX_HEADER_BYTES : V9_HEADER_BYTES;
}
