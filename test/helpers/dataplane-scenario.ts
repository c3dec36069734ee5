// The router model: random scenarios and the run that compares the pipeline with the reference.
import assert from "node:assert/strict";
import fc from "fast-check";
import { Dataplane } from "../../src/dataplane/dataplane.js";
import type { DataplaneOptions } from "../../src/dataplane/options.js";
import type { DataplaneCounters } from "../../src/dataplane/verdicts.js";
import { parseAccessListEntry, type AccessList } from "../../src/dataplane/acl.js";
import { ReferenceDataplane, type ReferenceInputPacket } from "../../src/reference/dataplane.js";
import { PacketBatch } from "../../src/packet/batch.js";
import { ipv4Frame, ipv6Frame, arpFrame, arpFields, hex } from "./router-frames.js";

const ifMac = (i: number) => `02:00:00:00:00:0${i + 1}`;
const BVI_MAC = "02:00:00:00:00:0b";
const hostMac = (i: number, h: number) => `0a:00:00:00:0${i}:0${h}`;
const HOSTS = [2, 3, 4, 5, 6, 7];

export interface Scenario {
  options: DataplaneOptions;
  /** The NAT roles of the interfaces (replies come back for what left inside → outside). */
  natRoles: (string | undefined)[];
  /** Bridged ports (group 1), and the BVI's index when `bridge irb` (-1: none). */
  bridged: boolean[];
  bvi: number;
  /** Hosts that answer ARP, per interface. */
  lan: boolean[][];
  batches: PacketSpec[][];
  /** Idle time before each batch (ms): ARP entries expire, the route cache's ager runs. */
  pauses: number[];
}

type PacketSpec = {
  kind: "ip4" | "ip6" | "garbage" | "arp-request" | "arp-moved" | "flow";
  iface: number;
  src: number;
  dst: number;
  dstIface: number;
  dstHost: number;
  protocol: number;
  ttl: number;
  port: number;
  tcpFlags: number;
  icmpType: number;
  fragment: boolean;
  badChecksum: boolean;
  payload: number;
  gap: number;
};

const aclEntry = fc
  .record({
    action: fc.constantFrom("permit", "deny"),
    protocol: fc.constantFrom("ip", "tcp", "udp", "icmp"),
    src: fc.constantFrom("any", "10.0.0.0 0.0.255.255", "host 10.1.0.3", "10.0.0.0 0.255.0.255"),
    dst: fc.constantFrom("any", "20.0.0.0 0.255.255.255", "host 10.2.0.2", "10.0.0.0 0.0.3.255"),
    port: fc.constantFrom("", "eq 80", "neq 53", "lt 1024", "gt 1023", "range 20 90"),
    established: fc.boolean(),
    log: fc.boolean(),
  })
  .map((e) => {
    const ports = e.protocol === "tcp" || e.protocol === "udp" ? ` ${e.port}`.trimEnd() : "";
    const est = e.protocol === "tcp" && e.established ? " established" : "";
    const icmp = e.protocol === "icmp" && e.established ? " echo" : "";
    return `${e.action} ${e.protocol} ${e.src} ${e.dst}${ports}${est}${icmp}${e.log ? " log" : ""}`;
  });

/** Scenarios; `focus` decides whether the router is the fast-switching one described below. */
const makeScenario = (focus: fc.Arbitrary<boolean>): fc.Arbitrary<Scenario> =>
  fc
    .record({
      interfaces: fc.integer({ min: 2, max: 4 }),
      v6: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      lan: fc.array(fc.array(fc.constantFrom(true, true, false), { minLength: HOSTS.length, maxLength: HOSTS.length }), {
        minLength: 5,
        maxLength: 5,
      }),
      routes: fc.array(
        fc.record({
          a: fc.integer({ min: 20, max: 23 }),
          b: fc.integer({ min: 0, max: 255 }),
          length: fc.integer({ min: 0, max: 24 }),
          target: fc.constantFrom("next-hop", "interface", "null"),
          iface: fc.integer({ min: 0, max: 3 }),
          host: fc.constantFrom(...HOSTS),
        }),
        { maxLength: 6 },
      ),
      staticArp: fc.array(fc.record({ iface: fc.integer({ min: 0, max: 3 }), host: fc.constantFrom(...HOSTS) }), { maxLength: 3 }),
      acl: fc.option(fc.array(aclEntry, { minLength: 1, maxLength: 4 })),
      aclOn: fc.record({ iface: fc.integer({ min: 0, max: 3 }), direction: fc.constantFrom("in", "out") }),
      urpf: fc.array(fc.constantFrom(undefined, undefined, undefined, "rx", "any"), { minLength: 4, maxLength: 4 }),
      switching: fc.array(fc.constantFrom(undefined, "cef", "fast", "fast", "process"), { minLength: 4, maxLength: 4 }),
      routeCache: fc.record({
        maxEntries: fc.integer({ min: 1, max: 12 }),
        intervalSeconds: fc.constantFrom(0, 1, 3, 60),
        lowMemoryDivisor: fc.integer({ min: 2, max: 5 }),
        normalDivisor: fc.integer({ min: 3, max: 6 }),
        lowMemoryBytes: fc.constantFrom(0, 200 * 1024),
      }),
      presentLifetimeMs: fc.constantFrom(undefined, 60_000),
      pauses: fc.array(fc.constantFrom(0, 0, 0, 65_000), { minLength: 6, maxLength: 6 }),
      // A fast-switching router carrying a few conversations (every interface fast switched, the
      // LAN's hosts up, most packets "flow"), so that the route cache fills, hits, ages and is
      // invalidated by ARP.
      focus,
      icmpRate: fc.constantFrom(1, 1000),
      netflowIn: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      netflowOut: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      icmpBurst: fc.integer({ min: 1, max: 6 }),
      queuePerInterface: fc.integer({ min: 2, max: 16 }),
      requestRate: fc.integer({ min: 1, max: 50 }),
      nat: fc.option(
        fc.record({
          roles: fc.array(fc.constantFrom(undefined, "inside", "inside", "outside"), { minLength: 4, maxLength: 4 }),
          kind: fc.constantFrom("interface", "pool", "pool-overload", "static"),
          maxEntries: fc.integer({ min: 1, max: 12 }),
          capacity: fc.integer({ min: 4, max: 16 }),
          udpTimeout: fc.constantFrom(1000, 3000, 300_000),
          synTimeout: fc.constantFrom(1000, 60_000),
        }),
        { nil: undefined, freq: 2 },
      ),
      bridge: fc.option(
        fc.record({
          ports: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
          irb: fc.boolean(),
          agingSeconds: fc.constantFrom(10, 20, 300),
          capacity: fc.integer({ min: 6, max: 32 }),
        }),
        { nil: undefined, freq: 2 },
      ),
      batches: fc.array(
        fc.array(
          fc.record({
            kind: fc.constantFrom("ip4", "ip4", "ip4", "ip4", "flow", "flow", "flow", "flow", "ip6", "garbage", "arp-request", "arp-moved"),
            iface: fc.integer({ min: 0, max: 3 }),
            src: fc.constantFrom(0, 0, 0, 5, 5, 1, 2, 3, 4),
            dst: fc.constantFrom(0, 0, 1, 1, 2, 3, 4, 5, 5, 6),
            dstIface: fc.integer({ min: 0, max: 4 }),
            dstHost: fc.constantFrom(...HOSTS, 1, 200),
            protocol: fc.constantFrom(6, 17, 1),
            ttl: fc.constantFrom(0, 1, 2, 64, 64, 64),
            port: fc.constantFrom(80, 53, 22, 1024, 40000),
            tcpFlags: fc.constantFrom(0x002, 0x010, 0x011, 0x004, 0x018),
            icmpType: fc.constantFrom(8, 0, 3, 11),
            fragment: fc.constantFrom(false, false, false, true),
            badChecksum: fc.constantFrom(false, false, false, true),
            payload: fc.integer({ min: 0, max: 64 }),
            gap: fc.constantFrom(0, 1, 10, 150, 700, 1500),
          }),
          { maxLength: 40 },
        ),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .map((g) => {
      const n = g.interfaces;
      const acl: AccessList | undefined =
        g.acl === null ? undefined : { name: "101", kind: "extended", entries: g.acl.map((t) => parseAccessListEntry(t, "extended")) };
      // With NAT, Gi0/0 is inside and Gi0/1 outside (the others at random), and much of the traffic crosses.
      const natRoles = Array.from({ length: n }, (_, i) => (g.nat ? (["inside", "outside"][i] ?? g.nat.roles[i]) : undefined));
      // The NAT pair is routed, not bridged.
      const bridged = Array.from({ length: n }, (_, i) => g.bridge?.ports[i] === true && (g.nat === undefined || i > 1));
      const bvi = g.bridge?.irb && bridged.some(Boolean) ? n : -1;
      const outside = natRoles.indexOf("outside");
      const natKind = g.nat?.kind === "interface" && outside < 0 ? "pool-overload" : g.nat?.kind;
      const options: DataplaneOptions = {
        interfaces: Array.from({ length: n }, (_, i) => ({
          name: `Gi0/${i}`,
          mac: ifMac(i),
          addresses: [`10.${i}.0.1/24`],
          ...(g.v6[i] ? { addresses6: [`2001:db8:${i}::1/64`] } : {}),
          ...(g.urpf[i] ? { verifyUnicastSource: g.urpf[i] as "rx" | "any" } : {}),
          ...(g.netflowIn[i] ? { netflow: { flow: "full" as const } } : {}),
          ...(g.netflowOut[i] ? { flowEgress: true } : {}),
          ...(acl && g.aclOn.iface % n === i ? (g.aclOn.direction === "in" ? { accessGroupIn: "101" } : { accessGroupOut: "101" }) : {}),
          ...(g.focus ? { switching: "fast" as const } : g.switching[i] ? { switching: g.switching[i] as "cef" | "fast" | "process" } : {}),
          ...(natRoles[i] ? { nat: natRoles[i] as "inside" | "outside" } : {}),
          ...(bridged[i] ? { bridgeGroup: 1 } : {}),
        })),
        routeCache: {
          maxEntries: g.routeCache.maxEntries,
          ager: {
            intervalSeconds: g.routeCache.intervalSeconds,
            lowMemoryDivisor: g.routeCache.lowMemoryDivisor,
            normalDivisor: g.routeCache.normalDivisor,
          },
          lowMemoryBytes: g.routeCache.lowMemoryBytes,
        },
        routes: [
          ...g.routes.map((r) => {
            const mask = r.length === 0 ? 0 : (0xffffffff << (32 - r.length)) >>> 0;
            const value = ((((r.a << 24) | (r.b << 16)) >>> 0) & mask) >>> 0;
            const prefix = `${value >>> 24}.${(value >>> 16) & 255}.0.0/${r.length}`;
            const j = r.iface % n;
            const target =
              r.target === "null"
                ? { null: true as const }
                : r.target === "interface"
                  ? { interface: `Gi0/${j}` }
                  : { nextHop: `10.${j}.0.${r.host}` };
            return { prefix, target };
          }),
          { prefix: "2001:db8:100::/48", target: { interface: "Gi0/0", mac: "0a:00:00:00:06:66" } },
        ],
        // The fast-switching router knows hosts 2 and 3 of every LAN statically (so the cache
        // fills at once and hits); host 4 is resolved, and may move, by ARP.
        staticArp: [
          ...g.staticArp.map((s) => ({ iface: s.iface % n, host: s.host })),
          ...(g.focus ? Array.from({ length: n }, (_, i) => [2, 3].map((host) => ({ iface: i, host }))).flat() : []),
        ]
          .filter((s, k, all) => all.findIndex((o) => o.iface === s.iface && o.host === s.host) === k)
          .map((s) => ({ address: `10.${s.iface}.0.${s.host}`, mac: hostMac(s.iface, s.host) })),
        ...(acl ? { accessLists: [acl] } : {}),
        arp: {
          queuePerInterface: g.queuePerInterface,
          requestRate: g.requestRate,
          requestBurst: g.requestRate + 23,
          queuePerEntry: 2,
          ...(g.presentLifetimeMs === undefined ? {} : { presentLifetimeMs: g.presentLifetimeMs }),
        },
        icmpRate: g.icmpRate,
        icmpBurst: g.icmpBurst,
        ...(g.nat
          ? {
              nat: {
                accessLists: [{ name: "1", entries: [{ action: "permit" as const, address: "10.0.0.0", wildcard: "0.255.255.255" }] }],
                ...(natKind === "interface"
                  ? { insideSource: [{ list: "1", interface: `Gi0/${outside}`, overload: true }] }
                  : {
                      pools: [{ name: "P", start: "30.0.0.1", end: "30.0.0.3", prefixLength: 24 }],
                      insideSource: [{ list: "1", pool: "P", overload: natKind !== "pool" }],
                    }),
                ...(natKind === "static" ? { insideSourceStatic: [{ local: "10.0.0.5", global: "30.0.1.5" }] } : {}),
                maxEntries: g.nat.maxEntries,
                capacity: g.nat.capacity,
                timeouts: { udpTimeout: g.nat.udpTimeout, synTimeout: g.nat.synTimeout, icmpTimeout: g.nat.udpTimeout },
              },
            }
          : {}),
        ...(g.bridge
          ? { bridge: { groups: [{ group: 1, agingTime: g.bridge.agingSeconds * 1000 }], irb: g.bridge.irb, capacity: g.bridge.capacity } }
          : {}),
        seed: 7,
        maxBatch: 256,
        flowCache: { capacity: 64, activeTimeout: 60_000, inactiveTimeout: 2_000 },
      };
      if (bvi >= 0) options.interfaces.push({ name: "BVI1", mac: BVI_MAC, addresses: [`10.${bvi}.0.1/24`] });
      const m = options.interfaces.length;
      const crossing = (p: { port: number }) => g.nat !== undefined && p.port !== 80;
      // "flow": a packet of a few repeated conversations (live TTL, to hosts and routes that exist), so that the route cache hits.
      const batches = g.batches.map((b) =>
        b.map((p) => ({
          ...p,
          iface: p.iface % n,
          dstIface: p.dstIface % m,
          ...(p.kind === "flow" || (g.focus && p.kind === "ip4")
            ? {
                kind: "ip4" as const,
                ttl: 64,
                fragment: false,
                badChecksum: false,
                src: 5,
                dst: [0, 5, 1][p.dst % 3]!,
                dstHost: HOSTS[p.dstHost % 3]!,
                payload: p.payload % 4,
              }
            : {}),
          ...(crossing(p) ? { iface: 0, dstIface: 1, src: 0, dst: 0 } : {}),
        })),
      );
      const lan = g.focus ? g.lan.slice(0, m).map((hosts) => hosts.map(() => true)) : g.lan.slice(0, m);
      return { options, natRoles, bridged, bvi, lan, batches, pauses: g.pauses };
    });

/** Random routers and traffic, half of them fast switching on every interface. */
export const scenario = makeScenario(fc.boolean());
/** Fast-switching routers only: the route cache fills, hits, ages and is invalidated. */
export const fastScenario = makeScenario(fc.constant(true));

function addressOf(p: PacketSpec, which: "src" | "dst", n: number): string {
  const choice = which === "src" ? p.src : p.dst;
  const i = which === "src" ? p.iface : p.dstIface;
  switch (choice) {
    case 0:
      return `10.${i}.0.${p.dstHost}`;
    case 1:
      return `${20 + (p.port % 4)}.${p.payload * 3}.${p.ttl}.${p.dstHost}`;
    case 2:
      return `10.${i % n}.0.1`;
    case 3:
      return which === "src" ? "0.0.0.0" : "224.0.0.5";
    case 4:
      return `${30 + p.dstHost}.1.2.3`;
    case 5:
      return `10.${i}.0.${HOSTS[p.port % HOSTS.length]}`;
    default:
      return `10.${i}.0.255`;
  }
}

function frameOf(p: PacketSpec, n: number, s: Scenario): Uint8Array {
  // On a bridged port: to the BVI, to a station of a port of the group (this one too), or unknown.
  const ports = s.bridged.flatMap((on, i) => (on ? [i] : []));
  const bridgedTo = s.bridged[p.iface]
    ? s.bvi >= 0 && p.payload % 2 === 0
      ? BVI_MAC
      : p.payload % 3 === 0
        ? hostMac(ports[p.dstIface % ports.length]!, [4, 6, 7][p.dstHost % 3]!) // hosts that send (srcMac below)
        : undefined
    : undefined;
  const dstMac = bridgedTo ?? ifMac(p.iface);
  const srcMac = hostMac(p.iface, HOSTS[p.port % HOSTS.length]!);
  if (p.kind === "garbage") return Uint8Array.from({ length: 8 + p.payload }, (_, k) => (k * 31 + p.port) & 255);
  if (p.kind === "arp-moved") {
    // A host announces a new MAC (gratuitous ARP): its ARP entry moves, the route cache's entries through it go.
    const host = HOSTS[p.port % HOSTS.length]!;
    return arpFrame({
      op: 2,
      ethDst: "ff:ff:ff:ff:ff:ff",
      senderMac: `0a:00:00:00:1${p.iface}:0${host}`,
      senderIp: `10.${p.iface}.0.${host}`,
      targetMac: "00:00:00:00:00:00",
      targetIp: `10.${p.iface}.0.${host}`,
    });
  }
  if (p.kind === "arp-request") {
    return arpFrame({
      op: 1,
      ethDst: "ff:ff:ff:ff:ff:ff",
      senderMac: srcMac,
      senderIp: `10.${p.iface}.0.${HOSTS[p.port % HOSTS.length]}`,
      targetMac: "00:00:00:00:00:00",
      targetIp: `10.${p.iface}.0.${p.dst === 0 ? 1 : p.dstHost}`,
    });
  }
  if (p.kind === "ip6") {
    const dst =
      p.dst % 3 === 0
        ? [0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 7]
        : p.dst % 3 === 1
          ? [0x2001, 0xdb8, p.dstIface, 0, 0, 0, 0, 9]
          : [0x2001, 0xdb9, 0, 0, 0, 0, 0, 1];
    return ipv6Frame({ srcMac, dstMac, src: [0x2001, 0xdb8, p.iface, 0, 0, 0, 0, 5], dst, hopLimit: p.ttl, payload: p.payload });
  }
  return ipv4Frame({
    srcMac,
    dstMac,
    src: addressOf(p, "src", n),
    dst: addressOf(p, "dst", n),
    protocol: p.protocol,
    ttl: p.ttl,
    srcPort: p.port === 80 ? 40000 : 1024,
    dstPort: p.port,
    tcpFlags: p.tcpFlags,
    icmpType: p.icmpType,
    fragmentOffset: p.fragment ? 8 : 0,
    badChecksum: p.badChecksum && p.payload % 5 === 0,
    payload: p.payload,
  });
}

/** The answer to a forwarded IPv4 frame: addresses, ports and MACs swapped, TTL 64 (undefined for fragments). */
function replyTo(sent: Uint8Array, routerMac: string): Uint8Array | undefined {
  const f = sent.slice();
  if (f.length < 34 || ((f[20]! & 0x1f) | f[21]!) !== 0) return undefined;
  const swap = (a: number, b: number, bytes: number) => {
    for (let k = 0; k < bytes; k++) [f[a + k], f[b + k]] = [f[b + k]!, f[a + k]!];
  };
  f.set(
    routerMac.split(":").map((x) => Number.parseInt(x, 16)),
    0,
  );
  f.set(Uint8Array.of(0x0a, 0, 0, 0, 0x0e, 0x01), 6);
  swap(26, 30, 4);
  const l4 = 14 + (f[14]! & 15) * 4;
  if ((f[23] === 6 || f[23] === 17) && f.length >= l4 + 4) swap(l4, l4 + 2, 2);
  f[22] = 64;
  f[24] = 0;
  f[25] = 0;
  let sum = 0;
  for (let k = 14; k < l4; k += 2) sum += (f[k]! << 8) | f[k + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  f[24] = c >> 8;
  f[25] = c & 255;
  return f;
}

/** Runs the scenario on both and compares after every batch; returns the Dataplane's final counters. */
export function run(s: Scenario): DataplaneCounters {
  const router = new Dataplane(s.options);
  const reference = new ReferenceDataplane(s.options);
  const n = s.options.interfaces.length - (s.bvi >= 0 ? 1 : 0);
  let time = 1_000_000;
  let replies: ReferenceInputPacket[] = [];
  const batch = new PacketBatch({ core: router.core, capacity: 256, frameBytes: 256 * 128 });
  try {
    for (const [b, specs] of s.batches.entries()) {
      const packets: ReferenceInputPacket[] = [...replies];
      time += s.pauses[b] ?? 0;
      for (const p of specs) {
        time += p.gap;
        const frame = frameOf(p, n, s);
        packets.push({ frame, time, interface: p.iface, linkType: 1, wireLength: frame.length });
      }
      replies = [];
      batch.clear();
      for (const p of packets) batch.push({ frame: p.frame, time: p.time, interface: p.interface, linkType: 1, wireLength: p.wireLength });
      const copies = packets.map((p) => ({ ...p, frame: p.frame.slice() }));
      const got = router.process(batch);
      const want = reference.process(copies);
      for (let i = 0; i < packets.length; i++) {
        const g = got.verdict(i);
        const w = want.verdicts[i]!;
        const where = `batch ${b} packet ${i} (${hex(packets[i]!.frame).slice(0, 120)})`;
        assert.equal(g.verdict, w.verdict, `${where}: verdict`);
        if (w.verdict === "dropped" || w.verdict === "punted") assert.equal(g.reason, w.reason, `${where}: reason`);
        if (w.verdict === "forwarded" || w.verdict === "queued") assert.equal(g.interface, w.egress, `${where}: egress`);
        if (w.verdict === "queued") assert.equal(g.handle, w.handle, `${where}: handle`);
        assert.equal(hex(batch.frame(i)), hex(copies[i]!.frame), `${where}: frame after the pipeline`);
      }
      const strip = (o: { interface: number; kind: string; time: number; after: number; frame: Uint8Array }) => ({
        ...o,
        frame: hex(o.frame),
      });
      assert.deepEqual(got.output.map(strip), want.output.map(strip), `batch ${b}: frames made`);
      const counters = router.counters();
      assert.deepEqual(counters, reference.counters(), `batch ${b}: counters`);
      assert.equal(counters.packetsIn, counters.forwarded + counters.queued + counters.punted + counters.dropped, "conservation");
      const reasons = Object.values(counters.reasons).reduce((x, y) => x + y, 0);
      assert.equal(reasons, counters.punted + counters.dropped, "every drop and punt has a reason");
      assert.deepEqual(router.interfaceCounters(), reference.interfaceCounters(), `batch ${b}: interface counters`);
      assert.deepEqual(router.arp.counters(), reference.arp.counters(), `batch ${b}: ARP counters`);
      if (router.routeCache) {
        assert.deepEqual(router.routeCache.statistics(), reference.routeCache!.statistics(), `batch ${b}: route cache statistics`);
        assert.deepEqual(router.routeCache.entries(), reference.routeCache!.entries(), `batch ${b}: route cache entries`);
        const r = router.routeCache.statistics();
        assert.equal(r.lookups, r.fastSwitched + r.processSwitched, "route cache: lookups = fast + process");
        assert.equal(
          r.processSwitched,
          r.adds + r.noMemory + r.uncacheable + r.unresolved + r.noRoute,
          "route cache: every miss has an outcome",
        );
        assert.equal(r.entries, r.adds - r.invalidates, "route cache: entries = adds - invalidates");
        assert.equal(counters.switching.fast, r.fastSwitched, "fast-switched packets are the route cache's hits");
      }
      const sw = counters.switching;
      const switched = router
        .interfaceCounters()
        .reduce((x, f) => x + f.switching.cef.packetsIn + f.switching.fast.packetsIn + f.switching.process.packetsIn, 0);
      assert.equal(switched, sw.cef + sw.fast + sw.process, "switching paths per interface add up to the totals");
      assert.deepEqual(
        router.accessListCounters().map((l) => ({ matches: l.entries.map((e) => e.matches), implicitDenies: l.implicitDenies })),
        reference.accessListMatches(),
        `batch ${b}: access-list counters`,
      );
      if (router.nat) {
        assert.deepEqual(router.nat.counters(), reference.nat!.counters(), `batch ${b}: NAT counters`);
        assert.deepEqual(router.nat.translations(), reference.nat!.translations(), `batch ${b}: NAT translations`);
      }
      if (router.bridge) {
        assert.deepEqual(router.bridge.counters(), reference.bridge!.counters(), `batch ${b}: bridge counters`);
        assert.deepEqual(router.bridge.stations(), reference.bridge!.stations(), `batch ${b}: bridge stations`);
      }
      // What left inside → outside is answered from outside (the round trip through the translation).
      for (let i = 0; i < packets.length; i++) {
        const v = want.verdicts[i]!;
        if (v.verdict !== "forwarded" && v.verdict !== "queued") continue;
        if (s.natRoles[v.egress!] !== "outside" || s.natRoles[packets[i]!.interface] !== "inside") continue;
        time += 1;
        const frame = replyTo(copies[i]!.frame, ifMac(v.egress!));
        if (frame) replies.push({ frame, time, interface: v.egress!, linkType: 1, wireLength: frame.length });
      }
      if (router.flowCache) {
        const { lookups: _l, probes: _p, longestProbe: _x, ...mine } = router.flowCache.counters() as unknown as Record<string, unknown>;
        const {
          lookups: _l2,
          probes: _p2,
          longestProbe: _x2,
          ...theirs
        } = reference.flowCache!.counters() as unknown as Record<string, unknown>;
        assert.deepEqual(mine, theirs, `batch ${b}: flow counters`);
      }
      // The LAN answers the requests for hosts that exist.
      for (const o of got.output) {
        if (o.kind !== "arp-request") continue;
        const f = arpFields(o.frame);
        const [, , ifText, hostText] = f.targetIp.split(".");
        const i = o.interface;
        const h = Number(hostText);
        if (Number(ifText) !== i || !HOSTS.includes(h) || !s.lan[i]![HOSTS.indexOf(h)]) continue;
        time += 1;
        // Hosts behind the BVI answer through the first bridged port, to the BVI's MAC.
        const through = i === s.bvi ? s.bridged.indexOf(true) : i;
        replies.push({
          frame: arpFrame({
            op: 2,
            ethDst: i === s.bvi ? BVI_MAC : ifMac(i),
            senderMac: hostMac(i, h),
            senderIp: f.targetIp,
            targetMac: ifMac(i),
            targetIp: f.senderIp,
          }),
          time,
          interface: through,
          linkType: 1,
          wireLength: 60,
        });
      }
    }
    time += 10_000;
    const strip = (o: { frame: Uint8Array }) => ({ ...o, frame: hex(o.frame) });
    assert.deepEqual(router.tick(time).map(strip), reference.tick(time).map(strip), "idle tick");
    assert.deepEqual(router.counters(), reference.counters(), "counters after the idle tick");
    const c = router.counters();
    assert.ok(c.released.sent + c.released.failed + c.released.overflow + c.released.cleared <= c.queued, "released ≤ queued");
    return c;
  } finally {
    batch.dispose();
    router.dispose();
  }
}
