/**
 * Typed-array views of a module's memory. `memory.grow` detaches every view of the old buffer,
 * so callers take their views from `refresh()` after any call that may allocate.
 */
export class HeapViews {
  readonly #memory: WebAssembly.Memory;
  #buffer: ArrayBuffer | undefined;
  u8!: Uint8Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f64!: Float64Array;

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
    this.refresh();
  }

  /** The views over the current buffer (recreated only when the memory has grown). */
  refresh(): this {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.u8 = new Uint8Array(buffer);
      this.u32 = new Uint32Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
    return this;
  }
}

/** A random 64-bit seed as two 32-bit halves, from the host's CSPRNG when it has one. */
export function randomSeed(): [number, number] {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?(array: Uint32Array): Uint32Array } }).crypto;
  if (cryptoApi?.getRandomValues) {
    const words = cryptoApi.getRandomValues(new Uint32Array(2));
    return [words[0]!, words[1]!];
  }
  return [(Math.random() * 2 ** 32) >>> 0, (Math.random() * 2 ** 32) >>> 0];
}

/** Splits a user seed (number or bigint) into two 32-bit halves. */
export function seedHalves(seed: number | bigint): [number, number] {
  const value = BigInt.asUintN(64, typeof seed === "bigint" ? seed : BigInt(Math.trunc(seed)));
  return [Number(value & 0xffffffffn), Number(value >> 32n)];
}
