/**
 * `show arp` in the IOS layout (Protocol / Address / Age (min) / Hardware Addr / Type /
 * Interface; own addresses with age "-", pending entries as "Incomplete"), followed by what
 * IOS cannot show: the INCOMPLETE[n] state of pending resolutions and the NEXIST negative
 * cache, per interface.
 */

import type { ArpEntry, ArpOccupancy } from "./types.js";
import { formatMacCisco, parseMac } from "../net/mac.js";

/** Options of {@link renderArp}. */
export interface ArpShowOptions {
  /** Time the ages are computed at (default: the table's last time). */
  now?: number;
  /** Only this interface. */
  ifIndex?: number;
  /** At most this many rows per INCOMPLETE/NEXIST section (default 50; the count is always shown). */
  limit?: number;
}

/** The interface facts the renderer needs. */
export interface ArpShowInterface {
  ifIndex: number;
  name: string;
  mac: string;
  addresses: string[];
}

function row(address: string, age: string, hardware: string, name: string): string {
  return `Internet  ${address.padEnd(17)}${age.padStart(9)}  ${hardware.padEnd(16)}ARPA   ${name}`.trimEnd();
}

/** Renders entries (see `ArpTable.entries()`) as `show arp` plus the negative-cache state. */
export function renderArp(
  entries: ArpEntry[],
  interfaces: readonly ArpShowInterface[],
  occupancy: ArpOccupancy,
  options: ArpShowOptions & { now: number },
): string {
  const now = options.now;
  const limit = options.limit ?? 50;
  const shown = interfaces.filter((i) => options.ifIndex === undefined || i.ifIndex === options.ifIndex);
  const minutes = (since: number | undefined) => (since === undefined ? "-" : String(Math.max(0, Math.floor((now - since) / 60000))));
  const lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"];
  const sortKey = (ip: string) => ip.split(".").reduce((v, o) => v * 256 + Number(o), 0);
  for (const i of shown) {
    const rows: [number, string][] = [];
    for (const a of i.addresses) {
      const ip = a.split("/")[0]!;
      rows.push([sortKey(ip), row(ip, "-", formatMacCisco(parseMac(i.mac)), i.name)]);
    }
    for (const e of entries) {
      if (e.ifIndex !== i.ifIndex) continue;
      if (e.state === "present") rows.push([sortKey(e.ip), row(e.ip, minutes(e.updatedAt), formatMacCisco(parseMac(e.mac!)), i.name)]);
      else if (e.state === "static") rows.push([sortKey(e.ip), row(e.ip, "-", formatMacCisco(parseMac(e.mac!)), i.name)]);
      else if (e.state === "incomplete") rows.push([sortKey(e.ip), row(e.ip, minutes(e.updatedAt), "Incomplete", "")]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    lines.push(...rows.map((r) => r[1]));
  }
  for (const i of shown) {
    const o = occupancy.interfaces[i.ifIndex]!;
    const pending = entries.filter((e) => e.ifIndex === i.ifIndex && e.state === "incomplete");
    const negative = entries.filter((e) => e.ifIndex === i.ifIndex && e.state === "nexist");
    lines.push(
      "",
      `${i.name}: ${o.present} present (of ${o.capacity.present}), ${o.static} static, ${o.incomplete} incomplete (of ${o.capacity.incomplete}), ` +
        `${o.nexist} nexist (of ${o.capacity.nexist}), ${o.queued} packets queued (of ${o.capacity.queue}), ${o.bytes} bytes`,
    );
    if (pending.length > 0) {
      lines.push(
        `  ${"INCOMPLETE".padEnd(24)}${"State".padStart(16)}${"Queued".padStart(8)}${"Next event (ms)".padStart(17)}${"Failures".padStart(10)}`,
      );
      for (const e of pending.slice(0, limit)) {
        lines.push(
          `  ${e.ip.padEnd(24)}${`INCOMPLETE[${e.requests}]`.padStart(16)}${String(e.queued).padStart(8)}${String(Math.max(0, e.expiresAt! - now)).padStart(17)}${String(e.failures).padStart(10)}`,
        );
      }
      if (pending.length > limit) lines.push(`  ... ${pending.length - limit} more`);
    }
    if (negative.length > 0) {
      lines.push(`  ${"NEXIST".padEnd(24)}${"Expires in (s)".padStart(16)}${"Failures".padStart(10)}`);
      for (const e of negative.slice(0, limit)) {
        const left = e.expiresAt! - now;
        const expires = left <= 0 ? "expired" : String(Math.ceil(left / 1000));
        lines.push(`  ${e.ip.padEnd(24)}${expires.padStart(16)}${String(e.failures).padStart(10)}${e.full ? "  (no PRESENT slot)" : ""}`);
      }
      if (negative.length > limit) lines.push(`  ... ${negative.length - limit} more`);
    }
  }
  return `${lines.join("\n")}\n`;
}
