// Input filters and sampler maps: the WebAssembly matcher against the straightforward TS
// matcher on random classes and packets, the whole selector against the reference selector
// (model-based, configuration changes interleaved with batches), the conservation law, the
// seed's rules (8 maps, full vs sampled NetFlow) and refusals of bad configuration.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { runs } from "./helpers/runs.js";
import {
  PacketSelector,
  ConfigError,
  InterfaceError,
  CapacityError,
  filterInputFrom,
  emptyFilterInput,
  renderFlowSampler,
  formatPrefix,
  type FilterCriterion,
  type ClassMapConfig,
  type FilterInput,
  type SamplerMode,
  type InterfaceNetflow,
  SAMPLER_MODES,
  TcpFlag,
} from "../src/index.js";
import { networkWords } from "../src/net/prefix.js";
import { parseIPv4, parseIPv6 } from "../src/net/address.js";
import { ReferencePacketSelector } from "../src/reference/packet-selector.js";
import { referenceClassMatches, referencePacket } from "../src/reference/filter-match.js";
import { instantiate } from "../src/wasm/instance.js";
import { PacketBatch } from "../src/packet/batch.js";
import { anyFrame } from "./helpers/frames.js";

// ---------------------------------------------------------------------------------------------
// Arbitraries: addresses from small pools (so prefixes match often) or anywhere

const V4_POOL = ["10.0.0.1", "10.0.1.2", "10.1.2.3", "192.0.2.1", "172.16.10.2", "0.0.0.0", "255.255.255.255"].map(parseIPv4);
const V6_POOL = ["2001:db8::1", "2001:db8:1::5", "fe80::1", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"].map((a) => [...parseIPv6(a)]);

const v4Arb = fc.oneof(fc.constantFrom(...V4_POOL), fc.nat({ max: 0xffffffff }));
const v6Arb = fc.oneof(fc.constantFrom(...V6_POOL), fc.array(fc.nat({ max: 0xffffffff }), { minLength: 4, maxLength: 4 }));

const prefixArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(v4Arb, fc.integer({ min: 0, max: 32 }))
    .map(([a, length]) => formatPrefix({ family: 4, words: networkWords([a], length), length })),
  fc
    .tuple(v6Arb, fc.integer({ min: 0, max: 128 }))
    .map(([w, length]) => formatPrefix({ family: 6, words: networkWords(w, length), length })),
  v4Arb.map((a) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`),
);
// Values from small pools most of the time, so that criteria and packets meet at the edges
// (a range's bounds, a mask's bits) where off-by-one mistakes hide.
const portArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 53, 80, 443, 65535), weight: 4 },
  { arbitrary: fc.nat({ max: 65535 }), weight: 1 },
);
const portMatchArb = fc.oneof(
  portArb,
  fc.tuple(portArb, portArb).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
);
const byteArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 0x02, 0x10, 0x12, 0xb8, 0xe0, 0xff), weight: 3 },
  { arbitrary: fc.nat({ max: 255 }), weight: 1 },
);

const criterionArb: fc.Arbitrary<FilterCriterion> = fc
  .oneof(
    prefixArb.map((source): FilterCriterion => ({ source })),
    prefixArb.map((destination): FilterCriterion => ({ destination })),
    fc
      .oneof(fc.constantFrom<number | string>(1, 6, 17, 132, 47, "tcp", "udp", "icmp", "SCTP"), byteArb)
      .map((protocol): FilterCriterion => ({ protocol })),
    portMatchArb.map((sourcePort): FilterCriterion => ({ sourcePort })),
    portMatchArb.map((destinationPort): FilterCriterion => ({ destinationPort })),
    fc.tuple(byteArb, byteArb).map(([v, mask]): FilterCriterion => ({ tos: v & mask, mask })),
    byteArb.map((tos): FilterCriterion => ({ tos })),
    fc.nat({ max: 63 }).map((dscp): FilterCriterion => ({ dscp })),
    fc.nat({ max: 7 }).map((precedence): FilterCriterion => ({ precedence })),
    fc
      .tuple(byteArb, fc.oneof(byteArb, fc.constant(0xfff), fc.constant(0x1ff)))
      .map(([f, mask]): FilterCriterion => ({ tcpFlags: f & mask, mask })),
    fc.constantFrom(TcpFlag.syn, TcpFlag.syn | TcpFlag.ack, TcpFlag.fin).map((tcpFlags): FilterCriterion => ({ tcpFlags })),
    fc.integer({ min: 0, max: 4 }).map((inputInterface): FilterCriterion => ({ inputInterface })),
  )
  .chain((c) => fc.boolean().map((not) => (not ? { ...c, not: true } : c)));

const classArb: fc.Arbitrary<ClassMapConfig> = fc.record({
  match: fc.constantFrom<"all" | "any">("all", "any"),
  criteria: fc.array(criterionArb, { maxLength: 4 }),
});

interface PacketSpec {
  version: number;
  src4: number;
  dst4: number;
  src6: number[];
  dst6: number[];
  protocol: number;
  srcPort: number;
  dstPort: number;
  tos: number;
  tcpFlags: number;
  inputInterface: number;
  status: number;
}

const packetArb: fc.Arbitrary<PacketSpec> = fc.record({
  version: fc.constantFrom(0, 4, 4, 4, 6, 6),
  src4: v4Arb,
  dst4: v4Arb,
  src6: v6Arb,
  dst6: v6Arb,
  protocol: fc.oneof(
    { arbitrary: fc.constantFrom(6, 17), weight: 3 },
    { arbitrary: fc.constantFrom(1, 47, 132), weight: 1 },
    { arbitrary: fc.nat({ max: 255 }), weight: 1 },
  ),
  srcPort: portArb,
  dstPort: portArb,
  tos: byteArb,
  tcpFlags: fc.oneof(byteArb, fc.nat({ max: 0xfff })),
  inputInterface: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 4 }, { arbitrary: fc.nat({ max: 0xffffffff }), weight: 1 }),
  // Parsed (0), a non-first fragment (1), not IP (2 ARP, 4 other), malformed (32 and above).
  status: fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.constantFrom(1, 2, 4, 32, 37, 45), weight: 2 }),
});

function columns(packets: PacketSpec[]): FilterInput {
  const input: FilterInput = { ...emptyFilterInput(packets.length), status: new Uint8Array(packets.length) };
  packets.forEach((p, i) => {
    input.ipVersion[i] = p.version;
    if (p.version === 4) {
      input.src[i * 4] = p.src4;
      input.dst[i * 4] = p.dst4;
    } else if (p.version === 6) {
      input.src.set(p.src6, i * 4);
      input.dst.set(p.dst6, i * 4);
    }
    input.protocol[i] = p.protocol;
    input.srcPort[i] = p.srcPort;
    input.dstPort[i] = p.dstPort;
    input.tos[i] = p.tos;
    input.tcpFlags[i] = p.tcpFlags;
    input.interface[i] = p.inputInterface;
    input.status![i] = p.status;
  });
  return input;
}

// ---------------------------------------------------------------------------------------------
// The matcher

test("the WebAssembly filters classify like the straightforward TS matcher (random classes and packets)", () => {
  fc.assert(
    fc.property(
      fc.array(classArb, { minLength: 1, maxLength: 6 }),
      fc.boolean(),
      fc.array(packetArb, { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 1, max: 300 }),
      (classes, withDefault, packets, maxBatch) => {
        const selector = new PacketSelector({ seed: 1, maxBatch });
        selector.samplerMap("all", { interval: 1 });
        classes.forEach((c, i) => selector.classMap(`c${i}`, c));
        const policy = classes.map((_, i) => ({ class: `c${i}`, sampler: "all" }));
        if (withDefault) policy.unshift({ class: "class-default", sampler: "all" }); // tried last wherever it is listed
        selector.policyMap("p", policy);
        for (let i = 0; i <= 4; i++) selector.setInterface(i, { servicePolicy: "p" });
        const input = columns(packets);
        const selection = selector.select(input);
        const classOfSlot = new Map(selector.samplers().map((s) => [s.slot, s.class]));
        const actual = new Map<number, string | undefined>();
        selection.indices.forEach((index, j) => actual.set(index, classOfSlot.get(selection.slots[j]!)));
        packets.forEach((p, i) => {
          const packet = referencePacket(input, i);
          let expected: string | undefined;
          if (p.inputInterface <= 4 && p.status < 32 && (p.version === 4 || p.version === 6)) {
            const k = classes.findIndex((c) => referenceClassMatches(c, packet));
            expected = k >= 0 ? `c${k}` : withDefault ? "class-default" : undefined;
          }
          assert.equal(actual.get(i), expected, `packet ${i}: ${JSON.stringify(p)}`);
        });
        const counters = selector.counters();
        assert.equal(counters.packets, packets.length);
        assert.equal(
          counters.malformed +
            counters.notIp +
            counters.notConfigured +
            counters.filteredOut +
            counters.fullAccounted +
            counters.sampledPopulation,
          counters.packets,
        );
        assert.equal(counters.malformed, packets.filter((p) => p.status >= 32).length);
        assert.equal(counters.notIp, packets.filter((p) => p.status < 32 && p.version !== 4 && p.version !== 6).length);
        assert.equal(counters.sampled, selection.indices.length);
      },
    ),
    runs(150),
  );
});

test("filters on the seed's example: ICMP to 172.16.10.2 on Ethernet0/0.1, sampled 1 in 2", () => {
  const selector = new PacketSelector({ seed: 12 });
  assert.equal(selector.samplerMap("icmp-dos-fs-map", { mode: "random", interval: 2 }), 1);
  // The seed matches `access-list 101 permit icmp any host 172.16.10.2`: ICMP and that destination.
  selector.classMap("icmp-dos-class-map", { match: "all", criteria: [{ protocol: "icmp" }, { destination: "172.16.10.2" }] });
  selector.policyMap("icmp-dos-policy-map", [{ class: "icmp-dos-class-map", sampler: "icmp-dos-fs-map" }]);
  selector.setInterface(1, { servicePolicy: "icmp-dos-policy-map" });
  const packets = Array.from({ length: 10000 }, (_, i) => ({
    src: `10.0.0.${i % 200}`,
    dst: i % 2 ? "172.16.10.2" : "172.16.10.3",
    protocol: i % 4 < 2 ? "icmp" : "tcp",
    interface: 1,
  }));
  const selection = selector.select(filterInputFrom(packets));
  // ICMP to the host: i % 4 === 1 → 2500 packets, one of each two sampled (one per window).
  assert.equal(selection.indices.length, 1250);
  assert.ok([...selection.indices].every((i) => i % 4 === 1));
  assert.ok(selection.samplerIds.every((id) => id === 1));
  const [map] = selector.samplerMaps();
  assert.deepEqual({ ...map }, { name: "icmp-dos-fs-map", id: 1, mode: "random", interval: 2, seen: 2500, sampled: 1250 });
  assert.equal(
    renderFlowSampler(selector.samplerMaps()),
    "Sampler : icmp-dos-fs-map, id : 1, packets matched : 2500, mode : random sampling mode\n  sampling interval is : 2\n",
  );
  const counters = selector.counters();
  assert.equal(counters.filteredOut, 7500);
  const info = selector.exportInfo()[0]!;
  assert.equal(info.samplerId, 1);
  assert.deepEqual(info.ipfix.find((f) => f.id === 310)?.value, 2);
  assert.equal(info.packetsObserved, 2500);
});

// ---------------------------------------------------------------------------------------------
// The whole selector against the reference: a model-based run

type Pair = { real: PacketSelector; model: ReferencePacketSelector };

/**
 * Applies a configuration call to the selector and, when it is accepted, to the model. A
 * refusal must be a typed error (bad reference, no room for the samplers) and changes nothing.
 */
function configureBoth(s: Pair, real: (x: PacketSelector) => unknown, model: (x: ReferencePacketSelector) => unknown): void {
  let result: unknown;
  try {
    result = real(s.real);
  } catch (error) {
    assert.ok(error instanceof ConfigError || error instanceof CapacityError, String(error));
    return;
  }
  assert.deepEqual(model(s.model), result);
}

const MAP_NAMES = ["m1", "m2", "m3"];
const CLASS_NAMES = ["c1", "c2", "c3"];
const POLICY_NAMES = ["p1", "p2"];

class SamplerMapCommand implements fc.Command<Pair, Pair> {
  constructor(
    readonly name: string,
    readonly mode: SamplerMode,
    readonly interval: number,
  ) {}
  check = () => true;
  run(_: Pair, s: Pair): void {
    const config = { mode: this.mode, interval: this.interval };
    configureBoth(
      s,
      (x) => x.samplerMap(this.name, config),
      (x) => x.samplerMap(this.name, config),
    );
  }
  toString = () => `samplerMap(${this.name}, ${this.mode}, ${this.interval})`;
}

class ClassMapCommand implements fc.Command<Pair, Pair> {
  constructor(
    readonly name: string,
    readonly config: ClassMapConfig,
  ) {}
  check = () => true;
  run(_: Pair, s: Pair): void {
    configureBoth(
      s,
      (x) => x.classMap(this.name, this.config),
      (x) => x.classMap(this.name, this.config),
    );
  }
  toString = () => `classMap(${this.name}, ${JSON.stringify(this.config)})`;
}

class PolicyMapCommand implements fc.Command<Pair, Pair> {
  constructor(
    readonly name: string,
    readonly classes: { class: string; sampler: string }[],
  ) {}
  check = () => true;
  run(_: Pair, s: Pair): void {
    configureBoth(
      s,
      (x) => x.policyMap(this.name, this.classes),
      (x) => x.policyMap(this.name, this.classes),
    );
  }
  toString = () => `policyMap(${this.name}, ${JSON.stringify(this.classes)})`;
}

class InterfaceCommand implements fc.Command<Pair, Pair> {
  constructor(
    readonly ifIndex: number,
    readonly setting: InterfaceNetflow | null,
  ) {}
  check = () => true;
  run(_: Pair, s: Pair): void {
    const before = s.real.interfaceSetting(this.ifIndex);
    try {
      s.real.setInterface(this.ifIndex, this.setting);
    } catch (error) {
      assert.ok(error instanceof ConfigError || error instanceof CapacityError, String(error));
      if (error instanceof ConfigError && error.code === "netflow-conflict") {
        // Only a switch between full and sampled NetFlow is a conflict.
        assert.ok(before !== undefined && this.setting !== null && "flow" in before !== "flow" in this.setting);
      }
      assert.deepEqual(s.real.interfaceSetting(this.ifIndex), before);
      return;
    }
    s.model.setInterface(this.ifIndex, this.setting);
  }
  toString = () => `setInterface(${this.ifIndex}, ${JSON.stringify(this.setting)})`;
}

class SelectCommand implements fc.Command<Pair, Pair> {
  constructor(readonly packets: PacketSpec[]) {}
  check = () => true;
  run(_: Pair, s: Pair): void {
    const input = columns(this.packets);
    const got = s.real.select(input);
    const expected = s.model.select(input);
    const keyOfSlot = new Map(
      s.real.samplers().map((x) => [x.slot, x.policy === undefined ? `${x.interface}|sampler` : `${x.interface}|${x.policy}|${x.class}`]),
    );
    assert.deepEqual([...got.indices], expected.indices);
    assert.deepEqual([...got.samplerIds], expected.samplerIds);
    assert.deepEqual(
      [...got.slots].map((slot) => (slot === 0xffff ? "full" : keyOfSlot.get(slot))),
      expected.keys,
    );
    const c = s.real.counters();
    assert.equal(c.packets, s.model.packets);
    assert.equal(c.malformed, s.model.malformed);
    assert.equal(c.notIp, s.model.notIp);
    assert.equal(c.notConfigured, s.model.notConfigured);
    assert.equal(c.filteredOut, s.model.filteredOut);
    assert.equal(c.fullAccounted, s.model.fullAccounted);
    assert.equal(c.malformed + c.notIp + c.notConfigured + c.filteredOut + c.fullAccounted + c.sampledPopulation, c.packets);
    const perMap = s.real.samplerMaps();
    assert.ok(perMap.every((m) => m.sampled <= m.seen));
  }
  toString = () => `select(${this.packets.length} packets)`;
}

const smallPacketArb = packetArb.map((p) => ({ ...p, inputInterface: p.inputInterface % 4 }));

const commandArbs = [
  fc
    .tuple(
      fc.constantFrom(...MAP_NAMES),
      fc.constantFrom(...SAMPLER_MODES),
      fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(64, 65535)),
    )
    .map(([n, m, i]) => new SamplerMapCommand(n, m, i)),
  fc.tuple(fc.constantFrom(...CLASS_NAMES), classArb).map(([n, c]) => new ClassMapCommand(n, c)),
  fc
    .tuple(
      fc.constantFrom(...POLICY_NAMES),
      fc.uniqueArray(fc.constantFrom(...CLASS_NAMES, "class-default"), { maxLength: 4 }),
      fc.array(fc.constantFrom(...MAP_NAMES), { minLength: 4, maxLength: 4 }),
    )
    .map(
      ([n, classes, maps]) =>
        new PolicyMapCommand(
          n,
          classes.map((c, i) => ({ class: c, sampler: maps[i]! })),
        ),
    ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.oneof(
        fc.constant(null),
        fc.constant<InterfaceNetflow>({ flow: "full" }),
        fc.constantFrom(...MAP_NAMES).map((sampler): InterfaceNetflow => ({ sampler })),
        fc.constantFrom(...POLICY_NAMES).map((servicePolicy): InterfaceNetflow => ({ servicePolicy })),
      ),
    )
    .map(([i, s]) => new InterfaceCommand(i, s)),
  fc.array(smallPacketArb, { maxLength: 400 }).map((p) => new SelectCommand(p)),
];

test("the selector matches the reference selector through configuration changes and batches (model-based)", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.integer({ min: 1, max: 64 }),
      fc.commands(commandArbs, { size: "max", maxCommands: 40 }),
      (seed, maxBatch, commands) => {
        fc.modelRun(() => {
          // A small sampler budget, so that capacity refusals happen too.
          const pair: Pair = { real: new PacketSelector({ seed, maxBatch, maxSamplers: 12 }), model: new ReferencePacketSelector(seed) };
          return { model: pair, real: pair };
        }, commands);
      },
    ),
    runs(60),
  );
});

// ---------------------------------------------------------------------------------------------
// The seed's rules and refusals

test("full and sampled NetFlow cannot both be active on one interface", () => {
  const selector = new PacketSelector({ seed: 1 });
  selector.samplerMap("s", { interval: 10 });
  selector.policyMap("p", [{ class: "class-default", sampler: "s" }]);
  selector.setInterface(3, { flow: "full" });
  for (const setting of [{ sampler: "s" }, { servicePolicy: "p" }]) {
    assert.throws(
      () => selector.setInterface(3, setting),
      (e: unknown) => e instanceof ConfigError && e.code === "netflow-conflict" && /full NetFlow/.test(e.message),
    );
  }
  assert.deepEqual(selector.interfaceSetting(3), { flow: "full" });
  selector.setInterface(3, null);
  assert.equal(selector.interfaceSetting(3), undefined);
  selector.setInterface(3, { sampler: "s" });
  assert.throws(
    () => selector.setInterface(3, { flow: "full" }),
    (e: unknown) => e instanceof ConfigError && e.code === "netflow-conflict" && /flow-sampler s/.test(e.message),
  );
  selector.setInterface(3, { servicePolicy: "p" }); // sampled → sampled is a change of policy, allowed
  // Turning sampling off does not turn full NetFlow on.
  selector.setInterface(3, null);
  const selection = selector.select(filterInputFrom([{ src: "10.0.0.1", interface: 3 }]));
  assert.equal(selection.indices.length, 0);
  assert.equal(selector.counters().notConfigured, 1);
});

test("at most eight sampler maps; ids are reused after removal; maps, classes and policies in use cannot be removed", () => {
  const selector = new PacketSelector({ seed: 1 });
  const ids = Array.from({ length: 8 }, (_, i) => selector.samplerMap(`map${i}`, { interval: i + 1 }));
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.throws(
    () => selector.samplerMap("map8", { interval: 5 }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-map-limit" && e.value === "map8",
  );
  assert.equal(selector.samplerMap("map3", { interval: 100 }), 4, "redefinition keeps the id");
  selector.removeSamplerMap("map2");
  assert.equal(selector.samplerMap("new", { interval: 7 }), 3);
  selector.classMap("c", { criteria: [{ protocol: "udp" }] });
  selector.policyMap("p", [{ class: "c", sampler: "map0" }]);
  selector.setInterface(9, { servicePolicy: "p" });
  assert.throws(
    () => selector.removeSamplerMap("map0"),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-map-in-use",
  );
  assert.throws(
    () => selector.removeClassMap("c"),
    (e: unknown) => e instanceof ConfigError && e.code === "class-map-in-use",
  );
  assert.throws(
    () => selector.removePolicyMap("p"),
    (e: unknown) => e instanceof ConfigError && e.code === "policy-map-in-use",
  );
  selector.setInterface(9, null);
  selector.removePolicyMap("p");
  selector.removeClassMap("c");
  selector.removeSamplerMap("map0");
  assert.equal(selector.samplerMaps().length, 7);
});

test("bad names, criteria and references are refused with a ConfigError naming the value", () => {
  const selector = new PacketSelector({ seed: 1 });
  selector.samplerMap("s", { interval: 2 });
  for (const name of ["", "a".repeat(41), "bad name", 5]) {
    assert.throws(
      () => selector.samplerMap(name as string, { interval: 2 }),
      (e: unknown) => e instanceof ConfigError && e.code === "sampler-map-name" && e.value === name,
    );
  }
  assert.throws(
    () => selector.samplerMap("x", { interval: 0 }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-interval",
  );
  assert.throws(
    () => selector.samplerMap("x", { interval: 2, mode: "hash" as SamplerMode }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-mode",
  );
  assert.throws(() => selector.classMap("class-default", { criteria: [] }), ConfigError);
  const badCriteria: unknown[] = [
    {},
    { protocol: 6, sourcePort: 80 },
    { protocol: "quic" },
    { protocol: 256 },
    { sourcePort: [90, 80] },
    { sourcePort: 70000 },
    { dscp: 64 },
    { precedence: 8 },
    { tos: 0xff, mask: 0x0f },
    { tcpFlags: 3, mask: 1 },
    { source: "10.0.0.1/8" },
    { source: "10.0.0.0/33" },
    { destination: "not-an-address" },
    { inputInterface: -1 },
    { protocol: 6, not: "yes" },
    { protocol: 6, mask: 1 },
    null,
  ];
  for (const criterion of badCriteria) {
    assert.throws(
      () => selector.classMap("c", { criteria: [criterion as FilterCriterion] }),
      (e: unknown) => e instanceof ConfigError,
      JSON.stringify(criterion),
    );
  }
  assert.throws(() => selector.classMap("c", { match: "some" as "all", criteria: [] }), ConfigError);
  assert.throws(
    () => selector.policyMap("p", [{ class: "nope", sampler: "s" }]),
    (e: unknown) => e instanceof ConfigError && e.code === "class-map-unknown",
  );
  assert.throws(
    () => selector.policyMap("p", [{ class: "class-default", sampler: "nope" }]),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-map-unknown",
  );
  assert.throws(
    () =>
      selector.policyMap("p", [
        { class: "class-default", sampler: "s" },
        { class: "class-default", sampler: "s" },
      ]),
    ConfigError,
  );
  assert.throws(
    () => selector.setInterface(70000, { flow: "full" }),
    (e: unknown) => e instanceof InterfaceError && e.code === "interface",
  );
  assert.throws(
    () => selector.setInterface(1, { sampler: "nope" }),
    (e: unknown) => e instanceof ConfigError && e.code === "sampler-map-unknown",
  );
  assert.throws(
    () => selector.setInterface(1, { servicePolicy: "nope" }),
    (e: unknown) => e instanceof ConfigError && e.code === "policy-map-unknown",
  );
  assert.throws(() => selector.setInterface(1, { flow: "half" } as unknown as InterfaceNetflow), ConfigError);
  assert.throws(() => selector.select({ ...emptyFilterInput(3), tos: new Uint8Array(2) }), ConfigError);
});

test("a configuration that needs more samplers than the budget is refused and changes nothing", () => {
  const selector = new PacketSelector({ seed: 4, maxSamplers: 3 });
  selector.samplerMap("s", { interval: 3 });
  selector.setInterface(1, { sampler: "s" });
  selector.setInterface(2, { sampler: "s" });
  const input = filterInputFrom(Array.from({ length: 3000 }, (_, i) => ({ src: "10.0.0.1", interface: 1 + (i % 3) })));
  assert.throws(
    () => {
      selector.setInterface(3, { sampler: "s" });
      selector.setInterface(4, { sampler: "s" });
    },
    (e: unknown) => e instanceof CapacityError && e.code === "selector-samplers",
  );
  assert.deepEqual(selector.interfaceSetting(4), undefined);
  const twin = new ReferencePacketSelector(4);
  twin.samplerMap("s", { interval: 3 });
  for (const i of [1, 2, 3]) twin.setInterface(i, { sampler: "s" });
  assert.deepEqual([...selector.select(input).indices], twin.select(input).indices);
});

test("the sampler maps' totals survive interfaces leaving them, and restart when the map is redefined", () => {
  const selector = new PacketSelector({ seed: 4 });
  selector.samplerMap("s", { interval: 1 });
  selector.setInterface(1, { sampler: "s" });
  selector.select(filterInputFrom(Array.from({ length: 50 }, () => ({ src: "10.0.0.1", interface: 1 }))));
  selector.setInterface(1, null);
  assert.deepEqual(
    selector.samplerMaps().map((m) => [m.seen, m.sampled]),
    [[50, 50]],
  );
  assert.equal(selector.counters().sampledPopulation, 50, "released samplers stay in the conserved totals");
  selector.samplerMap("s", { interval: 2 });
  assert.deepEqual(
    selector.samplerMaps().map((m) => [m.seen, m.sampled]),
    [[0, 0]],
  );
  selector.clearCounters();
  assert.equal(selector.counters().packets, 0);
});

test("the WebAssembly selector refuses malformed programs and never traps on them", () => {
  const w = instantiate();
  const selector = w.selectorCreate(8, 64, 1, 2, 1 << 16);
  for (let slot = 0; slot < 4; slot++) assert.equal(w.selectorConfigureSlot(selector, slot, slot % 4, 1 + slot, 1), 0);
  assert.equal(w.selectorConfigureSlot(selector, 8, 0, 1, 1), -2, "slot out of range");
  assert.equal(w.selectorConfigureSlot(selector, 0, 0, 0, 1), -3, "interval 0");
  const program = w.alloc(4 * 256);
  const columnsAt = w.alloc(40);
  const area = w.alloc(64 * 64);
  new Uint32Array(w.memory.buffer, columnsAt, 10).set(Array.from({ length: 10 }, () => area));
  const out = w.alloc(64 * 6);
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.nat({ max: 12 }), fc.nat({ max: 0xffffffff }), fc.constantFrom(1, 2, 0xffff)), { maxLength: 256 }),
      fc.array(fc.nat({ max: 0xffffffff }), { minLength: 64, maxLength: 64 }),
      (words, fields) => {
        new Uint32Array(w.memory.buffer, program, 256).fill(0).set(words);
        const status = w.selectorLoad(selector, program, words.length);
        assert.ok(status === 0 || status === -4 || status === -1, `status ${status}`);
        new Uint32Array(w.memory.buffer, area, 64 * 16).set(fields.flatMap((f) => Array<number>(16).fill(f)));
        const k = w.selectorRun(selector, columnsAt, 64, out, out + 64 * 4);
        assert.ok(k >= 0 && k <= 64);
      },
    ),
    runs(500),
  );
  assert.equal(w.selectorRun(selector, columnsAt, 65, out, out + 256), -6, "batch larger than maxBatch");
  assert.equal(w.selectorCreate(0, 10, 0, 0, 0), 0);
  assert.equal(w.selectorCreate(5000, 10, 0, 0, 0), 0);
});

test("columns longer than the packet count (a packet batch's, over its capacity) are read up to the count", () => {
  fc.assert(
    fc.property(fc.array(packetArb, { minLength: 1, maxLength: 200 }), fc.nat({ max: 200 }), (packets, extra) => {
      const make = () => {
        const s = new PacketSelector({ seed: 3, maxBatch: 64 });
        s.samplerMap("m", { mode: "bernoulli", interval: 3 });
        for (let i = 0; i <= 4; i++) s.setInterface(i, { sampler: "m" });
        return s;
      };
      const count = Math.max(0, packets.length - (extra % (packets.length + 1)));
      const whole = make().select(columns(packets), count);
      const exact = make().select(columns(packets.slice(0, count)));
      assert.deepEqual([...whole.indices], [...exact.indices]);
      assert.deepEqual([...whole.samplerIds], [...exact.samplerIds]);
    }),
    runs(40),
  );
  assert.throws(() => new PacketSelector({ seed: 1 }).select(emptyFilterInput(3), 4), ConfigError);
});

// ---------------------------------------------------------------------------------------------
// Packet batches: parsed frames, read in place or copied

function configureForBatches<T extends PacketSelector | ReferencePacketSelector>(s: T): T {
  s.samplerMap("web", { interval: 2 });
  s.samplerMap("rest", { mode: "bernoulli", interval: 3 });
  s.classMap("tcp", { criteria: [{ protocol: "tcp" }, { destinationPort: [0, 1023] }] });
  s.classMap("v6", { criteria: [{ source: "::/0" }] });
  s.policyMap("p", [
    { class: "tcp", sampler: "web" },
    { class: "v6", sampler: "web" },
    { class: "class-default", sampler: "rest" },
  ]);
  s.setInterface(0, { servicePolicy: "p" });
  s.setInterface(1, { sampler: "rest" });
  s.setInterface(2, { flow: "full" });
  return s;
}

test("parsed packet batches (valid and corrupted frames): in place, copied and reference selections agree", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(anyFrame, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 120 }),
      fc.integer({ min: 1, max: 50 }),
      (frames, maxBatch) => {
        const inPlace = configureForBatches(new PacketSelector({ seed: 9, maxBatch }));
        const copied = configureForBatches(new PacketSelector({ seed: 9, maxBatch }));
        const reference = configureForBatches(new ReferencePacketSelector(9));
        const own = inPlace.createBatch({ capacity: frames.length, frameBytes: frames.reduce((n, [f]) => n + f.bytes.length, 0) });
        for (const [frame, ifIndex] of frames)
          own.push({ frame: frame.bytes, linkType: frame.linkType, wireLength: frame.wireLength, interface: ifIndex });
        own.parse();
        const other = PacketBatch.from(
          frames.map(([frame, ifIndex]) => ({
            frame: frame.bytes,
            linkType: frame.linkType,
            wireLength: frame.wireLength,
            interface: ifIndex,
          })),
        );
        other.parse();
        const a = inPlace.selectBatch(own);
        const b = copied.selectBatch(other);
        const expected = reference.select(other.columns, other.length);
        assert.deepEqual([...a.indices], expected.indices);
        assert.deepEqual([...a.samplerIds], expected.samplerIds);
        assert.deepEqual([...b.indices], expected.indices);
        assert.deepEqual([...b.samplerIds], expected.samplerIds);
        const c = inPlace.counters();
        assert.deepEqual(
          [c.malformed, c.notIp, c.notConfigured, c.filteredOut, c.fullAccounted],
          [reference.malformed, reference.notIp, reference.notConfigured, reference.filteredOut, reference.fullAccounted],
        );
        assert.deepEqual(c, { ...copied.counters(), memoryBytes: c.memoryBytes });
      },
    ),
    runs(60),
  );
});
