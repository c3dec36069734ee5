/** Switches new instances to the debug WebAssembly build (assertions on) for a test. */

import { registerWasmVariant, useWasmVariant } from "../../src/wasm/instance.js";
import { debug } from "../../src/wasm/generated/debug.js";

registerWasmVariant("debug", debug);

/** Runs `body` with every new instance built from the debug module. */
export async function withDebugBuild<T>(body: () => T | Promise<T>): Promise<T> {
  useWasmVariant("debug");
  try {
    return await body();
  } finally {
    useWasmVariant("release");
  }
}
