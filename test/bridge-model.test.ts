// Model-based runs of the bridge table: random frames, routed packets, aging, clears and clock
// steps drive the WebAssembly table (both builds) and the reference; every verdict, port,
// station, counter and the `show bridge` text must agree after every command.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type BridgeOptions, type BridgeTable, renderBridge } from "../src/index.js";
import { ReferenceBridgeTable } from "../src/reference/bridge.js";
import { BVI_MAC, BridgeRig, type Frame, wasmBridge } from "./bridge-helpers.js";

interface Pair {
  wasm: BridgeRig;
  ref: BridgeRig;
}

const MACS = ["00:11:22:33:44:01", "00:11:22:33:44:02", "00:11:22:33:44:03", "00:11:22:33:44:04", "00:11:22:33:44:05"];
const DESTINATIONS = [...MACS, BVI_MAC, "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:09", "00:00:00:00:00:00"];

const options: fc.Arbitrary<BridgeOptions> = fc
  .record({
    capacity: fc.integer({ min: 1, max: 6 }),
    agerWork: fc.integer({ min: 1, max: 3 }),
    aging1: fc.constantFrom(10_000, 20_000),
    aging2: fc.constantFrom(10_000, 300_000),
  })
  .map((o) => ({
    seed: 2,
    capacity: o.capacity,
    agerWork: o.agerWork,
    groups: [
      { group: 1, agingTime: o.aging1 },
      { group: 3, agingTime: o.aging2 },
    ],
    interfaces: [
      { name: "ATM0.1", bridgeGroup: 1 },
      { name: "ATM0.2", bridgeGroup: 1 },
      { name: "Ethernet0", bridgeGroup: 3 },
      { name: "Ethernet1", bridgeGroup: 3 },
      { name: "Serial0" },
    ],
    irb: true,
    bvis: [{ group: 1, mac: BVI_MAC }],
  }));

const frame: fc.Arbitrary<Frame> = fc.record({
  iface: fc.integer({ min: 0, max: 5 }),
  src: fc.constantFrom(...MACS, "01:00:5e:00:00:09", BVI_MAC),
  dst: fc.constantFrom(...DESTINATIONS),
  linkType: fc.constantFrom(1, 1, 1, 1, 101),
});

function compare(p: Pair): void {
  const a = p.wasm.table as BridgeTable;
  const b = p.ref.table as ReferenceBridgeTable;
  assert.deepStrictEqual(a.stations(), b.stations());
  assert.deepStrictEqual(a.counters(), b.counters());
  for (const g of [1, 3]) assert.deepStrictEqual(a.counters(g), b.counters(g));
  assert.equal(a.show({ now: p.wasm.now }), renderBridge(b.stations(), b.config, { now: p.ref.now }));
}

const commands = [
  fc.constantFrom(0, 1, 999, 5000, 10_000, 20_000, 300_000).map(
    (ms) =>
      new (class implements fc.Command<Pair, Pair> {
        check = () => true;
        run(_: Pair, p: Pair) {
          p.wasm.at(ms);
          p.ref.at(ms);
        }
        toString = () => `advance(${ms})`;
      })(),
  ),
  fc.array(frame, { minLength: 1, maxLength: 6 }).map(
    (frames) =>
      new (class implements fc.Command<Pair, Pair> {
        check = () => true;
        run(_: Pair, p: Pair) {
          assert.deepStrictEqual(p.wasm.send(frames), p.ref.send(frames));
          compare(p);
        }
        toString = () => `send(${JSON.stringify(frames)})`;
      })(),
  ),
  fc.tuple(fc.constantFrom(1, 2, 3), fc.constantFrom(...DESTINATIONS)).map(
    ([group, mac]) =>
      new (class implements fc.Command<Pair, Pair> {
        check = () => true;
        run(_: Pair, p: Pair) {
          assert.deepStrictEqual(p.wasm.route(group, mac), p.ref.route(group, mac));
          compare(p);
        }
        toString = () => `route(${group}, ${mac})`;
      })(),
  ),
  fc.constant(
    new (class implements fc.Command<Pair, Pair> {
      check = () => true;
      run(_: Pair, p: Pair) {
        assert.equal(p.wasm.table.age(p.wasm.now), p.ref.table.age(p.ref.now));
        compare(p);
      }
      toString = () => "age";
    })(),
  ),
  fc.option(fc.constantFrom(1, 3), { nil: undefined }).map(
    (group) =>
      new (class implements fc.Command<Pair, Pair> {
        check = () => true;
        run(_: Pair, p: Pair) {
          assert.equal(p.wasm.table.clear(group), p.ref.table.clear(group));
          compare(p);
        }
        toString = () => `clear(${group})`;
      })(),
  ),
];

for (const variant of ["release", "debug"]) {
  test(`model-based: the bridge table in WebAssembly (${variant}) and the reference agree`, () => {
    fc.assert(
      fc.property(options, fc.commands(commands, { size: "max", maxCommands: 150 }), (o, cmds) => {
        const pair: Pair = { wasm: new BridgeRig(wasmBridge(o, variant)), ref: new BridgeRig(new ReferenceBridgeTable(o)) };
        fc.modelRun(() => ({ model: pair, real: pair }), cmds);
        compare(pair);
        (pair.wasm.table as BridgeTable).dispose();
      }),
      { numRuns: variant === "release" ? 60 : 20 },
    );
  });
}
