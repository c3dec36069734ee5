// Issue 10's defect classes at the API: compressed captures, validation gaps, limits that hold.
// Each test fails on the behaviour before the fix (raw zlib/TypeError/RangeError, "null" for NaN,
// misspelled options ignored, memory taken before a CapacityError).
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ArpTable,
  CapacityError,
  CaptureFileError,
  CaptureReader,
  ConfigError,
  Core,
  Fib,
  FileError,
  FlowCache,
  InterfaceError,
  PacketBatch,
  PacketSelector,
  Sampler,
  TimeError,
  readPackets,
  readPacketsFromBytes,
  writePcap,
  writePcapng,
} from "../src/index.js";
import { readPacketFile, readPacketFileSync } from "../src/node/index.js";
import { describe as describeValue } from "../src/errors.js";
import { checkInterface, checkTime } from "../src/common/validation.js";
import { MAX_FLOW_CAPACITY } from "../src/flow/cache.js";
import { MAX_SELECT_COUNT } from "../src/sampling/sampler.js";
import { extremeTimestamps, goodPcap } from "./helpers/bad-inputs.js";

async function countPackets(batches: AsyncIterable<PacketBatch> | Iterable<PacketBatch>): Promise<number> {
  let n = 0;
  for await (const batch of batches) n += batch.length;
  return n;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

test("gzip is recognised by its magic bytes, and a damaged stream is a CaptureFileError after the packets before it", async () => {
  const pcap = goodPcap(3000);
  const gzip = gzipSync(pcap);
  const directory = mkdtempSync(join(tmpdir(), "dataplane-gzip-"));
  try {
    const named = join(directory, "capture.pcap"); // gzip data, a plain name
    writeFileSync(named, gzip);
    assert.equal(await countPackets(readPacketFile(named)), 3000);
    assert.equal(await countPackets(readPacketFileSync(named)), 3000);
    assert.equal(await countPackets(readPackets([gzip.subarray(0, 7), gzip.subarray(7)])), 3000);
    assert.equal(await countPackets(readPackets(new Blob([gzip]).stream())), 3000);
    // The sync in-memory reader cannot inflate: a typed error that says what to do.
    assert.throws(
      () => [...readPacketsFromBytes(gzip)],
      (e: unknown) => e instanceof CaptureFileError && e.code === "capture-gzip",
    );
    const cut = join(directory, "cut.pcap");
    writeFileSync(cut, gzip.subarray(0, Math.floor(gzip.length * 0.6)));
    for (const read of [() => readPacketFile(cut), () => readPacketFileSync(cut)]) {
      let delivered = 0;
      const error = await failure(async () => {
        for await (const batch of read()) delivered += batch.length;
      });
      assert.ok(error instanceof CaptureFileError && error.code === "capture-gzip", String(error));
      assert.match(error.message, /truncated .*at byte offset \d+/);
      assert.ok(delivered > 0 && delivered < 3000, `${delivered} packets before the damage`);
    }
    const corrupt = Uint8Array.from(gzip);
    for (let i = 40; i < corrupt.length - 8; i += 61) corrupt[i]! ^= 0xa5;
    const error = await failure(() => countPackets(readPackets([corrupt])));
    assert.ok(error instanceof CaptureFileError && error.code === "capture-gzip", String(error));
    const directoryError = await failure(() => countPackets(readPacketFileSync(directory)));
    assert.ok(directoryError instanceof FileError && directoryError.code === "file-directory", String(directoryError));
    const missing = await failure(() => countPackets(readPacketFile(join(directory, "none"))));
    assert.ok(missing instanceof FileError && missing.code === "file-missing", String(missing));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("pcapng timestamps out of the date range are counted and given the time before, not a crash", () => {
  let reader: CaptureReader | undefined;
  const times: number[] = [];
  for (const batch of readPacketsFromBytes(extremeTimestamps(), { onReader: (r) => (reader = r) })) times.push(...batch.column("time"));
  assert.equal(reader?.timestampsOutOfRange, 3);
  assert.deepEqual(times, [0, 0, 0]);
  for (const t of times) assert.doesNotThrow(() => new Date(t).toISOString());
});

test("messages name NaN and Infinity; wrong types and seeds are typed errors, not raw RangeError or TypeError", () => {
  assert.equal(describeValue(Number.NaN), "NaN");
  assert.equal(describeValue(Number.NEGATIVE_INFINITY), "-Infinity");
  assert.equal(describeValue({ capacity: Number.NaN }), '{"capacity":"NaN"}');
  assert.throws(() => new FlowCache({ capacity: Number.NaN }), /invalid capacity NaN/);
  assert.throws(
    () => new Fib({ seed: "x" as never }),
    (e: unknown) => e instanceof ConfigError && e.code === "seed",
  );
  assert.throws(
    () => new Core({ seed: Number.POSITIVE_INFINITY }),
    (e: unknown) => e instanceof ConfigError && /Infinity/.test(e.message),
  );
  assert.throws(
    () => [...readPacketsFromBytes("x" as never)],
    (e: unknown) => e instanceof ConfigError && e.code === "capture-bytes",
  );
  assert.throws(() => writePcap([{ time: 0, bytes: "abc" as never }], { linkType: 1 }), ConfigError);
  assert.throws(() => writePcap(5 as never, { linkType: 1 }), ConfigError);
  assert.throws(() => writePcap([], { linkType: -1 }), ConfigError);
  assert.throws(() => writePcapng([{ time: Number.NaN, bytes: new Uint8Array(1) }], [{ linkType: 1 }]), /NaN/);
  assert.throws(() => writePcapng([], "x" as never), ConfigError);
  assert.throws(() => new Sampler().select(-1), ConfigError);
  assert.throws(() => new Fib().lookupBatch([1, 2] as never, new Uint32Array(2)), ConfigError);
});

test("misspelled option names are ConfigErrors listing the valid names, at every public constructor and reader", () => {
  const misspelled: [string, () => unknown][] = [
    ["Core", () => new Core({ maxBytez: 1 } as never)],
    ["Fib", () => new Fib({ maxbytes: 1 } as never)],
    ["FlowCache", () => new FlowCache({ capcity: 10 } as never)],
    ["Sampler", () => new Sampler({ intervall: 2 } as never)],
    ["PacketSelector", () => new PacketSelector({ seeds: 1 } as never)],
    ["PacketBatch", () => new PacketBatch({ capacty: 1 } as never)],
    ["ArpTable", () => new ArpTable({ interfaces: [{ mac: "02:00:00:00:00:01" }], presentEntrys: 10 } as never)],
    ["ArpTable interfaces[0]", () => new ArpTable({ interfaces: [{ mac: "02:00:00:00:00:01", adresses: [] }] } as never)],
    ["CaptureReader", () => new CaptureReader({ maxCaptureLength: 100 } as never)],
    ["CaptureReader", () => [...readPacketsFromBytes(goodPcap(1), { capcity: 1 } as never)]],
    ["readPacketFile", () => [...readPacketFileSync("x.pcap", { onbytes: () => 0 } as never)]],
    ["writePcap", () => writePcap([], { linktype: 1 } as never)],
    ["writePcapng interface 0", () => writePcapng([], [{ linkType: 1, digits: 9 }] as never)],
  ];
  for (const [component, make] of misspelled) {
    assert.throws(
      make,
      (e: unknown) =>
        e instanceof ConfigError && e.code === "option-name" && e.message.includes(component) && /expected one of/.test(e.message),
      component,
    );
  }
});

test("one checkTime and one checkInterface: the flow cache refuses the times ARP refuses, with the same error", () => {
  const cache = new FlowCache({ capacity: 8 });
  const arp = new ArpTable({
    interfaces: [{ mac: "02:00:00:00:00:01", addresses: ["10.0.0.1/24"] }],
    nexistEntries: 64,
    maxBytes: 4 << 20,
  });
  for (const bad of [-1, -1e20, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 2, "5" as never]) {
    const same = (e: unknown) =>
      e instanceof TimeError &&
      e.code === "time" &&
      e.message ===
        (() => {
          try {
            checkTime(bad);
          } catch (error) {
            return (error as Error).message;
          }
          return "";
        })();
    assert.throws(() => cache.age(bad), same, `age(${String(bad)})`);
    assert.throws(() => cache.flush(bad), same, `flush(${String(bad)})`);
    assert.throws(() => cache.flushStep(bad), same, `flushStep(${String(bad)})`);
    assert.throws(() => arp.tick(bad), same, `arp.tick(${String(bad)})`);
  }
  assert.equal(cache.age(0), 0);
  assert.throws(
    () => arp.resolve(3, "10.0.0.9", 0),
    (e: unknown) => e instanceof InterfaceError && e.code === "interface",
  );
  assert.throws(
    () => checkInterface(1.5, 4),
    (e: unknown) => e instanceof InterfaceError && /1\.5/.test(e.message),
  );
});

test("limits hold: maxima that work, and refusals up front naming the parameter, the value and the bytes", () => {
  // A FIB whose budget cannot hold its special adjacencies is refused, not a puzzling "no adjacency".
  assert.throws(
    () => new Fib({ maxBytes: 0 }),
    (e: unknown) => e instanceof CapacityError && e.code === "fib-max-bytes",
  );
  // 1,000 interfaces of default pools need far more than the 1 GiB default: refused before allocating.
  const core = new Core();
  const before = core.wasm.memory.buffer.byteLength;
  assert.throws(
    () => new ArpTable({ core, interfaces: Array.from({ length: 1000 }, () => ({ mac: "02:00:00:00:00:01" })) }),
    (e: unknown) =>
      e instanceof CapacityError &&
      /^interfaces 1000 would need \d+ bytes/.test(e.message) &&
      (e.value as { bytes: number }).bytes > 2 ** 30,
  );
  assert.ok(core.wasm.memory.buffer.byteLength - before < 16 << 20, "memory grew before the refusal");
  // select() allocates its result (about count / interval indices): beyond 2^24 of them it is
  // refused up front.
  const sampler = new Sampler({ core, interval: 1 });
  assert.throws(
    () => sampler.select(2 ** 31),
    (e: unknown) => e instanceof CapacityError && /select count 2147483648 would need 8589934592 bytes/.test(e.message),
  );
  assert.throws(() => new Sampler({ core }).select(2 ** 31), CapacityError); // interval 100: 21,474,837 indices
  assert.equal(sampler.select(MAX_SELECT_COUNT).length, MAX_SELECT_COUNT);
  // 2^32 − 1 packets one in 1,000: about 4.3 million indices, allowed.
  const picked = new Sampler({ core, interval: 1000, mode: "deterministic" }).select(2 ** 32 - 1).length;
  assert.ok(Math.abs(picked - (2 ** 32 - 1) / 1000) <= 1, `${picked} indices`);
  assert.throws(() => new FlowCache({ capacity: MAX_FLOW_CAPACITY + 1 }), ConfigError);
  assert.throws(() => new PacketBatch({ frameBytes: 2 ** 30 }), ConfigError);
  // A component that does not fit its core names its parameter and value.
  const small = new Core({ maxBytes: 1 << 20 });
  assert.throws(
    () => new FlowCache({ core: small, capacity: 100_000 }),
    (e: unknown) => e instanceof CapacityError && /capacity and exportQueueCapacity \{"capacity":100000/.test(e.message),
  );
});

test("the documented maxima work: 2^23 flows, ArpTable pools, PacketSelector and PacketBatch sizes", () => {
  // Each on a core of its own, so that its memory goes when the core does.
  const cache = new FlowCache({ capacity: MAX_FLOW_CAPACITY, exportQueueCapacity: 1 });
  assert.equal(cache.options.capacity, MAX_FLOW_CAPACITY);
  assert.equal(cache.activeFlows, 0);
  cache.dispose();
  const arp = new ArpTable({
    interfaces: [{ mac: "02:00:00:00:00:01", addresses: ["10.0.0.1/8"] }],
    incompleteEntries: 65_536,
    nexistEntries: 1_048_576,
    presentEntries: 1_048_576,
    staticEntries: 65_536,
    queuePerEntry: 16,
    queuePerInterface: 65_536,
    requestRing: 4_000_000,
    replyRing: 1_000_000,
    seenEntries: 65_536,
  });
  assert.equal(arp.resolve(0, "10.0.0.2", 0).status, "queued");
  arp.dispose();
  const selector = new PacketSelector({ maxBatch: 1 << 20, maxSamplers: 4096 });
  selector.dispose();
  const batch = new PacketBatch({ capacity: 1 << 20, frameBytes: 1 << 29 });
  assert.equal(batch.frames.length, 1 << 29);
  batch.dispose();
});
