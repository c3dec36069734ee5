/**
 * {@link FlowExporter}: NetFlow v5, v9 (RFC 3954) and IPFIX (RFC 7011/7012) export of the flow
 * cache's ended flows. The records are encoded in WebAssembly straight from the cache's export
 * queue into whole datagrams (assembly/export/), handed to one or more {@link ExportSink}s
 * (an in-memory one here; UDP and pcap files in `dataplane/node`), paced, and taken off the
 * queue only once sent: when the pace or a sink holds them back they stay queued (the cache
 * then keeps expiring flows in place and refuses new ones, counted), never dropped.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { checkOptionNames } from "../common/validation.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import type { WasmExports } from "../wasm/exports.js";
import type { FlowCache } from "../flow/cache.js";
import { EXPORT_RECORD_BYTES } from "../flow/record.js";
import type { SamplingExportInfo } from "../sampling/export-info.js";
import { buildSamplerOptions } from "./options.js";

/** Export formats: IPFIX (version 10), NetFlow v9, NetFlow v5 (IPv4 only). */
export type ExportFormat = "ipfix" | "v9" | "v5";
/** The formats, as the CLI spells them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ["ipfix", "v9", "v5"];

/** Where datagrams go. */
export interface ExportSink {
  /**
   * Takes one datagram: a view that is valid only during the call (copy it to keep it).
   * Returns false when sending failed (counted as a send error; the records count as sent).
   */
  send(datagram: Uint8Array, now: number): boolean | undefined;
  /** Datagrams the sink can take now without queueing past its limit (default: no limit). */
  room?(): number;
}

/** An {@link ExportSink} that keeps a copy of every datagram. */
export class MemorySink implements ExportSink {
  /** The datagrams received, oldest first. */
  readonly datagrams: Uint8Array[] = [];
  /** Export time given with each datagram. */
  readonly times: number[] = [];
  send(datagram: Uint8Array, now: number): boolean {
    this.datagrams.push(datagram.slice());
    this.times.push(now);
    return true;
  }
}

/** Pacing: at most this many records or datagrams per second of the exporter's clock. */
export interface ExportPacing {
  recordsPerSecond?: number;
  datagramsPerSecond?: number;
  /** Burst allowed after an idle spell, in ms of the rate (default 20). */
  burstMs?: number;
}

/** Template (re)sending: templates open the first datagram, then every `datagrams` datagrams and every `intervalMs`. */
export interface TemplateRefresh {
  /** Default 30,000 ms (of export time, the `now` given). */
  intervalMs?: number;
  /** Default 20 datagrams. */
  datagrams?: number;
}

/** Options of a {@link FlowExporter}. */
export interface FlowExporterOptions {
  /** Default "ipfix". */
  format?: ExportFormat;
  /** Where the datagrams go (default: one {@link MemorySink}, see {@link FlowExporter.sinks}). */
  sinks?: ExportSink[];
  /** IPFIX observation domain id / NetFlow v9 source id (default 0). One exporter is one domain. */
  observationDomainId?: number;
  /**
   * IP MTU of the path (default 1500). v9 and IPFIX datagrams are at most MTU − 48 bytes (IPv6
   * and UDP headers), so they fit IPv4 and IPv6 paths; v5 datagrams at most 30 records and
   * MTU − 28 bytes (v5 is IPv4).
   */
  mtu?: number;
  /**
   * v9 and IPFIX: also send a compact twin of each template, without the ICMP, VLAN and fragment
   * offset fields, with 4-byte octets and a 2-byte input interface and IPv4 IP id, and use it for
   * the flows it can carry exactly (not ICMP, untagged, unfragmented, under 2^32 octets, interface
   * below 2^16, 16-bit IPv4 IP id): 26 IPv4 flows to a 1,500-byte datagram in v9 instead of 19,
   * a quarter fewer datagrams to send and to receive. Default true; used only when the MTU leaves
   * room for the larger template set (MTU ≥ 1,100 or so).
   */
  compactTemplates?: boolean;
  templateRefresh?: TemplateRefresh;
  /**
   * The sysUpTime origin of v5 and v9 (ms since the epoch). Default: one day before the first
   * export time, so that flows begun before the exporter started still have positive uptimes.
   */
  systemInitTime?: number;
  /** Samplers reported in sampler options records (v9, IPFIX) and the v5 header (the first). */
  samplers?: readonly SamplingExportInfo[];
  /** Sampler id (1 … 255) recorded with every flow (IE 48), unless `interfaceSamplerIds` says otherwise. */
  flowSamplerId?: number;
  /** Sampler id per input interface (0 … 65535): the flows of that interface carry it (IE 48). */
  interfaceSamplerIds?: ReadonlyMap<number, number> | Readonly<Record<number, number>>;
  /**
   * Whether IPFIX sampler options data records advance the sequence number (default true: RFC
   * 7011 §3.1 counts every data record). nfdump 1.7.1 counts flow records only and reports a
   * sequence error per options refresh; set false for it.
   */
  optionsRecordsInSequence?: boolean;
  /** NetFlow v5 engine type and id (default 0, 0). */
  engineType?: number;
  engineId?: number;
  /** Default `{ recordsPerSecond: 20_000 }` (what nfacctd takes without loss); `false` turns pacing off. */
  pacing?: ExportPacing | false;
  /** Monotonic clock in ms for pacing only (default `performance.now`); export times come in as `now`. */
  clock?: () => number;
  /** The core to live on (default: a new one of its own; to export from a cache, the cache's core). */
  core?: Core;
}

/** Options of {@link FlowExporter.exportFrom}. */
export interface ExportFromOptions {
  /**
   * Leave the sent records in the queue, for another consumer that then drains exactly the
   * count returned (e.g. `cache.drainJsonLines(write, sent)`).
   */
  keep?: boolean;
  /**
   * Send everything now, past the pace and the sinks' room (counted as usual), for a caller
   * that cannot wait (a synchronous loop whose queue must make room): the records then wait
   * in the sinks (e.g. the socket's send queue) instead of the flow cache's queue.
   */
  force?: boolean;
}

/** The exporter's counters. */
export interface FlowExporterCounters {
  /** Flow records sent. */
  records: number;
  datagrams: number;
  /** Bytes of datagrams sent (UDP payload). */
  bytes: number;
  /** Template records sent (data and options templates; each refresh sends them all). */
  templatesSent: number;
  /** Datagrams that carried templates. */
  templateDatagrams: number;
  /** Sampler options data records sent. */
  optionsRecords: number;
  /** Flow records that carried a sampler id. */
  sampledRecords: number;
  /** IPv6 flows a v5 exporter could not send (taken off the queue and counted here). */
  skippedIPv6: number;
  /** Datagrams a sink failed to send. */
  sendErrors: number;
  /** Export calls that left records queued because of the pace or a sink's room. */
  stalls: number;
}

const FORMAT_NUMBER: Record<ExportFormat, number> = { v5: 5, v9: 9, ipfix: 10 };
const SLOTS = 64;
const OPTIONS_CAPACITY = 16 * 1024;
// Measured on loopback (2-core machine): nfacctd 1.7.7 at its defaults loses 5 % of the records at
// 50,000 records/s and none at 20,000; nfcapd 1.7.1 loses none at 200,000.
const DEFAULT_RATE = 20_000;
const DAY_MS = 86_400_000;
const V5_MODE_DETERMINISTIC = 1;
const V5_MODE_RANDOM = 2;
const V5_MAX_INTERVAL = 0x3fff;

const OPTION_NAMES = [
  "format",
  "sinks",
  "observationDomainId",
  "mtu",
  "compactTemplates",
  "templateRefresh",
  "systemInitTime",
  "samplers",
  "flowSamplerId",
  "interfaceSamplerIds",
  "optionsRecordsInSequence",
  "engineType",
  "engineId",
  "pacing",
  "clock",
  "core",
];

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`export-${name}`, `invalid ${name} ${describe(value)}: expected an integer from ${min} to ${max}`, value);
  }
  return value;
}

function positive(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`export-${name}`, `invalid ${name} ${describe(value)}: expected a positive number`, value);
  }
  return value;
}

function checkExportTime(now: number): void {
  if (typeof now !== "number" || !Number.isFinite(now)) {
    throw new ConfigError("export-time", `invalid export time ${describe(now)}: expected ms since the epoch`, now);
  }
}

/** A token bucket over the exporter's clock. */
class Pacer {
  readonly perMs: number;
  readonly capacity: number;
  #tokens: number;
  #last: number;
  constructor(
    rate: number,
    burstMs: number,
    minimum: number,
    readonly clock: () => number,
  ) {
    this.perMs = rate / 1000;
    this.capacity = Math.max(minimum, this.perMs * burstMs);
    this.#tokens = this.capacity;
    this.#last = clock();
  }
  available(): number {
    const t = this.clock();
    if (t > this.#last) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (t - this.#last) * this.perMs);
      this.#last = t;
    }
    return Math.floor(this.#tokens);
  }
  take(n: number): void {
    this.#tokens -= n;
  }
  /** Ms until `n` tokens (at most the bucket's depth) are available. */
  waitMs(n = 1): number {
    this.available();
    const missing = Math.min(n, Math.floor(this.capacity)) - this.#tokens;
    return missing <= 0 ? 0 : missing / this.perMs;
  }
}

/**
 * NetFlow v5 / v9 / IPFIX exporter.
 *
 * @example
 * ```ts
 * const cache = new FlowCache({ capacity: 10_000 });
 * const sink = new MemorySink();
 * const exporter = new FlowExporter({ core: cache.core, format: "ipfix", sinks: [sink], pacing: false });
 * // ... cache.update(batch) ...
 * cache.flushStep(now);
 * exporter.exportFrom(cache, now); // datagrams in sink.datagrams
 * ```
 */
export class FlowExporter {
  readonly format: ExportFormat;
  readonly core: Core;
  /** The sinks every datagram goes to. */
  readonly sinks: readonly ExportSink[];
  /** Largest datagram (UDP payload bytes). */
  readonly maxDatagramBytes: number;
  /** Whether the compact templates are sent and used (see {@link FlowExporterOptions.compactTemplates}). */
  readonly compactTemplates: boolean;
  readonly observationDomainId: number;
  readonly #wasm: WasmExports;
  readonly #attachment: CoreAttachment;
  readonly #handle: number;
  readonly #pacer: Pacer | undefined;
  readonly #pacedRecords: boolean;
  /** Data records of the largest kind that fill one datagram (what a records pace waits for). */
  readonly #datagramRecords: number;
  #systemInit: number | undefined;
  #sendErrors = 0;
  #stalls = 0;
  #staging = 0;
  #stagingRecords = 0;
  #disposed = false;

  constructor(options: FlowExporterOptions = {}) {
    checkOptionNames(options, OPTION_NAMES, "FlowExporter");
    const format = options.format ?? "ipfix";
    if (!EXPORT_FORMATS.includes(format)) {
      throw new ConfigError("export-format", `invalid export format ${describe(format)}: expected ${EXPORT_FORMATS.join(", ")}`, format);
    }
    this.format = format;
    const formatNumber = FORMAT_NUMBER[format];
    const domain = integer(options.observationDomainId ?? 0, "observationDomainId", 0, 0xffffffff);
    this.observationDomainId = domain;
    const mtu = integer(options.mtu ?? 1500, "mtu", 576, 65535);
    const core = coreFrom(options);
    this.core = core;
    const wasm = core.wasm;
    this.#wasm = wasm;
    const header = wasm.exportHeaderBytes(formatNumber);
    const maxBytes = format === "v5" ? Math.min(mtu - 28, header + 30 * 48) : Math.min(mtu - 48, 65535 - 48);
    const samplers = options.samplers ?? [];
    if (!Array.isArray(samplers))
      throw new ConfigError("export-samplers", `invalid samplers ${describe(samplers)}: expected an array`, samplers);
    const optionsSets = format === "v5" ? undefined : buildSamplerOptions(samplers, format === "ipfix", domain);
    const templateBytes = format === "v5" ? 0 : (wasm.EXPORT_TEMPLATE_SET_BYTES.value as number) + optionsSets!.bytes.length;
    const least = header + templateBytes + wasm.exportLargestRecordBytes(formatNumber);
    if (least > maxBytes || (optionsSets?.bytes.length ?? 0) > OPTIONS_CAPACITY) {
      throw new ConfigError(
        "export-mtu",
        `invalid mtu ${mtu}: a ${format} datagram of at most ${maxBytes} bytes cannot hold the header, the templates and the sampler options (${least} bytes)`,
        mtu,
      );
    }
    this.maxDatagramBytes = maxBytes;
    if (options.compactTemplates !== undefined && typeof options.compactTemplates !== "boolean") {
      throw new ConfigError(
        "export-compactTemplates",
        `invalid compactTemplates ${describe(options.compactTemplates)}: expected a boolean`,
        options.compactTemplates,
      );
    }
    // The compact twins when asked for (the default) and the datagram has room for every template.
    const compact =
      format !== "v5" &&
      options.compactTemplates !== false &&
      least + (wasm.EXPORT_COMPACT_TEMPLATE_SET_BYTES.value as number) - (wasm.EXPORT_TEMPLATE_SET_BYTES.value as number) <= maxBytes;
    this.compactTemplates = compact;
    this.#datagramRecords =
      format === "v5" ? 30 : Math.max(1, Math.floor((maxBytes - header - 4) / wasm.exportLargestRecordBytes(formatNumber)));
    const refresh = options.templateRefresh ?? {};
    checkOptionNames(refresh, ["intervalMs", "datagrams"], "templateRefresh");
    const refreshMs = positive(refresh.intervalMs ?? 30_000, "templateRefresh.intervalMs");
    const refreshDatagrams = integer(refresh.datagrams ?? 20, "templateRefresh.datagrams", 1, 0xffffffff);
    if (options.systemInitTime !== undefined) {
      if (typeof options.systemInitTime !== "number" || !Number.isFinite(options.systemInitTime)) {
        throw new ConfigError(
          "export-systemInitTime",
          `invalid systemInitTime ${describe(options.systemInitTime)}: expected ms since the epoch`,
          options.systemInitTime,
        );
      }
      this.#systemInit = Math.floor(options.systemInitTime);
    }
    const flowSamplerId = integer(options.flowSamplerId ?? 0, "flowSamplerId", 0, 255);
    const table = options.interfaceSamplerIds;
    const tableEntries: [number, number][] =
      table === undefined ? [] : table instanceof Map ? [...table] : Object.entries(table).map(([k, v]) => [Number(k), v as number]);
    for (const [iface, id] of tableEntries) {
      integer(iface, "interfaceSamplerIds interface", 0, 65535);
      integer(id, "interfaceSamplerIds sampler id", 0, 255);
    }
    const engineType = integer(options.engineType ?? 0, "engineType", 0, 255);
    const engineId = integer(options.engineId ?? 0, "engineId", 0, 255);
    let v5Sampling = 0;
    if (samplers.length > 0) {
      const first = samplers[0]!;
      v5Sampling =
        ((first.mode === "deterministic" ? V5_MODE_DETERMINISTIC : V5_MODE_RANDOM) << 14) | Math.min(first.interval, V5_MAX_INTERVAL);
    }
    const pacing = options.pacing ?? { recordsPerSecond: DEFAULT_RATE };
    const clock = options.clock ?? (() => performance.now());
    if (typeof clock !== "function") throw new ConfigError("export-clock", `invalid clock ${describe(clock)}: expected a function`, clock);
    if (pacing !== false) {
      checkOptionNames(pacing, ["recordsPerSecond", "datagramsPerSecond", "burstMs"], "pacing");
      if ((pacing.recordsPerSecond === undefined) === (pacing.datagramsPerSecond === undefined)) {
        throw new ConfigError("export-pacing", "pacing needs exactly one of recordsPerSecond and datagramsPerSecond", pacing);
      }
      const burst = positive(pacing.burstMs ?? 20, "pacing.burstMs");
      this.#pacedRecords = pacing.recordsPerSecond !== undefined;
      const rate = positive(
        pacing.recordsPerSecond ?? pacing.datagramsPerSecond,
        this.#pacedRecords ? "pacing.recordsPerSecond" : "pacing.datagramsPerSecond",
      );
      this.#pacer = new Pacer(rate, burst, this.#pacedRecords ? 30 : 1, clock);
    } else {
      this.#pacedRecords = false;
    }
    const sinks = options.sinks ?? [new MemorySink()];
    if (!Array.isArray(sinks) || sinks.some((s) => s === null || typeof s !== "object" || typeof s.send !== "function")) {
      throw new ConfigError("export-sinks", `invalid sinks ${describe(sinks)}: expected an array of objects with send()`, sinks);
    }
    this.sinks = [...sinks];
    const useTable = tableEntries.length > 0;
    const bytes = wasm.exportEncoderBytes(SLOTS, maxBytes, OPTIONS_CAPACITY, useTable);
    this.#attachment = core.attach("flow-exporter", bytes, () => bytes, "mtu");
    try {
      this.#handle = wasm.exportEncoderCreate(
        formatNumber,
        SLOTS,
        maxBytes,
        OPTIONS_CAPACITY,
        useTable,
        domain,
        (engineType << 8) | engineId,
        v5Sampling,
        flowSamplerId,
        refreshMs,
        refreshDatagrams,
        this.#systemInit ?? 0,
      );
    } catch (error) {
      core.detach(this.#attachment);
      throw new CapacityError("export-memory", `cannot allocate an exporter of ${bytes} bytes: ${(error as Error).message}`, bytes);
    }
    if (compact) wasm.exportSetCompact(this.#handle, true);
    if (optionsSets !== undefined && optionsSets.bytes.length > 0) {
      new Uint8Array(wasm.memory.buffer, wasm.exportOptions(this.#handle), optionsSets.bytes.length).set(optionsSets.bytes);
      wasm.exportSetOptions(
        this.#handle,
        optionsSets.bytes.length,
        optionsSets.templateRecords,
        optionsSets.dataRecords,
        options.optionsRecordsInSequence !== false,
      );
    }
    if (useTable) {
      const at = wasm.exportSamplerTable(this.#handle);
      const view = new Uint8Array(wasm.memory.buffer, at, 65536);
      view.fill(flowSamplerId);
      for (const [iface, id] of tableEntries) view[iface] = id;
    }
  }

  /** The sysUpTime origin in use (ms since the epoch), once known. */
  get systemInitTime(): number | undefined {
    return this.#systemInit;
  }

  /**
   * Sends the flows waiting in `cache`'s export queue (the cache must live on this exporter's
   * core), oldest first, as far as the pace and the sinks allow, at export time `now` (ms since
   * the epoch). Sent records leave the queue (unless `keep`); the rest stay for the next call.
   * Returns the records sent.
   */
  exportFrom(cache: FlowCache, now: number, options: ExportFromOptions = {}): number {
    if (cache.core !== this.core) {
      throw new ConfigError(
        "cache-core",
        "the flow cache must live on the exporter's core: create the exporter with { core: cache.core }",
        cache,
      );
    }
    const wasm = this.#wasm;
    const handle = cache.handle;
    const ring = wasm.flowCacheQueue(handle);
    const ringRecords = cache.options.exportQueueCapacity;
    const force = options.force === true;
    if (options.keep === true) {
      let offset = 0;
      return this.#run(
        now,
        () => wasm.flowCacheQueueCount(handle) - offset,
        () => (wasm.flowCacheQueueHead(handle) + offset) % ringRecords,
        ring,
        ringRecords,
        (n) => (offset += n),
        force,
      );
    }
    return this.#run(
      now,
      () => wasm.flowCacheQueueCount(handle),
      () => wasm.flowCacheQueueHead(handle),
      ring,
      ringRecords,
      (n) => wasm.flowCacheQueuePop(handle, n),
      force,
    );
  }

  /**
   * Sends export records given as bytes (128 each, e.g. from `FlowCache.drainRecords`), as far
   * as the pace and the sinks allow. Returns the records sent; send the rest again later.
   */
  exportRecords(records: Uint8Array, now: number): number {
    if (!(records instanceof Uint8Array) || records.length % EXPORT_RECORD_BYTES !== 0) {
      throw new ConfigError(
        "export-records",
        `invalid export records ${describe(records)}: expected a Uint8Array of 128-byte records`,
        records,
      );
    }
    checkExportTime(now);
    const total = records.length / EXPORT_RECORD_BYTES;
    let done = 0;
    const chunk = 4096;
    if (this.#staging === 0) {
      this.#staging = this.#wasm.alloc(chunk * EXPORT_RECORD_BYTES);
      this.#stagingRecords = chunk;
    }
    while (done < total) {
      const n = Math.min(chunk, total - done);
      new Uint8Array(this.#wasm.memory.buffer, this.#staging, n * EXPORT_RECORD_BYTES).set(
        records.subarray(done * EXPORT_RECORD_BYTES, (done + n) * EXPORT_RECORD_BYTES),
      );
      let left = n;
      let head = 0;
      const sent = this.#run(
        now,
        () => left,
        () => head,
        this.#staging,
        this.#stagingRecords,
        (k) => {
          left -= k;
          head += k;
        },
      );
      done += sent;
      if (sent < n) break;
    }
    return done;
  }

  /** Sends a datagram of templates (and sampler options) now, outside the refresh schedule. */
  sendTemplates(now: number): void {
    if (this.format === "v5") return;
    this.#wasm.exportForceTemplates(this.#handle);
    this.#run(
      now,
      () => 0,
      () => 0,
      0,
      1,
      () => {},
    );
  }

  /**
   * Ms until the pace allows the next datagram (0: now). With `waiting` records queued, a
   * records pace waits until a full datagram of them (or all of them, if fewer) may leave, so
   * that pacing does not chop the export into small datagrams.
   */
  waitMs(waiting = 1): number {
    if (this.#pacer === undefined) return 0;
    return this.#pacer.waitMs(this.#pacedRecords ? Math.max(1, Math.min(waiting, this.#datagramRecords)) : 1);
  }

  /** The next sequence number (the header carries its low 32 bits). */
  get sequence(): number {
    return this.#wasm.exportSequence(this.#handle);
  }

  counters(): FlowExporterCounters {
    const slots = new BigUint64Array(this.#wasm.memory.buffer, this.#wasm.exportCounters(this.#handle), 8);
    const n = (i: number) => Number(slots[i]!);
    return {
      records: n(0),
      datagrams: n(1),
      bytes: n(2),
      templatesSent: n(3),
      templateDatagrams: n(4),
      optionsRecords: n(5),
      skippedIPv6: n(6),
      sampledRecords: n(7),
      sendErrors: this.#sendErrors,
      stalls: this.#stalls,
    };
  }

  /** Frees the encoder's memory on its core. Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#staging !== 0) this.#wasm.free(this.#staging);
    this.#wasm.exportEncoderFree(this.#handle);
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #run(
    now: number,
    count: () => number,
    head: () => number,
    ring: number,
    ringRecords: number,
    pop: (n: number) => void,
    force = false,
  ): number {
    checkExportTime(now);
    if (this.#disposed) throw new ConfigError("export-disposed", "the exporter was disposed", this);
    const wasm = this.#wasm;
    if (this.#systemInit === undefined) {
      this.#systemInit = Math.floor(now) - DAY_MS;
      wasm.exportSetSystemInit(this.#handle, this.#systemInit);
    }
    let sent = 0;
    for (;;) {
      const waiting = count();
      let maxDatagrams = SLOTS;
      const maxRecords = 0xffffffff;
      if (this.#pacer !== undefined && !force) {
        const tokens = this.#pacer.available();
        if (this.#pacedRecords) {
          // A partial datagram only for the last records queued (or when the bucket is shallower).
          if (tokens < Math.min(waiting, this.#datagramRecords, Math.floor(this.#pacer.capacity))) {
            if (waiting > 0) this.#stalls++;
            return sent;
          }
          // Whole datagrams: as many as the tokens pay for at the largest record size. Smaller
          // records fill a datagram with more; the bucket then goes into debt by the difference,
          // which the following calls repay, so the rate holds on average.
          if (waiting > tokens) maxDatagrams = Math.min(maxDatagrams, Math.max(1, Math.floor(tokens / this.#datagramRecords)));
        } else maxDatagrams = Math.min(maxDatagrams, tokens);
      }
      if (!force) {
        for (const sink of this.sinks) {
          if (sink.room !== undefined) maxDatagrams = Math.min(maxDatagrams, Math.max(0, Math.floor(sink.room())));
        }
      }
      if (maxDatagrams <= 0 || maxRecords <= 0) {
        if (waiting > 0) this.#stalls++;
        return sent;
      }
      const consumed = wasm.exportEncode(this.#handle, ring, ringRecords, head(), waiting, now, maxDatagrams, maxRecords);
      const written = wasm.exportWritten(this.#handle);
      if (written > 0) this.#deliver(written, now);
      if (this.#pacer !== undefined && written > 0) {
        this.#pacer.take(this.#pacedRecords ? Math.max(1, consumed) : written);
      }
      if (consumed > 0) pop(consumed);
      sent += consumed;
      if (consumed >= waiting || (consumed === 0 && written === 0)) return sent;
    }
  }

  #deliver(written: number, now: number): void {
    const wasm = this.#wasm;
    const buffer = wasm.memory.buffer;
    const out = wasm.exportOut(this.#handle);
    const slotBytes = wasm.exportSlotBytes(this.#handle);
    const lengths = new Uint32Array(buffer, wasm.exportLengths(this.#handle), written);
    for (let i = 0; i < written; i++) {
      const datagram = new Uint8Array(buffer, out + i * slotBytes, lengths[i]!);
      for (const sink of this.sinks) {
        let ok: boolean | undefined;
        try {
          ok = sink.send(datagram, now);
        } catch {
          ok = false;
        }
        if (ok === false) this.#sendErrors++;
      }
    }
  }
}
