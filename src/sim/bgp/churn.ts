/**
 * The BGP paper's router under BGP churn (seed 004; spec §7, §9.5): a route processor (200 MHz
 * MIPS R5000) whose forwarding table is a real {@link Fib} (the paper-era table size by default,
 * taken from a real or generated full table), fed BGP updates at the measured rates (≈ 600
 * changes per 5 minutes; Event A's spike over 30,000; Slammer's ≈ 20,000 per 5 minutes for
 * hours) through its BGP processes — BGP I/O (each message), BGP Router (each update), CEF
 * (each forwarding-table change), BGP Scanner (every route once a minute) — each charged its
 * documented cost ({@link BGP_COSTS}) on the load meter's CPU model, beside the rest of the
 * router's work. As in the paper, the CPU series is the 1-minute exponentially decayed average
 * (avgBusy1) read every 5 minutes, and the update series counts changes per 5-minute bin; the
 * cross-correlation of the two is computed over ±10 lags, for the whole run and around events.
 *
 * The simulation advances in 5-second load-meter periods; the updates of a period are applied to
 * the Fib in one delete batch and one insert batch (their net effect, in arrival order), and the
 * counts, costs and table are the same whatever the period's batch holds.
 */

import { ConfigError, describe } from "../../errors.js";
import { Fib, type FibSummary } from "../../fib/fib.js";
import { Xoshiro128 } from "../../common/random.js";
import { CpuModel } from "../load-meter/cpu.js";
import { type Ccf, crossCorrelation } from "../load-meter/ccf.js";
import type { ProcessesCpuSnapshot } from "../../show/processes.js";
import { generateIPv4Table } from "../table.js";
import {
  BGP_BIN_MS,
  BgpUpdateStream,
  type BgpEpisode,
  type BgpBurst,
  type BgpUpdateOptions,
  slammerEpisode,
  SLAMMER_ONSET_MS,
} from "../workload/bgp-updates.js";
import { standardNormal } from "../workload/spread.js";
import { BGP_COSTS } from "./costs.js";

/** The paper's two periods: a typical week (10–17 Feb 2003, 004:L134) and the Slammer days (004:L236). */
export type BgpRegime = "week" | "slammer";
export const BGP_REGIMES: readonly BgpRegime[] = ["week", "slammer"];

/** Routes of the paper-era table: the 109,212 of the seed's `show ip cef summary` (000:L279). */
export const PAPER_TABLE_ROUTES = 109_212;
/** Most paths a route keeps. */
const MAX_PATHS = 4;
/** The load meter's period, ms. */
export const STEP_MS = 5000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** IPv4 routes to take the router's table from (the table loader's columns, or a generated table). */
export interface BgpRouteSource {
  addresses: Uint32Array;
  lengths: Uint8Array;
  count: number;
}

/** Options of {@link runBgpChurn}. */
export interface BgpChurnOptions {
  /** Which period (default `week`). */
  regime?: BgpRegime;
  /** Simulated seconds (default: 7 days for `week`, 65 hours for `slammer`, the paper's windows). */
  seconds?: number;
  /** Seed of the update stream and the background load (default 1). */
  seed?: number;
  /** The full table to take routes from (default: a generated table of the real shape). */
  table?: BgpRouteSource;
  /** Routes in the router's table, an evenly spaced sample of `table` (default 109,212; at most the table's size). */
  routes?: number;
  /**
   * Multiplies the per-update costs of BGP I/O, BGP Router and CEF (default 1). 0 is the
   * negative control: updates still change the table, but cost nothing.
   */
  costScale?: number;
  /** σ of the other processes' load, % (default {@link BGP_COSTS.otherNoisePercent}). */
  noisePercent?: number;
  /** Called about once a simulated hour with the simulated seconds done. */
  progress?: (secondsDone: number) => void;
}

/** Something that happened, for the report. */
export interface BgpEvent {
  name: string;
  seconds: number;
}

/** A CCF over a window of 5-minute samples. */
export interface BgpCcfWindow extends Ccf {
  name: string;
  /** The window, in 5-minute bins [from, to). */
  fromBin: number;
  toBin: number;
  /** r at lag 0. */
  lag0: number;
  /** The largest r over the lags, and its lag. */
  max: number;
  maxLag: number;
}

/** One run's figures. */
export interface BgpChurnRun {
  regime: BgpRegime;
  seconds: number;
  seed: number;
  /** Wall-clock start of the simulated period (ms since the epoch, UTC). */
  startUtcMs: number;
  routes: number;
  /** Changes per 5-minute bin (the paper's BGP series). */
  updates: Uint32Array;
  /** avgBusy1 read at each bin's end, % (the paper's CPU series). */
  cpu: Float64Array;
  /** Each tracked process's 1-minute average at each bin's end, %. */
  processCpu: Record<string, Float64Array>;
  /** Update messages BGP I/O received: the changes plus a session reset's full table. */
  messages: number;
  announcements: number;
  withdrawals: number;
  /** Forwarding-table changes CEF made (a route added, re-pointed or removed). */
  fibChanges: number;
  fibRoutesStart: number;
  fibRoutesEnd: number;
  /** Highest 5-second busy figure, %. */
  maxFiveSecondPercent: number;
  /** Share of the processes' runtime that was BGP's (the paper's "> 60 %"), %. */
  bgpSharePercent: number;
  events: BgpEvent[];
  ccf: BgpCcfWindow[];
  /** `show processes cpu` at the end. */
  processes: ProcessesCpuSnapshot;
  /** `show ip cef summary` at the end. */
  cef: FibSummary;
}

/** Processes whose 1-minute averages are kept per bin. */
export const TRACKED_PROCESSES = ["BGP Router", "BGP I/O", "BGP Scanner", "CEF process", "IP Input"] as const;

/** Start of the typical week: Monday 10 February 2003, 00:00 UTC (004:L134). */
export const WEEK_START_UTC_MS = Date.UTC(2003, 1, 10);
/** Event A: a bin of more than 30,000 changes, on the Wednesday at 14:00 **(inferred time)**. */
export const EVENT_A_MS = 2 * DAY + 14 * HOUR;
/** Event A's updates arrive in a burst this long, this far into the bin **(inferred)**: a session's updates, not a bin-long rate. */
export const EVENT_A_DURATION_MS = 90_000;
export const EVENT_A_OFFSET_MS = 120_000;
/** Event B: a session reset (a peer's full table re-sent) on the Friday at 09:20 **(inferred time)**. */
export const EVENT_B_MS = 4 * DAY + 9 * HOUR + 20 * 60_000;
/** How long a reset peer takes to re-send its table (TCP-paced) **(inferred)**. */
export const RESET_MS = 10 * 60_000;
/** Share of a reset's re-sent routes whose best path changes (counted as table changes) **(inferred)**. */
export const RESET_CHANGE_SHARE = 0.015;
/** The Slammer run starts 12 hours before the onset, so that ±12 h around it is inside. */
export const SLAMMER_LEAD_MS = 12 * HOUR;

/** Default simulated seconds of a regime. */
export function defaultSeconds(regime: BgpRegime): number {
  return regime === "week" ? 7 * 86_400 : 65 * 3600;
}

/** The update stream a run uses (exported so that tests can replay it on their own). */
export function bgpChurnStreamOptions(regime: BgpRegime, seed: number, routes: number): BgpUpdateOptions {
  const episodes: BgpEpisode[] =
    regime === "week"
      ? [
          // Event B's counted changes: a share of the reset peer's table, over two bins.
          {
            startMs: EVENT_B_MS,
            peakPerBin: (RESET_CHANGE_SHARE * routes * BGP_BIN_MS) / RESET_MS,
            riseMs: 0,
            holdMs: RESET_MS,
            decayMs: 0,
          },
        ]
      : [slammerEpisode(SLAMMER_LEAD_MS)];
  const bursts: BgpBurst[] =
    regime === "week" ? [{ startMs: EVENT_A_MS + EVENT_A_OFFSET_MS, durationMs: EVENT_A_DURATION_MS, count: 32_000 }] : [];
  return { prefixes: routes, seed, episodes, bursts };
}

/** The CCF windows of a regime, ms from the start: [name, from, to, max lag]. */
function ccfWindows(regime: BgpRegime, seconds: number): [string, number, number, number][] {
  const end = seconds * 1000;
  if (regime === "week")
    return [
      ["whole run", 0, end, 10],
      ["Event A ± 1 h", EVENT_A_MS - HOUR, EVENT_A_MS + HOUR, 10],
      ["Event B ± 1 h", EVENT_B_MS - HOUR, EVENT_B_MS + HOUR, 10],
    ];
  return [
    ["whole run", 0, end, 10],
    ["Slammer ± 12 h", SLAMMER_LEAD_MS - 12 * HOUR, SLAMMER_LEAD_MS + 12 * HOUR, 10],
    ["Slammer ± 30 min", SLAMMER_LEAD_MS - HOUR / 2, SLAMMER_LEAD_MS + HOUR / 2, 6],
  ];
}

function check(ok: boolean, code: string, message: string, value: unknown): void {
  if (!ok) throw new ConfigError(code, message, value);
}

/** Runs one regime. */
export function runBgpChurn(options: BgpChurnOptions = {}): BgpChurnRun {
  const regime = options.regime ?? "week";
  check(BGP_REGIMES.includes(regime), "bgp-regime", `regime must be ${BGP_REGIMES.join(" or ")}, got ${describe(regime)}`, regime);
  const seconds = options.seconds ?? defaultSeconds(regime);
  check(
    Number.isFinite(seconds) && seconds >= 300 && seconds <= 366 * 86_400,
    "bgp-seconds",
    `seconds must be from 300 to 31,622,400, got ${describe(seconds)}`,
    seconds,
  );
  const seed = options.seed ?? 1;
  check(Number.isInteger(seed), "bgp-seed", `seed must be an integer, got ${describe(seed)}`, seed);
  const costScale = options.costScale ?? 1;
  check(costScale >= 0 && Number.isFinite(costScale), "bgp-cost-scale", `costScale must be ≥ 0, got ${describe(costScale)}`, costScale);
  const noise = options.noisePercent ?? BGP_COSTS.otherNoisePercent;
  check(noise >= 0 && Number.isFinite(noise), "bgp-noise", `noisePercent must be ≥ 0, got ${describe(noise)}`, noise);
  const source = options.table ?? generateIPv4Table({ count: options.routes ?? PAPER_TABLE_ROUTES, seed });
  const routes = options.routes ?? Math.min(PAPER_TABLE_ROUTES, source.count);
  check(
    Number.isInteger(routes) && routes >= 1 && routes <= source.count,
    "bgp-routes",
    `routes must be an integer from 1 to the table's ${source.count}, got ${describe(routes)}`,
    routes,
  );

  // The router's table: an evenly spaced sample of the source (keeps its length mix), each
  // route at one of the peers' next hops.
  const PEERS = 16;
  const fib = new Fib({ seed });
  try {
    const adjacencies = Array.from({ length: PEERS }, (_, k) => fib.addAdjacency({ interface: 1, nextHop: `198.51.100.${10 + k}` }));
    const addresses = new Uint32Array(routes);
    const lengths = new Uint8Array(routes);
    const peer = new Uint8Array(routes);
    for (let i = 0; i < routes; i++) {
      const j = Math.floor((i * source.count) / routes);
      addresses[i] = source.addresses[j]!;
      lengths[i] = source.lengths[j]!;
      peer[i] = mix(i) % PEERS;
    }
    fib.insertBatch(
      addresses,
      lengths,
      Uint32Array.from(peer, (p) => adjacencies[p]!),
    );
    const fibRoutesStart = fib.size(4);
    // Paths per route: 2 to 4 peers announce each **(inferred)** (the paper's routers heard
    // every route from many iBGP peers, 004:L37).
    const paths = Uint8Array.from({ length: routes }, (_, i) => 2 + (mix(i ^ 0x9a7) % 3));
    // Popularity rank → route: a seeded shuffle, so the flapping routes are spread over the table.
    const order = Uint32Array.from({ length: routes }, (_, i) => i);
    const shuffle = new Xoshiro128(seed ^ 0x5eed);
    for (let i = routes - 1; i > 0; i--) {
      const j = shuffle.below(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }

    const stream = new BgpUpdateStream(bgpChurnStreamOptions(regime, seed, routes));
    const cpu = new CpuModel({ history: false });
    const noiseRandom = new Xoshiro128(seed ^ 0x0dd5);
    const rho = Math.exp(-STEP_MS / 1000 / BGP_COSTS.otherNoiseSeconds);
    const innovation = noise * Math.sqrt(1 - rho * rho);
    let ar = noise * standardNormal(noiseRandom);

    const runMs = seconds * 1000;
    const bins = Math.ceil(runMs / BGP_BIN_MS);
    const updates = new Uint32Array(bins);
    const cpuSeries = new Float64Array(bins);
    const processCpu: Record<string, Float64Array> = {};
    for (const name of TRACKED_PROCESSES) processCpu[name] = new Float64Array(bins);
    const startUtcMs = regime === "week" ? WEEK_START_UTC_MS : SLAMMER_ONSET_MS - SLAMMER_LEAD_MS;

    const CAPACITY = 4096;
    const times = new Float64Array(CAPACITY);
    const prefixes = new Uint32Array(CAPACITY);
    const withdrawn = new Uint8Array(CAPACITY);
    const dirty = new Uint8Array(routes);
    const dirtyList: number[] = [];
    const insertAddresses = new Uint32Array(routes);
    const insertLengths = new Uint8Array(routes);
    const insertAdjacencies = new Uint32Array(routes);
    const deleteAddresses = new Uint32Array(routes);
    const deleteLengths = new Uint8Array(routes);
    let announcements = 0,
      withdrawals = 0,
      fibChanges = 0,
      messages = 0,
      maxBusy = 0;
    let scannerRunning = false;
    let scannerNextMs = 30_000; // the first walk half a minute after the start **(inferred)**
    let nextProgress = HOUR;
    // Messages of the reset peer's table (those that change nothing) received by time t.
    const resentBy = (t: number) => Math.round(routes * (1 - RESET_CHANGE_SHARE) * Math.min(1, Math.max(0, t - EVENT_B_MS) / RESET_MS));
    // The Scanner walks the BGP table: every route with the paths of every peer, which a
    // withdrawal from one peer does not shrink **(inferred)**; its size is the routes'.
    const scanMicroseconds = routes * BGP_COSTS.scannerRouteMicroseconds;

    for (let t0 = 0; t0 < runMs; t0 += STEP_MS) {
      const t1 = Math.min(t0 + STEP_MS, runMs);
      // The updates of the period, in arrival order; the Fib gets their net effect.
      let stepUpdates = 0,
        changes = 0;
      for (;;) {
        const n = stream.fill(times, prefixes, withdrawn, t1);
        stepUpdates += n;
        for (let i = 0; i < n; i++) {
          const bin = Math.floor(times[i]! / BGP_BIN_MS);
          if (bin < bins) updates[bin]!++;
          const r = order[prefixes[i]!]!;
          // Every update changes the route's best path: a withdrawal takes one of its paths away
          // (the next peer's becomes best, or the route goes when it was the last), an
          // announcement adds one (up to MAX_PATHS) and becomes best. A route with no path can
          // only be announced, whatever the update's flag.
          if (withdrawn[i] === 1 && paths[r]! > 0) {
            withdrawals++;
            paths[r]!--;
          } else {
            announcements++;
            if (paths[r]! < MAX_PATHS) paths[r]!++;
          }
          if (paths[r]! > 0) peer[r] = (peer[r]! + 1 + (mix((withdrawals * 7 + announcements) ^ seed) % (PEERS - 1))) % PEERS;
          changes++;
          if (dirty[r] === 0) {
            dirty[r] = 1;
            dirtyList.push(r);
          }
        }
        if (n < CAPACITY) break;
      }
      messages += stepUpdates;
      fibChanges += changes;
      if (dirtyList.length > 0) {
        let ins = 0,
          del = 0;
        for (const r of dirtyList) {
          dirty[r] = 0;
          if (paths[r]! > 0) {
            insertAddresses[ins] = addresses[r]!;
            insertLengths[ins] = lengths[r]!;
            insertAdjacencies[ins++] = adjacencies[peer[r]!]!;
          } else {
            deleteAddresses[del] = addresses[r]!;
            deleteLengths[del++] = lengths[r]!;
          }
        }
        dirtyList.length = 0;
        if (del > 0) fib.deleteBatch(deleteAddresses.subarray(0, del), deleteLengths.subarray(0, del));
        if (ins > 0) fib.insertBatch(insertAddresses.subarray(0, ins), insertLengths.subarray(0, ins), insertAdjacencies.subarray(0, ins));
      }
      // Event B: the reset peer re-sends its whole table over RESET_MS (TCP-paced, evenly).
      const resent = regime === "week" ? resentBy(t1) - resentBy(t0) : 0;
      messages += resent;
      const received = stepUpdates + resent;
      if (received > 0) {
        cpu.charge("BGP I/O", costScale * received * BGP_COSTS.ioMessageMicroseconds, received);
        cpu.charge("BGP Router", costScale * received * BGP_COSTS.routerUpdateMicroseconds, received);
      }
      if (changes > 0) cpu.charge("CEF process", costScale * changes * BGP_COSTS.cefUpdateMicroseconds, changes);
      // BGP Scanner: the whole table once a minute (counted from the end of the last walk).
      if (!scannerRunning && t0 >= scannerNextMs) {
        const us = scanMicroseconds;
        cpu.charge("BGP Scanner", us, Math.ceil(us / BGP_COSTS.scannerSliceMicroseconds));
        scannerRunning = true;
        // Once a minute from the walk's start, jittered by a period either way (IOS jitters its timers) **(inferred)**.
        scannerNextMs = t0 + BGP_COSTS.scannerIntervalSeconds * 1000 + (noiseRandom.below(3) - 1) * STEP_MS;
      }
      // The rest of the router: IP Input's load with its daily swing and noise, and the interrupt level.
      const hourUtc = ((((startUtcMs + t0) % DAY) + DAY) % DAY) / HOUR;
      const other = BGP_COSTS.otherPercent + BGP_COSTS.otherDiurnalPercent * Math.cos((2 * Math.PI * (hourUtc - 15)) / 24) + ar;
      ar = rho * ar + innovation * standardNormal(noiseRandom);
      const periodUs = (t1 - t0) * 1000;
      if (other > 0) cpu.charge("IP Input", (other / 100) * periodUs, Math.max(1, Math.round((t1 - t0) / 1000)));
      cpu.chargeInterrupt((BGP_COSTS.interruptPercent / 100) * periodUs);
      cpu.advance(t1);
      if (scannerRunning && cpu.backlogMicroseconds("BGP Scanner") < 1e-6) scannerRunning = false;
      if (t1 % BGP_BIN_MS === 0 || t1 === runMs) {
        const s = cpu.snapshot();
        maxBusy = Math.max(maxBusy, s.fiveSecondPercent);
        const bin = Math.ceil(t1 / BGP_BIN_MS) - 1;
        cpuSeries[bin] = s.oneMinutePercent;
        for (const p of s.processes) {
          const series = processCpu[p.name];
          if (series !== undefined) series[bin] = p.oneMinutePercent;
        }
      } else {
        maxBusy = Math.max(maxBusy, cpu.snapshot().fiveSecondPercent);
      }
      if (options.progress !== undefined && t1 >= nextProgress) {
        options.progress(t1 / 1000);
        nextProgress += HOUR;
      }
    }
    const ccf: BgpCcfWindow[] = [];
    for (const [name, fromMs, toMs, maxLag] of ccfWindows(regime, seconds)) {
      const fromBin = Math.max(0, Math.floor(fromMs / BGP_BIN_MS));
      const toBin = Math.min(bins, Math.ceil(toMs / BGP_BIN_MS));
      const n = toBin - fromBin;
      if (n <= maxLag + 1) continue; // the window is (almost) outside the run
      const c = crossCorrelation(updates.subarray(fromBin, toBin), cpuSeries.subarray(fromBin, toBin), maxLag);
      let best = 0;
      for (let k = 1; k < c.r.length; k++) if (c.r[k]! > c.r[best]!) best = k;
      ccf.push({ name, fromBin, toBin, ...c, lag0: c.r[maxLag]!, max: c.r[best]!, maxLag: c.lags[best]! });
    }
    const processes = cpu.snapshot();
    let all = 0,
      bgp = 0;
    for (const p of processes.processes) {
      all += p.runtimeMs;
      if (p.name.startsWith("BGP ")) bgp += p.runtimeMs;
    }
    const events: BgpEvent[] =
      regime === "week"
        ? [
            { name: "Event A", seconds: EVENT_A_MS / 1000 },
            { name: "Event B (session reset)", seconds: EVENT_B_MS / 1000 },
          ]
        : [{ name: "Slammer", seconds: SLAMMER_LEAD_MS / 1000 }];
    return {
      regime,
      seconds,
      seed,
      startUtcMs,
      routes,
      updates,
      cpu: cpuSeries,
      processCpu,
      messages,
      announcements,
      withdrawals,
      fibChanges,
      fibRoutesStart,
      fibRoutesEnd: fib.size(4),
      maxFiveSecondPercent: maxBusy,
      bgpSharePercent: all === 0 ? 0 : (bgp / all) * 100,
      events: events.filter((e) => e.seconds < seconds),
      ccf,
      processes,
      cef: fib.summary(),
    };
  } finally {
    fib.dispose();
  }
}

/** A 32-bit integer hash (deterministic next-hop and path choices). */
function mix(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
