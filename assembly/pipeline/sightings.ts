// ARP evidence of life in the pipeline: an IPv4 packet from a source on its interface's subnets
// is a sighting for the ARP table (`receiveIp`). In a scan from many on-link hosts nearly every
// packet is one, and each sighting's probe of the interface's ARP index misses cache; inside the
// per-packet stages each miss would wait alone. So the batch's sightings are found and hashed
// in one pass before those stages and their index slots loaded in another, where the misses
// overlap (as the FIB lookups are, in forward.ts), and each packet's home position is kept for
// its turn. With the SEEN ring full (a scan from more hosts than it holds), each new sighting
// also takes the ring's oldest address out of the index: those slots are loaded too. Measured on
// the Code Red mix's router (issue 18's bench, the build before against this in one process,
// CPU time): ×0.91–0.94 for the sightings, then ×0.96 for the ring's heads; sources not on-link
// ×0.97–1.03 (noise).

import { PacketBatch } from "../packet/batch";
import { PACKET_STATUS_FRAGMENT } from "../packet/status";
import { ArpTableState, S_BYTES, S_IP, S_HOME } from "../arp/state";
import { homeOf, indexTouch } from "../arp/index-table";
import { isOnLink, refill, timeOf, ifaceOf } from "../arp/pools";
import { receiveIp, NO_HOME } from "../arp/transitions";
import { arpReceiveIp } from "../arp";
import { Pipeline } from "./state";

/** Whether `src` is on a subnet (or on-link prefix) of ARP interface `iface`. */
// @ts-ignore: decorator
@inline function onLink(table: ArpTableState, iface: u32, src: u32): bool {
  return iface < table.count && isOnLink(ifaceOf(table, iface), src);
}

/**
 * Finds the sightings of the batch, keeps each one's index home in `p.sightingHomes` (NO_HOME
 * for a packet that is none), then loads those index slots.
 */
export function prepareSightings(p: Pipeline, b: PacketBatch, count: u32): void {
  if (!p.arp) return;
  const table = changetype<ArpTableState>(p.arp);
  const homes = p.sightingHomes;
  let any = false;
  for (let i: u32 = 0; i < count; i++) {
    const n = <usize>i;
    let home = NO_HOME;
    const iface = load<u32>(b.iface + (n << 2));
    if (iface < p.interfaceCount && load<u8>(b.ipVersion + n) == 4 && load<u8>(b.status + n) <= PACKET_STATUS_FRAGMENT) {
      const src = load<u32>(b.src + (n << 4));
      if (onLink(table, iface, src)) {
        home = homeOf(table, ifaceOf(table, iface), src);
        any = true;
      }
    }
    store<u32>(homes + (n << 2), home);
  }
  if (!any) return;
  // With the SEEN ring full, each new sighting also removes the ring's oldest address from the
  // index: the k-th sighting on an interface, at most, removes the k-th oldest. Their slots too.
  let sink: u64 = 0;
  let ringIface: u32 = 0xffffffff;
  let k: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const n = <usize>i;
    const home = load<u32>(homes + (n << 2));
    if (home == NO_HOME) continue;
    const iface = load<u32>(b.iface + (n << 2));
    const f = ifaceOf(table, iface);
    sink += indexTouch(f, home);
    if (iface != ringIface) {
      ringIface = iface;
      k = 0;
    }
    if (f.seenUsed == f.seenCap && k < f.seenCap) {
      let position = f.seenHead + k;
      if (position >= f.seenCap) position -= f.seenCap;
      const r = f.seen + <usize>position * S_BYTES;
      if (load<u32>(r + S_IP) != 0) sink += indexTouch(f, load<u32>(r + S_HOME));
      k++;
    }
  }
  store<u64>(homes + (<usize>count << 2), sink); // the buffer has a word past the batch's homes for this
}

/**
 * The sighting of packet `n` (IPv4, from `src`) on interface `iface`, as `arpReceiveIp` takes
 * it. `sameInterface`: the packet is still on the interface it arrived on, for which
 * prepareSightings decided (the bridge stage moves a routed frame to its BVI: then it is
 * decided here).
 */
export function receiveSighting(p: Pipeline, n: usize, iface: u32, sameInterface: bool, src: u32, time: f64): void {
  const table = changetype<ArpTableState>(p.arp);
  if (!sameInterface) {
    if (onLink(table, iface, src)) arpReceiveIp(p.arp, iface, src, time);
    return;
  }
  const home = load<u32>(p.sightingHomes + (n << 2));
  if (home == NO_HOME) return;
  const t = timeOf(table, time);
  const f = ifaceOf(table, iface);
  refill(f, t);
  receiveIp(table, f, src, t, home);
}
