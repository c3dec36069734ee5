/**
 * The reference input-filter matcher: decides whether a packet satisfies a class map by
 * reading the criteria as written (prefixes compared bit by bit as big integers), with no
 * compilation step. The oracle for the WebAssembly matcher.
 */

import type { ClassMapConfig, FilterCriterion } from "../sampling/filter-criteria.js";
import { PROTOCOL_NUMBERS } from "../sampling/filter-criteria.js";
import type { FilterInput } from "../sampling/filter-input.js";
import { parseAddress, bigIntFromWords } from "../net/address.js";
import { parsePrefix } from "../net/prefix.js";

/** One packet's fields, read from {@link FilterInput} columns. */
export interface ReferencePacket {
  ipVersion: number;
  source: bigint;
  destination: bigint;
  protocol: number;
  sourcePort: number;
  destinationPort: number;
  tos: number;
  tcpFlags: number;
  inputInterface: number;
  /** Parse status (0 when the columns have none). */
  status: number;
}

/** Packet `i` of the columns. */
export function referencePacket(input: FilterInput, i: number): ReferencePacket {
  const v4 = input.ipVersion[i] === 4;
  const address = (column: Uint32Array) => (v4 ? BigInt(column[i * 4]!) : bigIntFromWords(column.subarray(i * 4, i * 4 + 4)));
  return {
    ipVersion: input.ipVersion[i]!,
    source: address(input.src),
    destination: address(input.dst),
    protocol: input.protocol[i]!,
    sourcePort: input.srcPort[i]!,
    destinationPort: input.dstPort[i]!,
    tos: input.tos[i]!,
    tcpFlags: input.tcpFlags[i]!,
    inputInterface: input.interface[i]!,
    status: input.status?.[i] ?? 0,
  };
}

function prefixContains(text: string | { address: string | number | bigint; length: number }, family: number, address: bigint): boolean {
  let prefixFamily: number, network: bigint, length: number;
  if (typeof text === "string" && !text.includes("/")) {
    const a = parseAddress(text);
    prefixFamily = a.family;
    network = a.family === 4 ? BigInt(a.words[0]!) : bigIntFromWords(a.words);
    length = a.family === 4 ? 32 : 128;
  } else {
    const p = parsePrefix(text);
    prefixFamily = p.family;
    network = p.family === 4 ? BigInt(p.words[0]!) : bigIntFromWords(p.words);
    length = p.length;
  }
  if (prefixFamily !== family) return false;
  const bits = BigInt(family === 4 ? 32 : 128);
  const drop = bits - BigInt(length);
  return address >> drop === network >> drop;
}

function inRange(port: number, match: number | readonly [number, number]): boolean {
  return typeof match === "number" ? port === match : port >= match[0] && port <= match[1];
}

/** Whether the packet satisfies one criterion (with its `not`). */
export function referenceCriterionMatches(criterion: FilterCriterion, p: ReferencePacket): boolean {
  const c = criterion as Record<string, unknown>;
  const ip = p.ipVersion === 4 || p.ipVersion === 6;
  // Ports and TCP flags exist only with the transport header (status 0: not a later fragment).
  const transport = ip && p.status === 0;
  const hasPorts = transport && (p.protocol === 6 || p.protocol === 17);
  let hit: boolean;
  if ("inputInterface" in c) hit = p.inputInterface === c.inputInterface;
  else if (!ip) hit = false;
  else if ("source" in c) hit = prefixContains(c.source as string, p.ipVersion, p.source);
  else if ("destination" in c) hit = prefixContains(c.destination as string, p.ipVersion, p.destination);
  else if ("protocol" in c) hit = p.protocol === (typeof c.protocol === "string" ? PROTOCOL_NUMBERS[c.protocol.toLowerCase()] : c.protocol);
  else if ("sourcePort" in c) hit = hasPorts && inRange(p.sourcePort, c.sourcePort as number);
  else if ("destinationPort" in c) hit = hasPorts && inRange(p.destinationPort, c.destinationPort as number);
  else if ("tos" in c) hit = (p.tos & ((c.mask as number | undefined) ?? 0xff)) === c.tos;
  else if ("dscp" in c) hit = p.tos >> 2 === c.dscp;
  else if ("precedence" in c) hit = p.tos >> 5 === c.precedence;
  else if ("tcpFlags" in c)
    hit = transport && p.protocol === 6 && (p.tcpFlags & ((c.mask as number | undefined) ?? (c.tcpFlags as number))) === c.tcpFlags;
  else throw new Error(`unknown criterion ${JSON.stringify(c)}`);
  return c.not === true ? !hit : hit;
}

/** Whether the packet belongs to the class (an empty class matches everything). */
export function referenceClassMatches(config: ClassMapConfig, p: ReferencePacket): boolean {
  if (config.criteria.length === 0) return true;
  const hits = config.criteria.map((c) => referenceCriterionMatches(c, p));
  return (config.match ?? "all") === "all" ? hits.every(Boolean) : hits.some(Boolean);
}
