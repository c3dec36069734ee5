/**
 * A decoder of NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) datagrams, written from
 * the RFCs (it does not use the encoder, so it doubles as the encoder's reference): templates
 * and options templates are learnt per exporter and observation domain, data records decoded
 * through them, sequence numbers checked as each format defines them. Malformed datagrams are
 * counted, never thrown.
 */

import { formatIPv4, formatIPv6 } from "../net/address.js";
import { formatMac } from "../net/mac.js";

/** One field of a template: IE id (enterprise bit cleared), length (65535: variable), enterprise number. */
export interface TemplateField {
  id: number;
  length: number;
  enterprise: number;
}

/** A template or options template learnt from the wire. */
export interface DecodedTemplate {
  id: number;
  fields: TemplateField[];
  /** Scope fields (options templates), the first of `fields`. */
  scopeCount: number;
}

/** A field value: unsigned integers up to 8 bytes as numbers, addresses and MACs as strings, anything else as bytes. */
export type FieldValue = number | string | Uint8Array;

/** A decoded data record: values by IE id (the first occurrence), in template order. */
export interface DecodedRecord {
  templateId: number;
  /** True for records of an options template (scope fields first). */
  options: boolean;
  fields: Map<number, FieldValue>;
}

/** A flow record in the terms of the flow cache's records (src/flow/record.ts). */
export interface DecodedFlow {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tos: number;
  inputInterface: number;
  outputInterface: number;
  packets: number;
  bytes: number;
  /** Whole ms since the epoch. */
  firstMs: number;
  lastMs: number;
  tcpFlags: number;
  /** IE 61: 0 ingress, 1 egress (undefined when absent). */
  direction?: number;
  /** IE 136, IPFIX flowEndReason. */
  endReason?: number;
  minTtl?: number;
  maxTtl?: number;
  minLength?: number;
  maxLength?: number;
  ipId?: number;
  fragmentOffset?: number;
  icmpType?: number;
  icmpCode?: number;
  srcMac?: string;
  dstMac?: string;
  inputVlan?: number;
  outputVlan?: number;
  /** IE 48 (FLOW_SAMPLER_ID), when present. */
  samplerId?: number;
}

/** One decoded datagram. */
export interface DecodedMessage {
  version: 5 | 9 | 10;
  /** Sequence number from the header. */
  sequence: number;
  /** v9 source id / IPFIX observation domain / v5 engine type·256 + engine id. */
  domain: number;
  /** Export time from the header, ms since the epoch (v9 and IPFIX: whole seconds). */
  exportMs: number;
  /** v5 and v9 sysUpTime (ms). */
  sysUpTime?: number;
  /** v5 header sampling field. */
  v5Sampling?: number;
  /** Template and options template records in the datagram. */
  templates: DecodedTemplate[];
  /** Data records of options templates (e.g. sampler options). */
  optionsRecords: DecodedRecord[];
  /** Data records of data templates, as decoded, and as flows. */
  records: DecodedRecord[];
  flows: DecodedFlow[];
  /** Data sets skipped because their template was not known yet. */
  setsWithoutTemplate: number;
}

/** The decoder's counters. */
export interface DecoderCounters {
  datagrams: number;
  malformed: number;
  flows: number;
  optionsRecords: number;
  templates: number;
  setsWithoutTemplate: number;
  /** Datagrams whose sequence number was not the one expected (after the first from a source). */
  sequenceErrors: number;
  /** Records (v5, IPFIX) or datagrams (v9) the sequence numbers say were missed. */
  missing: number;
}

const ADDRESS_V4 = new Set([8, 12, 15, 18, 130, 225, 226]);
const ADDRESS_V6 = new Set([27, 28, 62, 63, 131, 281, 282]);
const MAC = new Set([56, 57, 80, 81]);
const FLOAT64 = new Set([311, 320, 321, 336, 337, 338]);

interface Exporter {
  templates: Map<number, DecodedTemplate>;
  nextSequence: number | undefined;
}

class Reader {
  constructor(
    readonly view: DataView,
    readonly end: number,
  ) {}
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at);
  }
  u32(at: number): number {
    return this.view.getUint32(at);
  }
}

class Malformed extends Error {}

function unsigned(view: DataView, at: number, length: number): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + view.getUint8(at + i);
  return v;
}

function fieldValue(view: DataView, at: number, field: TemplateField): FieldValue {
  const { id, length } = field;
  if (field.enterprise === 0) {
    if (length === 4 && ADDRESS_V4.has(id)) return formatIPv4(view.getUint32(at));
    if (length === 16 && ADDRESS_V6.has(id)) {
      return formatIPv6([view.getUint32(at), view.getUint32(at + 4), view.getUint32(at + 8), view.getUint32(at + 12)]);
    }
    if (length === 6 && MAC.has(id)) return formatMac(new Uint8Array(view.buffer, view.byteOffset + at, 6));
    if (length === 8 && FLOAT64.has(id)) return view.getFloat64(at);
  }
  if (length >= 1 && length <= 8) return unsigned(view, at, length);
  return new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + length));
}

function num(fields: Map<number, FieldValue>, id: number): number | undefined {
  const v = fields.get(id);
  return typeof v === "number" ? v : undefined;
}

/**
 * Decodes datagrams from any number of exporters. Keep one decoder per listening socket and
 * pass each datagram's source address, so that templates and sequence numbers are kept apart
 * per exporter (RFC 7011 §8: per transport session and observation domain).
 */
export class ExportDecoder {
  /** Whether IPFIX options data records advance the expected sequence number (RFC 7011 §3.1; default true). */
  readonly optionsRecordsInSequence: boolean;
  constructor(options: { optionsRecordsInSequence?: boolean } = {}) {
    this.optionsRecordsInSequence = options.optionsRecordsInSequence !== false;
  }
  readonly #exporters = new Map<string, Exporter>();
  readonly #counters: DecoderCounters = {
    datagrams: 0,
    malformed: 0,
    flows: 0,
    optionsRecords: 0,
    templates: 0,
    setsWithoutTemplate: 0,
    sequenceErrors: 0,
    missing: 0,
  };

  /** Decodes one datagram; undefined (and counted as malformed) when it does not parse. */
  decode(datagram: Uint8Array, source = ""): DecodedMessage | undefined {
    this.#counters.datagrams++;
    const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    try {
      if (datagram.length < 2) throw new Malformed();
      const version = view.getUint16(0);
      const message =
        version === 5 ? this.#v5(view) : version === 9 ? this.#v9(view, source) : version === 10 ? this.#ipfix(view, source) : undefined;
      if (message === undefined) throw new Malformed();
      this.#counters.flows += message.flows.length;
      this.#counters.optionsRecords += message.optionsRecords.length;
      this.#counters.templates += message.templates.length;
      this.#counters.setsWithoutTemplate += message.setsWithoutTemplate;
      return message;
    } catch (error) {
      if (!(error instanceof Malformed) && !(error instanceof RangeError)) throw error;
      this.#counters.malformed++;
      return undefined;
    }
  }

  /** The counters so far. */
  counters(): DecoderCounters {
    return { ...this.#counters };
  }

  /** The templates known for an exporter (source) and domain. */
  templates(source: string, version: 9 | 10, domain: number): DecodedTemplate[] {
    return [...(this.#exporters.get(`${source}|${version}|${domain}`)?.templates.values() ?? [])];
  }

  #exporter(key: string): Exporter {
    let e = this.#exporters.get(key);
    if (e === undefined) {
      e = { templates: new Map(), nextSequence: undefined };
      this.#exporters.set(key, e);
    }
    return e;
  }

  /** Checks `sequence` against the expected one and sets the next. `unit` is 2^32 modulo arithmetic. */
  #sequence(e: Exporter, sequence: number, advance: number): void {
    if (e.nextSequence !== undefined && sequence !== e.nextSequence) {
      this.#counters.sequenceErrors++;
      const gap = (sequence - e.nextSequence) >>> 0;
      if (gap < 0x80000000) this.#counters.missing += gap;
    }
    e.nextSequence = (sequence + advance) >>> 0;
  }

  #v5(view: DataView): DecodedMessage {
    if (view.byteLength < 24) throw new Malformed();
    const count = view.getUint16(2);
    if (view.byteLength < 24 + count * 48) throw new Malformed();
    const sysUpTime = view.getUint32(4);
    const exportMs = view.getUint32(8) * 1000 + Math.floor(view.getUint32(12) / 1e6);
    const sequence = view.getUint32(16);
    const domain = (view.getUint8(20) << 8) | view.getUint8(21);
    const flows: DecodedFlow[] = [];
    for (let i = 0; i < count; i++) {
      const at = 24 + i * 48;
      const first = view.getUint32(at + 24);
      const last = view.getUint32(at + 28);
      flows.push({
        ipVersion: 4,
        src: formatIPv4(view.getUint32(at)),
        dst: formatIPv4(view.getUint32(at + 4)),
        inputInterface: view.getUint16(at + 12),
        outputInterface: view.getUint16(at + 14),
        packets: view.getUint32(at + 16),
        bytes: view.getUint32(at + 20),
        firstMs: exportMs - ((sysUpTime - first) >>> 0),
        lastMs: exportMs - ((sysUpTime - last) >>> 0),
        srcPort: view.getUint16(at + 32),
        dstPort: view.getUint16(at + 34),
        tcpFlags: view.getUint8(at + 37),
        protocol: view.getUint8(at + 38),
        tos: view.getUint8(at + 39),
      });
    }
    this.#sequence(this.#exporter(`v5|${domain}`), sequence, count);
    return {
      version: 5,
      sequence,
      domain,
      exportMs,
      sysUpTime,
      v5Sampling: view.getUint16(22),
      templates: [],
      optionsRecords: [],
      records: [],
      flows,
      setsWithoutTemplate: 0,
    };
  }

  #v9(view: DataView, source: string): DecodedMessage {
    if (view.byteLength < 20) throw new Malformed();
    const sysUpTime = view.getUint32(4);
    const exportMs = view.getUint32(8) * 1000;
    const sequence = view.getUint32(12);
    const domain = view.getUint32(16);
    const exporter = this.#exporter(`${source}|9|${domain}`);
    const message = this.#emptyMessage(9, sequence, domain, exportMs, sysUpTime);
    const r = new Reader(view, view.byteLength);
    for (let at = 20; at + 4 <= r.end; ) {
      const id = r.u16(at);
      const length = r.u16(at + 2);
      if (length < 4 || at + length > r.end) throw new Malformed();
      const end = at + length;
      if (id === 0) {
        for (let p = at + 4; p + 4 <= end; ) {
          const templateId = r.u16(p);
          const count = r.u16(p + 2);
          p += 4;
          if (p + count * 4 > end) throw new Malformed();
          const fields: TemplateField[] = [];
          for (let k = 0; k < count; k++, p += 4) fields.push({ id: r.u16(p), length: r.u16(p + 2), enterprise: 0 });
          this.#learn(exporter, message, { id: templateId, fields, scopeCount: 0 });
        }
      } else if (id === 1) {
        for (let p = at + 4; p + 6 <= end; ) {
          const templateId = r.u16(p);
          const scopeBytes = r.u16(p + 2);
          const optionBytes = r.u16(p + 4);
          p += 6;
          if (scopeBytes % 4 !== 0 || optionBytes % 4 !== 0 || p + scopeBytes + optionBytes > end) throw new Malformed();
          const fields: TemplateField[] = [];
          for (let k = 0; k < (scopeBytes + optionBytes) / 4; k++, p += 4)
            fields.push({ id: r.u16(p), length: r.u16(p + 2), enterprise: 0 });
          this.#learn(exporter, message, { id: templateId, fields, scopeCount: scopeBytes / 4 });
          // What follows is padding when fewer than a template's header bytes are left.
          if (end - p < 6) break;
        }
      } else if (id >= 256) {
        this.#dataSet(exporter, message, view, id, at + 4, end, false);
      }
      at = end;
    }
    this.#sequence(exporter, sequence, 1);
    return message;
  }

  #ipfix(view: DataView, source: string): DecodedMessage {
    if (view.byteLength < 16) throw new Malformed();
    const length = view.getUint16(2);
    if (length < 16 || length > view.byteLength) throw new Malformed();
    const exportMs = view.getUint32(4) * 1000;
    const sequence = view.getUint32(8);
    const domain = view.getUint32(12);
    const exporter = this.#exporter(`${source}|10|${domain}`);
    const message = this.#emptyMessage(10, sequence, domain, exportMs, undefined);
    const r = new Reader(view, length);
    for (let at = 16; at + 4 <= r.end; ) {
      const id = r.u16(at);
      const setLength = r.u16(at + 2);
      if (setLength < 4 || at + setLength > r.end) throw new Malformed();
      const end = at + setLength;
      if (id === 2 || id === 3) {
        const headerBytes = id === 2 ? 4 : 6;
        for (let p = at + 4; p + headerBytes <= end; ) {
          const templateId = r.u16(p);
          const count = r.u16(p + 2);
          const scopeCount = id === 3 ? r.u16(p + 4) : 0;
          p += headerBytes;
          if (templateId < 256 || scopeCount > count) throw new Malformed();
          const fields: TemplateField[] = [];
          for (let k = 0; k < count; k++) {
            if (p + 4 > end) throw new Malformed();
            const raw = r.u16(p);
            const fieldLength = r.u16(p + 2);
            p += 4;
            let enterprise = 0;
            if (raw & 0x8000) {
              if (p + 4 > end) throw new Malformed();
              enterprise = r.u32(p);
              p += 4;
            }
            fields.push({ id: raw & 0x7fff, length: fieldLength, enterprise });
          }
          this.#learn(exporter, message, { id: templateId, fields, scopeCount });
        }
      } else if (id >= 256) {
        this.#dataSet(exporter, message, view, id, at + 4, end, true);
      }
      at = end;
    }
    this.#sequence(exporter, sequence, message.records.length + (this.optionsRecordsInSequence ? message.optionsRecords.length : 0));
    return message;
  }

  #emptyMessage(version: 9 | 10, sequence: number, domain: number, exportMs: number, sysUpTime: number | undefined): DecodedMessage {
    const message: DecodedMessage = {
      version,
      sequence,
      domain,
      exportMs,
      templates: [],
      optionsRecords: [],
      records: [],
      flows: [],
      setsWithoutTemplate: 0,
    };
    if (sysUpTime !== undefined) message.sysUpTime = sysUpTime;
    return message;
  }

  #learn(exporter: Exporter, message: DecodedMessage, template: DecodedTemplate): void {
    if (template.fields.length === 0) {
      exporter.templates.delete(template.id); // a withdrawal (IPFIX) or an empty template
    } else {
      exporter.templates.set(template.id, template);
    }
    message.templates.push(template);
  }

  #dataSet(exporter: Exporter, message: DecodedMessage, view: DataView, id: number, from: number, end: number, ipfix: boolean): void {
    const template = exporter.templates.get(id);
    if (template === undefined) {
      message.setsWithoutTemplate++;
      return;
    }
    const fixed = template.fields.every((f) => f.length !== 65535);
    const minimum = template.fields.reduce((n, f) => n + (f.length === 65535 ? 1 : f.length), 0);
    if (minimum === 0) throw new Malformed();
    let p = from;
    // Records until fewer bytes than a record are left (the rest is padding).
    while (end - p >= minimum) {
      const fields = new Map<number, FieldValue>();
      for (const f of template.fields) {
        let length = f.length;
        if (length === 65535) {
          if (!ipfix) throw new Malformed();
          length = view.getUint8(p);
          p++;
          if (length === 255) {
            length = view.getUint16(p);
            p += 2;
          }
        }
        if (p + length > end) throw new Malformed();
        if (!fields.has(f.id) && f.enterprise === 0) fields.set(f.id, fieldValue(view, p, { ...f, length }));
        p += length;
      }
      const record: DecodedRecord = { templateId: id, options: template.scopeCount > 0, fields };
      if (record.options) message.optionsRecords.push(record);
      else {
        message.records.push(record);
        message.flows.push(flowOf(fields, message));
      }
      if (!fixed && end - p < 4) break;
    }
  }
}

/** A data record as a flow: the fields a flow cache record has, times made absolute. */
function flowOf(fields: Map<number, FieldValue>, message: DecodedMessage): DecodedFlow {
  const v6 = fields.has(27) || fields.has(28);
  const text = (id: number, fallback: string) => {
    const v = fields.get(id);
    return typeof v === "string" ? v : fallback;
  };
  const times = absoluteTimes(fields, message);
  const flow: DecodedFlow = {
    ipVersion: v6 ? 6 : 4,
    src: v6 ? text(27, "::") : text(8, "0.0.0.0"),
    dst: v6 ? text(28, "::") : text(12, "0.0.0.0"),
    protocol: num(fields, 4) ?? 0,
    srcPort: num(fields, 7) ?? 0,
    dstPort: num(fields, 11) ?? 0,
    tos: num(fields, 5) ?? 0,
    inputInterface: num(fields, 10) ?? 0,
    outputInterface: num(fields, 14) ?? 0,
    packets: num(fields, 2) ?? num(fields, 86) ?? 0,
    bytes: num(fields, 1) ?? num(fields, 85) ?? 0,
    firstMs: times[0],
    lastMs: times[1],
    tcpFlags: num(fields, 6) ?? 0,
  };
  const optional: [keyof DecodedFlow, number][] = [
    ["direction", 61],
    ["endReason", 136],
    ["minTtl", 52],
    ["maxTtl", 53],
    ["minLength", 25],
    ["maxLength", 26],
    ["ipId", 54],
    ["fragmentOffset", 88],
    ["icmpType", v6 ? 178 : 176],
    ["icmpCode", v6 ? 179 : 177],
    ["inputVlan", 58],
    ["outputVlan", 59],
    ["samplerId", 48],
  ];
  const target = flow as unknown as Record<string, number | string>;
  for (const [name, id] of optional) {
    const v = num(fields, id);
    if (v !== undefined) target[name] = v;
  }
  if (flow.icmpType === undefined) {
    const typeCode = num(fields, v6 ? 139 : 32);
    if (typeCode !== undefined) {
      flow.icmpType = typeCode >>> 8;
      flow.icmpCode = typeCode & 0xff;
    }
  }
  const srcMac = fields.get(56);
  const dstMac = fields.get(80);
  if (typeof srcMac === "string") flow.srcMac = srcMac;
  if (typeof dstMac === "string") flow.dstMac = dstMac;
  return flow;
}

/** First and last times in ms since the epoch: IEs 152/153, 150/151 (s), or v9 sysUpTime 22/21. */
function absoluteTimes(fields: Map<number, FieldValue>, message: DecodedMessage): [number, number] {
  const startMs = num(fields, 152);
  const endMs = num(fields, 153);
  if (startMs !== undefined && endMs !== undefined) return [startMs, endMs];
  const startS = num(fields, 150);
  const endS = num(fields, 151);
  if (startS !== undefined && endS !== undefined) return [startS * 1000, endS * 1000];
  const first = num(fields, 22);
  const last = num(fields, 21);
  if (first !== undefined && last !== undefined && message.sysUpTime !== undefined) {
    // RFC 3954 §5.2: uptimes in ms modulo 2^32; the flow ended before the header's sysUpTime.
    const up = message.sysUpTime;
    return [message.exportMs - ((up - first) >>> 0), message.exportMs - ((up - last) >>> 0)];
  }
  return [0, 0];
}
