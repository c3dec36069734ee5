// The one WebAssembly module of the library: every component's exports, plus the allocator
// that the TypeScript wrappers use for their staging buffers.

export * from "./fib";
export * from "./sampler";
export * from "./packet";
export * from "./arp";
export * from "./flow";
export * from "./export";
export * from "./route-cache";
export * from "./nat";
export * from "./bridge";
export * from "./pipeline";

import { sipHash13 } from "./common/hash";

/** SipHash-1-3 of `length` bytes at `ptr` under the key (k0, k1): the keyed hash every traffic-fed table uses (known-answer tests call it). */
export function hashSipHash13(ptr: usize, length: usize, k0: u64, k1: u64): u64 {
  return sipHash13(ptr, length, k0, k1);
}

/** Allocates `bytes` of zeroed memory for a host-side staging buffer. */
export function alloc(bytes: usize): usize {
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
export * from "./analysis";
