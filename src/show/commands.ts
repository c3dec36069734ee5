/**
 * The registry of IOS `show` commands: each feature registers its commands (words, syntax, a
 * runner over a {@link ShowContext}) and `dataplane show`, or any embedder, runs command lines
 * against it — with IOS abbreviations (`sh ip cache fl`), the `| include / exclude / begin`
 * output filter on every command, text and JSON. This module registers the flow-cache, top-talkers,
 * accounting and MLS commands; the route cache (`show ip cache`, show/route-cache.ts: the
 * context's `components.routeCache`), NAT (`show ip nat translations`) and the pipeline (`show
 * access-lists`, `show running-config`) register theirs into {@link showCommands} from their
 * own modules the same way.
 */

import { ConfigError, describe } from "../errors.js";
import type { FlowCache } from "../flow/cache.js";
import type { FlowRecord } from "../flow/record.js";
import type { ConfiguredTopTalkers, FlowTopTalkers } from "../analysis/top-talkers.js";
import type { IpAccounting } from "../analysis/ip-accounting.js";
import { TOP_FIELD_NAMES } from "../analysis/top-fields.js";
import { type OutputFilter, applyOutputFilter, splitOutputFilter } from "./output-filter.js";
import { type FlowRecordNames, flowJson, renderFlowCacheBrief, renderFlowCacheVerbose } from "./flow-cache.js";
import { configuredTopTalkersJson, renderConfiguredTopTalkers, renderTopTalkers, topTalkersJson } from "./top-talkers.js";
import { ipAccountingJson, renderIpAccounting } from "./ip-accounting.js";
import { renderShowMlsEntry, renderShowMlsIp } from "./mls.js";
import { registerNatBridgeShowCommands } from "./nat-bridge.js";
import { registerRouteCacheShowCommands } from "./route-cache.js";
import { registerDataplaneShowCommands } from "./dataplane.js";

/** What show commands read. Features add their components here (optional, so each command says when its own is missing). */
export interface ShowContext {
  /** The time of the display, ms (capture time in `dataplane show`). */
  now: number;
  flowCache?: FlowCache;
  /** Seconds the flow statistics cover (per-second columns of `show ip cache flow`). */
  flowSeconds?: number;
  topTalkers?: FlowTopTalkers;
  configuredTopTalkers?: ConfiguredTopTalkers;
  accounting?: IpAccounting;
  /** Interface names, output interfaces and the sampler/class of sampled flows. */
  names?: FlowRecordNames & { sampler?: { id: number; classId: number } };
  /** Components of other features, by name (route cache, NAT table, dataplane, ...). */
  components?: Record<string, unknown>;
}

/** A command's output: the display lines and the JSON form. */
export interface ShowOutput {
  lines: string[];
  json: unknown;
}

/** One registered command. */
export interface ShowCommandDefinition {
  /** The fixed words, e.g. `["show", "ip", "flow", "top"]`; the rest of the line goes to `run`. */
  words: readonly string[];
  /** The syntax shown in help and in the unknown-command error. */
  syntax: string;
  summary: string;
  /** Runs the command with the words after the fixed ones. Throw ConfigError for bad arguments. */
  run(args: readonly string[], context: ShowContext): ShowOutput;
}

/** A command line resolved against the registry. */
export interface ResolvedShowCommand {
  definition: ShowCommandDefinition;
  args: string[];
  filter?: OutputFilter;
}

/** A set of show commands. */
export class ShowRegistry {
  readonly #commands: ShowCommandDefinition[] = [];

  /** Adds a command. @throws ConfigError when one with the same words exists. */
  register(definition: ShowCommandDefinition): void {
    const key = definition.words.join(" ");
    if (this.#commands.some((c) => c.words.join(" ") === key)) {
      throw new ConfigError("show-duplicate", `show command ${describe(key)} is already registered`, key);
    }
    this.#commands.push(definition);
  }

  /** The registered commands, in registration order. */
  commands(): readonly ShowCommandDefinition[] {
    return this.#commands;
  }

  /**
   * Resolves a line: the command whose words match the most leading words (each exactly or as
   * an abbreviation), preferring exact words.
   * @throws ConfigError for an unknown or ambiguous command, listing the commands available.
   */
  resolve(line: string): ResolvedShowCommand {
    const { command, filter } = splitOutputFilter(line);
    const tokens = command.split(/\s+/).filter((t) => t !== "");
    let best: { definition: ShowCommandDefinition; words: number; exact: number }[] = [];
    for (const definition of this.#commands) {
      const w = definition.words;
      if (w.length > tokens.length) continue;
      let exact = 0;
      let ok = true;
      for (let i = 0; i < w.length && ok; i++) {
        const t = tokens[i]!.toLowerCase();
        if (t === w[i]) exact++;
        else if (!w[i]!.startsWith(t)) ok = false;
      }
      if (!ok) continue;
      const top = best[0];
      if (top === undefined || w.length > top.words || (w.length === top.words && exact > top.exact))
        best = [{ definition, words: w.length, exact }];
      else if (w.length === top.words && exact === top.exact) best.push({ definition, words: w.length, exact });
    }
    if (best.length !== 1) {
      const why = best.length === 0 ? "unknown command" : "ambiguous command";
      throw new ConfigError(
        "show-command",
        `${why} ${describe(command)}: available commands are ${this.#commands.map((c) => c.syntax).join("; ")}`,
        command,
      );
    }
    const chosen = best[0]!;
    return { definition: chosen.definition, args: tokens.slice(chosen.words), ...(filter ? { filter } : {}) };
  }

  /** Runs a line (with its output filter, applied to the text) against `context`. */
  run(line: string, context: ShowContext): ShowOutput {
    const resolved = this.resolve(line);
    const output = resolved.definition.run(resolved.args, context);
    return { lines: applyOutputFilter(output.lines, resolved.filter), json: output.json };
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ConfigError("show-unavailable", `% ${what}`, what);
  return value;
}

function noArgs(args: readonly string[], syntax: string): void {
  if (args.length > 0) throw new ConfigError("show-syntax", `unexpected ${describe(args.join(" "))}: expected ${syntax}`, args.join(" "));
}

function liveFlows(cache: FlowCache): FlowRecord[] {
  return cache.flows();
}

function cacheDisplay(context: ShowContext) {
  const cache = need(context.flowCache, "NetFlow is not enabled (no flow cache)");
  return {
    cache,
    display: {
      statistics: cache.statistics(),
      counters: cache.counters(),
      capacity: cache.options.capacity,
      tableBytes: cache.tableBytes,
      activeTimeout: cache.options.activeTimeout,
      inactiveTimeout: cache.options.inactiveTimeout,
      seconds: context.flowSeconds ?? 0,
    },
  };
}

/** Registers this module's commands into `registry`. */
export function registerFlowShowCommands(registry: ShowRegistry): void {
  registry.register({
    words: ["show", "ip", "flow", "top"],
    syntax: "show ip flow top N aggregate FIELD [sorted-by aggregate|bytes|flows|packets [ascending|descending]] [match FIELD VALUE]",
    summary: `dynamic top talkers of the flow cache; FIELD one of ${TOP_FIELD_NAMES.join(", ")}`,
    run(args, context) {
      const top = need(context.topTalkers, "NetFlow is not enabled (no flow cache)");
      const result = top.query(args.join(" "));
      const names = context.names?.interfaceName ? { interfaceName: context.names.interfaceName } : {};
      return { lines: renderTopTalkers(result, names), json: topTalkersJson(result) };
    },
  });
  const configuredTopTalkers = (args: readonly string[], context: ShowContext): ShowOutput => {
    if (args.length > 1 || (args.length === 1 && !"verbose".startsWith(args[0]!))) noArgs(args, "show ip flow top-talkers [verbose]");
    const configured = need(context.configuredTopTalkers, "Top talkers are not configured (ip flow-top-talkers)");
    const result = configured.show(context.now);
    return { lines: renderConfiguredTopTalkers(result, args.length === 1, context.names), json: configuredTopTalkersJson(result) };
  };
  registry.register({
    words: ["show", "ip", "flow", "top-talkers"],
    syntax: "show ip flow top-talkers [verbose]",
    summary: "the configured top talkers (ip flow-top-talkers)",
    run: configuredTopTalkers,
  });
  // The seed also spells it `show ip flow top talkers [verbose]` (003:L725).
  registry.register({
    words: ["show", "ip", "flow", "top", "talkers"],
    syntax: "show ip flow top talkers [verbose]",
    summary: "the same as show ip flow top-talkers",
    run: configuredTopTalkers,
  });
  registry.register({
    words: ["show", "ip", "cache", "flow"],
    syntax: "show ip cache flow",
    summary: "the NetFlow cache: statistics and one line per flow (ports in hex)",
    run(args, context) {
      noArgs(args, "show ip cache flow");
      const { cache, display } = cacheDisplay(context);
      const flows = liveFlows(cache);
      return {
        lines: renderFlowCacheBrief(display, flows, context.names).split("\n"),
        json: { flows: flows.map(flowJson), counters: display.counters },
      };
    },
  });
  registry.register({
    words: ["show", "ip", "cache", "verbose", "flow"],
    syntax: "show ip cache verbose flow",
    summary: "the NetFlow cache with every flow's captured fields",
    run(args, context) {
      noArgs(args, "show ip cache verbose flow");
      const { cache, display } = cacheDisplay(context);
      const flows = liveFlows(cache);
      return {
        lines: renderFlowCacheVerbose(display, flows, context.names).split("\n"),
        json: { flows: flows.map(flowJson), counters: display.counters },
      };
    },
  });
  registry.register({
    words: ["show", "ip", "accounting"],
    syntax: "show ip accounting [checkpoint]",
    summary: "IP accounting: packets and bytes per source and destination",
    run(args, context) {
      if (args.length > 1 || (args.length === 1 && !"checkpoint".startsWith(args[0]!))) noArgs(args, "show ip accounting [checkpoint]");
      const accounting = need(context.accounting, "IP accounting is not enabled (ip accounting output-packets)");
      const table = accounting.table(args.length === 1);
      return { lines: renderIpAccounting(table, context.now), json: ipAccountingJson(table, context.now) };
    },
  });
  registry.register({
    words: ["show", "mls", "ip"],
    syntax: "show mls ip",
    summary: "the flow cache as MLS entries under its flow mask (native IOS)",
    run(args, context) {
      noArgs(args, "show mls ip");
      const cache = need(context.flowCache, "NetFlow is not enabled (no flow cache)");
      const flows = liveFlows(cache);
      return {
        lines: renderShowMlsIp(flows, cache.options.mask, context.now, context.names),
        json: { mask: cache.options.mask, flows: flows.map(flowJson) },
      };
    },
  });
  registry.register({
    words: ["show", "mls", "entry"],
    syntax: "show mls entry",
    summary: "the flow cache as MLS entries under its flow mask (hybrid CatOS `show mls ent`)",
    run(args, context) {
      noArgs(args, "show mls entry");
      const cache = need(context.flowCache, "NetFlow is not enabled (no flow cache)");
      const flows = liveFlows(cache);
      return {
        lines: renderShowMlsEntry(flows, cache.options.mask, context.now, context.names),
        json: { mask: cache.options.mask, flows: flows.map(flowJson) },
      };
    },
  });
}

/** The library's show commands; features register theirs here. */
export const showCommands = new ShowRegistry();
registerFlowShowCommands(showCommands);
registerNatBridgeShowCommands(showCommands);
registerRouteCacheShowCommands(showCommands);
registerDataplaneShowCommands(showCommands);
