/**
 * Estimates of traffic totals from sampled packets, with error bars (research: sampling.md §5).
 *
 * Every random mode selects each packet with probability exactly 1/N, so the Horvitz–Thompson
 * total N·Σy over the selected packets is unbiased for any traffic. Its variance is estimated
 * by N(N−1)·Σy² (unbiased for `bernoulli`, an upper bound for `random`, slightly conservative
 * for `sflow`). Small packet counts get the exact (Garwood) Poisson interval, scaled by N.
 * When the population reaching the sampler is known (the sampler's `seen`), the ratio
 * estimator population·(Σy/k) corrects for the realised rate.
 *
 * Flow counts are never scaled by N: a sampled flow record stands for a flow that was seen at
 * least once, and long flows are seen far more often than short ones. Use the TCP SYN
 * estimator ({@link estimateTcpConnections}) to estimate connections.
 */

import { ConfigError, describe } from "../errors.js";
import type { SamplerMode } from "../sampling/modes.js";
import { binomialInterval, normalQuantile, poissonInterval } from "./distributions.js";

/** An estimate with its error bars. */
export interface Estimate {
  estimate: number;
  /** Estimated variance of the estimate. */
  variance: number;
  /** √variance. */
  standardError: number;
  /** standardError / estimate (Infinity when the estimate is 0 but uncertain, 0 when exact). */
  relativeError: number;
  /** The confidence interval [ciLow, ciHigh] at `confidence`. */
  ciLow: number;
  ciHigh: number;
  confidence: number;
  /**
   * `exact` (N = 1: nothing was sampled away), `garwood` (exact Poisson interval for a small
   * count, scaled), `normal` (N·Σy ± z·√V̂), `ratio` (population·Σy/k).
   */
  method: "exact" | "garwood" | "normal" | "ratio";
  /** Selected packets the estimate rests on. */
  samplesUsed: number;
  /** Set for deterministic sampling: its error bars assume the traffic has no period sharing a factor with N. */
  biasWarning?: string;
}

/** Sampling parameters of an estimate. */
export interface EstimateOptions {
  /** N: the sampler selected one packet out of N. */
  interval: number;
  /** The sampler's mode (default `random`). */
  mode?: SamplerMode;
  /** Confidence level of the interval (default 0.95). */
  confidence?: number;
}

/** Below this many selected packets, packet counts use the exact Poisson (Garwood) interval. */
export const SMALL_COUNT = 30;

const DETERMINISTIC_WARNING =
  "deterministic (every Nth) sampling: the estimate and its interval assume the traffic has no period sharing a factor with N; periodic traffic can bias it arbitrarily";

function checkOptions(options: EstimateOptions): { interval: number; confidence: number; warning: string | undefined } {
  const interval = options?.interval;
  if (typeof interval !== "number" || !Number.isFinite(interval) || interval < 1) {
    throw new ConfigError("estimate-interval", `invalid sampling interval ${describe(interval)}: expected a number ≥ 1`, interval);
  }
  const confidence = options.confidence ?? 0.95;
  if (typeof confidence !== "number" || !(confidence > 0 && confidence < 1)) {
    throw new ConfigError(
      "estimate-confidence",
      `invalid confidence ${describe(confidence)}: expected a number strictly between 0 and 1`,
      confidence,
    );
  }
  return { interval, confidence, warning: options.mode === "deterministic" && interval > 1 ? DETERMINISTIC_WARNING : undefined };
}

function checkCount(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ConfigError("estimate-input", `invalid ${name} ${describe(value)}: expected a finite number ≥ 0`, value);
  }
  return value;
}

function finish(
  estimate: number,
  variance: number,
  ciLow: number,
  ciHigh: number,
  confidence: number,
  method: Estimate["method"],
  samplesUsed: number,
  warning: string | undefined,
): Estimate {
  const standardError = Math.sqrt(variance);
  const result: Estimate = {
    estimate,
    variance,
    standardError,
    relativeError: estimate > 0 ? standardError / estimate : ciHigh > 0 ? Infinity : 0,
    ciLow: Math.max(0, ciLow),
    ciHigh,
    confidence,
    method,
    samplesUsed,
  };
  if (warning !== undefined) result.biasWarning = warning;
  return result;
}

/**
 * The number of packets, from `sampledPackets` selected at 1 in N: N·k, variance N(N−1)·k,
 * interval exact (Garwood, scaled by N) below {@link SMALL_COUNT} selected packets, normal above.
 */
export function estimatePackets(sampledPackets: number, options: EstimateOptions): Estimate {
  const k = checkCount("sampled packet count", sampledPackets);
  const { interval: n, confidence, warning } = checkOptions(options);
  if (n === 1) return finish(k, 0, k, k, confidence, "exact", k, undefined);
  const variance = n * (n - 1) * k;
  if (k < SMALL_COUNT) {
    const [low, high] = poissonInterval(k, confidence);
    return finish(n * k, variance, n * low, n * high, confidence, "garwood", k, warning);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const se = Math.sqrt(variance);
  return finish(n * k, variance, n * k - z * se, n * k + z * se, confidence, "normal", k, warning);
}

/** Sums over the selected packets of an additive quantity y (bytes, or bytes of one class). */
export interface SampledSums {
  /** Selected packets that contributed (y > 0 or not: the packets counted in the sums). */
  count: number;
  /** Σy over the selected packets. */
  sum: number;
  /** Σy² over the selected packets. */
  sumOfSquares: number;
}

/**
 * The total of an additive per-packet quantity (for example bytes) from sums over the
 * selected packets: N·Σy, variance N(N−1)·Σy². Below {@link SMALL_COUNT} selected packets the
 * interval is the Garwood packet interval scaled by the sampled mean of y (approximate);
 * with no selected packet the upper end is `maxValue` times the Garwood bound (Infinity when
 * `maxValue` is not given).
 */
export function estimateTotal(sums: SampledSums, options: EstimateOptions & { maxValue?: number }): Estimate {
  const k = checkCount("sampled count", sums?.count);
  const sum = checkCount("sampled sum", sums.sum);
  const squares = checkCount("sampled sum of squares", sums.sumOfSquares);
  const { interval: n, confidence, warning } = checkOptions(options);
  if (n === 1) return finish(sum, 0, sum, sum, confidence, "exact", k, undefined);
  const variance = n * (n - 1) * squares;
  if (k < SMALL_COUNT) {
    const [low, high] = poissonInterval(k, confidence);
    const mean = k > 0 ? sum / k : (options.maxValue ?? Infinity);
    return finish(n * sum, variance, n * low * (k > 0 ? mean : 0), n * high * mean, confidence, "garwood", k, warning);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const se = Math.sqrt(variance);
  return finish(n * sum, variance, n * sum - z * se, n * sum + z * se, confidence, "normal", k, warning);
}

/**
 * A class's share of a known population, from the sampled packets: of `sampled` selected
 * packets, `sampledInClass` belonged to the class, and `population` packets reached the
 * sampler (its `seen`). Estimate population·k_c/k; interval exact (Clopper–Pearson on k_c/k)
 * for small counts, normal with variance population²·p̂(1−p̂)/k otherwise (the sFlow
 * "packet sampling basics" rule). Exact when every packet was sampled.
 */
export function estimateShare(
  counts: { population: number; sampled: number; sampledInClass: number },
  options: { confidence?: number; mode?: SamplerMode; interval?: number } = {},
): Estimate {
  const population = checkCount("population", counts?.population);
  const k = checkCount("sampled count", counts.sampled);
  const kc = checkCount("sampled count in class", counts.sampledInClass);
  if (kc > k || k > population) {
    throw new ConfigError("estimate-input", `inconsistent counts ${describe(counts)}: need sampledInClass ≤ sampled ≤ population`, counts);
  }
  const { confidence, warning } = checkOptions({
    interval: options.interval ?? 1,
    confidence: options.confidence ?? 0.95,
    ...(options.mode ? { mode: options.mode } : {}),
  });
  if (k === population) return finish(kc, 0, kc, kc, confidence, "exact", k, undefined);
  if (k === 0) return finish(0, 0, 0, population, confidence, "ratio", 0, warning);
  const p = kc / k;
  const variance = (population * population * p * (1 - p)) / k;
  let low: number, high: number;
  if (kc < SMALL_COUNT || k - kc < SMALL_COUNT) {
    const [pl, ph] = binomialInterval(kc, k, confidence);
    [low, high] = [population * pl, population * ph];
  } else {
    const z = normalQuantile(1 - (1 - confidence) / 2);
    const se = Math.sqrt(variance);
    [low, high] = [population * p - z * se, population * p + z * se];
  }
  return finish(population * p, variance, low, Math.min(population, high), confidence, "ratio", k, warning);
}

/**
 * The ratio estimate of a total when the population is known: population·ȳ over the selected
 * packets, with the linearised variance population²·s²/k·(1 − k/population). Corrects for a
 * realised sampling rate that differs from 1/N (dropped samples, rate changes).
 */
export function estimateRatioTotal(
  population: number,
  sums: SampledSums,
  options: { confidence?: number; mode?: SamplerMode } = {},
): Estimate {
  const pop = checkCount("population", population);
  const k = checkCount("sampled count", sums?.count);
  const sum = checkCount("sampled sum", sums.sum);
  const squares = checkCount("sampled sum of squares", sums.sumOfSquares);
  if (k > pop) throw new ConfigError("estimate-input", `inconsistent counts: ${k} sampled out of a population of ${pop}`, k);
  const { confidence, warning } = checkOptions({
    interval: 1,
    confidence: options.confidence ?? 0.95,
    ...(options.mode ? { mode: options.mode } : {}),
  });
  if (k === pop) return finish(sum, 0, sum, sum, confidence, "exact", k, undefined);
  if (k === 0) return finish(0, 0, 0, Infinity, confidence, "ratio", 0, warning);
  const mean = sum / k;
  const sampleVariance = k > 1 ? Math.max(0, (squares - k * mean * mean) / (k - 1)) : 0;
  const variance = ((pop * pop * sampleVariance) / k) * (1 - k / pop);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const se = Math.sqrt(variance);
  return finish(pop * mean, variance, pop * mean - z * se, pop * mean + z * se, confidence, "ratio", k, warning);
}

/**
 * TCP connections from sampled SYN packets (SYN set, ACK clear): each connection opens with one
 * such packet, so N·s estimates the connections, with variance (N−1)·N·s. Retransmitted SYNs
 * bias it upward. This, not N × the number of flow records, is how to estimate flows.
 */
export function estimateTcpConnections(sampledSynPackets: number, options: EstimateOptions): Estimate {
  return estimatePackets(sampledSynPackets, options);
}
