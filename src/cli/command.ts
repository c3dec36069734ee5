/**
 * What every `dataplane` subcommand provides, and the CLI's one way of failing.
 *
 * A command reports a failure by throwing; src/cli/main.ts turns the error into one line on
 * stderr, `dataplane <command>: <message>`, and an exit status (see {@link exitStatus}):
 *
 * - {@link UsageError} (and a library ConfigError, CapacityError or FileError: a bad option
 *   value, a limit, a path that cannot be opened): exit 2, bad usage;
 * - {@link DataError} (the input's contents are bad: a corrupt capture, a bad table line):
 *   exit 1, after whatever output the good part of the input gave;
 * - anything else is a bug: exit 1 with its message; `DATAPLANE_DEBUG=1` adds the stack.
 *
 * Option values are checked before any work starts, with the helpers below, so that a bad value
 * is reported at once and by the name the user typed (`--capacity`, in the unit of the flag).
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { CapacityError, ConfigError, DataplaneError, FileError, describe } from "../errors.js";

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A bad command line: reported as `dataplane <command>: <message>` with exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Bad input data (a corrupt capture, a bad line of a table): reported as
 * `dataplane <command>: <input>: <reason>` with exit code 1.
 */
export class DataError extends Error {
  override name = "DataError";
  /** The file (or other input) at fault. */
  readonly input: string;
  constructor(input: string, reason: string) {
    // A reason that already names the input (`table.txt:12: ...`) is not prefixed again.
    super(reason.startsWith(`${input}:`) ? reason : `${input}: ${reason}`);
    this.input = input;
  }
}

/** The exit status for an error thrown by a command: 2 for bad usage, 1 for bad data and bugs. */
export function exitStatus(error: unknown): 1 | 2 {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof CapacityError || error instanceof FileError) {
    return 2;
  }
  return 1;
}

/** The one line that reports `error` (without the `dataplane <command>: ` prefix). */
export function errorLine(error: unknown): string {
  if (error instanceof UsageError || error instanceof DataError || error instanceof DataplaneError) return oneLine(error.message);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : describe(error);
  return `internal error: ${oneLine(message)} (set DATAPLANE_DEBUG=1 for the stack trace)`;
}

/** A message on one line, cut to a readable length. */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

/** `node:util` parseArgs with errors turned into UsageErrors. */
export function parseOptions<T extends ParseArgsConfig["options"]>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Limits of a number option. */
export interface NumberOptionLimits {
  /** Whole numbers only. */
  integer?: boolean;
  /** Smallest value accepted (default 0). */
  min?: number;
  /** Largest value accepted (default: the largest exact integer). */
  max?: number;
}

/**
 * A number option within its limits, or the default. An empty value, text, NaN, Infinity and
 * values out of range are usage errors naming the option and the value.
 */
export function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  { integer = false, min = 0, max = Number.MAX_SAFE_INTEGER }: NumberOptionLimits = {},
): number {
  if (value === undefined) return fallback;
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? "an integer" : "a number"} from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** One positional FILE argument, or a usage error. */
export function fileArgument(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one FILE, got ${positionals.length}`);
  const path = positionals[0]!;
  if (path === "") throw new UsageError("FILE must not be empty");
  return path;
}
