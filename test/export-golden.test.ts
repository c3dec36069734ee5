// Golden vectors: fixed export records → fixed datagram bytes, per format (test/golden/*.hex,
// one datagram per line; UPDATE_GOLDEN=1 rewrites them after a deliberate change). The header
// bytes are also checked field by field against RFC 3954 §5.1, RFC 7011 §3.1 and the v5
// layout, independently of the files.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { FlowExporter, MemorySink, type ExportFormat } from "../src/export/exporter.js";
import { samplingExportInfo } from "../src/sampling/export-info.js";
import { recordBytes, type RecordSpec } from "./helpers/export-records.js";

const NOW = 1_700_000_000_250;
const BOOT = 1_699_000_000_000;
const base: RecordSpec = {
  ipVersion: 4,
  src: "192.0.2.1",
  dst: "198.51.100.7",
  protocol: 6,
  srcPort: 40001,
  dstPort: 80,
  tos: 0x28,
  direction: 0,
  inputInterface: 3,
  packets: 12,
  bytes: 4800,
  firstMs: NOW - 9000.5,
  lastMs: NOW - 1000.25,
  ipId: 0x1234,
  minLength: 40,
  maxLength: 1500,
  srcMac: "02:00:00:00:00:01",
  dstMac: "02:00:00:00:00:02",
  inputVlan: 100,
  outputVlan: 0xffff,
  tcpFlags: 0x1b,
  minTtl: 60,
  maxTtl: 64,
  endReason: 2,
  expiredMs: NOW,
  sequence: 0,
};
function withoutMacs(spec: RecordSpec): RecordSpec {
  const copy = { ...spec };
  delete copy.srcMac;
  delete copy.dstMac;
  return copy;
}
const RECORDS: RecordSpec[] = [
  base,
  { ...withoutMacs(base), protocol: 1, srcPort: 0, dstPort: 0x0800, icmpType: 8, icmpCode: 0, tcpFlags: 0, endReason: 0 },
  {
    ...base,
    ipVersion: 6,
    src: "2001:db8::1",
    dst: "2001:db8:1::2",
    protocol: 17,
    srcPort: 53,
    dstPort: 5353,
    fragmentOffset: 185,
    endReason: 4,
  },
  // Untagged TCP, unfragmented: the compact template (no ICMP, VLAN, fragment offset; 4-byte octets).
  { ...base, srcPort: 40002, inputVlan: 0xffff, endReason: 3 },
];

function encode(format: ExportFormat): Uint8Array[] {
  const sink = new MemorySink();
  const samplers = [
    samplingExportInfo({
      samplerId: 2,
      samplerName: "m",
      mode: "deterministic",
      interval: 64,
      packetsObserved: 6400,
      packetsSelected: 100,
    }),
  ];
  using exporter = new FlowExporter({
    format,
    sinks: [sink],
    pacing: false,
    observationDomainId: 7,
    systemInitTime: BOOT,
    samplers,
    interfaceSamplerIds: { 3: 2 },
    engineType: 1,
    engineId: 7,
  });
  exporter.exportRecords(recordBytes(RECORDS), NOW);
  return sink.datagrams;
}

const hex = (d: Uint8Array) => Buffer.from(d).toString("hex");

for (const format of ["v5", "v9", "ipfix"] as const) {
  test(`golden vector: ${format}`, () => {
    const datagrams = encode(format);
    const path = new URL(`./golden/export-${format}.hex`, import.meta.url);
    const text = `${datagrams.map(hex).join("\n")}\n`;
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, text);
    assert.equal(text, readFileSync(path, "utf8"));
  });
}

test("golden headers, field by field", () => {
  const v5 = new DataView(encode("v5")[0]!.buffer);
  assert.equal(v5.getUint16(0), 5);
  assert.equal(v5.getUint16(2), 3, "three IPv4 flows");
  assert.equal(v5.getUint32(4), NOW - BOOT, "sysUpTime in ms");
  assert.equal(v5.getUint32(8), Math.floor(NOW / 1000));
  assert.equal(v5.getUint32(12), 250_000_000, "residual nanoseconds");
  assert.equal(v5.getUint32(16), 0, "flows before this datagram");
  assert.equal(v5.getUint16(20), 0x0107, "engine type, id");
  assert.equal(v5.getUint16(22), (1 << 14) | 64, "deterministic 1 out of 64");
  assert.equal(v5.getUint32(24 + 24), Math.floor(base.firstMs) - BOOT, "first, uptime ms");

  const v9 = new DataView(encode("v9")[0]!.buffer);
  assert.equal(v9.getUint16(0), 9);
  assert.equal(v9.getUint16(2), 8 + 2 + 2 + 4, "templates (four and their compact twins), options templates, options records, flows");
  assert.equal(v9.getUint32(8), Math.ceil(NOW / 1000));
  assert.equal(v9.getUint32(4), Math.ceil(NOW / 1000) * 1000 - BOOT, "sysUpTime at the header's second");
  assert.equal(v9.getUint32(12), 0, "export packets before this one");
  assert.equal(v9.getUint32(16), 7, "source id");
  assert.equal(v9.getUint16(20), 0, "template FlowSet first");

  const ipfixBytes = encode("ipfix")[0]!;
  const ipfix = new DataView(ipfixBytes.buffer);
  assert.equal(ipfix.getUint16(0), 10);
  assert.equal(ipfix.getUint16(2), ipfixBytes.length, "message length");
  assert.equal(ipfix.getUint32(4), Math.ceil(NOW / 1000));
  assert.equal(ipfix.getUint32(8), 0, "data records before this message");
  assert.equal(ipfix.getUint32(12), 7, "observation domain");
  assert.equal(ipfix.getUint16(16), 2, "template set first");
});
