/**
 * Checking and converting the arguments of an ARP table's methods. Shared by the WebAssembly
 * table and the reference, so that both refuse the same input with the same errors.
 */

import { InterfaceError, describe } from "../errors.js";
import { checkInterface } from "../common/validation.js";
import { type IPv4Input, toIPv4 } from "../net/address.js";
import { type MacInput, parseMac } from "../net/mac.js";
import { macValue } from "./options.js";

/** A received ARP packet, as parsed from the wire (RFC 826 field names in words). */
export interface ArpPacket {
  /** Interface it arrived on. */
  ifIndex: number;
  /** 1 = request, 2 = reply (other values are counted and dropped). */
  op: number | "request" | "reply";
  senderIp: IPv4Input;
  senderMac: MacInput | number;
  targetIp: IPv4Input;
  targetMac: MacInput | number;
  /** Ethernet source address, when known: must equal `senderMac` (DAI `src-mac`). */
  ethernetSource?: MacInput | number;
  /** Ethernet destination address, when known: a solicited reply must be unicast to us. */
  ethernetDestination?: MacInput | number;
}

/** A MAC given as text, bytes or a 48-bit number, as a 48-bit number. */
export function toMacValue(input: MacInput | number): number {
  if (typeof input === "number") {
    if (Number.isInteger(input) && input >= 0 && input < 2 ** 48) return input;
    return macValue(parseMac(String(input)));
  }
  return macValue(parseMac(input));
}

/** `aa:bb:cc:dd:ee:ff` from a 48-bit number. */
export function macText(value: number): string {
  const hex = value.toString(16).padStart(12, "0");
  return `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`;
}

/** The six bytes of a 48-bit MAC number. */
export function macBytes(value: number, out: Uint8Array = new Uint8Array(6), offset = 0): Uint8Array {
  const high = Math.floor(value / 2 ** 32);
  const low = value >>> 0;
  out[offset] = (high >>> 8) & 255;
  out[offset + 1] = high & 255;
  out[offset + 2] = low >>> 24;
  out[offset + 3] = (low >>> 16) & 255;
  out[offset + 4] = (low >>> 8) & 255;
  out[offset + 5] = low & 255;
  return out;
}

/** An operation code: 1/"request" or 2/"reply"; anything else passes through as 0 (counted and dropped). */
export function opCode(op: ArpPacket["op"]): number {
  if (op === "request") return 1;
  if (op === "reply") return 2;
  return typeof op === "number" && Number.isInteger(op) && op >= 0 && op <= 0xffff ? op : 0;
}

/** The numeric fields of a received packet (IPv4 as numbers, MACs as 48-bit numbers, -1 = not given). */
export interface ParsedArpPacket {
  ifIndex: number;
  op: number;
  senderIp: number;
  senderMac: number;
  targetIp: number;
  targetMac: number;
  ethernetSource: number;
  ethernetDestination: number;
}

/** Checks a received packet; throws typed errors naming the bad field. */
export function parseArpPacket(packet: ArpPacket, interfaces: number): ParsedArpPacket {
  if (packet === null || typeof packet !== "object") {
    throw new InterfaceError(
      "arp-packet",
      `invalid ARP packet ${describe(packet)}: expected { ifIndex, op, senderIp, senderMac, targetIp, targetMac }`,
      packet,
    );
  }
  return {
    ifIndex: checkInterface(packet.ifIndex, interfaces),
    op: opCode(packet.op),
    senderIp: toIPv4(packet.senderIp),
    senderMac: toMacValue(packet.senderMac),
    targetIp: toIPv4(packet.targetIp),
    targetMac: toMacValue(packet.targetMac),
    ethernetSource: packet.ethernetSource === undefined ? -1 : toMacValue(packet.ethernetSource),
    ethernetDestination: packet.ethernetDestination === undefined ? -1 : toMacValue(packet.ethernetDestination),
  };
}
