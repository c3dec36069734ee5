// `dataplane packets`: one line per packet (readable or JSON), the closing count by status, and
// a corrupt file reported with its byte offset after the packets before it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { writePcap } from "../src/packet/writer.js";
import { validFrame } from "./helpers/frames.js";

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "packets", ...args], { encoding: "utf8" });
}

test("dataplane packets prints every packet and the count by status, as text and as JSON", () => {
  const frames = fc.sample(
    validFrame.filter((f) => f.linkType === 1),
    { seed: 7, numRuns: 200 },
  );
  const file = writePcap(
    frames.map((f, i) => ({ time: 1.6e12 + i, bytes: f.bytes, wireLength: f.wireLength })),
    { linkType: 1 },
  );
  const directory = mkdtempSync(join(tmpdir(), "dataplane-cli-"));
  try {
    const path = join(directory, "frames.pcap");
    writeFileSync(path, file);
    const json = run(path, "--json");
    assert.equal(json.status, 0, json.stderr);
    const lines = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const summary = lines.pop();
    assert.equal(lines.length, 200);
    assert.equal(summary.packets, 200);
    const byStatus: Record<string, number> = {};
    for (const packet of lines) byStatus[packet.status] = (byStatus[packet.status] ?? 0) + 1;
    assert.deepEqual(summary.statuses, byStatus);
    lines.forEach((packet, i) => assert.equal(packet.capturedLength, frames[i]!.bytes.length));

    const text = run(path, "--limit", "17");
    assert.equal(text.status, 0, text.stderr);
    const textLines = text.stdout.trim().split("\n");
    assert.equal(textLines.length, 18);
    assert.match(textLines.at(-1)!, /^17 packets: /);
    assert.match(textLines[0]!, /^\s*1 2020-09-13T12:26:40\.000000Z /);

    writeFileSync(path, file.subarray(0, file.length - 5));
    const cut = run(path);
    assert.equal(cut.status, 1);
    assert.match(cut.stdout.trim().split("\n").at(-1)!, /^199 packets: /);
    assert.match(cut.stderr, /ends inside a record .*at byte offset \d+/);
    assert.equal(run(join(directory, "missing.pcap")).status, 2);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
