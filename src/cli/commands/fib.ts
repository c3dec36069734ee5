/** `dataplane fib --table FILE [--lookup ADDR ...] [--json]`: load a table, show the CEF summary and lookups. */

import { DataplaneError, FileError } from "../../errors.js";
import { Fib } from "../../fib/fib.js";
import { parseAddress } from "../../net/address.js";
import { renderCefSummary } from "../../show/cef.js";
import { readTableFile, installTable, MAX_SYNTHETIC_NEXT_HOPS } from "../../node/table-file.js";
import { type Command, DataError, UsageError, parseOptions, numberOption } from "../command.js";
import { describeAdjacency } from "../format.js";

export const fibCommand: Command = {
  name: "fib",
  summary: "load a routing table, print `show ip cef summary` and look up addresses",
  usage: `usage: dataplane fib --table FILE [--lookup ADDR ...] [--json] [--next-hops N]

Loads FILE (one "prefix [next-hop|null|punt|drop|glean|discard]" per line, # comments,
gzip-compressed or not) into a FIB and prints its summary in the IOS "show ip cef summary"
layout, then the longest match for each --lookup address. A bad line is reported with its
file:line (exit code 1); a prefix listed twice is loaded once (the later line wins).

  --table FILE      the routing table to load (required)
  --lookup ADDR     an IPv4 or IPv6 address to look up (repeatable)
  --next-hops N     routes without a next hop get one of N synthetic ones (default 254, at most
                    ${MAX_SYNTHETIC_NEXT_HOPS.toLocaleString("en-US")}: 198.18.0.0/15 for IPv4, 2001:2::/48 for IPv6)
  --json            print the summary and lookups (prefix, next hop, interface) as JSON`,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        table: { type: "string" },
        lookup: { type: "string", multiple: true },
        "next-hops": { type: "string" },
        json: { type: "boolean" },
      },
      false,
    );
    if (!values.table) throw new UsageError("--table FILE is required");
    const path = values.table;
    // Everything the user typed is checked before the table loads.
    const syntheticNextHops = numberOption(values["next-hops"], "next-hops", 254, { integer: true, min: 1, max: MAX_SYNTHETIC_NEXT_HOPS });
    const addresses = values.lookup ?? [];
    for (const address of addresses) {
      try {
        parseAddress(address);
      } catch (error) {
        throw new UsageError(
          `--lookup ${JSON.stringify(address.length > 60 ? `${address.slice(0, 57)}...` : address)}: ${(error as Error).message}`,
        );
      }
    }
    let table: Awaited<ReturnType<typeof readTableFile>>;
    try {
      table = await readTableFile(path);
    } catch (error) {
      if (error instanceof FileError || !(error instanceof DataplaneError)) throw error;
      throw new DataError(path, error.message);
    }
    if (table.ipv4.count + table.ipv6.count === 0) throw new DataError(path, 'no routes in the file (one "prefix [next-hop]" per line)');
    const fib = new Fib();
    const report = installTable(fib, table, { syntheticNextHops });
    const lookups = addresses.map((address) => {
      const match = fib.match(address);
      const adjacency = match === undefined ? undefined : fib.adjacency(match.adjacency);
      return {
        address,
        prefix: match?.prefix ?? null,
        adjacency: match?.adjacency ?? 0,
        kind: adjacency?.kind ?? null,
        nextHop: adjacency?.nextHop ?? null,
        interface: adjacency?.interface ?? null,
      };
    });
    const summary = fib.summary();
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            summary,
            loaded: { ipv4: report.ipv4Routes, ipv6: report.ipv6Routes, duplicates: report.duplicates },
            loadMs: Math.round(report.insertMs),
            lookups,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    process.stdout.write(renderCefSummary(summary));
    const duplicates = report.duplicates === 0 ? "" : ` (${report.duplicates} duplicate line${report.duplicates === 1 ? "" : "s"} ignored)`;
    console.log(
      `\nLoaded ${report.ipv4Routes} IPv4 and ${report.ipv6Routes} IPv6 routes${duplicates} in ${report.insertMs.toFixed(0)} ms.`,
    );
    for (const l of lookups) {
      console.log(l.prefix === null ? `${l.address}: no route` : `${l.address}: ${l.prefix} via ${describeAdjacency(fib, l.adjacency)}`);
    }
    return 0;
  },
};
