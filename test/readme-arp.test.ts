// The README's ARP example, run in the order written, gives what its comments say (issue 10:
// it used to step the clock back and so printed something else). The statements are the
// README's; a change there must be made here too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ArpTable } from "../src/index.js";

test("README: the ARP example's calls, in order, return what the comments say", () => {
  const readme = readFileSync("README.md", "utf8");
  for (const line of [
    'arp.resolve(0, "10.0.0.99", now + 3);',
    "arp.tick(now + 1003); arp.tick(now + 2003); arp.tick(now + 3003);",
    'arp.resolve(0, "10.0.0.99", now + 3004);',
  ])
    assert.ok(readme.includes(line), `README no longer has ${line}`);
  const arp = new ArpTable({
    interfaces: [{ name: "Vlan3", mac: "00:00:0c:07:ac:03", addresses: ["10.0.0.1/16"], onLink: ["0.0.0.0/0"] }],
  });
  const now = 1_000_000;
  assert.deepEqual(arp.resolve(0, "10.0.0.7", now), { status: "queued", handle: 0 });
  const requests = arp.drainRequests();
  assert.equal(requests.length, 1);
  assert.deepEqual([requests[0]!.op, requests[0]!.targetIp, requests[0]!.targetMac], ["request", "10.0.0.7", null]);
  arp.receiveArp(
    { ifIndex: 0, op: "reply", senderIp: "10.0.0.7", senderMac: "00:11:22:33:44:55", targetIp: "10.0.0.1", targetMac: "00:00:0c:07:ac:03" },
    now + 1,
  );
  assert.deepEqual(arp.drainReleased(), [{ handle: 0, ifIndex: 0, ip: "10.0.0.7", status: "sent", mac: "00:11:22:33:44:55" }]);
  assert.deepEqual(arp.resolve(0, "10.0.0.7", now + 2), { status: "found", mac: "00:11:22:33:44:55" });
  assert.deepEqual(arp.resolve(0, "10.0.0.99", now + 3), { status: "queued", handle: 0 });
  arp.tick(now + 1003);
  arp.tick(now + 2003);
  arp.tick(now + 3003);
  assert.deepEqual(arp.drainReleased(), [
    { handle: 0, ifIndex: 0, ip: "10.0.0.99", status: "dropped", reason: "resolve-failed", icmp: true },
  ]);
  assert.deepEqual(arp.resolve(0, "10.0.0.99", now + 3004), { status: "dropped", reason: "nexist", icmp: true });
  assert.equal(arp.receiveIp(0, "10.0.0.99", now + 9000), "nexistClearedByIp");
  assert.equal(arp.counters().clockBackwards ?? 0, 0);
});
