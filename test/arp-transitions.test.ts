// The ARP transition table (research §8.4, adopted by issue 5), one test per row, each driven
// with a manual clock against both the WebAssembly table and the TypeScript reference.
//
// | #  | state          | event / guard                                        | action (counter)                                              | next              |
// |----|----------------|------------------------------------------------------|---------------------------------------------------------------|-------------------|
// | 1  | ABSENT         | resolve; INCOMPLETE slot free, tokens ≥ N + reserve   | create, queue packet, broadcast request (admitted)            | INCOMPLETE[1]     |
// | 2  | ABSENT         | resolve; no slot, or tokens short                     | drop, no entry, no request (admitRefusedSlots / …Rate)        | ABSENT            |
// | 3  | INCOMPLETE[n]  | resolve                                               | queue, keep first + newest (incompleteQueued, queueOverflow)  | INCOMPLETE[n]     |
// | 4  | INCOMPLETE[n<N]| tick at due                                           | broadcast request, due += t1 (retries)                        | INCOMPLETE[n+1]   |
// | 5  | INCOMPLETE[n<N]| tick at due, request ring full                        | defer t1 (retryDeferred); hard deadline (N+2)·t1              | INCOMPLETE[n]     |
// | 6  | INCOMPLETE[N]  | tick t1 after the N-th request                        | drop queue (ICMP via bucket), hold NEXIST t2 (resolveFailed)  | NEXIST            |
// | 7  | INCOMPLETE[n]  | solicited reply                                       | PRESENT, queue sent in order (resolved)                       | PRESENT           |
// | 8  | INCOMPLETE[n]  | other valid ARP from X (request, promiscuous reply)   | as 7, unconfirmed (resolvedUnconfirmed)                       | PRESENT(unconf.)  |
// | 9  | INCOMPLETE[n]  | IP packet from X                                      | nothing (incompleteIpIgnored)                                 | INCOMPLETE[n]     |
// | 10 | NEXIST         | resolve                                               | drop, ICMP via bucket, no request (nexistHits)                | NEXIST            |
// | 11 | NEXIST         | IP packet from X on this interface                    | delete (nexistClearedByIp)                                    | ABSENT            |
// | 12 | NEXIST         | valid ARP from X                                      | delete (nexistClearedByArp); option: learn (nexistLearned)    | ABSENT / PRESENT  |
// | 13 | NEXIST         | tick at t2                                            | delete (nexistExpired)                                        | ABSENT            |
// | 14 | PRESENT        | resolve                                               | MAC, last use = now (presentHits)                             | PRESENT           |
// | 15 | PRESENT        | ARP from X, same MAC                                  | restart lifetime; solicited reply confirms (presentRefreshed) | PRESENT           |
// | 16 | PRESENT        | ARP from X, other MAC, within locktime                | ignore (lockIgnored)                                          | PRESENT           |
// | 17 | PRESENT        | ARP from X, other MAC, after locktime                 | new MAC, unconfirmed (macMoved)                               | PRESENT(unconf.)  |
// | 18 | PRESENT        | tick in the refresh window, used recently             | ≤ 3 unicast requests to the MAC, t1 apart (refreshSent)       | PRESENT           |
// | 19 | PRESENT        | tick at expiry                                        | delete, no NEXIST (presentExpired)                            | ABSENT            |
// | 20 | STATIC         | any ARP                                               | ignore (staticProtected)                                      | STATIC            |
// | 21 | ABSENT         | request for our address                               | reply; PRESENT(unconf.) only into a free slot (learnedFromRequest / requestNotLearned) | PRESENT / ABSENT |
// | 22 | ABSENT         | unsolicited reply / GARP                              | ignore (unsolicitedIgnored); option: learn (unsolicitedLearned) | ABSENT          |
// | 23 | any            | clear                                                 | drop dynamic state, release queues (cleared)                  | ABSENT            |
// | 24 | any            | request for our address                               | reply, whatever the state (repliesSent)                       | —                 |
//
// Added by this implementation (README "ARP", where it departs from the research):
// | 25 | ABSENT         | evidence of life: GARP, IP packet, ARP not learned from, cleared NEXIST | remember the address, FIFO (seenRecorded) | SEEN          |
// | 26 | SEEN           | resolve within seenWindowMs                           | admission may use the refresh reserve (admittedSeen)          | INCOMPLETE[1]     |

import { test } from "node:test";
import assert from "node:assert/strict";
import { ArpTable, ReferenceArpTable, type ArpOptions, type ArpInterfaceOptions, type ArpCounterName } from "../src/index.js";
import { defaultOptions, OUR_MAC, OUR_IP } from "./arp-helpers.js";

type Table = ArpTable | ReferenceArpTable;
const IMPLEMENTATIONS: [string, (o: ArpOptions) => Table][] = [
  ["wasm", (o) => new ArpTable(o)],
  ["reference", (o) => new ReferenceArpTable(o)],
];

const X = "10.0.0.9";
const Y = "10.0.0.10";
const MAC_X = "00:11:22:33:44:09";
const MAC_Y = "00:11:22:33:44:10";

/** A table, a manual clock and shorthands for the events of the transition table. */
class Bench {
  readonly arp: Table;
  now = 1_000_000;
  constructor(make: (o: ArpOptions) => Table, iface: Partial<ArpInterfaceOptions> = {}) {
    this.arp = make(defaultOptions({}, iface));
  }
  at(ms: number): this {
    this.now += ms;
    return this;
  }
  resolve(ip = X) {
    return this.arp.resolve(0, ip, this.now);
  }
  tick(ms = 0) {
    this.now += ms;
    this.arp.tick(this.now);
  }
  reply(ip = X, mac = MAC_X) {
    return this.arp.receiveArp({ ifIndex: 0, op: "reply", senderIp: ip, senderMac: mac, targetIp: OUR_IP, targetMac: OUR_MAC }, this.now);
  }
  request(ip = X, mac = MAC_X, target = "10.0.0.77") {
    return this.arp.receiveArp(
      { ifIndex: 0, op: "request", senderIp: ip, senderMac: mac, targetIp: target, targetMac: "00:00:00:00:00:00" },
      this.now,
    );
  }
  garp(ip = X, mac = MAC_X) {
    return this.arp.receiveArp(
      { ifIndex: 0, op: "reply", senderIp: ip, senderMac: mac, targetIp: ip, targetMac: "ff:ff:ff:ff:ff:ff" },
      this.now,
    );
  }
  ip(ip = X) {
    return this.arp.receiveIp(0, ip, this.now);
  }
  requests() {
    return this.arp.drainRequests();
  }
  released() {
    return this.arp.drainReleased();
  }
  counter(name: ArpCounterName): number {
    return this.arp.counters()[name];
  }
  state(ip = X) {
    return this.arp.state(0, ip);
  }
  entry(ip = X) {
    return this.arp.entries(0).find((e) => e.ip === ip);
  }
  /** Runs X through three unanswered requests into NEXIST. */
  toNexist(ip = X): void {
    this.resolve(ip);
    for (let k = 0; k < 3; k++) this.tick(1000);
    assert.equal(this.state(ip), "nexist");
    this.requests();
    this.released();
  }
  /** Resolves X to PRESENT with a solicited reply. */
  toPresent(ip = X, mac = MAC_X): void {
    this.resolve(ip);
    this.at(1).reply(ip, mac);
    assert.equal(this.state(ip), "present");
    this.requests();
    this.released();
  }
}

interface Row {
  row: number;
  title: string;
  check(make: (o: ArpOptions) => Table): void;
}

const ROWS: Row[] = [
  {
    row: 1,
    title: "ABSENT + resolve, slot and tokens → INCOMPLETE[1], packet queued, one broadcast request",
    check(make) {
      const b = new Bench(make);
      assert.deepEqual(b.resolve(), { status: "queued", handle: 0 });
      assert.equal(b.state(), "incomplete");
      assert.equal(b.entry()!.requests, 1);
      const out = b.requests();
      assert.equal(out.length, 1);
      assert.deepEqual(
        { op: out[0]!.op, target: out[0]!.targetIp, mac: out[0]!.targetMac, sender: out[0]!.senderIp },
        { op: "request", target: X, mac: null, sender: OUR_IP },
      );
      assert.equal(b.counter("admitted"), 1);
    },
  },
  {
    row: 2,
    title: "ABSENT + resolve without tokens or slots → dropped, no entry, no request",
    check(make) {
      // Tokens: a bucket of exactly N = 3 admits one resolution, whose retries it owes.
      const b = new Bench(make, { requestBurst: 3, requestRate: 1, refreshReserve: 0 });
      b.resolve(X);
      assert.deepEqual(b.resolve(Y), { status: "dropped", reason: "rate-limited", icmp: false });
      assert.equal(b.state(Y), "absent");
      assert.deepEqual(
        b.requests().map((r) => r.targetIp),
        [X],
      );
      assert.equal(b.counter("admitRefusedRate"), 1);
      // Slots: 16 INCOMPLETE entries, the 17th is refused.
      const s = new Bench(make, { incompleteEntries: 16 });
      for (let k = 0; k < 16; k++) assert.equal(s.resolve(`10.0.1.${k + 1}`).status, "queued");
      assert.deepEqual(s.resolve(Y), { status: "dropped", reason: "no-slot", icmp: false });
      assert.equal(s.state(Y), "absent");
      assert.equal(s.counter("admitRefusedSlots"), 1);
      assert.equal(s.requests().length, 16);
    },
  },
  {
    row: 3,
    title: "INCOMPLETE + resolve → queued without a request, keeping the first and the newest",
    check(make) {
      const b = new Bench(make, { queuePerEntry: 3 });
      const handles = [0, 1, 2, 3, 4].map(() => b.resolve());
      assert.deepEqual(
        handles.map((h) => (h.status === "queued" ? h.handle : -1)),
        [0, 1, 2, 3, 4],
      );
      assert.equal(b.requests().length, 1);
      assert.deepEqual(
        b.released().map((r) => [r.handle, r.status === "dropped" && r.reason]),
        [
          [1, "queue-overflow"],
          [2, "queue-overflow"],
        ],
      );
      assert.equal(b.entry()!.queued, 3);
      assert.equal(b.counter("incompleteQueued"), 4);
      assert.equal(b.counter("queueOverflow"), 2);
      b.at(1).reply();
      assert.deepEqual(
        b.released().map((r) => r.handle),
        [0, 3, 4],
        "the first packet, then the newest, in order",
      );
    },
  },
  {
    row: 4,
    title: "INCOMPLETE[n < N] + tick at due → another broadcast, INCOMPLETE[n+1]",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      b.requests();
      b.tick(999);
      assert.equal(b.requests().length, 0);
      b.tick(1);
      const out = b.requests();
      assert.deepEqual(
        out.map((r) => [r.targetIp, r.targetMac]),
        [[X, null]],
      );
      assert.equal(b.entry()!.requests, 2);
      assert.equal(b.counter("retries"), 1);
    },
  },
  {
    row: 5,
    title: "INCOMPLETE + tick at due with the request ring full → deferred by t1",
    check(make) {
      const b = new Bench(make, { requestRing: 1 });
      b.resolve();
      b.tick(1000);
      assert.equal(b.counter("retryDeferred"), 1);
      assert.equal(b.entry()!.requests, 1);
      assert.equal(b.requests().length, 1);
      b.tick(1000);
      assert.equal(b.entry()!.requests, 2);
      assert.equal(b.counter("retries"), 1);
    },
  },
  {
    row: 6,
    title: "INCOMPLETE[N] + tick t1 after the N-th request → NEXIST, queue dropped with ICMP",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      b.resolve();
      b.tick(1000);
      b.tick(1000);
      b.tick(999);
      assert.equal(b.state(), "incomplete");
      b.tick(1);
      assert.equal(b.state(), "nexist");
      assert.deepEqual(
        b.released(),
        [0, 1].map((handle) => ({ handle, ifIndex: 0, ip: X, status: "dropped", reason: "resolve-failed", icmp: true })),
      );
      assert.equal(b.requests().length, 3);
      assert.equal(b.counter("resolveFailed"), 1);
      assert.equal(b.entry()!.expiresAt, b.now + 300_000);
    },
  },
  {
    row: 7,
    title: "INCOMPLETE + solicited reply → PRESENT, queued packets sent in order",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      b.resolve();
      b.at(3).reply();
      assert.equal(b.state(), "present");
      assert.deepEqual(
        b.released(),
        [0, 1].map((handle) => ({ handle, ifIndex: 0, ip: X, status: "sent", mac: MAC_X })),
      );
      assert.equal(b.entry()!.unconfirmed, false);
      assert.equal(b.counter("resolved"), 1);
      assert.equal(b.arp.occupancy().incomplete, 0);
    },
  },
  {
    row: 8,
    title: "INCOMPLETE + another valid ARP from X (a request) → PRESENT, unconfirmed",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      assert.equal(b.at(5).request().decision, "resolvedUnconfirmed");
      assert.equal(b.state(), "present");
      assert.equal(b.entry()!.unconfirmed, true);
      assert.equal(b.released().length, 1);
    },
  },
  {
    row: 9,
    title: "INCOMPLETE + IP packet from X → unchanged (an IP frame's MAC may be a router's)",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      assert.equal(b.ip(), "incompleteIpIgnored");
      assert.equal(b.state(), "incomplete");
      assert.equal(b.entry()!.requests, 1);
    },
  },
  {
    row: 10,
    title: "NEXIST + resolve → dropped at once with ICMP, no request",
    check(make) {
      const b = new Bench(make);
      b.toNexist();
      assert.deepEqual(b.at(10).resolve(), { status: "dropped", reason: "nexist", icmp: true });
      assert.equal(b.requests().length, 0);
      assert.equal(b.counter("nexistHits"), 1);
    },
  },
  {
    row: 11,
    title: "NEXIST + IP packet from X on its interface → ABSENT (NANOG rule)",
    check(make) {
      const b = new Bench(make);
      b.toNexist();
      assert.equal(b.ip(), "nexistClearedByIp");
      assert.equal(b.state(), "absent");
      assert.equal(b.resolve().status, "queued", "the next packet starts a resolution");
      assert.equal(b.requests().length, 1);
    },
  },
  {
    row: 12,
    title: "NEXIST + valid ARP from X → ABSENT, or PRESENT(unconfirmed) with learnOnNexistClear",
    check(make) {
      const b = new Bench(make);
      b.toNexist();
      assert.equal(b.garp().decision, "nexistClearedByArp");
      assert.equal(b.state(), "absent");
      const l = new Bench(make, { learnOnNexistClear: true });
      l.toNexist();
      assert.equal(l.garp().decision, "nexistClearedByArp");
      assert.equal(l.state(), "present");
      assert.equal(l.entry()!.unconfirmed, true);
      assert.equal(l.counter("nexistLearned"), 1);
    },
  },
  {
    row: 13,
    title: "NEXIST + tick at t2 → ABSENT",
    check(make) {
      const b = new Bench(make);
      b.toNexist();
      b.tick(299_999);
      assert.equal(b.state(), "nexist");
      b.tick(1);
      assert.equal(b.state(), "absent");
      assert.equal(b.counter("nexistExpired"), 1);
    },
  },
  {
    row: 14,
    title: "PRESENT + resolve → the MAC, last use updated",
    check(make) {
      const b = new Bench(make);
      b.toPresent();
      assert.deepEqual(b.at(500).resolve(), { status: "found", mac: MAC_X });
      assert.equal(b.entry()!.lastUsedAt, b.now);
      assert.equal(b.counter("presentHits"), 1);
    },
  },
  {
    row: 15,
    title: "PRESENT + ARP with the same MAC → lifetime restarted; a solicited reply confirms",
    check(make) {
      const b = new Bench(make);
      b.resolve();
      b.at(1).request();
      assert.equal(b.entry()!.unconfirmed, true);
      b.at(10_000);
      assert.equal(b.reply().decision, "presentRefreshed");
      assert.equal(b.entry()!.expiresAt, b.now + 1_200_000);
      assert.equal(b.entry()!.unconfirmed, false);
    },
  },
  {
    row: 16,
    title: "PRESENT + ARP with another MAC within locktime → ignored",
    check(make) {
      const b = new Bench(make);
      b.toPresent();
      assert.equal(b.at(500).reply(X, MAC_Y).decision, "lockIgnored");
      assert.equal(b.entry()!.mac, MAC_X);
    },
  },
  {
    row: 17,
    title: "PRESENT + ARP with another MAC after locktime → moved, unconfirmed",
    check(make) {
      const b = new Bench(make);
      b.toPresent();
      assert.equal(b.at(1000).request(X, MAC_Y).decision, "macMoved");
      assert.equal(b.entry()!.mac, MAC_Y);
      assert.equal(b.entry()!.unconfirmed, true);
      assert.deepEqual(b.resolve(), { status: "found", mac: MAC_Y });
    },
  },
  {
    row: 18,
    title: "PRESENT used recently + tick in the refresh window → ≤ 3 unicast requests, t1 apart",
    check(make) {
      const b = new Bench(make);
      b.toPresent(X);
      b.toPresent(Y, MAC_Y);
      const learned = b.entry()!.expiresAt!;
      b.now = learned - 70_000;
      b.resolve(X); // X is used within recentUseMs of the window; Y is not
      b.now = learned - 60_000;
      for (let k = 0; k < 5; k++) b.tick(k === 0 ? 0 : 1000);
      const out = b.requests();
      assert.deepEqual(
        out.map((r) => [r.targetIp, r.targetMac, r.time - out[0]!.time]),
        [
          [X, MAC_X, 0],
          [X, MAC_X, 1000],
          [X, MAC_X, 2000],
        ],
      );
      assert.equal(b.counter("refreshSent"), 3);
      assert.equal(b.entry()!.refreshing, true);
      b.at(1).reply();
      assert.equal(b.entry()!.refreshing, false, "the reply confirms and restarts the lifetime");
    },
  },
  {
    row: 19,
    title: "PRESENT + tick at expiry → ABSENT, no NEXIST",
    check(make) {
      const b = new Bench(make, { refreshProbes: 0 });
      b.toPresent();
      b.tick(1_200_000 - 1);
      assert.equal(b.state(), "present");
      b.tick(1);
      assert.equal(b.state(), "absent");
      assert.equal(b.counter("presentExpired"), 1);
      assert.equal(b.arp.occupancy().nexist, 0);
    },
  },
  {
    row: 20,
    title: "STATIC + any ARP → ignored; never expires",
    check(make) {
      const b = new Bench(make);
      b.arp.addStatic(0, X, MAC_X, b.now);
      assert.equal(b.at(5000).reply(X, MAC_Y).decision, "staticProtected");
      assert.equal(b.at(5000).request(X, MAC_Y).decision, "staticProtected");
      b.tick(10 * 3_600_000);
      assert.equal(b.state(), "static");
      assert.deepEqual(b.resolve(), { status: "found", mac: MAC_X });
    },
  },
  {
    row: 21,
    title: "ABSENT + request for our address → reply; learned only into a free PRESENT slot",
    check(make) {
      const b = new Bench(make, { presentEntries: 1 });
      assert.deepEqual(b.request(X, MAC_X, OUR_IP), { decision: "learnedFromRequest", replied: true });
      assert.equal(b.state(), "present");
      assert.equal(b.entry()!.unconfirmed, true);
      assert.deepEqual(b.at(1).request(Y, MAC_Y, OUR_IP), { decision: "requestNotLearned", replied: true });
      assert.equal(b.state(Y), "absent");
      assert.equal(b.state(X), "present", "an unsolicited request never evicts");
      assert.deepEqual(
        b.requests().map((r) => [r.op, r.targetIp, r.targetMac]),
        [
          ["reply", X, MAC_X],
          ["reply", Y, MAC_Y],
        ],
      );
    },
  },
  {
    row: 22,
    title: "ABSENT + unsolicited reply or GARP → ignored; learned with acceptUnsolicited",
    check(make) {
      const b = new Bench(make);
      assert.equal(b.reply().decision, "unsolicitedIgnored");
      assert.equal(b.garp(Y, MAC_Y).decision, "unsolicitedIgnored");
      assert.equal(b.state(), "absent");
      assert.equal(b.counter("unsolicitedIgnored"), 2);
      const a = new Bench(make, { acceptUnsolicited: true });
      assert.equal(a.garp().decision, "unsolicitedLearned");
      assert.equal(a.state(), "present");
    },
  },
  {
    row: 23,
    title: "any + clear → dynamic state dropped, queues released as cleared, statics kept",
    check(make) {
      const b = new Bench(make);
      b.toPresent(Y, MAC_Y);
      b.toNexist("10.0.0.11");
      b.arp.addStatic(0, "10.0.0.12", MAC_X, b.now);
      b.resolve();
      assert.equal(b.arp.clear({ now: b.now }), 3);
      assert.deepEqual(b.released(), [{ handle: 0, ifIndex: 0, ip: X, status: "dropped", reason: "cleared", icmp: false }]);
      assert.deepEqual(
        [X, Y, "10.0.0.11", "10.0.0.12"].map((ip) => b.state(ip)),
        ["absent", "absent", "absent", "static"],
      );
      assert.equal(b.counter("cleared"), 3);
      assert.equal(b.arp.occupancy().interfaces[0]!.obligations, 0);
    },
  },
  {
    row: 24,
    title: "any state + request for our address → reply (RFC 826), whatever the table holds",
    check(make) {
      const b = new Bench(make);
      b.toNexist();
      const result = b.request(X, MAC_X, OUR_IP);
      assert.equal(result.replied, true);
      const out = b.requests();
      assert.deepEqual(
        out.map((o) => ({ op: o.op, targetIp: o.targetIp, targetMac: o.targetMac, senderIp: o.senderIp, senderMac: o.senderMac })),
        [{ op: "reply", targetIp: X, targetMac: MAC_X, senderIp: OUR_IP, senderMac: OUR_MAC }],
      );
      assert.equal(b.counter("repliesSent"), 1);
      assert.equal(b.counter("requestsSent"), 3, "replies use no request tokens");
    },
  },
  {
    row: 25,
    title: "ABSENT + evidence of life (GARP, IP, unlearned ARP, cleared NEXIST) → SEEN",
    check(make) {
      const b = new Bench(make);
      b.garp(X);
      assert.equal(b.ip(Y), "seenRecorded");
      b.toNexist("10.0.0.11");
      b.ip("10.0.0.11");
      assert.equal(b.counter("seenRecorded"), 3);
      assert.equal(b.arp.occupancy().interfaces[0]!.seen, 3);
      assert.equal(b.state(X), "absent", "a sighting is not an entry");
      b.tick(60_001);
      assert.equal(b.arp.occupancy().interfaces[0]!.seen, 0, "sightings expire after seenWindowMs");
    },
  },
  {
    row: 26,
    title: "SEEN + resolve within the window → admitted even when only the refresh reserve is left",
    check(make) {
      const b = new Bench(make, { requestBurst: 23, requestRate: 1, refreshReserve: 20 });
      assert.equal(b.resolve(X).status, "queued");
      assert.deepEqual(b.resolve(Y), { status: "dropped", reason: "rate-limited", icmp: false });
      b.garp("10.0.0.11", MAC_Y);
      assert.equal(b.resolve("10.0.0.11").status, "queued");
      assert.equal(b.counter("admittedSeen"), 1);
      assert.equal(b.arp.occupancy().interfaces[0]!.seen, 0);
    },
  },
];

for (const row of ROWS) {
  test(`transition row ${row.row}: ${row.title}`, () => {
    for (const [name, make] of IMPLEMENTATIONS) {
      try {
        row.check(make);
      } catch (error) {
        if (error instanceof Error) error.message = `[${name}] ${error.message}`;
        throw error;
      }
    }
  });
}

test("every row of the table has its test", () => {
  assert.deepEqual(
    ROWS.map((r) => r.row),
    Array.from({ length: 26 }, (_, k) => k + 1),
  );
});
