// SipHash-1-3 of exactly three 64-bit words (24 bytes, little-endian), with the whole state in
// locals and no loop: the same value as `sipHash13` (hash.ts) over those 24 bytes, for short
// fixed-size keys on a packet path (the flow cache's IPv4 keys). A test checks the two agree.

// @ts-ignore: decorator
@inline export function sipHash13Words3(m0: u64, m1: u64, m2: u64, k0: u64, k1: u64): u64 {
  let v0: u64 = k0 ^ 0x736f6d6570736575;
  let v1: u64 = k1 ^ 0x646f72616e646f6d;
  let v2: u64 = k0 ^ 0x6c7967656e657261;
  let v3: u64 = k1 ^ 0x7465646279746573;
  v3 ^= m0;
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 ^= m0;
  v3 ^= m1;
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 ^= m1;
  v3 ^= m2;
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 ^= m2;
  // The last block: no tail bytes, the length (24) in the top byte.
  const last: u64 = (<u64>24) << 56;
  v3 ^= last;
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 ^= last;
  v2 ^= 0xff;
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  v0 += v1; v1 = rotl<u64>(v1, 13); v1 ^= v0; v0 = rotl<u64>(v0, 32);
  v2 += v3; v3 = rotl<u64>(v3, 16); v3 ^= v2;
  v0 += v3; v3 = rotl<u64>(v3, 21); v3 ^= v0;
  v2 += v1; v1 = rotl<u64>(v1, 17); v1 ^= v2; v2 = rotl<u64>(v2, 32);
  return v0 ^ v1 ^ v2 ^ v3;
}
