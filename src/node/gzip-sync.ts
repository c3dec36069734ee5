/**
 * Synchronous, streaming gzip decompression of a file (Node only), for
 * {@link readPacketFileSync}: Node's zlib streams are asynchronous and its synchronous forms
 * take the whole input at once, so a worker thread runs the zlib stream and hands the output
 * over through one shared 1 MiB slot, the reading thread blocking on it with `Atomics.wait`.
 * Memory stays at the slot and zlib's own buffers, whatever the file's size.
 */

import { Worker } from "node:worker_threads";
import { captureSourceError } from "../packet/reader.js";

/** Bytes of decompressed data handed over at a time. */
const SLOT_BYTES = 1 << 20;
/** Header of the shared buffer: state and length (i32), then compressed bytes read (f64). */
const HEADER_BYTES = 16;
const EMPTY = 0;
const FULL = 1;
const END = 2;
const FAILED = 3;

// The worker: reads the file through a gunzip stream and puts each piece of output into the
// slot once the reader has emptied it (blocking its own thread meanwhile, which is allowed
// there). Plain CommonJS, evaluated as given.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { createReadStream } = require("node:fs");
const { createGunzip } = require("node:zlib");
const { path, shared } = workerData;
const control = new Int32Array(shared, 0, 2);
const compressed = new Float64Array(shared, 8, 1);
const data = new Uint8Array(shared, ${HEADER_BYTES});
const input = createReadStream(path, { highWaterMark: 256 * 1024 });
const gunzip = createGunzip({ chunkSize: 256 * 1024 });
let finished = false;
function put(state, bytes) {
  for (let seen = Atomics.load(control, 0); seen !== ${EMPTY}; seen = Atomics.load(control, 0)) Atomics.wait(control, 0, seen);
  data.set(bytes);
  control[1] = bytes.length;
  compressed[0] = input.bytesRead;
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
}
function fail(error) {
  if (finished) return;
  finished = true;
  const text = new TextEncoder().encode(JSON.stringify({ code: error.code, message: error.message }));
  put(${FAILED}, text.subarray(0, data.length));
  input.destroy();
}
gunzip.on("data", (chunk) => {
  for (let at = 0; at < chunk.length; at += data.length) put(${FULL}, chunk.subarray(at, at + data.length));
});
gunzip.on("end", () => {
  if (finished) return;
  finished = true;
  put(${END}, new Uint8Array(0));
});
gunzip.on("error", fail);
input.on("error", fail);
input.pipe(gunzip);
`;

/** A gzip file read synchronously, decompressed, in pieces of at most 1 MiB. */
export class GzipFileSync {
  readonly #worker: Worker;
  readonly #control: Int32Array;
  readonly #compressed: Float64Array;
  readonly #data: Uint8Array;
  #offset = 0;
  #available = 0;
  #ended = false;

  constructor(path: string) {
    const shared = new SharedArrayBuffer(HEADER_BYTES + SLOT_BYTES);
    this.#control = new Int32Array(shared, 0, 2);
    this.#compressed = new Float64Array(shared, 8, 1);
    this.#data = new Uint8Array(shared, HEADER_BYTES);
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, shared } });
    this.#worker.unref();
  }

  /** Compressed bytes the worker has read from the file so far. */
  get compressedBytes(): number {
    return this.#compressed[0]!;
  }

  /**
   * Fills the start of `out` with the next decompressed bytes; returns how many (0 at the end).
   * @throws CaptureFileError (code `capture-gzip`) when the stream is damaged or cut.
   */
  read(out: Uint8Array): number {
    if (this.#available === 0) {
      if (this.#ended) return 0;
      const control = this.#control;
      while (Atomics.load(control, 0) === EMPTY) Atomics.wait(control, 0, EMPTY);
      const state = Atomics.load(control, 0);
      if (state === END) {
        this.#ended = true;
        return 0;
      }
      if (state === FAILED) {
        this.#ended = true;
        const failure = JSON.parse(new TextDecoder().decode(this.#data.slice(0, control[1]))) as { code?: string; message: string };
        throw captureSourceError(Object.assign(new Error(failure.message), { code: failure.code }), this.compressedBytes);
      }
      this.#offset = 0;
      this.#available = control[1]!;
    }
    const n = Math.min(out.length, this.#available);
    out.set(this.#data.subarray(this.#offset, this.#offset + n));
    this.#offset += n;
    this.#available -= n;
    if (this.#available === 0) {
      Atomics.store(this.#control, 0, EMPTY);
      Atomics.notify(this.#control, 0);
    }
    return n;
  }

  /** Stops the worker (also when the file was not read to its end). */
  close(): void {
    void this.#worker.terminate();
  }
}
