/**
 * The reference ARP table: the same state machine as the WebAssembly core (assembly/arp/),
 * written with maps, arrays and object lists for obviousness. Tests drive both with the same
 * commands and compare every output; it is also the TS baseline of the benchmarks.
 *
 * Structures whose order is visible in the outputs are kept exactly as the core keeps them:
 * the expiry list of PRESENT entries (with its examination cursor), the refresh list, the retry
 * list of INCOMPLETE entries, the NEXIST ring (with the holes cleared entries leave) and the
 * stack of free packet handles. The hash index is not: its layout is invisible.
 */

import { type IPv4Input, toIPv4, formatIPv4 } from "../net/address.js";
import type { MacInput } from "../net/mac.js";
import { CapacityError, ConfigError, describe } from "../errors.js";
import { type ArpOptions, type ArpInterfaceConfig, normalizeArpOptions } from "../arp/options.js";
import {
  type ArpResolveResult,
  type ArpOutput,
  type ArpRelease,
  type ArpCounters,
  type ArpCounterName,
  type ArpReceiveResult,
  type ArpOccupancy,
  type ArpEntry,
  ArpVerdict,
  ARP_COUNTER_NAMES,
  COUNTER_INDEX,
  dropReason,
  releaseReason,
  sortEntries,
} from "../arp/types.js";
import { checkTime, checkInterface } from "../common/validation.js";
import { type ArpPacket, toMacValue, macText, macBytes, parseArpPacket } from "../arp/input.js";
import { arpInterfaceBytes } from "../arp/memory.js";

const NEVER = -(2 ** 52);
const STATIC = 1;
const UNCONFIRMED = 2;
const EXAMINED = 4;
const REFRESH_LISTED = 8;
const REFRESHING = 16;

const SENT = 0;
const RESOLVE_FAILED = 1;
const QUEUE_OVERFLOW = 2;
const CLEARED = 3;

interface Present {
  kind: "present";
  ip: number;
  mac: number;
  lastUsed: number;
  expires: number;
  updated: number;
  due: number;
  flags: number;
  probes: number;
  prev: Present | null;
  next: Present | null;
  refPrev: Present | null;
  refNext: Present | null;
}

interface Incomplete {
  kind: "incomplete";
  ip: number;
  created: number;
  due: number;
  lastSent: number;
  sent: number;
  failures: number;
  queue: number[];
  prev: Incomplete | null;
  next: Incomplete | null;
}

interface Nexist {
  kind: "nexist";
  ip: number;
  expires: number;
  failures: number;
  full: boolean;
  position: number;
}

interface Seen {
  ip: number;
  at: number;
  position: number;
}

type Entry = Present | Incomplete | Nexist;

interface Release {
  handle: number;
  ip: number;
  mac: number;
  reason: number;
  icmp: boolean;
}

interface Output {
  time: number;
  mac: number;
  target: number;
  sender: number;
}

/** One interface of the reference table. */
class RefInterface {
  readonly c: ArpInterfaceConfig;
  readonly ifIndex: number;
  readonly counters: number[] = new Array<number>(ARP_COUNTER_NAMES.length).fill(0);
  readonly index = new Map<number, Entry>();
  tokens: number;
  tokensAt = 0;
  obligations = 0;
  icmpTokens: number;
  icmpAt = 0;
  readonly fillMs: number;
  readonly icmpFillMs: number;
  // PRESENT
  pCount = 0;
  sCount = 0;
  expHead: Present | null = null;
  expTail: Present | null = null;
  cursor: Present | null = null;
  refHead: Present | null = null;
  refTail: Present | null = null;
  // INCOMPLETE
  iCount = 0;
  retryHead: Incomplete | null = null;
  retryTail: Incomplete | null = null;
  // NEXIST ring
  readonly ring: (Nexist | null)[];
  xHead = 0;
  xUsed = 0;
  xLive = 0;
  // SEEN ring (kept apart from the index: an address in it has no entry)
  readonly seenRing: (Seen | null)[];
  readonly seen = new Map<number, Seen>();
  seenHead = 0;
  seenUsed = 0;
  // handles
  readonly handleBase: number;
  readonly freeHandles: number[];
  queued = 0;
  readonly released: Release[] = [];
  readonly requests: Output[] = [];
  readonly replies: Output[] = [];
  peakPresent = 0;
  peakIncomplete = 0;
  peakNexist = 0;
  peakQueued = 0;
  readonly bytes: number;

  constructor(c: ArpInterfaceConfig, ifIndex: number, handleBase: number) {
    this.c = c;
    this.ifIndex = ifIndex;
    this.tokens = c.requestBurst * 1000;
    this.icmpTokens = c.icmpBurst * 1000;
    this.fillMs = Math.floor((c.requestBurst * 1000 + c.requestRate - 1) / c.requestRate);
    this.icmpFillMs = c.icmpRate > 0 ? Math.floor((c.icmpBurst * 1000 + c.icmpRate - 1) / c.icmpRate) : 0;
    this.ring = new Array<Nexist | null>(c.nexistEntries).fill(null);
    this.seenRing = new Array<Seen | null>(c.seenEntries).fill(null);
    this.handleBase = handleBase;
    this.freeHandles = Array.from({ length: c.queuePerInterface }, (_, k) => c.queuePerInterface - 1 - k);
    this.bytes = arpInterfaceBytes(c);
  }

  count(name: ArpCounterName, n = 1): void {
    this.counters[COUNTER_INDEX[name]]! += n;
  }

  // -- buckets ---------------------------------------------------------------------------------

  refill(now: number): void {
    const c = this.c;
    const dt = now - this.tokensAt;
    if (dt > 0) {
      const cap = c.requestBurst * 1000;
      this.tokens = dt >= this.fillMs ? cap : Math.min(cap, this.tokens + dt * c.requestRate);
      this.tokensAt = now;
    }
    if (c.icmpRate > 0) {
      const di = now - this.icmpAt;
      if (di > 0) {
        const cap = c.icmpBurst * 1000;
        this.icmpTokens = di >= this.icmpFillMs ? cap : Math.min(cap, this.icmpTokens + di * c.icmpRate);
        this.icmpAt = now;
      }
    }
  }

  freeTokens(): number {
    return this.tokens - this.obligations * 1000;
  }

  icmpTake(): boolean {
    if (this.c.icmpRate > 0 && this.icmpTokens >= 1000) {
      this.icmpTokens -= 1000;
      this.count("icmpAllowed");
      return true;
    }
    this.count("icmpSuppressed");
    return false;
  }

  // -- addresses -------------------------------------------------------------------------------

  isOwn(ip: number): boolean {
    return this.c.addresses.some((a) => a.address === ip);
  }

  static prefixHas(network: number, length: number, ip: number): boolean {
    return length === 0 || (network ^ ip) >>> (32 - length) === 0;
  }

  isOnLink(ip: number): boolean {
    return (
      this.c.addresses.some((a) => RefInterface.prefixHas(a.address, a.length, ip)) ||
      this.c.onLink.some((p) => RefInterface.prefixHas(p.network, p.length, ip))
    );
  }

  isSpecial(ip: number): boolean {
    if (ip === 0 || ip >>> 24 === 127 || ip >= 0xe0000000) return true;
    for (const a of this.c.addresses) {
      if (a.length === 0 || a.length > 30 || !RefInterface.prefixHas(a.address, a.length, ip)) continue;
      const hostMask = 0xffffffff >>> a.length;
      const host = (ip & hostMask) >>> 0;
      if (host === 0 || host === hostMask) return true;
    }
    return false;
  }

  sourceFor(target: number): number {
    for (const a of this.c.addresses) if (RefInterface.prefixHas(a.address, a.length, target)) return a.address;
    return this.c.addresses[0]?.address ?? 0;
  }

  // -- output ----------------------------------------------------------------------------------

  emitRequest(now: number, target: number, mac: number): void {
    this.requests.push({ time: now, mac, target, sender: this.sourceFor(target) });
    this.tokens -= 1000;
    this.count("requestsSent");
  }

  emitReply(now: number, requesterIp: number, requesterMac: number, ours: number): boolean {
    if (this.replies.length >= this.c.replyRing) {
      this.count("replyRingFull");
      return false;
    }
    this.replies.push({ time: now, mac: requesterMac, target: requesterIp, sender: ours });
    this.count("repliesSent");
    return true;
  }

  requestRoom(): boolean {
    return this.requests.length < this.c.requestRing;
  }

  // -- handles ---------------------------------------------------------------------------------

  release(handle: number, ip: number, mac: number, reason: number, icmp: boolean): void {
    this.released.push({ handle: this.handleBase + handle, ip, mac, reason, icmp });
    this.queued--;
    this.count(reason === SENT ? "releasedSent" : "releasedDropped");
  }

  releaseQueue(e: Incomplete, mac: number, reason: number): void {
    for (const h of e.queue) this.release(h, e.ip, mac, reason, reason === RESOLVE_FAILED ? this.icmpTake() : false);
    e.queue = [];
  }

  // -- lists -----------------------------------------------------------------------------------

  expiryAppend(p: Present): void {
    p.flags &= ~EXAMINED;
    p.prev = this.expTail;
    p.next = null;
    if (this.expTail === null) this.expHead = p;
    else this.expTail.next = p;
    this.expTail = p;
    if (this.cursor === null) this.cursor = p;
  }

  expiryRemove(p: Present): void {
    if (this.cursor === p) this.cursor = p.next;
    if (p.prev === null) this.expHead = p.next;
    else p.prev.next = p.next;
    if (p.next === null) this.expTail = p.prev;
    else p.next.prev = p.prev;
  }

  refreshAppend(p: Present): void {
    p.flags |= REFRESH_LISTED;
    p.refPrev = this.refTail;
    p.refNext = null;
    if (this.refTail === null) this.refHead = p;
    else this.refTail.refNext = p;
    this.refTail = p;
  }

  refreshRemove(p: Present): void {
    if (!(p.flags & REFRESH_LISTED)) return;
    p.flags &= ~REFRESH_LISTED;
    if (p.refPrev === null) this.refHead = p.refNext;
    else p.refPrev.refNext = p.refNext;
    if (p.refNext === null) this.refTail = p.refPrev;
    else p.refNext.refPrev = p.refPrev;
  }

  retryAppend(e: Incomplete, due: number): void {
    e.due = due;
    e.prev = this.retryTail;
    e.next = null;
    if (this.retryTail === null) this.retryHead = e;
    else this.retryTail.next = e;
    this.retryTail = e;
  }

  retryRemove(e: Incomplete): void {
    if (e.prev === null) this.retryHead = e.next;
    else e.prev.next = e.next;
    if (e.next === null) this.retryTail = e.prev;
    else e.next.prev = e.prev;
  }

  // -- NEXIST ----------------------------------------------------------------------------------

  holdFor(failures: number): number {
    const c = this.c;
    if (!c.nexistBackoff) return c.nexistHoldMs;
    const shift = failures > 41 ? 40 : failures === 0 ? 0 : failures - 1;
    const hold = c.backoffBaseMs * 2 ** shift;
    return Math.min(hold, c.backoffMaxMs);
  }

  remembers(x: Nexist): boolean {
    return this.c.nexistBackoff && !x.full;
  }

  nexistPlace(ip: number, now: number, failures: number, full: boolean): void {
    const cap = this.c.nexistEntries;
    if (this.xUsed === cap) {
      const old = this.ring[this.xHead];
      if (old) {
        this.index.delete(old.ip);
        this.ring[this.xHead] = null;
        this.xLive--;
        this.count("nexistEvicted");
      }
      this.xHead = this.xHead + 1 === cap ? 0 : this.xHead + 1;
      this.xUsed--;
    }
    let position = this.xHead + this.xUsed;
    if (position >= cap) position -= cap;
    const x: Nexist = {
      kind: "nexist",
      ip,
      expires: now + (full ? this.c.nexistHoldMs : this.holdFor(failures)),
      failures: Math.min(failures, 0xffff),
      full,
      position,
    };
    this.ring[position] = x;
    this.xUsed++;
    this.xLive++;
    if (this.xLive > this.peakNexist) this.peakNexist = this.xLive;
    this.index.set(ip, x);
  }

  nexistVacate(x: Nexist, unindex: boolean): void {
    if (unindex) this.index.delete(x.ip);
    this.ring[x.position] = null;
    this.xLive--;
  }

  // -- SEEN ------------------------------------------------------------------------------------

  sight(ip: number, now: number): void {
    const known = this.seen.get(ip);
    if (known) {
      known.at = now;
      this.count("seenRecorded");
      return;
    }
    const cap = this.c.seenEntries;
    if (cap === 0) return;
    if (this.seenUsed === cap) {
      const old = this.seenRing[this.seenHead];
      if (old) this.seen.delete(old.ip);
      this.seenRing[this.seenHead] = null;
      this.seenHead = this.seenHead + 1 === cap ? 0 : this.seenHead + 1;
      this.seenUsed--;
    }
    let position = this.seenHead + this.seenUsed;
    if (position >= cap) position -= cap;
    const record = { ip, at: now, position };
    this.seenRing[position] = record;
    this.seen.set(ip, record);
    this.seenUsed++;
    this.count("seenRecorded");
  }

  seenVacate(ip: number): void {
    const record = this.seen.get(ip);
    if (!record) return;
    this.seenRing[record.position] = null;
    this.seen.delete(ip);
  }

  // -- PRESENT ---------------------------------------------------------------------------------

  presentCreate(ip: number, mac: number, now: number, flags: number, lastUsed: number): Present {
    const p: Present = {
      kind: "present",
      ip,
      mac,
      lastUsed,
      expires: now + this.c.presentLifetimeMs,
      updated: now,
      due: 0,
      flags,
      probes: 0,
      prev: null,
      next: null,
      refPrev: null,
      refNext: null,
    };
    if (flags & STATIC) this.sCount++;
    else {
      this.pCount++;
      if (this.pCount > this.peakPresent) this.peakPresent = this.pCount;
      this.expiryAppend(p);
    }
    return p;
  }

  presentDelete(p: Present): void {
    this.expiryRemove(p);
    this.refreshRemove(p);
    this.index.delete(p.ip);
    this.pCount--;
  }

  idleVictim(now: number): Present | null {
    let p = this.expHead;
    for (let k = 0; k < this.c.tickWork && p !== null; k++) {
      if (now - p.lastUsed > this.c.idleEvictMs) return p;
      p = p.next;
    }
    return null;
  }

  presentRenew(p: Present, now: number, clearFlags: number, setFlags: number): void {
    p.expires = now + this.c.presentLifetimeMs;
    p.updated = now;
    p.probes = 0;
    this.expiryRemove(p);
    this.refreshRemove(p);
    p.flags = (p.flags & ~(clearFlags | REFRESHING | EXAMINED)) | setFlags;
    this.expiryAppend(p);
  }

  // -- INCOMPLETE ------------------------------------------------------------------------------

  refusal = 0;

  admit(ip: number, now: number, failures: number, priority: boolean): Incomplete | null {
    const c = this.c;
    if (this.iCount >= c.incompleteEntries) {
      this.count("admitRefusedSlots");
      this.refusal = ArpVerdict.noSlot;
      return null;
    }
    const cost = c.retryMode === "demand" ? 1 : c.requestsPerResolution;
    if (this.freeTokens() < (cost + (priority ? 0 : c.refreshReserve)) * 1000) {
      this.count("admitRefusedRate");
      this.refusal = ArpVerdict.rateLimited;
      return null;
    }
    if (!this.requestRoom()) {
      this.count("requestRingFull");
      this.count("admitRefusedRate");
      this.refusal = ArpVerdict.rateLimited;
      return null;
    }
    const e: Incomplete = {
      kind: "incomplete",
      ip,
      created: now,
      due: 0,
      lastSent: now,
      sent: 1,
      failures: Math.min(failures, 0xffff),
      queue: [],
      prev: null,
      next: null,
    };
    this.iCount++;
    if (this.iCount > this.peakIncomplete) this.peakIncomplete = this.iCount;
    this.retryAppend(e, c.retryMode === "demand" ? now + c.requestsPerResolution * c.retransmitMs : now + c.retransmitMs);
    if (c.retryMode !== "demand") this.obligations += c.requestsPerResolution - 1;
    this.emitRequest(now, ip, 0);
    this.count("admitted");
    return e;
  }

  resultHandle = 0;

  enqueue(e: Incomplete): number {
    const handle = this.freeHandles.pop();
    if (handle === undefined) {
      this.count("queueFull");
      return ArpVerdict.queueFull;
    }
    if (e.queue.length >= this.c.queuePerEntry) {
      if (this.c.queuePerEntry === 1) {
        this.freeHandles.push(handle);
        this.count("queueFull");
        return ArpVerdict.queueFull;
      }
      const victim = e.queue.splice(1, 1)[0]!;
      this.release(victim, e.ip, 0, QUEUE_OVERFLOW, false);
      this.count("queueOverflow");
    }
    e.queue.push(handle);
    this.queued++;
    if (this.queued > this.peakQueued) this.peakQueued = this.queued;
    this.count("handlesIssued");
    this.resultHandle = this.handleBase + handle;
    return ArpVerdict.queued;
  }

  detach(e: Incomplete): void {
    this.retryRemove(e);
    if (this.c.retryMode !== "demand" && e.sent < this.c.requestsPerResolution) this.obligations -= this.c.requestsPerResolution - e.sent;
  }

  fail(e: Incomplete, now: number): void {
    const failures = e.failures + 1;
    this.detach(e);
    this.releaseQueue(e, 0, RESOLVE_FAILED);
    this.iCount--;
    this.count("resolveFailed");
    this.nexistPlace(e.ip, now, failures, false);
  }

  resolveIncomplete(e: Incomplete, mac: number, confirmed: boolean, now: number): ArpCounterName {
    if (this.pCount >= this.c.presentEntries) {
      const victim = this.idleVictim(now);
      if (victim === null) {
        this.detach(e);
        this.releaseQueue(e, mac, SENT);
        this.iCount--;
        this.count("presentFull");
        this.nexistPlace(e.ip, now, 0, true);
        return "presentFull";
      }
      this.presentDelete(victim);
      this.count("presentEvicted");
    }
    this.detach(e);
    const p = this.presentCreate(e.ip, mac, now, confirmed ? 0 : UNCONFIRMED, now);
    this.index.set(e.ip, p);
    this.releaseQueue(e, mac, SENT);
    this.iCount--;
    const decision = confirmed ? "resolved" : "resolvedUnconfirmed";
    this.count(decision);
    return decision;
  }

  // -- operations ------------------------------------------------------------------------------

  resultMac = 0;

  resolve(ip: number, now: number): number {
    this.count("resolveCalls");
    const e = this.index.get(ip);
    const c = this.c;
    if (e?.kind === "present") {
      e.lastUsed = now;
      this.resultMac = e.mac;
      this.count("presentHits");
      return ArpVerdict.found;
    }
    if (e?.kind === "incomplete") {
      this.count("incompleteQueued");
      const verdict = this.enqueue(e);
      if (c.retryMode === "demand") {
        if (
          e.sent < c.requestsPerResolution &&
          now - e.lastSent >= c.retransmitMs &&
          now + c.retransmitMs <= e.created + c.requestsPerResolution * c.retransmitMs &&
          this.freeTokens() >= 1000
        ) {
          if (this.requestRoom()) {
            this.emitRequest(now, ip, 0);
            e.sent++;
            e.lastSent = now;
            this.count("demandRetries");
          } else this.count("requestRingFull");
        }
      }
      return verdict;
    }
    if (e?.kind === "nexist") {
      if (now < e.expires) {
        this.count("nexistHits");
        return ArpVerdict.nexist | (this.icmpTake() ? ArpVerdict.icmpFlag : 0);
      }
      const keep = this.remembers(e);
      const admitted = this.admit(ip, now, keep ? e.failures : 0, false);
      if (admitted === null) {
        if (!keep) {
          this.nexistVacate(e, true);
          this.count("nexistExpired");
        }
        return this.refusal;
      }
      this.nexistVacate(e, false);
      this.count("nexistExpired");
      this.index.set(ip, admitted);
      return this.enqueue(admitted);
    }
    if (this.isSpecial(ip) || this.isOwn(ip)) {
      this.count("badTarget");
      return ArpVerdict.badTarget;
    }
    const sighting = this.seen.get(ip);
    const priority = sighting !== undefined && now - sighting.at <= c.seenWindowMs;
    const admitted = this.admit(ip, now, 0, priority);
    if (admitted === null) return this.refusal;
    if (priority) this.count("admittedSeen");
    this.seenVacate(ip);
    this.index.set(ip, admitted);
    return this.enqueue(admitted);
  }

  receiveArp(
    op: number,
    spa: number,
    sha: number,
    tpa: number,
    tha: number,
    ethSource: number,
    ethDestination: number,
    now: number,
  ): number {
    const c = this.c;
    this.count("arpReceived");
    const code = (name: ArpCounterName, replied = false) => COUNTER_INDEX[name] | (replied ? 0x100 : 0);
    if (op !== 1 && op !== 2) {
      this.count("arpBadOp");
      return code("arpBadOp");
    }
    if (!(sha !== 0 && sha < 2 ** 48 && (Math.floor(sha / 2 ** 40) & 1) === 0 && sha !== c.mac)) {
      this.count("arpBadSenderMac");
      return code("arpBadSenderMac");
    }
    if (ethSource >= 0 && ethSource !== sha) {
      this.count("arpMacMismatch");
      return code("arpMacMismatch");
    }
    const forUs = this.isOwn(tpa);
    if (spa === 0) {
      const replied = op === 1 && forUs ? this.emitReply(now, 0, sha, tpa) : false;
      this.count("arpProbe");
      return code("arpProbe", replied);
    }
    if (this.isSpecial(spa)) {
      this.count("arpBadSenderIp");
      return code("arpBadSenderIp");
    }
    if (this.isOwn(spa)) {
      this.count("arpOwnAddress");
      return code("arpOwnAddress");
    }
    const replied = op === 1 && forUs ? this.emitReply(now, spa, sha, tpa) : false;
    const decide = (name: ArpCounterName) => {
      this.count(name);
      return code(name, replied);
    };
    if (!this.isOnLink(spa)) return decide("arpOffLink");
    const solicited = op === 2 && forUs && tha === c.mac && (ethDestination < 0 || ethDestination === c.mac);
    const e = this.index.get(spa);
    if (e?.kind === "present") {
      if (e.flags & STATIC) return decide("staticProtected");
      if (e.mac === sha) {
        this.presentRenew(e, now, solicited ? UNCONFIRMED : 0, 0);
        return decide("presentRefreshed");
      }
      if (now - e.updated < c.locktimeMs) return decide("lockIgnored");
      e.mac = sha;
      this.presentRenew(e, now, 0, UNCONFIRMED);
      return decide("macMoved");
    }
    if (e?.kind === "incomplete") return code(this.resolveIncomplete(e, sha, solicited, now), replied);
    if (e?.kind === "nexist") {
      if (e.full) return decide("nexistFullKept");
      this.nexistVacate(e, true);
      this.count("nexistClearedByArp");
      if (c.learnOnNexistClear && this.pCount < c.presentEntries) {
        this.index.set(spa, this.presentCreate(spa, sha, now, UNCONFIRMED, NEVER));
        this.count("nexistLearned");
      } else this.sight(spa, now);
      return code("nexistClearedByArp", replied);
    }
    if (op === 1 && forUs) {
      if (this.pCount < c.presentEntries) {
        this.seenVacate(spa);
        this.index.set(spa, this.presentCreate(spa, sha, now, UNCONFIRMED, NEVER));
        return decide("learnedFromRequest");
      }
      const result = decide("requestNotLearned");
      this.sight(spa, now);
      return result;
    }
    if (c.acceptUnsolicited && this.pCount < c.presentEntries) {
      this.seenVacate(spa);
      this.index.set(spa, this.presentCreate(spa, sha, now, UNCONFIRMED, NEVER));
      return decide("unsolicitedLearned");
    }
    const result = decide("unsolicitedIgnored");
    this.sight(spa, now);
    return result;
  }

  receiveIp(src: number, now: number): number {
    this.count("ipReceived");
    const e = this.index.get(src);
    if (e === undefined) {
      if (this.c.seenEntries === 0 || this.isSpecial(src) || this.isOwn(src) || !this.isOnLink(src)) return -1;
      this.sight(src, now);
      return COUNTER_INDEX.seenRecorded;
    }
    if (e?.kind === "incomplete") {
      this.count("incompleteIpIgnored");
      return COUNTER_INDEX.incompleteIpIgnored;
    }
    if (e?.kind === "nexist") {
      if (e.full) {
        this.count("nexistFullKept");
        return COUNTER_INDEX.nexistFullKept;
      }
      this.nexistVacate(e, true);
      this.count("nexistClearedByIp");
      this.sight(src, now);
      return COUNTER_INDEX.nexistClearedByIp;
    }
    return -1;
  }

  refreshProbe(p: Present, now: number): void {
    if (now + this.c.retransmitMs > p.expires) return;
    if (this.freeTokens() >= 1000 && this.requestRoom()) {
      this.emitRequest(now, p.ip, p.mac);
      p.probes++;
      this.count("refreshSent");
    } else {
      if (!this.requestRoom()) this.count("requestRingFull");
      this.count("refreshDeferred");
    }
    if (p.probes < this.c.refreshProbes) {
      p.due = now + this.c.retransmitMs;
      this.refreshAppend(p);
    }
  }

  tick(now: number): void {
    const c = this.c;
    const n = c.requestsPerResolution;
    while (this.retryHead !== null) {
      const e = this.retryHead;
      if (e.due > now) break;
      if (c.retryMode === "demand") {
        this.fail(e, now);
        continue;
      }
      if (e.sent >= n || now >= e.created + (n + 2) * c.retransmitMs) {
        this.fail(e, now);
        continue;
      }
      this.retryRemove(e);
      if (!this.requestRoom()) {
        this.count("requestRingFull");
        this.count("retryDeferred");
        this.retryAppend(e, now + c.retransmitMs);
        continue;
      }
      this.obligations--;
      this.emitRequest(now, e.ip, 0);
      e.sent++;
      e.lastSent = now;
      this.count("retries");
      this.retryAppend(e, now + c.retransmitMs);
    }
    let work = 0;
    while (work < c.tickWork && this.xUsed > 0) {
      const x = this.ring[this.xHead];
      if (x) {
        const forget = x.expires + (this.remembers(x) ? this.holdFor(x.failures) : 0);
        if (forget > now) break;
        this.index.delete(x.ip);
        this.ring[this.xHead] = null;
        this.xLive--;
        this.count("nexistExpired");
      }
      this.xHead = this.xHead + 1 === c.nexistEntries ? 0 : this.xHead + 1;
      this.xUsed--;
      work++;
    }
    while (work < c.tickWork && this.seenUsed > 0) {
      const record = this.seenRing[this.seenHead];
      if (record) {
        if (now - record.at <= c.seenWindowMs) break;
        this.seen.delete(record.ip);
        this.seenRing[this.seenHead] = null;
      }
      this.seenHead = this.seenHead + 1 === c.seenEntries ? 0 : this.seenHead + 1;
      this.seenUsed--;
      work++;
    }
    while (work < c.tickWork && this.expHead !== null) {
      const p = this.expHead;
      if (p.expires > now) break;
      this.presentDelete(p);
      this.count("presentExpired");
      work++;
    }
    while (work < c.tickWork && this.cursor !== null) {
      const p = this.cursor;
      if (p.expires - c.refreshWindowMs > now) break;
      this.cursor = p.next;
      p.flags |= EXAMINED;
      const refresh = c.refreshProbes > 0 && now - p.lastUsed <= c.recentUseMs;
      if (refresh) {
        p.flags |= REFRESHING;
        p.probes = 0;
        this.refreshProbe(p, now);
      }
      work++;
    }
    while (this.refHead !== null) {
      const p = this.refHead;
      if (p.due > now) break;
      this.refreshRemove(p);
      this.refreshProbe(p, now);
    }
  }

  clear(ip: number): number {
    let removed = 0;
    if (ip !== 0) {
      const e = this.index.get(ip);
      if (e?.kind === "incomplete") {
        this.detach(e);
        this.releaseQueue(e, 0, CLEARED);
        this.iCount--;
        this.index.delete(ip);
        removed = 1;
      } else if (e?.kind === "nexist") {
        this.nexistVacate(e, true);
        removed = 1;
      } else if (e?.kind === "present" && !(e.flags & STATIC)) {
        this.presentDelete(e);
        removed = 1;
      } else if (e === undefined) this.seenVacate(ip);
    } else {
      while (this.retryHead !== null) {
        const e = this.retryHead;
        this.retryRemove(e);
        this.releaseQueue(e, 0, CLEARED);
        this.iCount--;
        this.index.delete(e.ip);
        removed++;
      }
      this.obligations = 0;
      while (this.expHead !== null) {
        this.presentDelete(this.expHead);
        removed++;
      }
      while (this.xUsed > 0) {
        const x = this.ring[this.xHead];
        if (x) {
          this.index.delete(x.ip);
          this.ring[this.xHead] = null;
          removed++;
        }
        this.xHead = this.xHead + 1 === this.c.nexistEntries ? 0 : this.xHead + 1;
        this.xUsed--;
      }
      this.xHead = 0;
      this.xLive = 0;
      this.seen.clear();
      this.seenRing.fill(null);
      this.seenHead = 0;
      this.seenUsed = 0;
    }
    this.count("cleared", removed);
    return removed;
  }

  staticAdd(ip: number, mac: number, now: number): number {
    if (this.isSpecial(ip) || this.isOwn(ip)) return -2;
    const e = this.index.get(ip);
    if (e?.kind === "present" && e.flags & STATIC) {
      e.mac = mac;
      e.updated = now;
      this.count("staticAdded");
      return 0;
    }
    if (this.sCount >= this.c.staticEntries) return -3;
    if (e?.kind === "present") this.presentDelete(e);
    else if (e?.kind === "incomplete") {
      this.detach(e);
      this.releaseQueue(e, mac, SENT);
      this.iCount--;
      this.index.delete(ip);
    } else if (e?.kind === "nexist") this.nexistVacate(e, true);
    this.seenVacate(ip);
    this.index.set(ip, this.presentCreate(ip, mac, now, STATIC, NEVER));
    this.count("staticAdded");
    return 0;
  }

  staticRemove(ip: number): number {
    const e = this.index.get(ip);
    if (e?.kind !== "present" || !(e.flags & STATIC)) return -4;
    this.index.delete(ip);
    this.sCount--;
    this.count("staticRemoved");
    return 0;
  }
}

/**
 * The reference ARP table: same constructor options, methods and results as {@link ArpTable}.
 */
export class ReferenceArpTable {
  readonly #ifaces: RefInterface[];
  #lastNow = 0;
  #badInterface = 0;
  #clockBackwards = 0;
  /** Interfaces as the table sees them. */
  readonly interfaces: readonly { ifIndex: number; name: string; mac: string; addresses: string[] }[];
  /** Total packet handles. */
  readonly handleCount: number;

  constructor(options: ArpOptions) {
    const config = normalizeArpOptions(options);
    let base = 0;
    this.#ifaces = config.interfaces.map((c, i) => {
      const f = new RefInterface(c, i, base);
      base += c.queuePerInterface;
      return f;
    });
    const bytes = this.#ifaces.reduce((s, f) => s + f.bytes, 0);
    if (bytes > config.maxBytes)
      throw new CapacityError("arp-budget", `the ARP table's pools do not fit in maxBytes ${describe(config.maxBytes)}`, config.maxBytes);
    this.handleCount = base;
    this.interfaces = Object.freeze(
      config.interfaces.map((c, ifIndex) => ({
        ifIndex,
        name: c.name,
        mac: macText(c.mac),
        addresses: c.addresses.map((a) => `${formatIPv4(a.address)}/${a.length}`),
      })),
    );
  }

  /** The last time the table has seen (ms). */
  get now(): number {
    return this.#lastNow;
  }

  #time(now: number): number {
    let t = Math.floor(checkTime(now));
    if (t < this.#lastNow) {
      this.#clockBackwards++;
      t = this.#lastNow;
    }
    this.#lastNow = t;
    return t;
  }

  #iface(ifIndex: number): RefInterface {
    return this.#ifaces[checkInterface(ifIndex, this.#ifaces.length)]!;
  }

  /** See {@link ArpTable.resolve}. */
  resolve(ifIndex: number, ip: IPv4Input, now: number): ArpResolveResult {
    const f = this.#iface(ifIndex);
    const address = toIPv4(ip);
    const t = this.#time(now);
    f.refill(t);
    const verdict = f.resolve(address, t);
    if (verdict === ArpVerdict.found) return { status: "found", mac: macText(f.resultMac) };
    if (verdict === ArpVerdict.queued) return { status: "queued", handle: f.resultHandle };
    return { status: "dropped", reason: dropReason(verdict), icmp: (verdict & ArpVerdict.icmpFlag) !== 0 };
  }

  /** See {@link ArpTable.resolveBatch}. */
  resolveBatch(ifIndex: number, ips: Uint32Array, now: number, verdicts: Uint8Array, macs?: Uint8Array, handles?: Uint32Array): Uint8Array {
    const f = this.#iface(ifIndex);
    if (verdicts.length < ips.length)
      throw new RangeError(`resolveBatch: ${ips.length} addresses need ${ips.length} verdicts, got ${verdicts.length}`);
    const t = this.#time(now);
    f.refill(t);
    for (let i = 0; i < ips.length; i++) {
      const verdict = f.resolve(ips[i]!, t);
      verdicts[i] = verdict;
      if (verdict === ArpVerdict.found && macs) macBytes(f.resultMac, macs, i * 6);
      if (verdict === ArpVerdict.queued && handles) handles[i] = f.resultHandle;
    }
    return verdicts;
  }

  /** See {@link ArpTable.receiveArp}. */
  receiveArp(packet: ArpPacket, now: number): ArpReceiveResult {
    const p = parseArpPacket(packet, this.#ifaces.length);
    const f = this.#ifaces[p.ifIndex]!;
    const t = this.#time(now);
    f.refill(t);
    const code = f.receiveArp(p.op, p.senderIp, p.senderMac, p.targetIp, p.targetMac, p.ethernetSource, p.ethernetDestination, t);
    return { decision: ARP_COUNTER_NAMES[code & 0xff]!, replied: (code & 0x100) !== 0 };
  }

  /** See {@link ArpTable.receiveIp}. */
  receiveIp(ifIndex: number, srcIp: IPv4Input, now: number): ArpCounterName | null {
    const f = this.#iface(ifIndex);
    const address = toIPv4(srcIp);
    const t = this.#time(now);
    f.refill(t);
    const code = f.receiveIp(address, t);
    return code < 0 ? null : ARP_COUNTER_NAMES[code]!;
  }

  /** See {@link ArpTable.receiveIpBatch}. */
  receiveIpBatch(ifIndex: number, srcIps: Uint32Array, now: number): void {
    const f = this.#iface(ifIndex);
    const t = this.#time(now);
    f.refill(t);
    for (const src of srcIps) f.receiveIp(src, t);
  }

  /** See {@link ArpTable.tick}. */
  tick(now: number): void {
    const t = this.#time(now);
    for (const f of this.#ifaces) {
      f.refill(t);
      f.tick(t);
    }
  }

  /** See {@link ArpTable.drainRequests}. */
  drainRequests(): ArpOutput[] {
    const out: ArpOutput[] = [];
    for (const f of this.#ifaces) {
      const senderMac = macText(f.c.mac);
      for (const o of f.requests) {
        out.push({
          ifIndex: f.ifIndex,
          op: "request",
          targetIp: formatIPv4(o.target),
          targetMac: o.mac === 0 ? null : macText(o.mac),
          senderIp: formatIPv4(o.sender),
          senderMac,
          time: o.time,
        });
      }
      for (const o of f.replies) {
        out.push({
          ifIndex: f.ifIndex,
          op: "reply",
          targetIp: formatIPv4(o.target),
          targetMac: macText(o.mac),
          senderIp: formatIPv4(o.sender),
          senderMac,
          time: o.time,
        });
      }
      f.requests.length = 0;
      f.replies.length = 0;
    }
    return out;
  }

  /** See {@link ArpTable.drainReleased}. */
  drainReleased(): ArpRelease[] {
    const out: ArpRelease[] = [];
    for (const f of this.#ifaces) {
      for (const r of f.released) {
        const ip = formatIPv4(r.ip);
        if (r.reason === SENT) out.push({ handle: r.handle, ifIndex: f.ifIndex, ip, status: "sent", mac: macText(r.mac) });
        else out.push({ handle: r.handle, ifIndex: f.ifIndex, ip, status: "dropped", reason: releaseReason(r.reason), icmp: r.icmp });
        f.freeHandles.push(r.handle - f.handleBase);
      }
      f.released.length = 0;
    }
    return out;
  }

  /** See {@link ArpTable.addStatic}. */
  addStatic(ifIndex: number, ip: IPv4Input, mac: MacInput | number, now: number = this.#lastNow): void {
    const f = this.#iface(ifIndex);
    const address = toIPv4(ip);
    const value = toMacValue(mac);
    const t = this.#time(now);
    f.refill(t);
    const status = f.staticAdd(address, value, t);
    if (status === -2)
      throw new ConfigError("arp-static-address", `cannot add a static entry for ${describe(ip)}: not a neighbour address`, ip);
    if (status === -3)
      throw new CapacityError(
        "arp-static-full",
        `cannot add a static entry for ${describe(ip)}: the interface's ${f.c.staticEntries} static entries are in use`,
        ip,
      );
  }

  /** See {@link ArpTable.removeStatic}. */
  removeStatic(ifIndex: number, ip: IPv4Input): boolean {
    return this.#iface(ifIndex).staticRemove(toIPv4(ip)) === 0;
  }

  /** See {@link ArpTable.clear}. */
  clear(options: { ifIndex?: number; ip?: IPv4Input; now?: number } = {}): number {
    const only = options.ifIndex === undefined ? undefined : checkInterface(options.ifIndex, this.#ifaces.length);
    const ip = options.ip === undefined ? 0 : toIPv4(options.ip);
    if (options.ip !== undefined && ip === 0) return 0;
    const t = this.#time(options.now ?? this.#lastNow);
    let removed = 0;
    for (const f of this.#ifaces) {
      if (only !== undefined && f.ifIndex !== only) continue;
      f.refill(t);
      removed += f.clear(ip);
    }
    return removed;
  }

  /** See {@link ArpTable.counters}. */
  counters(ifIndex?: number): ArpCounters {
    const list = ifIndex === undefined ? this.#ifaces : [this.#iface(ifIndex)];
    const result = Object.fromEntries(
      ARP_COUNTER_NAMES.map((name, c) => [name, list.reduce((s, f) => s + f.counters[c]!, 0)]),
    ) as ArpCounters;
    result.badInterface = this.#badInterface;
    result.clockBackwards = this.#clockBackwards;
    return result;
  }

  /** See {@link ArpTable.occupancy}. */
  occupancy(): ArpOccupancy {
    const interfaces = this.#ifaces.map((f) => ({
      ifIndex: f.ifIndex,
      name: f.c.name,
      present: f.pCount,
      static: f.sCount,
      incomplete: f.iCount,
      nexist: f.xLive,
      nexistPositions: f.xUsed,
      queued: f.queued,
      pendingReleases: f.released.length,
      pendingRequests: f.requests.length,
      pendingReplies: f.replies.length,
      bytes: f.bytes,
      capacity: {
        present: f.c.presentEntries,
        static: f.c.staticEntries,
        incomplete: f.c.incompleteEntries,
        nexist: f.c.nexistEntries,
        queue: f.c.queuePerInterface,
      },
      peak: { present: f.peakPresent, incomplete: f.peakIncomplete, nexist: f.peakNexist, queued: f.peakQueued },
      freeTokens: f.freeTokens() / 1000,
      obligations: f.obligations,
      seen: f.seen.size,
      seenCapacity: f.c.seenEntries,
    }));
    const sum = (key: "present" | "static" | "incomplete" | "nexist" | "queued" | "bytes") => interfaces.reduce((s, i) => s + i[key], 0);
    return {
      interfaces,
      present: sum("present"),
      static: sum("static"),
      incomplete: sum("incomplete"),
      nexist: sum("nexist"),
      queued: sum("queued"),
      bytes: sum("bytes"),
    };
  }

  /** See {@link ArpTable.state}. */
  state(ifIndex: number, ip: IPv4Input): "absent" | "present" | "static" | "incomplete" | "nexist" {
    const e = this.#iface(ifIndex).index.get(toIPv4(ip));
    if (e === undefined) return "absent";
    if (e.kind === "present") return e.flags & STATIC ? "static" : "present";
    return e.kind;
  }

  /** The MAC (48-bit number) of the PRESENT or STATIC entry for `ip`, or undefined. */
  presentMac(ifIndex: number, ip: IPv4Input): number | undefined {
    const e = this.#iface(ifIndex).index.get(toIPv4(ip));
    return e !== undefined && e.kind === "present" ? e.mac : undefined;
  }

  /** See {@link ArpTable.entries}. */
  entries(ifIndex?: number): ArpEntry[] {
    const list = ifIndex === undefined ? this.#ifaces : [this.#iface(ifIndex)];
    const out: ArpEntry[] = [];
    for (const f of list) {
      for (const e of f.index.values()) {
        const ip = formatIPv4(e.ip);
        if (e.kind === "present") {
          if (e.flags & STATIC) out.push({ ifIndex: f.ifIndex, ip, state: "static", mac: macText(e.mac), updatedAt: e.updated });
          else {
            out.push({
              ifIndex: f.ifIndex,
              ip,
              state: "present",
              mac: macText(e.mac),
              unconfirmed: (e.flags & UNCONFIRMED) !== 0,
              refreshing: (e.flags & REFRESHING) !== 0,
              expiresAt: e.expires,
              updatedAt: e.updated,
              lastUsedAt: e.lastUsed,
              requests: e.probes,
            });
          }
        } else if (e.kind === "incomplete") {
          out.push({
            ifIndex: f.ifIndex,
            ip,
            state: "incomplete",
            expiresAt: e.due,
            updatedAt: e.created,
            lastUsedAt: e.lastSent,
            requests: e.sent,
            queued: e.queue.length,
            failures: e.failures,
          });
        } else {
          out.push({ ifIndex: f.ifIndex, ip, state: "nexist", expiresAt: e.expires, failures: e.failures, full: e.full });
        }
      }
    }
    return sortEntries(out);
  }
}
