/**
 * The console and syslog of spec §1.12/§3.12 (seed 000:L395–404): log messages (MALLOCFAIL,
 * ACL `log` hits, debugs) queue for the console, "usually a 9600 baud device", which drains
 * them at 960 characters a second. When the queue is full the router flushes it — "the router
 * disables interrupts and does nothing but process console messages" — so the flush's whole
 * transmission time is charged to the CPU at interrupt level, and messages that arrive while
 * it lasts are lost (overruns). `show logging` prints the counters.
 *
 * The seed names the counters but not their rules; these are **(inferred)**: a queue of
 * `queueMessages` messages; a flush when a message finds it full (or, with `flush: false`, the
 * message is dropped); an overrun for each message that arrives during a flush.
 */

import { ConfigError, TimeError, describe } from "../../errors.js";
import type { LoggingSnapshot } from "../../show/logging.js";
import type { CpuModel } from "./cpu.js";
import { COSTS } from "./costs.js";

/** Options of {@link ConsoleLog}. */
export interface ConsoleLogOptions {
  /** Line speed (default 9600, 000:L404). */
  baud?: number;
  /** Bits per character on the line (default 10: 8N1). */
  bitsPerCharacter?: number;
  /** Messages the console queue holds (default 100) **(inferred)**. */
  queueMessages?: number;
  /** Flush a full queue (default true); false drops the new message instead. */
  flush?: boolean;
  /** The console's level, printed by `show logging` (default `debugging`). */
  level?: string;
  /** The CPU that pays for the console (interrupt level). */
  cpu?: CpuModel;
}

/** The console log. */
export class ConsoleLog {
  /** Characters per second the line carries. */
  readonly charactersPerSecond: number;
  dropped = 0;
  flushes = 0;
  overruns = 0;
  /** Messages accepted for the console. */
  logged = 0;
  /** Characters written to the line. */
  charactersSent = 0;
  /** CPU time the console cost at interrupt level, µs. */
  interruptMicroseconds = 0;
  /** The last messages sent (at most 100), for display. */
  readonly recent: string[] = [];
  readonly #capacity: number;
  readonly #flush: boolean;
  readonly #level: string;
  readonly #cpu: CpuModel | undefined;
  readonly #queue: string[] = [];
  #head = 0;
  /** Characters of the head message already sent. */
  #sentOfHead = 0;
  #now = 0;
  #blockedUntil = -Infinity;

  constructor(options: ConsoleLogOptions = {}) {
    const baud = options.baud ?? 9600;
    const bits = options.bitsPerCharacter ?? 10;
    if (!(baud > 0) || !Number.isFinite(baud))
      throw new ConfigError("console-baud", `baud must be a positive number, got ${describe(baud)}`, baud);
    if (!(bits > 0) || !Number.isFinite(bits))
      throw new ConfigError("console-bits", `bitsPerCharacter must be a positive number, got ${describe(bits)}`, bits);
    this.charactersPerSecond = baud / bits;
    this.#capacity = options.queueMessages ?? 100;
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1)
      throw new ConfigError("console-queue", `queueMessages must be a positive integer, got ${describe(this.#capacity)}`, this.#capacity);
    this.#flush = options.flush ?? true;
    this.#level = options.level ?? "debugging";
    this.#cpu = options.cpu;
  }

  /** Messages waiting. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Sends queued characters up to `nowMs` (each costs its transmit interrupt). */
  advance(nowMs: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.#now)
      throw new TimeError("time-backwards", `console time ${describe(nowMs)} is before ${this.#now}`, nowMs);
    // The CPU's open period must be the one the console's work falls in.
    if (this.#cpu !== undefined && nowMs >= this.#cpu.periodStartMs) this.#cpu.advance(nowMs);
    let budget = ((nowMs - Math.max(this.#now, this.#blockedUntil)) / 1000) * this.charactersPerSecond;
    this.#now = nowMs;
    let sent = 0;
    while (budget > 0 && this.queued > 0) {
      const message = this.#queue[this.#head]!;
      const rest = message.length + 2 - this.#sentOfHead; // with CR LF
      if (rest <= budget) {
        budget -= rest;
        sent += rest;
        this.#done(message);
      } else {
        this.#sentOfHead += budget;
        sent += budget;
        budget = 0;
      }
    }
    this.#charge(sent * COSTS.consoleCharacterInterruptMicroseconds, sent);
  }

  #done(message: string): void {
    this.#head++;
    this.#sentOfHead = 0;
    this.recent.push(message);
    if (this.recent.length > 100) this.recent.shift();
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #charge(microseconds: number, characters: number): void {
    this.charactersSent += characters;
    this.interruptMicroseconds += microseconds;
    if (microseconds > 0) this.#cpu?.chargeInterrupt(microseconds);
  }

  /** Logs a message at `nowMs`. */
  log(nowMs: number, message: string): void {
    this.advance(nowMs);
    if (nowMs < this.#blockedUntil) {
      this.overruns++;
      return;
    }
    if (this.queued >= this.#capacity) {
      if (!this.#flush) {
        this.dropped++;
        return;
      }
      // The flush: every queued character goes out with interrupts off.
      let characters = -this.#sentOfHead;
      while (this.queued > 0) {
        const m = this.#queue[this.#head]!;
        characters += m.length + 2;
        this.#done(m);
      }
      const seconds = characters / this.charactersPerSecond;
      this.#charge(seconds * 1e6, characters);
      this.#blockedUntil = nowMs + seconds * 1000;
      this.flushes++;
    }
    this.#queue.push(message);
    this.logged++;
  }

  /** The counters `show logging` prints. */
  snapshot(): LoggingSnapshot {
    return {
      dropped: this.dropped,
      flushes: this.flushes,
      overruns: this.overruns,
      consoleLevel: this.#level,
      consoleMessages: this.logged,
    };
  }
}
