/** MAC addresses: `00:1a:2b:3c:4d:5e`, `00-1a-2b-3c-4d-5e` or Cisco's `001a.2b3c.4d5e`. */

import { MacError, describe } from "../errors.js";

/** A MAC address as text or six bytes. */
export type MacInput = string | ArrayLike<number>;

const SEPARATED = /^([0-9a-fA-F]{2})([:-])([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})$/;
const DOTTED = /^([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})$/;

/** Parses a MAC address into six bytes. */
export function parseMac(input: MacInput): Uint8Array {
  if (typeof input === "string") {
    const separated = SEPARATED.exec(input);
    if (separated) {
      return Uint8Array.from([1, 3, 4, 5, 6, 7].map((i) => parseInt(separated[i]!, 16)));
    }
    const dotted = DOTTED.exec(input);
    if (dotted) {
      const bytes = new Uint8Array(6);
      for (let i = 0; i < 3; i++) {
        const group = parseInt(dotted[i + 1]!, 16);
        bytes[2 * i] = group >>> 8;
        bytes[2 * i + 1] = group & 255;
      }
      return bytes;
    }
    throw new MacError("mac-syntax", `invalid MAC address ${describe(input)}: expected aa:bb:cc:dd:ee:ff or aabb.ccdd.eeff`, input);
  }
  if (input !== null && typeof input === "object" && input.length === 6) {
    const bytes = new Uint8Array(6);
    for (let i = 0; i < 6; i++) {
      const b = input[i];
      if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) break;
      bytes[i] = b;
      if (i === 5) return bytes;
    }
  }
  throw new MacError("mac-type", `invalid MAC address ${describe(input)}: expected text or six bytes`, input);
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** `aa:bb:cc:dd:ee:ff`. */
export function formatMac(bytes: ArrayLike<number>): string {
  const b = bytes;
  return `${HEX2[b[0]!]}:${HEX2[b[1]!]}:${HEX2[b[2]!]}:${HEX2[b[3]!]}:${HEX2[b[4]!]}:${HEX2[b[5]!]}`;
}

/** Cisco's dotted form, `aabb.ccdd.eeff`, as in `show arp`. */
export function formatMacCisco(bytes: ArrayLike<number>): string {
  const b = bytes;
  return `${HEX2[b[0]!]}${HEX2[b[1]!]}.${HEX2[b[2]!]}${HEX2[b[3]!]}.${HEX2[b[4]!]}${HEX2[b[5]!]}`;
}

/**
 * Any MAC text in Cisco's dotted form; the lower-case colon form that {@link formatMac} writes
 * (what decoded flow records carry) is rearranged without parsing.
 */
export function macTextToCisco(text: string): string {
  if (text.length === 17 && text[2] === ":" && text === text.toLowerCase() && SEPARATED.test(text)) {
    return `${text.slice(0, 2)}${text.slice(3, 5)}.${text.slice(6, 8)}${text.slice(9, 11)}.${text.slice(12, 14)}${text.slice(15, 17)}`;
  }
  return formatMacCisco(parseMac(text));
}
