/**
 * Routing-table files for the CLI, tests and benchmarks (Node only): one route per line,
 * `prefix [adjacency]`, where the adjacency is a next-hop address or a special adjacency name
 * (null, punt, drop, glean, discard). `#` starts a comment; `.gz` files are decompressed.
 */

import { createReadStream, existsSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PrefixError } from "../errors.js";
import { tryParseIPv4, parseIPv6 } from "../net/address.js";
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

/** Reads a table file. Throws a PrefixError naming the file and line of the first bad route. */
export async function readTableFile(path: string): Promise<RouteTable> {
  const v4 = new Columns(1);
  const v6 = new Columns(4);
  const words6 = new Uint32Array(4);
  let input: NodeJS.ReadableStream = createReadStream(path);
  if (path.endsWith(".gz")) input = input.pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const hash = raw.indexOf("#");
    const line = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (line === "") continue;
    const space = line.search(/\s/);
    const prefix = space === -1 ? line : line.slice(0, space);
    const target = space === -1 ? "" : line.slice(space).trim();
    const slash = prefix.indexOf("/");
    const length = Number(prefix.slice(slash + 1));
    const where = `${path}:${lineNumber}`;
    if (slash === -1 || !/^\d{1,3}$/.test(prefix.slice(slash + 1))) {
      throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${JSON.stringify(prefix)}: expected address/length`, prefix);
    }
    const text = prefix.slice(0, slash);
    if (text.includes(":")) {
      try {
        parseIPv6(text, words6);
      } catch {
        throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${JSON.stringify(prefix)}: bad IPv6 address`, prefix);
      }
      if (length > 128)
        throw new PrefixError("prefix-length", `${where}: invalid prefix ${JSON.stringify(prefix)}: length must be 0 to 128`, prefix);
      if (hasHostBits(words6, length))
        throw new PrefixError("prefix-host-bits", `${where}: invalid prefix ${JSON.stringify(prefix)}: host bits are set`, prefix);
      v6.push(words6, length, target);
    } else {
      const address = tryParseIPv4(text);
      if (address === undefined)
        throw new PrefixError("prefix-syntax", `${where}: invalid prefix ${JSON.stringify(prefix)}: bad IPv4 address`, prefix);
      if (length > 32)
        throw new PrefixError("prefix-length", `${where}: invalid prefix ${JSON.stringify(prefix)}: length must be 0 to 32`, prefix);
      if (hasHostBits([address], length))
        throw new PrefixError("prefix-host-bits", `${where}: invalid prefix ${JSON.stringify(prefix)}: host bits are set`, prefix);
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

/** What `installTable` did. */
export interface InstallReport {
  ipv4Routes: number;
  ipv6Routes: number;
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
  const synthetic: number[] = [];
  const byNextHop = new Map<string, number>();
  const interfaceName = options.interfaceName ?? "table";
  let created = 0;
  const adjacencyFor = (target: string, columns: TableColumns, words: number, index: number): number => {
    if (target === "") {
      const count = options.syntheticNextHops ?? 254;
      const slot = hashedNextHop(columns.addresses, words, index, columns.lengths[index]!, count);
      while (synthetic.length <= slot) {
        const n = synthetic.length + 1;
        synthetic.push(fib.addAdjacency({ interface: interfaceName, nextHop: `198.18.${n >> 8}.${n & 255}` }));
        created++;
      }
      return synthetic[slot]!;
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
  const start = performance.now();
  fib.insertBatch(table.ipv4.addresses, table.ipv4.lengths, ids4);
  fib.insertBatch6(table.ipv6.addresses, table.ipv6.lengths, ids6);
  const insertMs = performance.now() - start;
  return { ipv4Routes: table.ipv4.count, ipv6Routes: table.ipv6.count, adjacenciesCreated: created, insertMs };
}
