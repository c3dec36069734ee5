/**
 * The TypeScript twin of assembly/common/portable-log.ts: a natural logarithm made only of
 * IEEE-754 basic operations and bit manipulation, so it returns the same bits as the
 * WebAssembly core (Math.log is implementation-defined and may differ in the last ulp, which
 * would change a geometric skip now and then). Keep the two operation-for-operation identical.
 */

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Index of the high (sign/exponent) word in `words` on this platform. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * ln(x) for finite x > 0 (NaN otherwise), bit-identical to the WebAssembly core's
 * `portableLog`. x = m·2^e with m in [√2/2, √2), ln m = 2·atanh((m − 1)/(m + 1)).
 */
export function portableLog(x: number): number {
  if (!(x > 0) || x === Infinity) return NaN;
  scratch[0] = x;
  let exponent = (words[HIGH]! >>> 20) & 0x7ff;
  if (exponent === 0) {
    scratch[0] = x * 18014398509481984.0;
    exponent = ((words[HIGH]! >>> 20) & 0x7ff) - 54;
  }
  let e = exponent - 1023;
  // Mantissa with exponent 0, in [1, 2): keep the low word, replace the exponent bits.
  words[HIGH] = (words[HIGH]! & 0x000fffff) | 0x3ff00000;
  let m = scratch[0]!;
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
  return e * LN2 + lnMantissa;
}
