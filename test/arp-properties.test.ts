// Properties P1–P11 of research §8.5 on random interleavings of resolve / receiveArp /
// receiveIp / tick, with a manual clock and a small simulated LAN: "live" neighbours answer our
// requests 1 ms later, "dead" ones never do.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ArpTable,
  ReferenceArpTable,
  type ArpOptions,
  type ArpInterfaceOptions,
  type ArpOutput,
  type ArpRelease,
  type ArpResolveResult,
} from "../src/index.js";
import { OUR_MAC, OUR_IP } from "./arp-helpers.js";

const LIVE = ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"];
const DEAD = ["10.0.0.20", "10.0.0.21", "10.0.0.22", "10.0.0.23", "10.0.0.24", "10.0.0.25", "10.0.0.26", "10.0.0.27"];
const macOf = (ip: string) => `00:11:22:33:44:${Number(ip.split(".")[3]).toString(16).padStart(2, "0")}`;

type Step =
  | { kind: "advance"; ms: number }
  | { kind: "resolve"; ip: string }
  | { kind: "batch"; ips: string[] }
  | { kind: "tick" }
  | { kind: "ip"; ip: string }
  | { kind: "arp"; op: 1 | 2; ip: string; forUs: boolean; mac?: string }
  | { kind: "probe" };

const anyAddress = fc.constantFrom(...LIVE, ...DEAD);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(0, 1, 10, 250, 999, 1000, 1500, 5000, 20_000, 70_000).map((ms) => ({ kind: "advance" as const, ms })),
  },
  { weight: 5, arbitrary: anyAddress.map((ip) => ({ kind: "resolve" as const, ip })) },
  { weight: 2, arbitrary: fc.array(anyAddress, { maxLength: 6 }).map((ips) => ({ kind: "batch" as const, ips })) },
  { weight: 4, arbitrary: fc.constant({ kind: "tick" as const }) },
  { weight: 1, arbitrary: anyAddress.map((ip) => ({ kind: "ip" as const, ip })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(1 as const, 2 as const),
        anyAddress,
        fc.boolean(),
        fc.option(fc.constantFrom("00:aa:00:00:00:01", "00:aa:00:00:00:02"), { nil: undefined }),
      )
      .map(([op, ip, forUs, mac]) => ({ kind: "arp" as const, op, ip, forUs, ...(mac === undefined ? {} : { mac }) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "probe" as const }) },
);

const iface: fc.Arbitrary<Partial<ArpInterfaceOptions>> = fc
  .record({
    requestsPerResolution: fc.integer({ min: 1, max: 5 }),
    retryMode: fc.constantFrom("timer" as const, "demand" as const),
    retransmitMs: fc.constantFrom(100, 1000, 2000),
    presentEntries: fc.integer({ min: 1, max: 8 }),
    queuePerEntry: fc.integer({ min: 1, max: 4 }),
    queuePerInterface: fc.integer({ min: 1, max: 16 }),
    requestRate: fc.integer({ min: 1, max: 50 }),
    burstExtra: fc.integer({ min: 0, max: 10 }),
    refreshReserve: fc.integer({ min: 0, max: 3 }),
    presentLifetimeMs: fc.constantFrom(60_000, 120_000),
    refreshWindowMs: fc.constantFrom(5000, 30_000),
    recentUseMs: fc.constantFrom(10_000, 60_000),
    tickWork: fc.integer({ min: 1, max: 8 }),
    requestRing: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ burstExtra, ...p }) => ({
    ...p,
    requestBurst: p.requestsPerResolution + p.refreshReserve + burstExtra,
    nexistEntries: 16,
    incompleteEntries: 16,
    nexistHoldMs: 20_000,
  }));

const options = (i: Partial<ArpInterfaceOptions>, seed = 3): ArpOptions => ({
  seed,
  interfaces: [{ mac: OUR_MAC, addresses: ["10.0.0.1/24"], ...i }],
});

interface Trace {
  requests: ArpOutput[];
  replies: ArpOutput[];
  releases: ArpRelease[];
  results: { ip: string; time: number; result: ArpResolveResult }[];
  /** Times at which each address showed life (ARP or IP from it). */
  evidence: Map<string, number[]>;
  /** Requests for our address that passed the gate, by time. */
  asked: { ip: string; time: number }[];
  issued: number;
  /** Each drained release with the sequence number of the resolve that issued its handle. */
  released: { ip: string; status: string; seq: number }[];
  /** Handles issued and not yet released. */
  open: Map<number, number>;
  end: number;
}

/** Runs steps on a table, answering requests for live neighbours 1 ms later. Calls `check` after each step. */
function runWorld(arp: ArpTable | ReferenceArpTable, steps: Step[], check?: (time: number) => void): Trace {
  const trace: Trace = {
    requests: [],
    replies: [],
    releases: [],
    results: [],
    evidence: new Map(),
    asked: [],
    issued: 0,
    released: [],
    open: new Map(),
    end: 0,
  };
  let now = 10_000;
  let pending: { ip: string; at: number }[] = [];
  const life = (ip: string) => {
    const list = trace.evidence.get(ip) ?? [];
    list.push(now);
    trace.evidence.set(ip, list);
  };
  const drain = () => {
    for (const o of arp.drainRequests()) {
      if (o.op === "reply") trace.replies.push(o);
      else {
        trace.requests.push(o);
        if (LIVE.includes(o.targetIp)) pending.push({ ip: o.targetIp, at: o.time + 1 });
      }
    }
    for (const r of arp.drainReleased()) {
      const seq = trace.open.get(r.handle);
      assert.ok(seq !== undefined, `release of handle ${r.handle}, which is not queued`);
      trace.open.delete(r.handle);
      trace.released.push({ ip: r.ip, status: r.status, seq });
      trace.releases.push(r);
    }
  };
  const deliver = () => {
    const due = pending.filter((p) => p.at <= now);
    pending = pending.filter((p) => p.at > now);
    for (const p of due) {
      arp.receiveArp({ ifIndex: 0, op: "reply", senderIp: p.ip, senderMac: macOf(p.ip), targetIp: OUR_IP, targetMac: OUR_MAC }, now);
      life(p.ip);
    }
  };
  const record = (ip: string, result: ArpResolveResult) => {
    trace.results.push({ ip, time: now, result });
    if (result.status === "queued") {
      assert.ok(!trace.open.has(result.handle), `handle ${result.handle} issued twice before its release`);
      trace.open.set(result.handle, trace.issued++);
    }
  };
  for (const s of steps) {
    switch (s.kind) {
      case "advance":
        // Deliver replies that fall inside the jump at their own time.
        for (const p of [...pending].sort((a, b) => a.at - b.at)) {
          if (p.at > now + s.ms) break;
          now = Math.max(now, p.at);
          deliver();
          drain();
        }
        now += s.ms;
        break;
      case "resolve":
        record(s.ip, arp.resolve(0, s.ip, now));
        break;
      case "batch": {
        for (const ip of s.ips) record(ip, arp.resolve(0, ip, now));
        break;
      }
      case "tick":
        arp.tick(now);
        break;
      case "ip":
        arp.receiveIp(0, s.ip, now);
        life(s.ip);
        break;
      case "arp": {
        const mac = s.mac ?? macOf(s.ip);
        arp.receiveArp(
          {
            ifIndex: 0,
            op: s.op,
            senderIp: s.ip,
            senderMac: mac,
            targetIp: s.forUs ? OUR_IP : "10.0.0.99",
            targetMac: s.op === 2 && s.forUs ? OUR_MAC : "00:00:00:00:00:00",
          },
          now,
        );
        life(s.ip);
        if (s.op === 1 && s.forUs) trace.asked.push({ ip: s.ip, time: now });
        break;
      }
      case "probe":
        // RFC 5227 probe for our address: answered, nothing learned.
        arp.receiveArp(
          { ifIndex: 0, op: 1, senderIp: "0.0.0.0", senderMac: "00:aa:00:00:00:09", targetIp: OUR_IP, targetMac: "00:00:00:00:00:00" },
          now,
        );
        trace.asked.push({ ip: "0.0.0.0", time: now });
        break;
    }
    deliver();
    drain();
    check?.(now);
  }
  trace.end = now;
  return trace;
}

const byTarget = (requests: ArpOutput[]) => {
  const map = new Map<string, number[]>();
  for (const r of requests) map.set(r.targetIp, [...(map.get(r.targetIp) ?? []), r.time]);
  return map;
};

test("P1 spacing: consecutive requests for one address are at least t1 apart", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const trace = runWorld(new ArpTable(options(i)), steps);
      for (const [ip, times] of byTarget(trace.requests)) {
        for (let k = 1; k < times.length; k++)
          assert.ok(times[k]! - times[k - 1]! >= i.retransmitMs!, `${ip}: requests at ${times[k - 1]} and ${times[k]}`);
      }
    }),
    { includeErrorInReport: true },
  );
});

test("P2 per-address bound: a dead address gets at most N requests in any window of t2", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const trace = runWorld(new ArpTable(options(i)), steps);
      const t2 = 20_000;
      for (const [ip, times] of byTarget(trace.requests)) {
        if (!DEAD.includes(ip) || trace.evidence.has(ip)) continue;
        for (let k = 0; k < times.length; k++) {
          const inWindow = times.filter((t) => t >= times[k]! && t < times[k]! + t2).length;
          assert.ok(inWindow <= i.requestsPerResolution!, `${ip}: ${inWindow} requests within t2 from ${times[k]}`);
        }
      }
    }),
    { includeErrorInReport: true },
  );
});

test("P3 global rate: requests in any window W are at most G·W + burst", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const times = runWorld(new ArpTable(options(i)), steps).requests.map((r) => r.time);
      for (let a = 0; a < times.length; a++) {
        for (let b = a; b < times.length; b++) {
          const allowed = i.requestBurst! + (i.requestRate! * (times[b]! - times[a]!)) / 1000;
          assert.ok(b - a + 1 <= allowed, `${b - a + 1} requests in [${times[a]}, ${times[b]}], allowed ${allowed}`);
        }
      }
    }),
    { includeErrorInReport: true },
  );
});

test("P4 bounded state: every pool within its budget, constant memory", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const arp = new ArpTable(options(i));
      const bytes = arp.memoryBytes();
      const tableBytes = arp.occupancy().bytes;
      runWorld(arp, steps, () => {
        const o = arp.occupancy().interfaces[0]!;
        assert.ok(
          o.present <= o.capacity.present &&
            o.static <= o.capacity.static &&
            o.incomplete <= o.capacity.incomplete &&
            o.nexist <= o.capacity.nexist,
        );
        assert.ok(o.queued + o.pendingReleases <= o.capacity.queue);
        for (const e of arp.entries(0)) if (e.state === "incomplete") assert.ok(e.queued! <= i.queuePerEntry!);
        assert.equal(arp.memoryBytes(), bytes);
        assert.equal(o.bytes, tableBytes);
      });
    }),
    { includeErrorInReport: true },
  );
});

test("P5 protection: established neighbours keep their entries and need no ARP under any scan", () => {
  fc.assert(
    fc.property(
      iface,
      fc.array(
        fc.oneof(
          step.filter((s) => !("ip" in s && LIVE.includes(s.ip)) && s.kind !== "batch" && !(s.kind === "advance" && s.ms > 20_000)),
          fc.constant({ kind: "resolve" as const, ip: "10.0.0.2" }),
        ),
        { size: "max", maxLength: 300 },
      ),
      (i, steps) => {
        const arp = new ArpTable(options({ ...i, presentEntries: 8, presentLifetimeMs: 14_400_000 }));
        const established = ["10.0.0.2", "10.0.0.3"];
        established.forEach((ip, k) => {
          assert.equal(arp.resolve(0, ip, 5000 * k).status, "queued");
          arp.receiveArp(
            { ifIndex: 0, op: "reply", senderIp: ip, senderMac: macOf(ip), targetIp: OUR_IP, targetMac: OUR_MAC },
            5000 * k + 1,
          );
          arp.drainRequests();
          arp.drainReleased();
        });
        // The scan only reaches dead addresses; the neighbours are busy: used on every step, never
        // idle for longer than idleEvictMs (an idle entry may give way to a new resolution).
        const scan = steps.map((s) =>
          s.kind === "resolve" && LIVE.includes(s.ip) && !established.includes(s.ip) ? { ...s, ip: "10.0.0.20" } : s,
        );
        let now = 10_000;
        const trace = runWorld(arp, scan, (t) => {
          now = t;
          for (const ip of established) assert.deepEqual(arp.resolve(0, ip, now), { status: "found", mac: macOf(ip) });
        });
        assert.deepEqual(
          trace.requests.filter((r) => established.includes(r.targetIp)),
          [],
        );
        assert.ok(now >= 10_000);
      },
    ),
    { includeErrorInReport: true },
  );
});

test("P6 no loops: a reply that cannot be stored never triggers another request within t2", () => {
  for (const make of [(o: ArpOptions) => new ArpTable(o), (o: ArpOptions) => new ReferenceArpTable(o)]) {
    const arp = make(options({ presentEntries: 1, idleEvictMs: 60_000 }));
    arp.resolve(0, "10.0.0.2", 0);
    arp.receiveArp(
      { ifIndex: 0, op: "reply", senderIp: "10.0.0.2", senderMac: macOf("10.0.0.2"), targetIp: OUR_IP, targetMac: OUR_MAC },
      1,
    );
    assert.deepEqual(arp.resolve(0, "10.0.0.3", 2), { status: "queued", handle: 1 });
    const result = arp.receiveArp(
      { ifIndex: 0, op: "reply", senderIp: "10.0.0.3", senderMac: macOf("10.0.0.3"), targetIp: OUR_IP, targetMac: OUR_MAC },
      3,
    );
    assert.equal(result.decision, "presentFull");
    assert.deepEqual(
      arp.drainReleased().at(-1),
      { handle: 1, ifIndex: 0, ip: "10.0.0.3", status: "sent", mac: macOf("10.0.0.3") },
      "the queued packet still goes out",
    );
    arp.drainRequests();
    for (let t = 10; t < 300_000; t += 997) {
      arp.resolve(0, "10.0.0.2", t); // keeps the neighbour busy: not evictable
      assert.equal(arp.resolve(0, "10.0.0.3", t).status, "dropped");
      arp.receiveIp(0, "10.0.0.3", t);
      arp.receiveArp(
        {
          ifIndex: 0,
          op: "request",
          senderIp: "10.0.0.3",
          senderMac: macOf("10.0.0.3"),
          targetIp: "10.0.0.99",
          targetMac: "00:00:00:00:00:00",
        },
        t,
      );
      arp.tick(t);
      assert.deepEqual(
        arp.drainRequests().filter((r) => r.targetIp === "10.0.0.3"),
        [],
        `request for the unstorable neighbour at ${t}`,
      );
    }
    assert.ok(arp.counters().nexistFullKept > 0);
  }
});

test("P7 liveness: after evidence of life the next packet starts a resolution and is delivered after the reply", () => {
  fc.assert(
    fc.property(fc.constantFrom("ip", "request", "garp"), fc.integer({ min: 1, max: 15_000 }), (evidence, delay) => {
      const arp = new ArpTable(options({}));
      const x = "10.0.0.20";
      arp.resolve(0, x, 0);
      for (const t of [1000, 2000, 3000]) arp.tick(t);
      assert.equal(arp.state(0, x), "nexist");
      const t = 3000 + delay;
      if (evidence === "ip") arp.receiveIp(0, x, t);
      else
        arp.receiveArp(
          {
            ifIndex: 0,
            op: evidence === "garp" ? 2 : 1,
            senderIp: x,
            senderMac: macOf(x),
            targetIp: evidence === "garp" ? x : "10.0.0.99",
            targetMac: "ff:ff:ff:ff:ff:ff",
          },
          t,
        );
      assert.equal(arp.state(0, x), "absent", "NEXIST never outlives evidence of life");
      arp.drainRequests();
      arp.drainReleased();
      const result = arp.resolve(0, x, t + 1);
      assert.equal(result.status, "queued");
      assert.deepEqual(
        arp.drainRequests().map((r) => [r.targetIp, r.time]),
        [[x, t + 1]],
      );
      arp.receiveArp({ ifIndex: 0, op: "reply", senderIp: x, senderMac: macOf(x), targetIp: OUR_IP, targetMac: OUR_MAC }, t + 2);
      assert.deepEqual(arp.drainReleased(), [
        { handle: (result as { handle: number }).handle, ifIndex: 0, ip: x, status: "sent", mac: macOf(x) },
      ]);
    }),
    { includeErrorInReport: true },
  );
});

test("P8 queue accounting: every handle is released exactly once, each queue in order", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const arp = new ArpTable(options(i));
      const trace = runWorld(arp, steps, () => {
        const c = arp.counters();
        const o = arp.occupancy().interfaces[0]!;
        assert.equal(c.handlesIssued, c.releasedSent + c.releasedDropped + o.queued);
      });
      arp.clear({ now: trace.end });
      for (const r of arp.drainReleased()) {
        assert.ok(trace.open.delete(r.handle), `release of handle ${r.handle}, which is not queued`);
      }
      assert.equal(trace.open.size, 0, "every issued handle was released");
      for (let k = 1; k < trace.released.length; k++) {
        const [a, b] = [trace.released[k - 1]!, trace.released[k]!];
        if (a.status === "sent" && b.status === "sent" && a.ip === b.ip) assert.ok(a.seq < b.seq, `${a.ip}: packets sent out of order`);
      }
    }),
    { includeErrorInReport: true },
  );
});

test("P9 RFC 826: requests for our address are answered; nothing is learned from unsolicited replies or from 0.0.0.0", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 300 }), (i, steps) => {
      const arp = new ArpTable(options({ ...i, replyRing: 256 }));
      const learnedFrom = new Set<string>();
      const trace = runWorld(arp, steps, () => {
        for (const e of arp.entries(0)) if (e.state === "present") learnedFrom.add(e.ip);
      });
      assert.deepEqual(
        trace.replies.map((r) => [r.targetIp, r.time]),
        trace.asked.map((a) => [a.ip, a.time]),
      );
      assert.ok(!learnedFrom.has("0.0.0.0"));
      // Only addresses we resolved, or that asked for our address, can ever become PRESENT.
      const asked = new Set(trace.asked.map((a) => a.ip));
      const resolved = new Set(trace.results.map((r) => r.ip));
      for (const ip of learnedFrom) assert.ok(asked.has(ip) || resolved.has(ip), `${ip} learned without being asked for or resolved`);
    }),
    { includeErrorInReport: true },
  );
});

test("P10 determinism: identical trace and clock give identical outputs, whatever the hash key", () => {
  fc.assert(
    fc.property(iface, fc.array(step, { size: "max", maxLength: 200 }), fc.integer(), (i, steps, seed) => {
      const a = runWorld(new ArpTable(options(i, seed)), steps);
      const b = runWorld(new ArpTable(options(i, seed ^ 0x5bd1e995)), steps);
      const c = runWorld(new ReferenceArpTable(options(i)), steps);
      assert.deepEqual(a, b);
      assert.deepEqual(a, c);
    }),
    { includeErrorInReport: true },
  );
});

test("P11 O(1): probe sequences stay short at load 0.5, and a tick does at most tickWork expiries", () => {
  const arp = new ArpTable({
    seed: 11,
    requestRate: 1_000_000,
    requestBurst: 1_000_000,
    incompleteEntries: 65_536,
    retransmitMs: 100,
    requestsPerResolution: 1,
    nexistEntries: 65_536,
    tickWork: 64,
    interfaces: [{ mac: OUR_MAC, addresses: ["10.0.0.1/8"] }],
  });
  const ips = new Uint32Array(60_000);
  let x = 0x0a010101;
  for (let k = 0; k < ips.length; k++) ips[k] = ((x = (x + 0x9e3779b1) >>> 0) & 0x00ffffff) | 0x0a000000;
  const verdicts = new Uint8Array(ips.length);
  for (let k = 0; k < ips.length; k += 1000) {
    arp.resolveBatch(0, ips.subarray(k, k + 1000), k, verdicts.subarray(k, k + 1000));
    arp.tick(k);
    arp.drainRequests();
  }
  arp.tick(ips.length + 1000);
  arp.drainReleased();
  const stats = arp.indexStats(0);
  assert.ok(stats.entries > 50_000, `${stats.entries} entries`);
  assert.ok(stats.entries / stats.capacity <= 0.5);
  assert.ok(stats.longestProbe <= 40, `longest probe ${stats.longestProbe}`);
  // Expiry: all NEXIST entries come due together; each tick removes at most tickWork.
  let before = arp.counters().nexistExpired;
  const hold = 300_000;
  for (let t = ips.length + hold; t < ips.length + hold + 50; t++) {
    arp.tick(t);
    const after = arp.counters().nexistExpired;
    assert.ok(after - before <= 64, `${after - before} expiries in one tick`);
    before = after;
  }
});
