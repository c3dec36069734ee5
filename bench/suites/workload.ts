/**
 * Workload generator benchmarks (issue 18: generators must not be the simulator's bottleneck,
 * aim ≥ 10 M packets/s): packets written per second into a 4,096-packet batch, columns only and
 * with frames, for Code Red I and II and Slammer at 1,000 hosts (and Code Red I at 10,000),
 * background traffic over the routing table (the real one when ../shared/data has it), two
 * workloads merged by `fillMixed`; then BGP updates per second and the spread model.
 */

import { PacketBatch } from "../../src/packet/batch.js";
import { readTableFile, sharedTablePath } from "../../src/node/table-file.js";
import { generateIPv4Table } from "../../src/sim/table.js";
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
import { measureCase, printTable, rate, keep } from "../lib/measure.js";

const BATCH = 4096;

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

async function table(): Promise<{ table: DestinationTable; source: string }> {
  const path = sharedTablePath();
  if (path !== undefined) return { table: (await readTableFile(path)).ipv4, source: `real table ${path}` };
  return { table: generateIPv4Table(), source: "generated table (the real one is absent)" };
}

export async function run(): Promise<Record<string, unknown>> {
  const { table: destinations, source } = await table();
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
  return results;
}
