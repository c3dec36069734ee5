/**
 * Route-cache benchmarks, all in one run on the real full table (else a generated one):
 *
 * - hits: `RouteCache.switchBatch` (and `lookupBatch`) on a warm working set against
 *   `Fib.lookupBatch` on the same addresses — what fast switching costs next to CEF;
 * - misses under a random scan (every packet a new destination): process switches per second
 *   and the memory the cache grows by per scanned destination, against CEF (which grows by
 *   none) — the figure the simulator plots for Code Red;
 * - the TypeScript reference on slices of the same streams.
 *
 * There is no npm peer: no package implements a demand-filled route cache.
 */

import { RouteCache } from "../../src/route-cache/cache.js";
import { Fib } from "../../src/fib/fib.js";
import { Core } from "../../src/wasm/core.js";
import { ReferenceFib } from "../../src/reference/fib.js";
import { ReferenceRouteCache, type ReferenceAdjacency } from "../../src/reference/route-cache.js";
import { formatIPv4 } from "../../src/net/address.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { readTableFile, sharedTablePath, hashedNextHop } from "../../src/node/table-file.js";
import { generateIPv4Table } from "../../src/sim/table.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";

const NEXT_HOPS = 254;
const WORKING_SET = 1 << 16;
const STREAM = 1 << 20;
const SCAN = 1 << 20;
const SCAN_BATCH = 1 << 16;

async function loadTable(): Promise<{ addresses: Uint32Array; lengths: Uint8Array; count: number; source: string }> {
  const path = sharedTablePath();
  if (path) {
    const t = await readTableFile(path);
    return { ...t.ipv4, source: path };
  }
  return {
    ...generateIPv4Table(),
    source: "generated table with the real length distribution (../shared/data/tier1-prefixes.txt.gz absent)",
  };
}

interface Router {
  fib: Fib;
  referenceFib: ReferenceFib;
  adjacencies: Map<number, ReferenceAdjacency>;
}

/** A FIB (and its reference) whose adjacencies carry static MACs, so every next hop is resolved. */
function router(core: Core, withReference: boolean): Router {
  const fib = new Fib({ core, seed: 1, maxBytes: 256 * 1024 ** 2 });
  const adjacencies = new Map<number, ReferenceAdjacency>();
  for (let i = 0; i < NEXT_HOPS; i++) {
    const options = {
      interface: `Ethernet${i % 4}`,
      nextHop: `198.18.${i >> 8}.${(i & 255) + 1}`,
      mac: `00:00:0c:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
    };
    adjacencies.set(fib.addAdjacency(options), { kind: "neighbor", ...options });
  }
  return { fib, referenceFib: withReference ? new ReferenceFib({ loadSharingKey: fib.loadSharingKey }) : new ReferenceFib(), adjacencies };
}

function ids(r: Router): number[] {
  return [...r.adjacencies.keys()];
}

/** Times process-switching `scan` (fresh destinations) into an empty cache; returns misses/s and bytes/destination. */
function scanCase(
  cache: RouteCache,
  scan: Uint32Array,
  rounds: number,
): { rate: number; bytesPerDestination: number; entriesPerDestination: number } {
  const rates: number[] = [];
  let bytes = 0;
  let entries = 0;
  let now = 1_000_000;
  for (let r = 0; r < rounds; r++) {
    cache.clear(now);
    const before = cache.usedBytes();
    const t = performance.now();
    for (let i = 0; i < scan.length; i += SCAN_BATCH) keep(cache.switchBatch(scan.subarray(i, i + SCAN_BATCH), now));
    rates.push(scan.length / ((performance.now() - t) / 1000));
    bytes = cache.usedBytes() - before;
    entries = cache.statistics().entries;
    now += 1000;
  }
  rates.sort((a, b) => a - b);
  return { rate: rates[rates.length >> 1]!, bytesPerDestination: bytes / scan.length, entriesPerDestination: entries / scan.length };
}

export async function run(): Promise<Record<string, unknown>> {
  const table = await loadTable();
  console.log(`table: ${table.source} — ${table.count} IPv4 prefixes`);
  const random = new Xoshiro128(4242);
  const core = new Core({ seed: 7 });
  const full = router(core, true);
  const hops = Uint32Array.from(
    { length: table.count },
    (_, i) => ids(full)[hashedNextHop(table.addresses, 1, i, table.lengths[i]!, NEXT_HOPS)]!,
  );
  full.fib.insertBatch(table.addresses, table.lengths, hops);
  full.referenceFib.insertBatch(table.addresses, table.lengths, hops);

  // --- Hits ---------------------------------------------------------------------------------
  // A working set of destinations inside random table prefixes (cacheable), and a stream over it.
  const working = new Uint32Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) {
    let a = 0;
    do {
      const k = random.next() % table.count;
      const length = table.lengths[k]!;
      const keepBits = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
      a = ((table.addresses[k]! & keepBits) | (random.next() & ~keepBits)) >>> 0;
    } while (a >>> 24 >= 224);
    working[i] = a;
  }
  const stream = Uint32Array.from({ length: STREAM }, () => working[random.next() % WORKING_SET]!);
  const cache = new RouteCache({ fib: full.fib, maxBytes: 64 * 1024 ** 2, seed: 3, ager: { intervalSeconds: 0 } });
  const now = 1_000_000;
  cache.switchBatch(working, now);
  const warm = cache.statistics();
  const verdicts = new Uint8Array(STREAM);
  const adjacencies = new Uint32Array(STREAM);
  const lookups = new Uint32Array(STREAM);
  const cefOut = new Uint32Array(STREAM);
  const hitCase = await measureCase(
    "RouteCache.switchBatch, hits",
    () => cache.switchBatch(stream, now, { verdicts, adjacencies }),
    STREAM,
  );
  const lookupCase = await measureCase("RouteCache.lookupBatch, hits", () => cache.lookupBatch(stream, now, lookups), STREAM);
  const cefCase = await measureCase("Fib.lookupBatch (CEF), same addresses", () => full.fib.lookupBatch(stream, cefOut), STREAM);
  // Same answers: a hit forwards where CEF does.
  full.fib.lookupBatch(stream, cefOut);
  cache.switchBatch(stream, now, { verdicts, adjacencies });
  for (let i = 0; i < STREAM; i++) {
    if (verdicts[i] !== 1 || adjacencies[i] !== cefOut[i]) throw new Error(`route cache and FIB disagree on ${formatIPv4(stream[i]!)}`);
  }
  const reference = new ReferenceRouteCache({
    fib: full.referenceFib,
    adjacency: (id) => full.adjacencies.get(id),
    maxEntries: cache.maxEntries,
    ager: { intervalSeconds: 0 },
  });
  reference.switchBatch(working, now);
  const refSlice = stream.subarray(0, 1 << 15);
  const refCase = await measureCase("TS reference switchBatch, hits", () => reference.switchBatch(refSlice, now), refSlice.length, {
    minCpuMs: 1500,
  });
  const hitRatio = cefCase.opsPerSecond / hitCase.opsPerSecond;
  printTable(
    "Route cache hits (warm working set) vs CEF",
    ["case", "rate", "ratio"],
    [
      [hitCase.name, rate(hitCase.opsPerSecond), "×1"],
      [lookupCase.name, rate(lookupCase.opsPerSecond), ""],
      [cefCase.name, rate(cefCase.opsPerSecond), `CEF ${ratio(hitRatio)} faster`],
      [refCase.name, rate(refCase.opsPerSecond), `ours ${ratio(hitCase.opsPerSecond / refCase.opsPerSecond)}`],
    ],
  );
  console.log(
    `working set: ${WORKING_SET} destinations -> ${warm.entries} entries (${(warm.entries / WORKING_SET).toFixed(3)} per destination)`,
  );

  // --- Scans --------------------------------------------------------------------------------
  const scan = Uint32Array.from({ length: SCAN }, () => random.next() % 0xe0000000);
  const scanRows: (string | number)[][] = [];
  const figures: Record<string, unknown> = {};
  const cefBefore = full.fib.summary().bytes;
  const cefScan = await measureCase("Fib.lookupBatch (CEF), scan", () => full.fib.lookupBatch(scan, new Uint32Array(SCAN)), SCAN);
  const cefGrowth = (full.fib.summary().bytes - cefBefore) / SCAN;
  cache.dispose();
  const scanFull = new RouteCache({ fib: full.fib, maxBytes: 160 * 1024 ** 2, seed: 3, ager: { intervalSeconds: 0 } });
  const fullScan = scanCase(scanFull, scan, 3);
  scanFull.dispose();
  scanRows.push(
    [
      "full table: RouteCache.switchBatch, random scan (all misses)",
      rate(fullScan.rate),
      `${fullScan.bytesPerDestination.toFixed(1)} B`,
      fullScan.entriesPerDestination.toFixed(3),
    ],
    ["full table: Fib.lookupBatch (CEF), same scan", rate(cefScan.opsPerSecond), `${cefGrowth.toFixed(1)} B`, "0"],
  );
  figures.fullTableScan = { ...fullScan, cefLookupsPerSecond: cefScan.opsPerSecond, cefBytesPerDestination: cefGrowth };

  // Default route only, via a next-hop router: entries at the major-network boundaries.
  const defaultCore = new Core({ seed: 8 });
  const viaDefault = router(defaultCore, false);
  viaDefault.fib.insert("0.0.0.0/0", ids(viaDefault)[0]!);
  const defaultCache = new RouteCache({ fib: viaDefault.fib, maxBytes: 160 * 1024 ** 2, seed: 3, ager: { intervalSeconds: 0 } });
  const defaultScan = scanCase(defaultCache, scan, 3);
  defaultCache.dispose();
  scanRows.push([
    "default route via a next hop: random scan",
    rate(defaultScan.rate),
    `${defaultScan.bytesPerDestination.toFixed(1)} B`,
    defaultScan.entriesPerDestination.toFixed(3),
  ]);
  figures.defaultRouteScan = defaultScan;

  // `ip route 0.0.0.0 0.0.0.0 Vlan3` with every scanned host answering ARP: one /32 per host.
  const hostCore = new Core({ seed: 9 });
  const hostFib = new Fib({ core: hostCore, seed: 1 });
  hostFib.insert("0.0.0.0/0", hostFib.addAdjacency({ interface: "Vlan3" }));
  const hosts = scan.subarray(0, 1 << 17);
  const hostCache = new RouteCache({
    fib: hostFib,
    maxBytes: 64 * 1024 ** 2,
    maxNeighbors: 1 << 18,
    seed: 3,
    ager: { intervalSeconds: 0 },
  });
  for (const h of hosts) hostCache.setNeighbor(h, "00:11:22:33:44:55", 0);
  const hostScan = scanCase(hostCache, hosts, 3);
  hostCache.dispose();
  scanRows.push([
    "default route to Vlan3, hosts resolved by ARP: scan",
    rate(hostScan.rate),
    `${hostScan.bytesPerDestination.toFixed(1)} B`,
    hostScan.entriesPerDestination.toFixed(3),
  ]);
  figures.attachedScan = hostScan;

  // The reference on a slice of the full-table scan.
  const refScanSlice = scan.subarray(0, 1 << 14);
  const refScanCache = new ReferenceRouteCache({
    fib: full.referenceFib,
    adjacency: (id) => full.adjacencies.get(id),
    maxEntries: 1 << 22,
    ager: { intervalSeconds: 0 },
  });
  const t = performance.now();
  refScanCache.switchBatch(refScanSlice, 1_000_000);
  const refScanRate = refScanSlice.length / ((performance.now() - t) / 1000);
  scanRows.push(["full table: TS reference, scan", rate(refScanRate), "", `ours ${ratio(fullScan.rate / refScanRate)}`]);
  printTable("Random scan: every packet a new destination", ["case", "rate", "memory / destination", "entries / destination"], scanRows);
  console.log(
    `CEF: ${(cefScan.opsPerSecond / fullScan.rate).toFixed(1)}× the route cache's rate on the scan, and no memory per destination`,
  );

  return {
    table: table.source,
    hits: {
      routeCache: hitCase.opsPerSecond,
      lookupBatch: lookupCase.opsPerSecond,
      cef: cefCase.opsPerSecond,
      reference: refCase.opsPerSecond,
      cefOverRouteCache: hitRatio,
    },
    scans: figures,
    referenceScanRate: refScanRate,
  };
}
