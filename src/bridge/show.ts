/**
 * `show bridge` in the IOS layout (Cisco IOS transparent bridging): the station-block summary,
 * then per bridge group one line per station — address (dotted), action, interface, age in
 * minutes since it was last heard, frames received from it and forwarded to it.
 */

import { formatMacCisco, parseMac } from "../net/mac.js";
import type { ResolvedBridgeOptions } from "./options.js";
import type { BridgeStation } from "./types.js";

/** `show bridge`. */
export function renderBridge(
  stations: BridgeStation[],
  config: Pick<ResolvedBridgeOptions, "capacity" | "groups">,
  options: { now: number },
): string {
  const lines = [`Total of ${config.capacity} station blocks, ${config.capacity - stations.length} free`, "Codes: P - permanent, S - self"];
  for (const g of config.groups) {
    lines.push("", `Bridge Group ${g.group}:`, "", "    Address       Action   Interface       Age   RX count   TX count");
    for (const s of stations.filter((x) => x.group === g.group)) {
      const age = Math.max(0, Math.floor((options.now - s.lastSeenAt) / 60_000));
      lines.push(
        `${formatMacCisco(parseMac(s.mac))}   forward   ${s.interface.padEnd(14)} ${String(age).padStart(3)} ${String(s.rx).padStart(9)} ${String(s.tx).padStart(10)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
