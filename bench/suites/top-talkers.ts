/**
 * Top talkers: `show ip flow top 10 aggregate source-address sorted-by bytes` over 100k and 1M
 * live flows, in one run:
 *  - the WebAssembly sweep over the flow cache (src/analysis/top-talkers.ts),
 *  - the TS reference (src/reference/top-talkers.ts) over the same flows as records,
 *  - `nfdump -s srcip/bytes -n 10` over the same flows in an nfcapd file, made by nfpcapd from
 *    the capture our cache read (so both see the same packets and the same flows).
 * Figures are CPU time (user + sys) per query, so that the shared machine's load does not favour
 * either side; the ratio is nfdump's CPU seconds over ours (higher = we are faster). nfdump's
 * figure is the whole command (reading its file is its job); ours is the query on the live cache.
 *
 * Flows: one packet each, distinct 5-tuples, sources drawn by a Zipf law (s = 1) over
 * flows / 20 hosts, IP lengths 40–160 bytes.
 */

import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlowCache } from "../../src/flow/cache.js";
import { FlowTopTalkers } from "../../src/analysis/top-talkers.js";
import { parseTopQuery } from "../../src/analysis/top-query.js";
import { referenceTopTalkers } from "../../src/reference/top-talkers.js";
import { readPacketFileSync } from "../../src/node/capture-file.js";
import { writePcap, type CaptureRecord } from "../../src/packet/writer.js";
import { flowIndexSampler } from "../../src/sim/flow-traffic.js";
import { printTable, rate, ratio, keep } from "../lib/measure.js";

const T0 = 1.7e12;
const COMMAND = "10 aggregate source-address sorted-by bytes";

function frame(src: number, id: number, length: number): Uint8Array {
  const bytes = new Uint8Array(14 + length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x02000000);
  view.setUint16(4, 1);
  view.setUint32(6, 0x02000000);
  view.setUint16(10, 2);
  view.setUint16(12, 0x0800);
  view.setUint16(14, 0x4500);
  view.setUint16(16, length);
  view.setUint16(20, 0x4000);
  bytes[22] = 64;
  bytes[23] = 6;
  view.setUint32(26, src);
  view.setUint32(30, (0xc6120000 + (id & 0xffff)) >>> 0);
  view.setUint16(34, 1024 + (id >>> 16));
  view.setUint16(36, 80);
  view.setUint16(46, 0x5010);
  return bytes;
}

/** One packet per flow, `flows` flows, Zipf sources over flows / 20 hosts. */
function capture(path: string, flows: number): void {
  if (existsSync(path) && statSync(path).size > flows * 60) return;
  const hosts = Math.max(1, Math.floor(flows / 20));
  const sample = flowIndexSampler(hosts, "zipf", 7);
  const fd = openSync(path, "w");
  const CHUNK = 200_000;
  for (let start = 0; start < flows; start += CHUNK) {
    const records: CaptureRecord[] = [];
    for (let id = start; id < Math.min(flows, start + CHUNK); id++) {
      const host = sample();
      // Spread the hosts over the address space (a multiplicative hash), so their order is not their rank.
      const src = (0x0a000000 + ((Math.imul(host, 2654435761) >>> 8) & 0xffffff)) >>> 0;
      records.push({ time: T0 + id / 1000, bytes: frame(src, id, 40 + ((id * 37) % 121)) });
    }
    const bytes = writePcap(records, { linkType: 1 });
    writeSync(fd, start === 0 ? bytes : bytes.subarray(24));
  }
  closeSync(fd);
}

function cpuSeconds(command: string): { cpu: number; ok: boolean; output: string } {
  const run = spawnSync(
    "bash",
    ["-c", `TIMEFORMAT='%3U %3S'; { time ${command} > /tmp/dataplane-bench-top.out 2>/tmp/dataplane-bench-top.err ; } 2>&1`],
    {
      encoding: "utf8",
    },
  );
  const [user, sys] = run.stdout.trim().split("\n").pop()!.split(" ").map(Number);
  return { cpu: user! + sys!, ok: run.status === 0, output: run.stdout };
}

/** CPU seconds (user + sys) that `cache.update` takes over the capture's batches (reading them is not counted). */
function updateCpu(cache: FlowCache, path: string): number {
  let used = 0;
  for (const batch of readPacketFileSync(path, { ...cache.readerOptions(), capacity: 4096 })) {
    const start = process.cpuUsage();
    cache.update(batch);
    const u = process.cpuUsage(start);
    used += (u.user + u.system) / 1e6;
  }
  return used;
}

/** CPU seconds per call of `fn`, over at least `minCpuMs` of CPU time (median of 5 rounds). */
function cpuPerCall(fn: () => unknown, minCpuMs: number): number {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.cpuUsage();
    let calls = 0;
    let used = 0;
    do {
      keep(fn());
      calls++;
      const u = process.cpuUsage(start);
      used = (u.user + u.system) / 1e3;
    } while (used < minCpuMs / 5);
    rounds.push(used / 1e3 / calls);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const table: (string | number)[][] = [];
  const updates: string[][] = [];
  const haveNfdump = spawnSync("sh", ["-c", "command -v nfdump && command -v nfpcapd"]).status === 0;
  for (const flows of [100_000, 1_000_000]) {
    const path = join(tmpdir(), `dataplane-bench-top-${flows}.pcap`);
    capture(path, flows);
    const cacheOptions = { capacity: Math.ceil(flows * 1.05), activeTimeout: 3600e3, inactiveTimeout: 3600e3, seed: 1 };
    // The packet path's cost of keeping the top-talkers column: the same capture into a cache
    // without top talkers and into one with them attached first (whose column the queries read).
    // Three rounds of each, alternating, into fresh caches (medians): one pass is at the mercy
    // of the first touches of a fresh cache's pages and of the machine's other work.
    const plainRounds: number[] = [];
    const keptRounds: number[] = [];
    let cache: FlowCache | undefined;
    let top: FlowTopTalkers | undefined;
    for (let round = 0; round < 3; round++) {
      const plain = new FlowCache(cacheOptions);
      plainRounds.push(updateCpu(plain, path));
      plain.dispose();
      top?.dispose();
      cache?.dispose();
      cache = new FlowCache(cacheOptions);
      top = new FlowTopTalkers({ cache, seed: 2 });
      keptRounds.push(updateCpu(cache, path));
    }
    if (cache === undefined || top === undefined) throw new Error("no rounds");
    const updatePlain = plainRounds.sort((a, b) => a - b)[1]!;
    const updateKept = keptRounds.sort((a, b) => a - b)[1]!;
    const query = parseTopQuery(COMMAND);
    const ours = top.query(query);
    const records = cache.flows().sort((a, b) => a.entry - b.entry);
    const reference = referenceTopTalkers(records, query);
    if (JSON.stringify(reference) !== JSON.stringify(ours)) throw new Error("WebAssembly and reference disagree");
    const oursCpu = cpuPerCall(() => top.query(query), 1500);
    const referenceCpu = cpuPerCall(() => referenceTopTalkers(records, query), 3000);
    const row: Record<string, unknown> = {
      flows: cache.activeFlows,
      aggregates: ours.aggregates,
      dataplaneCpuSecondsPerQuery: oursCpu,
      dataplaneFlowsPerCpuSecond: flows / oursCpu,
      referenceCpuSecondsPerQuery: referenceCpu,
      ratioVsReference: referenceCpu / oursCpu,
      updateCpuNsPerPacketWithoutTopTalkers: (updatePlain / flows) * 1e9,
      updateCpuNsPerPacketWithColumn: (updateKept / flows) * 1e9,
      updateColumnCost: updateKept / updatePlain,
    };
    updates.push([
      `${flows} packets (one per flow)`,
      ((updatePlain / flows) * 1e9).toFixed(0),
      ((updateKept / flows) * 1e9).toFixed(0),
      `×${(updateKept / updatePlain).toFixed(2)}`,
    ]);
    table.push([`dataplane (WebAssembly), ${flows} flows`, (oursCpu * 1e3).toFixed(2), rate(flows / oursCpu), ""]);
    table.push([
      `TS reference, ${flows} flows`,
      (referenceCpu * 1e3).toFixed(2),
      rate(flows / referenceCpu),
      ratio(referenceCpu / oursCpu),
    ]);
    if (haveNfdump) {
      const directory = join(tmpdir(), `dataplane-bench-top-nfcapd-${flows}`);
      rmSync(directory, { recursive: true, force: true });
      mkdirSync(directory);
      const made = spawnSync("nfpcapd", ["-r", path, "-w", directory, "-B", String(flows * 2), "-e", "3600,3600", "-t", "86400"], {
        encoding: "utf8",
      });
      const files = readdirSync(directory, { recursive: true })
        .map(String)
        .filter((f) => f.includes("nfcapd.") && !f.includes("current"));
      if (made.status !== 0 || files.length === 0) throw new Error(`nfpcapd failed: ${made.stderr}`);
      const runs = [0, 1, 2].map(() => cpuSeconds(`nfdump -R ${directory} -s srcip/bytes -n 10 -q`));
      if (!runs.every((r) => r.ok)) throw new Error(`nfdump failed: ${runs.map((r) => r.output).join(" ")}`);
      const nfdumpCpu = runs.map((r) => r.cpu).sort((a, b) => a - b)[1]!;
      // The same answer: nfdump's top source (its first row) is ours.
      const shown = spawnSync("nfdump", ["-R", directory, "-s", "srcip/bytes", "-n", "10", "-q"], { encoding: "utf8" }).stdout;
      const topSource = String(ours.talkers[0]?.value);
      row.nfdumpCpuSeconds = nfdumpCpu;
      row.nfdumpFlowsPerCpuSecond = flows / nfdumpCpu;
      row.ratioVsNfdump = nfdumpCpu / oursCpu;
      row.nfdumpTopSourceAgrees = shown.includes(topSource);
      table.push([
        `nfdump -s srcip/bytes -n 10, ${flows} flows`,
        (nfdumpCpu * 1e3).toFixed(1),
        rate(flows / nfdumpCpu),
        ratio(nfdumpCpu / oursCpu),
      ]);
    }
    results[String(flows)] = row;
    top.dispose();
    cache.dispose();
  }
  if (!haveNfdump) console.log("nfdump/nfpcapd not installed: the ratio against nfdump is not measured (apt-get install nfdump)");
  printTable(
    "show ip flow top 10 aggregate source-address sorted-by bytes: CPU ms per query (median), flows per CPU-second; × = their CPU time / ours",
    ["implementation", "CPU ms", "flows/CPU-s", "dataplane ×"],
    table,
  );
  printTable(
    "packet path (FlowCache.update) CPU ns per packet, without top talkers and with a FlowTopTalkers attached (the column kept); × = with / without (above 1: the column's cost)",
    ["capture", "without", "with column", "with / without"],
    updates,
  );
  return results;
}
