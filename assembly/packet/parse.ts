// The frame parser: link layer (Ethernet II, 802.3/LLC, 802.1Q/QinQ, Linux SLL/SLL2, BSD
// NULL/LOOP, raw IP), ARP, IPv4 (options, fragments), IPv6 (extension headers, fragments), TCP,
// UDP, ICMP, ICMPv6. Every read is checked against the frame's captured length first, so a
// frame can never make the parser read outside it. A parse call first resets every output
// column of its rows to the default (one fill per column), then each field is stored as soon
// as it is read: few values stay live across the branches, which measured faster than keeping
// them in locals to the end. Every column of every parsed row is thus written on every parse.
//
// Formats: IEEE 802.3 / 802.1Q; RFC 791 (IPv4), RFC 8200 (IPv6), RFC 9293 (TCP), RFC 768 (UDP),
// RFC 792 (ICMP), RFC 4443 (ICMPv6), RFC 826 (ARP), RFC 4302 (AH length), tcpdump.org link-layer
// header types for SLL, SLL2, NULL and LOOP.

import { PacketBatch } from "./batch";
import {
  PACKET_STATUS_OK, PACKET_STATUS_FRAGMENT, PACKET_STATUS_ARP, PACKET_STATUS_LLC, PACKET_STATUS_NON_IP,
  PACKET_STATUS_UNSUPPORTED_LINK_TYPE, PACKET_STATUS_TRUNCATED_LINK, PACKET_STATUS_TRUNCATED_VLAN,
  PACKET_STATUS_TRUNCATED_ARP, PACKET_STATUS_UNSUPPORTED_ARP, PACKET_STATUS_TRUNCATED_IP,
  PACKET_STATUS_BAD_IP_VERSION, PACKET_STATUS_BAD_IP_HEADER_LENGTH, PACKET_STATUS_BAD_IP_TOTAL_LENGTH,
  PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME, PACKET_STATUS_FRAGMENT_OVERFLOW,
  PACKET_STATUS_TRUNCATED_IPV6_EXTENSION, PACKET_STATUS_IPV6_EXTENSION_LIMIT, PACKET_STATUS_TRUNCATED_TCP,
  PACKET_STATUS_BAD_TCP_HEADER_LENGTH, PACKET_STATUS_TRUNCATED_UDP, PACKET_STATUS_BAD_UDP_LENGTH,
  PACKET_STATUS_TRUNCATED_ICMP, PACKET_STATUS_FRAME_OUT_OF_BOUNDS, IPV6_EXTENSION_LIMIT,
} from "./status";

/** Link types (tcpdump.org LINKTYPE_ values; 12 and 14 are raw IP as some systems write it). */
export const LINK_NULL: u32 = 0;
export const LINK_ETHERNET: u32 = 1;
export const LINK_RAW_OPENBSD: u32 = 12;
export const LINK_RAW_BSDOS: u32 = 14;
export const LINK_RAW: u32 = 101;
export const LINK_LOOP: u32 = 108;
export const LINK_LINUX_SLL: u32 = 113;
export const LINK_IPV4: u32 = 228;
export const LINK_IPV6: u32 = 229;
export const LINK_LINUX_SLL2: u32 = 276;

const ETHERTYPE_IPV4: u32 = 0x0800;
const ETHERTYPE_ARP: u32 = 0x0806;
const ETHERTYPE_IPV6: u32 = 0x86dd;
const ETHERTYPE_VLAN: u32 = 0x8100;
const ETHERTYPE_QINQ: u32 = 0x88a8;
const ETHERTYPE_QINQ_OLD: u32 = 0x9100;
const MAC_MASK: u64 = 0xffffffffffff;
/** Status while a stage still has work to do (never stored). */
const CONTINUE: u32 = 255;

// @ts-ignore: decorator
@inline function be16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}
// @ts-ignore: decorator
@inline function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}
/**
 * The big-endian 16-bit field at byte `k` of a little-endian 64-bit load (WebAssembly has no
 * byte-swap instruction, so shifts of one wide load beat a swap of every field).
 */
// @ts-ignore: decorator
@inline function field16(w: u64, k: u32): u32 {
  return ((<u32>(w >> (k << 3)) & 0xff) << 8) | (<u32>(w >> ((k << 3) + 8)) & 0xff);
}
/** Byte `k` of a little-endian 64-bit load. */
// @ts-ignore: decorator
@inline function byte8(w: u64, k: u32): u32 {
  return <u32>(w >> (k << 3)) & 0xff;
}
/** Four big-endian u32 words at p stored as native u32 words at `to` (an address column entry). */
// @ts-ignore: decorator
@inline function storeAddress(to: usize, p: usize): void {
  if (ASC_FEATURE_SIMD) {
    // One shuffle reverses the bytes of each 32-bit lane.
    v128.store(to, v128.swizzle(v128.load(p), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)));
  } else {
    store<u32>(to, be32(p));
    store<u32>(to, be32(p + 4), 4);
    store<u32>(to, be32(p + 8), 8);
    store<u32>(to, be32(p + 12), 12);
  }
}
/** Six bytes at p as a MAC slot value (wire order in the low bytes). */
// @ts-ignore: decorator
@inline function mac6(p: usize): u64 {
  return <u64>load<u32>(p) | (<u64>load<u16>(p, 4) << 32);
}
// @ts-ignore: decorator
@inline function isIPv6Extension(nh: u32): bool {
  // Hop-by-hop, routing, fragment, AH, destination options, mobility, HIP, shim6 (RFC 7045).
  return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 || nh == 135 || nh == 139 || nh == 140;
}

/**
 * Sets every output column of rows [from, from + count) to its default (0; 0xffff for the VLAN
 * ids), with one fill per column. The row parser then stores only the fields a frame has, as
 * it reads them, so few values stay live across its branches.
 */
// @ts-ignore: decorator
@inline export function resetOutputColumns(b: PacketBatch, from: u32, count: u32): void {
  const f = <usize>from, n = <usize>count;
  memory.fill(b.srcMac + (f << 3), 0, n << 3);
  memory.fill(b.dstMac + (f << 3), 0, n << 3);
  memory.fill(b.etherType + (f << 1), 0, n << 1);
  memory.fill(b.vlanOuter + (f << 1), 0xff, n << 1);
  memory.fill(b.vlanInner + (f << 1), 0xff, n << 1);
  memory.fill(b.l3Offset + (f << 2), 0, n << 2);
  memory.fill(b.l4Offset + (f << 2), 0, n << 2);
  memory.fill(b.ipVersion + f, 0, n);
  memory.fill(b.src + (f << 4), 0, n << 4);
  memory.fill(b.dst + (f << 4), 0, n << 4);
  memory.fill(b.protocol + f, 0, n);
  memory.fill(b.tos + f, 0, n);
  memory.fill(b.ttl + f, 0, n);
  memory.fill(b.ipLength + (f << 2), 0, n << 2);
  memory.fill(b.ipId + (f << 2), 0, n << 2);
  memory.fill(b.fragmentOffset + (f << 1), 0, n << 1);
  memory.fill(b.fragmentFlags + f, 0, n);
  memory.fill(b.srcPort + (f << 1), 0, n << 1);
  memory.fill(b.dstPort + (f << 1), 0, n << 1);
  memory.fill(b.tcpFlags + (f << 1), 0, n << 1);
  memory.fill(b.icmpType + f, 0, n);
  memory.fill(b.icmpCode + f, 0, n);
  memory.fill(b.arpOperation + (f << 1), 0, n << 1);
  memory.fill(b.arpSenderMac + (f << 3), 0, n << 3);
  memory.fill(b.arpTargetMac + (f << 3), 0, n << 3);
  memory.fill(b.arpSenderAddress + (f << 2), 0, n << 2);
  memory.fill(b.arpTargetAddress + (f << 2), 0, n << 2);
}

/**
 * Parses the frame of row `i` (captured length `cap` at frame-area offset `offset`, link type
 * `link`, `wire` bytes on the wire) into the row's columns; returns its status. The row's
 * output columns must hold their defaults (resetOutputColumns).
 */
// @ts-ignore: decorator
@inline export function parseRow(b: PacketBatch, i: u32, cap: u32, offset: u32, link: u32, wire: u32): u32 {
  const i1 = <usize>i;
  const i2 = i1 << 1, i4 = i1 << 2, i8 = i1 << 3, i16 = i1 << 4;
  /** Bytes the frame had on the wire (a lying original length never shrinks what was captured). */
  const onWire = wire > cap ? wire : cap;
  const p = b.frames + <usize>offset;
  let status: u32 = CONTINUE;
  let etherType: u32 = 0;
  let pos: u32 = 0;
  /** Whether the link layer carries EtherTypes (so VLAN tags and 802.3 lengths apply). */
  let etherFramed = false;

  // ---- fast path: untagged Ethernet, IPv4 without options, not a fragment, a well-formed TCP
  // or UDP header. Every condition the general path would check is checked here first (in
  // one pass over four wide loads); anything else takes the general path below.
  if (link == LINK_ETHERNET && cap >= 42 && <u64>offset + <u64>cap <= <u64>b.frameBytes) {
    const c = load<u64>(p, 12); // EtherType, version/IHL, ToS, total length, identification
    const d = load<u64>(p, 20); // flags/offset, TTL, protocol, checksum, source (first half)
    const ipLength = field16(c, 4);
    const ff = field16(d, 0);
    const protocol = byte8(d, 3);
    if ((c & 0xffffff) == 0x450008 && (ff & 0x3fff) == 0 && ipLength >= 20 && ipLength <= onWire - 14) {
      const payload = ipLength - 20;
      const captured = cap - 34 < payload ? cap - 34 : payload;
      const t = load<u64>(p, 34);
      let fast = false;
      let tcpFlags: u32 = 0;
      if (protocol == 6 && captured >= 20) {
        const word = be16(p + 46);
        const headerLength = (word >> 12) << 2;
        tcpFlags = word & 0x0fff;
        fast = headerLength >= 20 && headerLength <= payload;
      } else if (protocol == 17 && captured >= 8) {
        const length = field16(t, 4);
        fast = length >= 8 && length <= payload;
      }
      if (fast) {
        store<u64>(b.dstMac + i8, load<u64>(p) & MAC_MASK);
        store<u64>(b.srcMac + i8, load<u64>(p + 6) & MAC_MASK);
        store<u16>(b.etherType + i2, <u16>ETHERTYPE_IPV4);
        store<u32>(b.l3Offset + i4, 14);
        store<u32>(b.l4Offset + i4, 34);
        store<u8>(b.ipVersion + i1, 4);
        store<u8>(b.tos + i1, <u8>byte8(c, 3));
        store<u32>(b.ipLength + i4, ipLength);
        store<u32>(b.ipId + i4, field16(c, 6));
        store<u8>(b.fragmentFlags + i1, <u8>((ff >> 8) & 0xe0));
        store<u8>(b.ttl + i1, <u8>byte8(d, 2));
        store<u8>(b.protocol + i1, <u8>protocol);
        store<u32>(b.src + i16, be32(p + 26));
        store<u32>(b.dst + i16, be32(p + 30));
        store<u16>(b.srcPort + i2, <u16>field16(t, 0));
        store<u16>(b.dstPort + i2, <u16>field16(t, 2));
        if (protocol == 6) store<u16>(b.tcpFlags + i2, <u16>tcpFlags);
        store<u8>(b.status + i1, <u8>PACKET_STATUS_OK);
        return PACKET_STATUS_OK;
      }
    }
  }

  // ---- link layer
  if (<u64>offset + <u64>cap > <u64>b.frameBytes) {
    status = PACKET_STATUS_FRAME_OUT_OF_BOUNDS;
  } else if (link == LINK_ETHERNET) {
    if (cap < 14) status = PACKET_STATUS_TRUNCATED_LINK;
    else {
      store<u64>(b.dstMac + i8, load<u64>(p) & MAC_MASK);
      store<u64>(b.srcMac + i8, load<u64>(p + 6) & MAC_MASK);
      etherType = be16(p + 12);
      pos = 14;
      etherFramed = true;
    }
  } else if (link == LINK_LINUX_SLL) {
    if (cap < 16) status = PACKET_STATUS_TRUNCATED_LINK;
    else {
      if (be16(p + 4) == 6) store<u64>(b.srcMac + i8, load<u64>(p + 6) & MAC_MASK);
      etherType = be16(p + 14);
      pos = 16;
      etherFramed = true;
    }
  } else if (link == LINK_LINUX_SLL2) {
    if (cap < 20) status = PACKET_STATUS_TRUNCATED_LINK;
    else {
      if (load<u8>(p + 11) == 6) store<u64>(b.srcMac + i8, load<u64>(p + 12) & MAC_MASK);
      etherType = be16(p);
      pos = 20;
      etherFramed = true;
    }
  } else if (link == LINK_NULL || link == LINK_LOOP) {
    if (cap < 4) status = PACKET_STATUS_TRUNCATED_LINK;
    else {
      let family = load<u32>(p);
      // NULL: the capturing host's byte order; LOOP: network order. Families fit in 16 bits.
      if (link == LINK_LOOP || (family & 0xffff0000) != 0) family = bswap<u32>(family);
      pos = 4;
      if (family == 2) etherType = ETHERTYPE_IPV4;
      else if (family == 24 || family == 28 || family == 30) etherType = ETHERTYPE_IPV6;
      else status = PACKET_STATUS_NON_IP;
    }
  } else if (link == LINK_RAW || link == LINK_RAW_OPENBSD || link == LINK_RAW_BSDOS) {
    if (cap < 1) status = PACKET_STATUS_TRUNCATED_IP;
    else {
      const v = <u32>load<u8>(p) >> 4;
      if (v == 4) etherType = ETHERTYPE_IPV4;
      else if (v == 6) etherType = ETHERTYPE_IPV6;
      else status = PACKET_STATUS_BAD_IP_VERSION;
    }
  } else if (link == LINK_IPV4) {
    etherType = ETHERTYPE_IPV4;
  } else if (link == LINK_IPV6) {
    etherType = ETHERTYPE_IPV6;
  } else {
    status = PACKET_STATUS_UNSUPPORTED_LINK_TYPE;
  }

  // ---- VLAN tags and 802.3 frames
  if (status == CONTINUE && etherFramed) {
    let tags: u32 = 0;
    while (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD) {
      if (cap - pos < 4) {
        status = PACKET_STATUS_TRUNCATED_VLAN;
        break;
      }
      const vid = <u16>(be16(p + pos) & 0x0fff);
      if (tags == 0) store<u16>(b.vlanOuter + i2, vid);
      else if (tags == 1) store<u16>(b.vlanInner + i2, vid);
      tags++;
      etherType = be16(p + pos + 2);
      pos += 4;
    }
    if (status == CONTINUE && etherType < 0x0600) {
      // Ethernet: a length (802.3). Linux cooked captures: an ETH_P_ value, 4 being 802.2 LLC.
      const llc = link == LINK_ETHERNET || tags > 0 ? etherType <= 1500 : etherType == 4;
      status = llc ? PACKET_STATUS_LLC : PACKET_STATUS_NON_IP;
      if (llc) etherType = 0;
    }
  }
  store<u16>(b.etherType + i2, <u16>etherType);

  // ---- network layer
  let ipEnd: u32 = 0, l4: u32 = 0, version: u32 = 0, protocol: u32 = 0;
  if (status == CONTINUE) {
    if (etherType == ETHERTYPE_IPV4) {
      store<u32>(b.l3Offset + i4, pos);
      const avail = cap - pos;
      if (avail < 1) status = PACKET_STATUS_TRUNCATED_IP;
      else if ((<u32>load<u8>(p + pos) >> 4) != 4) status = PACKET_STATUS_BAD_IP_VERSION;
      else if (avail < 20) status = PACKET_STATUS_TRUNCATED_IP;
      else {
        const h = p + pos;
        // Bytes 0-7 and 8-15 of the header in two loads; fields are cut out with shifts.
        const w = load<u64>(h);
        const x = load<u64>(h, 8);
        const ihl = (byte8(w, 0) & 15) << 2;
        const ipLength = field16(w, 2);
        const ff = field16(w, 6);
        const fragOffset = ff & 0x1fff;
        version = 4;
        protocol = byte8(x, 1);
        store<u8>(b.ipVersion + i1, 4);
        store<u8>(b.tos + i1, <u8>byte8(w, 1));
        store<u32>(b.ipLength + i4, ipLength);
        store<u32>(b.ipId + i4, field16(w, 4));
        store<u8>(b.fragmentFlags + i1, <u8>((ff >> 8) & 0xe0));
        store<u16>(b.fragmentOffset + i2, <u16>fragOffset);
        store<u8>(b.ttl + i1, <u8>byte8(x, 0));
        store<u8>(b.protocol + i1, <u8>protocol);
        store<u32>(b.src + i16, bswap<u32>(<u32>(x >> 32)));
        store<u32>(b.dst + i16, be32(h + 16));
        if (ihl < 20) status = PACKET_STATUS_BAD_IP_HEADER_LENGTH;
        else if (ipLength < ihl) status = PACKET_STATUS_BAD_IP_TOTAL_LENGTH;
        else if (ihl > avail) status = PACKET_STATUS_TRUNCATED_IP;
        else if (ipLength > onWire - pos) status = PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME;
        else if ((fragOffset << 3) + ipLength - ihl > 65535) status = PACKET_STATUS_FRAGMENT_OVERFLOW;
        else {
          ipEnd = pos + ipLength;
          if (fragOffset != 0) status = PACKET_STATUS_FRAGMENT;
          else {
            l4 = pos + ihl;
            store<u32>(b.l4Offset + i4, l4);
          }
        }
      }
    } else if (etherType == ETHERTYPE_IPV6) {
      store<u32>(b.l3Offset + i4, pos);
      const avail = cap - pos;
      if (avail < 1) status = PACKET_STATUS_TRUNCATED_IP;
      else if ((<u32>load<u8>(p + pos) >> 4) != 6) status = PACKET_STATUS_BAD_IP_VERSION;
      else if (avail < 40) status = PACKET_STATUS_TRUNCATED_IP;
      else {
        const h = p + pos;
        const w = load<u64>(h);
        const ipLength = field16(w, 4) + 40;
        let nh = byte8(w, 6);
        version = 6;
        store<u8>(b.ipVersion + i1, 6);
        store<u8>(b.tos + i1, <u8>(field16(w, 0) >> 4));
        store<u32>(b.ipLength + i4, ipLength);
        store<u8>(b.ttl + i1, <u8>byte8(w, 7));
        storeAddress(b.src + i16, h + 8);
        storeAddress(b.dst + i16, h + 24);
        if (ipLength > onWire - pos) status = PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME;
        else {
          ipEnd = pos + ipLength;
          const bound = ipEnd < cap ? ipEnd : cap;
          let q = pos + 40;
          let headers: u32 = 0;
          let fragOffset: u32 = 0;
          let fragmented = false;
          while (isIPv6Extension(nh)) {
            if (++headers > IPV6_EXTENSION_LIMIT) {
              status = PACKET_STATUS_IPV6_EXTENSION_LIMIT;
              break;
            }
            if (bound - q < 8) {
              status = PACKET_STATUS_TRUNCATED_IPV6_EXTENSION;
              break;
            }
            const e = p + q;
            let length: u32;
            if (nh == 44) {
              // Only the first fragment header counts (RFC 8200 allows one).
              if (!fragmented) {
                const field = be16(e + 2);
                fragOffset = field >> 3;
                store<u16>(b.fragmentOffset + i2, <u16>fragOffset);
                store<u8>(b.fragmentFlags + i1, <u8>((field & 1) << 5));
                store<u32>(b.ipId + i4, be32(e + 4));
                fragmented = true;
              }
              length = 8;
            } else if (nh == 51) {
              length = (<u32>load<u8>(e, 1) + 2) << 2;
            } else {
              length = (<u32>load<u8>(e, 1) + 1) << 3;
            }
            if (bound - q < length) {
              status = PACKET_STATUS_TRUNCATED_IPV6_EXTENSION;
              break;
            }
            nh = load<u8>(e);
            q += length;
            if (fragOffset != 0) break;
          }
          if (status == CONTINUE) {
            if ((fragOffset << 3) + ipEnd - q > 65535) status = PACKET_STATUS_FRAGMENT_OVERFLOW;
            else if (fragOffset != 0) status = PACKET_STATUS_FRAGMENT;
            else {
              l4 = q;
              store<u32>(b.l4Offset + i4, l4);
            }
          }
        }
        protocol = nh;
        store<u8>(b.protocol + i1, <u8>nh);
      }
    } else if (etherType == ETHERTYPE_ARP) {
      store<u32>(b.l3Offset + i4, pos);
      const a = p + pos;
      if (cap - pos < 8) status = PACKET_STATUS_TRUNCATED_ARP;
      else {
        store<u16>(b.arpOperation + i2, <u16>be16(a + 6));
        if (be16(a) != 1 || be16(a + 2) != ETHERTYPE_IPV4 || load<u8>(a, 4) != 6 || load<u8>(a, 5) != 4) {
          status = PACKET_STATUS_UNSUPPORTED_ARP;
        } else if (cap - pos < 28) status = PACKET_STATUS_TRUNCATED_ARP;
        else {
          store<u64>(b.arpSenderMac + i8, mac6(a + 8));
          store<u32>(b.arpSenderAddress + i4, be32(a + 14));
          store<u64>(b.arpTargetMac + i8, mac6(a + 18));
          store<u32>(b.arpTargetAddress + i4, be32(a + 24));
          status = PACKET_STATUS_ARP;
        }
      }
    } else {
      status = PACKET_STATUS_NON_IP;
    }
  }

  // ---- transport layer
  if (status == CONTINUE) {
    const end = ipEnd < cap ? ipEnd : cap;
    const avail = end > l4 ? end - l4 : 0;
    const t = p + l4;
    if (protocol == 6) {
      if (avail < 20) status = PACKET_STATUS_TRUNCATED_TCP;
      else {
        const w = load<u64>(t);
        store<u16>(b.srcPort + i2, <u16>field16(w, 0));
        store<u16>(b.dstPort + i2, <u16>field16(w, 2));
        const word = be16(t + 12);
        store<u16>(b.tcpFlags + i2, <u16>(word & 0x0fff));
        const headerLength = (word >> 12) << 2;
        status = headerLength < 20 || headerLength > ipEnd - l4 ? PACKET_STATUS_BAD_TCP_HEADER_LENGTH : PACKET_STATUS_OK;
      }
    } else if (protocol == 17) {
      if (avail < 8) status = PACKET_STATUS_TRUNCATED_UDP;
      else {
        const w = load<u64>(t);
        store<u16>(b.srcPort + i2, <u16>field16(w, 0));
        store<u16>(b.dstPort + i2, <u16>field16(w, 2));
        const length = field16(w, 4);
        status = length < 8 || length > ipEnd - l4 ? PACKET_STATUS_BAD_UDP_LENGTH : PACKET_STATUS_OK;
      }
    } else if ((protocol == 1 && version == 4) || (protocol == 58 && version == 6)) {
      if (avail < 4) status = PACKET_STATUS_TRUNCATED_ICMP;
      else {
        store<u8>(b.icmpType + i1, load<u8>(t));
        store<u8>(b.icmpCode + i1, load<u8>(t, 1));
        status = PACKET_STATUS_OK;
      }
    } else {
      status = PACKET_STATUS_OK;
    }
  }
  store<u8>(b.status + i1, <u8>status);
  return status;
}

/** Counts `status` for the batch; OK is counted by the caller in a local (the common case). */
// @ts-ignore: decorator
@inline export function countStatus(b: PacketBatch, status: u32): void {
  const slot = b.statusCounts + (<usize>status << 3);
  store<u64>(slot, load<u64>(slot) + 1);
}

/** Parses packets [from, from + count) of a batch into their columns; returns how many had an error status. */
export function parseBatch(b: PacketBatch, from: u32, count: u32): u32 {
  resetOutputColumns(b, from, count);
  let errors: u32 = 0;
  let ok: u64 = 0;
  const last = from + count;
  for (let i = from; i < last; i++) {
    const k = <usize>i;
    const status = parseRow(b, i, load<u32>(b.capturedLength + (k << 2)), load<u32>(b.frameOffset + (k << 2)),
      <u32>load<u16>(b.linkType + (k << 1)), load<u32>(b.wireLength + (k << 2)));
    if (status == PACKET_STATUS_OK) ok++;
    else {
      countStatus(b, status);
      if (status >= 32) errors++;
    }
  }
  store<u64>(b.statusCounts, load<u64>(b.statusCounts) + ok);
  return errors;
}
