/**
 * {@link PacketBatch}: packets as columns in WebAssembly memory, the one layout that every
 * component consumes (parser → input filters → sampler → flow cache → FIB/ARP). A batch has a
 * fixed capacity and a fixed frame area, allocated once; readers refill it again and again.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import type { WasmExports } from "../wasm/exports.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import { checkOptionNames } from "../common/validation.js";
import { COLUMN_NAMES, PACKET_COLUMNS, type ColumnName, type PacketColumns, columnViews, elementsPerPacket } from "./columns.js";
import { type Packet, type PacketInit, packetFromColumns, writePacketInit } from "./packet.js";
import { STATUS_SLOTS, statusName } from "./status.js";

/** Options of a {@link PacketBatch}. */
export interface PacketBatchOptions {
  /** Packets the batch holds (default 4096, at most 1,048,576). */
  capacity?: number;
  /** Bytes of captured frames the batch holds (default 2 MiB, at most 512 MiB; readers need at least 256 KiB + 1 KiB). */
  frameBytes?: number;
  /**
   * The core to allocate the batch on (default: a new one of its own). Every component of that
   * core reads the batch in place, with no copy.
   */
  core?: Core;
}

/** Default packets per batch. */
export const DEFAULT_BATCH_CAPACITY = 4096;
/** Default bytes of the frame area. */
export const DEFAULT_FRAME_BYTES = 2 * 1024 * 1024;
/** Most packets a batch holds. */
export const MAX_BATCH_CAPACITY = 1 << 20;
/** Most bytes of frames a batch holds (the batch is one allocation, which must stay below 1 GiB). */
export const MAX_FRAME_BYTES = 1 << 29;

/**
 * A batch of packets as columns (structure of arrays) in WebAssembly memory, with the captured
 * bytes of its frames in a frame area of the same allocation.
 *
 * @example
 * ```ts
 * const batch = PacketBatch.from([
 *   { src: "10.0.0.1", dst: "192.0.2.7", protocol: "tcp", srcPort: 40000, dstPort: 80, tcpFlags: 0x002 },
 *   { src: "2001:db8::1", dst: "2001:db8::2", protocol: "udp", dstPort: 53 },
 * ]);
 * batch.columns.dstPort[0]; // 80
 * batch.packet(1).dst;      // "2001:db8::2"
 * ```
 */
export class PacketBatch {
  /** Packets the batch can hold. */
  readonly capacity: number;
  /** Bytes of the frame area. */
  readonly frameBytes: number;
  /** The core the batch lives on. */
  readonly core: Core;
  /** @internal The WebAssembly instance the batch lives in (its core's). */
  readonly wasm: WasmExports;
  readonly #attachment: CoreAttachment;
  #disposed = false;
  /** @internal The batch's address in WebAssembly memory. */
  readonly handle: number;
  /** @internal Where the frame area starts in WebAssembly memory. */
  readonly framesPointer: number;
  readonly #pointers: number[];
  readonly #countsPointer: number;
  #buffer: ArrayBuffer | undefined;
  #columns!: PacketColumns;
  #frames!: Uint8Array;
  #appendOffset = 0;

  constructor(options: PacketBatchOptions = {}) {
    checkOptionNames(options, ["capacity", "frameBytes", "core"], "PacketBatch");
    const capacity = options.capacity ?? DEFAULT_BATCH_CAPACITY;
    const frameBytes = options.frameBytes ?? DEFAULT_FRAME_BYTES;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_BATCH_CAPACITY) {
      throw new ConfigError(
        "batch-capacity",
        `invalid batch capacity ${describe(capacity)}: expected 1 to ${MAX_BATCH_CAPACITY}`,
        capacity,
      );
    }
    if (!Number.isInteger(frameBytes) || frameBytes < 0 || frameBytes > MAX_FRAME_BYTES) {
      throw new ConfigError(
        "batch-frame-bytes",
        `invalid frameBytes ${describe(frameBytes)}: expected 0 to ${MAX_FRAME_BYTES}`,
        frameBytes,
      );
    }
    this.capacity = capacity;
    this.frameBytes = frameBytes;
    this.core = coreFrom(options);
    this.wasm = this.core.wasm;
    const bytes = this.wasm.packetBatchBytes(capacity, frameBytes);
    this.#attachment = this.core.attach("packet-batch", bytes, () => bytes, "capacity and frameBytes", { capacity, frameBytes });
    try {
      this.handle = this.wasm.packetBatchCreate(capacity, frameBytes);
    } catch (error) {
      // The WebAssembly memory could not grow to hold the batch.
      this.core.detach(this.#attachment);
      throw new CapacityError(
        "batch-memory",
        `cannot allocate a batch of ${capacity} packets and ${frameBytes} frame bytes: ${(error as Error).message}`,
        { capacity, frameBytes },
      );
    }
    this.framesPointer = this.wasm.packetBatchFrames(this.handle);
    this.#countsPointer = this.wasm.packetBatchStatusCounts(this.handle);
    this.#pointers = COLUMN_NAMES.map((name) => this.wasm.packetBatchColumn(this.handle, PACKET_COLUMNS[name].id));
  }

  /**
   * A batch holding the given packets (fields set as given, not parsed), for tests and for
   * embedders that have packets as objects. A packet with a `frame` gets its bytes copied into
   * the frame area; call {@link parse} to fill the fields from those bytes instead.
   */
  static from(packets: Iterable<PacketInit>, options: PacketBatchOptions = {}): PacketBatch {
    const list = [...packets];
    const frameBytes = list.reduce((sum, p) => sum + (p.frame?.length ?? 0), 0);
    const batch = new PacketBatch({ capacity: Math.max(1, list.length), frameBytes, ...options });
    if (list.length > batch.capacity) {
      throw new ConfigError("batch-capacity", `${list.length} packets do not fit a batch of capacity ${batch.capacity}`, list.length);
    }
    for (const init of list) batch.push(init);
    return batch;
  }

  /**
   * Frees the batch's memory on its core (it is reusable by other components there); the
   * batch must not be used afterwards. Also `Symbol.dispose`, so `using` works.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.wasm.packetBatchFree(this.handle);
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Packets in the batch. */
  get length(): number {
    return this.wasm.packetBatchCount(this.handle);
  }

  /** Sets the number of packets (at most the capacity), e.g. after filling the columns directly. */
  set length(count: number) {
    if (!Number.isInteger(count) || count < 0 || count > this.capacity) {
      throw new ConfigError("argument", `batch length ${describe(count)} outside 0..${this.capacity}`, count);
    }
    this.wasm.packetBatchSetCount(this.handle, count);
    if (count === 0) this.#appendOffset = 0;
  }

  /** Empties the batch (the status counters stay). */
  clear(): void {
    this.length = 0;
  }

  /** Every column as a typed array over the whole capacity (see PACKET_COLUMNS for the layout). */
  get columns(): PacketColumns {
    this.#refresh();
    return this.#columns;
  }

  /** One column, cut to the packets in the batch. */
  column<K extends ColumnName>(name: K): PacketColumns[K] {
    const all = this.columns[name];
    return all.subarray(0, this.length * elementsPerPacket(name)) as PacketColumns[K];
  }

  /** The frame area, as bytes. */
  get frames(): Uint8Array {
    this.#refresh();
    return this.#frames;
  }

  /** The captured bytes of packet `i` (a view: valid until the batch is refilled). */
  frame(i: number): Uint8Array {
    this.#check(i);
    const c = this.columns;
    const start = c.frameOffset[i]!;
    const end = Math.min(start + c.capturedLength[i]!, this.frameBytes);
    return this.frames.subarray(Math.min(start, end), end);
  }

  /** Packet `i` as a plain object. */
  packet(i: number): Packet {
    this.#check(i);
    return packetFromColumns(this.columns, i);
  }

  /** The packets as plain objects. */
  *[Symbol.iterator](): IterableIterator<Packet> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield packetFromColumns(this.columns, i);
  }

  /**
   * Appends one packet. With a `frame`, its bytes go to the frame area after the previous
   * appended frame. Returns the packet's index.
   * @throws CapacityError when the batch or its frame area is full.
   */
  push(init: PacketInit): number {
    const i = this.length;
    const frame = init.frame;
    const bytes = frame?.length ?? 0;
    if (i >= this.capacity || this.#appendOffset + bytes > this.frameBytes) {
      throw new CapacityError("batch-full", `the batch is full (${i} packets, ${this.#appendOffset} of ${this.frameBytes} frame bytes)`, i);
    }
    const c = this.columns;
    c.frameOffset[i] = this.#appendOffset;
    c.capturedLength[i] = init.capturedLength ?? bytes;
    if (frame) {
      this.frames.set(frame, this.#appendOffset);
      this.#appendOffset += bytes;
    }
    writePacketInit(c, i, init);
    this.wasm.packetBatchSetCount(this.handle, i + 1);
    return i;
  }

  /**
   * Parses the frames of packets [from, from + count) into their columns, in WebAssembly.
   * Returns how many got an error status; every packet's status is also counted.
   */
  parse(from = 0, count = this.length - from): number {
    if (count <= 0) return 0;
    return this.wasm.packetParse(this.handle, from >>> 0, count >>> 0);
  }

  /** Packets parsed per status name since creation (or {@link resetStatusCounts}); zero counts left out. */
  statusCounts(): Record<string, number> {
    this.#refresh();
    const counts = new BigUint64Array(this.wasm.memory.buffer, this.#countsPointer, STATUS_SLOTS);
    const out: Record<string, number> = {};
    for (let code = 0; code < STATUS_SLOTS; code++) {
      if (counts[code] !== 0n) out[statusName(code)] = Number(counts[code]);
    }
    return out;
  }

  /** Sets every status counter to zero. */
  resetStatusCounts(): void {
    new BigUint64Array(this.wasm.memory.buffer, this.#countsPointer, STATUS_SLOTS).fill(0n);
  }

  #refresh(): void {
    const buffer = this.wasm.memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#columns = columnViews(buffer, this.#pointers, this.capacity);
      this.#frames = new Uint8Array(buffer, this.framesPointer, this.frameBytes);
    }
  }

  #check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new ConfigError("argument", `packet index ${describe(i)} outside 0..${this.length - 1}`, i);
    }
  }
}
