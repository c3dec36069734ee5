// The statistics of `show ip cache flow`: the IP packet size distribution (26 buckets) and the
// protocol categories of the per-protocol table. The category names live in
// src/flow-cache.ts (PROTOCOL_CATEGORY_NAMES), in this order.

import {
  OFF_SRC_PORT, OFF_DST_PORT, OFF_PROTOCOL, OFF_TCP_FLAGS, OFF_FRAGMENT_OFFSET, CAPTURED_FRAGMENT,
} from "./state";

/**
 * The bucket of an IP packet of `length` bytes: labels 32, 64, ... 576 (32-byte steps), then
 * 1024, 1536, ... 4608 (512-byte steps); a packet goes to the first label ≥ its length, longer
 * ones to the last.
 */
// @ts-ignore: decorator
@inline export function sizeBucket(length: u32): u32 {
  if (length <= 576) return length <= 32 ? 0 : (length - 1) >> 5;
  if (length <= 4608) return 17 + ((length - 1) >> 9);
  return 25;
}

const TCP: u32 = 6;
const UDP: u32 = 17;

/**
 * The category of the flow at `e`: 0 TCP-Telnet, 1 TCP-FTP, 2 TCP-FTPD, 3 TCP-WWW, 4 TCP-SMTP,
 * 5 TCP-X, 6 TCP-BGP, 7 TCP-NNTP, 8 TCP-Frag, 9 TCP-other, 10 UDP-DNS, 11 UDP-NTP, 12 UDP-TFTP,
 * 13 UDP-Frag, 14 UDP-other, 15 ICMP (and ICMPv6), 16 IGMP, 17 IPINIP, 18 GRE, 19 IP-other.
 * TCP and UDP flows are classified by the destination port, then the source port; a flow of
 * non-first fragments (no ports, a non-zero fragment offset captured) is `-Frag`.
 */
export function protocolCategory(e: usize): u32 {
  const protocol = <u32>load<u8>(e, OFF_PROTOCOL);
  if (protocol == TCP || protocol == UDP) {
    const dst = <u32>load<u16>(e, OFF_DST_PORT);
    const src = <u32>load<u16>(e, OFF_SRC_PORT);
    if ((dst | src) == 0 && (load<u16>(e, OFF_TCP_FLAGS) & CAPTURED_FRAGMENT) && load<u16>(e, OFF_FRAGMENT_OFFSET) != 0) {
      return protocol == TCP ? 8 : 13;
    }
    const byDst = protocol == TCP ? tcpCategory(dst) : udpCategory(dst);
    if (byDst != NO_CATEGORY) return byDst;
    const bySrc = protocol == TCP ? tcpCategory(src) : udpCategory(src);
    if (bySrc != NO_CATEGORY) return bySrc;
    return protocol == TCP ? 9 : 14;
  }
  if (protocol == 1 || protocol == 58) return 15;
  if (protocol == 2) return 16;
  if (protocol == 4) return 17;
  if (protocol == 47) return 18;
  return 19;
}

const NO_CATEGORY: u32 = 0xff;

function tcpCategory(port: u32): u32 {
  if (port == 23) return 0;
  if (port == 21) return 1;
  if (port == 20) return 2;
  if (port == 80) return 3;
  if (port == 25) return 4;
  if (port >= 6000 && port <= 6063) return 5;
  if (port == 179) return 6;
  if (port == 119) return 7;
  return NO_CATEGORY;
}

function udpCategory(port: u32): u32 {
  if (port == 53) return 10;
  if (port == 123) return 11;
  if (port == 69) return 12;
  return NO_CATEGORY;
}
