// Big-endian stores for the export formats (NetFlow and IPFIX are network byte order; the
// flow records are little-endian WebAssembly memory).

// @ts-ignore: decorator
@inline export function be8(p: usize, value: u32, offset: usize): void {
  store<u8>(p + offset, <u8>value);
}

// @ts-ignore: decorator
@inline export function be16(p: usize, value: u32, offset: usize): void {
  store<u16>(p + offset, bswap<u16>(<u16>value));
}

// @ts-ignore: decorator
@inline export function be32(p: usize, value: u32, offset: usize): void {
  store<u32>(p + offset, bswap<u32>(value));
}

// @ts-ignore: decorator
@inline export function be64(p: usize, value: u64, offset: usize): void {
  // Two 32-bit swaps: fewer operations than AssemblyScript's 64-bit bswap.
  store<u32>(p + offset, bswap<u32>(<u32>(value >> 32)));
  store<u32>(p + offset + 4, bswap<u32>(<u32>value));
}

/** Reads a big-endian u16 (for header fields the encoder patches). */
// @ts-ignore: decorator
@inline export function readBe16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}
