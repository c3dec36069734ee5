/**
 * `dataplane flows FILE [--json] [--active-timeout S] [--inactive-timeout S] [--capacity N]
 * [--mask full|destination-source|destination] [--export udp://HOST:PORT ...] [--format
 * ipfix|v9|v5] [--export-file out.pcap] [--rate RECORDS_PER_S]`: runs a capture through the
 * flow cache and prints every flow, or exports them (NetFlow / IPFIX, see ./flows-export.ts).
 */

import { writeSync } from "node:fs";
import { CaptureFileError } from "../../errors.js";
import { FlowCache } from "../../flow/cache.js";
import { FLOW_MASKS, type FlowMask, decodeExpiredFlow } from "../../flow/record.js";
import { FLOW_RECORD_HEADER, renderFlowCacheStatistics, renderFlowRecord } from "../../show/flow-cache.js";
import { type Command, UsageError, parseOptions, numberOption } from "../command.js";
import { captureBatches, captureProgress, captureSize } from "../capture.js";
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

export const flowsCommand: Command = {
  name: "flows",
  summary: "run a pcap or pcapng file through the NetFlow flow cache and print every flow",
  usage: `usage: dataplane flows FILE [--json] [--active-timeout S] [--inactive-timeout S] [--capacity N]
                      [--mask full|destination-source|destination]

Reads FILE (pcap or pcapng, optionally .gz) into the NetFlow flow cache, in capture time:
flows end by inactive or active timeout, TCP FIN/RST, or emergency expiry when the cache is
full; the rest are flushed at the end. Prints every flow as it ends, in the layout of IOS
\`show ip cache verbose flow\` (records first, then the cache statistics and the protocol
table), or as JSON lines; then the packets per second achieved (on stderr with --json).

  --json                  one JSON object per flow: src, dst, proto, sport, dport, tos, in_if,
                          packets, bytes, first_ms, last_ms and the capture fields (tcp_flags,
                          min_len, max_len, min_ttl, max_ttl, ip_id, icmp_type, icmp_code,
                          frag_offset, src_mac, dst_mac, in_vlan, out_vlan, end_reason); the last
                          line is {"summary": {...}} with the counters
  --active-timeout S      active timeout in seconds (default 1800)
  --inactive-timeout S    inactive timeout in seconds (default 15)
  --capacity N            flows the cache holds (default 65536)
  --mask M                flow mask: full (default), destination-source or destination
  --export-queue N        ended flows buffered between drains (default 4096)
${EXPORT_USAGE}`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      json: { type: "boolean" },
      "active-timeout": { type: "string" },
      "inactive-timeout": { type: "string" },
      capacity: { type: "string" },
      mask: { type: "string" },
      "export-queue": { type: "string" },
      ...EXPORT_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError("expected exactly one FILE");
    const path = positionals[0]!;
    const mask = (values.mask ?? "full") as FlowMask;
    if (!FLOW_MASKS.includes(mask))
      throw new UsageError(`--mask must be one of ${FLOW_MASKS.join(", ")}, got ${JSON.stringify(values.mask)}`);
    const activeTimeout = numberOption(values["active-timeout"], "active-timeout", 1800, { min: 0.001 }) * 1000;
    const inactiveTimeout = numberOption(values["inactive-timeout"], "inactive-timeout", 15, { min: 0.001 }) * 1000;
    const capacity = numberOption(values.capacity, "capacity", 65536, { integer: true, min: 1 });
    const exportQueueCapacity = numberOption(values["export-queue"], "export-queue", 4096, { integer: true, min: 1 });
    const size = captureSize(path);
    const json = values.json === true;
    // The ager runs once per second of capture time, as IOS's does, and sweeps the whole table
    // in four polls (a quarter of the entries each).
    const cache = new FlowCache({
      capacity,
      activeTimeout,
      inactiveTimeout,
      mask,
      exportQueueCapacity,
      agerBatch: Math.ceil(capacity / 4),
    });
    const progress = captureProgress(path, size);
    const output = new Output();
    const writeRecord = (view: DataView, at: number) => {
      for (const line of renderFlowRecord(decodeExpiredFlow(view, at))) output.line(line);
    };
    const writeBytes = (bytes: Uint8Array) => output.bytes(bytes);
    const flowExport: FlowExport | undefined = startFlowExport(values, cache);
    const print = json ? (max?: number) => cache.drainJsonLines(writeBytes, max) : () => cache.drainVisit(writeRecord);
    // Exporting, the queue drains through the exporter (which waits for the pace and the
    // sockets: back-pressure into the queue), the same records then printed with --json.
    const drain = flowExport === undefined ? print : () => flowExport.drain(lastTime, json ? print : undefined);
    if (!json && flowExport === undefined) for (const line of FLOW_RECORD_HEADER) output.line(line);
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    let packets = 0;
    let flows = 0;
    let firstTime = Number.NaN;
    let lastTime = Number.NaN;
    let nextPoll = Number.NaN;
    let failure: CaptureFileError | undefined;
    try {
      // Batches of 4096 packets (2 MiB of frames): the per-batch work in JavaScript (ager
      // check, drain) is paid a quarter as often as with the reader's default 1024 (measured
      // ~10 % less CPU end to end on 5M packets).
      // The batches live in the cache's WebAssembly memory: no copy.
      const batches = captureBatches(path, { ...cache.readerOptions(), capacity: 4096, frameBytes: 2 * 1024 * 1024 }, progress);
      for await (const batch of batches) {
        const n = batch.length;
        packets += n;
        cache.update(batch);
        const times = batch.columns.time;
        if (Number.isNaN(firstTime)) firstTime = times[0]!;
        // Capture time drives the ager: a poll for each second of capture time that has passed.
        const last = times[n - 1]!;
        if (!(last <= lastTime)) lastTime = last;
        if (Number.isNaN(nextPoll)) nextPoll = lastTime + 1000;
        for (let polls = 0; lastTime >= nextPoll && polls < 4; polls++) {
          cache.age(lastTime);
          nextPoll += 1000;
        }
        if (lastTime >= nextPoll) nextPoll = lastTime + 1000;
        flows += await drain();
      }
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      failure = error;
    } finally {
      progress?.finish();
    }
    // Flush a queue-full at a time, so that the records die young.
    for (let left = Infinity; left > 0; ) {
      left = cache.flushStep(Number.isNaN(lastTime) ? 0 : lastTime);
      flows += await drain();
    }
    const exported = flowExport === undefined ? undefined : await flowExport.close();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const counters = cache.counters();
    const rate = packets / Math.max(seconds, 1e-9);
    const summary = `${packets} packets, ${flows} flows in ${seconds.toFixed(3)} s: ${formatRate(rate, " packets/s")} (${formatRate(packets / Math.max(cpuSeconds, 1e-9), " packets per CPU-second")})`;
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
      console.error(summary);
      if (exported !== undefined) console.error(exported.line);
    } else if (exported !== undefined) {
      console.error(summary);
      console.error(exported.line);
    } else {
      const span = Number.isNaN(firstTime) ? 0 : (lastTime - firstTime) / 1000;
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
    if (failure) {
      console.error(`dataplane flows: ${path}: ${failure.message}`);
      return 1;
    }
    return 0;
  },
};
