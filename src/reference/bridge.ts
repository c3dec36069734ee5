/**
 * The bridge table in plain TypeScript: the oracle {@link BridgeTable} is checked against,
 * written from the rules (README "Bridging and IRB"), with one insertion-ordered map of
 * stations per group. The rules:
 * 1. A frame on an interface in no bridge group: `notBridged`. Not Ethernet, or its Ethernet
 *    header cut off: `skipped`. Otherwise it counts as a frame of the group.
 * 2. Learning: a unicast, non-zero source other than the BVI's MAC is learned on the input
 *    port (refreshed, or moved when it was on another port); the station expires `aging-time`
 *    after it was last heard. A full table refuses new stations (`learnRefused`).
 * 3. Destination: broadcast → flood; other multicast → flood; the BVI's MAC → route; a live
 *    station → forward to its port (filter when that is the input port); else flood unknown.
 *    Floods are process switched (HyBridge Input).
 * 4. Routed traffic out of BVI N to a next-hop MAC: a live station → forward (fast switched),
 *    otherwise flood and process switch.
 * 5. An expired station met by a lookup is aged out then; the ager removes expired stations
 *    group by group in number order, in expiry order, at most `agerWork` per call.
 */

import { ConfigError, describe } from "../errors.js";
import { formatMac, parseMac } from "../net/mac.js";
import { type BridgeOptions, type ResolvedBridgeOptions, resolveBridgeOptions } from "../bridge/options.js";
import {
  type BridgeCounters,
  type BridgeCounterName,
  type BridgeStation,
  BRIDGE_COUNTER_NAMES,
  BridgeVerdict,
  sortStations,
} from "../bridge/types.js";

/** A frame as the reference reads it (fields of `PacketBatch.packet`). */
export interface ReferenceBridgeFrame {
  interface: number;
  status: string;
  linkType: number;
  srcMac?: string;
  dstMac?: string;
}

interface Station {
  mac: string;
  port: number;
  lastSeenAt: number;
  expiresAt: number;
  rx: number;
  tx: number;
}

const zero = (): BridgeCounters => Object.fromEntries(BRIDGE_COUNTER_NAMES.map((n) => [n, 0])) as BridgeCounters;

/** The reference bridge table (same options and results as {@link BridgeTable}). */
export class ReferenceBridgeTable {
  readonly config: Readonly<ResolvedBridgeOptions>;
  readonly #groups = new Map<number, { agingTime: number; bvi: string | null; stations: Map<string, Station> }>();
  readonly #ports = new Map<number, number>();
  readonly #names = new Map<number, string>();
  readonly #counters = new Map<number, BridgeCounters>();
  #live = 0;
  #last = 0;
  clockBackwards = 0;

  constructor(options: BridgeOptions = {}) {
    const { core: _core, seed: _seed, ...rest } = options;
    this.config = resolveBridgeOptions(rest);
    for (const g of this.config.groups) {
      this.#groups.set(g.group, { agingTime: g.agingTime, bvi: g.bvi ? formatMac(g.bvi) : null, stations: new Map() });
    }
    for (const i of this.config.interfaces) {
      this.#names.set(i.ifIndex, i.name);
      if (i.bridgeGroup !== null) this.#ports.set(i.ifIndex, i.bridgeGroup);
    }
  }

  #count(group: number, name: BridgeCounterName): void {
    let c = this.#counters.get(group);
    if (c === undefined) this.#counters.set(group, (c = zero()));
    c[name]++;
  }

  #time(now: unknown): number {
    if (typeof now !== "number" || !Number.isFinite(now) || now < 0 || now > 2 ** 53) {
      throw new ConfigError("bridge-time", `invalid time ${describe(now)}: expected milliseconds from 0 to 2^53`, now);
    }
    let t = Math.floor(now);
    if (t < this.#last) {
      this.clockBackwards++;
      t = this.#last;
    }
    return (this.#last = t);
  }

  #lookup(group: number, mac: string, now: number): Station | undefined {
    const stations = this.#groups.get(group)!.stations;
    const s = stations.get(mac);
    if (s !== undefined && s.expiresAt <= now) {
      stations.delete(mac);
      this.#live--;
      this.#count(group, "aged");
      return undefined;
    }
    return s;
  }

  /** Frames received at `now`: verdicts and ports, as {@link BridgeTable.input}. */
  input(frames: ReferenceBridgeFrame[], now: number): { verdicts: Uint8Array; ports: Uint32Array } {
    const t = this.#time(now);
    const verdicts = new Uint8Array(frames.length);
    const ports = new Uint32Array(frames.length);
    frames.forEach((f, i) => {
      const [verdict, port] = this.#frame(f, t);
      verdicts[i] = verdict;
      ports[i] = port;
    });
    return { verdicts, ports };
  }

  #frame(f: ReferenceBridgeFrame, now: number): [number, number] {
    const group = this.#ports.get(f.interface);
    if (group === undefined) {
      this.#count(0, "notBridged");
      return [BridgeVerdict.notBridged, 0];
    }
    if (
      f.linkType !== 1 ||
      f.status === "unsupported-link-type" ||
      f.status === "truncated-link-header" ||
      f.status === "frame-out-of-bounds"
    ) {
      this.#count(group, "skipped");
      return [BridgeVerdict.skipped, 0];
    }
    this.#count(group, "frames");
    const g = this.#groups.get(group)!;
    const src = f.srcMac ?? "00:00:00:00:00:00";
    const dst = f.dstMac ?? "00:00:00:00:00:00";
    const multicast = (mac: string) => (parseInt(mac.slice(0, 2), 16) & 1) === 1;
    if (!multicast(src) && src !== "00:00:00:00:00:00" && src !== g.bvi) this.#learn(group, src, f.interface, now);
    else this.#count(group, "sourceNotLearned");
    if (dst === "ff:ff:ff:ff:ff:ff") return this.#flood(group, "floodedBroadcast", BridgeVerdict.floodBroadcast);
    if (multicast(dst)) return this.#flood(group, "floodedMulticast", BridgeVerdict.floodMulticast);
    if (g.bvi !== null && dst === g.bvi) {
      this.#count(group, "routed");
      return [BridgeVerdict.route, group];
    }
    const s = this.#lookup(group, dst, now);
    if (s === undefined) return this.#flood(group, "floodedUnknown", BridgeVerdict.floodUnknown);
    if (s.port === f.interface) {
      this.#count(group, "filtered");
      return [BridgeVerdict.filter, group];
    }
    s.tx++;
    this.#count(group, "forwarded");
    return [BridgeVerdict.forward, s.port];
  }

  #flood(group: number, name: BridgeCounterName, verdict: number): [number, number] {
    this.#count(group, name);
    this.#count(group, "processSwitched");
    return [verdict, group];
  }

  #learn(group: number, mac: string, port: number, now: number): void {
    const g = this.#groups.get(group)!;
    const s = this.#lookup(group, mac, now);
    if (s !== undefined) {
      this.#count(group, s.port === port ? "refreshed" : "moved");
      s.port = port;
      s.rx++;
      s.lastSeenAt = now;
      s.expiresAt = now + g.agingTime;
      g.stations.delete(mac);
      g.stations.set(mac, s);
      return;
    }
    if (this.#live >= this.config.capacity) {
      this.#count(group, "learnRefused");
      return;
    }
    g.stations.set(mac, { mac, port, lastSeenAt: now, expiresAt: now + g.agingTime, rx: 1, tx: 0 });
    this.#live++;
    this.#count(group, "learned");
  }

  /** A routed frame out of BVI `group` to `mac`, as {@link BridgeTable.route}. */
  route(group: number, mac: string, now: number): { verdict: number; port: number } {
    const t = this.#time(now);
    const g = this.#groups.get(group);
    if (g === undefined || g.bvi === null) {
      this.#count(0, "notBridged");
      return { verdict: BridgeVerdict.notBridged, port: 0 };
    }
    const m = formatMac(parseMac(mac));
    const s = (parseInt(m.slice(0, 2), 16) & 1) === 1 ? undefined : this.#lookup(group, m, t);
    if (s === undefined) {
      this.#count(group, "routedFlooded");
      this.#count(group, "processSwitched");
      return { verdict: BridgeVerdict.floodRouted, port: group };
    }
    s.tx++;
    this.#count(group, "routedForwarded");
    return { verdict: BridgeVerdict.forward, port: s.port };
  }

  age(now: number): number {
    const t = this.#time(now);
    let removed = 0;
    for (const group of [...this.#groups.keys()].sort((a, b) => a - b)) {
      const stations = this.#groups.get(group)!.stations;
      for (const s of [...stations.values()]) {
        if (removed >= this.config.agerWork || s.expiresAt > t) break;
        stations.delete(s.mac);
        this.#live--;
        this.#count(group, "aged");
        removed++;
      }
    }
    return removed;
  }

  clear(group?: number): number {
    let removed = 0;
    for (const [g, state] of this.#groups) {
      if (group !== undefined && g !== group) continue;
      for (const _ of state.stations.values()) {
        this.#count(g, "cleared");
        removed++;
      }
      this.#live -= state.stations.size;
      state.stations.clear();
    }
    return removed;
  }

  counters(group?: number): BridgeCounters {
    const total = zero();
    for (const [g, c] of this.#counters) {
      if (group !== undefined && g !== group) continue;
      for (const n of BRIDGE_COUNTER_NAMES) total[n] += c[n];
    }
    return total;
  }

  stations(group?: number): BridgeStation[] {
    const out: BridgeStation[] = [];
    for (const [g, state] of this.#groups) {
      if (group !== undefined && g !== group) continue;
      for (const s of state.stations.values()) {
        out.push({
          group: g,
          mac: s.mac,
          ifIndex: s.port,
          interface: this.#names.get(s.port) ?? `interface ${s.port}`,
          lastSeenAt: s.lastSeenAt,
          expiresAt: s.expiresAt,
          rx: s.rx,
          tx: s.tx,
        });
      }
    }
    return sortStations(out);
  }
}
