/**
 * The reference access-list matcher: IOS's rules written out plainly over {@link AccessList}
 * objects (first matching entry decides; implicit deny; wildcard masks; port operators;
 * `established`; ICMP type and code; a non-first fragment matches an entry with layer-4
 * criteria only when the entry permits), with a counter per entry.
 */

import type { AccessList, AccessListEntry, PortMatch, WildcardAddress } from "../dataplane/acl.js";

/** The fields of an IPv4 packet an access list looks at. */
export interface AclPacket {
  src: number;
  dst: number;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  icmpType: number;
  icmpCode: number;
  /** A non-first fragment (no layer-4 header). */
  fragment: boolean;
}

function addressMatches(w: WildcardAddress, address: number): boolean {
  for (let bit = 0; bit < 32; bit++) {
    const careful = ((w.wildcard >>> bit) & 1) === 0;
    if (careful && ((w.address >>> bit) & 1) !== ((address >>> bit) & 1)) return false;
  }
  return true;
}

function portMatches(m: PortMatch | undefined, port: number): boolean {
  if (m === undefined) return true;
  switch (m.op) {
    case "eq":
      return port === m.low;
    case "neq":
      return port !== m.low;
    case "lt":
      return port < m.low;
    case "gt":
      return port > m.low;
    case "range":
      return port >= m.low && port <= m.high!;
  }
}

/** Whether the entry's criteria all hold for the packet. */
export function referenceEntryMatches(e: AccessListEntry, p: AclPacket): boolean {
  if (e.protocol !== "ip" && e.protocol !== p.protocol) return false;
  if (!addressMatches(e.source, p.src) || !addressMatches(e.destination, p.dst)) return false;
  const layer4 = e.sourcePort !== undefined || e.destinationPort !== undefined || e.established === true || e.icmpType !== undefined;
  if (!layer4) return true;
  if (p.fragment) return e.action === "permit";
  if (!portMatches(e.sourcePort, p.srcPort) || !portMatches(e.destinationPort, p.dstPort)) return false;
  if (e.established && (p.tcpFlags & 0x10) === 0 && (p.tcpFlags & 0x04) === 0) return false;
  if (e.icmpType !== undefined && p.icmpType !== e.icmpType) return false;
  if (e.icmpCode !== undefined && e.icmpType !== undefined && p.icmpCode !== e.icmpCode) return false;
  return true;
}

/** An access list with its counters. */
export class ReferenceAccessList {
  readonly matches: number[];
  implicitDenies = 0;
  logged = 0;
  constructor(readonly list: AccessList) {
    this.matches = list.entries.map(() => 0);
  }

  /** Whether the list permits the packet (counting the deciding entry). */
  permits(p: AclPacket): boolean {
    for (let k = 0; k < this.list.entries.length; k++) {
      const e = this.list.entries[k]!;
      if (!referenceEntryMatches(e, p)) continue;
      this.matches[k]!++;
      if (e.log) this.logged++;
      return e.action === "permit";
    }
    this.implicitDenies++;
    return false;
  }
}
