/**
 * The WebAssembly side of a table component (the NAT and bridge tables): its reservation on
 * the core, the table its `create` function makes inside that reservation, a scratch area for
 * results, a staging area grown on demand for per-call arrays, and their release. A table that
 * cannot be made is a {@link CapacityError} (`KIND-memory` when WebAssembly memory runs out,
 * `KIND-budget` when it does not fit its reservation), and nothing stays reserved.
 */

import { CapacityError } from "../errors.js";
import type { Core, CoreAttachment } from "./core.js";
import type { WasmExports } from "./exports.js";

export class TableMemory {
  /** The table's address in WebAssembly memory. */
  readonly handle: number;
  /** `scratchBytes` for results the table writes. */
  readonly scratch: number;
  readonly #wasm: WasmExports;
  readonly #core: Core;
  readonly #attachment: CoreAttachment;
  #staging = 0;
  #stagingBytes = 0;

  /**
   * Reserves `bytes` (the table's own size) plus `scratchBytes` as `kind` on `core` and makes
   * the table with `create(limitBytes)` (0: it does not fit). `what` names it in errors ("a NAT
   * table of 40000 entries"), `parameter` and `value` say what to change.
   */
  constructor(
    core: Core,
    kind: string,
    sizes: { bytes: number; scratchBytes: number },
    create: (limitBytes: number) => number,
    refusal: { what: string; parameter: string; value: unknown },
  ) {
    this.#core = core;
    this.#wasm = core.wasm;
    const reserved = sizes.bytes + sizes.scratchBytes;
    this.#attachment = core.attach(kind, reserved, () => reserved, refusal.parameter);
    let handle = 0;
    try {
      handle = create(reserved);
    } catch (error) {
      core.detach(this.#attachment);
      throw new CapacityError(`${kind}-memory`, `cannot allocate ${refusal.what}: ${(error as Error).message}`, refusal.value);
    }
    if (handle === 0) {
      core.detach(this.#attachment);
      throw new CapacityError(`${kind}-budget`, `${refusal.what} does not fit its budget`, refusal.value);
    }
    this.handle = handle;
    this.scratch = this.#wasm.alloc(sizes.scratchBytes);
  }

  /** A staging area of at least `bytes` (the same one while it is large enough; at least 4096 bytes). */
  staging(bytes: number): number {
    if (bytes > this.#stagingBytes) {
      if (this.#staging !== 0) this.#wasm.free(this.#staging);
      this.#stagingBytes = Math.max(bytes, 4096);
      this.#staging = this.#wasm.alloc(this.#stagingBytes);
    }
    return this.#staging;
  }

  /** The staging area's size in bytes (0 before the first {@link staging}). */
  get stagingBytes(): number {
    return this.#stagingBytes;
  }

  /** Frees the table with `destroy(handle)`, the scratch and staging areas, and the reservation. */
  free(destroy: (handle: number) => void): void {
    destroy(this.handle);
    this.#wasm.free(this.scratch);
    if (this.#staging !== 0) this.#wasm.free(this.#staging);
    this.#core.detach(this.#attachment);
  }
}
