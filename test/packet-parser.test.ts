// The WebAssembly frame parser against the TypeScript reference parser, on generated frames
// of every kind, valid and corrupted; the batch layout contract; PacketBatch.from.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { instantiate, registerWasmVariant } from "../src/wasm/instance.js";
import { Core } from "../src/wasm/core.js";
import { debug } from "../src/wasm/generated/debug.js";
import { releaseNoSimd } from "../src/wasm/generated/release.js";
import {
  PacketBatch,
  PACKET_COLUMNS,
  COLUMN_NAMES,
  PACKET_STATUSES,
  FIRST_ERROR_STATUS,
  DataplaneError,
  AddressError,
  type PacketInit,
} from "../src/index.js";
import { referenceParse, type ReferenceFields } from "../src/reference/packet-parser.js";
import { anyFrame, validFrame, fastPathFrame, type GeneratedFrame } from "./helpers/frames.js";

registerWasmVariant("debug", debug);
registerWasmVariant("release-nosimd", releaseNoSimd);
const BUILDS = ["release", "release-nosimd", "debug"] as const;

const hex = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");

/** Row `i` of a batch in the reference's raw form. */
function rawFields(batch: PacketBatch, i: number): ReferenceFields {
  const c = batch.columns;
  return {
    status: c.status[i]!,
    srcMac: hex(c.srcMac.subarray(i * 8)),
    dstMac: hex(c.dstMac.subarray(i * 8)),
    etherType: c.etherType[i]!,
    vlanOuter: c.vlanOuter[i]!,
    vlanInner: c.vlanInner[i]!,
    l3Offset: c.l3Offset[i]!,
    l4Offset: c.l4Offset[i]!,
    ipVersion: c.ipVersion[i]!,
    src: Array.from(c.src.subarray(i * 4, i * 4 + 4)),
    dst: Array.from(c.dst.subarray(i * 4, i * 4 + 4)),
    protocol: c.protocol[i]!,
    tos: c.tos[i]!,
    ttl: c.ttl[i]!,
    ipLength: c.ipLength[i]!,
    ipId: c.ipId[i]!,
    fragmentOffset: c.fragmentOffset[i]!,
    fragmentFlags: c.fragmentFlags[i]!,
    srcPort: c.srcPort[i]!,
    dstPort: c.dstPort[i]!,
    tcpFlags: c.tcpFlags[i]!,
    icmpType: c.icmpType[i]!,
    icmpCode: c.icmpCode[i]!,
    arpOperation: c.arpOperation[i]!,
    arpSenderMac: hex(c.arpSenderMac.subarray(i * 8)),
    arpTargetMac: hex(c.arpTargetMac.subarray(i * 8)),
    arpSenderAddress: c.arpSenderAddress[i]!,
    arpTargetAddress: c.arpTargetAddress[i]!,
  };
}

/**
 * Places frames in the batch's frame area with `gap` poison bytes before each, the last one
 * ending exactly at the end of the area; returns the parsed rows.
 */
function parseFrames(batch: PacketBatch, frames: GeneratedFrame[], poison: number, gap: number): ReferenceFields[] {
  batch.clear();
  const area = batch.frames;
  area.fill(poison);
  const total = frames.reduce((sum, f) => sum + f.bytes.length + gap, 0);
  let at = batch.frameBytes - total;
  const c = batch.columns;
  frames.forEach((frame, i) => {
    at += gap;
    area.set(frame.bytes, at);
    c.frameOffset[i] = at;
    c.capturedLength[i] = frame.bytes.length;
    c.wireLength[i] = frame.wireLength;
    c.linkType[i] = frame.linkType;
    c.status[i] = 0xee; // must be overwritten
    at += frame.bytes.length;
  });
  batch.length = frames.length;
  batch.parse();
  return frames.map((_, i) => rawFields(batch, i));
}

test("the TypeScript column and status tables match the WebAssembly layout", () => {
  const wasm = instantiate();
  assert.equal(COLUMN_NAMES.length, wasm.PACKET_COLUMN_COUNT.value as number);
  COLUMN_NAMES.forEach((name, id) => {
    assert.equal(PACKET_COLUMNS[name].id, id, name);
    assert.equal(wasm.packetColumnWidth(id), PACKET_COLUMNS[name].width, name);
  });
  const exported = wasm as unknown as Record<string, WebAssembly.Global>;
  for (const [name, { code }] of Object.entries(PACKET_STATUSES)) {
    const global = `PACKET_STATUS_${name.toUpperCase().replace(/-/g, "_")}`
      .replace("TRUNCATED_LINK_HEADER", "TRUNCATED_LINK")
      .replace("TRUNCATED_IP_HEADER", "TRUNCATED_IP");
    assert.equal(exported[global]?.value, code, `${name} (${global})`);
  }
  assert.equal(wasm.PACKET_STATUS_FIRST_ERROR.value, FIRST_ERROR_STATUS);
  // Columns do not overlap and lie before the frame area.
  const batch = new PacketBatch({ capacity: 7, frameBytes: 100 });
  const spans = COLUMN_NAMES.map(
    (name) => [batch.wasm.packetBatchColumn(batch.handle, PACKET_COLUMNS[name].id), 7 * PACKET_COLUMNS[name].width] as const,
  ).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]![0] + spans[i - 1]![1] <= spans[i]![0]);
  assert.ok(spans.at(-1)![0] + spans.at(-1)![1] <= batch.framesPointer);
  // The columns object (a fixed-shape class, written out by hand): every column, in id order,
  // each view over its own column's memory with the column's element type.
  assert.deepEqual(Object.keys(batch.columns), COLUMN_NAMES);
  const types = { f64: Float64Array, u32: Uint32Array, address: Uint32Array, u16: Uint16Array, u8: Uint8Array, mac: Uint8Array };
  for (const name of COLUMN_NAMES) {
    const view = batch.columns[name];
    const spec = PACKET_COLUMNS[name];
    assert.ok(view instanceof types[spec.kind], name);
    assert.equal(view.byteOffset, batch.wasm.packetBatchColumn(batch.handle, spec.id), name);
    assert.equal(view.byteLength, 7 * spec.width, name);
  }
});

for (const build of BUILDS) {
  test(`${build} build: the WASM parser agrees with the reference on every frame, never traps and never reads past a frame`, () => {
    const batch = new PacketBatch({ capacity: 32, frameBytes: 32 * 256, core: new Core({ build }) });
    fc.assert(
      fc.property(fc.array(anyFrame, { minLength: 1, maxLength: 32 }), fc.nat(8), (frames, gap) => {
        const first = parseFrames(batch, frames, 0x00, gap);
        frames.forEach((frame, i) => {
          assert.deepEqual(
            first[i],
            referenceParse(frame.bytes, frame.linkType, frame.wireLength),
            `frame ${i}: ${Buffer.from(frame.bytes).toString("hex")} link ${frame.linkType} wire ${frame.wireLength}`,
          );
        });
        // Different bytes around every frame change nothing: nothing outside a frame is read.
        assert.deepEqual(parseFrames(batch, frames, 0xff, gap), first);
        assert.deepEqual(parseFrames(batch, frames, 0x45, gap), first);
      }),
      // Three times the default runs in `npm test`; FUZZ=nightly runs it for as long as configured.
      process.env.FUZZ === "nightly" ? {} : { numRuns: Number(process.env.FC_NUM_RUNS ?? 300) },
    );
  });
}

test("the fast path (untagged Ethernet/IPv4/TCP-UDP) agrees with the reference at every boundary", () => {
  const batch = new PacketBatch({ capacity: 64, frameBytes: 64 * 128 });
  fc.assert(
    fc.property(fc.array(fastPathFrame, { minLength: 1, maxLength: 64 }), (frames) => {
      const rows = parseFrames(batch, frames, 0x5a, 0);
      frames.forEach((frame, i) =>
        assert.deepEqual(rows[i], referenceParse(frame.bytes, frame.linkType, frame.wireLength), Buffer.from(frame.bytes).toString("hex")),
      );
    }),
  );
});

test("valid generated frames parse without an error status", () => {
  const batch = new PacketBatch({ capacity: 1, frameBytes: 4096 });
  fc.assert(
    fc.property(validFrame, (frame) => {
      const [row] = parseFrames(batch, [frame], 0, 0);
      const okay =
        row!.status < FIRST_ERROR_STATUS ||
        row!.status === PACKET_STATUSES["fragment-overflow"].code ||
        row!.status === PACKET_STATUSES["unsupported-arp"].code ||
        row!.status === PACKET_STATUSES["bad-tcp-header-length"].code;
      assert.ok(okay, `status ${row!.status} for ${Buffer.from(frame.bytes).toString("hex")}`);
    }),
  );
});

test("frames placed outside the frame area get frame-out-of-bounds, not a read", () => {
  const batch = new PacketBatch({ capacity: 3, frameBytes: 64 });
  const c = batch.columns;
  const cases: [number, number][] = [
    [60, 10],
    [0xffffffff, 1],
    [0, 0xffffffff],
  ];
  cases.forEach(([offset, length], i) => {
    c.frameOffset[i] = offset;
    c.capturedLength[i] = length;
    c.linkType[i] = 1;
  });
  batch.length = 3;
  assert.equal(batch.parse(), 3);
  for (let i = 0; i < 3; i++) assert.deepEqual(rawFields(batch, i), referenceParse(new Uint8Array(0), 1, 0, false));
  assert.deepEqual(batch.statusCounts(), { "frame-out-of-bounds": 3 });
});

/** An Ethernet frame from hex pieces. */
const frame = (...parts: string[]) => Uint8Array.from(Buffer.from(parts.join("").replace(/\s/g, ""), "hex"));
const ETH = "ffffffffffff 020000000001";
const IPV4_UDP = "45000024 1234 0000 4011 0000 c0000201 c6336407";

test("known frames get the statuses their defects call for", () => {
  const cases: [string, Uint8Array, number, keyof typeof PACKET_STATUSES][] = [
    ["UDP over IPv4", frame(ETH, "0800", IPV4_UDP, "0035 0035 0010 0000", "0102030405060708"), 1, "ok"],
    ["QinQ, then IPv4", frame(ETH, "88a8 0064 8100 00c8 0800", IPV4_UDP, "0035 0035 0010 0000", "0102030405060708"), 1, "ok"],
    ["802.3 with LLC", frame(ETH, "0026 424203 000000"), 1, "llc"],
    ["LLDP", frame(ETH, "88cc 0207"), 1, "non-ip"],
    ["ARP request", frame(ETH, "0806 0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202"), 1, "arp"],
    ["ARP cut short", frame(ETH, "0806 0001 0800 06 04 0001 0200"), 1, "truncated-arp"],
    ["a VLAN tag cut off", frame(ETH, "8100 00"), 1, "truncated-vlan"],
    ["13 bytes of Ethernet", frame("ffffffffffff 020000000001 08"), 1, "truncated-link-header"],
    ["IHL 4", frame(ETH, "0800", "44000024 1234 0000 4011 0000 c0000201 c6336407 00000000 00000000"), 1, "bad-ip-header-length"],
    ["total length 19", frame(ETH, "0800", "45000013 1234 0000 4011 0000 c0000201 c6336407"), 1, "bad-ip-total-length"],
    ["total length beyond the wire", frame(ETH, "0800", "450005dc 1234 0000 4011 0000 c0000201 c6336407"), 1, "ip-length-exceeds-frame"],
    [
      "total length one byte beyond the frame",
      frame(ETH, "0800", "4500001d 1234 0000 4011 0000 c0000201 c6336407", "0035 0035 0008 0000"),
      1,
      "ip-length-exceeds-frame",
    ],
    [
      "TCP data offset one word beyond the payload",
      frame(ETH, "0800", "45000028 1234 0000 4006 0000 c0000201 c6336407", "0050 0050 00000000 00000000 6002 ffff 0000 0000"),
      1,
      "bad-tcp-header-length",
    ],
    ["ping of death", frame("45000408 1234 1fff 4001 0000 c0000201 c6336407", "00".repeat(1012)), 101, "fragment-overflow"],
    ["non-first fragment", frame("4500001c 1234 00b9 4011 0000 c0000201 c6336407", "00".repeat(8)), 101, "fragment"],
    [
      "tiny first fragment (TCP header split)",
      frame("45000020 1234 2000 4006 0000 c0000201 c6336407", "00".repeat(12)),
      101,
      "truncated-tcp",
    ],
    [
      "TCP data offset 4",
      frame("45000028 1234 0000 4006 0000 c0000201 c6336407", "0050 0050 00000000 00000000 4002 ffff 0000 0000"),
      101,
      "bad-tcp-header-length",
    ],
    ["UDP length 7", frame("4500001c 1234 0000 4011 0000 c0000201 c6336407", "0035 0035 0007 0000"), 101, "bad-udp-length"],
    ["ICMP with 3 bytes", frame("45000017 1234 0000 4001 0000 c0000201 c6336407", "080000"), 101, "truncated-icmp"],
    ["IPv6 in an IPv4 EtherType", frame(ETH, "0800", "60000000 0000 3b40", "00".repeat(32)), 1, "bad-ip-version"],
    [
      "17 IPv6 hop-by-hop headers",
      frame("60000000 0088 0040", "00".repeat(32), "0000000000000000".repeat(17)),
      101,
      "ipv6-extension-limit",
    ],
    [
      "IPv6 routing header past the payload",
      frame("60000000 0008 2b40", "00".repeat(32), "3b05000000000000"),
      101,
      "truncated-ipv6-extension",
    ],
    ["IPv6 non-first fragment", frame("60000000 0010 2c40", "00".repeat(32), "11000009 00000001", "00".repeat(8)), 101, "fragment"],
    ["BSD loopback IPv6 (Darwin)", frame("1e000000", "60000000 0008 1140", "00".repeat(32), "0035 0035 0008 0000"), 0, "ok"],
    [
      "Linux cooked v2 IPv4",
      frame("0800 0000 00000002 0001 00 06 020000000001 0000", IPV4_UDP, "0035 0035 0010 0000", "0102030405060708"),
      276,
      "ok",
    ],
    ["an unknown link type", frame("00"), 147, "unsupported-link-type"],
  ];
  const batch = PacketBatch.from(cases.map(([, bytes, linkType]) => ({ frame: bytes, linkType })));
  batch.parse();
  cases.forEach(([what, bytes, linkType, status], i) => {
    assert.equal(batch.packet(i).status, status, what);
    assert.equal(referenceParse(bytes, linkType, bytes.length).status, PACKET_STATUSES[status].code, `reference: ${what}`);
  });
  assert.equal(batch.packet(1).vlanOuter, 100);
  assert.equal(batch.packet(1).vlanInner, 200);
  assert.equal(batch.packet(4).arpSenderAddress, "192.0.2.1");
  const counted = Object.values(batch.statusCounts()).reduce((a, b) => a + b, 0);
  assert.equal(counted, cases.length, "every parsed packet is counted once");
});

const packetInit: fc.Arbitrary<PacketInit> = fc
  .record(
    {
      time: fc.double({ min: 0, max: 4e12, noNaN: true }),
      interface: fc.nat(0xffffffff),
      src: fc.oneof(fc.nat(0xffffffff), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n })),
      protocol: fc.constantFrom(6, 17, "tcp" as const, "udp" as const),
      tos: fc.nat(255),
      ttl: fc.nat(255),
      srcPort: fc.nat(65535),
      dstPort: fc.nat(65535),
      tcpFlags: fc.nat(0xfff),
      vlanOuter: fc.nat(4095),
      srcMac: fc.uint8Array({ minLength: 6, maxLength: 6 }),
    },
    { requiredKeys: ["src"] },
  )
  .chain((init) =>
    fc
      .record({
        dst: typeof init.src === "number" ? fc.nat(0xffffffff) : fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
      })
      .map((more) => ({ ...init, ...more })),
  );

test("PacketBatch.from keeps every field it is given", () => {
  fc.assert(
    fc.property(fc.array(packetInit, { minLength: 1, maxLength: 20 }), (inits) => {
      const batch = PacketBatch.from(inits);
      assert.equal(batch.length, inits.length);
      inits.forEach((init, i) => {
        const p = batch.packet(i);
        const again = PacketBatch.from([p]).packet(0);
        assert.deepEqual(again, p);
        const c = batch.columns;
        for (const name of ["tos", "ttl", "srcPort", "dstPort", "vlanOuter", "interface", "time"] as const) {
          if (init[name] !== undefined) assert.equal(c[name][i], init[name], name);
        }
        assert.equal(p.ipVersion, typeof init.src === "number" ? 4 : 6);
      });
    }),
  );
  const batch = PacketBatch.from([{ src: "10.0.0.1", dst: "10.0.0.2", protocol: "tcp", srcPort: 1234, dstPort: 80 }]);
  assert.deepEqual(
    { src: batch.packet(0).src, dst: batch.packet(0).dst, protocol: batch.packet(0).protocol, dstPort: batch.packet(0).dstPort },
    { src: "10.0.0.1", dst: "10.0.0.2", protocol: 6, dstPort: 80 },
  );
  assert.equal(batch.columns.src[0], 0x0a000001, "IPv4 sits in word 0 of the address column");
  assert.throws(() => PacketBatch.from([{ src: "10.0.0.300" }]), AddressError);
  assert.throws(() => PacketBatch.from([{ src: "10.0.0.1", dst: "::1" }]), DataplaneError);
  assert.throws(
    () => PacketBatch.from([{ srcPort: 70000 }]),
    (e: unknown) => e instanceof DataplaneError && e.code === "packet-field",
  );
  assert.throws(() => PacketBatch.from([{ status: "nonsense" }]), DataplaneError);
});
