/**
 * ARP with negative caching: the neighbour table of a router that keeps working under address
 * scans (the NANOG 2001 proposal "negative ARP caching", designed in research §8). Per
 * interface, PRESENT/STATIC, INCOMPLETE and NEXIST entries live in separate fixed pools, so
 * pending and negative state can never evict or block a resolved neighbour; a token bucket
 * bounds the requests; queued packets are handles in bounded queues. The table runs in
 * WebAssembly with all of its memory allocated at construction.
 */

import { CapacityError, ConfigError, describe } from "../errors.js";
import { type IPv4Input, toIPv4, formatIPv4 } from "../net/address.js";
import type { MacInput } from "../net/mac.js";
import { type Core, type CoreAttachment, coreFrom } from "../wasm/core.js";
import type { WasmExports } from "../wasm/exports.js";
import type { HeapViews } from "../wasm/views.js";
import { type ArpOptions, type ArpInterfaceConfig, normalizeArpOptions, writeConfigBlock, CONFIG_WORDS } from "./options.js";
import {
  type ArpResolveResult,
  type ArpOutput,
  type ArpRelease,
  type ArpCounters,
  type ArpCounterName,
  type ArpReceiveResult,
  type ArpOccupancy,
  type ArpInterfaceOccupancy,
  type ArpEntry,
  ArpVerdict,
  ARP_COUNTER_NAMES,
  dropReason,
  releaseReason,
  sortEntries,
} from "./types.js";
import { checkBytes, checkTime, checkInterface, checkOptionNames } from "../common/validation.js";
import { arpInterfaceBytes } from "./memory.js";
import { type ArpPacket, toMacValue, macText, macBytes, parseArpPacket } from "./input.js";
import { renderArp, type ArpShowOptions } from "./show.js";

/** Addresses per `resolveBatch` call into the core. */
const CHUNK = 16384;
const DEFAULT_ARP_BYTES = 1024 ** 3;
/** Records per drain call into the core. */
const DRAIN = 1024;
const ENTRY_WORDS = 10;
const SCAN = 512;
/** The staging areas the table allocates beside its budget (batch and scratch). */
const STAGING_BYTES = CHUNK * 17 + 64 * 1024;
const OCCUPANCY_WORDS = 26;

/** The interfaces as the table sees them. */
export interface ArpInterfaceInfo {
  ifIndex: number;
  name: string;
  mac: string;
  /** Own addresses with their subnet lengths. */
  addresses: string[];
}

/** An entry's state, as `state()` reports it. */
export type ArpState = "absent" | "present" | "static" | "incomplete" | "nexist";

/**
 * The ARP table.
 *
 * @example
 * ```ts
 * const arp = new ArpTable({ interfaces: [{ mac: "00:00:0c:00:00:01", addresses: ["10.0.0.1/16"] }] });
 * arp.resolve(0, "10.0.0.7", now);          // { status: "queued", handle: 0 }: a request goes out
 * arp.drainRequests();                      // [{ op: "request", targetIp: "10.0.0.7", targetMac: null, ... }]
 * arp.receiveArp({ ifIndex: 0, op: "reply", senderIp: "10.0.0.7", senderMac: "00:11:22:33:44:55",
 *                  targetIp: "10.0.0.1", targetMac: "00:00:0c:00:00:01" }, now + 1);
 * arp.drainReleased();                      // [{ handle: 0, status: "sent", mac: "00:11:22:33:44:55", ... }]
 * arp.resolve(0, "10.0.0.7", now + 2);      // { status: "found", mac: "00:11:22:33:44:55" }
 * arp.tick(now + 1000);                     // timers: retries, NEXIST, expiry, refresh
 * ```
 */
export class ArpTable {
  /** The core the table lives on. */
  readonly core: Core;
  readonly #attachment: CoreAttachment;
  readonly #wasm: WasmExports;
  readonly #handle: number;
  readonly #views: HeapViews;
  readonly #config: ArpInterfaceConfig[];
  /** Staging: CHUNK addresses (u32), verdicts (u8), MACs (u64), handles (u32). */
  readonly #batch: number;
  /** Staging for drains, counters, occupancy and entry scans. */
  readonly #scratch: number;
  #now = 0;
  /** Interfaces as the table sees them. */
  readonly interfaces: readonly ArpInterfaceInfo[];
  /** Total packet handles: handles are 0 … handleCount − 1 (interface i's follow those of 0 … i − 1). */
  readonly handleCount: number;

  constructor(options: ArpOptions) {
    const core = coreFrom(options ?? undefined);
    const config = normalizeArpOptions(
      options !== null && typeof options === "object" && options.maxBytes === undefined && options.core !== undefined
        ? { ...options, maxBytes: Math.min(DEFAULT_ARP_BYTES, core.availableBytes - STAGING_BYTES) }
        : options,
    );
    this.#config = config.interfaces;
    // Every pool is allocated at creation: refuse up front what the budget cannot hold, before
    // the core allocates anything.
    const needed = config.interfaces.reduce((sum, c) => sum + arpInterfaceBytes(c), config.interfaces.length * 8);
    checkBytes(
      "arp-budget",
      "interfaces",
      config.interfaces.length,
      needed,
      config.maxBytes,
      `bytes of the table's maxBytes (each interface's pools need ${Math.round(needed / config.interfaces.length)} bytes)`,
    );
    const [low, high] = core.componentSeed(options.seed);
    this.core = core;
    this.#attachment = core.attach(
      "arp",
      config.maxBytes + STAGING_BYTES,
      () => this.#wasm.arpUsedBytes(this.#handle) + STAGING_BYTES,
      "maxBytes",
      config.maxBytes,
    );
    this.#wasm = core.wasm;
    const w = this.#wasm;
    const count = config.interfaces.length;
    const block = w.alloc(count * CONFIG_WORDS * 8);
    const f64 = new Float64Array(w.memory.buffer, block, count * CONFIG_WORDS);
    config.interfaces.forEach((c, i) => writeConfigBlock(f64, i * CONFIG_WORDS, c));
    this.#handle = w.arpCreate(count, block, low, high, config.maxBytes);
    if (this.#handle === 0) {
      throw new CapacityError("arp-budget", `the ARP table's pools do not fit in maxBytes ${describe(config.maxBytes)}`, config.maxBytes);
    }
    w.free(block);
    this.#batch = w.alloc(CHUNK * 17);
    this.#scratch = w.alloc(Math.max(DRAIN * 24, SCAN * ENTRY_WORDS * 8, ARP_COUNTER_NAMES.length * 8, OCCUPANCY_WORDS * 8));
    this.#views = core.views;
    this.handleCount = w.arpHandleCount(this.#handle);
    this.interfaces = Object.freeze(
      config.interfaces.map((c, ifIndex) => ({
        ifIndex,
        name: c.name,
        mac: macText(c.mac),
        addresses: c.addresses.map((a) => `${formatIPv4(a.address)}/${a.length}`),
      })),
    );
  }

  /** The last time the table has seen (ms). */
  get now(): number {
    return this.#now;
  }

  #time(now: number): number {
    const t = Math.floor(checkTime(now));
    if (t > this.#now) this.#now = t;
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // Resolution

  /**
   * Resolves the next hop `ip` on interface `ifIndex` for one packet: found (with the MAC),
   * queued (with a handle that `drainReleased` returns later), or dropped (with the reason,
   * and whether the ICMP bucket allows a host-unreachable).
   */
  resolve(ifIndex: number, ip: IPv4Input, now: number): ArpResolveResult {
    checkInterface(ifIndex, this.#config.length);
    const address = toIPv4(ip);
    const verdict = this.#wasm.arpResolve(this.#handle, ifIndex, address, this.#time(now));
    if (verdict === ArpVerdict.found) {
      return {
        status: "found",
        mac: macText(this.#wasm.arpResultMacHigh(this.#handle) * 2 ** 32 + (this.#wasm.arpResultMacLow(this.#handle) >>> 0)),
      };
    }
    if (verdict === ArpVerdict.queued) return { status: "queued", handle: this.#wasm.arpResultHandle(this.#handle) >>> 0 };
    return { status: "dropped", reason: dropReason(verdict), icmp: (verdict & ArpVerdict.icmpFlag) !== 0 };
  }

  /**
   * Resolves a batch of next hops on one interface: `verdicts[i]` gets an {@link ArpVerdict}
   * code for `ips[i]`. Optionally `macs` (6 bytes per address) receives the MACs of found
   * addresses and `handles` the handles of queued packets. Returns `verdicts`.
   */
  resolveBatch(ifIndex: number, ips: Uint32Array, now: number, verdicts: Uint8Array, macs?: Uint8Array, handles?: Uint32Array): Uint8Array {
    checkInterface(ifIndex, this.#config.length);
    if (!(ips instanceof Uint32Array) || !(verdicts instanceof Uint8Array))
      throw new ConfigError("argument", "resolveBatch: expected (ifIndex, Uint32Array, now, Uint8Array)", ips);
    const count = ips.length;
    if (verdicts.length < count)
      throw new ConfigError("argument", `resolveBatch: ${count} addresses need ${count} verdicts, got ${verdicts.length}`, verdicts);
    if (macs !== undefined && (!(macs instanceof Uint8Array) || macs.length < count * 6))
      throw new ConfigError("argument", `resolveBatch: macs needs ${count * 6} bytes`, macs);
    if (handles !== undefined && (!(handles instanceof Uint32Array) || handles.length < count))
      throw new ConfigError("argument", `resolveBatch: handles needs ${count} entries`, handles);
    const t = this.#time(now);
    const w = this.#wasm;
    const base = this.#batch;
    const verdictsAt = base + CHUNK * 4;
    const macsAt = base + CHUNK * 5;
    const handlesAt = base + CHUNK * 13;
    // An empty batch still calls in: time and the buckets move the same way as for any call.
    for (let start = 0; start < count || start === 0; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      let views = this.#views.refresh();
      views.u32.set(ips.subarray(start, start + n), base >>> 2);
      w.arpResolveBatch(this.#handle, ifIndex, base, n, t, verdictsAt, macs ? macsAt : 0, handles ? handlesAt : 0);
      views = this.#views.refresh();
      verdicts.set(views.u8.subarray(verdictsAt, verdictsAt + n), start);
      if (macs) {
        const u32 = views.u32;
        for (let i = 0; i < n; i++) {
          if (verdicts[start + i] !== ArpVerdict.found) continue;
          const word = (macsAt >>> 2) + 2 * i;
          macBytes(u32[word + 1]! * 2 ** 32 + u32[word]!, macs, (start + i) * 6);
        }
      }
      if (handles) {
        const u32 = views.u32;
        for (let i = 0; i < n; i++) if (verdicts[start + i] === ArpVerdict.queued) handles[start + i] = u32[(handlesAt >>> 2) + i]!;
      }
    }
    return verdicts;
  }

  // -------------------------------------------------------------------------------------------
  // Received packets and time

  /** Applies one received ARP packet (research §6.2 checks first). */
  receiveArp(packet: ArpPacket, now: number): ArpReceiveResult {
    const p = parseArpPacket(packet, this.#config.length);
    const split = (mac: number): [number, number] => (mac < 0 ? [0xffffffff, 0] : [Math.floor(mac / 2 ** 32), mac >>> 0]);
    const [sh, sl] = split(p.senderMac);
    const [th, tl] = split(p.targetMac);
    const [eh, el] = split(p.ethernetSource);
    const [dh, dl] = split(p.ethernetDestination);
    const code = this.#wasm.arpReceiveArp(
      this.#handle,
      p.ifIndex,
      p.op,
      p.senderIp,
      sh,
      sl,
      p.targetIp,
      th,
      tl,
      eh,
      el,
      dh,
      dl,
      this.#time(now),
    );
    return { decision: ARP_COUNTER_NAMES[code & 0xff]!, replied: (code & 0x100) !== 0 };
  }

  /**
   * An IP packet from `srcIp` arrived on `ifIndex`: evidence of life that clears a NEXIST
   * entry (NANOG 2001). Returns the decision's counter, or null when nothing applied.
   */
  receiveIp(ifIndex: number, srcIp: IPv4Input, now: number): ArpCounterName | null {
    checkInterface(ifIndex, this.#config.length);
    const code = this.#wasm.arpReceiveIp(this.#handle, ifIndex, toIPv4(srcIp), this.#time(now));
    return code < 0 ? null : ARP_COUNTER_NAMES[code]!;
  }

  /** {@link receiveIp} for a batch of source addresses. */
  receiveIpBatch(ifIndex: number, srcIps: Uint32Array, now: number): void {
    checkInterface(ifIndex, this.#config.length);
    if (!(srcIps instanceof Uint32Array)) throw new ConfigError("argument", "receiveIpBatch: expected a Uint32Array", srcIps);
    const t = this.#time(now);
    for (let start = 0; start < srcIps.length || start === 0; start += CHUNK) {
      const n = Math.min(CHUNK, srcIps.length - start);
      this.#views.refresh().u32.set(srcIps.subarray(start, start + n), this.#batch >>> 2);
      this.#wasm.arpReceiveIpBatch(this.#handle, ifIndex, this.#batch, n, t);
    }
  }

  /** Runs the timers up to `now`: retries, failures to NEXIST, expiries, refreshes. */
  tick(now: number): void {
    this.#wasm.arpTick(this.#handle, this.#time(now));
  }

  // -------------------------------------------------------------------------------------------
  // Output

  /**
   * The ARP packets to transmit, oldest first per interface: our requests (broadcast for
   * discovery, unicast to refresh) and then our replies to requests for our addresses.
   */
  drainRequests(): ArpOutput[] {
    const out: ArpOutput[] = [];
    const w = this.#wasm;
    for (let ifIndex = 0; ifIndex < this.#config.length; ifIndex++) {
      const senderMac = this.interfaces[ifIndex]!.mac;
      for (const which of [0, 1]) {
        for (;;) {
          const n = w.arpOutputTake(this.#handle, ifIndex, which, this.#scratch, DRAIN);
          const views = this.#views.refresh();
          for (let k = 0; k < n; k++) {
            const at = this.#scratch + k * 24;
            const mac = views.u32[(at + 12) >>> 2]! * 2 ** 32 + views.u32[(at + 8) >>> 2]!;
            out.push({
              ifIndex,
              op: which === 0 ? "request" : "reply",
              targetIp: formatIPv4(views.u32[(at + 16) >>> 2]!),
              targetMac: which === 0 && mac === 0 ? null : macText(mac),
              senderIp: formatIPv4(views.u32[(at + 20) >>> 2]!),
              senderMac,
              time: views.u32[(at + 4) >>> 2]! * 2 ** 32 + views.u32[at >>> 2]!,
            });
          }
          if (n < DRAIN) break;
        }
      }
    }
    return out;
  }

  /** Queued packet handles now sendable (with the MAC) or to drop (with the reason), in queue order. */
  drainReleased(): ArpRelease[] {
    const out: ArpRelease[] = [];
    const w = this.#wasm;
    for (let ifIndex = 0; ifIndex < this.#config.length; ifIndex++) {
      for (;;) {
        const n = w.arpReleasedTake(this.#handle, ifIndex, this.#scratch, DRAIN);
        const views = this.#views.refresh();
        for (let k = 0; k < n; k++) {
          const at = this.#scratch + k * 24;
          const handle = views.u32[(at + 8) >>> 2]!;
          const ip = formatIPv4(views.u32[(at + 12) >>> 2]!);
          const reason = views.u8[at + 16]!;
          if (reason === 0) {
            out.push({ handle, ifIndex, ip, status: "sent", mac: macText(views.u32[(at + 4) >>> 2]! * 2 ** 32 + views.u32[at >>> 2]!) });
          } else {
            out.push({ handle, ifIndex, ip, status: "dropped", reason: releaseReason(reason), icmp: views.u8[at + 17] === 1 });
          }
        }
        if (n < DRAIN) break;
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Administration

  /** Adds (or replaces) a static entry; static entries never age and ARP cannot change them. */
  addStatic(ifIndex: number, ip: IPv4Input, mac: MacInput | number, now: number = this.#now): void {
    checkInterface(ifIndex, this.#config.length);
    const address = toIPv4(ip);
    const value = toMacValue(mac);
    const status = this.#wasm.arpStaticAdd(this.#handle, ifIndex, address, Math.floor(value / 2 ** 32), value >>> 0, this.#time(now));
    if (status === -2)
      throw new ConfigError("arp-static-address", `cannot add a static entry for ${describe(ip)}: not a neighbour address`, ip);
    if (status === -3)
      throw new CapacityError(
        "arp-static-full",
        `cannot add a static entry for ${describe(ip)}: the interface's ${this.#config[ifIndex]!.staticEntries} static entries are in use`,
        ip,
      );
  }

  /** Removes a static entry; returns whether there was one. */
  removeStatic(ifIndex: number, ip: IPv4Input): boolean {
    checkInterface(ifIndex, this.#config.length);
    return this.#wasm.arpStaticRemove(this.#handle, ifIndex, toIPv4(ip)) === 0;
  }

  /**
   * `clear arp-cache`: removes dynamic entries (PRESENT, INCOMPLETE with their queued packets,
   * NEXIST) of every interface or one, for every address or one. Static entries stay. Returns
   * the number of entries removed.
   */
  clear(options: { ifIndex?: number; ip?: IPv4Input; now?: number } = {}): number {
    checkOptionNames(options, ["ifIndex", "ip", "now"], "ArpTable.clear");
    const ifIndex = options.ifIndex === undefined ? 0xffffffff : checkInterface(options.ifIndex, this.#config.length);
    const ip = options.ip === undefined ? 0 : toIPv4(options.ip);
    if (options.ip !== undefined && ip === 0) return 0;
    return this.#wasm.arpClear(this.#handle, ifIndex, ip, this.#time(options.now ?? this.#now));
  }

  // -------------------------------------------------------------------------------------------
  // Inspection

  /** Every counter, of one interface or summed over all. */
  counters(ifIndex?: number): ArpCounters {
    const indexes = ifIndex === undefined ? this.#config.map((_, i) => i) : [checkInterface(ifIndex, this.#config.length)];
    const totals = new Array<number>(ARP_COUNTER_NAMES.length).fill(0);
    for (const i of indexes) {
      this.#wasm.arpCounters(this.#handle, i, this.#scratch);
      const f64 = this.#views.refresh().f64;
      for (let c = 0; c < totals.length; c++) totals[c]! += f64[(this.#scratch >>> 3) + c]!;
    }
    this.#wasm.arpTableCounters(this.#handle, this.#scratch);
    const f64 = this.#views.refresh().f64;
    const result = Object.fromEntries(ARP_COUNTER_NAMES.map((name, c) => [name, totals[c]!])) as ArpCounters;
    result.badInterface = f64[this.#scratch >>> 3]!;
    result.clockBackwards = f64[(this.#scratch >>> 3) + 1]!;
    return result;
  }

  /** Entries per state, queues and bytes, per interface and in total. */
  occupancy(): ArpOccupancy {
    const interfaces: ArpInterfaceOccupancy[] = this.#config.map((c, ifIndex) => {
      this.#wasm.arpOccupancy(this.#handle, ifIndex, this.#scratch);
      const f = this.#views.refresh().f64;
      const o = (k: number) => f[(this.#scratch >>> 3) + k]!;
      return {
        ifIndex,
        name: c.name,
        present: o(0),
        static: o(1),
        incomplete: o(2),
        nexist: o(3),
        nexistPositions: o(4),
        queued: o(5),
        pendingReleases: o(6),
        pendingRequests: o(7),
        pendingReplies: o(8),
        bytes: o(9),
        capacity: { present: o(10), static: o(11), incomplete: o(12), nexist: o(13), queue: o(14) },
        peak: { present: o(15), incomplete: o(16), nexist: o(17), queued: o(18) },
        freeTokens: o(22),
        obligations: o(23),
        seen: o(24),
        seenCapacity: o(25),
      };
    });
    const sum = (key: "present" | "static" | "incomplete" | "nexist" | "queued" | "bytes") => interfaces.reduce((s, i) => s + i[key], 0);
    return {
      interfaces,
      present: sum("present"),
      static: sum("static"),
      incomplete: sum("incomplete"),
      nexist: sum("nexist"),
      queued: sum("queued"),
      bytes: sum("bytes"),
    };
  }

  /** Index statistics of one interface: entries, capacity and the longest probe sequence seen. */
  indexStats(ifIndex: number): { entries: number; capacity: number; longestProbe: number } {
    checkInterface(ifIndex, this.#config.length);
    this.#wasm.arpOccupancy(this.#handle, ifIndex, this.#scratch);
    const f = this.#views.refresh().f64;
    const o = (k: number) => f[(this.#scratch >>> 3) + k]!;
    return { entries: o(19), capacity: o(20), longestProbe: o(21) };
  }

  /** The state of the entry for `ip` on `ifIndex`. */
  state(ifIndex: number, ip: IPv4Input): ArpState {
    checkInterface(ifIndex, this.#config.length);
    const address = toIPv4(ip);
    const kind = this.#wasm.arpKindOf(this.#handle, ifIndex, address);
    if (kind === 1) return this.entries(ifIndex).find((e) => e.ip === formatIPv4(address))?.state === "static" ? "static" : "present";
    return kind === 2 ? "incomplete" : kind === 3 ? "nexist" : "absent";
  }

  /** Every entry (of one interface or all), sorted by interface and address. */
  entries(ifIndex?: number): ArpEntry[] {
    const indexes = ifIndex === undefined ? this.#config.map((_, i) => i) : [checkInterface(ifIndex, this.#config.length)];
    const out: ArpEntry[] = [];
    const w = this.#wasm;
    for (const i of indexes) {
      for (const kind of [1, 2, 3]) {
        let cursor = 0;
        for (;;) {
          const next = w.arpEntryScan(this.#handle, i, kind, cursor, this.#scratch, SCAN);
          const n = w.arpScanCount(this.#handle);
          const f = this.#views.refresh().f64;
          for (let k = 0; k < n; k++) {
            const v = (j: number) => f[(this.#scratch >>> 3) + k * ENTRY_WORDS + j]!;
            out.push(entryFromWords(i, kind, v));
          }
          if (n < SCAN) break;
          cursor = next;
        }
      }
    }
    return sortEntries(out);
  }

  /** `show arp` (IOS layout) followed by the INCOMPLETE and NEXIST state. */
  show(options: ArpShowOptions = {}): string {
    checkOptionNames(options, ["now", "ifIndex", "limit"], "ArpTable.show");
    return renderArp(this.entries(options.ifIndex), this.interfaces, this.occupancy(), { now: this.#now, ...options });
  }

  /** Gives the table's reservation back to its core; it must not be used afterwards. Also `Symbol.dispose`. */
  dispose(): void {
    this.core.detach(this.#attachment);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Bytes of the WebAssembly memory of the table's core (constant after construction when the table has a core of its own). */
  memoryBytes(): number {
    return this.#wasm.memory.buffer.byteLength;
  }

  /** Whether the core's one-word SipHash agrees with its general SipHash-1-3 (a self-test). */
  hashSelfTest(word: bigint, k0: bigint, k1: bigint): boolean {
    const half = (v: bigint, high: boolean) => Number(BigInt.asUintN(32, high ? v >> 32n : v));
    return (
      this.#wasm.arpHashAgrees(half(word, false), half(word, true), half(k0, false), half(k0, true), half(k1, false), half(k1, true)) === 1
    );
  }
}

/** An entry from the core's scan record (see arpEntryScan). */
function entryFromWords(ifIndex: number, kind: number, v: (j: number) => number): ArpEntry {
  const ip = formatIPv4(v(0));
  if (kind === 1) {
    const flags = v(3);
    const mac = macText(v(1) * 2 ** 32 + v(2));
    if (flags & 1) return { ifIndex, ip, state: "static", mac, updatedAt: v(5) };
    return {
      ifIndex,
      ip,
      state: "present",
      mac,
      unconfirmed: (flags & 2) !== 0,
      refreshing: (flags & 16) !== 0,
      expiresAt: v(4),
      updatedAt: v(5),
      lastUsedAt: v(6),
      requests: v(7),
    };
  }
  if (kind === 2)
    return {
      ifIndex,
      ip,
      state: "incomplete",
      expiresAt: v(4),
      updatedAt: v(5),
      lastUsedAt: v(6),
      requests: v(7),
      queued: v(8),
      failures: v(9),
    };
  return { ifIndex, ip, state: "nexist", expiresAt: v(4), failures: v(9), full: (v(3) & 1) !== 0 };
}
