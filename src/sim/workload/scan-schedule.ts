/**
 * The scheduler shared by the scanning worms: every scanning host runs one or more periodic
 * streams (a first SYN every 1/rate seconds, and the same probe retransmitted 3 s and 9 s
 * later), and the workload emits, across all streams, the packet due first. Streams live in
 * typed arrays ordered by a binary heap keyed by (next time, stream id), so equal times come
 * out in a fixed order and a run is the same for a given seed.
 */

import { ConfigError, describe } from "../../errors.js";
import type { PacketBatch } from "../../packet/batch.js";
import { CAPTURED_HEADER_BYTES, WorkloadColumns, writeConstantColumns } from "./packet-writer.js";
import type { Workload } from "./workload.js";

/** Options every scanning workload takes. */
export interface ScanOptions {
  /** The scanning (infected) hosts' IPv4 addresses, as numbers. */
  hosts: ArrayLike<number>;
  /** When each host starts scanning, in ms from the workload's start (default: all at 0). */
  startMs?: ArrayLike<number>;
  /** When every host stops (ms from the start; default never). */
  stopMs?: number;
  /** Added to every packet time: the simulated clock of the scenario (default 0). */
  originMs?: number;
  /** The `interface` column's value (default 0). */
  interface?: number;
  /** Write Ethernet frames too, not only the columns (default false). */
  frames?: boolean;
  /** The worm's own seed (its PRNG state), default 1. */
  seed?: number;
}

/** A scanning workload: the heap of streams and the fill loop; subclasses write the packets. */
export abstract class ScanWorkload implements Workload {
  abstract readonly name: string;
  /** The scanning hosts, as given. */
  readonly hosts: Uint32Array;
  protected readonly originMs: number;
  protected readonly iface: number;
  protected readonly frames: boolean;
  protected readonly seed: number;
  /** Per stream: first emission time (ms from the start), period, emissions so far, host index, stream kind. */
  protected readonly streamStart: Float64Array;
  protected readonly streamPeriod: Float64Array;
  protected readonly streamCount: Float64Array;
  protected readonly streamHost: Uint32Array;
  protected readonly streamKind: Uint8Array;
  /** Per stream: the time of its next emission (start + count · period). */
  readonly #next: Float64Array;
  readonly #stop: number;
  readonly #heap: Int32Array;
  #heapSize = 0;
  #frameOffset = 0;
  #frameBatch: PacketBatch | undefined;
  /** Packets emitted so far. */
  emitted = 0;

  /**
   * `kinds[j]` streams per host: stream kind j starts `offsetsMs[j]` after the host and runs at
   * the host's period. `periodMs(h)` gives each host's period; `phase(h)` in [0, 1) staggers
   * hosts that start together.
   */
  protected constructor(options: ScanOptions, offsetsMs: readonly number[], periodMs: (h: number) => number, phase: (h: number) => number) {
    const n = options.hosts.length;
    if (n === 0) throw new ConfigError("workload-hosts", "a scanning workload needs at least one host", n);
    if (options.startMs !== undefined && options.startMs.length !== n) {
      throw new ConfigError("workload-start", `startMs must have one time per host (${n}), got ${describe(options.startMs.length)}`, options.startMs.length);
    }
    this.hosts = Uint32Array.from(options.hosts, (a, i) => checkAddress(a, i));
    this.originMs = finite(options.originMs ?? 0, "originMs");
    this.iface = options.interface ?? 0;
    this.frames = options.frames ?? false;
    this.seed = (options.seed ?? 1) >>> 0;
    this.#stop = options.stopMs ?? Infinity;
    const streams = n * offsetsMs.length;
    this.streamStart = new Float64Array(streams);
    this.streamPeriod = new Float64Array(streams);
    this.streamCount = new Float64Array(streams);
    this.streamHost = new Uint32Array(streams);
    this.streamKind = new Uint8Array(streams);
    this.#next = new Float64Array(streams);
    this.#heap = new Int32Array(streams);
    for (let h = 0; h < n; h++) {
      const period = periodMs(h);
      if (!(period > 0) || !Number.isFinite(period)) throw new ConfigError("workload-rate", `host ${h}: scan period must be a positive number of ms, got ${describe(period)}`, period);
      const start = finite(options.startMs?.[h] ?? 0, "startMs") + phase(h) * period;
      for (let j = 0; j < offsetsMs.length; j++) {
        const s = h * offsetsMs.length + j;
        this.streamStart[s] = start + offsetsMs[j]!;
        this.streamPeriod[s] = period;
        this.streamHost[s] = h;
        this.streamKind[s] = j;
        this.#next[s] = this.streamStart[s]!;
        if (this.streamStart[s]! <= this.#stop) this.#push(s);
      }
    }
  }

  /** Writes stream `s`'s emission number `k` (at absolute time `time`) as packet `i`; returns the frame offset after it. */
  protected abstract emit(c: WorkloadColumns, frames: Uint8Array | undefined, i: number, s: number, k: number, time: number, frameOffset: number): number;

  get nextTime(): number {
    return this.#heapSize === 0 ? Infinity : this.originMs + this.#next[this.#heap[0]!]!;
  }

  fill(batch: PacketBatch, untilMs: number): number {
    const limit = untilMs - this.originMs;
    const capacity = batch.capacity;
    const c = new WorkloadColumns(batch.columns);
    const frames = this.frames ? batch.frames : undefined;
    const start = batch.length;
    if (frames !== undefined && (this.#frameBatch !== batch || start === 0)) {
      this.#frameBatch = batch;
      this.#frameOffset = start === 0 ? 0 : c.frameOffset[start - 1]! + c.capturedLength[start - 1]!;
    }
    const frameLimit = batch.frameBytes - CAPTURED_HEADER_BYTES;
    writeConstantColumns(c, start, capacity, this.iface);
    let i = start;
    let offset = this.#frameOffset;
    const heap = this.#heap;
    const next = this.#next;
    // A measured hot loop: one heap sift per packet.
    while (i < capacity && this.#heapSize > 0) {
      const s = heap[0]!;
      const t = next[s]!;
      if (t > limit) break;
      if (frames !== undefined && offset > frameLimit) break;
      const k = this.streamCount[s]!;
      offset = this.emit(c, frames, i, s, k, this.originMs + t, offset);
      i++;
      this.streamCount[s] = k + 1;
      // From the start, not by adding periods: no drift over millions of probes.
      next[s] = this.streamStart[s]! + (k + 1) * this.streamPeriod[s]!;
      if (next[s]! > this.#stop) heap[0] = heap[--this.#heapSize]!;
      this.#siftDown(0);
    }
    this.#frameOffset = offset;
    this.emitted += i - start;
    batch.length = i;
    return i - start;
  }

  #before(a: number, b: number): boolean {
    const ta = this.#next[a]!, tb = this.#next[b]!;
    return ta < tb || (ta === tb && a < b);
  }

  #push(s: number): void {
    const heap = this.#heap;
    let i = this.#heapSize++;
    heap[i] = s;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Moves the stream at heap slot `i` down to its place (inline comparisons: the hot path). */
  #siftDown(i: number): void {
    const heap = this.#heap;
    const next = this.#next;
    const n = this.#heapSize;
    const s = heap[i]!;
    const ts = next[s]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let c = heap[child]!;
      let tc = next[c]!;
      if (child + 1 < n) {
        const d = heap[child + 1]!;
        const td = next[d]!;
        if (td < tc || (td === tc && d < c)) {
          child++;
          c = d;
          tc = td;
        }
      }
      if (tc > ts || (tc === ts && c > s)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = s;
  }
}

function checkAddress(a: number, index: number): number {
  if (!Number.isInteger(a) || a < 0 || a > 0xffffffff) throw new ConfigError("workload-host-address", `host ${index}: not an IPv4 address as a 32-bit number: ${describe(a)}`, a);
  return a;
}

function finite(v: number, name: string): number {
  if (!Number.isFinite(v) || v < 0) throw new ConfigError("workload-time", `${name} must be a finite number of ms ≥ 0, got ${describe(v)}`, v);
  return v;
}
