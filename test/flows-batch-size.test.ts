// Results never depend on batching (issue 10): a capture run through the flow cache in capture
// time (CaptureTimeAger, what `dataplane flows` does) gives the same flows, end reasons, expiry
// times, record order and counters whether it is read 1, 7, 4,096 or 65,536 packets at a time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { FlowCache } from "../src/flow/cache.js";
import { CaptureTimeAger } from "../src/flow/capture-time.js";
import type { ExpiredFlow } from "../src/flow/record.js";
import { readPacketsFromBytes } from "../src/packet/reader.js";
import { writePcap } from "../src/packet/writer.js";

const BATCH_SIZES = [1, 7, 4096, 65536];

/** An Ethernet/IPv4 TCP or UDP frame between a few hosts and ports. */
function frame(p: { src: number; dst: number; tcp: boolean; port: number; fin: boolean }): Uint8Array {
  const bytes = new Uint8Array(p.tcp ? 54 : 42);
  bytes.set([0, 0, 0x0c, 0, 0, 1, 0, 0, 0x0c, 0, 0, 2, 0x08, 0x00], 0);
  const length = bytes.length - 14;
  bytes.set([0x45, 0, length >> 8, length & 255, 0, 0, 0, 0, 64, p.tcp ? 6 : 17, 0, 0, 10, 0, 0, p.src, 10, 0, 1, p.dst], 14);
  bytes.set([(40000 + p.port) >> 8, (40000 + p.port) & 255, 0, 80], 34);
  if (p.tcp) bytes.set([0, 0, 0, 0, 0, 0, 0, 0, 0x50, p.fin ? 0x11 : 0x10, 0xff, 0xff], 38);
  else bytes.set([0, 8, 0, 0], 38);
  return bytes;
}

const capture = fc.array(
  fc.record({
    // Mostly packets close together, some seconds apart, a few long gaps (idle flows end).
    gap: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max: 400 }) },
      { weight: 3, arbitrary: fc.integer({ min: 400, max: 20_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 20_000, max: 400_000 }) },
      { weight: 1, arbitrary: fc.constant(3e9) },
    ),
    src: fc.integer({ min: 1, max: 4 }),
    dst: fc.integer({ min: 1, max: 3 }),
    tcp: fc.boolean(),
    port: fc.integer({ min: 0, max: 3 }),
    fin: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  }),
  { minLength: 1, maxLength: 1500 },
);

const settings = fc.record({
  capacity: fc.integer({ min: 2, max: 40 }),
  exportQueueCapacity: fc.integer({ min: 1, max: 24 }),
  inactiveTimeout: fc.integer({ min: 1, max: 40 }).map((s) => s * 1000),
  activeTimeout: fc.integer({ min: 2, max: 200 }).map((s) => s * 1000 + 500),
  agerBatch: fc.integer({ min: 1, max: 40 }),
});

type Settings = { capacity: number; exportQueueCapacity: number; inactiveTimeout: number; activeTimeout: number; agerBatch: number };

function pcapOf(packets: { gap: number; src: number; dst: number; tcp: boolean; port: number; fin: boolean }[]): Uint8Array {
  let time = 1.6e12;
  return writePcap(
    packets.map((p) => {
      time += p.gap;
      return { time, bytes: frame(p) };
    }),
    { linkType: 1 },
  );
}

/**
 * `empty`: every drain empties the queue. `room`: a drain takes off only what the ager asks room
 * for, and nothing between batches (a paced export that lets the queue fill).
 */
type DrainMode = "empty" | "room";

function runCapture(file: Uint8Array, s: Settings, batchSize: number, mode: DrainMode = "empty") {
  const cache = new FlowCache({ ...s, agerBatch: Math.min(s.agerBatch, s.capacity), seed: 7 });
  const flows: ExpiredFlow[] = [];
  const capacity = s.exportQueueCapacity;
  const drain =
    mode === "empty"
      ? () => flows.push(...cache.drain())
      : (room: number) => {
          assert.ok(room >= 1 && room <= capacity, `room ${room} of ${capacity}`);
          const short = room - (capacity - cache.queuedFlows);
          if (short > 0) flows.push(...cache.drain(short));
        };
  const ager = new CaptureTimeAger(cache, drain);
  for (const batch of readPacketsFromBytes(file, { core: cache.core, capacity: batchSize })) ager.update(batch);
  ager.finish();
  assert.equal(cache.queuedFlows, 0, "finish leaves the queue empty");
  const counters = cache.counters();
  cache.dispose();
  return { flows, counters };
}

test("flows, end reasons, expiry times, order and counters do not depend on the batch size (random captures and timeouts)", () => {
  fc.assert(
    fc.property(capture, settings, (packets, s) => {
      const file = pcapOf(packets);
      const [first, ...rest] = BATCH_SIZES.map((size) => runCapture(file, s, size));
      assert.equal(first!.counters.packetsIn, packets.length);
      for (const other of rest) assert.deepEqual(other, first);
    }),
    { numRuns: 60 },
  );
});

test("a drain that leaves records queued (only the room the ager asks for) gives the same flows as one that empties the queue", () => {
  fc.assert(
    fc.property(capture, settings, fc.constantFrom(...BATCH_SIZES), (packets, s, size) => {
      const file = pcapOf(packets);
      const emptied = runCapture(file, s, size, "empty");
      const kept = runCapture(file, s, size, "room");
      assert.equal(kept.counters.packetsIn, packets.length);
      assert.deepEqual(kept, emptied);
    }),
    { numRuns: 60 },
  );
});

test("a flow idle for 100 s ends inactive whether the capture has 102 packets or 10,001", () => {
  for (const total of [102, 10_001]) {
    const packets = [{ gap: 0, src: 1, dst: 1, tcp: false, port: 0, fin: false }];
    packets.push({ gap: 100_000, src: 2, dst: 2, tcp: false, port: 1, fin: false });
    while (packets.length < total) packets.push({ gap: 1, src: 2, dst: 2, tcp: false, port: 1, fin: false });
    const { flows } = runCapture(
      pcapOf(packets),
      { capacity: 64, exportQueueCapacity: 64, inactiveTimeout: 15_000, activeTimeout: 1_800_000, agerBatch: 16 },
      4096,
    );
    const idle = flows.find((f) => f.srcPort === 40000);
    assert.equal(idle?.endReason, "inactive", `${total} packets`);
    assert.equal(flows.find((f) => f.srcPort === 40001)?.endReason, "flush");
  }
});

test("dataplane flows --json prints the same flows for --batch-size 1, 7, 4096 and 65536", () => {
  const [packets] = fc.sample(capture, { seed: 11, numRuns: 1 });
  const directory = mkdtempSync(join(tmpdir(), "dataplane-batch-"));
  try {
    const path = join(directory, "capture.pcap");
    writeFileSync(path, pcapOf(packets!));
    const outputs = BATCH_SIZES.map((size) => {
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli/main.ts",
          "flows",
          path,
          "--json",
          "--capacity",
          "16",
          "--inactive-timeout",
          "5",
          "--batch-size",
          String(size),
        ],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split("\n");
      const summary = JSON.parse(lines.pop()!).summary;
      // Probe lengths depend on the hash key, random in each run (the CLI takes no seed): not on batching.
      const { probes: _probes, longestProbe: _longest, ...counters } = summary.counters;
      return { lines, counters, packets: summary.packets };
    });
    assert.equal(outputs[0]!.packets, packets!.length);
    assert.ok(outputs[0]!.lines.length > 1);
    for (const other of outputs.slice(1)) assert.deepEqual(other, outputs[0]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
