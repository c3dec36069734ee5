// The ARP table's API surface: typed errors for bad input, the §6.2 receive gate, batch
// outputs, the memory formula, the hash, `show arp`, and the Code Red scenario's checks on a
// short run.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ArpTable,
  ReferenceArpTable,
  ArpVerdict,
  ConfigError,
  InterfaceError,
  TimeError,
  AddressError,
  MacError,
  CapacityError,
} from "../src/index.js";
import { arpInterfaceBytes } from "../src/arp/memory.js";
import { normalizeArpOptions } from "../src/arp/options.js";
import { runArpScan, arpScanChecks, scanAddress, scanIndex } from "../src/sim/arp-scan/scenario.js";
import { defaultOptions, OUR_MAC, OUR_IP } from "./arp-helpers.js";

const IMPLEMENTATIONS = [
  (o: ReturnType<typeof defaultOptions>) => new ArpTable(o),
  (o: ReturnType<typeof defaultOptions>) => new ReferenceArpTable(o),
];

test("bad input raises typed errors that name the value", () => {
  for (const make of IMPLEMENTATIONS) {
    const arp = make(defaultOptions());
    assert.throws(
      () => arp.resolve(1, "10.0.0.9", 0),
      (e: unknown) => e instanceof InterfaceError && e.value === 1,
    );
    assert.throws(
      () => arp.resolve(0, "10.0.0.9", -5),
      (e: unknown) => e instanceof TimeError && e.value === -5,
    );
    assert.throws(() => arp.resolve(0, "10.0.0.9", Number.NaN), TimeError);
    assert.throws(
      () => arp.resolve(0, "10.0.0.300", 0),
      (e: unknown) => e instanceof AddressError && e.value === "10.0.0.300",
    );
    assert.throws(
      () => arp.receiveArp({ ifIndex: 0, op: 2, senderIp: "10.0.0.9", senderMac: "zz", targetIp: OUR_IP, targetMac: OUR_MAC }, 0),
      MacError,
    );
    assert.throws(
      () => arp.addStatic(0, "224.0.0.1", "00:11:22:33:44:55", 0),
      (e: unknown) => e instanceof ConfigError && e.value === "224.0.0.1",
    );
  }
  assert.throws(
    () => new ArpTable(defaultOptions({ requestsPerResolution: 9 })),
    (e: unknown) => e instanceof ConfigError && e.value === 9,
  );
  assert.throws(
    () => new ArpTable(defaultOptions({ requestBurst: 10 })),
    (e: unknown) => e instanceof ConfigError && e.value === 10,
  );
  assert.throws(() => new ArpTable({ interfaces: [] }), ConfigError);
  assert.throws(() => new ArpTable(defaultOptions({}, { mac: "01:00:5e:00:00:01" })), ConfigError);
  assert.throws(() => new ArpTable(defaultOptions({ maxBytes: 100_000 })), CapacityError);
  assert.throws(() => new ReferenceArpTable(defaultOptions({ maxBytes: 100_000 })), CapacityError);
});

test("the §6.2 gate: bad operation, sender MAC or address, mismatched Ethernet source, probes, off-link senders", () => {
  for (const make of IMPLEMENTATIONS) {
    const arp = make(defaultOptions());
    const base = { ifIndex: 0, senderIp: "10.0.0.9", senderMac: "00:11:22:33:44:09", targetIp: OUR_IP, targetMac: OUR_MAC };
    const decide = (p: Partial<typeof base> & { op?: number; ethernetSource?: string }) =>
      arp.receiveArp({ op: 2, ...base, ...p }, 10).decision;
    assert.equal(decide({ op: 3 }), "arpBadOp");
    assert.equal(decide({ senderMac: "ff:ff:ff:ff:ff:ff" }), "arpBadSenderMac");
    assert.equal(decide({ senderMac: "01:00:5e:00:00:09" }), "arpBadSenderMac");
    assert.equal(decide({ senderMac: "00:00:00:00:00:00" }), "arpBadSenderMac");
    assert.equal(decide({ senderMac: OUR_MAC }), "arpBadSenderMac");
    assert.equal(decide({ ethernetSource: "00:11:22:33:44:99" }), "arpMacMismatch");
    assert.equal(decide({ senderIp: "224.0.0.9" }), "arpBadSenderIp");
    assert.equal(decide({ senderIp: "10.0.255.255" }), "arpBadSenderIp");
    assert.equal(decide({ senderIp: OUR_IP }), "arpOwnAddress");
    assert.equal(decide({ senderIp: "192.168.1.9" }), "arpOffLink");
    assert.deepEqual(arp.receiveArp({ op: 1, ...base, senderIp: "0.0.0.0", targetMac: "00:00:00:00:00:00" }, 10), {
      decision: "arpProbe",
      replied: true,
    });
    assert.equal(arp.entries().length, 0, "nothing learned from rejected packets");
  }
});

test("resolveBatch writes MACs and handles; the reference agrees", () => {
  const outputs = IMPLEMENTATIONS.map((make) => {
    const arp = make(defaultOptions());
    arp.resolve(0, "10.0.0.9", 0);
    arp.receiveArp({ ifIndex: 0, op: 2, senderIp: "10.0.0.9", senderMac: "00:11:22:33:44:09", targetIp: OUR_IP, targetMac: OUR_MAC }, 1);
    const ips = Uint32Array.of(0x0a000009, 0x0a00000a, 0xe0000001, 0x0a00000a);
    const verdicts = new Uint8Array(4);
    const macs = new Uint8Array(24);
    const handles = new Uint32Array(4);
    arp.resolveBatch(0, ips, 2, verdicts, macs, handles);
    return { verdicts: [...verdicts], macs: [...macs.subarray(0, 6)], handles: [handles[1], handles[3]] };
  });
  assert.deepEqual(outputs[0], {
    verdicts: [ArpVerdict.found, ArpVerdict.queued, ArpVerdict.badTarget, ArpVerdict.queued],
    macs: [0, 0x11, 0x22, 0x33, 0x44, 0x09],
    handles: [1, 2],
  });
  assert.deepEqual(outputs[0], outputs[1]);
});

test("memory: the table's bytes follow the documented formula and never change", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5000 }),
      fc.integer({ min: 16, max: 70_000 }),
      fc.integer({ min: 0, max: 3000 }),
      (present, nexist, seen) => {
        const options = defaultOptions({ presentEntries: present, nexistEntries: nexist, seenEntries: seen });
        const arp = new ArpTable(options);
        assert.equal(arp.occupancy().bytes, arpInterfaceBytes(normalizeArpOptions(options).interfaces[0]!));
      },
    ),
    { numRuns: 20 },
  );
});

test("the one-word SipHash agrees with the general SipHash-1-3", () => {
  const arp = new ArpTable(defaultOptions());
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      (word, k0, k1) => arp.hashSelfTest(word, k0, k1),
    ),
  );
});

test("time that steps back is held and counted, in both implementations", () => {
  for (const make of IMPLEMENTATIONS) {
    const arp = make(defaultOptions());
    arp.resolve(0, "10.0.0.9", 5000);
    arp.tick(1000);
    assert.equal(arp.counters().clockBackwards, 1);
    assert.equal(arp.entries()[0]!.requests, 1, "no retry: time did not move to 1000 + t1");
  }
});

test("show arp: IOS layout, then the INCOMPLETE and NEXIST state", () => {
  const arp = new ArpTable(defaultOptions());
  arp.resolve(0, "10.0.0.9", 0);
  arp.receiveArp({ ifIndex: 0, op: 2, senderIp: "10.0.0.9", senderMac: "00:11:22:33:44:09", targetIp: OUR_IP, targetMac: OUR_MAC }, 1);
  arp.resolve(0, "10.0.0.20", 2);
  arp.resolve(0, "10.0.0.21", 3);
  for (const t of [1003, 2003, 3003]) arp.tick(t);
  arp.resolve(0, "10.0.0.22", 130_000);
  arp.addStatic(0, "10.0.0.5", "00:00:5e:00:01:01", 130_000);
  const text = arp.show();
  const lines = text.split("\n");
  assert.equal(lines[0], "Protocol  Address          Age (min)  Hardware Addr   Type   Interface");
  assert.match(text, /^Internet {2}10\.0\.0\.1 +- +0000\.0c00\.0001 +ARPA +Ethernet0$/m);
  assert.match(text, /^Internet {2}10\.0\.0\.5 +- +0000\.5e00\.0101 +ARPA +Ethernet0$/m);
  assert.match(text, /^Internet {2}10\.0\.0\.9 +2 +0011\.2233\.4409 +ARPA +Ethernet0$/m);
  assert.match(text, /^Internet {2}10\.0\.0\.22 +0 +Incomplete +ARPA$/m);
  assert.match(text, /INCOMPLETE\[1\]/);
  assert.match(text, /^ {2}10\.0\.0\.20 +174 +1$/m, "NEXIST with seconds left (173.003 s, rounded up) and failures");
  assert.match(text, /1 present \(of 4096\), 1 static, 1 incomplete \(of 1024\), 2 nexist \(of 65536\)/);
});

test("Code Red scenario: the checks hold for our table on a short run, and the Linux model loses packets", () => {
  for (const k of [0, 1, 12345, 2 ** 27]) assert.equal(scanIndex(scanAddress(k)), k);
  const result = runArpScan({ rate: 500, seconds: 20, pattern: "syn", rescan: 15 });
  const checks = arpScanChecks(result);
  assert.ok(checks.length >= 6);
  for (const c of checks) assert.ok(c.pass, `${c.check}: ${c.value}`);
  const [ours, linux, rfc826] = result.models;
  assert.ok(linux!.m4.establishedLost > 0, "Linux defaults overflow at 500 addresses/s");
  assert.equal(rfc826!.m1.perAdmitted.max, 3, "RFC 826: one request per SYN and retransmission");
  assert.ok(ours!.m2.total < linux!.m2.total && linux!.m2.total < rfc826!.m2.total);
});
