// The show-command registry (IOS abbreviations, longest match, errors listing the commands), the
// `| include / exclude / begin` output filter, `show ip cache flow` in the Code Red document's
// layout (spec §3.1) and the MLS views under each flow mask (spec §3.3).

import { test } from "node:test";
import assert from "node:assert/strict";
import { FlowCache } from "../src/flow/cache.js";
import type { FlowMask } from "../src/flow/record.js";
import { FlowTopTalkers } from "../src/analysis/top-talkers.js";
import { ShowRegistry, showCommands, type ShowContext } from "../src/show/commands.js";
import { applyOutputFilter, splitOutputFilter } from "../src/show/output-filter.js";
import { renderSetMlsFlow } from "../src/show/mls.js";
import { loadFlows, type FlowSpec } from "./helpers/seed-flows.js";

// Code Red I: HTTP (0x0050) connection attempts from an infected host on Vl1 (000:L61–75).
const WORM: FlowSpec[] = [0x0f9f, 0x0457, 0x3000, 0xb301].map((port, i) => ({
  src: "10.1.1.66",
  dst: `192.0.2.${10 + i}`,
  protocol: 6,
  srcPort: port,
  dstPort: 0x50,
  packets: i === 0 ? 2 : 1,
  bytes: (i === 0 ? 2 : 1) * 48,
  tcpFlags: 0x02,
}));
const OTHER: FlowSpec[] = [{ src: "10.1.1.7", dst: "192.0.2.99", protocol: 17, srcPort: 1025, dstPort: 53, packets: 3, bytes: 180 }];
const names = { interfaceName: (i: number) => ["Vl1", "Vl3"][i] ?? `If${i}`, outputInterface: () => "Vl3" };

function withContext(mask: FlowMask, body: (context: ShowContext) => void): void {
  const cache = new FlowCache({ capacity: 64, mask, seed: 1 });
  const topTalkers = new FlowTopTalkers({ cache });
  try {
    loadFlows(cache, [...WORM, ...OTHER]);
    body({ now: 1_000_000 + 65_000, flowCache: cache, topTalkers, names });
  } finally {
    topTalkers.dispose();
    cache.dispose();
  }
}

test("show ip cache flow | include 0050: the worm's flows, ports in hex (000:L61–73)", () => {
  withContext("full", (context) => {
    assert.deepEqual(showCommands.run("show ip cache flow | include 0050", context).lines, [
      "Vl1           10.1.1.66       Vl3           192.0.2.10      06 0F9F  0050     2 ",
      "Vl1           10.1.1.66       Vl3           192.0.2.11      06 0457  0050     1 ",
      "Vl1           10.1.1.66       Vl3           192.0.2.12      06 3000  0050     1 ",
      "Vl1           10.1.1.66       Vl3           192.0.2.13      06 B301  0050     1 ",
    ]);
    const all = showCommands.run("sh ip cach fl", context).lines;
    assert.ok(all.includes("SrcIf         SrcIPaddress    DstIf         DstIPaddress    Pr SrcP  DstP  Pkts"));
    assert.deepEqual(
      showCommands.run("show ip cache flow | exclude 0050", context).lines.filter((l) => l.startsWith("Vl1")),
      ["Vl1           10.1.1.7        Vl3           192.0.2.99      11 0401  0035     3 "],
    );
    assert.equal(
      showCommands.run("show ip cache flow | begin ^SrcIf", context).lines[0],
      "SrcIf         SrcIPaddress    DstIf         DstIPaddress    Pr SrcP  DstP  Pkts",
    );
    // The same host, found by dynamic top talkers.
    assert.deepEqual(
      showCommands.run("show ip flow top 1 aggregate source-address sorted-by flows match destination-port 0x0050", context).lines,
      [
        "There is 1 top talker:",
        "IPV4 SRC-ADDR         bytes        pkts       flows",
        "===============  ==========  ==========  ==========",
        "10.1.1.66               240           5           4",
        "4 of 5 flows matched.",
      ],
    );
  });
});

test("show mls ip and show mls entry under each flow mask: fields the mask does not keep print as -", () => {
  for (const mask of ["full", "destination-source", "destination"] as const) {
    withContext(mask, (context) => {
      const ip = showCommands.run("show mls ip", context).lines;
      assert.deepEqual(ip.slice(0, 2), [
        "DstIP           SrcIP           Prot:SrcPort:DstPort  Dst i/f:DstMAC ",
        "Pkts         Bytes       SrcDstPorts    SrcDstEncap Age   LastSeen ",
      ]);
      const first = ip[2]!;
      if (mask === "full") assert.match(first, /^192\.0\.2\.10 +10\.1\.1\.66 +6:3999:80 +Vl3:-$/);
      if (mask === "destination-source") assert.match(first, /^192\.0\.2\.10 +10\.1\.1\.66 +-:-:- +Vl3:-$/);
      if (mask === "destination") assert.match(first, /^192\.0\.2\.10 +- +-:-:- +Vl3:-$/);
      assert.match(ip[3]!, /^2 +96 +Vl1,Vl3 +ARPA,ARPA +65 +00:/);
      const entry = showCommands.run("show mls ent", context).lines;
      assert.equal(entry[0], "Destination-IP  Source-IP     Prot  DstPrt SrcPrt Destination-Mac   Vlan EDst ");
      // Five destinations: five entries under every mask, two lines each.
      assert.equal(entry.length, 4 + 2 * 5);
    });
  }
  assert.deepEqual(renderSetMlsFlow("full"), [
    "Configured IP flowmask is set to full flow.",
    "Warning: Configuring more specific flow mask may dramatically",
    "increase the number of MLS entries.",
  ]);
  // Under the destination mask the source is not kept: % not available.
  withContext("destination", (context) => {
    assert.deepEqual(showCommands.run("show ip flow top 5 aggregate source-address", context).lines, [
      "% source address is not available for this cache",
    ]);
  });
});

test("registry: longest match, exact words before abbreviations, errors list the commands; other features register theirs", () => {
  const registry = new ShowRegistry();
  const run = (name: string) => ({ lines: [name], json: name });
  registry.register({
    words: ["show", "ip", "cache"],
    syntax: "show ip cache [A.B.C.D]",
    summary: "route cache",
    run: (args) => run(`route ${args.join(" ")}`),
  });
  registry.register({ words: ["show", "ip", "cache", "flow"], syntax: "show ip cache flow", summary: "", run: () => run("flow") });
  registry.register({
    words: ["show", "ip", "nat", "translations"],
    syntax: "show ip nat translations",
    summary: "",
    run: () => run("nat"),
  });
  const context = { now: 0 };
  assert.deepEqual(registry.run("show ip cache flow", context).lines, ["flow"]);
  assert.deepEqual(registry.run("show ip cache 10.0.0.0", context).lines, ["route 10.0.0.0"]);
  assert.deepEqual(registry.run("sh ip nat tr", context).lines, ["nat"]);
  assert.throws(
    () => registry.register({ words: ["show", "ip", "cache"], syntax: "", summary: "", run: () => run("") }),
    /already registered/,
  );
  assert.throws(() => registry.run("show ip route", context), {
    name: "ConfigError",
    message:
      /^unknown command "show ip route": available commands are show ip cache \[A\.B\.C\.D\]; show ip cache flow; show ip nat translations$/,
  });
  assert.throws(() => showCommands.run("show ip accounting", context), { name: "ConfigError", message: /% IP accounting is not enabled/ });
  assert.throws(() => splitOutputFilter("show ip cache flow | grep 0050"), /unknown output filter "grep": expected \| include REGEX/);
  assert.throws(() => splitOutputFilter("show ip cache flow | include ("), /invalid regular expression/);
  assert.deepEqual(applyOutputFilter(["a1", "b2", "a3"], splitOutputFilter("x | i a").filter), ["a1", "a3"]);
  assert.deepEqual(applyOutputFilter(["a1", "b2", "a3"], splitOutputFilter("x | e a").filter), ["b2"]);
  assert.deepEqual(applyOutputFilter(["a1", "b2", "a3"], splitOutputFilter("x | b b").filter), ["b2", "a3"]);
});
