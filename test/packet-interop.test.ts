// Interop: every packet of real captures shipped in Debian packages (pathspider, gopacket,
// python3-dpkt, python3-libtrace, pcapfix; .ci/run installs them) is read and parsed by us and
// dissected by tshark; the fields must agree. Files tshark refuses must be refused by us too,
// after the same packets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import fc from "fast-check";
import { writePcapng } from "../src/packet/writer.js";
import { validFrame } from "./helpers/frames.js";
import { CAPTURE_DIRECTORIES, debianCaptures } from "./helpers/captures.js";
import { readPacketFile } from "../src/node/capture-file.js";
import { CaptureFileError, type Packet } from "../src/index.js";

const FIELDS = [
  "frame.time_epoch",
  "frame.len",
  "frame.cap_len",
  "frame.interface_id",
  "frame.protocols",
  "eth.src",
  "eth.dst",
  "sll.src.eth",
  "vlan.id",
  "ieee8021ad.id",
  "ip.src",
  "ip.dst",
  "ip.proto",
  "ip.dsfield",
  "ip.ttl",
  "ip.len",
  "ip.id",
  "ip.flags",
  "ip.frag_offset",
  "ipv6.src",
  "ipv6.dst",
  "ipv6.nxt",
  "ipv6.tclass",
  "ipv6.hlim",
  "ipv6.plen",
  "ipv6.fraghdr.offset",
  "ipv6.fraghdr.more",
  "ipv6.fraghdr.ident",
  "ipv6.fraghdr.nxt",
  "tcp.srcport",
  "tcp.dstport",
  "tcp.flags",
  "udp.srcport",
  "udp.dstport",
  "icmp.type",
  "icmp.code",
  "icmpv6.type",
  "icmpv6.code",
  "arp.opcode",
  "arp.src.hw_mac",
  "arp.src.proto_ipv4",
  "arp.dst.hw_mac",
  "arp.dst.proto_ipv4",
] as const;
type Field = (typeof FIELDS)[number];
type Row = Record<Field, string[]>;

function tshark(path: string): { rows: Row[]; failed: boolean; stderr: string } {
  const args = [
    "-n",
    "-r",
    path,
    "-o",
    "ip.defragment:FALSE",
    "-o",
    "ipv6.defragment:FALSE",
    "-T",
    "fields",
    "-E",
    "separator=/t",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=|",
    ...FIELDS.flatMap((f) => ["-e", f]),
  ];
  const result = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 1 << 30 });
  const rows = result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const cells = line.split("\t");
      const row = {} as Row;
      FIELDS.forEach((field, i) => (row[field] = cells[i] ? cells[i]!.split("|") : []));
      return row;
    });
  return { rows, failed: result.status !== 0, stderr: result.stderr };
}

const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
const first = (row: Row, field: Field): string | undefined => row[field][0];

/** The differences between our packet and tshark's row, as text (empty when they agree). */
function compare(p: Packet, row: Row): string[] {
  const diffs: string[] = [];
  const expect = (what: string, ours: unknown, theirs: unknown): void => {
    if (theirs !== undefined && ours !== theirs) diffs.push(`${what}: ours ${JSON.stringify(ours)}, tshark ${JSON.stringify(theirs)}`);
  };
  const epoch = Number(first(row, "frame.time_epoch"));
  if (Number.isFinite(epoch) && epoch > 0 && Math.abs(p.time - epoch * 1000) > 0.001)
    diffs.push(`time: ours ${p.time}, tshark ${epoch * 1000}`);
  expect("wireLength", p.wireLength, number(first(row, "frame.len")));
  expect("capturedLength", p.capturedLength, number(first(row, "frame.cap_len")));
  expect("interface", p.interface, number(first(row, "frame.interface_id")));
  const protocols = first(row, "frame.protocols") ?? "";
  if (p.srcMac !== undefined && p.dstMac !== undefined) {
    expect("srcMac", p.srcMac, first(row, "eth.src"));
    expect("dstMac", p.dstMac, first(row, "eth.dst"));
  } else if (p.srcMac !== undefined) {
    expect("srcMac", p.srcMac, first(row, "sll.src.eth"));
  }
  // VLAN ids, when the tags are the outer encapsulation (802.1ad S-tags are "ieee8021ad" to tshark).
  const tags =
    /^(?:eth|sll):ethertype:((?:(?:vlan|ieee8021ad):ethertype:)*)/
      .exec(protocols)?.[1]
      ?.split(":ethertype:")
      .filter((x) => x) ?? [];
  const tagIds: number[] = [];
  const next = { vlan: 0, ieee8021ad: 0 };
  for (const tag of tags.slice(0, 2)) {
    const kind = tag as "vlan" | "ieee8021ad";
    tagIds.push(Number(row[kind === "vlan" ? "vlan.id" : "ieee8021ad.id"][next[kind]++]));
  }
  // (tshark leaves a stacked second S-tag undecoded; then the ids cannot be lined up.)
  const decoded = row["vlan.id"].length + row["ieee8021ad.id"].length >= tags.length && tagIds.every(Number.isInteger);
  if (decoded && tagIds.length > 0) expect("vlanOuter", p.vlanOuter, tagIds[0]);
  if (decoded && tagIds.length > 1) expect("vlanInner", p.vlanInner, tagIds[1]);
  // Frames whose outer network layer tshark decodes as IP or ARP must be IP or ARP to us too.
  const outer = /^(?:eth:ethertype:|sll:ethertype:|null:|loop:|raw:|)(?:(?:vlan|ieee8021ad):ethertype:)*(ip|ipv6|arp)(?::|$)/.exec(
    protocols,
  )?.[1];
  const ourLayer =
    p.ipVersion === 4 ? "ip" : p.ipVersion === 6 ? "ipv6" : p.status === "arp" || p.arpOperation !== undefined ? "arp" : undefined;
  const errored = !["ok", "fragment", "arp", "llc", "non-ip"].includes(p.status);
  if (!errored && outer !== ourLayer) diffs.push(`network layer: ours ${ourLayer} (${p.status}), tshark ${protocols}`);
  if (p.ipVersion === 4 && outer === "ip") {
    expect("src", p.src, first(row, "ip.src"));
    expect("dst", p.dst, first(row, "ip.dst"));
    expect("protocol", p.protocol, number(first(row, "ip.proto")));
    expect("tos", p.tos, number(first(row, "ip.dsfield")));
    expect("ttl", p.ttl, number(first(row, "ip.ttl")));
    expect("ipLength", p.ipLength, number(first(row, "ip.len")));
    expect("ipId", p.ipId, number(first(row, "ip.id")));
    // tshark 4.0 shows the three flag bits as a number (2 = don't fragment).
    expect("fragmentFlags", (p.fragmentFlags ?? 0) >> 5, number(first(row, "ip.flags")));
    expect("fragmentOffset", p.fragmentOffset, number(first(row, "ip.frag_offset")));
  }
  if (p.ipVersion === 6 && outer === "ipv6") {
    expect("src", p.src, first(row, "ipv6.src"));
    expect("dst", p.dst, first(row, "ipv6.dst"));
    expect("tos", p.tos, number(first(row, "ipv6.tclass")));
    expect("ttl", p.ttl, number(first(row, "ipv6.hlim")));
    expect("ipLength", p.ipLength, (number(first(row, "ipv6.plen")) ?? NaN) + 40);
    const next = number(first(row, "ipv6.nxt"))!;
    if (![0, 43, 44, 51, 60, 135, 139, 140].includes(next)) expect("protocol", p.protocol, next);
    if (row["ipv6.fraghdr.offset"].length > 0) {
      expect("fragmentOffset", p.fragmentOffset, number(first(row, "ipv6.fraghdr.offset")));
      expect(
        "fragmentFlags",
        p.fragmentFlags,
        first(row, "ipv6.fraghdr.more") === "1" || first(row, "ipv6.fraghdr.more") === "True" ? 0x20 : 0,
      );
      expect("ipId", p.ipId, number(first(row, "ipv6.fraghdr.ident")));
    }
  }
  // Transport fields: only for the outer packet's own transport header (not one quoted in ICMP).
  const transport = new RegExp(`(?:^|:)${outer}:(tcp|udp|icmp|icmpv6)(?::|$)`).exec(protocols)?.[1];
  if (p.status === "ok" && p.protocol === 6) {
    expect("transport", "tcp", transport);
    expect("srcPort", p.srcPort, number(first(row, "tcp.srcport")));
    expect("dstPort", p.dstPort, number(first(row, "tcp.dstport")));
    expect("tcpFlags", p.tcpFlags, number(first(row, "tcp.flags")));
  } else if (p.status === "ok" && p.protocol === 17) {
    expect("transport", "udp", transport);
    expect("srcPort", p.srcPort, number(first(row, "udp.srcport")));
    expect("dstPort", p.dstPort, number(first(row, "udp.dstport")));
  } else if (p.status === "ok" && p.protocol === 1 && p.ipVersion === 4) {
    expect("transport", "icmp", transport);
    expect("icmpType", p.icmpType, number(first(row, "icmp.type")));
    expect("icmpCode", p.icmpCode, number(first(row, "icmp.code")));
  } else if (p.status === "ok" && p.protocol === 58 && p.ipVersion === 6) {
    expect("transport", "icmpv6", transport);
    expect("icmpType", p.icmpType, number(first(row, "icmpv6.type")));
    expect("icmpCode", p.icmpCode, number(first(row, "icmpv6.code")));
  } else if (p.status === "ok" && p.ipVersion !== undefined && transport !== undefined && p.protocol !== 4 && p.protocol !== 41) {
    diffs.push(`transport: ours protocol ${p.protocol}, tshark ${transport}`);
  }
  if (p.status === "arp") {
    expect("arpOperation", p.arpOperation, number(first(row, "arp.opcode")));
    expect("arpSenderMac", p.arpSenderMac, first(row, "arp.src.hw_mac"));
    expect("arpSenderAddress", p.arpSenderAddress, first(row, "arp.src.proto_ipv4"));
    expect("arpTargetMac", p.arpTargetMac, first(row, "arp.dst.hw_mac"));
    expect("arpTargetAddress", p.arpTargetAddress, first(row, "arp.dst.proto_ipv4"));
  }
  return diffs;
}

const hasTshark = spawnSync("tshark", ["--version"], { encoding: "utf8" }).status === 0;
const captures = debianCaptures();

/** Reads a capture with our reader and with tshark; returns the disagreements. */
async function disagreements(path: string, statuses: Map<string, number>): Promise<{ failures: string[]; packets: number }> {
  const failures: string[] = [];
  const theirs = tshark(path);
  // tshark lists pcapng custom blocks as records too (no interface): they are not packets.
  if (/\.pcapng(\.gz)?$/.test(path)) theirs.rows = theirs.rows.filter((row) => row["frame.interface_id"].length > 0);
  const ours: Packet[] = [];
  let error: unknown;
  try {
    for await (const batch of readPacketFile(path)) for (const packet of batch) ours.push(packet);
  } catch (e) {
    error = e;
  }
  if (error !== undefined && !(error instanceof CaptureFileError)) throw error;
  if (theirs.failed && !(error instanceof CaptureFileError)) {
    failures.push(`${path}: tshark refuses it (${theirs.stderr.trim()}) but we read ${ours.length} packets without error`);
  } else if (!theirs.failed && error !== undefined) {
    failures.push(`${path}: tshark reads it, we fail: ${String(error)}`);
  }
  if (ours.length !== theirs.rows.length) failures.push(`${path}: ${ours.length} packets, tshark ${theirs.rows.length}`);
  ours.slice(0, theirs.rows.length).forEach((packet, i) => {
    const diffs = compare(packet, theirs.rows[i]!);
    if (diffs.length > 0) failures.push(`${path} packet ${i + 1} (${packet.status}): ${diffs.join("; ")}`);
    statuses.set(packet.status, (statuses.get(packet.status) ?? 0) + 1);
  });
  return { failures, packets: ours.length };
}

test("generated frames of every kind, on interfaces of every link type in one pcapng, agree with tshark", async (t) => {
  if (!hasTshark) return t.skip("tshark is not installed (apt-get install tshark; .ci/run does)");
  const linkTypes = [1, 113, 276, 0, 108, 101, 12, 14, 228, 229];
  const frames = fc.sample(validFrame, { seed: Number(process.env.FC_SEED ?? 20261121), numRuns: 4000 });
  const records = frames.map((frame, i) => ({
    time: 1.7e12 + i * 0.25,
    bytes: frame.bytes,
    wireLength: frame.wireLength,
    interface: linkTypes.indexOf(frame.linkType),
  }));
  const directory = mkdtempSync(join(tmpdir(), "dataplane-interop-"));
  try {
    const path = join(directory, "generated.pcapng");
    writeFileSync(
      path,
      writePcapng(
        records,
        linkTypes.map((linkType) => ({ linkType, timestampDigits: 9 })),
      ),
    );
    const statuses = new Map<string, number>();
    const { failures, packets } = await disagreements(path, statuses);
    assert.deepEqual(failures.slice(0, 30), [], `${failures.length} disagreements`);
    assert.equal(packets, frames.length);
    t.diagnostic(`${packets} generated packets agree with tshark; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("every packet of the Debian packages' real captures agrees with tshark", async (t) => {
  if (!hasTshark) return t.skip("tshark is not installed (apt-get install tshark; .ci/run does)");
  if (captures.length === 0)
    return t.skip(
      `no captures found in ${CAPTURE_DIRECTORIES.join(", ")} (.ci/run installs pathspider, golang-github-gopacket-gopacket-dev, python3-dpkt, python3-libtrace, pcapfix)`,
    );
  let packets = 0;
  let files = 0;
  const failures: string[] = [];
  const statuses = new Map<string, number>();
  for (const path of captures) {
    const result = await disagreements(path, statuses);
    failures.push(...result.failures);
    packets += result.packets;
    files++;
  }
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} disagreements`);
  t.diagnostic(`${files} captures, ${packets} packets agree with tshark; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(packets > 0);
});
