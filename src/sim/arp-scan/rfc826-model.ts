/**
 * RFC 826 taken literally: a positive cache and nothing else. A packet whose next hop is not
 * cached is thrown away ("on the assumption the packet will be retransmitted by a higher network
 * layer") and a broadcast request goes out; replies are merged into the cache. No timeout is
 * modelled (the run is shorter than any ARP timeout), no queue, no rate limit.
 */

import { type ScanModel, SENT, DROPPED } from "./model.js";

/** RFC 826 as written: a positive cache, one request per packet that misses. */
export class Rfc826Model implements ScanModel {
  readonly name = "RFC 826";
  readonly #cache = new Map<number, number>();
  #requests: number[] = [];
  #requestTimes: number[] = [];
  #dropped = 0;

  resolve(ips: Uint32Array, count: number, now: number, verdicts: Uint8Array): void {
    for (let i = 0; i < count; i++) {
      const ip = ips[i]!;
      if (this.#cache.has(ip)) verdicts[i] = SENT;
      else {
        verdicts[i] = DROPPED;
        this.#dropped++;
        this.#requests.push(ip);
        this.#requestTimes.push(now);
      }
    }
  }
  arpReply(ip: number, mac: number): void {
    this.#cache.set(ip, mac);
  }
  announce(ip: number, mac: number): void {
    // Merge only: RFC 826 updates an existing pair, it does not add one for a stranger.
    if (this.#cache.has(ip)) this.#cache.set(ip, mac);
  }
  tick(): void {}
  takeRequests(out: (ip: number, broadcast: boolean, time: number) => void): void {
    for (let k = 0; k < this.#requests.length; k++) out(this.#requests[k]!, true, this.#requestTimes[k]!);
    this.#requests = [];
    this.#requestTimes = [];
  }
  takeReleases(): void {}
  occupancy() {
    return { entries: { present: this.#cache.size }, bytes: null };
  }
  drops() {
    return { unresolved: this.#dropped };
  }
}
