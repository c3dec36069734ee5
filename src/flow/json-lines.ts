/**
 * JSON lines of export records, the fast way: WebAssembly writes the lines it can spell (every
 * record whose numbers are integers or whole microseconds, assembly/flow/json.ts) straight
 * into its memory, and `writeExportRecordJson` writes the others; both give exactly
 * `JSON.stringify(flowJson(decodeExpiredFlow(record)))` and a newline.
 */

import { ConfigError } from "../errors.js";
import type { WasmExports } from "../wasm/exports.js";
import { EXPORT_RECORD_BYTES, EXPORT_RECORD_JSON_MAX_BYTES, writeExportRecordJson } from "./record.js";

/** Where the lines go: `bytes` is a view that stays valid only during the call. */
export type JsonLinesSink = (bytes: Uint8Array) => void;

/**
 * Writes the lines of `count` records of a ring of `ringRecords` export records at `ring` in
 * WebAssembly memory, from record `head`, to `write` in chunks of whole lines; `scratch` is
 * `scratchBytes` of WebAssembly memory to write them in (at least FLOW_JSON_LINE_MAX + 8: its
 * first 8 bytes receive the byte count of each call).
 */
export function writeJsonLines(
  wasm: WasmExports,
  ring: number,
  ringRecords: number,
  head: number,
  count: number,
  scratch: number,
  scratchBytes: number,
  write: JsonLinesSink,
): void {
  const lineMax = wasm.FLOW_JSON_LINE_MAX.value as number;
  if (scratchBytes < lineMax + 8)
    throw new ConfigError("argument", `scratch of ${scratchBytes} bytes is smaller than a line (${lineMax}) and its count`, scratchBytes);
  const counted = scratch;
  scratch += 8;
  scratchBytes -= 8;
  let done = 0;
  let line: Uint8Array | undefined;
  while (done < count) {
    const written = wasm.flowJsonLines(ring, ringRecords, (head + done) % ringRecords, count - done, scratch, scratchBytes, counted);
    const bytes = new Uint32Array(wasm.memory.buffer, counted, 1)[0]!;
    if (bytes > 0) write(new Uint8Array(wasm.memory.buffer, scratch, bytes));
    done += written;
    if (done < count && scratchBytes - bytes >= lineMax) {
      // WebAssembly declined this record (a number it does not spell): write it here.
      line ??= new Uint8Array(EXPORT_RECORD_JSON_MAX_BYTES + 1);
      const at = ring + ((head + done) % ringRecords) * EXPORT_RECORD_BYTES;
      const end = writeExportRecordJson(new DataView(wasm.memory.buffer), at, line, 0);
      line[end] = 10;
      write(line.subarray(0, end + 1));
      done++;
    }
  }
}
