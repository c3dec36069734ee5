// The one WebAssembly module of the library: every component's exports, plus the allocator
// that the TypeScript wrappers use for their staging buffers.

export * from "./fib";
export * from "./sampler";
export * from "./packet";
export * from "./arp";
export * from "./flow";
export * from "./export";

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
