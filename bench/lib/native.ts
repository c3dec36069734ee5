/**
 * Native baselines: C programs in bench/native/, compiled with the machine's C compiler at
 * bench time (into bench/native/build/, not committed) and driven over stdin/stdout so that
 * their runs can be interleaved with ours in the same benchmark. Skipped, with a message, when
 * there is no compiler.
 */

import { spawnSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface, type Interface } from "node:readline";

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "native");

/** Compiles bench/native/<name>.c; returns the binary's path, or a reason it cannot. */
export function compileNative(name: string, extraFlags: string[] = []): { path: string } | { skipped: string } {
  const source = join(nativeDir, `${name}.c`);
  const binary = join(nativeDir, "build", name);
  mkdirSync(join(nativeDir, "build"), { recursive: true });
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return { path: binary };
  for (const compiler of [process.env.CC ?? "gcc", "cc", "clang"]) {
    const result = spawnSync(compiler, ["-O3", "-march=native", "-o", binary, source, ...extraFlags], { encoding: "utf8" });
    if (result.status === 0) return { path: binary };
    if (result.error === undefined) return { skipped: `${compiler} failed: ${result.stderr.trim().split("\n")[0]}` };
  }
  return { skipped: "no C compiler (gcc, cc, clang) on this machine" };
}

/** A running native program answering one line per command line. */
export class NativeProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #pending: ((line: string) => void)[] = [];

  constructor(binary: string, args: string[]) {
    this.#child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on("line", (line) => this.#pending.shift()?.(line));
    this.#child.stderr.on("data", (data) => process.stderr.write(data));
  }

  /** Sends a command and resolves to its answer line. */
  ask(command: string): Promise<string> {
    return new Promise((resolve) => {
      this.#pending.push(resolve);
      this.#child.stdin.write(`${command}\n`);
    });
  }

  close(): void {
    this.#child.stdin.end();
  }
}
