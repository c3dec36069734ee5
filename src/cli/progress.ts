/**
 * A progress bar on stderr for work that takes more than a second. Silent when stderr is not
 * a terminal (piped or redirected), so it never pollutes captured output.
 */

export class Progress {
  readonly #label: string;
  readonly #total: number;
  readonly #start = performance.now();
  readonly #enabled: boolean;
  #lastDraw = 0;
  #drawn = false;

  /** `total` is the expected amount of work (bytes, packets...), 0 when unknown. */
  constructor(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.#label = label;
    this.#total = total;
    this.#enabled = Boolean(stream.isTTY);
    this.#stream = stream;
  }

  readonly #stream: NodeJS.WriteStream;

  /** Reports `done` units of work; draws at most ten times a second, and only after the first second. */
  update(done: number): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (now - this.#start < 1000 || now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const width = 30;
    const fraction = this.#total > 0 ? Math.min(1, done / this.#total) : 0;
    const filled = Math.round(fraction * width);
    const bar =
      this.#total > 0 ? `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%` : `${done}`;
    const seconds = ((now - this.#start) / 1000).toFixed(1);
    this.#stream.write(`\r${this.#label} ${bar} ${seconds}s`);
    this.#drawn = true;
  }

  /** Clears the bar. */
  finish(): void {
    if (this.#drawn) this.#stream.write("\r\x1b[K");
  }
}
