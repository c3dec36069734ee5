/**
 * Routing tables for tests: the real full Internet table from ../shared/data when it is there,
 * else a generated one of the same shape (and the test says so).
 */

import { readTableFile, sharedTablePath, type RouteTable } from "../../src/node/table-file.js";
import { generateIPv4Table, generateIPv6Table } from "../../src/sim/table.js";

export interface TestTable {
  table: RouteTable;
  /** Where it came from, for the test log. */
  source: string;
}

let cached: Promise<TestTable> | undefined;

/** The tier1 table, or a generated table with the real length distribution. Cached per process. */
export function fullTable(): Promise<TestTable> {
  cached ??= (async () => {
    const path = sharedTablePath();
    if (path !== undefined) return { table: await readTableFile(path), source: path };
    const v4 = generateIPv4Table();
    const v6 = generateIPv6Table();
    return {
      table: {
        ipv4: { ...v4, targets: new Array<string>(v4.count).fill("") },
        ipv6: { ...v6, targets: new Array<string>(v6.count).fill("") },
      },
      source: "generated (../shared/data/tier1-prefixes.txt.gz is absent)",
    };
  })();
  return cached;
}
