/** What the commands that read a capture file share: its size, its progress bar, its batches. */

import { statSync, fstatSync } from "node:fs";
import { readPacketFile, readPacketFileSync, type PacketFileOptions } from "../node/capture-file.js";
import type { PacketBatch } from "../packet/batch.js";
import { UsageError } from "./command.js";
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

/** The capture's size in bytes; a usage error naming the file when it cannot be read. */
export function captureSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** A progress bar over the capture's bytes, when stdout goes to a file (none on a terminal or pipe). */
export function captureProgress(path: string, size: number): Progress | undefined {
  return stdoutIsInteractiveOrPipe() ? undefined : new Progress(`reading ${path}`, size);
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/**
 * The capture's packet batches, reporting bytes read to `progress`: plain files by blocking
 * reads straight into WebAssembly memory (fastest), `.gz` files as a stream.
 */
export function captureBatches(path: string, options: PacketFileOptions, progress?: Progress): AsyncGenerator<PacketBatch> {
  const withProgress = progress ? { ...options, onBytes: (bytes: number) => progress.update(bytes) } : options;
  return path.endsWith(".gz") ? readPacketFile(path, withProgress) : toAsync(readPacketFileSync(path, withProgress));
}
