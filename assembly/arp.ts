// ARP with negative caching (the NANOG 2001 proposal, seed 001, as designed in research §8):
// per interface, separate fixed pools for PRESENT/STATIC, INCOMPLETE and NEXIST entries, a
// request token bucket, bounded packet-handle queues, timer-driven retries. Everything is
// allocated by `arpCreate`; no call after it allocates. All arguments are plain numbers, so the
// pipeline can call `arpResolve` from inside the module after a FIB lookup.

import { Budget, budgetCreate, budgetAlloc, budgetRelease } from "./common/budget";
import { splitMix64 } from "./common/prng";
import { reduceRange, sipHash13, sipHashWord } from "./common/hash";
import {
  ArpIface, ArpTableState, NIL, KIND_PRESENT, KIND_INCOMPLETE, KIND_NEXIST, KIND_SHIFT, SLOT_MASK,
  VERDICT_FOUND, VERDICT_NEXIST, VERDICT_QUEUED, VERDICT_BAD_INTERFACE, VERDICT_ICMP,
  P_BYTES, P_MAC, P_LAST_USED, P_EXPIRES, P_UPDATED, P_IP, P_FLAGS, P_PROBES, P_EXP_NEXT,
  I_BYTES, I_CREATED, I_DUE, I_LAST_SENT, I_IP, I_SENT, I_FAILURES, I_Q_COUNT, I_NEXT,
  X_BYTES, X_EXPIRES, X_IP, X_FAILURES, X_FLAGS, REL_BYTES, REL_HANDLE, OUT_BYTES, MAX_ADDRESSES, COUNTERS,
  C_RESOLVE_CALLS, C_PRESENT_HITS, C_NEXIST_HITS, C_ICMP_ALLOWED, C_ICMP_SUPPRESSED,
  CFG_RETRANSMIT_MS, CFG_REQUESTS, CFG_DEMAND, CFG_NEXIST_HOLD_MS, CFG_BACKOFF, CFG_BACKOFF_BASE_MS, CFG_BACKOFF_MAX_MS,
  CFG_PRESENT_LIFETIME_MS, CFG_REFRESH_WINDOW_MS, CFG_REFRESH_PROBES, CFG_RECENT_USE_MS, CFG_LOCKTIME_MS,
  CFG_INCOMPLETE_ENTRIES, CFG_NEXIST_ENTRIES, CFG_PRESENT_ENTRIES, CFG_STATIC_ENTRIES, CFG_IDLE_EVICT_MS,
  CFG_QUEUE_PER_ENTRY, CFG_QUEUE_PER_INTERFACE, CFG_REQUEST_RATE, CFG_REQUEST_BURST, CFG_REFRESH_RESERVE,
  CFG_ICMP_RATE, CFG_ICMP_BURST, CFG_TICK_WORK, CFG_ACCEPT_UNSOLICITED, CFG_LEARN_ON_CLEAR, CFG_REQUEST_RING,
  CFG_REPLY_RING, CFG_SEEN_ENTRIES, CFG_SEEN_WINDOW_MS, S_BYTES, CFG_MAC_HIGH, CFG_MAC_LOW, CFG_OWN_COUNT, CFG_ON_LINK_COUNT, CFG_OWN, CFG_ON_LINK, CFG_WORDS,
  OCC_PRESENT, OCC_STATIC, OCC_INCOMPLETE, OCC_NEXIST, OCC_NEXIST_POSITIONS, OCC_QUEUED, OCC_PENDING_RELEASES,
  OCC_PENDING_REQUESTS, OCC_PENDING_REPLIES, OCC_BYTES, OCC_PRESENT_CAPACITY, OCC_STATIC_CAPACITY,
  OCC_INCOMPLETE_CAPACITY, OCC_NEXIST_CAPACITY, OCC_QUEUE_CAPACITY, OCC_PEAK_PRESENT, OCC_PEAK_INCOMPLETE,
  OCC_PEAK_NEXIST, OCC_PEAK_QUEUED, OCC_INDEX_ENTRIES, OCC_INDEX_CAPACITY, OCC_LONGEST_PROBE, OCC_FREE_TOKENS,
  OCC_OBLIGATIONS, OCC_SEEN, OCC_SEEN_CAPACITY, OCCUPANCY_WORDS, ENTRY_IP, ENTRY_MAC_HIGH, ENTRY_MAC_LOW, ENTRY_FLAGS,
  ENTRY_EXPIRES, ENTRY_UPDATED, ENTRY_LAST_USED, ENTRY_REQUESTS, ENTRY_QUEUED, ENTRY_FAILURES, ENTRY_WORDS,
  TABLE_BAD_INTERFACE, TABLE_CLOCK_BACKWARDS, TABLE_LAST_NOW, TABLE_BYTES,
} from "./arp/state";
import { indexGet } from "./arp/index-table";
import {
  count, countBy, refill, presentRecord, incompleteRecord, nexistRecord, freeTokens, returnHandle, timeOf, ifaceOf,
} from "./arp/pools";
import {
  resolveSlow, receiveArp, receiveIp, tickIface, clearIface, staticAdd, staticRemove, NO_MAC,
} from "./arp/transitions";

// ---------------------------------------------------------------------------------------------
// Creation

function alloc(budget: Budget, f: ArpIface, bytes: usize): usize {
  const ptr = budgetAlloc(budget, bytes);
  f.bytes += <u64>bytes;
  return ptr;
}

// @ts-ignore: decorator
@inline function cfg(config: usize, word: i32): f64 {
  return load<f64>(config + (<usize>word << 3));
}

/** Builds one interface from its configuration block; false when the budget cannot hold it. */
function createIface(table: ArpTableState, f: ArpIface, ifIndex: u32, config: usize, handleBase: u32): bool {
  const budget = table.budget;
  f.ifIndex = ifIndex;
  f.t1 = <i64>cfg(config, CFG_RETRANSMIT_MS);
  f.n = <u32>cfg(config, CFG_REQUESTS);
  f.demand = <u32>cfg(config, CFG_DEMAND);
  f.t2 = <i64>cfg(config, CFG_NEXIST_HOLD_MS);
  f.backoff = <u32>cfg(config, CFG_BACKOFF);
  f.backoffBase = <i64>cfg(config, CFG_BACKOFF_BASE_MS);
  f.backoffMax = <i64>cfg(config, CFG_BACKOFF_MAX_MS);
  f.lifetime = <i64>cfg(config, CFG_PRESENT_LIFETIME_MS);
  f.refreshWindow = <i64>cfg(config, CFG_REFRESH_WINDOW_MS);
  f.refreshProbes = <u32>cfg(config, CFG_REFRESH_PROBES);
  f.recentUse = <i64>cfg(config, CFG_RECENT_USE_MS);
  f.lockTime = <i64>cfg(config, CFG_LOCKTIME_MS);
  f.iCap = <u32>cfg(config, CFG_INCOMPLETE_ENTRIES);
  f.xCap = <u32>cfg(config, CFG_NEXIST_ENTRIES);
  f.pCap = <u32>cfg(config, CFG_PRESENT_ENTRIES);
  f.sCap = <u32>cfg(config, CFG_STATIC_ENTRIES);
  f.idleEvict = <i64>cfg(config, CFG_IDLE_EVICT_MS);
  f.qEntry = <u32>cfg(config, CFG_QUEUE_PER_ENTRY);
  f.qCap = <u32>cfg(config, CFG_QUEUE_PER_INTERFACE);
  f.rate = <i64>cfg(config, CFG_REQUEST_RATE);
  f.burst = <i64>cfg(config, CFG_REQUEST_BURST);
  f.reserve = <i64>cfg(config, CFG_REFRESH_RESERVE);
  f.fillMs = (f.burst * 1000 + f.rate - 1) / f.rate;
  f.icmpRate = <i64>cfg(config, CFG_ICMP_RATE);
  f.icmpBurst = <i64>cfg(config, CFG_ICMP_BURST);
  f.icmpFillMs = f.icmpRate > 0 ? (f.icmpBurst * 1000 + f.icmpRate - 1) / f.icmpRate : 0;
  f.tickWork = <u32>cfg(config, CFG_TICK_WORK);
  f.acceptUnsolicited = <u32>cfg(config, CFG_ACCEPT_UNSOLICITED);
  f.learnOnClear = <u32>cfg(config, CFG_LEARN_ON_CLEAR);
  f.reqCap = <u32>cfg(config, CFG_REQUEST_RING);
  f.repCap = <u32>cfg(config, CFG_REPLY_RING);
  f.mac = ((<u64>cfg(config, CFG_MAC_HIGH)) << 32) | <u64>cfg(config, CFG_MAC_LOW);
  f.ownCount = <u32>cfg(config, CFG_OWN_COUNT);
  f.onLinkCount = <u32>cfg(config, CFG_ON_LINK_COUNT);
  f.seenCap = <u32>cfg(config, CFG_SEEN_ENTRIES);
  f.seenWindow = <i64>cfg(config, CFG_SEEN_WINDOW_MS);
  f.bytes = <u64>offsetof<ArpIface>();

  f.addresses = alloc(budget, f, <usize>(4 * MAX_ADDRESSES) << 2);
  if (!f.addresses) return false;
  for (let k: u32 = 0; k < MAX_ADDRESSES; k++) {
    store<u32>(f.addresses + (<usize>k << 2), <u32>cfg(config, CFG_OWN + 2 * k));
    store<u32>(f.addresses + (<usize>(k + MAX_ADDRESSES) << 2), <u32>cfg(config, CFG_OWN + 2 * k + 1));
    store<u32>(f.addresses + (<usize>(k + 2 * MAX_ADDRESSES) << 2), <u32>cfg(config, CFG_ON_LINK + 2 * k));
    store<u32>(f.addresses + (<usize>(k + 3 * MAX_ADDRESSES) << 2), <u32>cfg(config, CFG_ON_LINK + 2 * k + 1));
  }
  f.tokens = f.burst * 1000;
  f.tokensAt = 0;
  f.obligations = 0;
  f.icmpTokens = f.icmpBurst * 1000;
  f.icmpAt = 0;

  const entries = <u64>f.pCap + <u64>f.sCap + <u64>f.iCap + <u64>f.xCap + <u64>f.seenCap;
  const indexCap = entries * 2 < 16 ? 16 : entries * 2;
  f.indexCap = <u32>indexCap;
  f.indexCount = 0;
  f.maxProbe = 0;
  f.ifKey = (<u64>ifIndex) << 32;
  f.index = alloc(budget, f, <usize>indexCap << 3);
  const pSlots = f.pCap + f.sCap;
  f.present = alloc(budget, f, <usize>pSlots * P_BYTES);
  f.incomplete = alloc(budget, f, <usize>f.iCap * I_BYTES);
  f.nexist = alloc(budget, f, <usize>f.xCap * X_BYTES);
  f.seen = alloc(budget, f, <usize>f.seenCap * S_BYTES);
  f.hNext = alloc(budget, f, <usize>f.qCap << 2);
  f.hStack = alloc(budget, f, <usize>f.qCap << 2);
  f.released = alloc(budget, f, <usize>f.qCap * REL_BYTES);
  f.requests = alloc(budget, f, <usize>f.reqCap * OUT_BYTES);
  f.replies = alloc(budget, f, <usize>f.repCap * OUT_BYTES);
  f.counters = alloc(budget, f, <usize>COUNTERS << 3);
  if (!f.index || !f.present || !f.incomplete || !f.nexist || (f.seenCap > 0 && !f.seen) || !f.hNext || !f.hStack || !f.released
    || !f.requests || !f.replies || !f.counters) return false;

  for (let s: u32 = 0; s < pSlots; s++) store<u32>(presentRecord(f, s) + P_EXP_NEXT, s + 1 < pSlots ? s + 1 : NIL);
  f.pFree = pSlots > 0 ? 0 : NIL;
  f.pCount = 0;
  f.sCount = 0;
  f.expHead = NIL;
  f.expTail = NIL;
  f.cursor = NIL;
  f.refHead = NIL;
  f.refTail = NIL;
  for (let s: u32 = 0; s < f.iCap; s++) store<u32>(incompleteRecord(f, s) + I_NEXT, s + 1 < f.iCap ? s + 1 : NIL);
  f.iFree = f.iCap > 0 ? 0 : NIL;
  f.iCount = 0;
  f.retryHead = NIL;
  f.retryTail = NIL;
  f.xHead = 0;
  f.xUsed = 0;
  f.xLive = 0;
  f.nexistQuiet = i64.MAX_VALUE;
  f.seenHead = 0;
  f.seenUsed = 0;
  f.seenLive = 0;
  f.handleBase = handleBase;
  // The free stack pops handles 0, 1, 2, ... first.
  for (let h: u32 = 0; h < f.qCap; h++) store<u32>(f.hStack + (<usize>h << 2), f.qCap - 1 - h);
  f.hTop = f.qCap;
  f.queued = 0;
  f.relHead = 0;
  f.relCount = 0;
  f.reqHead = 0;
  f.reqCount = 0;
  f.repHead = 0;
  f.repCount = 0;
  f.peakPresent = 0;
  f.peakIncomplete = 0;
  f.peakNexist = 0;
  f.peakQueued = 0;
  return true;
}

/**
 * A table of `count` interfaces configured by `count` blocks of CFG_WORDS f64 at `config`
 * (validated by the host), keyed by the 64-bit `seed`, holding at most `limitBytes`.
 * Returns 0 when the budget cannot hold it.
 */
export function arpCreate(count: u32, config: usize, seedLow: u32, seedHigh: u32, limitBytes: f64): usize {
  const table = changetype<ArpTableState>(heap.alloc(offsetof<ArpTableState>()));
  memory.fill(changetype<usize>(table), 0, offsetof<ArpTableState>());
  const seed = ((<u64>seedHigh) << 32) | seedLow;
  table.count = count;
  table.k0 = splitMix64(seed);
  table.k1 = splitMix64(seed + 0x9e3779b97f4a7c15);
  table.lastNow = 0;
  table.badInterface = 0;
  table.clockBackwards = 0;
  table.budget = budgetCreate(<u64>limitBytes);
  table.ifaces = budgetAlloc(table.budget, <usize>count * sizeof<usize>());
  if (count > 0 && !table.ifaces) return arpCreateFailed(table);
  let handles: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const f = changetype<ArpIface>(budgetAlloc(table.budget, offsetof<ArpIface>()));
    if (!changetype<usize>(f)) return arpCreateFailed(table);
    store<usize>(table.ifaces + (<usize>i * sizeof<usize>()), changetype<usize>(f));
    if (!createIface(table, f, i, config + <usize>i * (<usize>CFG_WORDS << 3), handles)) return arpCreateFailed(table);
    handles += f.qCap;
  }
  table.handles = handles;
  return changetype<usize>(table);
}

/** A table that could not be made whole is freed; its creator returns 0. */
function arpCreateFailed(table: ArpTableState): usize {
  arpDestroy(changetype<usize>(table));
  return 0;
}

/**
 * Frees everything the table holds (interfaces, pools, rings, staging: all blocks of its
 * budget) and the table itself. The handle must not be used afterwards.
 */
export function arpDestroy(handle: usize): void {
  const table = changetype<ArpTableState>(handle);
  budgetRelease(table.budget);
  heap.free(handle);
}

// ---------------------------------------------------------------------------------------------
// Resolution

/**
 * Resolves `ip` on interface `ifIndex` for one packet: a VERDICT_ code (with VERDICT_ICMP or'ed
 * into drops that may send a host-unreachable). FOUND leaves the MAC in the table's result
 * (`arpResultMacHigh/Low(table)`), QUEUED the packet's handle (`arpResultHandle(table)`).
 */
export function arpResolve(tableHandle: usize, ifIndex: u32, ip: u32, now: f64): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    table.badInterface++;
    return VERDICT_BAD_INTERFACE;
  }
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  const verdict = resolveSlow(table, f, ip, t, indexGet(table, f, ip));
  table.resultMac = f.resultMac;
  table.resultHandle = f.resultHandle;
  return verdict;
}

/** The MAC (high 16 bits) of the table's last FOUND `arpResolve`. */
export function arpResultMacHigh(tableHandle: usize): u32 {
  return <u32>(changetype<ArpTableState>(tableHandle).resultMac >> 32);
}
/** The MAC (low 32 bits) of the table's last FOUND `arpResolve`. */
export function arpResultMacLow(tableHandle: usize): u32 {
  return <u32>changetype<ArpTableState>(tableHandle).resultMac;
}
/** The packet handle of the table's last QUEUED `arpResolve`. */
export function arpResultHandle(tableHandle: usize): u32 {
  return changetype<ArpTableState>(tableHandle).resultHandle;
}

/**
 * Resolves `count` addresses (u32 at `ips`) for one interface, writing a verdict (u8) per
 * address to `verdicts`, and, when the pointers are not 0, the MAC (u64) of FOUND addresses to
 * `macs` and the handle (u32) of QUEUED ones to `handles`. Hits on PRESENT and on live NEXIST
 * entries stay in this loop; everything else takes the slow path.
 */
export function arpResolveBatch(tableHandle: usize, ifIndex: u32, ips: usize, count: u32, now: f64, verdicts: usize, macs: usize, handles: usize): void {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    memory.fill(verdicts, VERDICT_BAD_INTERFACE, count);
    table.badInterface += count;
    return;
  }
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  const k0 = table.k0;
  const k1 = table.k1;
  const key = f.ifKey;
  const cap = f.indexCap;
  const index = f.index;
  const present = f.present;
  const nexist = f.nexist;
  const quiet = f.nexistQuiet;
  let presentHits: u64 = 0;
  let nexistHits: u64 = 0;
  let icmpAllowed: u64 = 0;
  let icmpSuppressed: u64 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const ip = load<u32>(ips + (<usize>i << 2));
    let position = reduceRange(<u32>sipHashWord(key | <u64>ip, k0, k1), cap);
    let found: u32 = 0;
    while (true) {
      const e = load<u64>(index + (<usize>position << 3));
      const k = <u32>e;
      if (k == ip) {
        found = <u32>(e >> 32);
        break;
      }
      if (k == 0) break;
      position = position + 1 == cap ? 0 : position + 1;
    }
    const kind = found >>> KIND_SHIFT;
    if (kind == KIND_PRESENT) {
      const r = present + <usize>(found & SLOT_MASK) * P_BYTES;
      store<i64>(r + P_LAST_USED, t);
      if (macs) store<u64>(macs + (<usize>i << 3), load<u64>(r + P_MAC));
      store<u8>(verdicts + i, VERDICT_FOUND);
      presentHits++;
      continue;
    }
    if (kind == KIND_NEXIST && (t < quiet || t < load<i64>(nexist + <usize>(found & SLOT_MASK) * X_BYTES + X_EXPIRES))) {
      // icmpTake, inlined and counted per batch.
      if (f.icmpRate > 0 && f.icmpTokens >= 1000) {
        f.icmpTokens -= 1000;
        icmpAllowed++;
        store<u8>(verdicts + i, VERDICT_NEXIST | VERDICT_ICMP);
      } else {
        icmpSuppressed++;
        store<u8>(verdicts + i, VERDICT_NEXIST);
      }
      nexistHits++;
      continue;
    }
    const verdict = resolveSlow(table, f, ip, t, found);
    store<u8>(verdicts + i, verdict);
    if (verdict == VERDICT_QUEUED && handles) store<u32>(handles + (<usize>i << 2), f.resultHandle);
    if (verdict == VERDICT_FOUND && macs) store<u64>(macs + (<usize>i << 3), f.resultMac);
  }
  countBy(f, C_RESOLVE_CALLS, presentHits + nexistHits);
  countBy(f, C_PRESENT_HITS, presentHits);
  countBy(f, C_NEXIST_HITS, nexistHits);
  countBy(f, C_ICMP_ALLOWED, icmpAllowed);
  countBy(f, C_ICMP_SUPPRESSED, icmpSuppressed);
}

// ---------------------------------------------------------------------------------------------
// Received packets and time

/**
 * One received ARP packet (parsed fields; MACs as 16-bit high and 32-bit low halves; an
 * Ethernet address with high half 0xffffffff is "not given"). Returns the decision's counter
 * index, with bit 8 set when a reply was queued; -1 for an unknown interface.
 */
export function arpReceiveArp(
  tableHandle: usize, ifIndex: u32, op: u32, senderIp: u32, senderMacHigh: u32, senderMacLow: u32,
  targetIp: u32, targetMacHigh: u32, targetMacLow: u32, ethSourceHigh: u32, ethSourceLow: u32,
  ethDestinationHigh: u32, ethDestinationLow: u32, now: f64,
): i32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    table.badInterface++;
    return -1;
  }
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  const sha = ((<u64>senderMacHigh) << 32) | senderMacLow;
  const tha = ((<u64>targetMacHigh) << 32) | targetMacLow;
  const es = ethSourceHigh == 0xffffffff ? NO_MAC : ((<u64>ethSourceHigh) << 32) | ethSourceLow;
  const ed = ethDestinationHigh == 0xffffffff ? NO_MAC : ((<u64>ethDestinationHigh) << 32) | ethDestinationLow;
  return receiveArp(table, f, op, senderIp, sha, targetIp, tha, es, ed, t);
}

/** An IP packet from `srcIp` arrived on `ifIndex` (evidence of life). Returns the decision's counter index or -1. */
export function arpReceiveIp(tableHandle: usize, ifIndex: u32, srcIp: u32, now: f64): i32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    table.badInterface++;
    return -1;
  }
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  return receiveIp(table, f, srcIp, t);
}

/** `arpReceiveIp` for `count` source addresses (u32 at `srcs`). */
export function arpReceiveIpBatch(tableHandle: usize, ifIndex: u32, srcs: usize, count: u32, now: f64): void {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    table.badInterface += count;
    return;
  }
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  for (let i: u32 = 0; i < count; i++) receiveIp(table, f, load<u32>(srcs + (<usize>i << 2)), t);
}

/** Runs every interface's timers up to `now`. */
export function arpTick(tableHandle: usize, now: f64): void {
  const table = changetype<ArpTableState>(tableHandle);
  const t = timeOf(table, now);
  for (let i: u32 = 0; i < table.count; i++) {
    const f = ifaceOf(table, i);
    refill(f, t);
    tickIface(table, f, t);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

/**
 * Moves up to `max` records of one output ring (0: requests, 1: replies) of `ifIndex` to `out`
 * (OUT_BYTES each, oldest first); returns how many.
 */
export function arpOutputTake(tableHandle: usize, ifIndex: u32, which: u32, out: usize, max: u32): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return 0;
  const f = ifaceOf(table, ifIndex);
  const ring = which == 0 ? f.requests : f.replies;
  const cap = which == 0 ? f.reqCap : f.repCap;
  let head = which == 0 ? f.reqHead : f.repHead;
  const available = which == 0 ? f.reqCount : f.repCount;
  const n = available < max ? available : max;
  for (let k: u32 = 0; k < n; k++) {
    memory.copy(out + <usize>k * OUT_BYTES, ring + <usize>head * OUT_BYTES, OUT_BYTES);
    head = head + 1 == cap ? 0 : head + 1;
  }
  if (which == 0) {
    f.reqHead = head;
    f.reqCount -= n;
  } else {
    f.repHead = head;
    f.repCount -= n;
  }
  return n;
}

/** Moves up to `max` released handles of `ifIndex` to `out` (REL_BYTES each) and frees them; returns how many. */
export function arpReleasedTake(tableHandle: usize, ifIndex: u32, out: usize, max: u32): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return 0;
  const f = ifaceOf(table, ifIndex);
  const n = f.relCount < max ? f.relCount : max;
  let head = f.relHead;
  for (let k: u32 = 0; k < n; k++) {
    const from = f.released + <usize>head * REL_BYTES;
    memory.copy(out + <usize>k * REL_BYTES, from, REL_BYTES);
    returnHandle(f, load<u32>(from + REL_HANDLE) - f.handleBase);
    head = head + 1 == f.qCap ? 0 : head + 1;
  }
  f.relHead = head;
  f.relCount -= n;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Administration

/** Clears dynamic entries of one interface (or all, `ifIndex` 0xffffffff), all (`ip` 0) or one. */
export function arpClear(tableHandle: usize, ifIndex: u32, ip: u32, now: f64): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  const t = timeOf(table, now);
  let removed: u32 = 0;
  for (let i: u32 = 0; i < table.count; i++) {
    if (ifIndex != 0xffffffff && i != ifIndex) continue;
    const f = ifaceOf(table, i);
    refill(f, t);
    removed += clearIface(table, f, ip);
  }
  return removed;
}

/** Adds a static entry: 0 done, -1 no such interface, -2 invalid address, -3 static pool full. */
export function arpStaticAdd(tableHandle: usize, ifIndex: u32, ip: u32, macHigh: u32, macLow: u32, now: f64): i32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return -1;
  const t = timeOf(table, now);
  const f = ifaceOf(table, ifIndex);
  refill(f, t);
  return staticAdd(table, f, ip, ((<u64>macHigh) << 32) | macLow, t);
}

/** Removes a static entry: 0 done, -1 no such interface, -4 not a static entry. */
export function arpStaticRemove(tableHandle: usize, ifIndex: u32, ip: u32): i32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return -1;
  return staticRemove(table, ifaceOf(table, ifIndex), ip);
}

// ---------------------------------------------------------------------------------------------
// Inspection

/** The interface's counters as COUNTERS f64 at `out`. */
export function arpCounters(tableHandle: usize, ifIndex: u32, out: usize): void {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return;
  const f = ifaceOf(table, ifIndex);
  for (let c: i32 = 0; c < COUNTERS; c++) store<f64>(out + (<usize>c << 3), <f64>load<u64>(f.counters + (<usize>c << 3)));
}

/** Table-wide counters as f64: calls naming no interface, clock steps back, the last time seen. */
export function arpTableCounters(tableHandle: usize, out: usize): void {
  const table = changetype<ArpTableState>(tableHandle);
  store<f64>(out, <f64>table.badInterface, TABLE_BAD_INTERFACE << 3);
  store<f64>(out, <f64>table.clockBackwards, TABLE_CLOCK_BACKWARDS << 3);
  store<f64>(out, <f64>table.lastNow, TABLE_LAST_NOW << 3);
  store<f64>(out, <f64>table.budget.used, TABLE_BYTES << 3);
}

/** Number of f64 that `arpOccupancy` writes. */
export const ARP_OCCUPANCY_WORDS: i32 = <i32>OCCUPANCY_WORDS;

/**
 * Occupancy of one interface as f64: present, static, incomplete, nexist (live), nexist ring
 * positions in use, queued handles, released handles not yet drained, requests and replies
 * not yet drained, bytes, capacities (present, static, incomplete, nexist, queue), peaks
 * (present, incomplete, nexist, queued), index entries, index capacity, longest probe, free
 * request tokens, obligations, SEEN addresses and their capacity.
 */
export function arpOccupancy(tableHandle: usize, ifIndex: u32, out: usize): void {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return;
  const f = ifaceOf(table, ifIndex);
  // Plain stores: an array literal would allocate, and nothing may allocate after creation.
  store<f64>(out, <f64>f.pCount, OCC_PRESENT << 3);
  store<f64>(out, <f64>f.sCount, OCC_STATIC << 3);
  store<f64>(out, <f64>f.iCount, OCC_INCOMPLETE << 3);
  store<f64>(out, <f64>f.xLive, OCC_NEXIST << 3);
  store<f64>(out, <f64>f.xUsed, OCC_NEXIST_POSITIONS << 3);
  store<f64>(out, <f64>f.queued, OCC_QUEUED << 3);
  store<f64>(out, <f64>f.relCount, OCC_PENDING_RELEASES << 3);
  store<f64>(out, <f64>f.reqCount, OCC_PENDING_REQUESTS << 3);
  store<f64>(out, <f64>f.repCount, OCC_PENDING_REPLIES << 3);
  store<f64>(out, <f64>f.bytes, OCC_BYTES << 3);
  store<f64>(out, <f64>f.pCap, OCC_PRESENT_CAPACITY << 3);
  store<f64>(out, <f64>f.sCap, OCC_STATIC_CAPACITY << 3);
  store<f64>(out, <f64>f.iCap, OCC_INCOMPLETE_CAPACITY << 3);
  store<f64>(out, <f64>f.xCap, OCC_NEXIST_CAPACITY << 3);
  store<f64>(out, <f64>f.qCap, OCC_QUEUE_CAPACITY << 3);
  store<f64>(out, <f64>f.peakPresent, OCC_PEAK_PRESENT << 3);
  store<f64>(out, <f64>f.peakIncomplete, OCC_PEAK_INCOMPLETE << 3);
  store<f64>(out, <f64>f.peakNexist, OCC_PEAK_NEXIST << 3);
  store<f64>(out, <f64>f.peakQueued, OCC_PEAK_QUEUED << 3);
  store<f64>(out, <f64>f.indexCount, OCC_INDEX_ENTRIES << 3);
  store<f64>(out, <f64>f.indexCap, OCC_INDEX_CAPACITY << 3);
  store<f64>(out, <f64>f.maxProbe, OCC_LONGEST_PROBE << 3);
  store<f64>(out, <f64>freeTokens(f) / 1000, OCC_FREE_TOKENS << 3);
  store<f64>(out, <f64>f.obligations, OCC_OBLIGATIONS << 3);
  store<f64>(out, <f64>f.seenLive, OCC_SEEN << 3);
  store<f64>(out, <f64>f.seenCap, OCC_SEEN_CAPACITY << 3);
}

/** The kind of the entry for `ip`: 0 none, 1 PRESENT (or STATIC), 2 INCOMPLETE, 3 NEXIST. */
export function arpKindOf(tableHandle: usize, ifIndex: u32, ip: u32): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) return 0;
  return indexGet(table, ifaceOf(table, ifIndex), ip) >>> KIND_SHIFT;
}

/** Bytes of one interface record (src/arp/memory.ts INTERFACE_RECORD_BYTES must equal it; test/abi.test.ts checks). */
export const ARP_INTERFACE_RECORD_BYTES: u32 = <u32>offsetof<ArpIface>();

/** Number of f64 per record that `arpEntryScan` writes. */
export const ARP_ENTRY_WORDS: i32 = <i32>ENTRY_WORDS;
/** Records written by the table's last `arpEntryScan`. */
export function arpScanCount(tableHandle: usize): u32 {
  return changetype<ArpTableState>(tableHandle).scanCount;
}

/**
 * Lists entries of one kind (1 PRESENT/STATIC, 2 INCOMPLETE, 3 NEXIST) from pool slot (or ring
 * position) `cursor` on, up to `max` records of ARP_ENTRY_WORDS f64 at `out`: ip, MAC high,
 * MAC low, flags, expires, updated (INCOMPLETE: created), last used (INCOMPLETE: last request),
 * refresh probes or requests sent, queued packets, failures. Returns the next cursor (the pool
 * size at the end); the count is in `arpScanCount(table)`.
 */
export function arpEntryScan(tableHandle: usize, ifIndex: u32, kind: u32, cursor: u32, out: usize, max: u32): u32 {
  const table = changetype<ArpTableState>(tableHandle);
  if (ifIndex >= table.count) {
    table.scanCount = 0;
    return cursor;
  }
  const f = ifaceOf(table, ifIndex);
  let n: u32 = 0;
  let slot = cursor;
  const end: u32 = kind == KIND_PRESENT ? f.pCap + f.sCap : kind == KIND_INCOMPLETE ? f.iCap : f.xCap;
  while (slot < end && n < max) {
    const o = out + <usize>n * (<usize>ARP_ENTRY_WORDS << 3);
    if (kind == KIND_PRESENT) {
      const r = presentRecord(f, slot);
      const ip = load<u32>(r + P_IP);
      if (ip != 0) {
        const mac = load<u64>(r + P_MAC);
        store<f64>(o, <f64>ip, ENTRY_IP << 3);
        store<f64>(o, <f64>(mac >> 32), ENTRY_MAC_HIGH << 3);
        store<f64>(o, <f64>(<u32>mac), ENTRY_MAC_LOW << 3);
        store<f64>(o, <f64>load<u8>(r + P_FLAGS), ENTRY_FLAGS << 3);
        store<f64>(o, <f64>load<i64>(r + P_EXPIRES), ENTRY_EXPIRES << 3);
        store<f64>(o, <f64>load<i64>(r + P_UPDATED), ENTRY_UPDATED << 3);
        store<f64>(o, <f64>load<i64>(r + P_LAST_USED), ENTRY_LAST_USED << 3);
        store<f64>(o, <f64>load<u8>(r + P_PROBES), ENTRY_REQUESTS << 3);
        store<f64>(o, 0, ENTRY_QUEUED << 3);
        store<f64>(o, 0, ENTRY_FAILURES << 3);
        n++;
      }
    } else if (kind == KIND_INCOMPLETE) {
      const r = incompleteRecord(f, slot);
      const ip = load<u32>(r + I_IP);
      if (ip != 0) {
        store<f64>(o, <f64>ip, ENTRY_IP << 3);
        store<f64>(o, 0, ENTRY_MAC_HIGH << 3);
        store<f64>(o, 0, ENTRY_MAC_LOW << 3);
        store<f64>(o, 0, ENTRY_FLAGS << 3);
        store<f64>(o, <f64>load<i64>(r + I_DUE), ENTRY_EXPIRES << 3);
        store<f64>(o, <f64>load<i64>(r + I_CREATED), ENTRY_UPDATED << 3);
        store<f64>(o, <f64>load<i64>(r + I_LAST_SENT), ENTRY_LAST_USED << 3);
        store<f64>(o, <f64>load<u16>(r + I_SENT), ENTRY_REQUESTS << 3);
        store<f64>(o, <f64>load<u32>(r + I_Q_COUNT), ENTRY_QUEUED << 3);
        store<f64>(o, <f64>load<u16>(r + I_FAILURES), ENTRY_FAILURES << 3);
        n++;
      }
    } else {
      const x = nexistRecord(f, slot);
      const ip = load<u32>(x + X_IP);
      // Positions outside the used part of the ring are stale.
      const offset = slot >= f.xHead ? slot - f.xHead : slot + f.xCap - f.xHead;
      if (ip != 0 && offset < f.xUsed) {
        store<f64>(o, <f64>ip, ENTRY_IP << 3);
        store<f64>(o, 0, ENTRY_MAC_HIGH << 3);
        store<f64>(o, 0, ENTRY_MAC_LOW << 3);
        store<f64>(o, <f64>load<u8>(x + X_FLAGS), ENTRY_FLAGS << 3);
        store<f64>(o, <f64>load<i64>(x + X_EXPIRES), ENTRY_EXPIRES << 3);
        store<f64>(o, 0, ENTRY_UPDATED << 3);
        store<f64>(o, 0, ENTRY_LAST_USED << 3);
        store<f64>(o, 0, ENTRY_REQUESTS << 3);
        store<f64>(o, 0, ENTRY_QUEUED << 3);
        store<f64>(o, <f64>load<u16>(x + X_FAILURES), ENTRY_FAILURES << 3);
        n++;
      }
    }
    slot++;
  }
  table.scanCount = n;
  return slot;
}

/** Total packet handles of the table (interface i's handles start after those of 0..i-1). */
export function arpHandleCount(tableHandle: usize): u32 {
  return changetype<ArpTableState>(tableHandle).handles;
}

/** Bytes the table holds through its budget. */
export function arpUsedBytes(tableHandle: usize): f64 {
  return <f64>changetype<ArpTableState>(tableHandle).budget.used;
}

/** Whether the one-word SipHash agrees with the general `sipHash13` on this word and key (a test hook). */
export function arpHashAgrees(low: u32, high: u32, k0Low: u32, k0High: u32, k1Low: u32, k1High: u32): bool {
  const m = ((<u64>high) << 32) | low;
  const k0 = ((<u64>k0High) << 32) | k0Low;
  const k1 = ((<u64>k1High) << 32) | k1Low;
  const scratch = memory.data(8);
  store<u64>(scratch, m);
  return sipHash13(scratch, 8, k0, k1) == sipHashWord(m, k0, k1);
}
