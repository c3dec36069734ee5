/**
 * The query of `show ip flow top N aggregate FIELD [sorted-by aggregate|bytes|flows|packets
 * [ascending|descending]] [match FIELD VALUE]` (seed spec §1.18, §2.2) as data, and its parser.
 * Values are decimal or hex (`0x00DC`); numeric fields take a range `min A max B` (inclusive);
 * `icmp` takes `type T [code C]`; addresses and prefixes take `A.B.C.D[/len]` (or IPv6); the
 * post-aggregation `flows` match takes a count or a range. One match criterion per command, as
 * IOS has it.
 */

import { ConfigError, describe } from "../errors.js";
import { parseAddress } from "../net/address.js";
import { parseMac } from "../net/mac.js";
import { TOP_FIELD_NAMES, type TopFieldName, type TopFieldSpec, topField } from "./top-fields.js";

/** What the aggregates are sorted by: the aggregated field (`aggregate`), bytes, flows or packets. */
export type TopSortKey = "aggregate" | "bytes" | "flows" | "packets";
/** Sort direction. */
export type TopOrder = "ascending" | "descending";

/** A match criterion: a value range (inclusive) or an address prefix. */
export interface TopMatch {
  /** The field matched; `flows` is the post-aggregation count of flows per aggregate. */
  field: TopFieldName | "flows";
  /** Inclusive range for numeric, MAC (48-bit number) and ICMP (type × 256 + code) fields, and `flows`. */
  min?: number;
  max?: number;
  /** Address prefix for address and prefix fields: the family, four address words (most significant first, IPv4 in word 0, host bits cleared) and the length. */
  prefix?: { version: 4 | 6; words: readonly number[]; length: number };
}

/** A parsed `show ip flow top` command. */
export interface TopQuery {
  /** Top talkers to show, 1 to 100. */
  limit: number;
  aggregate: TopFieldName;
  sortBy: TopSortKey;
  order: TopOrder;
  match?: TopMatch;
}

/** Largest N of `show ip flow top N` (IOS: 1 to 100). */
export const TOP_MAX_LIMIT = 100;

const SORT_KEYS: readonly TopSortKey[] = ["aggregate", "bytes", "flows", "packets"];

const PROTOCOL_NAMES: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  ipinip: 4,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ahp: 51,
  icmpv6: 58,
  "ipv6-icmp": 58,
  eigrp: 88,
  ospf: 89,
  pim: 103,
  sctp: 132,
};

/** Largest value of each numeric field. */
const FIELD_MAX: Partial<Record<TopFieldName | "flows", number>> = {
  "source-port": 0xffff,
  "destination-port": 0xffff,
  protocol: 255,
  tos: 255,
  "input-interface": 0xffffffff,
  "output-interface": 0xffffffff,
  "source-vlan": 4095,
  "destination-vlan": 4095,
  "min-ttl": 255,
  "max-ttl": 255,
  "min-packet-length": 0xffff,
  "max-packet-length": 0xffff,
  "fragment-offset": 0x1fff,
  "tcp-flags": 0xfff,
  bytes: Number.MAX_SAFE_INTEGER,
  packets: 0xffffffff,
  flows: 0xffffffff,
};

function fail(code: string, message: string, value: unknown): never {
  throw new ConfigError(code, message, value);
}

/** `unknown field "x": expected one of ...` */
export function unknownField(name: string, withFlows = false): never {
  const names = withFlows ? [...TOP_FIELD_NAMES, "flows"] : TOP_FIELD_NAMES;
  return fail("top-field", `unknown field ${describe(name)}: expected one of ${names.join(", ")}`, name);
}

/** A decimal or `0x` hex number from `min` (default 0) to `max`. */
export function parseTopNumber(text: string | undefined, what: string, max: number, min = 0, code = "top-value"): number {
  if (text === undefined) fail(code, `missing value for ${what}`, text);
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail(code, `invalid value ${describe(text)} for ${what}: expected a decimal or 0x hex number from ${min} to ${max}`, text);
  }
  return value;
}

/** Address words of a prefix with the host bits cleared. */
function maskedPrefix(text: string): NonNullable<TopMatch["prefix"]> {
  const slash = text.indexOf("/");
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash));
  const version = address.family;
  const maxLength = version === 4 ? 32 : 128;
  let length = maxLength;
  if (slash !== -1) {
    const lengthText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > maxLength) {
      fail("top-value", `invalid prefix ${describe(text)}: the length must be 0 to ${maxLength}`, text);
    }
    length = Number(lengthText);
  }
  const words = [0, 0, 0, 0];
  for (let i = 0; i < (version === 4 ? 1 : 4); i++) {
    const bits = Math.max(0, Math.min(32, length - 32 * i));
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    words[i] = (address.words[i]! & mask) >>> 0;
  }
  return { version, words, length };
}

/**
 * Parses the value tokens of a match on `field` (everything after the field keyword); returns
 * the criterion and how many tokens it took.
 * @throws ConfigError naming the bad value.
 */
export function parseMatchValue(
  field: TopFieldSpec | "flows",
  tokens: readonly string[],
  interfaceIndex?: (name: string) => number | undefined,
): { match: TopMatch; used: number } {
  const name = field === "flows" ? "flows" : field.name;
  const kind = field === "flows" ? "number" : field.kind;
  const first = tokens[0];
  if (first === undefined) fail("top-value", `missing value for match ${name}`, name);
  if (kind === "address" || kind === "prefix") return { match: { field: name, prefix: maskedPrefix(first) }, used: 1 };
  if (kind === "mac") {
    const bytes = parseMac(first);
    const value = bytes.reduce((v, b) => v * 256 + b, 0);
    return { match: { field: name, min: value, max: value }, used: 1 };
  }
  if (kind === "icmp") {
    if (first !== "type") fail("top-value", `invalid match icmp ${describe(first)}: expected icmp type T [code C]`, first);
    const type = parseTopNumber(tokens[1], "icmp type", 255);
    if (tokens[2] === "code") {
      const code = parseTopNumber(tokens[3], "icmp code", 255);
      return { match: { field: name, min: type * 256 + code, max: type * 256 + code }, used: 4 };
    }
    return { match: { field: name, min: type * 256, max: type * 256 + 255 }, used: 2 };
  }
  const max = FIELD_MAX[name] ?? 0xffffffff;
  const single = (text: string | undefined): number => {
    if (name === "protocol" && text !== undefined && PROTOCOL_NAMES[text.toLowerCase()] !== undefined) {
      return PROTOCOL_NAMES[text.toLowerCase()]!;
    }
    if ((name === "input-interface" || name === "output-interface") && text !== undefined && !/^(0x)?[0-9a-f]+$/i.test(text)) {
      const index = interfaceIndex?.(text);
      if (index === undefined) fail("top-value", `unknown interface ${describe(text)} for match ${name}`, text);
      return index;
    }
    return parseTopNumber(text, `match ${name}`, max);
  };
  if (first === "min") {
    const min = single(tokens[1]);
    if (tokens[2] !== "max") fail("top-value", `invalid range for match ${name}: expected min A max B`, tokens.join(" "));
    const high = single(tokens[3]);
    if (high < min) fail("top-value", `invalid range for match ${name}: min ${min} is above max ${high}`, tokens.join(" "));
    return { match: { field: name, min, max: high }, used: 4 };
  }
  const value = single(first);
  return { match: { field: name, min: value, max: value }, used: 1 };
}

/**
 * Parses the words after `show ip flow top`: `N aggregate FIELD [sorted-by KEY [ascending |
 * descending]] [match FIELD VALUE]`.
 * @throws ConfigError naming the bad word, listing what is accepted.
 */
export function parseTopQuery(words: readonly string[] | string, interfaceIndex?: (name: string) => number | undefined): TopQuery {
  const tokens =
    typeof words === "string"
      ? words
          .trim()
          .split(/\s+/)
          .filter((w) => w !== "")
      : [...words];
  const limit = parseTopNumber(tokens[0], "the number of top talkers", TOP_MAX_LIMIT, 1, "top-limit");
  if (tokens[1] !== "aggregate") fail("top-syntax", `expected "aggregate" after the number, got ${describe(tokens[1] ?? "")}`, tokens[1]);
  const aggregateName = tokens[2];
  if (aggregateName === undefined) unknownField("");
  const aggregate = topField(aggregateName) ?? unknownField(aggregateName);
  const query: TopQuery = { limit, aggregate: aggregate.name, sortBy: "aggregate", order: "descending" };
  let i = 3;
  if (tokens[i] === "sorted-by") {
    const key = tokens[i + 1];
    if (!SORT_KEYS.includes(key as TopSortKey)) {
      fail("top-sort", `invalid sorted-by ${describe(key ?? "")}: expected one of ${SORT_KEYS.join(", ")}`, key);
    }
    query.sortBy = key as TopSortKey;
    i += 2;
    if (tokens[i] === "ascending" || tokens[i] === "descending") query.order = tokens[i++] as TopOrder;
  }
  if (tokens[i] === "match") {
    const fieldName = tokens[i + 1];
    if (fieldName === undefined) unknownField("", true);
    const field = fieldName === "flows" ? "flows" : (topField(fieldName) ?? unknownField(fieldName, true));
    const { match, used } = parseMatchValue(field, tokens.slice(i + 2), interfaceIndex);
    query.match = match;
    i += 2 + used;
  }
  if (i < tokens.length) {
    const rest = tokens.slice(i).join(" ");
    const why = tokens[i] === "match" || tokens.slice(0, i).includes("match") ? " (only one match criterion is supported)" : "";
    fail(
      "top-syntax",
      `unexpected ${describe(rest)}${why}: expected [sorted-by aggregate|bytes|flows|packets [ascending|descending]] [match FIELD VALUE]`,
      rest,
    );
  }
  return query;
}
