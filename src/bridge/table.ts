/**
 * Transparent bridging as IRB uses it, in WebAssembly (Cisco IOS `bridge N protocol ieee`,
 * `bridge-group`, `bridge irb`, `interface BVI N`; the Code Red note's IRB section, seed spec
 * §1.11): stations learned per bridge group with `bridge N aging-time` (default 300 s), unknown
 * unicast, broadcast and multicast flooded to the group's ports, the BVI as the routed port.
 * Routed traffic out of a BVI to a station whose bridge entry has aged — while its ARP entry
 * (4 h) lives on — is flooded and process switched, and counted as such.
 */

import { ConfigError, describe } from "../errors.js";
import { type MacInput, formatMac, parseMac } from "../net/mac.js";
import { checkOptionNames, checkTableTime } from "../common/validation.js";
import { type Core, coreFrom, disposedCore } from "../wasm/core.js";
import { TableMemory } from "../wasm/table-memory.js";
import type { WasmExports } from "../wasm/exports.js";
import { PacketBatch } from "../packet/batch.js";
import { type BridgeOptions, type ResolvedBridgeOptions, BRIDGE_OPTION_NAMES, resolveBridgeOptions, macHalves } from "./options.js";
import { type BridgeCounters, type BridgeStation, BRIDGE_COUNTER_NAMES, sortStations } from "./types.js";
import { renderBridge } from "./show.js";

const NIL = 0xffffffff;
const SCRATCH_BYTES = 4096;

/** Options of {@link BridgeTable.input}. */
export interface BridgeInputOptions {
  now: number;
  from?: number;
  count?: number;
}

/** Verdicts and output ports (interface for forward; group for floods and route) per frame. */
export interface BridgeDecisions {
  verdicts: Uint8Array;
  ports: Uint32Array;
}

/**
 * The bridge table.
 *
 * @example
 * ```ts
 * const bridge = new BridgeTable({
 *   groups: [{ group: 1 }],
 *   interfaces: [{ name: "ATM0.1", bridgeGroup: 1 }, { name: "ATM0.2", bridgeGroup: 1 }],
 *   irb: true,
 *   bvis: [{ group: 1, mac: "0000.0c00.0001" }],
 * });
 * const batch = PacketBatch.from([{ interface: 0, srcMac: "00:11:22:33:44:55", dstMac: "ff:ff:ff:ff:ff:ff" }], { core: bridge.core });
 * bridge.input(batch, { now: 0 }).verdicts;      // [4]: a broadcast, flooded; 00:11:22:33:44:55 learned on ATM0.1
 * bridge.route(1, "00:11:22:33:44:55", 1000);   // { verdict: 1, port: 0 }: routed traffic fast switched
 * bridge.route(1, "00:11:22:33:44:55", 301_000); // { verdict: 8, port: 1 }: aged out: flooded, process switched
 * ```
 */
export class BridgeTable {
  readonly core: Core;
  readonly config: Readonly<ResolvedBridgeOptions>;
  #wasm: WasmExports;
  readonly #memory: TableMemory;
  readonly #handle: number;
  readonly #scratch: number;
  readonly #names = new Map<number, string>();
  #stagingCount = 0;
  #disposed = false;

  constructor(options: BridgeOptions = {}) {
    checkOptionNames(options, BRIDGE_OPTION_NAMES, "BridgeTable");
    const config = resolveBridgeOptions(options);
    this.config = config;
    const core = coreFrom(options);
    const [low, high] = core.componentSeed(options.seed);
    this.core = core;
    this.#wasm = core.wasm;
    const w = this.#wasm;
    const memory = new TableMemory(
      core,
      "bridge",
      { bytes: w.bridgeBytes(config.capacity), scratchBytes: SCRATCH_BYTES },
      (limit) => w.bridgeCreate(config.capacity, config.agerWork, low, high, limit),
      { what: `a bridge table of ${config.capacity} stations`, parameter: "capacity", value: config.capacity },
    );
    this.#memory = memory;
    const handle = memory.handle;
    this.#handle = handle;
    this.#scratch = memory.scratch;
    for (const g of config.groups) {
      const [h, l] = g.bvi ? macHalves(g.bvi) : [0, 0];
      w.bridgeSetGroup(handle, g.group, g.agingTime, h, l, g.bvi ? 1 : 0);
    }
    for (const i of config.interfaces) {
      this.#names.set(i.ifIndex, i.name);
      if (i.bridgeGroup !== null) w.bridgeSetPort(handle, i.ifIndex, i.bridgeGroup);
    }
  }

  /** Room for `count` rows: MACs (8 bytes), then ports (4) and verdicts (1), each array #stagingCount rows long. */
  #stage(count: number): number {
    const at = this.#memory.staging(Math.max(count, 1024) * 13);
    this.#stagingCount = Math.floor(this.#memory.stagingBytes / 13);
    return at;
  }

  /**
   * Frames received on bridged interfaces (a batch made on this table's core): learns their
   * sources and decides where each goes.
   * @throws ConfigError when the batch lives on another core; RangeError for a bad range.
   */
  input(batch: PacketBatch, options: BridgeInputOptions): BridgeDecisions {
    if (!(batch instanceof PacketBatch) || batch.core !== this.core) {
      throw new ConfigError(
        "batch-core",
        "the batch must live on the bridge table's core: create it with new PacketBatch({ core: bridge.core })",
        batch,
      );
    }
    const now = checkTime(options?.now);
    const from = options.from ?? 0;
    const count = options.count ?? batch.length - from;
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(count) || count < 0 || from + count > batch.length) {
      throw new RangeError(`invalid packet range from ${describe(from)} count ${describe(count)} of ${batch.length}`);
    }
    const at = this.#stage(count);
    const portsAt = at + this.#stagingCount * 8;
    const verdictsAt = at + this.#stagingCount * 12;
    this.#wasm.bridgeInputBatch(this.#handle, batch.handle, from, count, now, verdictsAt, portsAt);
    const buffer = this.#wasm.memory.buffer;
    return { verdicts: new Uint8Array(buffer, verdictsAt, count).slice(), ports: new Uint32Array(buffer, portsAt, count).slice() };
  }

  /** A routed frame leaving through BVI `group` to the next hop `mac` (from ARP): forwarded or flooded. */
  route(group: number, mac: MacInput, now: number): { verdict: number; port: number } {
    const [h, l] = macHalves(parseMac(mac));
    const verdict = this.#wasm.bridgeRouteOne(this.#handle, checkGroup(group), h, l, checkTime(now));
    return { verdict, port: this.#wasm.bridgeResultPort(this.#handle) };
  }

  /** {@link route} for many next hops at once. */
  routeBatch(group: number, macs: readonly MacInput[], now: number): BridgeDecisions {
    const g = checkGroup(group);
    const t = checkTime(now);
    const at = this.#stage(macs.length);
    const words = new Uint32Array(this.#wasm.memory.buffer, at, macs.length * 2);
    macs.forEach((m, i) => {
      const [h, l] = macHalves(parseMac(m));
      words[2 * i] = l;
      words[2 * i + 1] = h;
    });
    const portsAt = at + this.#stagingCount * 8;
    const verdictsAt = at + this.#stagingCount * 12;
    this.#wasm.bridgeRouteBatch(this.#handle, g, at, macs.length, t, verdictsAt, portsAt);
    const buffer = this.#wasm.memory.buffer;
    return {
      verdicts: new Uint8Array(buffer, verdictsAt, macs.length).slice(),
      ports: new Uint32Array(buffer, portsAt, macs.length).slice(),
    };
  }

  /** The interfaces a flood of `group` goes out of (all of the group's ports but `except`). */
  floodPorts(group: number, except?: number): number[] {
    return this.config.interfaces.filter((i) => i.bridgeGroup === group && i.ifIndex !== except).map((i) => i.ifIndex);
  }

  /** Runs the ager at `now`; returns the stations removed (at most `agerWork`). */
  age(now: number): number {
    return this.#wasm.bridgeAge(this.#handle, checkTime(now));
  }

  /** `clear bridge [N]`: removes learned stations; returns how many. */
  clear(group?: number): number {
    return this.#wasm.bridgeClear(this.#handle, group === undefined ? 0 : checkGroup(group));
  }

  /** The counters of one group, or summed over every group (and the frames of no group). */
  counters(group?: number): BridgeCounters {
    const groups = group === undefined ? Array.from({ length: 256 }, (_, g) => g) : [checkGroup(group)];
    const totals = new Array<number>(BRIDGE_COUNTER_NAMES.length).fill(0);
    for (const g of groups) {
      const slots = new BigUint64Array(this.#wasm.memory.buffer, this.#wasm.bridgeCounters(this.#handle, g), BRIDGE_COUNTER_NAMES.length);
      for (let k = 0; k < totals.length; k++) totals[k]! += Number(slots[k]!);
    }
    return Object.fromEntries(BRIDGE_COUNTER_NAMES.map((n, k) => [n, totals[k]!])) as BridgeCounters;
  }

  /** Stations, capacity, the longest probe, clock steps back, the last time seen. */
  occupancy(): { stations: number; capacity: number; longestProbe: number; clockBackwards: number; now: number } {
    this.#wasm.bridgeOccupancy(this.#handle, this.#scratch);
    const f = new Float64Array(this.#wasm.memory.buffer, this.#scratch, 5);
    return { stations: f[0]!, capacity: f[1]!, longestProbe: f[2]!, clockBackwards: f[3]!, now: f[4]! };
  }

  /** Every learned station (expired ones not yet aged included), sorted by group and MAC. */
  stations(group?: number): BridgeStation[] {
    const w = this.#wasm;
    const out: BridgeStation[] = [];
    for (let s = w.bridgeEntryNext(this.#handle, 0) >>> 0; s !== NIL; s = w.bridgeEntryNext(this.#handle, s + 1) >>> 0) {
      const v = new DataView(w.memory.buffer, w.bridgeEntry(this.#handle, s), 48);
      const g = v.getUint16(28, true);
      if (group !== undefined && g !== group) continue;
      const mac = Array.from({ length: 6 }, (_, k) => v.getUint8(k));
      const ifIndex = v.getUint32(24, true);
      out.push({
        group: g,
        mac: formatMac(mac),
        ifIndex,
        interface: this.#names.get(ifIndex) ?? `interface ${ifIndex}`,
        lastSeenAt: Number(v.getBigInt64(16, true)),
        expiresAt: Number(v.getBigInt64(8, true)),
        rx: v.getUint32(40, true),
        tx: v.getUint32(44, true),
      });
    }
    return sortStations(out);
  }

  /** `show bridge` (IOS layout). */
  show(options: { now?: number } = {}): string {
    return renderBridge(this.stations(), this.config, { now: options.now ?? this.occupancy().now });
  }

  /** @internal The table's address in WebAssembly memory (for the Dataplane's stage calls). */
  get handle(): number {
    return this.#handle;
  }

  /** Frees the table's memory and gives its reservation back. Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const w = this.#wasm;
    this.#memory.free((handle) => w.bridgeFree(handle));
    // Any later use throws instead of reading freed memory, as the other components do.
    this.#wasm = disposedCore("BridgeTable");
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function checkGroup(group: unknown): number {
  if (typeof group !== "number" || !Number.isInteger(group) || group < 1 || group > 255) {
    throw new ConfigError("bridge-group", `invalid bridge group ${describe(group)}: expected 1 to 255`, group);
  }
  return group;
}

function checkTime(now: unknown): number {
  return checkTableTime(now, "bridge-time");
}
