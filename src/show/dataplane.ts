/**
 * The Dataplane's displays: `show interfaces` (per interface packets and bytes in and out,
 * input drops by reason, punts, ARP and ICMP sent), `show interfaces stats` (by switching path)
 * and `show access-lists` (IOS's layout, with each entry's matches), from the counters the
 * Dataplane reports.
 */

import type { InterfaceCounters, SwitchingPath } from "../dataplane/verdicts.js";
import { ConfigError, describe } from "../errors.js";
import type { ShowRegistry } from "./commands.js";
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

/** The rows of `show interfaces stats`, with the switching path each counts. */
const STATS_ROWS: [label: string, path: SwitchingPath][] = [
  ["Processor", "process"],
  ["Route cache", "fast"],
  ["CEF", "cef"],
];

/**
 * `show interfaces stats`: per interface, the packets and bytes (IOS's "Chars") in and out by
 * switching path — Processor (process switched), Route cache (fast switched) and CEF — and
 * their total, in IOS's columns. IOS counts CEF-switched packets in its Route cache row; this
 * display gives them their own, the contrast the Code Red note draws. Packets in are counted
 * on the input interface when they reach the switching step (IPv4 and IPv6, not ARP or drops
 * before it), packets out on the egress interface when they leave (released by ARP included).
 */
export function renderInterfaceStats(counters: readonly InterfaceCounters[]): string {
  const cell = (n: number) => String(n).padStart(11);
  const lines: string[] = [];
  for (const c of counters) {
    lines.push(c.name, `${"Switching path".padStart(24)}    Pkts In   Chars In   Pkts Out  Chars Out`);
    const total = { packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0 };
    for (const [label, path] of STATS_ROWS) {
      const s = c.switching[path];
      lines.push(`${label.padStart(24)}${cell(s.packetsIn)}${cell(s.bytesIn)}${cell(s.packetsOut)}${cell(s.bytesOut)}`);
      total.packetsIn += s.packetsIn;
      total.bytesIn += s.bytesIn;
      total.packetsOut += s.packetsOut;
      total.bytesOut += s.bytesOut;
    }
    lines.push(`${"Total".padStart(24)}${cell(total.packetsIn)}${cell(total.bytesIn)}${cell(total.packetsOut)}${cell(total.bytesOut)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Registers `show interfaces stats` (the context's `components.interfaceCounters`: a Dataplane's). */
export function registerDataplaneShowCommands(registry: ShowRegistry): void {
  registry.register({
    words: ["show", "interfaces", "stats"],
    syntax: "show interfaces stats",
    summary: "packets in and out per interface by switching path (process, route cache, CEF)",
    run(args, context) {
      if (args.length > 0) {
        throw new ConfigError("show-syntax", `unexpected ${describe(args.join(" "))}: expected show interfaces stats`, args.join(" "));
      }
      const counters = context.components?.interfaceCounters as InterfaceCounters[] | undefined;
      if (counters === undefined) {
        throw new ConfigError("show-unavailable", "% No router: give --config with interfaces to run the capture through", "interfaces");
      }
      return {
        lines: renderInterfaceStats(counters).replace(/\n$/, "").split("\n"),
        json: counters.map((c) => ({ name: c.name, switching: c.switching })),
      };
    },
  });
}
