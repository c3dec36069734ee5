/**
 * The Code Red ARP scenario (research §8.5): a router whose interface 0 holds 10.0.0.1/16 with
 * a static default route to the interface (every destination is "on-link", the Cisco 12808
 * set-up), 6,000 live hosts on the /16 answering ARP in 1 ms, 50 established neighbours at
 * 10 packets/s each, one new neighbour a second that announces itself (GARP) and one a minute
 * that stays silent — and a worm scanning R new unique (dead) destinations a second, one packet
 * each (`udp`) or a SYN with retransmissions at +3 s and +9 s (`syn`), optionally re-scanning
 * every destination after `rescan` seconds. The same packets, millisecond by millisecond, go to
 * each model; metrics M1–M6 are computed for each.
 */

import { type ScanModel, SENT, QUEUED } from "./model.js";
import { OursModel } from "./ours-model.js";
import { LinuxModel } from "./linux-model.js";
import { Rfc826Model } from "./rfc826-model.js";
import type { ArpParameters } from "../../arp/options.js";
import { Xoshiro128 } from "../../common/random.js";

/** Scenario parameters. */
export interface ArpScanOptions {
  /** New unique destinations per second (default 500). */
  rate?: number;
  /** Seconds of scanning (default 480). */
  seconds?: number;
  /** `udp`: one packet per destination; `syn`: at 0, 3 and 9 s (default `syn`). */
  pattern?: "udp" | "syn";
  /** Re-scan every destination this many seconds after its first scan (default: no re-scan). */
  rescan?: number;
  /** Which models to run (default all three). */
  models?: ("ours" | "linux" | "rfc826")[];
  /** Parameters for our table (defaults: research §8.2). */
  parameters?: Partial<ArpParameters>;
  /** Called about once per simulated second with the fraction done. */
  progress?: (fraction: number) => void;
}

/** Metrics M1–M6 of one model. */
export interface ArpScanMetrics {
  model: string;
  /** M1: requests per dead destination. */
  m1: {
    scanned: number;
    admitted: number;
    perAdmitted: { mean: number; p99: number; max: number };
    perScanned: number;
    rescanRequests: number;
    /** Requests in the re-scan phase (by time) for destinations admitted in the first pass. */
    rescanRequestsForAdmitted: number;
    /** Requests sent at once because of a re-scan packet to a destination admitted in the first pass (a negative cache sends none inside t2). */
    rescanTriggered: number;
    perRescanned: number;
  };
  /** M2: request load. */
  m2: {
    total: number;
    meanPerSecond: number;
    peak1s: number;
    peak100msPerSecond: number;
    broadcastBytesPerSecond: number;
    unicast: number;
  };
  /** M3: peak entries per state and bytes; WebAssembly memory at start and end. */
  m3: { peakEntries: Record<string, number>; bytes: number | null; memoryStart: number | null; memoryEnd: number | null };
  /** M4: established and new neighbours. */
  m4: {
    establishedPackets: number;
    establishedLost: number;
    establishedLossPercent: number;
    extraArpExchanges: number;
    newAnnounced: { count: number; delivered: number; ttfdP50: number | null; ttfdP99: number | null };
    newSilent: { count: number; delivered: number; ttfdP50: number | null; ttfdP99: number | null };
  };
  /** M5: CPU seconds spent in the model per simulated scan second. */
  m5: { cpuSecondsPerScanSecond: number; cpuSeconds: number };
  /** M6: drop counters. */
  m6: Record<string, number>;
}

/** Result of a run. */
export interface ArpScanResult {
  scenario: {
    rate: number;
    seconds: number;
    pattern: "udp" | "syn";
    rescan: number | null;
    destinations: number;
    liveHosts: number;
    established: number;
    runMs: number;
  };
  /** Our table's budget, for the checks. */
  budget: {
    requestRate: number;
    requestBurst: number;
    requestsPerResolution: number;
    nexistHoldMs: number;
    capacity: { present: number; incomplete: number; nexist: number; queue: number } | null;
    bytes: number | null;
  };
  models: ArpScanMetrics[];
}

const LOCAL = 0x0a000000; // 10.0.0.0/16
const SCAN_BASE = 0x10000000; // destinations in 16.0.0.0 – 31.255.255.255: unicast, dead
const LIVE_HOSTS = 6000;
const ESTABLISHED = 50;
const SCAN_START = 2000;
const WIRE_BYTES = 84; // an ARP request on the wire: 64-byte minimum frame + preamble + gap

// Kinds of the hosts on the local /16.
const DEAD = 0;
const ESTABLISHED_HOST = 1;
const NEW_ANNOUNCED = 2;
const NEW_SILENT = 3;
const OTHER_LIVE = 4;

// A keyed permutation of [0, 2^28): destination index ↔ address offset (4-round Feistel on
// 14-bit halves), so destinations are unique and a request's target maps back to its index.
const KEYS = [0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c];
function round(x: number, key: number): number {
  let f = Math.imul(x ^ key, 0x45d9f3b);
  f ^= f >>> 16;
  f = Math.imul(f, 0x45d9f3b);
  return (f ^ (f >>> 16)) & 0x3fff;
}
/** The address of scan destination `index` (unique, in 16.0.0.0/4, never a live host). */
export function scanAddress(index: number): number {
  let left = index >>> 14;
  let right = index & 0x3fff;
  for (const key of KEYS) [left, right] = [right, left ^ round(right, key)];
  return SCAN_BASE + ((left << 14) | right);
}
/** The destination index of a scanned address (inverse of {@link scanAddress}). */
export function scanIndex(address: number): number {
  const offset = address - SCAN_BASE;
  let left = offset >>> 14;
  let right = offset & 0x3fff;
  for (let k = KEYS.length - 1; k >= 0; k--) [left, right] = [right ^ round(left, KEYS[k]!), left];
  return (left << 14) | right;
}

const hostAddress = (k: number) => LOCAL + 2 + k * 10;
const macFor = (ip: number) => 0x020000000000 + ip;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the scenario. */
export function runArpScan(options: ArpScanOptions = {}): ArpScanResult {
  const rate = options.rate ?? 500;
  const seconds = options.seconds ?? 480;
  const pattern = options.pattern ?? "syn";
  const rescanMs = options.rescan === undefined ? null : options.rescan * 1000;
  const destinations = Math.round(rate * seconds);
  if (destinations > 2 ** 28) throw new RangeError(`rate × seconds must stay below 2^28 destinations, got ${destinations}`);
  const offsets = pattern === "udp" ? [0] : [0, 3000, 9000];
  const allOffsets = rescanMs === null ? offsets : [...offsets, ...offsets.map((o) => o + rescanMs)];
  const runMs = SCAN_START + seconds * 1000 + (rescanMs ?? 0) + 12_000;

  const parameters: Partial<ArpParameters> = options.parameters ?? {};
  const oursOptions = {
    seed: 2001,
    ...parameters,
    interfaces: [{ name: "Vlan3", mac: "00:00:0c:07:ac:03", addresses: ["10.0.0.1/16"], onLink: ["0.0.0.0/0"] }],
  };
  const wanted = options.models ?? ["ours", "linux", "rfc826"];
  const models: ScanModel[] = wanted.map((m) =>
    m === "ours" ? new OursModel(oursOptions) : m === "linux" ? new LinuxModel() : new Rfc826Model(),
  );
  const ours = models.find((m): m is OursModel => m instanceof OursModel);

  // The local /16.
  const kind = new Uint8Array(65536);
  for (let k = 0; k < LIVE_HOSTS; k++) kind[hostAddress(k) - LOCAL] = k < ESTABLISHED ? ESTABLISHED_HOST : OTHER_LIVE;
  // New neighbours: announced ones one a second from host 50 on, silent ones one a minute from host 3000 on.
  const newcomers: { ip: number; at: number; announced: boolean }[] = [];
  for (let s = 1; s < seconds + (rescanMs ?? 0) / 1000 && 50 + s < 3000; s++)
    newcomers.push({ ip: hostAddress(50 + s), at: SCAN_START + s * 1000, announced: true });
  for (let m = 1; m * 60 < seconds + (rescanMs ?? 0) / 1000 && 3000 + m < LIVE_HOSTS; m++)
    newcomers.push({ ip: hostAddress(3000 + m), at: SCAN_START + m * 60_000 + 500, announced: false });
  for (const n of newcomers) kind[n.ip - LOCAL] = n.announced ? NEW_ANNOUNCED : NEW_SILENT;
  const newcomerAt = new Map(newcomers.map((n) => [n.ip, n.at]));
  const appearing = new Map<number, { ip: number; at: number; announced: boolean }[]>();
  for (const n of newcomers) appearing.set(n.at, [...(appearing.get(n.at) ?? []), n]);
  const newTrafficMs = 10_000;

  // Per model state.
  const state = models.map(() => ({
    first: new Uint8Array(destinations),
    again: new Uint8Array(destinations),
    perMs: new Uint32Array(runMs + 1),
    unicast: 0,
    replies: [] as { at: number; ip: number }[],
    replyHead: 0,
    established: { packets: 0, lost: 0, extra: 0 },
    firstDelivery: new Map<number, number>(),
    peak: {} as Record<string, number>,
    cpu: 0,
    memoryStart: null as number | null,
    rescanAdmitted: 0,
    pending: [] as number[],
  }));
  if (ours) state[models.indexOf(ours)]!.memoryStart = ours.table.memoryBytes();

  const packets = new Uint32Array(1 << 16);
  /** Per packet: the destination index of a re-scan packet, -1 otherwise. */
  const rescanOf = new Int32Array(1 << 16);
  const mine = new Uint32Array(1 << 16);
  const verdicts = new Uint8Array(1 << 16);
  // Destination i is first scanned at a jittered time, still in index order: periodic arrivals
  // would phase-lock with the token bucket and decide who wins an admission.
  const jitter = (i: number) => {
    let h = Math.imul(i ^ 0x2545f491, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    return ((h ^ (h >>> 13)) >>> 0) / 2 ** 32;
  };
  const firstTime = (i: number) => SCAN_START + Math.floor(((i + jitter(i)) * 1000) / rate);
  const cursors = allOffsets.map(() => 0);
  const shuffle = new Xoshiro128(0xc0de);

  for (let t = 0; t <= runMs; t++) {
    // Packets of this millisecond: background, newcomers, scan.
    let count = 0;
    for (let j = (t % 100) >> 1; j < ESTABLISHED && (t % 100) % 2 === 0; j += 50) packets[count++] = hostAddress(j);
    for (let k = 0; k < count; k++) rescanOf[k] = -1;
    for (const n of newcomers) {
      const since = t - n.at - 100;
      if (since >= 0 && since < newTrafficMs && since % 100 === 0) (rescanOf[count] = -1), (packets[count++] = n.ip);
    }
    allOffsets.forEach((o, k) => {
      const rescan = k >= offsets.length;
      while (cursors[k]! < destinations && firstTime(cursors[k]!) + o <= t && count < packets.length) {
        const i = cursors[k]!++;
        rescanOf[count] = rescan ? i : -1;
        packets[count++] = scanAddress(i);
      }
    });
    // Packets of one millisecond reach the router in no particular order: the first one after
    // the bucket refills wins an admission, so a fixed order would decide who gets resolved.
    for (let k = count - 1; k > 0; k--) {
      const j = shuffle.next() % (k + 1);
      const ip = packets[k]!;
      packets[k] = packets[j]!;
      packets[j] = ip;
      const r = rescanOf[k]!;
      rescanOf[k] = rescanOf[j]!;
      rescanOf[j] = r;
    }
    models.forEach((model, m) => {
      const s = state[m]!;
      const started = performance.now();
      // ARP replies due now, then announcements, then this millisecond's packets.
      while (s.replyHead < s.replies.length && s.replies[s.replyHead]!.at <= t) {
        const r = s.replies[s.replyHead++]!;
        model.arpReply(r.ip, macFor(r.ip), t);
      }
      if (s.replyHead > 4096) {
        s.replies = s.replies.slice(s.replyHead);
        s.replyHead = 0;
      }
      for (const n of appearing.get(t) ?? []) if (n.announced) model.announce(n.ip, macFor(n.ip), t);
      // Re-scan packets of destinations this model admitted in the first pass go first, alone:
      // the requests they trigger at once are what a negative cache must prevent.
      let a = 0;
      for (let k = 0; k < count; k++) if (rescanOf[k]! >= 0 && s.first[rescanOf[k]!]! > 0) mine[a++] = packets[k]!;
      if (a > 0) {
        model.resolve(mine, a, t, verdicts);
        model.takeRequests((ip, broadcast, time) => {
          s.rescanAdmitted++;
          s.pending.push(ip, broadcast ? 1 : 0, time);
        });
      }
      let b = 0;
      for (let k = 0; k < count; k++) if (!(rescanOf[k]! >= 0 && s.first[rescanOf[k]!]! > 0)) mine[b++] = packets[k]!;
      model.resolve(mine, b, t, verdicts);
      if (t % 10 === 0) model.tick(t);
      const deliver = (ip: number, delivered: boolean) => {
        const k = (ip - LOCAL) >>> 0 < 65536 ? kind[ip - LOCAL]! : DEAD;
        if (k === ESTABLISHED_HOST) {
          if (!delivered) s.established.lost++;
        } else if ((k === NEW_ANNOUNCED || k === NEW_SILENT) && delivered && !s.firstDelivery.has(ip)) s.firstDelivery.set(ip, t);
      };
      for (let i = 0; i < b; i++) {
        const ip = mine[i]!;
        const k = (ip - LOCAL) >>> 0 < 65536 ? kind[ip - LOCAL]! : DEAD;
        if (k === ESTABLISHED_HOST) s.established.packets++;
        if (verdicts[i] !== QUEUED) deliver(ip, verdicts[i] === SENT);
      }
      model.takeReleases(deliver);
      const request = (ip: number, broadcast: boolean, time: number) => {
        s.perMs[Math.min(runMs, time)]!++;
        if (!broadcast) s.unicast++;
        const local = (ip - LOCAL) >>> 0;
        if (local < 65536) {
          const k = kind[local]!;
          if (k === ESTABLISHED_HOST && broadcast && time >= SCAN_START) s.established.extra++;
          const appeared = newcomerAt.get(ip);
          if (k !== DEAD && (appeared === undefined || time >= appeared)) s.replies.push({ at: time + 1, ip });
        } else if (ip >= SCAN_BASE && ip < SCAN_BASE + 2 ** 28) {
          const i = scanIndex(ip);
          if (i < destinations) {
            const rescanning = rescanMs !== null && time >= firstTime(i) + rescanMs;
            const counts = rescanning ? s.again : s.first;
            if (counts[i]! < 255) counts[i]!++;
          }
        }
      };
      for (let k = 0; k < s.pending.length; k += 3) request(s.pending[k]!, s.pending[k + 1] === 1, s.pending[k + 2]!);
      s.pending.length = 0;
      model.takeRequests(request);
      if (t % 1000 === 0) {
        const o = model.occupancy();
        for (const [name, value] of Object.entries(o.entries)) s.peak[name] = Math.max(s.peak[name] ?? 0, value);
      }
      s.cpu += performance.now() - started;
    });
    if (t % 1000 === 0) options.progress?.(t / runMs);
  }

  const results = models.map((model, m): ArpScanMetrics => {
    const s = state[m]!;
    // M1
    const histogram = new Float64Array(256);
    let admitted = 0;
    let firstTotal = 0;
    let againTotal = 0;
    let againAdmitted = 0;
    for (let i = 0; i < destinations; i++) {
      const f = s.first[i]!;
      histogram[f]!++;
      firstTotal += f;
      againTotal += s.again[i]!;
      if (f > 0) {
        admitted++;
        againAdmitted += s.again[i]!;
      }
    }
    let max = 0;
    let p99 = 0;
    let seen = 0;
    for (let v = 1; v < 256; v++) {
      if (histogram[v]! > 0) max = v;
      seen += histogram[v]!;
      if (p99 === 0 && seen >= 0.99 * admitted) p99 = v;
    }
    // M2
    const scanEnd = SCAN_START + seconds * 1000;
    let total = 0;
    let window1 = 0;
    let window100 = 0;
    let peak1 = 0;
    let peak100 = 0;
    for (let t = 0; t <= runMs; t++) {
      total += s.perMs[t]!;
      window1 += s.perMs[t]! - (t >= 1000 ? s.perMs[t - 1000]! : 0);
      window100 += s.perMs[t]! - (t >= 100 ? s.perMs[t - 100]! : 0);
      if (window1 > peak1) peak1 = window1;
      if (window100 > peak100) peak100 = window100;
    }
    let inScan = 0;
    for (let t = SCAN_START; t < scanEnd; t++) inScan += s.perMs[t]!;
    // M3
    const o = model.occupancy();
    const peakEntries = { ...s.peak };
    if (model instanceof OursModel) {
      const occupancy = model.table.occupancy().interfaces[0]!;
      peakEntries.present = Math.max(peakEntries.present ?? 0, occupancy.peak.present);
      peakEntries.incomplete = Math.max(peakEntries.incomplete ?? 0, occupancy.peak.incomplete);
      peakEntries.nexist = Math.max(peakEntries.nexist ?? 0, occupancy.peak.nexist);
      peakEntries.queued = Math.max(peakEntries.queued ?? 0, occupancy.peak.queued);
    }
    // M4
    const ttfd = (announced: boolean) => {
      const list = newcomers.filter((n) => n.announced === announced);
      const times = list
        .flatMap((n) => {
          const d = s.firstDelivery.get(n.ip);
          return d === undefined ? [] : [d - (n.at + 100)];
        })
        .sort((a, b) => a - b);
      return { count: list.length, delivered: times.length, ttfdP50: percentile(times, 50), ttfdP99: percentile(times, 99) };
    };
    return {
      model: model.name,
      m1: {
        scanned: destinations,
        admitted,
        perAdmitted: { mean: admitted ? firstTotal / admitted : 0, p99, max },
        perScanned: destinations ? firstTotal / destinations : 0,
        rescanRequests: againTotal,
        rescanRequestsForAdmitted: againAdmitted,
        rescanTriggered: s.rescanAdmitted,
        perRescanned: rescanMs === null || destinations === 0 ? 0 : againTotal / destinations,
      },
      m2: {
        total,
        meanPerSecond: inScan / seconds,
        peak1s: peak1,
        peak100msPerSecond: peak100 * 10,
        broadcastBytesPerSecond: (inScan / seconds) * WIRE_BYTES,
        unicast: s.unicast,
      },
      m3: {
        peakEntries,
        bytes: o.bytes,
        memoryStart: s.memoryStart,
        memoryEnd: model instanceof OursModel ? model.table.memoryBytes() : null,
      },
      m4: {
        establishedPackets: s.established.packets,
        establishedLost: s.established.lost,
        establishedLossPercent: s.established.packets ? (100 * s.established.lost) / s.established.packets : 0,
        extraArpExchanges: s.established.extra,
        newAnnounced: ttfd(true),
        newSilent: ttfd(false),
      },
      m5: { cpuSeconds: s.cpu / 1000, cpuSecondsPerScanSecond: s.cpu / 1000 / seconds },
      m6: model.drops(),
    };
  });

  const p = { ...{ requestRate: 200, requestBurst: 400, requestsPerResolution: 3, nexistHoldMs: 300_000 }, ...parameters };
  return {
    scenario: {
      rate,
      seconds,
      pattern,
      rescan: options.rescan ?? null,
      destinations,
      liveHosts: LIVE_HOSTS,
      established: ESTABLISHED,
      runMs,
    },
    budget: {
      requestRate: p.requestRate,
      requestBurst: p.requestBurst,
      requestsPerResolution: p.requestsPerResolution,
      nexistHoldMs: p.nexistHoldMs,
      capacity: ours ? ours.table.occupancy().interfaces[0]!.capacity : null,
      bytes: ours ? ours.table.occupancy().bytes : null,
    },
    models: results,
  };
}

/** The acceptance checks of issue 5 on our table's metrics. */
export function arpScanChecks(result: ArpScanResult): { check: string; pass: boolean; value: string }[] {
  const ours = result.models.find((m) => m.model === "dataplane ArpTable");
  if (!ours) return [];
  const b = result.budget;
  const insideT2 = result.scenario.rescan !== null && result.scenario.rescan * 1000 < b.nexistHoldMs;
  const mem = ours.m3;
  return [
    {
      check: `at most N = ${b.requestsPerResolution} requests per admitted dead address`,
      pass: ours.m1.perAdmitted.max <= b.requestsPerResolution,
      value: `max ${ours.m1.perAdmitted.max}`,
    },
    ...(insideT2
      ? [
          {
            check: "no requests for re-scans inside t2",
            pass: ours.m1.rescanTriggered === 0,
            value: `${ours.m1.rescanTriggered} requests triggered by re-scans of ${ours.m1.admitted} admitted addresses`,
          },
        ]
      : []),
    {
      check: `requests/s never above budget + burst (${b.requestRate} + ${b.requestBurst})`,
      pass: ours.m2.peak1s <= b.requestRate + b.requestBurst,
      value: `peak ${ours.m2.peak1s} in 1 s`,
    },
    ...(b.capacity
      ? [
          {
            check: "entries within the budgets",
            pass:
              (mem.peakEntries.present ?? 0) <= b.capacity.present &&
              (mem.peakEntries.incomplete ?? 0) <= b.capacity.incomplete &&
              (mem.peakEntries.nexist ?? 0) <= b.capacity.nexist &&
              (mem.peakEntries.queued ?? 0) <= b.capacity.queue,
            value: `peak present ${mem.peakEntries.present}/${b.capacity.present}, incomplete ${mem.peakEntries.incomplete}/${b.capacity.incomplete}, nexist ${mem.peakEntries.nexist}/${b.capacity.nexist}, queued ${mem.peakEntries.queued}/${b.capacity.queue}`,
          },
        ]
      : []),
    {
      check: "bytes within the budget, constant memory",
      pass: mem.memoryStart === mem.memoryEnd && mem.bytes === b.bytes,
      value: `tables ${mem.bytes} bytes; WebAssembly memory ${mem.memoryStart} → ${mem.memoryEnd} bytes`,
    },
    {
      check: "zero loss for established neighbours",
      pass: ours.m4.establishedLost === 0,
      value: `${ours.m4.establishedLost} of ${ours.m4.establishedPackets}`,
    },
    {
      check: "zero extra ARP exchanges for established neighbours",
      pass: ours.m4.extraArpExchanges === 0,
      value: `${ours.m4.extraArpExchanges}`,
    },
  ];
}
