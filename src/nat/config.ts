/**
 * The IOS NAT commands, parsed into {@link NatOptions}. `parseNatConfig(text)` reads a whole
 * configuration and ignores the lines it does not know; `NatConfigParser.line` lets a larger
 * IOS parser hand over the lines one by one (with the interface the line sits under). The
 * lines understood:
 *
 * ```
 * interface NAME                      (interfaces are numbered in order of appearance)
 *  ip address A M
 *  ip nat inside | ip nat outside
 * ip nat pool NAME START END netmask M | prefix-length N
 * ip nat inside source list L pool NAME [overload]
 * ip nat inside source list L interface NAME overload
 * ip nat inside source static LOCAL GLOBAL
 * ip nat translation max-entries N
 * ip nat translation [udp-|dns-|tcp-|finrst-|icmp-|syn-]timeout SECONDS
 * access-list L permit|deny A [W] | host A | any
 * ```
 */

import { ConfigError, describe } from "../errors.js";
import { forEachIosLine, interfaceName } from "../common/ios-lines.js";
import type {
  NatAccessListEntry,
  NatInsideSourceConfig,
  NatInterfaceConfig,
  NatOptions,
  NatPoolConfig,
  NatStaticConfig,
  NatTimeouts,
} from "./options.js";
import { NAT_TIMEOUT_SETTINGS } from "./options.js";

function bad(line: string, reason: string): never {
  throw new ConfigError("nat-config-line", `invalid NAT configuration line ${describe(line)}: ${reason}`, line);
}

function seconds(line: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < 1 || value > 2_147_483) bad(line, `expected seconds, got ${describe(text)}`);
  return value * 1000;
}

/** Collects NAT options from IOS lines. */
export class NatConfigParser {
  readonly #interfaces: NatInterfaceConfig[] = [];
  readonly #pools: NatPoolConfig[] = [];
  readonly #lists = new Map<string, NatAccessListEntry[]>();
  readonly #sources: NatInsideSourceConfig[] = [];
  readonly #statics: NatStaticConfig[] = [];
  readonly #timeouts: Partial<NatTimeouts> = {};
  #maxEntries: number | undefined;

  /** The interface `name`, made (with the next id) on first mention. */
  #interface(name: string): NatInterfaceConfig {
    let i = this.#interfaces.find((x) => x.name === name);
    if (i === undefined) {
      i = { name, ifIndex: this.#interfaces.length };
      this.#interfaces.push(i);
    }
    return i;
  }

  /**
   * One configuration line, `under` the interface it belongs to (or none). Returns whether the
   * line was a NAT line (and taken).
   * @throws ConfigError naming the line when a NAT line is malformed.
   */
  line(text: string, under?: string): boolean {
    const line = text.trim();
    const w = line.split(/\s+/);
    if (w[0] === "interface" && w.length >= 2) {
      this.#interface(interfaceName(w));
      return false;
    }
    if (w[0] === "access-list" && (w[2] === "permit" || w[2] === "deny") && w[1] !== undefined) {
      const entry: NatAccessListEntry =
        w[3] === "any"
          ? { action: w[2], address: "any" }
          : w[3] === "host"
            ? { action: w[2], address: w[4] ?? bad(line, "host needs an address") }
            : { action: w[2], address: w[3] ?? bad(line, "missing address"), ...(w[4] === undefined ? {} : { wildcard: w[4] }) };
      this.#lists.set(w[1], [...(this.#lists.get(w[1]) ?? []), entry]);
      return true;
    }
    if (w[0] === "ip" && w[1] === "address" && under !== undefined && w.length >= 4) {
      this.#interface(under).address = w[2]!;
      return false;
    }
    if (w[0] !== "ip" || w[1] !== "nat") return false;
    if ((w[2] === "inside" || w[2] === "outside") && w.length === 3) {
      if (under === undefined) bad(line, "ip nat inside/outside belongs under an interface");
      this.#interface(under).nat = w[2];
      return true;
    }
    if (w[2] === "pool") {
      const [name, start, end, kind, value] = w.slice(3);
      if (name === undefined || start === undefined || end === undefined) bad(line, "expected ip nat pool NAME START END netmask M");
      if (kind === "netmask" && value !== undefined) this.#pools.push({ name, start, end, netmask: value });
      else if (kind === "prefix-length" && value !== undefined) this.#pools.push({ name, start, end, prefixLength: Number(value) });
      else bad(line, "expected netmask M or prefix-length N");
      return true;
    }
    if (w[2] === "inside" && w[3] === "source") {
      if (w[4] === "static") {
        if (w.length !== 7) bad(line, "expected ip nat inside source static LOCAL GLOBAL");
        this.#statics.push({ local: w[5]!, global: w[6]! });
        return true;
      }
      if (w[4] === "list" && w[5] !== undefined && (w[6] === "pool" || w[6] === "interface") && w[7] !== undefined) {
        const overload = w[8] === "overload";
        if (w.length > (overload ? 9 : 8)) bad(line, `unexpected ${describe(w.slice(overload ? 9 : 8).join(" "))}`);
        this.#sources.push(w[6] === "pool" ? { list: w[5], pool: w[7], overload } : { list: w[5], interface: w[7], overload });
        return true;
      }
      bad(line, "expected ip nat inside source list L pool NAME [overload] | interface NAME overload | static A B");
    }
    if (w[2] === "translation") {
      if (w[3] === "max-entries") {
        const n = Number(w[4]);
        if (w[4] === undefined || !/^\d+$/.test(w[4]) || n < 1) bad(line, "expected max-entries N");
        this.#maxEntries = n;
        return true;
      }
      const key = NAT_TIMEOUT_SETTINGS[w[3] ?? ""];
      if (key === undefined) bad(line, `unknown translation setting ${describe(w[3])}`);
      this.#timeouts[key] = seconds(line, w[4]);
      return true;
    }
    return bad(line, `unknown ip nat command ${describe(w[2])}`);
  }

  /** The options collected (interfaces with their ids in order of appearance). */
  options(): NatOptions {
    return {
      interfaces: this.#interfaces.map((i) => ({ ...i })),
      pools: [...this.#pools],
      accessLists: [...this.#lists].map(([name, entries]) => ({ name, entries })),
      insideSource: [...this.#sources],
      insideSourceStatic: [...this.#statics],
      timeouts: { ...this.#timeouts },
      ...(this.#maxEntries === undefined ? {} : { maxEntries: this.#maxEntries }),
    };
  }
}

/** Parses the NAT lines of an IOS configuration (other lines are ignored). */
export function parseNatConfig(text: string): NatOptions {
  const parser = new NatConfigParser();
  forEachIosLine(text, (line, under) => parser.line(line, under));
  return parser.options();
}
