/**
 * The 27 October 1980 ARPANET collapse (RFC 789) as flooding-simulator options: IMP 50 (the
 * originator) is down, and copies of its update with sequence numbers 8, 40 and 44 (one real
 * update, 44, whose number lost bits in IMP 29's tables) are loose in the network.
 */

import { ConfigError, describe } from "../errors.js";
import { updateChecksum } from "./checksum.js";
import { FLOODING_DEFAULTS, type FloodInjection, type FloodingOptions } from "./options.js";
import type { SequenceRuleName } from "./sequence.js";

/** The sequence numbers found in the IMPs' core dumps, in queue order (RFC 789): 44 is the real one. */
export const ARPANET_1980_VALUES: readonly number[] = [8, 40, 44];

/** Where the copies appear: at nodes spread evenly around the network at t = 0, or at one node 2 ms apart (as IMP 29 re-created them). */
export type InjectionPattern = "spread" | "single";

/** The scenario's knobs; anything else goes to the simulator through `flooding`. */
export interface Arpanet1980Options {
  /** The rule every node applies (default `rfc789`). */
  rule?: SequenceRuleName;
  /** Sequence numbers of the copies (default 8, 40, 44). The last is the real update; the others carry its checksum, as corruptions of it. */
  values?: readonly number[];
  /** Nodes (default 64, ring with N/2 random chords). */
  nodes?: number;
  /** Simulated seconds (default 60). */
  seconds?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Injection pattern (default `spread`). */
  pattern?: InjectionPattern;
  /** Further simulator options (MaxAge, MinLSArrival, checksum, retransmission, ...). */
  flooding?: Partial<Omit<FloodingOptions, "rule" | "injections">>;
}

/** The node that plays IMP 50, the originator (down). */
const ORIGINATOR = 0;

/**
 * The copies of the scenario: `values[i]` injected at node 1 + ⌊i·(N − 1)/k⌋ at t = 0
 * (`spread`), or all at node 1 at t = 2i ms (`single`); copies other than the last carry the
 * last one's checksum.
 */
export function arpanet1980Injections(values: readonly number[], nodes: number, pattern: InjectionPattern): FloodInjection[] {
  if (values.length === 0) throw new ConfigError("arpanet-values", "at least one sequence number is needed", values);
  if (pattern !== "spread" && pattern !== "single")
    throw new ConfigError("arpanet-pattern", `injection pattern must be spread or single, got ${describe(pattern)}`, pattern);
  const real = values[values.length - 1]!;
  return values.map((sequence, i) => ({
    node: pattern === "single" ? 1 : 1 + Math.floor((i * (nodes - 1)) / values.length),
    atMs: pattern === "single" ? 2 * i : 0,
    sequence,
    ...(i === values.length - 1 ? {} : { checksum: updateChecksum(ORIGINATOR, real) }),
    ...(pattern === "single" ? { ageMs: 2 * i } : {}),
  }));
}

/**
 * Simulator options for the scenario: research seq.md §2's defaults (64 nodes, mean degree 3,
 * 5 ms ± 20 % links, 1 ms of CPU per examined update, 64-update buffers, 60 s) with the
 * originator (node 0, "IMP 50") down.
 *
 * @throws ConfigError for an empty value list or an unknown pattern (the simulator checks the rest)
 */
export function arpanet1980(options: Arpanet1980Options = {}): FloodingOptions {
  const nodes = options.nodes ?? FLOODING_DEFAULTS.nodes;
  const values = options.values ?? ARPANET_1980_VALUES;
  return {
    topology: { kind: "ring-chords", nodes },
    seed: options.seed ?? FLOODING_DEFAULTS.seed,
    durationMs: (options.seconds ?? FLOODING_DEFAULTS.durationMs / 1000) * 1000,
    ...options.flooding,
    rule: options.rule ?? "rfc789",
    originator: ORIGINATOR,
    originatorDown: true,
    injections: arpanet1980Injections(values, nodes, options.pattern ?? "spread"),
  };
}
