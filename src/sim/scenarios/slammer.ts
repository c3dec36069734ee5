/**
 * The `slammer` scenario: SQL Slammer (25 January 2003) from a site's SQL servers. Each
 * infected server sends 404-byte UDP datagrams to port 1434 as fast as its 100 Mb/s link
 * carries them (28,280 a second), to addresses from the worm's flawed LCG (some servers cycle
 * over few addresses), infected at the times the spread model gives (75,000 hosts, doubling
 * every 8.5 s; research/seq.md §4). The site's uplink is a 45 Mb/s T3: Slammer is bound by
 * bandwidth, not by the router's CPU, so the link is what established traffic loses first —
 * and, on the Code Red document's router, every datagram to a new address is also an ARP
 * request, a route-cache entry and an ARP entry. Variants: that router, the next-hop route
 * with CEF, an inbound ACL for UDP 1434, and all fixes.
 *
 * The BGP instability Slammer caused (≈ 20,000 route changes per 5 minutes for hours, 004)
 * is the `bgp-churn` scenario's subject; this one is the site's router.
 */

import type { ScenarioResult, MetricSpec } from "../report/result.js";
import { Slammer, SLAMMER_SPREAD, SLAMMER_CHANGES_PER_BIN, type Workload } from "../workload/index.js";
import { generateIPv4Table } from "../table.js";
import { ProxyArpUpstream } from "../router/upstream.js";
import { detection } from "./displays.js";
import {
  CODE_RED_METRICS,
  codeRedConfig,
  infectionTimes,
  clientTraffic,
  infectedServers,
  runVariants,
  type CodeRedOptions,
  type RouterVariant,
  type VariantRun,
} from "./codered.js";

/** Options of {@link runSlammer}. */
export interface SlammerScenarioOptions extends CodeRedOptions {
  /** Simulated seconds (default 60); SQL servers on Vlan2 (default 2); share of the population infected at the start (default 0.02). */
  seconds?: number;
  /** The servers' link speed (default 100 Mb/s) and the uplink's (default 45 Mb/s). */
  serverBitsPerSecond?: number;
  uplinkBitsPerSecond?: number;
}

/** The scenario's variants. */
export function slammerVariants(): RouterVariant[] {
  const acl = "deny udp any any eq 1434";
  const v = (name: string, description: string, fixes: Parameters<typeof codeRedConfig>[0], negative = false): RouterVariant => ({
    name,
    description,
    config: codeRedConfig(fixes),
    arp: negative ? "negative-caching" : "rfc826",
  });
  return [
    v("vulnerable", "static route to Vlan3 (proxy ARP upstream), RFC 826 ARP, fast switching, full NetFlow", {}),
    v("next-hop + CEF", "ip route 0.0.0.0 0.0.0.0 192.0.2.2 and ip cef", { nextHop: true, cef: true }),
    v("ACL udp 1434", `access-list 101 ${acl}, in on Vlan2`, { acl: true, aclDeny: acl }),
    v(
      "all fixes",
      "next hop, CEF, negative ARP, sampled NetFlow, the ACL",
      { nextHop: true, cef: true, sampledNetflow: true, acl: true, aclDeny: acl },
      true,
    ),
  ];
}

export const SLAMMER_METRICS: MetricSpec[] = [
  { key: "uplinkLoad", label: "uplink offered", unit: "%", digits: 0 },
  ...CODE_RED_METRICS.map((m) => (m.key === "include0050" ? { ...m, label: "| include 059A P/R" } : m)),
];

const CLIENTS = 0xac100000;
const SERVERS = 0xac110000;

/** Runs the scenario. */
export function runSlammer(options: SlammerScenarioOptions = {}): { result: ScenarioResult; runs: VariantRun[] } {
  const seconds = options.seconds ?? 60;
  const seed = options.seed ?? 1;
  const servers = options.servers ?? 2;
  const serverBits = options.serverBitsPerSecond ?? 100e6;
  const uplinkBits = options.uplinkBitsPerSecond ?? 45e6;
  const table = generateIPv4Table({ count: options.upstreamRoutes ?? 901_899, seed });
  const upstream = new ProxyArpUpstream({ table, mac: 0x00000c990002, address: 0xc0000202, seed });
  const infected = infectionTimes(servers, options.startInfected ?? 0.02, SLAMMER_SPREAD, seed ^ 0x51a3);
  const { hosts, starts } = infectedServers(infected, seconds, SERVERS);
  const truth = new Set(hosts.map((a) => a >>> 0));
  const { runs, packets } = runVariants({
    variants: slammerVariants(),
    options,
    seconds,
    seed,
    upstream,
    workloads: () => {
      const workloads: Workload[] = [clientTraffic(table, options, CLIENTS, 16, seed)];
      if (hosts.length > 0)
        workloads.push(new Slammer({ hosts, startMs: starts, interface: 1, frames: true, seed, bandwidthBitsPerSecond: serverBits }));
      return workloads;
    },
    detect: (router, nowMs) => detection(router, truth, nowMs, "destination-port 1434", "059A"),
    router: { linkBitsPerSecond: { Vlan3: uplinkBits } },
    extra: (router) => ({ uplinkLoad: Math.max(0, ...router.seconds.map((r) => r.linkLoad[2] ?? 0)) * 100 }),
  });
  return {
    result: {
      scenario: "slammer",
      title: "SQL Slammer from a site's SQL servers: bandwidth-bound scanning through the site's router",
      seed,
      simulatedSeconds: seconds,
      parameters: {
        "SQL servers (Vlan2)": servers,
        "infected during the run": hosts.length,
        "server links": `${serverBits / 1e6} Mb/s (28,280 datagrams/s at 100 Mb/s)`,
        uplink: `${uplinkBits / 1e6} Mb/s (Vlan3)`,
        spread: "75,000 hosts, doubling every 8.5 s",
        "BGP changes at Slammer's peak (bgp-churn)": `${SLAMMER_CHANGES_PER_BIN.toLocaleString("en-US")} per 5 min`,
        "upstream routes (proxy ARP)": table.count,
        "packets simulated (all variants)": packets,
      },
      metrics: SLAMMER_METRICS,
      variants: runs.map((r) => r.result),
      notes: [
        "Detection columns score sources with at least 3 flows to UDP 1434 (0x059A) in show ip flow top / show ip cache flow | include 059A.",
      ],
    },
    runs,
  };
}
