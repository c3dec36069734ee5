// A small scenario result built from the real generators and CPU model (not a router: that
// waits for the pipeline), for the report tests: two variants, a series in every chart, an
// event, displays and a CCF.

import { PacketBatch } from "../../src/packet/batch.js";
import { CodeRedI, BgpUpdateStream } from "../../src/sim/workload/index.js";
import { CpuModel, COSTS, ENTRY_BYTES, ConsoleLog, crossCorrelation } from "../../src/sim/load-meter/index.js";
import { renderProcessesCpu } from "../../src/show/processes.js";
import { renderLogging } from "../../src/show/logging.js";
import type { ScenarioResult, VariantResult } from "../../src/sim/report/index.js";

function variant(name: string, arpPerProbe: number, seconds: number): VariantResult {
  const worm = new CodeRedI({ hosts: [0x0a000105, 0x0a000106, 0x0a000107], probesPerSecond: 40, seed: 1 });
  const cpu = new CpuModel();
  const console = new ConsoleLog({ cpu, queueMessages: 20 });
  const batch = new PacketBatch({ capacity: 4096, frameBytes: 0 });
  const t: number[] = [],
    arp: number[] = [],
    memory: number[] = [],
    loss: number[] = [];
  const seen = new Set<number>();
  let reload: number | undefined;
  for (let s = 1; s <= seconds; s++) {
    batch.clear();
    const n = worm.fill(batch, s * 1000);
    let requests = 0;
    for (let i = 0; i < n; i++) {
      const dst = batch.columns.dst[i * 4]!;
      if (!seen.has(dst)) {
        seen.add(dst);
        requests += arpPerProbe;
      }
    }
    cpu.chargeInterrupt(n * COSTS.fastSwitchMicroseconds);
    cpu.charge("ARP Input", requests * COSTS.arpRequestMicroseconds, requests);
    cpu.charge("IP Input", n * arpPerProbe * COSTS.processSwitchMicroseconds, n);
    if (arpPerProbe > 0 && s % 2 === 0) console.log(s * 1000, `%SYS-2-MALLOCFAIL: Memory allocation of 280 bytes failed (second ${s})`);
    console.advance(s * 1000);
    cpu.advance(s * 1000);
    t.push(s);
    arp.push(requests);
    memory.push(seen.size * ENTRY_BYTES.arpEntry * arpPerProbe);
    loss.push(arpPerProbe > 0 && s > seconds / 2 ? s - seconds / 2 : 0);
    if (reload === undefined && arpPerProbe > 0 && s === Math.floor((3 * seconds) / 4)) reload = s;
  }
  const names = ["IP Input", "ARP Input", "Load Meter"];
  const pids = cpu.processes.map((p) => p.name);
  const series: VariantResult["series"] = [
    { chart: "arp", name: "ARP requests", unit: "/s", seconds: t, values: arp },
    { chart: "memory", name: "ARP table", unit: "bytes", seconds: t, values: memory },
    { chart: "memory", name: "route cache", unit: "bytes", seconds: t, values: memory.map((m) => m / 2) },
    { chart: "loss", name: "established lost", unit: "/s", seconds: t, values: loss },
    ...names.map((process) => ({
      chart: "cpu",
      name: process,
      unit: "%",
      seconds: cpu.history.map((p) => p.endMs / 1000),
      values: cpu.history.map((p) => p.processPercent[pids.indexOf(process)]!),
    })),
    {
      chart: "cpu",
      name: "interrupt level",
      unit: "%",
      seconds: cpu.history.map((p) => p.endMs / 1000),
      values: cpu.history.map((p) => p.interruptPercent),
    },
  ];
  return {
    name,
    description: `${name} router (fixture)`,
    summary: {
      arpPerSecond: arp.reduce((a, b) => a + b, 0) / seconds,
      arpBytes: memory.at(-1)!,
      cpu5min: cpu.snapshot().fiveMinutePercent,
      lost: loss.reduce((a, b) => a + b, 0),
      reloads: reload !== undefined,
      mallocfail: arpPerProbe > 0 ? "yes <&> escaped" : null,
    },
    series,
    events: reload === undefined ? [] : [{ seconds: reload, label: "reload" }],
    displays: [
      { title: "show processes cpu", text: renderProcessesCpu(cpu.snapshot()) },
      { title: "show logging", text: renderLogging(console.snapshot()) },
    ],
  };
}

/** The fixture result: `seconds` of simulated time (default 120). */
export function reportFixture(seconds = 120): ScenarioResult {
  const counts = new BgpUpdateStream({ seed: 2, prefixes: 100 }).binCounts(48 * 300_000);
  const cpuLoad = counts.map((c, i) => 20 + c / 100 + ((i * 7) % 5));
  const ccf = crossCorrelation(counts, cpuLoad, 10);
  return {
    scenario: "fixture",
    title: "Report fixture: Code Red I against two routers",
    seed: 1,
    simulatedSeconds: seconds,
    parameters: { hosts: 3, "probes/s": 40 },
    metrics: [
      { key: "arpPerSecond", label: "ARP requests", unit: "/s", digits: 1 },
      { key: "arpBytes", label: "ARP memory", unit: "bytes" },
      { key: "cpu5min", label: "CPU 5 min", unit: "%", digits: 2 },
      { key: "lost", label: "established lost" },
      { key: "reloads", label: "reloads" },
      { key: "mallocfail", label: "MALLOCFAIL" },
    ],
    variants: [variant("vulnerable", 1, seconds), variant("hardened", 0, seconds)],
    ccf: [{ name: "fixture", lags: ccf.lags, r: ccf.r, ci95: ccf.ci95 }],
    notes: ["A fixture for the report tests, not a router simulation."],
  };
}
