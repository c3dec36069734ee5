/**
 * Route-cache benchmarks, all in one run on the real full table (else a generated one):
 *
 * - hits: `RouteCache.switchBatch` (and `lookupBatch`) on a warm working set against
 *   `Fib.lookupBatch` on the same addresses — what fast switching costs next to CEF;
 * - misses under a random scan (every packet a new destination): process switches per second
 *   and the memory the cache grows by per scanned destination, against CEF (which grows by
 *   none) — the figure the simulator plots for Code Red;
 * - the TypeScript reference on slices of the same streams;
 * - the Dataplane end to end with its input interface fast switched (`no ip route-cache cef`,
 *   the cache warm) against the same Dataplane CEF switched, on the same capture.
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
import { Dataplane } from "../../src/dataplane/dataplane.js";
import type { DataplaneOptions } from "../../src/dataplane/options.js";
import { readPacketsFromBytes } from "../../src/packet/reader.js";
import { writePcap } from "../../src/packet/writer.js";
import { flowFrame, flowIndexSampler } from "../../src/sim/flow-traffic.js";

/** The Dataplane on `table` with Gi0/0 switched as `switching`: packets/s on a capture of `pcap` (warm). */
async function dataplaneCase(
  name: string,
  switching: "cef" | "fast",
  table: { addresses: Uint32Array; lengths: Uint8Array; count: number },
  pcap: Uint8Array,
  packets: number,
): Promise<{ opsPerSecond: number; entries: number; entryBytes: number }> {
  const options: DataplaneOptions = {
    interfaces: [
      { name: "Gi0/0", mac: "02:00:00:00:00:01", addresses: ["192.0.2.1/24"], switching },
      { name: "Gi0/1", mac: "02:00:00:00:00:02", addresses: ["198.51.100.1/24"] },
    ],
    routes: [{ prefix: "0.0.0.0/0", target: { nextHop: "198.51.100.10" } }],
    staticArp: Array.from({ length: 16 }, (_, k) => ({ address: `198.51.100.${10 + k}`, mac: `0a:00:00:00:00:${(16 + k).toString(16)}` })),
    maxBatch: 4096,
    seed: 1,
  };
  for (let k = 1; k < 16; k++) options.routes!.push({ prefix: `203.0.${k}.0/24`, target: { nextHop: `198.51.100.${10 + k}` } });
  const dp = new Dataplane(options);
  const spread = dp.nextHopAdjacencies();
  dp.installRoutes(
    { ipv4: { addresses: table.addresses, lengths: table.lengths }, ipv6: { addresses: new Uint32Array(0), lengths: new Uint8Array(0) } },
    {
      ipv4: Uint32Array.from(
        { length: table.count },
        (_, i) => spread[hashedNextHop(table.addresses, 1, i, table.lengths[i]!, spread.length)]!,
      ),
      ipv6: new Uint32Array(0),
    },
  );
  const read = { ...dp.readerOptions(), capacity: 4096, frameBytes: 4096 * 64 + 64 * 1024 };
  for (const batch of readPacketsFromBytes(pcap, read)) dp.process(batch);
  const result = await measureCase(
    name,
    () => {
      let n = 0;
      for (const batch of readPacketsFromBytes(pcap, read)) n += dp.process(batch).count;
      keep(n);
    },
    packets,
    { minCpuMs: 2000 },
  );
  const c = dp.counters();
  if (c.forwarded !== c.packetsIn) throw new Error(`${name}: not everything forwarded (${JSON.stringify(c.reasons)})`);
  const s = dp.routeCache?.statistics();
  dp.dispose();
  return { opsPerSecond: result.opsPerSecond, entries: s?.entries ?? 0, entryBytes: s?.entryBytes ?? 0 };
}

const NEXT_HOPS = 254;
const WORKING_SET = 1 << 16;
const STREAM = 1 << 20;
const SCAN = 1 << 20;
const SCAN_BATCH = 1 << 16;

/** A flowFrame with its IPv4 header checksum filled in (a router drops a bad one). */
function checksummed(bytes: Uint8Array): Uint8Array {
  let sum = 0;
  for (let k = 14; k < 34; k += 2) sum += (bytes[k]! << 8) | bytes[k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  bytes[24] = c >> 8;
  bytes[25] = c & 255;
  return bytes;
}

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

  // --- The Dataplane: fast switching against CEF end to end ----------------------------------
  // 256k packets of 16k flows (destinations in 198.18.0.0/18: 64 class C networks, so 64 entries), 64-byte frames.
  const DP_PACKETS = 1 << 18;
  const sample = flowIndexSampler(1 << 14, "uniform", 3);
  const frames = Array.from({ length: 1 << 14 }, (_, id) => checksummed(flowFrame(id)));
  const pcap = writePcap(
    Array.from({ length: DP_PACKETS }, (_, i) => ({ time: 1.7e12 + i / 1000, bytes: frames[sample()]! })),
    { linkType: 1 },
  );
  const cefRouter = await dataplaneCase("Dataplane, CEF switched (ip route-cache cef)", "cef", table, pcap, DP_PACKETS);
  const fastRouter = await dataplaneCase("Dataplane, fast switched (no ip route-cache cef), cache warm", "fast", table, pcap, DP_PACKETS);
  printTable(
    `the router end to end: ${DP_PACKETS} packets of 16k flows, full table, static ARP, NetFlow off`,
    ["case", "packets/s"],
    [
      ["Dataplane, CEF switched", rate(cefRouter.opsPerSecond)],
      [`Dataplane, fast switched (${fastRouter.entries} entries, ${fastRouter.entryBytes} bytes)`, rate(fastRouter.opsPerSecond)],
    ],
  );
  console.log(
    `Dataplane fast switched ÷ CEF switched: ${ratio(fastRouter.opsPerSecond / cefRouter.opsPerSecond)} (higher is better for the route cache; below 1 it costs more than CEF)`,
  );

  return {
    table: table.source,
    dataplane: {
      cef: cefRouter.opsPerSecond,
      fast: fastRouter.opsPerSecond,
      fastOverCef: fastRouter.opsPerSecond / cefRouter.opsPerSecond,
      entries: fastRouter.entries,
    },
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
