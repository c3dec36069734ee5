// JSON lines of export records, written in WebAssembly: the bytes of
// `JSON.stringify(flowJson(decodeExpiredFlow(record)))` (src/show/flow-cache.ts) and a newline,
// for the records whose every value has a plain spelling here: byte counts up to 2^53 − 1, and
// times that are integers or whole microseconds below 2^43 ms (what captures give). Any other
// record is left to the TypeScript writer (src/flow/record.ts), which knows JSON.stringify's
// spelling of every number. Addresses are written as formatIPv4 / formatIPv6 (RFC 5952) write
// them. Offsets are those of flow/state.ts's export record.

import {
  EXPORT_RECORD_BYTES, CAPTURED_FRAGMENT, CAPTURED_ICMP, CAPTURED_MAC, NO_VLAN, TCP_FLAG_BITS, REASON_COUNT, REASON_FLUSH,
  OFF_BYTES, OFF_DIRECTION, OFF_DST, OFF_DST_MAC, OFF_DST_PORT, OFF_END_REASON, OFF_FIRST, OFF_FRAGMENT_OFFSET, OFF_ICMP_CODE, OFF_ICMP_TYPE, OFF_INPUT_VLAN, OFF_INTERFACE, OFF_IP_ID, OFF_LAST, OFF_MAX_LENGTH, OFF_MAX_TTL, OFF_MIN_LENGTH, OFF_MIN_TTL, OFF_OUTPUT_VLAN, OFF_PACKETS, OFF_PROTOCOL, OFF_SRC, OFF_SRC_MAC, OFF_SRC_PORT, OFF_TCP_FLAGS, OFF_TOS, OFF_VERSION,
} from "./state";

/** The most bytes one line takes here: every field, the longest values, the newline. */
export const JSON_LINE_MAX: u32 = 768;


const SAFE_INTEGER_MAX: f64 = 9007199254740991;
const EXACT_THOUSANDTHS_BELOW: f64 = 8796093022208; // 2^43: three-decimal numbers are > 1 ulp apart below it

// Two decimal digits per entry ("00" … "99") and two lowercase hex digits per byte, filled on
// the first call: a number is written two digits per division (by a constant, which the engine
// turns into a multiplication), where one digit per 64-bit division cost most of a line.
const DECIMAL_PAIRS = memory.data(200);
const HEX_PAIRS = memory.data(512);
// The line's constant text as Latin-1 (the strings are UTF-16), copied a word at a time.
const TEXT_BYTES: usize = 768;
const TEXT = memory.data(<i32>TEXT_BYTES);
let textUsed: usize = 0;
let tablesReady = false;

/** Latin-1 bytes of `text` in TEXT, as (offset << 8) | length. */
function latin1(text: string): u32 {
  const n = <usize>text.length;
  const from = changetype<usize>(text);
  for (let i: usize = 0; i < n; i++) store<u8>(TEXT + textUsed + i, load<u16>(from + (i << 1)));
  const packed = (<u32>textUsed << 8) | <u32>n;
  textUsed += n;
  return packed;
}

let T_SRC: u32 = 0;
let T_DST: u32 = 0;
let T_PROTO: u32 = 0;
let T_SPORT: u32 = 0;
let T_DPORT: u32 = 0;
let T_TOS: u32 = 0;
let T_IN_IF: u32 = 0;
let T_PACKETS: u32 = 0;
let T_BYTES: u32 = 0;
let T_FIRST: u32 = 0;
let T_LAST: u32 = 0;
let T_V4_INGRESS: u32 = 0;
let T_V4_EGRESS: u32 = 0;
let T_V6_INGRESS: u32 = 0;
let T_V6_EGRESS: u32 = 0;
let T_MIN_LEN: u32 = 0;
let T_MAX_LEN: u32 = 0;
let T_MIN_TTL: u32 = 0;
let T_MAX_TTL: u32 = 0;
let T_IP_ID: u32 = 0;
let T_ICMP_TYPE: u32 = 0;
let T_ICMP_CODE: u32 = 0;
let T_FRAG: u32 = 0;
let T_SRC_MAC: u32 = 0;
let T_DST_MAC: u32 = 0;
let T_QUOTE: u32 = 0;
let T_IN_VLAN: u32 = 0;
let T_OUT_VLAN: u32 = 0;
let T_END_REASON: u32 = 0;
let T_CLOSE: u32 = 0;
let T_MAPPED: u32 = 0;
const T_REASONS = memory.data(6 * 4);

function prepareTables(): void {
  for (let i: u32 = 0; i < 100; i++) store<u16>(DECIMAL_PAIRS + (<usize>i << 1), (48 + i / 10) | ((48 + i % 10) << 8));
  for (let i: u32 = 0; i < 256; i++) store<u16>(HEX_PAIRS + (<usize>i << 1), <u16>hexDigit(i >>> 4) | (<u16>hexDigit(i & 15) << 8));
  T_SRC = latin1("{\"src\":\"");
  T_DST = latin1("\",\"dst\":\"");
  T_PROTO = latin1("\",\"proto\":");
  T_SPORT = latin1(",\"sport\":");
  T_DPORT = latin1(",\"dport\":");
  T_TOS = latin1(",\"tos\":");
  T_IN_IF = latin1(",\"in_if\":");
  T_PACKETS = latin1(",\"packets\":");
  T_BYTES = latin1(",\"bytes\":");
  T_FIRST = latin1(",\"first_ms\":");
  T_LAST = latin1(",\"last_ms\":");
  T_V4_INGRESS = latin1(",\"ip_version\":4,\"direction\":\"ingress\",\"tcp_flags\":");
  T_V4_EGRESS = latin1(",\"ip_version\":4,\"direction\":\"egress\",\"tcp_flags\":");
  T_V6_INGRESS = latin1(",\"ip_version\":6,\"direction\":\"ingress\",\"tcp_flags\":");
  T_V6_EGRESS = latin1(",\"ip_version\":6,\"direction\":\"egress\",\"tcp_flags\":");
  T_MIN_LEN = latin1(",\"min_len\":");
  T_MAX_LEN = latin1(",\"max_len\":");
  T_MIN_TTL = latin1(",\"min_ttl\":");
  T_MAX_TTL = latin1(",\"max_ttl\":");
  T_IP_ID = latin1(",\"ip_id\":");
  T_ICMP_TYPE = latin1(",\"icmp_type\":");
  T_ICMP_CODE = latin1(",\"icmp_code\":");
  T_FRAG = latin1(",\"frag_offset\":");
  T_SRC_MAC = latin1(",\"src_mac\":\"");
  T_DST_MAC = latin1("\",\"dst_mac\":\"");
  T_QUOTE = latin1("\"");
  T_IN_VLAN = latin1(",\"in_vlan\":");
  T_OUT_VLAN = latin1(",\"out_vlan\":");
  T_END_REASON = latin1(",\"end_reason\":\"");
  T_CLOSE = latin1("\"}");
  T_MAPPED = latin1("::ffff:");
  store<u32>(T_REASONS, latin1("inactive"));
  store<u32>(T_REASONS, latin1("active"), 4);
  store<u32>(T_REASONS, latin1("tcp-end"), 8);
  store<u32>(T_REASONS, latin1("cache-full"), 12);
  store<u32>(T_REASONS, latin1("flush"), 16);
  store<u32>(T_REASONS, latin1("counter-full"), 20);
  assert(textUsed <= TEXT_BYTES);
  tablesReady = true;
}

/** Copies a text of TEXT (see latin1) to `p` in 8-byte words, the last one overlapping: nothing past its end is written. */
// @ts-ignore: decorator
@inline function putText(p: usize, text: u32): usize {
  const from = TEXT + <usize>(text >>> 8);
  const n = <usize>(text & 255);
  if (n >= 8) {
    for (let i: usize = 0; i + 8 < n; i += 8) store<u64>(p + i, load<u64>(from + i));
    store<u64>(p + n - 8, load<u64>(from + n - 8));
  } else if (n >= 4) {
    store<u32>(p, load<u32>(from));
    store<u32>(p + n - 4, load<u32>(from + n - 4));
  } else {
    for (let i: usize = 0; i < n; i++) store<u8>(p + i, load<u8>(from + i));
  }
  return p + n;
}

/** Decimal digits of `v`. */
// @ts-ignore: decorator
@inline function digits32(v: u32): usize {
  if (v < 100000) return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : 5;
  return v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/** Writes the `n` low decimal digits of `v` ending at `end`, two at a time. */
// @ts-ignore: decorator
@inline function putDigitsBackwards(end: usize, v: u32, n: usize): void {
  let e = end;
  let left = n;
  while (left >= 2) {
    const q = v / 100;
    e -= 2;
    store<u16>(e, load<u16>(DECIMAL_PAIRS + (<usize>(v - q * 100) << 1)));
    v = q;
    left -= 2;
  }
  if (left != 0) store<u8>(e - 1, <u8>(48 + v % 10));
}

function putU32(p: usize, value: u32): usize {
  const n = digits32(value);
  putDigitsBackwards(p + n, value, n);
  return p + n;
}

function putU64(p: usize, value: u64): usize {
  if (value <= 0xffffffff) return putU32(p, <u32>value);
  // Eight digits at a time below the top, which is written without leading zeros.
  const high = value / 100000000;
  const low = <u32>(value - high * 100000000);
  p = putU64(p, high);
  putDigitsBackwards(p + 8, low, 8);
  return p + 8;
}

/** A key (with its punctuation) and an unsigned integer value. */
// @ts-ignore: decorator
@inline function putField(p: usize, key: u32, value: u32): usize {
  return putU32(putText(p, key), value);
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
  const fraction = <u32>(total % 1000);
  if (fraction == 0) return p;
  // The thousandths without trailing zeros.
  store<u8>(p, 46);
  store<u8>(p + 1, <u8>(48 + fraction / 100));
  if (fraction % 100 == 0) return p + 2;
  store<u8>(p + 2, <u8>(48 + (fraction / 10) % 10));
  if (fraction % 10 == 0) return p + 3;
  store<u8>(p + 3, <u8>(48 + fraction % 10));
  return p + 4;
}

/** An octet (0 … 255) in decimal. */
// @ts-ignore: decorator
@inline function putOctet(p: usize, v: u32): usize {
  if (v < 10) {
    store<u8>(p, <u8>(48 + v));
    return p + 1;
  }
  if (v < 100) {
    store<u16>(p, load<u16>(DECIMAL_PAIRS + (<usize>v << 1)));
    return p + 2;
  }
  const hundreds = v / 100;
  store<u8>(p, <u8>(48 + hundreds));
  store<u16>(p + 1, load<u16>(DECIMAL_PAIRS + (<usize>(v - hundreds * 100) << 1)));
  return p + 3;
}

function putIPv4(p: usize, w: u32): usize {
  p = putOctet(p, w >>> 24);
  store<u8>(p, 46);
  p = putOctet(p + 1, (w >>> 16) & 255);
  store<u8>(p, 46);
  p = putOctet(p + 1, (w >>> 8) & 255);
  store<u8>(p, 46);
  return putOctet(p + 1, w & 255);
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
    p = putText(p, T_MAPPED);
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
    store<u16>(p, load<u16>(HEX_PAIRS + (<usize>load<u8>(mac + i) << 1)));
    p += 2;
  }
  return p;
}

function putReason(p: usize, reason: u32): usize {
  if (reason >= REASON_COUNT) reason = REASON_FLUSH;
  return putText(p, load<u32>(T_REASONS + (<usize>reason << 2)));
}

/** Writes record `r`'s line (without the newline) at `p`; returns its end, or 0 to decline it. */
function writeRecord(r: usize, p: usize): usize {
  const v6 = load<u8>(r, OFF_VERSION) == 6;
  const bytes = load<u64>(r, OFF_BYTES);
  if (bytes > <u64>SAFE_INTEGER_MAX) return 0;
  const flags = load<u16>(r, OFF_TCP_FLAGS);
  p = putText(p, T_SRC);
  p = v6 ? putIPv6(p, r + OFF_SRC) : putIPv4(p, load<u32>(r, OFF_SRC));
  p = putText(p, T_DST);
  p = v6 ? putIPv6(p, r + OFF_DST) : putIPv4(p, load<u32>(r, OFF_DST));
  p = putField(p, T_PROTO, load<u8>(r, OFF_PROTOCOL));
  p = putField(p, T_SPORT, load<u16>(r, OFF_SRC_PORT));
  p = putField(p, T_DPORT, load<u16>(r, OFF_DST_PORT));
  p = putField(p, T_TOS, load<u8>(r, OFF_TOS));
  p = putField(p, T_IN_IF, load<u32>(r, OFF_INTERFACE));
  p = putField(p, T_PACKETS, load<u32>(r, OFF_PACKETS));
  p = putText(p, T_BYTES);
  p = putU64(p, bytes);
  p = putText(p, T_FIRST);
  p = putNumber(p, load<f64>(r, OFF_FIRST));
  if (p == 0) return 0;
  p = putText(p, T_LAST);
  p = putNumber(p, load<f64>(r, OFF_LAST));
  if (p == 0) return 0;
  const egress = load<u8>(r, OFF_DIRECTION) == 1;
  p = putText(p, v6 ? (egress ? T_V6_EGRESS : T_V6_INGRESS) : egress ? T_V4_EGRESS : T_V4_INGRESS);
  p = putU32(p, flags & TCP_FLAG_BITS);
  p = putField(p, T_MIN_LEN, load<u16>(r, OFF_MIN_LENGTH));
  p = putField(p, T_MAX_LEN, load<u16>(r, OFF_MAX_LENGTH));
  p = putField(p, T_MIN_TTL, load<u8>(r, OFF_MIN_TTL));
  p = putField(p, T_MAX_TTL, load<u8>(r, OFF_MAX_TTL));
  p = putField(p, T_IP_ID, load<u32>(r, OFF_IP_ID));
  if (flags & CAPTURED_ICMP) {
    p = putField(p, T_ICMP_TYPE, load<u8>(r, OFF_ICMP_TYPE));
    p = putField(p, T_ICMP_CODE, load<u8>(r, OFF_ICMP_CODE));
  }
  if (flags & CAPTURED_FRAGMENT) p = putField(p, T_FRAG, load<u16>(r, OFF_FRAGMENT_OFFSET));
  if (flags & CAPTURED_MAC) {
    p = putText(p, T_SRC_MAC);
    p = putMac(p, r + OFF_SRC_MAC);
    p = putText(p, T_DST_MAC);
    p = putMac(p, r + OFF_DST_MAC);
    p = putText(p, T_QUOTE);
  }
  const inputVlan = load<u16>(r, OFF_INPUT_VLAN);
  if (inputVlan != NO_VLAN) p = putField(p, T_IN_VLAN, inputVlan);
  const outputVlan = load<u16>(r, OFF_OUTPUT_VLAN);
  if (outputVlan != NO_VLAN) p = putField(p, T_OUT_VLAN, outputVlan);
  p = putText(p, T_END_REASON);
  p = putReason(p, load<u32>(r, OFF_END_REASON));
  return putText(p, T_CLOSE);
}

/**
 * Writes the JSON lines of up to `count` export records of a ring of `ringRecords` records at
 * `ring`, from record `head`, into `out` (`outBytes` bytes). Stops early when the next line
 * might not fit, or at a record it declines (see the file header). Returns the records written
 * and stores the bytes written as a u32 at `bytesOut`.
 */
export function jsonLines(ring: usize, ringRecords: u32, head: u32, count: u32, out: usize, outBytes: u32, bytesOut: usize): u32 {
  if (!tablesReady) prepareTables();
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
