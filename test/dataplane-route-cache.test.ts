// The route cache as the Dataplane's per-interface switching mode (issue 13): the IOS commands
// that choose the mode (`ip route-cache`, `[no] ip route-cache cef`, `no ip route-cache`,
// `[no] ip cef`, `ip cache-ager-interval`, `ip cache-invalidate-delay`), fast switching end to
// end (a miss process switched and cached, hits fast switched with the cached rewrite), the
// counters by switching path, invalidation by FIB and ARP changes, the ager on packet time
// whatever the batch sizes, and the Code Red effect: a scan fills the cache at the
// granularity rule, process switching every first packet, where CEF keeps no cache at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { parseIosConfig, renderRunningConfig, ConfigLineError } from "../src/dataplane/config/parse.js";
import { dataplaneOptionsFromConfig } from "../src/dataplane/config/options.js";
import { PacketBatch } from "../src/packet/batch.js";
import { ipv4Frame, arpFrame, arpFields } from "./helpers/router-frames.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePcap } from "../src/packet/writer.js";
import { showCommands } from "../src/show/commands.js";

const TWO = `
interface GigabitEthernet0/0
 mac-address 0000.0c00.0001
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
`;

const roundTrip = (text: string) => {
  const c = parseIosConfig(text);
  assert.deepEqual(parseIosConfig(renderRunningConfig(c)), c, "show running-config reads back to the same configuration");
  return c;
};

const modes = (text: string) => dataplaneOptionsFromConfig(roundTrip(text)).interfaces.map((f) => f.switching ?? "cef");

test("ip route-cache alone leaves CEF switching (CEF takes precedence, as in IOS)", () => {
  assert.deepEqual(modes(`${TWO}interface GigabitEthernet0/0\n ip route-cache\n`), ["cef", "cef"]);
});

test("no ip route-cache cef: the interface is fast switched through the route cache", () => {
  const text = `${TWO}interface GigabitEthernet0/0\n no ip route-cache cef\n`;
  assert.deepEqual(modes(text), ["fast", "cef"]);
  assert.match(renderRunningConfig(parseIosConfig(text)), /interface GigabitEthernet0\/0\n(?: .*\n)* no ip route-cache cef\n/);
  const dp = Dataplane.fromConfig(text);
  assert.deepEqual(dp.switching, ["fast", "cef"]);
  assert.ok(dp.routeCache, "a fast-switching interface brings the route cache");
  dp.dispose();
});

test("no ip route-cache: process switching (kept as no ip route-cache cef and no ip route-cache)", () => {
  const text = `${TWO}interface GigabitEthernet0/1\n no ip route-cache\n`;
  const c = roundTrip(text);
  assert.deepEqual(c.interfaces[1]!.routeCache, [
    { mode: "cef", enabled: false },
    { mode: "fast", enabled: false },
  ]);
  assert.deepEqual(modes(text), ["cef", "process"]);
  const dp = Dataplane.fromConfig(text);
  assert.equal(dp.routeCache, undefined, "no fast-switching interface, no route cache");
  dp.dispose();
});

test("ip route-cache cef after no ip route-cache: CEF again; ip route-cache after it: fast", () => {
  assert.deepEqual(modes(`${TWO}interface GigabitEthernet0/0\n no ip route-cache\n ip route-cache cef\n`), ["cef", "cef"]);
  assert.deepEqual(modes(`${TWO}interface GigabitEthernet0/0\n no ip route-cache\n ip route-cache\n`), ["fast", "cef"]);
  assert.deepEqual(modes(`${TWO}interface GigabitEthernet0/0\n ip route-cache cef\n no ip route-cache\n ip route-cache\n`), [
    "fast",
    "cef",
  ]);
});

test("no ip cef: every interface fast switched, unless no ip route-cache", () => {
  assert.deepEqual(modes(`no ip cef\n${TWO}interface GigabitEthernet0/1\n no ip route-cache\n`), ["fast", "process"]);
  assert.deepEqual(modes(`ip cef\n${TWO}`), ["cef", "cef"]);
});

test("ip cache-invalidate-delay MIN MAX QUIET THRESHOLD and ip cache-ager-interval set the Dataplane's route cache", () => {
  const text = `service internal\nno ip cef\nip cache-ager-interval 30 5 25\nip cache-invalidate-delay 1 4 2 3\n${TWO}`;
  const c = roundTrip(text);
  assert.deepEqual(c.cacheInvalidateDelay, { minimum: 1, maximum: 4, quiet: 2, threshold: 3 });
  const dp = Dataplane.fromConfig(text);
  assert.deepEqual(dp.routeCache!.timers, {
    agerIntervalSeconds: 30,
    agerLowMemoryDivisor: 5,
    agerNormalDivisor: 25,
    minimumSeconds: 1,
    maximumSeconds: 4,
    quietSeconds: 2,
    threshold: 3,
  });
  dp.dispose();
  // A budget given beside the configuration keeps the configured timers.
  const budgeted = Dataplane.fromConfig(text, { routeCache: { maxBytes: 8 * 1024 * 1024 } });
  assert.equal(budgeted.routeCache!.timers.agerNormalDivisor, 25);
  assert.equal(budgeted.core.memory().components.find((c) => c.kind === "route-cache")!.reservedBytes, 8 * 1024 * 1024);
  budgeted.dispose();
  for (const bad of [
    "ip cache-invalidate-delay 5 4 2 0",
    "ip cache-invalidate-delay 1 4 0 0",
    "ip cache-invalidate-delay 1 4 2",
    "ip cache-invalidate-delay 1 4 2 0 9",
  ]) {
    assert.throws(() => parseIosConfig(`service internal\n${bad}\n`), ConfigLineError, bad);
  }
});

test("Dataplane options: switching must be cef, fast or process", () => {
  assert.throws(
    () => new Dataplane({ interfaces: [{ name: "E0", mac: "02:00:00:00:00:01", switching: "optimum" as "fast" }] }),
    /switching must be cef, fast or process/,
  );
});

// ---------------------------------------------------------------------------------------------
// Fast switching end to end

const FAST = `${TWO}
interface GigabitEthernet0/0
 no ip route-cache cef
interface GigabitEthernet0/1
 no ip route-cache cef
ip route 10.0.0.0 255.0.0.0 198.51.100.2
`;

/** A router and a clock: `send` runs IPv4 packets in on Gi0/0, `answer` is the next hop answering ARP. */
function rig(text: string, options: Parameters<typeof Dataplane.fromConfig>[1] = {}) {
  const dp = Dataplane.fromConfig(text, { seed: 3, ...options });
  const batch = new PacketBatch({ core: dp.core, capacity: 512, frameBytes: 512 * 80 });
  const send = (dsts: string[], time: number | number[], from = 0) => {
    batch.clear();
    for (const [k, dst] of dsts.entries()) {
      const frame = ipv4Frame({
        srcMac: "0a:00:00:00:00:09",
        dstMac: "00:00:0c:00:00:01",
        src: "192.0.2.7",
        dst,
        protocol: 6,
        ttl: 64,
        dstPort: 80,
      });
      batch.push({ frame, time: typeof time === "number" ? time : time[k]!, interface: from, linkType: 1, wireLength: frame.length });
    }
    const r = dp.process(batch);
    return { verdicts: dsts.map((_, i) => r.verdict(i)), output: r.output, frames: dsts.map((_, i) => batch.frame(i).slice()) };
  };
  /** Answers every ARP request in `output` (as the next hop, or a proxy-ARP upstream), with `mac`. */
  const answer = (output: { kind: string; interface: number; frame: Uint8Array }[], time: number, mac = "0a:00:00:00:02:02") => {
    batch.clear();
    for (const o of output) {
      if (o.kind !== "arp-request") continue;
      const f = arpFields(o.frame);
      const frame = arpFrame({
        op: 2,
        ethDst: "00:00:0c:00:00:02",
        senderMac: mac,
        senderIp: f.targetIp,
        targetMac: "00:00:0c:00:00:02",
        targetIp: f.senderIp,
      });
      batch.push({ frame, time, interface: o.interface, linkType: 1, wireLength: frame.length });
    }
    return dp.process(batch).output;
  };
  return { dp, send, answer, dispose: () => (batch.dispose(), dp.dispose()) };
}

test("fast switching: a miss is process switched (FIB and ARP) and cached, then hits are fast switched with the cached rewrite", () => {
  const r = rig(FAST);
  try {
    const first = r.send(["10.1.2.3"], 1000);
    assert.equal(first.verdicts[0]!.verdict, "queued", "the next hop needs ARP");
    r.answer(first.output, 1001);
    let s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.processSwitched, s.unresolved, s.adds, s.entries], [1, 1, 0, 0], "a packet held for ARP leaves no entry");
    const second = r.send(["10.1.2.3"], 1002);
    assert.equal(second.verdicts[0]!.verdict, "forwarded");
    s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.processSwitched, s.adds, s.entries], [2, 1, 1], "the first packet after ARP builds the entry");
    const entry = r.dp.routeCache!.entries()[0]!;
    assert.deepEqual(
      { prefix: entry.prefix, interface: entry.interface, nextHop: entry.nextHop, header: entry.header },
      { prefix: "10.0.0.0/8", interface: "GigabitEthernet0/1", nextHop: "198.51.100.2", header: "0A000000020200000C0000020800" },
    );
    // Every other 10/8 destination hits the /8 entry: fast switched, rewritten as CEF would.
    const third = r.send(["10.9.9.9", "10.200.0.1", "10.1.2.3"], 1003);
    for (const v of third.verdicts) assert.deepEqual(v, { verdict: "forwarded", interface: 1, mac: "0a:00:00:00:02:02" });
    assert.deepEqual([...third.frames[0]!.subarray(0, 12)], [0x0a, 0, 0, 0, 2, 2, 0, 0, 0x0c, 0, 0, 2]);
    assert.equal(third.frames[0]![14 + 8], 63, "TTL one lower");
    s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.lookups, s.fastSwitched, s.processSwitched], [5, 3, 2]);
    const c = r.dp.counters();
    assert.deepEqual(c.switching, { cef: 0, fast: 3, process: 2 });
    const gi0 = r.dp.interfaceCounters()[0]!.switching;
    const gi1 = r.dp.interfaceCounters()[1]!.switching;
    assert.deepEqual([gi0.fast.packetsIn, gi0.process.packetsIn, gi0.cef.packetsIn], [3, 2, 0]);
    assert.deepEqual([gi1.fast.packetsOut, gi1.process.packetsOut], [3, 2], "the released packet leaves on its process path");
    assert.equal(
      gi0.fast.bytesIn,
      third.frames.reduce((n, f) => n + f.length, 0),
    );
  } finally {
    r.dispose();
  }
});

test("process switching: every IPv4 packet process switched, no cache; CEF: every packet CEF switched", () => {
  for (const [mode, line] of [
    ["process", " no ip route-cache"],
    ["cef", " ip route-cache cef"],
  ] as const) {
    const r = rig(
      `${TWO}arp 198.51.100.2 0a00.0000.0202 arpa\nip route 10.0.0.0 255.0.0.0 198.51.100.2\ninterface GigabitEthernet0/0\n${line}\n`,
    );
    try {
      const out = r.send(["10.1.1.1", "10.1.1.1", "10.2.2.2"], 1000);
      assert.ok(out.verdicts.every((v) => v.verdict === "forwarded"));
      assert.equal(r.dp.routeCache, undefined);
      assert.deepEqual(r.dp.counters().switching, { cef: mode === "cef" ? 3 : 0, fast: 0, process: mode === "process" ? 3 : 0 });
      assert.equal(r.dp.interfaceCounters()[1]!.switching[mode].packetsOut, 3);
    } finally {
      r.dispose();
    }
  }
});

test("FIB changes through the Dataplane invalidate the route cache after the invalidate delay", () => {
  const r = rig(`${FAST}arp 198.51.100.2 0a00.0000.0202 arpa\n`);
  try {
    r.send(["10.1.2.3", "10.1.2.4"], 1000);
    assert.equal(r.dp.routeCache!.statistics().entries, 1);
    r.dp.addRoute({ prefix: "10.1.0.0/16", target: { null: true } });
    // Held at least MIN (2 s): the stale /8 entry still switches 10.1/16 meanwhile, as in IOS.
    assert.equal(r.send(["10.1.9.9"], 1500).verdicts[0]!.verdict, "forwarded");
    r.dp.tick(4000);
    const s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.entries, s.fullInvalidations, s.invalidatedFull, s.invalidationRequests], [0, 1, 1, 1]);
    // Rebuilt at the new granularity: the RIB now has a /16 inside 10/8.
    assert.deepEqual(
      r.send(["10.1.9.9", "10.2.0.1"], 4100).verdicts.map((v) => (v.verdict === "dropped" ? v.reason : v.verdict)),
      ["null-adjacency", "forwarded"],
    );
    assert.deepEqual(
      r.dp.routeCache!.entries().map((e) => e.prefix),
      ["10.2.0.0/16"],
    );
  } finally {
    r.dispose();
  }
});

test("an ARP change of a next hop invalidates the entries through it; the next packet rebuilds with the new MAC", () => {
  const r = rig(FAST);
  try {
    r.answer(r.send(["10.1.2.3"], 1000).output, 1001);
    r.send(["10.1.2.3"], 1002);
    assert.equal(r.dp.routeCache!.statistics().entries, 1);
    // Gratuitous ARP: the next hop moved to a new MAC (after the ARP lock time).
    r.answer(
      [
        {
          kind: "arp-request",
          interface: 1,
          frame: arpFrame({
            op: 1,
            ethDst: "ff:ff:ff:ff:ff:ff",
            senderMac: "00:00:0c:00:00:02",
            senderIp: "198.51.100.1",
            targetMac: "00:00:00:00:00:00",
            targetIp: "198.51.100.2",
          }),
        },
      ],
      5000,
      "0a:00:00:00:02:99",
    );
    const after = r.send(["10.7.7.7"], 5001);
    assert.equal(after.verdicts[0]!.mac, "0a:00:00:00:02:99", "switched with the new MAC, not the cached one");
    const s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.arpInvalidated, s.adds, s.entries, s.processSwitched], [1, 2, 1, 3]);
    assert.equal(r.dp.routeCache!.entries()[0]!.header.slice(0, 12), "0A0000000299");
  } finally {
    r.dispose();
  }
});

test("the route cache's memory comes out of the Dataplane's core budget, and a full cache process-switches without an entry", () => {
  const small = new Dataplane({
    ...dataplaneOptionsFromConfig(
      parseIosConfig(`no ip cef\n${TWO}ip route 0.0.0.0 0.0.0.0 198.51.100.2\narp 198.51.100.2 0a00.0000.0202 arpa\n`),
    ),
    routeCache: { maxBytes: 4 * 1024 * 1024, maxEntries: 2 },
  });
  try {
    const attached = small.core.memory().components.find((a) => a.kind === "route-cache");
    assert.ok(attached, "the route cache is attached to the Dataplane's core");
    assert.equal(attached.reservedBytes, 4 * 1024 * 1024);
    const batch = new PacketBatch({ core: small.core, capacity: 8, frameBytes: 8 * 80 });
    for (const dst of ["11.0.0.1", "12.0.0.1", "13.0.0.1", "13.0.0.2"]) {
      const frame = ipv4Frame({ srcMac: "0a:00:00:00:00:09", dstMac: "00:00:0c:00:00:01", src: "192.0.2.7", dst, protocol: 6, ttl: 64 });
      batch.push({ frame, time: 1000, interface: 0, linkType: 1, wireLength: frame.length });
    }
    const result = small.process(batch);
    assert.deepEqual(Array.from(result.verdicts), [0, 0, 0, 0], "all forwarded");
    const s = small.routeCache!.statistics();
    assert.deepEqual([s.entries, s.adds, s.noMemory, s.processSwitched], [2, 2, 2, 4]);
    batch.dispose();
  } finally {
    small.dispose();
  }
});

// ---------------------------------------------------------------------------------------------
// The ager on packet time

test("the ager runs on the packet-time grid: entries unused for a run go, whatever the batch sizes", () => {
  const text = `service internal\nip cache-ager-interval 1 2 3\n${FAST}arp 198.51.100.2 0a00.0000.0202 arpa\nip route 20.0.0.0 255.0.0.0 198.51.100.2\n`;
  fc.assert(
    fc.property(
      fc.array(fc.record({ dst: fc.constantFrom("10.1.1.1", "20.1.1.1", "10.2.2.2"), gap: fc.constantFrom(0, 50, 400, 1200, 3100) }), {
        minLength: 1,
        maxLength: 60,
      }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
      (packets, cuts) => {
        const outcomes = [packets.length, ...cuts].map((size) => {
          const r = rig(text);
          try {
            let time = 1000;
            const timed = packets.map((p) => ({ dst: p.dst, time: (time += p.gap) }));
            for (let i = 0; i < timed.length; i += size) {
              const chunk = timed.slice(i, i + size);
              r.send(
                chunk.map((p) => p.dst),
                chunk.map((p) => p.time),
              );
            }
            r.dp.tick(time + 5000);
            const { nowMs: _n, ...s } = r.dp.routeCache!.statistics();
            return { s, entries: r.dp.routeCache!.entries(), counters: r.dp.counters().switching };
          } finally {
            r.dispose();
          }
        });
        for (const o of outcomes.slice(1)) assert.deepEqual(o, outcomes[0]);
      },
    ),
    { numRuns: 40 },
  );
});

test("the ager removes an entry unused since its last run, at the configured interval of packet time", () => {
  const r = rig(
    `service internal\nip cache-ager-interval 2 2 3\n${FAST}arp 198.51.100.2 0a00.0000.0202 arpa\nip route 20.0.0.0 255.0.0.0 198.51.100.2\n`,
  );
  try {
    r.send(["10.1.1.1", "20.1.1.1"], 1000);
    assert.equal(r.dp.routeCache!.statistics().entries, 2);
    // Keep 10/8 in use; 20/8 idle. A run examines ceil(n/3) entries each 2 s.
    for (let t = 1500; t <= 12_000; t += 500) r.send(["10.1.1.1"], t);
    const s = r.dp.routeCache!.statistics();
    assert.deepEqual(
      r.dp.routeCache!.entries().map((e) => e.prefix),
      ["10.0.0.0/8"],
    );
    assert.equal(s.aged, 1);
    assert.ok(s.agerRuns >= 5, `ager runs ${s.agerRuns}`);
  } finally {
    r.dispose();
  }
});

// ---------------------------------------------------------------------------------------------
// The Code Red effect

/** Unicast destinations of a scan, off the router's own subnets (192.0.2/24, 198.51.100/24). */
const scanned = (min: number) => fc.integer({ min, max: 0xdfffffff }).filter((a) => a >>> 8 !== 0xc00002 && a >>> 8 !== 0xc63364);

/** The major network of an address (class A /8, B /16, C /24) as a key. */
function majorNet(a: number): string {
  const first = a >>> 24;
  const length = first < 128 ? 8 : first < 192 ? 16 : 24;
  return `${a >>> (32 - length)}/${length}`;
}

test("Code Red: a random scan through a default route fills one entry per major network, process switching every first packet; CEF caches nothing", () => {
  fc.assert(
    fc.property(fc.array(scanned(0x01000000), { minLength: 1, maxLength: 300 }), (targets) => {
      const dsts = targets.map((a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
      const config = `${TWO}ip route 0.0.0.0 0.0.0.0 198.51.100.2\narp 198.51.100.2 0a00.0000.0202 arpa\n`;
      const fast = rig(`no ip cef\n${config}`);
      const cef = rig(config);
      try {
        const scan = (r: typeof fast) => {
          for (let i = 0; i < dsts.length; i += 100) r.send(dsts.slice(i, i + 100), 1000 + i);
        };
        scan(fast);
        scan(cef);
        // Independently: the first packet to each major network misses.
        const seen = new Set<string>();
        let firsts = 0;
        for (const a of targets) {
          const key = majorNet(a);
          if (!seen.has(key)) firsts++;
          seen.add(key);
        }
        const s = fast.dp.routeCache!.statistics();
        assert.equal(s.entries, seen.size, "one entry per major network scanned");
        assert.equal(s.processSwitched, firsts);
        assert.equal(s.fastSwitched, targets.length - firsts);
        assert.equal(s.entryBytes, seen.size * 64, "64 bytes per entry");
        assert.deepEqual(fast.dp.counters().switching, { cef: 0, fast: targets.length - firsts, process: firsts });
        assert.deepEqual(cef.dp.counters().switching, { cef: targets.length, fast: 0, process: 0 });
        assert.equal(cef.dp.routeCache, undefined, "CEF: no route cache");
        const c = fast.dp.counters();
        assert.equal(c.packetsIn, c.forwarded + c.queued + c.punted + c.dropped, "conservation");
        assert.equal(c.forwarded, targets.length);
      } finally {
        fast.dispose();
        cef.dispose();
      }
    }),
    { numRuns: 30 },
  );
});

test("Code Red through a static route to a broadcast interface: one /32 entry per scanned address answered by proxy ARP", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(
        scanned(0x0b000000).filter((a) => a >>> 24 !== 127),
        { minLength: 1, maxLength: 120 },
      ),
      (targets) => {
        const dsts = targets.map((a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
        const config = `no ip cef\n${TWO}ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/1\n`;
        const r = rig(config);
        try {
          // The worm's SYN and its retransmissions (3 s, 6 s later): the first waits for ARP
          // (the upstream's proxy ARP answers for every address), the second is process
          // switched and builds the host's /32 entry, the third is fast switched.
          r.answer(r.send(dsts, 1000).output, 1001);
          const second = r.send(dsts, 4000);
          assert.ok(second.verdicts.every((v) => v.verdict === "forwarded"));
          const third = r.send(dsts, 7000);
          assert.ok(third.verdicts.every((v) => v.verdict === "forwarded"));
          const s = r.dp.routeCache!.statistics();
          assert.equal(s.entries, targets.length, "one /32 per scanned address");
          assert.ok(r.dp.routeCache!.entries().every((e) => e.prefix.endsWith("/32")));
          assert.deepEqual([s.unresolved, s.adds, s.fastSwitched], [targets.length, targets.length, targets.length]);
          assert.equal(s.entryBytes, targets.length * 64);
        } finally {
          r.dispose();
        }
      },
    ),
    { numRuns: 15 },
  );
});

// ---------------------------------------------------------------------------------------------
// The CLI

test("dataplane route prints show interfaces stats and show ip cache; dataplane show runs show ip cache on the router's cache", () => {
  const directory = mkdtempSync(join(tmpdir(), "dataplane-route-cache-"));
  try {
    // 10.1.1.1 every third packet, the others spread over 12 class A networks.
    const dsts = Array.from({ length: 90 }, (_, i) => (i % 3 === 0 ? "10.1.1.1" : `${20 + (i % 12)}.0.${i}.1`));
    const records = dsts.map((dst, i) => ({
      time: 1.7e12 + i * 10,
      bytes: ipv4Frame({ srcMac: "0a:00:00:00:00:09", dstMac: "00:00:0c:00:00:01", src: "192.0.2.7", dst, protocol: 6, ttl: 64 }),
    }));
    const capture = join(directory, "scan.pcap");
    writeFileSync(capture, writePcap(records, { linkType: 1 }));
    const config = join(directory, "router.cfg");
    writeFileSync(config, `no ip cef\n${TWO}ip route 0.0.0.0 0.0.0.0 198.51.100.2\narp 198.51.100.2 0a00.0000.0202 arpa\n`);
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8" });
    const majors = new Set(dsts.map((d) => d.split(".")[0])).size;
    const route = cli("route", capture, "--config", config, "--ip-cache");
    assert.equal(route.status, 0, route.stderr);
    const stats = route.stdout.slice(route.stdout.indexOf("GigabitEthernet0/0\n"));
    assert.match(stats, /^GigabitEthernet0\/0\n {10}Switching path {4}Pkts In {3}Chars In {3}Pkts Out {2}Chars Out\n/);
    const row = (label: string) => new RegExp(`^ *${label} +(\\d+) +(\\d+) +(\\d+) +(\\d+)$`, "m").exec(stats)!.slice(1).map(Number);
    assert.deepEqual(row("Processor").slice(0, 1), [majors], "one process-switched packet per major network");
    assert.deepEqual(row("Route cache").slice(0, 1), [dsts.length - majors]);
    assert.match(route.stdout, new RegExp(`Switching: 0 CEF switched, ${dsts.length - majors} fast switched, ${majors} process switched`));
    assert.match(route.stdout, new RegExp(`^IP routing cache ${majors} entries, ${majors * 64} bytes$`, "m"));
    assert.match(route.stdout, /^%CEF not running$/m, "IOS's answer to show ip cef under no ip cef");
    assert.doesNotMatch(route.stdout, /IP CEF with switching/);
    assert.match(route.stdout, /^10\.0\.0\.0\/8 +\d\d:\d\d:\d\d {4}GigabitEthernet0\/1 198\.51\.100\.2$/m);
    const json = cli("route", capture, "--config", config, "--json");
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { counters: { switching: unknown }; routeCache: { statistics: { entries: number } } };
    assert.deepEqual(parsed.counters.switching, { cef: 0, fast: dsts.length - majors, process: majors });
    assert.equal(parsed.routeCache.statistics.entries, majors);
    const show = cli(
      "show",
      capture,
      "show ip cache 10.0.0.0 255.0.0.0",
      "sh ip cache verb | include ^ +14 ",
      "show interfaces stats",
      "--config",
      config,
    );
    assert.equal(show.status, 0, show.stderr);
    const blocks = show.stdout.split("Router#").slice(1);
    assert.match(blocks[0]!, new RegExp(`IP routing cache ${majors} entries`));
    assert.equal(blocks[0]!.match(/^\d+\.\d+\.\d+\.\d+\/\d+ /gm)!.length, 1, "only the entries inside 10/8");
    assert.equal(blocks[1]!.trim().split("\n").length - 1, majors, "a 14-byte MAC header line per entry");
    assert.match(blocks[2]!, /Route cache/);
    const none = cli("show", capture, "show ip cache");
    assert.equal(none.status, 2);
    assert.match(none.stdout, /% The route cache is not enabled/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("show registry: show ip cache [verbose] [PREFIX MASK] beside show ip cache flow and show ip cache verbose flow", () => {
  const words = (line: string) => showCommands.resolve(line).definition.words.join(" ");
  assert.equal(words("show ip cache"), "show ip cache");
  assert.equal(words("sh ip cache v"), "show ip cache");
  assert.equal(words("show ip cache 10.0.0.0 255.0.0.0"), "show ip cache");
  assert.equal(words("show ip cache flow"), "show ip cache flow");
  assert.equal(words("sh ip cache verbose flow"), "show ip cache verbose flow");
  const r = rig(`${FAST}arp 198.51.100.2 0a00.0000.0202 arpa\nip route 20.0.0.0 255.0.0.0 198.51.100.2\n`);
  try {
    r.send(["10.1.1.1", "20.1.1.1"], 1000);
    const context = { now: 61_000, components: { routeCache: r.dp.routeCache, interfaceCounters: r.dp.interfaceCounters() } };
    const plain = showCommands.run("show ip cache 10.0.0.0 255.0.0.0", context);
    assert.deepEqual(
      plain.lines.filter((l) => /^\d/.test(l)),
      ["10.0.0.0/8             00:01:00    GigabitEthernet0/1 198.51.100.2"],
    );
    const verbose = showCommands.run("sh ip cache verb", context);
    assert.ok(verbose.lines.includes(`${" ".repeat(19)}14  0A000000020200000C0000020800`), verbose.lines.join("\n"));
    assert.equal((verbose.json as { entries: unknown[] }).entries.length, 2);
    const stats = showCommands.run("show interfaces stats | include Route cache", context);
    assert.equal(stats.lines.length, 2, "one Route cache row per interface");
    assert.throws(() => showCommands.run("show ip cache 10.0.0.0", context), /show ip cache arguments/);
    assert.throws(() => showCommands.run("show ip cache", { now: 0 }), /route cache is not enabled/);
    assert.throws(() => showCommands.run("show interfaces stats now", context), /expected show interfaces stats/);
  } finally {
    r.dispose();
  }
});

test("a miss forwarded out of an interface with no ip route-cache leaves no entry (IOS fast-switches by the outgoing interface)", () => {
  const r = rig(
    `${TWO}arp 198.51.100.2 0a00.0000.0202 arpa\nip route 10.0.0.0 255.0.0.0 198.51.100.2\ninterface GigabitEthernet0/0\n no ip route-cache cef\ninterface GigabitEthernet0/1\n no ip route-cache\n`,
  );
  try {
    const out = r.send(["10.1.1.1", "10.1.1.1", "10.2.2.2"], 1000);
    assert.ok(out.verdicts.every((v) => v.verdict === "forwarded"));
    const s = r.dp.routeCache!.statistics();
    assert.deepEqual([s.entries, s.adds, s.uncacheable, s.processSwitched, s.fastSwitched], [0, 0, 3, 3, 0]);
  } finally {
    r.dispose();
  }
});
