// The codered2 and slammer scenarios (issue 18), small and fast: Code Red II's locality makes
// the router ARP on the inside for the site's own unused addresses, which negative caching and
// the port-80 ACL cut; Slammer is bound by bandwidth, so fixing the router's switching does not
// save the uplink while the ACL does; the hardened routers lose no established packet.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runCodeRed2, LanHosts } from "../src/sim/scenarios/codered2.js";
import { runSlammer } from "../src/sim/scenarios/slammer.js";
import type { VariantRun } from "../src/sim/scenarios/codered.js";

const sum = (r: VariantRun, f: (s: VariantRun["router"]["seconds"][number]) => number) => r.router.seconds.reduce((a, s) => a + f(s), 0);

test("codered2: the scan of the site's own /16 is an ARP flood on the inside, cut by negative caching and the ACL", () => {
  const { runs } = runCodeRed2({
    seconds: 30,
    servers: 100,
    upstreamRoutes: 100_000,
    establishedPacketsPerSecond: 300,
    establishedFlows: 200,
    seed: 5,
  });
  const by = (name: string) => runs.find((r) => r.variant.name === name)!;
  const inside = (name: string) => sum(by(name), (s) => s.arpRequestsByInterface[0]!);
  const worm = sum(by("vulnerable"), (s) => s.wormPackets);
  assert.ok(worm > 5000, `${worm} worm packets`);
  // 3/8 of the probes stay in the /16 and half of those land in the clients' /17: the inside
  // requests are of that order (three per dead target with RFC 826: the SYN and its two retransmissions).
  const share = inside("vulnerable") / worm;
  assert.ok(share > 0.08 && share < 0.3, `inside ARP requests per worm packet ${share}`);
  assert.ok(inside("negative ARP") < 0.5 * inside("vulnerable"), `${inside("negative ARP")} vs ${inside("vulnerable")}`);
  assert.equal(inside("ACL port 80"), 0);
  assert.equal(inside("all fixes"), 0);
  const hardened = by("all fixes").router;
  assert.equal(hardened.establishedLost, 0);
  assert.equal(hardened.mallocFailures, 0);
  assert.ok(by("vulnerable").detection.include0050!.recall! >= 0.9);
});

test("LanHosts answers for live hosts only, each with its own MAC", () => {
  const lan = new LanHosts([0xac140005, 0xac140006]);
  assert.equal(lan.reply(0xac140007), undefined);
  assert.notEqual(lan.reply(0xac140005), lan.reply(0xac140006));
  assert.equal(lan.answered, 2);
});

test("slammer: bandwidth-bound — CEF and the next hop do not save the uplink, the ACL does", () => {
  const { runs } = runSlammer({
    seconds: 20,
    servers: 2,
    serverBitsPerSecond: 10e6,
    uplinkBitsPerSecond: 4.5e6,
    startInfected: 0.3,
    upstreamRoutes: 100_000,
    establishedPacketsPerSecond: 200,
    establishedFlows: 100,
    seed: 3,
  });
  const by = (name: string) => runs.find((r) => r.variant.name === name)!;
  const load = (name: string) => by(name).result.summary.uplinkLoad as number;
  assert.ok(load("next-hop + CEF") > 150, `uplink offered ${load("next-hop + CEF")} %`);
  assert.ok(by("next-hop + CEF").router.establishedLost > 0, "the saturated uplink drops established packets");
  assert.ok(load("ACL udp 1434") < 100);
  assert.equal(
    sum(by("ACL udp 1434"), (s) => s.wormForwarded),
    0,
  );
  // On the document's router every datagram to a new address is an ARP request.
  const v = by("vulnerable");
  assert.ok(v.router.arpRequests > 0.5 * sum(v, (s) => s.wormPackets), `${v.router.arpRequests} requests`);
  const hardened = by("all fixes").router;
  assert.equal(hardened.establishedLost, 0);
  assert.equal(hardened.mallocFailures, 0);
  assert.ok(by("next-hop + CEF").detection.include0050!.recall === 1);
});
