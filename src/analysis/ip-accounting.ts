/**
 * IP accounting (`ip accounting output-packets`, seed spec §1.4 and §3.2) in WebAssembly: packets
 * and bytes per (source, destination) pair of the packets sent out of the interfaces that have
 * it, at most `threshold` pairs (IOS `ip accounting-threshold`, default 512); packets of new pairs
 * beyond it are counted as "accounting threshold exceeded". `clear()` (`clear ip accounting`)
 * moves the active table to the checkpoint. The table is assembly/analysis/accounting.ts; the
 * pipeline calls `ipAccountingUpdate(table, batch, from, count, selection)` on it from
 * WebAssembly, a host feeds it with {@link IpAccounting.update}. src/reference/ip-accounting.ts
 * is the oracle.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { formatIPv4, formatIPv6 } from "../net/address.js";
import type { WasmExports } from "../wasm/exports.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import { seedHalves } from "../wasm/views.js";
import { checkOptionNames } from "../common/validation.js";
import { PacketBatch } from "../packet/batch.js";

/** Options of {@link IpAccounting}. */
export interface IpAccountingOptions {
  /** Most (source, destination) pairs kept (IOS `ip accounting-threshold`; default 512). */
  threshold?: number;
  /** Key of the pair hash (default: from the core). */
  seed?: number | bigint;
  /** The core to live on (default: a new one). */
  core?: Core;
}

/** One row of `show ip accounting`. */
export interface IpAccountingEntry {
  source: string;
  destination: string;
  ipVersion: 4 | 6;
  packets: number;
  bytes: number;
}

/** A table of `show ip accounting [checkpoint]`. */
export interface IpAccountingTable {
  /** Pairs in the order their first packet arrived. */
  entries: IpAccountingEntry[];
  /** Packets and bytes of new pairs refused because the table held `threshold` pairs. */
  thresholdExceeded: { packets: number; bytes: number };
  /** When the table started (the creation or the `clear` that began it), ms. */
  since: number;
}

/** Largest threshold accepted. */
export const IP_ACCOUNTING_MAX_THRESHOLD = 1 << 22;
const ENTRY_BYTES = 56;

function address(view: DataView, at: number, version: number): string {
  if (version === 4) return formatIPv4(view.getUint32(at, true));
  return formatIPv6([0, 4, 8, 12].map((k) => view.getUint32(at + k, true)));
}

/**
 * The IP accounting table.
 *
 * @example
 * ```ts
 * const accounting = new IpAccounting({ threshold: 512 });
 * const batch = new PacketBatch({ core: accounting.core });
 * batch.push({ src: "10.0.0.1", dst: "10.0.0.2", protocol: "tcp", ipLength: 48 });
 * accounting.update(batch);
 * console.log(accounting.table().entries); // [{ source: "10.0.0.1", destination: "10.0.0.2", packets: 1, bytes: 48, ... }]
 * ```
 */
export class IpAccounting {
  readonly core: Core;
  readonly threshold: number;
  /** @internal The table's address in WebAssembly memory (for the pipeline). */
  readonly handle: number;
  readonly #wasm: WasmExports;
  readonly #attachment: CoreAttachment;
  #since: number;
  #checkpointSince: number;
  #selection = 0;
  #selectionBytes = 0;
  #disposed = false;

  constructor(options: IpAccountingOptions = {}, now = 0) {
    checkOptionNames(options, ["threshold", "seed", "core"], "IpAccounting");
    const threshold = options.threshold ?? 512;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > IP_ACCOUNTING_MAX_THRESHOLD) {
      throw new ConfigError(
        "accounting-threshold",
        `invalid accounting threshold ${describe(threshold)}: expected an integer from 1 to ${IP_ACCOUNTING_MAX_THRESHOLD}`,
        threshold,
      );
    }
    this.threshold = threshold;
    this.core = coreFrom(options);
    this.#wasm = this.core.wasm;
    const bytes = this.#wasm.ipAccountingBytes(threshold);
    this.#attachment = this.core.attach("ip-accounting", bytes, () => bytes, "threshold");
    const [k0, k1] = this.core.componentSeed(options.seed);
    const [k2, k3] =
      options.seed === undefined
        ? this.core.componentSeed(undefined)
        : seedHalves(BigInt.asUintN(64, BigInt(k0) * 0x9e3779b97f4a7c15n + BigInt(k1) + 1n));
    try {
      this.handle = this.#wasm.ipAccountingCreate(threshold, k0, k1, k2, k3);
    } catch (error) {
      this.core.detach(this.#attachment);
      throw new CapacityError(
        "accounting-memory",
        `cannot allocate IP accounting for ${threshold} pairs: ${(error as Error).message}`,
        threshold,
      );
    }
    this.#since = now;
    this.#checkpointSince = now;
  }

  /**
   * Accounts the packets of `batch` (on this core) whose `selection` byte is non-zero (all when
   * absent): the packets sent out of interfaces with `ip accounting output-packets`. Packets that
   * are not IP are counted in {@link notIp}. Returns the packets accounted.
   */
  update(batch: PacketBatch, selection?: Uint8Array): number {
    if (!(batch instanceof PacketBatch) || batch.core !== this.core) {
      throw new ConfigError(
        "batch-core",
        "the batch must live on the accounting table's core: new PacketBatch({ core: accounting.core })",
        batch,
      );
    }
    let pointer = 0;
    if (selection !== undefined) {
      if (!(selection instanceof Uint8Array) || selection.length < batch.length) {
        throw new ConfigError(
          "accounting-selection",
          `the selection must be a Uint8Array with a byte per packet (${batch.length})`,
          selection,
        );
      }
      if (this.#selectionBytes < batch.length) {
        if (this.#selection !== 0) this.#wasm.free(this.#selection);
        this.#selectionBytes = Math.max(batch.length, 4096);
        this.#selection = this.#wasm.alloc(this.#selectionBytes);
      }
      new Uint8Array(this.#wasm.memory.buffer, this.#selection, batch.length).set(selection.subarray(0, batch.length));
      pointer = this.#selection;
    }
    return this.#wasm.ipAccountingUpdate(this.handle, batch.handle, 0, batch.length, pointer);
  }

  /** `clear ip accounting` at `now`: the active table becomes the checkpoint, a new one starts. */
  clear(now = 0): void {
    this.#wasm.ipAccountingClear(this.handle);
    this.#checkpointSince = this.#since;
    this.#since = now;
  }

  /** Packets offered that were not IPv4 or IPv6. */
  get notIp(): number {
    return this.#wasm.ipAccountingCounter(this.handle, 4);
  }

  /** The active table (`show ip accounting`) or the checkpoint (`show ip accounting checkpoint`). */
  table(checkpoint = false): IpAccountingTable {
    const w = this.#wasm;
    const count = w.ipAccountingCount(this.handle, checkpoint ? 1 : 0);
    const base = w.ipAccountingEntries(this.handle, checkpoint);
    const view = new DataView(w.memory.buffer);
    const entries: IpAccountingEntry[] = [];
    for (let i = 0; i < count; i++) {
      const at = base + i * ENTRY_BYTES;
      const version = view.getUint32(at + 32, true) === 6 ? 6 : 4;
      entries.push({
        source: address(view, at, version),
        destination: address(view, at + 16, version),
        ipVersion: version,
        packets: Number(view.getBigUint64(at + 40, true)),
        bytes: Number(view.getBigUint64(at + 48, true)),
      });
    }
    return {
      entries,
      thresholdExceeded: {
        packets: w.ipAccountingCounter(this.handle, checkpoint ? 2 : 0),
        bytes: w.ipAccountingCounter(this.handle, checkpoint ? 3 : 1),
      },
      since: checkpoint ? this.#checkpointSince : this.#since,
    };
  }

  /** Frees the table. Also `Symbol.dispose`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#selection !== 0) this.#wasm.free(this.#selection);
    this.#wasm.ipAccountingFree(this.handle);
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
