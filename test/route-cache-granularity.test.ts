// Entry granularity, one test per rule of the seed (000:L197-207), on the WebAssembly cache
// and the reference.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Twin, SMALL } from "./helpers/route-cache.js";
import { formatIPv4 } from "../src/index.js";

const KINDS = ["wasm", "reference"] as const;

function router(kind: (typeof KINDS)[number]) {
  const twin = new Twin(11);
  const gw = twin.adjacency({ interface: "Ethernet1", nextHop: "192.0.2.1" });
  const gw2 = twin.adjacency({ interface: "Ethernet1", nextHop: "192.0.2.2" });
  const serial = twin.adjacency({ interface: "Serial1", nextHop: "198.51.100.1" });
  const lan = twin.adjacency({ interface: "Vlan3" });
  const cache = twin.cache(kind, SMALL);
  cache.setNeighbor("192.0.2.1", "00:00:0c:00:00:01", 0);
  cache.setNeighbor("192.0.2.2", "00:00:0c:00:00:02", 0);
  const send = (...destinations: string[]) => destinations.map((d) => cache.fill(d, 1000));
  const prefixes = () => cache.entries().map((e) => e.prefix);
  return { twin, cache, gw, gw2, serial, lan, send, prefixes };
}

for (const kind of KINDS) {
  test(`RIB with /24s in a major net: /24 entries for that network [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("10.0.0.0/8", r.gw);
    r.twin.route("10.1.1.0/24", r.serial);
    r.twin.route("11.0.0.0/8", r.gw);
    r.send("10.1.1.9", "10.200.3.4", "10.200.3.99", "11.2.3.4");
    assert.deepEqual(r.prefixes(), ["10.1.1.0/24", "10.200.3.0/24", "11.0.0.0/8"]);
    assert.equal(r.cache.statistics().fastSwitched, 1);
  });

  test(`a supernet over class C networks caches per class C network [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("192.168.0.0/16", r.gw);
    r.send("192.168.5.1", "192.168.5.2", "192.168.6.1");
    assert.deepEqual(r.prefixes(), ["192.168.5.0/24", "192.168.6.0/24"]);
  });

  test(`load sharing: /32 entries for the major net, each on its destination's path [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("10.0.0.0/8", [r.gw, r.gw2]);
    const destinations = Array.from({ length: 64 }, (_, i) => `10.0.${i}.1`);
    r.send(...destinations);
    const entries = r.cache.entries();
    assert.equal(entries.length, 64);
    for (const e of entries) {
      assert.match(e.prefix, /\/32$/);
      assert.equal(e.adjacency, r.twin.fib.lookup(e.prefix.split("/")[0]!), e.prefix);
    }
    assert.deepEqual(new Set(entries.map((e) => e.adjacency)), new Set([r.gw, r.gw2]));
  });

  test(`default route only: entries at the major-network boundaries [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("0.0.0.0/0", r.serial);
    r.send("45.1.2.3", "45.9.9.9", "150.1.2.3", "200.1.2.3");
    assert.deepEqual(r.prefixes(), ["45.0.0.0/8", "150.1.0.0/16", "200.1.2.0/24"]);
  });

  test(`ARP per destination on a broadcast interface: one /32 per host, the worm-scan case [${kind}]`, () => {
    const r = router(kind);
    // `ip route 0.0.0.0 0.0.0.0 Vlan3`: a route that points at an interface (seed 000:L171).
    r.twin.route("0.0.0.0/0", r.lan);
    const scanned: string[] = [];
    for (let i = 0; i < 300; i++) {
      const host = formatIPv4((((i * 2654435761) >>> 0) % 0xde000000) + 0x01000000);
      r.cache.setNeighbor(host, "00:11:22:33:44:55", 1000);
      scanned.push(host);
    }
    const verdicts = r.send(...scanned);
    const distinct = new Set(scanned).size;
    assert.equal(verdicts.filter((v) => v === "process").length, distinct);
    assert.equal(r.cache.statistics().entries, distinct);
    assert.ok(r.prefixes().every((p) => p.endsWith("/32")));
  });

  test(`a connected subnet on a broadcast interface is cached per host; on serial, per network [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("172.16.5.0/24", r.lan);
    const serialLink = r.twin.adjacency({ interface: "Serial2" });
    r.twin.route("172.17.0.0/16", serialLink);
    r.cache.setNeighbor("172.16.5.10", "00:11:22:33:44:0a", 1000);
    r.cache.setNeighbor("172.16.5.11", "00:11:22:33:44:0b", 1000);
    r.send("172.16.5.10", "172.16.5.11", "172.17.1.1", "172.17.2.2");
    assert.deepEqual(r.prefixes(), ["172.16.5.10/32", "172.16.5.11/32", "172.17.0.0/16"]);
    assert.deepEqual(
      r.cache.entries().map((e) => e.header),
      ["00112233440A0000000000000800", "00112233440B0000000000000800", "0F000800"],
    );
  });

  test(`a host route in a major net makes its entries /32 [${kind}]`, () => {
    const r = router(kind);
    r.twin.route("10.0.0.0/8", r.gw);
    r.twin.route("10.1.2.3/32", r.serial);
    r.send("10.1.2.3", "10.5.5.5");
    assert.deepEqual(r.prefixes(), ["10.1.2.3/32", "10.5.5.5/32"]);
  });
}
