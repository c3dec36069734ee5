// Parse statuses, one per packet in the status column. Mirrored (with names and descriptions)
// in src/packet/status.ts; values are a contract and are never renumbered.
//
// Below PACKET_STATUS_FIRST_ERROR the frame was understood as far as the parser goes; from it on,
// parsing stopped at a malformed or truncated header. Fields parsed before the stop stay set.

/** IPv4/IPv6 parsed, with TCP/UDP/ICMP/ICMPv6 fields when it carries one of those. */
export const PACKET_STATUS_OK: u8 = 0;
/** A non-first IP fragment: network fields only (it carries no transport header). */
export const PACKET_STATUS_FRAGMENT: u8 = 1;
/** An Ethernet/IPv4 ARP packet: the arp* columns are set. */
export const PACKET_STATUS_ARP: u8 = 2;
/** An IEEE 802.3 frame (length instead of EtherType: LLC, SNAP, STP ...): counted, not parsed. */
export const PACKET_STATUS_LLC: u8 = 3;
/** Another EtherType or link-layer protocol (LLDP, MPLS, PPPoE, IPX ...): counted, not parsed. */
export const PACKET_STATUS_NON_IP: u8 = 4;

export const PACKET_STATUS_FIRST_ERROR: u8 = 32;
/** The frame's link type is not one the parser knows. */
export const PACKET_STATUS_UNSUPPORTED_LINK_TYPE: u8 = 32;
/** The frame is shorter than its link-layer header. */
export const PACKET_STATUS_TRUNCATED_LINK: u8 = 33;
/** A VLAN tag is cut off. */
export const PACKET_STATUS_TRUNCATED_VLAN: u8 = 34;
/** The ARP header is cut off. */
export const PACKET_STATUS_TRUNCATED_ARP: u8 = 35;
/** ARP for other hardware or protocol types than Ethernet and IPv4. */
export const PACKET_STATUS_UNSUPPORTED_ARP: u8 = 36;
/** The IP header is cut off (including IPv4 options). */
export const PACKET_STATUS_TRUNCATED_IP: u8 = 37;
/** The IP version nibble does not match the EtherType or link type. */
export const PACKET_STATUS_BAD_IP_VERSION: u8 = 38;
/** IPv4 header length below 20 bytes. */
export const PACKET_STATUS_BAD_IP_HEADER_LENGTH: u8 = 39;
/** IPv4 total length smaller than its header. */
export const PACKET_STATUS_BAD_IP_TOTAL_LENGTH: u8 = 40;
/** The IP length claims more bytes than the frame had on the wire. */
export const PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME: u8 = 41;
/** Fragment offset plus payload beyond 65535 bytes (the "ping of death"). */
export const PACKET_STATUS_FRAGMENT_OVERFLOW: u8 = 42;
/** An IPv6 extension header is cut off or runs past the payload. */
export const PACKET_STATUS_TRUNCATED_IPV6_EXTENSION: u8 = 43;
/** More IPv6 extension headers than the parser follows (IPV6_EXTENSION_LIMIT). */
export const PACKET_STATUS_IPV6_EXTENSION_LIMIT: u8 = 44;
/** Fewer than 20 bytes of TCP header (captured, and within the IP payload). */
export const PACKET_STATUS_TRUNCATED_TCP: u8 = 45;
/** TCP data offset below 5 words, or beyond the IP payload. */
export const PACKET_STATUS_BAD_TCP_HEADER_LENGTH: u8 = 46;
/** Fewer than 8 bytes of UDP header. */
export const PACKET_STATUS_TRUNCATED_UDP: u8 = 47;
/** UDP length below 8 or beyond the IP payload. */
export const PACKET_STATUS_BAD_UDP_LENGTH: u8 = 48;
/** Fewer than 4 bytes of ICMP or ICMPv6 header. */
export const PACKET_STATUS_TRUNCATED_ICMP: u8 = 49;
/** The frame's offset and length do not lie inside the batch's frame area. */
export const PACKET_STATUS_FRAME_OUT_OF_BOUNDS: u8 = 50;

/** Extension headers followed before giving up with PACKET_STATUS_IPV6_EXTENSION_LIMIT. */
export const IPV6_EXTENSION_LIMIT: u32 = 16;
