// Incremental Internet checksum update (RFC 1624, equation 3: HC' = ~(~HC + ~m + m')), for the
// fields NAT rewrites: addresses (two 16-bit words each), ports and ICMP query ids. Fields are
// big-endian in the frame; the checksum is read and written in place.

// @ts-ignore: decorator
@inline export function be16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}

// @ts-ignore: decorator
@inline export function setBe16(p: usize, v: u32): void {
  store<u16>(p, bswap<u16>(<u16>v));
}

// @ts-ignore: decorator
@inline export function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

// @ts-ignore: decorator
@inline export function setBe32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

/** The checksum `hc` after a 16-bit word of the covered data changed from `old` to `now`. */
// @ts-ignore: decorator
@inline export function adjust16(hc: u32, old: u32, now: u32): u32 {
  let sum = (~hc & 0xffff) + (~old & 0xffff) + (now & 0xffff);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** The checksum `hc` after a 32-bit field (an address) changed from `old` to `now`. */
// @ts-ignore: decorator
@inline export function adjust32(hc: u32, old: u32, now: u32): u32 {
  return adjust16(adjust16(hc, old >>> 16, now >>> 16), old & 0xffff, now & 0xffff);
}

/**
 * Updates the checksum at `at` for a 32-bit change. `udp`: a zero checksum means "none" and
 * stays zero, and a computed zero is sent as 0xffff (RFC 768).
 */
export function patch32(at: usize, old: u32, now: u32, udp: bool): void {
  const hc = be16(at);
  if (udp && hc == 0) return;
  let next = adjust32(hc, old, now);
  if (udp && next == 0) next = 0xffff;
  setBe16(at, next);
}

/** patch32 for a 16-bit change. */
export function patch16(at: usize, old: u32, now: u32, udp: bool): void {
  const hc = be16(at);
  if (udp && hc == 0) return;
  let next = adjust16(hc, old, now);
  if (udp && next == 0) next = 0xffff;
  setBe16(at, next);
}
