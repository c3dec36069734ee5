/**
 * The two ARP behaviours the Code Red scenario compares on the simulated router:
 *
 * - {@link Rfc826Arp}: IOS's ARP as the note's router runs it — RFC 826's positive cache and
 *   nothing else. A packet whose next hop is not cached is dropped and a broadcast request goes
 *   out (one per such packet: RFC 826 keeps no record of requests in flight); a reply creates
 *   an entry, allocated from processor memory by ARP Input, that lives for the ARP timeout
 *   (4 hours, 000:L383) — so every proxy-answered scan target holds memory for the whole run.
 * - {@link NegativeCachingArp}: the library's {@link ArpTable} (the NANOG proposal, seed 001,
 *   spec §5): one request in flight per address, a bounded number of retries, NEXIST entries
 *   that refuse further packets without a request, a request token bucket, fixed budgets.
 *
 * Both report requests sent (for the upstream to answer) and entries learned (for the route
 * cache's neighbour rewrites and CEF's adjacencies).
 */

import { ArpTable } from "../../arp/table.js";
import type { ArpInterfaceOptions } from "../../arp/options.js";
import { ArpVerdict } from "../../arp/types.js";
import { parseIPv4 } from "../../net/address.js";
import type { Core } from "../../wasm/core.js";

/** What resolving one packet's next hop gives. */
export const RESOLVED = 0;
/** Not resolved: a request went out (or is in flight) and the packet is dropped. */
export const REQUESTED = 1;
/** Not resolved and refused without a request (NEXIST, rate-limited, table full). */
export const REFUSED = 2;

/** An ARP behaviour of the simulated router (one interface's table). */
export interface RouterArp {
  readonly kind: "rfc826" | "negative-caching";
  /** Resolves `ips[0..count)` at `now`, writing RESOLVED / REQUESTED / REFUSED per packet. */
  resolve(ips: Uint32Array, count: number, now: number, out: Uint8Array): void;
  /** Requests sent since the last call (target addresses). */
  takeRequests(): number[];
  /**
   * A reply for `ip` with `mac`. `allocate()` asks processor memory for a new entry (false: the
   * allocation failed and no entry is made). Returns true when an entry now exists.
   */
  reply(ip: number, mac: number, now: number, allocate: () => boolean): boolean;
  /** Entries by state, for `show ip arp summary`. */
  summary(): { present: number; incomplete: number; nexist: number };
  /** Runs timers. */
  tick(now: number): void;
  dispose(): void;
}

/** RFC 826's positive cache (IOS without negative caching). */
export class Rfc826Arp implements RouterArp {
  readonly kind = "rfc826" as const;
  readonly #cache = new Map<number, number>();
  #requests: number[] = [];

  resolve(ips: Uint32Array, count: number, _now: number, out: Uint8Array): void {
    for (let i = 0; i < count; i++) {
      const ip = ips[i]!;
      if (this.#cache.has(ip)) out[i] = RESOLVED;
      else {
        out[i] = REQUESTED;
        this.#requests.push(ip);
      }
    }
  }

  takeRequests(): number[] {
    const r = this.#requests;
    this.#requests = [];
    return r;
  }

  reply(ip: number, mac: number, _now: number, allocate: () => boolean): boolean {
    if (this.#cache.has(ip)) {
      this.#cache.set(ip, mac);
      return true;
    }
    if (!allocate()) return false;
    this.#cache.set(ip, mac);
    return true;
  }

  /** The resolved addresses and their MACs. */
  entries(): IterableIterator<[number, number]> {
    return this.#cache.entries();
  }

  summary() {
    return { present: this.#cache.size, incomplete: 0, nexist: 0 };
  }

  tick(): void {}

  dispose(): void {
    this.#cache.clear();
  }
}

/** The library's negative-caching {@link ArpTable} on one interface. */
export class NegativeCachingArp implements RouterArp {
  readonly kind = "negative-caching" as const;
  readonly table: ArpTable;
  readonly #ourIp: number;
  readonly #ourMac: string;
  #raw = new Uint8Array(4096);

  constructor(core: Core, iface: ArpInterfaceOptions, seed: number) {
    this.table = new ArpTable({ core, interfaces: [iface], seed, maxBytes: 64 * 1024 * 1024 });
    const info = this.table.interfaces[0]!;
    this.#ourIp = parseIPv4(info.addresses[0]!.split("/")[0]!);
    this.#ourMac = info.mac;
  }

  /** Bytes the table holds (its fixed budgets). */
  get bytes(): number {
    return this.table.occupancy().interfaces[0]!.bytes;
  }

  resolve(ips: Uint32Array, count: number, now: number, out: Uint8Array): void {
    if (this.#raw.length < count) this.#raw = new Uint8Array(count);
    const raw = this.#raw;
    this.table.resolveBatch(0, ips.subarray(0, count), now, raw);
    for (let i = 0; i < count; i++) {
      const v = raw[i]!;
      out[i] = v === ArpVerdict.found ? RESOLVED : v === ArpVerdict.queued ? REQUESTED : REFUSED;
    }
  }

  takeRequests(): number[] {
    const out: number[] = [];
    for (const r of this.table.drainRequests()) if (r.op === "request") out.push(parseIPv4(r.targetIp));
    this.table.drainReleased();
    return out;
  }

  reply(ip: number, mac: number, now: number): boolean {
    const r = this.table.receiveArp(
      { ifIndex: 0, op: 2, senderIp: ip, senderMac: mac, targetIp: this.#ourIp, targetMac: this.#ourMac },
      now,
    );
    return r.decision === "resolved" || r.decision === "presentRefreshed";
  }

  summary() {
    const o = this.table.occupancy().interfaces[0]!;
    return { present: o.present, incomplete: o.incomplete, nexist: o.nexist };
  }

  tick(now: number): void {
    this.table.tick(now);
  }

  dispose(): void {
    this.table.dispose();
  }
}
