// The data templates of the NetFlow v9 (RFC 3954) and IPFIX (RFC 7011/7012) exports: one per
// (IP version, sampled or not). The field order here is the byte order that records.ts writes;
// the round-trip tests decode every record through the template sent on the wire, so the two
// cannot drift apart unnoticed.
//
//   field                          IE (v9 type)        bytes v9 / IPFIX
//   source, destination address    8, 12 | 27, 28     4+4 | 16+16
//   ICMP type·code, type, code     32,176,177 | 139,178,179   2, 1, 1
//     (before the ports: nfdump stores IE 32 into the destination port, so IE 11 must come after)
//   source, destination port       7, 11              2+2
//   protocol, ToS                  4, 5               1+1
//   flow direction, end reason     61, 136            1+1
//   ingress interface              10                 4
//   packets, octets                2, 1               4, 8
//   first, last                    v9: 22, 21 (sysUpTime ms, 4+4); IPFIX: 152, 153 (epoch ms, 8+8)
//   source MAC, destination MAC    56, 80             6+6
//   VLAN, post VLAN                58, 59             2+2
//   minimum, maximum TTL           52, 53             1+1
//   minimum, maximum IP length     25, 26             2+2
//   fragment offset, IP id         88, 54             2, 4
//   TCP flags                      6                  1 (v9, RFC 3954) | 2 (IPFIX, RFC 7125)
//   sampler id (sampled flows)     48                 1
//
// Each has a compact twin (ids 280–283, clear of the options templates' 260–279) for the
// flows most of a capture holds: not ICMP, untagged, unfragmented, under 2^32 octets, on an
// interface below 2^16 and (IPv4) with a 16-bit IP id (records.ts fitsCompact). It leaves out
// the three ICMP fields, the two VLANs and the fragment offset (all zero for such a flow: a
// collector reads an absent field as zero) and carries the octets in 4 bytes, the input
// interface and an IPv4 flow's IP id in 2 (reduced-size encoding, RFC 7011 §6.2; v9 lets the
// template give any length): 55 bytes instead of 73 for IPv4 in v9, 26 records to a 1,500-byte
// datagram instead of 19. Each datagram costs its sender and its collector a system call and a
// wake-up (~10 µs on loopback, measured), which a record does not.

export const FORMAT_V5: u32 = 5;
export const FORMAT_V9: u32 = 9;
export const FORMAT_IPFIX: u32 = 10;

/**
 * Data template ids: (compact ? COMPACT_TEMPLATE_BASE : TEMPLATE_BASE) + (IPv6 ? 1 : 0) +
 * (sampled ? 2 : 0). The sampler options templates take 260 and 261 onwards (src/export/options.ts).
 */
export const TEMPLATE_BASE: u32 = 256;
export const COMPACT_TEMPLATE_BASE: u32 = 280;

/** The id of data template (v6, sampled, compact). */
// @ts-ignore: decorator
@inline export function templateId(v6: bool, sampled: bool, compact: bool): u32 {
  return (compact ? COMPACT_TEMPLATE_BASE : TEMPLATE_BASE) + (v6 ? 1 : 0) + (sampled ? 2 : 0);
}
/** Data templates without the compact twins, and with them. */
export const FULL_TEMPLATES: u32 = 4;
export const DATA_TEMPLATES: u32 = 8;

const IE_OCTETS: u16 = 1;
const IE_PACKETS: u16 = 2;
const IE_PROTOCOL: u16 = 4;
const IE_TOS: u16 = 5;
const IE_TCP_FLAGS: u16 = 6;
const IE_SRC_PORT: u16 = 7;
const IE_SRC_IPV4: u16 = 8;
const IE_INGRESS: u16 = 10;
const IE_DST_PORT: u16 = 11;
const IE_DST_IPV4: u16 = 12;
const IE_LAST_UPTIME: u16 = 21;
const IE_FIRST_UPTIME: u16 = 22;
const IE_MIN_LENGTH: u16 = 25;
const IE_MAX_LENGTH: u16 = 26;
const IE_SRC_IPV6: u16 = 27;
const IE_DST_IPV6: u16 = 28;
const IE_ICMP_TYPE_CODE_V4: u16 = 32;
const IE_SAMPLER_ID: u16 = 48;
const IE_MIN_TTL: u16 = 52;
const IE_MAX_TTL: u16 = 53;
const IE_FRAGMENT_ID: u16 = 54;
const IE_SRC_MAC: u16 = 56;
const IE_VLAN: u16 = 58;
const IE_POST_VLAN: u16 = 59;
const IE_DIRECTION: u16 = 61;
const IE_DST_MAC: u16 = 80;
const IE_FRAGMENT_OFFSET: u16 = 88;
const IE_END_REASON: u16 = 136;
const IE_ICMP_TYPE_CODE_V6: u16 = 139;
const IE_START_MS: u16 = 152;
const IE_END_MS: u16 = 153;
const IE_ICMP_TYPE_V4: u16 = 176;
const IE_ICMP_CODE_V4: u16 = 177;
const IE_ICMP_TYPE_V6: u16 = 178;
const IE_ICMP_CODE_V6: u16 = 179;

/** Bytes of one data record. */
// @ts-ignore: decorator
@inline export function recordBytes(ipfix: bool, v6: bool, sampled: bool, compact: bool): u32 {
  return (v6 ? 32 : 8) + (compact ? 18 : 28) + (ipfix ? 16 : 8) + (compact ? (v6 ? 22 : 20) : 28) + (ipfix ? 2 : 1) + (sampled ? 1 : 0);
}

// @ts-ignore: decorator
@inline function field(p: usize, id: u16, length: u16): usize {
  store<u16>(p, bswap<u16>(id));
  store<u16>(p, bswap<u16>(length), 2);
  return p + 4;
}

/** Fields of data template (ipfix, v6, sampled, compact). */
export function templateFieldCount(sampled: bool, compact: bool): u32 {
  return (compact ? 21 : 27) + (sampled ? 1 : 0);
}

/**
 * Writes the field specifiers of data template (ipfix, v6, sampled, compact) at `p` (4 bytes each);
 * returns the position after them.
 */
export function writeTemplateFields(p: usize, ipfix: bool, v6: bool, sampled: bool, compact: bool): usize {
  p = field(p, v6 ? IE_SRC_IPV6 : IE_SRC_IPV4, v6 ? 16 : 4);
  p = field(p, v6 ? IE_DST_IPV6 : IE_DST_IPV4, v6 ? 16 : 4);
  if (!compact) {
    p = field(p, v6 ? IE_ICMP_TYPE_CODE_V6 : IE_ICMP_TYPE_CODE_V4, 2);
    p = field(p, v6 ? IE_ICMP_TYPE_V6 : IE_ICMP_TYPE_V4, 1);
    p = field(p, v6 ? IE_ICMP_CODE_V6 : IE_ICMP_CODE_V4, 1);
  }
  p = field(p, IE_SRC_PORT, 2);
  p = field(p, IE_DST_PORT, 2);
  p = field(p, IE_PROTOCOL, 1);
  p = field(p, IE_TOS, 1);
  p = field(p, IE_DIRECTION, 1);
  p = field(p, IE_END_REASON, 1);
  p = field(p, IE_INGRESS, compact ? 2 : 4);
  p = field(p, IE_PACKETS, 4);
  p = field(p, IE_OCTETS, compact ? 4 : 8);
  p = field(p, ipfix ? IE_START_MS : IE_FIRST_UPTIME, ipfix ? 8 : 4);
  p = field(p, ipfix ? IE_END_MS : IE_LAST_UPTIME, ipfix ? 8 : 4);
  p = field(p, IE_SRC_MAC, 6);
  p = field(p, IE_DST_MAC, 6);
  if (!compact) {
    p = field(p, IE_VLAN, 2);
    p = field(p, IE_POST_VLAN, 2);
  }
  p = field(p, IE_MIN_TTL, 1);
  p = field(p, IE_MAX_TTL, 1);
  p = field(p, IE_MIN_LENGTH, 2);
  p = field(p, IE_MAX_LENGTH, 2);
  if (!compact) p = field(p, IE_FRAGMENT_OFFSET, 2);
  p = field(p, IE_FRAGMENT_ID, compact && !v6 ? 2 : 4);
  p = field(p, IE_TCP_FLAGS, ipfix ? 2 : 1);
  if (sampled) p = field(p, IE_SAMPLER_ID, 1);
  return p;
}

/**
 * Writes the data template set (v9 FlowSet id 0, IPFIX set id 2) with the four full templates,
 * and their compact twins when `compact`, at `p`; returns the position after it (a multiple of
 * 4 bytes long).
 */
export function writeTemplateSet(p: usize, ipfix: bool, compact: bool): usize {
  const start = p;
  p += 4;
  const templates = compact ? DATA_TEMPLATES : FULL_TEMPLATES;
  for (let t: u32 = 0; t < templates; t++) {
    const v6 = (t & 1) != 0;
    const sampled = (t & 2) != 0;
    const twin = (t & 4) != 0;
    store<u16>(p, bswap<u16>(<u16>templateId(v6, sampled, twin)));
    store<u16>(p, bswap<u16>(<u16>templateFieldCount(sampled, twin)), 2);
    p = writeTemplateFields(p + 4, ipfix, v6, sampled, twin);
  }
  store<u16>(start, bswap<u16>(ipfix ? 2 : 0));
  store<u16>(start, bswap<u16>(<u16>(p - start)), 2);
  return p;
}
