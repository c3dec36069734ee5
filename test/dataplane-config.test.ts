// IOS configuration: one test per command the issue lists (what it parses to, and what it
// does to the Dataplane where it configures forwarding), the seeds' example configurations,
// `show running-config` read back to the same objects, and ConfigErrors naming the line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { parseIosConfig, renderRunningConfig, ConfigLineError } from "../src/dataplane/config/parse.js";
import { dataplaneOptionsFromConfig } from "../src/dataplane/config/options.js";
import { PacketBatch } from "../src/packet/batch.js";
import { ConfigError } from "../src/errors.js";
import { ipv4Frame, arpFields } from "./helpers/router-frames.js";

const TWO = `
interface GigabitEthernet0/0
 mac-address 0000.0c00.0001
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
`;

/** Sends IPv4 UDP packets in on interface `from` (index) and returns the results. */
function send(
  dp: Dataplane,
  packets: { src: string; dst: string; from?: number; ttl?: number; dstPort?: number; protocol?: number }[],
  time = 1000,
) {
  const batch = new PacketBatch({ core: dp.core, capacity: 64, frameBytes: 64 * 80 });
  for (const p of packets) {
    const frame = ipv4Frame({
      srcMac: "0a:00:00:00:00:09",
      dstMac: "00:00:0c:00:00:01",
      src: p.src,
      dst: p.dst,
      protocol: p.protocol ?? 17,
      ttl: p.ttl ?? 64,
      dstPort: p.dstPort ?? 53,
    });
    batch.push({ frame, time, interface: p.from ?? 0, linkType: 1, wireLength: frame.length });
  }
  const result = dp.process(batch);
  const verdicts = packets.map((_, i) => result.verdict(i));
  const frames = packets.map((_, i) => batch.frame(i).slice());
  batch.dispose();
  return { verdicts, output: result.output, frames };
}

const roundTrip = (text: string) => {
  const c = parseIosConfig(text);
  assert.deepEqual(parseIosConfig(renderRunningConfig(c)), c, "show running-config reads back to the same configuration");
  return c;
};

test("interface: one block per name, in order; subinterfaces inherit the MAC", () => {
  const c = roundTrip(`${TWO}\ninterface Ethernet0/0.1\n encapsulation dot1Q 5\n ip address 10.0.0.1 255.255.255.0\ninterface vlan 3\n`);
  assert.deepEqual(
    c.interfaces.map((f) => f.name),
    ["GigabitEthernet0/0", "GigabitEthernet0/1", "Ethernet0/0.1", "Vlan3"],
  );
  assert.equal(c.interfaces[2]!.dot1q, 5);
  const dp = Dataplane.fromConfig(TWO);
  assert.deepEqual(dp.interfaceNames, ["GigabitEthernet0/0", "GigabitEthernet0/1"]);
  dp.dispose();
});

test("mac-address: the source MAC of forwarded frames", () => {
  const dp = Dataplane.fromConfig(`${TWO}\narp 198.51.100.2 0000.0c99.0002 arpa\nip route 0.0.0.0 0.0.0.0 198.51.100.2\n`);
  const { verdicts, frames } = send(dp, [{ src: "192.0.2.7", dst: "203.0.113.9" }]);
  assert.equal(verdicts[0]!.verdict, "forwarded");
  assert.deepEqual([...frames[0]!.subarray(0, 12)], [0, 0, 0x0c, 0x99, 0, 2, 0, 0, 0x0c, 0, 0, 2]);
  dp.dispose();
});

test("ip address: connected subnet (ARP for the host), receive entry, secondary addresses; no ip address", () => {
  const c = roundTrip(
    `${TWO.replace(" ip address 198.51.100.1 255.255.255.0", " ip address 198.51.100.1 255.255.255.0\n ip address 203.0.113.1 255.255.255.0 secondary")}`,
  );
  assert.deepEqual(c.interfaces[1]!.addresses, [
    { address: "198.51.100.1", mask: "255.255.255.0", secondary: false },
    { address: "203.0.113.1", mask: "255.255.255.0", secondary: true },
  ]);
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  const { verdicts, output } = send(dp, [
    { src: "192.0.2.7", dst: "198.51.100.9" },
    { src: "192.0.2.7", dst: "203.0.113.9" },
    { src: "192.0.2.7", dst: "198.51.100.1" },
  ]);
  assert.deepEqual(
    verdicts.map((v) => v.verdict),
    ["queued", "queued", "punted"],
  );
  assert.deepEqual(
    output.filter((o) => o.kind === "arp-request").map((o) => arpFields(o.frame).targetIp),
    ["198.51.100.9", "203.0.113.9"],
  );
  dp.dispose();
  assert.deepEqual(parseIosConfig("interface E0\n ip address 10.0.0.1 255.0.0.0\n no ip address\n").interfaces[0]!.addresses, []);
});

test("ipv6 address: a connected IPv6 prefix and a receive entry", () => {
  const c = roundTrip(`${TWO}\ninterface GigabitEthernet0/1\n ipv6 address 2001:db8:1::1/64\n`);
  assert.deepEqual(c.interfaces[1]!.addresses6, ["2001:db8:1::1/64"]);
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  assert.equal(dp.fib.lookup("2001:db8:1::1"), 2);
  assert.ok(dp.fib.lookup("2001:db8:1::9") > 5);
  dp.dispose();
});

test("arp A MAC arpa: a static entry used without ARP", () => {
  const c = roundTrip(`${TWO}\narp 198.51.100.7 0011.2233.4455 arpa\n`);
  assert.deepEqual(c.arp, [{ address: "198.51.100.7", mac: "0011.2233.4455", encapsulation: "arpa" }]);
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  const { verdicts, output } = send(dp, [{ src: "192.0.2.7", dst: "198.51.100.7" }]);
  assert.deepEqual(verdicts[0], { verdict: "forwarded", interface: 1, mac: "00:11:22:33:44:55" });
  assert.equal(output.length, 0);
  assert.equal(dp.arp.state(1, "198.51.100.7"), "static");
  dp.dispose();
});

test("ip proxy-arp / no ip proxy-arp are kept", () => {
  const c = roundTrip("interface E0\n ip proxy-arp\ninterface E1\n no ip proxy-arp\n");
  assert.deepEqual(
    c.interfaces.map((f) => f.proxyArp),
    [true, false],
  );
});

test("ip route P M NEXTHOP: ARP for the next hop only", () => {
  const c = roundTrip(`${TWO}\nip route 10.0.0.0 255.0.0.0 198.51.100.2\n`);
  assert.deepEqual(c.routes, [{ prefix: "10.0.0.0", mask: "255.0.0.0", target: "198.51.100.2" }]);
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  const { verdicts, output } = send(dp, [
    { src: "192.0.2.7", dst: "10.1.1.1" },
    { src: "192.0.2.7", dst: "10.2.2.2" },
  ]);
  assert.deepEqual(
    verdicts.map((v) => v.verdict),
    ["queued", "queued"],
  );
  assert.deepEqual(
    output.map((o) => arpFields(o.frame).targetIp),
    ["198.51.100.2"],
  );
  dp.dispose();
});

test("ip route P M INTERFACE: every destination is on the link and needs ARP (the seed's trap)", () => {
  const dp = Dataplane.fromConfig(`${TWO}\nip route 0.0.0.0 0.0.0.0 GigabitEthernet0/1\n`);
  const targets = ["10.1.1.1", "20.2.2.2", "30.3.3.3", "40.4.4.4"];
  const { verdicts, output } = send(
    dp,
    targets.map((dst) => ({ src: "192.0.2.7", dst })),
  );
  assert.ok(verdicts.every((v) => v.verdict === "queued"));
  assert.deepEqual(
    output.map((o) => arpFields(o.frame).targetIp),
    targets,
  );
  assert.equal(dp.arp.occupancy().interfaces[1]!.incomplete, 4);
  dp.dispose();
});

test("ip route P M Null0: dropped as null-adjacency", () => {
  const c = roundTrip(`${TWO}\nip route 10.0.0.0 255.0.0.0 Null0\nip route 10.1.0.0 255.255.0.0 Null 0\n`);
  assert.deepEqual(
    c.routes.map((r) => r.target),
    ["Null0", "Null0"],
  );
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  assert.deepEqual(send(dp, [{ src: "192.0.2.7", dst: "10.9.9.9" }]).verdicts[0], { verdict: "dropped", reason: "null-adjacency" });
  dp.dispose();
});

test("ip route-cache [flow|cef|same-interface] and no ip route-cache are kept for the route cache; route-cache flow is NetFlow", () => {
  const c = roundTrip("interface E0\n ip route-cache\n ip route-cache flow\ninterface E1\n no ip route-cache\n ip route-cache cef\n");
  assert.deepEqual(c.interfaces[0]!.routeCache, [
    { mode: "fast", enabled: true },
    { mode: "flow", enabled: true },
  ]);
  assert.deepEqual(c.interfaces[1]!.routeCache, [
    { mode: "fast", enabled: false },
    { mode: "cef", enabled: true },
  ]);
  assert.deepEqual(dataplaneOptionsFromConfig(c).interfaces[0]!.netflow, { flow: "full" });
});

test("ip flow ingress: every packet in is accounted by the flow cache", () => {
  const dp = Dataplane.fromConfig(`${TWO}\ninterface GigabitEthernet0/0\n ip flow ingress\nip route 0.0.0.0 0.0.0.0 Null0\n`);
  send(dp, [
    { src: "192.0.2.7", dst: "10.0.0.1" },
    { src: "192.0.2.8", dst: "10.0.0.1" },
    { src: "192.0.2.7", dst: "10.0.0.1", from: 1 },
  ]);
  assert.equal(dp.counters().flows.ingress, 2);
  assert.equal(dp.flowCache!.counters().flowsAdded, 2);
  dp.dispose();
});

test("ip flow egress: forwarded packets are accounted on the way out", () => {
  const dp = Dataplane.fromConfig(
    `${TWO}\ninterface GigabitEthernet0/1\n ip flow egress\narp 198.51.100.2 0000.0c99.0002 arpa\nip route 0.0.0.0 0.0.0.0 198.51.100.2\n`,
  );
  send(dp, [
    { src: "192.0.2.7", dst: "10.0.0.1" },
    { src: "192.0.2.7", dst: "198.51.100.1" },
  ]);
  assert.equal(dp.counters().flows.egress, 1);
  dp.dispose();
});

const SAMPLING = `
flow-sampler-map icmp-dos-fs-map
 mode random one-out-of 2
class-map match-any icmp-dos-class-map
 match access-group 101
policy-map icmp-dos-policy-map
  class icmp-dos-class-map
   netflow-sampler icmp-dos-fs-map
interface Ethernet0/0
 mac-address aaaa.bbbb.cc04
 ip address 172.16.6.2 255.255.255.0
 service-policy input icmp-dos-policy-map
interface Ethernet1/0
 mac-address aaaa.bbbb.cc05
 ip address 172.16.7.1 255.255.255.0
 flow-sampler icmp-dos-fs-map
access-list 101 permit icmp any host 172.16.10.2
`;

test("flow-sampler-map, class-map, policy-map, service-policy and flow-sampler: input filters and samplers", () => {
  const c = roundTrip(SAMPLING);
  assert.deepEqual(c.samplerMaps, [{ name: "icmp-dos-fs-map", mode: "random", interval: 2 }]);
  assert.deepEqual(c.classMaps, [{ name: "icmp-dos-class-map", match: "any", matches: [["access-group", "101"]] }]);
  assert.deepEqual(c.policyMaps, [{ name: "icmp-dos-policy-map", classes: [{ class: "icmp-dos-class-map", sampler: "icmp-dos-fs-map" }] }]);
  assert.deepEqual(c.interfaces[0]!.servicePolicy, [{ direction: "input", name: "icmp-dos-policy-map" }]);
  assert.equal(c.interfaces[1]!.flowSampler, "icmp-dos-fs-map");
  const options = dataplaneOptionsFromConfig(c);
  assert.deepEqual(options.classMaps!["icmp-dos-class-map"], {
    match: "all",
    criteria: [{ protocol: 1 }, { destination: "172.16.10.2/32" }],
  });
  const dp = new Dataplane({ ...options, routes: [{ prefix: "0.0.0.0/0", target: { null: true } }], seed: 3 });
  const packets = Array.from({ length: 40 }, (_, i) => ({ src: `172.16.6.${i + 2}`, dst: "172.16.10.2", protocol: i % 2 === 0 ? 1 : 17 }));
  send(dp, packets);
  const selected = dp.counters().flows.ingress;
  // Only the 20 ICMP packets pass the filter; one in two of them on average is sampled.
  assert.ok(selected > 0 && selected < 20, `sampled ${selected}`);
  assert.equal(dp.selector!.counters().filteredOut, 20);
  dp.dispose();
});

test("ip flow-cache timeout active|inactive: the flow cache's timeouts", () => {
  const c = roundTrip(`${TWO}\nip flow-cache timeout active 5\nip flow-cache timeout inactive 30\n`);
  assert.deepEqual(c.flowCacheTimeout, { active: 5, inactive: 30 });
  assert.deepEqual(dataplaneOptionsFromConfig(c).flowCache, { activeTimeout: 300_000, inactiveTimeout: 30_000 });
});

test("arp timeout: the interface's ARP lifetime", () => {
  const c = roundTrip(`${TWO}\ninterface GigabitEthernet0/1\n arp timeout 600\n`);
  assert.equal(c.interfaces[1]!.arpTimeout, 600);
  assert.deepEqual(dataplaneOptionsFromConfig(c).interfaces[1]!.arp, { presentLifetimeMs: 600_000 });
  const dp = Dataplane.fromConfig(renderRunningConfig(c));
  dp.dispose();
});

test("ip accounting [output-packets|access-violations|...] is kept for IP accounting", () => {
  const c = roundTrip(
    "interface E0\n ip accounting output-packets\n ip accounting access-violations\ninterface vlan 1000\n ip accounting\n",
  );
  assert.deepEqual(c.interfaces[0]!.accounting, ["output-packets", "access-violations"]);
  assert.deepEqual(c.interfaces[1]!.accounting, ["output-packets"]);
});

test("ip cache-ager-interval X Y Z (and the seed's ip cache-ager) is kept for the route cache", () => {
  assert.deepEqual(roundTrip("service internal\nip cache-ager-interval 60 4 20\n").cacheAgerInterval, {
    seconds: 60,
    lowMemory: 4,
    normal: 20,
  });
  assert.deepEqual(parseIosConfig("service internal\nip cache-ager 60 5 25\n").cacheAgerInterval, {
    seconds: 60,
    lowMemory: 5,
    normal: 25,
  });
  assert.throws(() => parseIosConfig("service internal\nip cache-ager-interval 60 1 20\n"), ConfigLineError);
});

test("ip cache-ager-interval and ip cache-invalidate-delay need service internal before them, as in IOS 10.3(8) and later", () => {
  for (const line of ["ip cache-ager-interval 60 4 20", "ip cache-ager 60 5 25", "ip cache-invalidate-delay 2 5 3 0"]) {
    assert.throws(
      () => parseIosConfig(`${line}\n`),
      (e: unknown) => e instanceof ConfigLineError && /only after service internal/.test(e.message),
      line,
    );
    assert.throws(() => parseIosConfig(`${line}\nservice internal\n`), ConfigLineError, `${line} before service internal`);
    assert.doesNotThrow(() => parseIosConfig(`service internal\n${line}\n`), line);
  }
});

test("mls flow ip full|destination|destination-source: the flow mask", () => {
  const c = roundTrip(`${TWO}\nmls flow ip destination\n`);
  assert.equal(c.mlsFlow, "destination");
  assert.deepEqual(dataplaneOptionsFromConfig(c).flowCache, { mask: "destination" });
});

test("ip flow-top-talkers: top, sort-by, match are kept for top talkers", () => {
  const c = roundTrip(
    "ip flow-top-talkers\n top 5\n sort-by bytes\n match class-map icmp-dos-class-map\n match destination address 172.16.10.2/32\n no match destination address 172.16.10.2/32\n",
  );
  assert.deepEqual(c.topTalkers, { top: 5, sortBy: "bytes", matches: [["class-map", "icmp-dos-class-map"]] });
});

test("access-list: numbered standard and extended lists, remarks", () => {
  const c = roundTrip(
    "access-list 10 permit 10.0.0.0 0.255.255.255\naccess-list 10 remark the inside\naccess-list 101 deny tcp any any eq 80\naccess-list 101 permit ip any any\n",
  );
  assert.deepEqual(
    c.accessLists.map((l) => [l.name, l.kind, l.entries.length]),
    [
      ["10", "standard", 1],
      ["101", "extended", 2],
    ],
  );
});

test("ip access-list extended NAME with sequence numbers; ip access-group in|out applies it", () => {
  const text = `${TWO}
ip access-list extended block-worm
 10 deny tcp any any eq www log
 20 permit ip any any
interface GigabitEthernet0/0
 ip access-group block-worm in
interface GigabitEthernet0/1
 ip access-group 10 out
access-list 10 permit 192.0.2.0 0.0.0.255
arp 198.51.100.2 0000.0c99.0002 arpa
ip route 0.0.0.0 0.0.0.0 198.51.100.2
`;
  const c = roundTrip(text);
  assert.deepEqual(c.interfaces[0]!.accessGroups, [{ list: "block-worm", direction: "in" }]);
  const dp = Dataplane.fromConfig(text);
  const { verdicts } = send(dp, [
    { src: "192.0.2.7", dst: "10.0.0.1", protocol: 6, dstPort: 80 },
    { src: "192.0.2.7", dst: "10.0.0.1", protocol: 6, dstPort: 443 },
    { src: "198.51.100.9", dst: "10.0.0.1", protocol: 6, dstPort: 443 },
  ]);
  assert.deepEqual(
    verdicts.map((v) => v.reason ?? v.verdict),
    ["acl-denied", "forwarded", "acl-denied-out"],
  );
  const counters = dp.accessListCounters();
  assert.deepEqual(
    counters.map((l) => [l.name, l.entries.map((e) => e.matches), l.implicitDenies]),
    [
      ["block-worm", [1, 2], 0],
      ["10", [1], 1],
    ],
  );
  assert.equal(dp.counters().acl.logged, 1);
  dp.dispose();
});

test("ip verify unicast source reachable-via rx|any: uRPF; a worm with legal sources passes", () => {
  const text = `${TWO}
interface GigabitEthernet0/0
 ip verify unicast source reachable-via rx
interface GigabitEthernet0/1
 ip verify unicast source reachable-via any
ip route 10.0.0.0 255.0.0.0 198.51.100.2
ip route 20.0.0.0 255.0.0.0 Null0
`;
  const c = roundTrip(text);
  assert.deepEqual(c.interfaces[0]!.verifyUnicast, { mode: "rx", allowDefault: false });
  const dp = Dataplane.fromConfig(text);
  const { verdicts } = send(dp, [
    { src: "192.0.2.7", dst: "198.51.100.1" },
    { src: "10.0.0.7", dst: "198.51.100.1" },
    { src: "10.0.0.7", dst: "192.0.2.1", from: 1 },
    { src: "20.0.0.7", dst: "192.0.2.1", from: 1 },
    { src: "30.0.0.7", dst: "192.0.2.1", from: 1 },
  ]);
  assert.deepEqual(
    verdicts.map((v) => v.reason),
    ["receive", "urpf-failed", "receive", "urpf-failed", "urpf-failed"],
  );
  assert.deepEqual(parseIosConfig("interface E0\n ip verify unicast reverse-path\n").interfaces[0]!.verifyUnicast, {
    mode: "rx",
    allowDefault: false,
  });
  dp.dispose();
});

test("ip nat ... is kept, typed, for the NAT table", () => {
  const c = roundTrip(`interface E0
 ip nat inside
interface E1
 ip nat outside
ip nat pool public 203.0.113.1 203.0.113.10 netmask 255.255.255.0
ip nat inside source list 1 pool public overload
ip nat inside source list 2 interface E1 overload
ip nat inside source static 10.0.0.5 203.0.113.20
ip nat translation timeout 3600
ip nat translation max-entries 20000
`);
  assert.deepEqual(
    c.interfaces.map((f) => f.nat),
    ["inside", "outside"],
  );
  assert.deepEqual(c.nat, [
    { kind: "pool", name: "public", start: "203.0.113.1", end: "203.0.113.10", netmask: "255.255.255.0" },
    { kind: "inside-source-list", list: "1", pool: "public", overload: true },
    { kind: "inside-source-list", list: "2", interface: "E1", overload: true },
    { kind: "inside-source-static", local: "10.0.0.5", global: "203.0.113.20" },
    { kind: "translation", setting: "timeout", value: 3600 },
    { kind: "translation", setting: "max-entries", value: 20000 },
  ]);
});

test("bridge ... and bridge-group are kept, typed, for the bridge table", () => {
  const c = roundTrip("bridge irb\nbridge 1 protocol ieee\nbridge 1 aging-time 14400\nbridge 1 route ip\ninterface E0\n bridge-group 1\n");
  assert.deepEqual(c.bridge, [
    { kind: "irb" },
    { kind: "protocol", group: 1, protocol: "ieee" },
    { kind: "aging-time", group: 1, seconds: 14400 },
    { kind: "route", group: 1, protocol: "ip" },
  ]);
  assert.equal(c.interfaces[0]!.bridgeGroup, 1);
});

const SEED_R3 = `
!
hostname R3
!
ip flow-capture fragment-offset
ip flow-capture packet-length
ip flow-capture ttl
ip flow-capture vlan-id
ip flow-capture ip-id
ip flow-capture mac-addresses
!
interface Ethernet0/0
 mac-address aaaa.bbbb.cc04
 no ip address
!
interface Ethernet0/0.1
 encapsulation dot1Q 5
 ip address 172.16.6.2 255.255.255.0
 ip accounting output-packets
 ip flow ingress
!
interface Ethernet1/0
 mac-address aaaa.bbbb.cc05
 no ip address
!
interface Ethernet1/0.1
 encapsulation dot1Q 6
 ip address 172.16.7.1 255.255.255.0
 ip accounting output-packets
 ip flow egress
!
router rip
 version 2
 network 172.16.0.0
 no auto-summary
!
end
`;

test("the seed's example configurations parse, read back and make a Dataplane", () => {
  for (const text of [
    SEED_R3,
    `hostname Router\n!\nip cef\n${SAMPLING}ip flow-top-talkers\n top 5\n sort-by bytes\n match class-map icmp-dos-class-map\n!\nend\n`,
  ]) {
    const c = roundTrip(text);
    const dp = Dataplane.fromConfig(text);
    assert.ok(dp.interfaceNames.length >= 2);
    assert.equal(dp.runningConfig(), renderRunningConfig(c));
    dp.dispose();
  }
  const c = parseIosConfig(SEED_R3);
  assert.equal(c.hostname, "R3");
  assert.deepEqual(c.routerBlocks, [{ header: "router rip", lines: ["version 2", "network 172.16.0.0", "no auto-summary"] }]);
  assert.equal(dataplaneOptionsFromConfig(c).interfaces[1]!.mac, "aaaa.bbbb.cc04");
});

for (const [text, line, why] of [
  ["interface E0\n ip adress 10.0.0.1 255.0.0.0\n", 2, "unknown command"],
  ["interface E0\n ip address 10.0.0.1 255.0.255.0\n", 2, "not a contiguous subnet mask"],
  ["interface E0\n mac-address zz.yy\n", 2, "expected a MAC address"],
  ["!\n\nfrobnicate\n", 3, "unknown command"],
  ["access-list 700 permit any\n", 1, "not a standard"],
  ["access-list 101 permit tcp any any eq 99999\n", 1, "invalid port"],
  ["ip route 10.0.0.1 255.0.0.0 192.0.2.1\n", 1, "bits outside the mask"],
  ["ip route 10.0.0.0 255.0.0.0\n", 1, "expected a next hop"],
  ["flow-sampler-map m\n mode random one-out-of 0\n", 2, "packet interval"],
  ["interface E0\n ip verify unicast source reachable-via somewhere\n", 2, "expected rx or any"],
  ["arp 10.0.0.1 0011.2233.4455 snap\n", 1, "arpa"],
] as const) {
  test(`a bad line is a ConfigError naming line ${line}: ${JSON.stringify(text.split("\n")[line - 1])}`, () => {
    assert.throws(
      () => parseIosConfig(text),
      (e: unknown) =>
        e instanceof ConfigError &&
        e instanceof ConfigLineError &&
        e.line === line &&
        e.text === text.split("\n")[line - 1] &&
        e.message.startsWith(`line ${line}: ${JSON.stringify(text.split("\n")[line - 1])}`) &&
        e.message.includes(why),
    );
  });
}

test("references that do not resolve are ConfigErrors naming them", () => {
  assert.throws(() => Dataplane.fromConfig(`${TWO}\ninterface GigabitEthernet0/0\n ip access-group 199 in\n`), /no access list "199"/);
  assert.throws(
    () => Dataplane.fromConfig(`${TWO}\nip route 10.0.0.0 255.0.0.0 203.0.113.1\n`),
    /next hop 203.0.113.1 is on no connected subnet/,
  );
  assert.throws(() => Dataplane.fromConfig(`${TWO}\nip route 10.0.0.0 255.0.0.0 Serial0\n`), /no interface "Serial0"/);
});
