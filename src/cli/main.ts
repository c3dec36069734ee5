/**
 * The `dataplane` command. Each subcommand lives in commands/<name>.ts and is listed here.
 */

import { DataplaneError } from "../errors.js";
import type { Command } from "./command.js";
import { fibCommand } from "./commands/fib.js";
import { startCommand } from "./commands/start.js";
import { packetsCommand } from "./commands/packets.js";
import { arpScanCommand } from "./commands/arp-scan.js";
import { flowsCommand } from "./commands/flows.js";
import { collectCommand } from "./commands/collect.js";

const commands: Command[] = [startCommand, fibCommand, packetsCommand, arpScanCommand, flowsCommand, collectCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: dataplane <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `dataplane <command> --help` for a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`dataplane: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof DataplaneError || (error instanceof Error && error.name === "UsageError")) {
      console.error(`dataplane ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
