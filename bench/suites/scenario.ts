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
  generateIPv4Table({ count: 901_899, seed: 1 });
  const tableMs = performance.now() - t;
  const rows: { case: string; packets: number; seconds: number; packetsPerSecond: number }[] = [];
  const cases: [string, () => { runs: Parameters<typeof packetsOf>[0] }][] = [
    ["codered vulnerable, 300 s", () => runCodeRed({ seconds: 300, variants: ["vulnerable"] })],
    ["codered all fixes, 300 s", () => runCodeRed({ seconds: 300, variants: ["all fixes"] })],
    ["slammer next-hop + CEF, 30 s", () => runSlammer({ seconds: 30, variants: ["next-hop + CEF"] })],
  ];
  for (const [name, f] of cases) {
    t = performance.now();
    const { runs } = f();
    const seconds = (performance.now() - t - tableMs) / 1000;
    const packets = packetsOf(runs);
    rows.push({ case: name, packets, seconds, packetsPerSecond: packets / seconds });
  }
  printTable(
    "Worm scenarios end to end: simulated packets per second of wall time",
    ["case (higher packets/s is better)", "packets", "wall s (minus table)", "simulated packets/s"],
    rows.map((r) => [r.case, r.packets.toLocaleString("en-US"), r.seconds.toFixed(2), Math.round(r.packetsPerSecond).toLocaleString("en-US")]),
  );
  console.log(`upstream table generation (once per scenario): ${tableMs.toFixed(0)} ms; target: 10 M simulated packets/s`);
  return { tableMs, rows };
}
