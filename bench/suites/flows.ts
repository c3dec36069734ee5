/**
 * Flow cache benchmarks, all in one run so that the ratios compare like with like:
 *  1. cache updates (packets accounted per second) with 1k, 100k and 1M concurrent flows,
 *     uniform and Zipf (s = 1), WebAssembly vs the TS reference, on the same packets;
 *  2. HashDoS: keys crafted to collide in a cache whose hash key is known (seed 0, i.e. the
 *     "unkeyed" variant) — slowdown against random keys there, and in a cache with a secret key;
 *  3. end to end: `dataplane flows FILE --json` against `softflowd -r FILE` on the same
 *     5M-packet capture with 100k flows (uniform and Zipf), packets per CPU-second of each process;
 *  4. memory per flow.
 */

import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlowCache } from "../../src/flow/cache.js";
import { ReferenceFlowCache, flowPacketsFromBatch, type FlowPacket } from "../../src/reference/flow-cache.js";
import type { PacketBatch } from "../../src/packet/batch.js";
import { writePcap, type CaptureRecord } from "../../src/packet/writer.js";
import { craftCollidingBatch, fillFlowBatch, flowFrame, flowIndexSampler } from "../../src/sim/flow-traffic.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";

const BATCH = 4096;
const BATCHES = 64;
const T0 = 1.7e12;
const HOUR = 3600e3;

interface Workload {
  cache: FlowCache;
  batches: PacketBatch[];
  reference: ReferenceFlowCache;
  referencePackets: FlowPacket[][];
}

/** A warm cache (every flow inserted) and BATCHES batches of packets drawn from `flows` flows. */
function workload(flows: number, distribution: "uniform" | "zipf", withReference: boolean): Workload {
  const options = { capacity: Math.ceil(flows * 1.1), activeTimeout: 1e3 * HOUR, inactiveTimeout: 1e3 * HOUR, exportQueueCapacity: 1024 };
  const cache = new FlowCache(options);
  const reference = new ReferenceFlowCache(options);
  // Warm up: every flow once.
  const warm = cache.createBatch({ capacity: BATCH, frameBytes: 0 });
  const ids = new Uint32Array(BATCH);
  for (let base = 0; base < flows; base += BATCH) {
    const n = Math.min(BATCH, flows - base);
    for (let i = 0; i < n; i++) ids[i] = base + i;
    fillFlowBatch(warm, ids.subarray(0, n), T0);
    cache.update(warm);
    if (withReference) reference.update(flowPacketsFromBatch(warm));
  }
  const sample = flowIndexSampler(flows, distribution, flows + (distribution === "zipf" ? 1 : 0));
  const batches: PacketBatch[] = [];
  const referencePackets: FlowPacket[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < BATCH; i++) ids[i] = sample();
    const batch = cache.createBatch({ capacity: BATCH, frameBytes: 0 });
    fillFlowBatch(batch, ids, T0 + 1000 + b);
    batches.push(batch);
    if (withReference) referencePackets.push(flowPacketsFromBatch(batch));
  }
  return { cache, batches, reference, referencePackets };
}

/** CPU seconds (user + sys) of a shell command, from bash's `time`. */
export function cpuSeconds(command: string): { cpu: number; ok: boolean; output: string } {
  const run = spawnSync("bash", ["-c", `TIMEFORMAT='%3U %3S'; { time ${command} > /dev/null 2>/tmp/dataplane-bench-flows.err ; } 2>&1`], {
    encoding: "utf8",
  });
  const [user, sys] = run.stdout.trim().split("\n").pop()!.split(" ").map(Number);
  return { cpu: user! + sys!, ok: run.status === 0, output: run.stdout };
}

/** A classic pcap of `packets` 64-byte frames of `flows` flows at 1 Mpps, written with writePcap in chunks. */
export function largeCapture(path: string, packets: number, flows: number, distribution: "uniform" | "zipf"): void {
  if (existsSync(path) && statSync(path).size > packets * 80) return;
  const sample = flowIndexSampler(flows, distribution, 42);
  const fd = openSync(path, "w");
  const frames = Array.from({ length: flows }, (_, id) => (id < 200_000 ? flowFrame(id) : undefined));
  const CHUNK = 250_000;
  for (let start = 0; start < packets; start += CHUNK) {
    const records: CaptureRecord[] = [];
    for (let i = start; i < Math.min(packets, start + CHUNK); i++) {
      const id = sample();
      records.push({ time: T0 + i / 1000, bytes: frames[id] ?? flowFrame(id) });
    }
    const bytes = writePcap(records, { linkType: 1 });
    // Every chunk is a whole pcap: keep its 24-byte file header only at the start of the file.
    writeSync(fd, start === 0 ? bytes : bytes.subarray(24));
  }
  closeSync(fd);
}

export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};

  // 1. Cache updates.
  const rows: (string | number)[][] = [];
  const updates: Record<string, unknown> = {};
  for (const flows of [1000, 100_000, 1_000_000]) {
    for (const distribution of ["uniform", "zipf"] as const) {
      const w = workload(flows, distribution, true);
      let k = 0;
      const ours = await measureCase(`dataplane ${flows} ${distribution}`, () => keep(w.cache.update(w.batches[k++ % BATCHES]!)), BATCH);
      let r = 0;
      const theirs = await measureCase(
        `reference ${flows} ${distribution}`,
        () => keep(w.reference.update(w.referencePackets[r++ % BATCHES]!)),
        BATCH,
        { minCpuMs: 1000 },
      );
      const counters = w.cache.counters();
      if (counters.packetsRefused !== 0 || counters.flowsExpired !== 0)
        throw new Error(`unexpected refusals/expiries: ${JSON.stringify(counters)}`);
      rows.push([
        `${flows} flows, ${distribution}`,
        rate(ours.opsPerSecond),
        (1e9 / ours.opsPerSecond).toFixed(1),
        rate(theirs.opsPerSecond),
        ratio(ours.opsPerSecond / theirs.opsPerSecond),
        (counters.probes / counters.lookups).toFixed(2),
      ]);
      updates[`${flows}-${distribution}`] = {
        packetsPerSecond: ours.opsPerSecond,
        referencePacketsPerSecond: theirs.opsPerSecond,
        ratio: ours.opsPerSecond / theirs.opsPerSecond,
        probesPerLookup: counters.probes / counters.lookups,
      };
    }
  }
  printTable(
    "cache updates: packets accounted per second into a warm cache (mitata p50, batches of 4096)",
    ["workload", "dataplane", "ns/packet", "TS reference", "dataplane ×", "probes/lookup"],
    rows,
  );
  results.updates = updates;

  // 2. Crafted collisions.
  const capacity = 8192;
  const known = new FlowCache({ capacity, seed: 0, activeTimeout: 1e3 * HOUR, inactiveTimeout: 1e3 * HOUR });
  const crafted = craftCollidingBatch(known, 2048, 16);
  const keyed = new FlowCache({ capacity, activeTimeout: 1e3 * HOUR, inactiveTimeout: 1e3 * HOUR });
  const copyInto = (cache: FlowCache, source: PacketBatch) => {
    const copy = cache.createBatch({ capacity: source.length, frameBytes: 0 });
    for (const name of Object.keys(copy.columns) as (keyof typeof copy.columns)[]) copy.columns[name].set(source.columns[name]);
    copy.length = source.length;
    return copy;
  };
  const randomIds = Uint32Array.from({ length: 2048 }, (_, i) => 5_000_000 + i * 7);
  const randomFor = (cache: FlowCache) => {
    const batch = cache.createBatch({ capacity: 2048, frameBytes: 0 });
    fillFlowBatch(batch, randomIds, T0);
    return batch;
  };
  const knownCrafted = crafted,
    knownRandom = randomFor(known);
  const keyedCrafted = copyInto(keyed, crafted),
    keyedRandom = randomFor(keyed);
  for (const [cache, batch] of [
    [known, knownCrafted],
    [known, knownRandom],
    [keyed, keyedCrafted],
    [keyed, keyedRandom],
  ] as const)
    cache.update(batch);
  const attack = known.counters();
  const cases = [
    await measureCase("known key, crafted", () => keep(known.update(knownCrafted)), 2048),
    await measureCase("known key, random", () => keep(known.update(knownRandom)), 2048),
    await measureCase("secret key, crafted", () => keep(keyed.update(keyedCrafted)), 2048),
    await measureCase("secret key, random", () => keep(keyed.update(keyedRandom)), 2048),
  ];
  const slowdownKnown = cases[1]!.opsPerSecond / cases[0]!.opsPerSecond;
  const slowdownKeyed = cases[3]!.opsPerSecond / cases[2]!.opsPerSecond;
  printTable(
    "HashDoS: 2048 flows crafted to land in 16 index slots of a cache whose hash key is known (seed 0), vs 2048 other flows",
    ["case", "packets/s", "ns/packet"],
    cases.map((c) => [c.name, rate(c.opsPerSecond), (1e9 / c.opsPerSecond).toFixed(1)]),
  );
  console.log(
    `slowdown from crafted keys: known key ×${slowdownKnown.toFixed(1)} (${attack.refused.probeLimit} packets refused at the probe limit, longest probe ${attack.longestProbe}); secret key ×${slowdownKeyed.toFixed(2)} (longest probe ${keyed.counters().longestProbe})`,
  );
  results.hashdos = {
    slowdownKnownKey: slowdownKnown,
    slowdownSecretKey: slowdownKeyed,
    knownKeyProbeLimitRefusals: attack.refused.probeLimit,
    knownKeyLongestProbe: attack.longestProbe,
    secretKeyLongestProbe: keyed.counters().longestProbe,
  };

  // 3. End to end against softflowd.
  const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
  const haveSoftflowd = spawnSync("sh", ["-c", "command -v softflowd"]).status === 0;
  if (!existsSync(cli)) console.log("\nend to end: dist/cli.js missing (npm run build)");
  else {
    const e2e: Record<string, unknown> = {};
    const table: (string | number)[][] = [];
    for (const distribution of ["uniform", "zipf"] as const) {
      const packets = 5_000_000;
      const path = join(tmpdir(), `dataplane-bench-flows-${distribution}-5m-100k.pcap`);
      const began = performance.now();
      largeCapture(path, packets, 100_000, distribution);
      console.log(
        `\ncapture ${path}: ${packets} packets, 100k flows (${distribution}), ${(statSync(path).size / 1e6).toFixed(0)} MB (${((performance.now() - began) / 1000).toFixed(1)} s to make or find)`,
      );
      const best = (command: string) => {
        const runs = [0, 1, 2].map(() => cpuSeconds(command));
        if (!runs.every((r) => r.ok)) throw new Error(`${command} failed: ${runs.map((r) => r.output).join(" ")}`);
        return runs.map((r) => r.cpu).sort((a, b) => a - b)[1]!;
      };
      const ours = best(`node ${cli} flows ${path} --json --capacity 262144`);
      const row: Record<string, number> = { dataplaneCpuSeconds: ours, dataplanePacketsPerCpuSecond: packets / ours };
      table.push([`dataplane flows --json --capacity 262144 (${distribution})`, ours.toFixed(2), rate(packets / ours), ""]);
      if (haveSoftflowd) {
        for (const maxFlows of [8192, 262144]) {
          const theirs = best(`softflowd -r ${path} -m ${maxFlows} -n 127.0.0.1:29990 -v 10 -d`);
          row[`softflowdM${maxFlows}CpuSeconds`] = theirs;
          row[`ratioVsSoftflowdM${maxFlows}`] = theirs / ours;
          table.push([`softflowd -r -m ${maxFlows} (${distribution})`, theirs.toFixed(2), rate(packets / theirs), ratio(theirs / ours)]);
        }
      }
      e2e[distribution] = row;
    }
    if (!haveSoftflowd) console.log("softflowd not installed: end-to-end ratio not measured (.ci/run installs it)");
    printTable(
      "end to end, 5M packets, 100k flows: CPU seconds of the whole process (median of 3), packets per CPU-second",
      ["command", "CPU s", "packets/CPU-s", "dataplane ×"],
      table,
    );
    results.endToEnd = e2e;
  }

  // 4. Memory.
  const memory: Record<string, number> = {};
  for (const flows of [1000, 100_000, 1_000_000]) memory[flows] = new FlowCache({ capacity: flows, seed: 1 }).bytesPerFlow;
  console.log(
    `\nmemory per flow (entry pool + index, at capacity): ${Object.entries(memory)
      .map(([n, b]) => `${n}: ${b.toFixed(1)} B`)
      .join(", ")}; export queue 128 B per queued flow`,
  );
  results.memoryBytesPerFlow = memory;
  return results;
}
