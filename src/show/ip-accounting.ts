/**
 * `show ip accounting [checkpoint]` in the layout of the Code Red document (spec §3.2, seed
 * 000:L93–94, whose header survives: `Source` at column 2, `Destination` at 19, `Packets` ending at
 * 48, `Bytes` ending at 68), then IOS's threshold line when pairs were refused and the data age in
 * minutes.
 */

import type { IpAccountingTable } from "../analysis/ip-accounting.js";

/** The display of a table at `now` (ms), one string per line. */
export function renderIpAccounting(table: IpAccountingTable, now: number): string[] {
  const lines = ["  Source           Destination           Packets               Bytes"];
  for (const e of table.entries) {
    lines.push(`  ${e.source.padEnd(17)}${e.destination.padEnd(15)}${String(e.packets).padStart(15)}${String(e.bytes).padStart(20)}`);
  }
  const exceeded = table.thresholdExceeded;
  if (exceeded.packets > 0) lines.push(`Accounting threshold exceeded for ${exceeded.packets} packets and ${exceeded.bytes} bytes`);
  lines.push("", `Accounting data age is ${Math.max(0, Math.floor((now - table.since) / 60_000))}`);
  return lines;
}

/** The JSON form: the pairs, the refused packets and bytes, the age in ms. */
export function ipAccountingJson(table: IpAccountingTable, now: number): Record<string, unknown> {
  return {
    entries: table.entries.map((e) => ({ source: e.source, destination: e.destination, packets: e.packets, bytes: e.bytes })),
    threshold_exceeded: table.thresholdExceeded,
    age_ms: Math.max(0, now - table.since),
  };
}
