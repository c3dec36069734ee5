/**
 * The Dataplane's displays: `show interfaces` (per interface packets and bytes in and out,
 * input drops by reason, punts, ARP and ICMP sent) and `show access-lists` (IOS's layout, with
 * each entry's matches), from the counters the Dataplane reports.
 */

import type { InterfaceCounters } from "../dataplane/verdicts.js";
import type { AccessListCounters } from "../dataplane/dataplane.js";
import { formatMacCisco } from "../net/mac.js";

/** What `show interfaces` prints per interface beside its counters. */
export interface InterfaceDescription {
  name: string;
  /** 48-bit MAC as a number. */
  mac: number;
  /** `192.0.2.1/24`. */
  address?: string;
}

function macBytes(mac: number): number[] {
  return Array.from({ length: 6 }, (_, k) => Math.floor(mac / 2 ** (8 * (5 - k))) & 255);
}

/** `show interfaces`, one block per interface. */
export function renderInterfaces(counters: readonly InterfaceCounters[], descriptions: readonly InterfaceDescription[]): string {
  const lines: string[] = [];
  counters.forEach((c, i) => {
    const d = descriptions[i];
    lines.push(`${c.name} is up, line protocol is up`);
    if (d) lines.push(`  Hardware is Ethernet, address is ${formatMacCisco(macBytes(d.mac))} (bia ${formatMacCisco(macBytes(d.mac))})`);
    if (d?.address) lines.push(`  Internet address is ${d.address}`);
    lines.push(
      `     ${c.packetsIn} packets input, ${c.bytesIn} bytes, ${c.dropsIn} input drops, ${c.punted} punted, ${c.queued} queued for ARP`,
    );
    lines.push(`     ${c.packetsOut} packets output, ${c.bytesOut} bytes, ${c.arpOut} ARP sent, ${c.icmpOut} ICMP errors sent`);
    const reasons = Object.entries(c.reasons);
    if (reasons.length > 0) lines.push(`     Drops and punts: ${reasons.map(([r, n]) => `${r} ${n}`).join(", ")}`);
  });
  return `${lines.join("\n")}\n`;
}

/** An entry as IOS prints it in `show access-lists` (standard lists write their wildcard so). */
function entryText(text: string, standard: boolean): string {
  if (!standard) return text;
  const m = /^(permit|deny) (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)(.*)$/.exec(text);
  return m ? `${m[1]} ${m[2]}, wildcard bits ${m[3]}${m[4]}` : text;
}

/** `show access-lists`: each list, its entries numbered 10, 20, ..., with `(N matches)`. */
export function renderAccessLists(lists: readonly AccessListCounters[]): string {
  const lines: string[] = [];
  for (const l of lists) {
    lines.push(`${l.kind === "standard" ? "Standard" : "Extended"} IP access list ${l.name}`);
    l.entries.forEach((e, k) => {
      const matches = e.matches > 0 ? ` (${e.matches} match${e.matches === 1 ? "" : "es"})` : "";
      lines.push(`    ${(k + 1) * 10} ${entryText(e.text, l.kind === "standard")}${matches}`);
    });
  }
  return `${lines.join("\n")}\n`;
}
