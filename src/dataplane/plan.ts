/**
 * What a {@link DataplaneOptions} means for forwarding, worked out once: per interface its MAC,
 * primary addresses, flags and access groups; the FIB's routes (connected subnets, the router's
 * own addresses as receive entries, static routes) and the adjacencies they point to (one per
 * next hop, one "attached" adjacency per interface for connected subnets and routes to the
 * interface); the static ARP entries; the compiled access lists. Shared by the WebAssembly
 * {@link Dataplane} and the TypeScript reference composition, so both forward the same table.
 */

import { ConfigError } from "../errors.js";
import { parseIPv4, parseIPv6, tryParseIPv4 } from "../net/address.js";
import { parsePrefix, formatPrefix, networkWords } from "../net/prefix.js";
import { toMacValue } from "../arp/input.js";
import type { ArpInterfaceOptions } from "../arp/options.js";
import { type CompiledAccessLists, compileAccessLists } from "./acl.js";
import type { DataplaneOptions } from "./options.js";

/** Interface flags as the pipeline reads them (IF_* in assembly/pipeline/state.ts). */
export const INTERFACE_FLAGS = {
  flowEgress: 1,
  urpfRx: 2,
  urpfAny: 4,
  hasAddress6: 8,
  configured: 16,
  fastSwitching: 32,
  processSwitching: 64,
} as const;

/** One interface as the pipeline sees it. */
export interface PlannedInterface {
  name: string;
  /** MAC as a 48-bit number. */
  mac: number;
  /** Primary IPv4 address (0: none). */
  address: number;
  /** Primary IPv6 address words (all 0: none). */
  address6: Uint32Array;
  flags: number;
  /** Access list index + 1 (0: none). */
  aclIn: number;
  aclOut: number;
  /** The ARP table's view of the interface. */
  arp: ArpInterfaceOptions;
}

/** An adjacency of the plan: where packets go and how the next hop's MAC is found. */
export interface PlannedAdjacency {
  interface: number;
  /** IPv4 next hop (0: the destination itself is on the link). */
  nextHop: number;
  /** A fixed MAC (48-bit number): no ARP. */
  mac?: number | undefined;
  family: 4 | 6;
}

/** A route of the plan: to an adjacency of the plan, or to a special adjacency (1 null, 2 punt). */
export interface PlannedRoute {
  prefix: string;
  adjacency: { planned: number } | { special: 1 | 2 };
}

/** The plan of a Dataplane. */
export interface DataplanePlan {
  interfaces: PlannedInterface[];
  adjacencies: PlannedAdjacency[];
  routes: PlannedRoute[];
  staticArp: { ifIndex: number; address: number; mac: number }[];
  acls: CompiledAccessLists;
}

function fail(code: string, message: string, value: unknown): never {
  throw new ConfigError(code, message, value);
}

/** An interface address with its subnet length, `"192.0.2.1/24"` (host bits are the point). */
function interfaceAddress(text: string, family: 4 | 6): { words: Uint32Array; length: number } {
  const [address, bits] = String(text).split("/");
  const max = family === 4 ? 32 : 128;
  const length = bits === undefined ? max : Number(bits);
  if (!/^\d+$/.test(bits ?? String(max)) || length > max)
    fail("interface-address", `invalid interface address ${JSON.stringify(text)}: bad length`, text);
  let words: Uint32Array;
  try {
    words = family === 4 ? Uint32Array.of(parseIPv4(address!)) : parseIPv6(address!);
  } catch {
    fail("interface-address", `invalid interface address ${JSON.stringify(text)}: expected IPv${family}/length`, text);
  }
  return { words, length };
}

/** Works out the plan of `options`. @throws ConfigError for names, addresses or routes that do not resolve. */
export function planDataplane(options: DataplaneOptions): DataplanePlan {
  if (options === null || typeof options !== "object" || !Array.isArray(options.interfaces) || options.interfaces.length === 0) {
    fail("dataplane-interfaces", "a Dataplane needs at least one interface", options?.interfaces);
  }
  const lists = options.accessLists ?? [];
  const acls = compileAccessLists(lists);
  const names = new Map<string, number>();
  options.interfaces.forEach((f, i) => {
    if (typeof f?.name !== "string" || f.name.length === 0) fail("interface-name", `interface ${i} has no name`, f?.name);
    if (names.has(f.name)) fail("interface-name", `interface ${JSON.stringify(f.name)} is defined twice`, f.name);
    names.set(f.name, i);
  });
  const aclIndex = (name: string | undefined, where: string): number => {
    if (name === undefined) return 0;
    const index = acls.index.get(String(name));
    if (index === undefined) fail("access-group", `${where}: no access list ${JSON.stringify(name)}`, name);
    return index + 1;
  };
  const ifIndexOf = (name: string, where: string): number => {
    const i = names.get(name);
    if (i === undefined) fail("interface-unknown", `${where}: no interface ${JSON.stringify(name)}`, name);
    return i;
  };

  const adjacencies: PlannedAdjacency[] = [];
  const adjacencyKeys = new Map<string, number>();
  const adjacency = (a: PlannedAdjacency): number => {
    const key = `${a.family}|${a.interface}|${a.nextHop}|${a.mac ?? ""}`;
    let id = adjacencyKeys.get(key);
    if (id === undefined) {
      id = adjacencies.length;
      adjacencies.push(a);
      adjacencyKeys.set(key, id);
    }
    return id;
  };
  const connected: { network: number; length: number; ifIndex: number }[] = [];
  const onLink: string[][] = options.interfaces.map((f) => [...(f.onLink ?? [])]);
  const routes = new Map<string, PlannedRoute>();

  // Static routes first; connected and receive entries take precedence (administrative distance 0).
  const interfaces: PlannedInterface[] = options.interfaces.map((f, i) => {
    const addresses = f.addresses ?? [];
    let address = 0;
    for (const text of addresses) {
      const p = interfaceAddress(text, 4);
      const a = p.words[0]!;
      if (address === 0) address = a;
      connected.push({ network: networkWords(p.words, p.length)[0]!, length: p.length, ifIndex: i });
    }
    const address6 = new Uint32Array(4);
    let flags = INTERFACE_FLAGS.configured;
    if ((f.addresses6 ?? []).length > 0) {
      address6.set(interfaceAddress(f.addresses6![0]!, 6).words);
      flags |= INTERFACE_FLAGS.hasAddress6;
    }
    if (f.flowEgress) flags |= INTERFACE_FLAGS.flowEgress;
    if (f.verifyUnicastSource === "rx") flags |= INTERFACE_FLAGS.urpfRx;
    else if (f.verifyUnicastSource === "any") flags |= INTERFACE_FLAGS.urpfAny;
    else if (f.verifyUnicastSource !== undefined) {
      fail(
        "verify-unicast",
        `interface ${f.name}: uRPF mode must be rx or any, got ${JSON.stringify(f.verifyUnicastSource)}`,
        f.verifyUnicastSource,
      );
    }
    if (f.switching === "fast") flags |= INTERFACE_FLAGS.fastSwitching;
    else if (f.switching === "process") flags |= INTERFACE_FLAGS.processSwitching;
    else if (f.switching !== undefined && f.switching !== "cef") {
      fail("switching", `interface ${f.name}: switching must be cef, fast or process, got ${JSON.stringify(f.switching)}`, f.switching);
    }
    return {
      name: f.name,
      mac: toMacValue(f.mac),
      address,
      address6,
      flags,
      aclIn: aclIndex(f.accessGroupIn, `interface ${f.name} access-group in`),
      aclOut: aclIndex(f.accessGroupOut, `interface ${f.name} access-group out`),
      arp: { ...options.arp, ...f.arp, name: f.name, mac: f.mac, addresses: [...addresses], onLink: onLink[i]! },
    };
  });

  const connectedFor = (address: number): number | undefined => {
    let best: { length: number; ifIndex: number } | undefined;
    for (const c of connected) {
      const mask = c.length === 0 ? 0 : (0xffffffff << (32 - c.length)) >>> 0;
      if ((address & mask) >>> 0 === c.network && (best === undefined || c.length > best.length)) best = c;
    }
    return best?.ifIndex;
  };

  for (const route of options.routes ?? []) {
    const p = parsePrefix(route.prefix);
    const prefix = formatPrefix(p);
    const t = route.target as { nextHop?: string; interface?: string; mac?: string; null?: boolean };
    if (t.null === true) {
      routes.set(prefix, { prefix, adjacency: { special: 1 } });
      continue;
    }
    const mac = t.mac === undefined ? undefined : toMacValue(t.mac);
    if (p.family === 6) {
      if (t.interface === undefined) fail("route-interface", `route ${prefix}: an IPv6 route needs its interface`, route);
      const ifIndex = ifIndexOf(t.interface, `route ${prefix}`);
      routes.set(prefix, { prefix, adjacency: { planned: adjacency({ interface: ifIndex, nextHop: 0, mac, family: 6 }) } });
      continue;
    }
    if (t.nextHop !== undefined) {
      const nextHop = tryParseIPv4(t.nextHop);
      if (nextHop === undefined) fail("route-next-hop", `route ${prefix}: invalid next hop ${JSON.stringify(t.nextHop)}`, t.nextHop);
      const ifIndex = t.interface !== undefined ? ifIndexOf(t.interface, `route ${prefix}`) : connectedFor(nextHop);
      if (ifIndex === undefined) {
        fail("route-next-hop", `route ${prefix}: next hop ${t.nextHop} is on no connected subnet`, t.nextHop);
      }
      routes.set(prefix, { prefix, adjacency: { planned: adjacency({ interface: ifIndex, nextHop, mac, family: 4 }) } });
      continue;
    }
    if (t.interface === undefined) fail("route-target", `route ${prefix}: expected a next hop, an interface or Null0`, route);
    const ifIndex = ifIndexOf(t.interface, `route ${prefix}`);
    // Every destination of the route is on the link: ARP must accept them (the seed's trap).
    interfaces[ifIndex]!.arp.onLink!.push(prefix);
    routes.set(prefix, { prefix, adjacency: { planned: adjacency({ interface: ifIndex, nextHop: 0, mac, family: 4 }) } });
  }

  options.interfaces.forEach((f, i) => {
    for (const text of f.addresses ?? []) {
      const p = interfaceAddress(text, 4);
      const network = formatPrefix({ family: 4, words: networkWords(p.words, p.length), length: p.length });
      if (p.length < 32)
        routes.set(network, { prefix: network, adjacency: { planned: adjacency({ interface: i, nextHop: 0, family: 4 }) } });
      const host = `${text.split("/")[0]}/32`;
      routes.set(host, { prefix: host, adjacency: { special: 2 } });
    }
    for (const text of f.addresses6 ?? []) {
      const p = interfaceAddress(text, 6);
      const network = formatPrefix({ family: 6, words: networkWords(p.words, p.length), length: p.length });
      if (p.length < 128)
        routes.set(network, { prefix: network, adjacency: { planned: adjacency({ interface: i, nextHop: 0, family: 6 }) } });
      const host = formatPrefix({ family: 6, words: p.words, length: 128 });
      routes.set(host, { prefix: host, adjacency: { special: 2 } });
    }
  });

  const staticArp = (options.staticArp ?? []).map((e) => {
    const address = tryParseIPv4(e.address);
    if (address === undefined) fail("arp-address", `static ARP entry: invalid address ${JSON.stringify(e.address)}`, e.address);
    const ifIndex = e.interface !== undefined ? ifIndexOf(e.interface, `arp ${e.address}`) : connectedFor(address);
    if (ifIndex === undefined) fail("arp-address", `static ARP entry ${e.address} is on no connected subnet`, e.address);
    return { ifIndex, address, mac: toMacValue(e.mac) };
  });
  return { interfaces, adjacencies, routes: [...routes.values()], staticArp, acls };
}
