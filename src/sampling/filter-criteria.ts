/**
 * Input-filter criteria: the `match` lines of a NetFlow input filter's class map (seed
 * 003:L817–L827: source and destination address, protocol and ports, ToS/DSCP/precedence, TCP
 * flags, input interface), as plain objects, and their validation into a normalised form that
 * both the program compiler and the reference matcher read.
 */

import { ConfigError, describe } from "../errors.js";
import { type Family, parseAddress } from "../net/address.js";
import { type PrefixInput, parsePrefix } from "../net/prefix.js";

/** Protocol names accepted where a protocol number is expected. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  sctp: 132,
};

/** TCP flag bits, for `tcpFlags` criteria. */
export const TcpFlag = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ece: 0x40, cwr: 0x80, ns: 0x100 } as const;

/** A port, or an inclusive range `[low, high]`. */
export type PortMatch = number | readonly [number, number];

/**
 * One criterion of a class map. Exactly one field per criterion; `not: true` inverts it.
 * - `source` / `destination`: a prefix (`"10.0.0.0/8"`, `"2001:db8::/32"`) or a host address.
 *   Never matches a packet of the other family.
 * - `protocol`: the IPv4 protocol / IPv6 next header, by number or name (`"tcp"`).
 * - `sourcePort` / `destinationPort`: a port or an inclusive range; only TCP and UDP packets
 *   with their transport header (not a non-first fragment) can match.
 * - `tos` (with an optional `mask`, default 0xff), `dscp` (0–63) or `precedence` (0–7): the
 *   ToS / traffic-class byte.
 * - `tcpFlags`: TCP packets (with their header) whose 12 flag bits, under `mask` (default: the
 *   flags given), equal it;
 *   `{ tcpFlags: TcpFlag.syn, mask: TcpFlag.syn | TcpFlag.ack }` is "SYN without ACK".
 * - `inputInterface`: the interface index the packet came in on.
 * Only parsed IP packets reach the classes (NetFlow accounts IP): frames that are not IP and
 * malformed packets are counted apart.
 */
export type FilterCriterion = (
  | { source: PrefixInput }
  | { destination: PrefixInput }
  | { protocol: number | string }
  | { sourcePort: PortMatch }
  | { destinationPort: PortMatch }
  | { tos: number; mask?: number }
  | { dscp: number }
  | { precedence: number }
  | { tcpFlags: number; mask?: number }
  | { inputInterface: number }
) & { not?: boolean };

/** A class map: criteria combined with match-all (the default, as in IOS) or match-any. */
export interface ClassMapConfig {
  match?: "all" | "any";
  /** The criteria; an empty list matches every packet. */
  criteria: readonly FilterCriterion[];
}

/** Criterion kinds, numbered as in the WebAssembly core (assembly/sampler/filter-match.ts). */
export const CriterionKind = {
  source: 1,
  destination: 2,
  protocol: 3,
  sourcePort: 4,
  destinationPort: 5,
  tos: 6,
  tcpFlags: 7,
  inputInterface: 8,
} as const;

/** A validated criterion. */
export interface NormalizedCriterion {
  kind: (typeof CriterionKind)[keyof typeof CriterionKind];
  negate: boolean;
  /** Prefix criteria: the family, network words (4, IPv4 in word 0) and mask words. */
  family: Family | 0;
  network: Uint32Array;
  mask: Uint32Array;
  /** Protocol, interface, port low bound, ToS/flags value. */
  a: number;
  /** Port high bound, ToS/flags mask. */
  b: number;
}

/** A validated class map. */
export interface NormalizedClass {
  matchAll: boolean;
  criteria: NormalizedCriterion[];
}

/** Most criteria per class map. */
export const MAX_CRITERIA = 64;

const FIELDS = [
  "source",
  "destination",
  "protocol",
  "sourcePort",
  "destinationPort",
  "tos",
  "dscp",
  "precedence",
  "tcpFlags",
  "inputInterface",
] as const;

function bad(criterion: unknown, why: string): never {
  throw new ConfigError("filter-criterion", `invalid filter criterion ${describe(criterion)}: ${why}`, criterion);
}

function integer(criterion: unknown, value: unknown, name: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    bad(criterion, `${name} must be an integer from 0 to ${max}`);
  return value;
}

function prefixMasks(criterion: unknown, input: PrefixInput): { family: Family; network: Uint32Array; mask: Uint32Array } {
  let family: Family, words: Uint32Array, length: number;
  if (typeof input === "string" && !input.includes("/")) {
    let address: ReturnType<typeof parseAddress>;
    try {
      address = parseAddress(input);
    } catch (error) {
      bad(criterion, error instanceof Error ? error.message : String(error));
    }
    family = address.family;
    words = address.words;
    length = family === 4 ? 32 : 128;
  } else {
    let prefix: ReturnType<typeof parsePrefix>;
    try {
      prefix = parsePrefix(input);
    } catch (error) {
      bad(criterion, error instanceof Error ? error.message : String(error));
    }
    family = prefix.family;
    words = prefix.words;
    length = prefix.length;
  }
  const network = new Uint32Array(4);
  const mask = new Uint32Array(4);
  for (let w = 0; w < (family === 4 ? 1 : 4); w++) {
    const bits = Math.max(0, Math.min(32, length - 32 * w));
    mask[w] = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    network[w] = (words[w]! & mask[w]!) >>> 0;
  }
  return { family, network, mask };
}

function portRange(criterion: unknown, value: unknown): [number, number] {
  if (typeof value === "number") {
    integer(criterion, value, "the port", 65535);
    return [value, value];
  }
  if (Array.isArray(value) && value.length === 2) {
    const low = integer(criterion, value[0], "the low port", 65535);
    const high = integer(criterion, value[1], "the high port", 65535);
    if (low > high) bad(criterion, "the port range is empty (low > high)");
    return [low, high];
  }
  return bad(criterion, "a port must be a number or a [low, high] range");
}

/** Validates one criterion. @throws ConfigError naming it. */
export function normalizeCriterion(criterion: FilterCriterion): NormalizedCriterion {
  if (criterion === null || typeof criterion !== "object") bad(criterion, 'expected an object such as { protocol: "tcp" }');
  const keys = Object.keys(criterion);
  const fields = keys.filter((k) => (FIELDS as readonly string[]).includes(k));
  if (fields.length !== 1) bad(criterion, `expected exactly one of ${FIELDS.join(", ")}`);
  const field = fields[0] as (typeof FIELDS)[number];
  const allowed = new Set<string>([field, "not", ...(field === "tos" || field === "tcpFlags" ? ["mask"] : [])]);
  const extra = keys.find((k) => !allowed.has(k));
  if (extra !== undefined) bad(criterion, `unexpected key ${JSON.stringify(extra)}`);
  const record = criterion as Record<string, unknown>;
  const not = record.not;
  if (not !== undefined && typeof not !== "boolean") bad(criterion, "`not` must be a boolean");
  const result: NormalizedCriterion = {
    kind: CriterionKind.protocol,
    negate: not === true,
    family: 0,
    network: new Uint32Array(4),
    mask: new Uint32Array(4),
    a: 0,
    b: 0,
  };
  const value = record[field];
  switch (field) {
    case "source":
    case "destination": {
      const { family, network, mask } = prefixMasks(criterion, value as PrefixInput);
      Object.assign(result, { kind: CriterionKind[field], family, network, mask });
      break;
    }
    case "protocol": {
      const number = typeof value === "string" ? PROTOCOL_NUMBERS[value.toLowerCase()] : value;
      if (number === undefined) bad(criterion, `unknown protocol name; known: ${Object.keys(PROTOCOL_NUMBERS).join(", ")}`);
      result.a = integer(criterion, number, "the protocol", 255);
      break;
    }
    case "sourcePort":
    case "destinationPort":
      result.kind = CriterionKind[field];
      [result.a, result.b] = portRange(criterion, value);
      break;
    case "tos": {
      result.kind = CriterionKind.tos;
      const mask = record.mask === undefined ? 0xff : integer(criterion, record.mask, "the mask", 255);
      const tos = integer(criterion, value, "the ToS", 255);
      if ((tos & ~mask) !== 0) bad(criterion, "the ToS value has bits outside the mask");
      [result.a, result.b] = [tos, mask];
      break;
    }
    case "dscp":
      result.kind = CriterionKind.tos;
      [result.a, result.b] = [integer(criterion, value, "the DSCP", 63) << 2, 0xfc];
      break;
    case "precedence":
      result.kind = CriterionKind.tos;
      [result.a, result.b] = [integer(criterion, value, "the precedence", 7) << 5, 0xe0];
      break;
    case "tcpFlags": {
      result.kind = CriterionKind.tcpFlags;
      const flags = integer(criterion, value, "the TCP flags", 0xfff);
      const mask = record.mask === undefined ? flags : integer(criterion, record.mask, "the mask", 0xfff);
      if ((flags & ~mask) !== 0) bad(criterion, "the TCP flags have bits outside the mask");
      [result.a, result.b] = [flags, mask];
      break;
    }
    case "inputInterface":
      result.kind = CriterionKind.inputInterface;
      result.a = integer(criterion, value, "the interface index", 0xffffffff);
      break;
  }
  return result;
}

/** Validates a class map. @throws ConfigError naming the bad part. */
export function normalizeClass(config: ClassMapConfig): NormalizedClass {
  if (config === null || typeof config !== "object" || !Array.isArray(config.criteria)) {
    throw new ConfigError(
      "class-map",
      `invalid class map ${describe(config)}: expected { match?: "all" | "any", criteria: [...] }`,
      config,
    );
  }
  const match = config.match ?? "all";
  if (match !== "all" && match !== "any") {
    throw new ConfigError("class-map", `invalid class map match ${describe(match)}: expected "all" or "any"`, match);
  }
  if (config.criteria.length > MAX_CRITERIA) {
    throw new ConfigError(
      "class-map",
      `a class map has at most ${MAX_CRITERIA} criteria, got ${config.criteria.length}`,
      config.criteria.length,
    );
  }
  return { matchAll: match === "all", criteria: config.criteria.map(normalizeCriterion) };
}
