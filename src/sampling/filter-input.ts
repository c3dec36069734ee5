/**
 * The packet fields input filters read, as columns (structure of arrays, one entry per
 * packet). These mirror the fields of the packet batch (issue 3's `PacketBatch`); the
 * WebAssembly selector reads the same columns in its memory (assembly/sampler/filter-columns.ts).
 */

import { describe } from "../errors.js";
import { type AddressInput, parseAddress } from "../net/address.js";
import { PROTOCOL_NUMBERS } from "./filter-criteria.js";

/** Columns of a batch of packets, for input filters. Every column has one entry per packet. */
export interface FilterInput {
  /** 4 or 6; 0 for a frame that is not IP (only `inputInterface` criteria can match it). */
  ipVersion: Uint8Array;
  /** Source address, four u32 words per packet: IPv4 in word 0 (words 1–3 zero), IPv6 most significant word first. */
  source: Uint32Array;
  /** Destination address, as `source`. */
  destination: Uint32Array;
  /** IPv4 protocol / IPv6 next header. */
  protocol: Uint8Array;
  sourcePort: Uint16Array;
  destinationPort: Uint16Array;
  /** IPv4 ToS / IPv6 traffic class. */
  tos: Uint8Array;
  /** The 12 TCP flag bits (FIN 0x01, SYN 0x02 … CWR 0x80, NS 0x100), as the packet batch holds them. */
  tcpFlags: Uint16Array;
  /** Index of the (sub)interface the packet came in on. */
  inputInterface: Uint32Array;
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
  inputInterface?: number;
}

/** Number of packets in `input`, after checking that every column has a matching length. */
export function filterInputLength(input: FilterInput): number {
  if (input === null || typeof input !== "object" || !(input.ipVersion instanceof Uint8Array)) {
    throw new TypeError(`invalid filter input ${describe(input)}: expected columns of typed arrays`);
  }
  const count = input.ipVersion.length;
  const expect: [keyof FilterInput, new (n: number) => ArrayBufferView, number][] = [
    ["source", Uint32Array, 4], ["destination", Uint32Array, 4], ["protocol", Uint8Array, 1], ["sourcePort", Uint16Array, 1],
    ["destinationPort", Uint16Array, 1], ["tos", Uint8Array, 1], ["tcpFlags", Uint16Array, 1], ["inputInterface", Uint32Array, 1],
  ];
  for (const [name, type, per] of expect) {
    const column = input[name] as unknown;
    if (!(column instanceof type)) throw new TypeError(`filter input column ${name} must be a ${type.name}`);
    if ((column as Uint8Array).length !== count * per) {
      throw new RangeError(`filter input column ${name} has ${(column as Uint8Array).length} entries; ${count} packets need ${count * per}`);
    }
  }
  return count;
}

/** Empty columns for `count` packets. */
export function emptyFilterInput(count: number): FilterInput {
  return {
    ipVersion: new Uint8Array(count),
    source: new Uint32Array(count * 4),
    destination: new Uint32Array(count * 4),
    protocol: new Uint8Array(count),
    sourcePort: new Uint16Array(count),
    destinationPort: new Uint16Array(count),
    tos: new Uint8Array(count),
    tcpFlags: new Uint16Array(count),
    inputInterface: new Uint32Array(count),
  };
}

/**
 * Builds columns from plain packet objects (for tests, examples and embedders without a
 * packet parser): `filterInputFrom([{ src: "10.0.0.1", dst: "10.0.0.2", protocol: "tcp", dstPort: 80, inputInterface: 1 }])`.
 */
export function filterInputFrom(packets: readonly FilterPacket[]): FilterInput {
  const input = emptyFilterInput(packets.length);
  packets.forEach((p, i) => {
    if (p.src !== undefined) {
      const src = parseAddress(p.src);
      const dst = parseAddress(p.dst ?? (src.family === 4 ? "0.0.0.0" : "::"));
      if (dst.family !== src.family) throw new TypeError(`packet ${i}: source and destination are of different families`);
      input.ipVersion[i] = src.family;
      input.source.set(src.words, i * 4);
      input.destination.set(dst.words, i * 4);
    }
    const protocol = typeof p.protocol === "string" ? PROTOCOL_NUMBERS[p.protocol.toLowerCase()] : p.protocol;
    if (p.protocol !== undefined && protocol === undefined) throw new TypeError(`packet ${i}: unknown protocol ${describe(p.protocol)}`);
    input.protocol[i] = protocol ?? 0;
    input.sourcePort[i] = p.srcPort ?? 0;
    input.destinationPort[i] = p.dstPort ?? 0;
    input.tos[i] = p.tos ?? 0;
    input.tcpFlags[i] = p.tcpFlags ?? 0;
    input.inputInterface[i] = p.inputInterface ?? 0;
  });
  return input;
}
