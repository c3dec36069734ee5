/**
 * FIB benchmarks: IPv4 and IPv6 batch lookups, per-call lookups, full-table build and update
 * churn, on the real full Internet table when it is beside the project (else a generated one),
 * against the TS reference, the npm LPM packages and a native C DIR-24-8, all in one run.
 */

import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Fib } from "../../src/fib/fib.js";
import { ReferenceFib } from "../../src/reference/fib.js";
import { formatIPv4 } from "../../src/net/address.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { readTableFile, sharedTablePath, hashedNextHop, type RouteTable } from "../../src/node/table-file.js";
import { generateIPv4Table, generateIPv6Table } from "../../src/sim/table.js";
import { measureCase, printTable, rate, ratio, keep, type CaseResult } from "../lib/measure.js";
import { compileNative, NativeProcess } from "../lib/native.js";
import { arkimeIptrie, longestPrefixMatch, mmdbLib, type LpmPeer, type PeerTable } from "../peers/lpm.js";

const STREAM = 1 << 22;
const NEXT_HOPS = 254;

async function loadTable(): Promise<{ table: RouteTable; source: string }> {
  const path = sharedTablePath();
  if (path) return { table: await readTableFile(path), source: path };
  const v4 = generateIPv4Table();
  const v6 = generateIPv6Table();
  return {
    table: { ipv4: { ...v4, targets: [] }, ipv6: { ...v6, targets: [] } },
    source: "generated table with the real length distribution (../shared/data/tier1-prefixes.txt.gz absent)",
  };
}

/** Next hops 1..254 from a hash of each prefix (the data README's recipe), as adjacency ids. */
function nextHops(addresses: Uint32Array, lengths: Uint8Array, words: number, ids: number[]): Uint32Array {
  return Uint32Array.from({ length: lengths.length }, (_, i) => ids[hashedNextHop(addresses, words, i, lengths[i]!, NEXT_HOPS)]!);
}

function inside(
  addresses: Uint32Array,
  lengths: Uint8Array,
  words: number,
  k: number,
  random: Xoshiro128,
  out: Uint32Array,
  at: number,
): void {
  for (let w = 0; w < words; w++) {
    const fixed = Math.max(0, Math.min(32, lengths[k]! - w * 32));
    const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
    out[at + w] = ((addresses[k * words + w]! & keep) | (random.next() & ~keep)) >>> 0;
  }
}

function checksum(values: Uint32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum = (Math.imul(sum, 31) + values[i]!) >>> 0;
  return sum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

export async function run(): Promise<Record<string, unknown>> {
  const { table, source } = await loadTable();
  console.log(`table: ${source} — ${table.ipv4.count} IPv4, ${table.ipv6.count} IPv6 prefixes`);
  const v4 = table.ipv4;
  const v6 = table.ipv6;
  const random = new Xoshiro128(12345);

  // One FIB with the IPv4 table (memory and IPv4 figures), one with both.
  const fib = new Fib({ seed: 1 });
  const ids = Array.from({ length: NEXT_HOPS }, (_, i) =>
    fib.addAdjacency({ interface: "bench", nextHop: `198.18.${i >> 8}.${(i & 255) + 1}` }),
  );
  const hops4 = nextHops(v4.addresses, v4.lengths, 1, ids);
  const hops6 = nextHops(v6.addresses, v6.lengths, 4, ids);

  // --- Build ---------------------------------------------------------------------------------
  const buildTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const f = new Fib({ seed: 1 });
    for (let i = 0; i < NEXT_HOPS; i++) f.addAdjacency({ interface: "bench" });
    const t = performance.now();
    f.insertBatch(v4.addresses, v4.lengths, hops4);
    buildTimes.push(performance.now() - t);
  }
  fib.insertBatch(v4.addresses, v4.lengths, hops4);
  const summary4 = fib.summary();
  const ref = new ReferenceFib();
  let t = performance.now();
  ref.insertBatch(v4.addresses, v4.lengths, hops4);
  const refBuild = performance.now() - t;
  const peerTable: PeerTable = { addresses: v4.addresses, lengths: v4.lengths, values: hops4 };
  const peers: LpmPeer[] = [];
  const peerBuild: Record<string, number> = {};
  const skipped: string[] = [];
  for (const make of [arkimeIptrie, longestPrefixMatch, mmdbLib]) {
    t = performance.now();
    const peer = make(peerTable);
    if ("skipped" in peer) {
      skipped.push(peer.skipped);
      continue;
    }
    peerBuild[peer.name] = performance.now() - t;
    peers.push(peer);
  }

  // --- Address streams -------------------------------------------------------------------------
  const random4 = Uint32Array.from({ length: STREAM }, () => random.next());
  const covered4 = new Uint32Array(STREAM);
  for (let i = 0; i < STREAM; i++) inside(v4.addresses, v4.lengths, 1, random.below(v4.count), random, covered4, i);
  const n6 = 1 << 20;
  const covered6 = new Uint32Array(n6 * 4);
  for (let i = 0; i < n6; i++) inside(v6.addresses, v6.lengths, 4, random.below(v6.count), random, covered6, i * 4);
  const random6 = Uint32Array.from({ length: n6 * 4 }, (_, i) =>
    i % 4 === 0 ? ((random.next() & 0x1fffffff) | 0x20000000) >>> 0 : random.next(),
  );

  // --- Native DIR-24-8, interleaved with ours ----------------------------------------------------
  const out4 = new Uint32Array(STREAM);
  const native: Record<string, unknown> = {};
  const compiled = compileNative("dir24_8");
  let oursInterleaved = { random: 0, covered: 0 };
  let nativeRandom = 0,
    nativeRandom16 = 0,
    nativeCovered = 0,
    ratioRandom = 0,
    ratioRandom16 = 0,
    ratioCovered = 0;
  if ("skipped" in compiled) {
    console.log(`native C DIR-24-8 skipped: ${compiled.skipped}`);
    native.skipped = compiled.skipped;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "dataplane-bench-"));
    try {
      const routesFile = join(dir, "routes.bin");
      const count = v4.count;
      const buffer = Buffer.alloc(4 + count * 9);
      buffer.writeUInt32LE(count, 0);
      Buffer.from(v4.addresses.buffer, v4.addresses.byteOffset, count * 4).copy(buffer, 4);
      Buffer.from(v4.lengths.buffer, v4.lengths.byteOffset, count).copy(buffer, 4 + count * 4);
      Buffer.from(hops4.buffer, hops4.byteOffset, count * 4).copy(buffer, 4 + count * 5);
      writeFileSync(routesFile, buffer);
      writeFileSync(join(dir, "random.bin"), random4);
      writeFileSync(join(dir, "covered.bin"), covered4);
      const c = new NativeProcess(compiled.path, [routesFile, join(dir, "random.bin"), join(dir, "covered.bin")]);
      const [buildNs, groups, bytes32, bytes16] = (await c.ask("info")).split(" ").map(Number);
      const rounds = 9;
      const ours: number[][] = [[], []];
      const theirs: number[][] = [[], [], []];
      const ratios: number[][] = [[], [], []];
      for (let r = 0; r < rounds; r++) {
        for (const [k, stream] of [random4, covered4].entries()) {
          const start = performance.now();
          fib.lookupBatch(stream, out4);
          const wasmRate = STREAM / ((performance.now() - start) / 1000);
          const [ns32, sum32] = (await c.ask(`run32 ${k}`)).split(" ").map(Number);
          if (sum32 !== checksum(out4)) throw new Error(`native and WASM answers differ on stream ${k}`);
          const cRate = STREAM / (ns32! / 1e9);
          ours[k]!.push(wasmRate);
          theirs[k]!.push(cRate);
          ratios[k]!.push(wasmRate / cRate);
          if (k === 0) {
            const [ns16, sum16] = (await c.ask("run16 0")).split(" ").map(Number);
            if (sum16 !== sum32) throw new Error("native 16-bit answers differ");
            theirs[2]!.push(STREAM / (ns16! / 1e9));
            ratios[2]!.push(wasmRate / (STREAM / (ns16! / 1e9)));
          }
        }
      }
      c.close();
      nativeRandom = median(theirs[0]!);
      nativeCovered = median(theirs[1]!);
      nativeRandom16 = median(theirs[2]!);
      ratioRandom = median(ratios[0]!);
      ratioCovered = median(ratios[1]!);
      ratioRandom16 = median(ratios[2]!);
      oursInterleaved = { random: median(ours[0]!), covered: median(ours[1]!) };
      Object.assign(native, {
        buildMs: buildNs! / 1e6,
        tbl8Groups: groups,
        bytes32,
        bytes16,
        randomLookupsPerSecond: nativeRandom,
        random16LookupsPerSecond: nativeRandom16,
        coveredLookupsPerSecond: nativeCovered,
        wasmOverNativeRandom: ratioRandom,
        wasmOverNative16Random: ratioRandom16,
        wasmOverNativeCovered: ratioCovered,
        oursDuringInterleave: oursInterleaved,
        rounds,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // --- Lookups ---------------------------------------------------------------------------------
  const cases: Record<string, CaseResult> = {};
  const add = (key: string, result: CaseResult): void => {
    cases[key] = result;
  };
  add("random4", await measureCase("IPv4 lookupBatch, random", () => fib.lookupBatch(random4, out4), STREAM));
  add("covered4", await measureCase("IPv4 lookupBatch, covered", () => fib.lookupBatch(covered4, out4), STREAM));
  const callSlice = random4.subarray(0, 1 << 20);
  add(
    "perCall4",
    await measureCase(
      "IPv4 lookup() per call",
      () => {
        let s = 0;
        for (let i = 0; i < callSlice.length; i++) s ^= fib.lookup(callSlice[i]!);
        keep(s);
      },
      callSlice.length,
    ),
  );
  const refSlice = random4.subarray(0, 1 << 18);
  const refOut = new Uint32Array(refSlice.length);
  add(
    "reference4",
    await measureCase("TS reference (binary trie), random", () => ref.lookupBatch(refSlice, refOut), refSlice.length, { minCpuMs: 1500 }),
  );

  // Peers take text: prebuilt strings, their own parsing timed. Their answers are checked too.
  const textCount = 1 << 16;
  const texts = Array.from({ length: textCount }, (_, i) => formatIPv4(random4[i]!));
  const peerCases: CaseResult[] = [];
  fib.lookupBatch(random4, out4);
  for (const peer of peers) {
    for (let i = 0; i < 2000; i++) {
      if (peer.lookup(texts[i]!) !== out4[i])
        throw new Error(`${peer.name} answers ${peer.lookup(texts[i]!)} for ${texts[i]}, expected ${out4[i]}`);
    }
    const result = await measureCase(
      `${peer.name}, random (string input)`,
      () => {
        let s = 0;
        for (let i = 0; i < textCount; i++) s ^= peer.lookup(texts[i]!);
        keep(s);
      },
      textCount,
      { minCpuMs: 1500 },
    );
    peerCases.push(result);
  }

  // IPv6: a FIB with both families.
  const fib6 = new Fib({ seed: 2 });
  for (let i = 0; i < NEXT_HOPS; i++) fib6.addAdjacency({ interface: "bench" });
  t = performance.now();
  fib6.insertBatch6(v6.addresses, v6.lengths, hops6);
  const build6 = performance.now() - t;
  const ref6 = new ReferenceFib();
  ref6.insertBatch6(v6.addresses, v6.lengths, hops6);
  const out6 = new Uint32Array(n6);
  add("covered6", await measureCase("IPv6 lookupBatch6, covered", () => fib6.lookupBatch6(covered6, out6), n6));
  add("random6", await measureCase("IPv6 lookupBatch6, random in 2000::/3", () => fib6.lookupBatch6(random6, out6), n6));
  const ref6Slice = covered6.subarray(0, (1 << 16) * 4);
  const ref6Out = new Uint32Array(1 << 16);
  add(
    "reference6",
    await measureCase("TS reference, IPv6 covered", () => ref6.lookupBatch6(ref6Slice, ref6Out), 1 << 16, { minCpuMs: 1500 }),
  );
  const check6 = fib6.lookupBatch6(ref6Slice);
  for (let i = 0; i < check6.length; i++) if (check6[i] !== ref6Out[i]) throw new Error("IPv6 answers differ from the reference");

  // --- Churn: delete and re-insert random routes of the full table ------------------------------
  const batch = 1024;
  const churnRounds = 256;
  const pick = Uint32Array.from({ length: batch * churnRounds }, () => random.below(v4.count));
  const churnAddresses = Uint32Array.from(pick, (k) => v4.addresses[k]!);
  const churnLengths = Uint8Array.from(pick, (k) => v4.lengths[k]!);
  const churnHops = Uint32Array.from(pick, (k) => hops4[k]!);
  let round = 0;
  add(
    "churnBatch",
    await measureCase(
      "churn: deleteBatch + insertBatch of 1024 random routes",
      () => {
        const at = (round++ % churnRounds) * batch;
        const a = churnAddresses.subarray(at, at + batch),
          l = churnLengths.subarray(at, at + batch);
        fib.deleteBatch(a, l);
        fib.insertBatch(a, l, churnHops.subarray(at, at + batch));
      },
      2 * batch,
    ),
  );
  let cursor = 0;
  add(
    "churnPerCall",
    await measureCase(
      "churn: delete() + insert() per route",
      () => {
        for (let j = 0; j < 256; j++) {
          const k = cursor++ % pick.length;
          const prefix = { address: churnAddresses[k]!, length: churnLengths[k]! };
          fib.delete(prefix);
          fib.insert(prefix, churnHops[k]!);
        }
      },
      512,
    ),
  );
  add(
    "churnReference",
    await measureCase(
      "churn: TS reference delete + insert",
      () => {
        for (let j = 0; j < 256; j++) {
          const k = cursor++ % pick.length;
          const prefix = { address: churnAddresses[k]!, length: churnLengths[k]! };
          ref.delete(prefix);
          ref.insert(prefix, churnHops[k]!);
        }
      },
      512,
    ),
  );
  const churnPeer = peers.find((p) => p.updatable);
  if (churnPeer) {
    const textPrefixes = Array.from(pick.subarray(0, 1 << 16), (k) => formatIPv4(v4.addresses[k]!));
    add(
      "churnPeer",
      await measureCase(
        `churn: ${churnPeer.name} del + add`,
        () => {
          for (let j = 0; j < 256; j++) {
            const k = cursor++ % textPrefixes.length;
            churnPeer.delete!(textPrefixes[k]!, churnLengths[k]!);
            churnPeer.insert!(textPrefixes[k]!, churnLengths[k]!, churnHops[k]!);
          }
        },
        512,
      ),
    );
  }
  const afterChurn = fib.lookupBatch(random4.subarray(0, 1 << 18));
  const refAfter = ref.lookupBatch(random4.subarray(0, 1 << 18));
  for (let i = 0; i < afterChurn.length; i++)
    if (afterChurn[i] !== refAfter[i]) throw new Error("answers differ from the reference after churn");

  // --- Report ----------------------------------------------------------------------------------
  const bestPeer = peerCases.reduce<CaseResult | undefined>(
    (best, c) => (!best || c.opsPerSecond > best.opsPerSecond ? c : best),
    undefined,
  );
  const ours = cases.random4!.opsPerSecond;
  const rows = [
    [cases.random4!.name, rate(ours), "×1"],
    // The native rows are timed in rounds interleaved with ours (one pass over the stream each,
    // no warm-up loop), so they are compared with our rate in those same rounds, not with the
    // mitata p50 above: the ratio is ours ÷ native per round (above 1: ours is faster).
    ...(nativeRandom
      ? [
          ["native C DIR-24-8 (u32 entries, gcc -O3), random", rate(nativeRandom), `ours ${ratio(ratioRandom)} (interleaved)`],
          ["  ours in the same interleaved rounds, random", rate(oursInterleaved.random), ""],
        ]
      : []),
    ...(nativeRandom16
      ? [["native C DIR-24-8 (u16 entries), random", rate(nativeRandom16), `ours ${ratio(ratioRandom16)} (interleaved)`]]
      : []),
    [cases.covered4!.name, rate(cases.covered4!.opsPerSecond), ""],
    ...(nativeCovered
      ? [
          ["native C DIR-24-8 (u32), covered", rate(nativeCovered), `ours ${ratio(ratioCovered)} (interleaved)`],
          ["  ours in the same interleaved rounds, covered", rate(oursInterleaved.covered), ""],
        ]
      : []),
    [cases.perCall4!.name, rate(cases.perCall4!.opsPerSecond), `ours ${ratio(ours / cases.perCall4!.opsPerSecond)}`],
    [cases.reference4!.name, rate(cases.reference4!.opsPerSecond), `ours ${ratio(ours / cases.reference4!.opsPerSecond)}`],
    ...peerCases.map((c) => [c.name, rate(c.opsPerSecond), `ours ${ratio(ours / c.opsPerSecond)}`]),
  ];
  printTable("IPv4 lookups (full table)", ["case", "rate", "ratio"], rows);
  for (const s of skipped) console.log(`peer skipped: ${s}`);
  printTable(
    "IPv6 lookups",
    ["case", "rate", "ratio"],
    [
      [cases.covered6!.name, rate(cases.covered6!.opsPerSecond), "×1"],
      [cases.random6!.name, rate(cases.random6!.opsPerSecond), ""],
      [
        cases.reference6!.name,
        rate(cases.reference6!.opsPerSecond),
        `ours ${ratio(cases.covered6!.opsPerSecond / cases.reference6!.opsPerSecond)}`,
      ],
    ],
  );
  const buildMs = median(buildTimes);
  printTable(
    "Build and churn",
    ["case", "figure", "ratio"],
    [
      ["full IPv4 table, insertBatch", `${buildMs.toFixed(0)} ms`, ""],
      ["TS reference build", `${refBuild.toFixed(0)} ms`, `ours ${ratio(refBuild / buildMs)}`],
      ...Object.entries(peerBuild).map(([name, ms]) => [`${name} build`, `${ms.toFixed(0)} ms`, `ours ${ratio(ms / buildMs)}`]),
      ...(native.buildMs ? [["native C DIR-24-8 static build (sorted, no RIB)", `${(native.buildMs as number).toFixed(0)} ms`, ""]] : []),
      ["full IPv6 table, insertBatch6", `${build6.toFixed(0)} ms`, ""],
      [cases.churnBatch!.name, `${rate(cases.churnBatch!.opsPerSecond)} updates`, "×1"],
      [cases.churnPerCall!.name, `${rate(cases.churnPerCall!.opsPerSecond)} updates`, ""],
      [
        cases.churnReference!.name,
        `${rate(cases.churnReference!.opsPerSecond)} updates`,
        `ours ${ratio(cases.churnBatch!.opsPerSecond / cases.churnReference!.opsPerSecond)}`,
      ],
      ...(cases.churnPeer
        ? [
            [
              cases.churnPeer.name,
              `${rate(cases.churnPeer.opsPerSecond)} updates`,
              `ours ${ratio(cases.churnBatch!.opsPerSecond / cases.churnPeer.opsPerSecond)}`,
            ],
          ]
        : []),
    ],
  );
  console.log(
    `\nFIB memory, IPv4 table: ${summary4.bytes} bytes (${(summary4.bytes / 2 ** 20).toFixed(1)} MiB) in ${summary4.ipv4.nodes} nodes, ${summary4.ipv4.entryBits}-bit entries`,
  );
  console.log(`FIB memory, IPv6 table: ${fib6.summary().ipv6.bytes} bytes (${(fib6.summary().ipv6.bytes / 2 ** 20).toFixed(1)} MiB)`);
  if (bestPeer)
    console.log(`fastest npm package: ${bestPeer.name} at ${rate(bestPeer.opsPerSecond)}; ours is ${ratio(ours / bestPeer.opsPerSecond)}`);
  if (nativeRandom) console.log(`WASM / native C DIR-24-8 (u32), random addresses: ${ratio(ratioRandom)} (median of per-round ratios)`);

  return {
    table: source,
    routes: { ipv4: v4.count, ipv6: v6.count },
    lookupsPerSecond: Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, c.opsPerSecond])),
    peers: Object.fromEntries(peerCases.map((c) => [c.name, c.opsPerSecond])),
    peersSkipped: skipped,
    bestPeer: bestPeer
      ? { name: bestPeer.name, lookupsPerSecond: bestPeer.opsPerSecond, oursOverPeer: ours / bestPeer.opsPerSecond }
      : null,
    native,
    buildMs: { ipv4: buildMs, ipv6: build6, reference: refBuild, peers: peerBuild },
    memoryBytes: { ipv4: summary4.bytes, ipv6: fib6.summary().ipv6.bytes },
  };
}
