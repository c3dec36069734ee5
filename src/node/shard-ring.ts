/**
 * A single-producer single-consumer ring of record runs in a SharedArrayBuffer, between the
 * thread that reads a capture and one shard's worker. The producer copies in, in one piece, the
 * run of records that WebAssembly made for this shard from a batch (assembly/packet/shard.ts);
 * the worker copies a run, in one piece, into its own WebAssembly memory and unpacks it there.
 * The indices move with Atomics and either side sleeps on them (no per-batch messages).
 *
 * Layout: Int32 header [write offset, read offset, closed, consumer waiting, producer waiting],
 * then the data area; a run is [u32 bytes, u32 packets] and its bytes, padded to 8. A run that
 * would cross the end wraps to offset 0 (marked by 0xffffffff where it would have started).
 */

const HEADER_BYTES = 64;
const RUN_HEADER = 8;
const WRAP = 0xffffffff;
const WRITE = 0;
const READ = 1;
const CLOSED = 2;
/** Set while the consumer sleeps on WRITE, and while the producer sleeps on READ. */
const CONSUMER_WAITING = 3;
const PRODUCER_WAITING = 4;

/** A ring over `buffer` (made with {@link createRingBuffer}). */
export class ShardRing {
  readonly #header: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #capacity: number;
  /** Where the run handed out by {@link take} ends (the read offset {@link release} sets). */
  #taken = -1;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.#header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.#bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.#view = new DataView(buffer, HEADER_BYTES);
    this.#capacity = buffer.byteLength - HEADER_BYTES;
  }

  /** The largest run {@link push} takes in one piece. */
  get maxRunBytes(): number {
    return ((this.#capacity / 2) & ~7) - RUN_HEADER - 16;
  }

  #free(write: number, read: number): number {
    return write >= read ? this.#capacity - (write - read) - 8 : read - write - 8;
  }

  /** Appends a run of `packets` records (`run`, at most {@link maxRunBytes}), waiting while the ring is full. */
  push(run: Uint8Array, packets: number): void {
    if (run.length > this.maxRunBytes) throw new RangeError(`a ${run.length}-byte run does not fit the shard ring`);
    const need = RUN_HEADER + ((run.length + 7) & ~7);
    for (;;) {
      let write = Atomics.load(this.#header, WRITE);
      const read = Atomics.load(this.#header, READ);
      const wraps = write + need > this.#capacity;
      const cost = wraps ? this.#capacity - write + need : need;
      if (this.#free(write, read) >= cost && !(wraps && read === 0)) {
        if (wraps) {
          if (this.#capacity - write >= 4) this.#view.setUint32(write, WRAP, true);
          write = 0;
        }
        this.#view.setUint32(write, run.length, true);
        this.#view.setUint32(write + 4, packets, true);
        this.#bytes.set(run, write + RUN_HEADER);
        Atomics.store(this.#header, WRITE, write + need === this.#capacity ? 0 : write + need);
        if (Atomics.load(this.#header, CONSUMER_WAITING) === 1) Atomics.notify(this.#header, WRITE);
        return;
      }
      Atomics.store(this.#header, PRODUCER_WAITING, 1);
      if (Atomics.load(this.#header, READ) === read) Atomics.wait(this.#header, READ, read, 50);
      Atomics.store(this.#header, PRODUCER_WAITING, 0);
    }
  }

  /** No more runs: the consumer drains and stops. */
  close(): void {
    Atomics.store(this.#header, CLOSED, 1);
    Atomics.notify(this.#header, WRITE);
  }

  /**
   * The next run (a view into the ring, valid until {@link release}) and its packets, waiting
   * while the ring is empty and open; undefined when it is closed and empty.
   */
  take(): { bytes: Uint8Array; packets: number } | undefined {
    for (;;) {
      let read = Atomics.load(this.#header, READ);
      const write = Atomics.load(this.#header, WRITE);
      if (read === write) {
        if (Atomics.load(this.#header, CLOSED) === 1 && Atomics.load(this.#header, WRITE) === read) return undefined;
        Atomics.store(this.#header, CONSUMER_WAITING, 1);
        if (Atomics.load(this.#header, WRITE) === write) Atomics.wait(this.#header, WRITE, write, 50);
        Atomics.store(this.#header, CONSUMER_WAITING, 0);
        continue;
      }
      const v = this.#view;
      if (this.#capacity - read < RUN_HEADER || v.getUint32(read, true) === WRAP) read = 0;
      const length = v.getUint32(read, true);
      const packets = v.getUint32(read + 4, true);
      const next = read + RUN_HEADER + ((length + 7) & ~7);
      this.#taken = next === this.#capacity ? 0 : next;
      return { bytes: this.#bytes.subarray(read + RUN_HEADER, read + RUN_HEADER + length), packets };
    }
  }

  /** Gives the run handed out by {@link take} back to the producer. */
  release(): void {
    if (this.#taken < 0) return;
    Atomics.store(this.#header, READ, this.#taken);
    this.#taken = -1;
    if (Atomics.load(this.#header, PRODUCER_WAITING) === 1) Atomics.notify(this.#header, READ);
  }
}

/** A ring's shared memory of `bytes` (data area) bytes. */
export function createRingBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + (bytes & ~7));
}
