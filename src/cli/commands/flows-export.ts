/**
 * The export options of `dataplane flows`: `--export udp://HOST:PORT` (repeatable),
 * `--format ipfix|v9|v5`, `--export-file out.pcap`, `--rate RECORDS_PER_S`. The flows leave
 * through a {@link FlowExporter} to UDP collectors and/or a pcap file, paced, with the flow
 * cache's export queue as the buffer: the records leave as fast as the pace allows while the
 * cache goes on, and only when the queue is nearly full does reading wait, until the exporter has
 * emptied it (in a synchronous run, by sleeping the thread).
 *
 * Waiting rarely and long rather than often and briefly is what keeps a paced export cheap: the
 * cache's memory (megabytes of entries) goes cold while the thread sleeps, and every resume pays
 * for it again. Measured on the bench's 5M-packet capture, 1.75M flows exported: sleeping 1 ms
 * after each 4,096-packet batch, with nothing else changed, costs +0.5 to +0.8 CPU-s.
 */

import { EXPORT_FORMATS, type ExportFormat, type ExportSink, FlowExporter, type FlowExporterCounters } from "../../export/exporter.js";
import type { FlowCache } from "../../flow/cache.js";
import { parseCollector, UdpTransport } from "../../node/udp-transport.js";
import { PcapTransport } from "../../node/pcap-transport.js";
import { ConfigError } from "../../errors.js";
import { UsageError, numberOption } from "../command.js";

/** parseArgs options for the export flags. */
export const EXPORT_OPTIONS = {
  export: { type: "string", multiple: true },
  format: { type: "string" },
  "export-file": { type: "string" },
  rate: { type: "string" },
} as const;

export const EXPORT_USAGE = `  --export udp://HOST:PORT  send the flows to a NetFlow/IPFIX collector (repeat for several;
                          IPv6 as udp://[::1]:PORT); with --json the records are printed too
  --format F              ipfix (default), v9 or v5 (IPv4 flows only)
  --export-file FILE      also write the export datagrams to FILE as pcap (for tshark)
  --rate N                pace the export to collectors at N records per second (default
                          20000, which nfacctd takes without loss; nfcapd takes 200000)`;

/** A running export. */
export interface FlowExport {
  /**
   * Exports what the pace allows now and returns once the queue has `room` records free (0: at
   * once; the queue's capacity: empty), for a synchronous caller (the capture-time ager). When it
   * must wait, it waits until the queue is empty, sleeping the thread between sends
   * (`Atomics.wait`, since no timer or send callback can run inside a synchronous loop).
   * Returns the records.
   */
  drainNow(now: number, print?: (max: number) => number, room?: number): number;
  /** Resolves when the collectors' sockets are connected: await it before a synchronous run. */
  ready(): Promise<void>;
  /**
   * Call between batches after `drainNow`: waits while the sockets are full, and when the queue
   * has fewer than `room` records free (what the next batch may need), exports at the pace until
   * it is empty, asynchronously (printing the records sent with `print`, as `drainNow` does).
   * Returns at once otherwise. Resolves to the records exported.
   */
  pace(room?: number, print?: (max: number) => number): Promise<number>;
  /** Waits for the last sends and closes the transports; returns the counters and a summary line. */
  close(): Promise<{ counters: FlowExporterCounters; line: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cell nobody notifies: `Atomics.wait` on it sleeps the thread for its timeout. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => Atomics.wait(sleepCell, 0, 0, ms);

/**
 * How long a wait for the pace sleeps at least: half the pacer's burst (FlowExporter's default
 * 20 ms), so that each wake sends a burst of datagrams rather than one, never more than the
 * bucket holds.
 */
const PACE_SLEEP_MS = 10;

/** Starts the export the flags ask for, or returns undefined when there is none. */
export function startFlowExport(values: Record<string, unknown>, cache: FlowCache): FlowExport | undefined {
  const targets = (values.export as string[] | undefined) ?? [];
  const file = values["export-file"] as string | undefined;
  if (targets.length === 0 && file === undefined) {
    if (values.format !== undefined || values.rate !== undefined)
      throw new UsageError("--format and --rate need --export or --export-file");
    return undefined;
  }
  const format = (values.format ?? "ipfix") as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, got ${JSON.stringify(values.format)}`);
  }
  const rate = numberOption(values.rate as string | undefined, "rate", 20_000, { min: 1 });
  let collectors: ReturnType<typeof parseCollector>[];
  try {
    collectors = targets.map(parseCollector);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`--export: ${error.message}`);
    throw error;
  }
  const udp = collectors.length > 0 ? new UdpTransport({ collectors, sendBufferBytes: 4 * 1024 * 1024 }) : undefined;
  const pcap =
    file === undefined ? undefined : new PcapTransport(file, { port: collectors[0]?.port ?? (format === "ipfix" ? 4739 : 2055) });
  const sinks: ExportSink[] = [];
  if (udp) sinks.push(udp);
  if (pcap) sinks.push(pcap);
  // Pacing protects collectors' sockets; a file alone needs none.
  const pacing = udp === undefined ? false : { recordsPerSecond: rate };
  const exporter = new FlowExporter({ core: cache.core, format, sinks, pacing });
  let lastNow = 0;
  const queueCapacity = cache.options.exportQueueCapacity;
  const free = () => queueCapacity - cache.queuedFlows;
  return {
    drainNow(time, print, room = 0) {
      const now = Number.isNaN(time) ? lastNow : time;
      lastNow = now;
      let total = 0;
      for (let waiting = false; ; waiting = true) {
        // Full sockets cannot empty while this loop runs (libuv sends them from the event loop):
        // then the rest goes into their queues, in order, and leaves when the loop yields.
        const force = udp !== undefined && udp.room() === 0;
        const sent = exporter.exportFrom(cache, now, { keep: print !== undefined, force });
        if (print !== undefined && sent > 0) print(sent);
        total += sent;
        if (cache.queuedFlows === 0 || (!waiting && free() >= room)) return total;
        if (sent === 0) sleepSync(Math.max(PACE_SLEEP_MS, exporter.waitMs(cache.queuedFlows)));
      }
    },
    ready() {
      return udp?.ready() ?? Promise.resolve();
    },
    async pace(room = 0, print) {
      const waiting = free() < room;
      let total = 0;
      for (;;) {
        if (udp !== undefined && udp.room() === 0) await udp.whenRoom();
        else if (!waiting || cache.queuedFlows === 0) return total;
        else {
          const sent = exporter.exportFrom(cache, lastNow, { keep: print !== undefined });
          if (print !== undefined && sent > 0) print(sent);
          total += sent;
          if (sent === 0) await sleep(Math.max(PACE_SLEEP_MS, exporter.waitMs(cache.queuedFlows)));
        }
      }
    },
    async close() {
      await udp?.close();
      pcap?.close();
      const counters = exporter.counters();
      counters.sendErrors += udp?.errors ?? 0;
      const where = [...targets, ...(file === undefined ? [] : [file])].join(", ");
      const line = `exported ${counters.records} flows (${format}) in ${counters.datagrams} datagrams, ${counters.bytes} bytes, to ${where}; ${counters.templateDatagrams} with templates, ${counters.sendErrors} send errors, ${counters.stalls} stalls${counters.skippedIPv6 > 0 ? `, ${counters.skippedIPv6} IPv6 flows not in v5` : ""}`;
      exporter.dispose();
      return { counters, line };
    },
  };
}
