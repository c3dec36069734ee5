/**
 * `show processes cpu` and `show processes memory` in IOS's layout: the CPU header and columns
 * of the BGP paper's sample (seed 004:L29, flattened by the scraper; spec §3.11, column widths
 * reconstructed there) and the memory columns of the Code Red document (000:L290–308; §3.6).
 */

/** One row of `show processes cpu`. */
export interface ProcessCpuRow {
  pid: number;
  /** CPU time used since boot, ms. */
  runtimeMs: number;
  /** Times the process was scheduled. */
  invoked: number;
  /** CPU time per invocation, µs. */
  microsecondsPerInvocation: number;
  /** Share of the CPU in the last 5-second period, and the 1- and 5-minute decayed averages, %. */
  fiveSecondPercent: number;
  oneMinutePercent: number;
  fiveMinutePercent: number;
  tty: number;
  name: string;
}

/** What `show processes cpu` prints. */
export interface ProcessesCpuSnapshot {
  /** Busy share of the last 5-second period, % (the "99" of "99%/2%"). */
  fiveSecondPercent: number;
  /** The part of it spent at interrupt level, % (the "2"). */
  fiveSecondInterruptPercent: number;
  oneMinutePercent: number;
  fiveMinutePercent: number;
  processes: ProcessCpuRow[];
}

const percent = (v: number) => `${v.toFixed(2)}%`;

/**
 * Renders `show processes cpu`. The header's figures are whole percent (rounded); the rows
 * are in the order given (IOS: by PID; `sorted` orders them by the 5-second column).
 */
export function renderProcessesCpu(s: ProcessesCpuSnapshot, options: { sorted?: boolean } = {}): string {
  const rows = options.sorted ? [...s.processes].sort((a, b) => b.fiveSecondPercent - a.fiveSecondPercent || a.pid - b.pid) : s.processes;
  const lines = [
    `CPU utilization for five seconds: ${Math.round(s.fiveSecondPercent)}%/${Math.round(s.fiveSecondInterruptPercent)}%; ` +
      `one minute: ${Math.round(s.oneMinutePercent)}%; five minutes: ${Math.round(s.fiveMinutePercent)}%`,
    " PID Runtime(ms)   Invoked      uSecs   5Sec   1Min   5Min TTY Process",
  ];
  for (const p of rows) {
    lines.push(
      String(p.pid).padStart(4) +
        String(Math.floor(p.runtimeMs)).padStart(12) +
        String(p.invoked).padStart(10) +
        String(Math.floor(p.microsecondsPerInvocation)).padStart(11) +
        percent(p.fiveSecondPercent).padStart(7) +
        percent(p.oneMinutePercent).padStart(7) +
        percent(p.fiveMinutePercent).padStart(7) +
        String(p.tty).padStart(4) +
        ` ${p.name}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** One row of `show processes memory`, bytes. */
export interface ProcessMemoryRow {
  pid: number;
  tty: number;
  allocated: number;
  freed: number;
  holding: number;
  getbufs: number;
  retbufs: number;
  name: string;
}

/** What `show processes memory` prints. */
export interface ProcessesMemorySnapshot {
  /** The processor pool: total, used and free bytes. */
  total: number;
  used: number;
  free: number;
  processes: ProcessMemoryRow[];
}

/**
 * Renders `show processes memory`: IOS's pool line (not in the seeds, which only show rows
 * through `| include`), the seed's column header and rows (000:L291–308), and the holding total.
 */
export function renderProcessesMemory(s: ProcessesMemorySnapshot): string {
  const lines = [
    `Total: ${s.total}, Used: ${s.used}, Free: ${s.free}`,
    " PID TTY  Allocated      Freed    Holding    Getbufs    Retbufs Process",
  ];
  let holding = 0;
  for (const p of s.processes) {
    holding += p.holding;
    lines.push(
      String(p.pid).padStart(4) +
        String(p.tty).padStart(4) +
        [p.allocated, p.freed, p.holding, p.getbufs, p.retbufs].map((v) => String(v).padStart(11)).join("") +
        ` ${p.name}`,
    );
  }
  lines.push(`${String(holding).padStart(41)} Total`);
  return `${lines.join("\n")}\n`;
}
