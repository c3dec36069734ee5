/**
 * Options of an ARP table: the parameters of research §8.2 with their defaults and ranges, the
 * interfaces (MAC, own addresses, on-link prefixes), and their validation. Shared by the
 * WebAssembly {@link ArpTable} and the TypeScript reference, so both see the same numbers.
 */

import { ConfigError, describe } from "../errors.js";
import { checkOptionNames } from "../common/validation.js";
import { tryParseIPv4 } from "../net/address.js";
import { type MacInput, parseMac } from "../net/mac.js";
import { type PrefixInput, parsePrefix } from "../net/prefix.js";
import type { Core } from "../wasm/core.js";

/** How INCOMPLETE entries retry: on a timer (RFC 4861, Linux) or only when traffic asks (BSD, NANOG 2001). */
export type ArpRetryMode = "timer" | "demand";

/** The tunable parameters; every one applies per interface. */
export interface ArpParameters {
  /** t1: spacing of requests for one address, ms (default 1000; 100 – 5000). */
  retransmitMs: number;
  /** N: requests per resolution before NEXIST (default 3; 1 – 5). */
  requestsPerResolution: number;
  /**
   * `timer` (default): requests at 0, t1, …, (N−1)·t1, NEXIST at N·t1. `demand`: the first
   * request on admission, further ones only when a packet arrives ≥ t1 after the last and
   * ≥ t1 before N·t1 (one request per single-packet scan target instead of N); NEXIST at N·t1
   * either way.
   */
  retryMode: ArpRetryMode;
  /** t2: how long NEXIST holds, ms (default 300,000; 20,000 – 1,800,000). */
  nexistHoldMs: number;
  /** Back-off of t2: hold = backoffBaseMs · 2^(k−1) after k consecutive failures, capped (default off). */
  nexistBackoff: boolean;
  /** First hold when back-off is on, ms (default 20,000). */
  backoffBaseMs: number;
  /** Longest hold when back-off is on, ms (default 1,800,000). */
  backoffMaxMs: number;
  /** Lifetime of a PRESENT entry since its last confirmation, ms (default 1,200,000; 60,000 – 14,400,000). */
  presentLifetimeMs: number;
  /** Refresh starts this long before expiry, ms (default 60,000). */
  refreshWindowMs: number;
  /** Unicast refresh requests, t1 apart, for an entry used recently (default 3; 0 disables refresh). */
  refreshProbes: number;
  /** "Used recently": within this many ms before the refresh window opens (default 60,000). */
  recentUseMs: number;
  /** A different MAC within this many ms of the last update is ignored (default 1000). */
  locktimeMs: number;
  /** I_max: INCOMPLETE entries (default 1024; 16 – 65,536). */
  incompleteEntries: number;
  /** X_max: NEXIST entries, a FIFO ring (default 65,536; 16 – 1,048,576). */
  nexistEntries: number;
  /** P_max: dynamic PRESENT entries (default 4096; 1 – 1,048,576). */
  presentEntries: number;
  /** Static entries, a separate budget (default 256; 0 – 65,536). */
  staticEntries: number;
  /** When PRESENT is full, an entry unused for longer than this (ms) may be evicted (default 60,000). */
  idleEvictMs: number;
  /** Q_entry: packets queued per INCOMPLETE entry, keeping the first and the newest (default 3; 1 – 16). */
  queuePerEntry: number;
  /** Q_total: packet handles per interface (default 256; 1 – 65,536). */
  queuePerInterface: number;
  /** G: request tokens per second (default 200; 1 – 1,000,000). */
  requestRate: number;
  /** Bucket depth (default 400; at least N + refreshReserve). */
  requestBurst: number;
  /** Tokens new admissions must leave for refreshes of live neighbours (default 20). */
  refreshReserve: number;
  /** ICMP host-unreachable tokens per second for NEXIST hits and failed resolutions (default 10; 0 disables). */
  icmpRate: number;
  /** ICMP bucket depth (default 10). */
  icmpBurst: number;
  /** E_max: expiries and refresh examinations per tick (default 64; 1 – 65,536). */
  tickWork: number;
  /** Learn a PRESENT (unconfirmed) entry from unsolicited ARP of on-link senders, if a slot is free (default false). */
  acceptUnsolicited: boolean;
  /** When valid ARP clears a NEXIST entry, learn it as PRESENT (unconfirmed) if a slot is free (default false). */
  learnOnNexistClear: boolean;
  /** Requests held until `drainRequests` (default requestBurst + requestRate). When full, requests wait. */
  requestRing: number;
  /** Replies held until `drainRequests` (default 256). When full, replies are dropped and counted. */
  replyRing: number;
  /**
   * Addresses remembered after evidence of life while they had no entry (a GARP, an IP packet,
   * ARP we did not learn from, a cleared NEXIST), a FIFO (default 1024; 0 disables). A resolution
   * for a remembered address may use the refresh reserve, so new neighbours that announce
   * themselves are not starved by a scan (research §8.7, question 1).
   */
  seenEntries: number;
  /** How long a sighting gives priority, ms (default 60,000). */
  seenWindowMs: number;
}

/** One interface: its MAC, its addresses and, optionally, its own parameters. */
export interface ArpInterfaceOptions extends Partial<ArpParameters> {
  /** Name for `show()` (default `Ethernet<index>`). */
  name?: string;
  /** The interface's MAC address (sender of our requests and replies). */
  mac: MacInput;
  /** Our addresses with their subnet lengths, `"192.0.2.1/24"` (at most 8). */
  addresses?: string[];
  /** Further on-link prefixes (a static route to the interface: `"0.0.0.0/0"`), at most 8. */
  onLink?: PrefixInput[];
}

/** Options of an ARP table. Parameters given here apply to every interface unless it overrides them. */
export interface ArpOptions extends Partial<ArpParameters> {
  /** The interfaces; `ifIndex` is the position in this list. */
  interfaces: ArpInterfaceOptions[];
  /** Key of the index hash (default: random). Fix it for reproducible runs. */
  seed?: number | bigint;
  /** The core to live on (default: a new one of its own). */
  core?: Core;
  /** Memory budget for the whole table, bytes (default 1 GiB); creation fails beyond it. */
  maxBytes?: number;
}

/** The defaults of research §8.2. */
export const ARP_DEFAULTS: Readonly<Omit<ArpParameters, "requestRing">> = Object.freeze({
  retransmitMs: 1000,
  requestsPerResolution: 3,
  retryMode: "timer",
  nexistHoldMs: 300_000,
  nexistBackoff: false,
  backoffBaseMs: 20_000,
  backoffMaxMs: 1_800_000,
  presentLifetimeMs: 1_200_000,
  refreshWindowMs: 60_000,
  refreshProbes: 3,
  recentUseMs: 60_000,
  locktimeMs: 1000,
  incompleteEntries: 1024,
  nexistEntries: 65_536,
  presentEntries: 4096,
  staticEntries: 256,
  idleEvictMs: 60_000,
  queuePerEntry: 3,
  queuePerInterface: 256,
  requestRate: 200,
  requestBurst: 400,
  refreshReserve: 20,
  icmpRate: 10,
  icmpBurst: 10,
  tickWork: 64,
  acceptUnsolicited: false,
  learnOnNexistClear: false,
  replyRing: 256,
  seenEntries: 1024,
  seenWindowMs: 60_000,
});

const RANGES: Record<
  Exclude<keyof ArpParameters, "retryMode" | "nexistBackoff" | "acceptUnsolicited" | "learnOnNexistClear">,
  [number, number]
> = {
  retransmitMs: [100, 5000],
  requestsPerResolution: [1, 5],
  nexistHoldMs: [20_000, 1_800_000],
  backoffBaseMs: [1000, 1_800_000],
  backoffMaxMs: [1000, 86_400_000],
  presentLifetimeMs: [60_000, 14_400_000],
  refreshWindowMs: [0, 3_600_000],
  refreshProbes: [0, 10],
  recentUseMs: [0, 14_400_000],
  locktimeMs: [0, 60_000],
  incompleteEntries: [16, 65_536],
  nexistEntries: [16, 1_048_576],
  presentEntries: [1, 1_048_576],
  staticEntries: [0, 65_536],
  idleEvictMs: [0, 14_400_000],
  queuePerEntry: [1, 16],
  queuePerInterface: [1, 65_536],
  requestRate: [1, 1_000_000],
  requestBurst: [1, 1_000_000],
  refreshReserve: [0, 1_000_000],
  icmpRate: [0, 1_000_000],
  icmpBurst: [0, 1_000_000],
  tickWork: [1, 65_536],
  requestRing: [1, 4_000_000],
  replyRing: [1, 1_000_000],
  seenEntries: [0, 65_536],
  seenWindowMs: [1000, 3_600_000],
};

/** An interface after validation: every parameter set, addresses as numbers. */
export interface ArpInterfaceConfig extends ArpParameters {
  name: string;
  /** MAC as a 48-bit number (first octet most significant). */
  mac: number;
  /** Own addresses and their subnet lengths. */
  addresses: { address: number; length: number }[];
  /** Extra on-link prefixes. */
  onLink: { network: number; length: number }[];
}

/** Validated table options. */
export interface ArpConfig {
  interfaces: ArpInterfaceConfig[];
  maxBytes: number;
}

/** A 48-bit MAC as a number from six bytes. */
export function macValue(bytes: ArrayLike<number>): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + bytes[i]!;
  return value;
}

function fail(name: string, value: unknown, why: string): never {
  throw new ConfigError("arp-config", `invalid ARP option ${name} ${describe(value)}: ${why}`, value);
}

function parseInterfaceAddress(text: unknown, where: string): { address: number; length: number } {
  if (typeof text !== "string") fail(where, text, "expected an address with its subnet length, like 192.0.2.1/24");
  const slash = text.indexOf("/");
  const address = tryParseIPv4(slash === -1 ? text : text.slice(0, slash));
  const lengthText = slash === -1 ? "32" : text.slice(slash + 1);
  const length = /^\d{1,2}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (address === undefined || !(length >= 0 && length <= 32))
    fail(where, text, "expected an IPv4 address with its subnet length, like 192.0.2.1/24");
  return { address, length };
}

/** Validates options; throws a ConfigError naming the first bad value. */
export function normalizeArpOptions(options: ArpOptions): ArpConfig {
  if (options === null || typeof options !== "object" || !Array.isArray(options.interfaces) || options.interfaces.length === 0) {
    fail("interfaces", options?.interfaces, "expected a non-empty list of interfaces");
  }
  if (options.interfaces.length > 4096) fail("interfaces", options.interfaces.length, "at most 4096 interfaces");
  const parameterNames = [...Object.keys(ARP_DEFAULTS), "requestRing"];
  checkOptionNames(options, [...parameterNames, "interfaces", "seed", "core", "maxBytes"], "ArpTable");
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  if (typeof maxBytes !== "number" || !(maxBytes > 0) || maxBytes > 3.5 * 1024 ** 3)
    fail("maxBytes", maxBytes, "expected a number of bytes up to 3.5 GiB");
  const interfaces = options.interfaces.map((raw, ifIndex) => {
    const where = `interfaces[${ifIndex}]`;
    if (raw === null || typeof raw !== "object") fail(where, raw, "expected { mac, addresses?, onLink? }");
    checkOptionNames(raw, [...parameterNames, "name", "mac", "addresses", "onLink"], `ArpTable ${where}`);
    const pick = <K extends keyof ArpParameters>(key: K): ArpParameters[K] | undefined =>
      (raw[key] ?? options[key]) as ArpParameters[K] | undefined;
    const params = { ...ARP_DEFAULTS } as ArpParameters;
    for (const key of Object.keys(ARP_DEFAULTS) as (keyof ArpParameters)[]) {
      const value = pick(key);
      if (value !== undefined) (params as unknown as Record<string, unknown>)[key] = value;
    }
    params.requestRing = pick("requestRing") ?? params.requestBurst + params.requestRate;
    for (const [key, [min, max]] of Object.entries(RANGES)) {
      const value = (params as unknown as Record<string, unknown>)[key];
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        fail(`${where}.${key}`, value, `expected an integer from ${min} to ${max}`);
      }
    }
    for (const key of ["nexistBackoff", "acceptUnsolicited", "learnOnNexistClear"] as const) {
      if (typeof params[key] !== "boolean") fail(`${where}.${key}`, params[key], "expected true or false");
    }
    if (params.retryMode !== "timer" && params.retryMode !== "demand")
      fail(`${where}.retryMode`, params.retryMode, 'expected "timer" or "demand"');
    if (params.requestBurst < params.requestsPerResolution + params.refreshReserve) {
      fail(
        `${where}.requestBurst`,
        params.requestBurst,
        `must be at least requestsPerResolution + refreshReserve (${params.requestsPerResolution + params.refreshReserve}), or nothing could ever be admitted`,
      );
    }
    if (params.icmpRate > 0 && params.icmpBurst < 1) fail(`${where}.icmpBurst`, params.icmpBurst, "must be at least 1 when icmpRate > 0");
    let mac: number;
    try {
      mac = macValue(parseMac(raw.mac));
    } catch (error) {
      return fail(`${where}.mac`, raw.mac, error instanceof Error ? error.message : "bad MAC");
    }
    if (Math.floor(mac / 2 ** 40) & 1 || mac === 0) fail(`${where}.mac`, raw.mac, "an interface MAC must be unicast and not zero");
    const addressList = raw.addresses ?? [];
    if (!Array.isArray(addressList) || addressList.length > 8) fail(`${where}.addresses`, addressList, "expected at most 8 addresses");
    const addresses = addressList.map((text, k) => parseInterfaceAddress(text, `${where}.addresses[${k}]`));
    const onLinkList = raw.onLink ?? [];
    if (!Array.isArray(onLinkList) || onLinkList.length > 8) fail(`${where}.onLink`, onLinkList, "expected at most 8 prefixes");
    const onLink = onLinkList.map((input) => {
      const prefix = parsePrefix(input, 4);
      return { network: prefix.words[0]!, length: prefix.length };
    });
    const name = raw.name ?? `Ethernet${ifIndex}`;
    if (typeof name !== "string" || name.length === 0) fail(`${where}.name`, name, "expected a non-empty string");
    return { ...params, name, mac, addresses, onLink };
  });
  return { interfaces, maxBytes };
}

/** Words of one interface's configuration block for the WebAssembly core (CFG_ order in assembly/arp/state.ts). */
export const CONFIG_WORDS = 67;

/** Writes one interface's configuration block. */
export function writeConfigBlock(target: Float64Array, offset: number, c: ArpInterfaceConfig): void {
  const words = [
    c.retransmitMs,
    c.requestsPerResolution,
    c.retryMode === "demand" ? 1 : 0,
    c.nexistHoldMs,
    c.nexistBackoff ? 1 : 0,
    c.backoffBaseMs,
    c.backoffMaxMs,
    c.presentLifetimeMs,
    c.refreshWindowMs,
    c.refreshProbes,
    c.recentUseMs,
    c.locktimeMs,
    c.incompleteEntries,
    c.nexistEntries,
    c.presentEntries,
    c.staticEntries,
    c.idleEvictMs,
    c.queuePerEntry,
    c.queuePerInterface,
    c.requestRate,
    c.requestBurst,
    c.refreshReserve,
    c.icmpRate,
    c.icmpBurst,
    c.tickWork,
    c.acceptUnsolicited ? 1 : 0,
    c.learnOnNexistClear ? 1 : 0,
    c.requestRing,
    c.replyRing,
    Math.floor(c.mac / 2 ** 32),
    c.mac % 2 ** 32,
    c.addresses.length,
    c.onLink.length,
  ];
  target.fill(0, offset, offset + CONFIG_WORDS);
  target.set(words, offset);
  c.addresses.forEach((a, k) => {
    target[offset + 33 + 2 * k] = a.address;
    target[offset + 34 + 2 * k] = a.length;
  });
  c.onLink.forEach((p, k) => {
    target[offset + 49 + 2 * k] = p.network;
    target[offset + 50 + 2 * k] = p.length;
  });
  target[offset + 65] = c.seenEntries;
  target[offset + 66] = c.seenWindowMs;
}
