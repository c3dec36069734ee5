/**
 * Reference top talkers (the oracle for src/analysis/top-talkers.ts), written from the seed's
 * description (spec §1.18–1.19) as plainly as possible: walk the flows in sweep order, keep those
 * that have the aggregation field and meet the criterion, group them by the field's value, keep
 * the groups whose flow count passes a `flows` criterion, sort (stable, so equal groups stay in
 * the order they were first seen, in either direction), take the first N.
 *
 * Field semantics: addresses of either family; prefixes are the address under the flow's mask,
 * /0 here (no routing information); ports exist for TCP and UDP flows; input interface for
 * ingress flows and output interface for egress flows; VLANs, MACs, ICMP type and code and the
 * fragment offset when the flow captured them; TTL, packet lengths, TCP flags, bytes and packets
 * always.
 */

import { parseAddress } from "../net/address.js";
import { parseMac } from "../net/mac.js";
import type { FlowRecord } from "../flow/record.js";
import type { TopMatch, TopQuery } from "../analysis/top-query.js";
import type { TopTalker, TopTalkersResult, TopTalkersConfig } from "../analysis/top-talkers.js";

interface FieldValue {
  /** What sorts: the IP version first (0 for plain numbers), then the number. */
  version: number;
  number: bigint;
  talker: Omit<TopTalker, "bytes" | "packets" | "flows">;
}

function addressNumber(text: string): bigint {
  const a = parseAddress(text);
  if (a.family === 4) return BigInt(a.words[0]!) << 96n;
  return a.words.reduce((n, w) => (n << 32n) | BigInt(w), 0n);
}

function plain(value: number | undefined): FieldValue | undefined {
  return value === undefined ? undefined : { version: 0, number: BigInt(value), talker: { value } };
}

/** Field `name` of a flow, or undefined when the flow lacks it. */
export function referenceFieldValue(flow: FlowRecord, name: string): FieldValue | undefined {
  const ports = flow.protocol === 6 || flow.protocol === 17;
  switch (name) {
    case "source-address":
    case "destination-address": {
      const text = name === "source-address" ? flow.src : flow.dst;
      return { version: flow.ipVersion, number: addressNumber(text), talker: { value: text, ipVersion: flow.ipVersion } };
    }
    case "source-prefix":
    case "destination-prefix":
      return {
        version: flow.ipVersion,
        number: 0n,
        talker: { value: flow.ipVersion === 4 ? "0.0.0.0/0" : "::/0", ipVersion: flow.ipVersion },
      };
    case "source-port":
      return ports ? plain(flow.srcPort) : undefined;
    case "destination-port":
      return ports ? plain(flow.dstPort) : undefined;
    case "protocol":
      return plain(flow.protocol);
    case "tos":
      return plain(flow.tos);
    case "input-interface":
      return flow.direction === "ingress" ? plain(flow.inputInterface) : undefined;
    case "output-interface":
      return flow.direction === "egress" ? plain(flow.inputInterface) : undefined;
    case "source-vlan":
      return plain(flow.inputVlan);
    case "destination-vlan":
      return plain(flow.outputVlan);
    case "source-mac":
    case "destination-mac": {
      const mac = name === "source-mac" ? flow.srcMac : flow.dstMac;
      if (mac === undefined) return undefined;
      return { version: 0, number: parseMac(mac).reduce((n, b) => (n << 8n) | BigInt(b), 0n), talker: { value: mac } };
    }
    case "icmp": {
      if (flow.icmpType === undefined) return undefined;
      const value = flow.icmpType * 256 + flow.icmpCode!;
      return { version: 0, number: BigInt(value), talker: { value, icmpType: flow.icmpType, icmpCode: flow.icmpCode! } };
    }
    case "min-ttl":
      return plain(flow.minTtl);
    case "max-ttl":
      return plain(flow.maxTtl);
    case "min-packet-length":
      return plain(flow.minLength);
    case "max-packet-length":
      return plain(flow.maxLength);
    case "fragment-offset":
      return plain(flow.fragmentOffset);
    case "tcp-flags":
      return plain(flow.tcpFlags);
    case "bytes":
      return plain(flow.bytes);
    case "packets":
      return plain(flow.packets);
    default:
      return undefined;
  }
}

/** Whether a flow meets one (pre-aggregation) criterion. */
export function referenceMatches(flow: FlowRecord, match: TopMatch): boolean {
  if (match.prefix) {
    const address = match.field.startsWith("source") ? flow.src : flow.dst;
    const p = match.prefix;
    if (flow.ipVersion !== p.version) return false;
    const bits = p.version === 4 ? 32 : 128;
    const keep = BigInt(bits - p.length);
    const value = addressNumber(address) >> (128n - BigInt(bits));
    const wanted = p.version === 4 ? BigInt(p.words[0]!) : p.words.reduce((n, w) => (n << 32n) | BigInt(w), 0n);
    return value >> keep === wanted >> keep;
  }
  const value = referenceFieldValue(flow, match.field);
  return value !== undefined && value.number >= BigInt(match.min!) && value.number <= BigInt(match.max!);
}

/** `show ip flow top` over `flows` (in sweep order). */
export function referenceTopTalkers(flows: readonly FlowRecord[], query: TopQuery): TopTalkersResult {
  const groups = new Map<string, { value: FieldValue; bytes: number; packets: number; flows: number }>();
  const pre = query.match && query.match.field !== "flows" ? query.match : undefined;
  for (const flow of flows) {
    const value = referenceFieldValue(flow, query.aggregate);
    if (value === undefined) continue;
    if (pre && !referenceMatches(flow, pre)) continue;
    const key = `${value.version}:${value.number}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { value, bytes: 0, packets: 0, flows: 0 }));
    group.bytes += flow.bytes;
    group.packets += flow.packets;
    group.flows += 1;
  }
  const post = query.match?.field === "flows" ? query.match : undefined;
  const kept = [...groups.values()].filter((g) => !post || (g.flows >= post.min! && g.flows <= post.max!));
  const sortKey = (g: (typeof kept)[number]): [number, bigint] => {
    if (query.sortBy === "bytes") return [0, BigInt(g.bytes)];
    if (query.sortBy === "packets") return [0, BigInt(g.packets)];
    if (query.sortBy === "flows") return [0, BigInt(g.flows)];
    return [g.value.version, g.value.number];
  };
  const ascending = (a: (typeof kept)[number], b: (typeof kept)[number]) => {
    const [av, an] = sortKey(a);
    const [bv, bn] = sortKey(b);
    return av !== bv ? av - bv : an < bn ? -1 : an > bn ? 1 : 0;
  };
  const sorted = [...kept].sort(query.order === "ascending" ? ascending : (a, b) => ascending(b, a));
  return {
    query,
    talkers: sorted.slice(0, query.limit).map((g) => ({ ...g.value.talker, bytes: g.bytes, packets: g.packets, flows: g.flows })),
    matched: kept.reduce((n, g) => n + g.flows, 0),
    seen: flows.length,
    aggregates: kept.length,
  };
}

/** `show ip flow top-talkers` over `flows` (in cache order): the entries of the top flows, and the counts. */
export function referenceConfiguredTopTalkers(
  flows: readonly FlowRecord[],
  config: TopTalkersConfig,
): { entries: number[]; matched: number; seen: number } {
  const candidates = flows.filter((f) => (config.match ?? []).every((m) => referenceMatches(f, m)));
  const size = (f: FlowRecord) => (config.sortBy === "bytes" ? f.bytes : f.packets);
  const sorted = [...candidates].sort((a, b) => size(b) - size(a));
  return { entries: sorted.slice(0, config.top).map((f) => f.entry), matched: candidates.length, seen: flows.length };
}
