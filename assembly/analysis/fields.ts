// The fields of a flow that top talkers aggregate, match and sort on, read in place from a flow
// record (layout in flow/state.ts). Each field reads as a value of up to 128 bits (`valueHigh`,
// `valueLow`, compared as one unsigned number) and a tag (the IP version for addresses and
// prefixes, 0 otherwise), or as absent: "flows lacking the aggregation field do not match"
// (seed spec §1.18). Addresses are left-aligned in the 128 bits (an IPv4 address in the top 32),
// so that one prefix mask serves both families. The field numbers are mirrored in
// src/analysis/top-fields.ts.

import {
  OFF_SRC, OFF_DST, OFF_SRC_PORT, OFF_DST_PORT, OFF_PROTOCOL, OFF_TOS, OFF_VERSION, OFF_DIRECTION, OFF_INTERFACE,
  OFF_PACKETS, OFF_BYTES, OFF_MIN_LENGTH, OFF_MAX_LENGTH, OFF_SRC_MAC, OFF_DST_MAC, OFF_INPUT_VLAN, OFF_OUTPUT_VLAN,
  OFF_FRAGMENT_OFFSET, OFF_TCP_FLAGS, OFF_MIN_TTL, OFF_MAX_TTL, OFF_ICMP_TYPE, OFF_ICMP_CODE, CAPTURED_FRAGMENT,
  CAPTURED_ICMP, CAPTURED_MAC, TCP_FLAG_BITS,
} from "../flow/state";

export const FIELD_SOURCE_ADDRESS: u32 = 0;
export const FIELD_DESTINATION_ADDRESS: u32 = 1;
export const FIELD_SOURCE_PREFIX: u32 = 2;
export const FIELD_DESTINATION_PREFIX: u32 = 3;
export const FIELD_SOURCE_PORT: u32 = 4;
export const FIELD_DESTINATION_PORT: u32 = 5;
export const FIELD_PROTOCOL: u32 = 6;
export const FIELD_TOS: u32 = 7;
export const FIELD_INPUT_INTERFACE: u32 = 8;
export const FIELD_OUTPUT_INTERFACE: u32 = 9;
export const FIELD_SOURCE_VLAN: u32 = 10;
export const FIELD_DESTINATION_VLAN: u32 = 11;
export const FIELD_SOURCE_MAC: u32 = 12;
export const FIELD_DESTINATION_MAC: u32 = 13;
export const FIELD_ICMP: u32 = 14;
export const FIELD_MIN_TTL: u32 = 15;
export const FIELD_MAX_TTL: u32 = 16;
export const FIELD_MIN_PACKET_LENGTH: u32 = 17;
export const FIELD_MAX_PACKET_LENGTH: u32 = 18;
export const FIELD_FRAGMENT_OFFSET: u32 = 19;
export const FIELD_TCP_FLAGS: u32 = 20;
export const FIELD_BYTES: u32 = 21;
export const FIELD_PACKETS: u32 = 22;
export const FIELD_COUNT: u32 = 23;

const NO_VLAN: u16 = 0xffff;

/** The value read by the last successful `fieldRead`. */
export let valueHigh: u64 = 0;
export let valueLow: u64 = 0;
export let valueTag: u32 = 0;

// @ts-ignore: decorator
@inline function bswap32(x: u32): u32 {
  return bswap<u32>(x);
}

/** Address at `e + offset` as 128 bits, most significant word first; IPv4 in the top 32 bits. */
// @ts-ignore: decorator
@inline function readAddress(e: usize, offset: u32, version: u32): void {
  const w0 = <u64>load<u32>(e + offset);
  if (version == 4) {
    valueHigh = w0 << 32;
    valueLow = 0;
  } else {
    valueHigh = (w0 << 32) | <u64>load<u32>(e + offset, 4);
    valueLow = ((<u64>load<u32>(e + offset, 8)) << 32) | <u64>load<u32>(e + offset, 12);
  }
  valueTag = version;
}

/** A MAC (six bytes in wire order) as a 48-bit number, first byte most significant. */
// @ts-ignore: decorator
@inline function readMac(e: usize, offset: u32): u64 {
  return ((<u64>bswap32(load<u32>(e + offset))) << 16) | <u64>bswap<u16>(load<u16>(e + offset, 4));
}

// @ts-ignore: decorator
@inline function scalar(value: u64): bool {
  valueHigh = 0;
  valueLow = value;
  valueTag = 0;
  return true;
}

// @ts-ignore: decorator
@inline function hasPorts(e: usize): bool {
  const protocol = load<u8>(e, OFF_PROTOCOL);
  return protocol == 6 || protocol == 17;
}

/**
 * Reads field `field` of the flow record at `e` into valueHigh/valueLow/valueTag; false when
 * the flow lacks it. Prefixes are the address under the flow's mask, which is /0: this cache
 * keeps no routing information (IOS prints such masks as `/0`).
 */
export function fieldRead(e: usize, field: u32): bool {
  const version = <u32>load<u8>(e, OFF_VERSION);
  switch (field) {
    case FIELD_SOURCE_ADDRESS: readAddress(e, OFF_SRC, version); return true;
    case FIELD_DESTINATION_ADDRESS: readAddress(e, OFF_DST, version); return true;
    case FIELD_SOURCE_PREFIX:
    case FIELD_DESTINATION_PREFIX: valueHigh = 0; valueLow = 0; valueTag = version; return true;
    case FIELD_SOURCE_PORT: return hasPorts(e) && scalar(<u64>load<u16>(e, OFF_SRC_PORT));
    case FIELD_DESTINATION_PORT: return hasPorts(e) && scalar(<u64>load<u16>(e, OFF_DST_PORT));
    case FIELD_PROTOCOL: return scalar(<u64>load<u8>(e, OFF_PROTOCOL));
    case FIELD_TOS: return scalar(<u64>load<u8>(e, OFF_TOS));
    case FIELD_INPUT_INTERFACE: return load<u8>(e, OFF_DIRECTION) == 0 && scalar(<u64>load<u32>(e, OFF_INTERFACE));
    case FIELD_OUTPUT_INTERFACE: return load<u8>(e, OFF_DIRECTION) == 1 && scalar(<u64>load<u32>(e, OFF_INTERFACE));
    case FIELD_SOURCE_VLAN: {
      const vlan = load<u16>(e, OFF_INPUT_VLAN);
      return vlan != NO_VLAN && scalar(<u64>vlan);
    }
    case FIELD_DESTINATION_VLAN: {
      const vlan = load<u16>(e, OFF_OUTPUT_VLAN);
      return vlan != NO_VLAN && scalar(<u64>vlan);
    }
    case FIELD_SOURCE_MAC: return (load<u16>(e, OFF_TCP_FLAGS) & CAPTURED_MAC) != 0 && scalar(readMac(e, OFF_SRC_MAC));
    case FIELD_DESTINATION_MAC: return (load<u16>(e, OFF_TCP_FLAGS) & CAPTURED_MAC) != 0 && scalar(readMac(e, OFF_DST_MAC));
    case FIELD_ICMP:
      return (load<u16>(e, OFF_TCP_FLAGS) & CAPTURED_ICMP) != 0
        && scalar(((<u64>load<u8>(e, OFF_ICMP_TYPE)) << 8) | <u64>load<u8>(e, OFF_ICMP_CODE));
    case FIELD_MIN_TTL: return scalar(<u64>load<u8>(e, OFF_MIN_TTL));
    case FIELD_MAX_TTL: return scalar(<u64>load<u8>(e, OFF_MAX_TTL));
    case FIELD_MIN_PACKET_LENGTH: return scalar(<u64>load<u16>(e, OFF_MIN_LENGTH));
    case FIELD_MAX_PACKET_LENGTH: return scalar(<u64>load<u16>(e, OFF_MAX_LENGTH));
    case FIELD_FRAGMENT_OFFSET:
      return (load<u16>(e, OFF_TCP_FLAGS) & CAPTURED_FRAGMENT) != 0 && scalar(<u64>load<u16>(e, OFF_FRAGMENT_OFFSET));
    case FIELD_TCP_FLAGS: return scalar(<u64>(load<u16>(e, OFF_TCP_FLAGS) & TCP_FLAG_BITS));
    case FIELD_BYTES: return scalar(load<u64>(e, OFF_BYTES));
    case FIELD_PACKETS: return scalar(<u64>load<u32>(e, OFF_PACKETS));
    default: return false;
  }
}
