/**
 * `show ip cache verbose flow` in the IOS layout of the NetFlow seed (spec §3.7): the IP packet
 * size distribution, the cache counters, the per-protocol table and the two-line flow records
 * with their capture lines (MAC/VLAN, packet length, TTL, ICMP, IP id and fragment offset);
 * and the JSON form of a flow that `dataplane flows --json` prints.
 *
 * This cache has no sub-flow cache, no routing (next hop, masks and AS numbers print as IOS
 * prints them without routing information: `0.0.0.0`, `/0`, `0`), and knows the output
 * interface only of egress flows; an unknown interface prints as `-`.
 */

import { macTextToCisco } from "../net/mac.js";
import { asciiBytes, putAscii, putBytes, putUint } from "../common/ascii-out.js";
import { type ExpiredFlow, type FlowRecord, putRecordAddress } from "../flow/record.js";
import {
  CAPTURED_FRAGMENT,
  CAPTURED_ICMP,
  CAPTURED_MAC,
  NO_VLAN,
  TCP_FLAG_BITS,
  OFF_BYTES,
  OFF_DIRECTION,
  OFF_DST,
  OFF_DST_MAC,
  OFF_DST_PORT,
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
  OFF_SRC,
  OFF_SRC_MAC,
  OFF_SRC_PORT,
  OFF_TCP_FLAGS,
  OFF_TOS,
  OFF_VERSION,
} from "../flow/layout.js";
import { type FlowCacheCounters, type FlowStatistics, PACKET_SIZE_BUCKETS } from "../flow/statistics.js";

/** What the statistics part of the display needs. */
export interface FlowCacheDisplay {
  statistics: FlowStatistics;
  counters: FlowCacheCounters;
  /** Flows the cache holds, and the bytes of its table. */
  capacity: number;
  tableBytes: number;
  activeTimeout: number;
  inactiveTimeout: number;
  /** Seconds the statistics cover (for the per-second columns). */
  seconds: number;
}

/** How flow records name interfaces. */
export interface FlowRecordNames {
  /** The name of interface `index` (default `If<index>`). */
  interfaceName?: (index: number) => string;
  /** The output interface of an ingress flow, when the caller knows it (default `-`). */
  outputInterface?: (flow: FlowRecord) => string | undefined;
}

/** A share in thousandths, truncated as IOS does (its rows add up to .998 or .999), no leading zero. */
function fraction(count: number, total: number): string {
  if (total > 0 && count >= total) return "1.000";
  const thousandths = total > 0 ? Math.floor((count * 1000) / total) : 0;
  return `.${String(thousandths).padStart(3, "0")}`;
}

/** The size distribution block (three-space indented, as in the R3 examples). */
export function renderPacketSizeDistribution(sizes: readonly number[]): string[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const labels = PACKET_SIZE_BUCKETS.map((label, i) => (i === 0 ? "1-32" : String(label)));
  const row = (from: number, to: number, cells: (i: number) => string) =>
    `   ${Array.from({ length: to - from }, (_, k) => cells(from + k).padStart(4)).join(" ")}`;
  return [
    `IP packet size distribution (${total} total packets):`,
    row(0, 15, (i) => labels[i]!),
    row(0, 15, (i) => fraction(sizes[i] ?? 0, total)),
    row(15, 26, (i) => labels[i]!),
    row(15, 26, (i) => fraction(sizes[i] ?? 0, total)),
  ];
}

function timeoutText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? "" : "s"}`;
  return `${ms / 1000} second${ms === 1000 ? "" : "s"}`;
}

/** The per-protocol table, rows with flows only, then `Total:`. */
export function renderProtocolTable(statistics: FlowStatistics, seconds: number): string[] {
  const perSecond = (n: number) => (seconds > 0 ? n / seconds : 0).toFixed(1);
  const line = (name: string, flows: number, packets: number, bytes: number, activeMs: number, idleMs: number) =>
    name.padEnd(17) +
    String(flows).padStart(5) +
    perSecond(flows).padStart(9) +
    String(flows > 0 ? Math.trunc(packets / flows) : 0).padStart(10) +
    String(packets > 0 ? Math.trunc(bytes / packets) : 0).padStart(6) +
    perSecond(packets).padStart(9) +
    (flows > 0 ? activeMs / flows / 1000 : 0).toFixed(1).padStart(10) +
    (flows > 0 ? idleMs / flows / 1000 : 0).toFixed(1).padStart(10);
  const lines = [
    "Protocol         Total    Flows   Packets Bytes  Packets Active(Sec) Idle(Sec)",
    "--------         Flows     /Sec     /Flow  /Pkt     /Sec     /Flow     /Flow",
  ];
  const total = { flows: 0, packets: 0, bytes: 0, activeMs: 0, idleMs: 0 };
  for (const row of statistics.protocols) {
    if (row.flows === 0) continue;
    lines.push(line(row.name, row.flows, row.packets, row.bytes, row.activeMs, row.idleMs));
    total.flows += row.flows;
    total.packets += row.packets;
    total.bytes += row.bytes;
    total.activeMs += row.activeMs;
    total.idleMs += row.idleMs;
  }
  lines.push(line("Total:", total.flows, total.packets, total.bytes, total.activeMs, total.idleMs));
  return lines;
}

/** The statistics part of `show ip cache verbose flow`. */
export function renderFlowCacheStatistics(display: FlowCacheDisplay): string[] {
  const c = display.counters;
  return [
    ...renderPacketSizeDistribution(display.statistics.sizeDistribution),
    `IP Flow Switching Cache, ${display.tableBytes} bytes`,
    `  ${c.activeFlows} active, ${display.capacity - c.activeFlows} inactive, ${c.flowsAdded} added`,
    `  ${c.agerPolls} ager polls, ${c.allocFailures} flow alloc failures`,
    `  Active flows timeout in ${timeoutText(display.activeTimeout)}`,
    `  Inactive flows timeout in ${timeoutText(display.inactiveTimeout)}`,
    `  last clearing of statistics never`,
    ...renderProtocolTable(display.statistics, display.seconds),
  ];
}

/** The two header lines of the flow records. */
export const FLOW_RECORD_HEADER = [
  "SrcIf          SrcIPaddress    DstIf          DstIPaddress    Pr TOS Flgs  Pkts",
  "Port Msk AS                    Port Msk AS    NextHop              B/Pk  Active",
];

const hex = (value: number, width: number) => value.toString(16).toUpperCase().padStart(width, "0");

function captureLine(left: string, leftValue: number, right?: string, rightValue?: number, rightWidth = 16): string {
  const first = left.padEnd(15) + String(leftValue).padStart(3);
  if (right === undefined) return first;
  return `${first}${" ".repeat(28)}${right.padEnd(rightWidth)}${String(rightValue).padStart(3)}`;
}

/** Variants of the verbose flow layout: `show ip flow top-talkers verbose` prints bytes, a trailing space and the sampler line. */
export interface FlowRecordLayout {
  /** What the last column of the first data line counts (default packets). */
  counter?: "packets" | "bytes";
  /** A space after the first data line, as `show ip flow top-talkers verbose` prints it. */
  trailingSpace?: boolean;
  /** A line after the second data line (`Sampler: 1  Class: 1  `). */
  samplerLine?: string;
}

/** One flow in the verbose layout: two data lines, then the capture lines it has. */
export function renderFlowRecord(flow: FlowRecord, names: FlowRecordNames = {}, layout: FlowRecordLayout = {}): string[] {
  const name = names.interfaceName ?? ((index: number) => `If${index}`);
  const egress = flow.direction === "egress";
  const srcIf = egress ? "-" : name(flow.inputInterface);
  const dstIf = egress ? `${name(flow.inputInterface)}*` : (names.outputInterface?.(flow) ?? "-");
  const bytesPerPacket = flow.packets > 0 ? Math.trunc(flow.bytes / flow.packets) : 0;
  const lines = [
    srcIf.padEnd(15) +
      flow.src.padEnd(16) +
      dstIf.padEnd(15) +
      flow.dst.padEnd(16) +
      `${hex(flow.protocol, 2)} ${hex(flow.tos, 2)}  ${hex(flow.tcpFlags & 0xff, 2)}` +
      String(layout.counter === "bytes" ? flow.bytes : flow.packets).padStart(8) +
      (layout.trailingSpace ? " " : ""),
    `${hex(flow.srcPort, 4)} /0  0`.padEnd(31) +
      `${hex(flow.dstPort, 4)} /0  0`.padEnd(15) +
      "0.0.0.0" +
      String(bytesPerPacket).padStart(18) +
      ((flow.lastMs - flow.firstMs) / 1000).toFixed(1).padStart(8),
  ];
  if (layout.samplerLine !== undefined) lines.push(layout.samplerLine);
  if (flow.srcMac !== undefined || flow.inputVlan !== undefined || flow.outputVlan !== undefined) {
    const mac = (text: string | undefined) => (text === undefined ? "0000.0000.0000" : macTextToCisco(text));
    const vlan = (id: number | undefined) => `(${String(id ?? 0).padStart(3, "0")})`;
    lines.push(`MAC: (VLAN id) ${`${mac(flow.srcMac)}  ${vlan(flow.inputVlan)}`.padEnd(31)}${mac(flow.dstMac)}  ${vlan(flow.outputVlan)}`);
  }
  lines.push(captureLine("Min plen:", flow.minLength, "Max plen:", flow.maxLength));
  lines.push(captureLine("Min TTL:", flow.minTtl, "Max TTL:", flow.maxTtl));
  if (flow.icmpType !== undefined) lines.push(captureLine("ICMP type:", flow.icmpType, "ICMP code:", flow.icmpCode));
  lines.push(flow.fragmentOffset ? captureLine("IP id:", flow.ipId, "FO:", flow.fragmentOffset, 15) : captureLine("IP id:", flow.ipId));
  return lines;
}

/** The most bytes {@link writeFlowRecordText} writes for one record (its lines, without a final newline). */
export const FLOW_RECORD_TEXT_MAX_BYTES = 1024;

const SPACE = 32;
const NEWLINE = 10;
const T_IF = asciiBytes("If");
const T_PORT_TAIL = asciiBytes(" /0  0");
const T_NEXT_HOP = asciiBytes("0.0.0.0");
const T_MAC = asciiBytes("MAC: (VLAN id) ");
const T_NO_MAC = asciiBytes("0000.0000.0000");
const T_MIN_PLEN = asciiBytes("Min plen:");
const T_MAX_PLEN = asciiBytes("Max plen:");
const T_MIN_TTL = asciiBytes("Min TTL:");
const T_MAX_TTL = asciiBytes("Max TTL:");
const T_ICMP_TYPE = asciiBytes("ICMP type:");
const T_ICMP_CODE = asciiBytes("ICMP code:");
const T_IP_ID = asciiBytes("IP id:");
const T_FO = asciiBytes("FO:");
const UPPER_HEX = asciiBytes("0123456789ABCDEF");
const LOWER_HEX = asciiBytes("0123456789abcdef");

/** Spaces until the text begun at `start` is `width` long (none when it is longer: padEnd). */
function padTo(out: Uint8Array, pos: number, start: number, width: number): number {
  while (pos - start < width) out[pos++] = SPACE;
  return pos;
}

/** Upper-case hex of `value`, zero-padded to `width` digits (as `hex` above). */
function putHex(out: Uint8Array, pos: number, value: number, width: number): number {
  let digits = 1;
  for (let v = value; v >= 16; v = Math.floor(v / 16)) digits++;
  for (let i = digits; i < width; i++) out[pos++] = 48;
  let v = value;
  for (let i = pos + digits - 1; i >= pos; i--) {
    out[i] = UPPER_HEX[v & 15]!;
    v = Math.floor(v / 16);
  }
  return pos + digits;
}

/** Six bytes as Cisco writes a MAC address: `aabb.ccdd.eeff`. */
function putCiscoMac(out: Uint8Array, pos: number, view: DataView, field: number): number {
  for (let i = 0; i < 6; i++) {
    const b = view.getUint8(field + i);
    out[pos++] = LOWER_HEX[b >>> 4]!;
    out[pos++] = LOWER_HEX[b & 15]!;
    if (i === 1 || i === 3) out[pos++] = 46;
  }
  return pos;
}

/** `(NNN)`: a VLAN id zero-padded to three digits, 0 for none. */
function putVlan(out: Uint8Array, pos: number, id: number): number {
  out[pos++] = 40;
  pos = putUint(out, pos, id === NO_VLAN ? 0 : id, 3, 48);
  out[pos++] = 41;
  return pos;
}

/** A capture line (as `captureLine` above) starting at `pos`. */
function putCaptureLine(
  out: Uint8Array,
  pos: number,
  left: Uint8Array,
  leftValue: number,
  right?: Uint8Array,
  rightValue = 0,
  rightWidth = 16,
): number {
  const line = pos;
  pos = padTo(out, putBytes(out, pos, left), line, 15);
  pos = putUint(out, pos, leftValue, 3);
  if (right === undefined) return pos;
  for (let i = 0; i < 28; i++) out[pos++] = SPACE;
  const start = pos;
  pos = padTo(out, putBytes(out, pos, right), start, rightWidth);
  return putUint(out, pos, rightValue, 3);
}

/**
 * Writes the export record at byte `at` of `view` in the verbose layout, exactly the bytes of
 * `renderFlowRecord(decodeExpiredFlow(view, at)).join("\n")` (default names and layout: what
 * `dataplane flows` prints) without building the record or its strings; returns the position
 * after it. `out` needs FLOW_RECORD_TEXT_MAX_BYTES from `pos`.
 */
export function writeFlowRecordText(view: DataView, at: number, out: Uint8Array, pos: number): number {
  const v6 = view.getUint8(at + OFF_VERSION) === 6;
  const flags = view.getUint16(at + OFF_TCP_FLAGS, true);
  const egress = view.getUint8(at + OFF_DIRECTION) === 1;
  const input = view.getUint32(at + OFF_INTERFACE, true);
  const packets = view.getUint32(at + OFF_PACKETS, true);
  // Number(u64) exactly: the high word times 2^32 is exact, the sum rounds once.
  const bytes = view.getUint32(at + OFF_BYTES + 4, true) * 2 ** 32 + view.getUint32(at + OFF_BYTES, true);
  // Each column padded from its own start (padEnd), so a long IPv6 address pushes the rest right.
  let field = pos;
  if (egress) out[pos++] = 45;
  else pos = putUint(out, putBytes(out, pos, T_IF), input);
  pos = padTo(out, pos, field, 15);
  field = pos;
  pos = padTo(out, putRecordAddress(out, pos, view, at + OFF_SRC, v6), field, 16);
  field = pos;
  if (egress) {
    pos = putUint(out, putBytes(out, pos, T_IF), input);
    out[pos++] = 42;
  } else out[pos++] = 45;
  pos = padTo(out, pos, field, 15);
  field = pos;
  pos = padTo(out, putRecordAddress(out, pos, view, at + OFF_DST, v6), field, 16);
  pos = putHex(out, pos, view.getUint8(at + OFF_PROTOCOL), 2);
  out[pos++] = SPACE;
  pos = putHex(out, pos, view.getUint8(at + OFF_TOS), 2);
  out[pos++] = SPACE;
  out[pos++] = SPACE;
  pos = putHex(out, pos, flags & TCP_FLAG_BITS & 0xff, 2);
  pos = putUint(out, pos, packets, 8);
  out[pos++] = NEWLINE;
  const line = pos;
  pos = putBytes(out, putHex(out, pos, view.getUint16(at + OFF_SRC_PORT, true), 4), T_PORT_TAIL);
  pos = padTo(out, pos, line, 31);
  const dstPort = pos;
  pos = putBytes(out, putHex(out, pos, view.getUint16(at + OFF_DST_PORT, true), 4), T_PORT_TAIL);
  pos = putBytes(out, padTo(out, pos, dstPort, 15), T_NEXT_HOP);
  pos = putUint(out, pos, packets > 0 ? Math.trunc(bytes / packets) : 0, 18);
  const active = ((view.getFloat64(at + OFF_LAST, true) - view.getFloat64(at + OFF_FIRST, true)) / 1000).toFixed(1);
  for (let i = active.length; i < 8; i++) out[pos++] = SPACE;
  pos = putAscii(out, pos, active);
  const inputVlan = view.getUint16(at + OFF_INPUT_VLAN, true);
  const outputVlan = view.getUint16(at + OFF_OUTPUT_VLAN, true);
  if (flags & CAPTURED_MAC || inputVlan !== NO_VLAN || outputVlan !== NO_VLAN) {
    out[pos++] = NEWLINE;
    pos = putBytes(out, pos, T_MAC);
    const start = pos;
    pos = flags & CAPTURED_MAC ? putCiscoMac(out, pos, view, at + OFF_SRC_MAC) : putBytes(out, pos, T_NO_MAC);
    out[pos++] = SPACE;
    out[pos++] = SPACE;
    pos = padTo(out, putVlan(out, pos, inputVlan), start, 31);
    pos = flags & CAPTURED_MAC ? putCiscoMac(out, pos, view, at + OFF_DST_MAC) : putBytes(out, pos, T_NO_MAC);
    out[pos++] = SPACE;
    out[pos++] = SPACE;
    pos = putVlan(out, pos, outputVlan);
  }
  out[pos++] = NEWLINE;
  pos = putCaptureLine(
    out,
    pos,
    T_MIN_PLEN,
    view.getUint16(at + OFF_MIN_LENGTH, true),
    T_MAX_PLEN,
    view.getUint16(at + OFF_MAX_LENGTH, true),
  );
  out[pos++] = NEWLINE;
  pos = putCaptureLine(out, pos, T_MIN_TTL, view.getUint8(at + OFF_MIN_TTL), T_MAX_TTL, view.getUint8(at + OFF_MAX_TTL));
  if (flags & CAPTURED_ICMP) {
    out[pos++] = NEWLINE;
    pos = putCaptureLine(out, pos, T_ICMP_TYPE, view.getUint8(at + OFF_ICMP_TYPE), T_ICMP_CODE, view.getUint8(at + OFF_ICMP_CODE));
  }
  out[pos++] = NEWLINE;
  const ipId = view.getUint32(at + OFF_IP_ID, true);
  const fragmentOffset = flags & CAPTURED_FRAGMENT ? view.getUint16(at + OFF_FRAGMENT_OFFSET, true) : 0;
  return fragmentOffset !== 0 ? putCaptureLine(out, pos, T_IP_ID, ipId, T_FO, fragmentOffset, 15) : putCaptureLine(out, pos, T_IP_ID, ipId);
}

/** The whole `show ip cache verbose flow` display. */
export function renderFlowCacheVerbose(display: FlowCacheDisplay, flows: readonly FlowRecord[], names?: FlowRecordNames): string {
  return [...renderFlowCacheStatistics(display), ...FLOW_RECORD_HEADER, ...flows.flatMap((flow) => renderFlowRecord(flow, names))].join(
    "\n",
  );
}

/** A flow as one JSON object of `dataplane flows --json` (snake_case field names). */
export function flowJson(flow: FlowRecord | ExpiredFlow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    src: flow.src,
    dst: flow.dst,
    proto: flow.protocol,
    sport: flow.srcPort,
    dport: flow.dstPort,
    tos: flow.tos,
    in_if: flow.inputInterface,
    packets: flow.packets,
    bytes: flow.bytes,
    first_ms: flow.firstMs,
    last_ms: flow.lastMs,
    ip_version: flow.ipVersion,
    direction: flow.direction,
    tcp_flags: flow.tcpFlags,
    min_len: flow.minLength,
    max_len: flow.maxLength,
    min_ttl: flow.minTtl,
    max_ttl: flow.maxTtl,
    ip_id: flow.ipId,
  };
  if (flow.icmpType !== undefined) {
    out.icmp_type = flow.icmpType;
    out.icmp_code = flow.icmpCode;
  }
  if (flow.fragmentOffset !== undefined) out.frag_offset = flow.fragmentOffset;
  if (flow.srcMac !== undefined) {
    out.src_mac = flow.srcMac;
    out.dst_mac = flow.dstMac;
  }
  if (flow.inputVlan !== undefined) out.in_vlan = flow.inputVlan;
  if (flow.outputVlan !== undefined) out.out_vlan = flow.outputVlan;
  if ("endReason" in flow) out.end_reason = flow.endReason;
  return out;
}

/** The flow table header of `show ip cache flow` (the Code Red document's, 000:L63, unscrambled). */
export const FLOW_BRIEF_HEADER = "SrcIf         SrcIPaddress    DstIf         DstIPaddress    Pr SrcP  DstP  Pkts";

/** One flow of `show ip cache flow`: `Vl1  ...  06 0F9F  0050     2 ` (ports in hex, 000:L64–73). */
export function renderFlowBrief(flow: FlowRecord, names: FlowRecordNames = {}): string {
  const name = names.interfaceName ?? ((index: number) => `If${index}`);
  const egress = flow.direction === "egress";
  const srcIf = egress ? "-" : name(flow.inputInterface);
  const dstIf = egress ? `${name(flow.inputInterface)}*` : (names.outputInterface?.(flow) ?? "-");
  return `${srcIf.padEnd(14)}${flow.src.padEnd(16)}${dstIf.padEnd(14)}${flow.dst.padEnd(16)}${hex(flow.protocol, 2)} ${hex(flow.srcPort, 4)}  ${hex(flow.dstPort, 4)}${String(flow.packets).padStart(6)} `;
}

/** The whole `show ip cache flow` display: the statistics, then one line per flow. */
export function renderFlowCacheBrief(display: FlowCacheDisplay, flows: readonly FlowRecord[], names?: FlowRecordNames): string {
  return [...renderFlowCacheStatistics(display), FLOW_BRIEF_HEADER, ...flows.map((flow) => renderFlowBrief(flow, names))].join("\n");
}
