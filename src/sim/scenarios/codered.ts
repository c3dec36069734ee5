/**
 * The `codered` scenario: the router of Cisco's Code Red document (seed 000) under a Code Red
 * outbreak, against the document's fixes applied one at a time and together.
 *
 * The site: clients on Vlan1 (172.16.0.0/16) with established traffic toward the Internet
 * (Zipf flows toward the upstream's routing table), and a farm of IIS servers on Vlan2
 * (172.17.0.0/24), each infected at the time the random-constant-spread model says for a host
 * of Code Red v2's population (359,000 hosts, doubling every 37 min, research/seq.md §4): the
 * run starts when `startInfected` of the population is infected. Infected servers send Code
 * Red I's SYNs to port 80 (14 a second, retransmitted at 3 s and 9 s). The uplink, Vlan3,
 * leads to the provider's router, which runs proxy ARP and a full Internet table.
 *
 * The vulnerable router (000:L171–175, L193–207): a static default route to the broadcast
 * interface Vlan3 (every destination is on-link and ARPed for, and proxy ARP answers each
 * routed one with an entry of its own), RFC 826 ARP, fast switching (a /32 route-cache entry per
 * destination), full NetFlow on both inside interfaces. The fixes: the route to the next hop,
 * CEF, negative ARP caching (seed 001), random-sampled NetFlow 1-in-100 with top talkers
 * (seed 003), an inbound ACL blocking port 80 from the servers (000:L163–165); and all of them.
 */

import type { ScenarioResult, VariantResult, MetricSpec, TimeSeries, Display } from "../report/result.js";
import { BackgroundTraffic, type BackgroundOptions, CodeRedI, fillMixed, type Workload } from "../workload/index.js";
import { CODE_RED_V2_SPREAD, growthRate, type SpreadModel } from "../workload/spread.js";
import { generateIPv4Table } from "../table.js";
import { PacketBatch } from "../../packet/batch.js";
import { Xoshiro128 } from "../../common/random.js";
import { ConfigError, describe } from "../../errors.js";
import { SimRouter, CHARTED_PROCESSES, type SimRouterOptions } from "../router/router.js";
import { ProxyArpUpstream } from "../router/upstream.js";
import { routerDisplays, detection, type Detection } from "./displays.js";

/** A router variant: its configuration and ARP behaviour. */
export interface RouterVariant {
  name: string;
  description: string;
  config: string;
  arp: "rfc826" | "negative-caching";
  /** Processor memory when not the scenario's (bytes). */
  memoryBytes?: number;
}

/** Which of the note's fixes a variant applies (and, for other sites, the inside addresses). */
export interface CodeRedFixes {
  /** `ip address` of Vlan1 (clients; default `172.16.0.1 255.255.0.0`) and Vlan2 (servers; default `172.17.0.1 255.255.255.0`). */
  clients?: string;
  servers?: string;
  nextHop?: boolean;
  cef?: boolean;
  /** The ACL's deny entry (default `deny tcp any any eq www`, the Code Red document's). */
  aclDeny?: string;
  negativeArp?: boolean;
  sampledNetflow?: boolean;
  acl?: boolean;
}

/** The IOS configuration of the scenario's router with `fixes` applied. */
export function codeRedConfig(fixes: CodeRedFixes = {}): string {
  const netflow = fixes.sampledNetflow ? [" flow-sampler SAMPLE"] : [" ip route-cache flow"];
  const switching = fixes.cef ? [" ip route-cache cef"] : [" ip route-cache"];
  return [
    "hostname codered",
    fixes.cef ? "ip cef" : "no ip cef",
    ...(fixes.sampledNetflow
      ? ["flow-sampler-map SAMPLE", " mode random one-out-of 100", "ip flow-top-talkers", " top 10", " sort-by packets"]
      : []),
    ...(fixes.acl ? [`access-list 101 ${fixes.aclDeny ?? "deny tcp any any eq www"}`, "access-list 101 permit ip any any"] : []),
    "interface Vlan1",
    " description clients",
    " mac-address 0000.0c00.0001",
    ` ip address ${fixes.clients ?? "172.16.0.1 255.255.0.0"}`,
    ...switching,
    ...netflow,
    "interface Vlan2",
    " description IIS servers",
    " mac-address 0000.0c00.0002",
    ` ip address ${fixes.servers ?? "172.17.0.1 255.255.255.0"}`,
    ...(fixes.acl ? [" ip access-group 101 in"] : []),
    ...switching,
    ...netflow,
    "interface Vlan3",
    " description uplink: the provider's router, proxy ARP",
    " mac-address 0000.0c00.0003",
    " ip address 192.0.2.1 255.255.255.0",
    ...switching,
    fixes.nextHop ? "ip route 0.0.0.0 0.0.0.0 192.0.2.2" : "ip route 0.0.0.0 0.0.0.0 Vlan3",
    "",
  ].join("\n");
}

/** The scenario's variants: the vulnerable router, each fix alone, and all fixes. */
export function codeRedVariants(site: Pick<CodeRedFixes, "clients" | "servers"> = {}): RouterVariant[] {
  const v = (name: string, description: string, fixes: CodeRedFixes): RouterVariant => ({
    name,
    description,
    config: codeRedConfig({ ...site, ...fixes }),
    arp: fixes.negativeArp ? "negative-caching" : "rfc826",
  });
  return [
    v("vulnerable", "static route to Vlan3 (proxy ARP upstream), RFC 826 ARP, fast switching, full NetFlow", {}),
    v("next-hop route", "ip route 0.0.0.0 0.0.0.0 192.0.2.2 instead of the interface", { nextHop: true }),
    v("CEF", "ip cef (no route cache; an adjacency per ARP entry)", { cef: true }),
    v("negative ARP", "negative ARP caching (NANOG 2001) instead of RFC 826", { negativeArp: true }),
    v("sampled NetFlow", "random-sampled NetFlow 1-in-100 with top talkers", { sampledNetflow: true }),
    v("ACL port 80", "access-list 101 deny tcp any any eq www, in on Vlan2", { acl: true }),
    v("all fixes", "every fix together", { nextHop: true, cef: true, negativeArp: true, sampledNetflow: true, acl: true }),
  ];
}

/** Options of {@link runCodeRed}. */
export interface CodeRedOptions {
  /** Simulated seconds (default 600). */
  seconds?: number;
  seed?: number;
  /** IIS servers on Vlan2 (default 200). */
  servers?: number;
  /** Share of the worm's population infected when the run starts (default 0.2). */
  startInfected?: number;
  /** Established packets per second from the clients (default 1000) and their flows (default 2000). */
  establishedPacketsPerSecond?: number;
  establishedFlows?: number;
  /** Routes of the upstream's table (default 901,899, today's Internet). */
  upstreamRoutes?: number;
  /** Processor memory of every variant, bytes (default 128 MiB), and what IOS holds of it from boot (default 64 MiB). */
  memoryBytes?: number;
  systemBytes?: number;
  /** Which variants to run (default all, by name). */
  variants?: string[];
  /** Called with (simulated seconds done, total) as the run goes. */
  progress?: (done: number, total: number) => void;
}

/** The worm's spread model. */
export const CODE_RED_SPREAD: SpreadModel = CODE_RED_V2_SPREAD;

/**
 * Infection times (ms from the start, Infinity for never) of `n` hosts of the spread's
 * population, for a run that starts when a share `a0` is infected: host i is infected when the
 * logistic a(t) reaches its uniform draw u_i (RCS: every vulnerable host is equally likely
 * next), t = ln((N/I0 − 1)·u/(1 − u))/K.
 */
export function infectionTimes(n: number, a0: number, model: SpreadModel, seed: number): Float64Array {
  if (!(a0 > 0 && a0 < 1)) throw new ConfigError("codered-start", `startInfected must be between 0 and 1, got ${describe(a0)}`, a0);
  const k = growthRate(model);
  const c = model.population / model.initial - 1;
  const at = (u: number) => Math.log((c * u) / (1 - u)) / k;
  const t0 = at(a0);
  const random = new Xoshiro128(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (random.next() + 0.5) / 2 ** 32;
    out[i] = u <= a0 ? 0 : (at(u) - t0) * 1000;
  }
  return out;
}

const CLIENTS = 0xac100000; // 172.16.0.0/16
const SERVERS = 0xac110000; // 172.17.0.0/24
const UPSTREAM_ADDRESS = 0xc0000202; // 192.0.2.2
const UPSTREAM_MAC = 0x00000c990002;

/** The summary table's columns. */
export const CODE_RED_METRICS: MetricSpec[] = [
  { key: "arpPerSecond", label: "ARP req/s", digits: 1 },
  { key: "arpPeak", label: "peak" },
  { key: "arpMB", label: "ARP", unit: "MB", digits: 1 },
  { key: "routeCacheMB", label: "route cache", unit: "MB", digits: 1 },
  { key: "cefMB", label: "CEF adj", unit: "MB", digits: 1 },
  { key: "flowCacheMB", label: "flow cache", unit: "MB", digits: 1 },
  { key: "natMB", label: "NAT", unit: "MB", digits: 1 },
  { key: "cpuPeak", label: "CPU 5s max", unit: "%", digits: 0 },
  { key: "ipInput", label: "IP Input", unit: "%", digits: 2 },
  { key: "arpInput", label: "ARP Input", unit: "%", digits: 2 },
  { key: "interrupt", label: "interrupt", unit: "%", digits: 1 },
  { key: "lost", label: "est. lost" },
  { key: "lossPercent", label: "loss", unit: "%", digits: 2 },
  { key: "mallocfail", label: "MALLOCFAIL", unit: "s" },
  { key: "reload", label: "reload", unit: "s" },
  { key: "top", label: "flow top P/R" },
  { key: "include0050", label: "| include 0050 P/R" },
];

/** What one variant's run leaves for tests and reports. */
export interface VariantRun {
  variant: RouterVariant;
  router: SimRouter;
  detection: Detection;
  result: VariantResult;
}

/** The servers (at `base + 10 + i`) infected before `seconds`, and when each starts scanning (ms). */
export function infectedServers(infected: Float64Array, seconds: number, base: number): { hosts: number[]; starts: number[] } {
  const hosts: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < infected.length; i++) {
    if (infected[i]! < seconds * 1000) {
      hosts.push(base + 10 + i);
      starts.push(infected[i]!);
    }
  }
  return { hosts, starts };
}

/** What {@link runVariants} runs: each variant of a scenario on the same workloads. */
export interface VariantPlan {
  /** Every variant; `options.variants` chooses among them by name. */
  variants: RouterVariant[];
  /** The scenario's options: variants, memory (a variant's own wins), progress. */
  options: Pick<CodeRedOptions, "variants" | "memoryBytes" | "systemBytes" | "progress">;
  seconds: number;
  seed: number;
  /** The provider's router; disposed when the run ends. */
  upstream: ProxyArpUpstream;
  /** The workloads of one variant's run (each run starts them afresh). */
  workloads: () => Workload[];
  /** Scores the router's NetFlow displays against the infected hosts at `nowMs`. */
  detect: (router: SimRouter, nowMs: number) => Detection;
  /** More router options (responders, link speeds). */
  router?: Partial<SimRouterOptions>;
  /** More summary columns of a variant. */
  extra?: (router: SimRouter) => Record<string, number>;
}

/** Runs every chosen variant of a plan; returns the runs and the packets simulated in all. */
export function runVariants(plan: VariantPlan): { runs: VariantRun[]; packets: number } {
  const { seconds, options } = plan;
  const names = options.variants;
  const chosen = names === undefined ? plan.variants : plan.variants.filter((v) => names.includes(v.name));
  const runs: VariantRun[] = [];
  const total = seconds * chosen.length;
  let packets = 0;
  try {
    chosen.forEach((variant, index) => {
      const workloads = plan.workloads();
      const beforeReload = reloadDisplays();
      const memoryBytes = variant.memoryBytes ?? options.memoryBytes;
      const router = new SimRouter({
        config: variant.config,
        arp: variant.arp,
        upstream: plan.upstream,
        uplink: "Vlan3",
        seed: plan.seed,
        warmupSeconds: 5,
        beforeReload: beforeReload.capture((r, s) => plan.detect(r, s * 1000)),
        ...plan.router,
        ...(memoryBytes === undefined ? {} : { memoryBytes }),
        ...(options.systemBytes === undefined ? {} : { systemBytes: options.systemBytes }),
      } satisfies SimRouterOptions);
      runRouter(router, workloads, seconds, (s) => options.progress?.(index * seconds + s, total));
      packets += router.seconds.reduce((a, r) => a + r.establishedPackets + r.wormPackets, 0);
      const det = plan.detect(router, seconds * 1000);
      const result = variantResult(variant, router, det, plan.extra?.(router));
      result.displays = [...beforeReload.displays, ...(result.displays ?? [])];
      runs.push({ variant, router, detection: det, result });
    });
  } finally {
    plan.upstream.dispose();
  }
  return { runs, packets };
}

/** The clients' established traffic: Zipf flows from `clientNetwork/clientLength` on Vlan1 toward the upstream's table. */
export function clientTraffic(
  table: BackgroundOptions["table"],
  options: { establishedFlows?: number; establishedPacketsPerSecond?: number },
  clientNetwork: number,
  clientLength: number,
  seed: number,
): BackgroundTraffic {
  return new BackgroundTraffic({
    table,
    flows: options.establishedFlows ?? 2000,
    packetsPerSecond: options.establishedPacketsPerSecond ?? 1000,
    clientNetwork,
    clientLength,
    interface: 0,
    frames: true,
    seed,
  });
}

/** Runs the scenario; `keepRouters` leaves each variant's router undisposed in `runs` (tests). */
export function runCodeRed(options: CodeRedOptions = {}): { result: ScenarioResult; runs: VariantRun[] } {
  const seconds = options.seconds ?? 600;
  const seed = options.seed ?? 1;
  const servers = options.servers ?? 200;
  const a0 = options.startInfected ?? 0.2;
  const table = generateIPv4Table({ count: options.upstreamRoutes ?? 901_899, seed });
  const upstream = new ProxyArpUpstream({ table, mac: UPSTREAM_MAC, address: UPSTREAM_ADDRESS, seed });
  const infected = infectionTimes(servers, a0, CODE_RED_SPREAD, seed ^ 0x5eed);
  const { hosts: scanning, starts } = infectedServers(infected, seconds, SERVERS);
  // The vulnerable router again with 256 MB (the BGP paper's routers had 256 or 512 MB, 004:L24).
  const all = [...codeRedVariants()];
  all.splice(1, 0, {
    ...all[0]!,
    name: "vulnerable 256 MB",
    description: "the vulnerable router with 256 MB of memory",
    memoryBytes: 256 * 1024 * 1024,
  });
  const truth = (untilMs: number) => new Set(scanning.filter((_, i) => starts[i]! < untilMs).map((a) => a >>> 0));
  const { runs } = runVariants({
    variants: all,
    options,
    seconds,
    seed,
    upstream,
    workloads: () => {
      const workloads: Workload[] = [clientTraffic(table, options, CLIENTS, 16, seed)];
      if (scanning.length > 0)
        workloads.push(new CodeRedI({ hosts: scanning, startMs: starts, interface: 1, frames: true, seed, sharedTargetList: false }));
      return workloads;
    },
    detect: (router, nowMs) => detection(router, truth(nowMs), nowMs),
  });
  const result: ScenarioResult = {
    scenario: "codered",
    title: "Code Red against the Code Red document's router and its fixes",
    seed,
    simulatedSeconds: seconds,
    parameters: {
      "IIS servers (Vlan2)": servers,
      "infected at the start": scanning.filter((_, i) => starts[i] === 0).length,
      "infected at the end": scanning.length,
      "population infected at the start": `${(a0 * 100).toFixed(0)} % of ${CODE_RED_SPREAD.population.toLocaleString("en-US")}`,
      "doubling time": "37 min (Code Red v2)",
      "SYNs per infected host": "14/s, retransmitted at +3 s and +9 s",
      "established traffic (Vlan1)": `${options.establishedPacketsPerSecond ?? 1000} packets/s, ${options.establishedFlows ?? 2000} flows`,
      "upstream routes (proxy ARP)": table.count,
      "processor memory": `${((options.memoryBytes ?? 128 * 1024 * 1024) / 1024 / 1024).toFixed(0)} MB (${((options.systemBytes ?? 64 * 1024 * 1024) / 1024 / 1024).toFixed(0)} MB held by IOS at boot)`,
    },
    metrics: CODE_RED_METRICS,
    variants: runs.map((r) => r.result),
    notes: [
      "Costs per operation and bytes per entry: src/sim/load-meter/costs.ts (each with its source).",
      "Detection: a source is named when it has at least 3 port-80 flows in the display; precision and recall against the servers the generator infected.",
      "Established traffic is the clients' Zipf flows; losses are counted after 5 s of warm-up.",
    ],
  };
  return { result, runs };
}

/**
 * Captures a router's displays the first time it is about to reload (the decisive moment: its
 * tables full, its console flooded); each title says when.
 */
export function reloadDisplays(): {
  displays: Display[];
  capture: (detect: (router: SimRouter, seconds: number) => Detection) => (router: SimRouter, seconds: number) => void;
} {
  const displays: Display[] = [];
  return {
    displays,
    capture: (detect) => (router, seconds) => {
      if (displays.length > 0) return;
      for (const d of routerDisplays(router, detect(router, seconds)))
        displays.push({ title: `${d.title}   (at ${seconds.toFixed(0)} s, before the reload)`, text: d.text });
    },
  };
}

/** Drives a router with workloads in 1-second steps. */
export function runRouter(router: SimRouter, workloads: Workload[], seconds: number, progress?: (done: number) => void): void {
  const capacity = 8192;
  let batch: PacketBatch | undefined;
  const labels = new Uint8Array(capacity);
  for (let s = 0; s < seconds; s++) {
    const until = (s + 1) * 1000;
    for (;;) {
      const core = router.dataplane?.core;
      if (batch === undefined || (core !== undefined && batch.core !== core)) {
        batch?.dispose?.();
        batch = new PacketBatch({ ...(core === undefined ? {} : { core }), capacity });
      }
      batch.length = 0;
      const n = fillMixed(batch, workloads, until, labels);
      if (n === 0) break;
      router.process(batch, labels);
      if (n < capacity) break;
    }
    router.endSecond();
    progress?.(s + 1);
  }
}

/** A variant's row, series, events and displays. */
export function variantResult(
  variant: RouterVariant,
  router: SimRouter,
  det: Detection,
  extra: Record<string, number | string | null> = {},
): VariantResult {
  const h = router.seconds;
  const t = Float64Array.from(h, (r) => r.seconds);
  const series = (chart: string, name: string, unit: string, f: (r: (typeof h)[number]) => number): TimeSeries => ({
    chart,
    name,
    unit,
    seconds: t,
    values: Float64Array.from(h, f),
  });
  const mb = 1024 * 1024;
  const cpuSeries = [
    series("cpu", "interrupt", "%", (r) => r.interruptPercent),
    ...CHARTED_PROCESSES.map((p) => series("cpu", p, "%", (r) => r.process[p] ?? 0)),
  ];
  const mean = (f: (r: (typeof h)[number]) => number) => (h.length === 0 ? 0 : h.reduce((a, r) => a + f(r), 0) / h.length);
  const cpuPeak = Math.max(0, ...router.cpu.history.map((p) => p.busyPercent));
  const pr = (d: { precision: number | null; recall: number | null } | null) =>
    d === null ? null : `${d.precision === null ? "-" : d.precision.toFixed(2)}/${d.recall === null ? "-" : d.recall.toFixed(2)}`;
  const displays: Display[] = routerDisplays(router, det);
  return {
    name: variant.name,
    description: variant.description,
    summary: {
      arpPerSecond: router.arpRequests / Math.max(1, h.length),
      arpPeak: Math.max(0, ...h.map((r) => r.arpRequests)),
      arpMB: router.peak.arp / mb,
      routeCacheMB: router.peak.routeCache / mb,
      cefMB: router.peak.cef / mb,
      flowCacheMB: router.peak.flowCache / mb,
      natMB: null,
      cpuPeak,
      ipInput: mean((r) => r.process["IP Input"] ?? 0),
      arpInput: mean((r) => r.process["ARP Input"] ?? 0),
      interrupt: mean((r) => r.interruptPercent),
      lost: Math.round(router.establishedLost),
      lossPercent: router.establishedPackets === 0 ? 0 : (100 * router.establishedLost) / router.establishedPackets,
      mallocfail: router.firstMallocFailSeconds,
      reload: router.firstReloadSeconds,
      top: pr(det.top),
      include0050: pr(det.include0050),
      ...extra,
    },
    series: [
      series("arp", "ARP requests/s", "requests/s", (r) => r.arpRequests),
      series("memory", "ARP", "bytes", (r) => r.arpBytes),
      series("memory", "route cache", "bytes", (r) => r.routeCacheBytes),
      series("memory", "CEF adjacencies", "bytes", (r) => r.cefBytes),
      series("memory", "flow cache", "bytes", (r) => r.flowCacheBytes),
      series("free", "free", "bytes", (r) => r.freeBytes),
      ...cpuSeries,
      series("loss", "established lost/s", "packets lost/s", (r) => r.establishedLost),
    ],
    events: router.events,
    displays,
  };
}
