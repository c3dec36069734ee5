/**
 * The statistics of `show ip cache flow`: counters of the cache, the IP packet size
 * distribution and the per-protocol table. Shared by the WebAssembly cache and the reference.
 */

import type { FlowEndReason } from "./record.js";

/** Every counter of a flow cache. Conservation: packetsIn = packets in live flows + packetsExpired + packetsRefused. */
export interface FlowCacheCounters {
  /** Packets offered (selected), and their IP bytes. */
  packetsIn: number;
  bytesIn: number;
  /** Packets added to a flow, and their bytes. */
  packetsAccounted: number;
  bytesAccounted: number;
  /** Packets not added to any flow, and their bytes; `refused` says why. */
  packetsRefused: number;
  bytesRefused: number;
  refused: {
    /** Not an IPv4/IPv6 packet that parsed (ARP, LLC, other EtherTypes, malformed headers). */
    notIp: number;
    /** The cache was full and the export queue too, so no flow could be evicted for it. */
    noRoom: number;
    /** No free index slot within the probe limit (never expected with a secret key). */
    probeLimit: number;
    /** Its flow's packet counter was full and the export queue too. */
    counterFull: number;
  };
  /** Flows created. */
  flowsAdded: number;
  /** Flows that could not be created (noRoom + probeLimit): IOS "flow alloc failures". */
  allocFailures: number;
  /** Ager polls, and the entries they looked at. */
  agerPolls: number;
  agerEntriesExamined: number;
  /** Times an ended flow waited in the cache because the export queue was full. */
  exportStalls: number;
  /** Flows expired (put in the export queue), by reason, and the packets and bytes they held. */
  flowsExpired: number;
  expired: Record<FlowEndReason, number>;
  packetsExpired: number;
  bytesExpired: number;
  /** Packets of the batches that the selection left out (not offered). */
  unselected: number;
  /** Index lookups, slots probed by them, and the longest probe run. */
  lookups: number;
  probes: number;
  longestProbe: number;
  /** Flows in the cache now. */
  activeFlows: number;
  /** Expired flows waiting in the export queue. */
  queuedFlows: number;
}

/** Labels of the 26 buckets of the IP packet size distribution (upper bounds in bytes). */
export const PACKET_SIZE_BUCKETS: readonly number[] = [
  32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 480, 512, 544, 576, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 4608,
];

/** The bucket index of an IP packet of `length` bytes (first label ≥ the length; longer ones in the last). */
export function packetSizeBucket(length: number): number {
  if (length <= 576) return length <= 32 ? 0 : (length - 1) >> 5;
  if (length <= 4608) return 17 + ((length - 1) >> 9);
  return 25;
}

/** The protocol categories of `show ip cache flow`, in table order. */
export const PROTOCOL_CATEGORY_NAMES: readonly string[] = [
  "TCP-Telnet",
  "TCP-FTP",
  "TCP-FTPD",
  "TCP-WWW",
  "TCP-SMTP",
  "TCP-X",
  "TCP-BGP",
  "TCP-NNTP",
  "TCP-Frag",
  "TCP-other",
  "UDP-DNS",
  "UDP-NTP",
  "UDP-TFTP",
  "UDP-Frag",
  "UDP-other",
  "ICMP",
  "IGMP",
  "IPINIP",
  "GRE",
  "IP-other",
];

const TCP_PORTS: ReadonlyMap<number, number> = new Map([
  [23, 0],
  [21, 1],
  [20, 2],
  [80, 3],
  [25, 4],
  [179, 6],
  [119, 7],
]);
const UDP_PORTS: ReadonlyMap<number, number> = new Map([
  [53, 10],
  [123, 11],
  [69, 12],
]);

function portCategory(protocol: number, port: number): number | undefined {
  if (protocol === 6) return port >= 6000 && port <= 6063 ? 5 : TCP_PORTS.get(port);
  return UDP_PORTS.get(port);
}

/**
 * The protocol category of a flow: TCP and UDP by the destination port, then the source port
 * (a flow of non-first fragments is `-Frag`); ICMP and ICMPv6; IGMP; IP-in-IP; GRE; the rest.
 */
export function protocolCategory(flow: { protocol: number; srcPort: number; dstPort: number; fragmentOffset?: number }): number {
  const { protocol } = flow;
  if (protocol === 6 || protocol === 17) {
    if (flow.srcPort === 0 && flow.dstPort === 0 && (flow.fragmentOffset ?? 0) !== 0) return protocol === 6 ? 8 : 13;
    return portCategory(protocol, flow.dstPort) ?? portCategory(protocol, flow.srcPort) ?? (protocol === 6 ? 9 : 14);
  }
  if (protocol === 1 || protocol === 58) return 15;
  if (protocol === 2) return 16;
  if (protocol === 4) return 17;
  if (protocol === 47) return 18;
  return 19;
}

/** One row of the per-protocol table: sums over the flows of a category that have expired. */
export interface FlowProtocolStatistics {
  name: string;
  flows: number;
  packets: number;
  bytes: number;
  /** Sum over the flows of (last − first), ms. */
  activeMs: number;
  /** Sum over the flows of (expiry time − last), ms. */
  idleMs: number;
}

/** The statistics `show ip cache flow` prints. */
export interface FlowStatistics {
  /** Packets accounted per size bucket (see PACKET_SIZE_BUCKETS). */
  sizeDistribution: number[];
  /** Every protocol category, in table order (zero rows included). */
  protocols: FlowProtocolStatistics[];
}
