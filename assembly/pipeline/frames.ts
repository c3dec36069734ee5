// Byte-level pieces of the rewrite and of the frames the router originates: MAC conversions,
// the TTL / hop-limit decrement with the incremental IPv4 checksum (RFC 1624, eqn. 3), the
// Internet checksum (RFC 1071) and the ARP frame (RFC 826).

/** A MAC as the ARP table holds it (first octet in bits 40..47) from six bytes in wire order. */
// @ts-ignore: decorator
@inline export function macFromWire(p: usize): u64 {
  return ((<u64>load<u8>(p)) << 40) | ((<u64>load<u8>(p, 1)) << 32) | ((<u64>load<u8>(p, 2)) << 24)
    | ((<u64>load<u8>(p, 3)) << 16) | ((<u64>load<u8>(p, 4)) << 8) | <u64>load<u8>(p, 5);
}

/** Writes a MAC held as in the ARP table as six bytes in wire order. */
// @ts-ignore: decorator
@inline export function macToWire(mac: u64, p: usize): void {
  store<u32>(p, bswap<u32>(<u32>(mac >> 16)));
  store<u16>(p, bswap<u16>(<u16>mac), 4);
}

// @ts-ignore: decorator
@inline export function load16be(p: usize): u32 {
  return ((<u32>load<u8>(p)) << 8) | <u32>load<u8>(p, 1);
}

// @ts-ignore: decorator
@inline export function store16be(p: usize, v: u32): void {
  store<u8>(p, <u8>(v >> 8));
  store<u8>(p, <u8>v, 1);
}

// @ts-ignore: decorator
@inline export function store32be(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

// @ts-ignore: decorator
@inline export function load32be(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/** One's-complement sum of `bytes` bytes at `p` (odd length padded with a zero), not folded. */
export function onesSum(p: usize, bytes: u32, initial: u64): u64 {
  let sum = initial;
  let k: u32 = 0;
  for (; k + 1 < bytes; k += 2) sum += <u64>load16be(p + k);
  if (k < bytes) sum += (<u64>load<u8>(p + k)) << 8;
  return sum;
}

/** Folds a one's-complement sum and complements it: the checksum field's value. */
export function checksumOf(sum: u64): u32 {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return <u32>(~sum) & 0xffff;
}

/** Whether the IPv4 header at `ip` (`headerBytes` long) has a correct checksum. */
export function ipv4HeaderValid(ip: usize, headerBytes: u32): bool {
  if (headerBytes != 20) return checksumOf(onesSum(ip, headerBytes, 0)) == 0;
  // The usual 20-byte header: the one's-complement sum taken over 32-bit words in memory order
  // folds to the same check (RFC 1071 §2: byte order independence, parallel summation); a
  // correct header sums to all ones.
  let sum = <u64>load<u32>(ip) + <u64>load<u32>(ip, 4) + <u64>load<u32>(ip, 8) + <u64>load<u32>(ip, 12) + <u64>load<u32>(ip, 16);
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return sum == 0xffff;
}

/**
 * Decrements the TTL of the IPv4 header at `ip` and updates its checksum incrementally:
 * HC' = ~(~HC + ~m + m') (RFC 1624 eqn. 3), m the 16-bit word holding TTL and protocol.
 */
export function decrementTtl4(ip: usize): void {
  const m = load16be(ip + 8);
  const m2 = (m - 0x100) & 0xffff;
  const hc = load16be(ip + 10);
  let sum = <u32>(~hc & 0xffff) + <u32>(~m & 0xffff) + m2;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  store<u8>(ip + 8, <u8>(m2 >> 8));
  store16be(ip + 10, ~sum & 0xffff);
}

/** Writes an Ethernet ARP frame (padded to 60 bytes) at `p`; returns its length. */
export function writeArpFrame(p: usize, op: u32, ethDestination: u64, ownMac: u64, senderIp: u32, targetMac: u64, targetIp: u32): u32 {
  macToWire(ethDestination, p);
  macToWire(ownMac, p + 6);
  store16be(p + 12, 0x0806);
  store16be(p + 14, 1);
  store16be(p + 16, 0x0800);
  store<u8>(p + 18, 6);
  store<u8>(p + 19, 4);
  store16be(p + 20, op);
  macToWire(ownMac, p + 22);
  store32be(p + 28, senderIp);
  macToWire(targetMac, p + 32);
  store32be(p + 38, targetIp);
  memory.fill(p + 42, 0, 18);
  return 60;
}
