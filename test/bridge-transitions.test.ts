// The bridge (IRB) transition table, one test per row, with a manual clock, against the
// WebAssembly table (release and debug builds) and the TypeScript reference.
//
// | #  | state    | event / guard                                      | action (counter)                                   | next     |
// |----|----------|----------------------------------------------------|----------------------------------------------------|----------|
// | 1  | ABSENT   | frame from unicast S on port P                     | learn S on P, expires after aging-time (learned)   | PRESENT  |
// | 2  | PRESENT  | frame from S on P                                  | expiry restarted (refreshed)                       | PRESENT  |
// | 3  | PRESENT  | frame from S on another port Q                     | S now on Q (moved)                                 | PRESENT  |
// | 4  | PRESENT  | aging-time passes                                  | ager removes it, or a lookup does (aged)           | ABSENT   |
// | 5  | —        | unicast to an unknown station                      | flood the group, process switched (floodedUnknown) | —        |
// | 6  | —        | broadcast / multicast                              | flood (floodedBroadcast / floodedMulticast); a group source is not learned | — |
// | 7  | PRESENT  | unicast to S on another port                       | forward to S's port (forwarded)                    | PRESENT  |
// | 8  | PRESENT  | unicast to S on the input port                     | discard (filtered)                                 | PRESENT  |
// | 9  | —        | unicast to the BVI's MAC                           | route (routed)                                     | —        |
// | 10 | PRESENT  | routed out of the BVI to S                         | forward to S's port, fast switched (routedForwarded) | PRESENT |
// | 11 | ABSENT   | routed out of the BVI to S (aged, never learned)   | flood, process switched (routedFlooded)            | ABSENT   |
// | 12 | ABSENT   | frame from S, every station in use                 | not learned (learnRefused), still forwarded        | ABSENT   |
// | 13 | —        | frame on no bridged port / not Ethernet            | notBridged / skipped                               | —        |
// | 14 | PRESENT  | clear bridge [N]                                   | removed (cleared)                                  | ABSENT   |
// | 15 | many old | age                                                | at most agerWork per call, groups in order, oldest first | —  |

import { test } from "node:test";
import assert from "node:assert/strict";
import { BridgeVerdict, type BridgeOptions } from "../src/index.js";
import { BRIDGE_IMPLEMENTATIONS, BVI_MAC, type Bridge, BridgeRig, bridgeOptions } from "./bridge-helpers.js";

const A = "00:11:22:33:44:0a";
const B = "00:11:22:33:44:0b";
const C = "00:11:22:33:44:0c";
const AGING = 300_000;

interface Row {
  row: number;
  title: string;
  check(make: (o: BridgeOptions) => Bridge): void;
}

const station = (r: BridgeRig, mac: string) => r.table.stations().find((s) => s.mac === mac);

const ROWS: Row[] = [
  {
    row: 1,
    title: "ABSENT + frame from a unicast source → learned on its port, expiring after aging-time",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: B });
      const s = station(r, A)!;
      assert.deepEqual([s.group, s.ifIndex, s.interface, s.expiresAt, s.rx], [1, 0, "ATM0.1", r.now + AGING, 1]);
      assert.equal(r.table.counters(1).learned, 1);
    },
  },
  {
    row: 2,
    title: "PRESENT + frame from it on the same port → refreshed",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: B });
      r.at(200_000).one({ iface: 0, src: A, dst: B });
      assert.deepEqual([station(r, A)!.expiresAt, station(r, A)!.rx], [r.now + AGING, 2]);
      assert.equal(r.table.counters().refreshed, 1);
    },
  },
  {
    row: 3,
    title: "PRESENT + frame from it on another port → moved",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: B });
      r.at(1).one({ iface: 2, src: A, dst: B });
      assert.equal(station(r, A)!.ifIndex, 2);
      assert.equal(r.table.counters().moved, 1);
      assert.deepEqual(r.one({ iface: 1, src: B, dst: A }), { verdict: BridgeVerdict.forward, port: 2 });
    },
  },
  {
    row: 4,
    title: "PRESENT + aging-time passes → aged (by the ager, or by the lookup that meets it)",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: B });
      r.one({ iface: 1, src: B, dst: A });
      assert.equal(r.table.age(r.at(AGING - 1).now), 0);
      assert.equal(r.table.age(r.at(1).now), 2);
      assert.equal(r.table.counters().aged, 2);
      r.one({ iface: 3, src: C, dst: B });
      r.at(20_000);
      assert.equal(r.one({ iface: 3, src: B, dst: C }).verdict, BridgeVerdict.floodUnknown, "C aged out on the lookup (group 2: 20 s)");
      assert.equal(r.table.counters(2).aged, 1);
    },
  },
  {
    row: 5,
    title: "unicast to an unknown station → flooded to the group, process switched",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      assert.deepEqual(r.one({ iface: 0, src: A, dst: B }), { verdict: BridgeVerdict.floodUnknown, port: 1 });
      assert.deepEqual([r.table.counters().floodedUnknown, r.table.counters().processSwitched], [1, 1]);
    },
  },
  {
    row: 6,
    title: "broadcast and multicast → flooded; a group source address is not learned",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      const d = r.send([
        { iface: 0, src: A, dst: "ff:ff:ff:ff:ff:ff" },
        { iface: 0, src: "01:00:5e:00:00:05", dst: "01:00:5e:00:00:05" },
      ]);
      assert.deepEqual(d.verdicts, [BridgeVerdict.floodBroadcast, BridgeVerdict.floodMulticast]);
      const c = r.table.counters();
      assert.deepEqual([c.floodedBroadcast, c.floodedMulticast, c.sourceNotLearned, c.learned, c.processSwitched], [1, 1, 1, 1, 2]);
    },
  },
  {
    row: 7,
    title: "PRESENT + unicast to it from another port → forwarded to its port",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: "ff:ff:ff:ff:ff:ff" });
      assert.deepEqual(r.one({ iface: 1, src: B, dst: A }), { verdict: BridgeVerdict.forward, port: 0 });
      assert.equal(station(r, A)!.tx, 1);
      assert.equal(r.table.counters().forwarded, 1);
    },
  },
  {
    row: 8,
    title: "PRESENT + unicast to it on its own port → filtered",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 0, src: A, dst: "ff:ff:ff:ff:ff:ff" });
      assert.equal(r.one({ iface: 0, src: B, dst: A }).verdict, BridgeVerdict.filter);
      assert.equal(r.table.counters().filtered, 1);
    },
  },
  {
    row: 9,
    title: "unicast to the BVI → routed",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      assert.deepEqual(r.one({ iface: 0, src: A, dst: BVI_MAC }), { verdict: BridgeVerdict.route, port: 1 });
      assert.equal(r.table.counters().routed, 1);
      assert.equal(r.one({ iface: 3, src: A, dst: BVI_MAC }).verdict, BridgeVerdict.floodUnknown, "group 2 has no BVI");
    },
  },
  {
    row: 10,
    title: "PRESENT + routed out of the BVI to it → forwarded, fast switched",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 2, src: A, dst: BVI_MAC });
      assert.deepEqual(r.at(1000).route(1, A), { verdict: BridgeVerdict.forward, port: 2 });
      assert.deepEqual([r.table.counters().routedForwarded, r.table.counters().processSwitched], [1, 0]);
    },
  },
  {
    row: 11,
    title: "ABSENT + routed out of the BVI to it → flooded, process switched",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.one({ iface: 2, src: A, dst: BVI_MAC });
      assert.deepEqual(r.at(AGING).route(1, A), { verdict: BridgeVerdict.floodRouted, port: 1 });
      assert.deepEqual(r.route(1, C), { verdict: BridgeVerdict.floodRouted, port: 1 });
      const c = r.table.counters();
      assert.deepEqual([c.routedFlooded, c.processSwitched, c.aged], [2, 2, 1]);
      assert.deepEqual(r.route(2, A), { verdict: BridgeVerdict.notBridged, port: 0 }, "group 2 has no BVI");
    },
  },
  {
    row: 12,
    title: "ABSENT + frame when every station is in use → not learned (learnRefused), still flooded",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions({ capacity: 2 })));
      const d = r.send([
        { iface: 0, src: A, dst: "ff:ff:ff:ff:ff:ff" },
        { iface: 1, src: B, dst: "ff:ff:ff:ff:ff:ff" },
        { iface: 2, src: C, dst: A },
      ]);
      assert.deepEqual(d.verdicts, [BridgeVerdict.floodBroadcast, BridgeVerdict.floodBroadcast, BridgeVerdict.forward]);
      assert.equal(r.table.counters().learnRefused, 1);
      assert.equal(station(r, C), undefined);
    },
  },
  {
    row: 13,
    title: "frame on no bridged port, or not Ethernet → notBridged / skipped",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      const d = r.send([
        { iface: 4, src: A, dst: B },
        { iface: 0, src: A, dst: B, linkType: 101 },
        { iface: 0, src: A, dst: B, status: "truncated-link-header" },
      ]);
      assert.deepEqual(d.verdicts, [BridgeVerdict.notBridged, BridgeVerdict.skipped, BridgeVerdict.skipped]);
      const c = r.table.counters();
      assert.deepEqual([c.notBridged, c.skipped, c.frames, c.learned], [1, 2, 0, 0]);
    },
  },
  {
    row: 14,
    title: "PRESENT + clear bridge [N] → removed",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions()));
      r.send([
        { iface: 0, src: A, dst: B },
        { iface: 3, src: B, dst: A },
      ]);
      assert.equal(r.table.clear(2), 1);
      assert.deepEqual(
        r.table.stations().map((s) => s.mac),
        [A],
      );
      assert.equal(r.table.clear(), 1);
      assert.equal(r.table.counters().cleared, 2);
    },
  },
  {
    row: 15,
    title: "many expired → at most agerWork per age call, groups in order, oldest first",
    check(make) {
      const r = new BridgeRig(make(bridgeOptions({ agerWork: 2 })));
      const removed: number[] = [];
      r.one({ iface: 3, src: C, dst: A });
      r.at(1).one({ iface: 0, src: B, dst: A });
      r.at(1).one({ iface: 0, src: A, dst: B });
      r.at(AGING);
      const order: string[] = [];
      for (let k = 0; k < 3; k++) {
        const before = r.table.stations().map((s) => `${s.group}/${s.mac}`);
        removed.push(r.table.age(r.now));
        const after = new Set(r.table.stations().map((s) => `${s.group}/${s.mac}`));
        order.push(...before.filter((s) => !after.has(s)));
      }
      assert.deepEqual(removed, [2, 1, 0]);
      assert.deepEqual(order, [`1/${A}`, `1/${B}`, `2/${C}`], "group 1 first (both), then group 2");
    },
  },
];

for (const row of ROWS) {
  for (const [name, make] of BRIDGE_IMPLEMENTATIONS) {
    test(`row ${row.row} (${name}): ${row.title}`, () => row.check(make));
  }
}

test("every row is tested; the counters obey the conservation laws", () => {
  assert.deepEqual(
    ROWS.map((r) => r.row),
    Array.from({ length: 15 }, (_, k) => k + 1),
  );
  for (const [, make] of BRIDGE_IMPLEMENTATIONS) {
    const r = new BridgeRig(make(bridgeOptions()));
    r.send([
      { iface: 0, src: A, dst: B },
      { iface: 1, src: B, dst: A },
      { iface: 0, src: A, dst: A },
      { iface: 2, src: C, dst: "ff:ff:ff:ff:ff:ff" },
      { iface: 2, src: C, dst: "01:00:5e:01:02:03" },
      { iface: 2, src: C, dst: BVI_MAC },
      { iface: 4, src: C, dst: A },
    ]);
    r.route(1, "00:99:99:99:99:99");
    const c = r.table.counters();
    assert.equal(c.frames, c.forwarded + c.filtered + c.floodedUnknown + c.floodedBroadcast + c.floodedMulticast + c.routed);
    assert.equal(c.processSwitched, c.floodedUnknown + c.floodedBroadcast + c.floodedMulticast + c.routedFlooded);
  }
});
