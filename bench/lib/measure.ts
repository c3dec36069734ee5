/**
 * Measuring helpers on top of mitata: each case reports operations per second from mitata's
 * median (p50) time per call, which is robust on a shared machine; ratios are computed from
 * cases measured in the same process, one after another.
 */

import { measure as mitataMeasure } from "mitata";
import { freemem, cpus, totalmem } from "node:os";

/** One measured case. */
export interface CaseResult {
  name: string;
  /** Operations per call of the measured function (e.g. addresses per batch). */
  opsPerCall: number;
  /** Median nanoseconds per call. */
  nsPerCall: number;
  /** Operations per second, from the median. */
  opsPerSecond: number;
  samples: number;
}

/** Measures `fn`, which performs `opsPerCall` operations per call. */
export async function measureCase(
  name: string,
  fn: () => unknown,
  opsPerCall: number,
  options: { minCpuMs?: number; maxSamples?: number } = {},
): Promise<CaseResult> {
  const stats = await mitataMeasure(fn, {
    min_cpu_time: (options.minCpuMs ?? 700) * 1e6,
    max_samples: options.maxSamples ?? 1e9,
    min_samples: 12,
  });
  return { name, opsPerCall, nsPerCall: stats.p50, opsPerSecond: (opsPerCall * 1e9) / stats.p50, samples: stats.samples.length };
}

/** "152.3 M/s". */
export function rate(opsPerSecond: number): string {
  if (opsPerSecond >= 1e9) return `${(opsPerSecond / 1e9).toFixed(2)} G/s`;
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(2)} M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(2)} k/s`;
  return `${opsPerSecond.toFixed(1)} /s`;
}

/** "×12.3" (or "×0.75"). */
export function ratio(value: number): string {
  return `×${value >= 10 ? value.toFixed(1) : value.toFixed(2)}`;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  console.log(`\n${title}`);
  for (const [k, row] of cells.entries()) {
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
    if (k === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** The machine, for the results file and BENCHMARKS.md. */
export function machine(): Record<string, string | number> {
  const cpu = cpus()[0];
  return {
    cpu: cpu?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Keeps a value alive so the optimiser cannot drop the work that produced it. */
export let sink: unknown;
export function keep(value: unknown): void {
  sink = value;
}
