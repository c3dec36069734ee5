/**
 * Capture files by path (Node only): a pcap or pcapng file streamed through a
 * {@link CaptureReader} in bounded memory; `.gz` files are decompressed on the fly.
 *
 * Two forms: {@link readPacketFile} (async, non-blocking reads into Node buffers, then copied
 * into WebAssembly memory) and {@link readPacketFileSync} (blocking reads straight into the
 * reader's frame area: no copy at all, the fastest way through a plain file; for tools and
 * batch jobs that do not share their thread). Measured on this project's machine: an async read into
 * a view of WebAssembly memory costs ~4× a synchronous one, so the async form reads into
 * buffers.
 */

import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { ConfigError } from "../errors.js";
import { CaptureReader, readPackets, type CaptureReaderOptions } from "../packet/reader.js";
import type { PacketBatch } from "../packet/batch.js";

/** Bytes read from the file at a time by the async reader. */
const READ_CHUNK = 256 * 1024;

/** Options of the file readers: a reader's, and a callback told the bytes read so far. */
export type PacketFileOptions = CaptureReaderOptions & { onBytes?: (bytes: number) => void };

/**
 * Reads a pcap or pcapng file (optionally gzip-compressed), yielding parsed batches (the same
 * object each time, refilled after the loop body; see {@link readPackets}).
 */
export async function* readPacketFile(path: string, options: PacketFileOptions = {}): AsyncGenerator<PacketBatch, void, undefined> {
  const { onBytes, ...readerOptions } = options;
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  if (onBytes) file.on("data", () => onBytes(file.bytesRead));
  const source = path.endsWith(".gz") ? file.pipe(createGunzip({ chunkSize: READ_CHUNK })) : file;
  try {
    yield* readPackets(source as AsyncIterable<Uint8Array>, readerOptions);
  } finally {
    file.destroy();
  }
}

/**
 * Reads a pcap or pcapng file with blocking reads straight into the reader's frame area in
 * WebAssembly memory, yielding parsed batches (the same object each time). Not for `.gz` files
 * (use {@link readPacketFile}, which decompresses as a stream).
 */
export function* readPacketFileSync(path: string, options: PacketFileOptions = {}): Generator<PacketBatch, void, undefined> {
  if (path.endsWith(".gz")) {
    throw new ConfigError(
      "capture-file-compressed",
      `readPacketFileSync cannot read the compressed file ${JSON.stringify(path)}: use readPacketFile`,
      path,
    );
  }
  const { onBytes, ...readerOptions } = options;
  const reader = new CaptureReader(readerOptions);
  const fd = openSync(path, "r");
  try {
    let total = 0;
    for (;;) {
      const room = yield* reader.room();
      const bytesRead = readSync(fd, room, 0, room.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      onBytes?.(total);
      yield* reader.commit(bytesRead);
    }
    yield* reader.end();
  } finally {
    closeSync(fd);
  }
}
