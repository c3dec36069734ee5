/**
 * Capture files by path (Node only): a pcap or pcapng file streamed through a
 * {@link CaptureReader} in bounded memory. A gzip-compressed file is recognised by its magic
 * bytes (not its name) and decompressed on the fly, by both forms.
 *
 * Two forms: {@link readPacketFile} (async, non-blocking reads into Node buffers, then copied
 * into WebAssembly memory) and {@link readPacketFileSync} (blocking reads straight into the
 * reader's frame area: no copy at all, the fastest way through a plain file; for tools and
 * batch jobs that do not share their thread). Measured on this project's machine: an async read into
 * a view of WebAssembly memory costs ~4× a synchronous one, so the async form reads into
 * buffers.
 */

import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { FileError, describe } from "../errors.js";
import { checkOptionNames } from "../common/validation.js";
import { CaptureReader, readPackets, isGzip, type CaptureReaderOptions } from "../packet/reader.js";
import type { PacketBatch } from "../packet/batch.js";
import { GzipFileSync } from "./gzip-sync.js";

/** Bytes read from the file at a time by the async reader. */
const READ_CHUNK = 256 * 1024;

/** Options of the file readers: a reader's, a callback told the bytes read so far, and one given the reader. */
export type PacketFileOptions = CaptureReaderOptions & {
  /** Called with the bytes of the file read so far (compressed bytes for a gzip file). */
  onBytes?: (bytes: number) => void;
  /** Called once with the reader, e.g. to read its `timestampsOutOfRange` or `format` afterwards. */
  onReader?: (reader: CaptureReader) => void;
};

const FILE_OPTION_NAMES = ["capacity", "frameBytes", "core", "interface", "maxCapturedLength", "parse", "onBytes", "onReader"];

/**
 * Opens a file for reading, or throws a {@link FileError} naming it and saying why (missing, a
 * directory, not permitted).
 */
export function openInputFile(path: string): number {
  if (typeof path !== "string" || path === "") {
    throw new FileError("file-path", `invalid file path ${describe(path)}: expected a non-empty string`, path);
  }
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new FileError("file-directory", `${path} is a directory, not a file`, path);
  } catch (error) {
    closeSync(fd);
    throw error instanceof FileError ? error : fileError(path, error);
  }
  return fd;
}

/** A file system error as a {@link FileError} naming the file. */
export function fileError(path: string, error: unknown): FileError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return new FileError("file-missing", `${path}: no such file`, path);
  if (code === "EISDIR") return new FileError("file-directory", `${path} is a directory, not a file`, path);
  if (code === "EACCES" || code === "EPERM") return new FileError("file-permission", `${path}: permission denied`, path);
  return new FileError("file-read", `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, path);
}

function splitOptions(options: PacketFileOptions): {
  onBytes: ((bytes: number) => void) | undefined;
  onReader: ((reader: CaptureReader) => void) | undefined;
  reader: CaptureReaderOptions;
} {
  checkOptionNames(options, FILE_OPTION_NAMES, "readPacketFile");
  const { onBytes, onReader, ...reader } = options;
  return { onBytes, onReader, reader };
}

/**
 * Reads a pcap or pcapng file (gzip-compressed or not), yielding parsed batches (the same
 * object each time, refilled after the loop body; see {@link readPackets}).
 * @throws FileError when the file cannot be opened; CaptureFileError (after the packets before
 * it) when its contents are damaged, the gzip stream included.
 */
export async function* readPacketFile(path: string, options: PacketFileOptions = {}): AsyncGenerator<PacketBatch, void, undefined> {
  const { onBytes, onReader, reader } = splitOptions(options);
  const fd = openInputFile(path);
  const file = createReadStream("", { fd, highWaterMark: READ_CHUNK });
  if (onBytes) file.on("data", () => onBytes(file.bytesRead));
  try {
    yield* readPackets(file as AsyncIterable<Uint8Array>, onReader ? { ...reader, onReader } : reader);
  } finally {
    file.destroy();
  }
}

/**
 * Reads a pcap or pcapng file with blocking reads straight into the reader's frame area in
 * WebAssembly memory, yielding parsed batches (the same object each time). A gzip-compressed
 * file is inflated as it is read, in bounded memory (its output goes through the frame area).
 * @throws FileError when the file cannot be opened; CaptureFileError (after the packets before
 * it) when its contents are damaged, the gzip stream included.
 */
export function* readPacketFileSync(path: string, options: PacketFileOptions = {}): Generator<PacketBatch, void, undefined> {
  const { onBytes, onReader, reader: readerOptions } = splitOptions(options);
  const fd = openInputFile(path);
  let reader: CaptureReader;
  try {
    reader = new CaptureReader(readerOptions);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  onReader?.(reader);
  let gzip: GzipFileSync | undefined;
  try {
    const head = new Uint8Array(2);
    const headBytes = readSync(fd, head, 0, 2, 0);
    if (isGzip(head.subarray(0, headBytes))) {
      gzip = new GzipFileSync(path);
      for (;;) {
        const room = yield* reader.room();
        let bytesRead: number;
        try {
          bytesRead = gzip.read(room);
        } catch (error) {
          return yield* reader.abort(error as Error);
        }
        if (bytesRead === 0) break;
        onBytes?.(gzip.compressedBytes);
        yield* reader.commit(bytesRead);
      }
    } else {
      let total = 0;
      for (;;) {
        const room = yield* reader.room();
        let bytesRead: number;
        try {
          bytesRead = readSync(fd, room, 0, room.length, null);
        } catch (error) {
          return yield* reader.abort(fileError(path, error));
        }
        if (bytesRead === 0) break;
        total += bytesRead;
        onBytes?.(total);
        yield* reader.commit(bytesRead);
      }
    }
    yield* reader.end();
  } finally {
    gzip?.close();
    closeSync(fd);
  }
}
