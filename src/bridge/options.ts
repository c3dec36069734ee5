/**
 * Options of a {@link BridgeTable}, shaped after the IOS commands of transparent bridging with
 * IRB, and their validation (shared with the reference):
 *
 * | IOS                                            | option                                     |
 * |------------------------------------------------|--------------------------------------------|
 * | `bridge N protocol ieee`                       | `groups: [{ group: N }]`                   |
 * | `bridge N aging-time S`                        | `groups: [{ group: N, agingTime: S * 1000 }]` |
 * | `interface X` + `bridge-group N`               | `interfaces: [{ name: X, bridgeGroup: N }]` |
 * | `bridge irb`                                   | `irb: true`                                |
 * | `interface BVI N` (its MAC)                    | `bvis: [{ group: N, mac }]`                |
 */

import { ConfigError, describe } from "../errors.js";
import { type MacInput, parseMac } from "../net/mac.js";
import type { Core } from "../wasm/core.js";
import { checkInteger } from "../common/validation.js";

/** `bridge N protocol ieee` [+ `bridge N aging-time S`]. */
export interface BridgeGroupConfig {
  /** The bridge group, 1 to 255. */
  group: number;
  /** `protocol ieee` (the only one modelled; default). */
  protocol?: "ieee";
  /** `aging-time`, in milliseconds (IOS takes seconds; default 300 s). */
  agingTime?: number;
}

/** An interface and its `bridge-group`. */
export interface BridgeInterfaceConfig {
  name: string;
  /** The id frames from it carry (default: its position). */
  ifIndex?: number;
  bridgeGroup?: number;
}

/** `interface BVI N`: the group's routed port, with its MAC. */
export interface BridgeBviConfig {
  group: number;
  mac: MacInput;
}

/** Options of a {@link BridgeTable} (and of its reference). */
export interface BridgeOptions {
  groups?: BridgeGroupConfig[];
  interfaces?: BridgeInterfaceConfig[];
  /** `bridge irb`: needed for BVIs. */
  irb?: boolean;
  bvis?: BridgeBviConfig[];
  /** Stations the table holds; memory reserved at creation (default 16,384). */
  capacity?: number;
  /** Stations the ager removes per call at most (default 256). */
  agerWork?: number;
  seed?: number | bigint;
  core?: Core;
}

/** The option names {@link BridgeOptions} knows. */
export const BRIDGE_OPTION_NAMES = ["groups", "interfaces", "irb", "bvis", "capacity", "agerWork", "seed", "core"];

/** IOS's default `bridge N aging-time`: 300 s. */
export const BRIDGE_DEFAULT_AGING_MS = 300_000;
/** Interface ids the core's port table covers. */
export const BRIDGE_MAX_INTERFACES = 4096;

/** The validated configuration. */
export interface ResolvedBridgeOptions {
  capacity: number;
  agerWork: number;
  groups: { group: number; agingTime: number; bvi: Uint8Array | null }[];
  interfaces: { ifIndex: number; name: string; bridgeGroup: number | null }[];
}

function fail(code: string, message: string, value: unknown): never {
  throw new ConfigError(code, message, value);
}

const integer = checkInteger;

/** Validates options and fills in the defaults. */
export function resolveBridgeOptions(options: BridgeOptions): ResolvedBridgeOptions {
  if (options === null || typeof options !== "object") fail("bridge-options", `invalid bridge options ${describe(options)}`, options);
  const capacity = integer(options.capacity ?? 16_384, "capacity", "bridge-capacity", 1, 1 << 24);
  const agerWork = integer(options.agerWork ?? 256, "agerWork", "bridge-ager-work", 1, 1 << 24);
  const groups: ResolvedBridgeOptions["groups"] = [];
  for (const g of options.groups ?? []) {
    if (g === null || typeof g !== "object") fail("bridge-group", `invalid bridge group ${describe(g)}`, g);
    const group = integer(g.group, "bridge group", "bridge-group", 1, 255);
    if (g.protocol !== undefined && g.protocol !== "ieee")
      fail("bridge-protocol", `invalid bridge protocol ${describe(g.protocol)}: expected "ieee"`, g.protocol);
    if (groups.some((x) => x.group === group)) fail("bridge-group", `bridge group ${group} is defined twice`, group);
    // IOS accepts 10 to 1,000,000 seconds.
    const agingTime = integer(
      g.agingTime ?? BRIDGE_DEFAULT_AGING_MS,
      `aging-time of bridge ${group}`,
      "bridge-aging-time",
      10_000,
      1_000_000_000,
    );
    groups.push({ group, agingTime, bvi: null });
  }
  const interfaces = (options.interfaces ?? []).map((c, position) => {
    if (c === null || typeof c !== "object" || typeof c.name !== "string" || c.name === "") {
      fail("bridge-interface", `invalid bridge interface ${describe(c)}: expected { name, ifIndex?, bridgeGroup? }`, c);
    }
    const ifIndex = integer(c.ifIndex ?? position, `ifIndex of ${c.name}`, "bridge-interface-index", 0, BRIDGE_MAX_INTERFACES - 1);
    let bridgeGroup: number | null = null;
    if (c.bridgeGroup !== undefined) {
      bridgeGroup = integer(c.bridgeGroup, `bridge-group of ${c.name}`, "bridge-group", 1, 255);
      if (!groups.some((g) => g.group === bridgeGroup))
        fail("bridge-group", `bridge-group ${bridgeGroup} of ${c.name} has no "bridge ${bridgeGroup} protocol ieee"`, bridgeGroup);
    }
    return { ifIndex, name: c.name, bridgeGroup };
  });
  const ids = new Set<number>();
  for (const i of interfaces) {
    if (ids.has(i.ifIndex)) fail("bridge-interface-index", `interface id ${i.ifIndex} (${i.name}) is given twice`, i.ifIndex);
    ids.add(i.ifIndex);
  }
  for (const b of options.bvis ?? []) {
    if (options.irb !== true) fail("bridge-irb", `interface BVI ${describe(b?.group)} needs "bridge irb"`, b);
    const group = integer(b?.group, "BVI group", "bridge-group", 1, 255);
    const g = groups.find((x) => x.group === group);
    if (g === undefined) fail("bridge-group", `interface BVI ${group} has no "bridge ${group} protocol ieee"`, group);
    if (g.bvi !== null) fail("bridge-group", `interface BVI ${group} is defined twice`, group);
    const mac = parseMac(b.mac);
    if (mac[0]! & 1) fail("bridge-bvi-mac", `the MAC of BVI ${group} ${describe(b.mac)} is a group address`, b.mac);
    g.bvi = mac;
  }
  return { capacity, agerWork, groups, interfaces };
}

/** A MAC's column value (wire-order bytes in the low 48 bits) as [high 16 bits, low 32 bits]. */
export function macHalves(bytes: ArrayLike<number>): [number, number] {
  return [bytes[4]! | (bytes[5]! << 8), (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0];
}
