/** `show logging` in the layout of the Code Red document (seed 000:L399–402; spec §3.12). */

/** The counters `show logging` prints. */
export interface LoggingSnapshot {
  /** Messages thrown away. */
  dropped: number;
  /** Times the console had to be flushed with interrupts disabled. */
  flushes: number;
  /** Messages lost while a flush held the CPU. */
  overruns: number;
  /** The console's logging level, e.g. `"debugging"`. */
  consoleLevel: string;
  /** Messages sent to the console. */
  consoleMessages: number;
}

/** Renders `show logging`'s two counter lines as the seed shows them. */
export function renderLogging(s: LoggingSnapshot): string {
  return `${[
    `Syslog logging: enabled (${s.dropped} messages dropped, ${s.flushes} flushes, ${s.overruns} overruns)`,
    `    Console logging: level ${s.consoleLevel}, ${s.consoleMessages} messages logged`,
  ].join("\n")}\n`;
}
