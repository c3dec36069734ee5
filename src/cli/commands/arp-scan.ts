/**
 * `dataplane arp-scan [--rate R] [--seconds S] [--pattern udp|syn] [--rescan S] [--json]`: the
 * Code Red ARP scenario (research §8.5) through our ARP table and, side by side, models of plain
 * RFC 826 and of Linux's defaults, printing metrics M1–M6 and the acceptance checks.
 */

import { runArpScan, arpScanChecks, type ArpScanResult } from "../../sim/arp-scan/scenario.js";
import { type Command, UsageError, parseOptions, numberOption } from "../command.js";
import { Progress } from "../progress.js";
import { checkBytes } from "../../common/validation.js";

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined ? "-" : v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Renders the metrics as a side-by-side table. */
export function renderArpScan(r: ArpScanResult): string {
  const s = r.scenario;
  const lines = [
    `Code Red ARP scenario: ${fmt(s.rate)} new destinations/s for ${s.seconds} s, pattern ${s.pattern}` +
      `${s.rescan === null ? "" : `, re-scan after ${s.rescan} s`}; ${fmt(s.destinations)} dead destinations, ` +
      `${fmt(s.liveHosts)} live hosts on 10.0.0.0/16 (${s.established} established at 10 pkt/s), default route to Vlan3.`,
    "",
  ];
  const names = r.models.map((m) => m.model);
  const rows: [string, ...string[]][] = [];
  const add = (label: string, f: (m: ArpScanResult["models"][number]) => string) => rows.push([label, ...r.models.map(f)]);
  add("M1 requests per admitted dead address (mean)", (m) => fmt(m.m1.perAdmitted.mean, 2));
  add("M1   p99 / max", (m) => `${m.m1.perAdmitted.p99} / ${m.m1.perAdmitted.max}`);
  add("M1 addresses admitted (got a request)", (m) => fmt(m.m1.admitted));
  add("M1 requests per scanned address", (m) => fmt(m.m1.perScanned, 3));
  if (s.rescan !== null) {
    add("M1 re-scan: requests per re-scanned address", (m) => fmt(m.m1.perRescanned, 3));
    add("M1 re-scan: requests triggered by re-scans of admitted", (m) => fmt(m.m1.rescanTriggered));
  }
  add("M2 requests/s (mean during the scan)", (m) => fmt(m.m2.meanPerSecond, 1));
  add("M2 peak requests in 1 s", (m) => fmt(m.m2.peak1s));
  add("M2 peak requests/s over 100 ms", (m) => fmt(m.m2.peak100msPerSecond));
  add("M2 broadcast load (bytes/s on the wire)", (m) => fmt(m.m2.broadcastBytesPerSecond));
  const states = [...new Set(r.models.flatMap((m) => Object.keys(m.m3.peakEntries)))];
  for (const state of states) add(`M3 peak entries: ${state}`, (m) => fmt(m.m3.peakEntries[state]));
  add("M3 table bytes (allocated at creation)", (m) => fmt(m.m3.bytes));
  add("M3 WebAssembly memory start → end", (m) => (m.m3.memoryStart === null ? "-" : `${fmt(m.m3.memoryStart)} → ${fmt(m.m3.memoryEnd)}`));
  add(
    "M4 established: packets lost",
    (m) => `${fmt(m.m4.establishedLost)} of ${fmt(m.m4.establishedPackets)} (${fmt(m.m4.establishedLossPercent, 2)} %)`,
  );
  add("M4 established: extra ARP exchanges", (m) => fmt(m.m4.extraArpExchanges));
  add(
    "M4 new announced: delivered, TTFD p50/p99 ms",
    (m) => `${m.m4.newAnnounced.delivered}/${m.m4.newAnnounced.count}, ${fmt(m.m4.newAnnounced.ttfdP50)}/${fmt(m.m4.newAnnounced.ttfdP99)}`,
  );
  add(
    "M4 new silent: delivered, TTFD p50/p99 ms",
    (m) => `${m.m4.newSilent.delivered}/${m.m4.newSilent.count}, ${fmt(m.m4.newSilent.ttfdP50)}/${fmt(m.m4.newSilent.ttfdP99)}`,
  );
  add("M5 CPU seconds per scan second (model)", (m) => fmt(m.m5.cpuSecondsPerScanSecond, 4));
  const dropNames = [...new Set(r.models.flatMap((m) => Object.keys(m.m6)))];
  for (const name of dropNames) add(`M6 ${name}`, (m) => (name in m.m6 ? fmt(m.m6[name]) : ""));
  const width = Math.max(...rows.map((row) => row[0].length));
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((row) => row[i + 1]!.length)));
  lines.push(`${"".padEnd(width)}  ${names.map((n, i) => n.padStart(widths[i]!)).join("  ")}`);
  for (const row of rows)
    lines.push(
      `${row[0].padEnd(width)}  ${row
        .slice(1)
        .map((c, i) => c.padStart(widths[i]!))
        .join("  ")}`,
    );
  const checks = arpScanChecks(r);
  if (checks.length > 0) {
    lines.push("", "Checks (dataplane ArpTable):");
    for (const c of checks) lines.push(`  ${c.pass ? "PASS" : "FAIL"}  ${c.check}: ${c.value}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Longest scan (and re-scan delay) a run simulates: a day. */
const MAX_SECONDS = 86_400;
/** Most dead destinations a run scans (the Code Red scenario has 240,000). */
const MAX_DESTINATIONS = 2 ** 24;
/** Memory a run may take for its per-destination and per-millisecond records. */
const MAX_SCENARIO_BYTES = 1024 ** 3;

export const arpScanCommand: Command = {
  name: "arp-scan",
  summary: "the Code Red ARP scan scenario: our table vs RFC 826 and Linux defaults (M1–M6)",
  usage: `usage: dataplane arp-scan [--rate R] [--seconds S] [--pattern udp|syn] [--rescan S] [--retry-mode timer|demand] [--json]

Scans R new dead destinations a second for S seconds through a router with a default route
to its LAN interface (6,000 live hosts, 50 busy neighbours, new hosts arriving), and prints
metrics M1-M6 for the dataplane ARP table and for models of plain RFC 826 and of Linux's
defaults driven by the same packets, then the acceptance checks.

  --rate R          new destinations per second (default 500, at most 1,000,000)
  --seconds S       seconds of scanning (default 480, at most 86,400; R × S at most 16,777,216)
  --pattern P       udp: one packet per destination; syn: at 0, 3 and 9 s (default syn)
  --rescan S        scan every destination again S seconds later (at most 86,400)
  --retry-mode M    our table's retries: timer (default; N requests t1 apart) or demand
                    (a retry only when another packet arrives: 1 request per single-packet target)
  --models LIST     comma-separated subset of ours,linux,rfc826 (default all)
  --json            print the metrics as JSON

Exit status 1 when a check fails.`,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        rate: { type: "string" },
        seconds: { type: "string" },
        pattern: { type: "string" },
        rescan: { type: "string" },
        models: { type: "string" },
        "retry-mode": { type: "string" },
        json: { type: "boolean" },
      },
      false,
    );
    const pattern = values.pattern ?? "syn";
    if (pattern !== "udp" && pattern !== "syn") throw new UsageError(`--pattern must be udp or syn, got ${JSON.stringify(pattern)}`);
    const models = (values.models ?? "ours,linux,rfc826").split(",").map((m) => m.trim());
    for (const m of models)
      if (m !== "ours" && m !== "linux" && m !== "rfc826")
        throw new UsageError(`--models takes ours, linux and rfc826, got ${JSON.stringify(m)}`);
    const rate = numberOption(values.rate, "rate", 500, { min: 1, max: 1_000_000 });
    const seconds = numberOption(values.seconds, "seconds", 480, { integer: true, min: 1, max: MAX_SECONDS });
    const rescan = values.rescan === undefined ? undefined : numberOption(values.rescan, "rescan", 0, { min: 1, max: MAX_SECONDS });
    const destinations = Math.round(rate * seconds);
    if (destinations > MAX_DESTINATIONS) {
      throw new UsageError(
        `--rate × --seconds must stay at most ${MAX_DESTINATIONS.toLocaleString("en-US")} destinations, got ${destinations.toLocaleString("en-US")}`,
      );
    }
    // Each model keeps two bytes per destination and a request count per millisecond of the run.
    const runMs = (seconds + (rescan ?? 0) + 60) * 1000;
    checkBytes(
      "arp-scan-memory",
      "--rate × --seconds",
      `${rate} × ${seconds}`,
      models.length * (destinations * 2 + runMs * 4),
      MAX_SCENARIO_BYTES,
      "bytes a run may take",
    );
    const retryMode = values["retry-mode"] ?? "timer";
    if (retryMode !== "timer" && retryMode !== "demand")
      throw new UsageError(`--retry-mode must be timer or demand, got ${JSON.stringify(retryMode)}`);
    const progress = new Progress("arp-scan", 1);
    const result = runArpScan({
      rate,
      seconds,
      pattern,
      models: models as ("ours" | "linux" | "rfc826")[],
      parameters: { retryMode },
      ...(rescan === undefined ? {} : { rescan }),
      progress: (f) => progress.update(f),
    });
    progress.finish();
    const checks = arpScanChecks(result);
    if (values.json) console.log(JSON.stringify({ ...result, checks }, null, 2));
    else process.stdout.write(renderArpScan(result));
    return checks.every((c) => c.pass) ? 0 : 1;
  },
};
