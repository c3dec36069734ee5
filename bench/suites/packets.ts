/**
 * Packet input: parse rate from a classic pcap file held in memory, for 64-byte TCP/UDP frames
 * (Ethernet/IPv4). Cases, all on the same bytes in one run:
 *   - dataplane: the streaming reader (frame area copy, pcap records indexed in WebAssembly,
 *     frames parsed in WebAssembly), i.e. pcap bytes → parsed PacketBatch columns;
 *   - dataplane from a file: the same file in the page cache, read by readPacketFileSync
 *     straight into the frame area (no copy in JavaScript);
 *   - dataplane parse only: WebAssembly parsing of frames already in a batch;
 *   - TS reference: the reference capture reader plus the reference frame parser;
 *   - pcap-parser (npm): the best pcap reader on npm, which only splits records (no parsing);
 *   - TS record reader: our reference capture reader, records only.
 * Also: the bytes the streaming reader held while reading (bounded by its frame area).
 */

import { Readable } from "node:stream";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPacketFileSync } from "../../src/node/capture-file.js";
import { createRequire } from "node:module";
import { CaptureReader } from "../../src/packet/reader.js";
import { writePcap, type CaptureRecord } from "../../src/packet/writer.js";
import { referenceReadCapture } from "../../src/reference/capture-file.js";
import { referenceParse } from "../../src/reference/packet-parser.js";
import { Xoshiro128 } from "../../src/common/random.js";
import { measureCase, printTable, rate, ratio, keep, type CaseResult } from "../lib/measure.js";

const PACKETS = 200_000;

/**
 * Packets per CPU-second (user + system time of this process), median of 7 runs of ~300 ms:
 * on a shared machine this moves less than wall time when other processes take the cores.
 */
async function cpuRate(fn: () => unknown, packetsPerCall: number): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run < 7; run++) {
    const start = process.cpuUsage();
    const began = performance.now();
    let calls = 0;
    while (performance.now() - began < 300) {
      await fn();
      calls++;
    }
    const used = process.cpuUsage(start);
    rates.push((calls * packetsPerCall * 1e6) / (used.user + used.system));
  }
  rates.sort((a, b) => a - b);
  return rates[3]!;
}

/** A 64-byte Ethernet/IPv4 TCP (54 + 10 payload) or UDP (42 + 22 payload) frame. */
function frame(random: Xoshiro128): Uint8Array {
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x02000000);
  view.setUint16(4, random.next() & 0xffff);
  view.setUint32(6, 0x02000001);
  view.setUint16(10, random.next() & 0xffff);
  view.setUint16(12, 0x0800);
  const udp = (random.next() & 3) === 0;
  view.setUint16(14, 0x4500);
  view.setUint16(16, 50);
  view.setUint16(18, random.next() & 0xffff);
  view.setUint16(20, 0x4000);
  bytes[22] = 64;
  bytes[23] = udp ? 17 : 6;
  view.setUint32(26, 0xc6120000 | (random.next() & 0x1ffff)); // 198.18.0.0/15
  view.setUint32(30, 0xc6120000 | (random.next() & 0x1ffff));
  view.setUint16(34, 1024 + (random.next() % 60000));
  view.setUint16(36, [80, 443, 53, 22][random.next() & 3]!);
  if (udp) view.setUint16(38, 30);
  else {
    view.setUint16(46, 0x5000 | [0x02, 0x10, 0x18, 0x11][random.next() & 3]!);
  }
  return bytes;
}

/** The bench capture: PACKETS frames at 1 Mpps of capture time. */
export function benchCapture(count = PACKETS, seed = 1): Uint8Array {
  const random = new Xoshiro128(seed);
  const records: CaptureRecord[] = [];
  for (let i = 0; i < count; i++) records.push({ time: 1.7e12 + i / 1000, bytes: frame(random) });
  return writePcap(records, { linkType: 1 });
}

export async function run(): Promise<Record<string, unknown>> {
  const file = benchCapture();
  console.log(`capture: ${PACKETS} Ethernet/IPv4 TCP+UDP frames of 64 bytes, ${(file.length / 1e6).toFixed(1)} MB classic pcap in memory`);

  const reader = new CaptureReader();
  const readAll = (): number => {
    reader.reset();
    let n = 0;
    for (const batch of reader.push(file)) n += batch.length;
    for (const batch of reader.end()) n += batch.length;
    return n;
  };
  if (readAll() !== PACKETS) throw new Error("reader lost packets");
  const statuses = reader.batch.statusCounts();

  // Frames already in a batch: parse only.
  const parseReader = new CaptureReader({ parse: false, capacity: 4096 });
  const first = parseReader.push(file).next().value!;
  const parseOnly = () => first.parse();

  const reference = () => {
    const capture = referenceReadCapture(file);
    let ok = 0;
    for (const record of capture.records) ok += referenceParse(record.bytes, record.linkType, record.wireLength).status === 0 ? 1 : 0;
    return ok;
  };
  const recordsOnly = () => referenceReadCapture(file).records.length;

  const require = createRequire(import.meta.url);
  const pcapParser = require("pcap-parser") as { parse(input: NodeJS.ReadableStream): NodeJS.EventEmitter };
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const peer = () =>
    new Promise<number>((resolve, reject) => {
      let n = 0;
      const parser = pcapParser.parse(Readable.from([buffer]));
      parser.on("packet", () => n++);
      parser.on("end", () => resolve(n));
      parser.on("error", reject);
    });
  if ((await peer()) !== PACKETS) throw new Error("pcap-parser lost packets");

  const directory = mkdtempSync(join(tmpdir(), "dataplane-bench-"));
  const path = join(directory, "bench.pcap");
  writeFileSync(path, file);
  let fileBuffer = 0;
  const readFile = () => {
    let n = 0;
    for (const batch of readPacketFileSync(path)) {
      n += batch.length;
      fileBuffer = batch.frameBytes;
    }
    return n;
  };
  if (readFile() !== PACKETS) throw new Error("file reader lost packets");

  const cases: CaseResult[] = [];
  cases.push(await measureCase("dataplane: pcap bytes in memory → parsed batch", () => keep(readAll()), PACKETS));
  cases.push(await measureCase("dataplane: pcap file (page cache) → parsed batch, readPacketFileSync", () => keep(readFile()), PACKETS));
  cases.push(await measureCase("dataplane: parse only (frames already in a batch)", () => keep(parseOnly()), first.length));
  cases.push(await measureCase("TS reference: record reader + frame parser", () => keep(reference()), PACKETS, { minCpuMs: 1500 }));
  cases.push(await measureCase("TS reference: record reader only (no parsing)", () => keep(recordsOnly()), PACKETS));
  cases.push(await measureCase("pcap-parser 0.2.1 (npm): records only (no parsing)", () => peer(), PACKETS, { minCpuMs: 1500 }));

  const functions = [() => readAll(), () => readFile(), () => parseOnly(), () => reference(), () => recordsOnly(), () => peer()];
  const perCpuSecond: number[] = [];
  for (const [k, fn] of functions.entries()) perCpuSecond.push(await cpuRate(fn, cases[k]!.opsPerCall));
  rmSync(directory, { recursive: true, force: true });
  const ours = cases[0]!.opsPerSecond;
  printTable(
    "parse rate, 64-byte frames from an in-memory pcap (wall: mitata p50; CPU: median packets per CPU-second)",
    ["case", "packets/s", "ns/packet", "dataplane ×", "per CPU-s", "dataplane ×"],
    cases.map((c, k) => [
      c.name,
      rate(c.opsPerSecond),
      (1e9 / c.opsPerSecond).toFixed(1),
      ratio(ours / c.opsPerSecond),
      rate(perCpuSecond[k]!),
      ratio(perCpuSecond[0]! / perCpuSecond[k]!),
    ]),
  );
  console.log(
    `\nstatuses: ${JSON.stringify(statuses)}; reader buffer high-water ${reader.bufferHighWater} bytes (frame area ${reader.batch.frameBytes}; file reader ${fileBuffer}), WebAssembly memory ${reader.batch.wasm.memory.buffer.byteLength} bytes, file ${file.length} bytes`,
  );
  return {
    packets: PACKETS,
    fileBytes: file.length,
    readerBufferBytes: reader.bufferHighWater,
    wasmMemoryBytes: reader.batch.wasm.memory.buffer.byteLength,
    cases: Object.fromEntries(
      cases.map((c, k) => [
        c.name,
        { packetsPerSecond: c.opsPerSecond, nsPerPacket: 1e9 / c.opsPerSecond, packetsPerCpuSecond: perCpuSecond[k] },
      ]),
    ),
    ratios: {
      vsReference: ours / cases[3]!.opsPerSecond,
      vsPcapParser: ours / cases[5]!.opsPerSecond,
      vsTsRecordReader: ours / cases[4]!.opsPerSecond,
    },
  };
}
