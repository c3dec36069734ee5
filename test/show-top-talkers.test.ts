// `show ip flow top` and `show ip flow top-talkers [verbose]` against the seed's own displays
// (spec §3.8, §3.9, numbers in §9.4), line for line: each test loads a flow cache with flows
// whose totals reproduce the seed's run (the ICMP run, the FTP run, the ICMP attack run, the
// top-talkers runs before and after sampling), runs the command through the WebAssembly top
// talkers, and compares the rendered lines with the seed's. The seed's echo of the command and
// the blank line some examples have after it are not part of the display.

import { test } from "node:test";
import assert from "node:assert/strict";
import { FlowCache } from "../src/flow/cache.js";
import { FlowTopTalkers, ConfiguredTopTalkers } from "../src/analysis/top-talkers.js";
import { parseMatchValue } from "../src/analysis/top-query.js";
import { topField } from "../src/analysis/top-fields.js";
import { renderTopTalkers, renderConfiguredTopTalkers } from "../src/show/top-talkers.js";
import { showCommands } from "../src/show/commands.js";
import type { FlowCapture } from "../src/analysis/top-fields.js";
import { type FlowSpec, loadFlows, splitFlows } from "./helpers/seed-flows.js";

const HOSTS = ["10.251.138.218", "10.231.185.254", "10.132.221.111", "10.106.1.1", "10.71.200.138", "10.10.12.1"];
const TARGET = "172.16.10.2";
const ECHO_REPLY = { protocol: 1, icmpType: 0, icmpCode: 0 };
const ECHO = { protocol: 1, icmpType: 8, icmpCode: 0 };
const PARAMETER_PROBLEM = { protocol: 1, icmpType: 12, icmpCode: 1 };

function lines(block: string): string[] {
  return block.replace(/^\n/, "").replace(/\n$/, "").split("\n");
}

/** Other traffic: `count` TCP/UDP flows between hosts that no example's criterion selects. */
function background(count: number): FlowSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    src: `192.168.${i}.${i + 1}`,
    dst: `172.16.20.${i + 1}`,
    protocol: i % 3 === 0 ? 17 : 6,
    srcPort: 1024 + i,
    dstPort: i % 3 === 0 ? 53 : 80,
    packets: 3 + i,
    bytes: (3 + i) * 40,
  }));
}

/** The seed's column headings of an address aggregation (§3.8). */
const SRC_HEADING = `IPV4 SRC-ADDR         bytes        pkts       flows
===============  ==========  ==========  ==========`;
const DST_HEADING = SRC_HEADING.replace("SRC", "DST");

function withCache(
  specs: readonly FlowSpec[],
  body: (top: FlowTopTalkers, cache: FlowCache) => void,
  captures?: readonly FlowCapture[],
): void {
  const cache = new FlowCache({ capacity: 4096, seed: 7 });
  const top = new FlowTopTalkers({ cache, ...(captures ? { captures } : {}) });
  try {
    loadFlows(cache, specs);
    body(top, cache);
  } finally {
    top.dispose();
    cache.dispose();
  }
}

function show(top: FlowTopTalkers, command: string): string[] {
  return renderTopTalkers(top.query(command.replace(/^show ip flow top /, "")));
}

/**
 * `command` renders as the seed's `expected` display, line for line; and the derived check of
 * spec §9.4 holds: the flows column adds up to N of `N of M flows matched.`
 */
function checkShow(top: FlowTopTalkers, command: string, expected: string): void {
  assert.deepEqual(show(top, command), lines(expected), command);
  const result = top.query(command.replace(/^show ip flow top /, ""));
  assert.equal(
    result.talkers.reduce((n, t) => n + t.flows, 0),
    result.matched,
  );
}

const ICMP = (src: string, packets: number, bytesPerPacket: number, kind = ECHO, extra: Partial<FlowSpec> = {}): FlowSpec => ({
  src,
  dst: TARGET,
  ...kind,
  packets,
  bytes: packets * bytesPerPacket,
  ...extra,
});

test("ICMP run: show ip flow top 3 aggregate protocol sorted-by packets descending (003:L1159)", () => {
  const icmp = Array.from({ length: 12 }, (_, i) => ICMP(`10.0.${i}.1`, i === 11 ? 1208 : 1209, 28));
  const tcp = [0, 1].map((i) => ({
    src: HOSTS[i]!,
    dst: TARGET,
    protocol: 6,
    srcPort: 3000 + i,
    dstPort: 23,
    packets: 1207,
    bytes: 1207 * 40,
  }));
  const udp = { src: "10.10.12.1", dst: "172.16.10.255", protocol: 17, srcPort: 520, dstPort: 520, packets: 1, bytes: 52 };
  withCache([...icmp, ...tcp, udp], (top) => {
    const command = "show ip flow top 3 aggregate protocol sorted-by packets descending";
    checkShow(
      top,
      command,
      `
There are 3 top talkers:
IPV4 PROT       bytes        pkts       flows
=========  ==========  ==========  ==========
        1      406196       14507          12
        6       96560        2414           2
       17          52           1           1
15 of 15 flows matched.
`,
    );
  });
});

test("ICMP run: show ip flow top 20 aggregate source-address sorted-by packets match protocol icmp (003:L1232)", () => {
  // Ties (3230 ×3, 3228 ×2) come in the order the sweep met them.
  const icmp = [
    ICMP("10.132.221.111", 3230, 28),
    ICMP("10.10.12.1", 3230, 28, PARAMETER_PROBLEM),
    ICMP("10.251.138.218", 3230, 28, PARAMETER_PROBLEM),
    ICMP("10.71.200.138", 3228, 28, PARAMETER_PROBLEM),
    ICMP("10.231.185.254", 3228, 28, PARAMETER_PROBLEM),
    ICMP("10.106.1.1", 3227, 28),
  ];
  withCache([...background(4), ...icmp, ...background(5).map((f) => ({ ...f, src: `10.9.9.${f.packets}` }))], (top) => {
    const command = "show ip flow top 20 aggregate source-address sorted-by packets match protocol icmp";
    checkShow(
      top,
      command,
      `
There are 6 top talkers:
${SRC_HEADING}
10.132.221.111        90440        3230           1
10.10.12.1            90440        3230           1
10.251.138.218        90440        3230           1
10.71.200.138         90384        3228           1
10.231.185.254        90384        3228           1
10.106.1.1            90356        3227           1
6 of 15 flows matched.
`,
    );
  });
});

test("ICMP run: show ip flow top 20 aggregate destination-address sorted-by packets match protocol icmp (003:L1316)", () => {
  const icmp = HOSTS.map((h, i) => ICMP(h, i < 4 ? 2426 : 2424, 28));
  withCache([...icmp, ...background(8)], (top) => {
    checkShow(
      top,
      "show ip flow top 20 aggregate destination-address sorted-by packets match protocol icmp",
      `
There is 1 top talker:
${DST_HEADING}
172.16.10.2          407456       14552           6
6 of 14 flows matched.
`,
    );
  });
});

test("FTP run: show ip flow top 50 aggregate source-address sorted-by bytes descending match destination-port min 20 max 21 (003:L2356)", () => {
  const ftp = (src: string, port: number, packets: number): FlowSpec => ({
    src,
    dst: TARGET,
    protocol: 6,
    srcPort: port,
    dstPort: port,
    packets,
    bytes: packets * 40,
  });
  const flows = [
    ftp("10.231.185.254", 21, 71),
    ftp("10.231.185.254", 20, 70),
    ftp("10.132.221.111", 21, 46),
    ftp("10.132.221.111", 20, 46),
    ftp("10.10.12.1", 21, 46),
    ftp("10.10.12.1", 20, 45),
    ftp("10.251.138.218", 21, 45),
    ftp("10.251.138.218", 20, 45),
    ftp("10.71.200.138", 21, 47),
    // Other traffic of the run: ICMP to the target, telnet, and the rest.
    ...HOSTS.map((h) => ICMP(h, 20, 28)),
    ...HOSTS.map((h) => ({ ...ftp(h, 23, 10), srcPort: 2000 })),
    ...background(7),
    ...HOSTS.map((h) => ({ ...ftp(h, 22, 4), dstPort: 0x16 + 100 })),
  ];
  withCache(flows, (top) => {
    const command = "show ip flow top 50 aggregate source-address sorted-by bytes descending match destination-port min 20 max 21";
    checkShow(
      top,
      command,
      `
There are 5 top talkers:
${SRC_HEADING}
10.231.185.254         5640         141           2
10.132.221.111         3680          92           2
10.10.12.1             3640          91           2
10.251.138.218         3600          90           2
10.71.200.138          1880          47           1
9 of 34 flows matched.
`,
    );
    // The same range in hex (0x14, 0x15) is the same command (003:L2392).
    assert.deepEqual(show(top, command.replace("min 20 max 21", "min 0x14 max 0x15")), show(top, command));
  });
});

test("FTP run: show ip flow top 50 aggregate source-address match destination-prefix 172.16.10.2/32 (003:L2397)", () => {
  // Mixed traffic to the target (so bytes ÷ packets is not integral), listed by address, descending.
  const totals: [string, number, number, number][] = [
    ["10.251.138.218", 4, 18, 6642],
    ["10.231.185.254", 4, 28, 5068],
    ["10.132.221.111", 4, 25, 14818],
    ["10.106.1.1", 2, 12, 12324],
    ["10.71.200.138", 3, 18, 12564],
    ["10.10.12.1", 2, 14, 560],
  ];
  const toTarget = totals.flatMap(([src, count, packets, bytes]) =>
    splitFlows(count, packets, bytes).map((part, k) => ({ src, dst: TARGET, protocol: 6, srcPort: 4000 + k, dstPort: 20 + k, ...part })),
  );
  const elsewhere = HOSTS.map((h) => ({ ...ICMP(h, 5, 28), dst: "172.16.10.200" }));
  withCache([...elsewhere.slice(0, 3), ...toTarget, ...elsewhere.slice(3), ...background(8)], (top) => {
    const command = "show ip flow top 50 aggregate source-address match destination-prefix 172.16.10.2/32";
    checkShow(
      top,
      command,
      `
There are 6 top talkers:
${SRC_HEADING}
10.251.138.218         6642          18           4
10.231.185.254         5068          28           4
10.132.221.111        14818          25           4
10.106.1.1            12324          12           2
10.71.200.138         12564          18           3
10.10.12.1              560          14           2
19 of 33 flows matched.
`,
    );
  });
});

test("ICMP attack run: show ip flow top 50 aggregate icmp (003:L2688)", () => {
  const flows = [
    ...["10.251.138.218", "10.231.185.254", "10.71.200.138", "10.10.12.1"].map((h) => ICMP(h, 411, 1500, PARAMETER_PROBLEM)),
    ...["10.132.221.111", "10.106.1.1"].map((h) => ICMP(h, 411, 1500, ECHO)),
    ...HOSTS.map((h) => ICMP(h, 411, 554, ECHO_REPLY, { fragmentOffset: 185 })),
    ...background(13),
  ];
  withCache(flows, (top) => {
    const command = "show ip flow top 50 aggregate icmp";
    checkShow(
      top,
      command,
      `
There are 3 top talkers:
ICMP TYPE  ICMP CODE       bytes        pkts       flows
=========  =========  ==========  ==========  ==========
       12          1     2466000        1644           4
        8          0     1233000         822           2
        0          0     1366164        2466           6
12 of 25 flows matched.
`,
    );
  });
});

test("ICMP attack run: show ip flow top 50 aggregate source-address match icmp type T code C (003:L2713, L2737, L2760)", () => {
  const flows = [
    ICMP("10.251.138.218", 578, 1500, PARAMETER_PROBLEM),
    ICMP("10.231.185.254", 577, 1500, PARAMETER_PROBLEM),
    ICMP("10.71.200.138", 577, 1500, PARAMETER_PROBLEM),
    ICMP("10.10.12.1", 578, 1500, PARAMETER_PROBLEM),
    ICMP("10.132.221.111", 730, 1500, ECHO),
    ICMP("10.106.1.1", 730, 1500, ECHO),
    ...HOSTS.map((h) => ICMP(h, 752, 554, ECHO_REPLY, { fragmentOffset: 185 })),
    ...background(12),
  ];
  withCache(flows, (top) => {
    checkShow(
      top,
      "show ip flow top 50 aggregate source-address match icmp type 12 code 1",
      `
There are 4 top talkers:
${SRC_HEADING}
10.251.138.218       867000         578           1
10.231.185.254       865500         577           1
10.71.200.138        865500         577           1
10.10.12.1           867000         578           1
4 of 24 flows matched.
`,
    );
    checkShow(
      top,
      "show ip flow top 50 aggregate source-address match icmp type 8 code 0",
      `
There are 2 top talkers:
${SRC_HEADING}
10.132.221.111      1095000         730           1
10.106.1.1          1095000         730           1
2 of 24 flows matched.
`,
    );
    checkShow(
      top,
      "show ip flow top 50 aggregate source-address match icmp type 0 code 0",
      `
There are 6 top talkers:
${SRC_HEADING}
10.251.138.218       416608         752           1
10.231.185.254       416608         752           1
10.132.221.111       416608         752           1
10.106.1.1           416608         752           1
10.71.200.138        416608         752           1
10.10.12.1           416608         752           1
6 of 24 flows matched.
`,
    );
  });
});

test("show ip flow top 5 aggregate source-vlan without ip flow-capture vlan-id: % VLAN id is not available for this cache (003:L706)", () => {
  withCache(
    [],
    (top) => assert.deepEqual(renderTopTalkers(top.query("5 aggregate source-vlan")), ["% VLAN id is not available for this cache"]),
    ["icmp", "ttl"],
  );
});

test("show ip flow top 1000 and 0: the number is out of IOS's range, 1 to 100, and the error says so", () => {
  withCache(background(3), (topTalkers, flowCache) => {
    for (const n of ["1000", "0", "101"]) {
      assert.throws(() => showCommands.run(`show ip flow top ${n} aggregate source-address`, { now: 0, flowCache, topTalkers }), {
        name: "ConfigError",
        message: new RegExp(`invalid value "${n}" for the number of top talkers: expected a decimal or 0x hex number from 1 to 100$`),
      });
    }
    assert.equal(
      showCommands.run("show ip flow top 100 aggregate source-address", { now: 0, flowCache, topTalkers }).lines[0],
      "There are 3 top talkers:",
    );
    assert.equal(
      showCommands.run("show ip flow top 1 aggregate source-address", { now: 0, flowCache, topTalkers }).lines[0],
      "There is 1 top talker:",
    );
  });
});

// Top talkers (configured): the flows to the attacked host, Et0/0.1 in, Et1/0.1 out.
const INTERFACES = { interfaceName: (i: number) => ["Et0/0.1", "Et1/0.1"][i]!, outputInterface: () => "Et1/0.1" };
const L2 = { srcMac: "aaaa.bbbb.cc03", dstMac: "aaaa.bbbb.cc06", vlan: 5, tcpFlags: 0x10 };
const MATCH_TARGET = [parseMatchValue(topField("destination-address")!, ["172.16.10.2/32"]).match];

/** The configured top talkers of the flows, rendered; the output VLAN (6) is the forwarding's, which this cache does not see. */
function showTopTalkers(flows: FlowSpec[], sortBy: "bytes" | "packets", verbose: boolean, sampled: boolean): string[] {
  let out: string[] = [];
  withCache(flows, (top) => {
    const configured = new ConfiguredTopTalkers(top, { top: 50, sortBy, match: MATCH_TARGET });
    const result = configured.show(0);
    for (const flow of result.flows) flow.outputVlan = 6;
    out = renderConfiguredTopTalkers(result, verbose, { ...INTERFACES, ...(sampled ? { sampler: { id: 1, classId: 1 } } : {}) });
  });
  return out;
}

/** One flow of `show ip flow top-talkers verbose` to the target (spec §3.9), with the Sampler/Class line when sampled. */
function verboseRecord(src: string, port: string, type: number, code: number, bytes: number, active: string, sampled: boolean): string {
  return `
Et0/0.1        ${src.padEnd(16)}Et1/0.1        172.16.10.2     01 00  10    ${bytes} 
0000 /0  0                     ${port} /0  0     0.0.0.0                28 ${active.padStart(7)}${sampled ? "\nSampler: 1  Class: 1  " : ""}
MAC: (VLAN id) aaaa.bbbb.cc03  (005)          aaaa.bbbb.cc06  (006)
Min plen:       28                            Max plen:        28
Min TTL:        59                            Max TTL:         59
ICMP type:      ${String(type).padStart(2)}                            ICMP code:        ${code}
IP id:           0`;
}

test("show ip flow top-talkers verbose, equal flows in cache order (003:L1486)", () => {
  const target: [string, typeof ECHO, number][] = [
    ["10.106.1.1", ECHO, 116_300],
    ["10.132.221.111", ECHO, 116_400],
    ["10.10.12.1", PARAMETER_PROBLEM, 116_400],
    ["10.251.138.218", PARAMETER_PROBLEM, 116_400],
    ["10.71.200.138", PARAMETER_PROBLEM, 116_500],
    ["10.231.185.254", PARAMETER_PROBLEM, 116_500],
  ];
  const flows = [...target.map(([src, kind, activeMs]) => ICMP(src, 336, 28, kind, { ...L2, activeMs })), ...background(2)];
  const record = (src: string, port: string, type: number, code: number, active: string) =>
    verboseRecord(src, port, type, code, 9408, active, false);
  assert.deepEqual(
    showTopTalkers(flows, "packets", true, false),
    lines(`
SrcIf          SrcIPaddress    DstIf          DstIPaddress    Pr TOS Flgs Bytes
Port Msk AS                    Port Msk AS    NextHop              B/Pk  Active${record("10.106.1.1", "0800", 8, 0, "116.3")}${record("10.132.221.111", "0800", 8, 0, "116.4")}${record("10.10.12.1", "0C01", 12, 1, "116.4")}${record("10.251.138.218", "0C01", 12, 1, "116.4")}${record("10.71.200.138", "0C01", 12, 1, "116.5")}${record("10.231.185.254", "0C01", 12, 1, "116.5")}
6 of 50 top talkers shown. 6 of 8 flows matched.
`),
  );
});

test("show ip flow top-talkers after input filtering and sampling (003:L2059)", () => {
  const sampled: [string, typeof ECHO, number][] = [
    ["10.10.12.1", PARAMETER_PROBLEM, 168],
    ["10.106.1.1", ECHO, 183],
    ["10.71.200.138", PARAMETER_PROBLEM, 157],
    ["10.231.185.254", PARAMETER_PROBLEM, 195],
    ["10.132.221.111", ECHO, 179],
    ["10.251.138.218", PARAMETER_PROBLEM, 173],
  ];
  const flows = [...sampled.map(([src, kind, packets]) => ICMP(src, packets, 28, kind, L2)), ...background(1)];
  assert.deepEqual(
    showTopTalkers(flows, "bytes", false, true),
    lines(`
SrcIf         SrcIPaddress    DstIf         DstIPaddress    Pr SrcP DstP Bytes
Et0/0.1       10.231.185.254  Et1/0.1       172.16.10.2     01 0000 0C01  5460 
Et0/0.1       10.106.1.1      Et1/0.1       172.16.10.2     01 0000 0800  5124 
Et0/0.1       10.132.221.111  Et1/0.1       172.16.10.2     01 0000 0800  5012 
Et0/0.1       10.251.138.218  Et1/0.1       172.16.10.2     01 0000 0C01  4844 
Et0/0.1       10.10.12.1      Et1/0.1       172.16.10.2     01 0000 0C01  4704 
Et0/0.1       10.71.200.138   Et1/0.1       172.16.10.2     01 0000 0C01  4396 
6 of 50 top talkers shown. 6 of 7 flows matched.
`),
  );
});

test("show ip flow top-talkers verbose after sampling: the Sampler/Class line (003:L2076)", () => {
  const sampled: [string, typeof ECHO, number, number][] = [
    ["10.251.138.218", PARAMETER_PROBLEM, 87, 64_600],
    ["10.106.1.1", ECHO, 103, 64_600],
    ["10.10.12.1", PARAMETER_PROBLEM, 84, 57_700],
    ["10.132.221.111", ECHO, 101, 64_600],
    ["10.71.200.138", PARAMETER_PROBLEM, 91, 58_000],
    ["10.231.185.254", PARAMETER_PROBLEM, 97, 64_600],
  ];
  const flows = [...background(1), ...sampled.map(([src, kind, packets, activeMs]) => ICMP(src, packets, 28, kind, { ...L2, activeMs }))];
  const record = (src: string, port: string, type: number, code: number, bytes: number, active: string) =>
    verboseRecord(src, port, type, code, bytes, active, true);
  assert.deepEqual(
    showTopTalkers(flows, "packets", true, true),
    lines(`
SrcIf          SrcIPaddress    DstIf          DstIPaddress    Pr TOS Flgs Bytes
Port Msk AS                    Port Msk AS    NextHop              B/Pk  Active${record("10.106.1.1", "0800", 8, 0, 2884, "64.6")}${record("10.132.221.111", "0800", 8, 0, 2828, "64.6")}${record("10.231.185.254", "0C01", 12, 1, 2716, "64.6")}${record("10.71.200.138", "0C01", 12, 1, 2548, "58.0")}${record("10.251.138.218", "0C01", 12, 1, 2436, "64.6")}${record("10.10.12.1", "0C01", 12, 1, 2352, "57.7")}
6 of 50 top talkers shown. 6 of 7 flows matched.
`),
  );
});
