/**
 * What an ARP table returns: verdicts, drained requests and released handles, counters,
 * occupancy and entries. Shared by the WebAssembly {@link ArpTable} and the TypeScript
 * reference, which must produce identical values.
 */

/** Verdict codes written by `resolveBatch`, one u8 per address. */
export const ArpVerdict = {
  /** The MAC is known (PRESENT or STATIC). */
  found: 0,
  /** The packet waits for resolution under a handle (`drainReleased` returns it). */
  queued: 1,
  /** The address is known not to answer (NEXIST): dropped at once, no request. */
  nexist: 2,
  /** A new resolution was refused by the request budget: dropped, no entry. */
  rateLimited: 3,
  /** A new resolution was refused: no INCOMPLETE slot. */
  noSlot: 4,
  /** Resolution is pending but the packet could not be queued. */
  queueFull: 5,
  /** Not an address a neighbour can have (ours, multicast, broadcast, 0.0.0.0, loopback). */
  badTarget: 6,
  /** No such interface. */
  badInterface: 7,
  /** Or'ed into a drop verdict when an ICMP host-unreachable may be sent (ICMP bucket). */
  icmpFlag: 0x80,
} as const;

/** Why a packet was dropped by `resolve`. */
export type ArpDropReason = "nexist" | "rate-limited" | "no-slot" | "queue-full" | "bad-target" | "bad-interface";

const DROP_REASONS: ArpDropReason[] = [
  "nexist",
  "nexist",
  "nexist",
  "rate-limited",
  "no-slot",
  "queue-full",
  "bad-target",
  "bad-interface",
];

/** The outcome of resolving one packet's next hop. */
export type ArpResolveResult =
  | { status: "found"; mac: string }
  | { status: "queued"; handle: number }
  | { status: "dropped"; reason: ArpDropReason; icmp: boolean };

/** Decodes a drop verdict. */
export function dropReason(verdict: number): ArpDropReason {
  return DROP_REASONS[verdict & 0x7f] ?? "bad-interface";
}

/** An ARP packet the host must transmit (from `drainRequests`). */
export interface ArpOutput {
  ifIndex: number;
  /** `request` (ours: broadcast for discovery, unicast to refresh) or `reply` (to a request for our address). */
  op: "request" | "reply";
  /** Target protocol address. */
  targetIp: string;
  /** Target hardware address, or null for a broadcast request. */
  targetMac: string | null;
  /** Our address the packet is sent from. */
  senderIp: string;
  /** Our interface MAC. */
  senderMac: string;
  /** When the table decided to send it (ms). */
  time: number;
}

/** Why a queued packet was dropped. */
export type ArpReleaseReason = "resolve-failed" | "queue-overflow" | "cleared";
const RELEASE_REASONS: ArpReleaseReason[] = ["resolve-failed", "resolve-failed", "queue-overflow", "cleared"];

/** A queued packet handle the host may now send, or must drop (from `drainReleased`). */
export type ArpRelease =
  | { handle: number; ifIndex: number; ip: string; status: "sent"; mac: string }
  | { handle: number; ifIndex: number; ip: string; status: "dropped"; reason: ArpReleaseReason; icmp: boolean };

/** Decodes a release reason code (0 = sent). */
export function releaseReason(code: number): ArpReleaseReason {
  return RELEASE_REASONS[code] ?? "cleared";
}

/**
 * Counter names, in the order of the WebAssembly core (assembly/arp/state.ts). The transition
 * table rows of research §8.4 each have one (see README "ARP").
 */
export const ARP_COUNTER_NAMES = [
  "resolveCalls",
  "presentHits",
  "nexistHits",
  "incompleteQueued",
  "demandRetries",
  "admitted",
  "admitRefusedSlots",
  "admitRefusedRate",
  "badTarget",
  "queueOverflow",
  "queueFull",
  "icmpAllowed",
  "icmpSuppressed",
  "retries",
  "retryDeferred",
  "resolveFailed",
  "nexistEvicted",
  "nexistExpired",
  "refreshSent",
  "refreshDeferred",
  "presentExpired",
  "arpReceived",
  "arpBadOp",
  "arpBadSenderMac",
  "arpMacMismatch",
  "arpBadSenderIp",
  "arpOwnAddress",
  "arpOffLink",
  "arpProbe",
  "resolved",
  "resolvedUnconfirmed",
  "presentFull",
  "presentEvicted",
  "nexistClearedByArp",
  "nexistLearned",
  "presentRefreshed",
  "lockIgnored",
  "macMoved",
  "staticProtected",
  "learnedFromRequest",
  "requestNotLearned",
  "unsolicitedIgnored",
  "unsolicitedLearned",
  "repliesSent",
  "replyRingFull",
  "ipReceived",
  "incompleteIpIgnored",
  "nexistClearedByIp",
  "cleared",
  "requestsSent",
  "requestRingFull",
  "releasedSent",
  "releasedDropped",
  "handlesIssued",
  "staticAdded",
  "staticRemoved",
  "nexistFullKept",
  "seenRecorded",
  "admittedSeen",
] as const;

/** The name of one per-interface counter. */
export type ArpCounterName = (typeof ARP_COUNTER_NAMES)[number];

/** Every counter, summed over the interfaces (or of one), plus the table-wide ones. */
export type ArpCounters = Record<ArpCounterName, number> & {
  /** Calls that named no interface. */
  badInterface: number;
  /** Calls whose `now` was before an earlier call's (time is held, not moved back). */
  clockBackwards: number;
};

/** Index of a counter name. */
export const COUNTER_INDEX: Readonly<Record<ArpCounterName, number>> = Object.freeze(
  Object.fromEntries(ARP_COUNTER_NAMES.map((name, i) => [name, i])) as Record<ArpCounterName, number>,
);

/** What a received ARP packet led to. */
export interface ArpReceiveResult {
  /** The counter of the decision (e.g. `resolved`, `unsolicitedIgnored`, `arpBadSenderMac`). */
  decision: ArpCounterName;
  /** Whether a reply to a request for our address was queued for `drainRequests`. */
  replied: boolean;
}

/** Occupancy of one interface. */
export interface ArpInterfaceOccupancy {
  ifIndex: number;
  name: string;
  present: number;
  static: number;
  incomplete: number;
  nexist: number;
  /** NEXIST ring positions in use (live entries and holes left by cleared ones). */
  nexistPositions: number;
  /** Packet handles waiting in INCOMPLETE queues. */
  queued: number;
  /** Released handles not yet drained. */
  pendingReleases: number;
  /** Requests and replies not yet drained. */
  pendingRequests: number;
  pendingReplies: number;
  /** Bytes allocated for this interface at creation (constant). */
  bytes: number;
  capacity: { present: number; static: number; incomplete: number; nexist: number; queue: number };
  peak: { present: number; incomplete: number; nexist: number; queued: number };
  /** Request tokens not owed to pending retries. */
  freeTokens: number;
  /** Retries that admitted INCOMPLETE entries will still send (timer mode). */
  obligations: number;
  /** Addresses remembered after evidence of life (priority for their first resolution). */
  seen: number;
  seenCapacity: number;
}

/** Occupancy of the whole table. */
export interface ArpOccupancy {
  interfaces: ArpInterfaceOccupancy[];
  present: number;
  static: number;
  incomplete: number;
  nexist: number;
  queued: number;
  /** Bytes of all tables, allocated at creation. */
  bytes: number;
}

/** One entry, as `entries()` lists it. */
export interface ArpEntry {
  ifIndex: number;
  ip: string;
  state: "present" | "static" | "incomplete" | "nexist";
  /** PRESENT/STATIC: the MAC. */
  mac?: string;
  /** PRESENT learned without a solicited reply (or moved): not yet confirmed. */
  unconfirmed?: boolean;
  /** PRESENT being refreshed (unicast requests before expiry). */
  refreshing?: boolean;
  /** PRESENT: expiry; NEXIST: end of the hold; INCOMPLETE: next timer event. */
  expiresAt?: number;
  /** PRESENT/STATIC: last binding change; INCOMPLETE: creation. */
  updatedAt?: number;
  /** PRESENT: last resolution that used it. INCOMPLETE: last request. */
  lastUsedAt?: number;
  /** INCOMPLETE: requests sent (the n of INCOMPLETE[n]); PRESENT: refresh requests sent. */
  requests?: number;
  /** INCOMPLETE: queued packets. */
  queued?: number;
  /** NEXIST/INCOMPLETE: consecutive failures (back-off). */
  failures?: number;
  /** NEXIST held because the reply could not be stored (PRESENT full). */
  full?: boolean;
}

/** Sorts entries by interface, then address. */
export function sortEntries(entries: ArpEntry[]): ArpEntry[] {
  const key = (ip: string) => ip.split(".").reduce((v, o) => v * 256 + Number(o), 0);
  return entries.sort((a, b) => a.ifIndex - b.ifIndex || key(a.ip) - key(b.ip));
}
