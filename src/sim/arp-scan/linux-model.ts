/**
 * A model of Linux's neighbour table with its ARP defaults (research §1; net/core/neighbour.c,
 * net/ipv4/arp.c of 6.18): one table shared by every state (and every interface), gc_thresh1/2/3
 * = 128/512/1024, mcast_solicit 3 at retrans_time 1 s, FAILED after the third, and the next
 * packet to a FAILED entry starts over. Allocation at ≥ gc_thresh3 (or ≥ gc_thresh2 five seconds
 * after the last flush) runs the forced GC, which walks entries in creation order and frees those
 * that are FAILED or were not updated for 5 s, down to gc_thresh2; if nothing can be freed at
 * gc_thresh3 the allocation fails ("neighbor table overflow!") and the packet is dropped.
 * Resolved entries go REACHABLE → (reachable_time, 15–45 s) STALE or DELAY → (5 s) PROBE, with
 * unicast probes; every state change stamps `updated`, which is what the forced GC looks at.
 * Simplifications: every reference count is 1, the GC's 1 ms time budget is ignored, timers run
 * at the scenario's tick.
 */

import { type ScanModel, SENT, QUEUED, DROPPED } from "./model.js";
import { Xoshiro128 } from "../../common/random.js";

const INCOMPLETE = 1;
const REACHABLE = 2;
const STALE = 3;
const DELAY = 4;
const PROBE = 5;
const FAILED = 6;
const STATE_NAMES = ["none", "incomplete", "reachable", "stale", "delay", "probe", "failed"];

/** Linux ARP defaults (arp_tbl in net/ipv4/arp.c). */
export const LINUX_DEFAULTS = {
  gcThresh1: 128,
  gcThresh2: 512,
  gcThresh3: 1024,
  mcastSolicit: 3,
  ucastSolicit: 3,
  retransMs: 1000,
  baseReachableMs: 30_000,
  delayFirstProbeMs: 5000,
  gcStaleMs: 60_000,
  gcIntervalMs: 15_000,
  /** unres_qlen_bytes (212,992) in packets of ~2 KB truesize. */
  queuePackets: 101,
};

interface Neigh {
  ip: number;
  state: number;
  updated: number;
  confirmed: number;
  used: number;
  probes: number;
  timerAt: number;
  reachableMs: number;
  queued: number;
  prev: Neigh | null;
  next: Neigh | null;
  alive: boolean;
}

/** Linux's neighbour table with its ARP defaults, as modelled above. */
export class LinuxModel implements ScanModel {
  readonly name = "Linux defaults";
  readonly #p = LINUX_DEFAULTS;
  readonly #table = new Map<number, Neigh>();
  #gcHead: Neigh | null = null;
  #gcTail: Neigh | null = null;
  #lastFlush = -Infinity;
  #lastPeriodic = 0;
  /** A lower bound of `updated` over all entries, and the FAILED count: skip GC walks that can free nothing. */
  #minUpdated = Infinity;
  #failed = 0;
  /** Timer wheel of 10 ms buckets: (entry, time) pairs, stale when the entry was re-armed. */
  readonly #wheel = new Map<number, { n: Neigh; at: number }[]>();
  #wheelDone = -1;
  #requests: number[] = [];
  #requestKinds: boolean[] = [];
  #requestTimes: number[] = [];
  #releases: number[] = [];
  #releaseSent: boolean[] = [];
  readonly #random = new Xoshiro128(0x11ce);
  readonly #drops = { tableOverflow: 0, queueOverflow: 0, resolutionFailed: 0 };
  /** Forced GC walks, and resolved entries (REACHABLE/STALE/DELAY/PROBE) they or the periodic GC freed. */
  readonly counts = { forcedGc: 0, evictedResolved: 0 };

  #emit(ip: number, broadcast: boolean, now: number): void {
    this.#requests.push(ip);
    this.#requestKinds.push(broadcast);
    this.#requestTimes.push(now);
  }

  #setState(n: Neigh, state: number, now: number): void {
    if (n.state === FAILED) this.#failed--;
    if (state === FAILED) this.#failed++;
    n.state = state;
    n.updated = now;
  }

  #arm(n: Neigh, at: number): void {
    n.timerAt = at;
    const bucket = Math.max(Math.ceil(at / 10), this.#wheelDone + 1);
    const list = this.#wheel.get(bucket);
    if (list) list.push({ n, at });
    else this.#wheel.set(bucket, [{ n, at }]);
  }

  #unlink(n: Neigh): void {
    if (n.prev === null) this.#gcHead = n.next;
    else n.prev.next = n.next;
    if (n.next === null) this.#gcTail = n.prev;
    else n.next.prev = n.prev;
    n.alive = false;
    if (n.state === FAILED) this.#failed--;
    this.#table.delete(n.ip);
  }

  #free(n: Neigh): void {
    if (n.state === REACHABLE || n.state === STALE || n.state === DELAY || n.state === PROBE) this.counts.evictedResolved++;
    // Packets still queued on a freed INCOMPLETE entry are dropped.
    for (let k = 0; k < n.queued; k++) this.#release(n.ip, false);
    if (n.queued > 0) this.#drops.resolutionFailed += n.queued;
    n.queued = 0;
    this.#unlink(n);
  }

  #release(ip: number, sent: boolean): void {
    this.#releases.push(ip);
    this.#releaseSent.push(sent);
  }

  /** neigh_forced_gc: frees FAILED or not-updated-for-5-s entries in creation order, down to gc_thresh2. */
  #forcedGc(now: number): number {
    this.#lastFlush = now;
    if (this.#failed === 0 && this.#minUpdated > now - 5000) return 0;
    this.counts.forcedGc++;
    const maxClean = this.#table.size - this.#p.gcThresh2;
    let shrunk = 0;
    let min = Infinity;
    for (let n = this.#gcHead; n !== null && shrunk < maxClean; ) {
      const next = n.next;
      if (n.state === FAILED || now - n.updated > 5000) {
        this.#free(n);
        shrunk++;
      } else if (n.updated < min) min = n.updated;
      n = next;
    }
    // Entries past the stopping point keep the old bound.
    this.#minUpdated = shrunk >= maxClean ? Math.min(this.#minUpdated, min) : min;
    return shrunk;
  }

  /** neigh_alloc. */
  #alloc(ip: number, now: number): Neigh | null {
    const entries = this.#table.size + 1;
    if (entries >= this.#p.gcThresh3 || (entries >= this.#p.gcThresh2 && now > this.#lastFlush + 5000)) {
      if (this.#forcedGc(now) === 0 && entries >= this.#p.gcThresh3) return null;
    }
    const n: Neigh = {
      ip,
      state: 0,
      updated: now,
      confirmed: now - 1e9,
      used: now,
      probes: 0,
      timerAt: Infinity,
      reachableMs: Math.floor(this.#p.baseReachableMs * (0.5 + this.#random.next() / 2 ** 32)),
      queued: 0,
      prev: this.#gcTail,
      next: null,
      alive: true,
    };
    if (this.#gcTail === null) this.#gcHead = n;
    else this.#gcTail.next = n;
    this.#gcTail = n;
    this.#table.set(ip, n);
    if (now < this.#minUpdated) this.#minUpdated = now;
    return n;
  }

  resolve(ips: Uint32Array, count: number, now: number, verdicts: Uint8Array): void {
    for (let i = 0; i < count; i++) verdicts[i] = this.#resolveOne(ips[i]!, now);
  }

  #resolveOne(ip: number, now: number): number {
    let n = this.#table.get(ip);
    if (n === undefined) {
      const created = this.#alloc(ip, now);
      if (created === null) {
        this.#drops.tableOverflow++;
        return DROPPED;
      }
      n = created;
    }
    n.used = now;
    switch (n.state) {
      case REACHABLE:
      case DELAY:
      case PROBE:
        return SENT;
      case STALE:
        this.#setState(n, DELAY, now);
        this.#arm(n, now + this.#p.delayFirstProbeMs);
        return SENT;
      case INCOMPLETE:
        if (n.queued >= this.#p.queuePackets) {
          this.#release(ip, false);
          this.#drops.queueOverflow++;
        } else n.queued++;
        return QUEUED;
      default:
        // NONE or FAILED: start over with mcast_solicit broadcasts, the first one now.
        this.#setState(n, INCOMPLETE, now);
        n.probes = 1;
        this.#emit(ip, true, now);
        this.#arm(n, now + this.#p.retransMs);
        n.queued = 1;
        return QUEUED;
    }
  }

  arpReply(ip: number, _mac: number, now: number): void {
    const n = this.#table.get(ip);
    if (n === undefined) return; // arp_accept = 0: no entry from an unsolicited reply
    n.confirmed = now;
    if (n.state === INCOMPLETE) for (let k = 0; k < n.queued; k++) this.#release(ip, true);
    n.queued = 0;
    this.#setState(n, REACHABLE, now);
    this.#arm(n, now + n.reachableMs);
  }

  announce(ip: number, mac: number, now: number): void {
    // A gratuitous ARP updates an existing entry (to STALE); it creates none with arp_accept = 0.
    const n = this.#table.get(ip);
    if (n !== undefined && n.state !== INCOMPLETE) this.#setState(n, STALE, now);
    else if (n !== undefined) this.arpReply(ip, mac, now);
  }

  tick(now: number): void {
    const last = Math.floor(now / 10);
    for (let bucket = this.#wheelDone + 1; bucket <= last; bucket++) {
      const list = this.#wheel.get(bucket);
      if (!list) continue;
      this.#wheel.delete(bucket);
      list.sort((a, b) => a.at - b.at);
      for (const { n, at } of list) if (n.alive && n.timerAt === at) this.#timer(n, now);
    }
    this.#wheelDone = last;
    if (now - this.#lastPeriodic >= this.#p.gcIntervalMs) {
      this.#lastPeriodic = now;
      if (this.#table.size >= this.#p.gcThresh1) {
        for (let n = this.#gcHead; n !== null; ) {
          const next = n.next;
          if (n.state === FAILED || now - n.used > this.#p.gcStaleMs) this.#free(n);
          n = next;
        }
      }
    }
  }

  /** neigh_timer_handler. */
  #timer(n: Neigh, now: number): void {
    n.timerAt = Infinity;
    switch (n.state) {
      case INCOMPLETE:
        if (n.probes >= this.#p.mcastSolicit) {
          this.#setState(n, FAILED, now);
          for (let k = 0; k < n.queued; k++) this.#release(n.ip, false);
          this.#drops.resolutionFailed += n.queued;
          n.queued = 0;
        } else {
          n.probes++;
          this.#emit(n.ip, true, now);
          this.#arm(n, now + this.#p.retransMs);
        }
        return;
      case REACHABLE:
        if (now <= n.confirmed + n.reachableMs) this.#arm(n, n.confirmed + n.reachableMs);
        else if (now <= n.used + this.#p.delayFirstProbeMs) {
          this.#setState(n, DELAY, now);
          this.#arm(n, now + this.#p.delayFirstProbeMs);
        } else this.#setState(n, STALE, now);
        return;
      case DELAY:
        if (now <= n.confirmed + this.#p.delayFirstProbeMs) {
          this.#setState(n, REACHABLE, now);
          this.#arm(n, now + n.reachableMs);
        } else {
          this.#setState(n, PROBE, now);
          n.probes = 1;
          this.#emit(n.ip, false, now);
          this.#arm(n, now + this.#p.retransMs);
        }
        return;
      case PROBE:
        if (n.probes >= this.#p.ucastSolicit) this.#setState(n, FAILED, now);
        else {
          n.probes++;
          this.#emit(n.ip, false, now);
          this.#arm(n, now + this.#p.retransMs);
        }
        return;
    }
  }

  takeRequests(out: (ip: number, broadcast: boolean, time: number) => void): void {
    for (let k = 0; k < this.#requests.length; k++) out(this.#requests[k]!, this.#requestKinds[k]!, this.#requestTimes[k]!);
    this.#requests = [];
    this.#requestKinds = [];
    this.#requestTimes = [];
  }

  takeReleases(out: (ip: number, sent: boolean) => void): void {
    for (let k = 0; k < this.#releases.length; k++) out(this.#releases[k]!, this.#releaseSent[k]!);
    this.#releases = [];
    this.#releaseSent = [];
  }

  occupancy() {
    const entries: Record<string, number> = { total: this.#table.size };
    for (const n of this.#table.values()) entries[STATE_NAMES[n.state]!] = (entries[STATE_NAMES[n.state]!] ?? 0) + 1;
    return { entries, bytes: null };
  }

  drops() {
    return { ...this.#drops, forcedGcRuns: this.counts.forcedGc, resolvedEvicted: this.counts.evictedResolved };
  }
}
