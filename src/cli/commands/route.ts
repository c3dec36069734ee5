/**
 * `dataplane route FILE --config ROUTER.cfg [--table FIB-FILE] [--out DIR] [--json]
 * [--interface NAME] [--workers N]`: a capture through the router configured by ROUTER.cfg.
 * Prints `show interfaces`-style counters, `show interfaces stats` (packets by switching path:
 * process, route cache, CEF), the drops by reason, ARP and CEF summaries, and `show ip cache`
 * when an interface is fast switched (its header; every entry with --ip-cache), `show ip nat
 * translations`, `show ip nat statistics` and `show bridge` when configured; writes
 * what leaves each interface (forwarded frames, ARP requests and replies, ICMP errors, packets
 * released by ARP) as a pcap per interface in DIR.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CaptureFileError, DataplaneError } from "../../errors.js";
import { Dataplane } from "../../dataplane/dataplane.js";
import { writePcap, type CaptureRecord } from "../../packet/writer.js";
import { readTableFile } from "../../node/table-file.js";
import { installTableRoutes } from "../../node/dataplane-table.js";
import { ShardedDataplane } from "../../node/sharded-dataplane.js";
import { renderInterfaces, renderAccessLists, renderInterfaceStats } from "../../show/dataplane.js";
import { renderRouteCache, renderRouteCacheHeader } from "../../show/route-cache.js";
import { renderCefSummary } from "../../show/cef.js";
import { showCommands } from "../../show/commands.js";
import { type Command, DataError, UsageError, parseOptions, numberOption } from "../command.js";
import { captureBatches, captureProgress, captureSize, timestampWarning } from "../capture.js";
import type { CaptureReader } from "../../packet/reader.js";
import { formatRate } from "../format.js";

/** `--workers N`: the capture sharded by flow over N worker threads (ShardedDataplane). */
async function routeSharded(
  path: string,
  config: string,
  workers: number,
  tablePath: string | undefined,
  out: string | undefined,
  json: boolean,
): Promise<number> {
  if (out !== undefined) throw new UsageError("--out is not available with --workers (each shard's output stays in its worker)");
  let text: string;
  try {
    text = readFileSync(config, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${config}: ${(error as Error).message}`);
  }
  try {
    Dataplane.fromConfig(text).dispose();
  } catch (error) {
    if (error instanceof DataplaneError) {
      console.error(`dataplane route: ${config}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  let table: Awaited<ReturnType<typeof readTableFile>> | undefined;
  if (tablePath !== undefined) {
    try {
      table = await readTableFile(tablePath);
    } catch (error) {
      throw new UsageError(`cannot read ${tablePath}: ${(error as Error).message}`);
    }
  }
  const progress = captureProgress(path, captureSize(path));
  const started = performance.now();
  const sharded = new ShardedDataplane({ config: text, workers, ...(table ? { table, tableSource: tablePath! } : {}) });
  let failure: CaptureFileError | undefined;
  let reader: CaptureReader | undefined;
  try {
    for await (const batch of captureBatches(path, { capacity: 4096, frameBytes: 2 * 1024 * 1024 }, progress, (r) => (reader = r)))
      sharded.process(batch);
  } catch (error) {
    if (!(error instanceof CaptureFileError)) throw error;
    failure = error;
  } finally {
    progress?.finish();
  }
  const result = await sharded.finish();
  const seconds = (performance.now() - started) / 1000;
  const c = result.counters;
  if (json)
    console.log(
      JSON.stringify({
        packets: c.packetsIn,
        seconds,
        workers,
        perShard: result.perShard,
        counters: c,
        interfaces: result.interfaces,
        flows: result.flows.length,
      }),
    );
  else {
    console.log(renderInterfaces(result.interfaces, []));
    console.log(
      `Packets: ${c.packetsIn} in, ${c.forwarded} forwarded, ${c.queued} queued for ARP, ${c.punted} punted, ${c.dropped} dropped (shards: ${result.perShard.join(", ")})`,
    );
    console.log(
      `Drops and punts by reason: ${
        Object.entries(c.reasons)
          .map(([r, n]) => `${r} ${n}`)
          .join(", ") || "none"
      }`,
    );
    console.log(
      `${c.packetsIn} packets on ${workers} workers in ${seconds.toFixed(3)} s: ${formatRate(c.packetsIn / Math.max(seconds, 1e-9), " packets/s")}`,
    );
  }
  const problem = failure?.message ?? timestampWarning(reader);
  if (problem !== undefined) throw new DataError(path, problem);
  return 0;
}

/** Translations listed at most by `dataplane route` (a scan makes tens of thousands; --json lists them all). */
const MAX_TRANSLATIONS_SHOWN = 200;

/** `show ip nat translations`, `show ip nat statistics` and `show bridge` when the configuration has them (at the capture's end). */
function stageDisplays(dp: Dataplane, now: number): string[] {
  const context = { now, components: { ...(dp.nat ? { nat: dp.nat } : {}), ...(dp.bridge ? { bridge: dp.bridge } : {}) } };
  const prompt = `${dp.config?.hostname ?? "Router"}#`;
  const lines: string[] = [];
  const run = (command: string, limit = Number.POSITIVE_INFINITY) => {
    const shown = showCommands.run(command, context).lines;
    const more = shown.length - 1 - limit; // the header, then one line per entry
    lines.push("", `${prompt}${command}`, ...(more > 0 ? shown.slice(0, 1 + limit) : shown));
    if (more > 0) lines.push(`(${more} more translations not shown; --json lists them all)`);
  };
  if (dp.nat) {
    run("show ip nat translations", MAX_TRANSLATIONS_SHOWN);
    run("show ip nat statistics");
  }
  if (dp.bridge) run("show bridge");
  return lines;
}

export const routeCommand: Command = {
  name: "route",
  summary: "run a capture through a router configured with IOS commands; pcaps of what leaves each interface",
  usage: `usage: dataplane route FILE --config ROUTER.cfg [--table FIB-FILE] [--out DIR] [--json]
                      [--interface NAME] [--workers N] [--ip-cache]

Runs FILE (pcap or pcapng, optionally .gz) through the router that ROUTER.cfg configures
(interface, ip address, ip route, arp, access-list, ip access-group, ip verify unicast, ip flow,
flow-sampler, class-map, policy-map, ip nat, bridge, ...). Packets enter on the interface their
pcapng block names (classic pcap: --interface, default the first). Prints per interface packets
and bytes in and out, drops by reason, packets by switching path (show interfaces stats:
Processor, Route cache, CEF), the ARP and CEF summaries and the access lists' matches.
Interfaces with no ip route-cache cef (or no ip cef) are fast switched through the route cache,
whose show ip cache header is printed; no ip route-cache process-switches every packet. With
ip nat, show ip nat translations (the first ${MAX_TRANSLATIONS_SHOWN}) and show ip nat
statistics; with bridge-group, show bridge.

  --config ROUTER.cfg  the IOS configuration (required)
  --table FIB-FILE     a routing table to install (one "prefix [next-hop|null|drop|punt]" per
                       line; routes without a next hop are spread over the configured ones)
  --out DIR            write DIR/<interface>.pcap: forwarded frames, ARP requests and
                       replies, ICMP errors and released packets, in time order
  --json               print the counters as one JSON object instead
  --interface NAME     input interface of classic pcap packets
  --workers N          shard the capture across N worker threads (ShardedDataplane)
  --ip-cache           print show ip cache with every entry (the configuration must fast
                       switch an interface)`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      config: { type: "string" },
      table: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean" },
      interface: { type: "string" },
      workers: { type: "string" },
      "ip-cache": { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one FILE");
    if (values.config === undefined) throw new UsageError("--config ROUTER.cfg is required");
    const path = positionals[0]!;
    const workers = numberOption(values.workers, "workers", 1, { integer: true, min: 1 });
    if (workers > 1 && values["ip-cache"] === true)
      throw new UsageError("--ip-cache is not available with --workers (each shard has its own route cache)");
    if (workers > 1) return routeSharded(path, values.config, workers, values.table, values.out, values.json === true);
    let text: string;
    try {
      text = readFileSync(values.config, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read ${values.config}: ${(error as Error).message}`);
    }
    let dp: Dataplane;
    try {
      dp = Dataplane.fromConfig(text, { maxBatch: 4096 });
    } catch (error) {
      if (error instanceof DataplaneError) {
        console.error(`dataplane route: ${values.config}: ${error.message}`);
        return 1;
      }
      throw error;
    }
    if (values.table !== undefined) {
      try {
        const table = await readTableFile(values.table);
        installTableRoutes(dp, table, values.table);
      } catch (error) {
        if (error instanceof DataplaneError) {
          console.error(`dataplane route: ${values.table}: ${error.message}`);
          return 1;
        }
        throw new UsageError(`cannot read ${values.table}: ${(error as Error).message}`);
      }
    }
    if (values["ip-cache"] === true && dp.routeCache === undefined) {
      dp.dispose();
      throw new UsageError(
        `--ip-cache: ${values.config} fast-switches no interface (no ip route-cache cef, or no ip cef): there is no route cache`,
      );
    }
    const inputInterface = values.interface === undefined ? 0 : dp.interfaceNames.indexOf(values.interface);
    if (inputInterface < 0) throw new UsageError(`--interface ${values.interface}: no such interface in ${values.config}`);
    const size = captureSize(path);
    const progress = captureProgress(path, size);
    const out = values.out;
    const records: CaptureRecord[][] = dp.interfaceNames.map(() => []);
    const started = performance.now();
    let packets = 0;
    let lastTime = 0;
    let failure: CaptureFileError | undefined;
    let reader: CaptureReader | undefined;
    try {
      const batches = captureBatches(
        path,
        { ...dp.readerOptions(), interface: inputInterface, capacity: 4096, frameBytes: 2 * 1024 * 1024 },
        progress,
        (r) => (reader = r),
      );
      for await (const batch of batches) {
        const result = dp.process(batch);
        packets += result.count;
        const times = batch.columns.time;
        if (result.count > 0) lastTime = Math.max(lastTime, times[result.count - 1]!);
        if (out === undefined) continue;
        // Frames made during the batch go out after the packet that made them.
        let k = 0;
        const output = result.output;
        for (let i = 0; i < result.count; i++) {
          for (; k < output.length && output[k]!.after < i; k++)
            records[output[k]!.interface]!.push({ time: output[k]!.time, bytes: output[k]!.frame });
          if (result.verdicts[i] === 0)
            records[result.egress[i]!]!.push({ time: times[i]!, bytes: batch.frame(i).slice(), wireLength: batch.columns.wireLength[i]! });
        }
        for (; k < output.length; k++) records[output[k]!.interface]!.push({ time: output[k]!.time, bytes: output[k]!.frame });
      }
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      failure = error;
    } finally {
      progress?.finish();
    }
    // Let ARP finish what the capture started (retries, failures) before the end.
    for (const o of dp.tick(lastTime + 10_000)) records[o.interface]!.push({ time: o.time, bytes: o.frame });
    const seconds = (performance.now() - started) / 1000;
    if (out !== undefined) {
      mkdirSync(out, { recursive: true });
      dp.interfaceNames.forEach((name, i) => {
        const list = records[i]!.sort((a, b) => a.time - b.time);
        writeFileSync(join(out, `${name.replace(/[/:]/g, "_")}.pcap`), writePcap(list, { linkType: 1 }));
      });
    }
    const counters = dp.counters();
    if (values.json === true) {
      console.log(
        JSON.stringify({
          packets,
          seconds,
          counters,
          interfaces: dp.interfaceCounters(),
          arp: dp.arp.occupancy(),
          cef: dp.fib.summary(),
          accessLists: dp.accessListCounters(),
          ...(dp.flowCache ? { flows: dp.flowCache.counters() } : {}),
          ...(dp.nat ? { nat: { statistics: dp.nat.statistics(), translations: dp.nat.translations() } } : {}),
          ...(dp.bridge ? { bridge: { counters: dp.bridge.counters(), stations: dp.bridge.stations() } } : {}),
          ...(dp.routeCache
            ? {
                routeCache: {
                  statistics: dp.routeCache.statistics(),
                  timers: dp.routeCache.timers,
                  ...(values["ip-cache"] === true ? { entries: dp.routeCache.entries() } : {}),
                },
              }
            : {}),
        }),
      );
    } else {
      const lines = [renderInterfaces(dp.interfaceCounters(), dp.interfaceDescriptions()), renderInterfaceStats(dp.interfaceCounters())];
      lines.push(
        `Packets: ${counters.packetsIn} in, ${counters.forwarded} forwarded, ${counters.queued} queued for ARP, ${counters.punted} punted, ${counters.dropped} dropped`,
      );
      lines.push(
        `Drops and punts by reason: ${
          Object.entries(counters.reasons)
            .map(([r, n]) => `${r} ${n}`)
            .join(", ") || "none"
        }`,
      );
      lines.push(
        `Released by ARP: ${counters.released.sent} sent, ${counters.released.failed} failed, ${counters.released.overflow} queue overflow; ICMP errors: ${counters.icmp.timeExceeded} time exceeded, ${counters.icmp.unreachable} unreachable, ${counters.icmp.rateLimited} rate-limited`,
      );
      const arp = dp.arp.occupancy();
      lines.push(
        `ARP: ${arp.interfaces.reduce((n, f) => n + f.present, 0)} present, ${arp.interfaces.reduce((n, f) => n + f.incomplete, 0)} incomplete, ${arp.interfaces.reduce((n, f) => n + f.nexist, 0)} NEXIST; ${counters.arp.requests} requests and ${counters.arp.replies} replies sent`,
      );
      lines.push(
        `Switching: ${counters.switching.cef} CEF switched, ${counters.switching.fast} fast switched, ${counters.switching.process} process switched`,
      );
      // IOS answers `show ip cef` with "%CEF not running" under `no ip cef` (Cisco, "Troubleshooting
      // Cisco Express Forwarding", 12.0 verification steps); the FIB still forwards process-switched packets.
      lines.push("", dp.config?.cef === false ? "%CEF not running\n" : renderCefSummary(dp.fib.summary()));
      if (dp.routeCache) {
        // The displays' clock is the router's: the last packet, and the ARP drain after it.
        const rc = dp.routeCache;
        const stats = rc.statistics();
        lines.push(
          values["ip-cache"] === true
            ? renderRouteCache(rc)
            : `${renderRouteCacheHeader(stats, rc.timers, stats.nowMs, false).join("\n")}\n`,
        );
      }
      if (dp.accessLists.length > 0) lines.push(renderAccessLists(dp.accessListCounters()));
      lines.push(...stageDisplays(dp, lastTime));
      lines.push(`${packets} packets in ${seconds.toFixed(3)} s: ${formatRate(packets / Math.max(seconds, 1e-9), " packets/s")}`);
      console.log(lines.join("\n"));
    }
    dp.dispose();
    const problem = failure?.message ?? timestampWarning(reader);
    if (problem !== undefined) throw new DataError(path, problem);
    return 0;
  },
};
