/** Our {@link ArpTable} as a scenario model (interface 0). */

import { ArpTable } from "../../arp/table.js";
import type { ArpOptions } from "../../arp/options.js";
import { ArpVerdict, ARP_COUNTER_NAMES } from "../../arp/types.js";
import { parseIPv4 } from "../../net/address.js";
import { type ScanModel, SENT, QUEUED, DROPPED } from "./model.js";

/** Our table through the scenario's model interface. */
export class OursModel implements ScanModel {
  readonly name = "dataplane ArpTable";
  readonly table: ArpTable;
  readonly #ourIp: number;
  readonly #ourMac: string;
  readonly #verdicts = new Uint8Array(65536);

  constructor(options: ArpOptions) {
    this.table = new ArpTable(options);
    this.#ourIp = parseIPv4(this.table.interfaces[0]!.addresses[0]!.split("/")[0]!);
    this.#ourMac = this.table.interfaces[0]!.mac;
  }

  resolve(ips: Uint32Array, count: number, now: number, verdicts: Uint8Array): void {
    const raw = count <= this.#verdicts.length ? this.#verdicts : new Uint8Array(count);
    this.table.resolveBatch(0, ips.subarray(0, count), now, raw);
    for (let i = 0; i < count; i++) {
      const v = raw[i]!;
      verdicts[i] = v === ArpVerdict.found ? SENT : v === ArpVerdict.queued ? QUEUED : DROPPED;
    }
  }

  arpReply(ip: number, mac: number, now: number): void {
    this.table.receiveArp({ ifIndex: 0, op: 2, senderIp: ip, senderMac: mac, targetIp: this.#ourIp, targetMac: this.#ourMac }, now);
  }

  announce(ip: number, mac: number, now: number): void {
    this.table.receiveArp({ ifIndex: 0, op: 1, senderIp: ip, senderMac: mac, targetIp: ip, targetMac: 0 }, now);
  }

  tick(now: number): void {
    this.table.tick(now);
  }

  takeRequests(out: (ip: number, broadcast: boolean, time: number) => void): void {
    for (const r of this.table.drainRequests()) if (r.op === "request") out(parseIPv4(r.targetIp), r.targetMac === null, r.time);
  }

  takeReleases(out: (ip: number, sent: boolean) => void): void {
    for (const r of this.table.drainReleased()) out(parseIPv4(r.ip), r.status === "sent");
  }

  occupancy() {
    const o = this.table.occupancy().interfaces[0]!;
    return { entries: { present: o.present, incomplete: o.incomplete, nexist: o.nexist, queued: o.queued }, bytes: o.bytes };
  }

  drops() {
    const c = this.table.counters();
    const out: Record<string, number> = {};
    for (const name of ARP_COUNTER_NAMES) if (c[name] !== 0) out[name] = c[name];
    return out;
  }
}
