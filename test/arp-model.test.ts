// Model-based runs: random command sequences (fast-check `commands`, size "max") drive the
// WebAssembly table and the TypeScript reference side by side with a manual clock; every output
// (verdicts, handles, MACs, drained requests and releases, decisions, counters, occupancy,
// entries) must be identical after every command. Both WebAssembly builds are exercised.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { smallOptions, wasmTable, NEIGHBOURS, STRANGE, MACS, OUR_MAC, OUR_MAC_1, ReferenceArpTable, type ArpTable } from "./arp-helpers.js";

interface Pair {
  wasm: ArpTable;
  ref: ReferenceArpTable;
  now: number;
  bytes: number;
}

const address = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NEIGHBOURS) }, { weight: 1, arbitrary: fc.constantFrom(...STRANGE) });
const mac = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...MACS.slice(0, 3)) },
  { weight: 1, arbitrary: fc.constantFrom(...MACS.slice(3), OUR_MAC_1) },
);
const ifIndex = fc.constantFrom(0, 1);

function same(pair: Pair, what: string, a: unknown, b: unknown): void {
  assert.deepStrictEqual(a, b, `${what} differs at t=${pair.now}`);
}

function compareState(pair: Pair): void {
  same(pair, "counters", pair.wasm.counters(), pair.ref.counters());
  same(pair, "occupancy", pair.wasm.occupancy(), pair.ref.occupancy());
  same(pair, "entries", pair.wasm.entries(), pair.ref.entries());
  assert.equal(pair.wasm.memoryBytes(), pair.bytes, "the WebAssembly memory grew after creation");
}

class Advance implements fc.Command<Pair, Pair> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    p.now += this.ms;
  }
  toString = () => `advance(${this.ms})`;
}

class Resolve implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly ip: string,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    same(p, `resolve ${this.ip}`, p.wasm.resolve(this.ifIndex, this.ip, p.now), p.ref.resolve(this.ifIndex, this.ip, p.now));
  }
  toString = () => `resolve(${this.ifIndex}, ${this.ip})`;
}

class ResolveBatch implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly ips: string[],
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    const ips = Uint32Array.from(this.ips.map((a) => a.split(".").reduce((v, o) => v * 256 + Number(o), 0)));
    const out = [p.wasm, p.ref].map((t) => {
      const verdicts = new Uint8Array(ips.length);
      const macs = new Uint8Array(ips.length * 6);
      const handles = new Uint32Array(ips.length);
      t.resolveBatch(this.ifIndex, ips, p.now, verdicts, macs, handles);
      return { verdicts: [...verdicts], macs: [...macs], handles: [...handles] };
    });
    same(p, "resolveBatch", out[0], out[1]);
  }
  toString = () => `resolveBatch(${this.ifIndex}, [${this.ips.join(", ")}])`;
}

class ReceiveArp implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly op: number,
    readonly senderIp: string,
    readonly senderMac: string,
    readonly targetIp: string,
    readonly targetMac: string,
    readonly ethernetSource?: string,
    readonly ethernetDestination?: string,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    const packet = {
      ifIndex: this.ifIndex,
      op: this.op,
      senderIp: this.senderIp,
      senderMac: this.senderMac,
      targetIp: this.targetIp,
      targetMac: this.targetMac,
      ...(this.ethernetSource === undefined ? {} : { ethernetSource: this.ethernetSource }),
      ...(this.ethernetDestination === undefined ? {} : { ethernetDestination: this.ethernetDestination }),
    };
    same(p, "receiveArp", p.wasm.receiveArp(packet, p.now), p.ref.receiveArp(packet, p.now));
  }
  toString = () =>
    `receiveArp(${this.ifIndex}, op ${this.op}, ${this.senderIp} ${this.senderMac} -> ${this.targetIp} ${this.targetMac}, eth ${this.ethernetSource}/${this.ethernetDestination})`;
}

class ReceiveIp implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly ip: string,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    same(p, "receiveIp", p.wasm.receiveIp(this.ifIndex, this.ip, p.now), p.ref.receiveIp(this.ifIndex, this.ip, p.now));
  }
  toString = () => `receiveIp(${this.ifIndex}, ${this.ip})`;
}

class Tick implements fc.Command<Pair, Pair> {
  check = () => true;
  run(_: Pair, p: Pair): void {
    p.wasm.tick(p.now);
    p.ref.tick(p.now);
    compareState(p);
  }
  toString = () => "tick";
}

class Drain implements fc.Command<Pair, Pair> {
  check = () => true;
  run(_: Pair, p: Pair): void {
    same(p, "drainRequests", p.wasm.drainRequests(), p.ref.drainRequests());
    same(p, "drainReleased", p.wasm.drainReleased(), p.ref.drainReleased());
    compareState(p);
  }
  toString = () => "drain";
}

class Clear implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number | undefined,
    readonly ip: string | undefined,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    const options = {
      now: p.now,
      ...(this.ifIndex === undefined ? {} : { ifIndex: this.ifIndex }),
      ...(this.ip === undefined ? {} : { ip: this.ip }),
    };
    same(p, "clear", p.wasm.clear(options), p.ref.clear(options));
  }
  toString = () => `clear(${this.ifIndex}, ${this.ip})`;
}

class Static implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly ip: string,
    readonly mac: string,
    readonly remove: boolean,
  ) {}
  check = () => true;
  run(_: Pair, p: Pair): void {
    const attempt = (t: ArpTable | ReferenceArpTable) => {
      try {
        return this.remove ? t.removeStatic(this.ifIndex, this.ip) : (t.addStatic(this.ifIndex, this.ip, this.mac, p.now), "added");
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    };
    same(p, "static", attempt(p.wasm), attempt(p.ref));
  }
  toString = () => `${this.remove ? "removeStatic" : "addStatic"}(${this.ifIndex}, ${this.ip}, ${this.mac})`;
}

const commands = [
  fc.constantFrom(0, 1, 5, 100, 999, 1000, 1001, 2500, 20_000, 61_000).map((ms) => new Advance(ms)),
  fc.constantFrom(0, 1, 5, 100, 999, 1000, 1001, 2500, 20_000, 61_000).map((ms) => new Advance(ms)),
  fc.tuple(ifIndex, address).map(([i, a]) => new Resolve(i, a)),
  fc.tuple(ifIndex, address).map(([i, a]) => new Resolve(i, a)),
  fc.tuple(ifIndex, fc.array(address, { minLength: 0, maxLength: 8 })).map(([i, a]) => new ResolveBatch(i, a)),
  fc
    .tuple(
      ifIndex,
      fc.constantFrom(1, 2, 2, 3),
      address,
      mac,
      fc.oneof(fc.constant("10.0.0.1"), address),
      fc.oneof(fc.constant(OUR_MAC), fc.constant(OUR_MAC_1), fc.constant("00:00:00:00:00:00"), mac),
      fc.option(mac, { nil: undefined }),
      fc.option(fc.constantFrom(OUR_MAC, OUR_MAC_1, "ff:ff:ff:ff:ff:ff"), { nil: undefined }),
    )
    .map((a) => new ReceiveArp(...a)),
  fc.tuple(ifIndex, address).map(([i, a]) => new ReceiveIp(i, a)),
  fc.constant(new Tick()),
  fc.constant(new Tick()),
  fc.constant(new Drain()),
  fc.tuple(fc.option(ifIndex, { nil: undefined }), fc.option(address, { nil: undefined })).map(([i, a]) => new Clear(i, a)),
  fc.tuple(ifIndex, address, mac, fc.boolean()).map((a) => new Static(...a)),
];

for (const variant of ["release", "debug"]) {
  test(`model-based: WebAssembly (${variant}) and the reference agree on every output`, () => {
    fc.assert(
      fc.property(smallOptions, fc.commands(commands, { size: "max", maxCommands: 400 }), (options, cmds) => {
        const wasm = wasmTable(options, variant);
        const pair: Pair = { wasm, ref: new ReferenceArpTable(options), now: 0, bytes: wasm.memoryBytes() };
        fc.modelRun(() => ({ model: pair, real: pair }), cmds);
        compareState(pair);
      }),
      { includeErrorInReport: true },
    );
  });
}
