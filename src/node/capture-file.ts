/**
 * Capture files by path (Node only): a pcap or pcapng file streamed through a
 * {@link CaptureReader} in bounded memory. Plain files are read straight into the reader's
 * frame area in WebAssembly memory (no intermediate buffer); `.gz` files are decompressed on
 * the fly through a stream.
 */

import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { CaptureReader, readPackets, type CaptureReaderOptions } from "../packet/reader.js";
import type { PacketBatch } from "../packet/batch.js";

/** Bytes read from a gzip file at a time. */
const READ_CHUNK = 256 * 1024;

/**
 * Reads a pcap or pcapng file (optionally gzip-compressed), yielding parsed batches (the same
 * object each time; see {@link readPackets}). `onBytes` is told how many file bytes were read so far.
 */
export async function* readPacketFile(
  path: string,
  options: CaptureReaderOptions & { onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<PacketBatch, void, undefined> {
  const { onBytes, ...readerOptions } = options;
  if (path.endsWith(".gz")) {
    const file = createReadStream(path, { highWaterMark: READ_CHUNK });
    if (onBytes) file.on("data", () => onBytes(file.bytesRead));
    try {
      yield* readPackets(file.pipe(createGunzip({ chunkSize: READ_CHUNK })) as AsyncIterable<Uint8Array>, readerOptions);
    } finally {
      file.destroy();
    }
    return;
  }
  const handle = await open(path, "r");
  try {
    const reader = new CaptureReader(readerOptions);
    let total = 0;
    for (;;) {
      const room = yield* reader.room();
      const { bytesRead } = await handle.read(room, 0, room.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      onBytes?.(total);
      yield* reader.commit(bytesRead);
    }
    yield* reader.end();
  } finally {
    await handle.close();
  }
}
