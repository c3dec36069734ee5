/**
 * Workload generator benchmarks (issue 18: generators must not be the simulator's bottleneck,
 * aim ≥ 10 M packets/s): packets written per second into a 4,096-packet batch, columns only and
 * with frames, for Code Red I and II and Slammer at 1,000 hosts (and Code Red I at 10,000),
 * background traffic over the routing table (the real one when ../shared/data has it), two
 * workloads merged by `fillMixed`; then BGP updates per second and the spread model; then the
 * issue's end-to-end figure, simulated packets per second with generator and router together: a
 * Code Red mix (background over the table + Code Red I) generated into a batch on a `Dataplane`
 * (the full table, every next hop resolved, NetFlow on) and processed, against the generator
 * alone on the same batches, so that the generator's share of the time shows.
 */

import { PacketBatch } from "../../src/packet/batch.js";
import { readTableFile, sharedTablePath, type RouteTable } from "../../src/node/table-file.js";
import { generateIPv4Table, generateIPv6Table } from "../../src/sim/table.js";
import {
  CodeRedI,
  CodeRedII,
  Slammer,
  BackgroundTraffic,
  BgpUpdateStream,
  fillMixed,
  simulateSpread,
  CODE_RED_V2_SPREAD,
  type Workload,
  type DestinationTable,
} from "../../src/sim/workload/index.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";
import { BATCH, endToEnd, mix, router } from "../lib/e2e.js";
import { runSharded } from "../lib/e2e-sharded.js";
import { cpus, loadavg } from "node:os";

/** Hosts 10.0.x.y, `count` of them. */
const hosts = (count: number) => Array.from({ length: count }, (_, i) => (0x0a000000 + 256 + i) >>> 0);

/** One call fills one batch: the workload's time is pushed on by what one batch holds. */
function filler(make: () => Workload | Workload[], frames: boolean): () => number {
  const batch = new PacketBatch({ capacity: BATCH, frameBytes: frames ? BATCH * 64 : 0 });
  const made = make();
  const workloads = Array.isArray(made) ? made : [made];
  const labels = new Uint8Array(BATCH);
  let until = 0;
  return () => {
    batch.clear();
    // Ask for more time than one batch holds: the fill stops when the batch is full.
    while (batch.length < BATCH) {
      until += 1000;
      if (workloads.length === 1) workloads[0]!.fill(batch, until);
      else fillMixed(batch, workloads, until, labels);
    }
    return batch.length;
  };
}

async function routeTable(): Promise<{ table: RouteTable; source: string }> {
  const path = sharedTablePath();
  if (path !== undefined) return { table: await readTableFile(path), source: `real table ${path}` };
  const v4 = generateIPv4Table();
  const v6 = generateIPv6Table();
  return {
    table: { ipv4: { ...v4, targets: [] }, ipv6: { ...v6, targets: [] } },
    source: "generated table of the real one's shape (the real one is absent)",
  };
}

async function table(): Promise<{ table: DestinationTable; source: string; routes: RouteTable; path: string | undefined }> {
  const { table: routes, source } = await routeTable();
  return { table: routes.ipv4, source, routes, path: sharedTablePath() };
}

export async function run(): Promise<Record<string, unknown>> {
  const { table: destinations, source, routes, path } = await table();
  console.log(`background destinations: ${source}, ${destinations.count.toLocaleString("en-US")} IPv4 prefixes`);
  const cases: [string, () => Workload | Workload[], boolean][] = [
    ["Code Red I, 1,000 hosts, columns", () => new CodeRedI({ hosts: hosts(1000) }), false],
    ["Code Red I, 10,000 hosts, columns", () => new CodeRedI({ hosts: hosts(10_000) }), false],
    ["Code Red I, 1,000 hosts, frames", () => new CodeRedI({ hosts: hosts(1000), frames: true }), true],
    ["Code Red II, 1,000 hosts, columns", () => new CodeRedII({ hosts: hosts(1000) }), false],
    [
      "Slammer, 1,000 hosts at 10/100/1000 Mb/s, columns",
      () => new Slammer({ hosts: hosts(1000), bandwidthBitsPerSecond: hosts(1000).map((_, i) => [10e6, 100e6, 1e9][i % 3]!) }),
      false,
    ],
    ["background, 10,000 Zipf flows, columns", () => new BackgroundTraffic({ table: destinations, packetsPerSecond: 1e6 }), false],
    [
      "background, 10,000 Zipf flows, frames",
      () => new BackgroundTraffic({ table: destinations, packetsPerSecond: 1e6, frames: true }),
      true,
    ],
    [
      "fillMixed: background + Code Red I (1,000 hosts)",
      () => [new BackgroundTraffic({ table: destinations, packetsPerSecond: 50_000 }), new CodeRedI({ hosts: hosts(1000) })],
      false,
    ],
  ];
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown> = { tableSource: source };
  for (const [name, make, frames] of cases) {
    const fill = filler(make, frames);
    const r = await measureCase(name, () => keep(fill()), BATCH);
    rows.push([name, rate(r.opsPerSecond), (r.nsPerCall / BATCH).toFixed(1)]);
    results[name] = { packetsPerSecond: r.opsPerSecond, nsPerPacket: r.nsPerCall / BATCH };
  }
  printTable("Packets generated per second (4,096-packet batches, mitata p50)", ["workload", "packets/s", "ns/packet"], rows);

  const times = new Float64Array(BATCH),
    prefixes = new Uint32Array(BATCH),
    withdrawals = new Uint8Array(BATCH);
  const stream = new BgpUpdateStream({ baselinePerBin: 1e6 });
  let until = 0;
  const bgp = await measureCase(
    "BGP updates",
    () => {
      let n = 0;
      while (n < BATCH) {
        until += 1000;
        n += stream.fill(times.subarray(n), prefixes.subarray(n), withdrawals.subarray(n), until);
      }
      keep(n);
    },
    BATCH,
  );
  const spread = await measureCase("spread", () => keep(simulateSpread(CODE_RED_V2_SPREAD, { seconds: 14 * 3600 })), 1, { minCpuMs: 300 });
  printTable(
    "Other generators",
    ["generator", "rate"],
    [
      ["BGP updates (100,000 prefixes, Zipf)", rate(bgp.opsPerSecond)],
      ["Code Red v2 spread, 14 h in ≈ 2,270 steps (runs)", rate(spread.opsPerSecond)],
    ],
  );
  results.bgpUpdatesPerSecond = bgp.opsPerSecond;
  results.spreadRunsPerSecond = spread.opsPerSecond;

  // End to end: the generator into the router.
  const dp = router(routes);
  const e2e: Record<string, number> = {};
  const e2eRows: string[][] = [];
  for (const [mode, label] of [
    ["generator", "generator alone (frames + columns, fillMixed)"],
    ["parse", "generator + Dataplane.process (router parses the frames)"],
    ["columns", "generator + Dataplane.process(parse: false) (the generator's columns)"],
    ["background", "background alone (620 k pps, no scan) + Dataplane.process"],
  ] as const) {
    const fill = endToEnd(dp, mix(destinations, mode), mode);
    for (let w = 0; w < 64; w++) fill(); // warm: the flow cache fills, timeouts start
    const r = await measureCase(label, () => keep(fill()), BATCH, { minCpuMs: 2000 });
    e2e[mode] = r.opsPerSecond;
    e2eRows.push([label, rate(r.opsPerSecond), (r.nsPerCall / BATCH).toFixed(1)]);
  }
  const counters = dp.counters();
  printTable(
    `Simulated packets per second end to end: background (200 k pps, Zipf over the table) + Code Red I (10,000 hosts), ${BATCH}-packet batches, full table, NetFlow on (mitata p50)`,
    ["case", "packets/s", "ns/packet"],
    e2eRows,
  );
  const share = (mode: "parse" | "columns") => e2e[mode]! / e2e.generator!;
  console.log(
    `end to end (router parses): ${rate(e2e.parse!)} (issue bar: ≥ 10 M/s; higher is better); generator's share of the time ${(share("parse") * 100).toFixed(0)} % (lower means the router dominates)`,
  );
  console.log(
    `end to end (columns trusted): ${rate(e2e.columns!)}; generator's share ${(share("columns") * 100).toFixed(0)} %; generator alone ÷ end to end ${ratio(e2e.generator! / e2e.parse!)}`,
  );
  console.log(
    `router counters over the end-to-end runs: ${JSON.stringify({ in: counters.packetsIn, forwarded: counters.forwarded, dropped: counters.dropped, reasons: counters.reasons })}`,
  );
  results.endToEnd = {
    generatorPacketsPerSecond: e2e.generator,
    parsePacketsPerSecond: e2e.parse,
    columnsPacketsPerSecond: e2e.columns,
    backgroundOnlyPacketsPerSecond: e2e.background,
    generatorShareParse: share("parse"),
    generatorShareColumns: share("columns"),
    forwarded: counters.forwarded,
    packetsIn: counters.packetsIn,
  };
  dp.dispose();

  // The same mix, sharded: each worker thread generates its share (every n-th Code Red host, its
  // share of the background's flows and rate) and routes it through its own Dataplane (the full
  // table, the same configuration); no packet crosses threads. Wall time from a common start to
  // the last shard's last batch; CPU time of the whole process over that interval.
  const shardRows: string[][] = [];
  const sharded: Record<string, unknown>[] = [];
  const tableSource = path !== undefined ? { path } : { routes };
  for (const shards of [1, Math.max(2, Math.min(cpus().length, 4))]) {
    const load = loadavg()[0]!;
    const r = await runSharded(tableSource, shards, 500, "parse");
    sharded.push({ ...r, loadAverage: load });
    shardRows.push([
      `${shards} worker${shards > 1 ? "s" : ""} (generator + Dataplane.process in each)`,
      rate(r.packetsPerSecond),
      rate(r.packetsPerCpuSecond),
      r.coresUsed.toFixed(2),
      (r.wallMs / 1000).toFixed(2),
      r.packets.toLocaleString("en-US"),
      load.toFixed(1),
    ]);
  }
  printTable(
    `Simulated packets per second end to end, sharded: the Code Red mix split over worker threads, each generating and routing its own share (${cpus().length} cores on this machine)`,
    ["case", "packets/s (wall)", "packets per CPU-s", "cores used", "wall s", "packets", "load"],
    shardRows,
  );
  const best = sharded.reduce((a, r) => Math.max(a, r.packetsPerSecond as number), 0);
  console.log(
    `end to end, sharded: ${rate(best)} of wall time, generator and router in the same run (issue bar: ≥ 10 M/s; higher is better)`,
  );
  results.endToEndSharded = sharded;
  return results;
}
