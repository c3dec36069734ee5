// Shared pieces of the bridge tests: a rig that sends frames through the WebAssembly table or
// the reference with a manual clock.

import { BridgeTable, PacketBatch, type BridgeOptions } from "../src/index.js";
import { ReferenceBridgeTable } from "../src/reference/bridge.js";
import { registerWasmVariant, useWasmVariant, wasmVariant } from "../src/wasm/instance.js";
import { debug } from "../src/wasm/generated/debug.js";

registerWasmVariant("debug", debug);

export type Bridge = BridgeTable | ReferenceBridgeTable;

/** A frame: input interface, source and destination MAC (link type and status may be forced). */
export interface Frame {
  iface: number;
  src: string;
  dst: string;
  linkType?: number;
  status?: string;
}

/** Makes a WebAssembly table with the given build. */
export function wasmBridge(options: BridgeOptions, variant = "release"): BridgeTable {
  const previous = wasmVariant();
  useWasmVariant(variant);
  try {
    return new BridgeTable(options);
  } finally {
    useWasmVariant(previous);
  }
}

export class BridgeRig {
  now = 5_000_000;
  constructor(readonly table: Bridge) {}

  at(ms: number): this {
    this.now += ms;
    return this;
  }

  send(frames: Frame[]): { verdicts: number[]; ports: number[] } {
    if (this.table instanceof BridgeTable) {
      using batch = PacketBatch.from(
        frames.map((f) => ({ interface: f.iface, srcMac: f.src, dstMac: f.dst, linkType: f.linkType ?? 1, status: f.status ?? "ok" })),
        { core: this.table.core },
      );
      const d = this.table.input(batch, { now: this.now });
      return { verdicts: [...d.verdicts], ports: [...d.ports] };
    }
    const d = this.table.input(
      frames.map((f) => ({ interface: f.iface, srcMac: f.src, dstMac: f.dst, linkType: f.linkType ?? 1, status: f.status ?? "ok" })),
      this.now,
    );
    return { verdicts: [...d.verdicts], ports: [...d.ports] };
  }

  one(frame: Frame): { verdict: number; port: number } {
    const d = this.send([frame]);
    return { verdict: d.verdicts[0]!, port: d.ports[0]! };
  }

  route(group: number, mac: string): { verdict: number; port: number } {
    return this.table.route(group, mac, this.now);
  }
}

export const BRIDGE_IMPLEMENTATIONS: [string, (o: BridgeOptions) => Bridge][] = [
  ["wasm", (o) => new BridgeTable(o)],
  ["wasm-debug", (o) => wasmBridge(o, "debug")],
  ["reference", (o) => new ReferenceBridgeTable(o)],
];

export const BVI_MAC = "00:00:0c:00:00:01";

/** Bridge group 1 on ATM0.1–ATM0.3 with BVI 1, group 2 on Ethernet0, Ethernet1 unbridged. */
export function bridgeOptions(extra: Partial<BridgeOptions> = {}): BridgeOptions {
  return {
    seed: 11,
    groups: [{ group: 1 }, { group: 2, agingTime: 20_000 }],
    interfaces: [
      { name: "ATM0.1", bridgeGroup: 1 },
      { name: "ATM0.2", bridgeGroup: 1 },
      { name: "ATM0.3", bridgeGroup: 1 },
      { name: "Ethernet0", bridgeGroup: 2 },
      { name: "Ethernet1" },
    ],
    irb: true,
    bvis: [{ group: 1, mac: BVI_MAC }],
    ...extra,
  };
}
