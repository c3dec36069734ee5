/**
 * What every packet workload provides, and {@link fillMixed}, which merges several workloads into
 * one batch in time order and labels each packet with the workload it came from (the ground
 * truth that scenarios score detection and loss against).
 */

import { ConfigError, describe } from "../../errors.js";
import type { PacketBatch } from "../../packet/batch.js";
import { type WorkloadColumns, workloadColumns, writeConstantColumns } from "./packet-writer.js";

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
   * Optional, for {@link fillMixed}: {@link fill} on the batch's columns as given, from packet
   * `start` up to `capacity`, without writing the columns every generated packet shares (the
   * Ethernet and IPv4 constants and the input interface, {@link writeConstantColumns}) or the
   * batch's length: the caller does both, once for a whole merged run. `frames` is the batch's
   * frame area (`frameBytes` long), written when the workload makes frames. Returns the index
   * after its last packet.
   */
  fillRange?(
    c: WorkloadColumns,
    frames: Uint8Array | undefined,
    frameBytes: number,
    start: number,
    capacity: number,
    untilMs: number,
  ): number;
  /** The input interface its packets carry (with {@link fillRange}). */
  readonly interfaceIndex?: number;
}

/** fillMixed's scratch: the workloads' next times (grown to the most workloads mixed). */
let nextTimes = new Float64Array(8);

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
  // When every workload can fill a range of the columns and all use one interface, the merge
  // works on the columns directly: the batch's length is set, and the columns every generated
  // packet shares are written, once at the end (the same values each fill would write).
  const iface = workloads[0]?.interfaceIndex;
  const direct = iface !== undefined && workloads.every((w) => w.fillRange !== undefined && w.interfaceIndex === iface);
  const c = direct ? workloadColumns(batch) : undefined;
  const frames = direct ? batch.frames : undefined;
  const capacity = batch.capacity;
  let length = start;
  // Each workload's next time, read once here and then only for the workload that just ran
  // (the others' do not change): workloads of similar rates interleave in runs of one or two
  // packets, and each getter call is a measurable share of such a run.
  const count = workloads.length;
  if (nextTimes.length < count) nextTimes = new Float64Array(count);
  const times = nextTimes;
  for (let w = 0; w < count; w++) times[w] = workloads[w]!.nextTime;
  for (;;) {
    let first = -1;
    let firstTime = Infinity;
    let secondTime = Infinity;
    for (let w = 0; w < count; w++) {
      const t = times[w]!;
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
    const end =
      c !== undefined ? workload.fillRange!(c, frames, batch.frameBytes, length, capacity, until) : length + workload.fill(batch, until);
    times[first] = workload.nextTime;
    if (labels !== undefined) for (let i = length; i < end; i++) labels[i] = first;
    const added = end - length;
    length = end;
    if (added === 0) break; // the batch is full
  }
  if (c !== undefined && length > start) {
    writeConstantColumns(c, start, length, iface!);
    batch.length = length;
  }
  return length - start;
}
