/**
 * Packet samplers: Random Sampled NetFlow's "one packet out of N" (seed 003:L733–L837) and its
 * relatives, deciding on whole batches in WebAssembly with skip-ahead, so the cost grows with
 * the packets selected, not the packets seen.
 */

import { ConfigError, DataplaneError, describe } from "../errors.js";
import { type SamplerMode, SAMPLER_MODES, modeNumber, checkInterval, checkStream, checkSeed } from "./modes.js";
import { type SamplingExportInfo, samplingExportInfo } from "./export-info.js";
import type { WasmExports } from "../wasm/exports.js";
import { type HeapViews, seedHalves } from "../wasm/views.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import { checkBytes, checkOptionNames } from "../common/validation.js";

export type { SamplerMode } from "./modes.js";

/** Options of a {@link Sampler}. */
export interface SamplerOptions {
  /** How packets are picked (default `random`); see {@link SamplerMode}. */
  mode?: SamplerMode;
  /** N: one packet out of N on average, 1 … 65535 (default 100). 1 selects every packet. */
  interval?: number;
  /** 64-bit seed of the random stream (default: random). Fix it for reproducible selections. */
  seed?: number | bigint;
  /**
   * Stream index, 0 … 65535 (default 0): samplers with the same seed and different streams
   * draw disjoint parts of the generator's sequence (2^64 numbers apart).
   */
  stream?: number;
  /** The core to live on (default: a new one of its own). */
  core?: Core;
}

/**
 * Everything needed to resume a sampler exactly where it was: the generator's four words, the
 * configuration, the position in the current window and the distance to the next selected
 * packet, and the counters.
 */
export interface SamplerSavedState {
  mode: SamplerMode;
  interval: number;
  /** The xoshiro128** state (four u32). */
  stream: [number, number, number, number];
  /** `random` mode: the selected position (0 … N−1) in the current window. */
  target: number;
  /** Packets from the next one to the next selected one (1 = the next packet). */
  skip: number;
  seen: number;
  selected: number;
}

const CHUNK = 65536;
/**
 * Most indices one {@link Sampler.select} returns (about count / interval; its result is
 * allocated, up to 64 MiB), and most packets `selectMask` decides on without a mask of yours.
 */
export const MAX_SELECT_COUNT = 2 ** 24;
/** The sampler's state and its staging area (CHUNK positions, indices and mask bytes). */
const SAMPLER_RESERVED_BYTES = 256 + CHUNK * 9;
const SAVED_WORDS = 11;
const STATUS_OK = 0;

/**
 * One packet sampler.
 *
 * Decisions are made per batch: `select(count)` decides on the next `count` packets of the
 * stream and returns the indices of the selected ones. The sampler remembers where it is, so
 * splitting a stream into batches anywhere gives exactly the decisions of one batch.
 *
 * @example
 * ```ts
 * const sampler = new Sampler({ mode: "random", interval: 100, seed: 42 });
 * const picked = sampler.select(65536);   // Uint32Array of indices, one per window of 100
 * const mask = sampler.selectMask(1000);  // Uint8Array, 1 = selected
 * sampler.seen;                           // 66536 packets decided on
 * ```
 */
export class Sampler {
  /** The core the sampler lives on. */
  readonly core: Core;
  readonly #attachment: CoreAttachment;
  readonly #wasm: WasmExports;
  readonly #views: HeapViews;
  readonly #handle: number;
  #seed: bigint;
  #stream: number;
  #mode: SamplerMode;
  #interval: number;
  /** Staging: CHUNK u32 positions, CHUNK u32 indices, CHUNK bytes of mask, saved-state words. */
  #staging = 0;

  constructor(options: SamplerOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new ConfigError("sampler-options", `invalid sampler options ${describe(options)}: expected an object`, options);
    }
    const mode = options.mode ?? "random";
    const modeIndex = modeNumber(mode);
    const interval = checkInterval(options.interval ?? 100);
    const stream = checkStream(options.stream ?? 0);
    checkOptionNames(options, ["mode", "interval", "seed", "stream", "core"], "Sampler");
    const core = coreFrom(options);
    const [low, high] = core.componentSeed(options.seed === undefined ? undefined : checkSeed(options.seed));
    this.core = core;
    this.#attachment = core.attach("sampler", SAMPLER_RESERVED_BYTES, () => SAMPLER_RESERVED_BYTES);
    this.#wasm = core.wasm;
    this.#views = core.views;
    this.#handle = this.#wasm.samplerCreate(modeIndex, interval, low, high, stream);
    if (this.#handle === 0) throw new DataplaneError("sampler-create", "the WebAssembly core refused the sampler configuration", options);
    this.#mode = mode;
    this.#interval = interval;
    this.#seed = (BigInt(high) << 32n) | BigInt(low);
    this.#stream = stream;
  }

  /** Gives the sampler's reservation back to its core; it must not be used afterwards. Also `Symbol.dispose`. */
  dispose(): void {
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The sampling mode. */
  get mode(): SamplerMode {
    return this.#mode;
  }

  /** N: one packet out of N. */
  get interval(): number {
    return this.#interval;
  }

  /** The 64-bit seed of the stream (the random one, when none was given). */
  get seed(): bigint {
    return this.#seed;
  }

  /** The stream index. */
  get stream(): number {
    return this.#stream;
  }

  /** Packets decided on since creation (or since {@link clearCounters}). */
  get seen(): number {
    return this.#wasm.samplerSeen(this.#handle);
  }

  /** Packets selected since creation (or since {@link clearCounters}). */
  get selected(): number {
    return this.#wasm.samplerSelected(this.#handle);
  }

  /**
   * Decides on the next `count` packets; returns the indices (0 … count−1, ascending) of the
   * selected ones.
   */
  select(count: number): Uint32Array {
    checkCount("select", count);
    // The result is allocated, 4 bytes per selected index (about count / interval of them):
    // bounded up front.
    checkBytes(
      "sampler-select-count",
      "select count",
      count,
      Math.ceil(count / this.#interval) * 4,
      MAX_SELECT_COUNT * 4,
      `bytes one select call may return (at most ${MAX_SELECT_COUNT} indices, count / interval; use selectInto with a buffer of your own)`,
    );
    if (count <= CHUNK) {
      const staging = this.#stagingArea();
      const k = this.#wasm.samplerSelect(this.#handle, count, staging + CHUNK * 4, 0);
      const start = (staging >>> 2) + CHUNK;
      return this.#views.refresh().u32.slice(start, start + k);
    }
    const parts: Uint32Array[] = [];
    for (let base = 0; base < count; base += CHUNK) parts.push(this.#selectChunk(Math.min(CHUNK, count - base), base));
    return concatenate(parts);
  }

  /**
   * Decides on the next `count` packets, writing the selected indices (plus `base`) into
   * `out` from position 0; returns how many. `out` needs room for every selected index
   * (`count` entries always suffice). Allocates nothing.
   */
  selectInto(count: number, out: Uint32Array, base = 0): number {
    checkCount("selectInto", count);
    if (!(out instanceof Uint32Array)) throw new ConfigError("argument", "selectInto: out must be a Uint32Array", out);
    let k = 0;
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const staging = this.#stagingArea();
      const got = this.#wasm.samplerSelect(this.#handle, n, staging + CHUNK * 4, (base + start) >>> 0);
      if (k + got > out.length) {
        throw new ConfigError("argument", `selectInto: out has room for ${out.length} indices, ${k + got} were selected so far`, out);
      }
      const from = (staging >>> 2) + CHUNK;
      out.set(this.#views.refresh().u32.subarray(from, from + got), k);
      k += got;
    }
    return k;
  }

  /** Decides on the next `count` packets as a mask: `mask[i]` is 1 when packet i is selected. */
  selectMask(count: number, mask?: Uint8Array): Uint8Array {
    checkCount("selectMask", count);
    if (mask === undefined) {
      checkBytes(
        "sampler-select-count",
        "selectMask count",
        count,
        count,
        MAX_SELECT_COUNT,
        `bytes one selectMask call may allocate (at most ${MAX_SELECT_COUNT} packets; pass a mask of your own)`,
      );
      mask = new Uint8Array(count);
    }
    if (!(mask instanceof Uint8Array) || mask.length < count) {
      throw new ConfigError("argument", `selectMask: mask must be a Uint8Array of at least ${count} bytes`, mask);
    }
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      const staging = this.#stagingArea();
      const at = staging + CHUNK * 8;
      this.#wasm.samplerSelectMask(this.#handle, n, at);
      mask.set(this.#views.refresh().u8.subarray(at, at + n), start);
    }
    return mask;
  }

  /**
   * Decides on a population given by its packet indices (for example the packets an input
   * filter kept): returns the selected entries of `positions`, in order. The sampler counts
   * `positions.length` packets.
   */
  selectFrom(positions: Uint32Array): Uint32Array {
    if (!(positions instanceof Uint32Array)) throw new ConfigError("argument", "selectFrom: positions must be a Uint32Array", positions);
    const parts: Uint32Array[] = [];
    for (let start = 0; start < positions.length; start += CHUNK) {
      const n = Math.min(CHUNK, positions.length - start);
      const staging = this.#stagingArea();
      this.#views.refresh().u32.set(positions.subarray(start, start + n), staging >>> 2);
      const k = this.#wasm.samplerSelectFrom(this.#handle, staging, n, staging + CHUNK * 4, 0);
      const from = (staging >>> 2) + CHUNK;
      parts.push(this.#views.refresh().u32.slice(from, from + k));
    }
    return concatenate(parts);
  }

  /** Decides on one packet (a convenience; batches are far cheaper per packet). */
  decide(): boolean {
    const staging = this.#stagingArea();
    return this.#wasm.samplerSelect(this.#handle, 1, staging + CHUNK * 4, 0) === 1;
  }

  /**
   * Changes the mode and/or interval. The random stream continues and the counters are kept;
   * the next selection is drawn afresh under the new configuration.
   */
  reconfigure(options: { mode?: SamplerMode; interval?: number }): void {
    checkOptionNames(options, ["mode", "interval"], "Sampler.reconfigure");
    const mode = options.mode ?? this.#mode;
    const interval = checkInterval(options.interval ?? this.#interval);
    const status = this.#wasm.samplerReconfigure(this.#handle, modeNumber(mode), interval);
    if (status !== STATUS_OK) throw new DataplaneError("sampler-reconfigure", `the WebAssembly core refused ${describe(options)}`, options);
    this.#mode = mode;
    this.#interval = interval;
  }

  /**
   * Starts afresh with a new seed (and stream): the same decisions as a new sampler with this
   * mode, interval, seed and stream; counters zeroed. Much cheaper than a new `Sampler`.
   */
  reset(seed: number | bigint, stream = 0): void {
    const [low, high] = seedHalves(checkSeed(seed));
    checkStream(stream);
    this.#wasm.samplerReseed(this.#handle, low, high, stream);
    this.#seed = (BigInt(high) << 32n) | BigInt(low);
    this.#stream = stream;
  }

  /** Zeroes `seen` and `selected` (the decisions are unaffected). */
  clearCounters(): void {
    this.#wasm.samplerClearCounters(this.#handle);
  }

  /** The whole state, to resume later with {@link restoreState} (here or in another sampler). */
  saveState(): SamplerSavedState {
    const at = this.#stagingArea() + CHUNK * 9;
    this.#wasm.samplerSaveState(this.#handle, at);
    const f = this.#views.refresh().f64;
    const w = at >>> 3;
    return {
      mode: SAMPLER_MODES[f[w + 4]!]!,
      interval: f[w + 5]!,
      stream: [f[w]!, f[w + 1]!, f[w + 2]!, f[w + 3]!],
      target: f[w + 6]!,
      skip: f[w + 7]!,
      seen: f[w + 8]!,
      selected: f[w + 9]!,
    };
  }

  /** Resumes from a state given by {@link saveState}; a state that no sampler can be in is refused. */
  restoreState(state: SamplerSavedState): void {
    if (state === null || typeof state !== "object" || !Array.isArray(state.stream) || state.stream.length !== 4) {
      throw new ConfigError("sampler-state", `invalid sampler state ${describe(state)}`, state);
    }
    const modeIndex = modeNumber(state.mode);
    const interval = checkInterval(state.interval);
    const at = this.#stagingArea() + CHUNK * 9;
    const values = [...state.stream, modeIndex, interval, state.target, state.skip, state.seen, state.selected, 0];
    if (values.some((v) => typeof v !== "number"))
      throw new ConfigError("sampler-state", `invalid sampler state ${describe(state)}`, state);
    this.#views.refresh().f64.set(values, at >>> 3);
    if (this.#wasm.samplerRestoreState(this.#handle, at) !== STATUS_OK) {
      throw new ConfigError("sampler-state", `invalid sampler state ${describe(state)}: not a state a sampler can be in`, state);
    }
    this.#mode = state.mode;
    this.#interval = interval;
  }

  /**
   * The configuration and totals a NetFlow v9 / IPFIX exporter reports for this sampler
   * (sampler options record), under the given sampler id (1 … 255) and name.
   */
  exportInfo(samplerId = 1, samplerName = "sampler"): SamplingExportInfo {
    if (!Number.isInteger(samplerId) || samplerId < 1 || samplerId > 255) {
      throw new ConfigError("sampler-id", `invalid sampler id ${describe(samplerId)}: expected 1 to 255`, samplerId);
    }
    return samplingExportInfo({
      samplerId,
      samplerName,
      mode: this.#mode,
      interval: this.#interval,
      packetsObserved: this.seen,
      packetsSelected: this.selected,
    });
  }

  #selectChunk(n: number, base: number): Uint32Array {
    const staging = this.#stagingArea();
    const k = this.#wasm.samplerSelect(this.#handle, n, staging + CHUNK * 4, base >>> 0);
    const from = (staging >>> 2) + CHUNK;
    return this.#views.refresh().u32.slice(from, from + k);
  }

  #stagingArea(): number {
    if (this.#staging === 0) this.#staging = this.#wasm.alloc(CHUNK * 9 + SAVED_WORDS * 8);
    return this.#staging;
  }
}

function concatenate(parts: Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function checkCount(name: string, count: number): void {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > 0xffffffff) {
    throw new ConfigError("argument", `${name}: count must be an integer from 0 to 2^32 − 1, got ${describe(count)}`, count);
  }
}
