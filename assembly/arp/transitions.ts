// The transitions of the ARP table (research §8.4, rows 1–24; README "ARP" says where this
// differs from the research and why). Every function takes the interface and `now` in whole
// milliseconds (i64); none allocates.

import {
  ArpIface, ArpTableState, NIL, NEVER, KIND_PRESENT, KIND_INCOMPLETE, KIND_NEXIST, KIND_SHIFT, SLOT_MASK,
  VERDICT_FOUND, VERDICT_QUEUED, VERDICT_NEXIST, VERDICT_RATE, VERDICT_NO_SLOT, VERDICT_QUEUE_FULL,
  VERDICT_BAD_TARGET, VERDICT_ICMP, RELEASE_SENT, RELEASE_RESOLVE_FAILED, RELEASE_QUEUE_OVERFLOW, RELEASE_CLEARED,
  P_MAC, P_LAST_USED, P_EXPIRES, P_UPDATED, P_DUE, P_IP, P_FLAGS, P_PROBES, P_EXP_NEXT, P_REF_NEXT,
  FLAG_STATIC, FLAG_UNCONFIRMED, FLAG_EXAMINED, FLAG_REFRESHING, FLAG_REFRESH_LISTED,
  I_CREATED, I_DUE, I_LAST_SENT, I_IP, I_SENT, I_FAILURES, I_Q_HEAD, I_Q_TAIL, I_Q_COUNT,
  X_EXPIRES, X_IP, X_FAILURES, X_FLAGS, XFLAG_FULL, S_BYTES, S_AT, S_IP, S_HOME,
  C_RESOLVE_CALLS, C_PRESENT_HITS, C_NEXIST_HITS, C_INCOMPLETE_QUEUED, C_DEMAND_RETRIES, C_ADMITTED,
  C_ADMIT_REFUSED_SLOTS, C_ADMIT_REFUSED_RATE, C_BAD_TARGET, C_QUEUE_OVERFLOW, C_QUEUE_FULL, C_RETRIES,
  C_RETRY_DEFERRED, C_RESOLVE_FAILED, C_NEXIST_EVICTED, C_NEXIST_EXPIRED, C_REFRESH_SENT, C_REFRESH_DEFERRED,
  C_PRESENT_EXPIRED, C_ARP_RECEIVED, C_ARP_BAD_OP, C_ARP_BAD_SENDER_MAC, C_ARP_MAC_MISMATCH, C_ARP_BAD_SENDER_IP,
  C_ARP_OWN_ADDRESS, C_ARP_OFF_LINK, C_ARP_PROBE, C_RESOLVED, C_RESOLVED_UNCONFIRMED, C_PRESENT_FULL,
  C_PRESENT_EVICTED, C_NEXIST_CLEARED_BY_ARP, C_NEXIST_LEARNED, C_PRESENT_REFRESHED, C_LOCK_IGNORED, C_MAC_MOVED,
  C_STATIC_PROTECTED, C_LEARNED_FROM_REQUEST, C_REQUEST_NOT_LEARNED, C_UNSOLICITED_IGNORED, C_UNSOLICITED_LEARNED,
  C_IP_RECEIVED, C_INCOMPLETE_IP_IGNORED, C_NEXIST_CLEARED_BY_IP, C_CLEARED, C_REQUEST_RING_FULL,
  C_HANDLES_ISSUED, C_STATIC_ADDED, C_STATIC_REMOVED, C_NEXIST_FULL_KEPT, C_SEEN_RECORDED, C_ADMITTED_SEEN,
} from "./state";
import {
  indexGet, indexGetAt, indexInsert, indexSet, indexRemove, indexRemoveAt, indexInsertAt, indexSetAt, indexTouch, homeOf,
} from "./index-table";
import {
  count, countBy, presentRecord, incompleteRecord, nexistRecord, freeTokens, icmpTake, isOwn, isOnLink, isSpecial,
  emitRequest, emitReply, takeHandle, returnHandle, handleNext, setHandleNext, release, releaseQueue,
  presentAlloc, presentFree, expiryAppend, expiryRemove, refreshAppend, refreshRemove,
  incompleteAlloc, incompleteFree, retryAppend, retryRemove,
} from "./pools";

/** "No MAC given" for the optional Ethernet addresses of a received ARP packet. */
export const NO_MAC: u64 = 0xffffffffffffffff;

// @ts-ignore: decorator
@inline function ref(kind: u32, slot: u32): u32 {
  return (kind << KIND_SHIFT) | slot;
}

// ---------------------------------------------------------------------------------------------
// NEXIST ring

/** Hold time of a NEXIST entry after `failures` consecutive failures (back-off: base·2^(k−1), capped). */
export function holdFor(f: ArpIface, failures: u32): i64 {
  if (!f.backoff) return f.t2;
  const shift = failures > 41 ? 40 : (failures == 0 ? 0 : failures - 1);
  const hold = f.backoffBase << shift;
  return hold > f.backoffMax || hold <= 0 ? f.backoffMax : hold;
}

/** Whether an expired NEXIST entry is still remembered (back-off keeps its failure count for one more hold). */
// @ts-ignore: decorator
@inline function remembers(f: ArpIface, flags: u8): bool {
  return f.backoff != 0 && !(flags & XFLAG_FULL);
}

/** Puts `ip` (in the index, as INCOMPLETE) in the NEXIST ring, evicting the oldest position if full. */
function nexistPlace(table: ArpTableState, f: ArpIface, ip: u32, now: i64, failures: u32, flags: u8): void {
  if (f.xUsed == f.xCap) {
    const head = nexistRecord(f, f.xHead);
    const old = load<u32>(head + X_IP);
    if (old != 0) {
      indexRemove(table, f, old);
      f.xLive--;
      count(f, C_NEXIST_EVICTED);
    }
    f.xHead = f.xHead + 1 == f.xCap ? 0 : f.xHead + 1;
    f.xUsed--;
  }
  let position = f.xHead + f.xUsed;
  if (position >= f.xCap) position -= f.xCap;
  const r = nexistRecord(f, position);
  const expires = now + (flags & XFLAG_FULL ? f.t2 : holdFor(f, failures));
  store<i64>(r + X_EXPIRES, expires);
  if (expires < f.nexistQuiet) f.nexistQuiet = expires;
  store<u32>(r + X_IP, ip);
  store<u16>(r + X_FAILURES, <u16>(failures > 0xffff ? 0xffff : failures));
  store<u8>(r + X_FLAGS, flags);
  f.xUsed++;
  f.xLive++;
  if (f.xLive > f.peakNexist) f.peakNexist = f.xLive;
  indexSet(table, f, ip, ref(KIND_NEXIST, position));
}

/** Leaves a hole at a ring position (the head reclaims it); removes the index entry when asked. */
function nexistVacate(table: ArpTableState, f: ArpIface, position: u32, unindex: bool): void {
  const r = nexistRecord(f, position);
  if (unindex) indexRemove(table, f, load<u32>(r + X_IP));
  store<u32>(r + X_IP, 0);
  f.xLive--;
}

// ---------------------------------------------------------------------------------------------
// SEEN ring: addresses that showed life while they had no entry (research §8.7, question 1)

// @ts-ignore: decorator
@inline function seenRecord(f: ArpIface, position: u32): usize {
  return f.seen + <usize>position * S_BYTES;
}

/** Whether an index value names a SEEN position (kind 0, non-zero). */
// @ts-ignore: decorator
@inline function isSeen(found: u32): bool {
  return found != 0 && (found >>> KIND_SHIFT) == 0;
}

/** "Home position not known": the callee hashes the address. */
export const NO_HOME: u32 = 0xffffffff;

/**
 * Records a sighting of `ip` at `now`. `found` is its index value: 0 (not indexed), a SEEN
 * value (the sighting is refreshed in place), or an entry the caller vacated but left in the
 * index (replaced). The oldest position gives way when the ring is full.
 */
function sight(table: ArpTableState, f: ArpIface, ip: u32, now: i64, found: u32, known: u32 = NO_HOME): void {
  if (isSeen(found)) {
    store<i64>(seenRecord(f, found - 1) + S_AT, now);
    count(f, C_SEEN_RECORDED);
    return;
  }
  if (f.seenCap == 0) {
    if (found != 0) indexRemove(table, f, ip);
    return;
  }
  if (f.seenUsed == f.seenCap) {
    const head = seenRecord(f, f.seenHead);
    const old = load<u32>(head + S_IP);
    if (old != 0) {
      indexRemoveAt(table, f, old, load<u32>(head + S_HOME));
      f.seenLive--;
    }
    f.seenHead = f.seenHead + 1 == f.seenCap ? 0 : f.seenHead + 1;
    f.seenUsed--;
    // The next full-ring sighting removes the new head: load its index slot now, so that the
    // cache miss overlaps the work until then (a scan from many on-link hosts turns the ring
    // over on nearly every packet).
    const next = seenRecord(f, f.seenHead);
    if (load<u32>(next + S_IP) != 0) store<u64>(SEEN_TOUCH_SINK, indexTouch(f, load<u32>(next + S_HOME)));
  }
  let position = f.seenHead + f.seenUsed;
  if (position >= f.seenCap) position -= f.seenCap;
  const r = seenRecord(f, position);
  const home = known != NO_HOME ? known : homeOf(table, f, ip);
  store<i64>(r + S_AT, now);
  store<u32>(r + S_IP, ip);
  store<u32>(r + S_HOME, home);
  f.seenUsed++;
  f.seenLive++;
  if (found != 0) indexSetAt(f, ip, position + 1, home);
  else indexInsertAt(f, ip, position + 1, home);
  count(f, C_SEEN_RECORDED);
}

/** Where the SEEN ring's index touches go (a store to memory, which the optimiser keeps). */
const SEEN_TOUCH_SINK: usize = memory.data(8);

/** Leaves a hole at a SEEN position (the index entry is the caller's). */
function seenVacate(f: ArpIface, found: u32): void {
  store<u32>(seenRecord(f, found - 1) + S_IP, 0);
  f.seenLive--;
}

/** Puts a new entry for `ip` in the index, replacing its SEEN value if it has one. */
function indexPlace(table: ArpTableState, f: ArpIface, ip: u32, found: u32, value: u32): void {
  if (isSeen(found)) {
    seenVacate(f, found);
    indexSet(table, f, ip, value);
  } else indexInsert(table, f, ip, value);
}

// ---------------------------------------------------------------------------------------------
// PRESENT

function presentCreate(f: ArpIface, ip: u32, mac: u64, now: i64, flags: u8, lastUsed: i64): u32 {
  const slot = presentAlloc(f);
  const r = presentRecord(f, slot);
  store<u64>(r + P_MAC, mac);
  store<i64>(r + P_LAST_USED, lastUsed);
  store<i64>(r + P_EXPIRES, now + f.lifetime);
  store<i64>(r + P_UPDATED, now);
  store<i64>(r + P_DUE, 0);
  store<u32>(r + P_IP, ip);
  store<u8>(r + P_FLAGS, flags);
  store<u8>(r + P_PROBES, 0);
  if (flags & FLAG_STATIC) {
    f.sCount++;
  } else {
    f.pCount++;
    if (f.pCount > f.peakPresent) f.peakPresent = f.pCount;
    expiryAppend(f, slot);
  }
  return slot;
}

/** Removes a dynamic PRESENT entry from its lists, the index and the pool. */
function presentDelete(table: ArpTableState, f: ArpIface, slot: u32): void {
  const r = presentRecord(f, slot);
  expiryRemove(f, slot);
  refreshRemove(f, slot);
  indexRemove(table, f, load<u32>(r + P_IP));
  presentFree(f, slot);
  f.pCount--;
}

/** An idle dynamic entry to evict: the first of the `tickWork` entries nearest expiry unused for > idleEvict. */
function idleVictim(f: ArpIface, now: i64): u32 {
  let slot = f.expHead;
  for (let k: u32 = 0; k < f.tickWork && slot != NIL; k++) {
    const r = presentRecord(f, slot);
    if (now - load<i64>(r + P_LAST_USED) > f.idleEvict) return slot;
    slot = load<u32>(r + P_EXP_NEXT);
  }
  return NIL;
}

/** A new binding was confirmed (or moved): restart the lifetime, stop refreshing. */
function presentRenew(f: ArpIface, slot: u32, now: i64, clearFlags: u8, setFlags: u8): void {
  const r = presentRecord(f, slot);
  store<i64>(r + P_EXPIRES, now + f.lifetime);
  store<i64>(r + P_UPDATED, now);
  store<u8>(r + P_PROBES, 0);
  expiryRemove(f, slot);
  refreshRemove(f, slot);
  store<u8>(r + P_FLAGS, (load<u8>(r + P_FLAGS) & ~(clearFlags | FLAG_REFRESHING | FLAG_EXAMINED)) | setFlags);
  expiryAppend(f, slot);
}

// ---------------------------------------------------------------------------------------------
// INCOMPLETE

/**
 * Rows 1/2: admits `ip` as INCOMPLETE[1] and broadcasts the first request, or refuses (NIL,
 * reason in `refusal`). Timer mode reserves the N − 1 retries (obligations) so that they always
 * find a token; an admission must leave `reserve` tokens for refreshes. The caller indexes it.
 */
function admit(f: ArpIface, ip: u32, now: i64, failures: u32, priority: bool): u32 {
  if (f.iCount >= f.iCap) {
    count(f, C_ADMIT_REFUSED_SLOTS);
    f.refusal = VERDICT_NO_SLOT;
    return NIL;
  }
  const cost: i64 = f.demand ? 1 : <i64>f.n;
  if (freeTokens(f) < (cost + (priority ? 0 : f.reserve)) * 1000) {
    count(f, C_ADMIT_REFUSED_RATE);
    f.refusal = VERDICT_RATE;
    return NIL;
  }
  if (f.reqCount >= f.reqCap) {
    count(f, C_REQUEST_RING_FULL);
    count(f, C_ADMIT_REFUSED_RATE);
    f.refusal = VERDICT_RATE;
    return NIL;
  }
  const slot = incompleteAlloc(f);
  const r = incompleteRecord(f, slot);
  store<i64>(r + I_CREATED, now);
  store<i64>(r + I_LAST_SENT, now);
  store<u32>(r + I_IP, ip);
  store<u16>(r + I_SENT, 1);
  store<u16>(r + I_FAILURES, <u16>(failures > 0xffff ? 0xffff : failures));
  store<u32>(r + I_Q_HEAD, NIL);
  store<u32>(r + I_Q_TAIL, NIL);
  store<u32>(r + I_Q_COUNT, 0);
  retryAppend(f, slot, f.demand ? now + <i64>f.n * f.t1 : now + f.t1);
  if (!f.demand) f.obligations += <i64>f.n - 1;
  emitRequest(f, now, ip, 0);
  count(f, C_ADMITTED);
  return slot;
}

/** Row 3 (and the tail of row 1): queues a packet, keeping the first and the newest. */
function enqueue(f: ArpIface, r: usize, ip: u32): u8 {
  const handle = takeHandle(f);
  if (handle == NIL) {
    count(f, C_QUEUE_FULL);
    return VERDICT_QUEUE_FULL;
  }
  let queued = load<u32>(r + I_Q_COUNT);
  if (queued >= f.qEntry) {
    if (f.qEntry == 1) {
      returnHandle(f, handle);
      count(f, C_QUEUE_FULL);
      return VERDICT_QUEUE_FULL;
    }
    // Drop the oldest of the newest: the second packet in the queue.
    const first = load<u32>(r + I_Q_HEAD);
    const victim = handleNext(f, first);
    setHandleNext(f, first, handleNext(f, victim));
    if (load<u32>(r + I_Q_TAIL) == victim) store<u32>(r + I_Q_TAIL, first);
    queued--;
    release(f, victim, ip, 0, RELEASE_QUEUE_OVERFLOW, false);
    count(f, C_QUEUE_OVERFLOW);
  }
  setHandleNext(f, handle, NIL);
  if (queued == 0) store<u32>(r + I_Q_HEAD, handle);
  else setHandleNext(f, load<u32>(r + I_Q_TAIL), handle);
  store<u32>(r + I_Q_TAIL, handle);
  store<u32>(r + I_Q_COUNT, queued + 1);
  f.queued++;
  if (f.queued > f.peakQueued) f.peakQueued = f.queued;
  count(f, C_HANDLES_ISSUED);
  f.resultHandle = f.handleBase + handle;
  return VERDICT_QUEUED;
}

/** Removes an INCOMPLETE entry from the retry list and releases what it still owed. */
function incompleteDetach(f: ArpIface, slot: u32): void {
  const r = incompleteRecord(f, slot);
  retryRemove(f, slot);
  if (!f.demand) {
    const sent = <u32>load<u16>(r + I_SENT);
    if (sent < f.n) f.obligations -= <i64>(f.n - sent);
  }
}

/** Row 6: resolution failed — drop the queue (ICMP via the bucket), hold NEXIST for t2. */
function fail(table: ArpTableState, f: ArpIface, slot: u32, now: i64): void {
  const r = incompleteRecord(f, slot);
  const ip = load<u32>(r + I_IP);
  const failures = <u32>load<u16>(r + I_FAILURES) + 1;
  incompleteDetach(f, slot);
  releaseQueue(f, r, ip, 0, RELEASE_RESOLVE_FAILED);
  incompleteFree(f, slot);
  count(f, C_RESOLVE_FAILED);
  nexistPlace(table, f, ip, now, failures, 0);
}

/**
 * Rows 7/8: an INCOMPLETE entry learns its MAC. The queue goes out in order. When PRESENT is
 * full, an idle entry is evicted; if none is idle the binding cannot be stored, so the queue is
 * sent once and the address is held NEXIST(full) for t2 — a reply that cannot be stored must
 * never turn into a request loop (P6).
 */
function resolveIncomplete(table: ArpTableState, f: ArpIface, slot: u32, mac: u64, confirmed: bool, now: i64): i32 {
  const r = incompleteRecord(f, slot);
  const ip = load<u32>(r + I_IP);
  if (f.pCount >= f.pCap) {
    const victim = idleVictim(f, now);
    if (victim == NIL) {
      incompleteDetach(f, slot);
      releaseQueue(f, r, ip, mac, RELEASE_SENT);
      incompleteFree(f, slot);
      count(f, C_PRESENT_FULL);
      nexistPlace(table, f, ip, now, 0, XFLAG_FULL);
      return C_PRESENT_FULL;
    }
    presentDelete(table, f, victim);
    count(f, C_PRESENT_EVICTED);
  }
  incompleteDetach(f, slot);
  const p = presentCreate(f, ip, mac, now, confirmed ? 0 : FLAG_UNCONFIRMED, now);
  indexSet(table, f, ip, ref(KIND_PRESENT, p));
  releaseQueue(f, r, ip, mac, RELEASE_SENT);
  incompleteFree(f, slot);
  const decision = confirmed ? C_RESOLVED : C_RESOLVED_UNCONFIRMED;
  count(f, decision);
  return decision;
}

// ---------------------------------------------------------------------------------------------
// Resolution

/** Whether `ip` can be resolved at all on this interface. */
// @ts-ignore: decorator
@inline function badTarget(f: ArpIface, ip: u32): bool {
  return isSpecial(f, ip) || isOwn(f, ip);
}

/**
 * Everything but the PRESENT and live-NEXIST hits, which the callers handle inline: ABSENT
 * (rows 1, 2), INCOMPLETE (row 3, with the demand-mode retry), and a NEXIST entry whose hold
 * has run out but that tick has not yet collected (it behaves as ABSENT, carrying its failure
 * count when back-off remembers it).
 */
export function resolveSlow(table: ArpTableState, f: ArpIface, ip: u32, now: i64, found: u32): u8 {
  count(f, C_RESOLVE_CALLS);
  const kind = found >>> KIND_SHIFT;
  const slot = found & SLOT_MASK;
  if (kind == KIND_INCOMPLETE) {
    count(f, C_INCOMPLETE_QUEUED);
    const r = incompleteRecord(f, slot);
    const verdict = enqueue(f, r, ip);
    if (f.demand) {
      const sent = <u32>load<u16>(r + I_SENT);
      if (sent < f.n && now - load<i64>(r + I_LAST_SENT) >= f.t1 && now + f.t1 <= load<i64>(r + I_CREATED) + <i64>f.n * f.t1 && freeTokens(f) >= 1000) {
        if (f.reqCount < f.reqCap) {
          emitRequest(f, now, ip, 0);
          store<u16>(r + I_SENT, <u16>(sent + 1));
          store<i64>(r + I_LAST_SENT, now);
          count(f, C_DEMAND_RETRIES);
        } else count(f, C_REQUEST_RING_FULL);
      }
    }
    return verdict;
  }
  if (kind == KIND_NEXIST) {
    const x = nexistRecord(f, slot);
    if (now < load<i64>(x + X_EXPIRES)) {
      count(f, C_NEXIST_HITS);
      return VERDICT_NEXIST | (icmpTake(f) ? VERDICT_ICMP : 0);
    }
    const flags = load<u8>(x + X_FLAGS);
    const keep = remembers(f, flags);
    const s = admit(f, ip, now, keep ? <u32>load<u16>(x + X_FAILURES) : 0, false);
    if (s == NIL) {
      if (!keep) {
        nexistVacate(table, f, slot, true);
        count(f, C_NEXIST_EXPIRED);
      }
      return f.refusal;
    }
    nexistVacate(table, f, slot, false);
    count(f, C_NEXIST_EXPIRED);
    indexSet(table, f, ip, ref(KIND_INCOMPLETE, s));
    return enqueue(f, incompleteRecord(f, s), ip);
  }
  if (kind == KIND_PRESENT) {
    // Only reached from callers that do not inline the hit.
    const r = presentRecord(f, slot);
    store<i64>(r + P_LAST_USED, now);
    f.resultMac = load<u64>(r + P_MAC);
    count(f, C_PRESENT_HITS);
    return VERDICT_FOUND;
  }
  if (badTarget(f, ip)) {
    count(f, C_BAD_TARGET);
    return VERDICT_BAD_TARGET;
  }
  // ABSENT, or SEEN: a recent sighting lets the admission use the refresh reserve.
  const priority = isSeen(found) && now - load<i64>(seenRecord(f, found - 1) + S_AT) <= f.seenWindow;
  const s = admit(f, ip, now, 0, priority);
  if (s == NIL) return f.refusal;
  if (priority) count(f, C_ADMITTED_SEEN);
  indexPlace(table, f, ip, found, ref(KIND_INCOMPLETE, s));
  return enqueue(f, incompleteRecord(f, s), ip);
}

// ---------------------------------------------------------------------------------------------
// Received ARP (research §6.2 gate, rows 7, 8, 12, 15–17, 20–22, 24)

/** Whether a MAC can be a neighbour's: unicast, not all zeros, not ours. */
// @ts-ignore: decorator
@inline function neighbourMac(f: ArpIface, mac: u64): bool {
  return mac != 0 && mac < 0x1000000000000 && ((mac >> 40) & 1) == 0 && mac != f.mac;
}

/**
 * Applies one received ARP packet. Returns the counter of the decision it led to, with bit 8
 * set when a reply was queued for transmission.
 */
export function receiveArp(
  table: ArpTableState, f: ArpIface, op: u32, spa: u32, sha: u64, tpa: u32, tha: u64, ethSource: u64, ethDestination: u64, now: i64,
): i32 {
  count(f, C_ARP_RECEIVED);
  if (op != 1 && op != 2) {
    count(f, C_ARP_BAD_OP);
    return C_ARP_BAD_OP;
  }
  if (!neighbourMac(f, sha)) {
    count(f, C_ARP_BAD_SENDER_MAC);
    return C_ARP_BAD_SENDER_MAC;
  }
  if (ethSource != NO_MAC && ethSource != sha) {
    count(f, C_ARP_MAC_MISMATCH);
    return C_ARP_MAC_MISMATCH;
  }
  const forUs = isOwn(f, tpa);
  if (spa == 0) {
    // RFC 5227 probe: defend our address, learn nothing.
    const replied = op == 1 && forUs ? emitReply(f, now, 0, sha, tpa) : false;
    count(f, C_ARP_PROBE);
    return C_ARP_PROBE | (replied ? 0x100 : 0);
  }
  if (isSpecial(f, spa)) {
    count(f, C_ARP_BAD_SENDER_IP);
    return C_ARP_BAD_SENDER_IP;
  }
  if (isOwn(f, spa)) {
    count(f, C_ARP_OWN_ADDRESS);
    return C_ARP_OWN_ADDRESS;
  }
  // Row 24: answer requests for our addresses, whatever the table holds.
  const replied = op == 1 && forUs ? emitReply(f, now, spa, sha, tpa) : false;
  const flag: i32 = replied ? 0x100 : 0;
  if (!isOnLink(f, spa)) {
    count(f, C_ARP_OFF_LINK);
    return C_ARP_OFF_LINK | flag;
  }
  const solicited = op == 2 && forUs && tha == f.mac && (ethDestination == NO_MAC || ethDestination == f.mac);
  const found = indexGet(table, f, spa);
  const kind = found >>> KIND_SHIFT;
  const slot = found & SLOT_MASK;
  if (kind == KIND_PRESENT) {
    const r = presentRecord(f, slot);
    const flags = load<u8>(r + P_FLAGS);
    if (flags & FLAG_STATIC) {
      count(f, C_STATIC_PROTECTED);
      return C_STATIC_PROTECTED | flag;
    }
    if (load<u64>(r + P_MAC) == sha) {
      presentRenew(f, slot, now, solicited ? FLAG_UNCONFIRMED : 0, 0);
      count(f, C_PRESENT_REFRESHED);
      return C_PRESENT_REFRESHED | flag;
    }
    if (now - load<i64>(r + P_UPDATED) < f.lockTime) {
      count(f, C_LOCK_IGNORED);
      return C_LOCK_IGNORED | flag;
    }
    store<u64>(r + P_MAC, sha);
    presentRenew(f, slot, now, 0, FLAG_UNCONFIRMED);
    count(f, C_MAC_MOVED);
    return C_MAC_MOVED | flag;
  }
  if (kind == KIND_INCOMPLETE) {
    return resolveIncomplete(table, f, slot, sha, solicited, now) | flag;
  }
  if (kind == KIND_NEXIST) {
    const x = nexistRecord(f, slot);
    if (load<u8>(x + X_FLAGS) & XFLAG_FULL) {
      count(f, C_NEXIST_FULL_KEPT);
      return C_NEXIST_FULL_KEPT | flag;
    }
    nexistVacate(table, f, slot, false);
    count(f, C_NEXIST_CLEARED_BY_ARP);
    if (f.learnOnClear && f.pCount < f.pCap) {
      const p = presentCreate(f, spa, sha, now, FLAG_UNCONFIRMED, NEVER);
      indexSet(table, f, spa, ref(KIND_PRESENT, p));
      count(f, C_NEXIST_LEARNED);
    } else sight(table, f, spa, now, found);
    return C_NEXIST_CLEARED_BY_ARP | flag;
  }
  // ABSENT (or SEEN)
  if (op == 1 && forUs) {
    if (f.pCount < f.pCap) {
      const p = presentCreate(f, spa, sha, now, FLAG_UNCONFIRMED, NEVER);
      indexPlace(table, f, spa, found, ref(KIND_PRESENT, p));
      count(f, C_LEARNED_FROM_REQUEST);
      return C_LEARNED_FROM_REQUEST | flag;
    }
    count(f, C_REQUEST_NOT_LEARNED);
    sight(table, f, spa, now, found);
    return C_REQUEST_NOT_LEARNED | flag;
  }
  if (f.acceptUnsolicited && f.pCount < f.pCap) {
    const p = presentCreate(f, spa, sha, now, FLAG_UNCONFIRMED, NEVER);
    indexPlace(table, f, spa, found, ref(KIND_PRESENT, p));
    count(f, C_UNSOLICITED_LEARNED);
    return C_UNSOLICITED_LEARNED | flag;
  }
  count(f, C_UNSOLICITED_IGNORED);
  sight(table, f, spa, now, found);
  return C_UNSOLICITED_IGNORED | flag;
}

/**
 * Rows 9 and 11: an IP packet from `src` arrived on the interface; an on-link source without an
 * entry is remembered as SEEN. Returns the decision's counter, or -1.
 */
export function receiveIp(table: ArpTableState, f: ArpIface, src: u32, now: i64, known: u32 = NO_HOME): i32 {
  count(f, C_IP_RECEIVED);
  const home = known != NO_HOME ? known : homeOf(table, f, src);
  const found = indexGetAt(f, src, home);
  const kind = found >>> KIND_SHIFT;
  if (kind == 0) {
    if (f.seenCap == 0 || isSpecial(f, src) || isOwn(f, src) || !isOnLink(f, src)) return -1;
    sight(table, f, src, now, found, home);
    return C_SEEN_RECORDED;
  }
  if (kind == KIND_INCOMPLETE) {
    count(f, C_INCOMPLETE_IP_IGNORED);
    return C_INCOMPLETE_IP_IGNORED;
  }
  if (kind == KIND_NEXIST) {
    const slot = found & SLOT_MASK;
    if (load<u8>(nexistRecord(f, slot) + X_FLAGS) & XFLAG_FULL) {
      count(f, C_NEXIST_FULL_KEPT);
      return C_NEXIST_FULL_KEPT;
    }
    nexistVacate(table, f, slot, false);
    count(f, C_NEXIST_CLEARED_BY_IP);
    sight(table, f, src, now, found, home);
    return C_NEXIST_CLEARED_BY_IP;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Timers (rows 4, 5, 6, 13, 18, 19)

/** Refresh probe (row 18): a unicast request to the cached MAC, if a token and ring room allow; then the next one t1 later. */
function refreshProbe(f: ArpIface, slot: u32, now: i64): void {
  const r = presentRecord(f, slot);
  // No probe within t1 of expiry: a discovery after expiry must stay t1 after the last request (P1).
  if (now + f.t1 > load<i64>(r + P_EXPIRES)) return;
  if (freeTokens(f) >= 1000 && f.reqCount < f.reqCap) {
    emitRequest(f, now, load<u32>(r + P_IP), load<u64>(r + P_MAC));
    store<u8>(r + P_PROBES, load<u8>(r + P_PROBES) + 1);
    count(f, C_REFRESH_SENT);
  } else {
    if (f.reqCount >= f.reqCap) count(f, C_REQUEST_RING_FULL);
    count(f, C_REFRESH_DEFERRED);
  }
  if (<u32>load<u8>(r + P_PROBES) < f.refreshProbes) {
    store<i64>(r + P_DUE, now + f.t1);
    refreshAppend(f, slot);
  }
}

/** Runs one interface's timers up to `now`. The bucket was refilled by the caller. */
export function tickIface(table: ArpTableState, f: ArpIface, now: i64): void {
  // INCOMPLETE retries and failures: all that are due (bounded by I_max and by the tokens).
  while (f.retryHead != NIL) {
    const slot = f.retryHead;
    const r = incompleteRecord(f, slot);
    if (load<i64>(r + I_DUE) > now) break;
    if (f.demand) {
      fail(table, f, slot, now);
      continue;
    }
    const sent = <u32>load<u16>(r + I_SENT);
    if (sent >= f.n || now >= load<i64>(r + I_CREATED) + <i64>(f.n + 2) * f.t1) {
      fail(table, f, slot, now);
      continue;
    }
    retryRemove(f, slot);
    if (f.reqCount >= f.reqCap) {
      count(f, C_REQUEST_RING_FULL);
      count(f, C_RETRY_DEFERRED);
      retryAppend(f, slot, now + f.t1);
      continue;
    }
    // The token is there: admissions never take the bucket below the obligations.
    f.obligations--;
    emitRequest(f, now, load<u32>(r + I_IP), 0);
    store<u16>(r + I_SENT, <u16>(sent + 1));
    store<i64>(r + I_LAST_SENT, now);
    count(f, C_RETRIES);
    retryAppend(f, slot, now + f.t1);
  }
  // Expiries and refresh examinations: at most tickWork of them per tick (R7).
  let work: u32 = 0;
  while (work < f.tickWork && f.xUsed > 0) {
    const x = nexistRecord(f, f.xHead);
    const ip = load<u32>(x + X_IP);
    if (ip != 0) {
      const flags = load<u8>(x + X_FLAGS);
      let forget = load<i64>(x + X_EXPIRES);
      if (remembers(f, flags)) forget += holdFor(f, <u32>load<u16>(x + X_FAILURES));
      if (forget > now) break;
      indexRemove(table, f, ip);
      f.xLive--;
      count(f, C_NEXIST_EXPIRED);
    }
    f.xHead = f.xHead + 1 == f.xCap ? 0 : f.xHead + 1;
    f.xUsed--;
    work++;
  }
  // With a constant hold the ring is in expiry order: its live head bounds every expiry.
  if (f.xUsed == 0) f.nexistQuiet = i64.MAX_VALUE;
  else if (!f.backoff) {
    const head = nexistRecord(f, f.xHead);
    if (load<u32>(head + X_IP) != 0) f.nexistQuiet = load<i64>(head + X_EXPIRES);
  }
  while (work < f.tickWork && f.seenUsed > 0) {
    const r = seenRecord(f, f.seenHead);
    const ip = load<u32>(r + S_IP);
    if (ip != 0) {
      if (now - load<i64>(r + S_AT) <= f.seenWindow) break;
      indexRemoveAt(table, f, ip, load<u32>(r + S_HOME));
      f.seenLive--;
    }
    f.seenHead = f.seenHead + 1 == f.seenCap ? 0 : f.seenHead + 1;
    f.seenUsed--;
    work++;
  }
  while (work < f.tickWork && f.expHead != NIL) {
    const slot = f.expHead;
    if (load<i64>(presentRecord(f, slot) + P_EXPIRES) > now) break;
    presentDelete(table, f, slot);
    count(f, C_PRESENT_EXPIRED);
    work++;
  }
  while (work < f.tickWork && f.cursor != NIL) {
    const slot = f.cursor;
    const r = presentRecord(f, slot);
    if (load<i64>(r + P_EXPIRES) - f.refreshWindow > now) break;
    f.cursor = load<u32>(r + P_EXP_NEXT);
    let flags = load<u8>(r + P_FLAGS) | FLAG_EXAMINED;
    const refresh = f.refreshProbes > 0 && now - load<i64>(r + P_LAST_USED) <= f.recentUse;
    if (refresh) flags |= FLAG_REFRESHING;
    store<u8>(r + P_FLAGS, flags);
    if (refresh) {
      store<u8>(r + P_PROBES, 0);
      refreshProbe(f, slot, now);
    }
    work++;
  }
  while (f.refHead != NIL) {
    const slot = f.refHead;
    const r = presentRecord(f, slot);
    if (load<i64>(r + P_DUE) > now) break;
    refreshRemove(f, slot);
    refreshProbe(f, slot, now);
  }
}

// ---------------------------------------------------------------------------------------------
// Administration (row 23, static entries)

/** Removes every dynamic entry (`ip` 0) or the one for `ip`; statics stay. Returns the number removed. */
export function clearIface(table: ArpTableState, f: ArpIface, ip: u32): u32 {
  let removed: u32 = 0;
  if (ip != 0) {
    const found = indexGet(table, f, ip);
    const kind = found >>> KIND_SHIFT;
    const slot = found & SLOT_MASK;
    if (kind == KIND_INCOMPLETE) {
      const r = incompleteRecord(f, slot);
      incompleteDetach(f, slot);
      releaseQueue(f, r, ip, 0, RELEASE_CLEARED);
      incompleteFree(f, slot);
      indexRemove(table, f, ip);
      removed = 1;
    } else if (kind == KIND_NEXIST) {
      nexistVacate(table, f, slot, true);
      removed = 1;
    } else if (kind == KIND_PRESENT && !(load<u8>(presentRecord(f, slot) + P_FLAGS) & FLAG_STATIC)) {
      presentDelete(table, f, slot);
      removed = 1;
    } else if (isSeen(found)) {
      seenVacate(f, found);
      indexRemove(table, f, ip);
    }
  } else {
    while (f.retryHead != NIL) {
      const slot = f.retryHead;
      const r = incompleteRecord(f, slot);
      const address = load<u32>(r + I_IP);
      retryRemove(f, slot);
      releaseQueue(f, r, address, 0, RELEASE_CLEARED);
      incompleteFree(f, slot);
      indexRemove(table, f, address);
      removed++;
    }
    f.obligations = 0;
    while (f.expHead != NIL) {
      presentDelete(table, f, f.expHead);
      removed++;
    }
    while (f.xUsed > 0) {
      const x = nexistRecord(f, f.xHead);
      const address = load<u32>(x + X_IP);
      if (address != 0) {
        indexRemove(table, f, address);
        store<u32>(x + X_IP, 0);
        removed++;
      }
      f.xHead = f.xHead + 1 == f.xCap ? 0 : f.xHead + 1;
      f.xUsed--;
    }
    f.xHead = 0;
    f.xLive = 0;
    while (f.seenUsed > 0) {
      const r = seenRecord(f, f.seenHead);
      const address = load<u32>(r + S_IP);
      if (address != 0) {
        indexRemoveAt(table, f, address, load<u32>(r + S_HOME));
        store<u32>(r + S_IP, 0);
      }
      f.seenHead = f.seenHead + 1 == f.seenCap ? 0 : f.seenHead + 1;
      f.seenUsed--;
    }
    f.seenHead = 0;
    f.seenLive = 0;
  }
  countBy(f, C_CLEARED, removed);
  return removed;
}

/** Adds or replaces a static entry. 0 done, -2 invalid address, -3 no static slot left. */
export function staticAdd(table: ArpTableState, f: ArpIface, ip: u32, mac: u64, now: i64): i32 {
  if (badTarget(f, ip)) return -2;
  const found = indexGet(table, f, ip);
  const kind = found >>> KIND_SHIFT;
  const slot = found & SLOT_MASK;
  if (kind == KIND_PRESENT) {
    const r = presentRecord(f, slot);
    if (load<u8>(r + P_FLAGS) & FLAG_STATIC) {
      store<u64>(r + P_MAC, mac);
      store<i64>(r + P_UPDATED, now);
      count(f, C_STATIC_ADDED);
      return 0;
    }
  }
  if (f.sCount >= f.sCap) return -3;
  if (kind == KIND_PRESENT) {
    presentDelete(table, f, slot);
  } else if (kind == KIND_INCOMPLETE) {
    const r = incompleteRecord(f, slot);
    incompleteDetach(f, slot);
    releaseQueue(f, r, ip, mac, RELEASE_SENT);
    incompleteFree(f, slot);
    indexRemove(table, f, ip);
  } else if (kind == KIND_NEXIST) {
    nexistVacate(table, f, slot, true);
  }
  const p = presentCreate(f, ip, mac, now, FLAG_STATIC, NEVER);
  indexPlace(table, f, ip, indexGet(table, f, ip), ref(KIND_PRESENT, p));
  count(f, C_STATIC_ADDED);
  return 0;
}

/** Removes a static entry: 0 done, -4 no static entry for `ip`. */
export function staticRemove(table: ArpTableState, f: ArpIface, ip: u32): i32 {
  const found = indexGet(table, f, ip);
  if (found >>> KIND_SHIFT != KIND_PRESENT) return -4;
  const slot = found & SLOT_MASK;
  if (!(load<u8>(presentRecord(f, slot) + P_FLAGS) & FLAG_STATIC)) return -4;
  indexRemove(table, f, ip);
  presentFree(f, slot);
  f.sCount--;
  count(f, C_STATIC_REMOVED);
  return 0;
}
