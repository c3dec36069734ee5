// Shared pieces of the ARP tests: small configurations that reach every limit, the address and
// MAC pools the generated traces draw from, and both WebAssembly builds.

import fc from "fast-check";
import { ArpTable, ReferenceArpTable, type ArpOptions, type ArpInterfaceOptions } from "../src/index.js";
import { registerWasmVariant, useWasmVariant, wasmVariant } from "../src/wasm/instance.js";
import { debug } from "../src/wasm/generated/debug.js";

registerWasmVariant("debug", debug);

/** Builds an ArpTable with the given WebAssembly build ("release" or "debug"). */
export function wasmTable(options: ArpOptions, variant = "release"): ArpTable {
  const previous = wasmVariant();
  useWasmVariant(variant);
  try {
    return new ArpTable(options);
  } finally {
    useWasmVariant(previous);
  }
}

export const OUR_MAC = "00:00:0c:00:00:01";
export const OUR_MAC_1 = "00:00:0c:00:01:01";
export const OUR_IP = "10.0.0.1";

/** A one-interface table of the research defaults on 10.0.0.0/16. */
export function defaultOptions(extra: Partial<ArpOptions> = {}, iface: Partial<ArpInterfaceOptions> = {}): ArpOptions {
  return { seed: 7, ...extra, interfaces: [{ mac: OUR_MAC, addresses: ["10.0.0.1/16"], ...iface }] };
}

/** Neighbours the traces talk about: 10.0.0.2 … 10.0.0.13 (on-link), plus a few that are not. */
export const NEIGHBOURS = Array.from({ length: 12 }, (_, k) => `10.0.0.${k + 2}`);
export const STRANGE = ["0.0.0.0", "10.0.255.255", "224.0.0.5", "127.0.0.1", "192.168.7.7", "10.0.0.1"];
export const MACS = ["00:11:22:33:44:01", "00:11:22:33:44:02", "00:11:22:33:44:03", "01:00:5e:00:00:01", "00:00:00:00:00:00", OUR_MAC];

/** Small interface configurations: every pool, ring and bucket can run full. */
export const smallInterface = (mac: string, address: string): fc.Arbitrary<ArpInterfaceOptions> =>
  fc
    .record({
      requestsPerResolution: fc.integer({ min: 1, max: 4 }),
      retryMode: fc.constantFrom("timer" as const, "demand" as const),
      nexistBackoff: fc.boolean(),
      backoffBaseMs: fc.constantFrom(1000, 5000),
      backoffMaxMs: fc.constantFrom(8000, 40_000),
      presentLifetimeMs: fc.constantFrom(60_000, 90_000),
      refreshWindowMs: fc.constantFrom(0, 3000, 30_000),
      refreshProbes: fc.integer({ min: 0, max: 3 }),
      recentUseMs: fc.constantFrom(0, 60_000),
      locktimeMs: fc.constantFrom(0, 1000),
      nexistEntries: fc.constant(16),
      incompleteEntries: fc.constant(16),
      presentEntries: fc.integer({ min: 1, max: 6 }),
      staticEntries: fc.integer({ min: 0, max: 2 }),
      idleEvictMs: fc.constantFrom(0, 2000, 60_000),
      queuePerEntry: fc.integer({ min: 1, max: 4 }),
      queuePerInterface: fc.integer({ min: 1, max: 8 }),
      requestRate: fc.integer({ min: 1, max: 20 }),
      burstExtra: fc.integer({ min: 0, max: 6 }),
      refreshReserve: fc.integer({ min: 0, max: 2 }),
      icmpRate: fc.integer({ min: 0, max: 3 }),
      tickWork: fc.integer({ min: 1, max: 4 }),
      acceptUnsolicited: fc.boolean(),
      learnOnNexistClear: fc.boolean(),
      requestRing: fc.integer({ min: 1, max: 6 }),
      replyRing: fc.integer({ min: 1, max: 3 }),
      seenEntries: fc.integer({ min: 0, max: 4 }),
      seenWindowMs: fc.constantFrom(1000, 30_000),
    })
    .map(({ burstExtra, ...p }) => ({
      ...p,
      requestBurst: p.requestsPerResolution + p.refreshReserve + burstExtra,
      icmpBurst: Math.max(1, p.icmpRate),
      nexistHoldMs: 20_000,
      mac,
      addresses: [address],
    }));

/** Two small interfaces on 10.0.0.0/24 and 10.0.0.0/24 + 0/0 on-link (a static default route). */
export const smallOptions: fc.Arbitrary<ArpOptions> = fc
  .tuple(smallInterface(OUR_MAC, "10.0.0.1/24"), smallInterface(OUR_MAC_1, "10.0.0.1/24"), fc.boolean())
  .map(([a, b, defaultRoute]) => ({ seed: 1, interfaces: [a, defaultRoute ? { ...b, onLink: ["0.0.0.0/0"] } : b] }));

export { ArpTable, ReferenceArpTable };
