/**
 * NetFlow / IPFIX export benchmarks, in one run so the ratios compare like with like:
 *  1. encoding: the flow cache's export queue → whole datagrams per second on one core (v5, v9,
 *     IPFIX), 4096 records of real flows; against the bar of 20 M records/s;
 *  2. end to end, v9 to nfcapd on 127.0.0.1: `dataplane flows FILE --export ... --format v9`
 *     against `softflowd -r FILE -v 9 -n ...` on the same 5M-packet, 100k-flow capture (the
 *     flows suite's), at both tools' default table sizes (dataplane 65,536 flows: the cache
 *     evicts ~3 M flows, the worm-scan output path; softflowd 8,192) and with every flow
 *     fitting (262,144 both): packets per CPU-second of each process, and the flows the
 *     collector received against the flows each exporter says it sent;
 *  3. the worm-scan output path with --json at the default capacity, for comparison.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlowCache } from "../../src/flow/cache.js";
import { FlowExporter, type ExportFormat } from "../../src/export/exporter.js";
import { fillFlowBatch } from "../../src/sim/flow-traffic.js";
import { keep, measureCase, printTable, rate, ratio } from "../lib/measure.js";
import { cpuSeconds, largeCapture } from "./flows.js";

const T0 = 1.7e12;
const QUEUED = 4096;
const RUNS = Number(process.env.EXPORT_BENCH_RUNS ?? 3);

/** A cache whose export queue holds 4096 records of real flows (expired by a flush). */
function queuedCache(): FlowCache {
  const cache = new FlowCache({ capacity: QUEUED, exportQueueCapacity: QUEUED, seed: 5 });
  const batch = cache.createBatch({ capacity: QUEUED, frameBytes: 0 });
  const ids = Uint32Array.from({ length: QUEUED }, (_, i) => i * 7919);
  fillFlowBatch(batch, ids, T0);
  cache.update(batch);
  while (cache.flushStep(T0 + 1e6) > 0);
  return cache;
}

function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
}

/** One run of `command` with nfcapd on `port`: its CPU seconds, the flows nfcapd counted, the command's stderr. */
async function withCollector(command: string, port: number): Promise<{ cpu: number; collected: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "dataplane-bench-export-"));
  const nfcapd = spawn("nfcapd", ["-b", "127.0.0.1", "-p", String(port), "-B", "8000000", "-w", dir, "-t", "3600"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  nfcapd.stdout.on("data", (d) => (log += d));
  nfcapd.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => nfcapd.on("exit", resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const result = cpuSeconds(command);
  const output = readFileSync("/tmp/dataplane-bench-flows.err", "utf8");
  if (!result.ok) throw new Error(`${command} failed: ${result.output} ${output}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  nfcapd.kill("SIGTERM");
  await exited;
  rmSync(dir, { recursive: true, force: true });
  return { cpu: result.cpu, collected: Number(/Ident: '[^']*' Flows: (\d+)/.exec(log)?.[1] ?? Number.NaN), output };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};

  // 1. Encoding, straight from the cache's export queue (keep: the same records again each call).
  const cache = queuedCache();
  const records = (() => {
    const copy = queuedCache();
    const bytes = copy.drainRecords();
    copy.dispose();
    return bytes;
  })();
  const rows: (string | number)[][] = [];
  const encoding: Record<string, number> = {};
  for (const format of ["v5", "v9", "ipfix"] as ExportFormat[]) {
    let bytes = 0;
    const exporter = new FlowExporter({ core: cache.core, format, pacing: false, sinks: [{ send: (d) => ((bytes += d.length), true) }] });
    const c = await measureCase(`encode ${format}`, () => exporter.exportFrom(cache, T0 + 2e6, { keep: true }), QUEUED);
    const copied = await measureCase(`encode ${format} from bytes`, () => exporter.exportRecords(records, T0 + 2e6), QUEUED);
    rows.push([format, rate(c.opsPerSecond), (1e9 / c.opsPerSecond).toFixed(1), ratio(c.opsPerSecond / 20e6), rate(copied.opsPerSecond)]);
    encoding[format] = c.opsPerSecond;
    encoding[`${format}FromBytes`] = copied.opsPerSecond;
    keep(bytes);
    exporter.dispose();
  }
  printTable(
    "encoding: the flow cache's export queue (4096 records of real flows) → datagrams handed to a sink, one core (mitata p50)",
    ["format", "records/s", "ns/record", "× the 20 M/s bar", "from record bytes (copied in first)"],
    rows,
  );
  results.encodingRecordsPerSecond = encoding;

  // 2 and 3. End to end.
  const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
  if (process.env.EXPORT_BENCH_E2E === "0") return results;
  if (!existsSync(cli)) {
    console.log("\nend to end: dist/cli.js missing (npm run build)");
    return results;
  }
  if (!hasTool("nfcapd") || !hasTool("softflowd")) {
    console.log("\nend to end: nfcapd or softflowd not installed (.ci/run installs them)");
    return results;
  }
  const packets = 5_000_000;
  const path = join(tmpdir(), "dataplane-bench-flows-uniform-5m-100k.pcap");
  largeCapture(path, packets, 100_000, "uniform");
  const port = 29980;
  const table: (string | number)[][] = [];
  const e2e: Record<string, unknown> = {};
  const exportedBy = (text: string) =>
    Number(/exported (\d+) flows/.exec(text)?.[1] ?? /Flows exported: (\d+)/.exec(text)?.[1] ?? Number.NaN);
  // The commands of a table line run in alternation, RUNS rounds, so that both meet the same
  // machine (this one's speed drifts by tens of percent over minutes): the ratio is the median
  // of the per-round ratios, the CPU seconds the medians of each command's runs.
  let softflowdDefaults: number[] = [];
  for (const [label, ourCapacity, theirMax] of [
    ["defaults", 65536, 8192],
    ["every flow fits", 262144, 262144],
  ] as const) {
    const oursCommand = `node ${cli} flows ${path} --capacity ${ourCapacity} --export udp://127.0.0.1:${port} --format v9 --rate 200000`;
    // softflowd prints its statistics on stdout: kept in a file (sh's own CPU is negligible).
    const theirsCommand = `sh -c 'softflowd -r ${path} -m ${theirMax} -v 9 -n 127.0.0.1:${port} -d > /tmp/dataplane-bench-softflowd.out 2>&1'`;
    const oursCpu: number[] = [];
    const theirsCpu: number[] = [];
    let ours = { cpu: 0, collected: 0, output: "" };
    let theirs = { cpu: 0, collected: 0, output: "" };
    for (let round = 0; round < RUNS; round++) {
      ours = await withCollector(oursCommand, port);
      theirs = await withCollector(theirsCommand, port);
      oursCpu.push(ours.cpu);
      theirsCpu.push(theirs.cpu);
    }
    theirs.output = readFileSync("/tmp/dataplane-bench-softflowd.out", "utf8");
    if (label === "defaults") softflowdDefaults = theirsCpu;
    const ourSent = exportedBy(ours.output);
    const theirSent = exportedBy(theirs.output);
    const roundRatio = median(theirsCpu.map((t, i) => t / oursCpu[i]!));
    table.push([
      `dataplane flows --export --format v9 --capacity ${ourCapacity} (${label})`,
      median(oursCpu).toFixed(2),
      rate(packets / median(oursCpu)),
      "",
      `${ourSent} / ${ours.collected}`,
    ]);
    table.push([
      `softflowd -r -v 9 -m ${theirMax} (${label})`,
      median(theirsCpu).toFixed(2),
      rate(packets / median(theirsCpu)),
      `${ratio(roundRatio)} (rounds ${theirsCpu.map((t, i) => (t / oursCpu[i]!).toFixed(2)).join(", ")})`,
      `${theirSent} / ${theirs.collected}`,
    ]);
    e2e[label] = {
      dataplaneCpuSeconds: median(oursCpu),
      softflowdCpuSeconds: median(theirsCpu),
      ratio: roundRatio,
      rounds: { dataplane: oursCpu, softflowd: theirsCpu },
      dataplaneFlowsSent: ourSent,
      dataplaneFlowsCollected: ours.collected,
      softflowdFlowsSent: theirSent,
      softflowdFlowsCollected: theirs.collected,
    };
  }
  // --json after the rounds, against the softflowd runs of the defaults line (their median).
  const jsonCpu: number[] = [];
  for (let round = 0; round < RUNS; round++) jsonCpu.push(cpuSeconds(`node ${cli} flows ${path} --json`).cpu);
  const json = { cpu: median(jsonCpu) };
  table.push([
    `dataplane flows --json (default capacity: ~3 M evictions)`,
    json.cpu.toFixed(2),
    rate(packets / json.cpu),
    ratio(median(softflowdDefaults) / json.cpu),
    "",
  ]);
  e2e.jsonDefaultCapacityCpuSeconds = json.cpu;
  printTable(
    `end to end, ${packets / 1e6}M packets, 100k flows (uniform), v9 to nfcapd on 127.0.0.1: CPU seconds of the exporter process (medians of ${RUNS} interleaved rounds; × = median of the rounds' ratios, higher is better for dataplane); flows sent / flows nfcapd received`,
    ["command", "CPU s", "packets/CPU-s", "dataplane × (vs softflowd, same table line)", "flows sent / collected"],
    table,
  );
  results.endToEnd = e2e;
  return results;
}
