// Starts the end-to-end shard (e2e-worker.ts) in a worker thread under tsx, as the suite runs.
import { register } from "tsx/esm/api";

register();
await import("./e2e-worker.ts");
