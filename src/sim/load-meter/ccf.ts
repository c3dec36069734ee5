/**
 * The sample cross-correlation function between two series, as the BGP paper uses it between
 * BGP update counts and CPU load per 5-minute bin (seed 004; spec §7.3–7.4; research/seq.md §5):
 * r_xy(k) = c_xy(k) / (s_x·s_y), c_xy(k) = (1/n)·Σ_{t=1}^{n−k} (x_{t+k} − x̄)(y_t − ȳ) for k ≥ 0 and
 * c_xy(−k) = c_yx(k); R's convention, so r(k) estimates cor(x[t+k], y[t]) and a peak at a negative
 * lag means x leads y. The approximate 95 % band for white noise is ±1.96/√n. Optionally both
 * series are prewhitened by an AR(p) fitted to x (Yule–Walker), so that shared trends (a worm's
 * ramp and the CPU's) do not pass for correlation.
 */

import { ConfigError, describe } from "../../errors.js";

/** Options of {@link crossCorrelation}. */
export interface CcfOptions {
  /** Divide lag k's sum by n − k instead of n (statsmodels' `adjusted`; default false). */
  adjusted?: boolean;
  /** Order of the AR prewhitening filter fitted to x (default 0: none). */
  prewhiten?: number;
}

/** The CCF at lags −maxLag … maxLag. */
export interface Ccf {
  lags: number[];
  r: number[];
  /** Half-width of the 95 % white-noise band, 1.96/√n. */
  ci95: number;
  /** Samples used (after prewhitening). */
  n: number;
}

/** The cross-correlation of x and y over ±`maxLag` (default 10, the paper's figures). */
export function crossCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, maxLag = 10, options: CcfOptions = {}): Ccf {
  if (x.length !== y.length)
    throw new ConfigError("ccf-length", `the series must have the same length, got ${x.length} and ${y.length}`, [x.length, y.length]);
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag >= x.length)
    throw new ConfigError("ccf-lag", `maxLag must be an integer from 0 to n − 1 (${x.length - 1}), got ${describe(maxLag)}`, maxLag);
  for (const series of [x, y])
    for (let i = 0; i < series.length; i++)
      if (!Number.isFinite(series[i]!))
        throw new ConfigError("ccf-value", `series value ${describe(series[i])} at ${i} is not finite`, series[i]);
  let xs = Array.from(x),
    ys = Array.from(y);
  const order = options.prewhiten ?? 0;
  if (order > 0) {
    const phi = yuleWalker(xs, order);
    xs = applyFilter(xs, phi);
    ys = applyFilter(ys, phi);
  }
  const n = xs.length;
  const mx = mean(xs),
    my = mean(ys);
  const sx = Math.sqrt(xs.reduce((a, v) => a + (v - mx) ** 2, 0) / n);
  const sy = Math.sqrt(ys.reduce((a, v) => a + (v - my) ** 2, 0) / n);
  const lags: number[] = [];
  const r: number[] = [];
  for (let k = -maxLag; k <= maxLag; k++) {
    let sum = 0;
    // x leads at k < 0: pair x[t] with y[t − k].
    for (let t = Math.max(0, -k); t < Math.min(n, n - k); t++) sum += (xs[t + k]! - mx) * (ys[t]! - my);
    const c = sum / (options.adjusted ? n - Math.abs(k) : n);
    lags.push(k);
    r.push(sx === 0 || sy === 0 ? 0 : c / (sx * sy));
  }
  return { lags, r, ci95: 1.96 / Math.sqrt(n), n };
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/** AR(p) coefficients of a series by the Yule–Walker equations (Levinson–Durbin recursion). */
export function yuleWalker(series: ArrayLike<number>, order: number): number[] {
  const n = series.length;
  if (!Number.isInteger(order) || order < 1 || order >= n)
    throw new ConfigError("ccf-prewhiten", `the AR order must be an integer from 1 to n − 1, got ${describe(order)}`, order);
  const m = Array.from(series).reduce((a, b) => a + b, 0) / n;
  const acov = (k: number) => {
    let s = 0;
    for (let t = k; t < n; t++) s += (series[t]! - m) * (series[t - k]! - m);
    return s / n;
  };
  const gamma = Array.from({ length: order + 1 }, (_, k) => acov(k));
  if (gamma[0] === 0) return new Array<number>(order).fill(0);
  let phi: number[] = [];
  let error = gamma[0]!;
  for (let k = 1; k <= order; k++) {
    let acc = gamma[k]!;
    for (let j = 1; j < k; j++) acc -= phi[j - 1]! * gamma[k - j]!;
    const reflection = acc / error;
    const next = phi.map((p, j) => p - reflection * phi[k - 2 - j]!);
    next.push(reflection);
    phi = next;
    error *= 1 - reflection * reflection;
  }
  return phi;
}

/** e_t = v_t − Σ φ_j v_{t−j}, for t ≥ p (the first p values are dropped). */
function applyFilter(v: number[], phi: number[]): number[] {
  const out: number[] = [];
  for (let t = phi.length; t < v.length; t++) {
    let e = v[t]!;
    for (let j = 0; j < phi.length; j++) e -= phi[j]! * v[t - 1 - j]!;
    out.push(e);
  }
  return out;
}
