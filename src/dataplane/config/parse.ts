/**
 * `parseIosConfig(text)`: an IOS configuration (as `show running-config` prints it, or as typed
 * in `configure terminal`) into a {@link RouterConfig}; `renderRunningConfig` prints it back.
 * Every command of the seeds is understood; any other line, or a known command with bad
 * arguments, is a {@link ConfigError} naming the line number and its text.
 */

import { ConfigError } from "../../errors.js";
import { parseIPv6, tryParseIPv4 } from "../../net/address.js";
import { parsePrefix } from "../../net/prefix.js";
import { parseMac } from "../../net/mac.js";
import { type AccessList, numberedListKind, parseAccessListEntry } from "../acl.js";
import {
  type InterfaceConfig,
  type NatCommand,
  type RouterConfig,
  type ClassMapDefinition,
  type PolicyMapDefinition,
  type SamplerMapDefinition,
  type TopTalkersConfig,
  emptyRouterConfig,
} from "./types.js";

export { renderRunningConfig } from "./render.js";
export type { RouterConfig } from "./types.js";

/** The error of one configuration line. */
export class ConfigLineError extends ConfigError {
  constructor(
    readonly line: number,
    readonly text: string,
    reason: string,
  ) {
    super("config-line", `line ${line}: ${JSON.stringify(text)}: ${reason}`, { line, text });
  }
}

type Mode =
  | { kind: "global" }
  | { kind: "interface"; config: InterfaceConfig }
  | { kind: "sampler-map"; config: SamplerMapDefinition }
  | { kind: "class-map"; config: ClassMapDefinition }
  | { kind: "policy-map"; config: PolicyMapDefinition }
  | { kind: "policy-class"; config: PolicyMapDefinition; index: number }
  | { kind: "access-list"; config: AccessList }
  | { kind: "top-talkers"; config: TopTalkersConfig }
  | { kind: "router"; lines: string[] };

/** Thrown inside a handler: the line is not this mode's (try the enclosing mode). */
const NOT_MINE = Symbol("not mine");

class Reject extends Error {}

function reject(reason: string): never {
  throw new Reject(reason);
}

function ipv4(token: string | undefined, what: string): string {
  if (token === undefined || tryParseIPv4(token) === undefined) reject(`expected ${what}, got ${JSON.stringify(token ?? "")}`);
  return token;
}

function integer(token: string | undefined, what: string, min: number, max: number): number {
  if (token === undefined || !/^\d+$/.test(token) || Number(token) < min || Number(token) > max) {
    reject(`expected ${what} (${min}–${max}), got ${JSON.stringify(token ?? "")}`);
  }
  return Number(token);
}

function mask(token: string | undefined): string {
  const m = ipv4(token, "a subnet mask");
  const value = tryParseIPv4(m)!;
  const inverted = ~value >>> 0;
  if ((inverted & (inverted + 1)) !== 0) reject(`${m} is not a contiguous subnet mask`);
  return m;
}

function end(tokens: string[], at: number): undefined {
  if (at < tokens.length) reject(`unexpected ${JSON.stringify(tokens.slice(at).join(" "))}`);
  return undefined;
}

/** `Vlan 3` and `vlan 3` name the interface `Vlan3`; other names are kept as written. */
function interfaceName(tokens: string[]): string {
  if (tokens.length === 0) reject("expected an interface name");
  const joined = tokens.join("");
  return joined.replace(/^vlan/i, "Vlan");
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/:]{0,63}$/;

function name(token: string | undefined, what: string): string {
  if (token === undefined || !NAME.test(token)) reject(`expected ${what}, got ${JSON.stringify(token ?? "")}`);
  return token;
}

function newInterface(n: string): InterfaceConfig {
  return { name: n, addresses: [], addresses6: [], routeCache: [], servicePolicy: [], accounting: [], accessGroups: [] };
}

class Parser {
  readonly config: RouterConfig = emptyRouterConfig();
  mode: Mode = { kind: "global" };

  line(tokens: string[], raw: string): undefined {
    // Sub-mode lines first; a line the sub-mode does not know ends it (as IOS does).
    for (;;) {
      if (this.mode.kind === "global") return this.global(tokens);
      const handled = this.sub(tokens, raw);
      if (handled !== NOT_MINE) return;
      this.mode = this.mode.kind === "policy-class" ? { kind: "policy-map", config: this.mode.config } : { kind: "global" };
    }
  }

  list(listName: string, kind: "standard" | "extended"): AccessList {
    let list = this.config.accessLists.find((l) => l.name === listName);
    if (list === undefined) {
      list = { name: listName, kind, entries: [] };
      this.config.accessLists.push(list);
    } else if (list.kind !== kind) reject(`access list ${listName} is ${list.kind}, not ${kind}`);
    return list;
  }

  global(t: string[]): undefined {
    const c = this.config;
    const [a, b, d] = t;
    if (a === "hostname") {
      c.hostname = name(b, "a host name");
      return end(t, 2);
    }
    if (a === "interface") {
      const n = interfaceName(t.slice(1));
      let f = c.interfaces.find((x) => x.name === n);
      if (f === undefined) {
        f = newInterface(n);
        c.interfaces.push(f);
      }
      this.mode = { kind: "interface", config: f };
      return;
    }
    if (a === "ip" && b === "route") return this.route(t);
    if (a === "ipv6" && b === "route") {
      const p = t[2];
      try {
        parsePrefix(p ?? "", 6);
      } catch {
        reject(`expected an IPv6 prefix, got ${JSON.stringify(p ?? "")}`);
      }
      if (t[3] === undefined) reject("expected the outgoing interface");
      c.routes6.push({ prefix: p!, interface: interfaceName(t.slice(3)) });
      return;
    }
    if (a === "arp" && b !== "timeout") {
      const address = ipv4(b, "an IPv4 address");
      let mac = d;
      try {
        parseMac(mac ?? "");
      } catch {
        reject(`expected a MAC address, got ${JSON.stringify(mac ?? "")}`);
      }
      mac = mac!;
      if (t[3] !== "arpa") reject(`expected the encapsulation arpa, got ${JSON.stringify(t[3] ?? "")}`);
      c.arp.push({ address, mac, encapsulation: "arpa", ...(t.length > 4 ? { interface: interfaceName(t.slice(4)) } : {}) });
      return;
    }
    if (a === "ip" && b === "cef") {
      c.cef = true;
      return end(t, 2);
    }
    if (a === "no" && b === "ip" && d === "cef") {
      c.cef = false;
      return end(t, 3);
    }
    if (a === "ip" && b === "flow-cache" && d === "timeout") {
      const which = t[3];
      if (which === "active") c.flowCacheTimeout.active = integer(t[4], "minutes", 1, 60);
      else if (which === "inactive") c.flowCacheTimeout.inactive = integer(t[4], "seconds", 10, 600);
      else reject("expected active or inactive");
      return end(t, 5);
    }
    if (a === "ip" && (b === "cache-ager-interval" || b === "cache-ager" || b === "cache-invalidate-delay") && !c.serviceInternal) {
      // 10.3(8), 11.0(3) and later hide both timers unless `service internal` comes first (seed 000, L246-252).
      reject(`ip ${b} is available only after service internal`);
    }
    if (a === "ip" && (b === "cache-ager-interval" || b === "cache-ager")) {
      c.cacheAgerInterval = {
        seconds: integer(t[2], "seconds between ager runs", 0, 2147483),
        lowMemory: integer(t[3], "the low-memory fraction", 2, 50),
        normal: integer(t[4], "the normal fraction", 3, 100),
      };
      return end(t, 5);
    }
    if (a === "ip" && b === "cache-invalidate-delay") {
      const minimum = integer(t[2], "the minimum invalidation interval (seconds)", 0, 100);
      c.cacheInvalidateDelay = {
        minimum,
        maximum: integer(t[3], "the maximum invalidation interval (seconds, at least the minimum)", minimum, 100),
        quiet: integer(t[4], "the quiet interval (seconds)", 1, 100),
        threshold: integer(t[5], "the threshold (requests)", 0, 0xffffffff),
      };
      return end(t, 6);
    }
    if (a === "service" && b === "internal") {
      c.serviceInternal = true;
      return end(t, 2);
    }
    if (a === "mls" && b === "flow" && d === "ip") {
      const m = t[3];
      if (m !== "full" && m !== "destination" && m !== "destination-source") reject("expected full, destination or destination-source");
      c.mlsFlow = m;
      return end(t, 4);
    }
    if (a === "ip" && b === "flow-top-talkers") {
      end(t, 2);
      c.topTalkers ??= { matches: [] };
      this.mode = { kind: "top-talkers", config: c.topTalkers };
      return;
    }
    if (a === "ip" && b === "flow-capture") {
      const field = t[2];
      const fields = ["fragment-offset", "icmp", "ip-id", "mac-addresses", "packet-length", "ttl", "vlan-id"];
      if (field === undefined || !fields.includes(field)) reject(`expected one of ${fields.join(", ")}`);
      if (!c.flowCapture.includes(field)) c.flowCapture.push(field);
      return end(t, 3);
    }
    if (a === "ip" && b === "flow-export") {
      if (t.length < 3) reject("expected flow-export parameters");
      c.other.push(t.join(" "));
      return;
    }
    if (a === "ip" && (b === "http" || b === "http-server")) {
      c.httpServer = true;
      return;
    }
    if (a === "no" && b === "ip" && (d === "http" || d === "http-server")) {
      c.httpServer = false;
      return;
    }
    if (a === "access-list") {
      const n = integer(b, "an access-list number", 1, 2699);
      const kind = numberedListKind(n);
      if (kind === undefined) reject(`${n} is not a standard (1–99, 1300–1999) or extended (100–199, 2000–2699) list number`);
      const list = this.list(String(n), kind);
      if (d === "remark") return;
      list.entries.push(this.entry(t.slice(2).join(" "), kind));
      return;
    }
    if (a === "ip" && b === "access-list") {
      const kind = d;
      if (kind !== "standard" && kind !== "extended") reject("expected standard or extended");
      const listName = name(t[3], "an access-list name");
      end(t, 4);
      const numbered = /^\d+$/.test(listName) ? numberedListKind(Number(listName)) : undefined;
      if (numbered !== undefined && numbered !== kind) reject(`list ${listName} is a ${numbered} list number`);
      this.mode = { kind: "access-list", config: this.list(listName, kind) };
      return;
    }
    if (a === "flow-sampler-map") {
      const n = name(b, "a sampler-map name");
      end(t, 2);
      let map = c.samplerMaps.find((m) => m.name === n);
      if (map === undefined) {
        if (c.samplerMaps.length >= 8) reject("at most 8 sampler maps");
        map = { name: n, mode: "random", interval: 0 };
        c.samplerMaps.push(map);
      }
      this.mode = { kind: "sampler-map", config: map };
      return;
    }
    if (a === "class-map") {
      let at = 1;
      let match: "all" | "any" = "all";
      if (t[1] === "match-all" || t[1] === "match-any") {
        match = t[1] === "match-any" ? "any" : "all";
        at = 2;
      }
      const n = name(t[at], "a class-map name");
      if (n.length > 40) reject("class-map names have at most 40 characters");
      if (t[at + 1] === "match-all" || t[at + 1] === "match-any") {
        match = t[at + 1] === "match-any" ? "any" : "all";
        at++;
      }
      end(t, at + 1);
      let map = c.classMaps.find((m) => m.name === n);
      if (map === undefined) {
        map = { name: n, match, matches: [] };
        c.classMaps.push(map);
      } else map.match = match;
      this.mode = { kind: "class-map", config: map };
      return;
    }
    if (a === "policy-map") {
      const n = name(b, "a policy-map name");
      if (n.length > 40) reject("policy-map names have at most 40 characters");
      end(t, 2);
      let map = c.policyMaps.find((m) => m.name === n);
      if (map === undefined) {
        map = { name: n, classes: [] };
        c.policyMaps.push(map);
      }
      this.mode = { kind: "policy-map", config: map };
      return;
    }
    if (a === "ip" && b === "nat") return this.nat(t);
    if (a === "bridge") {
      if (b === "irb") {
        end(t, 2);
        c.bridge.push({ kind: "irb" });
        return;
      }
      const group = integer(b, "a bridge group", 1, 255);
      if (d === "protocol") {
        const p = t[3];
        if (p !== "ieee" && p !== "dec" && p !== "vlan-bridge" && p !== "ibm") reject("expected ieee, dec, ibm or vlan-bridge");
        c.bridge.push({ kind: "protocol", group, protocol: p });
        return end(t, 4);
      }
      if (d === "aging-time") {
        c.bridge.push({ kind: "aging-time", group, seconds: integer(t[3], "seconds", 10, 1000000) });
        return end(t, 4);
      }
      if (d === "route") {
        if (t[3] === undefined) reject("expected a protocol");
        c.bridge.push({ kind: "route", group, protocol: t[3] });
        return end(t, 4);
      }
      reject("expected protocol, aging-time or route");
    }
    if (a === "router") {
      if (b === undefined) reject("expected a routing protocol");
      const block = { header: t.join(" "), lines: [] as string[] };
      c.routerBlocks.push(block);
      this.mode = { kind: "router", lines: block.lines };
      return;
    }
    reject("unknown command");
  }

  entry(text: string, kind: "standard" | "extended") {
    try {
      return parseAccessListEntry(text, kind);
    } catch (error) {
      reject(error instanceof Error ? error.message : String(error));
    }
  }

  route(t: string[]): undefined {
    const prefix = ipv4(t[2], "a destination prefix");
    const m = mask(t[3]);
    if ((tryParseIPv4(prefix)! & ~tryParseIPv4(m)!) >>> 0 !== 0) reject(`${prefix} has bits outside the mask ${m}`);
    const target = t[4];
    if (target === undefined) reject("expected a next hop, an interface or Null0");
    let at = 5;
    const route: RouterConfig["routes"][number] = { prefix, mask: m, target };
    if (/^null\s*0$/i.test(target)) route.target = "Null0";
    else if (tryParseIPv4(target) === undefined) {
      // An interface, perhaps written in two words (`Vlan 3`), perhaps with a next hop after it.
      if (t[5] !== undefined && /^\d+(\/\d+)*(\.\d+)?$/.test(t[5]) && tryParseIPv4(t[5]) === undefined && /^[A-Za-z-]+$/.test(target)) {
        route.target = interfaceName([target, t[5]]);
        at = 6;
      } else route.target = interfaceName([target]);
      if (t[at] !== undefined && tryParseIPv4(t[at]!) !== undefined) route.nextHop = t[at++]!;
    }
    if (t[at] !== undefined && /^\d+$/.test(t[at]!)) route.distance = integer(t[at++], "a distance", 1, 255);
    if (t[at] === "permanent") at++;
    if (t[at] === "name") at += 2;
    end(t, at);
    this.config.routes.push(route);
  }

  nat(t: string[]): undefined {
    const c = this.config;
    const kind = t[2];
    let command: NatCommand;
    if (kind === "pool") {
      const n = name(t[3], "a pool name");
      const start = ipv4(t[4], "the first address");
      const last = ipv4(t[5], "the last address");
      if (t[6] === "netmask") command = { kind: "pool", name: n, start, end: last, netmask: mask(t[7]) };
      else if (t[6] === "prefix-length")
        command = { kind: "pool", name: n, start, end: last, prefixLength: integer(t[7], "a prefix length", 1, 32) };
      else reject("expected netmask or prefix-length");
      end(t, 8);
    } else if (kind === "inside" && t[3] === "source") {
      if (t[4] === "static") {
        command = { kind: "inside-source-static", local: ipv4(t[5], "the local address"), global: ipv4(t[6], "the global address") };
        end(t, 7);
      } else if (t[4] === "list") {
        const list = name(t[5], "an access list");
        let at = 6;
        const cmd: NatCommand = { kind: "inside-source-list", list, overload: false };
        if (t[at] === "pool") {
          cmd.pool = name(t[at + 1], "a pool name");
          at += 2;
        } else if (t[at] === "interface") {
          cmd.interface = interfaceName([t[at + 1] ?? ""]);
          at += 2;
        } else reject("expected pool or interface");
        if (t[at] === "overload") {
          cmd.overload = true;
          at++;
        }
        end(t, at);
        command = cmd;
      } else reject("expected list or static");
    } else if (kind === "translation") {
      const setting = t[3];
      const settings = [
        "timeout",
        "tcp-timeout",
        "udp-timeout",
        "dns-timeout",
        "finrst-timeout",
        "icmp-timeout",
        "syn-timeout",
        "max-entries",
      ];
      if (setting === undefined || !settings.includes(setting)) reject(`expected one of ${settings.join(", ")}`);
      command = { kind: "translation", setting, value: t[4] === "never" ? "never" : integer(t[4], "a value", 0, 2147483647) };
      end(t, 5);
    } else reject("expected pool, inside source or translation");
    c.nat.push(command);
  }

  sub(t: string[], raw: string): typeof NOT_MINE | undefined {
    const m = this.mode;
    switch (m.kind) {
      case "interface":
        return this.interfaceLine(m.config, t);
      case "sampler-map":
        if (t[0] !== "mode") return NOT_MINE;
        if ((t[1] !== "random" && t[1] !== "deterministic") || t[2] !== "one-out-of") reject("expected mode random one-out-of N");
        m.config.mode = t[1];
        m.config.interval = integer(t[3], "a packet interval", 1, 65535);
        end(t, 4);
        return;
      case "class-map":
        if (t[0] === "description") return;
        if (t[0] !== "match") return NOT_MINE;
        if (t[1] === "access-group") {
          if (t[2] === "name") name(t[3], "an access-list name");
          else integer(t[2], "an access-list number", 1, 2699);
        } else if (t[1] === "input-interface") {
          if (t[2] === undefined) reject("expected an interface");
        } else if (t[1] === "ip" && (t[2] === "dscp" || t[2] === "precedence")) {
          integer(t[3], t[2], 0, t[2] === "dscp" ? 63 : 7);
        } else if (t[1] !== "any") reject("expected access-group, input-interface, ip dscp, ip precedence or any");
        m.config.matches.push(t.slice(1));
        return;
      case "policy-map":
      case "policy-class":
        if (t[0] === "class") {
          const n = t[1] === "class-default" ? "class-default" : name(t[1], "a class name");
          end(t, 2);
          let index = m.config.classes.findIndex((x) => x.class === n);
          if (index < 0) index = m.config.classes.push({ class: n }) - 1;
          this.mode = { kind: "policy-class", config: m.config, index };
          return;
        }
        if (m.kind === "policy-class" && t[0] === "netflow-sampler") {
          m.config.classes[m.index]!.sampler = name(t[1], "a sampler-map name");
          end(t, 2);
          return;
        }
        return NOT_MINE;
      case "access-list": {
        let words = t;
        if (words[0] !== undefined && /^\d+$/.test(words[0])) words = words.slice(1);
        if (words[0] === "remark") return;
        if (words[0] !== "permit" && words[0] !== "deny") return NOT_MINE;
        m.config.entries.push(this.entry(words.join(" "), m.config.kind));
        return;
      }
      case "top-talkers":
        if (t[0] === "top") {
          m.config.top = integer(t[1], "a number of talkers", 1, 200);
          end(t, 2);
          return;
        }
        if (t[0] === "sort-by") {
          if (t[1] !== "bytes" && t[1] !== "packets") reject("expected bytes or packets");
          m.config.sortBy = t[1];
          end(t, 2);
          return;
        }
        if (t[0] === "cache-timeout") {
          m.config.cacheTimeout = integer(t[1], "milliseconds", 1, 3600000);
          end(t, 2);
          return;
        }
        if (t[0] === "match") {
          if (t.length < 3) reject("expected a match field and value");
          m.config.matches.push(t.slice(1));
          return;
        }
        if (t[0] === "no" && t[1] === "match") {
          const key = t.slice(2).join(" ");
          m.config.matches = m.config.matches.filter((x) => x.join(" ") !== key);
          return;
        }
        return NOT_MINE;
      case "router":
        if (
          raw.startsWith(" ") ||
          ["version", "network", "no", "redistribute", "passive-interface", "neighbor", "timers"].includes(t[0]!)
        ) {
          m.lines.push(t.join(" "));
          return;
        }
        return NOT_MINE;
    }
    return NOT_MINE;
  }

  interfaceLine(f: InterfaceConfig, t: string[]): typeof NOT_MINE | undefined {
    const [a, b, d] = t;
    const no = a === "no";
    const w = no ? t.slice(1) : t;
    const [x, y, z] = w;
    if (a === "description") {
      f.description = t.slice(1).join(" ");
      return;
    }
    if (a === "mac-address") {
      try {
        parseMac(b ?? "");
      } catch {
        reject(`expected a MAC address, got ${JSON.stringify(b ?? "")}`);
      }
      f.macAddress = b!;
      return end(t, 2);
    }
    if (x === "ip" && y === "address") {
      if (no) {
        f.addresses = [];
        return;
      }
      const address = ipv4(d, "an IPv4 address");
      const m = mask(t[3]);
      const secondary = t[4] === "secondary";
      end(t, secondary ? 5 : 4);
      if (!secondary) f.addresses = f.addresses.filter((e) => e.secondary);
      if (secondary) f.addresses.push({ address, mask: m, secondary });
      else f.addresses.unshift({ address, mask: m, secondary });
      return;
    }
    if (x === "ipv6" && y === "address") {
      if (no) {
        f.addresses6 = [];
        return;
      }
      const [address, length] = (z ?? "").split("/");
      try {
        parseIPv6(address ?? "");
      } catch {
        reject(`expected an IPv6 address with its prefix length, got ${JSON.stringify(z ?? "")}`);
      }
      if (length === undefined || !/^\d+$/.test(length) || Number(length) > 128) {
        reject(`expected an IPv6 address with its prefix length, got ${JSON.stringify(z ?? "")}`);
      }
      f.addresses6.push(z!);
      return end(t, 3);
    }
    if (x === "shutdown") {
      f.shutdown = !no;
      return end(w, 1);
    }
    if (x === "encapsulation") {
      if (y?.toLowerCase() !== "dot1q") reject("expected dot1Q");
      f.dot1q = integer(z, "a VLAN id", 1, 4094);
      return end(w, 3);
    }
    if (x === "ip" && y === "proxy-arp") {
      f.proxyArp = !no;
      return end(w, 2);
    }
    if (x === "ip" && y === "directed-broadcast") {
      f.directedBroadcast = !no;
      return end(w, 2);
    }
    if (x === "ip" && y === "route-cache") {
      const mode = z === undefined ? "fast" : z;
      if (mode !== "fast" && mode !== "flow" && mode !== "cef" && mode !== "same-interface") reject("expected flow, cef or same-interface");
      f.routeCache = f.routeCache.filter((r) => r.mode !== mode);
      // `no ip route-cache` turns fast switching and CEF off on the interface (process
      // switching): it is kept as `no ip route-cache cef` and `no ip route-cache`, as IOS prints it.
      if (mode === "fast" && no) {
        f.routeCache = f.routeCache.filter((r) => r.mode !== "cef");
        f.routeCache.push({ mode: "cef", enabled: false });
      }
      f.routeCache.push({ mode, enabled: !no });
      return end(w, z === undefined ? 2 : 3);
    }
    if (x === "ip" && y === "flow") {
      if (z === "ingress") f.flowIngress = !no;
      else if (z === "egress") f.flowEgress = !no;
      else reject("expected ingress or egress");
      return end(w, 3);
    }
    if (x === "flow-sampler") {
      if (no) f.flowSampler = undefined;
      else f.flowSampler = name(y, "a sampler-map name");
      return end(w, 2);
    }
    if (x === "service-policy") {
      if (y !== "input" && y !== "output") reject("expected input or output");
      const n = name(z, "a policy-map name");
      f.servicePolicy = f.servicePolicy.filter((s) => s.direction !== y);
      if (!no) f.servicePolicy.push({ direction: y, name: n });
      return end(w, 3);
    }
    if (x === "ip" && y === "accounting") {
      const rest = w.slice(2).join(" ");
      const allowed = [
        "",
        "output-packets",
        "access-violations",
        "precedence input",
        "precedence output",
        "mac-address input",
        "mac-address output",
      ];
      if (!allowed.includes(rest)) reject(`expected ${allowed.filter(Boolean).join(", ")} or nothing`);
      const key = rest === "" ? "output-packets" : rest;
      f.accounting = f.accounting.filter((e) => e !== key);
      if (!no) f.accounting.push(key);
      return;
    }
    if (x === "ip" && y === "access-group") {
      const list = name(z, "an access list");
      const direction = w[3];
      if (direction !== "in" && direction !== "out") reject("expected in or out");
      f.accessGroups = f.accessGroups.filter((g) => g.direction !== direction);
      if (!no) f.accessGroups.push({ list, direction });
      return end(w, 4);
    }
    if (x === "ip" && y === "verify" && z === "unicast") {
      if (no) {
        f.verifyUnicast = undefined;
        return;
      }
      if (w[3] === "reverse-path") {
        f.verifyUnicast = { mode: "rx", allowDefault: false };
        return end(w, 4);
      }
      if (w[3] !== "source" || w[4] !== "reachable-via") reject("expected source reachable-via rx|any");
      const mode = w[5];
      if (mode !== "rx" && mode !== "any") reject("expected rx or any");
      let at = 6;
      const setting: NonNullable<InterfaceConfig["verifyUnicast"]> = { mode, allowDefault: false };
      if (w[at] === "allow-default") {
        setting.allowDefault = true;
        at++;
      }
      if (w[at] !== undefined) setting.list = name(w[at++], "an access list");
      end(w, at);
      f.verifyUnicast = setting;
      return;
    }
    if (x === "arp" && y === "timeout") {
      f.arpTimeout = no ? undefined : integer(z, "seconds", 0, 2147483);
      return end(w, no ? 2 : 3);
    }
    if (x === "ip" && y === "nat" && (z === "inside" || z === "outside") && w.length === 3) {
      f.nat = no ? undefined : z;
      return end(w, 3);
    }
    if (x === "bridge-group") {
      f.bridgeGroup = no ? undefined : integer(y, "a bridge group", 1, 255);
      return end(w, no ? 1 : 2);
    }
    return NOT_MINE;
  }
}

/**
 * Parses an IOS configuration. Lines: `!` comments, `end`, `exit`; global commands (hostname,
 * interface, ip route, ipv6 route, arp, [no] ip cef, ip flow-cache timeout, ip cache-ager-interval,
 * ip cache-invalidate-delay, service internal, mls flow ip, ip flow-top-talkers, ip flow-capture, ip flow-export, ip http
 * server, access-list, ip access-list, flow-sampler-map, class-map, policy-map, ip nat, bridge,
 * router) and their sub-mode lines; interface lines (description, mac-address, ip address,
 * ipv6 address, shutdown, encapsulation dot1Q, ip proxy-arp, ip directed-broadcast, ip
 * route-cache [cef|flow|same-interface] (`no ip route-cache` also turns CEF off on the interface,
 * kept as `no ip route-cache cef` and `no ip route-cache`), ip flow, flow-sampler, service-policy, ip accounting, ip access-group, ip verify
 * unicast, arp timeout, ip nat, bridge-group), with their `no` forms.
 * @throws ConfigError (a ConfigLineError) naming the line number and text of a bad line.
 */
export function parseIosConfig(text: string): RouterConfig {
  if (typeof text !== "string") throw new ConfigError("config-text", "expected the configuration as a string", text);
  const parser = new Parser();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("!")) continue;
    const tokens = trimmed.split(/\s+/);
    if (trimmed === "end") break;
    if (trimmed === "exit") {
      parser.mode = parser.mode.kind === "policy-class" ? { kind: "policy-map", config: parser.mode.config } : { kind: "global" };
      continue;
    }
    if (["configure terminal", "enable", "conf t", "Current configuration:"].includes(trimmed)) continue;
    if (trimmed.startsWith("Building configuration") || trimmed.startsWith("Current configuration :")) continue;
    try {
      parser.line(tokens, raw);
    } catch (error) {
      if (error instanceof Reject) throw new ConfigLineError(n + 1, raw, error.message);
      throw error;
    }
  }
  return parser.config;
}
