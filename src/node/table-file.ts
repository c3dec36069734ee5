/**
 * Routing-table files for the CLI, tests and benchmarks (Node only): one route per line,
 * `prefix [adjacency]`, where the adjacency is a next-hop address or a special adjacency name
 * (null, punt, drop, glean, discard). `#` starts a comment; gzip-compressed files (recognised by
 * their first bytes) are decompressed.
 */

import { createReadStream, existsSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, DataplaneError, FileError, PrefixError, describe } from "../errors.js";
import { tryParseIPv4, parseIPv6, parseAddress } from "../net/address.js";
import { captureSourceError, isGzip } from "../packet/reader.js";
import { openInputFile } from "./capture-file.js";
import { checkOptionNames } from "../common/validation.js";
import { hasHostBits } from "../net/prefix.js";
import { type Fib, SpecialAdjacency } from "../fib/fib.js";

/** The routes of one family as typed arrays, with each route's adjacency column (or ""). */
export interface TableColumns {
  addresses: Uint32Array;
  lengths: Uint8Array;
  /** The second column of each route, "" when absent. */
  targets: string[];
  count: number;
}

export interface RouteTable {
  ipv4: TableColumns;
  ipv6: TableColumns;
}

class Columns {
  addresses: Uint32Array;
  lengths: Uint8Array;
  targets: string[] = [];
  count = 0;
  constructor(readonly words: number) {
    this.addresses = new Uint32Array(1024 * words);
    this.lengths = new Uint8Array(1024);
  }
  push(words: ArrayLike<number>, length: number, target: string): void {
    if (this.count === this.lengths.length) {
      const addresses = new Uint32Array(this.addresses.length * 2);
      addresses.set(this.addresses);
      this.addresses = addresses;
      const lengths = new Uint8Array(this.lengths.length * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    for (let i = 0; i < this.words; i++) this.addresses[this.count * this.words + i] = words[i]!;
    this.lengths[this.count] = length;
    this.targets.push(target);
    this.count++;
  }
  done(): TableColumns {
    return {
      addresses: this.addresses.slice(0, this.count * this.words),
      lengths: this.lengths.slice(0, this.count),
      targets: this.targets,
      count: this.count,
    };
  }
}

/** Longest line a table file may have (a route is a few dozen bytes; this bounds memory and messages). */
export const MAX_TABLE_LINE_BYTES = 4096;

/** A line of text that cannot be a route, cut for the message. */
function quoted(text: string): string {
  return describe(text);
}

/** The lines of a byte stream (LF or CRLF), each at most MAX_TABLE_LINE_BYTES, with their numbers. */
async function* tableLines(path: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<[string, number]> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let pending = "";
  let lineNumber = 0;
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = pending.indexOf("\n"); newline !== -1; newline = pending.indexOf("\n", start)) {
      lineNumber++;
      if (newline - start > MAX_TABLE_LINE_BYTES) {
        throw new PrefixError("table-line-length", `${path}:${lineNumber}: line longer than ${MAX_TABLE_LINE_BYTES} bytes`, lineNumber);
      }
      yield [pending.slice(start, newline), lineNumber];
      start = newline + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_TABLE_LINE_BYTES) {
      throw new PrefixError(
        "table-line-length",
        `${path}:${lineNumber + 1}: line longer than ${MAX_TABLE_LINE_BYTES} bytes`,
        lineNumber + 1,
      );
    }
  }
  pending += decoder.decode();
  if (pending !== "") yield [pending, lineNumber + 1];
}

/** The file's bytes, gunzipped when they start with the gzip magic (whatever the file's name). */
async function* tableBytes(path: string): AsyncGenerator<Uint8Array> {
  const fd = openInputFile(path);
  const file = createReadStream("", { fd });
  const head = new Uint8Array(2);
  const headBytes = readSync(fd, head, 0, 2, 0);
  const gzip = isGzip(head.subarray(0, headBytes));
  const source: AsyncIterable<Uint8Array> = gzip ? file.pipe(createGunzip()) : file;
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
  } catch (error) {
    if (error instanceof DataplaneError) throw error;
    const failure = captureSourceError(error, file.bytesRead);
    if (failure instanceof FileError) throw failure;
    throw new DataplaneError(
      gzip ? "table-gzip" : "table-read",
      `${path}: ${failure.message.replace(/ \(at byte offset \d+\)$/, "")} (at byte offset ${file.bytesRead} of the file)`,
      path,
    );
  } finally {
    file.destroy();
  }
}

/** Whether a route's second column is a special adjacency name. */
function isSpecial(target: string): boolean {
  return (SpecialAdjacency as Record<string, number>)[target.toLowerCase()] !== undefined;
}

/**
 * Reads a table file (gzip-compressed or not, recognised by its first bytes).
 * @throws PrefixError naming the file and line of the first bad route (bad prefix, bad next
 * hop, extra column, overlong line); FileError when the file cannot be opened; DataplaneError
 * (code `table-gzip`) when its gzip stream is damaged.
 */
export async function readTableFile(path: string): Promise<RouteTable> {
  const v4 = new Columns(1);
  const v6 = new Columns(4);
  const words6 = new Uint32Array(4);
  for await (const [raw, lineNumber] of tableLines(path, tableBytes(path))) {
    const hash = raw.indexOf("#");
    const line = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (line === "") continue;
    const fields = line.split(/\s+/);
    const prefix = fields[0]!;
    const target = fields[1] ?? "";
    const where = `${path}:${lineNumber}`;
    if (fields.length > 2) {
      throw new PrefixError(
        "table-columns",
        `${where}: expected "prefix [next-hop|null|punt|drop|glean|discard]", got ${fields.length} columns: ${quoted(line)}`,
        line,
      );
    }
    const slash = prefix.indexOf("/");
    const length = Number(prefix.slice(slash + 1));
    if (slash === -1 || !/^\d{1,3}$/.test(prefix.slice(slash + 1))) {
      throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${quoted(prefix)}: expected address/length`, prefix);
    }
    if (target !== "" && !isSpecial(target)) {
      try {
        parseAddress(target);
      } catch {
        throw new PrefixError(
          "table-next-hop",
          `${where}: invalid next hop ${quoted(target)}: expected an IPv4 or IPv6 address or null, punt, drop, glean, discard`,
          target,
        );
      }
    }
    const text = prefix.slice(0, slash);
    if (text.includes(":")) {
      try {
        parseIPv6(text, words6);
      } catch {
        throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${quoted(prefix)}: bad IPv6 address`, prefix);
      }
      if (length > 128)
        throw new PrefixError("prefix-length", `${where}: invalid prefix ${quoted(prefix)}: length must be 0 to 128`, prefix);
      if (hasHostBits(words6, length))
        throw new PrefixError("prefix-host-bits", `${where}: invalid prefix ${quoted(prefix)}: host bits are set`, prefix);
      v6.push(words6, length, target);
    } else {
      const address = tryParseIPv4(text);
      if (address === undefined)
        throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${quoted(prefix)}: bad IPv4 address`, prefix);
      if (length > 32) throw new PrefixError("prefix-length", `${where}: invalid prefix ${quoted(prefix)}: length must be 0 to 32`, prefix);
      if (hasHostBits([address], length))
        throw new PrefixError("prefix-host-bits", `${where}: invalid prefix ${quoted(prefix)}: host bits are set`, prefix);
      v4.push([address], length, target);
    }
  }
  return { ipv4: v4.done(), ipv6: v6.done() };
}

/** Where the shared full Internet table lives beside the project checkout, if it is there. */
export function sharedTablePath(): string | undefined {
  const fromEnvironment = process.env.DATAPLANE_TABLE;
  if (fromEnvironment) return existsSync(fromEnvironment) ? fromEnvironment : undefined;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(directory, "..", "shared", "data", "tier1-prefixes.txt.gz");
    if (existsSync(candidate) && existsSync(join(directory, "package.json"))) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}

/** A deterministic next-hop index for a route without one: a hash of the prefix, modulo `count`. */
export function hashedNextHop(addresses: Uint32Array, words: number, index: number, length: number, count: number): number {
  let h = 0x811c9dc5 ^ length;
  for (let w = 0; w < words; w++) h = Math.imul(h ^ addresses[index * words + w]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) % count;
}

/**
 * Most synthetic next hops {@link installTable} makes per family: the addresses of the
 * benchmarking blocks, 198.18.0.0/15 (RFC 2544) for IPv4 and 2001:2::/48 (RFC 5180) for IPv6,
 * without the block's first and last address.
 */
export const MAX_SYNTHETIC_NEXT_HOPS = 131_070;

/** The `n`-th synthetic next hop (1-based) of a family, inside its benchmarking block. */
export function syntheticNextHop(family: 4 | 6, n: number): string {
  if (family === 4) return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  return `2001:2::${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
}

/** What `installTable` did. */
export interface InstallReport {
  /** Distinct IPv4 prefixes installed (a prefix listed twice counts once: the later line wins). */
  ipv4Routes: number;
  /** Distinct IPv6 prefixes installed. */
  ipv6Routes: number;
  /** Lines that repeated a prefix already listed. */
  duplicates: number;
  adjacenciesCreated: number;
  /** Milliseconds spent in insertBatch (both families). */
  insertMs: number;
}

/**
 * Loads a table into a FIB. Routes naming a next hop share one adjacency per next hop (on
 * interface `interfaceName`); routes naming a special adjacency get it; routes with no second
 * column get one of `syntheticNextHops` adjacencies, chosen by a hash of the prefix.
 */
export function installTable(
  fib: Fib,
  table: RouteTable,
  options: { syntheticNextHops?: number; interfaceName?: string } = {},
): InstallReport {
  checkOptionNames(options, ["syntheticNextHops", "interfaceName"], "installTable");
  const synthetic: Record<4 | 6, number[]> = { 4: [], 6: [] };
  const byNextHop = new Map<string, number>();
  const interfaceName = options.interfaceName ?? "table";
  const count = options.syntheticNextHops ?? 254;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SYNTHETIC_NEXT_HOPS) {
    throw new ConfigError(
      "table-synthetic-next-hops",
      `invalid syntheticNextHops ${describe(count)}: expected 1 to ${MAX_SYNTHETIC_NEXT_HOPS}`,
      count,
    );
  }
  let created = 0;
  const adjacencyFor = (target: string, columns: TableColumns, words: number, index: number): number => {
    if (target === "") {
      const slot = hashedNextHop(columns.addresses, words, index, columns.lengths[index]!, count);
      const family = words === 1 ? 4 : 6;
      const pool = synthetic[family];
      while (pool.length <= slot) {
        pool.push(fib.addAdjacency({ interface: interfaceName, nextHop: syntheticNextHop(family, pool.length + 1) }));
        created++;
      }
      return pool[slot]!;
    }
    const special = (SpecialAdjacency as Record<string, number>)[target.toLowerCase()];
    if (special !== undefined) return special;
    let id = byNextHop.get(target);
    if (id === undefined) {
      id = fib.addAdjacency({ interface: interfaceName, nextHop: target });
      byNextHop.set(target, id);
      created++;
    }
    return id;
  };
  const adjacencies = (columns: TableColumns, words: number): Uint32Array => {
    const ids = new Uint32Array(columns.count);
    for (let i = 0; i < columns.count; i++) ids[i] = adjacencyFor(columns.targets[i]!, columns, words, i);
    return ids;
  };
  const ids4 = adjacencies(table.ipv4, 1);
  const ids6 = adjacencies(table.ipv6, 4);
  const before = fib.summary();
  const start = performance.now();
  fib.insertBatch(table.ipv4.addresses, table.ipv4.lengths, ids4);
  fib.insertBatch6(table.ipv6.addresses, table.ipv6.lengths, ids6);
  const insertMs = performance.now() - start;
  const after = fib.summary();
  const ipv4Routes = after.ipv4.routes - before.ipv4.routes;
  const ipv6Routes = after.ipv6.routes - before.ipv6.routes;
  const duplicates = table.ipv4.count + table.ipv6.count - ipv4Routes - ipv6Routes;
  return { ipv4Routes, ipv6Routes, duplicates, adjacenciesCreated: created, insertMs };
}
