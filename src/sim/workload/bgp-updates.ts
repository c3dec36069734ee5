/**
 * BGP update streams at the rates of the BGP/CPU paper (seed 004; spec §7.3, §9.5): about 600
 * routing-table changes per 5 minutes on a typical week, spikes above 30,000 in one 5-minute bin
 * ("Event A"), and during SQL Slammer (from about 05:30 UTC, 25 January 2003) about 20,000 per
 * 5 minutes for many hours. The rate is set per 5-minute bin (a baseline with lognormal noise,
 * plus spikes and episodes); updates arrive within a bin as a Poisson process; each update
 * names a prefix of a table, popular prefixes flapping more (Zipf).
 */

import { ConfigError, describe } from "../../errors.js";
import { Xoshiro128 } from "../../common/random.js";
import { portableLog } from "../../common/portable-log.js";
import { AliasTable, zipfWeights } from "./background.js";
import { standardNormal } from "./spread.js";

/** The paper's bin: SNMP polled every 5 minutes (004:L35). */
export const BGP_BIN_MS = 5 * 60 * 1000;
/** Typical routing-table changes per 5-minute bin (004:L134). */
export const TYPICAL_CHANGES_PER_BIN = 600;
/** Event A: more than 30,000 changes in one bin (004:L134). */
export const EVENT_A_CHANGES_PER_BIN = 30_000;
/** Slammer: ≈ 20,000 changes per bin at the peak (004:L236–266). */
export const SLAMMER_CHANGES_PER_BIN = 20_000;
/** Slammer's onset, 05:30 UTC 25 January 2003 (004:L236). */
export const SLAMMER_ONSET_MS = Date.UTC(2003, 0, 25, 5, 30);

/** A burst of updates: extra changes per bin over the baseline, rising then decaying. */
export interface BgpEpisode {
  /** Start, ms from the stream's start. */
  startMs: number;
  /** Extra changes per bin at the peak. */
  peakPerBin: number;
  /** Time from start to peak, ms (linear rise; 0 for a step). */
  riseMs: number;
  /** How long the peak holds, ms. */
  holdMs: number;
  /** Exponential decay time constant after the hold, ms (0 ends it at once). */
  decayMs: number;
}

/**
 * A burst shorter than a bin: `count` extra updates, on average, at a constant rate over
 * [startMs, startMs + durationMs) — a session's updates arriving within a minute or two, which
 * a 1-minute CPU average read every 5 minutes may or may not see, depending on where in the bin
 * it falls.
 */
export interface BgpBurst {
  startMs: number;
  durationMs: number;
  /** Mean updates in the burst. */
  count: number;
}

/** Options of {@link BgpUpdateStream}. */
export interface BgpUpdateOptions {
  /** Prefixes the updates name (default 100,000, the order of a 2003 table). */
  prefixes?: number;
  /** Zipf exponent of prefix popularity (default 1). */
  zipf?: number;
  /** Mean baseline changes per bin (default 600). */
  baselinePerBin?: number;
  /** σ of the lognormal noise on each bin's baseline rate (default 0.5). */
  noise?: number;
  /** Bursts over the baseline (default none). */
  episodes?: readonly BgpEpisode[];
  /** Sub-bin bursts over the rest (default none). */
  bursts?: readonly BgpBurst[];
  /** Share of updates that are withdrawals (default 0.3). */
  withdrawShare?: number;
  seed?: number;
  /** Added to every update time (default 0). */
  originMs?: number;
}

/** A single-bin spike like Event A: > 30,000 changes in the bin that starts at `startMs`. */
export function eventA(startMs: number, perBin = 32_000): BgpEpisode {
  return { startMs, peakPerBin: perBin, riseMs: 0, holdMs: BGP_BIN_MS, decayMs: 0 };
}

/**
 * The Slammer episode: 20,000 changes per bin, reached in 30 minutes, held 2 hours, then
 * decaying with a 4-hour time constant, so that it stays above 2,000 per bin for more than 10
 * hours ("lasted over 10 hours", 004:L343) **(inferred shape)**.
 */
export function slammerEpisode(startMs: number): BgpEpisode {
  return { startMs, peakPerBin: SLAMMER_CHANGES_PER_BIN, riseMs: 30 * 60_000, holdMs: 2 * 3_600_000, decayMs: 4 * 3_600_000 };
}

/** Extra changes per bin of an episode at time t (ms from the stream's start). */
export function episodeRate(e: BgpEpisode, t: number): number {
  const x = t - e.startMs;
  if (x < 0) return 0;
  if (x < e.riseMs) return (e.peakPerBin * x) / e.riseMs;
  const afterHold = x - e.riseMs - e.holdMs;
  if (afterHold < 0) return e.peakPerBin;
  return e.decayMs > 0 ? e.peakPerBin * Math.exp(-afterHold / e.decayMs) : 0;
}

/** A stream of BGP updates. */
export class BgpUpdateStream {
  /** Updates produced so far. */
  produced = 0;
  readonly #prefixes: AliasTable;
  readonly #random: Xoshiro128;
  readonly #baseline: number;
  readonly #noise: number;
  readonly #episodes: readonly BgpEpisode[];
  readonly #bursts: readonly BgpBurst[];
  readonly #withdrawShare: number;
  readonly #originMs: number;
  #bin = -1;
  #binRatePerMs = 0;
  #next = 0;

  constructor(options: BgpUpdateOptions = {}) {
    const prefixes = options.prefixes ?? 100_000;
    if (!Number.isInteger(prefixes) || prefixes < 1)
      throw new ConfigError("bgp-prefixes", `prefixes must be a positive integer, got ${describe(prefixes)}`, prefixes);
    this.#baseline = options.baselinePerBin ?? TYPICAL_CHANGES_PER_BIN;
    if (!(this.#baseline >= 0) || !Number.isFinite(this.#baseline))
      throw new ConfigError("bgp-rate", `baselinePerBin must be a finite number ≥ 0, got ${describe(this.#baseline)}`, this.#baseline);
    this.#noise = options.noise ?? 0.5;
    if (!(this.#noise >= 0) || !Number.isFinite(this.#noise))
      throw new ConfigError("bgp-noise", `noise must be a finite number ≥ 0, got ${describe(this.#noise)}`, this.#noise);
    this.#withdrawShare = options.withdrawShare ?? 0.3;
    if (!(this.#withdrawShare >= 0 && this.#withdrawShare <= 1))
      throw new ConfigError("bgp-withdraw", `withdrawShare must be in [0, 1], got ${describe(this.#withdrawShare)}`, this.#withdrawShare);
    this.#episodes = options.episodes ?? [];
    this.#bursts = options.bursts ?? [];
    for (const b of this.#bursts)
      if (!(b.durationMs > 0 && Number.isFinite(b.durationMs) && b.count >= 0 && Number.isFinite(b.count) && Number.isFinite(b.startMs)))
        throw new ConfigError("bgp-burst", `a burst needs a finite start, a duration > 0 and a count ≥ 0, got ${describe(b)}`, b);
    this.#prefixes = new AliasTable(zipfWeights(prefixes, options.zipf ?? 1));
    this.#random = new Xoshiro128(options.seed ?? 1);
    this.#originMs = options.originMs ?? 0;
    this.#next = this.#arrivalAfter(0);
  }

  /** Expected changes in the bin starting at `t` (ms from the start), before noise. */
  expectedPerBin(t: number): number {
    let rate = this.#baseline;
    for (const e of this.#episodes) rate += episodeRate(e, t);
    return rate;
  }

  /** The first arrival at or after t, moving bin by bin through bins with no arrival. */
  #arrivalAfter(t: number): number {
    for (;;) {
      const bin = Math.floor(t / BGP_BIN_MS);
      if (bin !== this.#bin) {
        this.#bin = bin;
        // The bin's rate: lognormal noise with mean 1 on the baseline; episodes are added as given.
        const sigma = this.#noise;
        const noise = sigma === 0 ? 1 : Math.exp(sigma * standardNormal(this.#random) - (sigma * sigma) / 2);
        let perBin = this.#baseline * noise;
        for (const e of this.#episodes) perBin += episodeRate(e, bin * BGP_BIN_MS);
        this.#binRatePerMs = perBin / BGP_BIN_MS;
      }
      // The rate is constant up to the bin's end or the next burst boundary, whichever is first.
      let end = (bin + 1) * BGP_BIN_MS;
      let rate = this.#binRatePerMs;
      for (const b of this.#bursts) {
        const bEnd = b.startMs + b.durationMs;
        if (t < b.startMs) end = Math.min(end, b.startMs);
        else if (t < bEnd) {
          end = Math.min(end, bEnd);
          rate += b.count / b.durationMs;
        }
      }
      if (rate === 0 && this.#silentFrom(t)) return Number.POSITIVE_INFINITY;
      if (rate > 0) {
        const gap = -portableLog((this.#random.next() + 1) / 4294967296) / rate;
        // Memorylessness: an arrival beyond the segment's end is redrawn at the next segment's rate.
        if (t + gap < end) return t + gap;
      }
      t = end;
    }
  }

  /** Whether no update can come at or after t: no baseline, every episode and burst over. */
  #silentFrom(t: number): boolean {
    if (this.#baseline > 0) return false;
    for (const b of this.#bursts) if (b.startMs + b.durationMs > t && b.count > 0) return false;
    for (const e of this.#episodes) if (e.peakPerBin > 0 && (e.decayMs > 0 || t < e.startMs + e.riseMs + e.holdMs)) return false;
    return true;
  }

  /** Time of the next update (ms, with the origin; Infinity when none will come). */
  get nextTime(): number {
    return this.#originMs + this.#next;
  }

  /**
   * Writes updates with time ≤ `untilMs` into the arrays (from index 0) until they are full:
   * times in ms, prefix indices (0 most popular), and 1 for a withdrawal. Returns how many.
   */
  fill(times: Float64Array, prefixes: Uint32Array, withdrawals: Uint8Array, untilMs: number): number {
    const capacity = Math.min(times.length, prefixes.length, withdrawals.length);
    const limit = untilMs - this.#originMs;
    let n = 0;
    while (n < capacity && this.#next <= limit) {
      times[n] = this.#originMs + this.#next;
      prefixes[n] = this.#prefixes.sample(this.#random.next(), this.#random.next());
      withdrawals[n] = this.#random.float() < this.#withdrawShare ? 1 : 0;
      n++;
      this.#next = this.#arrivalAfter(this.#next);
    }
    this.produced += n;
    return n;
  }

  /** Counts the updates per 5-minute bin up to `untilMs` (consumes the stream). */
  binCounts(untilMs: number): number[] {
    const counts: number[] = [];
    const times = new Float64Array(65_536);
    const prefixes = new Uint32Array(65_536);
    const withdrawals = new Uint8Array(65_536);
    for (;;) {
      const n = this.fill(times, prefixes, withdrawals, untilMs);
      for (let i = 0; i < n; i++) {
        const bin = Math.floor((times[i]! - this.#originMs) / BGP_BIN_MS);
        while (counts.length <= bin) counts.push(0);
        counts[bin]!++;
      }
      if (n < times.length) break;
    }
    const bins = Math.ceil((untilMs - this.#originMs) / BGP_BIN_MS);
    while (counts.length < bins) counts.push(0);
    return counts;
  }
}
