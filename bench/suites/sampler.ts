/**
 * Sampler benchmarks: decisions per second for each mode at N = 1, 100 and 10,000, in batches of
 * 65,536 packets, against the TS reference (one packet at a time), the per-packet coin
 * baselines (WASM and TS), and native C (gcc -O3) versions of what real agents do (per-packet
 * coin as in Open vSwitch / Linux tc, per-packet countdown as in the sFlow reference agent) and
 * of each of our modes with batched skip-ahead (as VPP's sFlow plugin does), all in one run.
 * Also the packet selector (input filters + samplers) against the reference selector.
 */

import { Sampler } from "../../src/sampling/sampler.js";
import { PacketSelector } from "../../src/sampling/packet-selector.js";
import { ReferenceSampler } from "../../src/reference/sampler.js";
import { ReferencePacketSelector } from "../../src/reference/packet-selector.js";
import { SAMPLER_MODES, type SamplerMode } from "../../src/sampling/modes.js";
import { emptyFilterInput } from "../../src/sampling/filter-input.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { instantiate } from "../../src/wasm/instance.js";
import { measureCase, printTable, rate, ratio, keep } from "../lib/measure.js";
import { compileNative, NativeProcess } from "../lib/native.js";

const BATCH = 65536;
const INTERVALS = [1, 100, 10000];
const MEASURE = { minCpuMs: 400 };
/** The native skip-ahead kernel of each mode (bench/native/sampler.c). */
const NATIVE_KIND: Record<SamplerMode, string> = { random: "window", bernoulli: "geometric", deterministic: "every", sflow: "skipahead" };

/** The per-packet coin in WASM: one xoshiro128** draw per packet (samplerCoinBaseline). */
function wasmCoin(interval: number): () => number {
  const w = instantiate();
  const handle = w.samplerCreate(1, interval, 7, 0, 0);
  const out = w.alloc(BATCH * 4);
  return () => w.samplerCoinBaseline(handle, BATCH, out);
}

/** The per-packet coin in TS: Math.random() per packet. */
function tsCoin(interval: number): () => number {
  const out = new Uint32Array(BATCH);
  const p = 1 / interval;
  return () => {
    let k = 0;
    for (let i = 0; i < BATCH; i++) if (Math.random() < p) out[k++] = i;
    return k;
  };
}

function referenceRun(mode: SamplerMode, interval: number): () => number {
  const reference = new ReferenceSampler({ mode, interval, seed: 7 });
  const out = new Uint32Array(BATCH);
  return () => {
    let k = 0;
    for (let i = 0; i < BATCH; i++) if (reference.decide()) out[k++] = i;
    return k;
  };
}

async function nativeRates(): Promise<{ skipped?: string; rates: Record<string, number> }> {
  const compiled = compileNative("sampler", ["-lm"]);
  if ("skipped" in compiled) return { skipped: compiled.skipped, rates: {} };
  const process = new NativeProcess(compiled.path, []);
  const rates: Record<string, number> = {};
  try {
    for (const kind of ["coin", "countdown", ...Object.values(NATIVE_KIND)]) {
      for (const interval of INTERVALS) {
        // Median of five runs (fewer packets where every packet costs work).
        const perPacket = kind === "coin" || kind === "countdown" || interval === 1;
        const packets = perPacket ? 2 ** 26 : kind === "geometric" && interval < 1000 ? 2 ** 30 : 2 ** 32;
        const samples: number[] = [];
        for (let r = 0; r < 5; r++) {
          const [ns, , decided] = (await process.ask(`${kind} ${interval} ${packets}`)).split(" ").map(Number);
          samples.push((decided! * 1e9) / ns!);
        }
        samples.sort((a, b) => a - b);
        rates[`${kind}/${interval}`] = samples[2]!;
      }
    }
  } finally {
    process.close();
  }
  return { rates };
}

/** A batch of packets over four interfaces, for the selector. */
function selectorInput(count: number) {
  const input = emptyFilterInput(count);
  const random = new Xoshiro128(3);
  for (let i = 0; i < count; i++) {
    input.ipVersion[i] = 4;
    input.src[i * 4] = (0x0a000000 | random.below(1 << 16)) >>> 0;
    input.dst[i * 4] = (0xc0000200 | random.below(256)) >>> 0;
    input.protocol[i] = [6, 17, 1][random.below(3)]!;
    input.dstPort[i] = [80, 443, 53, 8080][random.below(4)]!;
    input.tos[i] = random.below(4) << 2;
    input.interface[i] = random.below(4);
  }
  return input;
}

function configureSelector<T extends PacketSelector | ReferencePacketSelector>(selector: T): T {
  selector.samplerMap("web", { interval: 100 });
  selector.samplerMap("dns", { interval: 10 });
  selector.samplerMap("rest", { interval: 1000 });
  selector.classMap("web", { match: "all", criteria: [{ protocol: "tcp" }, { destinationPort: [80, 443] }] });
  selector.classMap("dns", { match: "all", criteria: [{ protocol: "udp" }, { destinationPort: 53 }, { source: "10.0.0.0/9" }] });
  selector.policyMap("edge", [
    { class: "web", sampler: "web" },
    { class: "dns", sampler: "dns" },
    { class: "class-default", sampler: "rest" },
  ]);
  selector.setInterface(0, { servicePolicy: "edge" });
  selector.setInterface(1, { servicePolicy: "edge" });
  selector.setInterface(2, { sampler: "web" });
  selector.setInterface(3, { flow: "full" });
  return selector;
}

export async function run(): Promise<Record<string, unknown>> {
  const native = await nativeRates();
  if (native.skipped) console.log(`native C baselines skipped: ${native.skipped}`);

  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  const out = new Uint32Array(BATCH);
  for (const interval of INTERVALS) {
    const coinWasm = await measureCase(`coin wasm N=${interval}`, wasmCoin(interval), BATCH, MEASURE);
    const coinTs = await measureCase(`coin ts N=${interval}`, tsCoin(interval), BATCH, MEASURE);
    for (const mode of SAMPLER_MODES) {
      const sampler = new Sampler({ mode, interval, seed: 7 });
      const wasm = await measureCase(`${mode} N=${interval}`, () => sampler.selectInto(BATCH, out), BATCH, MEASURE);
      const reference = await measureCase(`${mode} reference N=${interval}`, referenceRun(mode, interval), BATCH, MEASURE);
      keep(out[0]);
      const nativeSkip = native.rates[`${NATIVE_KIND[mode]}/${interval}`];
      rows.push([
        mode,
        interval,
        rate(wasm.opsPerSecond),
        rate(reference.opsPerSecond),
        ratio(wasm.opsPerSecond / reference.opsPerSecond),
        ratio(wasm.opsPerSecond / coinWasm.opsPerSecond),
        ratio(wasm.opsPerSecond / coinTs.opsPerSecond),
        nativeSkip ? ratio(wasm.opsPerSecond / nativeSkip) : "-",
      ]);
      results.push({
        mode,
        interval,
        decisionsPerSecond: wasm.opsPerSecond,
        referencePerSecond: reference.opsPerSecond,
        coinWasmPerSecond: coinWasm.opsPerSecond,
        coinTsPerSecond: coinTs.opsPerSecond,
        nativeSkipAheadPerSecond: nativeSkip ?? null,
      });
    }
  }
  printTable(
    `Decisions per second, batches of ${BATCH} packets (median of mitata samples)`,
    ["mode", "N", "wasm (skip-ahead)", "TS reference", "vs reference", "vs coin wasm", "vs coin TS", "vs native C same mode"],
    rows,
  );
  const baselineRows: (string | number)[][] = INTERVALS.map((interval) => {
    const r = results.find((x) => x.interval === interval)!;
    const n = (kind: string) => (native.rates[`${kind}/${interval}`] ? rate(native.rates[`${kind}/${interval}`]!) : "-");
    return [
      interval,
      rate(r.coinWasmPerSecond as number),
      rate(r.coinTsPerSecond as number),
      n("coin"),
      n("countdown"),
      n("window"),
      n("geometric"),
      n("every"),
      n("skipahead"),
    ];
  });
  printTable(
    "Baselines (decisions per second; native C is one process, no call boundary, batches of 65536)",
    ["N", "coin wasm", "coin TS", "C coin", "C countdown", "C random", "C bernoulli", "C deterministic", "C sflow"],
    baselineRows,
  );

  // Packet selector: input filters + per-class samplers over four interfaces.
  const input = selectorInput(BATCH);
  const selector = configureSelector(new PacketSelector({ seed: 1, maxBatch: BATCH }));
  const reference = configureSelector(new ReferencePacketSelector(1));
  // The same packets in a PacketBatch of the selector's own instance, read in place.
  const batch = selector.createBatch({ capacity: BATCH, frameBytes: 0 });
  const columns = batch.columns;
  columns.ipVersion.set(input.ipVersion);
  columns.src.set(input.src);
  columns.dst.set(input.dst);
  columns.protocol.set(input.protocol);
  columns.dstPort.set(input.dstPort);
  columns.tos.set(input.tos);
  columns.interface.set(input.interface);
  batch.length = BATCH;
  const selectorInPlace = await measureCase("selector wasm, batch in place", () => selector.selectBatch(batch), BATCH, MEASURE);
  const selectorWasm = await measureCase("selector wasm", () => selector.select(input), BATCH, MEASURE);
  const selectorReference = await measureCase("selector reference", () => reference.select(input), BATCH, MEASURE);
  printTable(
    "Packet selector (3-class policy on two interfaces, a sampler map, full NetFlow; 65,536 packets per call)",
    ["case", "packets/s", "vs reference"],
    [
      [
        "wasm, PacketBatch read in place",
        rate(selectorInPlace.opsPerSecond),
        ratio(selectorInPlace.opsPerSecond / selectorReference.opsPerSecond),
      ],
      ["wasm, columns copied in", rate(selectorWasm.opsPerSecond), ratio(selectorWasm.opsPerSecond / selectorReference.opsPerSecond)],
      ["TS reference", rate(selectorReference.opsPerSecond), ""],
    ],
  );

  const random100 = results.find((r) => r.mode === "random" && r.interval === 100)!.decisionsPerSecond as number;
  console.log(`\nrandom at N = 100: ${rate(random100)} decisions/s (target ≥ 1 G/s: ${random100 >= 1e9 ? "met" : "NOT met"})`);
  return {
    batch: BATCH,
    modes: results,
    native: native.skipped ? { skipped: native.skipped } : native.rates,
    selector: {
      inPlacePacketsPerSecond: selectorInPlace.opsPerSecond,
      wasmPacketsPerSecond: selectorWasm.opsPerSecond,
      referencePacketsPerSecond: selectorReference.opsPerSecond,
    },
  };
}
