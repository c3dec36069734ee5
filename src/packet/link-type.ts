/**
 * Link-layer header types (tcpdump.org LINKTYPE_ values) that the parser understands. pcap and
 * pcapng files name one per file or per interface; a batch keeps one per packet.
 */
export const LinkType = {
  /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
  null: 0,
  /** Ethernet II and IEEE 802.3, with 802.1Q/QinQ tags. */
  ethernet: 1,
  /** Raw IP as OpenBSD writes DLT_RAW. */
  rawOpenBsd: 12,
  /** Raw IP as BSD/OS writes DLT_RAW. */
  rawBsdOs: 14,
  /** Raw IPv4 or IPv6 (version from the first nibble). */
  raw: 101,
  /** OpenBSD loopback: like null, in network byte order. */
  loop: 108,
  /** Linux "cooked" capture, version 1 (16-byte header). */
  linuxSll: 113,
  /** Raw IPv4 only. */
  ipv4: 228,
  /** Raw IPv6 only. */
  ipv6: 229,
  /** Linux "cooked" capture, version 2 (20-byte header). */
  linuxSll2: 276,
} as const;

const NAMES = new Map<number, string>(Object.entries(LinkType).map(([name, value]) => [value, name]));

/** A link type's name (`"ethernet"`), or `"linktype-N"`. */
export function linkTypeName(value: number): string {
  return NAMES.get(value) ?? `linktype-${value}`;
}
