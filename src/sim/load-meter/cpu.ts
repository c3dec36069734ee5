/**
 * The route processor's CPU as IOS accounts for it: processes scheduled at process level and
 * work at interrupt level (fast and CEF switching, drivers, the console), measured by the Load
 * Meter process every 5-second scheduler period ("Not the last 5 realtime seconds but the last
 * 5 second period in the scheduler", OLD-CISCO-CPU-MIB busyPer; research/seq.md §5). Each
 * period gives the busy share and its interrupt part (`99%/2%`), and feeds 1- and 5-minute
 * exponentially decayed averages (avgBusy1, avgBusy5 — the paper's SNMP series, 004:L35); every
 * process gets the same three figures and its Runtime/Invoked/uSecs (spec §3.11, §7.4).
 *
 * Work is charged as CPU time (µs, from the cost table in costs.ts) when it is demanded. A
 * period serves interrupt work first; processes share what is left by priority (critical,
 * high, medium, low), in proportion within a priority; what does not fit waits for the next
 * period (`backlogMicroseconds`), and interrupt work beyond the period is lost
 * (`interruptOverrunMicroseconds`: the packets it would have switched) **(inferred scheduling)**.
 */

import { ConfigError, TimeError, describe } from "../../errors.js";
import type { ProcessesCpuSnapshot } from "../../show/processes.js";

/** A process's IOS scheduling priority. */
export type ProcessPriority = "critical" | "high" | "medium" | "low";
const PRIORITIES: readonly ProcessPriority[] = ["critical", "high", "medium", "low"];

/** A process of the model. */
export interface ProcessSpec {
  pid: number;
  name: string;
  /** Controlling terminal (default 0, the console). */
  tty?: number;
  /** Default `medium`. */
  priority?: ProcessPriority;
}

/**
 * The processes of the simulated router: those the seeds name, with the PIDs the seeds give
 * where they give one (Load Meter 1 from 004:L29; CEF process 73, CEF Scanner 84, BGP Router 87,
 * BGP I/O 88, BGP Scanner 89 from 000:L292–308); the others' PIDs are placeholders.
 */
export const ROUTER_PROCESSES: readonly ProcessSpec[] = [
  { pid: 1, name: "Load Meter", priority: "high" },
  { pid: 2, name: "SSH Process", tty: 2 },
  { pid: 12, name: "ARP Input" },
  { pid: 19, name: "IP Input" },
  { pid: 27, name: "IP Cache Ager", priority: "low" },
  { pid: 31, name: "IPC Seat Manager", priority: "high" },
  { pid: 45, name: "Logger", priority: "low" },
  { pid: 48, name: "HyBridge Input" },
  { pid: 73, name: "CEF process" },
  { pid: 80, name: "BGP Open" },
  { pid: 84, name: "CEF Scanner", priority: "low" },
  { pid: 87, name: "BGP Router" },
  { pid: 88, name: "BGP I/O" },
  { pid: 89, name: "BGP Scanner", priority: "low" },
];

/** How the 1- and 5-minute averages decay per 5-second period. */
export type Averaging = "unix" | "dell";

/**
 * The decay factor a of avg ← a·avg + (1 − a)·x for a window of `windowSeconds` sampled every
 * `periodSeconds`. Cisco does not publish its constants; `unix` is e^(−5/60) = 0.9200 and
 * e^(−5/300) = 0.9835, Linux's load-average constants (EXP_1 = 1884/2048, EXP_5 = 2014/2048);
 * `dell` is 1 − 2/(P/5 + 1), as Dell switch firmware documents (research/seq.md §5).
 */
export function decayFactor(averaging: Averaging, windowSeconds: number, periodSeconds: number): number {
  return averaging === "unix" ? Math.exp(-periodSeconds / windowSeconds) : 1 - 2 / (windowSeconds / periodSeconds + 1);
}

/** Options of {@link CpuModel}. */
export interface CpuModelOptions {
  /** The processes (default {@link ROUTER_PROCESSES}). */
  processes?: readonly ProcessSpec[];
  /** The scheduler period, ms (default 5,000). */
  periodMs?: number;
  /** Decay profile of the averages (default `unix`). */
  averaging?: Averaging;
  /** CPU time the Load Meter itself takes per run, µs (default 3: its uSecs in 004:L29). */
  loadMeterMicroseconds?: number;
  /** Keep every period's figures for charts (default true). */
  history?: boolean;
}

/** One closed period's figures, for time series. */
export interface CpuPeriod {
  /** End of the period, ms. */
  endMs: number;
  busyPercent: number;
  interruptPercent: number;
  oneMinutePercent: number;
  fiveMinutePercent: number;
  /** Each process's share of the period, %, in the order of {@link CpuModel.processes}. */
  processPercent: Float64Array;
}

interface ProcessState {
  spec: Required<ProcessSpec>;
  runtimeUs: number;
  invoked: number;
  demandUs: number;
  backlogUs: number;
  fiveSecond: number;
  oneMinute: number;
  fiveMinute: number;
}

/** The CPU model and its Load Meter. */
export class CpuModel {
  readonly periodMs: number;
  /** Decay factors per period of the 1- and 5-minute averages. */
  readonly oneMinuteDecay: number;
  readonly fiveMinuteDecay: number;
  /** Closed periods (when history is kept). */
  readonly history: CpuPeriod[] = [];
  /** Interrupt work that did not fit in its period, µs in all. */
  interruptOverrunMicroseconds = 0;
  readonly #processes: ProcessState[];
  readonly #byName = new Map<string, ProcessState>();
  readonly #byPid = new Map<number, ProcessState>();
  readonly #loadMeter: ProcessState | undefined;
  readonly #loadMeterUs: number;
  readonly #keepHistory: boolean;
  #periodStart = 0;
  #interruptDemandUs = 0;
  #interruptRuntimeUs = 0;
  #busy = 0;
  #interrupt = 0;
  #oneMinute = 0;
  #fiveMinute = 0;

  constructor(options: CpuModelOptions = {}) {
    this.periodMs = options.periodMs ?? 5000;
    if (!(this.periodMs > 0) || !Number.isFinite(this.periodMs))
      throw new ConfigError("cpu-period", `periodMs must be a positive number, got ${describe(this.periodMs)}`, this.periodMs);
    const averaging = options.averaging ?? "unix";
    if (averaging !== "unix" && averaging !== "dell")
      throw new ConfigError("cpu-averaging", `averaging must be "unix" or "dell", got ${describe(averaging)}`, averaging);
    this.oneMinuteDecay = decayFactor(averaging, 60, this.periodMs / 1000);
    this.fiveMinuteDecay = decayFactor(averaging, 300, this.periodMs / 1000);
    this.#loadMeterUs = options.loadMeterMicroseconds ?? 3;
    this.#keepHistory = options.history ?? true;
    this.#processes = (options.processes ?? ROUTER_PROCESSES).map((p) => {
      if (!Number.isInteger(p.pid) || p.pid < 0)
        throw new ConfigError("cpu-pid", `a process id must be an integer ≥ 0, got ${describe(p.pid)}`, p.pid);
      if (this.#byPid.has(p.pid) || this.#byName.has(p.name))
        throw new ConfigError("cpu-process-duplicate", `process ${describe(p.name)} (PID ${p.pid}) is listed twice`, p.name);
      const priority = p.priority ?? "medium";
      if (!PRIORITIES.includes(priority)) throw new ConfigError("cpu-priority", `unknown priority ${describe(priority)}`, priority);
      const state: ProcessState = {
        spec: { pid: p.pid, name: p.name, tty: p.tty ?? 0, priority },
        runtimeUs: 0,
        invoked: 0,
        demandUs: 0,
        backlogUs: 0,
        fiveSecond: 0,
        oneMinute: 0,
        fiveMinute: 0,
      };
      this.#byPid.set(p.pid, state);
      this.#byName.set(p.name, state);
      return state;
    });
    this.#loadMeter = this.#byName.get("Load Meter");
  }

  /** The processes, in the order given. */
  get processes(): readonly Required<ProcessSpec>[] {
    return this.#processes.map((p) => p.spec);
  }

  /** Start of the open period, ms. */
  get periodStartMs(): number {
    return this.#periodStart;
  }

  #process(process: string | number): ProcessState {
    const state = typeof process === "number" ? this.#byPid.get(process) : this.#byName.get(process);
    if (state === undefined) throw new ConfigError("cpu-process", `no process ${describe(process)}`, process);
    return state;
  }

  /** Charges `microseconds` of work to a process (by name or PID), in `invocations` runs. */
  charge(process: string | number, microseconds: number, invocations = 1): void {
    checkAmount(microseconds, "microseconds");
    checkAmount(invocations, "invocations");
    const p = this.#process(process);
    p.demandUs += microseconds;
    p.invoked += invocations;
  }

  /** Charges `microseconds` of work at interrupt level. */
  chargeInterrupt(microseconds: number): void {
    checkAmount(microseconds, "microseconds");
    this.#interruptDemandUs += microseconds;
  }

  /** Closes every period that ends at or before `nowMs` (the Load Meter's runs). */
  advance(nowMs: number): void {
    if (!Number.isFinite(nowMs) || nowMs < this.#periodStart) {
      throw new TimeError("time-backwards", `time ${describe(nowMs)} is before the open period's start ${this.#periodStart}`, nowMs);
    }
    while (nowMs >= this.#periodStart + this.periodMs) this.#closePeriod();
  }

  #closePeriod(): void {
    if (this.#loadMeter !== undefined) this.charge(this.#loadMeter.spec.pid, this.#loadMeterUs);
    const capacity = this.periodMs * 1000;
    const interrupt = Math.min(this.#interruptDemandUs, capacity);
    this.interruptOverrunMicroseconds += this.#interruptDemandUs - interrupt;
    this.#interruptDemandUs = 0;
    this.#interruptRuntimeUs += interrupt;
    let left = capacity - interrupt;
    let processTotal = 0;
    for (const priority of PRIORITIES) {
      const level = this.#processes.filter((p) => p.spec.priority === priority);
      const wanted = level.reduce((sum, p) => sum + p.demandUs + p.backlogUs, 0);
      const share = wanted <= left ? 1 : left / wanted;
      for (const p of level) {
        const want = p.demandUs + p.backlogUs;
        const served = want * share;
        p.runtimeUs += served;
        p.backlogUs = want - served;
        p.demandUs = 0;
        p.fiveSecond = (served / capacity) * 100;
        processTotal += served;
      }
      left = Math.max(0, left - wanted * share);
    }
    this.#busy = ((interrupt + processTotal) / capacity) * 100;
    this.#interrupt = (interrupt / capacity) * 100;
    const a1 = this.oneMinuteDecay,
      a5 = this.fiveMinuteDecay;
    this.#oneMinute = a1 * this.#oneMinute + (1 - a1) * this.#busy;
    this.#fiveMinute = a5 * this.#fiveMinute + (1 - a5) * this.#busy;
    for (const p of this.#processes) {
      p.oneMinute = a1 * p.oneMinute + (1 - a1) * p.fiveSecond;
      p.fiveMinute = a5 * p.fiveMinute + (1 - a5) * p.fiveSecond;
    }
    this.#periodStart += this.periodMs;
    if (this.#keepHistory) {
      this.history.push({
        endMs: this.#periodStart,
        busyPercent: this.#busy,
        interruptPercent: this.#interrupt,
        oneMinutePercent: this.#oneMinute,
        fiveMinutePercent: this.#fiveMinute,
        processPercent: Float64Array.from(this.#processes, (p) => p.fiveSecond),
      });
    }
  }

  /** Work waiting for a process, µs. */
  backlogMicroseconds(process: string | number): number {
    return this.#process(process).backlogUs;
  }

  /** CPU time spent at interrupt level since boot, µs. */
  get interruptRuntimeMicroseconds(): number {
    return this.#interruptRuntimeUs;
  }

  /** The figures of the last closed period, as `show processes cpu` prints them. */
  snapshot(): ProcessesCpuSnapshot {
    return {
      fiveSecondPercent: this.#busy,
      fiveSecondInterruptPercent: this.#interrupt,
      oneMinutePercent: this.#oneMinute,
      fiveMinutePercent: this.#fiveMinute,
      processes: this.#processes.map((p) => ({
        pid: p.spec.pid,
        runtimeMs: Math.floor(p.runtimeUs / 1000),
        invoked: p.invoked,
        microsecondsPerInvocation: p.invoked === 0 ? 0 : Math.floor(p.runtimeUs / p.invoked),
        fiveSecondPercent: p.fiveSecond,
        oneMinutePercent: p.oneMinute,
        fiveMinutePercent: p.fiveMinute,
        tty: p.spec.tty,
        name: p.spec.name,
      })),
    };
  }
}

function checkAmount(v: number, name: string): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new ConfigError("cpu-charge", `${name} must be a finite number ≥ 0, got ${describe(v)}`, v);
}
