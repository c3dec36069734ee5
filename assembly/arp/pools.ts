// Pools, lists, queues, rings and token buckets of one interface: the bookkeeping that the
// transitions in transitions.ts are written with. Everything here is O(1).

import {
  ArpTableState, ArpIface, NIL, P_BYTES, P_EXP_PREV, P_EXP_NEXT, P_REF_PREV, P_REF_NEXT, P_FLAGS, P_IP,
  I_BYTES, I_PREV, I_NEXT, I_DUE, I_IP, I_Q_HEAD, I_Q_TAIL, I_Q_COUNT, X_BYTES,
  FLAG_EXAMINED, FLAG_REFRESH_LISTED, REL_BYTES, REL_MAC, REL_HANDLE, REL_IP, REL_REASON, REL_ICMP,
  OUT_BYTES, OUT_TIME, OUT_MAC, OUT_TARGET, OUT_SENDER, RELEASE_SENT, RELEASE_RESOLVE_FAILED, MAX_ADDRESSES,
  C_RELEASED_SENT, C_RELEASED_DROPPED, C_REQUESTS_SENT, C_REPLIES_SENT, C_REPLY_RING_FULL,
  C_ICMP_ALLOWED, C_ICMP_SUPPRESSED,
} from "./state";
import { clockMs, clockSteppedBack } from "../common/clock";

// ---------------------------------------------------------------------------------------------
// The table's clock and interfaces

/** `now` as whole milliseconds, never before the last time seen (a step back is counted). */
export function timeOf(table: ArpTableState, now: f64): i64 {
  const t = clockMs(now, table.lastNow);
  if (clockSteppedBack) table.clockBackwards++;
  table.lastNow = t;
  return t;
}

/** Interface `ifIndex` (below `table.count`). */
// @ts-ignore: decorator
@inline export function ifaceOf(table: ArpTableState, ifIndex: u32): ArpIface {
  return changetype<ArpIface>(load<usize>(table.ifaces + <usize>ifIndex * sizeof<usize>()));
}

// ---------------------------------------------------------------------------------------------
// Counters and records

// @ts-ignore: decorator
@inline export function count(f: ArpIface, counter: i32): void {
  const p = f.counters + (<usize>counter << 3);
  store<u64>(p, load<u64>(p) + 1);
}

// @ts-ignore: decorator
@inline export function countBy(f: ArpIface, counter: i32, n: u64): void {
  const p = f.counters + (<usize>counter << 3);
  store<u64>(p, load<u64>(p) + n);
}

// @ts-ignore: decorator
@inline export function presentRecord(f: ArpIface, slot: u32): usize {
  return f.present + <usize>slot * P_BYTES;
}
// @ts-ignore: decorator
@inline export function incompleteRecord(f: ArpIface, slot: u32): usize {
  return f.incomplete + <usize>slot * I_BYTES;
}
// @ts-ignore: decorator
@inline export function nexistRecord(f: ArpIface, position: u32): usize {
  return f.nexist + <usize>position * X_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Token buckets: thousandths of a token; a rate of G per second adds G thousandths per ms, so
// refills are exact integers and the TS reference computes the same values.

export function refill(f: ArpIface, now: i64): void {
  const dt = now - f.tokensAt;
  if (dt > 0) {
    const cap = f.burst * 1000;
    if (dt >= f.fillMs) f.tokens = cap;
    else {
      const t = f.tokens + dt * f.rate;
      f.tokens = t > cap ? cap : t;
    }
    f.tokensAt = now;
  }
  if (f.icmpRate > 0) {
    const di = now - f.icmpAt;
    if (di > 0) {
      const cap = f.icmpBurst * 1000;
      if (di >= f.icmpFillMs) f.icmpTokens = cap;
      else {
        const t = f.icmpTokens + di * f.icmpRate;
        f.icmpTokens = t > cap ? cap : t;
      }
      f.icmpAt = now;
    }
  }
}

/** Request tokens (in thousandths) not owed to admitted INCOMPLETE entries. */
// @ts-ignore: decorator
@inline export function freeTokens(f: ArpIface): i64 {
  return f.tokens - f.obligations * 1000;
}

/** Takes an ICMP token if there is one (the host may then send a host-unreachable). */
export function icmpTake(f: ArpIface): bool {
  if (f.icmpRate > 0 && f.icmpTokens >= 1000) {
    f.icmpTokens -= 1000;
    count(f, C_ICMP_ALLOWED);
    return true;
  }
  count(f, C_ICMP_SUPPRESSED);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Addresses of the interface

// @ts-ignore: decorator
@inline function prefixHas(network: u32, length: u32, ip: u32): bool {
  return length == 0 || ((network ^ ip) >>> (32 - length)) == 0;
}

/** Whether `ip` is one of the interface's own addresses. */
export function isOwn(f: ArpIface, ip: u32): bool {
  const a = f.addresses;
  for (let k: u32 = 0; k < f.ownCount; k++) if (load<u32>(a + (<usize>k << 2)) == ip) return true;
  return false;
}

/** Whether `ip` is on a subnet of the interface (own subnets and extra on-link prefixes). */
// @ts-ignore: decorator
@inline export function isOnLink(f: ArpIface, ip: u32): bool {
  const a = f.addresses;
  for (let k: u32 = 0; k < f.ownCount; k++) {
    if (prefixHas(load<u32>(a + (<usize>k << 2)), load<u32>(a + ((<usize>(k + MAX_ADDRESSES)) << 2)), ip)) return true;
  }
  for (let k: u32 = 0; k < f.onLinkCount; k++) {
    if (prefixHas(load<u32>(a + ((<usize>(k + 2 * MAX_ADDRESSES)) << 2)), load<u32>(a + ((<usize>(k + 3 * MAX_ADDRESSES)) << 2)), ip)) return true;
  }
  return false;
}

/**
 * An address no neighbour can have: 0.0.0.0/8 host zero, loopback, multicast, class E and the
 * limited broadcast, and the network and broadcast addresses of the interface's subnets (≤ /30).
 */
export function isSpecial(f: ArpIface, ip: u32): bool {
  if (ip == 0 || (ip >>> 24) == 127 || ip >= 0xe0000000) return true;
  const a = f.addresses;
  for (let k: u32 = 0; k < f.ownCount; k++) {
    const length = load<u32>(a + ((<usize>(k + MAX_ADDRESSES)) << 2));
    if (length == 0 || length > 30) continue;
    const own = load<u32>(a + (<usize>k << 2));
    if (!prefixHas(own, length, ip)) continue;
    const host = ip & (0xffffffff >>> length);
    if (host == 0 || host == (0xffffffff >>> length)) return true;
  }
  return false;
}

/** Our address to send from when asking for `target`: the one whose subnet holds it, else the first. */
export function sourceFor(f: ArpIface, target: u32): u32 {
  const a = f.addresses;
  for (let k: u32 = 0; k < f.ownCount; k++) {
    const own = load<u32>(a + (<usize>k << 2));
    if (prefixHas(own, load<u32>(a + ((<usize>(k + MAX_ADDRESSES)) << 2)), target)) return own;
  }
  return f.ownCount > 0 ? load<u32>(a) : 0;
}

// ---------------------------------------------------------------------------------------------
// Output rings: ARP requests and replies to transmit

/** Appends a request for `target` (unicast to `mac`, or broadcast when `mac` is 0). The caller checked room. */
export function emitRequest(f: ArpIface, now: i64, target: u32, mac: u64): void {
  let position = f.reqHead + f.reqCount;
  if (position >= f.reqCap) position -= f.reqCap;
  const r = f.requests + <usize>position * OUT_BYTES;
  store<i64>(r + OUT_TIME, now);
  store<u64>(r + OUT_MAC, mac);
  store<u32>(r + OUT_TARGET, target);
  store<u32>(r + OUT_SENDER, sourceFor(f, target));
  f.reqCount++;
  f.tokens -= 1000;
  count(f, C_REQUESTS_SENT);
}

/** Appends a reply to `requesterIp`/`requesterMac` for our address `ours`; false when the ring is full. */
export function emitReply(f: ArpIface, now: i64, requesterIp: u32, requesterMac: u64, ours: u32): bool {
  if (f.repCount >= f.repCap) {
    count(f, C_REPLY_RING_FULL);
    return false;
  }
  let position = f.repHead + f.repCount;
  if (position >= f.repCap) position -= f.repCap;
  const r = f.replies + <usize>position * OUT_BYTES;
  store<i64>(r + OUT_TIME, now);
  store<u64>(r + OUT_MAC, requesterMac);
  store<u32>(r + OUT_TARGET, requesterIp);
  store<u32>(r + OUT_SENDER, ours);
  f.repCount++;
  count(f, C_REPLIES_SENT);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Packet handles: a stack of free handles (so numbering is deterministic), a next-link per
// handle for the per-entry queues, and the ring of released handles. A handle returns to the
// free stack only when the host has drained its release, so it is never reused unseen; the
// ring therefore never holds more than the pool, and never overflows.

export function takeHandle(f: ArpIface): u32 {
  if (f.hTop == 0) return NIL;
  f.hTop--;
  return load<u32>(f.hStack + (<usize>f.hTop << 2));
}

export function returnHandle(f: ArpIface, handle: u32): void {
  store<u32>(f.hStack + (<usize>f.hTop << 2), handle);
  f.hTop++;
}

// @ts-ignore: decorator
@inline export function handleNext(f: ArpIface, handle: u32): u32 {
  return load<u32>(f.hNext + (<usize>handle << 2));
}
// @ts-ignore: decorator
@inline export function setHandleNext(f: ArpIface, handle: u32, next: u32): void {
  store<u32>(f.hNext + (<usize>handle << 2), next);
}

/** Moves a queued handle to the released ring. */
export function release(f: ArpIface, handle: u32, ip: u32, mac: u64, reason: u8, icmp: bool): void {
  let position = f.relHead + f.relCount;
  if (position >= f.qCap) position -= f.qCap;
  const r = f.released + <usize>position * REL_BYTES;
  store<u64>(r + REL_MAC, mac);
  store<u32>(r + REL_HANDLE, f.handleBase + handle);
  store<u32>(r + REL_IP, ip);
  store<u8>(r + REL_REASON, reason);
  store<u8>(r + REL_ICMP, icmp ? 1 : 0);
  f.relCount++;
  f.queued--;
  count(f, reason == RELEASE_SENT ? C_RELEASED_SENT : C_RELEASED_DROPPED);
}

/** Releases an INCOMPLETE entry's whole queue, in arrival order. */
export function releaseQueue(f: ArpIface, rec: usize, ip: u32, mac: u64, reason: u8): void {
  let h = load<u32>(rec + I_Q_HEAD);
  while (h != NIL) {
    const next = handleNext(f, h);
    release(f, h, ip, mac, reason, reason == RELEASE_RESOLVE_FAILED ? icmpTake(f) : false);
    h = next;
  }
  store<u32>(rec + I_Q_HEAD, NIL);
  store<u32>(rec + I_Q_TAIL, NIL);
  store<u32>(rec + I_Q_COUNT, 0);
}

// ---------------------------------------------------------------------------------------------
// The expiry, refresh and retry lists: doubly linked through two u32 links of each record of a
// pool (`stride` bytes per slot from `records`, links at `prevAt` and `nextAt`), with their
// head and tail in two u32 fields of the interface, passed by address.

// @ts-ignore: decorator
@inline function fieldAt(f: ArpIface, offset: usize): usize {
  return changetype<usize>(f) + offset;
}

// @ts-ignore: decorator
@inline function linkAppend(head: usize, tail: usize, records: usize, stride: usize, prevAt: usize, nextAt: usize, slot: u32): void {
  const last = load<u32>(tail);
  const r = records + <usize>slot * stride;
  store<u32>(r + prevAt, last);
  store<u32>(r + nextAt, NIL);
  if (last == NIL) store<u32>(head, slot);
  else store<u32>(records + <usize>last * stride + nextAt, slot);
  store<u32>(tail, slot);
}

// @ts-ignore: decorator
@inline function linkRemove(head: usize, tail: usize, records: usize, stride: usize, prevAt: usize, nextAt: usize, slot: u32): void {
  const r = records + <usize>slot * stride;
  const prev = load<u32>(r + prevAt);
  const next = load<u32>(r + nextAt);
  if (prev == NIL) store<u32>(head, next);
  else store<u32>(records + <usize>prev * stride + nextAt, next);
  if (next == NIL) store<u32>(tail, prev);
  else store<u32>(records + <usize>next * stride + prevAt, prev);
}

// ---------------------------------------------------------------------------------------------
// PRESENT pool: free list through P_EXP_NEXT; dynamic entries in the expiry list (ordered by
// expiry, because the lifetime is constant); the examination cursor marks where the entries
// not yet looked at for refresh begin; refreshing entries in the refresh list (ordered by due).

export function presentAlloc(f: ArpIface): u32 {
  const slot = f.pFree;
  f.pFree = load<u32>(presentRecord(f, slot) + P_EXP_NEXT);
  return slot;
}

export function presentFree(f: ArpIface, slot: u32): void {
  const r = presentRecord(f, slot);
  store<u32>(r + P_IP, 0);
  store<u8>(r + P_FLAGS, 0);
  store<u32>(r + P_EXP_NEXT, f.pFree);
  f.pFree = slot;
}

export function expiryAppend(f: ArpIface, slot: u32): void {
  const r = presentRecord(f, slot);
  store<u8>(r + P_FLAGS, load<u8>(r + P_FLAGS) & ~FLAG_EXAMINED);
  linkAppend(fieldAt(f, offsetof<ArpIface>("expHead")), fieldAt(f, offsetof<ArpIface>("expTail")), f.present, P_BYTES, P_EXP_PREV, P_EXP_NEXT, slot);
  if (f.cursor == NIL) f.cursor = slot;
}

export function expiryRemove(f: ArpIface, slot: u32): void {
  if (f.cursor == slot) f.cursor = load<u32>(presentRecord(f, slot) + P_EXP_NEXT);
  linkRemove(fieldAt(f, offsetof<ArpIface>("expHead")), fieldAt(f, offsetof<ArpIface>("expTail")), f.present, P_BYTES, P_EXP_PREV, P_EXP_NEXT, slot);
}

export function refreshAppend(f: ArpIface, slot: u32): void {
  const r = presentRecord(f, slot);
  store<u8>(r + P_FLAGS, load<u8>(r + P_FLAGS) | FLAG_REFRESH_LISTED);
  linkAppend(fieldAt(f, offsetof<ArpIface>("refHead")), fieldAt(f, offsetof<ArpIface>("refTail")), f.present, P_BYTES, P_REF_PREV, P_REF_NEXT, slot);
}

export function refreshRemove(f: ArpIface, slot: u32): void {
  const r = presentRecord(f, slot);
  const flags = load<u8>(r + P_FLAGS);
  if (!(flags & FLAG_REFRESH_LISTED)) return;
  store<u8>(r + P_FLAGS, flags & ~FLAG_REFRESH_LISTED);
  linkRemove(fieldAt(f, offsetof<ArpIface>("refHead")), fieldAt(f, offsetof<ArpIface>("refTail")), f.present, P_BYTES, P_REF_PREV, P_REF_NEXT, slot);
}

// ---------------------------------------------------------------------------------------------
// INCOMPLETE pool: free list through I_NEXT; every live entry is in the retry list, ordered by
// its next timer event (appends are at now + a constant, so the order holds).

export function incompleteAlloc(f: ArpIface): u32 {
  const slot = f.iFree;
  f.iFree = load<u32>(incompleteRecord(f, slot) + I_NEXT);
  f.iCount++;
  if (f.iCount > f.peakIncomplete) f.peakIncomplete = f.iCount;
  return slot;
}

export function incompleteFree(f: ArpIface, slot: u32): void {
  const r = incompleteRecord(f, slot);
  store<u32>(r + I_IP, 0);
  store<u32>(r + I_NEXT, f.iFree);
  f.iFree = slot;
  f.iCount--;
}

export function retryAppend(f: ArpIface, slot: u32, due: i64): void {
  store<i64>(incompleteRecord(f, slot) + I_DUE, due);
  linkAppend(fieldAt(f, offsetof<ArpIface>("retryHead")), fieldAt(f, offsetof<ArpIface>("retryTail")), f.incomplete, I_BYTES, I_PREV, I_NEXT, slot);
}

export function retryRemove(f: ArpIface, slot: u32): void {
  linkRemove(fieldAt(f, offsetof<ArpIface>("retryHead")), fieldAt(f, offsetof<ArpIface>("retryTail")), f.incomplete, I_BYTES, I_PREV, I_NEXT, slot);
}
