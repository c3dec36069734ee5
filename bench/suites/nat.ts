/**
 * NAT benchmarks: translations per second on new flows (a Code Red scan through PAT: every
 * packet a new translation) and on established flows, at 1,000 and at 40,000 translations in
 * the table (the NPE-300 meltdown point, seed 000) — equal costs are the "no degradation as the
 * table fills" claim — against the TypeScript reference and lru-cache (the most used JS map
 * with eviction, as the translation table a JS NAT would use; no npm package does NAT/PAT).
 * Then the rewrite with checksums (frames), and the memory per translation.
 *
 * New flows are measured in steady state: max-entries N, syn-timeout 1 s and the clock moved
 * 1 s per batch of 1000, so each new translation reclaims one expired entry and the table stays
 * at N. The cost ratio 40,000 / 1,000 comes from an alternating comparison with its noise floor
 * (the 1,000 case against a second 1,000 table) measured in the same rounds.
 */

import { LRUCache } from "lru-cache";
import { Core, NatTable, PacketBatch, type NatOptions } from "../../src/index.js";
import { ReferenceNatTable, type ReferenceNatPacket } from "../../src/reference/nat.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { formatIPv4 } from "../../src/net/address.js";
import { ipFrame } from "../../test/helpers/ip-frames.js";
import { measureCase, printTable, rate, ratio, keep, type CaseResult } from "../lib/measure.js";

const BATCH = 4096;
const INFECTED = 0x0a010101;

function options(maxEntries: number): NatOptions {
  return {
    seed: 42,
    capacity: Math.max(maxEntries, BATCH) + 16,
    maxEntries,
    agerWork: 4096,
    timeouts: { synTimeout: 1000 },
    interfaces: [
      { name: "Ethernet0", nat: "inside" },
      { name: "Serial0", nat: "outside", address: "171.69.233.209" },
    ],
    accessLists: [{ name: "1", entries: [{ action: "permit", address: "any" }] }],
    insideSource: [{ list: "1", interface: "Serial0", overload: true }],
  };
}

/** A scan batch: the infected host to random targets, TCP SYN to port 80. */
function scan(random: Xoshiro128, n: number): { dst: Uint32Array; sport: Uint16Array } {
  const dst = new Uint32Array(n);
  const sport = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    dst[i] = random.next() >>> 0;
    sport[i] = 1024 + (random.next() % 60000);
  }
  return { dst, sport };
}

function load(batch: PacketBatch, dst: Uint32Array, sport: Uint16Array, flags: number): void {
  const c = batch.columns;
  for (let i = 0; i < dst.length; i++) {
    c.interface[i] = 0;
    c.status[i] = 0;
    c.ipVersion[i] = 4;
    c.capturedLength[i] = 0;
    c.src[i * 4] = INFECTED;
    c.dst[i * 4] = dst[i]!;
    c.protocol[i] = 6;
    c.srcPort[i] = sport[i]!;
    c.dstPort[i] = 80;
    c.tcpFlags[i] = flags;
  }
  batch.length = dst.length;
}

function packets(dst: Uint32Array, sport: Uint16Array, flags: number): ReferenceNatPacket[] {
  return Array.from(dst, (d, i) => ({
    interface: 0,
    status: "ok",
    ipVersion: 4,
    src: "10.1.1.1",
    dst: formatIPv4(d),
    protocol: 6,
    srcPort: sport[i]!,
    dstPort: 80,
    tcpFlags: flags,
  }));
}

interface Scale {
  entries: number;
  newWasm: CaseResult;
  newReference: CaseResult;
  newLru: CaseResult;
  establishedWasm: CaseResult;
  establishedReference: CaseResult;
  establishedLru: CaseResult;
}

async function atScale(entries: number): Promise<Scale> {
  const random = new Xoshiro128(entries);
  const core = new Core({ maxBytes: 512 * 1024 ** 2, seed: 1 });
  const wasm = new NatTable({ core, ...options(entries) });
  const reference = new ReferenceNatTable(options(entries));
  const batch = new PacketBatch({ core, capacity: BATCH, frameBytes: 0 });
  const verdicts = new Uint8Array(BATCH);
  const lru = new LRUCache<string, number>({ max: entries });

  // Fill to `entries` with the scan.
  let now = 1_000_000;
  for (let filled = 0; filled < entries; filled += BATCH) {
    const n = Math.min(BATCH, entries - filled);
    const s = scan(random, n);
    load(batch, s.dst, s.sport, 0x002);
    wasm.translate(batch, { now, verdicts });
    reference.translate(packets(s.dst, s.sport, 0x002), now);
    for (let i = 0; i < n; i++) lru.set(`6|${INFECTED}|${s.sport[i]}|${s.dst[i]}|80`, 1024 + i);
  }
  // Established: up to 4096 of the flows in the table, again (SYN again: they stay in the syn
  // class, so that the new-flow steady state below can reclaim them).
  const established = scan(new Xoshiro128(entries), Math.min(BATCH, entries));
  const refEstablished = packets(established.dst, established.sport, 0x002);
  const establishedWasm = await measureCase(
    `wasm, established, ${entries} entries`,
    () => {
      load(batch, established.dst, established.sport, 0x002);
      wasm.translate(batch, { now, verdicts });
    },
    established.dst.length,
    { minCpuMs: 400 },
  );
  if (verdicts.subarray(0, established.dst.length).some((v) => v !== 1)) throw new Error("established flows were not all hits");
  const establishedReference = await measureCase(
    `reference, established, ${entries} entries`,
    () => {
      for (const [i, p] of refEstablished.entries()) {
        p.src = "10.1.1.1";
        p.srcPort = established.sport[i]!;
      }
      keep(reference.translate(refEstablished, now));
    },
    established.dst.length,
    { minCpuMs: 400 },
  );
  const keys = Array.from(established.dst, (d, i) => `6|${INFECTED}|${established.sport[i]}|${d}|80`);
  const establishedLru = await measureCase(
    `lru-cache get, established, ${entries} entries`,
    () => {
      let found = 0;
      for (const k of keys) if (lru.get(k) !== undefined) found++;
      keep(found);
    },
    keys.length,
    { minCpuMs: 400 },
  );

  // New flows in steady state, ROWS per call at every scale (a call can only reclaim what expired
  // before it, so at most the smaller table's size).
  const per = ROWS;
  const fresh = Array.from({ length: 64 }, () => scan(random, per));
  const refFresh = fresh.map((s) => packets(s.dst, s.sport, 0x002));
  let k = 0;
  const newWasm = await measureCase(
    `wasm, new flows, ${entries} entries`,
    () => {
      const s = fresh[k++ & 63]!;
      load(batch, s.dst, s.sport, 0x002);
      now += 1000;
      wasm.translate(batch, { now, verdicts });
    },
    per,
    { minCpuMs: 400 },
  );
  const newReference = await measureCase(
    `reference, new flows, ${entries} entries`,
    () => {
      const list = refFresh[k++ & 63]!;
      for (const p of list) p.src = "10.1.1.1";
      now += 1000;
      keep(reference.translate(list, now));
    },
    per,
    { minCpuMs: 400 },
  );
  let port = 0;
  const newLru = await measureCase(
    `lru-cache set, new flows, ${entries} entries`,
    () => {
      const s = fresh[k++ & 63]!;
      for (let i = 0; i < per; i++) {
        const key = `6|${INFECTED}|${s.sport[i]}|${s.dst[i]}|${port++}`;
        if (lru.get(key) === undefined) lru.set(key, i);
      }
    },
    per,
    { minCpuMs: 400 },
  );
  if (verdicts.subarray(0, per).some((v) => v !== 1)) throw new Error("new flows were not all translated");
  if (wasm.occupancy().dynamic !== entries) throw new Error(`the table left steady state: ${wasm.occupancy().dynamic}`);
  wasm.dispose();
  batch.dispose();
  return { entries, newWasm, newReference, newLru, establishedWasm, establishedReference, establishedLru };
}

/**
 * The cost of new translations as the table fills: `resident` static translations (in the same
 * pool and indexes) stay in the table; each call makes 4096 new PAT translations and clears
 * them (`clear ip nat translation *` leaves static entries), so every call meets the same fill.
 */
async function fill(resident: number): Promise<CaseResult> {
  const statics = Array.from({ length: resident }, (_, k) => ({ local: formatIPv4(0x0ac80000 + k), global: formatIPv4(0x64400000 + k) }));
  const core = new Core({ maxBytes: 512 * 1024 ** 2, seed: 1 });
  const nat = new NatTable({ core, ...options(BATCH), capacity: resident + BATCH, insideSourceStatic: statics });
  const batch = new PacketBatch({ core, capacity: BATCH, frameBytes: 0 });
  const verdicts = new Uint8Array(BATCH);
  const random = new Xoshiro128(9);
  const fresh = Array.from({ length: 16 }, () => scan(random, BATCH));
  let k = 0;
  const result = await measureCase(
    `wasm, 4096 new flows into a table holding ${resident}`,
    () => {
      const s = fresh[k++ & 15]!;
      load(batch, s.dst, s.sport, 0x002);
      nat.translate(batch, { now: 1000, verdicts });
      nat.clear();
    },
    BATCH,
    { minCpuMs: 400 },
  );
  if (verdicts.some((v) => v !== 1)) throw new Error("fill: not all translated");
  nat.dispose();
  batch.dispose();
  return result;
}

/** Rows per call in the alternating comparison (at most the smaller table: a call can only reclaim what expired before it). */
const ROWS = 1000;
/** Calls per round and side: one CPU-time reading covers ROWS × CALLS translations (about 1 ms). */
const CALLS = 4;

/**
 * One side of the alternating comparison: a PAT table holding `entries` translations, and a step
 * that makes CALLS calls of ROWS rows and returns the CPU time per translation (ns). New flows:
 * a fresh scan per call with the clock moved 1 s (syn-timeout), so each row reclaims the entry
 * that expired first and the table stays full. Established: each call repeats the next ROWS of
 * the flows in the table, cycling through all of them (at 1,000 entries the whole table each call).
 */
function side(entries: number, kind: "new" | "established", seed: number, capacity?: number) {
  const random = new Xoshiro128(seed);
  const core = new Core({ maxBytes: 256 * 1024 ** 2, seed: 1 });
  const nat = new NatTable({ core, ...options(entries), ...(capacity === undefined ? {} : { capacity }) });
  const batch = new PacketBatch({ core, capacity: BATCH, frameBytes: 0 });
  const verdicts = new Uint8Array(BATCH);
  let now = 1_000_000;
  const table = scan(random, entries);
  for (let filled = 0; filled < entries; filled += BATCH) {
    const n = Math.min(BATCH, entries - filled);
    load(batch, table.dst.subarray(filled, filled + n), table.sport.subarray(filled, filled + n), 0x002);
    nat.translate(batch, { now, verdicts });
  }
  let next = 0;
  const call = (): void => {
    if (kind === "new") {
      const s = scan(random, ROWS);
      load(batch, s.dst, s.sport, 0x002);
      now += 1000;
    } else {
      load(batch, table.dst.subarray(next, next + ROWS), table.sport.subarray(next, next + ROWS), 0x002);
      next = next + ROWS >= entries ? 0 : next + ROWS;
    }
    nat.translate(batch, { now, verdicts });
    if (verdicts.subarray(0, ROWS).some((v) => v !== 1)) throw new Error(`alternation (${kind}): not all translated`);
  };
  const step = (): number => {
    let cpu = 0;
    for (let c = 0; c < CALLS; c++) {
      // The rows are written outside the timed part; only the translation is timed.
      const started = process.cpuUsage();
      call();
      const used = process.cpuUsage(started);
      cpu += used.user + used.system;
    }
    return (cpu * 1000) / (ROWS * CALLS);
  };
  return { step, dispose: () => (nat.dispose(), batch.dispose()) };
}

const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;
const quantile = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * q))]!;

/** A ratio of per-round CPU times: its median and the middle half of the rounds. */
interface RoundRatio {
  median: number;
  q25: number;
  q75: number;
}

function roundRatio(num: number[], den: number[]): RoundRatio {
  const r = num.map((x, i) => x / den[i]!);
  return { median: median(r), q25: quantile(r, 0.25), q75: quantile(r, 0.75) };
}

/**
 * The cost at 40,000 entries against the cost at 1,000, and the noise floor: three tables of one
 * kind (1,000, a second 1,000 on another scan, 40,000), the same rows per call, the same clock
 * steps, one step each per round in alternation so that all three meet the same machine load,
 * CPU time. Ratios are per round (40,000 / 1,000 and 1,000′ / 1,000), then their median; the
 * noise floor is the 1,000′ / 1,000 ratio: the same case against itself.
 */
function alternation(kind: "new" | "established", rounds: number, capacity?: number) {
  const small = side(1000, kind, 1007, capacity);
  const twin = side(1000, kind, 2007, capacity);
  const large = side(40_000, kind, 40_007, capacity);
  for (let k = 0; k < 30; k++) small.step(), twin.step(), large.step();
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let k = 0; k < rounds; k++) {
    a.push(small.step());
    b.push(twin.step());
    c.push(large.step());
  }
  small.dispose();
  twin.dispose();
  large.dispose();
  return {
    nsAt1000: median(a),
    nsAt40000: median(c),
    full: roundRatio(c, a),
    noise: roundRatio(b, a),
  };
}

/** The rewrite of real frames (IPv4 + TCP checksums) on established flows. */
async function frames(): Promise<{ wasm: CaseResult; reference: CaseResult }> {
  const core = new Core({ maxBytes: 256 * 1024 ** 2, seed: 1 });
  const nat = new NatTable({ core, ...options(8192) });
  const reference = new ReferenceNatTable(options(8192));
  const random = new Xoshiro128(5);
  const originals = Array.from({ length: BATCH }, () =>
    ipFrame({
      src: "10.1.1.1",
      dst: formatIPv4(random.next() >>> 0),
      protocol: "tcp",
      srcPort: 1024 + (random.next() % 60000),
      dstPort: 80,
      flags: 0x010,
    }),
  );
  const batch = PacketBatch.from(
    originals.map((frame) => ({ interface: 0, frame })),
    { core },
  );
  const area = batch.frames.slice();
  const verdicts = new Uint8Array(BATCH);
  batch.parse();
  nat.translate(batch, { now: 1000, verdicts });
  const c = batch.columns;
  const refPackets = [...batch].map((p, i) => ({ ...p, frame: originals[i]!.slice(), l3Offset: c.l3Offset[i]!, l4Offset: c.l4Offset[i]! }));
  reference.translate(
    refPackets.map((p) => ({ ...p, frame: p.frame.slice() })),
    1000,
  );
  const wasm = await measureCase(
    "wasm, established, frames rewritten (parse + NAT)",
    () => {
      batch.frames.set(area);
      batch.parse();
      nat.translate(batch, { now: 2000, verdicts });
    },
    BATCH,
    { minCpuMs: 400 },
  );
  if (verdicts.some((v) => v !== 1)) throw new Error("frames were not all translated");
  const ref = await measureCase(
    "reference, established, frames rewritten",
    () => {
      for (const [i, p] of refPackets.entries()) {
        p.frame.set(originals[i]!);
        p.src = "10.1.1.1";
        p.srcPort = c.srcPort[i]!;
      }
      keep(reference.translate(refPackets, 2000));
    },
    BATCH,
    { minCpuMs: 400 },
  );
  nat.dispose();
  return { wasm, reference: ref };
}

export async function run(): Promise<Record<string, unknown>> {
  const scales = [await atScale(1000), await atScale(40_000)];
  const rows: (string | number)[][] = [];
  for (const s of scales) {
    for (const [kind, w, r, l] of [
      ["new flows (scan)", s.newWasm, s.newReference, s.newLru],
      ["established", s.establishedWasm, s.establishedReference, s.establishedLru],
    ] as const) {
      rows.push([
        `${kind}, ${s.entries} entries`,
        rate(w.opsPerSecond),
        rate(r.opsPerSecond),
        rate(l.opsPerSecond),
        ratio(w.opsPerSecond / r.opsPerSecond),
        ratio(w.opsPerSecond / l.opsPerSecond),
      ]);
    }
  }
  printTable(
    "NAT/PAT translations per second (up to 4096 packets per call, ops/s from the median)",
    ["case", "wasm", "reference", "lru-cache", "wasm/reference", "wasm/lru-cache"],
    rows,
  );
  const fills = [await fill(1000), await fill(40_000)];
  printTable(
    "New translations as the table fills (make 4096, clear them; static entries stay)",
    ["case", "rate"],
    fills.map((c) => [c.name, rate(c.opsPerSecond)]),
  );
  const f = await frames();
  printTable(
    "Rewrite of frames (IPv4 + TCP checksums, incremental)",
    ["case", "rate", "vs reference"],
    [
      [f.wasm.name, rate(f.wasm.opsPerSecond), ratio(f.wasm.opsPerSecond / f.reference.opsPerSecond)],
      [f.reference.name, rate(f.reference.opsPerSecond), ""],
    ],
  );
  const sizing = new NatTable({ capacity: 40_000 });
  const perTranslation = sizing.bytesPerTranslation;
  const reserved = sizing.core.memory().components[0]!.reservedBytes;
  sizing.dispose();
  const perOp = (c: CaseResult) => c.nsPerCall / c.opsPerCall;
  const degradation = {
    newFlowsSteadyState: perOp(scales[1]!.newWasm) / perOp(scales[0]!.newWasm),
    established: perOp(scales[1]!.establishedWasm) / perOp(scales[0]!.establishedWasm),
    fill: perOp(fills[1]!) / perOp(fills[0]!),
  };
  const alternated = {
    newFlows: alternation("new", 400),
    established: alternation("established", 400),
    newFlowsOneTable: alternation("new", 400, 40_016),
  };
  console.log(`\nmemory per translation: ${perTranslation.toFixed(1)} bytes (a 40,000-entry table reserves ${reserved} bytes)`);
  console.log(
    `new translations as the table fills (4096 per call into 1,000 or 40,000 resident, separate measurements above): ×${degradation.fill.toFixed(2)} at 40,000 / at 1,000`,
  );
  const band = (r: RoundRatio) => `×${r.median.toFixed(2)} (middle half of the rounds ×${r.q25.toFixed(2)}–×${r.q75.toFixed(2)})`;
  printTable(
    `Cost per translation at 40,000 entries / at 1,000, ${ROWS} rows per call, 1,000 / 1,000′ / 40,000 in alternation, CPU time, medians of per-round ratios (above 1 = slower when full)`,
    ["case", "ns at 1,000", "ns at 40,000", "40,000 / 1,000", "noise floor: 1,000′ / 1,000", "within noise"],
    (
      [
        ["new flows (scan, steady state)", alternated.newFlows],
        ["established (cycling through the table)", alternated.established],
        ["new flows, one table size (capacity 40,016, max-entries 1,000 or 40,000)", alternated.newFlowsOneTable],
      ] as const
    ).map(([name, r]) => [
      name,
      r.nsAt1000.toFixed(0),
      r.nsAt40000.toFixed(0),
      band(r.full),
      band(r.noise),
      // "Within noise": the ratio's median lies inside the middle half of the same case against itself.
      r.full.median >= r.noise.q25 && r.full.median <= r.noise.q75 ? "yes" : "no",
    ]),
  );
  return {
    scales: scales.map((s) => ({
      entries: s.entries,
      newFlowsPerSecond: { wasm: s.newWasm.opsPerSecond, reference: s.newReference.opsPerSecond, lruCache: s.newLru.opsPerSecond },
      establishedPerSecond: {
        wasm: s.establishedWasm.opsPerSecond,
        reference: s.establishedReference.opsPerSecond,
        lruCache: s.establishedLru.opsPerSecond,
      },
    })),
    fillPerSecond: { at1000: fills[0]!.opsPerSecond, at40000: fills[1]!.opsPerSecond },
    framesPerSecond: { wasm: f.wasm.opsPerSecond, reference: f.reference.opsPerSecond },
    bytesPerTranslation: perTranslation,
    costRatio40000to1000: degradation,
    alternated,
  };
}
