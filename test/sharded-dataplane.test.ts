// ShardedDataplane with 2 workers against one Dataplane on the same capture: the same flows
// and the same counters (added up over the shards). The next hops are static ARP entries and
// the ICMP bucket is deep, so no per-shard state (ARP resolutions, ICMP tokens) can differ;
// ARP timer ticks are per shard and left out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Dataplane } from "../src/dataplane/dataplane.js";
import { ShardedDataplane } from "../src/node/sharded-dataplane.js";
import { readPacketsFromBytes } from "../src/packet/reader.js";
import { writePcap } from "../src/packet/writer.js";
import { flowFrame, flowIndexSampler } from "../src/sim/flow-traffic.js";
import type { ExpiredFlow } from "../src/flow/record.js";

const CONFIG = `
interface GigabitEthernet0/0
 mac-address 0000.0c00.0001
 ip address 192.0.2.1 255.255.255.0
 ip flow ingress
interface GigabitEthernet0/1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
 ip flow egress
ip route 0.0.0.0 0.0.0.0 198.51.100.2
ip route 10.0.0.0 255.0.0.0 Null0
arp 198.51.100.2 0000.0c99.0002 arpa
`;

function capture(packets: number): Uint8Array {
  const sample = flowIndexSampler(3000, "zipf", 5);
  const records = Array.from({ length: packets }, (_, i) => {
    const bytes = flowFrame(sample());
    if (i % 7 === 0) bytes[22] = 1;
    let sum = 0;
    for (let k = 14; k < 34; k += 2) sum += (bytes[k]! << 8) | bytes[k + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    const c = ~sum & 0xffff;
    bytes[24] = c >> 8;
    bytes[25] = c & 255;
    return { time: 1.7e12 + i * 0.37, bytes };
  });
  return writePcap(records, { linkType: 1 });
}

const key = (f: ExpiredFlow) =>
  `${f.src} ${f.dst} ${f.protocol} ${f.srcPort} ${f.dstPort} ${f.direction} ${f.packets} ${f.bytes} ${f.firstMs} ${f.lastMs} ${f.endReason}`;

test("2 workers equal 1 Dataplane on the same capture (flows and counters)", async () => {
  const pcap = capture(30_000);
  const options = { seed: 3, icmpRate: 1_000_000, icmpBurst: 1_000_000 };
  const one = Dataplane.fromConfig(CONFIG, options);
  let last = 0;
  for (const batch of readPacketsFromBytes(pcap, one.readerOptions())) {
    one.process(batch);
    last = Math.max(last, batch.columns.time[batch.length - 1]!);
  }
  const flows = one.flowCache!.flush(last);
  const sharded = new ShardedDataplane({ config: CONFIG, workers: 2, seed: 3, dataplane: { icmpRate: 1_000_000, icmpBurst: 1_000_000 } });
  for (const batch of readPacketsFromBytes(pcap, { capacity: 1024 })) sharded.process(batch);
  const result = await sharded.finish();
  assert.ok(
    result.perShard.every((n) => n > 5000),
    `packets per shard ${result.perShard}`,
  );
  const strip = <T extends { arp: { ticks: number } }>(c: T) => ({ ...c, arp: { ...c.arp, ticks: 0 } });
  assert.deepEqual(strip(result.counters), strip(one.counters()));
  assert.deepEqual(result.interfaces, one.interfaceCounters());
  assert.equal(result.counters.packetsIn, 30_000);
  assert.deepEqual(result.flows.map(key).sort(), flows.map(key).sort());
  one.dispose();
});

/** IPv4 and IPv6 TCP/UDP/ICMP frames of `flows` flows, one every 0.5 ms. */
function mixedCapture(packets: number, flows: number): Uint8Array {
  const sample = flowIndexSampler(flows, "zipf", 9);
  const records = Array.from({ length: packets }, (_, i) => {
    const id = sample();
    const v6 = id % 3 === 0;
    const protocol = [6, 17, 1][id % 3]!;
    const l4 = protocol === 6 ? 20 : 8;
    const ipBytes = v6 ? 40 : 20;
    const frame = new Uint8Array(14 + ipBytes + l4 + 10);
    const v = new DataView(frame.buffer);
    frame.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 9]);
    v.setUint16(12, v6 ? 0x86dd : 0x0800);
    const payload = frame.length - 14 - ipBytes;
    if (v6) {
      v.setUint32(14, 0x60000000);
      v.setUint16(18, payload);
      v.setUint8(20, protocol === 1 ? 58 : protocol);
      v.setUint8(21, 64);
      v.setUint32(22, 0x20010db8);
      v.setUint32(34, id);
      v.setUint32(38, 0x20010db8);
      v.setUint32(50, 7);
    } else {
      v.setUint8(14, 0x45);
      v.setUint16(16, frame.length - 14);
      v.setUint8(22, 64);
      v.setUint8(23, protocol);
      v.setUint32(26, 0x0a000000 + id);
      v.setUint32(30, 0xcb007101);
      let sum = 0;
      for (let k = 14; k < 34; k += 2) sum += (frame[k]! << 8) | frame[k + 1]!;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      v.setUint16(24, ~sum & 0xffff);
    }
    const t = 14 + ipBytes;
    if (protocol === 1) v.setUint8(t, v6 ? 128 : 8);
    else {
      v.setUint16(t, 1024 + (id % 50_000));
      v.setUint16(t + 2, 443);
      if (protocol === 6) v.setUint8(t + 12, 0x50);
      else v.setUint16(t + 4, l4 + 10);
    }
    return { time: 1.7e12 + i * 0.5, bytes: frame };
  });
  return writePcap(records, { linkType: 1 });
}

test("IPv4 and IPv6 over 3 workers, runs cut to fit a small ring: the same flows and counters as 1 Dataplane", async () => {
  const config = `${CONFIG}ipv6 route ::/0 GigabitEthernet0/1\n`;
  const pcap = mixedCapture(12_000, 800);
  const options = { seed: 4, icmpRate: 1_000_000, icmpBurst: 1_000_000 };
  const one = Dataplane.fromConfig(config, options);
  let last = 0;
  for (const batch of readPacketsFromBytes(pcap, { ...one.readerOptions(), capacity: 2048 })) {
    one.process(batch);
    last = Math.max(last, batch.columns.time[batch.length - 1]!);
  }
  const flows = one.flowCache!.flush(last);
  // A 64 KiB ring takes runs of at most ~32 KiB: a 2048-packet batch's runs are cut in pieces.
  const sharded = new ShardedDataplane({
    config,
    workers: 3,
    seed: 4,
    ringBytes: 64 * 1024,
    dataplane: { icmpRate: 1_000_000, icmpBurst: 1_000_000 },
  });
  for (const batch of readPacketsFromBytes(pcap, { capacity: 2048 })) sharded.process(batch);
  const result = await sharded.finish();
  assert.ok(
    result.perShard.every((n) => n > 1000),
    `packets per shard ${result.perShard}`,
  );
  const strip = <T extends { arp: { ticks: number } }>(c: T) => ({ ...c, arp: { ...c.arp, ticks: 0 } });
  assert.deepEqual(strip(result.counters), strip(one.counters()));
  assert.deepEqual(result.interfaces, one.interfaceCounters());
  assert.ok(flows.some((f) => f.src.includes(":")) && flows.some((f) => !f.src.includes(":")), "both families accounted");
  assert.deepEqual(result.flows.map(key).sort(), flows.map(key).sort());
  one.dispose();
});
