// IP accounting in WebAssembly against the reference (src/reference/ip-accounting.ts), as a model
// test: random runs of "packets arrive" / "clear ip accounting" with a manual clock and a small
// threshold, both tables (active and checkpoint) compared after every step; and the display of
// the seed's surviving numbers (spec §3.2).

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { IpAccounting } from "../src/analysis/ip-accounting.js";
import { ReferenceIpAccounting } from "../src/reference/ip-accounting.js";
import { renderIpAccounting } from "../src/show/ip-accounting.js";
import { PacketBatch } from "../src/packet/batch.js";
import { withDebugBuild } from "./helpers/wasm.js";

const ADDRESSES = ["10.0.0.1", "10.0.0.2", "192.0.2.9", "2001:db8::1", "2001:db8::2"];

interface Arrival {
  kind: "packets";
  packets: { src: number; dst: number; length: number; ip: boolean; selected: boolean }[];
}
interface Clear {
  kind: "clear";
  after: number;
}

const arrival: fc.Arbitrary<Arrival> = fc.record({
  kind: fc.constant("packets" as const),
  packets: fc.array(
    fc.record({
      src: fc.nat(ADDRESSES.length - 1),
      dst: fc.nat(ADDRESSES.length - 1),
      length: fc.integer({ min: 20, max: 65535 }),
      ip: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      selected: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
    { maxLength: 40 },
  ),
});
const clear: fc.Arbitrary<Clear> = fc.record({ kind: fc.constant("clear" as const), after: fc.integer({ min: 0, max: 600_000 }) });

/** Pairs of one family only: an IPv4 source with an IPv6 destination is not a packet. */
function family(i: number): 4 | 6 {
  return ADDRESSES[i]!.includes(":") ? 6 : 4;
}

function run(threshold: number, steps: (Arrival | Clear)[]): void {
  let now = 1_000_000;
  const real = new IpAccounting({ threshold, seed: 5 }, now);
  const model = new ReferenceIpAccounting(threshold, now);
  const batch = new PacketBatch({ core: real.core, capacity: 64 });
  try {
    for (const step of steps) {
      if (step.kind === "clear") {
        now += step.after;
        real.clear(now);
        model.clear(now);
      } else {
        batch.clear();
        const selection = new Uint8Array(step.packets.length);
        step.packets.forEach((p, i) => {
          const dst = family(p.dst) === family(p.src) ? p.dst : p.src;
          if (p.ip) batch.push({ src: ADDRESSES[p.src]!, dst: ADDRESSES[dst]!, protocol: "tcp", ipLength: p.length });
          else batch.push({ ipVersion: 0, arpOperation: 1 });
          selection[i] = p.selected ? 1 : 0;
          if (p.selected) {
            model.account(
              p.ip
                ? { ipVersion: family(p.src), src: ADDRESSES[p.src]!, dst: ADDRESSES[dst]!, length: p.length }
                : { ipVersion: 0, src: "", dst: "", length: 0 },
            );
          }
        });
        real.update(batch, selection);
      }
      assert.deepEqual(real.table(false), model.table(false));
      assert.deepEqual(real.table(true), model.table(true));
      assert.equal(real.notIp, model.notIp);
      assert.deepEqual(renderIpAccounting(real.table(), now + 90_000), renderIpAccounting(model.table(), now + 90_000));
    }
  } finally {
    batch.dispose();
    real.dispose();
  }
}

const runs = fc.tuple(
  fc.integer({ min: 1, max: 8 }),
  fc.array(fc.oneof({ weight: 4, arbitrary: arrival }, { weight: 1, arbitrary: clear }), { maxLength: 12 }),
);

test("IP accounting: WebAssembly equals the reference under a small threshold, across clears (manual clock)", () => {
  fc.assert(
    fc.property(runs, ([threshold, steps]) => run(threshold, steps)),
    { numRuns: 150 },
  );
});

test("IP accounting: the debug build too", async () => {
  await withDebugBuild(() =>
    fc.assert(
      fc.property(runs, ([threshold, steps]) => run(threshold, steps)),
      { numRuns: 30 },
    ),
  );
});

test("show ip accounting: the seed's rows (packets, bytes) in its columns, the default threshold of 512 and the data age", () => {
  const pairs = [
    [2, 96],
    [1, 48],
    [1, 48],
    [2, 96],
    [3, 213],
    [1, 48],
    [1, 48],
    [2, 96],
    [2, 96],
    [2, 96],
    [3, 204],
    [2, 96],
    [2, 96],
    [2, 96],
    [2, 96],
    [2, 96],
  ];
  const accounting = new IpAccounting({}, 0);
  const batch = new PacketBatch({ core: accounting.core, capacity: 64 });
  try {
    assert.equal(accounting.threshold, 512);
    pairs.forEach(([packets, bytes], i) => {
      for (let k = 0; k < packets!; k++) {
        const length = Math.floor(bytes! / packets!) + (k < bytes! % packets! ? 1 : 0);
        batch.push({ src: `10.1.1.${i + 1}`, dst: `192.168.${i}.80`, protocol: "tcp", ipLength: length });
      }
    });
    accounting.update(batch);
    const lines = renderIpAccounting(accounting.table(), 5 * 60_000 + 1);
    assert.equal(lines[0], "  Source           Destination           Packets               Bytes");
    assert.equal(lines[1], "  10.1.1.1         192.168.0.80                 2                  96");
    assert.deepEqual(
      lines.slice(1, 17).map((l) => [Number(l.slice(34, 49)), Number(l.slice(49))]),
      pairs,
    );
    assert.deepEqual(lines.slice(17), ["", "Accounting data age is 5"]);
  } finally {
    batch.dispose();
    accounting.dispose();
  }
});

test("beyond the threshold: new pairs are counted as accounting threshold exceeded; clear moves the table to the checkpoint", () => {
  const accounting = new IpAccounting({ threshold: 2 }, 0);
  const batch = new PacketBatch({ core: accounting.core, capacity: 8 });
  try {
    for (const [src, length] of [
      ["10.0.0.1", 40],
      ["10.0.0.2", 60],
      ["10.0.0.3", 100],
      ["10.0.0.1", 40],
      ["10.0.0.4", 20],
    ] as const) {
      batch.push({ src, dst: "10.9.9.9", protocol: "udp", ipLength: length });
    }
    accounting.update(batch);
    assert.deepEqual(renderIpAccounting(accounting.table(), 0).slice(1), [
      "  10.0.0.1         10.9.9.9                     2                  80",
      "  10.0.0.2         10.9.9.9                     1                  60",
      "Accounting threshold exceeded for 2 packets and 120 bytes",
      "",
      "Accounting data age is 0",
    ]);
    accounting.clear(120_000);
    assert.equal(accounting.table().entries.length, 0);
    assert.deepEqual(accounting.table(true).thresholdExceeded, { packets: 2, bytes: 120 });
    assert.equal(accounting.table(true).entries.length, 2);
    assert.throws(() => new IpAccounting({ threshold: 0 }), { name: "ConfigError", message: /invalid accounting threshold 0/ });
    assert.throws(() => new IpAccounting({ treshold: 5 } as never), {
      name: "ConfigError",
      message: /unknown IpAccounting option "treshold"/,
    });
  } finally {
    batch.dispose();
    accounting.dispose();
  }
});
