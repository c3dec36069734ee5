// The `show ip cache verbose flow` renderer against the seed's own displays (spec §3.7,
// seed 003 L1100–1133 and L2565–2670), line for line; and the byte writer `dataplane flows`
// prints with, against that renderer on random export records.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  renderFlowRecord,
  renderPacketSizeDistribution,
  renderProtocolTable,
  writeFlowRecordText,
  FLOW_RECORD_HEADER,
  FLOW_RECORD_TEXT_MAX_BYTES,
} from "../src/show/flow-cache.js";
import { PROTOCOL_CATEGORY_NAMES, packetSizeBucket, protocolCategory } from "../src/flow/statistics.js";
import { EXPORT_RECORD_BYTES, decodeExpiredFlow, type FlowRecord } from "../src/flow/record.js";
import { OFF_BYTES } from "../src/flow/layout.js";
import { recordArbitrary, recordBytes } from "./helpers/export-records.js";

const names = { interfaceName: (i: number) => ["Et0/0.1", "Et1/0.1"][i]!, outputInterface: () => "Et1/0.1" };

function seedFlow(fields: Partial<FlowRecord>): FlowRecord {
  return {
    entry: 0,
    ipVersion: 4,
    src: "10.71.200.138",
    dst: "172.16.10.2",
    protocol: 1,
    srcPort: 0,
    dstPort: 0x0c01,
    tos: 0,
    direction: "ingress",
    inputInterface: 0,
    packets: 696,
    bytes: 696 * 28,
    firstMs: 0,
    lastMs: 241_400,
    tcpFlags: 0x10,
    minLength: 28,
    maxLength: 28,
    minTtl: 59,
    maxTtl: 59,
    ipId: 0,
    icmpType: 12,
    icmpCode: 1,
    srcMac: "aa:aa:bb:bb:cc:03",
    dstMac: "aa:aa:bb:bb:cc:06",
    inputVlan: 5,
    outputVlan: 6,
    ...fields,
  };
}

test("a flow record renders as in the seed (003 L1127–1133)", () => {
  const expected = [
    "Et0/0.1        10.71.200.138   Et1/0.1        172.16.10.2     01 00  10     696",
    "0000 /0  0                     0C01 /0  0     0.0.0.0                28   241.4",
    "MAC: (VLAN id) aaaa.bbbb.cc03  (005)          aaaa.bbbb.cc06  (006)",
    "Min plen:       28                            Max plen:        28",
    "Min TTL:        59                            Max TTL:         59",
    "ICMP type:      12                            ICMP code:        1",
    "IP id:           0",
  ];
  assert.deepEqual(renderFlowRecord(seedFlow({}), names), expected);
});

test("a fragment flow with a 1500-byte and a 554-byte packet renders as in the seed (003 L2585–2600)", () => {
  const echo = seedFlow({
    src: "10.106.1.1",
    packets: 864,
    bytes: 864 * 1500,
    minLength: 1500,
    maxLength: 1500,
    dstPort: 0x0800,
    icmpType: 8,
    icmpCode: 0,
    lastMs: 1_089_900,
  });
  assert.deepEqual(renderFlowRecord(echo, names).slice(0, 4), [
    "Et0/0.1        10.106.1.1      Et1/0.1        172.16.10.2     01 00  10     864",
    "0000 /0  0                     0800 /0  0     0.0.0.0              1500  1089.9",
    "MAC: (VLAN id) aaaa.bbbb.cc03  (005)          aaaa.bbbb.cc06  (006)",
    "Min plen:      1500                            Max plen:       1500",
  ]);
  const fragments = seedFlow({
    dstPort: 0,
    tcpFlags: 0,
    packets: 864,
    bytes: 864 * 554,
    minLength: 554,
    maxLength: 554,
    icmpType: 0,
    icmpCode: 0,
    fragmentOffset: 185,
    lastMs: 1_090_000,
  });
  assert.deepEqual(renderFlowRecord(fragments, names).slice(-3), [
    "Min TTL:        59                            Max TTL:         59",
    "ICMP type:       0                            ICMP code:        0",
    "IP id:           0                            FO:            185",
  ]);
  assert.deepEqual(FLOW_RECORD_HEADER, [
    "SrcIf          SrcIPaddress    DstIf          DstIPaddress    Pr TOS Flgs  Pkts",
    "Port Msk AS                    Port Msk AS    NextHop              B/Pk  Active",
  ]);
});

test("the packet size distribution renders as in the seed (003 L2566–2570)", () => {
  // 122369 packets: .065 of 1-32, .665 of 64, .134 of 576, .134 of 1536 (shares truncated: they add up to .998).
  const sizes = new Array(26).fill(0);
  sizes[packetSizeBucket(28)] = 7966;
  sizes[packetSizeBucket(40)] = 81388;
  sizes[packetSizeBucket(554)] = 16507;
  sizes[packetSizeBucket(1500)] = 16508;
  assert.deepEqual(renderPacketSizeDistribution(sizes), [
    "IP packet size distribution (122369 total packets):",
    "   1-32   64   96  128  160  192  224  256  288  320  352  384  416  448  480",
    "   .065 .665 .000 .000 .000 .000 .000 .000 .000 .000 .000 .000 .000 .000 .000",
    "    512  544  576 1024 1536 2048 2560 3072 3584 4096 4608",
    "   .000 .000 .134 .000 .134 .000 .000 .000 .000 .000 .000",
  ]);
  assert.deepEqual(
    [0, 1, 32, 33, 64, 576, 577, 1024, 1025, 4608, 4609, 65535].map(packetSizeBucket),
    [0, 0, 0, 1, 1, 17, 18, 18, 19, 25, 25, 25],
  );
});

test("the protocol table renders the seed's rows and Total (003 L1116–1121)", () => {
  // 45 flows over a period chosen so the per-second columns match: TCP-SMTP 3460 packets in 961 s = 3.6/s.
  const seconds = 961;
  const rows = PROTOCOL_CATEGORY_NAMES.map((name) => ({ name, flows: 0, packets: 0, bytes: 0, activeMs: 0, idleMs: 0 }));
  rows[protocolCategory({ protocol: 6, srcPort: 1025, dstPort: 25 })] = {
    name: "TCP-SMTP",
    flows: 2,
    packets: 3460,
    bytes: 3460 * 40,
    activeMs: 2 * 600_700,
    idleMs: 2 * 200,
  };
  rows[protocolCategory({ protocol: 17, srcPort: 1025, dstPort: 9 })] = {
    name: "UDP-other",
    flows: 31,
    packets: 31,
    bytes: 31 * 54,
    activeMs: 31 * 3600,
    idleMs: 31 * 16_800,
  };
  rows[protocolCategory({ protocol: 1, srcPort: 0, dstPort: 0x0c01 })] = {
    name: "ICMP",
    flows: 12,
    packets: 20736,
    bytes: 20736 * 28,
    activeMs: 12 * 600_100,
    idleMs: 12 * 100,
  };
  const lines = renderProtocolTable({ sizeDistribution: [], protocols: rows }, seconds);
  assert.deepEqual(lines.slice(0, 5), [
    "Protocol         Total    Flows   Packets Bytes  Packets Active(Sec) Idle(Sec)",
    "--------         Flows     /Sec     /Flow  /Pkt     /Sec     /Flow     /Flow",
    "TCP-SMTP             2      0.0      1730    40      3.6     600.7       0.2",
    "UDP-other           31      0.0         1    54      0.0       3.6      16.8",
    "ICMP                12      0.0      1728    28     21.6     600.1       0.1",
  ]);
  // Total: flow-weighted, bytes/packet truncated (seed: 45 flows, 538 packets/flow, 29 B/pkt, 189.2 s, 11.6 s).
  assert.equal(lines[5], "Total:              45      0.0       538    29     25.2     189.2      11.6");
});

test("writeFlowRecordText writes exactly renderFlowRecord's lines for any export record (property)", () => {
  const decoder = new TextDecoder("latin1");
  const render = (bytes: Uint8Array, at: number) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Uint8Array(FLOW_RECORD_TEXT_MAX_BYTES + 8).fill(0xee);
    const end = writeFlowRecordText(view, at, out, 8);
    assert.ok(end - 8 <= FLOW_RECORD_TEXT_MAX_BYTES);
    assert.ok(out.subarray(0, 8).every((b) => b === 0xee) && out.subarray(end).every((b) => b === 0xee), "writes only its own bytes");
    return { fast: decoder.decode(out.subarray(8, end)), slow: renderFlowRecord(decodeExpiredFlow(view, at)).join("\n") };
  };
  fc.assert(
    fc.property(fc.array(recordArbitrary(1_764_000_000_000.5), { minLength: 1, maxLength: 8 }), fc.nat(7), (specs, k) => {
      const bytes = recordBytes(specs);
      const at = (k % specs.length) * EXPORT_RECORD_BYTES;
      const { fast, slow } = render(bytes, at);
      assert.equal(fast, slow);
    }),
  );
  // Octets past 2^53 (a record the property's specs cannot hold): the bytes per packet as Number(u64) gives them.
  const bytes = recordBytes(fc.sample(recordArbitrary(1_764_000_000_000.5), { numRuns: 1, seed: 3 }));
  new DataView(bytes.buffer).setBigUint64(OFF_BYTES, 0xffff_ffff_ffff_f7ffn, true);
  const { fast, slow } = render(bytes, 0);
  assert.equal(fast, slow);
});
