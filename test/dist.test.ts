// The built package, as users load it: ESM import, CJS require, and a bare realm (a browser
// stand-in) that has nothing but WebAssembly and atob.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

function exercise(api: {
  Fib: new () => { addAdjacency(o: object): number; insert(p: string, a: number): boolean; lookup(a: string): number };
}): number[] {
  const fib = new api.Fib();
  const gw = fib.addAdjacency({ interface: "Gi0/1", nextHop: "192.0.2.1" });
  fib.insert("10.0.0.0/8", gw);
  fib.insert("2001:db8::/32", gw);
  return [gw, fib.lookup("10.1.2.3"), fib.lookup("2001:db8::1"), fib.lookup("11.0.0.1")];
}

test("dist/index.js loads with import and answers a lookup", async () => {
  const api = await import(`${dist}index.js`);
  const [gw, ...answers] = exercise(api);
  assert.deepEqual(answers, [gw, gw, 0]);
});

test("dist/index.cjs loads with require and answers a lookup", () => {
  const api = createRequire(import.meta.url)(`${dist}index.cjs`);
  const [gw, ...answers] = exercise(api);
  assert.deepEqual(answers, [gw, gw, 0]);
});

test("the script build runs in a realm with only WebAssembly and atob", () => {
  const context = vm.createContext({ WebAssembly, atob });
  vm.runInContext(readFileSync(`${dist}dataplane.global.js`, "utf8"), context);
  const answers = vm.runInContext(
    `(() => { const fib = new dataplane.Fib(); const gw = fib.addAdjacency({ interface: "Gi0/1" });
       fib.insert("10.0.0.0/8", gw); fib.insert("2001:db8::/32", gw);
       return [gw, fib.lookup("10.1.2.3"), fib.lookup("2001:db8::1"), fib.lookup("11.0.0.1"), Object.keys(globalThis).sort().join(",")]; })()`,
    context,
  ) as [number, number, number, number, string];
  const [gw, v4, v6, none] = answers;
  assert.deepEqual([v4, v6, none], [gw, gw, 0]);
  assert.equal(answers[4], "WebAssembly,atob,dataplane", "nothing else leaked into or was needed from the realm");
});
