/**
 * The router end to end: packets per second through `Dataplane.process` from a pcap in memory
 * (indexed by the capture reader, then parsed, selected, accounted by NetFlow, looked up in the
 * full table, ARP-resolved and rewritten in one call per batch), with the real full Internet
 * table (or a generated one of its shape), 100k flows, every next hop resolved, NetFlow on.
 * Against: the sum of the same stages measured alone on the same packets (capture indexing +
 * parse, selector + flow cache, FIB lookups, ARP resolutions), so the ratio shows the cost of
 * composing them; and the TS reference composition on the same packets.
 */

import { resolvedNextHops } from "../lib/next-hops.js";
import { Dataplane } from "../../src/dataplane/dataplane.js";
import { ReferenceDataplane, type ReferenceInputPacket } from "../../src/reference/dataplane.js";
import type { DataplaneOptions } from "../../src/dataplane/options.js";
import { FlowCache } from "../../src/flow/cache.js";
import { Fib } from "../../src/fib/fib.js";
import { ArpTable } from "../../src/arp/table.js";
import { PacketSelector } from "../../src/sampling/packet-selector.js";
import { readPacketsFromBytes } from "../../src/packet/reader.js";
import { writePcap, type CaptureRecord } from "../../src/packet/writer.js";
import { flowFrame, flowIndexSampler } from "../../src/sim/flow-traffic.js";
import { readTableFile, sharedTablePath, hashedNextHop, type RouteTable } from "../../src/node/table-file.js";
import { generateIPv4Table, generateIPv6Table } from "../../src/sim/table.js";
import { ShardedDataplane } from "../../src/node/sharded-dataplane.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";

const PACKETS = 1 << 20;
const FLOWS = 100_000;
const NEXT_HOPS = 16;
const BATCH = 4096;
const T0 = 1.7e12;
const HOUR = 3600e3;
/** Rounds of the interleaved measurement of pipeline ÷ stages. */
const INTERLEAVED_ROUNDS = 15;

/** flowFrame of flow `id` sent to `dst`, with its IPv4 header checksum filled in (a router drops a bad one). */
function frame(id: number, dst: number): Uint8Array {
  const bytes = flowFrame(id);
  new DataView(bytes.buffer).setUint32(30, dst);
  let sum = 0;
  for (let k = 14; k < 34; k += 2) sum += (bytes[k]! << 8) | bytes[k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  bytes[24] = c >> 8;
  bytes[25] = c & 255;
  return bytes;
}

/**
 * A destination per flow spread over the table: an address inside a prefix drawn uniformly
 * from the table's IPv4 routes (host bits random), so that the lookups walk the whole table
 * rather than one default route.
 */
function destinations(routes: RouteTable["ipv4"], flows: number, seed: number): Uint32Array {
  const random = new Xoshiro128(seed);
  return Uint32Array.from({ length: flows }, () => {
    const k = random.below(routes.count);
    const length = routes.lengths[k]!;
    const host = length >= 32 ? 0 : random.next() >>> length;
    return (routes.addresses[k]! | host) >>> 0;
  });
}

/** Least CPU time (user + system, ms) of `runs` calls of `fn` (less disturbed by other jobs than wall time). */
function cpuMs(fn: () => void, runs = 5): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

async function table(): Promise<{ table: RouteTable; source: string }> {
  const path = sharedTablePath();
  if (path !== undefined) return { table: await readTableFile(path), source: path };
  const v4 = generateIPv4Table();
  const v6 = generateIPv6Table();
  return {
    table: { ipv4: { ...v4, targets: [] }, ipv6: { ...v6, targets: [] } },
    source: "generated table with the real length distribution (../shared/data/tier1-prefixes.txt.gz absent)",
  };
}

function options(): DataplaneOptions {
  return {
    interfaces: [
      { name: "Gi0/0", mac: "02:00:00:00:00:01", addresses: ["192.0.2.1/24"], netflow: { flow: "full" } },
      { name: "Gi0/1", mac: "02:00:00:00:00:02", addresses: ["198.51.100.1/24"] },
    ],
    ...resolvedNextHops(NEXT_HOPS),
    flowCache: { capacity: 131_072, activeTimeout: 1000 * HOUR, inactiveTimeout: 1000 * HOUR, exportQueueCapacity: 4096 },
    maxBatch: BATCH,
    seed: 1,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const { table: routes, source } = await table();
  console.log(`table: ${source} (${routes.ipv4.count} IPv4, ${routes.ipv6.count} IPv6 routes)`);
  const dp = new Dataplane(options());
  const spread = dp.nextHopAdjacencies();
  const ids = (columns: RouteTable["ipv4"], words: number) =>
    Uint32Array.from(
      { length: columns.count },
      (_, i) => spread[hashedNextHop(columns.addresses, words, i, columns.lengths[i]!, spread.length)]!,
    );
  dp.installRoutes(routes, { ipv4: ids(routes.ipv4, 1), ipv6: ids(routes.ipv6, 4) });

  // The capture: PACKETS 64-byte frames of FLOWS flows (uniform), 1 Mpps, in memory, each flow
  // to its own destination somewhere in the table.
  const sample = flowIndexSampler(FLOWS, "uniform", 7);
  const flowDestinations = destinations(routes.ipv4, FLOWS, 11);
  const frames = Array.from({ length: FLOWS }, (_, id) => frame(id, flowDestinations[id]!));
  const flowOf = Uint32Array.from({ length: PACKETS }, () => sample());
  const records: CaptureRecord[] = Array.from({ length: PACKETS }, (_, i) => ({ time: T0 + i / 1000, bytes: frames[flowOf[i]!]! }));
  const pcap = writePcap(records, { linkType: 1 });
  const readOptionsOf = (router: Dataplane) => ({ ...router.readerOptions(), capacity: BATCH, frameBytes: BATCH * 96 + 64 * 1024 });
  const readOptions = readOptionsOf(dp);

  // Warm: every flow in the cache, every lookup path touched. The reader leaves the batches
  // unparsed (dp.readerOptions()): the pipeline parses them.
  for (const batch of readPacketsFromBytes(pcap, readOptions)) dp.process(batch);
  const warm = dp.counters();
  if (warm.forwarded !== PACKETS) throw new Error(`not everything forwarded: ${JSON.stringify(warm)}`);

  const pipelinePass = () => {
    let n = 0;
    for (const batch of readPacketsFromBytes(pcap, readOptions)) n += dp.process(batch).count;
    keep(n);
  };
  const pipeline = await measureCase("Dataplane.process (index + one call per batch)", pipelinePass, PACKETS, { minCpuMs: 3000 });
  const pipelineCpu = cpuMs(pipelinePass);
  // The same capture with every destination in one /16 (198.18.0.0/16, not in the table: one
  // default-route entry of the trie, always in cache), the workload of the earlier figures.
  const oneBlockFrames = Array.from({ length: FLOWS }, (_, id) => frame(id, (0xc6120000 + (id % 65_521)) >>> 0));
  const oneBlockPcap = writePcap(
    records.map((r, i) => ({ time: r.time, bytes: oneBlockFrames[flowOf[i]!]! })),
    { linkType: 1 },
  );
  const oneBlockCpuNs = (() => {
    const router = new Dataplane(options());
    router.installRoutes(routes, { ipv4: ids(routes.ipv4, 1), ipv6: ids(routes.ipv6, 4) });
    const pass = () => {
      for (const batch of readPacketsFromBytes(oneBlockPcap, readOptionsOf(router))) keep(router.process(batch).count);
    };
    pass();
    const ns = (cpuMs(pass) * 1e6) / PACKETS;
    if (router.counters().forwarded !== router.counters().packetsIn) throw new Error("drops in the one-block runs");
    router.dispose();
    return ns;
  })();

  // The stages alone, on the same packets, each on its own components (on one core, so that
  // the FIB reads the kept batches in place as the pipeline does).
  const indexPass = () => {
    let n = 0;
    for (const batch of readPacketsFromBytes(pcap, { capacity: BATCH, frameBytes: BATCH * 96 + 64 * 1024 })) n += batch.length;
    keep(n);
  };
  const indexParse = await measureCase("capture index + parse", indexPass, PACKETS, { minCpuMs: 2000 });
  const indexCpu = cpuMs(indexPass);
  // Columns of the traffic for the per-stage cases: every batch of the capture, so that each
  // stage sees the same 100k flows and destinations, in the same order, as in the pipeline.
  const cache = new FlowCache({ ...options().flowCache, seed: 1 });
  const selector = new PacketSelector({ core: cache.core, seed: 1, maxBatch: BATCH });
  selector.setInterface(0, { flow: "full" });
  const keptBatches = (() => {
    const list = [];
    for (const batch of readPacketsFromBytes(pcap, { ...cache.readerOptions(), capacity: BATCH, frameBytes: BATCH * 96 + 64 * 1024 })) {
      const copy = cache.createBatch({ capacity: BATCH, frameBytes: 0 });
      for (const name of Object.keys(copy.columns) as (keyof typeof copy.columns)[]) copy.columns[name].set(batch.columns[name]);
      copy.length = batch.length;
      list.push(copy);
    }
    return list;
  })();
  for (const b of keptBatches) cache.update(b);
  // The calls the pipeline makes (selectorRunBatch, then flowCacheUpdate with no selection bytes
  // when every packet is selected), without the JS wrappers' result arrays.
  const w = cache.wasm;
  const selectedIndices = w.alloc(BATCH * 4);
  const selectedSlots = w.alloc(BATCH * 2);
  let f = 0;
  const flows = await measureCase(
    "selector + flow cache update",
    () => {
      const b = keptBatches[f++ % keptBatches.length]!;
      const k = w.selectorRunBatch(selector.handle, b.handle, 0, b.length, selectedIndices, selectedSlots);
      if (k !== b.length) throw new Error(`the selector took ${k} of ${b.length} packets`);
      keep(w.flowCacheUpdate(cache.handle, b.handle, 0, b.length, 0, 0));
    },
    BATCH,
  );
  // The FIB the pipeline holds (the same routes over as many adjacencies), on the batches' core,
  // looking up each batch's destinations in place.
  const fib = new Fib({ core: cache.core, seed: 1 });
  const fibAdjacencies = Array.from({ length: NEXT_HOPS }, (_, k) => fib.addAdjacency({ interface: 1, nextHop: `198.51.100.${10 + k}` }));
  const fibIds = (columns: RouteTable["ipv4"], words: number) =>
    Uint32Array.from(
      { length: columns.count },
      (_, i) => fibAdjacencies[hashedNextHop(columns.addresses, words, i, columns.lengths[i]!, NEXT_HOPS)]!,
    );
  fib.insertBatch(routes.ipv4.addresses, routes.ipv4.lengths, fibIds(routes.ipv4, 1));
  fib.insert("0.0.0.0/0", fibAdjacencies[0]!);
  const adjacencyOut = new Uint32Array(BATCH);
  let l = 0;
  const lookups = await measureCase(
    "FIB lookups (each batch's destinations)",
    () => keep(fib.lookupPackets(keptBatches[l++ % keptBatches.length]!, adjacencyOut)),
    BATCH,
  );
  // The next hop of every packet, as the pipeline resolves them.
  const nextHopsOf = keptBatches.map((b) =>
    Uint32Array.from(fib.lookupPackets(b), (a) => (0xc6336400 + 10 + ((a - fibAdjacencies[0]!) % NEXT_HOPS)) >>> 0),
  );
  const arp = new ArpTable({ interfaces: [{ mac: "02:00:00:00:00:02", addresses: ["198.51.100.1/24"] }], seed: 1 });
  for (let k = 0; k < NEXT_HOPS; k++) arp.addStatic(0, `198.51.100.${10 + k}`, `0a:00:00:00:00:${(16 + k).toString(16)}`, T0);
  const verdicts = new Uint8Array(BATCH);
  const macs = new Uint8Array(BATCH * 8);
  let r = 0;
  const resolve = await measureCase(
    "ARP resolutions (each batch's next hops)",
    () => keep(arp.resolveBatch(0, nextHopsOf[r++ % nextHopsOf.length]!, T0 + 5000, verdicts, macs)),
    BATCH,
  );
  // The same stages on CPU time, a whole pass over the capture's batches each.
  const flowsPass = () => {
    for (const b of keptBatches) {
      w.selectorRunBatch(selector.handle, b.handle, 0, b.length, selectedIndices, selectedSlots);
      keep(w.flowCacheUpdate(cache.handle, b.handle, 0, b.length, 0, 0));
    }
  };
  const lookupsPass = () => {
    for (const b of keptBatches) keep(fib.lookupPackets(b, adjacencyOut));
  };
  const resolvePass = () => {
    for (const hops of nextHopsOf) keep(arp.resolveBatch(0, hops, T0 + 5000, verdicts, macs));
  };
  const flowsCpu = cpuMs(flowsPass);
  const lookupsCpu = cpuMs(lookupsPass);
  const resolveCpu = cpuMs(resolvePass);
  // The same ratio from interleaved rounds: each round one whole pass of the pipeline and of
  // every stage, back to back (the order turning each round), so that all of them meet the same
  // machine speed; the ratio of each round, then their median. Measured apart, minutes between
  // them, the stages and the pipeline can meet a VM at different speeds.
  const roundPasses = [pipelinePass, indexPass, flowsPass, lookupsPass, resolvePass];
  const roundRatios: number[] = [];
  for (let round = 0; round < INTERLEAVED_ROUNDS; round++) {
    const cpu = new Array<number>(roundPasses.length);
    for (let k = 0; k < roundPasses.length; k++) {
      const which = (k + round) % roundPasses.length;
      cpu[which] = cpuMs(roundPasses[which]!, 1);
    }
    roundRatios.push(cpu[0]! / (cpu[1]! + cpu[2]! + cpu[3]! + cpu[4]!));
  }
  roundRatios.sort((a, b) => a - b);
  const interleaved = roundRatios[roundRatios.length >> 1]!;
  // Every measured pass of the pipeline, the interleaved ones too, forwarded every packet.
  const after = dp.counters();
  if (after.forwarded !== after.packetsIn) throw new Error(`drops in the measured runs: ${JSON.stringify(after.reasons)}`);
  dp.dispose();
  const stageCpuNs = [indexCpu, flowsCpu, lookupsCpu, resolveCpu].map((ms) => (ms * 1e6) / PACKETS);
  const sumCpuNs = stageCpuNs.reduce((a, b) => a + b, 0);
  const pipelineCpuNs = (pipelineCpu * 1e6) / PACKETS;
  const stageNs = [indexParse, flows, lookups, resolve].map((c) => 1e9 / c.opsPerSecond);
  const sumNs = stageNs.reduce((a, b) => a + b, 0);
  const pipelineNs = 1e9 / pipeline.opsPerSecond;

  // The TS reference composition on the first 64k packets (its FIB holds the configured routes
  // only: a full table in its binary trie would measure the trie more than the composition).
  const reference = new ReferenceDataplane(options());
  const REF = 65536;
  const referencePackets = (): ReferenceInputPacket[] =>
    records.slice(0, REF).map((r) => ({ frame: r.bytes.slice(), time: r.time, interface: 0, linkType: 1, wireLength: 64 }));
  const referenceCase = await measureCase(
    "reference composition (configured routes only)",
    () => keep(reference.process(referencePackets())),
    REF,
    { minCpuMs: 2000, maxSamples: 12 },
  );

  printTable(
    `router end to end: ${PACKETS} packets, ${FLOWS} flows, full table, ARP resolved, NetFlow on (mitata p50)`,
    ["case", "packets/s", "ns/packet", "CPU ns/packet"],
    [
      [pipeline.name, rate(pipeline.opsPerSecond), pipelineNs.toFixed(1), pipelineCpuNs.toFixed(1)],
      ...[indexParse, flows, lookups, resolve].map((c, k) => [
        `  stage alone: ${c.name}`,
        rate(c.opsPerSecond),
        stageNs[k]!.toFixed(1),
        stageCpuNs[k]!.toFixed(1),
      ]),
      ["  sum of the stages alone", rate(1e9 / sumNs), sumNs.toFixed(1), sumCpuNs.toFixed(1)],
      [referenceCase.name, rate(referenceCase.opsPerSecond), (1e9 / referenceCase.opsPerSecond).toFixed(1), ""],
    ],
  );
  console.log("(CPU ns/packet: least user + system CPU time of 5 whole passes; steadier than wall time on a busy machine)");
  const composition = pipelineNs / sumNs;
  const compositionCpu = pipelineCpuNs / sumCpuNs;
  console.log(
    `end to end on one core: ${rate(pipeline.opsPerSecond)} packets/s (bar: ≥ 10 M/s; higher is better: ${pipeline.opsPerSecond >= 10e6 ? "met" : "not met"})`,
  );
  console.log(
    `pipeline cost ÷ sum of its stages alone: ${composition.toFixed(2)} (bar: ≤ 1.25; lower is better: ${composition <= 1.25 ? "met" : "not met"}); on CPU time: ${compositionCpu.toFixed(2)}`,
  );
  console.log(
    `pipeline ÷ sum of its stages alone, CPU time, ${INTERLEAVED_ROUNDS} interleaved rounds: median ${interleaved.toFixed(2)} (rounds ${roundRatios[0]!.toFixed(2)}–${roundRatios[roundRatios.length - 1]!.toFixed(2)}; bar: ≤ 1.25; lower is better: ${interleaved <= 1.25 ? "met" : "not met"})`,
  );
  console.log(`end to end on CPU time: ${rate(1e9 / pipelineCpuNs)} packets per CPU-second`);
  console.log(
    `the same with every destination in one /16 (one default-route trie entry, the earlier workload): ${oneBlockCpuNs.toFixed(1)} CPU ns/packet, ${rate(1e9 / oneBlockCpuNs)} packets per CPU-second`,
  );
  console.log(`Dataplane ÷ reference composition: ${ratio(pipeline.opsPerSecond / referenceCase.opsPerSecond)} (higher is better)`);
  // ShardedDataplane: the same capture, four passes, on 2 workers against one Dataplane in this
  // thread, both with the configuration below and a flow cache every flow fits (100k flows in
  // one, about 50k in each shard). Wall clock from the first packet read to the last packet
  // processed (for the shards: the latest `processedAt`); the final flush and the transfer of
  // the flows to this thread are timed apart.
  const passes = 4;
  const config = `interface Gi0/0
 mac-address 0200.0000.0001
 ip address 192.0.2.1 255.255.255.0
 ip flow ingress
interface Gi0/1
 mac-address 0200.0000.0002
 ip address 198.51.100.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 198.51.100.10
arp 198.51.100.10 0a00.0000.0010 arpa
`;
  const flowCache = { capacity: 131_072, activeTimeout: 1000 * HOUR, inactiveTimeout: 1000 * HOUR };
  const timeOne = (() => {
    const single = Dataplane.fromConfig(config, { maxBatch: BATCH, flowCache });
    for (const batch of readPacketsFromBytes(pcap, { ...single.readerOptions(), capacity: BATCH })) single.process(batch);
    const start = performance.now();
    for (let k = 0; k < passes; k++)
      for (const batch of readPacketsFromBytes(pcap, { ...single.readerOptions(), capacity: BATCH })) single.process(batch);
    const time = performance.now() - start;
    if (single.counters().forwarded !== (passes + 1) * PACKETS) throw new Error("one Dataplane did not forward every packet");
    single.dispose();
    return time;
  })();
  const sharded = new ShardedDataplane({ config, workers: 2, dataplane: { flowCache } });
  await sharded.ready();
  const shardedStart = performance.timeOrigin + performance.now();
  for (let k = 0; k < passes; k++) for (const batch of readPacketsFromBytes(pcap, { capacity: BATCH })) sharded.process(batch);
  const fedAt = performance.timeOrigin + performance.now();
  const shardedResult = await sharded.finish();
  const finishedAt = performance.timeOrigin + performance.now();
  const timeSharded = shardedResult.processedAt - shardedStart;
  if (shardedResult.counters.forwarded !== passes * PACKETS) throw new Error("the shards did not forward every packet");
  const speedUp = timeOne / timeSharded;
  console.log(
    `ShardedDataplane, 2 workers: ${rate((passes * PACKETS * 1000) / timeSharded)} packets/s against ${rate((passes * PACKETS * 1000) / timeOne)} for one Dataplane: speed-up ×${speedUp.toFixed(2)} (higher is better; ${shardedResult.perShard.join(" / ")} packets per shard; this thread read and sharded them in ${(fedAt - shardedStart).toFixed(0)} ms; flushing and sending the flows back took ${(finishedAt - shardedResult.processedAt).toFixed(0)} ms more)`,
  );
  return {
    table: source,
    packets: PACKETS,
    flows: FLOWS,
    packetsPerSecond: pipeline.opsPerSecond,
    nsPerPacket: pipelineNs,
    stagesAloneNs: Object.fromEntries([indexParse, flows, lookups, resolve].map((c, k) => [c.name, stageNs[k]])),
    compositionRatio: composition,
    compositionRatioCpu: compositionCpu,
    compositionRatioCpuInterleaved: interleaved,
    compositionRatioCpuRounds: roundRatios,
    cpuNsPerPacket: pipelineCpuNs,
    cpuNsPerPacketOneBlock: oneBlockCpuNs,
    stagesAloneCpuNs: Object.fromEntries([indexParse, flows, lookups, resolve].map((c, k) => [c.name, stageCpuNs[k]])),
    referencePacketsPerSecond: referenceCase.opsPerSecond,
    ratioToReference: pipeline.opsPerSecond / referenceCase.opsPerSecond,
    shardedSpeedUp2Workers: speedUp,
  };
}
