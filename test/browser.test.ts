// The built package in a real browser (Debian's headless Chromium, driven by playwright-core):
// the ESM build and the script-tag build each build a FIB, read a small pcap into a PacketBatch
// on one Core and run it through a FlowCache and the FIB on that core; the results the page
// writes into the DOM must equal the same calls in Node.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { chromiumMissing, serveDirectory, withPage } from "./helpers/browser.js";
import { validFrame } from "./helpers/frames.js";
import { writePcap } from "../src/packet/writer.js";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

/**
 * The scenario both sides run, as source text so that the page and Node execute the very same
 * function: `api` is the package (the ESM module's namespace or the script build's global).
 */
const SCENARIO = `(api, bytes) => {
  const core = new api.Core({ seed: 42 });
  const fib = new api.Fib({ core });
  const a = fib.addAdjacency({ interface: "Gi0/1", nextHop: "192.0.2.1" });
  const b = fib.addAdjacency({ interface: "Gi0/2", nextHop: "2001:db8::1" });
  fib.insert("0.0.0.0/1", a);
  fib.insert("128.0.0.0/2", b);
  fib.insert("2000::/3", b);
  fib.insert("10.0.0.0/8", api.SpecialAdjacency.drop);
  const cache = new api.FlowCache({ core, capacity: 256, seed: 7 });
  const lookups = [];
  let packets = 0;
  for (const batch of api.readPacketsFromBytes(bytes, { core })) {
    packets += batch.length;
    cache.update(batch);
    lookups.push(...fib.lookupPackets(batch));
  }
  const flows = cache.flush(1e13).map((f) => [f.src, f.dst, f.protocol, f.srcPort, f.dstPort, f.packets, f.bytes, f.endReason].join(" ")).sort();
  const c = cache.counters();
  return { packets, lookups, flows, counters: [c.packetsIn, c.packetsAccounted, c.packetsRefused, c.flowsAdded], summary: fib.summary().routes };
}`;

function capture(): Uint8Array {
  const frames = fc.sample(validFrame, { seed: 5, numRuns: 400 }).filter((f) => f.linkType === 1);
  return writePcap(
    frames.map((f, i) => ({ time: 1_700_000_000_000 + i * 10, bytes: f.bytes, wireLength: f.wireLength })),
    { linkType: 1 },
  );
}

const PAGE_ESM = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="result">pending</pre>
<script type="module">
import * as api from "./dist/index.js";
const scenario = SCENARIO;
const bytes = new Uint8Array(await (await fetch("./capture.pcap")).arrayBuffer());
document.getElementById("result").textContent = JSON.stringify(scenario(api, bytes));
</script></body></html>`;

const PAGE_SCRIPT = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="result">pending</pre>
<script src="./dist/dataplane.global.js"></script>
<script>
const scenario = SCENARIO;
fetch("./capture.pcap").then((r) => r.arrayBuffer()).then((buffer) => {
  document.getElementById("result").textContent = JSON.stringify(scenario(globalThis.dataplane, new Uint8Array(buffer)));
});
</script></body></html>`;

const skip = chromiumMissing();

for (const [build, page] of [
  ["ESM build (dist/index.js)", PAGE_ESM],
  ["script-tag build (dist/dataplane.global.js)", PAGE_SCRIPT],
] as const) {
  test(`in Chromium, the ${build} gives the results Node gives`, { skip }, async () => {
    const bytes = capture();
    const expected = new Function(`return (${SCENARIO})`)()(await import(`${DIST}index.js`), bytes);
    assert.ok(expected.packets > 100 && expected.flows.length > 10, "the capture exercises the components");

    const root = mkdtempSync(join(tmpdir(), "dataplane-browser-"));
    try {
      symlinkSync(DIST, join(root, "dist"));
      writeFileSync(join(root, "capture.pcap"), bytes);
      writeFileSync(join(root, "index.html"), page.replace("SCENARIO", SCENARIO));
      const server = await serveDirectory(root);
      try {
        const actual = await withPage(`${server.url}index.html`, async (p, log) => {
          await p.waitForFunction(() => document.getElementById("result")?.textContent !== "pending", undefined, { timeout: 60_000 });
          const text = await p.textContent("#result");
          assert.deepEqual(log.pageErrors, []);
          assert.deepEqual(log.consoleErrors, []);
          return JSON.parse(text ?? "null");
        });
        assert.deepEqual(actual, expected);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
