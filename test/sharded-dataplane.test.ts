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
