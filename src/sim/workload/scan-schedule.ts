/**
 * The scheduler shared by the scanning worms: every scanning host runs one or more periodic
 * streams (a first SYN every 1/rate seconds, and the same probe retransmitted 3 s and 9 s
 * later), and the workload emits, across all streams, the packet due first.
 *
 * Streams with the same period keep their order forever, so they form a ring: sorted once by
 * phase (start time modulo the period, then stream id), emitted round after round (round R's
 * emission of a stream is at R·period + phase), streams that have not started yet skipped. A
 * workload whose hosts all scan at one rate (Code Red) is a single ring, O(1) per packet with
 * sequential memory access; rings of different periods (Slammer's link speeds) are merged by
 * a small heap keyed by (next time, ring). A binary heap over all streams cost 3–4× more per
 * packet at 1,000 hosts (measured).
 */

import { ConfigError, describe } from "../../errors.js";
import type { PacketBatch } from "../../packet/batch.js";
import { CAPTURED_HEADER_BYTES, workloadColumns, type WorkloadColumns, writeConstantColumns } from "./packet-writer.js";
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

/** Streams of one period, in emission order. */
class Ring {
  readonly period: number;
  /** Stream ids sorted by (phase, id). */
  readonly streams: Int32Array;
  /** Per position: the stream's phase (ms into a round) and its first round. */
  readonly phase: Float64Array;
  readonly firstRound: Float64Array;
  readonly #minFirstRound: number;
  /** Last round any stream may emit in (stop time). */
  readonly #lastRound: number;
  readonly #stop: number;
  round: number;
  position = 0;
  /** Time of the emission at the cursor (Infinity when the ring is done). */
  next = Infinity;

  constructor(period: number, ids: number[], starts: Float64Array, stop: number) {
    this.period = period;
    const entries = ids.map((s) => {
      const firstRound = Math.floor(starts[s]! / period);
      return { s, firstRound, phase: starts[s]! - firstRound * period };
    });
    entries.sort((a, b) => a.phase - b.phase || a.s - b.s);
    this.streams = Int32Array.from(entries, (e) => e.s);
    this.phase = Float64Array.from(entries, (e) => e.phase);
    this.firstRound = Float64Array.from(entries, (e) => e.firstRound);
    let min = Infinity;
    for (const e of entries) if (e.firstRound < min) min = e.firstRound;
    this.#minFirstRound = min;
    this.#stop = stop;
    this.#lastRound = Math.floor(stop / period);
    this.round = this.#minFirstRound;
    this.#seek();
  }

  /** Moves the cursor to the next stream that emits (started, not stopped) and sets `next`. */
  #seek(): void {
    const n = this.streams.length;
    for (;;) {
      if (this.round > this.#lastRound) {
        this.next = Infinity;
        return;
      }
      while (this.position < n && this.firstRound[this.position]! > this.round) this.position++;
      if (this.position < n) {
        this.next = this.round * this.period + this.phase[this.position]!;
        // Sorted by phase: once one emission of the last round is past the stop, the rest are too.
        if (this.next > this.#stop) this.next = Infinity;
        return;
      }
      this.position = 0;
      this.round = Math.max(this.round + 1, this.round < this.#minFirstRound ? this.#minFirstRound : 0);
    }
  }

  /** Steps past the emission at the cursor. */
  step(): void {
    this.position++;
    if (this.position === this.streams.length) {
      this.position = 0;
      this.round++;
    }
    this.#seek();
  }
}

/** A scanning workload: rings of streams and the fill loop; subclasses write the packets. */
export abstract class ScanWorkload implements Workload {
  abstract readonly name: string;
  /** The scanning hosts, as given. */
  readonly hosts: Uint32Array;
  protected readonly originMs: number;
  protected readonly iface: number;
  protected readonly frames: boolean;
  protected readonly seed: number;
  /** Per stream: its host index and its kind (0 the first probe, 1… the retransmissions). */
  protected readonly streamHost: Uint32Array;
  protected readonly streamKind: Uint8Array;
  readonly #stop: number;
  readonly #rings: Ring[];
  /** Packets emitted so far. */
  emitted = 0;

  /**
   * `offsetsMs.length` streams per host: stream kind j starts `offsetsMs[j]` after the host and
   * runs at the host's period. `periodMs(h)` gives each host's period; `phase(h)` in [0, 1)
   * staggers hosts that start together.
   */
  protected constructor(options: ScanOptions, offsetsMs: readonly number[], periodMs: (h: number) => number, phase: (h: number) => number) {
    const n = options.hosts.length;
    if (n === 0) throw new ConfigError("workload-hosts", "a scanning workload needs at least one host", n);
    if (options.startMs !== undefined && options.startMs.length !== n) {
      throw new ConfigError(
        "workload-start",
        `startMs must have one time per host (${n}), got ${describe(options.startMs.length)}`,
        options.startMs.length,
      );
    }
    this.hosts = Uint32Array.from(options.hosts, (a, i) => checkAddress(a, i));
    this.originMs = finite(options.originMs ?? 0, "originMs");
    this.iface = options.interface ?? 0;
    this.frames = options.frames ?? false;
    this.seed = (options.seed ?? 1) >>> 0;
    this.#stop = options.stopMs ?? Infinity;
    const streams = n * offsetsMs.length;
    const starts = new Float64Array(streams);
    this.streamHost = new Uint32Array(streams);
    this.streamKind = new Uint8Array(streams);
    const byPeriod = new Map<number, number[]>();
    for (let h = 0; h < n; h++) {
      const period = periodMs(h);
      if (!(period > 0) || !Number.isFinite(period))
        throw new ConfigError("workload-rate", `host ${h}: scan period must be a positive number of ms, got ${describe(period)}`, period);
      const start = finite(options.startMs?.[h] ?? 0, "startMs") + phase(h) * period;
      for (let j = 0; j < offsetsMs.length; j++) {
        const s = h * offsetsMs.length + j;
        starts[s] = start + offsetsMs[j]!;
        this.streamHost[s] = h;
        this.streamKind[s] = j;
        const list = byPeriod.get(period);
        if (list) list.push(s);
        else byPeriod.set(period, [s]);
      }
    }
    this.#rings = [...byPeriod].map(([period, ids]) => new Ring(period, ids, starts, this.#stop));
  }

  /** Writes stream `s`'s emission number `k` (at absolute time `time`) as packet `i`; returns the frame offset after it. */
  protected abstract emit(
    c: WorkloadColumns,
    frames: Uint8Array | undefined,
    i: number,
    s: number,
    k: number,
    time: number,
    frameOffset: number,
  ): number;

  get nextTime(): number {
    let t = Infinity;
    for (const ring of this.#rings) if (ring.next < t) t = ring.next;
    return this.originMs + t;
  }

  get interfaceIndex(): number {
    return this.iface;
  }

  fill(batch: PacketBatch, untilMs: number): number {
    const start = batch.length;
    const c = workloadColumns(batch);
    const end = this.fillRange(c, this.frames ? batch.frames : undefined, batch.frameBytes, start, batch.capacity, untilMs);
    writeConstantColumns(c, start, end, this.iface);
    batch.length = end;
    return end - start;
  }

  fillRange(
    c: WorkloadColumns,
    batchFrames: Uint8Array | undefined,
    frameBytes: number,
    start: number,
    capacity: number,
    untilMs: number,
  ): number {
    const limit = untilMs - this.originMs;
    const frames = this.frames ? batchFrames : undefined;
    const frameLimit = frameBytes - CAPTURED_HEADER_BYTES;
    const rings = this.#rings;
    let i = start;
    // Frames go after the batch's last packet, whoever wrote it (fillMixed interleaves workloads).
    let offset = frames === undefined || start === 0 ? 0 : c.frameOffset[start - 1]! + c.capturedLength[start - 1]!;
    while (i < capacity) {
      // The ring due first (ties to the earlier ring), and when the next one is due.
      let ring = rings[0]!;
      let other = Infinity;
      for (let r = 1; r < rings.length; r++) {
        const t = rings[r]!.next;
        if (t < ring.next) {
          other = ring.next;
          ring = rings[r]!;
        } else if (t < other) other = t;
      }
      const until = Math.min(limit, other);
      if (ring.next > until && ring.next > limit) break;
      // A measured hot loop: the due ring's emissions until another ring is due.
      const streams = ring.streams,
        firstRound = ring.firstRound;
      do {
        if (frames !== undefined && offset > frameLimit) break;
        const s = streams[ring.position]!;
        offset = this.emit(c, frames, i, s, ring.round - firstRound[ring.position]!, this.originMs + ring.next, offset);
        i++;
        ring.step();
      } while (i < capacity && ring.next <= until);
      if (frames !== undefined && offset > frameLimit) break;
    }
    this.emitted += i - start;
    return i;
  }
}

function checkAddress(a: number, index: number): number {
  if (!Number.isInteger(a) || a < 0 || a > 0xffffffff)
    throw new ConfigError("workload-host-address", `host ${index}: not an IPv4 address as a 32-bit number: ${describe(a)}`, a);
  return a;
}

function finite(v: number, name: string): number {
  if (!Number.isFinite(v) || v < 0)
    throw new ConfigError("workload-time", `${name} must be a finite number of ms ≥ 0, got ${describe(v)}`, v);
  return v;
}
