/**
 * The IOS configuration of a router as typed objects: what {@link parseIosConfig} reads and
 * `show running-config` renders. Commands that configure components other than the Dataplane's
 * own (route cache, IP accounting, NAT, bridging, top talkers) are kept here for them.
 */

import type { AccessList } from "../acl.js";

/** `ip route-cache [flow|cef|same-interface]` (or its `no` form) on an interface. */
export interface RouteCacheSetting {
  /** `fast` for plain `ip route-cache`. */
  mode: "fast" | "flow" | "cef" | "same-interface";
  enabled: boolean;
}

/** An interface block. */
export interface InterfaceConfig {
  name: string;
  description?: string;
  macAddress?: string;
  /** `ip address A M [secondary]`; `no ip address` leaves it empty. */
  addresses: { address: string; mask: string; secondary: boolean }[];
  /** `ipv6 address P/L`. */
  addresses6: string[];
  shutdown?: boolean;
  /** `encapsulation dot1Q N`. */
  dot1q?: number;
  proxyArp?: boolean;
  routeCache: RouteCacheSetting[];
  flowIngress?: boolean;
  flowEgress?: boolean;
  flowSampler?: string | undefined;
  servicePolicy: { direction: "input" | "output"; name: string }[];
  /** `ip accounting [output-packets|access-violations|precedence ...|mac-address ...]`: the words after `ip accounting`. */
  accounting: string[];
  accessGroups: { list: string; direction: "in" | "out" }[];
  verifyUnicast?: { mode: "rx" | "any"; allowDefault: boolean; list?: string } | undefined;
  /** `arp timeout S`, seconds. */
  arpTimeout?: number | undefined;
  /** `ip nat inside|outside`. */
  nat?: "inside" | "outside" | undefined;
  /** `bridge-group N`. */
  bridgeGroup?: number | undefined;
  directedBroadcast?: boolean;
}

/** `ip route P M TARGET [NEXTHOP] [DISTANCE]`. */
export interface RouteConfig {
  prefix: string;
  mask: string;
  /** Next-hop address, interface name, or `Null0`. */
  target: string;
  /** A next hop given after an interface. */
  nextHop?: string;
  distance?: number;
}

/** `flow-sampler-map NAME` / `mode random one-out-of N`. */
export interface SamplerMapDefinition {
  name: string;
  mode: "random" | "deterministic";
  interval: number;
}

/** `class-map [match-all|match-any] NAME` and its `match` lines. */
export interface ClassMapDefinition {
  name: string;
  match: "all" | "any";
  /** The match lines, each as its words after `match`. */
  matches: string[][];
}

/** `policy-map NAME` / `class C` / `netflow-sampler M`. */
export interface PolicyMapDefinition {
  name: string;
  classes: { class: string; sampler?: string }[];
}

/** `ip flow-top-talkers` and its lines. */
export interface TopTalkersConfig {
  top?: number;
  sortBy?: "bytes" | "packets";
  cacheTimeout?: number;
  matches: string[][];
}

/** One `ip nat ...` global line, as typed as the NAT table needs. */
export type NatCommand =
  | { kind: "pool"; name: string; start: string; end: string; netmask?: string; prefixLength?: number }
  | { kind: "inside-source-list"; list: string; pool?: string | undefined; interface?: string | undefined; overload: boolean }
  | { kind: "inside-source-static"; local: string; global: string }
  | { kind: "translation"; setting: string; value: number | "never" };

/** One `bridge ...` global line. */
export type BridgeCommand =
  | { kind: "protocol"; group: number; protocol: string }
  | { kind: "aging-time"; group: number; seconds: number }
  | { kind: "irb" }
  | { kind: "route"; group: number; protocol: string };

/** A whole configuration. */
export interface RouterConfig {
  hostname?: string;
  interfaces: InterfaceConfig[];
  routes: RouteConfig[];
  /** `ipv6 route P/L INTERFACE`. */
  routes6: { prefix: string; interface: string }[];
  arp: { address: string; mac: string; encapsulation: "arpa"; interface?: string }[];
  accessLists: AccessList[];
  samplerMaps: SamplerMapDefinition[];
  classMaps: ClassMapDefinition[];
  policyMaps: PolicyMapDefinition[];
  flowCacheTimeout: { active?: number; inactive?: number };
  /** `ip cache-ager-interval X Y Z` (also written `ip cache-ager X Y Z`). */
  cacheAgerInterval?: { seconds: number; lowMemory: number; normal: number };
  /** `ip cache-invalidate-delay MIN MAX QUIET THRESHOLD` (seconds, seconds, seconds, requests). */
  cacheInvalidateDelay?: { minimum: number; maximum: number; quiet: number; threshold: number };
  mlsFlow?: "full" | "destination" | "destination-source";
  topTalkers?: TopTalkersConfig;
  flowCapture: string[];
  nat: NatCommand[];
  bridge: BridgeCommand[];
  cef?: boolean;
  serviceInternal?: boolean;
  httpServer?: boolean;
  /** `router rip` and other routing protocols: kept as written. */
  routerBlocks: { header: string; lines: string[] }[];
  /** Other global lines of the seeds kept as written (`ip flow-export ...`). */
  other: string[];
}

/** An empty configuration. */
export function emptyRouterConfig(): RouterConfig {
  return {
    interfaces: [],
    routes: [],
    routes6: [],
    arp: [],
    accessLists: [],
    samplerMaps: [],
    classMaps: [],
    policyMaps: [],
    flowCacheTimeout: {},
    flowCapture: [],
    nat: [],
    bridge: [],
    routerBlocks: [],
    other: [],
  };
}
