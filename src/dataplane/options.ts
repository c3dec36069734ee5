/**
 * Options of a {@link Dataplane}: its interfaces (MAC, addresses, access groups, uRPF, NetFlow),
 * static routes and ARP entries, access lists, NetFlow sampler, class and policy maps, and the
 * parameters of its components. `Dataplane.fromConfig` builds these from IOS configuration.
 */

import type { MacInput } from "../net/mac.js";
import type { ArpParameters } from "../arp/options.js";
import type { FlowCacheOptions } from "../flow/cache.js";
import type { ClassMapConfig } from "../sampling/filter-criteria.js";
import type { InterfaceNetflow, PolicyMapClass, SamplerMapConfig } from "../sampling/packet-selector.js";
import type { AccessList } from "./acl.js";
import type { Core } from "../wasm/core.js";
import type { NatOptions } from "../nat/options.js";
import type { BridgeOptions } from "../bridge/options.js";
import type { RouteCacheAgerOptions, RouteCacheInvalidateDelayOptions } from "../route-cache/options.js";

/** One interface of the router. */
export interface DataplaneInterfaceOptions {
  /** `GigabitEthernet0/1`, `Vlan3`, ... */
  name: string;
  /** The interface's MAC address (source of forwarded frames, ARP and ICMP). */
  mac: MacInput;
  /** IPv4 addresses with their subnet lengths, `"192.0.2.1/24"`; the first is the primary. */
  addresses?: string[];
  /** IPv6 addresses with their prefix lengths, `"2001:db8::1/64"`. */
  addresses6?: string[];
  /** Access list applied to packets coming in (`ip access-group NAME in`). */
  accessGroupIn?: string;
  /** Access list applied to packets going out (`ip access-group NAME out`). */
  accessGroupOut?: string;
  /** Unicast RPF (`ip verify unicast source reachable-via rx|any`). */
  verifyUnicastSource?: "rx" | "any";
  /** NetFlow on packets coming in: full (`ip flow ingress`), a sampler map, or a policy. */
  netflow?: InterfaceNetflow;
  /** NetFlow on packets going out (`ip flow egress`). */
  flowEgress?: boolean;
  /** Further on-link prefixes for ARP (static routes to this interface add theirs). */
  onLink?: string[];
  /** ARP parameters of this interface (`arp timeout` sets presentLifetimeMs). */
  arp?: Partial<ArpParameters>;
  /** `ip nat inside` / `ip nat outside`: the interface's role in the NAT stage. */
  nat?: "inside" | "outside";
  /** `bridge-group N`: the interface is a port of bridge group N (needs `bridge.groups`). */
  bridgeGroup?: number;
  /**
   * How IPv4 packets coming in here are switched: `cef` (default; `ip route-cache cef`), `fast`
   * (the route cache first, a miss process switched and cached; `no ip route-cache cef`) or
   * `process` (every packet process switched; `no ip route-cache`).
   */
  switching?: "cef" | "fast" | "process";
}

/** The route cache of fast-switching interfaces (see {@link RouteCacheOptions}). */
export interface DataplaneRouteCacheOptions {
  /** Memory budget of the cache, out of the core's (default 64 MiB, or what the core has left). */
  maxBytes?: number;
  /** Entries at most (default: what maxBytes holds). */
  maxEntries?: number;
  /** `ip cache-ager-interval X Y Z` (default 60 4 20). */
  ager?: RouteCacheAgerOptions;
  /** `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD` (default 2 5 3 0). */
  invalidateDelay?: RouteCacheInvalidateDelayOptions;
  /** Free entry memory below which the ager examines the low-memory fraction (default 200 KiB). */
  lowMemoryBytes?: number;
}

/** Where a static route sends its packets. */
export type RouteTarget =
  /** `ip route P M NEXTHOP`: a next hop on a connected subnet (resolved with ARP). */
  | { nextHop: string; interface?: string; mac?: MacInput }
  /** `ip route P M INTERFACE`: every destination is on the link and needs ARP (the seed's trap). */
  | { interface: string; nextHop?: undefined; mac?: MacInput }
  /** `ip route P M Null0`. */
  | { null: true };

/** A static route. */
export interface StaticRoute {
  /** `"10.0.0.0/8"` or `"2001:db8::/32"`. */
  prefix: string;
  target: RouteTarget;
}

/** A static ARP entry (`arp A MAC arpa`). */
export interface StaticArpEntry {
  address: string;
  mac: MacInput;
  /** The interface (default: the one whose subnet holds the address). */
  interface?: string;
}

/** Options of a {@link Dataplane}. */
export interface DataplaneOptions {
  interfaces: DataplaneInterfaceOptions[];
  routes?: StaticRoute[];
  staticArp?: StaticArpEntry[];
  accessLists?: AccessList[];
  samplerMaps?: Record<string, SamplerMapConfig>;
  classMaps?: Record<string, ClassMapConfig>;
  policyMaps?: Record<string, PolicyMapClass[]>;
  /** ARP parameters for every interface. */
  arp?: Partial<ArpParameters>;
  /** The route cache's options; the cache exists when an interface is fast switched or this is given. */
  routeCache?: DataplaneRouteCacheOptions;
  /** The flow cache's options; the cache exists when an interface runs NetFlow or this is given. */
  flowCache?: Omit<FlowCacheOptions, "core" | "seed" | "sampling">;
  /**
   * The NAT stage's table: pools, access lists, `ip nat inside source` mappings and statics,
   * max-entries, timeouts, capacity (the interfaces and their roles come from `interfaces`).
   * The stage exists when this is given or an interface has a NAT role.
   */
  nat?: Omit<NatOptions, "interfaces" | "core" | "seed">;
  /**
   * The bridge stage's table: `groups` (`bridge N protocol ieee`, `aging-time`), `irb`
   * (`bridge irb`: an interface named `BVI N` is group N's routed port), capacity. The stage
   * exists when this is given or an interface has a `bridgeGroup`.
   */
  bridge?: Omit<BridgeOptions, "interfaces" | "bvis" | "core" | "seed">;
  /** Packets per `process` call at most (default 16384). */
  maxBatch?: number;
  /** Adjacencies the rewrite table holds (default 65536). */
  maxAdjacencies?: number;
  /** Bytes of the output area drained after every call (default 4 MiB). */
  outputBytes?: number;
  /** Bytes held per packet waiting for ARP (default 2048); larger frames are not held. */
  holdFrameBytes?: number;
  /** ICMP errors per second (default 2: IOS's one per 500 ms) and bucket depth (default 2). */
  icmpRate?: number;
  icmpBurst?: number;
  /** ARP timers run every this many ms of packet time (default 100). */
  tickIntervalMs?: number;
  /** The FIB's memory budget (default 256 MiB, or what the core has left). */
  fibMaxBytes?: number;
  /** Seed of every component's keyed hash and the samplers (default random). */
  seed?: number | bigint;
  /** The core to live on (default: a new one). */
  core?: Core;
}

/** The option names a {@link Dataplane} accepts. */
export const DATAPLANE_OPTION_NAMES = [
  "interfaces",
  "routes",
  "staticArp",
  "accessLists",
  "samplerMaps",
  "classMaps",
  "policyMaps",
  "arp",
  "flowCache",
  "nat",
  "bridge",
  "routeCache",
  "maxBatch",
  "maxAdjacencies",
  "outputBytes",
  "holdFrameBytes",
  "icmpRate",
  "icmpBurst",
  "tickIntervalMs",
  "fibMaxBytes",
  "seed",
  "core",
] as const;
