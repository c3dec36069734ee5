/**
 * Parse statuses: one per packet in a {@link PacketBatch}'s `status` column. The numbers are a
 * contract shared with the WebAssembly parser (assembly/packet/status.ts) and never change;
 * new statuses get new numbers.
 */

/** Every parse status: its number and what it means. Statuses from 32 on are errors. */
export const PACKET_STATUSES = {
  ok: { code: 0, description: "IPv4/IPv6 parsed, with TCP/UDP/ICMP/ICMPv6 fields when it carries one" },
  fragment: { code: 1, description: "a non-first IP fragment: network fields only" },
  arp: { code: 2, description: "an Ethernet/IPv4 ARP packet (arp* fields set)" },
  llc: { code: 3, description: "an IEEE 802.3 (LLC/SNAP) frame: counted, not parsed" },
  "non-ip": { code: 4, description: "another EtherType or link protocol: counted, not parsed" },
  "unsupported-link-type": { code: 32, description: "the link type is not one the parser knows" },
  "truncated-link-header": { code: 33, description: "the frame is shorter than its link-layer header" },
  "truncated-vlan": { code: 34, description: "a VLAN tag is cut off" },
  "truncated-arp": { code: 35, description: "the ARP header is cut off" },
  "unsupported-arp": { code: 36, description: "ARP for other hardware/protocol types than Ethernet/IPv4" },
  "truncated-ip-header": { code: 37, description: "the IP header (with IPv4 options) is cut off" },
  "bad-ip-version": { code: 38, description: "the IP version does not match the EtherType or link type" },
  "bad-ip-header-length": { code: 39, description: "IPv4 header length below 20 bytes" },
  "bad-ip-total-length": { code: 40, description: "IPv4 total length smaller than its header" },
  "ip-length-exceeds-frame": { code: 41, description: "the IP length claims more bytes than the frame had on the wire" },
  "fragment-overflow": { code: 42, description: "fragment offset plus payload beyond 65535 bytes (ping of death)" },
  "truncated-ipv6-extension": { code: 43, description: "an IPv6 extension header is cut off or runs past the payload" },
  "ipv6-extension-limit": { code: 44, description: "more than 16 IPv6 extension headers" },
  "truncated-tcp": { code: 45, description: "fewer than 20 bytes of TCP header" },
  "bad-tcp-header-length": { code: 46, description: "TCP data offset below 5 words or beyond the IP payload" },
  "truncated-udp": { code: 47, description: "fewer than 8 bytes of UDP header" },
  "bad-udp-length": { code: 48, description: "UDP length below 8 or beyond the IP payload" },
  "truncated-icmp": { code: 49, description: "fewer than 4 bytes of ICMP/ICMPv6 header" },
  "frame-out-of-bounds": { code: 50, description: "the frame's offset and length lie outside the batch's frame area" },
} as const;

/** The name of a parse status, e.g. `"ok"` or `"truncated-tcp"`. */
export type PacketStatusName = keyof typeof PACKET_STATUSES;

/** The first status number that is an error. */
export const FIRST_ERROR_STATUS = 32;

/** Number of status counters a batch keeps (status numbers are below this). */
export const STATUS_SLOTS = 64;

const NAMES: (PacketStatusName | undefined)[] = new Array(STATUS_SLOTS).fill(undefined);
for (const [name, { code }] of Object.entries(PACKET_STATUSES)) NAMES[code] = name as PacketStatusName;

/** The name of status number `code` (`"status-N"` for a number no status has). */
export function statusName(code: number): string {
  return NAMES[code] ?? `status-${code}`;
}

/** The number of a status name, or undefined. */
export function statusCode(name: string): number | undefined {
  return (PACKET_STATUSES as Record<string, { code: number }>)[name]?.code;
}

/** Whether a status number is an error (parsing stopped at a malformed or truncated header). */
export function isErrorStatus(code: number): boolean {
  return code >= FIRST_ERROR_STATUS;
}
