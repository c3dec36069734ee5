/**
 * Writing ASCII text into byte buffers without building strings: the shared pieces of the
 * byte writers of `dataplane flows` (JSON lines in src/flow/record.ts, the IOS verbose text in
 * src/show/flow-cache.ts). Callers make sure `out` has room.
 */

/** The bytes of ASCII `text` (for constant pieces, made once). */
export const asciiBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Copies `bytes` to `pos`; returns the position after them. */
export function putBytes(out: Uint8Array, pos: number, bytes: Uint8Array): number {
  out.set(bytes, pos);
  return pos + bytes.length;
}

/** Writes ASCII `text` (addresses, numbers as String writes them). */
export function putAscii(out: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[pos + i] = text.charCodeAt(i);
  return pos + text.length;
}

/**
 * Writes a non-negative integer in decimal as String (and JSON.stringify) writes it,
 * right-aligned in `width` with `fill` (String(v).padStart(width, fill)); past 2^53, where
 * String writes the shortest decimal that reads back as the double, through String.
 */
export function putUint(out: Uint8Array, pos: number, value: number, width = 0, fill = 32): number {
  if (value > Number.MAX_SAFE_INTEGER) {
    const text = String(value);
    for (let i = text.length; i < width; i++) out[pos++] = fill;
    return putAscii(out, pos, text);
  }
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  for (let i = digits; i < width; i++) out[pos++] = fill;
  let v = value;
  for (let i = pos + digits - 1; i >= pos; i--) {
    const next = Math.floor(v / 10);
    out[i] = 48 + (v - next * 10);
    v = next;
  }
  return pos + digits;
}
