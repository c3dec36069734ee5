// `dataplane show`: a capture through the flow cache, then IOS show commands with output filters,
// a configuration with ip flow-top-talkers and ip accounting, JSON, and clear errors for unknown
// commands and fields.
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
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "show", ...args], { encoding: "utf8" });
}

test("dataplane show: show ip cache flow | include, show ip flow top, top-talkers and accounting from a configuration, JSON, errors", () => {
  // 30 flows; flow k sends k + 1 packets of 50 bytes, 100 ms apart, interleaved.
  const records: { time: number; bytes: Uint8Array }[] = [];
  for (let round = 0; round < 30; round++) {
    for (let k = round; k < 30; k++) records.push({ time: 1.7e12 + round * 100 + k, bytes: flowFrame(k) });
  }
  const directory = mkdtempSync(join(tmpdir(), "dataplane-cli-show-"));
  try {
    const path = join(directory, "flows.pcap");
    writeFileSync(path, writePcap(records, { linkType: 1 }));
    const configPath = join(directory, "router.cfg");
    writeFileSync(
      configPath,
      [
        "hostname R3",
        "ip flow-top-talkers",
        " top 5",
        " sort-by packets",
        "!",
        "interface Ethernet1/0",
        " ip address 10.1.1.1 255.255.255.0",
        " ip accounting output-packets",
        "end",
      ].join("\n"),
    );
    const text = run(
      path,
      "show ip cache flow | include 01BB",
      "show ip flow top 3 aggregate destination-port sorted-by flows",
      "show ip flow top-talkers",
      "sh ip acc | begin 10.0.0.29",
      "--config",
      configPath,
    );
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stderr, /router\.cfg: 2 line\(s\) not handled .*line 1 "hostname R3"/);
    const blocks = text.stdout
      .split("Router#")
      .slice(1)
      .map((b) => b.replace(/\n+$/, "").split("\n"));
    // Flows k ≡ 1 (mod 4) go to TCP port 443 = 0x01BB.
    const https = Array.from({ length: 30 }, (_, k) => k).filter((k) => flowTuple(k).dstPort === 443);
    assert.deepEqual(
      blocks[0]!.slice(1),
      https.map(
        (k) =>
          `If0           ${formatIPv4(flowTuple(k).src).padEnd(16)}-             ${formatIPv4(flowTuple(k).dst).padEnd(16)}06 ${flowTuple(k).srcPort.toString(16).toUpperCase().padStart(4, "0")}  01BB${String(k + 1).padStart(6)} `,
      ),
    );
    // Ports 80 and 443 have 8 flows each (80 met first in the sweep), 53 and 22 seven (53 first).
    assert.deepEqual(blocks[1]!.slice(1), [
      "There are 3 top talkers:",
      "TRNS DST-PORT       bytes        pkts       flows",
      "=============  ==========  ==========  ==========",
      `           80  ${String(50 * [0, 4, 8, 12, 16, 20, 24, 28].reduce((s, k) => s + k + 1, 0)).padStart(10)}  ${String([0, 4, 8, 12, 16, 20, 24, 28].reduce((s, k) => s + k + 1, 0)).padStart(10)}           8`,
      `          443  ${String(50 * https.reduce((s, k) => s + k + 1, 0)).padStart(10)}  ${String(https.reduce((s, k) => s + k + 1, 0)).padStart(10)}           8`,
      `           53  ${String(50 * [2, 6, 10, 14, 18, 22, 26].reduce((s, k) => s + k + 1, 0)).padStart(10)}  ${String([2, 6, 10, 14, 18, 22, 26].reduce((s, k) => s + k + 1, 0)).padStart(10)}           7`,
      "30 of 30 flows matched.",
    ]);
    // top 5 sort-by packets: flows 29, 28, 27, 26, 25.
    assert.equal(blocks[2]!.length, 1 + 1 + 5 + 1);
    assert.deepEqual(
      blocks[2]!.slice(2, 7).map((l) => l.split(/\s+/)[1]),
      [29, 28, 27, 26, 25].map((k) => formatIPv4(flowTuple(k).src)),
    );
    assert.equal(blocks[2]!.at(-1), "5 of 5 top talkers shown. 30 of 30 flows matched.");
    // Accounting: every packet, one row per pair; | begin starts at flow 29's row.
    assert.match(
      blocks[3]![1]!,
      new RegExp(
        `^  ${formatIPv4(flowTuple(29).src).replace(/\./g, "\\.")} +${formatIPv4(flowTuple(29).dst).replace(/\./g, "\\.")} +30 +1500$`,
      ),
    );
    assert.deepEqual(blocks[3]!.slice(-1), ["Accounting data age is 0"]);

    const json = run(path, "show ip flow top 1 aggregate protocol sorted-by flows", "--json");
    assert.equal(json.status, 0, json.stderr);
    const [line] = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(line.output.talkers, [{ protocol: 6, bytes: 50 * 345, pkts: 345, flows: 22 }]);
    assert.equal(line.output.matched, 30);

    const unknown = run(path, "show ip flow bottom 3");
    assert.equal(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /^dataplane show: unknown command "show ip flow bottom 3": available commands are show ip flow top N aggregate FIELD .*show ip accounting \[checkpoint\]/,
    );
    const field = run(path, "show ip flow top 3 aggregate colour");
    assert.equal(field.status, 2);
    assert.match(
      field.stderr,
      /^dataplane show: unknown field "colour": expected one of source-address, destination-address, .*, packets\n$/,
    );
    const missing = run(path, "show ip accounting");
    assert.equal(missing.status, 2);
    assert.match(missing.stdout, /% IP accounting is not enabled \(ip accounting output-packets\)/);
    const badConfig = join(directory, "bad.cfg");
    writeFileSync(badConfig, "ip flow-top-talkers\n top 5\n sort-by colour\n");
    const bad = run(path, "show ip flow top-talkers", "--config", badConfig);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^dataplane show: .*bad\.cfg: line 3 "sort-by colour": expected top N, sort-by bytes\|packets/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
