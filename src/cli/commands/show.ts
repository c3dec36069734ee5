/**
 * `dataplane show FILE "COMMAND" ["COMMAND" ...] [--config R.cfg] [--json]`: runs a capture
 * through the NetFlow flow cache (and IP accounting when the configuration enables it), then
 * runs each IOS show command against the result, in capture time (the last packet's time).
 * `show ip cache` and `show interfaces stats` read the router that --config configures: the
 * capture also runs through a Dataplane made from it (its route cache, its switching counters).
 */

import { readFileSync } from "node:fs";
import { CaptureFileError, ConfigError, DataplaneError } from "../../errors.js";
import { FlowCache } from "../../flow/cache.js";
import { FLOW_MASKS, type FlowMask } from "../../flow/record.js";
import { FlowTopTalkers, ConfiguredTopTalkers } from "../../analysis/top-talkers.js";
import { IpAccounting } from "../../analysis/ip-accounting.js";
import { type AnalysisConfig, parseAnalysisConfig } from "../../analysis/config.js";
import { parseTopQuery } from "../../analysis/top-query.js";
import { type ShowContext, showCommands } from "../../show/commands.js";
import { type Command, DataError, UsageError, parseOptions, numberOption } from "../command.js";
import { captureBatches, captureProgress, captureSize, timestampWarning } from "../capture.js";
import { CaptureTimeAger } from "../../flow/capture-time.js";
import type { CaptureReader } from "../../packet/reader.js";
import { Dataplane } from "../../dataplane/dataplane.js";

/** Commands that read the router (a Dataplane made from --config), not only the flow cache. */
const ROUTER_COMMANDS = ["show ip cache", "show interfaces stats"];

const interfaceName = (index: number) => `If${index}`;
const interfaceIndex = (name: string) => (/^If\d+$/.test(name) ? Number(name.slice(2)) : undefined);

function commandList(): string {
  return showCommands
    .commands()
    .map((c) => `  ${c.syntax}`)
    .join("\n");
}

export const showCommand: Command = {
  name: "show",
  summary: 'run a capture through the flow cache, then IOS show commands ("show ip flow top 10 aggregate source-address")',
  get usage() {
    return `usage: dataplane show FILE "COMMAND" ["COMMAND" ...] [--config R.cfg] [--json]
                     [--capacity N] [--mask full|destination-source|destination]
                     [--active-timeout S] [--inactive-timeout S]

Reads FILE (pcap or pcapng, optionally .gz) into the NetFlow flow cache in capture time (the
ager runs once per second of capture time), then runs each COMMAND on the flows still in the
cache at the last packet, as IOS would at that moment. Each COMMAND may end in an output filter:
| include REGEX, | exclude REGEX or | begin REGEX.

Commands:
${commandList()}

  --config R.cfg          an IOS configuration. Until the pipeline's IOS parser lands, the lines
                          read are: ip flow-top-talkers (top, sort-by, match, cache-timeout),
                          ip flow-capture FEATURE, mls flow ip MASK, ip accounting-threshold N
                          and ip accounting [output-packets] under an interface (then every IP
                          packet of the capture is accounted, as on the lone egress interface of
                          000:L87); other lines are listed on stderr as not handled. For
                          show ip cache and show interfaces stats, the capture also runs through
                          the router R.cfg configures (interfaces with no ip route-cache cef are
                          fast switched through the route cache)
  --json                  one JSON object per command: {"command": ..., "output": ...}
  --capacity N            flows the cache holds (default 65536)
  --mask M                flow mask (default full; mls flow ip in the configuration sets it too)
  --active-timeout S      active timeout in seconds (default 1800)
  --inactive-timeout S    inactive timeout in seconds (default 15)

Interfaces are named If0, If1, ... (the capture's interface numbers).`;
  },
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      json: { type: "boolean" },
      config: { type: "string" },
      capacity: { type: "string" },
      mask: { type: "string" },
      "active-timeout": { type: "string" },
      "inactive-timeout": { type: "string" },
    });
    if (positionals.length < 2) throw new UsageError('expected FILE and at least one "COMMAND"');
    const [path, ...lines] = positionals as [string, ...string[]];
    // Every command is checked before the capture is read: a typo costs nothing.
    let needsRouter = false;
    for (const line of lines) {
      const resolved = showCommands.resolve(line);
      if (ROUTER_COMMANDS.includes(resolved.definition.words.join(" "))) needsRouter = true;
      if (resolved.definition.words.join(" ") === "show ip flow top") parseTopQuery(resolved.args, interfaceIndex);
    }
    let config: AnalysisConfig = { accountingInterfaces: [], unhandled: [] };
    let router: Dataplane | undefined;
    if (values.config !== undefined) {
      let text: string;
      try {
        text = readFileSync(values.config, "utf8");
      } catch (error) {
        throw new UsageError(`cannot read ${values.config}: ${(error as Error).message}`);
      }
      try {
        config = parseAnalysisConfig(text, interfaceIndex);
      } catch (error) {
        if (!(error instanceof DataplaneError)) throw error;
        console.error(`dataplane show: ${values.config}: ${error.message}`);
        return 1;
      }
      if (needsRouter) {
        // The router's own parser reads every line (the flow cache's lines too).
        try {
          router = Dataplane.fromConfig(text, { maxBatch: 4096 });
        } catch (error) {
          if (!(error instanceof DataplaneError)) throw error;
          console.error(`dataplane show: ${values.config}: ${error.message}`);
          return 1;
        }
      } else if (config.unhandled.length > 0) {
        console.error(
          `dataplane show: ${values.config}: ${config.unhandled.length} line(s) not handled until the IOS configuration parser lands (first: line ${config.unhandled[0]!.line} ${JSON.stringify(config.unhandled[0]!.text.trim())})`,
        );
      }
    }
    const mask = (values.mask ?? config.mask ?? "full") as FlowMask;
    if (!FLOW_MASKS.includes(mask))
      throw new UsageError(`--mask must be one of ${FLOW_MASKS.join(", ")}, got ${JSON.stringify(values.mask)}`);
    const capacity = numberOption(values.capacity, "capacity", 65536, { integer: true, min: 1 });
    const activeTimeout = numberOption(values["active-timeout"], "active-timeout", 1800, { min: 0.001 }) * 1000;
    const inactiveTimeout = numberOption(values["inactive-timeout"], "inactive-timeout", 15, { min: 0.001 }) * 1000;
    const size = captureSize(path);
    // On the router's core when there is one: the batches go through both.
    const cache = new FlowCache({
      capacity,
      activeTimeout,
      inactiveTimeout,
      mask,
      agerBatch: Math.ceil(capacity / 4),
      ...(router ? { core: router.core } : {}),
    });
    // The accounting table starts with the capture (its data age counts from the first packet).
    const accountingOptions = {
      core: cache.core,
      ...(config.accountingThreshold !== undefined ? { threshold: config.accountingThreshold } : {}),
    };
    let accounting: IpAccounting | undefined;
    const progress = captureProgress(path, size);
    // Capture time drives the ager (a poll per second of it, whatever the batch size); ended
    // flows leave the cache, the show commands look at the live ones.
    const ager = new CaptureTimeAger(cache, () => cache.drainVisit(() => {}));
    let failure: CaptureFileError | undefined;
    let reader: CaptureReader | undefined;
    try {
      const batches = captureBatches(
        path,
        { core: cache.core, capacity: 4096, frameBytes: 2 * 1024 * 1024 },
        progress,
        (r) => (reader = r),
      );
      for (const batch of batches) {
        if (accounting === undefined && config.accountingInterfaces.length > 0 && batch.length > 0) {
          accounting = new IpAccounting(accountingOptions, batch.columns.time[0]!);
        }
        accounting?.update(batch);
        ager.update(batch);
        // After the flow cache: the router rewrites the frames it forwards.
        router?.process(batch, { parse: false });
      }
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      failure = error;
    } finally {
      progress?.finish();
    }
    const firstTime = ager.firstTime;
    const lastTime = ager.lastTime;
    const now = Number.isNaN(lastTime) ? 0 : lastTime;
    // The router's timers (ARP, the route cache's ager and invalidation) up to the last packet.
    if (router && !Number.isNaN(lastTime)) router.tick(now);
    const topTalkers = new FlowTopTalkers({ cache, interfaceIndex, ...(config.captures ? { captures: config.captures } : {}) });
    const context: ShowContext = {
      now,
      flowCache: cache,
      flowSeconds: Number.isNaN(firstTime) ? 0 : (lastTime - firstTime) / 1000,
      topTalkers,
      names: { interfaceName },
      ...(accounting || config.accountingInterfaces.length > 0
        ? { accounting: accounting ?? new IpAccounting(accountingOptions, now) }
        : {}),
      ...(config.topTalkers ? { configuredTopTalkers: new ConfiguredTopTalkers(topTalkers, config.topTalkers) } : {}),
      ...(router
        ? {
            components: {
              ...(router.routeCache ? { routeCache: router.routeCache } : {}),
              interfaceCounters: router.interfaceCounters(),
            },
          }
        : {}),
    };
    const out: string[] = [];
    let status = 0;
    for (const line of lines) {
      try {
        const result = showCommands.run(line, context);
        if (values.json) out.push(JSON.stringify({ command: line, output: result.json }));
        else out.push(`Router#${line}`, ...result.lines, "");
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (values.json) out.push(JSON.stringify({ command: line, error: error.message }));
        else out.push(`Router#${line}`, error.message, "");
        status = 2;
      }
    }
    process.stdout.write(`${out.join("\n")}\n`);
    const problem = failure?.message ?? timestampWarning(reader);
    if (problem !== undefined) throw new DataError(path, problem);
    return status;
  },
};
