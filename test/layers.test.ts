// The import graph follows the layer order written at the top of src/index.ts: a module imports
// (at run time; `import type` does not count) only modules of its own layer or of the layers
// before it. References (src/reference/) import only errors, net, common and the components'
// definition modules (options, constants and formats from the specifications, which themselves
// import nothing above common), never the code they check.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Layer of each top-level folder of src/ (and of the entry files), in the order of src/index.ts. */
const LAYERS: Record<string, number> = {
  errors: 0,
  net: 0,
  common: 0,
  wasm: 1,
  packet: 2,
  fib: 3,
  "route-cache": 3,
  flow: 3,
  arp: 3,
  sampling: 3,
  nat: 3,
  bridge: 3,
  reference: 3,
  analysis: 4,
  export: 4,
  dataplane: 5,
  show: 6,
  sim: 7,
  flooding: 7,
  index: 8,
  node: 9,
  cli: 9,
};

/**
 * Definition modules: what a component and its reference both take from the specification
 * (option names and defaults, codes, formats). They may import only layer 0 and each other.
 */
const DEFINITIONS = new Set([
  "arp/options.ts",
  "arp/input.ts",
  "arp/memory.ts",
  "arp/types.ts",
  "sampling/modes.ts",
  "sampling/filter-criteria.ts",
  "sampling/filter-input.ts",
  "packet/status.ts",
  "packet/link-type.ts",
  "packet/pcap.ts",
  "packet/pcapng.ts",
  "flow/options.ts",
  "route-cache/options.ts",
  "route-cache/types.ts",
  "flow/record.ts",
  "flow/statistics.ts",
  "nat/options.ts",
  "nat/types.ts",
  "nat/statistics.ts",
  "bridge/options.ts",
  "bridge/types.ts",
  "dataplane/plan.ts",
  "dataplane/stages.ts",
  "dataplane/acl.ts",
  "dataplane/verdicts.ts",
  "flow/layout.ts",
  "fib/layout.ts",
  "arp/layout.ts",
  "sampling/layout.ts",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(file: string): { layer: number; name: string } {
  const rel = relative(SRC, file);
  const top = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : rel.replace(/\.ts$/, "");
  const layer = LAYERS[top];
  assert.ok(layer !== undefined, `${rel}: src/${top} has no layer; add it to the order in src/index.ts and in test/layers.test.ts`);
  return { layer, name: top };
}

/** Relative imports of a file that run at run time (not `import type`, not `export type`). */
function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  source.forEachChild((node) => {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause?.isTypeOnly) return;
      const bindings = clause?.namedBindings;
      if (clause && !clause.name && bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly)) return;
      specifier = node.moduleSpecifier;
    } else if (ts.isExportDeclaration(node)) {
      if (node.isTypeOnly) return;
      const clause = node.exportClause;
      if (clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)) return;
      specifier = node.moduleSpecifier;
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) {
      out.push(resolve(dirname(file), specifier.text.replace(/\.js$/, ".ts")));
    }
  });
  return out;
}

/** Every import that runs against the layer order, as "from → to: why". */
function layerViolations(read: (file: string) => string = (file) => readFileSync(file, "utf8")): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    const fromRel = relative(SRC, file);
    for (const target of runtimeImports(file, read(file))) {
      const to = layerOf(target);
      const toRel = relative(SRC, target);
      if (from.name === "reference" || DEFINITIONS.has(fromRel)) {
        const allowed = to.layer === 0 || DEFINITIONS.has(toRel) || (from.name === "reference" && to.name === "reference");
        if (!allowed) {
          const what = from.name === "reference" ? "a reference" : "a definition module";
          violations.push(`${fromRel} → ${toRel}: ${what} imports only errors, net, common and definition modules`);
        }
      } else if (to.layer > from.layer) {
        violations.push(`${fromRel} → ${toRel}: ${from.name} (layer ${from.layer}) may not import ${to.name} (layer ${to.layer})`);
      }
    }
  }
  return violations;
}

test("every import follows the layer order of src/index.ts, and references import no code they check", () => {
  assert.deepEqual(layerViolations(), []);
});

test("the check fails on a wrong-way import and on a reference importing the code it checks", () => {
  const fib = join(SRC, "fib/fib.ts");
  const reference = join(SRC, "reference/fib.ts");
  const read = (file: string) => {
    const text = readFileSync(file, "utf8");
    if (file === fib) return `import { renderCefSummary } from "../show/cef.js";\n${text}`;
    if (file === reference) return `import { Fib } from "../fib/fib.js";\n${text}`;
    return text;
  };
  assert.deepEqual(layerViolations(read).sort(), [
    "fib/fib.ts → show/cef.ts: fib (layer 3) may not import show (layer 6)",
    "reference/fib.ts → fib/fib.ts: a reference imports only errors, net, common and definition modules",
  ]);
});
