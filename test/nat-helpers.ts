// Shared pieces of the NAT tests: a rig that sends frames through the WebAssembly table or the
// reference with a manual clock and returns what came out, and small configurations.

import { Core, NatTable, PacketBatch, type NatOptions } from "../src/index.js";
import { ReferenceNatTable } from "../src/reference/nat.js";
import { registerWasmVariant, useWasmVariant, wasmVariant } from "../src/wasm/instance.js";
import { debug } from "../src/wasm/generated/debug.js";
import { releaseNoSimd } from "../src/wasm/generated/release.js";
import { type FrameSpec, ipFrame } from "./helpers/ip-frames.js";

registerWasmVariant("debug", debug);
// The index compares a bucket's tags with SIMD where the engine has it, lane by lane in the
// build without: both builds run every table test.
registerWasmVariant("release-nosimd", releaseNoSimd);

/** A frame and the interface it arrives on. */
export interface Sent extends FrameSpec {
  iface: number;
  /** Changes the built frame (to corrupt it). */
  mutate?: (frame: Uint8Array) => void;
}

/** What a packet looks like after NAT. */
export interface Received {
  verdict: number;
  src: string;
  dst: string;
  srcPort: number | undefined;
  dstPort: number | undefined;
  frame: Uint8Array;
}

export type Table = NatTable | ReferenceNatTable;

/** Drives one table with frames; `now` is the manual clock. */
export class NatRig {
  readonly table: Table;
  now = 1_000_000;
  readonly #parser = new Core({ maxBytes: 64 * 1024 ** 2 });

  constructor(table: Table) {
    this.table = table;
  }

  at(ms: number): this {
    this.now += ms;
    return this;
  }

  send(list: Sent[], egress?: number[]): Received[] {
    const frames = list.map((s) => {
      const frame = ipFrame(s);
      s.mutate?.(frame);
      return { interface: s.iface, frame };
    });
    if (this.table instanceof NatTable) {
      using batch = PacketBatch.from(frames, { core: this.table.core });
      batch.parse();
      const verdicts = this.table.translate(batch, { now: this.now, ...(egress ? { egress: Uint32Array.from(egress) } : {}) });
      return [...batch].map((p, i) => ({
        verdict: verdicts[i]!,
        src: p.src!,
        dst: p.dst!,
        srcPort: p.srcPort,
        dstPort: p.dstPort,
        frame: batch.frame(i).slice(),
      }));
    }
    using batch = PacketBatch.from(frames, { core: this.#parser });
    batch.parse();
    const c = batch.columns;
    const packets = [...batch].map((p, i) => ({ ...p, frame: batch.frame(i).slice(), l3Offset: c.l3Offset[i]!, l4Offset: c.l4Offset[i]! }));
    const verdicts = this.table.translate(packets, this.now, egress);
    return packets.map((p, i) => ({
      verdict: verdicts[i]!,
      src: p.src!,
      dst: p.dst!,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      frame: p.frame,
    }));
  }

  one(spec: Sent): Received {
    return this.send([spec])[0]!;
  }

  age(ms = 0): number {
    this.now += ms;
    return this.table.age(this.now);
  }
}

/** Makes a WebAssembly table with the given build. */
export function wasmNat(options: NatOptions, variant = "release"): NatTable {
  const previous = wasmVariant();
  useWasmVariant(variant);
  try {
    return new NatTable(options);
  } finally {
    useWasmVariant(previous);
  }
}

export const IMPLEMENTATIONS: [string, (o: NatOptions) => Table][] = [
  ["wasm", (o) => new NatTable({ capacity: 1024, ...o })],
  ["wasm-debug", (o) => wasmNat({ capacity: 1024, ...o }, "debug")],
  ["wasm-nosimd", (o) => wasmNat({ capacity: 1024, ...o }, "release-nosimd")],
  ["reference", (o) => new ReferenceNatTable({ capacity: 1024, ...o })],
];

export const INSIDE = 0;
export const OUTSIDE = 1;
export const OTHER = 2;

/** Ethernet0 inside (10.1.1.0/24), Serial0 outside (171.69.233.209), Ethernet1 in no role. */
export function natOptions(extra: Partial<NatOptions> = {}): NatOptions {
  return {
    seed: 7,
    interfaces: [
      { name: "Ethernet0", nat: "inside" },
      { name: "Serial0", nat: "outside", address: "171.69.233.209" },
      { name: "Ethernet1" },
    ],
    accessLists: [
      { name: "1", entries: [{ action: "permit", address: "10.1.1.0", wildcard: "0.0.0.255" }] },
      { name: "2", entries: [{ action: "permit", address: "10.2.0.0", wildcard: "0.0.255.255" }] },
    ],
    pools: [{ name: "test", start: "171.69.233.210", end: "171.69.233.211", netmask: "255.255.255.240" }],
    insideSource: [
      { list: "1", interface: "Serial0", overload: true },
      { list: "2", pool: "test" },
    ],
    insideSourceStatic: [{ local: "10.3.0.5", global: "171.69.233.220" }],
    ...extra,
  };
}
