/** A parsed IOS configuration ({@link RouterConfig}) as {@link DataplaneOptions}. */

import { ConfigError } from "../../errors.js";
import { formatIPv4, tryParseIPv4 } from "../../net/address.js";
import type { FilterCriterion, ClassMapConfig } from "../../sampling/filter-criteria.js";
import type { InterfaceNetflow, PolicyMapClass, SamplerMapConfig } from "../../sampling/packet-selector.js";
import type { AccessList, WildcardAddress } from "../acl.js";
import type { DataplaneInterfaceOptions, DataplaneOptions, StaticRoute } from "../options.js";
import type { RouterConfig, InterfaceConfig } from "./types.js";

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
  };
}
