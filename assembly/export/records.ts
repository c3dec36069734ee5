// Data records of the NetFlow v5, v9 and IPFIX exports, written straight from 128-byte export
// records (layout in flow/state.ts) in the field order of templates.ts. A measured hot loop:
// fixed offsets, one store per field, no branch that the format or IP version decides at run
// time (the callers pass constants and these functions are inlined).

import {
  OFF_SRC, OFF_DST, OFF_SRC_PORT, OFF_DST_PORT, OFF_PROTOCOL, OFF_TOS, OFF_DIRECTION, OFF_INTERFACE, OFF_PACKETS,
  OFF_BYTES, OFF_FIRST, OFF_LAST, OFF_IP_ID, OFF_MIN_LENGTH, OFF_MAX_LENGTH, OFF_SRC_MAC, OFF_DST_MAC,
  OFF_INPUT_VLAN, OFF_OUTPUT_VLAN, OFF_FRAGMENT_OFFSET, OFF_TCP_FLAGS, OFF_MIN_TTL, OFF_MAX_TTL, OFF_ICMP_TYPE,
  OFF_ICMP_CODE, OFF_END_REASON, OFF_VERSION, CAPTURED_FRAGMENT, CAPTURED_ICMP, CAPTURED_MAC, TCP_FLAG_BITS, REASON_COUNT,
} from "../flow/state";
import { be8, be16, be32, be64 } from "./wire";

const NO_VLAN: u32 = 0xffff;
/** IPFIX flowEndReason (RFC 7012 IE 136) for each end reason of flow/state.ts. */
const END_REASON_IPFIX: u64 =
  // inactive → 1 idle timeout, active → 2 active timeout, tcp-end → 3 end of flow detected,
  // cache-full → 5 lack of resources, flush → 4 forced end, counter-full → 5 lack of resources
  (<u64>1) | ((<u64>2) << 8) | ((<u64>3) << 16) | ((<u64>5) << 24) | ((<u64>4) << 32) | ((<u64>5) << 40);

/** IPFIX flowEndReason of export record `r`. */
// @ts-ignore: decorator
@inline export function endReasonCode(r: usize): u32 {
  const reason = load<u32>(r, OFF_END_REASON);
  return reason < REASON_COUNT ? <u32>((END_REASON_IPFIX >> (<u64>reason << 3)) & 0xff) : 4;
}

/** Largest |ms| converted: beyond it (or NaN, from records not made by a cache) the time is 0, never a trap. */
const TIME_LIMIT: f64 = 9.0e18;

/** Whole milliseconds of a time (f64 ms), as a signed 64-bit count (exact for any date). */
// @ts-ignore: decorator
@inline export function wholeMs(time: f64): i64 {
  const whole = Math.floor(time);
  return whole > -TIME_LIMIT && whole < TIME_LIMIT ? <i64>whole : 0;
}

/** An address of `v6 ? 16 : 4` bytes in network order from four little-endian words. */
// @ts-ignore: decorator
@inline function writeAddress(p: usize, r: usize, from: usize, v6: bool): void {
  be32(p, load<u32>(r + from), 0);
  if (v6) {
    be32(p, load<u32>(r + from, 4), 4);
    be32(p, load<u32>(r + from, 8), 8);
    be32(p, load<u32>(r + from, 12), 12);
  }
}

/**
 * Whether export record `r` fits the compact templates (templates.ts): not ICMP, no VLAN, no
 * fragment (its ICMP, VLAN and fragment offset fields would all be zero), octets below 2^32,
 * an input interface below 2^16, and for IPv4 an IP id of 16 bits.
 */
// @ts-ignore: decorator
@inline export function fitsCompact(r: usize): bool {
  const flags = <u32>load<u16>(r, OFF_TCP_FLAGS);
  const inputVlan = <u32>load<u16>(r, OFF_INPUT_VLAN);
  const outputVlan = <u32>load<u16>(r, OFF_OUTPUT_VLAN);
  return (flags & (CAPTURED_ICMP | CAPTURED_FRAGMENT)) == 0
    && (inputVlan == NO_VLAN || inputVlan == 0) && (outputVlan == NO_VLAN || outputVlan == 0)
    && load<u64>(r, OFF_BYTES) <= 0xffffffff && load<u32>(r, OFF_INTERFACE) <= 0xffff
    && (load<u8>(r, OFF_VERSION) == 6 || load<u32>(r, OFF_IP_ID) <= 0xffff);
}

/**
 * Writes the v9 (`ipfix` false) or IPFIX data record of export record `r` at `p`, in the full
 * or (`compact`, for a record that fitsCompact) the compact template; `samplerId` is written
 * when `sampled`; `boot` is the v9 sysUpTime origin (whole ms). Returns its bytes.
 */
// @ts-ignore: decorator
@inline export function writeFlowRecord(p: usize, r: usize, ipfix: bool, v6: bool, compact: bool, sampled: bool, samplerId: u32, boot: i64): u32 {
  const a: usize = v6 ? 32 : 8;
  writeAddress(p, r, OFF_SRC, v6);
  writeAddress(p + (v6 ? 16 : 4), r, OFF_DST, v6);
  const flags = <u32>load<u16>(r, OFF_TCP_FLAGS);
  let q = p + a;
  if (!compact) {
    let icmpType: u32 = 0;
    let icmpCode: u32 = 0;
    if (flags & CAPTURED_ICMP) {
      icmpType = <u32>load<u8>(r, OFF_ICMP_TYPE);
      icmpCode = <u32>load<u8>(r, OFF_ICMP_CODE);
    }
    // Four-byte groups in one store each (a measured hot loop): ICMP type·code, type, code.
    store<u32>(q, icmpType | (icmpCode << 8) | (icmpType << 16) | (icmpCode << 24));
    q += 4;
  }
  // The two ports; protocol, ToS, direction, end reason.
  store<u32>(q, <u32>bswap<u16>(load<u16>(r, OFF_SRC_PORT)) | (<u32>bswap<u16>(load<u16>(r, OFF_DST_PORT)) << 16));
  store<u32>(
    q,
    <u32>load<u8>(r, OFF_PROTOCOL) | (<u32>load<u8>(r, OFF_TOS) << 8) | (<u32>load<u8>(r, OFF_DIRECTION) << 16) | (endReasonCode(r) << 24),
    4,
  );
  if (compact) {
    be16(q, load<u32>(r, OFF_INTERFACE), 8);
    be32(q, load<u32>(r, OFF_PACKETS), 10);
    be32(q, <u32>load<u64>(r, OFF_BYTES), 14);
    q += 18;
  } else {
    be32(q, load<u32>(r, OFF_INTERFACE), 8);
    be32(q, load<u32>(r, OFF_PACKETS), 12);
    be64(q, load<u64>(r, OFF_BYTES), 16);
    q += 24;
  }
  const first = wholeMs(load<f64>(r, OFF_FIRST));
  const last = wholeMs(load<f64>(r, OFF_LAST));
  if (ipfix) {
    be64(q, <u64>(first < 0 ? 0 : first), 0);
    be64(q, <u64>(last < 0 ? 0 : last), 8);
  } else {
    // sysUpTime milliseconds modulo 2^32 (RFC 3954 §5.2): the collector subtracts modulo 2^32.
    be32(q, <u32>(first - boot), 0);
    be32(q, <u32>(last - boot), 4);
  }
  let b = q + (ipfix ? 16 : 8);
  if (flags & CAPTURED_MAC) {
    store<u64>(b, load<u64>(r, OFF_SRC_MAC));
    store<u32>(b, load<u32>(r, OFF_SRC_MAC + 8), 8);
  } else {
    store<u64>(b, 0);
    store<u32>(b, 0, 8);
  }
  b += 12;
  if (!compact) {
    const inputVlan = <u32>load<u16>(r, OFF_INPUT_VLAN);
    const outputVlan = <u32>load<u16>(r, OFF_OUTPUT_VLAN);
    store<u32>(b, <u32>bswap<u16>(<u16>(inputVlan == NO_VLAN ? 0 : inputVlan)) | (<u32>bswap<u16>(<u16>(outputVlan == NO_VLAN ? 0 : outputVlan)) << 16));
    b += 4;
  }
  store<u16>(b, load<u16>(r, OFF_MIN_TTL)); // minimum then maximum TTL, bytes in record order
  store<u32>(b, <u32>bswap<u16>(load<u16>(r, OFF_MIN_LENGTH)) | (<u32>bswap<u16>(load<u16>(r, OFF_MAX_LENGTH)) << 16), 2);
  b += 6;
  if (!compact) {
    be16(b, flags & CAPTURED_FRAGMENT ? <u32>load<u16>(r, OFF_FRAGMENT_OFFSET) : 0, 0);
    b += 2;
  }
  if (compact && !v6) {
    be16(b, load<u32>(r, OFF_IP_ID), 0);
    b += 2;
  } else {
    be32(b, load<u32>(r, OFF_IP_ID), 0);
    b += 4;
  }
  if (ipfix) be16(b, flags & TCP_FLAG_BITS, 0);
  else be8(b, flags & 0xff, 0);
  const end = b + (ipfix ? 2 : 1);
  if (sampled) be8(end, samplerId, 0);
  return <u32>(end + (sampled ? 1 : 0) - p);
}

/** Bytes of a NetFlow v5 header and record. */
export const V5_HEADER_BYTES: u32 = 24;
export const V5_RECORD_BYTES: u32 = 48;
/** Records in a full v5 datagram (Cisco's limit). */
export const V5_MAX_RECORDS: u32 = 30;

/** Writes the NetFlow v5 record of IPv4 export record `r` at `p` (48 bytes). */
// @ts-ignore: decorator
@inline export function writeV5Record(p: usize, r: usize, boot: i64): void {
  be32(p, load<u32>(r, OFF_SRC), 0);
  be32(p, load<u32>(r, OFF_DST), 4);
  store<u64>(p, 0, 8); // next hop; input and output interface are written over bytes 12–15 next
  const input = load<u32>(r, OFF_INTERFACE);
  be16(p, input > 0xffff ? 0xffff : input, 12);
  be32(p, load<u32>(r, OFF_PACKETS), 16);
  const octets = load<u64>(r, OFF_BYTES);
  be32(p, octets > 0xffffffff ? 0xffffffff : <u32>octets, 20);
  be32(p, <u32>(wholeMs(load<f64>(r, OFF_FIRST)) - boot), 24);
  be32(p, <u32>(wholeMs(load<f64>(r, OFF_LAST)) - boot), 28);
  be16(p, <u32>load<u16>(r, OFF_SRC_PORT), 32);
  be16(p, <u32>load<u16>(r, OFF_DST_PORT), 34);
  be8(p, 0, 36);
  be8(p, <u32>load<u16>(r, OFF_TCP_FLAGS) & 0xff, 37);
  be8(p, <u32>load<u8>(r, OFF_PROTOCOL), 38);
  be8(p, <u32>load<u8>(r, OFF_TOS), 39);
  store<u64>(p, 0, 40); // source and destination AS, masks, padding
}
