// The streaming capture reader against the whole-file reference reader: generated pcap and
// pcapng files (both byte orders, µs/ns, several interfaces), fed in chunks of random sizes
// through a small batch, then the same files with corrupted headers, records and block
// lengths; and the bound on memory while reading a large stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Readable } from "node:stream";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CaptureReader, CaptureFileError, readPackets, readPacketsFromBytes, type CaptureReaderOptions } from "../src/index.js";
import { readPacketFile, readPacketFileSync } from "../src/node/capture-file.js";
import { writePcap, writePcapng, type CaptureRecord } from "../src/packet/writer.js";
import { referenceReadCapture } from "../src/reference/capture-file.js";
import { validFrame, anyFrame } from "./helpers/frames.js";

interface Seen {
  time: number;
  interface: number;
  linkType: number;
  wireLength: number;
  bytes: string;
}

/** Streams `bytes` in the given chunk sizes; returns what came out, and the error if any. */
function stream(
  bytes: Uint8Array,
  chunkSizes: number[],
  options: CaptureReaderOptions,
  direct = false,
): { seen: Seen[]; error?: { code: string; offset: number } } {
  const reader = new CaptureReader({ parse: false, ...options });
  const seen: Seen[] = [];
  const take = (): void => {
    const b = reader.batch;
    const c = b.columns;
    for (let i = 0; i < b.length; i++) {
      seen.push({
        time: c.time[i]!,
        interface: c.interface[i]!,
        linkType: c.linkType[i]!,
        wireLength: c.wireLength[i]!,
        bytes: Buffer.from(b.frame(i)).toString("hex"),
      });
    }
  };
  try {
    let at = 0;
    let k = 0;
    while (at < bytes.length) {
      const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
      if (direct) {
        // As a file read does it: straight into the frame area, then commit.
        const rooms = reader.room();
        let step = rooms.next();
        while (!step.done) {
          take();
          step = rooms.next();
        }
        const n = Math.min(step.value.length, size, bytes.length - at);
        step.value.set(bytes.subarray(at, at + n));
        for (const _ of reader.commit(n)) take();
        at += n;
      } else {
        for (const _ of reader.push(bytes.subarray(at, at + size))) take();
        at += size;
      }
    }
    for (const _ of reader.end()) take();
    assert.ok(reader.bufferHighWater <= reader.batch.frameBytes);
    return { seen };
  } catch (error) {
    if (!(error instanceof CaptureFileError)) throw error;
    return { seen, error: { code: error.code, offset: error.offset } };
  }
}

function reference(bytes: Uint8Array, maxCaptured: number, maxBlock: number): { seen: Seen[]; error?: { code: string; offset: number } } {
  const result = referenceReadCapture(bytes, maxCaptured, maxBlock);
  const seen = result.records.map((r) => ({
    time: r.time,
    interface: r.interface,
    linkType: r.linkType,
    wireLength: r.wireLength,
    bytes: Buffer.from(r.bytes).toString("hex"),
  }));
  return result.error ? { seen, error: result.error } : { seen };
}

const record = (interfaces: number, blocks = false): fc.Arbitrary<CaptureRecord> =>
  fc.record({
    time: fc.integer({ min: 0, max: 4_000_000_000_000 }).chain((ms) => fc.nat(999_999).map((us) => ms + us / 1000)),
    bytes: fc.uint8Array({ maxLength: 300 }),
    wireLength: fc.nat(2000),
    interface: fc.nat(interfaces - 1),
    block: blocks
      ? fc.constantFrom("enhanced" as const, "enhanced" as const, "simple" as const, "obsolete" as const)
      : fc.constant("enhanced" as const),
  });

const captureFile = fc.oneof(
  fc
    .record({
      records: fc.array(record(1), { maxLength: 30 }),
      linkType: fc.constantFrom(1, 101, 113, 0),
      nanoseconds: fc.boolean(),
      bigEndian: fc.boolean(),
    })
    .map((f) => writePcap(f.records, { linkType: f.linkType, nanoseconds: f.nanoseconds, bigEndian: f.bigEndian })),
  fc
    .integer({ min: 1, max: 4 })
    .chain((n) =>
      fc.record({
        records: fc.array(record(n, true), { maxLength: 30 }),
        interfaces: fc.array(fc.record({ linkType: fc.constantFrom(1, 101, 113, 276, 0), timestampDigits: fc.constantFrom(6, 9, 3) }), {
          minLength: n,
          maxLength: n,
        }),
        bigEndian: fc.boolean(),
      }),
    )
    .map((f) => writePcapng(f.records, f.interfaces, { bigEndian: f.bigEndian })),
);

const chunks = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 });
const SMALL: CaptureReaderOptions = { capacity: 5, maxCapturedLength: 400, frameBytes: 400 + 1024 };

test("streamed in any chunks through a small batch, the reader yields exactly the reference's records", () => {
  fc.assert(
    fc.property(captureFile, chunks, fc.boolean(), (bytes, sizes, direct) => {
      assert.deepEqual(stream(bytes, sizes, SMALL, direct), reference(bytes, 400, 1424));
    }),
  );
});

type Damage = { kind: "u32"; at: number; value: number } | { kind: "byte"; at: number; value: number } | { kind: "cut"; at: number };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({
    kind: fc.constant("u32" as const),
    at: fc.nat(),
    value: fc.oneof(fc.nat(0xffffffff), fc.nat(64), fc.constantFrom(0, 12, 28, 32, 0x10000, 0xffffffff)),
  }),
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
);

test("corrupt headers, records and block lengths: same packets, then the same error at the same offset", () => {
  fc.assert(
    fc.property(
      captureFile,
      fc.array(damage, { minLength: 1, maxLength: 3 }),
      chunks,
      fc.boolean(),
      fc.boolean(),
      (original, damages, sizes, headersOnly, direct) => {
        let bytes = Uint8Array.from(original);
        for (const d of damages) {
          if (bytes.length === 0) break;
          // Aim at the first 64 bytes (file header, SHB, IDBs) half of the time.
          const at = (headersOnly ? d.at % 64 : d.at) % bytes.length;
          if (d.kind === "cut") bytes = bytes.slice(0, at);
          else if (d.kind === "byte") bytes[at] = d.value;
          else if (at + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(at, d.value, (d.at & 1) === 0);
        }
        assert.deepEqual(stream(bytes, sizes, SMALL, direct), reference(bytes, 400, 1424));
      },
    ),
  );
});

test("a pcapng block too large to hold is skipped when it is not a packet, refused when it is", () => {
  const file = writePcapng([{ time: 1, bytes: new Uint8Array(10) }], [{ linkType: 1 }]);
  // A large custom block (type 0xBAD) between the IDB and the packet.
  const custom = new Uint8Array(5000);
  const view = new DataView(custom.buffer);
  view.setUint32(0, 0xbad, true);
  view.setUint32(4, 5000, true);
  view.setUint32(4996, 5000, true);
  const at = 28 + 32;
  const bytes = new Uint8Array([...file.subarray(0, at), ...custom, ...file.subarray(at)]);
  const result = stream(bytes, [97], SMALL);
  assert.deepEqual(stream(bytes, [97], SMALL, true), result);
  assert.equal(result.error, undefined);
  assert.equal(result.seen.length, 1);
  assert.deepEqual(result, reference(bytes, 400, 1424));
  const big = writePcapng([{ time: 1, bytes: new Uint8Array(2000) }], [{ linkType: 1 }]);
  assert.deepEqual(stream(big, [300], { ...SMALL, maxCapturedLength: 4000, frameBytes: 5024 }).error, undefined);
  const refused = stream(big, [300], SMALL);
  assert.equal(refused.error?.code, "pcapng-block-too-large");
  assert.equal(refused.error?.offset, 60);
});

test("the same packets give the same times from pcap (µs, ns, either byte order) and pcapng", () => {
  const records: CaptureRecord[] = [
    { time: 1353690039425.111, bytes: Uint8Array.of(1, 2, 3) },
    { time: 1700000000000.5, bytes: Uint8Array.of(4) },
    { time: 0, bytes: new Uint8Array(0) },
  ];
  const files = [
    writePcap(records, { linkType: 1 }),
    writePcap(records, { linkType: 1, bigEndian: true }),
    writePcap(records, { linkType: 1, nanoseconds: true }),
    writePcapng(records, [{ linkType: 1 }]),
    writePcapng(records, [{ linkType: 1, timestampDigits: 9 }], { bigEndian: true }),
  ];
  for (const file of files) {
    const times: number[] = [];
    for (const batch of readPacketsFromBytes(file)) times.push(...batch.column("time"));
    assert.deepEqual(
      times,
      records.map((r) => r.time),
    );
  }
});

test("errors name the problem and the byte offset, after the packets before it", () => {
  const good = writePcap(
    [
      { time: 5, bytes: new Uint8Array(60) },
      { time: 6, bytes: new Uint8Array(60) },
    ],
    { linkType: 1 },
  );
  const cut = good.subarray(0, good.length - 10);
  const seen: number[] = [];
  assert.throws(
    () => {
      for (const batch of readPacketsFromBytes(cut)) seen.push(batch.length);
    },
    (e: unknown) =>
      e instanceof CaptureFileError && e.code === "capture-truncated" && e.offset === 24 + 76 && /byte offset 100/.test(e.message),
  );
  assert.deepEqual(seen, [1]);
  assert.throws(
    () => [...readPacketsFromBytes(Uint8Array.of(1, 2, 3, 4, 5))],
    (e: unknown) => e instanceof CaptureFileError && e.code === "capture-magic",
  );
  assert.throws(
    () => [...readPacketsFromBytes(new Uint8Array(0))],
    (e: unknown) => e instanceof CaptureFileError && e.code === "capture-too-short",
  );
  const huge = Uint8Array.from(good);
  new DataView(huge.buffer).setUint32(24 + 8, 10_000_000, true);
  assert.throws(
    () => [...readPacketsFromBytes(huge)],
    (e: unknown) => e instanceof CaptureFileError && e.code === "pcap-record-too-large" && e.offset === 24,
  );
});

test("reading a large stream holds one frame area, and WebAssembly memory does not grow", async () => {
  const frame = new Uint8Array(60).fill(7);
  const block = writePcap(
    Array.from({ length: 1000 }, (_, i) => ({ time: i, bytes: frame })),
    { linkType: 1 },
  );
  const body = block.subarray(24);
  const copies = 600; // 600 × 76 kB ≈ 46 MB streamed
  async function* source(): AsyncGenerator<Uint8Array> {
    yield block.subarray(0, 24);
    for (let i = 0; i < copies; i++) yield body;
  }
  const reader = new CaptureReader({ capacity: 2048, frameBytes: 1 << 20 });
  let memory = 0;
  let packets = 0;
  for await (const chunk of source()) {
    for (const batch of reader.push(chunk)) {
      packets += batch.length;
      if (memory === 0) memory = batch.wasm.memory.buffer.byteLength;
      assert.equal(batch.wasm.memory.buffer.byteLength, memory);
    }
  }
  for (const batch of reader.end()) packets += batch.length;
  assert.equal(packets, copies * 1000);
  assert.ok(reader.bufferHighWater <= 1 << 20, `held ${reader.bufferHighWater} bytes`);
  assert.equal(reader.bytesRead, 24 + copies * body.length);
});

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

test("files by path (plain and gzip), Node streams and web streams give the same packets", async () => {
  const records = Array.from({ length: 5000 }, (_, i) => ({
    time: 1e12 + i / 7,
    bytes: Uint8Array.of(i & 255, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00),
  }));
  const file = writePcapng(records, [{ linkType: 1 }]);
  const directory = mkdtempSync(join(tmpdir(), "dataplane-capture-"));
  try {
    writeFileSync(join(directory, "a.pcapng"), file);
    writeFileSync(join(directory, "a.pcapng.gz"), gzipSync(file));
    const collect = async (batches: AsyncIterable<{ column(name: "time"): Float64Array; statusCounts(): Record<string, number> }>) => {
      const times: number[] = [];
      let counts = {};
      for await (const batch of batches) {
        times.push(...batch.column("time"));
        counts = batch.statusCounts();
      }
      return { times, counts };
    };
    const expected = await collect(readPackets([file]));
    assert.equal(expected.times.length, 5000);
    assert.deepEqual(expected.counts, { "truncated-ip-header": 5000 });
    assert.deepEqual(await collect(readPacketFile(join(directory, "a.pcapng"))), expected);
    assert.deepEqual(await collect(readPacketFile(join(directory, "a.pcapng.gz"))), expected);
    assert.deepEqual(await collect(toAsync(readPacketFileSync(join(directory, "a.pcapng")))), expected);
    // gzip is recognised by its magic bytes, by the sync reader too (inflated as it streams).
    assert.deepEqual(await collect(toAsync(readPacketFileSync(join(directory, "a.pcapng.gz")))), expected);
    assert.deepEqual(await collect(readPackets(Readable.from([file.subarray(0, 999), file.subarray(999)]))), expected);
    assert.deepEqual(await collect(readPackets(new Blob([Uint8Array.from(file)]).stream())), expected);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("classic pcap packets parsed while indexed get the same columns as parsing the batch afterwards", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(validFrame, anyFrame), { maxLength: 40 }),
      fc.constantFrom(1, 101, 113, 0, 276),
      fc.boolean(),
      (frames, linkType, bigEndian) => {
        const file = writePcap(
          frames.map((f, i) => ({ time: i, bytes: f.bytes, wireLength: f.wireLength })),
          { linkType, bigEndian },
        );
        const rows = (parse: boolean): unknown[] => {
          const out: unknown[] = [];
          for (const batch of readPacketsFromBytes(file, { parse, capacity: 7 })) {
            if (!parse) batch.parse();
            for (const packet of batch) out.push(packet);
            out.push(
              Array.from(batch.column("vlanInner")),
              Array.from(batch.column("arpTargetAddress")),
              Array.from(batch.column("l4Offset")),
            );
          }
          return out;
        };
        assert.deepEqual(rows(true), rows(false));
      },
    ),
  );
});
