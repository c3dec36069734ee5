/**
 * Sampling modes and their validation, shared by {@link Sampler}, the packet selector and the
 * reference samplers.
 */

import { ConfigError, describe } from "../errors.js";

/**
 * How a sampler picks one packet out of N:
 * - `random`: one packet at a uniformly random position in each window of N consecutive
 *   packets (Cisco Random Sampled NetFlow, `mode random one-out-of N`; PSAMP "random
 *   n-out-of-N" with n = 1). Exactly one per window; the default.
 * - `bernoulli`: each packet independently with probability 1/N (PSAMP "uniform
 *   probabilistic"), drawn as geometric skips.
 * - `deterministic`: the 1st, (N+1)th, (2N+1)th … packet (the older Sampled NetFlow; PSAMP
 *   "systematic count-based"). Biased on periodic traffic; kept for comparison and export.
 * - `sflow`: skips uniform on 1 … 2N − 1 (the sFlow reference agent's rule), started from
 *   the stationary delay so that every packet has probability exactly 1/N.
 */
export type SamplerMode = "random" | "bernoulli" | "deterministic" | "sflow";

/** Every mode, in the numbering of the WebAssembly core. */
export const SAMPLER_MODES: readonly SamplerMode[] = ["random", "bernoulli", "deterministic", "sflow"];

/** Largest interval: `one-out-of <1-65535>` (seed 003:L833). */
export const MAX_SAMPLING_INTERVAL = 65535;

/** The core's number for a mode, or a {@link ConfigError} naming the bad value. */
export function modeNumber(mode: unknown): number {
  const index = SAMPLER_MODES.indexOf(mode as SamplerMode);
  if (index < 0) {
    throw new ConfigError("sampler-mode", `invalid sampler mode ${describe(mode)}: expected one of ${SAMPLER_MODES.join(", ")}`, mode);
  }
  return index;
}

/** Checks an interval N: an integer from 1 to 65535. */
export function checkInterval(interval: unknown): number {
  if (typeof interval !== "number" || !Number.isInteger(interval) || interval < 1 || interval > MAX_SAMPLING_INTERVAL) {
    throw new ConfigError(
      "sampler-interval",
      `invalid sampling interval ${describe(interval)}: expected an integer from 1 to ${MAX_SAMPLING_INTERVAL}`,
      interval,
    );
  }
  return interval;
}

/** Checks a stream index (0 … 65535): samplers with one seed and different streams draw disjoint random numbers. */
export function checkStream(stream: unknown): number {
  if (typeof stream !== "number" || !Number.isInteger(stream) || stream < 0 || stream > 65535) {
    throw new ConfigError("sampler-stream", `invalid sampler stream ${describe(stream)}: expected an integer from 0 to 65535`, stream);
  }
  return stream;
}

/** Checks a 64-bit seed (the one check every component uses). */
export { checkSeed } from "../common/validation.js";
