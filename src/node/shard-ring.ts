/**
 * A single-producer single-consumer ring of packet records in a SharedArrayBuffer, between the
 * thread that reads a capture and one shard's worker: the producer copies frames in once, the
 * worker copies them into its own Dataplane's batch; the indices move with Atomics and the
 * consumer sleeps on them (no per-batch messages).
 *
 * Layout: Int32 header [write offset, read offset, closed, records written], then the data
 * area; a record is [u32 captured length, u32 interface, f64 time, u32 wire length, u32 link
 * type] and the frame, padded to 8 bytes. A record that would cross the end wraps to offset 0
 * (marked by a length of 0xffffffff where it would have started).
 */

const HEADER_BYTES = 64;
const RECORD_HEADER = 24;
const WRAP = 0xffffffff;
const WRITE = 0;
const READ = 1;
const CLOSED = 2;
/** Set while the consumer sleeps on WRITE, and while the producer sleeps on READ. */
const CONSUMER_WAITING = 3;
const PRODUCER_WAITING = 4;

/** One packet in the ring. */
export interface RingPacket {
  frame: Uint8Array;
  interface: number;
  time: number;
  wireLength: number;
  linkType: number;
}

/** A ring over `buffer` (made with {@link createRingBuffer}). */
export class ShardRing {
  readonly #header: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #capacity: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.#header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.#bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.#view = new DataView(buffer, HEADER_BYTES);
    this.#capacity = buffer.byteLength - HEADER_BYTES;
  }

  #free(write: number, read: number): number {
    return write >= read ? this.#capacity - (write - read) - 8 : read - write - 8;
  }

  /** Appends a packet, waiting while the ring is full. */
  push(p: RingPacket): void {
    const need = RECORD_HEADER + ((p.frame.length + 7) & ~7);
    if (need + 16 > this.#capacity / 2) throw new RangeError(`a ${p.frame.length}-byte frame does not fit the shard ring`);
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
        const v = this.#view;
        v.setUint32(write, p.frame.length, true);
        v.setUint32(write + 4, p.interface, true);
        v.setFloat64(write + 8, p.time, true);
        v.setUint32(write + 16, p.wireLength, true);
        v.setUint32(write + 20, p.linkType, true);
        this.#bytes.set(p.frame, write + RECORD_HEADER);
        Atomics.store(this.#header, WRITE, write + need === this.#capacity ? 0 : write + need);
        // Wake the consumer only when it sleeps (a futex call per packet would cost more than the packet).
        if (Atomics.load(this.#header, CONSUMER_WAITING) === 1) Atomics.notify(this.#header, WRITE);
        return;
      }
      Atomics.store(this.#header, PRODUCER_WAITING, 1);
      if (Atomics.load(this.#header, READ) === read) Atomics.wait(this.#header, READ, read, 50);
      Atomics.store(this.#header, PRODUCER_WAITING, 0);
    }
  }

  #wakeProducer(): void {
    if (Atomics.load(this.#header, PRODUCER_WAITING) === 1) Atomics.notify(this.#header, READ);
  }

  /** No more packets: the consumer drains and stops. */
  close(): void {
    Atomics.store(this.#header, CLOSED, 1);
    Atomics.notify(this.#header, WRITE);
  }

  /**
   * Takes up to `max` packets, calling `take` for each (the frame is a view, valid during the
   * call; `take` returns false to leave the packet for the next call); waits for packets while
   * the ring is empty and open. Returns how many, 0 when closed and empty.
   */
  pop(max: number, take: (frame: Uint8Array, iface: number, time: number, wire: number, linkType: number) => boolean): number {
    let n = 0;
    for (;;) {
      let read = Atomics.load(this.#header, READ);
      const write = Atomics.load(this.#header, WRITE);
      if (read === write) {
        if (n > 0) {
          this.#wakeProducer();
          return n;
        }
        if (Atomics.load(this.#header, CLOSED) === 1 && Atomics.load(this.#header, WRITE) === read) return 0;
        Atomics.store(this.#header, CONSUMER_WAITING, 1);
        if (Atomics.load(this.#header, WRITE) === write) Atomics.wait(this.#header, WRITE, write, 50);
        Atomics.store(this.#header, CONSUMER_WAITING, 0);
        continue;
      }
      const v = this.#view;
      if (this.#capacity - read < RECORD_HEADER || v.getUint32(read, true) === WRAP) read = 0;
      const length = v.getUint32(read, true);
      const frame = this.#bytes.subarray(read + RECORD_HEADER, read + RECORD_HEADER + length);
      if (
        !take(frame, v.getUint32(read + 4, true), v.getFloat64(read + 8, true), v.getUint32(read + 16, true), v.getUint32(read + 20, true))
      )
        return n;
      const next = read + RECORD_HEADER + ((length + 7) & ~7);
      Atomics.store(this.#header, READ, next === this.#capacity ? 0 : next);
      if (++n === max) {
        this.#wakeProducer();
        return n;
      }
    }
  }
}

/** A ring's shared memory of `bytes` (data area) bytes. */
export function createRingBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + (bytes & ~7));
}
