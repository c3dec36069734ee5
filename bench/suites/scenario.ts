/**
 * The worm scenarios end to end (issue 18: simulated packets/s, generator + router, aim
 * ≥ 10 M/s): simulated packets per second of wall time for one router variant in 1-second
 * steps — the generators, the Dataplane's feature path in WebAssembly and IOS's paths, memory
 * and CPU accounting around it — for codered's vulnerable and hardened routers and slammer's
 * next-hop + CEF router (the heaviest packet rate), after the scenario's fixed set-up (the
 * upstream's table, timed apart). Higher is better.
 */

import { runCodeRed } from "../../src/sim/scenarios/codered.js";
import { runSlammer } from "../../src/sim/scenarios/slammer.js";
import { generateIPv4Table } from "../../src/sim/table.js";
import { printTable } from "../lib/measure.js";

function packetsOf(runs: { router: { seconds: { establishedPackets: number; wormPackets: number }[] } }[]): number {
  return runs.reduce((a, r) => a + r.router.seconds.reduce((b, s) => b + s.establishedPackets + s.wormPackets, 0), 0);
}

export async function run(): Promise<Record<string, unknown>> {
  let t = performance.now();
  let cpu = process.cpuUsage();
  generateIPv4Table({ count: 901_899, seed: 1 });
  const tableMs = performance.now() - t;
  const tableCpu = process.cpuUsage(cpu);
  const tableCpuS = (tableCpu.user + tableCpu.system) / 1e6;
  const rows: {
    case: string;
    packets: number;
    seconds: number;
    cpuSeconds: number;
    packetsPerSecond: number;
    packetsPerCpuSecond: number;
  }[] = [];
  const cases: [string, () => { runs: Parameters<typeof packetsOf>[0] }][] = [
    ["codered vulnerable, 300 s", () => runCodeRed({ seconds: 300, variants: ["vulnerable"] })],
    ["codered all fixes, 300 s", () => runCodeRed({ seconds: 300, variants: ["all fixes"] })],
    ["slammer next-hop + CEF, 30 s", () => runSlammer({ seconds: 30, startInfected: 0.5, variants: ["next-hop + CEF"] })],
  ];
  for (const [name, f] of cases) {
    t = performance.now();
    cpu = process.cpuUsage();
    const { runs } = f();
    const seconds = (performance.now() - t - tableMs) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6 - tableCpuS;
    const packets = packetsOf(runs);
    rows.push({ case: name, packets, seconds, cpuSeconds, packetsPerSecond: packets / seconds, packetsPerCpuSecond: packets / cpuSeconds });
  }
  printTable(
    "Worm scenarios end to end: simulated packets per second of wall time",
    ["case (higher packets/s is better)", "packets", "wall s", "CPU s", "packets/s (wall)", "packets/CPU-s"],
    rows.map((r) => [
      r.case,
      r.packets.toLocaleString("en-US"),
      r.seconds.toFixed(2),
      r.cpuSeconds.toFixed(2),
      Math.round(r.packetsPerSecond).toLocaleString("en-US"),
      Math.round(r.packetsPerCpuSecond).toLocaleString("en-US"),
    ]),
  );
  console.log(
    `upstream table generation (once per scenario, subtracted above): ${tableMs.toFixed(0)} ms wall, ${tableCpuS.toFixed(2)} CPU s; target: 10 M simulated packets/s`,
  );
  return { tableMs, tableCpuSeconds: tableCpuS, rows };
}
