/**
 * NetFlow Input Filters and Random Sampled NetFlow on a router's interfaces (seed 003:L729–L837,
 * spec §1.20, §1.21, §8): named sampler maps (at most 8), class maps (filters), policy maps
 * giving each class its sampler, and per interface either full NetFlow, a sampler map, or a
 * policy. Filters apply before sampling; each (interface, class) has its own sampler with its
 * own random stream, deciding only on the packets that matched. Runs in WebAssembly, a batch
 * per call.
 */

import { CapacityError, ConfigError, DataplaneError, describe } from "../errors.js";
import { type SamplerMode, modeNumber, checkInterval, checkSeed } from "./modes.js";
import { type ClassMapConfig, type NormalizedClass, normalizeClass } from "./filter-criteria.js";
import { type FilterInput, filterInputLength } from "./filter-input.js";
import { type InterfaceProgram, compileProgram } from "./filter-program.js";
import { type SamplingExportInfo, samplingExportInfo } from "./export-info.js";
import { PacketBatch, type PacketBatchOptions } from "../packet/batch.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import { checkInterface, checkOptionNames } from "../common/validation.js";
import type { WasmExports } from "../wasm/exports.js";
import type { HeapViews } from "../wasm/views.js";

/** A sampler map: `flow-sampler-map NAME` / `mode random one-out-of N`. */
export interface SamplerMapConfig {
  /** Default `random`, the only mode of the seed's CLI; the others are offered for comparison. */
  mode?: SamplerMode;
  /** N, 1 … 65535. */
  interval: number;
}

/** One class of a policy map with its sampler: `class NAME` / `netflow-sampler MAP`. */
export interface PolicyMapClass {
  /** A class map's name, or `"class-default"` (every packet no other class took; always tried last). */
  class: string;
  /** The sampler map for this class's packets. */
  sampler: string;
}

/**
 * NetFlow on one (sub)interface: full (every packet accounted: `ip flow ingress`), a sampler
 * map on all its packets (`flow-sampler MAP`), or a policy of filters and per-class samplers
 * (`service-policy input POLICY`). Full and sampled NetFlow cannot both be active.
 */
export type InterfaceNetflow = { flow: "full" } | { sampler: string } | { servicePolicy: string };

/** Options of a {@link PacketSelector}. */
export interface PacketSelectorOptions {
  /** 64-bit seed of the samplers' streams (default: random). Fix it for reproducible selections. */
  seed?: number | bigint;
  /**
   * Samplers that can exist at once (default 256, at most 4096): one per interface with a
   * sampler map, one per class per interface with a policy. A reconfiguration needs room for
   * the old and the new ones together.
   */
  maxSamplers?: number;
  /** Packets per call into WebAssembly (default 16384); larger inputs are processed in chunks. */
  maxBatch?: number;
  /** The core to live on (default: a new one of its own). */
  core?: Core;
}

/** What {@link PacketSelector.select} returns: the packets to account, in order. */
export interface Selection {
  /** Indices (into the input) of the packets NetFlow accounts. */
  indices: Uint32Array;
  /** Per selected packet: the sampler id to record with its flow (FLOW_SAMPLER_ID / selectorId); 0 for full NetFlow. */
  samplerIds: Uint8Array;
  /** Per selected packet: the sampler slot that took it (0xffff for full NetFlow); see {@link PacketSelector.samplers}. */
  slots: Uint16Array;
}

/** A sampler map with its totals over every sampler using it (`show flow-sampler`). */
export interface SamplerMapStatus {
  name: string;
  /** Sampler id, 1 … 8 (reported in NetFlow v9 / IPFIX). */
  id: number;
  mode: SamplerMode;
  interval: number;
  /** Packets that reached its samplers (after filters): "packets matched". */
  seen: number;
  /** Packets its samplers selected. */
  sampled: number;
}

/** One sampler in use: an interface's sampler map, or one class of an interface's policy. */
export interface SamplerStatus {
  slot: number;
  interface: number;
  /** The policy map, or undefined for a sampler map applied to the whole interface. */
  policy: string | undefined;
  /** The class, or undefined for a sampler map applied to the whole interface. */
  class: string | undefined;
  samplerMap: string;
  samplerId: number;
  mode: SamplerMode;
  interval: number;
  seen: number;
  sampled: number;
}

/**
 * The selector's counters. Conservation:
 * `packets = malformed + notIp + notConfigured + filteredOut + fullAccounted + sampledPopulation`.
 */
export interface SelectorCounters {
  /** Packets given to `select`. */
  packets: number;
  /** Packets whose parse failed (status 32 and above): never accounted. */
  malformed: number;
  /** Frames that are not IP (ARP, LLC, other EtherTypes): NetFlow accounts IP packets only. */
  notIp: number;
  /** IP packets from interfaces without NetFlow. */
  notConfigured: number;
  /** Packets on interfaces with a policy that matched no class. */
  filteredOut: number;
  /** Packets accounted by full NetFlow (unsampled). */
  fullAccounted: number;
  /** Packets that reached a sampler. */
  sampledPopulation: number;
  /** Packets a sampler selected. */
  sampled: number;
  /** Bytes of WebAssembly memory held by the selector, and its budget. */
  memoryBytes: number;
  budgetBytes: number;
}

const MAX_SAMPLER_MAPS = 8;
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;
const CLASS_DEFAULT = "class-default";
const INTERFACES = 65536;
const FULL_SLOT = 0xffff;
const PROGRAM_BYTES = 1 << 20;
const STATUS_OK = 0;
const MATCH_EVERYTHING: NormalizedClass = { matchAll: true, criteria: [] };

interface SamplerMapRecord {
  name: string;
  id: number;
  mode: SamplerMode;
  interval: number;
  /** Incremented on every redefinition: samplers of an older generation start afresh. */
  generation: number;
  /** Totals of this map's samplers that no longer exist (this generation). */
  retiredSeen: number;
  retiredSampled: number;
}

interface SlotRecord {
  slot: number;
  key: string;
  interface: number;
  policy: string | undefined;
  class: string | undefined;
  map: SamplerMapRecord;
  generation: number;
}

interface ColumnArea {
  descriptor: number;
  ipVersion: number;
  source: number;
  destination: number;
  protocol: number;
  sourcePort: number;
  destinationPort: number;
  tos: number;
  tcpFlags: number;
  inputInterface: number;
  status: number;
  outIndices: number;
  outSlots: number;
  scratch: number;
}

function checkName(kind: string, name: unknown): string {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    throw new ConfigError(`${kind}-name`, `invalid ${kind} name ${describe(name)}: 1 to 40 letters, digits, '-', '_' or '.'`, name);
  }
  return name;
}

/** Interface indexes a selector takes: 0 to 65535 (the one interface check, common/validation). */
function checkSelectorInterface(ifIndex: unknown): number {
  return checkInterface(ifIndex, INTERFACES);
}

function describeSetting(setting: InterfaceNetflow): string {
  if ("flow" in setting) return "full NetFlow (ip flow ingress)";
  if ("sampler" in setting) return `sampled NetFlow (flow-sampler ${setting.sampler})`;
  return `input filters with sampling (service-policy input ${setting.servicePolicy})`;
}

/**
 * NetFlow input filters and samplers for a router's interfaces.
 *
 * @example
 * ```ts
 * const selector = new PacketSelector({ seed: 1 });
 * selector.samplerMap("icmp-dos-fs-map", { interval: 2 });               // mode random one-out-of 2
 * selector.classMap("icmp-dos-class-map", { match: "any", criteria: [{ protocol: "icmp" }] });
 * selector.policyMap("icmp-dos-policy-map", [{ class: "icmp-dos-class-map", sampler: "icmp-dos-fs-map" }]);
 * selector.setInterface(1, { servicePolicy: "icmp-dos-policy-map" });     // Ethernet0/0.1
 * selector.setInterface(2, { flow: "full" });                              // ip flow ingress
 * const { indices, samplerIds } = selector.select(filterInputFrom(packets)); // or (batch.columns, batch.length)
 * ```
 */
export class PacketSelector {
  /** At most this many sampler maps (seed 003:L837). */
  static readonly MAX_SAMPLER_MAPS = MAX_SAMPLER_MAPS;

  /** The core the selector lives on. */
  readonly core: Core;
  readonly #attachment: CoreAttachment;
  readonly #wasm: WasmExports;
  readonly #views: HeapViews;
  readonly #handle: number;
  readonly #maxSlots: number;
  readonly #maxBatch: number;
  readonly #columns: ColumnArea;
  readonly #samplerMaps = new Map<string, SamplerMapRecord>();
  readonly #classMaps = new Map<string, NormalizedClass>();
  readonly #policyMaps = new Map<string, readonly PolicyMapClass[]>();
  readonly #interfaces = new Map<number, InterfaceNetflow>();
  /** Live slots by key (`interface|policy|class` or `interface|sampler`). */
  #slots = new Map<string, SlotRecord>();
  /** Sampler id per slot, for `select` results. */
  readonly #slotSamplerIds: Uint8Array;

  constructor(options: PacketSelectorOptions = {}) {
    checkOptionNames(options, ["seed", "maxSamplers", "maxBatch", "core"], "PacketSelector");
    const maxSlots = options.maxSamplers ?? 256;
    if (!Number.isInteger(maxSlots) || maxSlots < 1 || maxSlots > 4096) {
      throw new ConfigError("selector-max-samplers", `invalid maxSamplers ${describe(maxSlots)}: expected 1 to 4096`, maxSlots);
    }
    const maxBatch = options.maxBatch ?? 16384;
    if (!Number.isInteger(maxBatch) || maxBatch < 1 || maxBatch > 1 << 20) {
      throw new ConfigError("selector-max-batch", `invalid maxBatch ${describe(maxBatch)}: expected 1 to 1048576`, maxBatch);
    }
    const core = coreFrom(options);
    const [low, high] = core.componentSeed(options.seed === undefined ? undefined : checkSeed(options.seed));
    this.core = core;
    // The columns staged per batch (~52 bytes a packet), the slots' samplers and the filter program.
    const reserved = maxBatch * 52 + maxSlots * 256 + PROGRAM_BYTES + 4096;
    this.#attachment = core.attach("packet-selector", reserved, () => reserved, "maxBatch and maxSamplers", {
      maxBatch,
      maxSamplers: maxSlots,
    });
    this.#wasm = core.wasm;
    this.#handle = this.#wasm.selectorCreate(maxSlots, maxBatch, low, high, PROGRAM_BYTES);
    if (this.#handle === 0) throw new DataplaneError("selector-create", "the WebAssembly core refused the selector", options);
    this.#maxSlots = maxSlots;
    this.#maxBatch = maxBatch;
    this.#slotSamplerIds = new Uint8Array(maxSlots);
    const w = this.#wasm;
    const area = (bytes: number) => w.alloc(Math.max(8, bytes));
    this.#columns = {
      descriptor: area(40),
      ipVersion: area(maxBatch),
      source: area(maxBatch * 16),
      destination: area(maxBatch * 16),
      protocol: area(maxBatch),
      sourcePort: area(maxBatch * 2),
      destinationPort: area(maxBatch * 2),
      tos: area(maxBatch),
      tcpFlags: area(maxBatch * 2),
      inputInterface: area(maxBatch * 4),
      status: area(maxBatch),
      outIndices: area(maxBatch * 4),
      outSlots: area(maxBatch * 2),
      scratch: area(128),
    };
    this.#views = core.views;
    const c = this.#columns;
    this.#views
      .refresh()
      .u32.set(
        [c.ipVersion, c.source, c.destination, c.protocol, c.sourcePort, c.destinationPort, c.tos, c.tcpFlags, c.inputInterface, c.status],
        c.descriptor >>> 2,
      );
  }

  // -------------------------------------------------------------------------------------------
  // Configuration

  /**
   * Defines (or redefines) a sampler map and returns its sampler id (1 … 8). Redefining a map
   * restarts its samplers (fresh streams, counters from zero).
   * @throws ConfigError for a bad name, mode or interval, or a ninth map.
   */
  samplerMap(name: string, config: SamplerMapConfig): number {
    checkName("sampler-map", name);
    if (config === null || typeof config !== "object") {
      throw new ConfigError("sampler-map", `invalid sampler map ${describe(config)}: expected { mode?, interval }`, config);
    }
    const mode = config.mode ?? "random";
    modeNumber(mode);
    const interval = checkInterval(config.interval);
    const existing = this.#samplerMaps.get(name);
    if (existing === undefined && this.#samplerMaps.size >= MAX_SAMPLER_MAPS) {
      throw new ConfigError(
        "sampler-map-limit",
        `cannot define sampler map ${describe(name)}: at most ${MAX_SAMPLER_MAPS} sampler maps`,
        name,
      );
    }
    let id = existing?.id;
    if (id === undefined) {
      const used = new Set([...this.#samplerMaps.values()].map((m) => m.id));
      id = 1;
      while (used.has(id)) id++;
    }
    const record: SamplerMapRecord = {
      name,
      id,
      mode,
      interval,
      generation: (existing?.generation ?? 0) + 1,
      retiredSeen: 0,
      retiredSampled: 0,
    };
    this.#applySet(this.#samplerMaps, name, record);
    return id;
  }

  /** Removes a sampler map; refused while a policy or an interface uses it. */
  removeSamplerMap(name: string): void {
    if (!this.#samplerMaps.has(name)) throw new ConfigError("sampler-map-unknown", `no sampler map ${describe(name)}`, name);
    const users = [
      ...[...this.#policyMaps].filter(([, classes]) => classes.some((c) => c.sampler === name)).map(([p]) => `policy map ${p}`),
      ...[...this.#interfaces].filter(([, s]) => "sampler" in s && s.sampler === name).map(([i]) => `interface ${i}`),
    ];
    if (users.length > 0) throw new ConfigError("sampler-map-in-use", `sampler map ${describe(name)} is used by ${users.join(", ")}`, name);
    this.#samplerMaps.delete(name);
  }

  /** Defines (or redefines) a class map. @throws ConfigError for a bad name or criterion. */
  classMap(name: string, config: ClassMapConfig): void {
    checkName("class-map", name);
    if (name === CLASS_DEFAULT) throw new ConfigError("class-map-name", "class-default is predefined (it matches every packet)", name);
    const normalized = normalizeClass(config);
    this.#applySet(this.#classMaps, name, normalized);
  }

  /** Removes a class map; refused while a policy map uses it. */
  removeClassMap(name: string): void {
    if (!this.#classMaps.has(name)) throw new ConfigError("class-map-unknown", `no class map ${describe(name)}`, name);
    const users = [...this.#policyMaps].filter(([, classes]) => classes.some((c) => c.class === name)).map(([p]) => p);
    if (users.length > 0)
      throw new ConfigError("class-map-in-use", `class map ${describe(name)} is used by policy map ${users.join(", ")}`, name);
    this.#classMaps.delete(name);
  }

  /**
   * Defines (or redefines) a policy map: classes in order, each with its sampler map. A packet
   * belongs to the first class it matches (`class-default` last); packets matching no class
   * are not accounted.
   * @throws ConfigError for an unknown class or sampler map, or a class listed twice.
   */
  policyMap(name: string, classes: readonly PolicyMapClass[]): void {
    checkName("policy-map", name);
    if (!Array.isArray(classes))
      throw new ConfigError("policy-map", `invalid policy map ${describe(classes)}: expected [{ class, sampler }]`, classes);
    const seen = new Set<string>();
    for (const entry of classes) {
      if (entry === null || typeof entry !== "object")
        throw new ConfigError("policy-map", `invalid policy map class ${describe(entry)}`, entry);
      if (entry.class !== CLASS_DEFAULT && !this.#classMaps.has(entry.class)) {
        throw new ConfigError("class-map-unknown", `policy map ${name}: no class map ${describe(entry.class)}`, entry.class);
      }
      if (!this.#samplerMaps.has(entry.sampler)) {
        throw new ConfigError("sampler-map-unknown", `policy map ${name}: no sampler map ${describe(entry.sampler)}`, entry.sampler);
      }
      if (seen.has(entry.class))
        throw new ConfigError("policy-map", `policy map ${name}: class ${entry.class} is listed twice`, entry.class);
      seen.add(entry.class);
    }
    const ordered = [...classes.filter((c) => c.class !== CLASS_DEFAULT), ...classes.filter((c) => c.class === CLASS_DEFAULT)].map((c) => ({
      class: c.class,
      sampler: c.sampler,
    }));
    this.#applySet(this.#policyMaps, name, ordered);
  }

  /** Removes a policy map; refused while an interface uses it. */
  removePolicyMap(name: string): void {
    if (!this.#policyMaps.has(name)) throw new ConfigError("policy-map-unknown", `no policy map ${describe(name)}`, name);
    const users = [...this.#interfaces].filter(([, s]) => "servicePolicy" in s && s.servicePolicy === name).map(([i]) => i);
    if (users.length > 0)
      throw new ConfigError("policy-map-in-use", `policy map ${describe(name)} is used by interface ${users.join(", ")}`, name);
    this.#policyMaps.delete(name);
  }

  /**
   * Sets NetFlow on interface `ifIndex` (0 … 65535), or turns it off with `null`. Switching
   * between full and sampled NetFlow is refused: turn the other off first, as on the router
   * ("NetFlow sampling and filtering can not start if there is another command on the
   * interface that is enabling NetFlow", seed 003:L1894–L1905). Turning sampling off does not
   * turn full NetFlow on.
   * @throws ConfigError `netflow-conflict`, or for an unknown sampler or policy map.
   */
  setInterface(ifIndex: number, setting: InterfaceNetflow | null): void {
    checkSelectorInterface(ifIndex);
    const current = this.#interfaces.get(ifIndex);
    if (setting === null) {
      if (current !== undefined) this.#applySet(this.#interfaces, ifIndex, undefined);
      return;
    }
    if (typeof setting !== "object") throw new ConfigError("interface-netflow", `invalid NetFlow setting ${describe(setting)}`, setting);
    let normalized: InterfaceNetflow;
    if ("flow" in setting) {
      if (setting.flow !== "full")
        throw new ConfigError("interface-netflow", `invalid NetFlow setting ${describe(setting)}: flow must be "full"`, setting);
      normalized = { flow: "full" };
    } else if ("sampler" in setting) {
      if (!this.#samplerMaps.has(setting.sampler))
        throw new ConfigError("sampler-map-unknown", `no sampler map ${describe(setting.sampler)}`, setting.sampler);
      normalized = { sampler: setting.sampler };
    } else if ("servicePolicy" in setting) {
      if (!this.#policyMaps.has(setting.servicePolicy)) {
        throw new ConfigError("policy-map-unknown", `no policy map ${describe(setting.servicePolicy)}`, setting.servicePolicy);
      }
      normalized = { servicePolicy: setting.servicePolicy };
    } else {
      throw new ConfigError(
        "interface-netflow",
        `invalid NetFlow setting ${describe(setting)}: expected { flow: "full" }, { sampler } or { servicePolicy }`,
        setting,
      );
    }
    if (current !== undefined && "flow" in current !== "flow" in normalized) {
      throw new ConfigError(
        "netflow-conflict",
        `interface ${ifIndex} has ${describeSetting(current)}: full and sampled NetFlow cannot both be active on one interface; turn it off first (setInterface(${ifIndex}, null))`,
        setting,
      );
    }
    this.#applySet(this.#interfaces, ifIndex, normalized);
  }

  /** The NetFlow setting of an interface, or undefined when NetFlow is off there. */
  interfaceSetting(ifIndex: number): InterfaceNetflow | undefined {
    const s = this.#interfaces.get(ifIndex);
    return s === undefined ? undefined : { ...s };
  }

  // -------------------------------------------------------------------------------------------
  // Packets

  /**
   * Runs a batch: input filters, then each class's sampler. Returns the packets NetFlow
   * accounts (in input order) with the sampler id each was selected under. `count` (default:
   * the length of `input.ipVersion`) is how many packets to read: a packet batch's columns and
   * length can be passed as they are (`select(batch.columns, batch.length)`).
   */
  select(input: FilterInput, count?: number): Selection {
    count = filterInputLength(input, count);
    const indices = new Uint32Array(count);
    const slots = new Uint16Array(count);
    let total = 0;
    const c = this.#columns;
    for (let start = 0; start < count; start += this.#maxBatch) {
      const n = Math.min(this.#maxBatch, count - start);
      const end = start + n;
      const v = this.#views.refresh();
      v.u8.set(input.ipVersion.subarray(start, end), c.ipVersion);
      v.u32.set(input.src.subarray(start * 4, end * 4), c.source >>> 2);
      v.u32.set(input.dst.subarray(start * 4, end * 4), c.destination >>> 2);
      v.u8.set(input.protocol.subarray(start, end), c.protocol);
      new Uint16Array(v.u8.buffer, c.sourcePort, n).set(input.srcPort.subarray(start, end));
      new Uint16Array(v.u8.buffer, c.destinationPort, n).set(input.dstPort.subarray(start, end));
      v.u8.set(input.tos.subarray(start, end), c.tos);
      new Uint16Array(v.u8.buffer, c.tcpFlags, n).set(input.tcpFlags.subarray(start, end));
      v.u32.set(input.interface.subarray(start, end), c.inputInterface >>> 2);
      if (input.status === undefined) v.u8.fill(0, c.status, c.status + n);
      else v.u8.set(input.status.subarray(start, end), c.status);
      const k = this.#wasm.selectorRun(this.#handle, c.descriptor, n, c.outIndices, c.outSlots);
      total = this.#collect(k, n, start, indices, slots, total);
    }
    return this.#selection(indices, slots, total);
  }

  /** Gives the selector's reservation back to its core; it must not be used afterwards. Also `Symbol.dispose`. */
  dispose(): void {
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * A packet batch on this selector's core (the same as `new PacketBatch({ ...options, core })`):
   * {@link selectBatch} reads its columns in place, with no copy.
   */
  createBatch(options: Omit<PacketBatchOptions, "core"> = {}): PacketBatch {
    return new PacketBatch({ ...options, core: this.core });
  }

  /**
   * Runs a packet batch (its `length` packets): in place when it lives on this selector's core,
   * otherwise by copying its columns, with the same result.
   */
  selectBatch(batch: PacketBatch): Selection {
    if (!(batch instanceof PacketBatch)) throw new ConfigError("argument", "selectBatch: expected a PacketBatch", batch);
    const count = batch.length;
    if (batch.core !== this.core) return this.select(batch.columns, count);
    const indices = new Uint32Array(count);
    const slots = new Uint16Array(count);
    const c = this.#columns;
    let total = 0;
    for (let start = 0; start < count; start += this.#maxBatch) {
      const n = Math.min(this.#maxBatch, count - start);
      const k = this.#wasm.selectorRunBatch(this.#handle, batch.handle, start, n, c.outIndices, c.outSlots);
      total = this.#collect(k, n, start, indices, slots, total);
    }
    return this.#selection(indices, slots, total);
  }

  /** Appends the `k` results of one call (packets `start` … `start + n − 1`) after `total`. */
  #collect(k: number, n: number, start: number, indices: Uint32Array, slots: Uint16Array, total: number): number {
    if (k < 0) throw new DataplaneError("selector-run", `the WebAssembly core refused a batch of ${n} packets (status ${k})`, n);
    const c = this.#columns;
    const after = this.#views.refresh();
    const found = after.u32.subarray(c.outIndices >>> 2, (c.outIndices >>> 2) + k);
    for (let j = 0; j < k; j++) indices[total + j] = found[j]! + start;
    slots.set(new Uint16Array(after.u8.buffer, c.outSlots, k), total);
    return total + k;
  }

  #selection(indices: Uint32Array, slots: Uint16Array, total: number): Selection {
    const samplerIds = new Uint8Array(total);
    for (let j = 0; j < total; j++) {
      const slot = slots[j]!;
      samplerIds[j] = slot === FULL_SLOT ? 0 : this.#slotSamplerIds[slot]!;
    }
    return { indices: indices.slice(0, total), samplerIds, slots: slots.slice(0, total) };
  }

  // -------------------------------------------------------------------------------------------
  // Status

  /** The selector's counters (see {@link SelectorCounters} for the conservation law). */
  counters(): SelectorCounters {
    const at = this.#columns.scratch;
    this.#wasm.selectorStats(this.#handle, at);
    const f = this.#views.refresh().f64;
    const w = at >>> 3;
    return {
      packets: f[w]!,
      malformed: f[w + 9]!,
      notIp: f[w + 10]!,
      notConfigured: f[w + 1]!,
      filteredOut: f[w + 2]!,
      fullAccounted: f[w + 3]!,
      sampledPopulation: f[w + 4]!,
      sampled: f[w + 5]!,
      memoryBytes: f[w + 6]!,
      budgetBytes: f[w + 7]!,
    };
  }

  /** Every sampler in use (one per interface with a sampler map, one per class per policy interface). */
  samplers(): SamplerStatus[] {
    return [...this.#slots.values()]
      .sort((a, b) => a.slot - b.slot)
      .map((r) => {
        const [seen, sampled] = this.#slotCounters(r.slot);
        return {
          slot: r.slot,
          interface: r.interface,
          policy: r.policy,
          class: r.class,
          samplerMap: r.map.name,
          samplerId: r.map.id,
          mode: r.map.mode,
          interval: r.map.interval,
          seen,
          sampled,
        };
      });
  }

  /** Every sampler map with its totals (what `show flow-sampler` prints), by id. */
  samplerMaps(): SamplerMapStatus[] {
    const totals = new Map<string, [number, number]>();
    for (const r of this.#slots.values()) {
      const [seen, sampled] = this.#slotCounters(r.slot);
      const t = totals.get(r.map.name) ?? [0, 0];
      totals.set(r.map.name, [t[0] + seen, t[1] + sampled]);
    }
    return [...this.#samplerMaps.values()]
      .sort((a, b) => a.id - b.id)
      .map((m) => {
        const [seen, sampled] = totals.get(m.name) ?? [0, 0];
        return {
          name: m.name,
          id: m.id,
          mode: m.mode,
          interval: m.interval,
          seen: seen + m.retiredSeen,
          sampled: sampled + m.retiredSampled,
        };
      });
  }

  /** For each sampler map, what a NetFlow v9 / IPFIX exporter reports (options records). */
  exportInfo(): SamplingExportInfo[] {
    return this.samplerMaps().map((m) =>
      samplingExportInfo({
        samplerId: m.id,
        samplerName: m.name,
        mode: m.mode,
        interval: m.interval,
        packetsObserved: m.seen,
        packetsSelected: m.sampled,
      }),
    );
  }

  /** Zeroes every counter (the samplers' decisions go on unchanged). */
  clearCounters(): void {
    this.#wasm.selectorClearCounters(this.#handle);
    for (const m of this.#samplerMaps.values()) {
      m.retiredSeen = 0;
      m.retiredSampled = 0;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  #slotCounters(slot: number): [number, number] {
    const at = this.#columns.scratch;
    this.#wasm.selectorSlotCounters(this.#handle, slot, at);
    const f = this.#views.refresh().f64;
    return [f[at >>> 3]!, f[(at >>> 3) + 1]!];
  }

  /**
   * Applies a configuration change: sets `key` in `map` (deletes it for undefined), then rebuilds
   * the samplers and the program. If the rebuild fails (no room for the samplers), the old value
   * is put back and the error propagates: nothing changed.
   */
  #applySet<K, V>(map: Map<K, V>, key: K, value: V | undefined): void {
    const previous = map.get(key);
    const put = (v: V | undefined) => (v === undefined ? map.delete(key) : map.set(key, v));
    put(value);
    try {
      this.#rebuild();
    } catch (error) {
      put(previous);
      throw error;
    }
  }

  /**
   * Works out the samplers the configuration needs (interfaces in ascending order, each
   * policy's classes in order), keeps those that exist with the same sampler map generation,
   * gives the others fresh slots (fresh streams, in that order), loads the new program, then
   * frees the slots no longer needed.
   */
  #rebuild(): void {
    const wanted: {
      key: string;
      interface: number;
      policy: string | undefined;
      class: string | undefined;
      map: SamplerMapRecord;
      cls: NormalizedClass;
    }[] = [];
    const programs = new Map<number, InterfaceProgram>();
    const rulesOf = new Map<number, { class: NormalizedClass; slot: number }[]>();
    for (const ifIndex of [...this.#interfaces.keys()].sort((a, b) => a - b)) {
      const setting = this.#interfaces.get(ifIndex)!;
      if ("flow" in setting) {
        programs.set(ifIndex, { kind: "full" });
      } else if ("sampler" in setting) {
        wanted.push({
          key: `${ifIndex}|sampler`,
          interface: ifIndex,
          policy: undefined,
          class: undefined,
          map: this.#samplerMaps.get(setting.sampler)!,
          cls: MATCH_EVERYTHING,
        });
      } else {
        for (const entry of this.#policyMaps.get(setting.servicePolicy)!) {
          wanted.push({
            key: `${ifIndex}|${setting.servicePolicy}|${entry.class}`,
            interface: ifIndex,
            policy: setting.servicePolicy,
            class: entry.class,
            map: this.#samplerMaps.get(entry.sampler)!,
            cls: entry.class === CLASS_DEFAULT ? MATCH_EVERYTHING : this.#classMaps.get(entry.class)!,
          });
        }
      }
      if (!("flow" in setting)) {
        // Filled below; a policy without classes accounts nothing.
        const rules: { class: NormalizedClass; slot: number }[] = [];
        rulesOf.set(ifIndex, rules);
        programs.set(ifIndex, { kind: "classes", rules });
      }
    }
    const keep = (w: (typeof wanted)[number]) => {
      const old = this.#slots.get(w.key);
      return old !== undefined && old.map === w.map && old.generation === w.map.generation ? old : undefined;
    };
    const fresh = wanted.filter((w) => keep(w) === undefined);
    const used = new Set([...this.#slots.values()].map((r) => r.slot));
    const free: number[] = [];
    for (let slot = 0; slot < this.#maxSlots && free.length < fresh.length; slot++) if (!used.has(slot)) free.push(slot);
    if (free.length < fresh.length) {
      throw new CapacityError(
        "selector-samplers",
        `the configuration needs ${fresh.length} new samplers but only ${free.length} of ${this.#maxSlots} are free (raise maxSamplers)`,
        fresh.length,
      );
    }
    const next = new Map<string, SlotRecord>();
    let f = 0;
    for (const w of wanted) {
      let record = keep(w);
      if (record === undefined) {
        const slot = free[f++]!;
        const status = this.#wasm.selectorConfigureSlot(this.#handle, slot, modeNumber(w.map.mode), w.map.interval, w.map.id);
        if (status !== STATUS_OK)
          throw new DataplaneError("selector-slot", `the WebAssembly core refused sampler slot ${slot} (status ${status})`, slot);
        record = { slot, key: w.key, interface: w.interface, policy: w.policy, class: w.class, map: w.map, generation: w.map.generation };
      }
      next.set(w.key, record);
      rulesOf.get(w.interface)!.push({ class: w.cls, slot: record.slot });
    }
    const words = compileProgram(programs);
    if (words.length * 4 > PROGRAM_BYTES) {
      this.#releaseSlots(new Set(fresh.map((w) => next.get(w.key)!.slot)));
      throw new CapacityError(
        "selector-program",
        `the filter program needs ${words.length * 4} bytes, more than ${PROGRAM_BYTES}`,
        words.length,
      );
    }
    const w = this.#wasm;
    const at = w.alloc(words.length * 4);
    try {
      this.#views.refresh().u32.set(words, at >>> 2);
      const status = w.selectorLoad(this.#handle, at, words.length);
      if (status !== STATUS_OK) {
        this.#releaseSlots(new Set(fresh.map((x) => next.get(x.key)!.slot)));
        throw new DataplaneError("selector-program", `the WebAssembly core refused the filter program (status ${status})`, status);
      }
    } finally {
      w.free(at);
    }
    // Retire the slots that are gone, keeping their totals with their sampler map.
    const kept = new Set([...next.values()].map((r) => r.slot));
    const gone = [...this.#slots.values()].filter((r) => !kept.has(r.slot));
    for (const r of gone) {
      if (r.generation === r.map.generation && this.#samplerMaps.get(r.map.name) === r.map) {
        const [seen, sampled] = this.#slotCounters(r.slot);
        r.map.retiredSeen += seen;
        r.map.retiredSampled += sampled;
      }
    }
    this.#releaseSlots(new Set(gone.map((r) => r.slot)));
    this.#slots = next;
    this.#slotSamplerIds.fill(0);
    for (const r of next.values()) this.#slotSamplerIds[r.slot] = r.map.id;
  }

  #releaseSlots(slots: Set<number>): void {
    for (const slot of slots) this.#wasm.selectorReleaseSlot(this.#handle, slot);
  }
}
