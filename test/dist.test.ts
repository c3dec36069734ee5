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

test("ShardedDataplane runs from the CJS build (require) and equals one Dataplane", async () => {
  const require = createRequire(import.meta.url);
  const api = require(`${dist}index.cjs`);
  const node = require(`${dist}node.cjs`);
  const config = `interface Gi0/0
 mac-address 0200.0000.0001
 ip address 192.0.2.1 255.255.255.0
 ip flow ingress
interface Gi0/1
 mac-address 0200.0000.0002
 ip address 198.51.100.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 198.51.100.2
arp 198.51.100.2 0200.0000.0099 arpa
`;
  // 64 TCP/IPv4 frames of 16 flows from 10.0.0.k to 203.0.113.1, correct header checksums.
  const frames = Array.from({ length: 64 }, (_, i) => {
    const f = new Uint8Array(60);
    const v = new DataView(f.buffer);
    v.setUint32(0, 0x02000000);
    v.setUint16(4, 1);
    v.setUint32(6, 0x02000000);
    v.setUint16(10, 0x99);
    v.setUint16(12, 0x0800);
    v.setUint16(14, 0x4500);
    v.setUint16(16, 40);
    v.setUint16(20, 0x4000);
    f[22] = 64;
    f[23] = 6;
    v.setUint32(26, 0x0a000000 + (i % 16));
    v.setUint32(30, 0xcb007101);
    v.setUint16(34, 1024 + (i % 16));
    v.setUint16(36, 80);
    f[46] = 0x50;
    f[47] = 0x10;
    let sum = 0;
    for (let k = 14; k < 34; k += 2) sum += (f[k]! << 8) | f[k + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    v.setUint16(24, ~sum & 0xffff);
    return { frame: f, time: 1.7e12 + i, interface: 0, linkType: 1 };
  });
  const one = api.Dataplane.fromConfig(config, { seed: 2 });
  const batch = api.PacketBatch.from(frames, { core: one.core });
  one.process(batch);
  const sharded = new node.ShardedDataplane({ config, workers: 2, seed: 2 });
  const input = api.PacketBatch.from(frames);
  input.parse();
  sharded.process(input);
  const result = await sharded.finish();
  assert.equal(result.counters.packetsIn, 64);
  assert.equal(result.counters.forwarded, one.counters().forwarded);
  assert.equal(result.flows.length, 16);
  assert.deepEqual(
    result.perShard.reduce((a: number, b: number) => a + b, 0),
    64,
  );
});
