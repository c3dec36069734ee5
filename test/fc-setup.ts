// fast-check settings for every test file (loaded with --import).
//   npm test            a fixed number of runs per property, random seed (printed on failure)
//   npm run test:fuzz   FUZZ=nightly: each property runs until FUZZ_MS_PER_PROPERTY (default 60 s)
//   FC_SEED=<n>         replays one seed (with FC_PATH=<path> for the shrunk case); .ci/run's fuzz
//                       step draws a fresh one per file and prints it
import fc from "fast-check";

const nightly = process.env.FUZZ === "nightly";
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);
const path = process.env.FC_PATH;

fc.configureGlobal({
  ...(nightly
    ? {
        numRuns: Number.MAX_SAFE_INTEGER,
        interruptAfterTimeLimit: Number(process.env.FUZZ_MS_PER_PROPERTY ?? 60_000),
        markInterruptAsFailure: false,
      }
    : { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) }),
  ...(seed === undefined ? {} : { seed }),
  ...(path === undefined ? {} : { path }),
});
