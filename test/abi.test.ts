// One ABI, checked: the exports every build of the WebAssembly core really has are exactly the
// ones src/wasm/exports.ts declares (same names, same kinds, same parameter counts), and no
// build exports mutable state (side-channel globals were replaced by out-pointers and
// per-table fields, so two tables on one core cannot interfere).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { releaseSimd, releaseNoSimd } from "../src/wasm/generated/release.js";
import { debug } from "../src/wasm/generated/debug.js";
import { INTERFACE_RECORD_BYTES } from "../src/arp/memory.js";

interface Declared {
  kind: "function" | "global" | "memory";
  parameters: number;
}

/** The members of every interface in src/wasm/exports.ts, read with the TypeScript parser. */
function declaredExports(): Map<string, Declared> {
  const path = new URL("../src/wasm/exports.ts", import.meta.url);
  const source = ts.createSourceFile("exports.ts", readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const declared = new Map<string, Declared>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const member of node.members) {
      const name = member.name?.getText(source);
      if (name === undefined) continue;
      assert.ok(!declared.has(name), `${name} is declared twice`);
      if (ts.isMethodSignature(member)) declared.set(name, { kind: "function", parameters: member.parameters.length });
      else if (ts.isPropertySignature(member)) {
        const type = member.type?.getText(source);
        if (type === "WebAssembly.Memory") declared.set(name, { kind: "memory", parameters: 0 });
        else if (type === "WebAssembly.Global") declared.set(name, { kind: "global", parameters: 0 });
        else assert.fail(`${name}: an export is a method, a WebAssembly.Global or the memory, not ${type}`);
      }
    }
  });
  return declared;
}

const builds = { release: releaseSimd, "release-nosimd": releaseNoSimd, debug };

for (const [name, base64] of Object.entries(builds)) {
  test(`${name} build: its exports are exactly the declared interface`, () => {
    const module = new WebAssembly.Module(Buffer.from(base64, "base64"));
    const instance = new WebAssembly.Instance(module, { env: { abort: () => undefined } });
    const actual = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
    const declared = declaredExports();
    const missing = [...declared.keys()].filter((n) => !actual.has(n));
    const undeclared = [...actual.keys()].filter((n) => !declared.has(n));
    assert.deepEqual(missing, [], `declared in src/wasm/exports.ts but not exported by the ${name} build`);
    assert.deepEqual(undeclared, [], `exported by the ${name} build but not declared in src/wasm/exports.ts`);
    for (const [export_, spec] of declared) {
      assert.equal(actual.get(export_), spec.kind, `${export_}: kind`);
      const value = (instance.exports as Record<string, unknown>)[export_];
      if (spec.kind === "function") {
        assert.equal((value as (...args: unknown[]) => unknown).length, spec.parameters, `${export_}: parameter count`);
      }
      if (spec.kind === "global") {
        const global = value as WebAssembly.Global;
        const current = global.value;
        assert.throws(() => {
          global.value = current;
        }, `${export_} is a mutable global: return results through out-pointers or per-table state instead`);
      }
    }
  });
}

test("layouts the TypeScript side computes with equal the ones the core reports", () => {
  const module = new WebAssembly.Module(Buffer.from(releaseSimd, "base64"));
  const exports = new WebAssembly.Instance(module, { env: { abort: () => undefined } }).exports as Record<string, WebAssembly.Global>;
  assert.equal(INTERFACE_RECORD_BYTES, exports.ARP_INTERFACE_RECORD_BYTES!.value, "src/arp/memory.ts INTERFACE_RECORD_BYTES");
});
