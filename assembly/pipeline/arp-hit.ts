// ARP resolution of a forwarded packet's next hop, with the common case inlined: a hit on a
// PRESENT entry, found through a small memo of where each next hop sits in the ARP index.
//
// The memo (ARP_MEMO_ENTRIES direct-mapped entries: next hop, interface, and the position in
// that interface's ARP index where the address was found) only says where to look: it is used
// only when the index still holds the address at that position, and an address sits in the
// index (linear probing, backward-shift deletion) at most once, on its probe path, so the
// lookup from its home would find the same slot and read the same entry reference. A memo
// miss looks the address up as indexGet does; anything but PRESENT goes to `arpResolve`; a hit
// does what `arpResolve` does for it (the same clock, token refill, last-use stamp, counters
// and result), so the results are those of `arpResolve` on every packet.

import { arpResolve } from "../arp";
import {
  ArpTableState, KIND_PRESENT, KIND_SHIFT, SLOT_MASK, P_BYTES, P_MAC, P_LAST_USED, C_RESOLVE_CALLS,
  C_PRESENT_HITS, VERDICT_FOUND,
} from "../arp/state";
import { homeOf } from "../arp/index-table";
import { count, refill, timeOf, ifaceOf } from "../arp/pools";
import { Pipeline } from "./state";

export const ARP_MEMO_ENTRIES: u32 = 64;
export const ARP_MEMO_BYTES: u32 = 16;

/** arpResolve(p.arp, egress, target, time), with PRESENT hits taken here. */
export function resolveNextHop(p: Pipeline, egress: u32, target: u32, time: f64): u32 {
  const table = changetype<ArpTableState>(p.arp);
  if (egress >= table.count) return arpResolve(p.arp, egress, target, time);
  const f = ifaceOf(table, egress);
  const m = p.arpMemo + <usize>(((target ^ (egress << 24)) * 0x9e3779b1) >>> (32 - 6)) * ARP_MEMO_BYTES;
  const index = f.index;
  let word: u64 = 0;
  let hit = false;
  if (load<u32>(m) == target && load<u32>(m, 4) == egress) {
    const position = load<u32>(m, 8);
    const held = position < f.indexCap ? load<u64>(index + (<usize>position << 3)) : 0;
    if (<u32>held == target && held != 0) {
      word = held;
      hit = true;
    }
  }
  if (!hit) {
    // The index lookup (indexGet), remembering where the address was found.
    let position = homeOf(table, f, target);
    const cap = f.indexCap;
    while (true) {
      const e = load<u64>(index + (<usize>position << 3));
      const key = <u32>e;
      if (key == target) {
        word = e;
        store<u32>(m, target);
        store<u32>(m, egress, 4);
        store<u32>(m, position, 8);
        break;
      }
      if (key == 0) break;
      position = position + 1 == cap ? 0 : position + 1;
    }
  }
  const found = <u32>(word >> 32);
  if (found >>> KIND_SHIFT != KIND_PRESENT) return arpResolve(p.arp, egress, target, time);
  const t = timeOf(table, time); // arpResolve's clock
  refill(f, t);
  const r = f.present + <usize>(found & SLOT_MASK) * P_BYTES;
  store<i64>(r + P_LAST_USED, t);
  const mac = load<u64>(r + P_MAC);
  f.resultMac = mac;
  table.resultMac = mac;
  table.resultHandle = f.resultHandle;
  count(f, C_RESOLVE_CALLS);
  count(f, C_PRESENT_HITS);
  return VERDICT_FOUND;
}
