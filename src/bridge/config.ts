/**
 * The IOS bridging commands, parsed into {@link BridgeOptions} (interfaces numbered in order
 * of appearance, as the NAT parser numbers them):
 *
 * ```
 * bridge irb
 * bridge N protocol ieee
 * bridge N aging-time SECONDS
 * interface NAME
 *  bridge-group N
 * interface BVI N
 *  mac-address HHHH.HHHH.HHHH        (default 0000.0cff.00NN: set it to the router's)
 * ```
 */

import { ConfigError, describe } from "../errors.js";
import { forEachIosLine, interfaceName } from "../common/ios-lines.js";
import type { BridgeBviConfig, BridgeGroupConfig, BridgeInterfaceConfig, BridgeOptions } from "./options.js";

function bad(line: string, reason: string): never {
  throw new ConfigError("bridge-config-line", `invalid bridging configuration line ${describe(line)}: ${reason}`, line);
}

/** Collects bridge options from IOS lines. */
export class BridgeConfigParser {
  readonly #interfaces: BridgeInterfaceConfig[] = [];
  readonly #groups = new Map<number, BridgeGroupConfig>();
  readonly #bvis = new Map<number, BridgeBviConfig>();
  #irb = false;

  #interface(name: string): BridgeInterfaceConfig {
    let i = this.#interfaces.find((x) => x.name === name);
    if (i === undefined) {
      i = { name, ifIndex: this.#interfaces.length };
      this.#interfaces.push(i);
    }
    return i;
  }

  #group(line: string, text: string | undefined): BridgeGroupConfig {
    const n = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || n < 1 || n > 255) bad(line, `expected a bridge group 1-255, got ${describe(text)}`);
    let g = this.#groups.get(n);
    if (g === undefined) this.#groups.set(n, (g = { group: n }));
    return g;
  }

  /** One line `under` its interface; returns whether it was a bridging line. @throws ConfigError naming the line. */
  line(text: string, under?: string): boolean {
    const line = text.trim();
    const w = line.split(/\s+/);
    if (w[0] === "interface" && w.length >= 2) {
      const name = interfaceName(w);
      this.#interface(name);
      const bvi = /^BVI\s*(\d+)$/i.exec(name);
      if (bvi) {
        const n = Number(bvi[1]);
        if (!this.#bvis.has(n)) this.#bvis.set(n, { group: n, mac: `0000.0cff.00${n.toString(16).padStart(2, "0")}` });
        return true;
      }
      return false;
    }
    if (w[0] === "bridge" && w[1] === "irb" && w.length === 2) {
      this.#irb = true;
      return true;
    }
    if (w[0] === "bridge" && w[2] === "protocol") {
      if (w[3] !== "ieee" || w.length !== 4) bad(line, "only bridge N protocol ieee is modelled");
      this.#group(line, w[1]).protocol = "ieee";
      return true;
    }
    if (w[0] === "bridge" && w[2] === "aging-time") {
      const s = Number(w[3]);
      if (w[3] === undefined || !/^\d+$/.test(w[3]) || s < 10 || s > 1_000_000) bad(line, "expected aging-time 10-1000000 seconds");
      this.#group(line, w[1]).agingTime = s * 1000;
      return true;
    }
    if (w[0] === "bridge-group" && w.length === 2) {
      if (under === undefined) bad(line, "bridge-group belongs under an interface");
      this.#interface(under).bridgeGroup = this.#group(line, w[1]).group;
      return true;
    }
    if (w[0] === "mac-address" && under !== undefined && /^BVI\s*\d+$/i.test(under) && w.length === 2) {
      const n = Number(/\d+$/.exec(under)![0]);
      this.#bvis.set(n, { group: n, mac: w[1]! });
      return true;
    }
    return false;
  }

  /** The options collected. */
  options(): BridgeOptions {
    return {
      groups: [...this.#groups.values()].map((g) => ({ ...g })),
      interfaces: this.#interfaces.map((i) => ({ ...i })),
      irb: this.#irb,
      bvis: [...this.#bvis.values()],
    };
  }
}

/** Parses the bridging lines of an IOS configuration (other lines are ignored). */
export function parseBridgeConfig(text: string): BridgeOptions {
  const parser = new BridgeConfigParser();
  forEachIosLine(text, (line, under) => parser.line(line, under));
  return parser.options();
}
