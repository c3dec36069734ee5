/** What the commands that read a capture file share: its size, its progress bar, its batches. */

import { statSync, fstatSync } from "node:fs";
import { readPacketFileSync, fileError, type PacketFileOptions } from "../node/capture-file.js";
import type { PacketBatch } from "../packet/batch.js";
import type { CaptureReader } from "../packet/reader.js";
import { FileError } from "../errors.js";
import { Progress } from "./progress.js";

/** Whether stdout is a pipe or a terminal (then no progress bar: it would mix with the output). */
function stdoutIsInteractiveOrPipe(): boolean {
  if (process.stdout.isTTY) return true;
  try {
    return fstatSync(1).isFIFO();
  } catch {
    return true;
  }
}

/** The capture's size in bytes; a FileError (exit 2) naming the file when it cannot be read or is a directory. */
export function captureSize(path: string): number {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    throw fileError(path, error);
  }
  if (stats.isDirectory()) throw new FileError("file-directory", `${path} is a directory, not a file`, path);
  return stats.size;
}

/** A progress bar over the capture's bytes, when stdout goes to a file (none on a terminal or pipe). */
export function captureProgress(path: string, size: number): Progress | undefined {
  return stdoutIsInteractiveOrPipe() ? undefined : new Progress(`reading ${path}`, size);
}

/**
 * The capture's packet batches, reporting bytes read to `progress`, by blocking reads straight
 * into WebAssembly memory (gzip files, recognised by their first bytes, are inflated on the
 * way); `onReader` is given the reader (for its `timestampsOutOfRange` afterwards).
 */
export function captureBatches(
  path: string,
  options: PacketFileOptions,
  progress?: Progress,
  onReader?: (reader: CaptureReader) => void,
): Generator<PacketBatch> {
  const withProgress: PacketFileOptions = progress ? { ...options, onBytes: (bytes: number) => progress.update(bytes) } : { ...options };
  if (onReader) withProgress.onReader = onReader;
  return readPacketFileSync(path, withProgress);
}

/** The warning for packets whose timestamps were out of range, or undefined when there were none. */
export function timestampWarning(reader: CaptureReader | undefined): string | undefined {
  const count = reader?.timestampsOutOfRange ?? 0;
  if (count === 0) return undefined;
  return `${count} packet${count === 1 ? " has a timestamp" : "s have timestamps"} out of range (before 1970 or after the year 275760; pcapng if_tsresol/if_tsoffset): given the time of the packet before`;
}
