/**
 * {@link Dataplane}: the router. One {@link Core} holding a {@link Fib}, an {@link ArpTable}, a
 * {@link PacketSelector} and a {@link FlowCache}, composed in WebAssembly: `process(batch)` runs
 * a whole {@link PacketBatch} through parse → input filters and samplers → ingress flow
 * accounting → input ACL → uRPF → FIB lookup (CEF) → adjacency → output ACL → ARP resolution →
 * rewrite → output in one call (assembly/pipeline/forward.ts), and says per packet what became
 * of it. Configured with {@link DataplaneOptions} or IOS commands ({@link Dataplane.fromConfig}).
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { Fib } from "../fib/fib.js";
import { ArpTable } from "../arp/table.js";
import { FlowCache } from "../flow/cache.js";
import { PacketSelector } from "../sampling/packet-selector.js";
import { NatTable } from "../nat/table.js";
import { BridgeTable } from "../bridge/table.js";
import { RouteCache } from "../route-cache/cache.js";
import { formatMac } from "../net/mac.js";
import type { PacketBatch } from "../packet/batch.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import type { WasmExports } from "../wasm/exports.js";
import { checkOptionNames } from "../common/validation.js";
import { parsePrefix } from "../net/prefix.js";
import { type DataplaneOptions, DATAPLANE_OPTION_NAMES, type RouteTarget, type StaticRoute } from "./options.js";
import { type DataplanePlan, INTERFACE_FLAGS, planDataplane } from "./plan.js";
import { bridgePorts, bridgeStageOptions, natStageOptions } from "./stages.js";
import type { AccessList } from "./acl.js";
import {
  type DataplaneCounters,
  type InterfaceCounters,
  type OutputFrame,
  type Reason,
  type Verdict,
  COUNTER_COUNT,
  INTERFACE_COUNTER_COUNT,
  OUTPUT_KINDS,
  REASONS,
  VERDICTS,
  decodeCounters,
  decodeInterfaceCounters,
} from "./verdicts.js";
import { type RouterConfig, parseIosConfig, renderRunningConfig } from "./config/parse.js";
import { dataplaneOptionsFromConfig } from "./config/options.js";

/** What one packet's verdict says. */
export interface PacketVerdict {
  verdict: Verdict;
  /** Why it was dropped or punted. */
  reason?: Reason;
  /** Egress interface index (forwarded, queued). */
  interface?: number;
  /** The next hop's MAC as written into the frame (forwarded). */
  mac?: string;
  /** The ARP packet handle it waits under (queued). */
  handle?: number;
}

/** What {@link Dataplane.process} returns: the verdict columns and the frames made meanwhile. */
export interface ProcessResult {
  /** Packets processed. */
  count: number;
  /** Per packet: 0 forwarded, 1 queued, 2 punted, 3 dropped (names in VERDICTS). A view, valid until the next call. */
  verdicts: Uint8Array;
  /** Per packet: the reason code of a drop or punt (names in REASONS). */
  reasons: Uint8Array;
  /** Per packet: egress interface (forwarded, queued). */
  egress: Uint32Array;
  /** Per packet: the ARP handle (queued). */
  handles: Uint32Array;
  /** ARP requests and replies, ICMP errors and released packets made during the call, in order. */
  output: OutputFrame[];
  /** Packet `i`'s verdict as an object. */
  verdict(i: number): PacketVerdict;
}

/** A routing table as columns: addresses (one u32 per IPv4 route, four per IPv6 route) and lengths. */
export interface RouteColumns {
  ipv4: { addresses: Uint32Array; lengths: Uint8Array };
  ipv6: { addresses: Uint32Array; lengths: Uint8Array };
}

/** The counters of one access-list entry, as `show access-lists` prints them. */
export interface AccessListEntryCounters {
  text: string;
  matches: number;
}

/** One access list's counters. */
export interface AccessListCounters {
  name: string;
  kind: "standard" | "extended";
  entries: AccessListEntryCounters[];
  /** Packets no entry matched (the implicit deny). */
  implicitDenies: number;
}

const DEFAULTS = {
  maxBatch: 16384,
  maxAdjacencies: 65536,
  outputBytes: 4 * 1024 * 1024,
  holdFrameBytes: 2048,
  icmpRate: 2,
  icmpBurst: 2,
  tickIntervalMs: 100,
  fibMaxBytes: 256 * 1024 * 1024,
};

function positiveInteger(options: DataplaneOptions, name: keyof typeof DEFAULTS, max: number): number {
  const value = options[name] ?? DEFAULTS[name];
  if (typeof value !== "number" || !Number.isInteger(value) || value < (name === "icmpRate" ? 0 : 1) || value > max) {
    throw new ConfigError(`dataplane-${name}`, `invalid ${name} ${describe(value)}: expected an integer up to ${max}`, value);
  }
  return value;
}

/**
 * The router's data plane.
 *
 * @example
 * ```ts
 * const router = Dataplane.fromConfig(`
 * interface GigabitEthernet0/0
 *  mac-address 0000.0c00.0001
 *  ip address 192.0.2.1 255.255.255.0
 * interface GigabitEthernet0/1
 *  mac-address 0000.0c00.0002
 *  ip address 198.51.100.1 255.255.255.0
 * ip route 0.0.0.0 0.0.0.0 198.51.100.2
 * arp 198.51.100.2 0000.0c99.0002 arpa
 * `);
 * const batch = router.createBatch();
 * // ... fill it (a capture reader given router.readerOptions()), then:
 * const result = router.process(batch);
 * result.verdict(0); // { verdict: "forwarded", interface: 1, mac: "00:00:0c:99:00:02" }
 * ```
 */
export class Dataplane {
  /** The core every component lives on. */
  readonly core: Core;
  readonly fib: Fib;
  readonly arp: ArpTable;
  /** The NetFlow cache (undefined when no interface runs NetFlow). */
  readonly flowCache: FlowCache | undefined;
  /** Input filters and samplers (with the flow cache). */
  readonly selector: PacketSelector | undefined;
  /** The NAT stage's table (undefined when no interface has `ip nat inside|outside`). */
  readonly nat: NatTable | undefined;
  /** The bridge stage's table (undefined when no interface has a `bridge-group`). */
  readonly bridge: BridgeTable | undefined;
  /** The fast-switching route cache (undefined unless an interface is fast switched or `routeCache` is given). */
  readonly routeCache: RouteCache | undefined;
  /** How each interface switches the IPv4 packets coming in (by index): `cef`, `fast` or `process`. */
  readonly switching: readonly ("cef" | "fast" | "process")[];
  /** The interfaces' names, by index. */
  readonly interfaceNames: readonly string[];
  /** The access lists, as configured. */
  readonly accessLists: readonly AccessList[];
  /** The configuration this Dataplane was made from, when made by {@link fromConfig}. */
  readonly config: RouterConfig | undefined;
  readonly maxBatch: number;
  readonly #wasm: WasmExports;
  readonly #handle: number;
  readonly #attachment: CoreAttachment;
  readonly #plan: DataplanePlan;
  readonly #adjacencyIds: number[];
  readonly #adjacencyByKey = new Map<string, number>();
  #disposed = false;

  constructor(options: DataplaneOptions, config?: RouterConfig) {
    checkOptionNames(options, DATAPLANE_OPTION_NAMES, "Dataplane");
    const plan = planDataplane(options);
    this.#plan = plan;
    const core = coreFrom(options);
    this.core = core;
    const maxBatch = positiveInteger(options, "maxBatch", 1 << 20);
    const maxAdjacencies = positiveInteger(options, "maxAdjacencies", 1 << 24);
    const outputBytes = positiveInteger(options, "outputBytes", 1 << 30);
    const holdFrameBytes = positiveInteger(options, "holdFrameBytes", 65536);
    const icmpRate = positiveInteger(options, "icmpRate", 1_000_000);
    const icmpBurst = positiveInteger(options, "icmpBurst", 1_000_000);
    const tickIntervalMs = positiveInteger(options, "tickIntervalMs", 3_600_000);
    this.maxBatch = maxBatch;
    const seed = options.seed;
    this.fib = new Fib({
      core,
      maxBytes: Math.min(options.fibMaxBytes ?? DEFAULTS.fibMaxBytes, core.availableBytes / 2),
      ...(seed === undefined ? {} : { seed }),
    });
    this.arp = new ArpTable({
      core,
      interfaces: plan.interfaces.map((f) => f.arp),
      maxBytes: Math.min(256 * 1024 * 1024, Math.floor(core.availableBytes / 2)),
      ...(seed === undefined ? {} : { seed }),
    });
    const netflow = options.interfaces.some((f) => f.netflow !== undefined || f.flowEgress) || options.flowCache !== undefined;
    if (netflow) {
      this.flowCache = new FlowCache({ ...options.flowCache, core, ...(seed === undefined ? {} : { seed }) });
      this.selector = new PacketSelector({ core, maxBatch, ...(seed === undefined ? {} : { seed }) });
      for (const [name, map] of Object.entries(options.samplerMaps ?? {})) this.selector.samplerMap(name, map);
      for (const [name, map] of Object.entries(options.classMaps ?? {})) this.selector.classMap(name, map);
      for (const [name, classes] of Object.entries(options.policyMaps ?? {})) this.selector.policyMap(name, classes);
      options.interfaces.forEach((f, i) => {
        if (f.netflow !== undefined) this.selector!.setInterface(i, f.netflow);
      });
    }
    const natOptions = natStageOptions(options);
    this.nat = natOptions === undefined ? undefined : new NatTable({ ...natOptions, core });
    const bridgeOptions = bridgeStageOptions(options);
    this.bridge = bridgeOptions === undefined ? undefined : new BridgeTable({ ...bridgeOptions, core });
    this.interfaceNames = Object.freeze(plan.interfaces.map((f) => f.name));
    this.accessLists = Object.freeze([...(options.accessLists ?? [])]);
    this.config = config;
    const w = core.wasm;
    this.#wasm = w;
    const holdSlots = this.arp.handleCount;
    const bytes = w.pipelineBytes(plan.interfaces.length, maxBatch, maxAdjacencies, outputBytes, holdSlots, holdFrameBytes);
    this.#attachment = core.attach("dataplane", bytes, () => bytes, "maxBatch, maxAdjacencies and outputBytes");
    this.#handle = w.pipelineCreate(plan.interfaces.length, maxBatch, maxAdjacencies, outputBytes, icmpRate, icmpBurst, tickIntervalMs);
    w.pipelineSetComponents(
      this.#handle,
      this.fib.handle,
      this.arp.handle,
      this.flowCache?.handle ?? 0,
      this.selector?.handle ?? 0,
      holdFrameBytes,
    );
    if (this.nat) w.pipelineSetStage(this.#handle, 2, this.nat.handle);
    if (this.bridge) {
      w.pipelineSetStage(this.#handle, 3, this.bridge.handle);
      bridgePorts(options).forEach((b, i) => w.pipelineSetBridging(this.#handle, i, b.bviGroup, b.bvi + 1));
    }
    this.switching = Object.freeze(
      plan.interfaces.map((f) =>
        f.flags & INTERFACE_FLAGS.fastSwitching ? "fast" : f.flags & INTERFACE_FLAGS.processSwitching ? "process" : "cef",
      ),
    );
    this.routeCache = this.switching.includes("fast") || options.routeCache !== undefined ? this.#makeRouteCache(options) : undefined;
    if (this.routeCache) w.pipelineSetStage(this.#handle, 0, this.routeCache.handle);
    plan.interfaces.forEach((f, i) => {
      const a = f.address6;
      w.pipelineSetInterface(
        this.#handle,
        i,
        Math.floor(f.mac / 2 ** 32),
        f.mac >>> 0,
        f.address,
        f.flags,
        f.aclIn,
        f.aclOut,
        a[0]!,
        a[1]!,
        a[2]!,
        a[3]!,
      );
    });
    this.#loadAcls();
    this.#adjacencyIds = plan.adjacencies.map((a) => {
      const id = this.fib.addAdjacency({ interface: plan.interfaces[a.interface]!.name });
      if (id >= maxAdjacencies)
        throw new CapacityError("dataplane-adjacencies", `adjacency ${id} is beyond maxAdjacencies ${maxAdjacencies}`, id);
      const mac = a.mac ?? 0;
      w.pipelineSetAdjacency(this.#handle, id, a.interface, a.nextHop, Math.floor(mac / 2 ** 32), mac >>> 0, a.mac !== undefined);
      this.#adjacencyByKey.set(`${a.family}|${a.interface}|${a.nextHop}|${a.mac ?? ""}`, id);
      return id;
    });
    for (const route of plan.routes) {
      const target = "special" in route.adjacency ? route.adjacency.special : this.#adjacencyIds[route.adjacency.planned]!;
      this.fib.insert(route.prefix, target);
    }
    for (const e of plan.staticArp) this.arp.addStatic(e.ifIndex, e.address, e.mac, 0);
  }

  /** The route cache on this core: its interfaces in the pipeline's order, Ethernet (ARPA) each. */
  #makeRouteCache(options: DataplaneOptions): RouteCache {
    const given = options.routeCache ?? {};
    if (given === null || typeof given !== "object") {
      throw new ConfigError("dataplane-routeCache", `invalid routeCache ${describe(given)}: expected an object`, given);
    }
    checkOptionNames(given, ["maxBytes", "maxEntries", "ager", "invalidateDelay", "lowMemoryBytes"], "Dataplane routeCache");
    const interfaces = Object.fromEntries(
      this.#plan.interfaces.map((f) => [
        f.name,
        {
          encapsulation: "arpa" as const,
          mac: formatMac(Uint8Array.from({ length: 6 }, (_, k) => Math.floor(f.mac / 2 ** (40 - 8 * k)) & 255)),
        },
      ]),
    );
    try {
      return new RouteCache({
        fib: this.fib,
        maxBytes: given.maxBytes ?? Math.min(64 * 1024 ** 2, this.core.availableBytes),
        ...(given.maxEntries === undefined ? {} : { maxEntries: given.maxEntries }),
        ...(given.ager === undefined ? {} : { ager: given.ager }),
        ...(given.invalidateDelay === undefined ? {} : { invalidateDelay: given.invalidateDelay }),
        ...(given.lowMemoryBytes === undefined ? {} : { lowMemoryBytes: given.lowMemoryBytes }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        interfaces,
        interfaceOrder: this.#plan.interfaces.map((f) => f.name),
        // The pipeline resolves misses itself (its FIB lookup and ARP table): the cache's own
        // neighbour and adjacency tables stay minimal.
        maxNeighbors: 1,
        maxAdjacencies: 1,
      });
    } catch (error) {
      this.#wasm.pipelineFree(this.#handle);
      this.core.detach(this.#attachment);
      this.flowCache?.dispose();
      this.selector?.dispose();
      this.arp.dispose();
      this.fib.dispose();
      throw error;
    }
  }

  /**
   * A Dataplane configured by IOS commands (see {@link parseIosConfig} for the commands);
   * `options.routeCache` (its budget, say) adds to the route cache's configured timers.
   * @throws ConfigError naming the line number and text of an unknown or malformed line.
   */
  static fromConfig(
    text: string,
    options: Pick<
      DataplaneOptions,
      "core" | "seed" | "maxBatch" | "outputBytes" | "icmpRate" | "icmpBurst" | "tickIntervalMs" | "routeCache" | "flowCache"
    > = {},
  ): Dataplane {
    const config = parseIosConfig(text);
    const configured = dataplaneOptionsFromConfig(config);
    // `routeCache` and `flowCache` add to what the configuration says (ip cache-ager-interval,
    // ip flow-cache timeout, ...): a budget or a capacity, say.
    const routeCache = options.routeCache === undefined ? configured.routeCache : { ...configured.routeCache, ...options.routeCache };
    const flowCache = options.flowCache === undefined ? configured.flowCache : { ...configured.flowCache, ...options.flowCache };
    return new Dataplane(
      {
        ...configured,
        ...options,
        ...(routeCache === undefined ? {} : { routeCache }),
        ...(flowCache === undefined ? {} : { flowCache }),
      },
      config,
    );
  }

  /** The interface index of `name`. @throws ConfigError for an unknown name. */
  interfaceIndex(name: string): number {
    const i = this.interfaceNames.indexOf(name);
    if (i < 0) throw new ConfigError("interface-unknown", `no interface ${describe(name)}`, name);
    return i;
  }

  /** Options for capture readers and batches: batches on this Dataplane's core, unparsed (the pipeline parses). */
  readerOptions(): { core: Core; parse: false } {
    return { core: this.core, parse: false };
  }

  /**
   * Runs the batch through the router. Every packet's time drives the ARP timers and the flow
   * cache, unless `now` is given (then every packet is at `now`). The batch's frames are
   * rewritten in place (forwarded packets); `parse: false` skips parsing a batch already parsed.
   * @throws ConfigError when the batch is on another core; CapacityError beyond maxBatch.
   */
  process(batch: PacketBatch, options: { now?: number; parse?: boolean } = {}): ProcessResult {
    if (batch.core !== this.core) {
      throw new ConfigError("batch-core", "the batch was made on another core: make it with dataplane.readerOptions()", batch.core);
    }
    const now = options.now;
    if (now !== undefined && (typeof now !== "number" || !Number.isFinite(now) || now < 0)) {
      throw new ConfigError("dataplane-now", `invalid now ${describe(now)}: expected milliseconds ≥ 0`, now);
    }
    const w = this.#wasm;
    const count = w.pipelineProcess(this.#handle, batch.handle, now ?? 0, now !== undefined, options.parse ?? true);
    if (count < 0)
      throw new CapacityError("dataplane-batch", `a batch of ${batch.length} packets exceeds maxBatch ${this.maxBatch}`, batch.length);
    const buffer = w.memory.buffer;
    const verdicts = new Uint8Array(buffer, w.pipelineVerdicts(this.#handle), count);
    const reasons = new Uint8Array(buffer, w.pipelineReasons(this.#handle), count);
    const egress = new Uint32Array(buffer, w.pipelineEgress(this.#handle), count);
    const handles = new Uint32Array(buffer, w.pipelineHandles(this.#handle), count);
    const macs = new BigUint64Array(buffer, w.pipelineNextHopMacs(this.#handle), count);
    const output = this.#drainOutput();
    return {
      count,
      verdicts,
      reasons,
      egress,
      handles,
      output,
      verdict(i: number): PacketVerdict {
        const verdict = VERDICTS[verdicts[i]!]!;
        if (verdict === "forwarded") {
          const hex = macs[i]!.toString(16).padStart(12, "0");
          return { verdict, interface: egress[i]!, mac: hex.match(/../g)!.join(":") };
        }
        if (verdict === "queued") return { verdict, interface: egress[i]!, handle: handles[i]! };
        return { verdict, reason: REASONS[reasons[i]!]! };
      },
    };
  }

  /** Runs the ARP timers up to `now` (idle time): returns the frames that made (retries, releases). */
  tick(now: number): OutputFrame[] {
    if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
      throw new ConfigError("dataplane-now", `invalid now ${describe(now)}: expected milliseconds ≥ 0`, now);
    }
    this.#wasm.pipelineTick(this.#handle, now);
    return this.#drainOutput();
  }

  #drainOutput(): OutputFrame[] {
    const w = this.#wasm;
    const records = w.pipelineOutputRecords(this.#handle);
    if (records === 0) return [];
    const base = w.pipelineOutput(this.#handle);
    const view = new DataView(w.memory.buffer);
    const bytes = new Uint8Array(w.memory.buffer);
    const out: OutputFrame[] = [];
    let at = base;
    for (let k = 0; k < records; k++) {
      const length = view.getUint32(at + 4, true);
      const after = view.getUint32(at + 12, true);
      out.push({
        interface: view.getUint32(at, true),
        kind: OUTPUT_KINDS[view.getUint8(at + 8)]!,
        time: view.getFloat64(at + 16, true),
        after: after === 0xffffffff ? -1 : after,
        frame: bytes.slice(at + 24, at + 24 + length),
      });
      at += 24 + ((length + 7) & ~7);
    }
    w.pipelineOutputClear(this.#handle);
    return out;
  }

  /**
   * The FIB adjacency for a route target (made, with its rewrite record, the first time a
   * target is asked for; the same id afterwards). A route to an interface needs its prefix
   * on-link for ARP: give such routes in `routes` at creation.
   * @throws ConfigError for a next hop on no connected subnet or an unknown interface.
   */
  adjacencyFor(target: RouteTarget, family: 4 | 6 = 4): number {
    if ("null" in target) return 1;
    const plan = planDataplane({
      interfaces: this.#plan.interfaces.map((f) => ({ name: f.name, mac: f.arp.mac, addresses: f.arp.addresses ?? [] })),
      routes: [{ prefix: family === 6 ? "::/0" : "0.0.0.0/0", target }],
    });
    const a = plan.adjacencies[plan.adjacencies.length - 1]!;
    const key = `${a.family}|${a.interface}|${a.nextHop}|${a.mac ?? ""}`;
    const known = this.#adjacencyByKey.get(key);
    if (known !== undefined) return known;
    const id = this.fib.addAdjacency({ interface: this.interfaceNames[a.interface]! });
    const mac = a.mac ?? 0;
    if (
      !this.#wasm.pipelineSetAdjacency(this.#handle, id, a.interface, a.nextHop, Math.floor(mac / 2 ** 32), mac >>> 0, a.mac !== undefined)
    ) {
      throw new CapacityError("dataplane-adjacencies", `adjacency ${id} is beyond maxAdjacencies`, id);
    }
    this.#adjacencyByKey.set(key, id);
    return id;
  }

  /** Adds (or replaces) a static route after creation. */
  addRoute(route: StaticRoute): void {
    this.fib.insert(route.prefix, this.adjacencyFor(route.target, parsePrefix(route.prefix).family));
  }

  /**
   * Installs a routing table (columns as `readTableFile` gives them) with one adjacency per
   * route, then the configured connected, receive and static routes again over it (they take
   * precedence, as their administrative distance does).
   */
  installRoutes(table: RouteColumns, adjacencies: { ipv4: Uint32Array; ipv6: Uint32Array }): void {
    this.fib.insertBatch(table.ipv4.addresses, table.ipv4.lengths, adjacencies.ipv4);
    this.fib.insertBatch6(table.ipv6.addresses, table.ipv6.lengths, adjacencies.ipv6);
    for (const route of this.#plan.routes) {
      this.fib.insert(route.prefix, "special" in route.adjacency ? route.adjacency.special : this.#adjacencyIds[route.adjacency.planned]!);
    }
  }

  /** The adjacencies of the configured next hops (IPv4), for spreading a table's routes over them. */
  nextHopAdjacencies(): number[] {
    return this.#plan.adjacencies.flatMap((a, i) => (a.family === 4 && a.nextHop !== 0 ? [this.#adjacencyIds[i]!] : []));
  }

  /** Each interface's name, MAC (48-bit number) and primary address, for displays. */
  interfaceDescriptions(): { name: string; mac: number; address?: string }[] {
    return this.#plan.interfaces.map((f) => ({
      name: f.name,
      mac: f.mac,
      ...(f.arp.addresses?.[0] ? { address: f.arp.addresses[0] } : {}),
    }));
  }

  #loadAcls(): void {
    const w = this.#wasm;
    const { directory, entries } = this.#plan.acls;
    const d = w.alloc(directory.byteLength);
    const e = w.alloc(entries.byteLength);
    new Uint32Array(w.memory.buffer, d, directory.length).set(directory);
    new Uint32Array(w.memory.buffer, e, entries.length).set(entries);
    w.pipelineLoadAcls(this.#handle, d, this.accessLists.length, e, this.#plan.acls.entries.length / 16);
    w.free(d);
    w.free(e);
  }

  /** The counters of every stage. Conservation: packetsIn = forwarded + queued + punted + dropped. */
  counters(): DataplaneCounters {
    const w = this.#wasm;
    const slots = new BigUint64Array(w.memory.buffer, w.pipelineCounters(this.#handle), COUNTER_COUNT);
    return decodeCounters(Array.from(slots, Number));
  }

  /** Per interface counters (`show interfaces`). */
  interfaceCounters(): InterfaceCounters[] {
    const w = this.#wasm;
    const slots = new BigUint64Array(
      w.memory.buffer,
      w.pipelineInterfaceCounters(this.#handle),
      this.interfaceNames.length * INTERFACE_COUNTER_COUNT,
    );
    return this.interfaceNames.map((name, i) =>
      decodeInterfaceCounters(name, Array.from(slots.subarray(i * INTERFACE_COUNTER_COUNT, (i + 1) * INTERFACE_COUNTER_COUNT), Number)),
    );
  }

  /** Per access-list entry match counters (`show access-lists`). */
  accessListCounters(): AccessListCounters[] {
    const w = this.#wasm;
    const total = this.accessLists.reduce((n, l) => n + l.entries.length, 0);
    const matches = new BigUint64Array(w.memory.buffer, w.pipelineAceMatches(this.#handle), Math.max(1, total));
    const implicit = new BigUint64Array(w.memory.buffer, w.pipelineAclImplicitDenies(this.#handle), Math.max(1, this.accessLists.length));
    let k = 0;
    return this.accessLists.map((list, i) => ({
      name: list.name,
      kind: list.kind,
      entries: list.entries.map((e) => ({ text: e.text, matches: Number(matches[k++]!) })),
      implicitDenies: Number(implicit[i]!),
    }));
  }

  /** `show running-config`: the configuration as IOS would print it (when made by {@link fromConfig}). */
  runningConfig(): string {
    if (this.config === undefined) throw new ConfigError("running-config", "this Dataplane was not made from a configuration", undefined);
    return renderRunningConfig(this.config);
  }

  /** Frees the pipeline and every component's memory on the core. Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#wasm.pipelineFree(this.#handle);
    this.core.detach(this.#attachment);
    this.routeCache?.dispose();
    this.flowCache?.dispose();
    this.nat?.dispose();
    this.bridge?.dispose();
    this.selector?.dispose();
    this.arp.dispose();
    this.fib.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
