/**
 * Typed errors. Every error the library throws on bad input is a {@link DataplaneError} with a
 * stable `code`, and names the offending value.
 */

/** Base class of every error thrown by the library on bad input or exhausted budgets. */
export class DataplaneError extends Error {
  /** A stable, machine-readable reason, e.g. `"prefix-host-bits"`. */
  readonly code: string;
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(code: string, message: string, value: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.value = value;
  }
}

/** An IPv4 or IPv6 address that cannot be parsed or is of the wrong family. */
export class AddressError extends DataplaneError {}

/** A prefix with bad syntax, a length out of range, host bits set, or the wrong family. */
export class PrefixError extends DataplaneError {}

/** A MAC address that cannot be parsed. */
export class MacError extends DataplaneError {}

/** An adjacency id that does not exist, or an adjacency that cannot be removed. */
export class AdjacencyError extends DataplaneError {}

/** An update refused because the component's memory budget is exhausted; nothing was changed. */
export class CapacityError extends DataplaneError {}

/**
 * A capture file (pcap or pcapng) that cannot be read further. Thrown after every packet before
 * the problem was delivered; `offset` is the byte offset in the file where the problem lies.
 */
export class CaptureFileError extends DataplaneError {
  /** Byte offset in the file of the bad header, record or block. */
  readonly offset: number;

  constructor(code: string, message: string, offset: number) {
    super(code, `${message} (at byte offset ${offset})`, offset);
    this.offset = offset;
  }
}

/**
 * A file that cannot be read at all: missing, a directory, not permitted. `value` is the path;
 * `code` is `file-missing`, `file-directory`, `file-permission` or `file-read`.
 */
export class FileError extends DataplaneError {}

/** A configuration option or an argument out of range, of the wrong type or misspelled. */
export class ConfigError extends DataplaneError {}

/** JSON.stringify replacer that keeps NaN, ±Infinity and bigints readable inside objects. */
function readable(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return value;
}

/**
 * Renders a value for an error message: strings quoted, NaN and Infinity by name, bigints with
 * their `n`, long values cut.
 */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "number") text = Object.is(value, -0) ? "-0" : String(value);
  else if (typeof value === "bigint") text = `${value}n`;
  else if (value === undefined || typeof value === "function" || typeof value === "symbol") text = String(value);
  else if (value instanceof Uint32Array || value instanceof Uint8Array)
    text = `[${Array.from(value.subarray(0, 32)).join(", ")}${value.length > 32 ? ", ..." : ""}]`;
  else {
    try {
      text = JSON.stringify(value, readable) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An interface index that the table does not have. */
export class InterfaceError extends DataplaneError {}

/** A time (`now`) that is not a finite number of milliseconds from 0 to 2^53. */
export class TimeError extends DataplaneError {}
