/**
 * The progress bar of a running scenario: simulated seconds done out of the total, on stderr
 * (silent when stderr is not a terminal; see progress.ts). Scenarios take the returned
 * callback as their `progress` option, so the library itself never writes to a terminal.
 */

import { Progress } from "./progress.js";

/** A bar labelled `simulate NAME` over `simulatedSeconds`; call `report(done)` as time passes and `finish()` at the end. */
export function scenarioProgress(
  name: string,
  simulatedSeconds: number,
  stream: NodeJS.WriteStream = process.stderr,
): { report: (secondsDone: number) => void; finish: () => void } {
  const bar = new Progress(`simulate ${name}`, simulatedSeconds, stream);
  return { report: (secondsDone) => bar.update(secondsDone), finish: () => bar.finish() };
}
