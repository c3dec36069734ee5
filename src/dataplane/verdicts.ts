/**
 * The Dataplane's per-packet verdicts, drop and punt reasons and counters, by the numbers the
 * WebAssembly pipeline writes (assembly/pipeline/state.ts). Shared by {@link Dataplane} and the
 * TypeScript reference composition, so both speak the same names.
 */

/** What happened to a packet. */
export type Verdict = "forwarded" | "queued" | "punted" | "dropped";

/** Verdict names by code. */
export const VERDICTS: readonly Verdict[] = ["forwarded", "queued", "punted", "dropped"];

/** Why a packet was dropped, or punted (to the router itself). */
export type Reason =
  | "no-route"
  | "ttl-expired"
  | "null-adjacency"
  | "drop-adjacency"
  | "arp-nexist"
  | "arp-rate-limited"
  | "arp-queue-full"
  | "malformed"
  | "not-ip"
  | "acl-denied"
  | "urpf-failed"
  | "arp-incomplete-full"
  | "arp-bad-target"
  | "bad-interface"
  | "not-ethernet"
  | "discard-adjacency"
  | "incomplete-adjacency"
  | "nd-unresolved"
  | "frame-too-large"
  | "acl-denied-out"
  | "bad-checksum"
  | "nat-table-full"
  | "nat-no-address"
  | "nat-untranslatable"
  | "bridge-filtered"
  | "arp"
  | "receive"
  | "glean"
  | "bridge-flooded";

/** Reason names by code (undefined: unused code). */
export const REASONS: readonly (Reason | undefined)[] = (() => {
  const names: (Reason | undefined)[] = new Array(32).fill(undefined);
  const list: [number, Reason][] = [
    [1, "no-route"],
    [2, "ttl-expired"],
    [3, "null-adjacency"],
    [4, "drop-adjacency"],
    [5, "arp-nexist"],
    [6, "arp-rate-limited"],
    [7, "arp-queue-full"],
    [8, "malformed"],
    [9, "not-ip"],
    [10, "acl-denied"],
    [11, "urpf-failed"],
    [12, "arp-incomplete-full"],
    [13, "arp-bad-target"],
    [14, "bad-interface"],
    [15, "not-ethernet"],
    [16, "discard-adjacency"],
    [17, "incomplete-adjacency"],
    [18, "nd-unresolved"],
    [19, "frame-too-large"],
    [20, "acl-denied-out"],
    [21, "bad-checksum"],
    [22, "nat-table-full"],
    [23, "nat-no-address"],
    [27, "nat-untranslatable"],
    [28, "bridge-filtered"],
    [24, "arp"],
    [25, "receive"],
    [26, "glean"],
    [29, "bridge-flooded"],
  ];
  for (const [code, name] of list) names[code] = name;
  return names;
})();

/** The code of a reason. */
export const REASON_CODES: Readonly<Record<Reason, number>> = Object.freeze(
  Object.fromEntries(REASONS.flatMap((name, code) => (name === undefined ? [] : [[name, code]]))) as Record<Reason, number>,
);

/** Reasons that are punts (the packet went to the router itself), not drops. */
export const PUNT_REASONS: readonly Reason[] = ["arp", "receive", "glean", "bridge-flooded"];

/** Global counter slots (u64) of the pipeline, by name. */
export const COUNTER_SLOTS = {
  packetsIn: 0,
  forwarded: 1,
  queued: 2,
  punted: 3,
  dropped: 4,
  releasedSent: 40,
  releasedFailed: 41,
  releasedOverflow: 42,
  releasedCleared: 43,
  releasedLost: 44,
  icmpTimeExceeded: 45,
  icmpUnreachable: 46,
  icmpRateLimited: 47,
  icmpNotAllowed: 48,
  arpRequestsOut: 49,
  arpRepliesOut: 50,
  outputOverflow: 51,
  arpTicks: 52,
  flowIngress: 53,
  flowEgress: 54,
  aclLogged: 55,
  urpfChecked: 56,
  aclChecked: 57,
  cefSwitched: 58,
  fastSwitched: 59,
  processSwitched: 60,
  natTranslatedIn: 61,
  natTranslatedOut: 62,
  bridged: 63,
} as const;
/** Where the per-reason totals start among the counter slots. */
export const REASON_COUNTER_BASE = 8;
/** Counter slots in all. */
export const COUNTER_COUNT = 64;

/** Per-interface counter slots (u64), by name. */
export const INTERFACE_COUNTER_SLOTS = {
  packetsIn: 0,
  bytesIn: 1,
  packetsOut: 2,
  bytesOut: 3,
  dropsIn: 4,
  punted: 5,
  queued: 6,
  arpOut: 7,
  icmpOut: 8,
} as const;
/** Where the per-interface per-reason counts start. */
export const INTERFACE_REASON_BASE = 16;
/** Where the per-interface counts by switching path start: + path × 4 + (packets in, bytes in, packets out, bytes out). */
export const INTERFACE_SWITCHING_BASE = 48;
/** Switching paths, in slot order: CEF, fast (route cache hit), process. */
export const SWITCHING_PATHS = ["cef", "fast", "process"] as const;
/** A switching path. */
export type SwitchingPath = (typeof SWITCHING_PATHS)[number];
/** Counter slots per interface. */
export const INTERFACE_COUNTER_COUNT = 64;

/** The Dataplane's counters (`show interfaces`-style totals and every stage's decisions). */
export interface DataplaneCounters {
  /** Packets given to `process`. */
  packetsIn: number;
  forwarded: number;
  /** Held while ARP resolves their next hop. */
  queued: number;
  punted: number;
  dropped: number;
  /** Drops and punts by reason (reasons that never happened are left out). */
  reasons: Partial<Record<Reason, number>>;
  /** Held packets that ARP released: sent once resolved, or dropped (failed, queue overflow, cleared). */
  released: { sent: number; failed: number; overflow: number; cleared: number; lost: number };
  /** ICMP errors sent, and those not sent (rate limit; not allowed by RFC 1812 / 4443). */
  icmp: { timeExceeded: number; unreachable: number; rateLimited: number; notAllowed: number };
  /** ARP frames sent. */
  arp: { requests: number; replies: number; ticks: number };
  /** Frames not made because the output area was full (drain after every call). */
  outputOverflow: number;
  /** Packets accounted by the flow cache ingress and egress. */
  flows: { ingress: number; egress: number };
  /** Access-list checks and `log` entries that matched. */
  acl: { checked: number; logged: number };
  /** uRPF checks made. */
  urpfChecked: number;
  /** Packets NAT translated: outside → inside (destination) and inside → outside (source). */
  nat: { translatedIn: number; translatedOut: number };
  /** Frames bridged to a port of their bridge group (received on a port, or routed out of a BVI). */
  bridged: number;
  /**
   * Packets that reached the switching step, by path: CEF switched (FIB lookup), fast switched
   * (a route cache hit) and process switched (a route cache miss, or `no ip route-cache`).
   */
  switching: { cef: number; fast: number; process: number };
}

/** One interface's packets by switching path, as `show interfaces stats` prints them. */
export interface SwitchingPathCounters {
  /** Packets that came in here and were switched on this path. */
  packetsIn: number;
  bytesIn: number;
  /** Packets switched on this path that left here. */
  packetsOut: number;
  bytesOut: number;
}

/** One interface's counters. */
export interface InterfaceCounters {
  name: string;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Packets that came in here and were dropped. */
  dropsIn: number;
  punted: number;
  queued: number;
  arpOut: number;
  icmpOut: number;
  /** Drops and punts of packets that came in here, by reason. */
  reasons: Partial<Record<Reason, number>>;
  /** Packets in and out by switching path. */
  switching: Record<SwitchingPath, SwitchingPathCounters>;
}

/** Decodes the pipeline's counter slots (u64 values as numbers). */
export function decodeCounters(slots: ArrayLike<number>): DataplaneCounters {
  const c = COUNTER_SLOTS;
  const reasons: Partial<Record<Reason, number>> = {};
  REASONS.forEach((name, code) => {
    const value = slots[REASON_COUNTER_BASE + code]!;
    if (name !== undefined && value !== 0) reasons[name] = value;
  });
  return {
    packetsIn: slots[c.packetsIn]!,
    forwarded: slots[c.forwarded]!,
    queued: slots[c.queued]!,
    punted: slots[c.punted]!,
    dropped: slots[c.dropped]!,
    reasons,
    released: {
      sent: slots[c.releasedSent]!,
      failed: slots[c.releasedFailed]!,
      overflow: slots[c.releasedOverflow]!,
      cleared: slots[c.releasedCleared]!,
      lost: slots[c.releasedLost]!,
    },
    icmp: {
      timeExceeded: slots[c.icmpTimeExceeded]!,
      unreachable: slots[c.icmpUnreachable]!,
      rateLimited: slots[c.icmpRateLimited]!,
      notAllowed: slots[c.icmpNotAllowed]!,
    },
    arp: { requests: slots[c.arpRequestsOut]!, replies: slots[c.arpRepliesOut]!, ticks: slots[c.arpTicks]! },
    outputOverflow: slots[c.outputOverflow]!,
    flows: { ingress: slots[c.flowIngress]!, egress: slots[c.flowEgress]! },
    acl: { checked: slots[c.aclChecked]!, logged: slots[c.aclLogged]! },
    urpfChecked: slots[c.urpfChecked]!,
    nat: { translatedIn: slots[c.natTranslatedIn]!, translatedOut: slots[c.natTranslatedOut]! },
    bridged: slots[c.bridged]!,
    switching: { cef: slots[c.cefSwitched]!, fast: slots[c.fastSwitched]!, process: slots[c.processSwitched]! },
  };
}

/** Decodes one interface's counter slots. */
export function decodeInterfaceCounters(name: string, slots: ArrayLike<number>): InterfaceCounters {
  const c = INTERFACE_COUNTER_SLOTS;
  const reasons: Partial<Record<Reason, number>> = {};
  REASONS.forEach((reason, code) => {
    const value = slots[INTERFACE_REASON_BASE + code]!;
    if (reason !== undefined && value !== 0) reasons[reason] = value;
  });
  return {
    name,
    packetsIn: slots[c.packetsIn]!,
    bytesIn: slots[c.bytesIn]!,
    packetsOut: slots[c.packetsOut]!,
    bytesOut: slots[c.bytesOut]!,
    dropsIn: slots[c.dropsIn]!,
    punted: slots[c.punted]!,
    queued: slots[c.queued]!,
    arpOut: slots[c.arpOut]!,
    icmpOut: slots[c.icmpOut]!,
    reasons,
    switching: Object.fromEntries(
      SWITCHING_PATHS.map((path, k) => {
        const at = INTERFACE_SWITCHING_BASE + 4 * k;
        return [path, { packetsIn: slots[at]!, bytesIn: slots[at + 1]!, packetsOut: slots[at + 2]!, bytesOut: slots[at + 3]! }];
      }),
    ) as Record<SwitchingPath, SwitchingPathCounters>,
  };
}

/** The kind of a frame the router originated or released. */
export type OutputKind = "released" | "arp-request" | "arp-reply" | "icmp";

/** Output kinds by code. */
export const OUTPUT_KINDS: readonly OutputKind[] = ["released", "arp-request", "arp-reply", "icmp"];

/** A frame leaving an interface that is not a forwarded packet of the batch. */
export interface OutputFrame {
  /** Egress interface index. */
  interface: number;
  kind: OutputKind;
  /** The Ethernet frame. */
  frame: Uint8Array;
  /** When it was made (ms). */
  time: number;
  /** Index of the batch packet it follows (-1: made before the batch's first packet, or by `tick`). */
  after: number;
}
