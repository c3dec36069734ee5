/**
 * What every packet workload provides, and {@link fillMixed}, which merges several workloads into
 * one batch in time order and labels each packet with the workload it came from (the ground
 * truth that scenarios score detection and loss against).
 */

import { ConfigError, describe } from "../../errors.js";
import type { PacketBatch } from "../../packet/batch.js";
import { workloadColumns, writeConstantColumns } from "./packet-writer.js";

/** A deterministic packet source. Times are milliseconds (the batch's `time` column). */
export interface Workload {
  /** A short name, e.g. `"code-red-1"`. */
  readonly name: string;
  /** Time of the next packet, `Infinity` when the workload has no more. */
  readonly nextTime: number;
  /**
   * Appends packets with `time ≤ untilMs` to `batch` (after its current `length`), in time
   * order, until the batch (or its frame area) is full. Returns how many it appended.
   */
  fill(batch: PacketBatch, untilMs: number): number;
  /**
   * Optional: {@link fill} without the columns every generated packet shares (the Ethernet and
   * IPv4 constants and the input interface, {@link writeConstantColumns}); the caller writes
   * them, for {@link fillMixed} once for a whole merged run instead of once per short fill.
   */
  fillVarying?(batch: PacketBatch, untilMs: number): number;
  /** The input interface its packets carry (with {@link fillVarying}). */
  readonly interfaceIndex?: number;
}

/**
 * Fills `batch` (after its current length) with the packets of `workloads` up to `untilMs`, in
 * time order (ties go to the earlier workload in the list), and writes the index of each
 * packet's workload into `labels` (same indices as the batch). Returns how many it appended.
 */
export function fillMixed(batch: PacketBatch, workloads: readonly Workload[], untilMs: number, labels?: Uint8Array): number {
  if (workloads.length > 255)
    throw new ConfigError("workload-count", `at most 255 workloads can be mixed, got ${describe(workloads.length)}`, workloads.length);
  if (labels !== undefined && labels.length < batch.capacity) {
    throw new ConfigError(
      "workload-labels",
      `labels must hold the batch's capacity (${batch.capacity}), got ${describe(labels.length)}`,
      labels.length,
    );
  }
  const start = batch.length;
  // When every workload can leave the shared columns out and all use one interface, they are
  // written once at the end, for every packet merged (the same values as each fill writes).
  const iface = workloads[0]?.interfaceIndex;
  const deferred = iface !== undefined && workloads.every((w) => w.fillVarying !== undefined && w.interfaceIndex === iface);
  let length = start;
  for (;;) {
    let first = -1;
    let firstTime = Infinity;
    let secondTime = Infinity;
    for (let w = 0; w < workloads.length; w++) {
      const t = workloads[w]!.nextTime;
      if (t < firstTime) {
        secondTime = firstTime;
        firstTime = t;
        first = w;
      } else if (t < secondTime) secondTime = t;
    }
    if (first < 0 || firstTime > untilMs) break;
    // The earliest workload runs until the next one's first packet (ties stay with it).
    const until = Math.min(untilMs, secondTime);
    const workload = workloads[first]!;
    const added = deferred ? workload.fillVarying!(batch, until) : workload.fill(batch, until);
    if (labels !== undefined) for (let i = length; i < length + added; i++) labels[i] = first;
    length += added;
    if (added === 0) break; // the batch is full
  }
  if (deferred && length > start) writeConstantColumns(workloadColumns(batch), start, length, iface);
  return length - start;
}
