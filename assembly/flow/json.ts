// JSON lines of export records, written in WebAssembly: the bytes of
// `JSON.stringify(flowJson(decodeExpiredFlow(record)))` (src/show/flow-cache.ts) and a newline,
// for the records whose every value has a plain spelling here: byte counts up to 2^53 − 1, and
// times that are integers or whole microseconds below 2^43 ms (what captures give). Any other
// record is left to the TypeScript writer (src/flow/record.ts), which knows JSON.stringify's
// spelling of every number. Addresses are written as formatIPv4 / formatIPv6 (RFC 5952) write
// them. Offsets are those of flow/state.ts's export record.

import { EXPORT_RECORD_BYTES } from "./state";

/** The most bytes one line takes here: every field, the longest values, the newline. */
export const JSON_LINE_MAX: u32 = 768;


const CAPTURED_FRAGMENT: u16 = 0x1000;
const CAPTURED_ICMP: u16 = 0x2000;
const CAPTURED_MAC: u16 = 0x4000;
const NO_VLAN: u16 = 0xffff;
const REASONS_KNOWN: u32 = 6;
const REASON_FLUSH: u32 = 4;
const SAFE_INTEGER_MAX: f64 = 9007199254740991;
const EXACT_THOUSANDTHS_BELOW: f64 = 8796093022208; // 2^43: three-decimal numbers are > 1 ulp apart below it

// @ts-ignore: decorator
@inline function putAscii(p: usize, text: string): usize {
  const from = changetype<usize>(text);
  const n = <usize>text.length;
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, load<u16>(from + (i << 1)));
  return p + n;
}

function putU64(p: usize, value: u64): usize {
  let digits: usize = 1;
  for (let v = value; v >= 10; v /= 10) digits++;
  let v = value;
  for (let i = digits; i > 0; i--) {
    const next = v / 10;
    store<u8>(p + i - 1, <u8>(48 + (v - next * 10)));
    v = next;
  }
  return p + digits;
}

// @ts-ignore: decorator
@inline function putU32(p: usize, value: u32): usize {
  return putU64(p, <u64>value);
}

/** A key (with its punctuation) and an unsigned integer value. */
// @ts-ignore: decorator
@inline function putField(p: usize, key: string, value: u32): usize {
  return putU32(putAscii(p, key), value);
}

/**
 * Writes `value` as JSON.stringify would, or returns 0 when its spelling is not the plain one
 * (then the record goes to the TypeScript writer): non-negative safe integers, and numbers
 * below 2^43 that are a whole number of thousandths (k / 1000 reads back as the value, and no
 * shorter decimal does, since such numbers are more than an ulp apart). Ties of the rounding
 * fail the check, as they do in TypeScript, so both writers agree on what they write.
 */
function putNumber(p: usize, value: f64): usize {
  if (value >= 0 && value <= SAFE_INTEGER_MAX && value == Math.trunc(value)) return putU64(p, <u64>value);
  const magnitude = Math.abs(value);
  if (!(magnitude < EXACT_THOUSANDTHS_BELOW)) return 0;
  const thousandths = nearest<f64>(magnitude * 1000);
  if (thousandths / 1000 != magnitude) return 0;
  if (value < 0) {
    store<u8>(p, 45);
    p++;
  }
  const total = <u64>thousandths;
  p = putU64(p, total / 1000);
  let fraction = <u32>(total % 1000);
  if (fraction == 0) return p;
  store<u8>(p, 46);
  p++;
  for (let unit: u32 = 100; fraction > 0; unit /= 10) {
    const digit = fraction / unit;
    store<u8>(p, <u8>(48 + digit));
    p++;
    fraction -= digit * unit;
  }
  return p;
}

function putIPv4(p: usize, w: u32): usize {
  p = putU32(p, w >>> 24);
  store<u8>(p, 46);
  p = putU32(p + 1, (w >>> 16) & 255);
  store<u8>(p, 46);
  p = putU32(p + 1, (w >>> 8) & 255);
  store<u8>(p, 46);
  return putU32(p + 1, w & 255);
}

// @ts-ignore: decorator
@inline function group(a: usize, i: u32): u32 {
  const word = load<u32>(a + (<usize>(i >> 1) << 2));
  return i & 1 ? word & 0xffff : word >>> 16;
}

function putHex(p: usize, value: u32): usize {
  let digits: usize = 1;
  for (let v = value >>> 4; v != 0; v >>>= 4) digits++;
  for (let i = digits; i > 0; i--) {
    store<u8>(p + i - 1, hexDigit(value & 15));
    value >>>= 4;
  }
  return p + digits;
}

/**
 * The IPv6 address of four words (most significant first) at `a`, in RFC 5952 text: lowercase
 * hex without leading zeros, the longest run of two or more zero groups (the first on a tie)
 * as "::", and an IPv4-mapped address with its dotted quad.
 */
function putIPv6(p: usize, a: usize): usize {
  if (load<u32>(a) == 0 && load<u32>(a, 4) == 0 && load<u32>(a, 8) == 0xffff) {
    p = putAscii(p, "::ffff:");
    return putIPv4(p, load<u32>(a, 12));
  }
  let bestStart: i32 = -1;
  let bestLength: u32 = 1;
  for (let i: u32 = 0; i < 8;) {
    if (group(a, i) != 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && group(a, j) == 0) j++;
    if (j - i > bestLength) {
      bestStart = <i32>i;
      bestLength = j - i;
    }
    i = j;
  }
  for (let i: u32 = 0; i < 8; i++) {
    if (<i32>i == bestStart) {
      store<u8>(p, 58);
      store<u8>(p + 1, 58);
      p += 2;
      i += bestLength - 1;
      continue;
    }
    if (i > 0 && <i32>i != bestStart + <i32>bestLength) {
      store<u8>(p, 58);
      p++;
    }
    p = putHex(p, group(a, i));
  }
  return p;
}

// @ts-ignore: decorator
@inline function hexDigit(d: u32): u8 {
  return <u8>(d < 10 ? 48 + d : 87 + d);
}

function putMac(p: usize, mac: usize): usize {
  for (let i: usize = 0; i < 6; i++) {
    if (i > 0) {
      store<u8>(p, 58);
      p++;
    }
    const b = <u32>load<u8>(mac + i);
    store<u8>(p, hexDigit(b >>> 4));
    store<u8>(p + 1, hexDigit(b & 15));
    p += 2;
  }
  return p;
}

function putReason(p: usize, reason: u32): usize {
  if (reason >= REASONS_KNOWN) reason = REASON_FLUSH;
  if (reason == 0) return putAscii(p, "inactive");
  if (reason == 1) return putAscii(p, "active");
  if (reason == 2) return putAscii(p, "tcp-end");
  if (reason == 3) return putAscii(p, "cache-full");
  if (reason == 4) return putAscii(p, "flush");
  return putAscii(p, "counter-full");
}

/** Writes record `r`'s line (without the newline) at `p`; returns its end, or 0 to decline it. */
function writeRecord(r: usize, p: usize): usize {
  const v6 = load<u8>(r, 38) == 6;
  const bytes = load<u64>(r, 56);
  if (bytes > <u64>SAFE_INTEGER_MAX) return 0;
  const flags = load<u16>(r, 106);
  p = putAscii(p, "{\"src\":\"");
  p = v6 ? putIPv6(p, r) : putIPv4(p, load<u32>(r));
  p = putAscii(p, "\",\"dst\":\"");
  p = v6 ? putIPv6(p, r + 16) : putIPv4(p, load<u32>(r, 16));
  p = putField(p, "\",\"proto\":", load<u8>(r, 36));
  p = putField(p, ",\"sport\":", load<u16>(r, 32));
  p = putField(p, ",\"dport\":", load<u16>(r, 34));
  p = putField(p, ",\"tos\":", load<u8>(r, 37));
  p = putField(p, ",\"in_if\":", load<u32>(r, 40));
  p = putField(p, ",\"packets\":", load<u32>(r, 52));
  p = putAscii(p, ",\"bytes\":");
  p = putU64(p, bytes);
  p = putAscii(p, ",\"first_ms\":");
  p = putNumber(p, load<f64>(r, 64));
  if (p == 0) return 0;
  p = putAscii(p, ",\"last_ms\":");
  p = putNumber(p, load<f64>(r, 72));
  if (p == 0) return 0;
  p = putAscii(p, v6 ? ",\"ip_version\":6,\"direction\":\"" : ",\"ip_version\":4,\"direction\":\"");
  p = load<u8>(r, 39) == 1 ? putAscii(p, "egress") : putAscii(p, "ingress");
  p = putField(p, "\",\"tcp_flags\":", flags & 0x0fff);
  p = putField(p, ",\"min_len\":", load<u16>(r, 84));
  p = putField(p, ",\"max_len\":", load<u16>(r, 86));
  p = putField(p, ",\"min_ttl\":", load<u8>(r, 108));
  p = putField(p, ",\"max_ttl\":", load<u8>(r, 109));
  p = putField(p, ",\"ip_id\":", load<u32>(r, 80));
  if (flags & CAPTURED_ICMP) {
    p = putField(p, ",\"icmp_type\":", load<u8>(r, 110));
    p = putField(p, ",\"icmp_code\":", load<u8>(r, 111));
  }
  if (flags & CAPTURED_FRAGMENT) p = putField(p, ",\"frag_offset\":", load<u16>(r, 104));
  if (flags & CAPTURED_MAC) {
    p = putAscii(p, ",\"src_mac\":\"");
    p = putMac(p, r + 88);
    p = putAscii(p, "\",\"dst_mac\":\"");
    p = putMac(p, r + 94);
    p = putAscii(p, "\"");
  }
  const inputVlan = load<u16>(r, 100);
  if (inputVlan != NO_VLAN) p = putField(p, ",\"in_vlan\":", inputVlan);
  const outputVlan = load<u16>(r, 102);
  if (outputVlan != NO_VLAN) p = putField(p, ",\"out_vlan\":", outputVlan);
  p = putAscii(p, ",\"end_reason\":\"");
  p = putReason(p, load<u32>(r, 44));
  return putAscii(p, "\"}");
}

/**
 * Writes the JSON lines of up to `count` export records of a ring of `ringRecords` records at
 * `ring`, from record `head`, into `out` (`outBytes` bytes). Stops early when the next line
 * might not fit, or at a record it declines (see the file header). Returns the records written
 * and stores the bytes written as a u32 at `bytesOut`.
 */
export function jsonLines(ring: usize, ringRecords: u32, head: u32, count: u32, out: usize, outBytes: u32, bytesOut: usize): u32 {
  let p = out;
  const end = out + <usize>outBytes;
  let written: u32 = 0;
  let index = head;
  while (written < count && end - p >= <usize>JSON_LINE_MAX) {
    const q = writeRecord(ring + <usize>index * EXPORT_RECORD_BYTES, p);
    if (q == 0) break;
    store<u8>(q, 10);
    p = q + 1;
    written++;
    index++;
    if (index == ringRecords) index = 0;
  }
  store<u32>(bytesOut, <u32>(p - out));
  return written;
}
