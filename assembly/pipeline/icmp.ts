// ICMP errors as a router sends them (RFC 792, RFC 1812 §4.3.2, RFC 4443): time exceeded and
// destination unreachable, quoting as much of the offending datagram as fits in 576 bytes
// (IPv4) or the 1280-byte minimum MTU (IPv6). The error goes back out of the interface the
// datagram came in on, to the MAC it came from, from that interface's address. Never about an
// ICMP error, a non-first fragment, a broadcast or multicast, or an invalid source; rate
// limited by a token bucket.

import {
  Pipeline, IF_BYTES, IF_MAC, IF_ADDRESS, IF_ADDRESS6, IF_FLAGS, IF_HAS_ADDRESS6, OUT_KIND_ICMP,
  C_ICMP_TIME_EXCEEDED, C_ICMP_UNREACHABLE, C_ICMP_RATE_LIMITED, C_ICMP_NOT_ALLOWED, IC_ICMP_OUT,
} from "./state";
import { counterAdd, ifCounterAdd, outReserve, outCommit } from "./output";
import { macToWire, store16be, store32be, load16be, onesSum, checksumOf } from "./frames";

export const ICMP_TIME_EXCEEDED: u32 = 11;
export const ICMP_UNREACHABLE: u32 = 3;
export const ICMP6_UNREACHABLE: u32 = 1;
export const ICMP6_TIME_EXCEEDED: u32 = 3;
/** Largest IPv4 error datagram (RFC 1812 §4.3.2.3) and IPv6 one (RFC 4443 §2.4(c)). */
const MAX_ERROR4: u32 = 576;
const MAX_ERROR6: u32 = 1280;

/**
 * Whether an error may be sent about the IP packet at `ip` (`version` 4 or 6): not about an
 * ICMP error (`protocol`/`icmpType`), a non-first fragment, a link-layer or IP broadcast or
 * multicast, or a packet from an unspecified, loopback or multicast source.
 */
export function icmpEligible(frame: usize, ip: usize, version: u32, protocol: u32, icmpType: u32, fragmentOffset: u32): bool {
  if (load<u8>(frame) & 1) return false;
  if (fragmentOffset != 0) return false;
  if (version == 4) {
    const src = bswap<u32>(load<u32>(ip + 12));
    const dst = bswap<u32>(load<u32>(ip + 16));
    if (src == 0 || (src >>> 24) == 127 || src >= 0xe0000000) return false;
    if (dst >= 0xe0000000) return false;
    if (protocol == 1 && (icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12)) return false;
    return true;
  }
  if (load<u8>(ip + 8) == 0xff || load<u8>(ip + 24) == 0xff) return false;
  if ((load<u64>(ip + 8) | load<u64>(ip + 16)) == 0) return false;
  if (protocol == 58 && icmpType < 128) return false;
  return true;
}

/** Takes one ICMP token at `now` (ms); false when the bucket is empty. */
function icmpTake(p: Pipeline, now: f64): bool {
  const t = <i64>now;
  if (t > p.icmpAt) {
    const tokens = p.icmpTokens + (t - p.icmpAt) * p.icmpRate;
    const cap = p.icmpBurst * 1000;
    p.icmpTokens = tokens < cap ? tokens : cap;
    p.icmpAt = t;
  }
  if (p.icmpTokens < 1000) return false;
  p.icmpTokens -= 1000;
  return true;
}

/**
 * Sends an ICMP error of `type`/`code` about the datagram at `frame + l3` (`captured` bytes of
 * frame) that arrived on `iface`, when `eligible`; `limited` applies the token bucket (ARP's
 * own bucket has decided when false). Returns whether it was sent.
 */
export function icmpError(
  p: Pipeline, frame: usize, captured: u32, l3: u32, version: u32, iface: u32, type: u32, code: u32, time: f64,
  eligible: bool, limited: bool,
): bool {
  const f = p.interfaces + <usize>iface * IF_BYTES;
  const hasSource = version == 4 ? load<u32>(f + IF_ADDRESS) != 0 : (load<u32>(f + IF_FLAGS) & IF_HAS_ADDRESS6) != 0;
  if (!eligible || !hasSource || captured <= l3) {
    counterAdd(p, C_ICMP_NOT_ALLOWED, 1);
    return false;
  }
  if (limited && !icmpTake(p, time)) {
    counterAdd(p, C_ICMP_RATE_LIMITED, 1);
    return false;
  }
  const ip = frame + l3;
  const available = captured - l3;
  const ipLength = version == 4 ? load16be(ip + 2) : 40 + load16be(ip + 4);
  let quote = available < ipLength ? available : ipLength;
  const headers: u32 = version == 4 ? 28 : 48;
  const limit = (version == 4 ? MAX_ERROR4 : MAX_ERROR6) - headers;
  if (quote > limit) quote = limit;
  const total = 14 + headers + quote;
  const out = outReserve(p, total);
  if (!out) return false;
  const mac = load<u64>(f + IF_MAC);
  memory.copy(out, frame + 6, 6);
  macToWire(mac, out + 6);
  const o = out + 14;
  if (version == 4) {
    store16be(out + 12, 0x0800);
    store<u8>(o, 0x45);
    store<u8>(o + 1, 0xc0); // precedence internetwork control, as routers send errors
    store16be(o + 2, 20 + 8 + quote);
    store16be(o + 4, p.icmpId++ & 0xffff);
    store16be(o + 6, 0);
    store<u8>(o + 8, 255);
    store<u8>(o + 9, 1);
    store16be(o + 10, 0);
    store32be(o + 12, load<u32>(f + IF_ADDRESS));
    memory.copy(o + 16, ip + 12, 4);
    store16be(o + 10, checksumOf(onesSum(o, 20, 0)));
    const icmp = o + 20;
    store<u8>(icmp, <u8>type);
    store<u8>(icmp + 1, <u8>code);
    store16be(icmp + 2, 0);
    store<u32>(icmp + 4, 0);
    memory.copy(icmp + 8, ip, quote);
    store16be(icmp + 2, checksumOf(onesSum(icmp, 8 + quote, 0)));
  } else {
    store16be(out + 12, 0x86dd);
    store32be(o, 0x60000000);
    store16be(o + 4, 8 + quote);
    store<u8>(o + 6, 58);
    store<u8>(o + 7, 255);
    memory.copy(o + 8, f + IF_ADDRESS6, 16);
    memory.copy(o + 24, ip + 8, 16);
    const icmp = o + 40;
    store<u8>(icmp, <u8>type);
    store<u8>(icmp + 1, <u8>code);
    store16be(icmp + 2, 0);
    store<u32>(icmp + 4, 0);
    memory.copy(icmp + 8, ip, quote);
    // Pseudo-header: source, destination, upper-layer length, next header (RFC 8200 §8.1).
    let sum = onesSum(o + 8, 32, 0);
    sum += <u64>(8 + quote) + 58;
    store16be(icmp + 2, checksumOf(onesSum(icmp, 8 + quote, sum)));
  }
  outCommit(p, out, total, iface, OUT_KIND_ICMP, <u8>type, time);
  counterAdd(p, type == (version == 4 ? ICMP_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED) ? C_ICMP_TIME_EXCEEDED : C_ICMP_UNREACHABLE, 1);
  ifCounterAdd(p, iface, IC_ICMP_OUT, 1);
  return true;
}

