/**
 * `dataplane flows FILE [--json] [--active-timeout S] [--inactive-timeout S] [--capacity N]
 * [--mask full|destination-source|destination] [--export-queue N] [--batch-size N] [--export
 * udp://HOST:PORT ...] [--format ipfix|v9|v5] [--export-file out.pcap] [--rate RECORDS_PER_S]`:
 * runs a capture through the flow cache in capture time and prints every flow, or exports them
 * (NetFlow / IPFIX, see ./flows-export.ts).
 */

import { writeSync } from "node:fs";
import { CapacityError, CaptureFileError } from "../../errors.js";
import { FlowCache, MAX_FLOW_CAPACITY } from "../../flow/cache.js";
import { CaptureTimeAger } from "../../flow/capture-time.js";
import { MAX_BATCH_CAPACITY, MAX_FRAME_BYTES } from "../../packet/batch.js";
import type { CaptureReader } from "../../packet/reader.js";
import { FLOW_MASKS, type FlowMask } from "../../flow/record.js";
import { FLOW_RECORD_HEADER, FLOW_RECORD_TEXT_MAX_BYTES, renderFlowCacheStatistics, writeFlowRecordText } from "../../show/flow-cache.js";
import { type Command, DataError, UsageError, fileArgument, parseOptions, numberOption } from "../command.js";
import { captureBatches, captureProgress, captureSize, timestampWarning } from "../capture.js";
import { formatRate } from "../format.js";
import { EXPORT_OPTIONS, EXPORT_USAGE, type FlowExport, startFlowExport } from "./flows-export.js";

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Writes lines to stdout synchronously through one reused buffer (stdout may be a file or a pipe). */
class Output {
  readonly #buffer = Buffer.allocUnsafe(1 << 20);
  #used = 0;
  closed = false;
  line(text: string): void {
    // Lines are ASCII (addresses, numbers, names) except perhaps a file name: bound by UTF-8,
    // and written as Latin-1 (the fast path) when they are ASCII.
    if (this.#used + text.length * 3 + 1 > this.#buffer.length) {
      this.flush();
      if (text.length * 3 + 1 > this.#buffer.length) {
        this.#write(Buffer.from(`${text}\n`));
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used, ASCII.test(text) ? "latin1" : "utf8");
    this.#buffer[this.#used++] = 10;
  }
  /** One flow in the verbose layout and a newline, written straight into the buffer. */
  flowRecord(view: DataView, at: number): void {
    if (this.#used + FLOW_RECORD_TEXT_MAX_BYTES + 1 > this.#buffer.length) this.flush();
    this.#used = writeFlowRecordText(view, at, this.#buffer, this.#used);
    this.#buffer[this.#used++] = 10;
  }
  /** Bytes that are already whole lines (newlines included). */
  bytes(bytes: Uint8Array): void {
    if (this.#used + bytes.length > this.#buffer.length) {
      this.flush();
      if (bytes.length > this.#buffer.length) {
        this.#write(Buffer.from(bytes));
        return;
      }
    }
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }
  flush(): void {
    const pending = this.#buffer.subarray(0, this.#used);
    this.#used = 0;
    this.#write(pending);
  }
  #write(bytes: Buffer): void {
    if (this.closed) return;
    try {
      let rest = bytes;
      while (rest.length > 0) {
        try {
          rest = rest.subarray(writeSync(1, rest));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EPIPE") this.closed = true;
      else throw error;
    }
  }
}

/** Most seconds a timeout may be (100 years, the flow cache's limit). */
const MAX_TIMEOUT_SECONDS = 100 * 365.25 * 86400;

export const flowsCommand: Command = {
  name: "flows",
  summary: "run a pcap or pcapng file through the NetFlow flow cache and print every flow",
  usage: `usage: dataplane flows FILE [--json] [--active-timeout S] [--inactive-timeout S] [--capacity N]
                      [--mask full|destination-source|destination] [--export-queue N] [--batch-size N]

Reads FILE (pcap or pcapng, gzip-compressed or not) into the NetFlow flow cache, in capture
time: the ager runs once for every second of capture time, before the first packet of that
second, so flows end by inactive or active timeout, TCP FIN/RST, or emergency expiry when the
cache is full exactly as they would on a router, whatever the batch size; the rest are flushed
at the end. Prints every flow as it ends, in the layout of IOS \`show ip cache verbose flow\`
(records first, then the cache statistics and the protocol table), or as JSON lines; then the
packets per second achieved (on stderr with --json). A corrupt file is reported after the flows
before the damage (exit code 1).

  --json                  one JSON object per flow: src, dst, proto, sport, dport, tos, in_if,
                          packets, bytes, first_ms, last_ms and the capture fields (tcp_flags,
                          min_len, max_len, min_ttl, max_ttl, ip_id, icmp_type, icmp_code,
                          frag_offset, src_mac, dst_mac, in_vlan, out_vlan, end_reason); the last
                          line is {"summary": {...}} with the counters
  --active-timeout S      active timeout in seconds (default 1800, at most 100 years)
  --inactive-timeout S    inactive timeout in seconds (default 15, at most 100 years)
  --capacity N            flows the cache holds (default 65536, at most ${MAX_FLOW_CAPACITY.toLocaleString("en-US")})
  --mask M                flow mask: full (default), destination-source or destination
  --export-queue N        ended flows buffered between drains (default 65536, at most 1,048,576;
                          a paced export lets it fill, then waits until it has emptied)
  --batch-size N          packets read per batch (default 4096, at most 1,048,576); the flows
                          do not depend on it
${EXPORT_USAGE}`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      json: { type: "boolean" },
      "active-timeout": { type: "string" },
      "inactive-timeout": { type: "string" },
      capacity: { type: "string" },
      mask: { type: "string" },
      "export-queue": { type: "string" },
      "batch-size": { type: "string" },
      ...EXPORT_OPTIONS,
    });
    const path = fileArgument(positionals);
    const mask = (values.mask ?? "full") as FlowMask;
    if (!FLOW_MASKS.includes(mask))
      throw new UsageError(`--mask must be one of ${FLOW_MASKS.join(", ")}, got ${JSON.stringify(values.mask)}`);
    const timeout = { min: 0.001, max: MAX_TIMEOUT_SECONDS };
    const activeTimeout = numberOption(values["active-timeout"], "active-timeout", 1800, timeout) * 1000;
    const inactiveTimeout = numberOption(values["inactive-timeout"], "inactive-timeout", 15, timeout) * 1000;
    const capacity = numberOption(values.capacity, "capacity", 65536, { integer: true, min: 1, max: MAX_FLOW_CAPACITY });
    const exportQueueCapacity = numberOption(values["export-queue"], "export-queue", 65_536, { integer: true, min: 1, max: 1 << 20 });
    // Batches of 4096 packets (2 MiB of frames) by default: the per-batch work in JavaScript
    // (drain) is paid a quarter as often as with the reader's default 1024 (measured ~10 % less
    // CPU end to end on 5M packets).
    const batchSize = numberOption(values["batch-size"], "batch-size", 4096, { integer: true, min: 1, max: MAX_BATCH_CAPACITY });
    const frameBytes = Math.min(MAX_FRAME_BYTES, Math.max(2 * 1024 * 1024, batchSize * 512));
    const size = captureSize(path);
    const json = values.json === true;
    // The ager sweeps the whole table in four polls (a quarter of the entries each), one a second.
    let cache: FlowCache;
    try {
      cache = new FlowCache({
        capacity,
        activeTimeout,
        inactiveTimeout,
        mask,
        exportQueueCapacity,
        agerBatch: Math.ceil(capacity / 4),
      });
    } catch (error) {
      if (error instanceof CapacityError) {
        throw new UsageError(`--capacity ${capacity} with --export-queue ${exportQueueCapacity} does not fit in memory: ${error.message}`);
      }
      throw error;
    }
    const progress = captureProgress(path, size);
    const output = new Output();
    // Each record written as bytes, not built as strings: 11.0 → 4.0 CPU-s for the 1.75 M flows
    // of the 5M-packet export bench capture, the same output (BENCHMARKS.md).
    const writeRecord = (view: DataView, at: number) => output.flowRecord(view, at);
    const writeBytes = (bytes: Uint8Array) => output.bytes(bytes);
    let flows = 0;
    const flowExport: FlowExport | undefined = startFlowExport(values, cache);
    await flowExport?.ready();
    const printJson = (max?: number) => cache.drainJsonLines(writeBytes, max);
    // Exporting, the queue drains through the exporter (the same records then printed with
    // --json), as fast as the pace allows; when the ager needs room the pace has not made yet,
    // the drain sleeps the thread until the queue has emptied.
    const drain: (room?: number) => number =
      flowExport !== undefined
        ? (room = 0) => (flows += flowExport.drainNow(ager.lastTime, json ? printJson : undefined, room))
        : json
          ? () => (flows += printJson())
          : () => (flows += cache.drainVisit(writeRecord));
    if (!json && flowExport === undefined) for (const line of FLOW_RECORD_HEADER) output.line(line);
    // Room for the next batch (two records a packet at most); an ager poll that needs more waits in the drain.
    const nextRoom = Math.min(exportQueueCapacity, 2 * batchSize);
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    // Capture time drives the ager: a poll for each second of it (see CaptureTimeAger).
    const ager: CaptureTimeAger = new CaptureTimeAger(cache, drain);
    let failure: CaptureFileError | undefined;
    let reader: CaptureReader | undefined;
    try {
      // The batches live in the cache's WebAssembly memory: no copy.
      const batches = captureBatches(path, { core: cache.core, capacity: batchSize, frameBytes }, progress, (r) => (reader = r));
      for (const batch of batches) {
        ager.update(batch);
        drain();
        if (flowExport !== undefined) flows += await flowExport.pace(nextRoom, json ? printJson : undefined);
      }
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      failure = error;
    } finally {
      progress?.finish();
    }
    // Flush a queue-full at a time, so that the records die young.
    ager.finish();
    const exported = flowExport === undefined ? undefined : await flowExport.close();
    const packets = ager.packets;
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counters = cache.counters();
    const rate = packets / Math.max(seconds, 1e-9);
    const summary = `${packets} packets, ${flows} flows in ${seconds.toFixed(3)} s: ${formatRate(rate, " packets/s")} (${formatRate(packets / Math.max(cpuSeconds, 1e-9), " packets per CPU-second")})`;
    const problem = failure?.message ?? timestampWarning(reader);
    if (json) {
      output.line(
        JSON.stringify({
          summary: {
            packets,
            flows,
            seconds,
            packets_per_second: rate,
            cpu_seconds: cpuSeconds,
            memory_bytes_per_flow: cache.bytesPerFlow,
            counters,
            ...(exported === undefined ? {} : { export: exported.counters }),
          },
        }),
      );
      output.flush();
      // stderr carries the rate, or the problem with the input (and a line of export counters).
      if (problem === undefined) console.error(summary);
      if (exported !== undefined) console.error(exported.line);
    } else if (exported !== undefined) {
      if (problem === undefined) console.error(summary);
      console.error(exported.line);
    } else {
      const span = Number.isNaN(ager.firstTime) ? 0 : (ager.lastTime - ager.firstTime) / 1000;
      for (const line of renderFlowCacheStatistics({
        statistics: cache.statistics(),
        counters,
        capacity,
        tableBytes: cache.tableBytes,
        activeTimeout,
        inactiveTimeout,
        seconds: span,
      }))
        output.line(line);
      output.line(summary);
      output.flush();
    }
    if (problem !== undefined) throw new DataError(path, problem);
    return 0;
  },
};
