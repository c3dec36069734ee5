/**
 * Options of a {@link NatTable}, shaped after the IOS commands that configure NAT, and their
 * validation (shared by the table and its reference, so both see the same configuration):
 *
 * | IOS                                                        | option                                   |
 * |------------------------------------------------------------|------------------------------------------|
 * | `interface NAME` + `ip nat inside` / `ip nat outside`      | `interfaces: [{ name, nat }]`            |
 * | `ip nat pool NAME START END netmask M`                     | `pools: [{ name, start, end, netmask }]` |
 * | `access-list L permit A W`                                 | `accessLists: [{ name, entries }]`       |
 * | `ip nat inside source list L pool NAME [overload]`         | `insideSource: [{ list, pool, overload }]` |
 * | `ip nat inside source list L interface NAME overload`      | `insideSource: [{ list, interface, overload: true }]` |
 * | `ip nat inside source static A B`                          | `insideSourceStatic: [{ local, global }]` |
 * | `ip nat translation max-entries N`                         | `maxEntries`                             |
 * | `ip nat translation [udp-|dns-|tcp-|finrst-|icmp-|syn-]timeout S` | `timeouts` (milliseconds)         |
 */

import { ConfigError, describe } from "../errors.js";
import { type IPv4Input, toIPv4, formatIPv4 } from "../net/address.js";
import type { Core } from "../wasm/core.js";
import { checkInteger } from "../common/validation.js";
import { NAT_TIMEOUT_CLASSES, type NatTimeoutClass } from "./types.js";

/** One interface: its id in the batches' `interface` column, its name, its NAT role. */
export interface NatInterfaceConfig {
  /** Name for the displays, e.g. "Ethernet0". */
  name: string;
  /** The id packets from this interface carry (default: its position in the list). */
  ifIndex?: number;
  /** `ip nat inside` or `ip nat outside`; absent: not a NAT interface. */
  nat?: "inside" | "outside";
  /** The interface's address (needed by `... interface NAME overload`). */
  address?: IPv4Input;
}

/** `ip nat pool NAME START END netmask M` (or `prefix-length N`). */
export interface NatPoolConfig {
  name: string;
  start: IPv4Input;
  end: IPv4Input;
  netmask?: IPv4Input;
  prefixLength?: number;
}

/** One line of a standard access list: `access-list L permit|deny A [W]`, or `any`. */
export interface NatAccessListEntry {
  action: "permit" | "deny";
  /** The address, or "any". */
  address: IPv4Input | "any";
  /** The wildcard (inverse mask); default 0.0.0.0 (the host). */
  wildcard?: IPv4Input;
}

/** A standard access list, by name or number. */
export interface NatAccessList {
  name: string;
  entries: NatAccessListEntry[];
}

/** `ip nat inside source list L pool NAME [overload]` or `... interface NAME overload`. */
export interface NatInsideSourceConfig {
  list: string;
  pool?: string;
  interface?: string;
  overload?: boolean;
}

/** `ip nat inside source static LOCAL GLOBAL`. */
export interface NatStaticConfig {
  local: IPv4Input;
  global: IPv4Input;
}

/** `ip nat translation ...-timeout`, in milliseconds (IOS takes seconds). */
export interface NatTimeouts {
  /** `timeout`: simple dynamic entries (default 24 h). */
  timeout: number;
  /** `udp-timeout` (default 5 min). */
  udpTimeout: number;
  /** `dns-timeout`: UDP to port 53 (default 1 min). */
  dnsTimeout: number;
  /** `tcp-timeout`: established TCP (default 24 h). */
  tcpTimeout: number;
  /** `finrst-timeout`: after a FIN or RST (default 1 min). */
  finrstTimeout: number;
  /** `icmp-timeout` (default 1 min). */
  icmpTimeout: number;
  /** `syn-timeout`: TCP after a SYN, before it is established (default 1 min). */
  synTimeout: number;
}

/** `ip nat translation SETTING` → its {@link NatTimeouts} key. */
export const NAT_TIMEOUT_SETTINGS: Readonly<Record<string, keyof NatTimeouts>> = Object.freeze({
  timeout: "timeout",
  "udp-timeout": "udpTimeout",
  "dns-timeout": "dnsTimeout",
  "tcp-timeout": "tcpTimeout",
  "finrst-timeout": "finrstTimeout",
  "icmp-timeout": "icmpTimeout",
  "syn-timeout": "synTimeout",
});

/** The IOS default timeouts. */
export const NAT_DEFAULT_TIMEOUTS: Readonly<NatTimeouts> = Object.freeze({
  timeout: 86_400_000,
  udpTimeout: 300_000,
  dnsTimeout: 60_000,
  tcpTimeout: 86_400_000,
  finrstTimeout: 60_000,
  icmpTimeout: 60_000,
  synTimeout: 60_000,
});

/** Options of a {@link NatTable} (and of its reference). */
export interface NatOptions {
  interfaces?: NatInterfaceConfig[];
  pools?: NatPoolConfig[];
  accessLists?: NatAccessList[];
  insideSource?: NatInsideSourceConfig[];
  insideSourceStatic?: NatStaticConfig[];
  /** `ip nat translation max-entries`: dynamic translations allowed (default: `capacity`). */
  maxEntries?: number;
  /** Translations the table holds, static and dynamic; all memory is reserved at creation (default 65,536). */
  capacity?: number;
  /** Entries the ager removes per `age` call at most (default 256): bounded work per call. */
  agerWork?: number;
  timeouts?: Partial<NatTimeouts>;
  /** Key of the translation hash (default: random). */
  seed?: number | bigint;
  /** The core to live on (default: a new one). */
  core?: Core;
}

/** The option names {@link NatOptions} knows. */
export const NAT_OPTION_NAMES = [
  "interfaces",
  "pools",
  "accessLists",
  "insideSource",
  "insideSourceStatic",
  "maxEntries",
  "capacity",
  "agerWork",
  "timeouts",
  "seed",
  "core",
];

/** A pool as the core holds it. */
export interface ResolvedNatPool {
  name: string;
  start: number;
  size: number;
  netmask: number;
  type: "generic" | "interface";
  /** Whether its mappings overload it (a pool serves one kind). */
  overload: boolean;
}

/** A mapping as the core holds it. */
export interface ResolvedNatMapping {
  list: string;
  pool: number;
  overload: boolean;
  /** ACL entries [aclStart, aclStart + aclCount) of `acl`. */
  aclStart: number;
  aclCount: number;
}

/** The validated configuration. */
export interface ResolvedNatOptions {
  capacity: number;
  maxEntries: number;
  agerWork: number;
  /** Milliseconds per timeout class, in {@link NAT_TIMEOUT_CLASSES} order. */
  timeouts: number[];
  interfaces: { ifIndex: number; name: string; role: "inside" | "outside" | null; address: number | null }[];
  pools: ResolvedNatPool[];
  acl: { address: number; mask: number; permit: boolean }[];
  mappings: ResolvedNatMapping[];
  statics: { local: number; global: number }[];
}

/** Interface ids the core's role table covers. */
export const NAT_MAX_INTERFACES = 4096;
const MAX_CAPACITY = 1 << 24;
const MAX_POOL_ADDRESSES = 1 << 20;
const MAX_TIMEOUT = 100 * 365.25 * 86_400_000;

function fail(code: string, message: string, value: unknown): never {
  throw new ConfigError(code, message, value);
}

const integer = checkInteger;

function address(value: unknown, what: string): number {
  try {
    return toIPv4(value as IPv4Input);
  } catch {
    return fail("nat-address", `invalid ${what} ${describe(value)}: expected an IPv4 address`, value);
  }
}

function list<T>(value: T[] | undefined, name: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail("nat-options", `invalid ${name} ${describe(value)}: expected an array`, value);
  return value;
}

/** A contiguous netmask (255.255.255.0), as a number. */
function netmask(value: IPv4Input, what: string): number {
  const mask = address(value, what);
  const inverse = ~mask >>> 0;
  if ((inverse & (inverse + 1)) !== 0) fail("nat-netmask", `invalid ${what} ${describe(value)}: not a contiguous netmask`, value);
  return mask;
}

/** Validates options and fills in the defaults. */
export function resolveNatOptions(options: NatOptions): ResolvedNatOptions {
  if (options === null || typeof options !== "object") fail("nat-options", `invalid NAT options ${describe(options)}`, options);
  const capacity = integer(options.capacity ?? 65_536, "capacity", "nat-capacity", 1, MAX_CAPACITY);
  const maxEntries = integer(options.maxEntries ?? capacity, "maxEntries", "nat-max-entries", 0, MAX_CAPACITY);
  const agerWork = integer(options.agerWork ?? 256, "agerWork", "nat-ager-work", 1, MAX_CAPACITY);
  const given = options.timeouts ?? {};
  if (given === null || typeof given !== "object") fail("nat-timeouts", `invalid timeouts ${describe(given)}`, given);
  const timeoutNames = Object.keys(NAT_DEFAULT_TIMEOUTS) as (keyof NatTimeouts)[];
  for (const key of Object.keys(given)) {
    if (!timeoutNames.includes(key as keyof NatTimeouts)) {
      fail("option-name", `unknown NAT timeout ${JSON.stringify(key)}: expected one of ${timeoutNames.join(", ")}`, key);
    }
  }
  const timeouts = timeoutNames.map((name) => {
    const value = given[name] ?? NAT_DEFAULT_TIMEOUTS[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 1000 || value > MAX_TIMEOUT) {
      fail("nat-timeout", `invalid ${name} ${describe(value)}: expected milliseconds, at least 1000 and at most 100 years`, value);
    }
    return Math.floor(value);
  });

  const interfaces = list(options.interfaces, "interfaces").map((c, position) => {
    if (c === null || typeof c !== "object" || typeof c.name !== "string" || c.name === "") {
      fail("nat-interface", `invalid NAT interface ${describe(c)}: expected { name, ifIndex?, nat?, address? }`, c);
    }
    const ifIndex = integer(c.ifIndex ?? position, `ifIndex of ${c.name}`, "nat-interface-index", 0, NAT_MAX_INTERFACES - 1);
    if (c.nat !== undefined && c.nat !== "inside" && c.nat !== "outside") {
      fail("nat-interface-role", `invalid NAT role ${describe(c.nat)} of ${c.name}: expected "inside" or "outside"`, c.nat);
    }
    return {
      ifIndex,
      name: c.name,
      role: c.nat ?? null,
      address: c.address === undefined ? null : address(c.address, `address of ${c.name}`),
    };
  });
  const ids = new Set<number>();
  for (const i of interfaces) {
    if (ids.has(i.ifIndex)) fail("nat-interface-index", `interface id ${i.ifIndex} (${i.name}) is given twice`, i.ifIndex);
    ids.add(i.ifIndex);
  }

  const pools: ResolvedNatPool[] = [];
  const poolByName = new Map<string, number>();
  let poolAddresses = 0;
  for (const p of list(options.pools, "pools")) {
    if (p === null || typeof p !== "object" || typeof p.name !== "string" || p.name === "") {
      fail("nat-pool", `invalid NAT pool ${describe(p)}: expected { name, start, end, netmask }`, p);
    }
    if (poolByName.has(p.name)) fail("nat-pool", `NAT pool ${describe(p.name)} is defined twice`, p.name);
    const start = address(p.start, `start of pool ${p.name}`);
    const end = address(p.end, `end of pool ${p.name}`);
    if (end < start)
      fail("nat-pool-range", `invalid NAT pool ${describe(p.name)}: end ${formatIPv4(end)} is before start ${formatIPv4(start)}`, p);
    let mask: number;
    if (p.netmask !== undefined) mask = netmask(p.netmask, `netmask of pool ${p.name}`);
    else if (p.prefixLength !== undefined) {
      const length = integer(p.prefixLength, `prefix-length of pool ${p.name}`, "nat-netmask", 1, 32);
      mask = length === 32 ? 0xffffffff : (~(0xffffffff >>> length) >>> 0) >>> 0;
    } else mask = fail("nat-netmask", `NAT pool ${describe(p.name)} needs a netmask or a prefix length`, p);
    if ((start & mask) >>> 0 !== (end & mask) >>> 0) {
      fail(
        "nat-pool-range",
        `invalid NAT pool ${describe(p.name)}: ${formatIPv4(start)} and ${formatIPv4(end)} are not in one ${formatIPv4(mask)} subnet`,
        p,
      );
    }
    poolAddresses += end - start + 1;
    if (poolAddresses > MAX_POOL_ADDRESSES) fail("nat-pool-range", `NAT pools hold more than ${MAX_POOL_ADDRESSES} addresses`, p);
    poolByName.set(p.name, pools.length);
    pools.push({ name: p.name, start, size: end - start + 1, netmask: mask, type: "generic", overload: false });
  }

  const acl: ResolvedNatOptions["acl"] = [];
  const lists = new Map<string, NatAccessListEntry[]>();
  for (const l of list(options.accessLists, "accessLists")) {
    if (l === null || typeof l !== "object" || typeof l.name !== "string" || !Array.isArray(l.entries)) {
      fail("nat-access-list", `invalid access list ${describe(l)}: expected { name, entries }`, l);
    }
    lists.set(l.name, [...(lists.get(l.name) ?? []), ...l.entries]);
  }

  const mappings: ResolvedNatMapping[] = [];
  const poolUse = new Map<number, boolean>();
  for (const s of list(options.insideSource, "insideSource")) {
    if (s === null || typeof s !== "object" || typeof s.list !== "string") {
      fail("nat-inside-source", `invalid inside source ${describe(s)}: expected { list, pool | interface, overload? }`, s);
    }
    const entries = lists.get(s.list);
    if (entries === undefined) fail("nat-access-list", `access list ${describe(s.list)} is not defined`, s.list);
    const overload = s.overload === true;
    let pool: number;
    if (s.pool !== undefined) {
      const found = poolByName.get(s.pool);
      if (found === undefined) fail("nat-pool", `NAT pool ${describe(s.pool)} is not defined`, s.pool);
      pool = found;
    } else if (s.interface !== undefined) {
      const i = interfaces.find((x) => x.name === s.interface);
      if (i === undefined) fail("nat-interface", `interface ${describe(s.interface)} is not defined`, s.interface);
      if (i.address === null) fail("nat-interface", `interface ${describe(s.interface)} has no address to overload`, s.interface);
      if (!overload) fail("nat-inside-source", `an interface mapping needs overload (${describe(s.interface)})`, s);
      const name = `interface ${i.name}`;
      pool = poolByName.get(name) ?? pools.length;
      if (pool === pools.length) {
        poolByName.set(name, pool);
        pools.push({ name: i.name, start: i.address, size: 1, netmask: 0xffffffff, type: "interface", overload: true });
        poolAddresses += 1;
      }
    } else pool = fail("nat-inside-source", `inside source list ${describe(s.list)} needs a pool or an interface`, s);
    const previous = poolUse.get(pool);
    if (previous !== undefined && previous !== overload) {
      fail("nat-pool-mixed", `NAT pool ${describe(pools[pool]!.name)} is used both with and without overload`, s);
    }
    poolUse.set(pool, overload);
    pools[pool]!.overload = overload;
    const aclStart = acl.length;
    for (const entry of entries) {
      if (entry === null || typeof entry !== "object" || (entry.action !== "permit" && entry.action !== "deny")) {
        fail("nat-access-list", `invalid access-list entry ${describe(entry)} in ${describe(s.list)}`, entry);
      }
      const any = entry.address === "any";
      const wildcard = any ? 0xffffffff : entry.wildcard === undefined ? 0 : address(entry.wildcard, `wildcard in access list ${s.list}`);
      const mask = ~wildcard >>> 0;
      acl.push({
        address: any ? 0 : (address(entry.address, `address in access list ${s.list}`) & mask) >>> 0,
        mask,
        permit: entry.action === "permit",
      });
    }
    mappings.push({ list: s.list, pool, overload, aclStart, aclCount: acl.length - aclStart });
  }

  const statics: ResolvedNatOptions["statics"] = [];
  const locals = new Set<number>();
  const globals = new Set<number>();
  for (const s of list(options.insideSourceStatic, "insideSourceStatic")) {
    if (s === null || typeof s !== "object") fail("nat-static", `invalid static translation ${describe(s)}: expected { local, global }`, s);
    const local = address(s.local, "static inside local address");
    const global = address(s.global, "static inside global address");
    if (locals.has(local) || globals.has(global)) {
      fail("nat-static", `static translation ${formatIPv4(local)} → ${formatIPv4(global)} reuses an address of another one`, s);
    }
    if (pools.some((p) => global >= p.start && global < p.start + p.size)) {
      fail("nat-static", `static inside global ${formatIPv4(global)} lies in a NAT pool`, s);
    }
    locals.add(local);
    globals.add(global);
    statics.push({ local, global });
  }
  if (statics.length > capacity) fail("nat-capacity", `capacity ${capacity} cannot hold ${statics.length} static translations`, capacity);
  if (mappings.length > 256 || pools.length > 256 || acl.length > 4096) {
    fail("nat-options", "at most 256 pools, 256 mappings and 4096 access-list entries", options);
  }
  return { capacity, maxEntries, agerWork, timeouts, interfaces, pools, acl, mappings, statics };
}

/** The timeout class's option name. */
export function timeoutName(c: NatTimeoutClass): keyof NatTimeouts {
  return c === "timeout" ? "timeout" : (`${c}Timeout` as keyof NatTimeouts);
}

export { NAT_TIMEOUT_CLASSES };
