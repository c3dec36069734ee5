/**
 * The processor memory pool of a simulated router, accounted per process as `show processes
 * memory` shows it (Allocated, Freed, Holding, Getbufs, Retbufs; seed 000:L290–308): a process
 * may free memory another allocated (BGP I/O frees far more than it allocates in the seed), so
 * holding is kept per owner. An allocation the pool cannot satisfy fails and is logged as
 * `%SYS-2-MALLOCFAIL` (the Code Red document's title symptom); the caller applies the failure
 * (CEF disables itself, 000:L271; an ARP entry is not created).
 */

import { ConfigError, describe } from "../../errors.js";
import type { ProcessesMemorySnapshot } from "../../show/processes.js";
import type { ProcessSpec } from "./cpu.js";

/** Per-process counters, bytes. */
interface ProcessMemoryState {
  pid: number;
  tty: number;
  name: string;
  allocated: number;
  freed: number;
  holding: number;
  getbufs: number;
  retbufs: number;
}

/** Options of {@link MemoryPool}. */
export interface MemoryPoolOptions {
  /** Pool size, bytes (e.g. 128 or 256 MB of processor memory). */
  totalBytes: number;
  /** The processes (their PIDs and names; the same list as the CPU model's). */
  processes: readonly ProcessSpec[];
  /** Bytes IOS itself holds from boot, outside any listed process (default 0). */
  systemBytes?: number;
  /** Called with the log line of each failed allocation. */
  onFailure?: (message: string, pid: number, bytes: number) => void;
}

/** A processor memory pool with per-process accounting. */
export class MemoryPool {
  readonly totalBytes: number;
  /** Allocations refused. */
  failures = 0;
  readonly #processes: ProcessMemoryState[];
  readonly #byKey = new Map<string | number, ProcessMemoryState>();
  readonly #onFailure: MemoryPoolOptions["onFailure"];
  #used: number;

  constructor(options: MemoryPoolOptions) {
    const { totalBytes } = options;
    if (!Number.isInteger(totalBytes) || totalBytes < 1)
      throw new ConfigError("memory-total", `totalBytes must be a positive integer, got ${describe(totalBytes)}`, totalBytes);
    this.totalBytes = totalBytes;
    this.#used = options.systemBytes ?? 0;
    if (!Number.isInteger(this.#used) || this.#used < 0 || this.#used > totalBytes)
      throw new ConfigError(
        "memory-system",
        `systemBytes must be an integer from 0 to totalBytes, got ${describe(this.#used)}`,
        this.#used,
      );
    this.#onFailure = options.onFailure;
    this.#processes = options.processes.map((p) => {
      const state = { pid: p.pid, tty: p.tty ?? 0, name: p.name, allocated: 0, freed: 0, holding: 0, getbufs: 0, retbufs: 0 };
      this.#byKey.set(p.pid, state);
      this.#byKey.set(p.name, state);
      return state;
    });
  }

  #process(process: string | number): ProcessMemoryState {
    const p = this.#byKey.get(process);
    if (p === undefined) throw new ConfigError("memory-process", `no process ${describe(process)}`, process);
    return p;
  }

  /** Bytes in use. */
  get usedBytes(): number {
    return this.#used;
  }

  /** Bytes free. */
  get freeBytes(): number {
    return this.totalBytes - this.#used;
  }

  /** Bytes a process holds. */
  holding(process: string | number): number {
    return this.#process(process).holding;
  }

  /**
   * Allocates `bytes` for a process. Returns false, counts the failure and logs
   * `%SYS-2-MALLOCFAIL` when the pool cannot hold them (nothing is allocated then).
   */
  allocate(process: string | number, bytes: number, buffer = false): boolean {
    checkBytes(bytes);
    const p = this.#process(process);
    if (this.#used + bytes > this.totalBytes) {
      this.failures++;
      this.#onFailure?.(mallocFailMessage(bytes, this.freeBytes, p.name, p.pid), p.pid, bytes);
      return false;
    }
    this.#used += bytes;
    p.allocated += bytes;
    p.holding += bytes;
    if (buffer) p.getbufs += bytes;
    return true;
  }

  /**
   * Frees `bytes` that `owner` holds, on behalf of `process` (default the owner itself): the
   * bytes count as freed by `process` and leave the owner's holding.
   */
  free(process: string | number, bytes: number, owner: string | number = process, buffer = false): void {
    checkBytes(bytes);
    const p = this.#process(process);
    const o = this.#process(owner);
    if (bytes > o.holding) throw new ConfigError("memory-free", `${o.name} holds ${o.holding} bytes, cannot free ${bytes}`, bytes);
    o.holding -= bytes;
    this.#used -= bytes;
    p.freed += bytes;
    if (buffer) p.retbufs += bytes;
  }

  /** The figures `show processes memory` prints. */
  snapshot(): ProcessesMemorySnapshot {
    return { total: this.totalBytes, used: this.#used, free: this.freeBytes, processes: this.#processes.map((p) => ({ ...p })) };
  }
}

/**
 * The log line of a failed allocation, in IOS's words (`%SYS-2-MALLOCFAIL: Memory allocation
 * of N bytes failed …, Pool: Processor Free: F Cause: Not enough free memory`; the format is
 * IOS's, not in the seeds, which name only the message).
 */
export function mallocFailMessage(bytes: number, free: number, processName: string, pid: number): string {
  return (
    `%SYS-2-MALLOCFAIL: Memory allocation of ${bytes} bytes failed, alignment 0 Pool: Processor  Free: ${free}  Cause: Not enough free memory ` +
    `Alternate Pool: None  Free: 0  Cause: No Alternate pool -Process= "${processName}", ipl= 0, pid= ${pid}`
  );
}

function checkBytes(bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < 0)
    throw new ConfigError("memory-bytes", `bytes must be an integer ≥ 0, got ${describe(bytes)}`, bytes);
}
