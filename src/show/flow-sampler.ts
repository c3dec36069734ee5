/** `show flow-sampler` (seed 003:L2034–L2037): one entry per sampler map. */

import type { SamplerMapStatus } from "../sampling/packet-selector.js";

/**
 * Renders sampler maps in the IOS `show flow-sampler` layout:
 *
 * ```text
 * Sampler : icmp-dos-fs-map, id : 1, packets matched : 63226, mode : random sampling mode
 *   sampling interval is : 2
 * ```
 *
 * "packets matched" is the number of packets that reached the map's samplers (after input
 * filters). Modes other than `random` print as `<mode> sampling mode`.
 */
export function renderFlowSampler(maps: readonly SamplerMapStatus[]): string {
  return maps
    .map(
      (m) =>
        `Sampler : ${m.name}, id : ${m.id}, packets matched : ${m.seen}, mode : ${m.mode} sampling mode\n  sampling interval is : ${m.interval}\n`,
    )
    .join("");
}
