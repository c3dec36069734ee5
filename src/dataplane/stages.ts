/**
 * The options of the Dataplane's NAT and bridge stages, worked out from its
 * {@link DataplaneOptions}: the tables see the Dataplane's interfaces by their indexes (the
 * batches' `interface` column), with their `ip nat inside|outside` role, primary address (for
 * `ip nat inside source list L interface X overload`) and `bridge-group`; `interface BVI N` is
 * group N's routed port. Shared by the WebAssembly {@link Dataplane} and the reference
 * composition, so both configure the same tables.
 */

import type { NatOptions } from "../nat/options.js";
import type { BridgeOptions } from "../bridge/options.js";
import type { DataplaneOptions } from "./options.js";

const BVI = /^BVI\s*(\d+)$/i;

/** The NAT table's options (undefined: no interface has a NAT role and no `nat` options are given). */
export function natStageOptions(options: DataplaneOptions): NatOptions | undefined {
  const interfaces = options.interfaces ?? [];
  if (options.nat === undefined && !interfaces.some((f) => f.nat !== undefined)) return undefined;
  return {
    ...options.nat,
    interfaces: interfaces.map((f, ifIndex) => {
      const address = f.addresses?.[0]?.split("/")[0];
      return { name: f.name, ifIndex, ...(f.nat === undefined ? {} : { nat: f.nat }), ...(address === undefined ? {} : { address }) };
    }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
}

/** The bridge table's options (undefined: no `bridge-group` and no `bridge` options). */
export function bridgeStageOptions(options: DataplaneOptions): BridgeOptions | undefined {
  const interfaces = options.interfaces ?? [];
  if (options.bridge === undefined && !interfaces.some((f) => f.bridgeGroup !== undefined)) return undefined;
  const bvis = interfaces.flatMap((f) => {
    const m = BVI.exec(f.name);
    return m ? [{ group: Number(m[1]), mac: f.mac }] : [];
  });
  return {
    ...options.bridge,
    interfaces: interfaces.map((f, ifIndex) => ({
      name: f.name,
      ifIndex,
      ...(f.bridgeGroup === undefined ? {} : { bridgeGroup: f.bridgeGroup }),
    })),
    // IOS makes `interface BVI N` only with `bridge irb`; without it a BVI is an interface like another.
    bvis: options.bridge?.irb === true ? bvis : [],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  };
}

/**
 * Per interface, what the pipeline needs to bridge around the BVI: `bviGroup`, the group N of
 * `interface BVI N`; `bvi`, on a port of a group with a BVI, that BVI's interface index (-1: none).
 */
export function bridgePorts(options: DataplaneOptions): { bviGroup: number; bvi: number }[] {
  const interfaces = options.interfaces ?? [];
  const irb = options.bridge?.irb === true;
  const bviOf = new Map<number, number>();
  interfaces.forEach((f, i) => {
    const m = BVI.exec(f.name);
    if (irb && m) bviOf.set(Number(m[1]), i);
  });
  return interfaces.map((f) => {
    const m = BVI.exec(f.name);
    return {
      bviGroup: irb && m ? Number(m[1]) : 0,
      bvi: f.bridgeGroup === undefined ? -1 : (bviOf.get(f.bridgeGroup) ?? -1),
    };
  });
}
