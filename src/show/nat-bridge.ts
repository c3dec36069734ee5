/**
 * The show commands of the NAT and bridge tables (`show ip nat translations [verbose]`, `show ip
 * nat statistics`, `show bridge`), registered into the library's registry. They read the tables
 * from `context.components.nat` and `context.components.bridge` (a {@link Dataplane}'s `nat` and
 * `bridge`, or tables used alone).
 */

import { ConfigError, describe } from "../errors.js";
import type { NatTable } from "../nat/table.js";
import type { BridgeTable } from "../bridge/table.js";
import type { ShowContext, ShowRegistry } from "./commands.js";

function component<T>(context: ShowContext, name: "nat" | "bridge", what: string): T {
  const value = context.components?.[name];
  if (value === undefined) throw new ConfigError("show-unavailable", `% ${what}`, what);
  return value as T;
}

function syntax(args: readonly string[], allowed: readonly string[], text: string): string | undefined {
  if (args.length === 0) return undefined;
  const word = allowed.find((a) => args.length === 1 && a.startsWith(args[0]!.toLowerCase()));
  if (word === undefined) throw new ConfigError("show-syntax", `unexpected ${describe(args.join(" "))}: expected ${text}`, args.join(" "));
  return word;
}

/** Registers the NAT and bridge commands into `registry`. */
export function registerNatBridgeShowCommands(registry: ShowRegistry): void {
  registry.register({
    words: ["show", "ip", "nat", "translations"],
    syntax: "show ip nat translations [verbose]",
    summary: "the NAT table: one line per translation (inside global, inside local, outside local, outside global)",
    run(args, context) {
      const verbose = syntax(args, ["verbose"], "show ip nat translations [verbose]") === "verbose";
      const nat = component<NatTable>(context, "nat", "NAT is not configured (ip nat inside|outside)");
      const translations = nat.translations();
      return { lines: nat.show({ verbose, now: context.now }).trimEnd().split("\n"), json: { translations } };
    },
  });
  registry.register({
    words: ["show", "ip", "nat", "statistics"],
    syntax: "show ip nat statistics",
    summary: "NAT counters, interfaces, mappings and pools",
    run(args, context) {
      syntax(args, [], "show ip nat statistics");
      const nat = component<NatTable>(context, "nat", "NAT is not configured (ip nat inside|outside)");
      return { lines: nat.showStatistics().trimEnd().split("\n"), json: nat.statistics() };
    },
  });
  registry.register({
    words: ["show", "bridge"],
    syntax: "show bridge",
    summary: "the bridge table: learned stations per bridge group",
    run(args, context) {
      syntax(args, [], "show bridge");
      const bridge = component<BridgeTable>(context, "bridge", "Bridging is not configured (bridge-group)");
      return { lines: bridge.show({ now: context.now }).trimEnd().split("\n"), json: { stations: bridge.stations() } };
    },
  });
}
