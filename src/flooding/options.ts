/**
 * Options of the flooding simulator, their defaults (research seq.md §2: the reference model
 * of the 27 October 1980 ARPANET collapse) and their validation.
 */

import { ConfigError, describe } from "../errors.js";
import { checkOptionNames } from "../common/validation.js";
import { type SequenceRuleName, checkSequenceRuleName, checkSequenceBits, checkSequenceValue, defaultSequenceBits } from "./sequence.js";
import type { TopologySpec } from "./topology.js";

/** A corrupted (or any) copy written into a node's table, which the node then floods to every neighbour. */
export interface FloodInjection {
  /** The node whose table is overwritten. */
  node: number;
  /** When, in ms of simulated time. */
  atMs: number;
  /** The copy's sequence number. */
  sequence: number;
  /**
   * The checksum the copy carries (default: the originator's valid checksum for `sequence`,
   * see `updateChecksum`). A number corrupted in a table keeps the checksum of the number it was
   * corrupted from, and fails an end-to-end check.
   */
  checksum?: number;
  /** The copy's age at injection, ms (default 0). */
  ageMs?: number;
}

/** A node that goes down (its lines are declared down: nothing is sent to it, what was in flight is lost). */
export interface NodeFailure {
  /** The node. */
  node: number;
  /** When, ms. */
  atMs: number;
}

/** The IMP "software alarm" (RFC 789): a node whose update process holds the CPU too long. */
export interface AlarmOptions {
  /** Sliding window, ms (default 5,000). */
  windowMs?: number;
  /** Busy fraction of the window that trips it (default 0.95: high, so normal flooding never does). */
  threshold?: number;
}

/** One run of the simulator. Times are milliseconds of simulated time. */
export interface FloodingOptions {
  /** The later-than rule every node applies. */
  rule: SequenceRuleName;
  /** Sequence-number width (default 6, or 32 for `ospf`). */
  bits?: number;
  /** The network (default a ring of 64 with 32 random chords). */
  topology?: TopologySpec;
  /** Seed of chords and link delays (default 1). */
  seed?: number;
  /** Simulated time (default 60,000). */
  durationMs?: number;
  /** Mean one-way link delay (default 5). */
  linkDelayMs?: number;
  /** Each link's delay is drawn once, uniformly within ± this fraction of the mean (default 0.2). */
  linkJitter?: number;
  /** CPU time a node spends examining one update, accepted or not (default 1). */
  cpuPerUpdateMs?: number;
  /** Input buffer of each node, updates waiting behind the one being examined; tail drop (default 64). */
  bufferCapacity?: number;
  /** The node whose updates are flooded (default 0). */
  originator?: number;
  /** The originator is down from the start, as IMP 50 was (default true). */
  originatorDown?: boolean;
  /** When the originator is up: interval between its updates (default 10,000: RFC 789 allows 1 to 12 a minute). */
  originationIntervalMs?: number;
  /** When the originator is up: the number of its first update (default 0), then +1 modulo 2^bits. */
  firstSequence?: number;
  /** Copies written into tables (the fault). */
  injections: readonly FloodInjection[];
  /** Nodes that go down during the run. */
  failures?: readonly NodeFailure[];
  /** RFC 789's retransmission rule: resend from the table if no update at least as recent comes back from that neighbour within this many ms (RFC: 100); null = off (default). */
  retransmitMs?: number | null;
  /** Flood an accepted update back to the neighbour it came from too, the echo RFC 789's retransmission rule relies on (default: on iff retransmission is). */
  floodToSender?: boolean;
  /** RFC 789's resynchronisation rule: after this long without a LATER update, accept any update (RFC: 60,000, the default); null = off. */
  resyncMs?: number | null;
  /** Copies age in transit and in storage and are discarded at MaxAge (Perlman 1983, RFC 2328); null = no aging (default). */
  maxAgeMs?: number | null;
  /** MaxAgeDiff of the OSPF comparison (default 900,000). */
  maxAgeDiffMs?: number;
  /** MinLSArrival (RFC 2328 §13 step 5a): discard a newer copy arriving within this long of installing the stored one; null = off (default). */
  minLsArrivalMs?: number | null;
  /** Verify the originator's end-to-end checksum on receipt and drop copies that fail (default false: the IMPs had none). */
  verifyChecksum?: boolean;
  /** Width of the timeline buckets (default 100). */
  sampleMs?: number;
  /** The storm persisted if updates were still being accepted in this final window (default min(5,000, duration / 2); with the originator up, beyond one per node per recent origination). */
  quietWindowMs?: number;
  /** The software alarm. */
  alarm?: AlarmOptions;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedFloodingOptions {
  rule: SequenceRuleName;
  bits: number;
  topology: TopologySpec;
  seed: number;
  durationMs: number;
  linkDelayMs: number;
  linkJitter: number;
  cpuPerUpdateMs: number;
  bufferCapacity: number;
  originator: number;
  originatorDown: boolean;
  originationIntervalMs: number;
  firstSequence: number;
  injections: readonly FloodInjection[];
  failures: readonly NodeFailure[];
  retransmitMs: number | null;
  floodToSender: boolean;
  resyncMs: number | null;
  maxAgeMs: number | null;
  maxAgeDiffMs: number;
  minLsArrivalMs: number | null;
  verifyChecksum: boolean;
  sampleMs: number;
  quietWindowMs: number;
  alarm: Required<AlarmOptions>;
}

/** The research defaults (seq.md §2). */
export const FLOODING_DEFAULTS = {
  nodes: 64,
  seed: 1,
  durationMs: 60_000,
  linkDelayMs: 5,
  linkJitter: 0.2,
  cpuPerUpdateMs: 1,
  bufferCapacity: 64,
  originationIntervalMs: 10_000,
  resyncMs: 60_000,
  maxAgeDiffMs: 900_000,
  sampleMs: 100,
  alarmWindowMs: 5_000,
  alarmThreshold: 0.95,
} as const;

const OPTION_NAMES = [
  "rule",
  "bits",
  "topology",
  "seed",
  "durationMs",
  "linkDelayMs",
  "linkJitter",
  "cpuPerUpdateMs",
  "bufferCapacity",
  "originator",
  "originatorDown",
  "originationIntervalMs",
  "firstSequence",
  "injections",
  "failures",
  "retransmitMs",
  "floodToSender",
  "resyncMs",
  "maxAgeMs",
  "maxAgeDiffMs",
  "minLsArrivalMs",
  "verifyChecksum",
  "sampleMs",
  "quietWindowMs",
  "alarm",
] as const;

function number(name: string, value: unknown, { min = 0, integer = false, exclusiveMin = false, max = Infinity } = {}): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    (exclusiveMin && value === min) ||
    value > max
  ) {
    const range = `${exclusiveMin ? ">" : "≥"} ${min}${max === Infinity ? "" : ` and ≤ ${max}`}`;
    throw new ConfigError(
      `flooding-${name}`,
      `${name} must be ${integer ? "an integer" : "a number"} ${range}, got ${describe(value)}`,
      value,
    );
  }
  return value;
}

function optionalTimer(name: string, value: number | null | undefined, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  return number(name, value, { exclusiveMin: true });
}

/**
 * Fills in the defaults and checks every option.
 *
 * @throws ConfigError naming the first bad or misspelled option
 */
export function resolveFloodingOptions(options: FloodingOptions): ResolvedFloodingOptions {
  checkOptionNames(options, OPTION_NAMES, "flooding");
  const rule = checkSequenceRuleName(options.rule);
  const bits = checkSequenceBits(options.bits ?? defaultSequenceBits(rule));
  const topology = options.topology ?? { kind: "ring-chords", nodes: FLOODING_DEFAULTS.nodes };
  const durationMs = number("durationMs", options.durationMs ?? FLOODING_DEFAULTS.durationMs, { exclusiveMin: true, max: 86_400_000 });
  const sampleMs = number("sampleMs", options.sampleMs ?? FLOODING_DEFAULTS.sampleMs, { exclusiveMin: true });
  if (durationMs / sampleMs > 1_000_000)
    throw new ConfigError("flooding-sampleMs", `sampleMs ${describe(sampleMs)} gives more than 1,000,000 timeline buckets`, sampleMs);
  const nodes = topology.nodes;
  const nodeIndex = (name: string, value: unknown) =>
    number(name, value, { integer: true, max: Math.max(0, (Number.isInteger(nodes) ? nodes : 1) - 1) });
  const originator = nodeIndex("originator", options.originator ?? 0);
  const retransmitMs = optionalTimer("retransmitMs", options.retransmitMs, null);
  if (!Array.isArray(options.injections))
    throw new ConfigError("flooding-injections", `injections must be an array, got ${describe(options.injections)}`, options.injections);
  const injections = options.injections.map((injection) => {
    nodeIndex("injection node", injection.node);
    number("injection atMs", injection.atMs, { max: durationMs });
    checkSequenceValue(injection.sequence, bits);
    if (injection.checksum !== undefined) number("injection checksum", injection.checksum, { integer: true, max: 0xffff });
    if (injection.ageMs !== undefined) number("injection ageMs", injection.ageMs);
    return injection;
  });
  const failures = (options.failures ?? []).map((failure) => {
    nodeIndex("failure node", failure.node);
    number("failure atMs", failure.atMs, { max: durationMs });
    return failure;
  });
  return {
    rule,
    bits,
    topology,
    seed: number("seed", options.seed ?? FLOODING_DEFAULTS.seed, { integer: true, max: Number.MAX_SAFE_INTEGER }),
    durationMs,
    linkDelayMs: number("linkDelayMs", options.linkDelayMs ?? FLOODING_DEFAULTS.linkDelayMs, { exclusiveMin: true }),
    linkJitter: number("linkJitter", options.linkJitter ?? FLOODING_DEFAULTS.linkJitter, { max: 0.99 }),
    cpuPerUpdateMs: number("cpuPerUpdateMs", options.cpuPerUpdateMs ?? FLOODING_DEFAULTS.cpuPerUpdateMs, { exclusiveMin: true }),
    bufferCapacity: number("bufferCapacity", options.bufferCapacity ?? FLOODING_DEFAULTS.bufferCapacity, { integer: true, max: 1_000_000 }),
    originator,
    originatorDown: options.originatorDown ?? true,
    originationIntervalMs: number("originationIntervalMs", options.originationIntervalMs ?? FLOODING_DEFAULTS.originationIntervalMs, {
      exclusiveMin: true,
    }),
    firstSequence: checkSequenceValue(options.firstSequence ?? 0, bits),
    injections,
    failures,
    retransmitMs,
    floodToSender: options.floodToSender ?? retransmitMs !== null,
    resyncMs: optionalTimer("resyncMs", options.resyncMs, FLOODING_DEFAULTS.resyncMs),
    maxAgeMs: optionalTimer("maxAgeMs", options.maxAgeMs, null),
    maxAgeDiffMs: number("maxAgeDiffMs", options.maxAgeDiffMs ?? FLOODING_DEFAULTS.maxAgeDiffMs),
    minLsArrivalMs: optionalTimer("minLsArrivalMs", options.minLsArrivalMs, null),
    verifyChecksum: options.verifyChecksum ?? false,
    sampleMs,
    quietWindowMs: number("quietWindowMs", options.quietWindowMs ?? Math.min(5_000, durationMs / 2), {
      exclusiveMin: true,
      max: durationMs,
    }),
    alarm: {
      windowMs: number("alarm windowMs", options.alarm?.windowMs ?? FLOODING_DEFAULTS.alarmWindowMs, { exclusiveMin: true }),
      threshold: number("alarm threshold", options.alarm?.threshold ?? FLOODING_DEFAULTS.alarmThreshold, { exclusiveMin: true, max: 1 }),
    },
  };
}
