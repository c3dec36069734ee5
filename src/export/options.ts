/**
 * The sampler options of the NetFlow v9 and IPFIX exports, in wire form: options templates and
 * one options data record per sampler map, sent with every template refresh. Built from
 * {@link SamplingExportInfo} (the samplers' `exportInfo()`), in TypeScript because there are a
 * handful per export, not one per flow.
 *
 * Two records per sampler, never a mixture of parameter sets in one record (collectors combine
 * them differently, research/sampling.md §1.4):
 * - the legacy one, samplingInterval (IE 34) alone beside the sampler id: what nfdump 1.7.1
 *   recognises (it ignores a record that also has samplingAlgorithm, IE 35); in v9 scoped by
 *   the System (RFC 3954 §6.1 scope type 1), in IPFIX by selectorId (302);
 * - the standard one: v9 FLOW_SAMPLER_ID / MODE / RANDOM_INTERVAL (48, 49, 50, as Cisco sends
 *   them), IPFIX selectorId, selectorAlgorithm and that algorithm's parameters (302, 304,
 *   305/306, 309/310 or 311) with the running totals 318/319 (RFC 5477).
 */

import { ConfigError, describe } from "../errors.js";
import type { InformationElementValue, SamplingExportInfo } from "../sampling/export-info.js";

/** Template id of the legacy (IE 34) sampler options record. */
export const OPTIONS_TEMPLATE_LEGACY = 260;
/** Template ids of the standard sampler options records: one per field list (v9: one). */
export const OPTIONS_TEMPLATE_STANDARD = 261;

/** What the encoder sends with its templates. */
export interface OptionsSets {
  bytes: Uint8Array;
  templateRecords: number;
  dataRecords: number;
}

const V9_SCOPE_SYSTEM = 1;

interface Field {
  id: number;
  length: number;
  value: number | bigint;
}

function fixedLength(type: InformationElementValue["type"]): number {
  switch (type) {
    case "unsigned8":
      return 1;
    case "unsigned16":
      return 2;
    case "unsigned32":
      return 4;
    default:
      return 8;
  }
}

class Writer {
  readonly bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.bytes.push((v >>> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.u16(Math.floor(v / 65536) & 0xffff);
    this.u16(v & 0xffff);
  }
  value(field: Field): void {
    if (field.length === 8 && !Number.isInteger(field.value)) {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, Number(field.value));
      for (let i = 0; i < 8; i++) this.u8(view.getUint8(i));
      return;
    }
    let v = BigInt.asUintN(field.length * 8, BigInt(field.value));
    const out: number[] = [];
    for (let i = 0; i < field.length; i++, v >>= 8n) out.unshift(Number(v & 0xffn));
    this.bytes.push(...out);
  }
  /** Pads to 4 bytes (v9 FlowSets) and patches the set length at `start`. */
  close(start: number, pad: boolean): void {
    while (pad && (this.bytes.length - start) % 4 !== 0) this.u8(0);
    const length = this.bytes.length - start;
    this.bytes[start + 2] = length >>> 8;
    this.bytes[start + 3] = length & 0xff;
  }
}

interface OptionsRecordKind {
  templateId: number;
  scope: Field[];
  fields: Field[];
}

function checkSampler(info: SamplingExportInfo): void {
  if (!Number.isInteger(info.samplerId) || info.samplerId < 1 || info.samplerId > 255) {
    throw new ConfigError("export-sampler-id", `invalid sampler id ${describe(info.samplerId)}: expected 1 to 255`, info.samplerId);
  }
}

function recordsFor(info: SamplingExportInfo, ipfix: boolean, domain: number): OptionsRecordKind[] {
  checkSampler(info);
  if (!ipfix) {
    const scope = [{ id: V9_SCOPE_SYSTEM, length: 4, value: domain }];
    const standard = info.netflowV9
      .filter((f) => f.type !== "string")
      .map((f) => ({ id: f.id, length: fixedLength(f.type), value: f.value as number }));
    return [
      { templateId: OPTIONS_TEMPLATE_LEGACY, scope, fields: [{ id: 34, length: 4, value: info.interval }] },
      { templateId: OPTIONS_TEMPLATE_STANDARD, scope, fields: standard },
    ];
  }
  const selector = { id: 302, length: 8, value: info.samplerId };
  const standard = info.ipfix
    .filter((f) => f.type !== "string" && f.id !== 302)
    .map((f) => ({ id: f.id, length: fixedLength(f.type), value: f.value as number }));
  return [
    { templateId: OPTIONS_TEMPLATE_LEGACY, scope: [selector], fields: [{ id: 34, length: 4, value: info.interval }] },
    { templateId: OPTIONS_TEMPLATE_STANDARD + info.selectorAlgorithm, scope: [selector], fields: standard },
  ];
}

/**
 * The options template set and options data sets for `samplers`, for NetFlow v9 (`ipfix`
 * false) or IPFIX, under observation domain / source id `domain`.
 */
export function buildSamplerOptions(samplers: readonly SamplingExportInfo[], ipfix: boolean, domain: number): OptionsSets {
  if (samplers.length === 0) return { bytes: new Uint8Array(0), templateRecords: 0, dataRecords: 0 };
  const kinds = samplers.map((s) => recordsFor(s, ipfix, domain));
  const templates = new Map<number, OptionsRecordKind>();
  for (const list of kinds) for (const kind of list) if (!templates.has(kind.templateId)) templates.set(kind.templateId, kind);
  const w = new Writer();
  const setStart = w.bytes.length;
  w.u16(ipfix ? 3 : 1);
  w.u16(0);
  for (const [id, kind] of templates) {
    w.u16(id);
    if (ipfix) {
      w.u16(kind.scope.length + kind.fields.length);
      w.u16(kind.scope.length);
    } else {
      w.u16(kind.scope.length * 4);
      w.u16(kind.fields.length * 4);
    }
    for (const f of [...kind.scope, ...kind.fields]) {
      w.u16(f.id);
      w.u16(f.length);
    }
  }
  w.close(setStart, true);
  let dataRecords = 0;
  for (const id of templates.keys()) {
    const start = w.bytes.length;
    w.u16(id);
    w.u16(0);
    for (const list of kinds) {
      for (const kind of list) {
        if (kind.templateId !== id) continue;
        for (const f of [...kind.scope, ...kind.fields]) w.value(f);
        dataRecords++;
      }
    }
    w.close(start, !ipfix);
  }
  return { bytes: Uint8Array.from(w.bytes), templateRecords: templates.size, dataRecords };
}
