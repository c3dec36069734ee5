/**
 * The few distribution functions the sampling estimators need (normal, gamma/χ²/Poisson,
 * beta/binomial), written from the textbook methods: the Lanczos approximation of ln Γ,
 * the series and continued fraction of the regularized incomplete gamma function, the
 * continued fraction of the regularized incomplete beta function (modified Lentz), and
 * quantiles by safeguarded bisection/Newton. Accurate to about 1e-12 relative, which is far
 * below what confidence intervals need.
 */

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100000;

/** Lanczos coefficients for g = 7, n = 9 (published constants). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  // Q(a, x) = e^−x x^a / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …)))
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** The x with P(a, x) = p (the gamma(a, 1) quantile), for 0 ≤ p ≤ 1. */
export function gammaQuantile(p: number, a: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Infinity;
  const logNormalizer = logGamma(a);
  // Start: for small x, P(a, x) ≈ x^a / (a·Γ(a)); otherwise Wilson–Hilferty.
  const smallX = Math.exp((Math.log(p) + Math.log(a) + logNormalizer) / a);
  let x = smallX < 0.5 * a ? smallX : wilsonHilfertyGamma(p, a);
  if (!(x > 0 && Number.isFinite(x))) x = a;
  // Bracket [low, high] with P(low) ≤ p ≤ P(high), by halving and doubling.
  let low = x;
  let high = x;
  for (let i = 0; i < 4000 && gammaP(a, low) > p; i++) low /= 2;
  for (let i = 0; i < 4000 && gammaP(a, high) < p; i++) high *= 2;
  // Newton steps kept inside the bracket; a step that leaves it becomes a geometric bisection.
  for (let i = 0; i < 300; i++) {
    const f = gammaP(a, x) - p;
    if (Math.abs(f) <= 1e-15 * p) return x;
    if (f > 0) high = x;
    else low = x;
    const density = Math.exp(-x + (a - 1) * Math.log(x) - logNormalizer);
    let next = density > 0 ? x - f / density : NaN;
    if (!(next > low && next < high)) next = Math.sqrt(low) * Math.sqrt(high); // (low·high may underflow)
    if (Math.abs(next - x) <= 1e-14 * x || high <= low * (1 + 1e-15)) return next;
    x = next;
  }
  return x;
}

/** A starting point for the gamma quantile (Wilson–Hilferty). */
function wilsonHilfertyGamma(p: number, a: number): number {
  const z = normalQuantile(p);
  const v = 1 / (9 * a);
  const cube = 1 - v + z * Math.sqrt(v);
  return cube > 0 ? a * cube * cube * cube : a * 0.01;
}

/** The χ² quantile with `df` degrees of freedom. */
export function chiSquareQuantile(p: number, df: number): number {
  return 2 * gammaQuantile(p, df / 2);
}

/** P(χ²_df ≥ x): the upper tail (a χ² test's p-value). */
export function chiSquareUpperTail(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** erfc(x), through Q(1/2, x²). */
export function erfc(x: number): number {
  return x >= 0 ? gammaQ(0.5, x * x) : 2 - gammaQ(0.5, x * x);
}

/** The standard normal distribution function Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Acklam's rational approximation of the normal quantile (published coefficients). */
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The standard normal quantile Φ⁻¹(p), refined with one Halley step. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(ACKLAM_A, r) * q) / (poly(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  }
  // Halley refinement on Φ(x) − p (computed from the smaller tail, to keep its precision).
  const error = p < 0.5 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function poly(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const c of coefficients) value = value * x + c;
  return value;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function betaRegularized(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let an = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    an = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** The x with I_x(a, b) = p (the beta(a, b) quantile), by bisection. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let low = 0;
  let high = 1;
  // Until the bracket is tight relative to its upper end (x can be tiny when a < 1).
  for (let i = 0; i < 1200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (betaRegularized(mid, a, b) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return betaRegularized(1 - p, n - k, k + 1);
}

/**
 * The exact (Garwood) confidence interval for the mean of a Poisson count k:
 * [χ²(α/2; 2k)/2, χ²(1 − α/2; 2k + 2)/2], with the lower end 0 for k = 0.
 */
export function poissonInterval(k: number, confidence: number): [number, number] {
  const alpha = 1 - confidence;
  const low = k === 0 ? 0 : gammaQuantile(alpha / 2, k);
  const high = gammaQuantile(1 - alpha / 2, k + 1);
  return [low, high];
}

/** The exact (Clopper–Pearson) confidence interval for a binomial proportion of x successes in n. */
export function binomialInterval(x: number, n: number, confidence: number): [number, number] {
  const alpha = 1 - confidence;
  const low = x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1);
  const high = x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x);
  return [low, high];
}
