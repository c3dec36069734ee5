/**
 * Flow records: what the flow cache keeps per flow and hands to the export queue, as plain
 * objects; and the layout they have in WebAssembly memory (src/flow/layout.ts, generated from assembly/flow/state.ts).
 */

import { formatIPv4, formatIPv6 } from "../net/address.js";
import { asciiBytes, putAscii, putBytes, putUint } from "../common/ascii-out.js";
import {
  CAPTURED_FRAGMENT,
  CAPTURED_ICMP,
  CAPTURED_MAC,
  EXPORT_RECORD_BYTES,
  NO_VLAN,
  RECORD_BYTES,
  REASON_FLUSH,
  TCP_FLAG_BITS,
  OFF_BYTES,
  OFF_DIRECTION,
  OFF_DST,
  OFF_DST_MAC,
  OFF_DST_PORT,
  OFF_END_REASON,
  OFF_ENTRY_ID,
  OFF_EXPIRED_AT,
  OFF_FIRST,
  OFF_FRAGMENT_OFFSET,
  OFF_ICMP_CODE,
  OFF_ICMP_TYPE,
  OFF_INPUT_VLAN,
  OFF_INTERFACE,
  OFF_IP_ID,
  OFF_LAST,
  OFF_MAX_LENGTH,
  OFF_MAX_TTL,
  OFF_MIN_LENGTH,
  OFF_MIN_TTL,
  OFF_OUTPUT_VLAN,
  OFF_PACKETS,
  OFF_PROTOCOL,
  OFF_SEQUENCE,
  OFF_SRC,
  OFF_SRC_MAC,
  OFF_SRC_PORT,
  OFF_TCP_FLAGS,
  OFF_TOS,
  OFF_VERSION,
} from "./layout.js";

/** Which key fields identify a flow, as the Catalyst MLS flow masks do. */
export type FlowMask = "full" | "destination-source" | "destination";
/** Flow masks by their number in WebAssembly. */
export const FLOW_MASKS: readonly FlowMask[] = ["full", "destination-source", "destination"];

/** Whether the packets were received (ingress, keyed by input interface) or sent (egress). */
export type FlowDirection = "ingress" | "egress";

/**
 * Why a flow left the cache: no packet within the inactive timeout, older than the active
 * timeout, a TCP FIN or RST, evicted to make room for a new flow, flushed, or its packet
 * counter full.
 */
export type FlowEndReason = "inactive" | "active" | "tcp-end" | "cache-full" | "flush" | "counter-full";
/** End reasons by their number in WebAssembly. */
export const FLOW_END_REASONS: readonly FlowEndReason[] = ["inactive", "active", "tcp-end", "cache-full", "flush", "counter-full"];

/** One flow: its key, its counters, and the Layer 2 / security fields of NetFlow's flow-capture. */
export interface FlowRecord {
  /** The cache entry the flow lives (or lived) in. */
  entry: number;
  ipVersion: 4 | 6;
  /** Source address ("0.0.0.0" / "::" when the flow mask leaves it out). */
  src: string;
  dst: string;
  protocol: number;
  /** Source port; 0 for ICMP. */
  srcPort: number;
  /** Destination port; for ICMP and ICMPv6, type × 256 + code (as NetFlow exports it). */
  dstPort: number;
  tos: number;
  direction: FlowDirection;
  inputInterface: number;
  packets: number;
  /** IP bytes (total length of every packet). */
  bytes: number;
  /** Time of the first packet, milliseconds since the epoch. */
  firstMs: number;
  /** Time of the last packet. */
  lastMs: number;
  /** TCP flags of every packet OR-ed together (12 bits). */
  tcpFlags: number;
  /** Smallest and largest IP packet length (capped at 65535). */
  minLength: number;
  maxLength: number;
  minTtl: number;
  maxTtl: number;
  /** IP identification of the first packet. */
  ipId: number;
  /** ICMP type and code of the first ICMP packet, when the flow had one. */
  icmpType?: number;
  icmpCode?: number;
  /** Fragment offset (8-octet units) of the first fragmented datagram, when the flow had one. */
  fragmentOffset?: number;
  /** Source and destination MAC of the first frame that had them. */
  srcMac?: string;
  dstMac?: string;
  /** VLAN id of the first tagged frame received (ingress) or sent (egress). */
  inputVlan?: number;
  outputVlan?: number;
}

/** A flow that left the cache, as the export queue hands it out. */
export interface ExpiredFlow extends FlowRecord {
  endReason: FlowEndReason;
  /** When it was expired (the packet's time, or the `now` of the ager or flush). */
  expiredMs: number;
  /** Export sequence number: 0 for the first flow the cache expired, then 1, 2, ... */
  sequence: number;
}

/** Bytes of a flow record in WebAssembly memory (an export record is EXPORT_RECORD_BYTES). */
export const FLOW_RECORD_BYTES = RECORD_BYTES;
export { EXPORT_RECORD_BYTES };

/** The address field at byte `field` (four u32 words, most significant first; IPv4 in word 0). */
function address(view: DataView, field: number, version: number): string {
  const w0 = view.getUint32(field, true);
  if (version === 4) return formatIPv4(w0);
  return formatIPv6([w0, view.getUint32(field + 4, true), view.getUint32(field + 8, true), view.getUint32(field + 12, true)]);
}

/**
 * Writes the address at `field` of a record as `address` spells it (formatIPv4 / formatIPv6),
 * an IPv4 address digit by digit without building its string; returns the position after it.
 */
export function putRecordAddress(out: Uint8Array, pos: number, view: DataView, field: number, v6: boolean): number {
  if (v6) return putAscii(out, pos, address(view, field, 6));
  const w = view.getUint32(field, true);
  pos = putUint(out, pos, w >>> 24);
  out[pos++] = 46;
  pos = putUint(out, pos, (w >>> 16) & 255);
  out[pos++] = 46;
  pos = putUint(out, pos, (w >>> 8) & 255);
  out[pos++] = 46;
  return putUint(out, pos, w & 255);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** `aa:bb:cc:dd:ee:ff` (as formatMac writes it), from six bytes of `view`. */
function mac(view: DataView, field: number): string {
  const h = HEX_BYTE;
  return `${h[view.getUint8(field)]}:${h[view.getUint8(field + 1)]}:${h[view.getUint8(field + 2)]}:${h[view.getUint8(field + 3)]}:${h[view.getUint8(field + 4)]}:${h[view.getUint8(field + 5)]}`;
}

/** Decodes the flow record at byte `at` of `view` (layout of assembly/flow/state.ts). */
export function decodeFlowRecord(view: DataView, at: number, entry: number): FlowRecord {
  const version = view.getUint8(at + OFF_VERSION) === 6 ? 6 : 4;
  const flags = view.getUint16(at + OFF_TCP_FLAGS, true);
  const record: FlowRecord = {
    entry,
    ipVersion: version,
    src: address(view, at + OFF_SRC, version),
    dst: address(view, at + OFF_DST, version),
    protocol: view.getUint8(at + OFF_PROTOCOL),
    srcPort: view.getUint16(at + OFF_SRC_PORT, true),
    dstPort: view.getUint16(at + OFF_DST_PORT, true),
    tos: view.getUint8(at + OFF_TOS),
    direction: view.getUint8(at + OFF_DIRECTION) === 1 ? "egress" : "ingress",
    inputInterface: view.getUint32(at + OFF_INTERFACE, true),
    packets: view.getUint32(at + OFF_PACKETS, true),
    bytes: Number(view.getBigUint64(at + OFF_BYTES, true)),
    firstMs: view.getFloat64(at + OFF_FIRST, true),
    lastMs: view.getFloat64(at + OFF_LAST, true),
    tcpFlags: flags & TCP_FLAG_BITS,
    minLength: view.getUint16(at + OFF_MIN_LENGTH, true),
    maxLength: view.getUint16(at + OFF_MAX_LENGTH, true),
    minTtl: view.getUint8(at + OFF_MIN_TTL),
    maxTtl: view.getUint8(at + OFF_MAX_TTL),
    ipId: view.getUint32(at + OFF_IP_ID, true),
  };
  if (flags & CAPTURED_ICMP) {
    record.icmpType = view.getUint8(at + OFF_ICMP_TYPE);
    record.icmpCode = view.getUint8(at + OFF_ICMP_CODE);
  }
  if (flags & CAPTURED_FRAGMENT) record.fragmentOffset = view.getUint16(at + OFF_FRAGMENT_OFFSET, true);
  if (flags & CAPTURED_MAC) {
    record.srcMac = mac(view, at + OFF_SRC_MAC);
    record.dstMac = mac(view, at + OFF_DST_MAC);
  }
  const inputVlan = view.getUint16(at + OFF_INPUT_VLAN, true);
  const outputVlan = view.getUint16(at + OFF_OUTPUT_VLAN, true);
  if (inputVlan !== NO_VLAN) record.inputVlan = inputVlan;
  if (outputVlan !== NO_VLAN) record.outputVlan = outputVlan;
  return record;
}

/** Decodes the export record at byte `at` of `view`. */
export function decodeExpiredFlow(view: DataView, at: number): ExpiredFlow {
  const record = decodeFlowRecord(view, at, view.getUint32(at + OFF_ENTRY_ID, true)) as ExpiredFlow;
  record.endReason = FLOW_END_REASONS[view.getUint32(at + OFF_END_REASON, true)] ?? "flush";
  record.expiredMs = view.getFloat64(at + OFF_EXPIRED_AT, true);
  record.sequence = Number(view.getBigUint64(at + OFF_SEQUENCE, true));
  return record;
}

/** The most bytes `writeExportRecordJson` writes for one record (its line, without a newline). */
export const EXPORT_RECORD_JSON_MAX_BYTES = 768;

const J_SRC = asciiBytes('{"src":"');
const J_DST = asciiBytes('","dst":"');
const J_PROTO = asciiBytes('","proto":');
const J_SPORT = asciiBytes(',"sport":');
const J_DPORT = asciiBytes(',"dport":');
const J_TOS = asciiBytes(',"tos":');
const J_IN_IF = asciiBytes(',"in_if":');
const J_PACKETS = asciiBytes(',"packets":');
const J_BYTES = asciiBytes(',"bytes":');
const J_FIRST = asciiBytes(',"first_ms":');
const J_LAST = asciiBytes(',"last_ms":');
const J_VERSION_4 = asciiBytes(',"ip_version":4,"direction":"');
const J_VERSION_6 = asciiBytes(',"ip_version":6,"direction":"');
const J_INGRESS = asciiBytes('ingress","tcp_flags":');
const J_EGRESS = asciiBytes('egress","tcp_flags":');
const J_MIN_LEN = asciiBytes(',"min_len":');
const J_MAX_LEN = asciiBytes(',"max_len":');
const J_MIN_TTL = asciiBytes(',"min_ttl":');
const J_MAX_TTL = asciiBytes(',"max_ttl":');
const J_IP_ID = asciiBytes(',"ip_id":');
const J_ICMP_TYPE = asciiBytes(',"icmp_type":');
const J_ICMP_CODE = asciiBytes(',"icmp_code":');
const J_FRAG = asciiBytes(',"frag_offset":');
const J_SRC_MAC = asciiBytes(',"src_mac":"');
const J_DST_MAC = asciiBytes('","dst_mac":"');
const J_QUOTE = asciiBytes('"');
const J_IN_VLAN = asciiBytes(',"in_vlan":');
const J_OUT_VLAN = asciiBytes(',"out_vlan":');
const J_REASONS = FLOW_END_REASONS.map((reason) => asciiBytes(`,"end_reason":"${reason}"}`));

/**
 * Writes a JSON number as JSON.stringify spells it (the shortest decimal that reads back as
 * the same double): integers and numbers of whole microseconds (at most three decimals) digit
 * by digit, anything else through JSON.stringify. Below 2^43 two numbers of three decimals are
 * more than an ulp apart, so when `k / 1000` reads back as `value`, the digits of `k` (trailing
 * zeros dropped) are the shortest such decimal.
 */
function putNumber(out: Uint8Array, pos: number, value: number): number {
  if (Number.isSafeInteger(value) && value >= 0) return putUint(out, pos, value);
  const magnitude = Math.abs(value);
  if (magnitude < 2 ** 43) {
    const thousandths = Math.round(magnitude * 1000);
    if (thousandths / 1000 === magnitude) {
      if (value < 0) out[pos++] = 45;
      const whole = Math.floor(thousandths / 1000);
      pos = putUint(out, pos, whole);
      let fraction = thousandths - whole * 1000;
      if (fraction === 0) return pos;
      out[pos++] = 46;
      for (let unit = 100; fraction > 0; unit /= 10) {
        const digit = Math.floor(fraction / unit);
        out[pos++] = 48 + digit;
        fraction -= digit * unit;
      }
      return pos;
    }
  }
  return putAscii(out, pos, JSON.stringify(value));
}

/**
 * Writes the JSON line of the export record at byte `at` of `view` into `out` from `pos` (at
 * most EXPORT_RECORD_JSON_MAX_BYTES bytes, ASCII, no newline) and returns the position after
 * it: exactly the bytes of `JSON.stringify(flowJson(decodeExpiredFlow(view, at)))`, without
 * building the object. Use it with `FlowCache.drainVisit`; `FlowCache.drainJsonLines` writes
 * most lines in WebAssembly instead and calls this for the records whose numbers it declines.
 */
export function writeExportRecordJson(view: DataView, at: number, out: Uint8Array, pos: number): number {
  const version = view.getUint8(at + OFF_VERSION) === 6 ? 6 : 4;
  const flags = view.getUint16(at + OFF_TCP_FLAGS, true);
  pos = putBytes(out, pos, J_SRC);
  pos = putRecordAddress(out, pos, view, at + OFF_SRC, version === 6);
  pos = putBytes(out, pos, J_DST);
  pos = putRecordAddress(out, pos, view, at + OFF_DST, version === 6);
  pos = putUint(out, putBytes(out, pos, J_PROTO), view.getUint8(at + OFF_PROTOCOL));
  pos = putUint(out, putBytes(out, pos, J_SPORT), view.getUint16(at + OFF_SRC_PORT, true));
  pos = putUint(out, putBytes(out, pos, J_DPORT), view.getUint16(at + OFF_DST_PORT, true));
  pos = putUint(out, putBytes(out, pos, J_TOS), view.getUint8(at + OFF_TOS));
  pos = putUint(out, putBytes(out, pos, J_IN_IF), view.getUint32(at + OFF_INTERFACE, true));
  pos = putUint(out, putBytes(out, pos, J_PACKETS), view.getUint32(at + OFF_PACKETS, true));
  pos = putBytes(out, pos, J_BYTES);
  pos = putNumber(out, pos, Number(view.getBigUint64(at + OFF_BYTES, true)));
  pos = putBytes(out, pos, J_FIRST);
  pos = putNumber(out, pos, view.getFloat64(at + OFF_FIRST, true));
  pos = putBytes(out, pos, J_LAST);
  pos = putNumber(out, pos, view.getFloat64(at + OFF_LAST, true));
  pos = putBytes(out, pos, version === 6 ? J_VERSION_6 : J_VERSION_4);
  pos = putBytes(out, pos, view.getUint8(at + OFF_DIRECTION) === 1 ? J_EGRESS : J_INGRESS);
  pos = putUint(out, pos, flags & TCP_FLAG_BITS);
  pos = putUint(out, putBytes(out, pos, J_MIN_LEN), view.getUint16(at + OFF_MIN_LENGTH, true));
  pos = putUint(out, putBytes(out, pos, J_MAX_LEN), view.getUint16(at + OFF_MAX_LENGTH, true));
  pos = putUint(out, putBytes(out, pos, J_MIN_TTL), view.getUint8(at + OFF_MIN_TTL));
  pos = putUint(out, putBytes(out, pos, J_MAX_TTL), view.getUint8(at + OFF_MAX_TTL));
  pos = putUint(out, putBytes(out, pos, J_IP_ID), view.getUint32(at + OFF_IP_ID, true));
  if (flags & CAPTURED_ICMP) {
    pos = putUint(out, putBytes(out, pos, J_ICMP_TYPE), view.getUint8(at + OFF_ICMP_TYPE));
    pos = putUint(out, putBytes(out, pos, J_ICMP_CODE), view.getUint8(at + OFF_ICMP_CODE));
  }
  if (flags & CAPTURED_FRAGMENT) {
    pos = putUint(out, putBytes(out, pos, J_FRAG), view.getUint16(at + OFF_FRAGMENT_OFFSET, true));
  }
  if (flags & CAPTURED_MAC) {
    pos = putBytes(out, pos, J_SRC_MAC);
    pos = putAscii(out, pos, mac(view, at + OFF_SRC_MAC));
    pos = putBytes(out, pos, J_DST_MAC);
    pos = putAscii(out, pos, mac(view, at + OFF_DST_MAC));
    pos = putBytes(out, pos, J_QUOTE);
  }
  const inputVlan = view.getUint16(at + OFF_INPUT_VLAN, true);
  const outputVlan = view.getUint16(at + OFF_OUTPUT_VLAN, true);
  if (inputVlan !== NO_VLAN) pos = putUint(out, putBytes(out, pos, J_IN_VLAN), inputVlan);
  if (outputVlan !== NO_VLAN) pos = putUint(out, putBytes(out, pos, J_OUT_VLAN), outputVlan);
  return putBytes(out, pos, J_REASONS[view.getUint32(at + OFF_END_REASON, true)] ?? J_REASONS[REASON_FLUSH]!);
}
