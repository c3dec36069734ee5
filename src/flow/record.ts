/**
 * Flow records: what the flow cache keeps per flow and hands to the export queue, as plain
 * objects; and the 112/128-byte layout they have in WebAssembly memory (assembly/flow/state.ts).
 */

import { formatIPv4, formatIPv6 } from "../net/address.js";

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

/** Bytes of a flow record and of an export record in WebAssembly memory. */
export const FLOW_RECORD_BYTES = 112;
export const EXPORT_RECORD_BYTES = 128;
const CAPTURED_FRAGMENT = 0x1000;
const CAPTURED_ICMP = 0x2000;
const CAPTURED_MAC = 0x4000;
const NO_VLAN = 0xffff;

function address(view: DataView, at: number, version: number): string {
  const w0 = view.getUint32(at, true);
  if (version === 4) return formatIPv4(w0);
  return formatIPv6([w0, view.getUint32(at + 4, true), view.getUint32(at + 8, true), view.getUint32(at + 12, true)]);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** `aa:bb:cc:dd:ee:ff` (as formatMac writes it), from six bytes of `view`. */
function mac(view: DataView, at: number): string {
  const h = HEX_BYTE;
  return `${h[view.getUint8(at)]}:${h[view.getUint8(at + 1)]}:${h[view.getUint8(at + 2)]}:${h[view.getUint8(at + 3)]}:${h[view.getUint8(at + 4)]}:${h[view.getUint8(at + 5)]}`;
}

/** Decodes the flow record at byte `at` of `view` (layout of assembly/flow/state.ts). */
export function decodeFlowRecord(view: DataView, at: number, entry: number): FlowRecord {
  const version = view.getUint8(at + 38) === 6 ? 6 : 4;
  const flags = view.getUint16(at + 106, true);
  const record: FlowRecord = {
    entry,
    ipVersion: version,
    src: address(view, at, version),
    dst: address(view, at + 16, version),
    protocol: view.getUint8(at + 36),
    srcPort: view.getUint16(at + 32, true),
    dstPort: view.getUint16(at + 34, true),
    tos: view.getUint8(at + 37),
    direction: view.getUint8(at + 39) === 1 ? "egress" : "ingress",
    inputInterface: view.getUint32(at + 40, true),
    packets: view.getUint32(at + 52, true),
    bytes: Number(view.getBigUint64(at + 56, true)),
    firstMs: view.getFloat64(at + 64, true),
    lastMs: view.getFloat64(at + 72, true),
    tcpFlags: flags & 0x0fff,
    minLength: view.getUint16(at + 84, true),
    maxLength: view.getUint16(at + 86, true),
    minTtl: view.getUint8(at + 108),
    maxTtl: view.getUint8(at + 109),
    ipId: view.getUint32(at + 80, true),
  };
  if (flags & CAPTURED_ICMP) {
    record.icmpType = view.getUint8(at + 110);
    record.icmpCode = view.getUint8(at + 111);
  }
  if (flags & CAPTURED_FRAGMENT) record.fragmentOffset = view.getUint16(at + 104, true);
  if (flags & CAPTURED_MAC) {
    record.srcMac = mac(view, at + 88);
    record.dstMac = mac(view, at + 94);
  }
  const inputVlan = view.getUint16(at + 100, true);
  const outputVlan = view.getUint16(at + 102, true);
  if (inputVlan !== NO_VLAN) record.inputVlan = inputVlan;
  if (outputVlan !== NO_VLAN) record.outputVlan = outputVlan;
  return record;
}

/** Decodes the export record at byte `at` of `view`. */
export function decodeExpiredFlow(view: DataView, at: number): ExpiredFlow {
  const record = decodeFlowRecord(view, at, view.getUint32(at + 48, true)) as ExpiredFlow;
  record.endReason = FLOW_END_REASONS[view.getUint32(at + 44, true)] ?? "flush";
  record.expiredMs = view.getFloat64(at + 112, true);
  record.sequence = Number(view.getBigUint64(at + 120, true));
  return record;
}

const REASON_JSON = FLOW_END_REASONS.map((reason) => `,"end_reason":"${reason}"}`);

/**
 * The JSON line of the export record at byte `at` of `view`, written straight from the record
 * (no object in between): exactly `flowJsonLine(decodeExpiredFlow(view, at))`, which a test
 * checks. `dataplane flows --json` prints one per flow.
 */
export function exportRecordJsonLine(view: DataView, at: number): string {
  const version = view.getUint8(at + 38) === 6 ? 6 : 4;
  const flags = view.getUint16(at + 106, true);
  let line = `{"src":"${address(view, at, version)}","dst":"${address(view, at + 16, version)}","proto":${view.getUint8(at + 36)},"sport":${view.getUint16(at + 32, true)},"dport":${view.getUint16(at + 34, true)},"tos":${view.getUint8(at + 37)},"in_if":${view.getUint32(at + 40, true)},"packets":${view.getUint32(at + 52, true)},"bytes":${Number(view.getBigUint64(at + 56, true))},"first_ms":${JSON.stringify(view.getFloat64(at + 64, true))},"last_ms":${JSON.stringify(view.getFloat64(at + 72, true))},"ip_version":${version},"direction":"${view.getUint8(at + 39) === 1 ? "egress" : "ingress"}","tcp_flags":${flags & 0x0fff},"min_len":${view.getUint16(at + 84, true)},"max_len":${view.getUint16(at + 86, true)},"min_ttl":${view.getUint8(at + 108)},"max_ttl":${view.getUint8(at + 109)},"ip_id":${view.getUint32(at + 80, true)}`;
  if (flags & CAPTURED_ICMP) line += `,"icmp_type":${view.getUint8(at + 110)},"icmp_code":${view.getUint8(at + 111)}`;
  if (flags & CAPTURED_FRAGMENT) line += `,"frag_offset":${view.getUint16(at + 104, true)}`;
  if (flags & CAPTURED_MAC) line += `,"src_mac":"${mac(view, at + 88)}","dst_mac":"${mac(view, at + 94)}"`;
  const inputVlan = view.getUint16(at + 100, true);
  const outputVlan = view.getUint16(at + 102, true);
  if (inputVlan !== NO_VLAN) line += `,"in_vlan":${inputVlan}`;
  if (outputVlan !== NO_VLAN) line += `,"out_vlan":${outputVlan}`;
  return line + (REASON_JSON[view.getUint32(at + 44, true)] ?? REASON_JSON[4]!);
}
