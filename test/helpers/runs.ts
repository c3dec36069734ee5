// Run counts for fast-check properties: the given count in `npm test` (or FC_NUM_RUNS when
// set), and fast-check's global time-boxed settings under `npm run test:fuzz` (FUZZ=nightly).

export function runs(numRuns: number): { numRuns?: number } {
  if (process.env.FUZZ === "nightly") return {};
  return { numRuns: process.env.FC_NUM_RUNS === undefined ? numRuns : Number(process.env.FC_NUM_RUNS) };
}
