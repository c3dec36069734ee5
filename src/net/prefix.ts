/** Prefixes (`10.1.0.0/16`, `2001:db8::/32`): parsing with exact errors, and formatting. */

import { PrefixError, AddressError, describe } from "../errors.js";
import { type AddressInput, type Family, parseAddress, formatIPv4, formatIPv6, tryParseIPv4, parseIPv6 } from "./address.js";

/** A validated prefix: family, address words (host bits zero) and length. */
export interface Prefix {
  family: Family;
  /** One word (IPv4) or four (IPv6), most significant first. */
  words: Uint32Array;
  length: number;
}

/** A prefix as CIDR text, or as an address and a length. */
export type PrefixInput = string | { address: AddressInput; length: number };

function fail(code: string, value: unknown, why: string): never {
  throw new PrefixError(code, `invalid prefix ${describe(value)}: ${why}`, value);
}

/** Maximum prefix length of a family. */
export function maxLength(family: Family): number {
  return family === 4 ? 32 : 128;
}

/**
 * Parses and validates a prefix. `family`, when given, is required of it.
 * @throws PrefixError naming the value: bad syntax, length out of range, host bits set, wrong family.
 */
export function parsePrefix(input: PrefixInput, family?: Family): Prefix {
  let words: Uint32Array;
  let prefixFamily: Family;
  let length: number;
  if (typeof input === "string") {
    const slash = input.indexOf("/");
    if (slash === -1) fail("prefix-syntax", input, "expected address/length, like 10.0.0.0/8");
    const text = input.slice(0, slash);
    const lengthText = input.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText)) fail("prefix-syntax", input, "the length must be a decimal number");
    length = Number(lengthText);
    if (text.includes(":")) {
      prefixFamily = 6;
      try {
        words = parseIPv6(text);
      } catch (error) {
        if (error instanceof AddressError) fail("prefix-syntax", input, error.message.replace(/^invalid address /, "address "));
        throw error;
      }
    } else {
      prefixFamily = 4;
      const value = tryParseIPv4(text);
      if (value === undefined) fail("prefix-syntax", input, "the address must be four decimal octets 0-255");
      words = Uint32Array.of(value);
    }
  } else if (input !== null && typeof input === "object" && "address" in input && "length" in input) {
    let address: ReturnType<typeof parseAddress>;
    try {
      address = parseAddress(input.address);
    } catch (error) {
      if (error instanceof AddressError) fail("prefix-syntax", input, error.message.replace(/^invalid address /, "address "));
      throw error;
    }
    prefixFamily = address.family;
    words = address.words;
    length = input.length;
    if (typeof length !== "number" || !Number.isInteger(length)) fail("prefix-length", input, "the length must be an integer");
  } else {
    return fail("prefix-type", input, "expected CIDR text or { address, length }");
  }
  if (family !== undefined && family !== prefixFamily) {
    fail("prefix-family", input, `an IPv${prefixFamily} prefix where IPv${family} is required`);
  }
  const max = maxLength(prefixFamily);
  if (length < 0 || length > max) fail("prefix-length", input, `the length must be 0 to ${max} for IPv${prefixFamily}`);
  if (hasHostBits(words, length)) {
    const network = { family: prefixFamily, words: networkWords(words, length), length };
    fail("prefix-host-bits", input, `host bits are set (the network is ${formatPrefix(network)})`);
  }
  return { family: prefixFamily, words, length };
}

/** True when any bit beyond `length` is set. */
export function hasHostBits(words: ArrayLike<number>, length: number): boolean {
  for (let i = 0; i < words.length; i++) {
    const first = i * 32;
    const word = words[i]! >>> 0;
    if (length <= first) {
      if (word !== 0) return true;
    } else if (length < first + 32 && (word & (0xffffffff >>> (length - first))) !== 0) return true;
  }
  return false;
}

/** The words with every bit beyond `length` cleared. */
export function networkWords(words: ArrayLike<number>, length: number): Uint32Array {
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const first = i * 32;
    const word = words[i]! >>> 0;
    if (length >= first + 32) out[i] = word;
    else if (length > first) out[i] = (word & ~(0xffffffff >>> (length - first))) >>> 0;
  }
  return out;
}

/** CIDR text of a prefix. */
export function formatPrefix(prefix: Prefix): string {
  const address = prefix.family === 4 ? formatIPv4(prefix.words[0]!) : formatIPv6(prefix.words);
  return `${address}/${prefix.length}`;
}
