// A reader that stops early (`dataplane flows trace.pcap | head`) closes the pipe under the
// command: the command stops quietly, as one ended by SIGPIPE would, with no "internal error"
// line on stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePcap } from "../src/packet/writer.js";
import { flowFrame } from "../src/sim/flow-traffic.js";

function readFirstChunk(args: string[]): Promise<{ status: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let first = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (stderr += text));
    child.stdout.once("data", (chunk: Buffer) => {
      first = chunk.toString("utf8");
      child.stdout.destroy(); // the reader goes away with most of the output unread
    });
    child.on("close", (status) => resolve({ status, stderr, first }));
  });
}

test("dataplane flows and simulate into a pipe closed early: quiet exit, no internal error", async () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-cli-pipe-"));
  try {
    // 20,000 flows of one packet each: megabytes of output, far more than a pipe holds.
    const records = Array.from({ length: 20_000 }, (_, k) => ({ time: 1.7e12 + k, bytes: flowFrame(k) }));
    const path = join(directory, "flows.pcap");
    writeFileSync(path, writePcap(records, { linkType: 1 }));
    for (const args of [
      ["flows", path, "--json"],
      ["flows", path],
      ["simulate", "arpanet-1980", "--seconds", "5"],
    ]) {
      const run = await readFirstChunk(args);
      assert.ok(run.first.length > 0, "some output was read");
      assert.doesNotMatch(run.stderr, /internal error|EPIPE/, run.stderr);
      assert.equal(run.status, 0, run.stderr);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
