/**
 * One packet as a plain object: what {@link PacketBatch.packet} returns, what `dataplane
 * packets --json` prints, and (with looser types) what {@link PacketBatch.from} accepts.
 */

import { type AddressInput, formatIPv4, formatIPv6, parseAddress, toIPv4 } from "../net/address.js";
import { type MacInput, formatMac, parseMac } from "../net/mac.js";
import { DataplaneError, describe } from "../errors.js";
import { type PacketColumns, NO_VLAN } from "./columns.js";
import { LinkType } from "./link-type.js";
import { statusName, statusCode, PACKET_STATUSES, type PacketStatusName } from "./status.js";

/** A parsed packet. Fields a packet does not have (ports of a fragment, IP fields of ARP...) are absent. */
export interface Packet {
  /** Capture time, milliseconds since the Unix epoch (with sub-millisecond digits). */
  time: number;
  interface: number;
  capturedLength: number;
  wireLength: number;
  linkType: number;
  status: PacketStatusName | `status-${number}`;
  srcMac?: string;
  dstMac?: string;
  etherType?: number;
  vlanOuter?: number;
  vlanInner?: number;
  ipVersion?: 4 | 6;
  src?: string;
  dst?: string;
  protocol?: number;
  tos?: number;
  ttl?: number;
  ipLength?: number;
  ipId?: number;
  fragmentOffset?: number;
  fragmentFlags?: number;
  srcPort?: number;
  dstPort?: number;
  tcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  arpOperation?: number;
  arpSenderMac?: string;
  arpTargetMac?: string;
  arpSenderAddress?: string;
  arpTargetAddress?: string;
}

/** What {@link PacketBatch.from} accepts per packet: every field optional, addresses and MACs in any accepted form. */
export interface PacketInit {
  time?: number;
  interface?: number;
  /** The captured bytes; copied into the batch's frame area (parse them with `batch.parse()`). */
  frame?: Uint8Array;
  capturedLength?: number;
  wireLength?: number;
  linkType?: number;
  /** A status name or number (default "ok"). */
  status?: string | number;
  srcMac?: MacInput;
  dstMac?: MacInput;
  etherType?: number;
  vlanOuter?: number;
  vlanInner?: number;
  /** Inferred from `src`/`dst` when absent. */
  ipVersion?: 0 | 4 | 6;
  src?: AddressInput;
  dst?: AddressInput;
  /** A protocol number or one of "tcp", "udp", "icmp", "icmpv6". */
  protocol?: number | "tcp" | "udp" | "icmp" | "icmpv6";
  tos?: number;
  ttl?: number;
  ipLength?: number;
  ipId?: number;
  fragmentOffset?: number;
  fragmentFlags?: number;
  srcPort?: number;
  dstPort?: number;
  tcpFlags?: number;
  icmpType?: number;
  icmpCode?: number;
  arpOperation?: number;
  arpSenderMac?: MacInput;
  arpTargetMac?: MacInput;
  arpSenderAddress?: AddressInput;
  arpTargetAddress?: AddressInput;
}

const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
const L4_FIELDS_SET = new Set<number>([
  PACKET_STATUSES.ok.code,
  PACKET_STATUSES["bad-tcp-header-length"].code,
  PACKET_STATUSES["bad-udp-length"].code,
]);

function macAt(bytes: Uint8Array, i: number): string {
  return formatMac(bytes.subarray(i * 8, i * 8 + 6));
}

function addressAt(words: Uint32Array, i: number, version: number): string {
  return version === 4 ? formatIPv4(words[i * 4]!) : formatIPv6(words.subarray(i * 4, i * 4 + 4));
}

/** Packet `i` of a batch's columns as a plain object. */
export function packetFromColumns(c: PacketColumns, i: number): Packet {
  const status = c.status[i]!;
  const link = c.linkType[i]!;
  const packet: Packet = {
    time: c.time[i]!,
    interface: c.interface[i]!,
    capturedLength: c.capturedLength[i]!,
    wireLength: c.wireLength[i]!,
    linkType: link,
    status: statusName(status) as Packet["status"],
  };
  const hasLinkHeader =
    status !== PACKET_STATUSES["truncated-link-header"].code &&
    status !== PACKET_STATUSES["unsupported-link-type"].code &&
    status !== PACKET_STATUSES["frame-out-of-bounds"].code;
  if (hasLinkHeader && link === LinkType.ethernet) {
    packet.srcMac = macAt(c.srcMac, i);
    packet.dstMac = macAt(c.dstMac, i);
  } else if (
    hasLinkHeader &&
    (link === LinkType.linuxSll || link === LinkType.linuxSll2) &&
    c.srcMac.subarray(i * 8, i * 8 + 6).some((b) => b !== 0)
  ) {
    packet.srcMac = macAt(c.srcMac, i);
  }
  if (c.etherType[i] !== 0) packet.etherType = c.etherType[i]!;
  if (c.vlanOuter[i] !== NO_VLAN) packet.vlanOuter = c.vlanOuter[i]!;
  if (c.vlanInner[i] !== NO_VLAN) packet.vlanInner = c.vlanInner[i]!;
  const version = c.ipVersion[i]!;
  if (version === 4 || version === 6) {
    packet.ipVersion = version;
    packet.src = addressAt(c.src, i, version);
    packet.dst = addressAt(c.dst, i, version);
    packet.protocol = c.protocol[i]!;
    packet.tos = c.tos[i]!;
    packet.ttl = c.ttl[i]!;
    packet.ipLength = c.ipLength[i]!;
    packet.ipId = c.ipId[i]!;
    packet.fragmentOffset = c.fragmentOffset[i]!;
    packet.fragmentFlags = c.fragmentFlags[i]!;
    const protocol = c.protocol[i]!;
    if (L4_FIELDS_SET.has(status) && (protocol === 6 || protocol === 17)) {
      packet.srcPort = c.srcPort[i]!;
      packet.dstPort = c.dstPort[i]!;
      if (protocol === 6) packet.tcpFlags = c.tcpFlags[i]!;
    }
    if (status === PACKET_STATUSES.ok.code && ((protocol === 1 && version === 4) || (protocol === 58 && version === 6))) {
      packet.icmpType = c.icmpType[i]!;
      packet.icmpCode = c.icmpCode[i]!;
    }
  }
  if (status === PACKET_STATUSES.arp.code || status === PACKET_STATUSES["unsupported-arp"].code) {
    packet.arpOperation = c.arpOperation[i]!;
  }
  if (status === PACKET_STATUSES.arp.code) {
    packet.arpSenderMac = macAt(c.arpSenderMac, i);
    packet.arpTargetMac = macAt(c.arpTargetMac, i);
    packet.arpSenderAddress = formatIPv4(c.arpSenderAddress[i]!);
    packet.arpTargetAddress = formatIPv4(c.arpTargetAddress[i]!);
  }
  return packet;
}

function integer(init: PacketInit, name: keyof PacketInit, max: number, fallback: number): number {
  const value = init[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw new DataplaneError(
      "packet-field",
      `invalid packet field ${name}: ${describe(value)} (expected an integer from 0 to ${max})`,
      value,
    );
  }
  return value;
}

function putMac(bytes: Uint8Array, i: number, input: MacInput | undefined): void {
  bytes.fill(0, i * 8, i * 8 + 8);
  if (input !== undefined) bytes.set(parseMac(input), i * 8);
}

/**
 * Writes a plain packet into row `i` of the columns (every column of the row is written).
 * `capturedLength` and `frameOffset` are the caller's (it placed the frame).
 */
export function writePacketInit(c: PacketColumns, i: number, init: PacketInit): void {
  const time = init.time ?? 0;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    throw new DataplaneError("packet-field", `invalid packet field time: ${describe(time)} (expected milliseconds)`, time);
  }
  c.time[i] = time;
  c.interface[i] = integer(init, "interface", 0xffffffff, 0);
  c.wireLength[i] = integer(init, "wireLength", 0xffffffff, c.capturedLength[i]!);
  c.linkType[i] = integer(init, "linkType", 0xffff, LinkType.ethernet);
  let status = init.status ?? 0;
  if (typeof status === "string") {
    const code = statusCode(status);
    if (code === undefined) throw new DataplaneError("packet-field", `invalid packet status ${describe(status)}`, status);
    status = code;
  }
  c.status[i] = integer({ status }, "status", 63, 0);
  putMac(c.srcMac, i, init.srcMac);
  putMac(c.dstMac, i, init.dstMac);
  c.vlanOuter[i] = integer(init, "vlanOuter", 0xffff, NO_VLAN);
  c.vlanInner[i] = integer(init, "vlanInner", 0xffff, NO_VLAN);
  c.l3Offset[i] = 0;
  c.l4Offset[i] = 0;
  const src = init.src === undefined ? undefined : parseAddress(init.src);
  const dst = init.dst === undefined ? undefined : parseAddress(init.dst);
  const inferred = src?.family ?? dst?.family ?? 0;
  const version = integer(init, "ipVersion", 6, inferred);
  if ((version !== 0 && version !== 4 && version !== 6) || (src && src.family !== version) || (dst && dst.family !== version)) {
    throw new DataplaneError(
      "packet-field",
      `invalid packet: ipVersion ${version} does not match src ${describe(init.src)} / dst ${describe(init.dst)}`,
      init,
    );
  }
  c.ipVersion[i] = version;
  c.src.fill(0, i * 4, i * 4 + 4);
  c.dst.fill(0, i * 4, i * 4 + 4);
  if (src) c.src.set(src.words, i * 4);
  if (dst) c.dst.set(dst.words, i * 4);
  const defaultEtherType = version === 4 ? 0x0800 : version === 6 ? 0x86dd : init.arpOperation !== undefined ? 0x0806 : 0;
  c.etherType[i] = integer(init, "etherType", 0xffff, defaultEtherType);
  let protocol = init.protocol ?? 0;
  if (typeof protocol === "string") {
    const number = PROTOCOLS[protocol];
    if (number === undefined) throw new DataplaneError("packet-field", `invalid packet protocol ${describe(protocol)}`, protocol);
    protocol = number;
  }
  c.protocol[i] = integer({ protocol }, "protocol", 255, 0);
  c.tos[i] = integer(init, "tos", 255, 0);
  c.ttl[i] = integer(init, "ttl", 255, 0);
  c.ipLength[i] = integer(init, "ipLength", 0xffffffff, 0);
  c.ipId[i] = integer(init, "ipId", 0xffffffff, 0);
  c.fragmentOffset[i] = integer(init, "fragmentOffset", 0x1fff, 0);
  c.fragmentFlags[i] = integer(init, "fragmentFlags", 255, 0);
  c.srcPort[i] = integer(init, "srcPort", 0xffff, 0);
  c.dstPort[i] = integer(init, "dstPort", 0xffff, 0);
  c.tcpFlags[i] = integer(init, "tcpFlags", 0xfff, 0);
  c.icmpType[i] = integer(init, "icmpType", 255, 0);
  c.icmpCode[i] = integer(init, "icmpCode", 255, 0);
  c.arpOperation[i] = integer(init, "arpOperation", 0xffff, 0);
  putMac(c.arpSenderMac, i, init.arpSenderMac);
  putMac(c.arpTargetMac, i, init.arpTargetMac);
  c.arpSenderAddress[i] = init.arpSenderAddress === undefined ? 0 : toIPv4(init.arpSenderAddress as string | number);
  c.arpTargetAddress[i] = init.arpTargetAddress === undefined ? 0 : toIPv4(init.arpTargetAddress as string | number);
}
