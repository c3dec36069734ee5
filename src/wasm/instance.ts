/**
 * Loading the embedded WebAssembly core: decode once, compile once (choosing the SIMD build
 * where the engine supports it), then one synchronous instance per component object, so that
 * dropping the object frees its memory. Needs only `WebAssembly` and `atob` from the host.
 */

import { DataplaneError } from "../errors.js";
import type { WasmExports } from "./exports.js";
import { releaseSimd, releaseNoSimd } from "./generated/release.js";

/** A WebAssembly `abort`: an assertion failed inside the core. Always a bug in the library. */
export class WasmAbortError extends DataplaneError {}

const compiled = new Map<string, WebAssembly.Module>();
const sources = new Map<string, string>();
let defaultVariant = "release";

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function releaseSource(): string {
  const simd = decodeBase64(releaseSimd);
  return WebAssembly.validate(simd) ? releaseSimd : releaseNoSimd;
}

/**
 * Registers another build under a name (tests register the debug build) and optionally makes
 * it the one new instances use.
 */
export function registerWasmVariant(name: string, base64: string, makeDefault = false): void {
  sources.set(name, base64);
  compiled.delete(name);
  if (makeDefault) defaultVariant = name;
}

/** Chooses the build that new instances use ("release" unless a test registered another). */
export function useWasmVariant(name: string): void {
  if (name !== "release" && !sources.has(name)) throw new Error(`unknown WebAssembly build ${name}`);
  defaultVariant = name;
}

/** The name of the build new instances use. */
export function wasmVariant(): string {
  return defaultVariant;
}

/** Whether the SIMD release build was chosen on this engine. */
export function simdSupported(): boolean {
  return WebAssembly.validate(decodeBase64(releaseSimd));
}

function compiledModule(variant: string): WebAssembly.Module {
  let module = compiled.get(variant);
  if (module === undefined) {
    const source = variant === "release" ? releaseSource() : sources.get(variant);
    if (source === undefined) throw new Error(`unknown WebAssembly build ${variant}`);
    module = new WebAssembly.Module(decodeBase64(source));
    compiled.set(variant, module);
  }
  return module;
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it). */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  const units = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  let text = "";
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.subarray(i, i + 4096));
  return text;
}

/** A new instance of the core with its own memory. */
export function instantiate(variant: string = defaultVariant): WasmExports {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const text = memory ? `${readString(memory, message)} at ${readString(memory, file)}:${line}:${column}` : "abort";
        throw new WasmAbortError("wasm-abort", `internal error in the WebAssembly core: ${text}`, undefined);
      },
    },
  };
  const instance = new WebAssembly.Instance(compiledModule(variant), imports);
  const exports = instance.exports as unknown as WasmExports;
  memory = exports.memory;
  return exports;
}
