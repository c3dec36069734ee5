// The output area: frames the router originates or releases during a call (ARP requests and
// replies, ICMP errors, packets released by ARP), in the order they were made. The host drains
// it after every call; when it is full a frame is counted (C_OUTPUT_OVERFLOW) and not made.

import { Pipeline, OUT_HEADER_BYTES, OUT_IFACE, OUT_LENGTH, OUT_KIND, OUT_DETAIL, OUT_AFTER, OUT_TIME, C_OUTPUT_OVERFLOW, IF_COUNTERS } from "./state";

// @ts-ignore: decorator
@inline export function counterAdd(p: Pipeline, slot: u32, value: u64): void {
  const at = p.counters + (<usize>slot << 3);
  store<u64>(at, load<u64>(at) + value);
}

// @ts-ignore: decorator
@inline export function ifCounterAdd(p: Pipeline, iface: u32, slot: u32, value: u64): void {
  const at = p.ifCounters + ((<usize>iface * IF_COUNTERS + <usize>slot) << 3);
  store<u64>(at, load<u64>(at) + value);
}

/** The index of the batch packet being processed (what output records follow). */
export let currentPacket: u32 = 0xffffffff;

export function setCurrentPacket(i: u32): void {
  currentPacket = i;
}

/**
 * Room for a frame of at most `bytes` bytes: the pointer to write it at, or 0 when the area
 * is full (counted). Commit it with `outCommit`.
 */
export function outReserve(p: Pipeline, bytes: u32): usize {
  const need = OUT_HEADER_BYTES + ((<usize>bytes + 7) & ~(<usize>7));
  if (<usize>p.outUsed + need > <usize>p.outCapacity) {
    counterAdd(p, C_OUTPUT_OVERFLOW, 1);
    return 0;
  }
  return p.out + <usize>p.outUsed + OUT_HEADER_BYTES;
}

/** Completes the frame reserved at `frame`: `length` bytes, its kind and interface. */
export function outCommit(p: Pipeline, frame: usize, length: u32, iface: u32, kind: u8, detail: u8, time: f64): void {
  const header = frame - OUT_HEADER_BYTES;
  store<u32>(header + OUT_IFACE, iface);
  store<u32>(header + OUT_LENGTH, length);
  store<u8>(header + OUT_KIND, kind);
  store<u8>(header + OUT_DETAIL, detail);
  store<u16>(header + OUT_DETAIL + 1, 0);
  store<u32>(header + OUT_AFTER, currentPacket);
  store<f64>(header + OUT_TIME, time);
  p.outUsed += <u32>(OUT_HEADER_BYTES + ((<usize>length + 7) & ~(<usize>7)));
  p.outRecords++;
}
