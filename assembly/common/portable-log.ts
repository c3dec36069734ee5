// A natural logarithm built only from IEEE-754 additions, multiplications, divisions and bit
// manipulation, so that it returns the same bits in WebAssembly and in JavaScript (whose
// Math.log is implementation-defined and not guaranteed to agree with AssemblyScript's).
// The TypeScript twin is src/sim/portable-log.ts; the two must stay operation-for-operation
// identical. Accuracy is a few ulp, which is all a sampler needs: what matters is that the
// WASM core and the TS reference draw the same geometric skips from the same random words.

/** ln 2, correctly rounded. */
const LN2: f64 = 0.6931471805599453;
/** √2, the upper end of the mantissa range [√2/2, √2). */
const SQRT2: f64 = 1.4142135623730951;

/**
 * ln(x) for finite x > 0 (returns NaN otherwise). x = m·2^e with m in [√2/2, √2), then
 * ln m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.1716, summed to 13 odd terms.
 */
export function portableLog(x: f64): f64 {
  if (!(x > 0) || x == Infinity) return NaN;
  let bits = reinterpret<u64>(x);
  let exponent = <i32>((bits >> 52) & 0x7ff);
  if (exponent == 0) {
    // Subnormal: scale by 2^54 (exact) and correct the exponent.
    bits = reinterpret<u64>(x * 18014398509481984.0);
    exponent = <i32>((bits >> 52) & 0x7ff) - 54;
  }
  let e = exponent - 1023;
  // Mantissa with exponent 0, in [1, 2).
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) {
    m = m * 0.5;
    e += 1;
  }
  const s = (m - 1.0) / (m + 1.0);
  const z = s * s;
  let series = 1.0 / 25.0;
  series = series * z + 1.0 / 23.0;
  series = series * z + 1.0 / 21.0;
  series = series * z + 1.0 / 19.0;
  series = series * z + 1.0 / 17.0;
  series = series * z + 1.0 / 15.0;
  series = series * z + 1.0 / 13.0;
  series = series * z + 1.0 / 11.0;
  series = series * z + 1.0 / 9.0;
  series = series * z + 1.0 / 7.0;
  series = series * z + 1.0 / 5.0;
  series = series * z + 1.0 / 3.0;
  const lnMantissa = 2.0 * s + 2.0 * s * (z * series);
  return <f64>e * LN2 + lnMantissa;
}
