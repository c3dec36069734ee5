/**
 * The reference samplers: one packet at a time, written for obviousness, in plain TypeScript.
 * They are the oracle for the WebAssembly samplers (same seed and stream ⇒ the same selected
 * packets, however the WebAssembly side splits its batches) and the TS baseline of the
 * benchmarks. Each mode is the textbook procedure:
 * - `random`: a position counter in the current window of N and the window's drawn target;
 * - `bernoulli` and `sflow`: a countdown to the next selected packet, reloaded with a skip;
 * - `deterministic`: a packet counter, selecting when it is ≡ 0 (mod N).
 */

import { Xoshiro128 } from "../common/random.js";
import { geometricInverseLog, geometricSkip, uniformSkip, uniformSkipEquilibriumDelay } from "../common/skips.js";
import { type SamplerMode, modeNumber, checkInterval, checkStream } from "../sampling/modes.js";

/** Options of a {@link ReferenceSampler}: as a `Sampler`'s, with the seed required. */
export interface ReferenceSamplerOptions {
  mode?: SamplerMode;
  interval?: number;
  seed: number | bigint;
  stream?: number;
}

/** A sampler deciding one packet at a time. */
export class ReferenceSampler {
  readonly mode: SamplerMode;
  /** N: one packet out of N. */
  readonly interval: number;
  /** The sampler's own stream. */
  readonly rng: Xoshiro128;
  /** Packets decided on. */
  seen = 0;
  /** Packets selected. */
  selected = 0;
  #position = 0;
  #target = 0;
  #countdown = 0;
  #inverseLog = 0;

  /** A sampler drawing from stream `stream` of `seed`, or from the given generator (taken over, not copied). */
  constructor(options: ReferenceSamplerOptions | { mode?: SamplerMode; interval?: number; rng: Xoshiro128 }) {
    this.mode = options.mode ?? "random";
    modeNumber(this.mode);
    this.interval = checkInterval(options.interval ?? 100);
    if ("rng" in options) {
      this.rng = options.rng;
    } else {
      this.rng = new Xoshiro128(options.seed);
      const stream = checkStream(options.stream ?? 0);
      for (let i = 0; i < stream; i++) this.rng.jump();
    }
    const n = this.interval;
    if (n === 1) return;
    switch (this.mode) {
      case "random":
        this.#target = this.rng.below(n);
        break;
      case "bernoulli":
        this.#inverseLog = geometricInverseLog(n);
        this.#countdown = geometricSkip(this.rng, this.#inverseLog);
        break;
      case "sflow":
        this.#countdown = uniformSkipEquilibriumDelay(this.rng, n);
        break;
      case "deterministic":
        break;
    }
  }

  /** Whether the next packet is selected. */
  decide(): boolean {
    this.seen++;
    const hit = this.#decide();
    if (hit) this.selected++;
    return hit;
  }

  #decide(): boolean {
    const n = this.interval;
    if (n === 1) return true;
    switch (this.mode) {
      case "random": {
        const hit = this.#position === this.#target;
        this.#position++;
        if (this.#position === n) {
          this.#position = 0;
          this.#target = this.rng.below(n);
        }
        return hit;
      }
      case "bernoulli":
        this.#countdown--;
        if (this.#countdown > 0) return false;
        this.#countdown = geometricSkip(this.rng, this.#inverseLog);
        return true;
      case "sflow":
        this.#countdown--;
        if (this.#countdown > 0) return false;
        this.#countdown = uniformSkip(this.rng, n);
        return true;
      case "deterministic": {
        const hit = this.#position === 0;
        this.#position = (this.#position + 1) % n;
        return hit;
      }
    }
  }

  /** Decides on the next `count` packets; returns the indices of the selected ones. */
  select(count: number): Uint32Array {
    const out: number[] = [];
    for (let i = 0; i < count; i++) if (this.decide()) out.push(i);
    return Uint32Array.from(out);
  }
}
