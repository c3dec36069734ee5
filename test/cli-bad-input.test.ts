// Every CLI command (packets, flows, fib, show, start, arp-scan, simulate, collect) on bad inputs (issue 10): a directory, an empty file, text, a truncated and
// a corrupt gzip stream, extreme pcapng timestamps, a missing file, and huge and malformed
// parameter values. Each run must end with exit code 1 (bad data) or 2 (bad usage), exactly one
// line on stderr naming the input, no stack trace, within a time limit, in bounded memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeBadInputs } from "./helpers/bad-inputs.js";

/** Peak resident memory allowed to a failing run (KiB). */
const MAX_RSS_KIB = 600 * 1024;
/** A run that takes longer hangs. */
const TIMEOUT_MS = 60_000;

interface Run {
  status: number | null;
  stderr: string;
  rssKiB: number;
}

function run(args: string[], rssFile: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./test/helpers/max-rss.ts", "src/cli/main.ts", ...args], {
      env: { ...process.env, DATAPLANE_RSS_FILE: rssFile, DATAPLANE_DEBUG: "" },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: TIMEOUT_MS,
    });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (stderr += text));
    child.on("close", (status) => {
      let rssKiB = Number.NaN;
      try {
        rssKiB = Number(readFileSync(rssFile, "utf8"));
      } catch {
        // no file: the run did not exit normally; the status check reports it
      }
      resolve({ status, stderr, rssKiB });
    });
  });
}

test("every command on every bad input: exit 1 or 2, one line on stderr naming the input, no stack trace, bounded memory", async () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-bad-"));
  try {
    const files = writeBadInputs(directory);
    const routerConfig = join(directory, "router.cfg");
    writeFileSync(routerConfig, "interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n");
    const badConfig = join(directory, "bad.cfg");
    writeFileSync(badConfig, "interface Ethernet0\n ip adress 10.0.0.1\n");
    const cases: { args: string[]; names: string; status?: 1 | 2 }[] = [];
    for (const [name, path] of Object.entries(files)) {
      const status = name === "directory" || name === "missing" ? 2 : 1;
      cases.push({ args: ["packets", path], names: path, status });
      // --json moves the rate line of flows to stderr: on a failure the error replaces it.
      cases.push({ args: ["flows", path, ...(name.endsWith(".gz") || name === "extreme.pcapng" ? ["--json"] : [])], names: path, status });
      // As a table, the capture files are bad lines (text, binary) or bad gzip streams.
      cases.push({ args: ["fib", "--table", path], names: path, status });
      cases.push({ args: ["show", path, "show ip cache flow"], names: path, status });
      cases.push({ args: ["route", path, "--config", routerConfig], names: path, status });
    }
    const good = files["extreme.pcapng"]!;
    const parameters: [string[], string][] = [
      [["packets", good, "--limit", ""], "--limit"],
      [["packets", good, "--limit", "1e400"], "--limit"],
      [["flows", good, "--capacity", "16777216"], "--capacity"],
      [["flows", good, "--inactive-timeout", "1e300"], "--inactive-timeout"],
      [["flows", good, "--batch-size", "0"], "--batch-size"],
      [["flows", good, "--mask", "x".repeat(10_000)], "--mask"],
      [["fib", "--table", good, "--next-hops", "1e6"], "--next-hops"],
      [["fib", "--table", files.missing!, "--lookup", "::g"], "--lookup"],
      [["start", "--lookups=1e9"], "--lookups"],
      [["start", "--routes=1e8"], "--routes"],
      [["start", "--seed=x"], "--seed"],
      [["arp-scan", "--rate", "1e12"], "--rate"],
      [["arp-scan", "--seconds", "1e9"], "--seconds"],
      [["arp-scan", "--rate", "100000", "--seconds", "86400"], "--rate"],
      [["arp-scan", "--rescan", "Infinity"], "--rescan"],
      [["packets", good, "--no-such-option"], "--no-such-option"],
      [["simulate", "arpanet-1980", "--nodes", "1e9"], "--nodes"],
      [["simulate", "arpanet-1980", "--seconds", "1e12"], "--seconds"],
      [["simulate", "no-such-scenario"], "no-such-scenario"],
      [["simulate", "bgp-churn", "--seconds", "1e12"], "--seconds"],
      [["simulate", "bgp-churn", "--seconds", "60"], "--seconds"],
      [["simulate", "bgp-churn", "--seed", "-1"], "--seed"],
      [["simulate", "bgp-churn", "--routes", "1e9"], "--routes"],
      [["simulate", "bgp-churn", "--regime", "monday"], "--regime"],
      [["simulate", "bgp-churn", "--report", ""], "--report"],
      [["simulate", "bgp-churn", "extra"], "extra"],
      [["simulate", "codered", "--seconds", "0"], "--seconds"],
      [["simulate", "codered", "--seconds", "1e12"], "--seconds"],
      [["simulate", "codered", "--seconds", "1.5"], "--seconds"],
      [["simulate", "codered", "--seed", "x"], "--seed"],
      [["simulate", "codered", "--seed", "-1"], "--seed"],
      [["simulate", "codered", "--report", ""], "--report"],
      [["simulate", "codered", "--no-such-option"], "--no-such-option"],
      [["simulate", "codered", "extra"], "extra"],
      [["simulate", "codered", "--report", join(badConfig, "x")], "bad.cfg"],
      [["simulate", "codered2", "--seconds", "-5"], "--seconds"],
      [["simulate", "codered2", "--seed", "1e20"], "--seed"],
      [["simulate", "codered2", "--json", "--report", ""], "--report"],
      [["simulate", "slammer", "--seconds", "86400"], "--seconds"],
      [["simulate", "slammer", "--seed", "0x"], "--seed"],
      [["simulate", "slammer", "--bandwidth", "1"], "--bandwidth"],
      [["flows", good, "--export", "udp://[::1]"], "--export"],
      [["flows", good, "--export", "udp://127.0.0.1:9", "--format", "v8"], "--format"],
      [["flows", good, "--export", "udp://127.0.0.1:9", "--rate", "0"], "--rate"],
      [["collect"], "--listen"],
      [["collect", "--listen", "udp://x"], "--listen"],
      [["collect", "--listen", "udp://127.0.0.1:9", "--count", "-1"], "--count"],
      [["show", good, "show ip flow top 1000 aggregate source-address"], "1000"],
      [["show", good, "show ip flow top 10 aggregate no-such-field"], "no-such-field"],
      [["show", good, "show nonsense"], "show nonsense"],
      [["route", good], "--config"],
      [["route", good, "--config", join(directory, "no-such.cfg")], "no-such.cfg"],
    ];
    for (const [args, names] of parameters) cases.push({ args, names, status: 2 });
    cases.push({ args: ["route", good, "--config", badConfig], names: badConfig, status: 1 });
    // --ip-cache: no value; a router without a fast-switching interface has no route cache; not with --workers.
    cases.push({ args: ["route", good, "--config", routerConfig, "--ip-cache=verbose"], names: "--ip-cache", status: 2 });
    cases.push({ args: ["route", good, "--config", routerConfig, "--ip-cache"], names: "--ip-cache", status: 2 });
    cases.push({ args: ["route", good, "--config", routerConfig, "--ip-cache", "--workers", "2"], names: "--ip-cache", status: 2 });
    // show ip cache reads the router of --config: a bad configuration is named.
    cases.push({ args: ["show", good, "show ip cache", "--config", badConfig], names: badConfig, status: 1 });
    // Every command the CLI lists is covered (a new command must add its bad inputs here).
    const { spawnSync } = await import("node:child_process");
    const help = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--help"], { encoding: "utf8" }).stdout;
    const listed = [...help.matchAll(/^ {2}([a-z][a-z0-9-]*) {2}/gm)].map((m) => m[1]!);
    assert.ok(listed.length >= 6, help);
    for (const name of listed)
      assert.ok(
        cases.some((c) => c.args[0] === name),
        `no bad-input case for dataplane ${name}`,
      );
    // Two at a time (the machine has two cores).
    const results: Run[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      results.push(...(await Promise.all(cases.slice(i, i + 2).map((c, k) => run(c.args, join(directory, `rss-${i + k}`))))));
    }
    cases.forEach((c, i) => {
      const r = results[i]!;
      const label = `dataplane ${c.args.map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a)).join(" ")}`;
      assert.ok(r.status === 1 || r.status === 2, `${label}: exit status ${r.status} (timeout or crash?)\n${r.stderr}`);
      if (c.status !== undefined) assert.equal(r.status, c.status, `${label}: exit status\n${r.stderr}`);
      const lines = r.stderr.split("\n").filter((line) => line !== "");
      assert.equal(lines.length, 1, `${label}: stderr has ${lines.length} lines:\n${r.stderr}`);
      assert.ok(lines[0]!.includes(c.names), `${label}: stderr does not name ${c.names}: ${lines[0]}`);
      assert.match(lines[0]!, new RegExp(`^dataplane ${c.args[0]}: `), label);
      assert.doesNotMatch(r.stderr, /\n\s+at |node:internal|Error: .*\n/, `${label}: stack trace`);
      assert.ok(lines[0]!.length < 600, `${label}: a ${lines[0]!.length}-character line`);
      assert.ok(r.rssKiB < MAX_RSS_KIB, `${label}: peak memory ${r.rssKiB} KiB`);
    });
    assert.ok(readdirSync(directory).length > 0);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("DATAPLANE_DEBUG adds the stack trace; --version prints the package's version", async () => {
  const { spawnSync } = await import("node:child_process");
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  const version = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--version"], { encoding: "utf8" });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), manifest.version);
  const directory = mkdtempSync(join(tmpdir(), "dataplane-debug-"));
  try {
    const files = writeBadInputs(directory);
    const debug = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "packets", files["corrupt.pcap.gz"]!], {
      encoding: "utf8",
      env: { ...process.env, DATAPLANE_DEBUG: "1" },
    });
    assert.equal(debug.status, 1);
    assert.match(debug.stderr, /^dataplane packets: .*corrupt\.pcap\.gz: the gzip data is corrupt .*at byte offset \d+/);
    assert.match(debug.stderr, /\n\s+at /);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
