/** `dataplane fib --table FILE [--lookup ADDR ...] [--json]`: load a table, show the CEF summary and lookups. */

import { Fib } from "../../fib/fib.js";
import { renderCefSummary } from "../../show/cef.js";
import { readTableFile, installTable } from "../../node/table-file.js";
import { type Command, UsageError, parseOptions, numberOption } from "../command.js";
import { describeAdjacency } from "../format.js";

export const fibCommand: Command = {
  name: "fib",
  summary: "load a routing table, print `show ip cef summary` and look up addresses",
  usage: `usage: dataplane fib --table FILE [--lookup ADDR ...] [--json] [--next-hops N]

Loads FILE (one "prefix [next-hop|null|punt|drop|glean|discard]" per line, .gz accepted)
into a FIB and prints its summary in the IOS "show ip cef summary" layout, then the
longest match for each --lookup address.

  --table FILE      the routing table to load (required)
  --lookup ADDR     an IPv4 or IPv6 address to look up (repeatable)
  --next-hops N     routes without a next hop get one of N synthetic ones (default 254)
  --json            print the summary and lookups as JSON`,
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
    const table = await readTableFile(values.table);
    const fib = new Fib();
    const report = installTable(fib, table, {
      syntheticNextHops: numberOption(values["next-hops"], "next-hops", 254, { integer: true, min: 1 }),
    });
    const lookups = (values.lookup ?? []).map((address) => {
      const match = fib.match(address);
      return { address, adjacency: match?.adjacency ?? 0, prefix: match?.prefix ?? null };
    });
    const summary = fib.summary();
    if (values.json) {
      console.log(JSON.stringify({ summary, loadMs: Math.round(report.insertMs), lookups }, null, 2));
      return 0;
    }
    process.stdout.write(renderCefSummary(summary));
    console.log(`\nLoaded ${report.ipv4Routes} IPv4 and ${report.ipv6Routes} IPv6 routes in ${report.insertMs.toFixed(0)} ms.`);
    for (const l of lookups) {
      console.log(l.prefix === null ? `${l.address}: no route` : `${l.address}: ${l.prefix} via ${describeAdjacency(fib, l.adjacency)}`);
    }
    return 0;
  },
};
