/**
 * IPv4 and IPv6 addresses: parsing (strict), formatting (RFC 5952 for IPv6) and conversion
 * between the forms the API accepts. Internally an IPv4 address is an unsigned 32-bit number and
 * an IPv6 address four such words, most significant first.
 */

import { AddressError, describe } from "../errors.js";

/** Address family: 4 or 6. */
export type Family = 4 | 6;

/** An IPv4 address as a dotted quad or an unsigned 32-bit number. */
export type IPv4Input = string | number;
/** An IPv6 address as text, a 128-bit bigint, or four 32-bit words (most significant first). */
export type IPv6Input = string | bigint | ArrayLike<number>;
/** Any address the API accepts: a string of either family, a number (IPv4) or a bigint (IPv6). */
export type AddressInput = string | number | bigint;

/** A parsed address: its family and its words (one for IPv4, four for IPv6). */
export interface Address {
  family: Family;
  words: Uint32Array;
}

function fail(code: string, value: unknown, why: string): never {
  throw new AddressError(code, `invalid address ${describe(value)}: ${why}`, value);
}

/** Parses a dotted-quad IPv4 address; returns it as an unsigned 32-bit number. */
export function parseIPv4(text: string): number {
  const value = tryParseIPv4(text);
  if (value === undefined) fail("address-syntax", text, "expected four decimal octets 0-255, like 192.0.2.1");
  return value;
}

/** Parses a dotted quad, or returns undefined. Leading zeros are refused (they read as octal in inet_aton). */
export function tryParseIPv4(text: string): number | undefined {
  const length = text.length;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

/** Checks and returns an IPv4 address given as a number. */
export function checkIPv4Number(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    fail("address-range", value, "an IPv4 address number must be an integer from 0 to 4294967295");
  }
  return value;
}

/** An IPv4 address from text or a number. */
export function toIPv4(input: IPv4Input): number {
  if (typeof input === "number") return checkIPv4Number(input);
  if (typeof input === "string") {
    if (input.includes(":")) fail("address-family", input, "an IPv6 address where IPv4 is required");
    return parseIPv4(input);
  }
  return fail("address-type", input, "expected a dotted-quad string or a number");
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** Parses IPv6 text (RFC 4291 §2.2, including `::` and a trailing dotted quad) into four words. */
export function parseIPv6(text: string, out: Uint32Array = new Uint32Array(4)): Uint32Array {
  const groups = tryParseIPv6Groups(text);
  if (groups === undefined) {
    if (text.includes("%")) fail("address-zone", text, "zone identifiers (%...) are not addresses");
    fail("address-syntax", text, "expected eight 16-bit hex groups, with at most one '::'");
  }
  for (let i = 0; i < 4; i++) out[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return out;
}

function tryParseIPv6Groups(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  // A dotted quad may end the address, standing for the last two groups.
  let body = text;
  let embedded: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes(".")) {
    const v4 = tryParseIPv4(lastPart);
    if (v4 === undefined || lastColon < 1) return undefined;
    embedded = [v4 >>> 16, v4 & 0xffff];
    body = text.slice(0, text.endsWith(`::${lastPart}`) ? lastColon + 1 : lastColon);
  }
  const gap = body.indexOf("::");
  if (gap === -1) {
    const groups = parseHexGroups(body);
    if (groups === undefined) return undefined;
    groups.push(...embedded);
    return groups.length === 8 ? groups : undefined;
  }
  if (body.indexOf("::", gap + 1) !== -1) return undefined;
  const left = parseHexGroups(body.slice(0, gap));
  const right = parseHexGroups(body.slice(gap + 2));
  if (left === undefined || right === undefined) return undefined;
  right.push(...embedded);
  const missing = 8 - left.length - right.length;
  if (missing < 1) return undefined;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** Colon-separated hex groups ("" is no group). */
function parseHexGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  for (const part of text.split(":")) {
    if (part.length === 0 || part.length > 4 || !/^[0-9a-fA-F]+$/.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}
/** Four words from a 128-bit bigint. */
export function wordsFromBigInt(value: bigint, out: Uint32Array = new Uint32Array(4)): Uint32Array {
  if (value < 0n || value >= 1n << 128n) fail("address-range", value, "an IPv6 address bigint must be in [0, 2^128)");
  for (let i = 3; i >= 0; i--) {
    out[i] = Number(value & 0xffffffffn);
    value >>= 32n;
  }
  return out;
}

/** A 128-bit bigint from four words. */
export function bigIntFromWords(words: ArrayLike<number>): bigint {
  let value = 0n;
  for (let i = 0; i < 4; i++) value = (value << 32n) | BigInt(words[i]! >>> 0);
  return value;
}

/** An IPv6 address from text, a bigint or four words. */
export function toIPv6(input: IPv6Input, out: Uint32Array = new Uint32Array(4)): Uint32Array {
  if (typeof input === "string") {
    if (!input.includes(":")) fail("address-family", input, "an IPv4 address where IPv6 is required");
    return parseIPv6(input, out);
  }
  if (typeof input === "bigint") return wordsFromBigInt(input, out);
  if (input !== null && typeof input === "object" && input.length === 4) {
    for (let i = 0; i < 4; i++) {
      const w = input[i];
      if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        fail("address-range", input, "IPv6 words must be four integers from 0 to 4294967295");
      }
      out[i] = w;
    }
    return out;
  }
  return fail("address-type", input, "expected IPv6 text, a bigint or four 32-bit words");
}

/** Parses an address of either family. Numbers are IPv4, bigints IPv6. */
export function parseAddress(input: AddressInput): Address {
  if (typeof input === "string") {
    if (input.includes(":")) return { family: 6, words: parseIPv6(input) };
    return { family: 4, words: Uint32Array.of(parseIPv4(input)) };
  }
  if (typeof input === "number") return { family: 4, words: Uint32Array.of(checkIPv4Number(input)) };
  if (typeof input === "bigint") return { family: 6, words: wordsFromBigInt(input) };
  return fail("address-type", input, "expected a string, a number (IPv4) or a bigint (IPv6)");
}

/** Formats four words as IPv6 text in the RFC 5952 canonical form. */
export function formatIPv6(words: ArrayLike<number>): string {
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) groups.push(words[i]! >>> 16, words[i]! & 0xffff);
  // IPv4-mapped addresses keep their dotted quad (RFC 5952 §5).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(words[3]! >>> 0)}`;
  }
  // The longest run of two or more zero groups becomes "::" (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Formats an address of either family. */
export function formatAddress(address: Address): string {
  return address.family === 4 ? formatIPv4(address.words[0]!) : formatIPv6(address.words);
}
