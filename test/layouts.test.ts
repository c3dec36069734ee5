// Record and counter layouts come from one source: the @layout blocks of assembly/ are the
// constants the WebAssembly core is built with, and src/*/layout.ts are generated from them
// (scripts/layouts.mjs, run by `npm run asbuild`). An offset changed on one side only fails
// here; the wrappers read records and counters through those names, not through literals.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { releaseSimd } from "../src/wasm/generated/release.js";
import * as arpLayout from "../src/arp/layout.js";
import { ENTRY_WORDS, OCCUPANCY_WORDS } from "../src/arp/layout.js";
import { ARP_COUNTER_NAMES } from "../src/arp/types.js";
import { EXPORT_RECORD_BYTES, OFF_SEQUENCE, RECORD_BYTES } from "../src/flow/layout.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const SCRIPT = join(ROOT, "scripts/layouts.mjs");
const GENERATED = ["src/flow/layout.ts", "src/fib/layout.ts", "src/arp/layout.ts", "src/sampling/layout.ts"];

function check(root: string): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT, "--check", "--root", root], { encoding: "utf8" });
  return { status: run.status, stderr: run.stderr };
}

/** A copy of assembly/ and the generated modules, to break one side of. */
function copyTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "layouts-"));
  cpSync(join(ROOT, "assembly"), join(dir, "assembly"), { recursive: true });
  for (const file of GENERATED) cpSync(join(ROOT, file), join(dir, file));
  return dir;
}

test("the generated layout modules are current with the assembly constants", () => {
  const result = check(ROOT);
  assert.equal(result.status, 0, result.stderr);
  // Every generated module the wrappers import is produced by some @layout block.
  const listed = execFileSync(
    process.execPath,
    ["-e", `import(${JSON.stringify(SCRIPT)}).then((m) => console.log([...m.generateLayouts().keys()].sort().join(",")))`],
    {
      encoding: "utf8",
    },
  ).trim();
  assert.equal(listed, [...GENERATED].sort().join(","));
});

test("an offset changed in assembly/ only, or in a generated module only, fails the check", () => {
  const dir = copyTree();
  try {
    const state = join(dir, "assembly/flow/state.ts");
    const original = readFileSync(state, "utf8");
    assert.ok(original.includes("export const OFF_VERSION: u32 = 38;"));
    writeFileSync(state, original.replace("export const OFF_VERSION: u32 = 38;", "export const OFF_VERSION: u32 = 39;"));
    const assemblySide = check(dir);
    assert.equal(assemblySide.status, 1);
    assert.match(assemblySide.stderr, /src\/flow\/layout\.ts/);

    writeFileSync(state, original);
    assert.equal(check(dir).status, 0);
    const layout = join(dir, "src/fib/layout.ts");
    const text = readFileSync(layout, "utf8");
    writeFileSync(layout, text.replace("export const FAMILY_INSERTS = 4;", "export const FAMILY_INSERTS = 5;"));
    const sourceSide = check(dir);
    assert.equal(sourceSide.status, 1);
    assert.match(sourceSide.stderr, /src\/fib\/layout\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a layout block holds only plain constants", () => {
  const dir = copyTree();
  try {
    const state = join(dir, "assembly/sampler/state.ts");
    writeFileSync(
      state,
      readFileSync(state, "utf8").replace("export const SAVED_WORDS: u32 = 11;", "export const SAVED_WORDS: u32 = SAVED_RESERVED + 1;"),
    );
    const result = check(dir);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /layout block holds only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the layouts agree with what the built core reports and with the record sizes", () => {
  const module = new WebAssembly.Module(Buffer.from(releaseSimd, "base64"));
  const exports = new WebAssembly.Instance(module, { env: { abort: () => undefined } }).exports as Record<string, WebAssembly.Global>;
  assert.equal(exports.ARP_OCCUPANCY_WORDS!.value, OCCUPANCY_WORDS);
  assert.equal(exports.ARP_ENTRY_WORDS!.value, ENTRY_WORDS);
  assert.ok(OFF_SEQUENCE + 8 <= EXPORT_RECORD_BYTES && RECORD_BYTES <= EXPORT_RECORD_BYTES);
});

test("the ARP counter names are the assembly's counter slots, in order", () => {
  const layout = arpLayout as unknown as Record<string, number>;
  assert.equal(ARP_COUNTER_NAMES.length, layout.COUNTERS);
  ARP_COUNTER_NAMES.forEach((name, slot) => {
    const constant = `C_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    assert.equal(layout[constant], slot, `${name}: ${constant}`);
  });
});

test("the wrappers read records and counters through named offsets, not literals", () => {
  const wrappers = [
    "src/flow/record.ts",
    "src/flow/cache.ts",
    "src/flow/json-lines.ts",
    "src/fib/fib.ts",
    "src/arp/table.ts",
    "src/arp/memory.ts",
    "src/arp/options.ts",
    "src/sampling/sampler.ts",
    "src/sampling/packet-selector.ts",
  ];
  // `at + 38`, `base + 2`, `w + 9`: a record or block offset; `c[7]`, `f[3]`: a slot by number;
  // `n(12)`, `o(4)`, `v(9)`: a counter or word by number.
  const literal = /\b(?:at|base|w) \+ \d+\b|\b[cf]\[\d+\]|\b[nov]\(\d+\)/;
  for (const file of wrappers) {
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      assert.ok(!literal.test(line), `${file}:${i + 1}: a literal offset or slot: ${line.trim()}`);
    });
  }
});
