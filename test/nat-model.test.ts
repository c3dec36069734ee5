// Model-based runs: random command sequences (fast-check `commands`, size "max") drive the
// WebAssembly NAT table and the TypeScript reference side by side with a manual clock. After
// every command the verdicts, the rewritten packets (fields and frame bytes), the translations,
// the counters, the statistics and both displays must be identical. Both builds are exercised.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { renderNatStatistics, renderNatTranslations, type NatOptions, type NatTable } from "../src/index.js";
import { ReferenceNatTable } from "../src/reference/nat.js";
import { NatRig, type Sent, wasmNat } from "./nat-helpers.js";
import { checksumsValid } from "./helpers/ip-frames.js";

interface Pair {
  wasm: NatRig;
  ref: NatRig;
}

const INSIDE_HOSTS = ["10.1.1.1", "10.1.1.2", "10.1.1.3", "10.2.0.1", "10.2.0.2", "10.3.0.5", "10.9.0.1"];
const SERVERS = ["171.69.1.220", "192.0.2.7", "8.8.8.8"];
const GLOBALS = ["171.69.233.209", "171.69.233.210", "171.69.233.211", "171.69.233.220", "171.69.233.99"];
const PORTS = [53, 80, 511, 512, 1023, 1024, 5000, 5001, 65535];

const options: fc.Arbitrary<NatOptions> = fc
  .record({
    capacity: fc.integer({ min: 1, max: 12 }),
    maxEntries: fc.integer({ min: 0, max: 12 }),
    agerWork: fc.integer({ min: 1, max: 4 }),
    withStatic: fc.boolean(),
    poolSize: fc.integer({ min: 1, max: 2 }),
    overloadPool: fc.boolean(),
    timeouts: fc.record({
      timeout: fc.constantFrom(3000, 86_400_000),
      udpTimeout: fc.constantFrom(1000, 2000, 300_000),
      dnsTimeout: fc.constantFrom(1000, 60_000),
      tcpTimeout: fc.constantFrom(2000, 86_400_000),
      finrstTimeout: fc.constantFrom(1000, 60_000),
      icmpTimeout: fc.constantFrom(1000, 60_000),
      synTimeout: fc.constantFrom(1000, 60_000),
    }),
  })
  .map((o) => ({
    seed: 3,
    capacity: Math.max(o.capacity, o.withStatic ? 1 : 0),
    maxEntries: o.maxEntries,
    agerWork: o.agerWork,
    timeouts: o.timeouts,
    interfaces: [
      { name: "Ethernet0", nat: "inside" as const },
      { name: "Serial0", nat: "outside" as const, address: "171.69.233.209" },
      { name: "Ethernet1" },
    ],
    accessLists: [
      {
        name: "1",
        entries: [
          { action: "deny" as const, address: "10.1.1.3" },
          { action: "permit" as const, address: "10.1.1.0", wildcard: "0.0.0.255" },
        ],
      },
      { name: "2", entries: [{ action: "permit" as const, address: "10.2.0.0", wildcard: "0.0.255.255" }] },
    ],
    pools: [{ name: "test", start: "171.69.233.210", end: o.poolSize === 1 ? "171.69.233.210" : "171.69.233.211", prefixLength: 28 }],
    insideSource: [
      { list: "1", interface: "Serial0", overload: true },
      { list: "2", pool: "test", overload: o.overloadPool },
    ],
    insideSourceStatic: o.withStatic ? [{ local: "10.3.0.5", global: "171.69.233.220" }] : [],
  }));

const protocol = fc.constantFrom("tcp" as const, "tcp" as const, "udp" as const, "udp" as const, "icmp" as const, "gre" as const);
const packet: fc.Arbitrary<Sent> = fc
  .record({
    outbound: fc.boolean(),
    other: fc.integer({ min: 0, max: 12 }),
    inside: fc.constantFrom(...INSIDE_HOSTS),
    server: fc.constantFrom(...SERVERS),
    global: fc.constantFrom(...GLOBALS),
    protocol,
    a: fc.constantFrom(...PORTS),
    b: fc.constantFrom(...PORTS),
    flags: fc.constantFrom(0x002, 0x012, 0x010, 0x011, 0x004, 0x018),
    icmpType: fc.constantFrom(8, 0, 3),
    fragment: fc.integer({ min: 0, max: 9 }),
    corrupt: fc.integer({ min: 0, max: 19 }),
    noChecksum: fc.boolean(),
  })
  .map((p) => ({
    iface: p.other === 0 ? 2 : p.outbound ? 0 : 1,
    src: p.outbound ? p.inside : p.server,
    dst: p.outbound ? p.server : p.global,
    protocol: p.protocol,
    srcPort: p.a,
    dstPort: p.b,
    flags: p.flags,
    icmpType: p.icmpType,
    icmpId: p.a,
    noUdpChecksum: p.noChecksum,
    ...(p.fragment === 0 ? { fragmentOffset: 64 } : {}),
    ...(p.corrupt === 0 ? { mutate: (f: Uint8Array) => (f[14] = 0x44) } : {}),
  }));

function compare(p: Pair, what: string): void {
  const a = p.wasm.table as NatTable;
  const b = p.ref.table as ReferenceNatTable;
  assert.deepStrictEqual(a.counters(), b.counters(), `counters after ${what}`);
  assert.deepStrictEqual(a.translations(), b.translations(), `translations after ${what}`);
  assert.deepStrictEqual(a.statistics(), b.statistics(), `statistics after ${what}`);
  const now = p.wasm.now;
  assert.equal(
    renderNatTranslations(a.translations(), { verbose: true, now }),
    renderNatTranslations(b.translations(), { verbose: true, now }),
  );
  assert.equal(renderNatStatistics(a.statistics()), renderNatStatistics(b.statistics()));
}

class Advance implements fc.Command<Pair, Pair> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    p.wasm.at(this.ms);
    p.ref.at(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

class Send implements fc.Command<Pair, Pair> {
  constructor(
    readonly packets: Sent[],
    readonly egress: number[] | undefined,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    const egress = this.egress?.slice(0, this.packets.length);
    const padded = egress === undefined ? undefined : this.packets.map((_, i) => egress[i] ?? 0xffffffff);
    const a = p.wasm.send(this.packets, padded);
    const b = p.ref.send(this.packets, padded);
    assert.deepStrictEqual(
      a.map((x) => ({ ...x, frame: [...x.frame] })),
      b.map((x) => ({ ...x, frame: [...x.frame] })),
      "packets after NAT",
    );
    for (const [i, out] of a.entries()) {
      if ((out.verdict === 1 || out.verdict === 2) && this.packets[i]!.mutate === undefined) {
        assert.deepEqual(checksumsValid(out.frame), { ip: true, l4: true }, "a translated frame's checksums");
      }
    }
    compare(p, `send ${this.toString()}`);
  }
  toString = () => `send(${JSON.stringify(this.packets)}, ${JSON.stringify(this.egress)})`;
}

class Age implements fc.Command<Pair, Pair> {
  check = () => true;
  run(_: Pair, p: Pair): void {
    assert.equal(p.wasm.age(), p.ref.age(), "removed by the ager");
    compare(p, "age");
  }
  toString = () => "age";
}

class Clear implements fc.Command<Pair, Pair> {
  check = () => true;
  run(_: Pair, p: Pair): void {
    assert.equal(p.wasm.table.clear(), p.ref.table.clear());
    compare(p, "clear");
  }
  toString = () => "clear";
}

const delays = fc.constantFrom(0, 1, 500, 999, 1000, 1001, 2000, 3000, 60_000, 300_000);
const commands = [
  delays.map((ms) => new Advance(ms)),
  fc
    .tuple(
      fc.array(packet, { minLength: 1, maxLength: 6 }),
      fc.option(fc.array(fc.constantFrom(0, 1, 2, 0xffffffff), { maxLength: 6 }), { nil: undefined }),
    )
    .map(([ps, e]) => new Send(ps, e)),
  fc.array(packet, { minLength: 1, maxLength: 3 }).map((ps) => new Send(ps, undefined)),
  fc.constant(new Age()),
  fc.constant(new Clear()),
];

for (const variant of ["release", "debug", "release-nosimd"]) {
  test(`model-based: WebAssembly (${variant}) and the reference agree on every packet, translation and counter`, () => {
    fc.assert(
      fc.property(options, fc.commands(commands, { size: "max", maxCommands: 120 }), (o, cmds) => {
        const pair: Pair = { wasm: new NatRig(wasmNat(o, variant)), ref: new NatRig(new ReferenceNatTable(o)) };
        fc.modelRun(() => ({ model: pair, real: pair }), cmds);
        compare(pair, "the run");
        (pair.wasm.table as NatTable).dispose();
      }),
      { numRuns: variant === "release" ? 60 : 20 },
    );
  });
}
