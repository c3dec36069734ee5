/**
 * ARP benchmarks: `resolveBatch` on PRESENT hits and on NEXIST hits (the two verdicts a scan
 * hammers), against the TypeScript reference and against lru-cache (the most used JS cache, as
 * a neighbour cache a JS router would write); then the per-operation cost (p50/p99 per batch)
 * of hits, refusals and admissions as the NEXIST pool fills and as the scan rate grows, whose
 * flatness is the O(1) claim (research §8.5 M5, P11). Finally the Code Red scenario at 500
 * addresses/s for 60 s, for its CPU per scan-second.
 */

import { measure } from "mitata";
import { LRUCache } from "lru-cache";
import { ArpTable, ReferenceArpTable, type ArpOptions } from "../../src/index.js";
import { runArpScan } from "../../src/sim/arp-scan/scenario.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";

const OUR_MAC = "00:00:0c:00:00:01";
const BATCH = 4096;

function options(extra: Partial<ArpOptions> = {}): ArpOptions {
  return { seed: 42, ...extra, interfaces: [{ mac: OUR_MAC, addresses: ["10.0.0.1/8"] }] };
}

/** Distinct on-link addresses 10.x.y.z from a seeded stream. */
function addresses(count: number, seed: number): Uint32Array {
  const random = new Xoshiro128(seed);
  const seen = new Set<number>();
  const out = new Uint32Array(count);
  for (let k = 0; k < count; ) {
    const ip = (0x0a000000 | (random.next() & 0x00ffffff)) >>> 0;
    if ((ip & 0xff) === 0 || (ip & 0xff) === 255 || seen.has(ip)) continue;
    seen.add(ip);
    out[k++] = ip;
  }
  return out;
}

type Table = ArpTable | ReferenceArpTable;

/** Resolves every address and answers it: `count` PRESENT entries. */
function fillPresent(table: Table, ips: Uint32Array, now: number): void {
  const verdicts = new Uint8Array(ips.length);
  for (let k = 0; k < ips.length; k += 256) {
    table.resolveBatch(0, ips.subarray(k, k + 256), now, verdicts);
    for (const ip of ips.subarray(k, k + 256)) {
      table.receiveArp({ ifIndex: 0, op: 2, senderIp: ip, senderMac: 0x020000000000 + ip, targetIp: "10.0.0.1", targetMac: OUR_MAC }, now);
    }
    table.drainRequests();
    table.drainReleased();
  }
}

/** Resolves every address and lets it fail: NEXIST entries (N = 1, t1 = 100 ms, ample budget). */
function fillNexist(table: Table, ips: Uint32Array, start: number): number {
  const verdicts = new Uint8Array(ips.length);
  let now = start;
  for (let k = 0; k < ips.length; k += 1000) {
    table.resolveBatch(0, ips.subarray(k, k + 1000), now, verdicts.subarray(k, k + 1000));
    table.drainRequests();
    now += 100;
    table.tick(now);
    table.drainReleased();
  }
  return now;
}

/** A budget that never refuses, so that tables can be filled quickly. */
const ample = {
  requestRate: 1_000_000,
  requestBurst: 1_000_000,
  incompleteEntries: 65_536,
  queuePerInterface: 65_536,
  requestRing: 4_000_000,
};
const nexistOptions = (nexistEntries = 65_536) =>
  options({ ...ample, requestsPerResolution: 1, retransmitMs: 100, nexistEntries, icmpRate: 0 });

export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const verdicts = new Uint8Array(BATCH);

  // --- PRESENT hits -----------------------------------------------------------------------------
  const neighbours = addresses(4096, 1);
  const hits = new Uint32Array(BATCH);
  const pick = new Xoshiro128(2);
  for (let k = 0; k < BATCH; k++) hits[k] = neighbours[pick.next() % neighbours.length]!;
  const wasm = new ArpTable(options(ample));
  const reference = new ReferenceArpTable(options(ample));
  fillPresent(wasm, neighbours, 1000);
  fillPresent(reference, neighbours, 1000);
  const lru = new LRUCache<number, number>({ max: 4096, ttl: 1_200_000, ttlAutopurge: false });
  for (const ip of neighbours) lru.set(ip, 0x020000000000 + ip);
  let now = 2000;
  const present = [
    await measureCase("wasm resolveBatch (PRESENT hits)", () => wasm.resolveBatch(0, hits, now, verdicts), BATCH),
    await measureCase("reference resolveBatch (PRESENT hits)", () => reference.resolveBatch(0, hits, now, verdicts), BATCH),
    await measureCase(
      "lru-cache get (hits)",
      () => {
        let found = 0;
        for (let k = 0; k < BATCH; k++) if (lru.get(hits[k]!) !== undefined) found++;
        keep(found);
      },
      BATCH,
    ),
  ];
  if (verdicts.some((v) => v !== 0)) throw new Error("PRESENT hits did not all hit");

  // --- NEXIST hits ------------------------------------------------------------------------------
  const dead = addresses(60_000, 3);
  const wasmNexist = new ArpTable(nexistOptions());
  const referenceNexist = new ReferenceArpTable(nexistOptions());
  now = fillNexist(wasmNexist, dead, 10_000);
  fillNexist(referenceNexist, dead, 10_000);
  const deadHits = new Uint32Array(BATCH);
  for (let k = 0; k < BATCH; k++) deadHits[k] = dead[pick.next() % dead.length]!;
  const negative = new LRUCache<number, true>({ max: 65_536, ttl: 300_000, ttlAutopurge: false });
  for (const ip of dead) negative.set(ip, true);
  const nexist = [
    await measureCase("wasm resolveBatch (NEXIST hits)", () => wasmNexist.resolveBatch(0, deadHits, now, verdicts), BATCH),
    await measureCase("reference resolveBatch (NEXIST hits)", () => referenceNexist.resolveBatch(0, deadHits, now, verdicts), BATCH),
    await measureCase(
      "lru-cache has (negative cache hits)",
      () => {
        let found = 0;
        for (let k = 0; k < BATCH; k++) if (negative.has(deadHits[k]!)) found++;
        keep(found);
      },
      BATCH,
    ),
  ];
  if (verdicts.some((v) => (v & 0x7f) !== 2)) throw new Error("NEXIST hits did not all hit");

  printTable(
    "ARP resolveBatch, 4096 addresses per call (ops/s from the median)",
    ["case", "rate", "vs reference", "vs lru-cache"],
    [
      ...present.map((c) => [
        c.name,
        rate(c.opsPerSecond),
        ratio(c.opsPerSecond / present[1]!.opsPerSecond),
        ratio(c.opsPerSecond / present[2]!.opsPerSecond),
      ]),
      ...nexist.map((c) => [
        c.name,
        rate(c.opsPerSecond),
        ratio(c.opsPerSecond / nexist[1]!.opsPerSecond),
        ratio(c.opsPerSecond / nexist[2]!.opsPerSecond),
      ]),
    ],
  );
  results.presentHits = { wasm: present[0]!.opsPerSecond, reference: present[1]!.opsPerSecond, lruCache: present[2]!.opsPerSecond };
  results.nexistHits = { wasm: nexist[0]!.opsPerSecond, reference: nexist[1]!.opsPerSecond, lruCache: nexist[2]!.opsPerSecond };

  // --- Flatness: per-operation cost as the NEXIST pool fills -----------------------------------
  const OPS = 256;
  const collect = (globalThis as { gc?: () => void }).gc;
  const perOp = async (fn: () => unknown) => {
    collect?.(); // start each measurement without garbage from building the table
    const stats = await measure(fn, { min_cpu_time: 300e6, min_samples: 200 });
    return { p50: stats.p50 / OPS, p99: stats.p99 / OPS, max: stats.max / OPS };
  };
  const fillRows: (string | number)[][] = [];
  const fill: Record<string, unknown> = {};
  for (const entries of [1000, 16_000, 65_000]) {
    const table = new ArpTable(nexistOptions());
    const ips = addresses(entries + OPS * 4, 100 + entries);
    const t = fillNexist(table, ips.subarray(0, entries), 10_000);
    const present256 = addresses(OPS, 7);
    fillPresent(table, present256, t);
    const deadBatch = ips.subarray(0, OPS);
    const fresh = ips.subarray(entries, entries + OPS);
    const v = new Uint8Array(OPS);
    // Refusals: a bucket with no tokens left (a new table over the same state is too costly; drain the bucket instead).
    const presentCost = await perOp(() => table.resolveBatch(0, present256, t, v));
    const nexistCost = await perOp(() => table.resolveBatch(0, deadBatch, t, v));
    const starved = new ArpTable(options({ requestRate: 1, requestBurst: 3, refreshReserve: 0, nexistEntries: 65_536 }));
    starved.resolve(0, "10.0.0.2", t);
    const refuseCost = await perOp(() => starved.resolveBatch(0, fresh, t, v));
    fill[entries] = { present: presentCost, nexist: nexistCost, refuse: refuseCost, load: table.indexStats(0) };
    fillRows.push([
      entries,
      presentCost.p50.toFixed(1),
      presentCost.p99.toFixed(1),
      nexistCost.p50.toFixed(1),
      nexistCost.p99.toFixed(1),
      refuseCost.p99.toFixed(1),
      table.indexStats(0).longestProbe,
    ]);
  }
  printTable(
    "ns per operation by NEXIST fill (batches of 256; p99 over samples)",
    ["NEXIST entries", "PRESENT p50", "PRESENT p99", "NEXIST p50", "NEXIST p99", "refuse p99", "longest probe"],
    fillRows,
  );
  results.byFill = fill;

  // --- Flatness: per-operation cost after scanning at each rate ---------------------------------
  // All four tables are built first and measured twice, reporting the second round, so that
  // the order of measurement (JIT, garbage) does not pose as a trend.
  const scanRows: (string | number)[][] = [];
  const byRate: Record<string, unknown> = {};
  const built = [50, 500, 5000, 50_000].map((scanRate) => {
    const scan = runArpScan({ rate: scanRate, seconds: 20, pattern: "syn", models: ["ours"] });
    // A table scanned at that rate for 20 s (at most 60,000 addresses), then left 4 s to settle.
    const table = new ArpTable(options());
    const ips = addresses(Math.min(60_000, scanRate * 20), 500 + scanRate);
    let t = 1000;
    const stepMs = 10;
    const perStep = Math.max(1, Math.round((scanRate * stepMs) / 1000));
    for (let k = 0; k < ips.length; k += perStep, t += stepMs) {
      table.resolveBatch(0, ips.subarray(k, k + perStep), t, new Uint8Array(perStep));
      table.tick(t);
      table.drainRequests();
      table.drainReleased();
    }
    for (const end = t + 4000; t < end; t += stepMs) {
      table.tick(t);
      table.drainRequests();
      table.drainReleased();
    }
    const neighbours256 = addresses(OPS, 9);
    fillPresent(table, neighbours256, t);
    const nexistNow = table
      .entries(0)
      .filter((e) => e.state === "nexist")
      .map((e) => e.ip);
    const deadBatch = Uint32Array.from(
      Array.from({ length: OPS }, (_, k) => nexistNow[k % Math.max(1, nexistNow.length)] ?? "10.0.0.2").map((ip) =>
        ip.split(".").reduce((a, o) => a * 256 + Number(o), 0),
      ),
    );
    return { scanRate, scan, table, t, neighbours256, deadBatch, nexistCount: nexistNow.length, fresh: addresses(OPS, 900 + scanRate) };
  });
  for (let round = 0; round < 2; round++) {
    for (const b of built) {
      const v = new Uint8Array(OPS);
      const presentCost = await perOp(() => b.table.resolveBatch(0, b.neighbours256, b.t, v));
      const nexistCost = await perOp(() => b.table.resolveBatch(0, b.deadBatch, b.t, v));
      const refuseCost = await perOp(() => b.table.resolveBatch(0, b.fresh, b.t, v));
      const tickCost = await measure(() => b.table.tick(b.t), { min_cpu_time: 200e6 });
      if (round === 0) continue;
      byRate[b.scanRate] = {
        present: presentCost,
        nexist: nexistCost,
        refuseOrAdmit: refuseCost,
        tickNs: tickCost.p50,
        occupancy: b.table.occupancy().interfaces[0],
        scenarioCpuPerScanSecond: b.scan.models[0]!.m5.cpuSecondsPerScanSecond,
      };
      scanRows.push([
        b.scanRate,
        b.nexistCount,
        presentCost.p99.toFixed(1),
        nexistCost.p99.toFixed(1),
        refuseCost.p99.toFixed(1),
        (tickCost.p50 / 1000).toFixed(2),
        b.scan.models[0]!.m5.cpuSecondsPerScanSecond.toFixed(4),
      ]);
    }
  }
  printTable(
    "ns per operation after a 20 s scan at each rate (p99 per op, batches of 256)",
    ["scan addr/s", "NEXIST", "PRESENT p99", "NEXIST p99", "new addr p99", "tick µs", "scenario CPU s/scan s"],
    scanRows,
  );
  results.byScanRate = byRate;
  return results;
}
