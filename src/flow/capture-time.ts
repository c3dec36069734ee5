/**
 * A flow cache run in capture time: {@link CaptureTimeAger} feeds batches to a
 * {@link FlowCache} and polls its ager once for every second of capture time (IOS's ager runs
 * once a second), before the first packet stamped at or after that second, however the packets
 * are batched. Together with draining the export queue before it can fill, this makes every flow,
 * its end reason and the order of the records independent of the batch size and of where batches
 * happen to end.
 */

import { ConfigError, describe } from "../errors.js";
import type { PacketBatch } from "../packet/batch.js";
import type { FlowCache } from "./cache.js";

/** Options of a {@link CaptureTimeAger}. */
export interface CaptureTimeAgerOptions {
  /** Capture time between ager polls, in ms (default 1000, IOS's once a second). */
  pollInterval?: number;
}

/** Most packets one accounting step can send to the export queue (an ended flow and a FIN). */
const RECORDS_PER_PACKET = 2;

/**
 * Runs a {@link FlowCache} in capture time.
 *
 * - Before the first packet whose time is at or after the next poll time (the first packet's
 *   time plus `pollInterval`, then every `pollInterval`), the packets before it are accounted and
 *   the ager polled for each poll time passed, in order. Polls of an empty cache change nothing
 *   but the cursor, so a gap in the capture with no flow in the cache costs no polls (a capture
 *   that jumps years ahead does not stall).
 * - `drain(room)` must leave at least `room` records free in the export queue (emptying it
 *   always does). It is called before each poll that could otherwise stop at a full queue (room:
 *   the poll's `agerBatch`, or the whole queue when that is smaller), before any run of packets
 *   that could fill it (room: two records a packet), and at the end (room: the whole queue), so
 *   that no packet or poll ever finds the queue full because of where a batch ended. A drain
 *   that keeps records queued (a paced export) gives the same flows as one that empties it.
 *
 * @example
 * ```ts
 * const cache = new FlowCache({ capacity: 100_000 });
 * const ager = new CaptureTimeAger(cache, () => cache.drainVisit(print));
 * for (const batch of readPacketFileSync("trace.pcap", { core: cache.core })) ager.update(batch);
 * ager.finish(); // ends the remaining flows (reason "flush") at the last packet's time
 * ```
 */
export class CaptureTimeAger {
  /** The cache being run. */
  readonly cache: FlowCache;
  readonly #drain: (room: number) => unknown;
  readonly #interval: number;
  #nextPoll = Number.NaN;
  #firstTime = Number.NaN;
  #lastTime = Number.NaN;
  #packets = 0;
  #polls = 0;

  constructor(cache: FlowCache, drain: (room: number) => unknown, options: CaptureTimeAgerOptions = {}) {
    if (typeof drain !== "function") throw new ConfigError("ager-drain", `invalid drain ${describe(drain)}: expected a function`, drain);
    const interval = options.pollInterval ?? 1000;
    if (typeof interval !== "number" || !(interval >= 1 && interval <= 86_400_000)) {
      throw new ConfigError("ager-poll-interval", `invalid pollInterval ${describe(interval)}: expected 1 to 86400000 ms`, interval);
    }
    this.cache = cache;
    this.#drain = drain;
    this.#interval = interval;
  }

  /** Time of the first packet (NaN before any). */
  get firstTime(): number {
    return this.#firstTime;
  }

  /** Latest packet time accounted, kept current during {@link update} for the drain (NaN before any). */
  get lastTime(): number {
    return this.#lastTime;
  }

  /** Packets offered so far. */
  get packets(): number {
    return this.#packets;
  }

  /** Ager polls made so far. */
  get polls(): number {
    return this.#polls;
  }

  /** Accounts every packet of `batch`, polling the ager on the way; returns the packets added to flows. */
  update(batch: PacketBatch): number {
    const n = batch.length;
    if (n === 0) return 0;
    const times = batch.columns.time;
    if (Number.isNaN(this.#firstTime)) {
      this.#firstTime = times[0]!;
      this.#lastTime = times[0]!;
      this.#nextPoll = times[0]! + this.#interval;
    }
    let accounted = 0;
    let from = 0;
    let last = this.#lastTime;
    for (let i = 0; i < n; i++) {
      const time = times[i]!;
      if (time > last) last = time;
      if (time >= this.#nextPoll) {
        accounted += this.#account(batch, from, i);
        from = i;
        this.#pollUntil(time);
      }
    }
    accounted += this.#account(batch, from, n);
    this.#lastTime = last;
    this.#packets += n;
    return accounted;
  }

  /** Ends every flow left (reason "flush") at the latest packet time, draining as the queue fills. */
  finish(): void {
    const now = Number.isNaN(this.#lastTime) ? 0 : Math.max(0, this.#lastTime);
    for (let left = Infinity; left > 0; ) {
      left = this.cache.flushStep(now);
      this.#drain(this.cache.options.exportQueueCapacity);
    }
  }

  /** Packets [from, to) of the batch, in runs that cannot fill the export queue. */
  #account(batch: PacketBatch, from: number, to: number): number {
    const cache = this.cache;
    const capacity = cache.options.exportQueueCapacity;
    let accounted = 0;
    while (from < to) {
      const wanted = Math.min(capacity, RECORDS_PER_PACKET * (to - from));
      if (capacity - cache.queuedFlows < wanted) this.#drain(wanted);
      const room = capacity - cache.queuedFlows;
      const count = Math.min(to - from, Math.max(1, Math.floor(room / RECORDS_PER_PACKET)));
      accounted += cache.update(batch, { from, count });
      // The latest time accounted, so that a drain during the batch (an export's `now`) is never
      // older than the records queued.
      const times = batch.columns.time;
      let last = this.#lastTime;
      for (let i = from; i < from + count; i++) if (times[i]! > last) last = times[i]!;
      this.#lastTime = last;
      from += count;
    }
    return accounted;
  }

  /** Polls for every poll time up to `time` (none while the cache is empty). */
  #pollUntil(time: number): void {
    const cache = this.cache;
    while (this.#nextPoll <= time) {
      if (cache.activeFlows === 0) {
        // Nothing to age until the next packet: skip every poll time up to `time`.
        this.#nextPoll += (Math.floor((time - this.#nextPoll) / this.#interval) + 1) * this.#interval;
        continue;
      }
      const room = Math.min(cache.options.exportQueueCapacity, cache.options.agerBatch);
      if (cache.options.exportQueueCapacity - cache.queuedFlows < room) this.#drain(room);
      cache.age(this.#nextPoll);
      this.#polls++;
      this.#nextPoll += this.#interval;
    }
  }
}
