/** A parsed IOS configuration ({@link RouterConfig}) as {@link DataplaneOptions}. */

import { ConfigError } from "../../errors.js";
import { formatIPv4, tryParseIPv4 } from "../../net/address.js";
import type { FilterCriterion, ClassMapConfig } from "../../sampling/filter-criteria.js";
import type { InterfaceNetflow, PolicyMapClass, SamplerMapConfig } from "../../sampling/packet-selector.js";
import type { AccessList, WildcardAddress } from "../acl.js";
import type { DataplaneInterfaceOptions, DataplaneOptions, StaticRoute } from "../options.js";
import type { RouterConfig, InterfaceConfig } from "./types.js";
import { type NatTimeouts, NAT_TIMEOUT_SETTINGS } from "../../nat/options.js";

function maskLength(mask: string): number {
  const value = tryParseIPv4(mask)!;
  let n = 0;
  for (let bit = 31; bit >= 0 && (value >>> bit) & 1; bit--) n++;
  return n;
}

function unsupported(what: string, value: unknown): never {
  throw new ConfigError("config-unsupported", what, value);
}

/** The default MAC of interface `i` (a Cisco OUI and the index), for interfaces without `mac-address`. */
function defaultMac(i: number): string {
  const n = i + 1;
  return `00:00:0c:00:${((n >> 8) & 255).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}`;
}

function netflowOf(f: InterfaceConfig): InterfaceNetflow | undefined {
  // Full NetFlow takes precedence over sampled (seed 003:L795).
  if (f.flowIngress || f.routeCache.some((r) => r.mode === "flow" && r.enabled)) return { flow: "full" };
  const policy = f.servicePolicy.find((s) => s.direction === "input");
  if (policy) return { servicePolicy: policy.name };
  if (f.flowSampler !== undefined) return { sampler: f.flowSampler };
  return undefined;
}

/**
 * How an interface switches IPv4 (IOS): CEF when CEF is on globally (`ip cef`, the default
 * here) and on the interface (`ip route-cache cef`, the default); else fast switching through
 * the route cache when `ip route-cache` is on (the default); else (`no ip route-cache`)
 * process switching.
 */
export function switchingOf(f: InterfaceConfig, globalCef: boolean | undefined): "cef" | "fast" | "process" {
  const setting = (mode: "fast" | "cef") => f.routeCache.find((r) => r.mode === mode)?.enabled ?? true;
  if (globalCef !== false && setting("cef")) return "cef";
  return setting("fast") ? "fast" : "process";
}

function prefixOf(w: WildcardAddress, where: string): string | undefined {
  const wild = w.wildcard >>> 0;
  if (wild === 0xffffffff) return undefined;
  if ((wild & (wild + 1)) !== 0)
    unsupported(`${where}: a wildcard mask ${formatIPv4(wild)} that is not a prefix cannot be an input filter`, wild);
  let length = 32;
  for (let v = wild; v !== 0; v >>>= 1) length--;
  return `${formatIPv4((w.address & ~wild) >>> 0)}/${length}`;
}

/** The input-filter criteria of `match access-group N`: one permit entry, its fields ANDed. */
function criteriaFromList(list: AccessList | undefined, name: string, where: string): FilterCriterion[] {
  if (list === undefined) unsupported(`${where}: no access list ${name}`, name);
  if (list.entries.length !== 1 || list.entries[0]!.action !== "permit") {
    unsupported(`${where}: an input filter's access list must have one permit entry (list ${name} has ${list.entries.length})`, name);
  }
  const e = list.entries[0]!;
  if (e.established || e.icmpType !== undefined) unsupported(`${where}: established and ICMP types are not input-filter criteria`, e.text);
  const criteria: FilterCriterion[] = [];
  if (e.protocol !== "ip") criteria.push({ protocol: e.protocol });
  const source = prefixOf(e.source, where);
  if (source) criteria.push({ source });
  const destination = prefixOf(e.destination, where);
  if (destination) criteria.push({ destination });
  for (const [key, port] of [
    ["sourcePort", e.sourcePort],
    ["destinationPort", e.destinationPort],
  ] as const) {
    if (!port) continue;
    if (port.op === "eq")
      criteria.push((key === "sourcePort" ? { sourcePort: port.low } : { destinationPort: port.low }) as FilterCriterion);
    else if (port.op === "range")
      criteria.push(
        (key === "sourcePort" ? { sourcePort: [port.low, port.high!] } : { destinationPort: [port.low, port.high!] }) as FilterCriterion,
      );
    else unsupported(`${where}: port operator ${port.op} is not an input-filter criterion`, e.text);
  }
  return criteria;
}

/** Turns a parsed configuration into Dataplane options. @throws ConfigError for references that do not resolve. */
export function dataplaneOptionsFromConfig(c: RouterConfig): DataplaneOptions {
  const macs = new Map<string, string>();
  const interfaces: DataplaneInterfaceOptions[] = c.interfaces.map((f, i) => {
    const parent = f.name.includes(".") ? f.name.slice(0, f.name.indexOf(".")) : undefined;
    const mac = f.macAddress ?? (parent !== undefined ? macs.get(parent) : undefined) ?? defaultMac(i);
    macs.set(f.name, mac);
    const netflow = netflowOf(f);
    return {
      name: f.name,
      mac,
      addresses: f.addresses.map((a) => `${a.address}/${maskLength(a.mask)}`),
      addresses6: [...f.addresses6],
      ...(f.accessGroups.find((g) => g.direction === "in")
        ? { accessGroupIn: f.accessGroups.find((g) => g.direction === "in")!.list }
        : {}),
      ...(f.accessGroups.find((g) => g.direction === "out")
        ? { accessGroupOut: f.accessGroups.find((g) => g.direction === "out")!.list }
        : {}),
      ...(f.verifyUnicast ? { verifyUnicastSource: f.verifyUnicast.mode } : {}),
      ...(netflow ? { netflow } : {}),
      ...(f.flowEgress ? { flowEgress: true } : {}),
      ...(switchingOf(f, c.cef) !== "cef" ? { switching: switchingOf(f, c.cef) } : {}),
      ...(f.arpTimeout !== undefined ? { arp: { presentLifetimeMs: f.arpTimeout * 1000 } } : {}),
      ...(f.nat !== undefined ? { nat: f.nat } : {}),
      ...(f.bridgeGroup !== undefined ? { bridgeGroup: f.bridgeGroup } : {}),
    };
  });
  const names = new Map(c.interfaces.map((f, i) => [f.name, i]));
  const routes: StaticRoute[] = c.routes.map((r) => {
    const prefix = `${r.prefix}/${maskLength(r.mask)}`;
    if (r.target === "Null0") return { prefix, target: { null: true } };
    if (tryParseIPv4(r.target) !== undefined) return { prefix, target: { nextHop: r.target } };
    if (r.nextHop !== undefined) return { prefix, target: { nextHop: r.nextHop, interface: r.target } };
    return { prefix, target: { interface: r.target } };
  });
  for (const r of c.routes6) routes.push({ prefix: r.prefix, target: { interface: r.interface } });
  const samplerMaps: Record<string, SamplerMapConfig> = {};
  for (const m of c.samplerMaps) samplerMaps[m.name] = { mode: m.mode, interval: m.interval };
  const classMaps: Record<string, ClassMapConfig> = {};
  for (const m of c.classMaps) {
    const where = `class-map ${m.name}`;
    const criteria: FilterCriterion[] = [];
    let match = m.match;
    for (const x of m.matches) {
      if (x[0] === "access-group") {
        const listName = x[1] === "name" ? x[2]! : x[1]!;
        const fields = criteriaFromList(
          c.accessLists.find((l) => l.name === listName),
          listName,
          where,
        );
        // One access group is one conjunction, whatever the class's match-any says.
        if (m.matches.length === 1) match = "all";
        else if (match === "any" && fields.length > 1) unsupported(`${where}: match-any over an access list with several fields`, listName);
        criteria.push(...fields);
      } else if (x[0] === "input-interface") {
        const index = names.get(x.slice(1).join(""));
        if (index === undefined) unsupported(`${where}: no interface ${x.slice(1).join(" ")}`, x);
        criteria.push({ inputInterface: index });
      } else if (x[0] === "ip" && x[1] === "dscp") criteria.push({ dscp: Number(x[2]) });
      else if (x[0] === "ip" && x[1] === "precedence") criteria.push({ precedence: Number(x[2]) });
    }
    classMaps[m.name] = { match, criteria };
  }
  const policyMaps: Record<string, PolicyMapClass[]> = {};
  for (const m of c.policyMaps)
    policyMaps[m.name] = m.classes.flatMap((x) => (x.sampler === undefined ? [] : [{ class: x.class, sampler: x.sampler }]));
  const flowCache: NonNullable<DataplaneOptions["flowCache"]> = {};
  if (c.flowCacheTimeout.active !== undefined) flowCache.activeTimeout = c.flowCacheTimeout.active * 60_000;
  if (c.flowCacheTimeout.inactive !== undefined) flowCache.inactiveTimeout = c.flowCacheTimeout.inactive * 1000;
  if (c.mlsFlow !== undefined) flowCache.mask = c.mlsFlow;
  const nat = natOptionsOf(c);
  const bridge = bridgeOptionsOf(c);
  // The route cache exists when an interface is fast switched; `ip cache-ager-interval` and
  // `ip cache-invalidate-delay` set its timers.
  const routeCache: NonNullable<DataplaneOptions["routeCache"]> = {};
  if (c.cacheAgerInterval) {
    const a = c.cacheAgerInterval;
    routeCache.ager = { intervalSeconds: a.seconds, lowMemoryDivisor: a.lowMemory, normalDivisor: a.normal };
  }
  if (c.cacheInvalidateDelay) {
    const d = c.cacheInvalidateDelay;
    routeCache.invalidateDelay = { minimumSeconds: d.minimum, maximumSeconds: d.maximum, quietSeconds: d.quiet, threshold: d.threshold };
  }
  const fast = interfaces.some((f) => f.switching === "fast");
  return {
    ...(fast ? { routeCache } : {}),
    interfaces,
    routes,
    staticArp: c.arp.map((a) => ({ address: a.address, mac: a.mac, ...(a.interface ? { interface: a.interface } : {}) })),
    accessLists: c.accessLists,
    samplerMaps,
    classMaps,
    policyMaps,
    ...(Object.keys(flowCache).length > 0 ? { flowCache } : {}),
    ...(nat ? { nat } : {}),
    ...(bridge ? { bridge } : {}),
  };
}

/** `ip nat translation X-timeout never` (IOS: no timeout): a century, the longest the table takes. */
const NAT_NEVER_MS = 100 * 365 * 86_400_000;
/** The NAT stage's table from the `ip nat` global lines (the roles are the interfaces'). */
function natOptionsOf(c: RouterConfig): NonNullable<DataplaneOptions["nat"]> | undefined {
  if (c.nat.length === 0) return undefined;
  const nat: NonNullable<DataplaneOptions["nat"]> = { pools: [], accessLists: [], insideSource: [], insideSourceStatic: [] };
  const timeouts: Partial<NatTimeouts> = {};
  const lists = new Set<string>();
  for (const n of c.nat) {
    if (n.kind === "pool") {
      nat.pools!.push({
        name: n.name,
        start: n.start,
        end: n.end,
        ...(n.netmask !== undefined ? { netmask: n.netmask } : { prefixLength: n.prefixLength! }),
      });
    } else if (n.kind === "inside-source-list") {
      lists.add(n.list);
      nat.insideSource!.push({
        list: n.list,
        ...(n.pool !== undefined ? { pool: n.pool } : {}),
        ...(n.interface !== undefined ? { interface: n.interface } : {}),
        overload: n.overload,
      });
    } else if (n.kind === "inside-source-static") nat.insideSourceStatic!.push({ local: n.local, global: n.global });
    else if (n.setting === "max-entries") {
      if (n.value === "never") unsupported("ip nat translation max-entries takes a number", n.value);
      nat.maxEntries = n.value;
    } else timeouts[NAT_TIMEOUT_SETTINGS[n.setting]!] = n.value === "never" ? NAT_NEVER_MS : n.value * 1000;
  }
  // The table matches inside sources by the lists' source addresses (standard lists; of an extended list, its sources).
  for (const name of lists) {
    const list = c.accessLists.find((l) => l.name === name);
    if (list === undefined) unsupported(`ip nat inside source list ${name}: no access list ${name}`, name);
    nat.accessLists!.push({
      name,
      entries: list.entries.map((e) => ({
        action: e.action,
        address: formatIPv4(e.source.address >>> 0),
        wildcard: formatIPv4(e.source.wildcard >>> 0),
      })),
    });
  }
  if (Object.keys(timeouts).length > 0) nat.timeouts = timeouts;
  return nat;
}

/** The bridge stage's table from the `bridge` global lines. */
function bridgeOptionsOf(c: RouterConfig): NonNullable<DataplaneOptions["bridge"]> | undefined {
  if (c.bridge.length === 0) return undefined;
  const groups = new Map<number, { group: number; agingTime?: number }>();
  const group = (n: number) => groups.get(n) ?? groups.set(n, { group: n }).get(n)!;
  let irb = false;
  for (const b of c.bridge) {
    if (b.kind === "irb") irb = true;
    else if (b.kind === "protocol") {
      if (b.protocol !== "ieee") unsupported(`bridge ${b.group} protocol ${b.protocol}: only ieee is modelled`, b.protocol);
      group(b.group);
    } else if (b.kind === "aging-time") group(b.group).agingTime = b.seconds * 1000;
  }
  return { groups: [...groups.values()], irb };
}
