// The pipeline's side of the ARP table: its requests and replies become frames on their
// interface, and the packets it releases leave (resolved) or are dropped (failed), in the
// order the table produced them. Called after every ARP event (a received ARP packet, a
// resolution that did not find a MAC, a tick).

import { arpOutputTake, arpReleasedTake, arpHandleCount } from "../arp";
import { REL_BYTES, REL_MAC, REL_HANDLE, REL_REASON, REL_ICMP, OUT_BYTES, OUT_TIME, OUT_MAC, OUT_TARGET, OUT_SENDER, RELEASE_SENT, RELEASE_RESOLVE_FAILED, RELEASE_QUEUE_OVERFLOW } from "../arp/state";
import {
  Pipeline, IF_BYTES, IF_MAC, HOLD_META_BYTES, HOLD_LENGTH, HOLD_IN_IFACE, HOLD_OUT_IFACE, HOLD_L3, HOLD_WIRE, HOLD_PATH,
  OUT_KIND_ARP_REQUEST, OUT_KIND_ARP_REPLY, OUT_KIND_RELEASED, C_ARP_REQUESTS_OUT, C_ARP_REPLIES_OUT, C_RELEASED_SENT,
  C_RELEASED_FAILED, C_RELEASED_OVERFLOW, C_RELEASED_CLEARED, C_RELEASED_LOST, IC_ARP_OUT, IC_PACKETS_OUT, IC_BYTES_OUT,
} from "./state";
import { counterAdd, ifCounterAdd, outReserve, outCommit } from "./output";
import { writeArpFrame, macToWire, decrementTtl4 } from "./frames";
import { icmpError, ICMP_UNREACHABLE } from "./icmp";
import { countOut } from "./switching";

const DRAIN: u32 = 64;
const BROADCAST: u64 = 0xffffffffffff;
/** Held-frame flag (in the byte after HOLD_WIRE's u32): an ICMP error about it is allowed. */
export const HOLD_ELIGIBLE: usize = 20;

/** Turns everything the ARP table has produced into output, at `time`. */
export function drainArp(p: Pipeline, time: f64): void {
  const arp = p.arp;
  const scratch = p.scratch + 64;
  for (let i: u32 = 0; i < p.interfaceCount; i++) {
    const mac = load<u64>(p.interfaces + <usize>i * IF_BYTES + IF_MAC);
    for (let which: u32 = 0; which < 2; which++) {
      while (true) {
        const n = arpOutputTake(arp, i, which, scratch, DRAIN);
        for (let k: u32 = 0; k < n; k++) {
          const r = scratch + <usize>k * OUT_BYTES;
          const target = load<u64>(r + OUT_MAC);
          const out = outReserve(p, 60);
          if (!out) continue;
          const request = which == 0;
          writeArpFrame(out, request ? 1 : 2, request && target == 0 ? BROADCAST : target, mac, load<u32>(r + OUT_SENDER), request ? 0 : target, load<u32>(r + OUT_TARGET));
          outCommit(p, out, 60, i, request ? OUT_KIND_ARP_REQUEST : OUT_KIND_ARP_REPLY, 0, <f64>load<i64>(r + OUT_TIME));
          counterAdd(p, request ? C_ARP_REQUESTS_OUT : C_ARP_REPLIES_OUT, 1);
          ifCounterAdd(p, i, IC_ARP_OUT, 1);
        }
        if (n < DRAIN) break;
      }
    }
  }
  for (let i: u32 = 0; i < p.interfaceCount; i++) {
    while (true) {
      const n = arpReleasedTake(arp, i, scratch, DRAIN);
      for (let k: u32 = 0; k < n; k++) release(p, scratch + <usize>k * REL_BYTES, time);
      if (n < DRAIN) break;
    }
  }
}

function release(p: Pipeline, r: usize, time: f64): void {
  const handle = load<u32>(r + REL_HANDLE);
  const reason = load<u8>(r + REL_REASON);
  const meta = p.holdMeta + <usize>handle * HOLD_META_BYTES;
  const frame = p.hold + <usize>handle * <usize>p.holdSlotBytes;
  const length = load<u32>(meta + HOLD_LENGTH);
  store<u32>(meta + HOLD_LENGTH, 0);
  if (reason == RELEASE_SENT) {
    const egress = load<u32>(meta + HOLD_OUT_IFACE);
    const out = outReserve(p, length);
    if (!out) {
      counterAdd(p, C_RELEASED_LOST, 1);
      return;
    }
    memory.copy(out, frame, length);
    macToWire(load<u64>(r + REL_MAC), out);
    macToWire(load<u64>(p.interfaces + <usize>egress * IF_BYTES + IF_MAC), out + 6);
    decrementTtl4(out + load<u32>(meta + HOLD_L3));
    outCommit(p, out, length, egress, OUT_KIND_RELEASED, 0, time);
    counterAdd(p, C_RELEASED_SENT, 1);
    ifCounterAdd(p, egress, IC_PACKETS_OUT, 1);
    ifCounterAdd(p, egress, IC_BYTES_OUT, <u64>load<u32>(meta + HOLD_WIRE));
    countOut(p, egress, <u32>load<u8>(meta + HOLD_PATH), load<u32>(meta + HOLD_WIRE));
    return;
  }
  counterAdd(p, reason == RELEASE_RESOLVE_FAILED ? C_RELEASED_FAILED : reason == RELEASE_QUEUE_OVERFLOW ? C_RELEASED_OVERFLOW : C_RELEASED_CLEARED, 1);
  if (load<u8>(r + REL_ICMP) != 0) {
    // ARP's bucket allowed a host unreachable (NANOG 2001): about the held datagram.
    icmpError(p, frame, length, load<u32>(meta + HOLD_L3), 4, load<u32>(meta + HOLD_IN_IFACE), ICMP_UNREACHABLE, 1, time, load<u8>(meta + HOLD_ELIGIBLE) != 0, false);
  }
}

/** Packet handles of the ARP table (one held frame each). */
export function holdSlotsFor(arp: usize): u32 {
  return arp ? arpHandleCount(arp) : 0;
}
