/**
 * One-line, tcpdump-like summaries of parsed packets, and the closing count by status, for
 * `dataplane packets`.
 */

import type { Packet } from "../packet/packet.js";
import { PACKET_STATUSES } from "../packet/status.js";

const TCP_FLAG_LETTERS: [number, string][] = [
  [0x002, "S"],
  [0x001, "F"],
  [0x004, "R"],
  [0x008, "P"],
  [0x010, "."],
  [0x020, "U"],
  [0x040, "E"],
  [0x080, "W"],
  [0x100, "A"],
];
const PROTOCOL_NAMES: Record<number, string> = {
  1: "ICMP",
  2: "IGMP",
  4: "IPIP",
  6: "TCP",
  17: "UDP",
  41: "IPv6",
  47: "GRE",
  50: "ESP",
  51: "AH",
  58: "ICMPv6",
  89: "OSPF",
  103: "PIM",
  132: "SCTP",
};

/** ISO-8601 UTC time with microseconds: 2012-11-23T16:20:39.425111Z. */
export function formatPacketTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  const date = new Date(whole + (micros === 1000 ? 1 : 0));
  // Beyond the date range (±8.64e15 ms) there is no calendar date: the milliseconds as they are.
  if (Number.isNaN(date.getTime())) return `${ms}ms`;
  return `${date.toISOString().slice(0, -1)}${String(micros % 1000).padStart(3, "0")}Z`;
}

/** TCP flags as tcpdump prints them: [S.] for SYN+ACK. */
export function formatTcpFlags(flags: number): string {
  const letters = TCP_FLAG_LETTERS.filter(([bit]) => flags & bit)
    .map(([, letter]) => letter)
    .join("");
  return `[${letters || "none"}]`;
}

function endpoint(address: string | undefined, port: number | undefined, version: number | undefined): string {
  if (port === undefined) return address ?? "?";
  return version === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** A one-line summary of a packet, e.g. `10.0.0.1:1234 > 10.0.0.2:80 TCP [S] ttl 64 ...`. */
export function formatPacketLine(index: number, p: Packet): string {
  const parts = [String(index).padStart(6), formatPacketTime(p.time)];
  if (p.srcMac !== undefined) parts.push(p.dstMac === undefined ? `${p.srcMac} >` : `${p.srcMac} > ${p.dstMac}`);
  if (p.vlanOuter !== undefined) parts.push(p.vlanInner !== undefined ? `vlan ${p.vlanOuter}.${p.vlanInner}` : `vlan ${p.vlanOuter}`);
  if (p.ipVersion !== undefined) {
    const protocol = PROTOCOL_NAMES[p.protocol!] ?? `proto ${p.protocol}`;
    parts.push(`IPv${p.ipVersion} ${endpoint(p.src, p.srcPort, p.ipVersion)} > ${endpoint(p.dst, p.dstPort, p.ipVersion)} ${protocol}`);
    if (p.tcpFlags !== undefined) parts.push(formatTcpFlags(p.tcpFlags));
    if (p.icmpType !== undefined) parts.push(`type ${p.icmpType} code ${p.icmpCode}`);
    parts.push(`tos 0x${p.tos!.toString(16)} ttl ${p.ttl} id ${p.ipId} len ${p.ipLength}`);
    const flags = p.fragmentFlags ?? 0;
    if (flags & 0x40) parts.push("DF");
    if (flags & 0x20 || p.fragmentOffset) parts.push(`frag ${p.fragmentOffset! * 8}${flags & 0x20 ? "+" : ""}`);
  } else if (p.arpSenderAddress !== undefined) {
    parts.push(
      p.arpOperation === 1
        ? `ARP who-has ${p.arpTargetAddress} tell ${p.arpSenderAddress} (${p.arpSenderMac})`
        : p.arpOperation === 2
          ? `ARP reply ${p.arpSenderAddress} is-at ${p.arpSenderMac}`
          : `ARP op ${p.arpOperation} ${p.arpSenderAddress} > ${p.arpTargetAddress}`,
    );
  } else if (p.status === "llc") {
    parts.push("802.3/LLC");
  } else if (p.etherType !== undefined) {
    parts.push(`ethertype 0x${p.etherType.toString(16).padStart(4, "0")}`);
  }
  parts.push(`caplen ${p.capturedLength}/${p.wireLength}`);
  if (p.status !== "ok") parts.push(`[${p.status}]`);
  return parts.join(" ");
}

/** "12 packets: ok 10, arp 2" (statuses in their numeric order). */
export function formatStatusCounts(total: number, counts: Record<string, number>): string {
  const order = (name: string) => (PACKET_STATUSES as Record<string, { code: number }>)[name]?.code ?? 99;
  const listed = Object.entries(counts)
    .sort((a, b) => order(a[0]) - order(b[0]))
    .map(([name, n]) => `${name} ${n}`);
  return `${total} packets${listed.length ? `: ${listed.join(", ")}` : ""}`;
}
