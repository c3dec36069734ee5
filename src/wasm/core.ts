/**
 * {@link Core}: one WebAssembly instance, its memory and its budget, shared by every component
 * made on it. Components on one core read each other's memory in place: a {@link PacketBatch}
 * made on a core is parsed, filtered, sampled, accounted and looked up by the components of that
 * core with no copy. Memory is partitioned up front: each component reserves its budget from the
 * core's `maxBytes` when it is created and gives it back when it is disposed.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import type { WasmExports } from "./exports.js";
import { instantiate } from "./instance.js";
import { HeapViews, randomSeed, seedHalves } from "./views.js";
import { checkOptionNames, checkSeed } from "../common/validation.js";

/** Options of a {@link Core}. */
export interface CoreOptions {
  /**
   * Upper bound on the bytes that the components of this core may reserve together (default
   * and maximum 4 GiB, the size of a 32-bit WebAssembly memory).
   */
  maxBytes?: number;
  /**
   * 64-bit seed from which components made on this core without their own `seed` derive theirs
   * (deterministically, in creation order). Default: each component draws a random seed.
   */
  seed?: number | bigint;
  /** @internal The WebAssembly build to instantiate (tests register "debug"); default the release build. */
  build?: string;
}

/** One component's share of a core, as {@link Core.memory} reports it. */
export interface ComponentMemory {
  /** The component's id on its core (creation order, from 1). */
  id: number;
  /** The component's kind: `fib`, `flow-cache`, `arp`, `sampler`, `packet-selector`, `packet-batch`, ... */
  kind: string;
  /** Bytes reserved from the core's `maxBytes` (the component's budget). */
  reservedBytes: number;
  /** Bytes the component holds now (at most `reservedBytes`, except for fixed headers). */
  usedBytes: number;
}

/** What {@link Core.memory} returns. */
export interface CoreMemory {
  /** The core's budget. */
  maxBytes: number;
  /** Sum of the components' reservations. */
  reservedBytes: number;
  /** Sum of the components' used bytes. */
  usedBytes: number;
  /** Size of the WebAssembly memory (it grows on demand and never shrinks). */
  memoryBytes: number;
  /** Live components, in creation order. */
  components: ComponentMemory[];
}

/** A component's registration on its core (returned by {@link Core.attach}). */
export interface CoreAttachment {
  readonly id: number;
  readonly kind: string;
}

/** The 4 GiB that a 32-bit WebAssembly memory can address. */
export const MAX_CORE_BYTES = 4 * 1024 ** 3;

interface Registration {
  kind: string;
  reservedBytes: number;
  usedBytes: () => number;
}

/**
 * One WebAssembly instance and its memory budget, shared by the components made on it.
 *
 * @example
 * ```ts
 * const core = new Core({ maxBytes: 512 * 1024 ** 2, seed: 1 });
 * const fib = new Fib({ core });
 * const cache = new FlowCache({ core, capacity: 100_000 });
 * const batch = new PacketBatch({ core });
 * // ... fill the batch, then: cache.update(batch); fib.lookupBatch(batch.column("dst"));
 * core.memory().components; // [{ kind: "fib", ... }, { kind: "flow-cache", ... }, { kind: "packet-batch", ... }]
 * ```
 */
export class Core {
  /** The core's budget in bytes. */
  readonly maxBytes: number;
  /** @internal The instance's exports. */
  readonly wasm: WasmExports;
  /** @internal Views of the instance's memory (refresh after any call that may allocate). */
  readonly views: HeapViews;
  readonly #components = new Map<number, Registration>();
  #nextId = 1;
  #reserved = 0;
  #seedState: bigint | undefined;

  constructor(options: CoreOptions = {}) {
    checkOptionNames(options, ["maxBytes", "seed", "build"], "Core");
    const maxBytes = options.maxBytes ?? MAX_CORE_BYTES;
    if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes < 0 || maxBytes > MAX_CORE_BYTES) {
      throw new ConfigError("core-max-bytes", `invalid maxBytes ${describe(maxBytes)}: expected 0 to ${MAX_CORE_BYTES} (4 GiB)`, maxBytes);
    }
    if (options.seed !== undefined) {
      const [low, high] = seedHalves(checkSeed(options.seed));
      this.#seedState = (BigInt(high) << 32n) | BigInt(low);
    }
    this.maxBytes = Math.floor(maxBytes);
    this.wasm = options.build === undefined ? instantiate() : instantiate(options.build);
    this.views = new HeapViews(this.wasm.memory);
  }

  /** Bytes of the budget not reserved by a component. */
  get availableBytes(): number {
    return this.maxBytes - this.#reserved;
  }

  /**
   * @internal Registers a component that reserves `reservedBytes` of the core's budget.
   * @throws CapacityError when the core's remaining budget cannot hold the reservation.
   */
  attach(kind: string, reservedBytes: number, usedBytes: () => number, parameter = "maxBytes", value?: unknown): CoreAttachment {
    const bytes = Math.max(0, Math.ceil(reservedBytes));
    if (this.#reserved + bytes > this.maxBytes) {
      const available = this.maxBytes - this.#reserved;
      const given = value === undefined ? "" : ` ${describe(value)}`;
      throw new CapacityError(
        "core-budget",
        `cannot make a ${kind} with ${parameter}${given} needing ${bytes} bytes: the core has ${available} of its ${this.maxBytes} bytes left`,
        { kind, parameter, value, bytes, available },
      );
    }
    const id = this.#nextId++;
    this.#components.set(id, { kind, reservedBytes: bytes, usedBytes });
    this.#reserved += bytes;
    return { id, kind };
  }

  /** @internal Gives a component's reservation back (idempotent). */
  detach(attachment: CoreAttachment): void {
    const registration = this.#components.get(attachment.id);
    if (registration === undefined) return;
    this.#reserved -= registration.reservedBytes;
    this.#components.delete(attachment.id);
  }

  /**
   * @internal The seed of a new component: its own when given, else the next one derived from
   * the core's seed (SplitMix64 steps), else a random one.
   */
  componentSeed(own: number | bigint | undefined): [number, number] {
    if (own !== undefined) return seedHalves(checkSeed(own));
    if (this.#seedState === undefined) return randomSeed();
    this.#seedState = BigInt.asUintN(64, this.#seedState + 0x9e3779b97f4a7c15n);
    let z = this.#seedState;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    return [Number(z & 0xffffffffn), Number(z >> 32n)];
  }

  /** Bytes per component and in total. */
  memory(): CoreMemory {
    const components: ComponentMemory[] = [];
    let used = 0;
    for (const [id, r] of this.#components) {
      const usedBytes = r.usedBytes();
      used += usedBytes;
      components.push({ id, kind: r.kind, reservedBytes: r.reservedBytes, usedBytes });
    }
    return {
      maxBytes: this.maxBytes,
      reservedBytes: this.#reserved,
      usedBytes: used,
      memoryBytes: this.wasm.memory.buffer.byteLength,
      components,
    };
  }
}

/**
 * The core a component works on: the one in its options, or a new one of its own.
 * @throws ConfigError when `core` is given and is not a {@link Core}.
 */
export function coreFrom(options: { core?: Core } | undefined): Core {
  const core = options?.core;
  if (core === undefined) return new Core();
  if (!(core instanceof Core)) throw new ConfigError("core", `invalid core ${describe(core)}: expected a Core`, core);
  return core;
}
