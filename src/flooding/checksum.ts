/**
 * The end-to-end checksum of a simulated routing update: Fletcher-16 (RFC 1146, the
 * "8-bit Fletcher" alternate checksum) over the originator's id and the sequence number,
 * computed once by the originator as OSPF's LS checksum is (RFC 2328 §12.1.7) — so a copy
 * whose number was corrupted in an intermediate node's table fails verification.
 */

/** Fletcher-16 over `bytes` (RFC 1146 §2): two running sums mod 255, the second in the high byte. */
export function fletcher16(bytes: ArrayLike<number>): number {
  let sum1 = 0;
  let sum2 = 0;
  for (let i = 0; i < bytes.length; i++) {
    sum1 = (sum1 + (bytes[i]! & 0xff)) % 255;
    sum2 = (sum2 + sum1) % 255;
  }
  return (sum2 << 8) | sum1;
}

/**
 * The checksum the originator puts on its update number `sequence` (32-bit big-endian
 * originator id, then the 32-bit sequence number), per RFC 1146 Fletcher-16.
 */
export function updateChecksum(originator: number, sequence: number): number {
  const bytes: number[] = [];
  for (const word of [originator >>> 0, sequence >>> 0]) bytes.push(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
  return fletcher16(bytes);
}
