// `dataplane flows`: a capture through the flow cache, each flow as a JSON line or an IOS
// verbose record, the summary; options change the cache; bad options are usage errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePcap } from "../src/packet/writer.js";
import { flowFrame, flowTuple } from "../src/sim/flow-traffic.js";
import { formatIPv4 } from "../src/net/address.js";

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "flows", ...args], { encoding: "utf8" });
}

test("dataplane flows: every flow once, with the packets of the capture, as JSON lines and as IOS records", () => {
  // 30 flows; flow k sends k + 1 packets, 100 ms apart, interleaved; then flow 0 again 60 s later.
  const records: { time: number; bytes: Uint8Array }[] = [];
  for (let round = 0; round < 30; round++) {
    for (let k = round; k < 30; k++) records.push({ time: 1.7e12 + round * 100 + k, bytes: flowFrame(k) });
  }
  records.push({ time: 1.7e12 + 60_000, bytes: flowFrame(0) });
  const directory = mkdtempSync(join(tmpdir(), "dataplane-cli-flows-"));
  try {
    const path = join(directory, "flows.pcap");
    writeFileSync(path, writePcap(records, { linkType: 1 }));
    const json = run(path, "--json", "--inactive-timeout", "10");
    assert.equal(json.status, 0, json.stderr);
    const lines = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const { summary } = lines.pop();
    assert.equal(summary.packets, records.length);
    assert.equal(lines.length, 31);
    assert.equal(summary.counters.packetsIn, summary.counters.packetsExpired + summary.counters.packetsRefused);
    for (let k = 0; k < 30; k++) {
      const t = flowTuple(k);
      const flows = lines.filter((f) => f.src === formatIPv4(t.src) && f.sport === t.srcPort);
      assert.equal(
        flows.reduce((sum: number, f: { packets: number }) => sum + f.packets, 0),
        k === 0 ? 2 : k + 1,
      );
      assert.ok(flows.every((f: { bytes: number; packets: number; dport: number }) => f.bytes === 50 * f.packets && f.dport === t.dstPort));
    }
    // Flow 0's packet 60 s later comes after its inactive timeout: a second flow.
    assert.deepEqual(
      lines.filter((f) => f.src === formatIPv4(flowTuple(0).src)).map((f) => f.end_reason),
      ["inactive", "flush"],
    );
    assert.match(json.stderr, /packets\/s/);

    const masked = run(path, "--json", "--mask", "destination", "--capacity", "4");
    assert.equal(masked.status, 0, masked.stderr);
    const maskedSummary = JSON.parse(masked.stdout.trim().split("\n").pop()!).summary;
    assert.ok(maskedSummary.counters.expired["cache-full"] > 0);
    assert.ok(
      masked.stdout
        .split("\n")
        .slice(0, -2)
        .every((line) => line === "" || JSON.parse(line).src === "0.0.0.0"),
    );

    const text = run(path);
    assert.equal(text.status, 0, text.stderr);
    const out = text.stdout;
    assert.match(out, /^SrcIf {10}SrcIPaddress {4}DstIf {10}DstIPaddress {4}Pr TOS Flgs {2}Pkts\n/);
    assert.match(out, /\nIP packet size distribution \(466 total packets\):\n/);
    assert.match(out, /\n {2}0 active, 65536 inactive, 31 added\n/);
    assert.match(out, /\nTCP-other +22 /);
    assert.match(out, /\nUDP-other +9 /);
    assert.match(out, /\n466 packets, 31 flows in /);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("dataplane flows: bad options are usage errors (exit code 2)", () => {
  for (const args of [["--mask", "source", "x.pcap"], ["--capacity", "0", "x.pcap"], ["--inactive-timeout", "-1", "x.pcap"], []]) {
    const result = run(...args);
    assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, /^dataplane flows: /);
  }
});
