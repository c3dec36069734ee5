/**
 * The `dataplane` command. Each subcommand lives in commands/<name>.ts and is listed here.
 * Failures are reported here, one line each, by the rules in command.ts.
 */

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, errorLine, exitStatus } from "./command.js";
import { fibCommand } from "./commands/fib.js";
import { startCommand } from "./commands/start.js";
import { packetsCommand } from "./commands/packets.js";
import { arpScanCommand } from "./commands/arp-scan.js";
import { flowsCommand } from "./commands/flows.js";
import { collectCommand } from "./commands/collect.js";
import { simulateCommand } from "./commands/simulate.js";
import { showCommand } from "./commands/show.js";
import { routeCommand } from "./commands/route.js";

const commands: Command[] = [
  startCommand,
  fibCommand,
  packetsCommand,
  arpScanCommand,
  flowsCommand,
  routeCommand,
  collectCommand,
  showCommand,
  simulateCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: dataplane <command> [options]",
    "       dataplane --version",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `dataplane <command> --help` for a command's options.",
  ].join("\n");
}

/** The package's version, from the package.json above this file (src/cli/ or dist/). */
function version(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "dataplane" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // not here: look further up
    }
    directory = dirname(directory);
  }
  return "unknown";
}

let running = "dataplane";

/** Reports a failure: one line on stderr (and the stack with DATAPLANE_DEBUG set); returns the exit status. */
function fail(error: unknown): number {
  process.stderr.write(`${running}: ${errorLine(error)}\n`);
  if (process.env.DATAPLANE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitStatus(error);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(version());
    return 0;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`dataplane: unknown command ${JSON.stringify(name)} (dataplane --help lists them)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  running = `dataplane ${name}`;
  try {
    return await command.run(rest);
  } catch (error) {
    return fail(error);
  }
}

// Errors that escape the command (a stream's error event, a rejected callback) get the same one line.
const late = (error: unknown) => {
  process.exitCode = fail(error);
  process.exit();
};
process.on("uncaughtException", late);
process.on("unhandledRejection", late);
// A reader that stops early (`dataplane show ... | head`) closes the pipe: stop quietly, with the
// status so far, as a command ended by SIGPIPE would, rather than report an internal error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  late(error);
});

process.exitCode = await main(process.argv.slice(2));
