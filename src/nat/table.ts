/**
 * NAT/PAT in WebAssembly (Cisco IOS `ip nat`; the Code Red note's "NAT/PAT meltdown", seed spec
 * §1.10): inside and outside interfaces, static NAT, dynamic NAT from a pool, PAT (overload)
 * with port allocation, the IOS timeouts per protocol with a bounded ager, `ip nat translation
 * max-entries`, and the rewrite of the packets of a {@link PacketBatch} in place (addresses,
 * ports, ICMP query ids; IPv4, TCP, UDP and ICMP checksums updated incrementally, RFC 1624).
 * Every translation lives in memory reserved at creation: a scan fills the table up to
 * `maxEntries` or `capacity`, and from then on each new flow is dropped and counted.
 */

import { ConfigError, describe } from "../errors.js";
import { formatIPv4 } from "../net/address.js";
import { checkOptionNames, checkTableTime } from "../common/validation.js";
import { type Core, coreFrom, disposedCore } from "../wasm/core.js";
import { TableMemory } from "../wasm/table-memory.js";
import type { WasmExports } from "../wasm/exports.js";
import { PacketBatch } from "../packet/batch.js";
import { type NatOptions, type ResolvedNatOptions, NAT_OPTION_NAMES, resolveNatOptions } from "./options.js";
import {
  type NatCounters,
  type NatTranslation,
  type NatStatistics,
  NAT_COUNTER_NAMES,
  NAT_TIMEOUT_CLASSES,
  sortTranslations,
} from "./types.js";
import { natStatistics } from "./statistics.js";
import { renderNatTranslations, renderNatStatistics, type NatShowOptions } from "./show.js";

/** Options of {@link NatTable.translate}. */
export interface NatTranslateOptions {
  /** The time of the packets, milliseconds. */
  now: number;
  /** First packet (default 0) and number of packets (default: to the end of the batch). */
  from?: number;
  count?: number;
  /**
   * Output interface id per batch row (0xffffffff: not known), when NAT runs after routing:
   * inside packets are then translated only when they leave through an outside interface.
   */
  egress?: Uint32Array;
  /** Where to write the verdicts (default: a new array). */
  verdicts?: Uint8Array;
}

const ROLE = { inside: 1, outside: 2 } as const;
const NIL = 0xffffffff;
const OCCUPANCY_WORDS = 8;
const SCRATCH_BYTES = 4096;

/**
 * A NAT/PAT translation table.
 *
 * @example
 * ```ts
 * const nat = new NatTable({
 *   interfaces: [{ name: "Ethernet0", nat: "inside" }, { name: "Serial0", nat: "outside", address: "171.69.233.209" }],
 *   accessLists: [{ name: "1", entries: [{ action: "permit", address: "10.1.1.0", wildcard: "0.0.0.255" }] }],
 *   insideSource: [{ list: "1", interface: "Serial0", overload: true }],
 * });
 * const batch = PacketBatch.from([{ interface: 0, src: "10.1.1.1", dst: "171.69.1.220", protocol: "tcp", srcPort: 11012, dstPort: 23 }], { core: nat.core });
 * nat.translate(batch, { now: 0 });      // Uint8Array [1]: translated on the way out
 * batch.packet(0).src;                    // "171.69.233.209"
 * console.log(nat.show());                // show ip nat translations
 * ```
 */
export class NatTable {
  /** The core the table lives on. */
  readonly core: Core;
  /** The configuration in force (validated, defaults filled in). */
  readonly config: Readonly<ResolvedNatOptions>;
  #wasm: WasmExports;
  readonly #memory: TableMemory;
  readonly #handle: number;
  readonly #scratch: number;
  #disposed = false;

  constructor(options: NatOptions = {}) {
    checkOptionNames(options, NAT_OPTION_NAMES, "NatTable");
    const config = resolveNatOptions(options);
    this.config = config;
    const core = coreFrom(options);
    const [low, high] = core.componentSeed(options.seed);
    this.core = core;
    this.#wasm = core.wasm;
    const w = this.#wasm;
    const poolAddresses = config.pools.reduce((sum, p) => sum + p.size, 0);
    const memory = new TableMemory(
      core,
      "nat",
      { bytes: w.natBytes(config.capacity, poolAddresses), scratchBytes: SCRATCH_BYTES },
      (limit) => w.natCreate(config.capacity, config.maxEntries, config.agerWork, poolAddresses, low, high, limit),
      { what: `a NAT table of ${config.capacity} entries`, parameter: "capacity", value: config.capacity },
    );
    this.#memory = memory;
    const handle = memory.handle;
    this.#handle = handle;
    this.#scratch = memory.scratch;
    config.timeouts.forEach((ms, c) => w.natSetTimeout(handle, c, ms));
    for (const i of config.interfaces) if (i.role !== null) w.natSetRole(handle, i.ifIndex, ROLE[i.role]);
    for (const p of config.pools) w.natAddPool(handle, p.start, p.size);
    for (const a of config.acl) w.natAddAcl(handle, a.address, a.mask, a.permit ? 1 : 0);
    for (const m of config.mappings) w.natAddMapping(handle, m.pool, m.overload ? 1 : 0, m.aclStart, m.aclCount);
    for (const s of config.statics) w.natAddStatic(handle, s.local, s.global, 0);
  }

  /**
   * Translates the packets of a batch (made on this table's core) in place: columns and frames.
   * Returns one {@link NatVerdict} byte per packet of the range.
   * @throws ConfigError when the batch lives on another core; RangeError for a bad range.
   */
  translate(batch: PacketBatch, options: NatTranslateOptions): Uint8Array {
    if (!(batch instanceof PacketBatch) || batch.core !== this.core) {
      throw new ConfigError(
        "batch-core",
        "the batch must live on the NAT table's core: create it with new PacketBatch({ core: nat.core })",
        batch,
      );
    }
    const now = checkTime(options?.now);
    const length = batch.length;
    const from = options.from ?? 0;
    const count = options.count ?? length - from;
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(count) || count < 0 || from + count > length) {
      throw new RangeError(`invalid packet range from ${describe(from)} count ${describe(count)} of ${length}`);
    }
    const verdicts = options.verdicts ?? new Uint8Array(count);
    if (!(verdicts instanceof Uint8Array) || verdicts.length < count) throw new RangeError(`verdicts needs ${count} bytes`);
    const egress = options.egress;
    if (egress !== undefined && (!(egress instanceof Uint32Array) || egress.length < from + count)) {
      throw new RangeError(`egress needs one interface id per batch row (${from + count})`);
    }
    const staging = this.#memory.staging(((count + 3) & ~3) + (egress ? (from + count) * 4 : 0));
    const egressAt = egress ? staging + ((count + 3) & ~3) : 0;
    if (egress) new Uint32Array(this.#wasm.memory.buffer, egressAt, from + count).set(egress.subarray(0, from + count));
    this.#wasm.natTranslateBatch(this.#handle, batch.handle, from, count, now, egressAt, staging);
    verdicts.set(new Uint8Array(this.#wasm.memory.buffer, staging, count));
    return verdicts;
  }

  /** Runs the ager at `now`: removes at most `agerWork` expired translations (expiry order); returns how many. */
  age(now: number): number {
    return this.#wasm.natAge(this.#handle, checkTime(now));
  }

  /** `clear ip nat translation *`: removes every dynamic translation; returns how many. */
  clear(): number {
    return this.#wasm.natClear(this.#handle);
  }

  /** Every counter. */
  counters(): NatCounters {
    const at = this.#wasm.natCounters(this.#handle);
    const slots = new BigUint64Array(this.#wasm.memory.buffer, at, NAT_COUNTER_NAMES.length);
    return Object.fromEntries(NAT_COUNTER_NAMES.map((name, k) => [name, Number(slots[k]!)])) as NatCounters;
  }

  /** Live translations: total, dynamic, extended; the longest probe; the peak; bytes in use. */
  occupancy(): { live: number; dynamic: number; extended: number; longestProbe: number; peak: number; usedBytes: number } {
    this.#wasm.natOccupancy(this.#handle, this.#scratch);
    const f = new Float64Array(this.#wasm.memory.buffer, this.#scratch, OCCUPANCY_WORDS);
    return { live: f[0]!, dynamic: f[1]!, extended: f[2]!, longestProbe: f[3]!, peak: f[4]!, usedBytes: f[5]! };
  }

  /** Bytes reserved per translation (entry, both index slots, at the table's load). */
  get bytesPerTranslation(): number {
    return (this.#wasm.natBytes(this.config.capacity, 0) - this.#wasm.natBytes(0, 0)) / this.config.capacity;
  }

  /** Every translation, sorted by inside global address and port. */
  translations(): NatTranslation[] {
    const w = this.#wasm;
    const out: NatTranslation[] = [];
    for (let e = w.natEntryNext(this.#handle, 0) >>> 0; e !== NIL; e = w.natEntryNext(this.#handle, e + 1) >>> 0) {
      const view = new DataView(w.memory.buffer, w.natEntry(this.#handle, e), 64);
      out.push(decodeEntry(view, this.config.timeouts));
    }
    return sortTranslations(out);
  }

  /** What `show ip nat statistics` shows. */
  statistics(): NatStatistics {
    const w = this.#wasm;
    const pools = this.config.pools.map((_, id) => {
      const view = new DataView(w.memory.buffer, w.natPool(this.#handle, id), 24);
      return { allocated: view.getUint32(16, true), misses: view.getUint32(20, true) };
    });
    const refcounts = this.config.mappings.map((_, id) =>
      new DataView(w.memory.buffer, w.natMapping(this.#handle, id), 20).getUint32(16, true),
    );
    return natStatistics(this.config, this.translations(), this.counters(), pools, refcounts);
  }

  /** `show ip nat translations [verbose]`. */
  show(options: NatShowOptions = {}): string {
    return renderNatTranslations(this.translations(), { now: this.occupancyNow(), ...options });
  }

  /** `show ip nat statistics`. */
  showStatistics(): string {
    return renderNatStatistics(this.statistics());
  }

  /** The last time the table has seen. */
  occupancyNow(): number {
    this.#wasm.natOccupancy(this.#handle, this.#scratch);
    return new Float64Array(this.#wasm.memory.buffer, this.#scratch, OCCUPANCY_WORDS)[6]!;
  }

  /** @internal The table's address in WebAssembly memory (for the Dataplane's stage calls). */
  get handle(): number {
    return this.#handle;
  }

  /** Frees the table's memory and gives its reservation back to the core. Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const w = this.#wasm;
    this.#memory.free((handle) => w.natFree(handle));
    // Any later use throws instead of reading freed memory, as the other components do.
    this.#wasm = disposedCore("NatTable");
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Checks a time argument. */
export function checkTime(now: unknown): number {
  return checkTableTime(now, "nat-time");
}

const PROTOCOL_NAMES: Record<number, "tcp" | "udp" | "icmp"> = { 6: "tcp", 17: "udp", 1: "icmp" };

/** A translation from its core record (assembly/nat/state.ts E_*), with the timeouts by class. */
function decodeEntry(v: DataView, timeouts: readonly number[]): NatTranslation {
  const flags = v.getUint8(19);
  const isStatic = (flags & 2) !== 0;
  const extended = (flags & 4) !== 0;
  const protocol = v.getUint8(18);
  const mapping = v.getUint16(22, true);
  const icmp = protocol === 1;
  return {
    protocol: extended ? (PROTOCOL_NAMES[protocol] ?? "tcp") : null,
    insideGlobal: formatIPv4(v.getUint32(4, true)),
    insideGlobalPort: extended ? v.getUint16(14, true) : null,
    insideLocal: formatIPv4(v.getUint32(0, true)),
    insideLocalPort: extended ? v.getUint16(12, true) : null,
    outside: extended ? formatIPv4(v.getUint32(8, true)) : null,
    outsidePort: extended ? (icmp ? v.getUint16(14, true) : v.getUint16(16, true)) : null,
    static: isStatic,
    extended,
    timeoutClass: isStatic ? null : NAT_TIMEOUT_CLASSES[v.getUint8(20)]!,
    createdAt: Number(v.getBigInt64(24, true)),
    // A dynamic entry keeps when it expires (its last use plus its class's timeout); a static one its last use.
    lastUsedAt: Number(v.getBigInt64(40, true)) - (isStatic ? 0 : timeouts[v.getUint8(20)]!),
    expiresAt: isStatic ? null : Number(v.getBigInt64(40, true)),
    hits: v.getUint32(56, true),
    mapping: isStatic ? null : mapping + 1,
  };
}
