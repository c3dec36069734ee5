/**
 * What the Code Red scenario drives: a neighbour table model (ours, Linux's defaults, plain
 * RFC 826) seen through one small interface, so that the same traffic reaches each.
 */

/** Per packet: sent at once, queued until resolution, or dropped. */
export const SENT = 0;
export const QUEUED = 1;
export const DROPPED = 2;

/** A neighbour-table model under the scenario's traffic. */
export interface ScanModel {
  readonly name: string;
  /** Resolves the next hop of `count` packets (IPv4 at `ips`) at `now`, writing SENT/QUEUED/DROPPED. */
  resolve(ips: Uint32Array, count: number, now: number, verdicts: Uint8Array): void;
  /** A solicited ARP reply from a live host. */
  arpReply(ip: number, mac: number, now: number): void;
  /** A gratuitous ARP (RFC 5227 announcement) from a host that just came up. */
  announce(ip: number, mac: number, now: number): void;
  /** Runs timers up to `now`. */
  tick(now: number): void;
  /** Requests emitted since the last call. */
  takeRequests(out: (ip: number, broadcast: boolean, time: number) => void): void;
  /** Queued packets resolved since the last call: sent, or dropped. */
  takeReleases(out: (ip: number, sent: boolean) => void): void;
  /** Entries per state and bytes of table memory (when the model knows them). */
  occupancy(): { entries: Record<string, number>; bytes: number | null };
  /** Every drop counter of the model. */
  drops(): Record<string, number>;
}
