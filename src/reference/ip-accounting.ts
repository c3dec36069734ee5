/**
 * Reference IP accounting (the oracle for src/analysis/ip-accounting.ts), from the seed (spec
 * §1.4, §3.2) and IOS's threshold rule: a map from (source, destination) to packets and bytes in
 * first-arrival order, at most `threshold` pairs; a packet of a new pair beyond that adds to the
 * "threshold exceeded" counts; `clear` moves the table to the checkpoint.
 */

import type { IpAccountingTable } from "../analysis/ip-accounting.js";

/** A packet as accounting sees it. */
export interface AccountedPacket {
  ipVersion: number;
  src: string;
  dst: string;
  length: number;
}

export class ReferenceIpAccounting {
  readonly threshold: number;
  #active = new Map<string, { source: string; destination: string; ipVersion: 4 | 6; packets: number; bytes: number }>();
  #exceeded = { packets: 0, bytes: 0 };
  #since: number;
  #checkpoint: IpAccountingTable;
  notIp = 0;

  constructor(threshold = 512, now = 0) {
    this.threshold = threshold;
    this.#since = now;
    this.#checkpoint = { entries: [], thresholdExceeded: { packets: 0, bytes: 0 }, since: now };
  }

  account(p: AccountedPacket): void {
    if (p.ipVersion !== 4 && p.ipVersion !== 6) {
      this.notIp++;
      return;
    }
    const key = `${p.ipVersion} ${p.src} ${p.dst}`;
    const entry = this.#active.get(key);
    if (entry) {
      entry.packets++;
      entry.bytes += p.length;
    } else if (this.#active.size < this.threshold) {
      this.#active.set(key, { source: p.src, destination: p.dst, ipVersion: p.ipVersion, packets: 1, bytes: p.length });
    } else {
      this.#exceeded.packets++;
      this.#exceeded.bytes += p.length;
    }
  }

  clear(now: number): void {
    this.#checkpoint = this.table(false);
    this.#active = new Map();
    this.#exceeded = { packets: 0, bytes: 0 };
    this.#since = now;
  }

  table(checkpoint = false): IpAccountingTable {
    if (checkpoint) return this.#checkpoint;
    return { entries: [...this.#active.values()].map((e) => ({ ...e })), thresholdExceeded: { ...this.#exceeded }, since: this.#since };
  }
}
