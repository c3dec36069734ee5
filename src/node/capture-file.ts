/**
 * Capture files by path (Node only): a pcap or pcapng file streamed through a
 * {@link CaptureReader} in bounded memory. `.gz` files are decompressed on the fly.
 */

import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { readPackets, type CaptureReaderOptions } from "../packet/reader.js";
import type { PacketBatch } from "../packet/batch.js";

/** Bytes read from the file at a time. */
const READ_CHUNK = 256 * 1024;

/**
 * Reads a pcap or pcapng file (optionally gzip-compressed), yielding parsed batches (the same
 * object each time; see {@link readPackets}). `onBytes` is told how many file bytes were read so far.
 */
export async function* readPacketFile(
  path: string,
  options: CaptureReaderOptions & { onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<PacketBatch, void, undefined> {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  const { onBytes, ...readerOptions } = options;
  if (onBytes) file.on("data", () => onBytes(file.bytesRead));
  const source = path.endsWith(".gz") ? file.pipe(createGunzip({ chunkSize: READ_CHUNK })) : file;
  try {
    yield* readPackets(source as AsyncIterable<Uint8Array>, readerOptions);
  } finally {
    file.destroy();
  }
}
