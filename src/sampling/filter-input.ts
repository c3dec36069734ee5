/**
 * The packet fields input filters read, as columns (structure of arrays, one entry per
 * packet). Names, types and layouts are those of the packet batch's columns (`PacketBatch.columns`
 * on the packet-input branch: ipVersion, src, dst, protocol, srcPort, dstPort, tos, tcpFlags,
 * interface), so a batch's columns can be given as they are; the WebAssembly selector reads the
 * same columns in its memory (assembly/sampler/filter-columns.ts).
 */

import { describe, ConfigError } from "../errors.js";
import { type AddressInput, parseAddress } from "../net/address.js";
import { PROTOCOL_NUMBERS } from "./filter-criteria.js";

/** Columns of a batch of packets, for input filters: one entry per packet (at least). */
export interface FilterInput {
  /** 4 or 6; 0 for a frame that is not IP (NetFlow accounts IP packets only). */
  ipVersion: Uint8Array;
  /** Source address, four u32 words per packet: IPv4 in word 0 (words 1–3 zero), IPv6 most significant word first. */
  src: Uint32Array;
  /** Destination address, as `src`. */
  dst: Uint32Array;
  /** IPv4 protocol / IPv6 next header. */
  protocol: Uint8Array;
  /** TCP/UDP source port. */
  srcPort: Uint16Array;
  /** TCP/UDP destination port. */
  dstPort: Uint16Array;
  /** IPv4 ToS / IPv6 traffic class. */
  tos: Uint8Array;
  /** The 12 TCP flag bits (FIN 0x01, SYN 0x02 … CWR 0x80, NS 0x100), as the packet batch holds them. */
  tcpFlags: Uint16Array;
  /** Index of the (sub)interface the packet came in on. */
  interface: Uint32Array;
  /**
   * Parse status (the packet batch's `status` column; all 0 when absent): 0 parsed, 1 a
   * non-first fragment (no transport header, so port and TCP-flag criteria cannot match it),
   * 2–31 not IP, 32 and above malformed (never accounted).
   */
  status?: Uint8Array;
}

/** One packet's fields, for {@link filterInputFrom}. Missing fields are 0; a packet without `src` is not IP. */
export interface FilterPacket {
  src?: AddressInput;
  dst?: AddressInput;
  protocol?: number | string;
  srcPort?: number;
  dstPort?: number;
  tos?: number;
  tcpFlags?: number;
  /** Input interface index. */
  interface?: number;
  /** Parse status (default 0: parsed). */
  status?: number;
}

/**
 * The number of packets to read from `input`: `count`, or the length of `ipVersion` when not
 * given, after checking that every column holds that many packets (longer columns are fine:
 * a packet batch's columns span its capacity).
 */
export function filterInputLength(input: FilterInput, count?: number): number {
  if (input === null || typeof input !== "object" || !(input.ipVersion instanceof Uint8Array)) {
    throw new ConfigError("argument", `invalid filter input ${describe(input)}: expected columns of typed arrays`, input);
  }
  const packets = count ?? input.ipVersion.length;
  if (!Number.isInteger(packets) || packets < 0) throw new ConfigError("argument", `invalid packet count ${describe(count)}`, count);
  const expect: [keyof FilterInput, new (n: number) => ArrayBufferView, number][] = [
    ["ipVersion", Uint8Array, 1],
    ["src", Uint32Array, 4],
    ["dst", Uint32Array, 4],
    ["protocol", Uint8Array, 1],
    ["srcPort", Uint16Array, 1],
    ["dstPort", Uint16Array, 1],
    ["tos", Uint8Array, 1],
    ["tcpFlags", Uint16Array, 1],
    ["interface", Uint32Array, 1],
  ];
  if (input.status !== undefined) expect.push(["status", Uint8Array, 1]);
  for (const [name, type, per] of expect) {
    const column = input[name] as unknown;
    if (!(column instanceof type)) throw new ConfigError("argument", `filter input column ${name} must be a ${type.name}`, column);
    if ((column as Uint8Array).length < packets * per) {
      throw new ConfigError(
        "argument",
        `filter input column ${name} has ${(column as Uint8Array).length} entries; ${packets} packets need ${packets * per}`,
        column,
      );
    }
  }
  return packets;
}

/** Empty columns for `count` packets. */
export function emptyFilterInput(count: number): FilterInput {
  return {
    ipVersion: new Uint8Array(count),
    src: new Uint32Array(count * 4),
    dst: new Uint32Array(count * 4),
    protocol: new Uint8Array(count),
    srcPort: new Uint16Array(count),
    dstPort: new Uint16Array(count),
    tos: new Uint8Array(count),
    tcpFlags: new Uint16Array(count),
    interface: new Uint32Array(count),
  };
}

/**
 * Builds columns from plain packet objects (for tests, examples and embedders without a
 * packet parser): `filterInputFrom([{ src: "10.0.0.1", dst: "10.0.0.2", protocol: "tcp", dstPort: 80, interface: 1 }])`
 * (the field names of the packet batch's `PacketInit`).
 */
export function filterInputFrom(packets: readonly FilterPacket[]): FilterInput {
  const input = emptyFilterInput(packets.length);
  packets.forEach((p, i) => {
    if (p.src !== undefined) {
      const src = parseAddress(p.src);
      const dst = parseAddress(p.dst ?? (src.family === 4 ? "0.0.0.0" : "::"));
      if (dst.family !== src.family) throw new ConfigError("argument", `packet ${i}: source and destination are of different families`, p);
      input.ipVersion[i] = src.family;
      input.src.set(src.words, i * 4);
      input.dst.set(dst.words, i * 4);
    }
    const protocol = typeof p.protocol === "string" ? PROTOCOL_NUMBERS[p.protocol.toLowerCase()] : p.protocol;
    if (p.protocol !== undefined && protocol === undefined)
      throw new ConfigError("argument", `packet ${i}: unknown protocol ${describe(p.protocol)}`, p.protocol);
    input.protocol[i] = protocol ?? 0;
    input.srcPort[i] = p.srcPort ?? 0;
    input.dstPort[i] = p.dstPort ?? 0;
    input.tos[i] = p.tos ?? 0;
    input.tcpFlags[i] = p.tcpFlags ?? 0;
    input.interface[i] = p.interface ?? 0;
    if (p.status !== undefined) {
      input.status ??= new Uint8Array(packets.length);
      input.status[i] = p.status;
    }
  });
  return input;
}
