// The seed's IRB interaction (000, "IRB / HyBridge Input"): an ARP entry (4 h) outliving its
// bridge entry (bridge-aging 5 min) makes routed traffic to that host flood the bridge group
// and be process switched; raising the aging time to the ARP timeout keeps it fast switched.
// The ArpTable and the BridgeTable share one core, as the Dataplane runs them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArpTable, BridgeTable, BridgeVerdict, Core, PacketBatch } from "../src/index.js";

const HOST_IP = "10.0.0.7";
const HOST_MAC = "00:11:22:33:44:07";
const BVI_MAC = "00:00:0c:00:00:01";
const FOUR_HOURS = 4 * 3600_000;

function router(agingTime?: number) {
  const core = new Core({ maxBytes: 128 * 1024 ** 2, seed: 1 });
  const arp = new ArpTable({
    core,
    maxBytes: 16 * 1024 ** 2,
    interfaces: [{ name: "BVI1", mac: BVI_MAC, addresses: ["10.0.0.1/24"], presentLifetimeMs: FOUR_HOURS }],
  });
  const bridge = new BridgeTable({
    core,
    groups: [{ group: 1, ...(agingTime === undefined ? {} : { agingTime }) }],
    interfaces: Array.from({ length: 8 }, (_, k) => ({ name: `ATM0.${k + 1}`, bridgeGroup: 1 })),
    irb: true,
    bvis: [{ group: 1, mac: BVI_MAC }],
  });
  return { core, arp, bridge };
}

/** The host answers our ARP request on VC 3 and sends one frame: both tables learn it at t0. */
function meet(r: ReturnType<typeof router>, t0: number): void {
  assert.equal(r.arp.resolve(0, HOST_IP, t0).status, "queued");
  r.arp.receiveArp({ ifIndex: 0, op: "reply", senderIp: HOST_IP, senderMac: HOST_MAC, targetIp: "10.0.0.1", targetMac: BVI_MAC }, t0);
  using reply = PacketBatch.from([{ interface: 2, srcMac: HOST_MAC, dstMac: BVI_MAC, linkType: 1 }], { core: r.core });
  assert.deepEqual([...r.bridge.input(reply, { now: t0 }).verdicts], [BridgeVerdict.route]);
}

/** One routed packet to the host: ARP, then the bridge. */
function send(r: ReturnType<typeof router>, now: number): number {
  const hop = r.arp.resolve(0, HOST_IP, now);
  assert.equal(hop.status, "found", "the ARP entry lives for 4 hours");
  return r.bridge.route(1, hop.status === "found" ? hop.mac : "", now).verdict;
}

test("an ARP entry outliving its bridge entry floods routed traffic and process switches it", () => {
  const r = router();
  const t0 = 10_000_000;
  meet(r, t0);
  assert.equal(send(r, t0 + 60_000), BridgeVerdict.forward, "a minute later: fast switched to VC 3");
  r.bridge.age(t0 + 301_000);
  for (let k = 0; k < 100; k++) assert.equal(send(r, t0 + 301_000 + k * 1000), BridgeVerdict.floodRouted);
  const c = r.bridge.counters(1);
  assert.deepEqual([c.aged, c.routedForwarded, c.routedFlooded, c.processSwitched], [1, 1, 100, 100]);
  assert.equal(r.bridge.floodPorts(1).length, 8, "each flood goes out of every VC of the group");
  assert.equal(r.arp.state(0, HOST_IP), "present");
});

test("bridge aging-time raised to the ARP timeout (4 h) keeps routed traffic fast switched", () => {
  const r = router(FOUR_HOURS);
  const t0 = 10_000_000;
  meet(r, t0);
  r.bridge.age(t0 + 301_000);
  for (let k = 0; k < 100; k++) assert.equal(send(r, t0 + 301_000 + k * 1000), BridgeVerdict.forward);
  const c = r.bridge.counters(1);
  assert.deepEqual([c.aged, c.routedForwarded, c.routedFlooded, c.processSwitched], [0, 100, 0, 0]);
});
