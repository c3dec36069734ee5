/** The bridge table's vocabulary: verdicts, counters, stations (shared with the reference and `show bridge`). */

/** One byte per frame from `BridgeTable.input` / `route` (values of assembly/bridge/state.ts). */
export const BridgeVerdict = {
  /** The interface is in no bridge group (or the BVI's group has no BVI): not bridged. */
  notBridged: 0,
  /** Forwarded to the station's port (`ports[i]`), fast switched. */
  forward: 1,
  /** The destination is on the input port: discarded. */
  filter: 2,
  /** Unknown unicast destination: flooded to the group's ports (HyBridge Input). */
  floodUnknown: 3,
  /** Broadcast: flooded to the group's ports and the BVI (HyBridge Input). */
  floodBroadcast: 4,
  /** Multicast: flooded likewise. */
  floodMulticast: 5,
  /** Addressed to the BVI: routed. */
  route: 6,
  /** The Ethernet header is missing or cut off: not bridged. */
  skipped: 7,
  /** Routed traffic out of the BVI to a station the group does not know: flooded and process switched. */
  floodRouted: 8,
} as const;

/** The counters, in the core's slot order. */
export const BRIDGE_COUNTER_NAMES = [
  "frames",
  "learned",
  "refreshed",
  "moved",
  "aged",
  "learnRefused",
  "sourceNotLearned",
  "forwarded",
  "filtered",
  "floodedUnknown",
  "floodedBroadcast",
  "floodedMulticast",
  "routed",
  "routedForwarded",
  "routedFlooded",
  "processSwitched",
  "notBridged",
  "skipped",
  "cleared",
] as const;

/** A counter's name. */
export type BridgeCounterName = (typeof BRIDGE_COUNTER_NAMES)[number];

/**
 * Counters. Conservation per group: `frames = forwarded + filtered + floodedUnknown +
 * floodedBroadcast + floodedMulticast + routed`; `processSwitched = floodedUnknown +
 * floodedBroadcast + floodedMulticast + routedFlooded` (what HyBridge Input handles).
 */
export type BridgeCounters = Record<BridgeCounterName, number>;

/** A learned station, as `show bridge` lists it. */
export interface BridgeStation {
  group: number;
  /** aa:bb:cc:dd:ee:ff */
  mac: string;
  ifIndex: number;
  interface: string;
  lastSeenAt: number;
  expiresAt: number;
  /** Frames received from it, forwarded to it. */
  rx: number;
  tx: number;
}

/** Sorts stations by group, then MAC. */
export function sortStations(list: BridgeStation[]): BridgeStation[] {
  return list.sort((a, b) => a.group - b.group || (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
}
