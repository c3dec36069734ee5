/**
 * The simulated router of the worm scenarios: a {@link Dataplane} configured with IOS text,
 * with a processor memory of a given size, IOS's switching paths and processes, a CPU that
 * pays for every operation, and a 9600-baud console.
 *
 * What runs where:
 * - The Dataplane (WebAssembly) takes each batch through parse → NetFlow input filters and
 *   samplers → ingress flow accounting → input ACL → FIB → TTL → rewrite, as configured. Its
 *   egress adjacencies carry the rewrite proxy ARP (or ARP for the next hop) gives — the
 *   upstream's MAC — and its switching stage runs CEF, because which packets reach the wire,
 *   and through which path, is decided by IOS's paths below, whose ARP is the simulated one.
 * - IOS's paths (this file): each forwarded packet is **fast switched** from the route cache
 *   (the library's {@link RouteCache} over the router's own routing table) or **process
 *   switched** by IP Input on a miss, or, with `ip cef`, **CEF switched** through a per-host
 *   adjacency, a packet without one being punted (glean) to ARP. A destination on a broadcast
 *   interface (a connected subnet, or the seed's static route to an interface) needs ARP:
 *   RFC 826 ARP or negative caching (arp-models.ts), answered by the proxy-ARP upstream.
 * - Memory: ARP entries (ARP Input), route-cache entries (IP Input), CEF adjacencies (CEF
 *   process) and the preallocated NetFlow cache (IP Input) come from a {@link MemoryPool} of
 *   the router's size; an allocation that does not fit logs `%SYS-2-MALLOCFAIL` (to the
 *   console) and fails: no ARP entry, no cache entry (the packet was process switched
 *   anyway), and CEF disables itself, falling back to fast switching (000:L271).
 * - CPU: every operation charges its cost (costs.ts) per 1-second step to interrupt level or
 *   to its process; interrupt work is served first, processes share the rest. What does not
 *   fit is lost: a share of the interrupt-level packets (receive rings overflow) and of the
 *   process-switched ones (IP Input's queue) **(inferred scheduling, as cpu.ts)**. A console
 *   flush holds the CPU at interrupt level for the line time of its messages (000:L404).
 * - Reload: "A low memory condition or sustained high CPU utilization (100 percent) at interrupt
 *   level can cause an Cisco IOS router to reload" (000:L49): allocations failing in each of
 *   `reloadAfterSeconds` consecutive seconds, or the interrupt level saturated as long, reload
 *   the router, which is down for `bootSeconds` and comes back with empty tables **(inferred
 *   thresholds)**.
 *
 * Losses are counted for established traffic (workload label 0): packets dropped by IOS's
 * paths, the expected share of packets the CPU could not serve, and everything during a reload.
 */

import { Dataplane } from "../../dataplane/dataplane.js";
import { parseIosConfig, type RouterConfig } from "../../dataplane/config/parse.js";
import { dataplaneOptionsFromConfig } from "../../dataplane/config/options.js";
import type { DataplaneOptions } from "../../dataplane/options.js";
import { Fib } from "../../fib/fib.js";
import { RouteCache } from "../../route-cache/cache.js";
import { FlowTopTalkers } from "../../analysis/top-talkers.js";
import type { PacketBatch } from "../../packet/batch.js";
import { ConfigError, describe } from "../../errors.js";
import { formatIPv4, parseIPv4 } from "../../net/address.js";
import type { ArpParameters } from "../../arp/options.js";
import { CpuModel, ROUTER_PROCESSES } from "../load-meter/cpu.js";
import { MemoryPool } from "../load-meter/memory.js";
import { ConsoleLog } from "../load-meter/console.js";
import { COSTS, ENTRY_BYTES } from "../load-meter/costs.js";
import { workloadColumns } from "../workload/packet-writer.js";
import { type RouterArp, Rfc826Arp, NegativeCachingArp, RESOLVED } from "./arp-models.js";
import type { ProxyArpUpstream } from "./upstream.js";

/** Options of a {@link SimRouter}. */
export interface SimRouterOptions {
  /** The IOS configuration. */
  config: string;
  /** Processor memory, bytes (default 128 MiB). */
  memoryBytes?: number;
  /**
   * Bytes IOS holds from boot (its data structures, buffers, routing process): default half of
   * a 128 MiB router's memory (64 MiB), the same on bigger routers **(inferred)**.
   */
  systemBytes?: number;
  /** `rfc826` (IOS's default, no negative cache) or `negative-caching` (the NANOG proposal; default rfc826). */
  arp?: "rfc826" | "negative-caching";
  /** Parameters of the negative-caching table. */
  negativeArp?: Partial<ArpParameters>;
  /** The upstream router and the interface it is on. */
  upstream: ProxyArpUpstream;
  uplink: string;
  /**
   * Output links with a capacity, bits/s by interface name (default: none): what is offered
   * beyond it in a second is tail-dropped, every packet out of the link alike (Slammer's way).
   */
  linkBitsPerSecond?: Record<string, number>;
  /** Who answers ARP on the other interfaces, by name (default: nobody). */
  responders?: Record<string, ArpResponder>;
  seed?: number;
  /** Consecutive seconds of failing allocations (or of a saturated interrupt level) before a reload (default 60). */
  reloadAfterSeconds?: number;
  /** Seconds a reload takes (default 180) **(inferred)**. */
  bootSeconds?: number;
  /** Seconds from the start during which losses are not counted (the router learning its neighbours; default 0). */
  warmupSeconds?: number;
  /** Called just before a reload, while the failing router's tables still exist (for its displays). */
  beforeReload?: (router: SimRouter, seconds: number) => void;
}

/** Who answers ARP requests on an interface: the MAC (48-bit number) for an address, or undefined. */
export interface ArpResponder {
  reply(ip: number): number | undefined;
}

/** One second of the router, as the time series record it. */
export interface RouterSecond {
  seconds: number;
  arpRequests: number;
  /** ARP requests per interface index. */
  arpRequestsByInterface: number[];
  /** Bits offered to each capped output link over its capacity (0 for uncapped links), by interface index. */
  linkLoad: number[];
  arpBytes: number;
  routeCacheBytes: number;
  cefBytes: number;
  flowCacheBytes: number;
  natBytes: number;
  freeBytes: number;
  interruptPercent: number;
  process: Record<string, number>;
  establishedPackets: number;
  establishedLost: number;
  wormPackets: number;
  wormForwarded: number;
}

/** Processes whose CPU the scenario charts. */
export const CHARTED_PROCESSES = ["IP Input", "ARP Input", "IP Cache Ager", "CEF process"] as const;

const MIB = 1024 * 1024;
/** The rewrite the forwarding Dataplane writes toward hosts on the inside interfaces (the simulated ARP decides whether they answer). */
const LAN_REWRITE_MAC = "02:00:5e:00:00:01";
const CAPACITY_US = 1_000_000;
/** Free memory below which route-cache misses are switched one by one (each entry allocated first). */
const LOW_MEMORY_BYTES = 64 * 1024;
/** Route-cache verdict names → the codes switchBatch writes. */
const ROUTE_CACHE_CODES: Record<string, number> = { fast: 1, process: 2, "no-memory": 3, uncacheable: 4, unresolved: 5, "no-route": 6 };
const ESTABLISHED = 0;

interface Tally {
  interruptUs: number;
  ipInputUs: number;
  ipInputPackets: number;
  arpInputUs: number;
  arpInputRuns: number;
  cefUs: number;
  agerUs: number;
  estInterrupt: number;
  estProcess: number;
  estDropped: number;
  estPackets: number;
  wormPackets: number;
  wormForwarded: number;
  arpRequests: number;
  arpByInterface: number[];
  linkBits: number[];
  estOut: number[];
  allocFailures: number;
}

function emptyTally(): Tally {
  return {
    interruptUs: 0,
    ipInputUs: 0,
    ipInputPackets: 0,
    arpInputUs: 0,
    arpInputRuns: 0,
    cefUs: 0,
    agerUs: 0,
    estInterrupt: 0,
    estProcess: 0,
    estDropped: 0,
    estPackets: 0,
    wormPackets: 0,
    wormForwarded: 0,
    arpRequests: 0,
    arpByInterface: [],
    linkBits: [],
    estOut: [],
    allocFailures: 0,
  };
}

interface Scratch {
  dst: Uint32Array;
  egress: Uint32Array;
  bits: Float64Array;
  index: Uint32Array;
  verdicts: Uint8Array;
  adj: Uint32Array;
}

/** The parts of a running router (rebuilt by a reload). */
interface Boot {
  dataplane: Dataplane;
  fib: Fib;
  routeCache: RouteCache | undefined;
  /** ARP per interface index (made when first needed). */
  arps: (RouterArp | undefined)[];
  pool: MemoryPool;
  top: FlowTopTalkers | undefined;
  cef: boolean;
  /** Adjacency ids of routes whose destinations are on the link (need ARP per host), and their interface. */
  attached: Map<number, number>;
  routeCacheEntries: number;
  cefAdjacencies: number;
  lastFlowCounters: { accounted: number; added: number; population: number };
  lastAgerExamined: number;
}

/** A simulated IOS router. */
export class SimRouter {
  readonly config: RouterConfig;
  readonly memoryBytes: number;
  readonly systemBytes: number;
  readonly cpu: CpuModel;
  readonly console: ConsoleLog;
  /** Per-second history. */
  readonly seconds: RouterSecond[] = [];
  /** Times (s) of events: MALLOCFAIL, CEF disabled, reloads. */
  readonly events: { seconds: number; label: string }[] = [];
  /** Totals over the run. */
  establishedPackets = 0;
  establishedLost = 0;
  arpRequests = 0;
  mallocFailures = 0;
  reloads = 0;
  firstMallocFailSeconds: number | null = null;
  firstReloadSeconds: number | null = null;
  cefDisabledSeconds: number | null = null;
  /** Peak memory per table, bytes. */
  readonly peak = { arp: 0, routeCache: 0, cef: 0, flowCache: 0, nat: 0 };
  readonly #options: SimRouterOptions;
  readonly #upstream: ProxyArpUpstream;
  readonly #uplinkIndex: number;
  readonly #uplinkMac: string;
  readonly #reloadAfter: number;
  readonly #bootSeconds: number;
  readonly #warmupMs: number;
  readonly #aclInterfaces: Uint8Array;
  #boot: Boot | undefined;
  #tally = emptyTally();
  #downUntilMs = -1;
  #failingSeconds = 0;
  #saturatedSeconds = 0;
  #consoleCarryUs = 0;
  #lastConsoleUs = 0;
  #second = 0;
  #clockMs = 0;
  #scratch: Scratch = {
    dst: new Uint32Array(0),
    egress: new Uint32Array(0),
    bits: new Float64Array(0),
    index: new Uint32Array(0),
    verdicts: new Uint8Array(0),
    adj: new Uint32Array(0),
  };
  readonly #linkCapacity: number[];

  constructor(options: SimRouterOptions) {
    this.#options = options;
    this.config = parseIosConfig(options.config);
    this.memoryBytes = options.memoryBytes ?? 128 * MIB;
    this.systemBytes = options.systemBytes ?? 64 * MIB;
    if (!Number.isInteger(this.memoryBytes) || this.memoryBytes <= this.systemBytes)
      throw new ConfigError(
        "router-memory",
        `memoryBytes must be an integer above systemBytes, got ${describe(this.memoryBytes)}`,
        this.memoryBytes,
      );
    this.#upstream = options.upstream;
    this.#uplinkIndex = this.config.interfaces.findIndex((f) => f.name === options.uplink);
    if (this.#uplinkIndex < 0)
      throw new ConfigError("router-uplink", `no interface ${describe(options.uplink)} in the configuration`, options.uplink);
    this.#uplinkMac = macString(options.upstream.mac);
    this.#reloadAfter = options.reloadAfterSeconds ?? 60;
    this.#bootSeconds = options.bootSeconds ?? 180;
    this.#warmupMs = (options.warmupSeconds ?? 0) * 1000;
    this.#aclInterfaces = Uint8Array.from(this.config.interfaces, (f) => (f.accessGroups.some((g) => g.direction === "in") ? 1 : 0));
    this.#linkCapacity = this.config.interfaces.map((f) => options.linkBitsPerSecond?.[f.name] ?? 0);
    this.cpu = new CpuModel();
    this.console = new ConsoleLog();
    this.#boot = this.#start(0);
  }

  /** A clock that never goes back (the route cache refuses earlier times). */
  #clock(nowMs: number): number {
    if (nowMs > this.#clockMs) this.#clockMs = nowMs;
    return this.#clockMs;
  }

  /** Whether the router is up (not reloading). */
  get up(): boolean {
    return this.#boot !== undefined;
  }

  /** The running Dataplane (undefined while reloading). */
  get dataplane(): Dataplane | undefined {
    return this.#boot?.dataplane;
  }

  /** The switching mode now: `cef` or `fast`. */
  get switching(): "cef" | "fast" {
    return this.#boot?.cef === true ? "cef" : "fast";
  }

  #start(nowMs: number): Boot {
    const seed = this.#options.seed ?? 1;
    const options = this.#forwardingOptions();
    const dataplane = new Dataplane({ ...options, seed, maxBatch: 16384 }, this.config);
    const pool = new MemoryPool({
      totalBytes: this.memoryBytes,
      processes: ROUTER_PROCESSES,
      systemBytes: this.systemBytes,
      onFailure: (message) => {
        this.mallocFailures++;
        this.#tally.allocFailures++;
        if (this.firstMallocFailSeconds === null) {
          this.firstMallocFailSeconds = this.#second;
          this.events.push({ seconds: this.firstMallocFailSeconds, label: "MALLOCFAIL" });
        }
        this.console.log(this.#second * 1000, message);
      },
    });
    // IOS's own routing table: connected subnets and static routes, with the adjacencies the
    // route cache and CEF switch through (attached ones need ARP per destination).
    const fib = new Fib({ core: dataplane.core, maxBytes: 8 * MIB, seed });
    const attached = new Map<number, number>();
    const ifByName = new Map(this.config.interfaces.map((f, i) => [f.name, i]));
    this.config.interfaces.forEach((f) => {
      for (const a of f.addresses) {
        const adj = fib.addAdjacency({ interface: f.name });
        attached.set(adj, ifByName.get(f.name)!);
        fib.insert(`${formatIPv4((parseIPv4(a.address) & parseIPv4(a.mask)) >>> 0)}/${maskLength(a.mask)}`, adj);
      }
    });
    for (const r of this.config.routes) {
      const prefix = `${r.prefix}/${maskLength(r.mask)}`;
      if (r.target === "Null0") {
        fib.insert(prefix, 1);
        continue;
      }
      const isAddress = /^\d+\.\d+\.\d+\.\d+$/.test(r.target);
      if (isAddress) {
        const f = this.config.interfaces.find((x) => x.addresses.some((a) => sameSubnet(a.address, a.mask, r.target)));
        fib.insert(prefix, fib.addAdjacency({ interface: f?.name ?? this.#options.uplink, nextHop: r.target }));
      } else {
        if (!ifByName.has(r.target)) throw new ConfigError("router-route", `route to unknown interface ${describe(r.target)}`, r.target);
        const adj =
          r.nextHop !== undefined
            ? fib.addAdjacency({ interface: r.target, nextHop: r.nextHop })
            : fib.addAdjacency({ interface: r.target });
        if (r.nextHop === undefined) attached.set(adj, ifByName.get(r.target)!);
        fib.insert(prefix, adj);
      }
    }
    // A reload reads the configuration again: `ip cef` is back on (the seed's "manual" re-enable).
    const cef = this.config.cef === true;
    const boot: Boot = {
      dataplane,
      fib,
      routeCache: undefined,
      arps: [],
      pool,
      top: dataplane.flowCache === undefined ? undefined : new FlowTopTalkers({ cache: dataplane.flowCache }),
      cef,
      attached,
      routeCacheEntries: 0,
      cefAdjacencies: 0,
      lastFlowCounters: { accounted: 0, added: 0, population: 0 },
      lastAgerExamined: 0,
    };
    if (!cef) boot.routeCache = this.#makeRouteCache(fib);
    // Fixed allocations at boot: the NetFlow cache (IOS preallocates it) and the negative-caching ARP table's budgets.
    if (dataplane.flowCache !== undefined) pool.allocate("IP Input", dataplane.flowCache.options.capacity * ENTRY_BYTES.netflowEntry);
    // The next hops of static routes are ARPed at boot.
    for (const r of this.config.routes) {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(r.target)) continue;
      const ip = parseIPv4(r.target);
      const ifIndex = this.config.interfaces.findIndex((x) => x.addresses.some((a) => sameSubnet(a.address, a.mask, r.target)));
      if (ifIndex < 0) continue;
      const mac = this.#responder(ifIndex)?.reply(ip);
      if (mac !== undefined) this.#learn(boot, ifIndex, ip, mac, nowMs);
    }
    return boot;
  }

  #responder(ifIndex: number): ArpResponder | undefined {
    if (ifIndex === this.#uplinkIndex) return this.#upstream;
    return this.#options.responders?.[this.config.interfaces[ifIndex]!.name];
  }

  /** The ARP table of an interface, made (and its fixed budgets allocated) when first needed. */
  #arpFor(boot: Boot, ifIndex: number): RouterArp {
    const known = boot.arps[ifIndex];
    if (known !== undefined) return known;
    const f = this.config.interfaces[ifIndex]!;
    const address = f.addresses[0];
    let arp: RouterArp;
    if (this.#options.arp === "negative-caching" && address !== undefined) {
      const negative = new NegativeCachingArp(
        boot.dataplane.core,
        {
          name: f.name,
          mac: boot.dataplane.interfaceDescriptions()[ifIndex]!.mac.toString(16).padStart(12, "0").match(/../g)!.join(":"),
          addresses: [`${address.address}/${maskLength(address.mask)}`],
          onLink: this.config.routes
            .filter((r) => r.target === f.name && r.nextHop === undefined)
            .map((r) => `${r.prefix}/${maskLength(r.mask)}`),
          // A router's table: room for a scan's worth of proxy-answered addresses (research §8.2's
          // 4,096 is a host's); the other budgets are the defaults.
          presentEntries: 65_536,
          // The post's retry rule: another request only when traffic asks after t1 (001:L38–43).
          retryMode: "demand",
          ...this.#options.negativeArp,
        },
        this.#options.seed ?? 1,
      );
      boot.pool.allocate("ARP Input", negative.bytes);
      arp = negative;
    } else arp = new Rfc826Arp();
    boot.arps[ifIndex] = arp;
    return arp;
  }

  #makeRouteCache(fib: Fib): RouteCache {
    const ager = this.config.cacheAgerInterval;
    return new RouteCache({
      fib,
      maxBytes: 512 * MIB,
      maxNeighbors: 1 << 22,
      seed: this.#options.seed ?? 1,
      ...(ager ? { ager: { intervalSeconds: ager.seconds, lowMemoryDivisor: ager.lowMemory, normalDivisor: ager.normal } } : {}),
    });
  }

  /** The Dataplane's options: the configuration, with the upstream's MAC as the rewrite of routes to it. */
  #forwardingOptions(): DataplaneOptions {
    const options = dataplaneOptionsFromConfig(this.config);
    // IOS's switching paths (route cache, process switching, CEF adjacencies) are this router's:
    // the Dataplane's own switching stage runs CEF over the fixed rewrites below.
    for (const f of options.interfaces) delete f.switching;
    const uplink = this.#options.uplink;
    options.routes = (options.routes ?? []).map((r) => {
      const t = r.target;
      if ("null" in t) return r;
      if (t.nextHop === undefined && t.interface === uplink) return { ...r, target: { interface: uplink, mac: this.#uplinkMac } };
      return r;
    });
    // Connected subnets of the other interfaces become routes with a fixed rewrite (their
    // interfaces keep their addresses as /32s): ARP on them is the simulator's too.
    options.interfaces = options.interfaces.map((f) => {
      if (f.name === uplink) return f;
      const addresses = f.addresses ?? [];
      for (const a of addresses) {
        const [address, length] = a.split("/") as [string, string];
        if (Number(length) >= 32) continue;
        const mask = Number(length) === 0 ? 0 : (0xffffffff << (32 - Number(length))) >>> 0;
        options.routes!.push({
          prefix: `${formatIPv4((parseIPv4(address) & mask) >>> 0)}/${length}`,
          target: { interface: f.name, mac: LAN_REWRITE_MAC },
        });
      }
      return { ...f, addresses: addresses.map((a) => `${a.split("/")[0]}/32`) };
    });
    const staticArp = [...(options.staticArp ?? [])];
    for (const r of this.config.routes)
      if (/^\d+\.\d+\.\d+\.\d+$/.test(r.target) && !staticArp.some((a) => a.address === r.target))
        staticArp.push({ address: r.target, mac: this.#uplinkMac });
    options.staticArp = staticArp;
    return options;
  }

  /** ARP learned `ip` on an interface (a reply): an entry, and the rewrite the switching paths use. */
  #learn(boot: Boot, ifIndex: number, ip: number, mac: number, nowMs: number): void {
    const arp = this.#arpFor(boot, ifIndex);
    const learned = arp.reply(ip, mac, nowMs, () => boot.pool.allocate("ARP Input", ENTRY_BYTES.arpEntry));
    if (!learned) return;
    this.#tally.arpInputUs += COSTS.arpReplyMicroseconds;
    if (boot.cef) {
      if (boot.pool.allocate("CEF process", ENTRY_BYTES.cefAdjacency)) {
        boot.cefAdjacencies++;
        this.#tally.cefUs += COSTS.arpReplyMicroseconds;
      } else this.#disableCef(boot, nowMs);
    }
    if (boot.routeCache !== undefined) boot.routeCache.setNeighbor(ip, macString(mac), this.#clock(nowMs));
  }

  #disableCef(boot: Boot, nowMs: number): void {
    if (!boot.cef) return;
    boot.cef = false;
    this.cefDisabledSeconds ??= nowMs / 1000;
    this.events.push({ seconds: nowMs / 1000, label: "CEF disabled" });
    this.console.log(nowMs, "%FIB-3-NOMEM: Malloc Failure, disabling CEF");
    boot.pool.free("CEF process", boot.cefAdjacencies * ENTRY_BYTES.cefAdjacency);
    boot.cefAdjacencies = 0;
    boot.routeCache = this.#makeRouteCache(boot.fib);
    // Fast switching rewrites through the ARP entries the router already has.
    const at = this.#clock(nowMs);
    for (const arp of boot.arps)
      if (arp instanceof Rfc826Arp) for (const [ip, mac] of arp.entries()) boot.routeCache.setNeighbor(ip, macString(mac), at);
  }

  /**
   * Runs one batch (packet times within the current second) through the router. `labels[i]` is
   * the workload of packet i (0 = established traffic, others the worm).
   */
  process(batch: PacketBatch, labels: Uint8Array): void {
    const n = batch.length;
    if (n === 0) return;
    let c = workloadColumns(batch);
    const t = this.#tally;
    const counting = c.time[n - 1]! >= this.#warmupMs;
    for (let i = 0; i < n; i++) {
      if (labels[i] === ESTABLISHED) t.estPackets++;
      else t.wormPackets++;
    }
    const boot = this.#boot;
    if (boot === undefined) {
      if (counting) for (let i = 0; i < n; i++) if (labels[i] === ESTABLISHED) t.estDropped++;
      return;
    }
    const now = c.time[n - 1]!;
    const result = boot.dataplane.process(batch);
    // The call may have grown WebAssembly memory: views made before it are stale.
    c = workloadColumns(batch);
    // Interrupt level: every packet is received and parsed; ACLs are checked on their interfaces.
    t.interruptUs += n * COSTS.parseMicroseconds;
    const acl = this.#aclInterfaces;
    for (let i = 0; i < n; i++) if (acl[c.interface[i]!] === 1) t.interruptUs += COSTS.aclCheckMicroseconds;
    this.#chargeNetflow(boot);
    // The packets the feature path forwarded go to IOS's switching paths.
    const s = this.#room(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (result.verdicts[i] === 0) {
        s.index[m] = i;
        s.egress[m] = result.egress[i]!;
        s.bits[m] = c.wireLength[i]! * 8;
        s.dst[m++] = c.dst[i * 4]!;
      } else if (labels[i] === ESTABLISHED && counting) t.estDropped++;
    }
    if (m === 0) return;
    const dst = s.dst.subarray(0, m);
    // Destinations needing ARP first (their packets are dropped unless resolved).
    const needArp: number[] = [];
    if (boot.cef) {
      boot.fib.lookupBatch(dst, s.adj);
      for (let k = 0; k < m; k++) {
        const est = labels[s.index[k]!] === ESTABLISHED;
        if (boot.attached.has(s.adj[k]!)) needArp.push(k);
        else this.#switched(est, counting, "cef", k);
      }
    } else {
      const cache = boot.routeCache!;
      const at = this.#clock(now);
      if (boot.pool.freeBytes >= LOW_MEMORY_BYTES) {
        const r = cache.switchBatch(dst, at, { verdicts: s.verdicts, adjacencies: s.adj });
        for (let k = 0; k < m; k++) {
          const est = labels[s.index[k]!] === ESTABLISHED;
          const v = r.verdicts[k]!;
          // An entry built needs memory; when the pool refuses it, there is no entry.
          if (v === 2 && !this.#allocateEntry(boot)) cache.clear(at, `${formatIPv4(dst[k]!)}/32`);
          this.#fastVerdict(v, est, counting, k, needArp);
        }
      } else {
        // Memory is short: a miss leaves an entry only if the pool gives one (per packet, so a
        // refused allocation builds nothing).
        cache.lookupBatch(dst, at, s.adj);
        for (let k = 0; k < m; k++) {
          const est = labels[s.index[k]!] === ESTABLISHED;
          if (s.adj[k] !== 0) this.#switched(est, counting, "fast", k);
          else if (this.#allocateEntry(boot)) {
            const v = ROUTE_CACHE_CODES[cache.fill(dst[k]!, at)]!;
            if (v !== 2) this.#freeEntry(boot);
            this.#fastVerdict(v, est, counting, k, needArp);
          } else {
            // Process switched without an entry: through ARP when the host is on a link.
            boot.fib.lookupBatch(dst.subarray(k, k + 1), s.adj.subarray(k, k + 1));
            if (boot.attached.has(s.adj[k]!)) this.#fastVerdict(5, est, counting, k, needArp);
            else this.#switched(est, counting, "process", k);
          }
        }
      }
    }
    if (needArp.length > 0) this.#resolve(boot, needArp, s, labels, now, counting);
  }

  /** Applies a route-cache verdict code (1 fast, 2 process and cached, 3/4 process, 5 unresolved, 6 no route) to packet k. */
  #fastVerdict(v: number, est: boolean, counting: boolean, k: number, needArp: number[]): void {
    const t = this.#tally;
    if (v === 1) this.#switched(est, counting, "fast", k);
    else if (v >= 2 && v <= 4) this.#switched(est, counting, "process", k);
    else if (v === 5) {
      t.ipInputUs += COSTS.processSwitchMicroseconds;
      t.ipInputPackets++;
      needArp.push(k);
    } else if (est && counting) t.estDropped++;
  }

  #allocateEntry(boot: Boot): boolean {
    if (!boot.pool.allocate("IP Input", ENTRY_BYTES.routeCacheEntry)) return false;
    boot.routeCacheEntries++;
    return true;
  }

  #freeEntry(boot: Boot): void {
    boot.pool.free("IP Input", ENTRY_BYTES.routeCacheEntry);
    boot.routeCacheEntries--;
  }

  /** Packet k of the scratch arrays was switched by `path` and leaves by its egress interface. */
  #switched(est: boolean, counting: boolean, path: "fast" | "cef" | "process", k: number): void {
    const t = this.#tally;
    const out = this.#scratch.egress[k]!;
    t.linkBits[out] = (t.linkBits[out] ?? 0) + this.#scratch.bits[k]!;
    if (est && counting) t.estOut[out] = (t.estOut[out] ?? 0) + 1;
    if (path === "process") {
      t.ipInputUs += COSTS.processSwitchMicroseconds;
      t.ipInputPackets++;
    } else t.interruptUs += path === "cef" ? COSTS.cefSwitchMicroseconds : COSTS.fastSwitchMicroseconds;
    if (est) {
      if (counting) {
        if (path === "process") t.estProcess++;
        else t.estInterrupt++;
      }
    } else t.wormForwarded++;
  }

  #resolve(boot: Boot, which: number[], s: Scratch, labels: Uint8Array, now: number, counting: boolean): void {
    const t = this.#tally;
    const all = new Uint32Array(which.length);
    for (let j = 0; j < which.length; j++) all[j] = s.dst[which[j]!]!;
    const adjacencies = boot.fib.lookupBatch(all);
    // One ARP table per interface: group the packets by the interface their host is on.
    const groups = new Map<number, number[]>();
    for (let j = 0; j < which.length; j++) {
      const ifIndex = boot.attached.get(adjacencies[j]!);
      if (ifIndex === undefined) continue;
      const g = groups.get(ifIndex);
      if (g === undefined) groups.set(ifIndex, [j]);
      else g.push(j);
    }
    for (const [ifIndex, members] of groups) {
      const arp = this.#arpFor(boot, ifIndex);
      const ips = Uint32Array.from(members, (j) => all[j]!);
      const out = new Uint8Array(members.length);
      arp.resolve(ips, members.length, now, out);
      for (let q = 0; q < members.length; q++) {
        const est = labels[s.index[which[members[q]!]!]!] === ESTABLISHED;
        if (out[q] === RESOLVED) {
          // Resolved but not yet in the switching path's rewrites (an entry the route cache did not have).
          this.#switched(est, counting, boot.cef ? "cef" : "process", which[members[q]!]!);
        } else {
          if (boot.cef) t.interruptUs += COSTS.parseMicroseconds; // the glean punt
          if (est && counting) t.estDropped++;
        }
      }
      const requests = arp.takeRequests();
      t.arpRequests += requests.length;
      t.arpByInterface[ifIndex] = (t.arpByInterface[ifIndex] ?? 0) + requests.length;
      t.arpInputUs += requests.length * COSTS.arpRequestMicroseconds;
      t.arpInputRuns += requests.length;
      const responder = this.#responder(ifIndex);
      for (const ip of requests) {
        const mac = responder?.reply(ip);
        if (mac !== undefined) this.#learn(boot, ifIndex, ip, mac, now);
      }
    }
  }

  #chargeNetflow(boot: Boot): void {
    const cache = boot.dataplane.flowCache;
    if (cache === undefined) return;
    const fc = cache.counters();
    const population = boot.dataplane.selector?.counters().sampledPopulation ?? 0;
    const last = boot.lastFlowCounters;
    const accounted = fc.packetsAccounted - last.accounted;
    const added = fc.flowsAdded - last.added;
    this.#tally.interruptUs +=
      accounted * COSTS.netflowPacketMicroseconds +
      added * (COSTS.netflowNewFlowMicroseconds - COSTS.netflowPacketMicroseconds) +
      (population - last.population) * COSTS.samplerDecisionMicroseconds;
    boot.lastFlowCounters = { accounted: fc.packetsAccounted, added: fc.flowsAdded, population };
  }

  #room(n: number): Scratch {
    if (this.#scratch.dst.length < n) {
      this.#scratch = {
        dst: new Uint32Array(n),
        egress: new Uint32Array(n),
        bits: new Float64Array(n),
        index: new Uint32Array(n),
        verdicts: new Uint8Array(n),
        adj: new Uint32Array(n),
      };
    }
    return this.#scratch;
  }

  /** Closes the second ending at `(second + 1)` s: timers, memory, the CPU, losses, reloads. */
  endSecond(): RouterSecond {
    const endMs = (this.#second + 1) * 1000;
    const t = this.#tally;
    const boot = this.#boot;
    if (boot !== undefined) {
      for (const arp of boot.arps) arp?.tick(endMs);
      const cache = boot.routeCache;
      if (cache !== undefined) {
        cache.advance(this.#clock(endMs));
        const st = cache.statistics();
        if (st.entries < boot.routeCacheEntries) {
          boot.pool.free("IP Input", (boot.routeCacheEntries - st.entries) * ENTRY_BYTES.routeCacheEntry);
          boot.routeCacheEntries = st.entries;
        }
        t.agerUs += (st.agerExamined - boot.lastAgerExamined) * COSTS.cacheAgerEntryMicroseconds;
        boot.lastAgerExamined = st.agerExamined;
      }
    }
    this.console.advance(endMs);
    const consoleUs = this.console.interruptMicroseconds - this.#lastConsoleUs;
    this.#lastConsoleUs = this.console.interruptMicroseconds;
    this.#consoleCarryUs += consoleUs;
    // Interrupt level first (a console flush holds it until the line has sent its characters).
    const consoleNow = Math.min(this.#consoleCarryUs, CAPACITY_US);
    this.#consoleCarryUs -= consoleNow;
    const interruptDemand = t.interruptUs + consoleNow;
    const interruptServed = Math.min(interruptDemand, CAPACITY_US);
    const packetShare = t.interruptUs === 0 ? 1 : Math.max(0, Math.min(1, (CAPACITY_US - consoleNow) / t.interruptUs));
    let left = CAPACITY_US - interruptServed;
    const medium = t.ipInputUs + t.arpInputUs + t.cefUs;
    const mediumShare = medium <= left ? 1 : left / medium;
    left -= medium * mediumShare;
    const agerShare = t.agerUs <= left ? 1 : left / Math.max(1, t.agerUs);
    const served = {
      "IP Input": t.ipInputUs * mediumShare,
      "ARP Input": t.arpInputUs * mediumShare,
      "CEF process": t.cefUs * mediumShare,
      "IP Cache Ager": t.agerUs * agerShare,
    };
    if (boot !== undefined) {
      this.cpu.chargeInterrupt(interruptServed);
      if (served["IP Input"] > 0) this.cpu.charge("IP Input", served["IP Input"], t.ipInputPackets);
      if (served["ARP Input"] > 0) this.cpu.charge("ARP Input", served["ARP Input"], Math.max(1, t.arpInputRuns));
      if (served["CEF process"] > 0) this.cpu.charge("CEF process", served["CEF process"], 1);
      if (served["IP Cache Ager"] > 0) this.cpu.charge("IP Cache Ager", served["IP Cache Ager"], 1);
    }
    this.cpu.advance(endMs);
    let lost = t.estDropped + t.estInterrupt * (1 - packetShare) + t.estProcess * (1 - mediumShare);
    // Capped output links tail-drop what is offered beyond their capacity.
    const linkLoad = this.#linkCapacity.map((cap, i) => (cap > 0 ? (t.linkBits[i] ?? 0) / cap : 0));
    linkLoad.forEach((load, i) => {
      if (load > 1) lost += (t.estOut[i] ?? 0) * (1 - 1 / load) * packetShare * mediumShare;
    });
    this.establishedPackets += endMs > this.#warmupMs ? t.estPackets : 0;
    this.establishedLost += lost;
    this.arpRequests += t.arpRequests;
    const memory = this.#memory();
    for (const k of Object.keys(this.peak) as (keyof SimRouter["peak"])[]) this.peak[k] = Math.max(this.peak[k], memory[k]);
    const record: RouterSecond = {
      seconds: endMs / 1000,
      arpRequests: t.arpRequests,
      arpRequestsByInterface: this.config.interfaces.map((_, i) => t.arpByInterface[i] ?? 0),
      linkLoad,
      arpBytes: memory.arp,
      routeCacheBytes: memory.routeCache,
      cefBytes: memory.cef,
      flowCacheBytes: memory.flowCache,
      natBytes: memory.nat,
      freeBytes: boot?.pool.freeBytes ?? 0,
      interruptPercent: boot === undefined ? 0 : (interruptServed / CAPACITY_US) * 100,
      process: Object.fromEntries(Object.entries(served).map(([k, v]) => [k, boot === undefined ? 0 : (v / CAPACITY_US) * 100])),
      establishedPackets: t.estPackets,
      establishedLost: lost,
      wormPackets: t.wormPackets,
      wormForwarded: t.wormForwarded,
    };
    this.seconds.push(record);
    // Reload rules.
    if (boot !== undefined) {
      this.#failingSeconds = t.allocFailures > 0 ? this.#failingSeconds + 1 : 0;
      this.#saturatedSeconds = interruptDemand >= CAPACITY_US ? this.#saturatedSeconds + 1 : 0;
      if (this.#failingSeconds >= this.#reloadAfter || this.#saturatedSeconds >= this.#reloadAfter) this.#reload(endMs);
    } else if (endMs >= this.#downUntilMs) {
      this.#boot = this.#start(endMs);
      this.console.log(endMs, "%SYS-5-RESTARTED: System restarted");
    }
    this.#tally = emptyTally();
    this.#second++;
    return record;
  }

  #reload(nowMs: number): void {
    const boot = this.#boot!;
    this.#options.beforeReload?.(this, nowMs / 1000);
    this.reloads++;
    const why = this.#failingSeconds >= this.#reloadAfter ? "low memory" : "interrupt level at 100 %";
    if (this.firstReloadSeconds === null) this.firstReloadSeconds = nowMs / 1000;
    this.events.push({ seconds: nowMs / 1000, label: `reload (${why})` });
    this.console.log(nowMs, `%SYS-5-RELOAD: Reload requested (${why})`);
    this.#disposeBoot(boot);
    this.#boot = undefined;
    this.#downUntilMs = nowMs + this.#bootSeconds * 1000;
    this.#failingSeconds = 0;
    this.#saturatedSeconds = 0;
    this.#consoleCarryUs = 0;
  }

  #disposeBoot(boot: Boot): void {
    boot.top?.dispose();
    boot.routeCache?.dispose();
    for (const arp of boot.arps) arp?.dispose();
    boot.fib.dispose();
    boot.dataplane.dispose();
  }

  /** Memory per table now, bytes. */
  #memory(): { arp: number; routeCache: number; cef: number; flowCache: number; nat: number } {
    const boot = this.#boot;
    if (boot === undefined) return { arp: 0, routeCache: 0, cef: 0, flowCache: 0, nat: 0 };
    let arp = 0;
    for (const a of boot.arps)
      if (a !== undefined) arp += a instanceof NegativeCachingArp ? a.bytes : a.summary().present * ENTRY_BYTES.arpEntry;
    const flowCache = boot.dataplane.flowCache === undefined ? 0 : boot.dataplane.flowCache.options.capacity * ENTRY_BYTES.netflowEntry;
    return {
      arp,
      routeCache: boot.routeCacheEntries * ENTRY_BYTES.routeCacheEntry,
      cef: boot.cefAdjacencies * ENTRY_BYTES.cefAdjacency,
      flowCache,
      nat: 0,
    };
  }

  /** The components the displays read (undefined while reloading). */
  components():
    | { dataplane: Dataplane; routeCache: RouteCache | undefined; arps: RouterArp[]; pool: MemoryPool; top: FlowTopTalkers | undefined }
    | undefined {
    const b = this.#boot;
    return b === undefined
      ? undefined
      : { dataplane: b.dataplane, routeCache: b.routeCache, arps: b.arps.filter((a) => a !== undefined), pool: b.pool, top: b.top };
  }

  dispose(): void {
    if (this.#boot !== undefined) this.#disposeBoot(this.#boot);
    this.#boot = undefined;
  }
}

function maskLength(mask: string): number {
  const m = parseIPv4(mask);
  let n = 0;
  for (let b = 31; b >= 0 && ((m >>> b) & 1) === 1; b--) n++;
  return n;
}

function sameSubnet(address: string, mask: string, other: string): boolean {
  const m = parseIPv4(mask);
  return (parseIPv4(address) & m) >>> 0 === (parseIPv4(other) & m) >>> 0;
}

const macStrings = new Map<number, string>();

/** A 48-bit MAC as `aa:bb:cc:dd:ee:ff` (memoised: the proxy-ARP MAC is asked for once per learned address). */
function macString(mac: number): string {
  let text = macStrings.get(mac);
  if (text === undefined) {
    text = mac.toString(16).padStart(12, "0").match(/../g)!.join(":");
    if (macStrings.size < 65_536) macStrings.set(mac, text);
  }
  return text;
}
