import { defineConfig } from "tsup";

export default defineConfig([
  // The library: ESM + CJS with declarations, no Node built-ins (runs in browsers too).
  // `dataplane/node` (Node-only helpers: files by path) shares one copy of the core with it
  // (code splitting), so classes and errors are the same objects from both entry points.
  {
    entry: { index: "src/index.ts", node: "src/node/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    splitting: true,
    target: "es2022",
    platform: "neutral",
    external: [/^node:/],
    // The CJS output has no import.meta: its import.meta.url becomes the file's URL (from
    // __filename), which ShardedDataplane needs to find its worker beside it.
    shims: true,
  },
  // A script-tag build exposing `globalThis.dataplane`, for pages without a bundler.
  {
    entry: { "dataplane.global": "src/index.ts" },
    format: ["iife"],
    globalName: "dataplane",
    target: "es2022",
    platform: "browser",
    outExtension: () => ({ js: ".js" }),
  },
  // The command line.
  {
    // The shard worker of ShardedDataplane, beside cli.js and node.js (both start it by URL).
    entry: { cli: "src/cli/main.ts", "sharded-worker": "src/node/sharded-worker.ts" },
    format: ["esm"],
    target: "es2022",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
