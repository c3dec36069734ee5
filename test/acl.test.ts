// Access lists as IOS applies them: the WebAssembly matcher (through the Dataplane, `ip
// access-group 101 in`) against the plain reference matcher (src/reference/acl.ts) on random
// lists and packets covering every criterion: protocols, wildcard masks (contiguous or not),
// port operators, established, ICMP type and code, log, non-first fragments; the same decision
// for every packet and the same per-entry counters. Then the parser's forms and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { parseAccessListEntry, type AccessList } from "../src/dataplane/acl.js";
import { ReferenceAccessList } from "../src/reference/acl.js";
import { PacketBatch } from "../src/packet/batch.js";
import { ConfigError } from "../src/errors.js";
import { formatIPv4 } from "../src/net/address.js";
import { ipv4Frame } from "./helpers/router-frames.js";
import { withDebugBuild } from "./helpers/wasm.js";

const BASES = [0x0a000000, 0x0a010203, 0xc0a80100, 0x14000000];
const address = fc.oneof(
  fc.constantFrom(...BASES),
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(...BASES).chain((b) => fc.integer({ min: 0, max: 255 }).map((x) => (b | x) >>> 0)),
);
const wildcard = fc.oneof(
  fc.constantFrom(0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0x00ff00ff, 0x0f0f0f0f),
  fc.integer({ min: 0, max: 32 }).map((n) => (n === 32 ? 0xffffffff : ((1 << n) - 1) >>> 0)),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const addressSpec = fc.oneof(
  fc.constant("any"),
  address.map((a) => `host ${formatIPv4(a)}`),
  fc.tuple(address, wildcard).map(([a, w]) => `${formatIPv4(a)} ${formatIPv4(w)}`),
);
const port = fc.oneof(fc.constantFrom(0, 20, 21, 22, 53, 80, 443, 1023, 1024, 65535), fc.integer({ min: 0, max: 65535 }));
const portSpec = fc.oneof(
  fc.constant(""),
  fc.tuple(fc.constantFrom("eq", "neq", "lt", "gt"), port).map(([op, p]) => ` ${op} ${p}`),
  fc.tuple(port, port).map(([a, b]) => ` range ${Math.min(a, b)} ${Math.max(a, b)}`),
  fc.constantFrom(" eq www", " eq domain", " eq telnet"),
);
const entryText = fc
  .record({
    action: fc.constantFrom("permit", "deny"),
    protocol: fc.constantFrom("ip", "tcp", "udp", "icmp", "47", "6"),
    src: addressSpec,
    srcPort: portSpec,
    dst: addressSpec,
    dstPort: portSpec,
    established: fc.boolean(),
    icmp: fc.constantFrom("", " echo", " echo-reply", " 3", " 3 1", " unreachable", " ttl-exceeded"),
    log: fc.boolean(),
  })
  .map((e) => {
    const ports = e.protocol === "tcp" || e.protocol === "udp" || e.protocol === "6";
    return [
      `${e.action} ${e.protocol} ${e.src}${ports ? e.srcPort : ""} ${e.dst}${ports ? e.dstPort : ""}`,
      e.protocol === "tcp" || e.protocol === "6" ? (e.established ? " established" : "") : "",
      e.protocol === "icmp" ? e.icmp : "",
      e.log ? " log" : "",
    ].join("");
  });

const packet = fc.record({
  src: address,
  dst: address,
  protocol: fc.constantFrom(6, 17, 1, 47),
  srcPort: port,
  dstPort: port,
  tcpFlags: fc.constantFrom(0x002, 0x010, 0x012, 0x004, 0x001, 0x018),
  icmpType: fc.constantFrom(0, 3, 8, 11),
  icmpCode: fc.constantFrom(0, 1, 3),
  fragment: fc.constantFrom(false, false, false, true),
});

type Packet = typeof packet extends fc.Arbitrary<infer T> ? T : never;

const router = (list: AccessList) =>
  new Dataplane({
    interfaces: [
      { name: "Gi0/0", mac: "02:00:00:00:00:01", addresses: ["172.31.0.1/24"], accessGroupIn: list.name },
      { name: "Gi0/1", mac: "02:00:00:00:00:02", addresses: ["172.31.1.1/24"] },
    ],
    routes: [{ prefix: "0.0.0.0/0", target: { null: true } }],
    accessLists: [list],
    maxBatch: 256,
  });

function check(texts: string[], packets: Packet[]): void {
  const list: AccessList = { name: "101", kind: "extended", entries: texts.map((t) => parseAccessListEntry(t, "extended")) };
  const dp = router(list);
  const reference = new ReferenceAccessList(list);
  const batch = new PacketBatch({ core: dp.core, capacity: 256, frameBytes: 256 * 64 });
  try {
    for (const p of packets) {
      const frame = ipv4Frame({
        srcMac: "0a:00:00:00:00:02",
        dstMac: "02:00:00:00:00:01",
        src: formatIPv4(p.src),
        dst: formatIPv4(p.dst),
        protocol: p.protocol,
        ttl: 64,
        srcPort: p.srcPort,
        dstPort: p.dstPort,
        tcpFlags: p.tcpFlags,
        icmpType: p.icmpType,
        icmpCode: p.icmpCode,
        fragmentOffset: p.fragment ? 100 : 0,
      });
      batch.push({ frame, time: 1000, interface: 0, linkType: 1, wireLength: frame.length });
    }
    const result = dp.process(batch);
    packets.forEach((p, i) => {
      const l4 = !p.fragment && (p.protocol === 6 || p.protocol === 17);
      const permit = reference.permits({
        ...p,
        srcPort: l4 ? p.srcPort : 0,
        dstPort: l4 ? p.dstPort : 0,
        tcpFlags: !p.fragment && p.protocol === 6 ? p.tcpFlags : 0,
        icmpType: !p.fragment && p.protocol === 1 ? p.icmpType : 0,
        icmpCode: !p.fragment && p.protocol === 1 ? p.icmpCode : 0,
      });
      // Permitted packets go on (to Null0, or to the router itself for multicast destinations).
      assert.equal(result.verdict(i).reason === "acl-denied", !permit, `packet ${JSON.stringify(p)}`);
    });
    const [counters] = dp.accessListCounters();
    assert.deepEqual(
      counters!.entries.map((e) => e.matches),
      reference.matches,
    );
    assert.equal(counters!.implicitDenies, reference.implicitDenies);
    assert.equal(dp.counters().acl.logged, reference.logged);
    assert.deepEqual(
      counters!.entries.map((e) => e.text),
      texts.map((t) => t.trim().split(/\s+/).join(" ")),
    );
  } finally {
    batch.dispose();
    dp.dispose();
  }
}

const lists = fc.tuple(fc.array(entryText, { minLength: 1, maxLength: 8 }), fc.array(packet, { minLength: 1, maxLength: 64 }));

test("ACL matching equals the reference matcher, with its counters (release)", () => {
  fc.assert(
    fc.property(lists, ([texts, packets]) => check(texts, packets)),
    { numRuns: 200 },
  );
});

test("ACL matching equals the reference matcher, with its counters (debug build)", async () => {
  await withDebugBuild(() =>
    fc.assert(
      fc.property(lists, ([texts, packets]) => check(texts, packets)),
      { numRuns: 40 },
    ),
  );
});

test("first match wins and the implicit deny catches the rest", () => {
  const list: AccessList = {
    name: "101",
    kind: "extended",
    entries: ["deny tcp any any eq www", "permit ip 10.0.0.0 0.255.255.255 any"].map((t) => parseAccessListEntry(t, "extended")),
  };
  const r = new ReferenceAccessList(list);
  const base = {
    src: 0x0a000001,
    dst: 0x14000001,
    protocol: 6,
    srcPort: 4000,
    dstPort: 80,
    tcpFlags: 2,
    icmpType: 0,
    icmpCode: 0,
    fragment: false,
  };
  assert.equal(r.permits(base), false);
  assert.equal(r.permits({ ...base, dstPort: 443 }), true);
  assert.equal(r.permits({ ...base, src: 0x0b000001, dstPort: 443 }), false);
  assert.deepEqual(r.matches, [1, 1]);
  assert.equal(r.implicitDenies, 1);
});

test("entries parse every IOS form", () => {
  const e = parseAccessListEntry("permit tcp 10.0.0.0 0.0.0.255 range 1000 2000 host 192.0.2.1 eq www established log", "extended");
  assert.deepEqual(
    { ...e, text: undefined },
    {
      action: "permit",
      protocol: 6,
      source: { address: 0x0a000000, wildcard: 0xff },
      sourcePort: { op: "range", low: 1000, high: 2000 },
      destination: { address: 0xc0000201, wildcard: 0 },
      destinationPort: { op: "eq", low: 80 },
      established: true,
      log: true,
      text: undefined,
    },
  );
  const s = parseAccessListEntry("deny 192.0.2.7", "standard");
  assert.deepEqual(s.source, { address: 0xc0000207, wildcard: 0 });
  const icmp = parseAccessListEntry("permit icmp any any 3 1", "extended");
  assert.equal(icmp.icmpType, 3);
  assert.equal(icmp.icmpCode, 1);
  assert.equal(parseAccessListEntry("permit icmp any any ttl-exceeded", "extended").icmpCode, 0);
});

for (const bad of [
  "allow ip any any",
  "permit tcp any",
  "permit tcp any any eq 70000",
  "permit tcp any any range 90 80",
  "permit bogus any any",
  "permit ip 10.0.0.0 any",
  "permit ip any any extra",
]) {
  test(`a bad entry is a ConfigError: ${bad}`, () => {
    assert.throws(
      () => parseAccessListEntry(bad, "extended"),
      (e: unknown) => e instanceof ConfigError && e.message.includes(JSON.stringify(bad)),
    );
  });
}
