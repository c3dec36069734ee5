/**
 * `dataplane simulate arpanet-1980`: the RFC 789 routing-update storm of 27 October 1980 under
 * each sequence-number rule, against the historical 8/40/44 and against each rule's own evenly
 * spread 3-cycle; a table, JSON lines, or a report with a CPU chart.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARPANET_1980_VALUES, arpanet1980, type InjectionPattern } from "../../flooding/arpanet-1980.js";
import { evenlySpreadCycle } from "../../flooding/cycles.js";
import type { FloodingOptions } from "../../flooding/options.js";
import { type FloodingReportRun, floodingSummary, renderFloodingReportHtml } from "../../flooding/report.js";
import { SEQUENCE_RULE_NAMES, type SequenceRuleName, checkSequenceRuleName, sequenceRule } from "../../flooding/sequence.js";
import { type FloodingResult, simulateFlooding } from "../../flooding/simulator.js";
import { UsageError, numberOption, parseOptions } from "../command.js";
import { Progress } from "../progress.js";
import type { SimulationScenario } from "./simulate.js";

interface PlannedRun {
  rule: SequenceRuleName;
  values: number[];
}

/** Which runs the options ask for: one, one rule on both value sets, or every rule. */
export function planArpanetRuns(rule: SequenceRuleName | undefined, values: number[] | undefined): PlannedRun[] {
  const rules = rule === undefined ? [...SEQUENCE_RULE_NAMES] : [rule];
  if (values !== undefined) return rules.map((r) => ({ rule: r, values }));
  const runs: PlannedRun[] = [];
  for (const r of rules) {
    runs.push({ rule: r, values: [...ARPANET_1980_VALUES] });
    const cycle = evenlySpreadCycle(sequenceRule(r));
    if (cycle !== null && cycle.join() !== ARPANET_1980_VALUES.join()) runs.push({ rule: r, values: cycle });
  }
  return runs;
}

function parseValues(text: string): number[] {
  const values = text.split(",").map((part) => part.trim());
  if (values.some((v) => !/^\d+$/.test(v)))
    throw new UsageError(`--values takes comma-separated non-negative integers, got ${JSON.stringify(text)}`);
  return values.map(Number);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** The runs as an aligned text table, one row per run. */
export function renderArpanetTable(runs: readonly FloodingReportRun[]): string {
  const header = [
    "rule",
    "values",
    "examined/s",
    "accepted/s",
    "busiest CPU",
    "mean CPU",
    "queue mean/max",
    "drops",
    "last accept s",
    "storm",
    "final values",
    "alarm",
  ];
  const rows = runs.map(({ result: r }) => [
    r.rule,
    r.injected.join("/"),
    r.examinedPerSecond.toFixed(1),
    r.acceptedPerSecond.toFixed(1),
    percent(r.cpu.busiestNode),
    percent(r.cpu.mean),
    `${r.queue.meanOccupancy.toFixed(1)}/${r.queue.maxOccupancy}`,
    String(r.drops),
    r.lastAcceptanceMs === null ? "-" : (r.lastAcceptanceMs / 1000).toFixed(3),
    r.stormPersisted ? "persists" : "died",
    `${Object.entries(r.finalValueCounts)
      .map(([value, count]) => `${value}×${count}`)
      .join(" ")}${r.agree ? " (agree)" : ""}`,
    r.alarm.nodes === 0 ? "-" : `${r.alarm.nodes} nodes from ${(r.alarm.firstAtMs! / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 || i >= 9 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

const USAGE = `usage: dataplane simulate arpanet-1980 [--rule rfc789|strict|rfc1982|lollipop|ospf] [--values 8,40,44]
         [--nodes N] [--seconds S] [--seed N] [--pattern spread|single] [--max-age S] [--min-ls-arrival S]
         [--checksum] [--retransmit] [--json] [--report DIR]

The RFC 789 storm: the originator (IMP 50, node 0) is down and copies of its update with the
given sequence numbers (the last is the real one, the others corruptions of it) appear at t = 0
on a ring of N nodes with N/2 random chords (5 ms links, 1 ms CPU per examined update,
64-update buffers). With --rule and --values: one run. Otherwise a table of every rule (or the
one given) against 8/40/44 and against the rule's own evenly spread 3-cycle (0/21/42 for
rfc789, strict and rfc1982, 0/10/21 for the lollipop).

  --rule R            the later-than rule (default: every rule)
  --values LIST       the copies' sequence numbers (default 8,40,44 and each rule's cycle)
  --nodes N           nodes (default 64)
  --seconds S         simulated seconds (default 60)
  --seed N            seed of chords and link delays (default 1)
  --pattern P         spread: copies at nodes spread around the ring at t = 0 (default);
                      single: all at node 1, 2 ms apart
  --max-age S         copies age and are discarded at S seconds (MaxAge)
  --min-ls-arrival S  discard a newer copy within S seconds of storing one (MinLSArrival)
  --checksum          verify the originator's end-to-end checksum (corrupted copies fail)
  --retransmit        RFC 789's 100 ms retransmission rule (with the echo to the sender)
  --json              one JSON object per run (rule, values, stormPersisted, metrics)
  --report DIR        write DIR/arpanet-1980.json and DIR/arpanet-1980.html (CPU chart)`;

export const arpanet1980Scenario: SimulationScenario = {
  name: "arpanet-1980",
  summary: "the RFC 789 routing-update storm of 27 October 1980 under each sequence-number rule",
  usage: USAGE,
  async run(args) {
    const { values: o, positionals } = parseOptions(args, {
      rule: { type: "string" },
      values: { type: "string" },
      nodes: { type: "string" },
      seconds: { type: "string" },
      seed: { type: "string" },
      pattern: { type: "string" },
      "max-age": { type: "string" },
      "min-ls-arrival": { type: "string" },
      checksum: { type: "boolean" },
      retransmit: { type: "boolean" },
      json: { type: "boolean" },
      report: { type: "string" },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    let rule: SequenceRuleName | undefined;
    if (o.rule !== undefined) {
      try {
        rule = checkSequenceRuleName(o.rule);
      } catch {
        throw new UsageError(`--rule must be one of ${SEQUENCE_RULE_NAMES.join(", ")}, got ${JSON.stringify(o.rule)}`);
      }
    }
    const pattern = o.pattern ?? "spread";
    if (pattern !== "spread" && pattern !== "single")
      throw new UsageError(`--pattern must be spread or single, got ${JSON.stringify(pattern)}`);
    const nodes = numberOption(o.nodes, "nodes", 64, { integer: true, min: 3, max: 1024 });
    const seconds = numberOption(o.seconds, "seconds", 60, { min: 0.001, max: 86_400 });
    const seed = numberOption(o.seed, "seed", 1, { integer: true });
    const flooding: Partial<FloodingOptions> = {};
    if (o["max-age"] !== undefined) flooding.maxAgeMs = numberOption(o["max-age"], "max-age", 0, { min: 0.001 }) * 1000;
    if (o["min-ls-arrival"] !== undefined)
      flooding.minLsArrivalMs = numberOption(o["min-ls-arrival"], "min-ls-arrival", 0, { min: 0.001 }) * 1000;
    if (o.checksum) flooding.verifyChecksum = true;
    if (o.retransmit) flooding.retransmitMs = 100;
    const plan = planArpanetRuns(rule, o.values === undefined ? undefined : parseValues(o.values));
    const progress = new Progress("arpanet-1980", plan.length);
    const runs: FloodingReportRun[] = [];
    for (const planned of plan) {
      const result: FloodingResult = simulateFlooding(
        arpanet1980({ ...planned, nodes, seconds, seed, pattern: pattern as InjectionPattern, flooding }),
      );
      runs.push({ label: `${planned.rule} ${planned.values.join("/")}`, result });
      progress.update(runs.length);
      if (o.json)
        console.log(
          JSON.stringify({ rule: result.rule, values: planned.values, stormPersisted: result.stormPersisted, ...floodingSummary(result) }),
        );
    }
    progress.finish();
    if (!o.json) {
      process.stdout.write(
        `ARPANET, 27 October 1980 (RFC 789): ${nodes} nodes, ${seconds} s, seed ${seed}, copies ${pattern === "spread" ? "spread at t = 0" : "at one node 2 ms apart"}\n\n`,
      );
      process.stdout.write(renderArpanetTable(runs));
    }
    if (o.report !== undefined) {
      try {
        mkdirSync(o.report, { recursive: true });
        writeFileSync(
          join(o.report, "arpanet-1980.json"),
          JSON.stringify(
            {
              scenario: "arpanet-1980",
              nodes,
              seconds,
              seed,
              pattern,
              options: flooding,
              runs: runs.map((run) => ({ label: run.label, ...floodingSummary(run.result, true) })),
            },
            null,
            2,
          ),
        );
        writeFileSync(
          join(o.report, "arpanet-1980.html"),
          renderFloodingReportHtml(`ARPANET, 27 October 1980 (RFC 789): ${nodes} nodes, ${seconds} s, seed ${seed}`, runs),
        );
      } catch (error) {
        console.error(`dataplane simulate: --report ${o.report}: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      }
    }
    return 0;
  },
};
