/**
 * The NAT table in plain TypeScript: the oracle that {@link NatTable} is checked against. It is
 * written from the rules (README "NAT"), not from the WebAssembly code: translations live in
 * maps keyed by strings, expiry order is kept by re-inserting into one insertion-ordered map
 * per timeout class, and checksums are adjusted word by word from RFC 1624's equation 3.
 *
 * The rules, in the order a packet meets them:
 * 1. Role: input interface outside → outside-to-inside; input inside (and, when the egress is
 *    given, output outside) → inside-to-outside; otherwise `notNat`. Then IPv4 with status
 *    "ok" or "fragment", and a frame (when there is one) that holds the IPv4 header and the
 *    transport fields the rewrite touches, else `skipped`.
 * 2. Ports: TCP/UDP ports, or the ICMP query id (echo, timestamp, information, mask) as both
 *    ports; none for fragments, other protocols and ICMP errors.
 * 3. Lookup: the extended entry (protocol, addresses, ports; ICMP outside port 0) first, then
 *    the simple entry by address. An entry whose expiry time has come is removed and missed.
 * 4. Inside miss: the first mapping whose access list permits the source (first matching line
 *    decides; none: `noMapping`). Overload without ports: `droppedUntranslatable`. Then
 *    max-entries, then capacity — each first reclaiming the entry that expires first if it has
 *    expired — then an address: a simple pool gives its lowest free address (LIFO reuse); PAT
 *    keeps the host on address `start + local % size` and its port when free for this outside
 *    endpoint, else the next port of its range (1–511, 512–1023, 1024–65535; ICMP 0–65535),
 *    at most 128 tries.
 * 5. A new extended entry's class: TCP FIN/RST → finrst, SYN without ACK → syn, else tcp; UDP to
 *    port 53 → dns, else udp; ICMP → icmp. Simple dynamic entries: timeout. A later TCP FIN/RST
 *    moves an entry to finrst (for good); an ACK moves syn to tcp. Each use restarts the timeout.
 * 6. The ager removes expired entries in order of expiry time, then class, then last use, at
 *    most `agerWork` per call.
 */

import { ConfigError, describe } from "../errors.js";
import { formatIPv4, toIPv4 } from "../net/address.js";
import { type NatOptions, type ResolvedNatOptions, resolveNatOptions } from "../nat/options.js";
import {
  type NatCounters,
  type NatCounterName,
  type NatTranslation,
  type NatStatistics,
  NAT_COUNTER_NAMES,
  NAT_TIMEOUT_CLASSES,
  NatVerdict,
  sortTranslations,
} from "../nat/types.js";
import { natStatistics } from "../nat/statistics.js";

/** A packet as the reference reads and rewrites it (the fields of `PacketBatch.packet`, plus offsets and the frame). */
export interface ReferenceNatPacket {
  interface: number;
  status: string;
  ipVersion?: number;
  src?: string;
  dst?: string;
  protocol?: number;
  srcPort?: number;
  dstPort?: number;
  tcpFlags?: number;
  icmpType?: number;
  /** The captured bytes, rewritten in place; absent or empty: only the fields are translated. */
  frame?: Uint8Array;
  l3Offset?: number;
  l4Offset?: number;
}

interface Entry {
  id: number;
  static: boolean;
  extended: boolean;
  protocol: number;
  local: number;
  localPort: number;
  global: number;
  globalPort: number;
  outside: number;
  outsidePort: number;
  timeoutClass: number;
  mapping: number;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  hits: number;
}

const CLASS = { timeout: 0, udp: 1, dns: 2, tcp: 3, finrst: 4, icmp: 5, syn: 6 } as const;
const ICMP_QUERIES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);
const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;
const PORT_TRIES = 128;

/** The reference NAT table (same options and results as {@link NatTable}). */
export class ReferenceNatTable {
  readonly config: Readonly<ResolvedNatOptions>;
  readonly #roles = new Map<number, "inside" | "outside">();
  readonly #forward = new Map<string, Entry>();
  readonly #reverse = new Map<string, Entry>();
  /** One map per class, in order of last use (= expiry order, the class having one timeout). */
  readonly #byClass: Map<number, Entry>[] = NAT_TIMEOUT_CLASSES.map(() => new Map());
  readonly #statics: Entry[] = [];
  readonly #counters = Object.fromEntries(NAT_COUNTER_NAMES.map((n) => [n, 0])) as NatCounters;
  readonly #poolRefs: number[][];
  readonly #poolFree: number[][];
  readonly #poolMisses: number[];
  readonly #mappingRefs: number[];
  #dynamic = 0;
  #nextId = 0;
  #last = 0;

  constructor(options: NatOptions = {}) {
    const { core: _core, seed: _seed, ...rest } = options;
    this.config = resolveNatOptions(rest);
    for (const i of this.config.interfaces) if (i.role !== null) this.#roles.set(i.ifIndex, i.role);
    this.#poolRefs = this.config.pools.map((p) => new Array<number>(p.size).fill(0));
    this.#poolFree = this.config.pools.map((p) => Array.from({ length: p.size }, (_, k) => p.size - 1 - k));
    this.#poolMisses = this.config.pools.map(() => 0);
    this.#mappingRefs = this.config.mappings.map(() => 0);
    for (const s of this.config.statics) {
      const e = this.#entry(true, false, 0, s.local, 0, s.global, 0, 0, 0, 0, -1, 0);
      this.#statics.push(e);
      this.#link(e);
    }
  }

  #count(name: NatCounterName, by = 1): void {
    this.#counters[name] += by;
  }

  #time(now: unknown): number {
    if (typeof now !== "number" || !Number.isFinite(now) || now < 0 || now > 2 ** 53) {
      throw new ConfigError("nat-time", `invalid time ${describe(now)}: expected milliseconds from 0 to 2^53`, now);
    }
    let t = Math.floor(now);
    if (t < this.#last) {
      this.#count("clockBackwards");
      t = this.#last;
    }
    this.#last = t;
    return t;
  }

  #entry(
    isStatic: boolean,
    extended: boolean,
    protocol: number,
    local: number,
    localPort: number,
    global: number,
    globalPort: number,
    outside: number,
    outsidePort: number,
    timeoutClass: number,
    mapping: number,
    now: number,
  ): Entry {
    return {
      id: this.#nextId++,
      static: isStatic,
      extended,
      protocol,
      local,
      localPort,
      global,
      globalPort,
      outside,
      outsidePort,
      timeoutClass,
      mapping,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: isStatic ? Number.POSITIVE_INFINITY : now + this.config.timeouts[timeoutClass]!,
      hits: 0,
    };
  }

  static #forwardKey(e: Entry): string {
    return e.extended ? `x${e.protocol}|${e.local}|${e.localPort}|${e.outside}|${e.outsidePort}` : `s${e.local}`;
  }

  static #reverseKey(e: Entry): string {
    return e.extended ? `x${e.protocol}|${e.global}|${e.globalPort}|${e.outside}|${e.outsidePort}` : `s${e.global}`;
  }

  #link(e: Entry): void {
    this.#forward.set(ReferenceNatTable.#forwardKey(e), e);
    this.#reverse.set(ReferenceNatTable.#reverseKey(e), e);
    if (e.static) return;
    this.#byClass[e.timeoutClass]!.set(e.id, e);
    this.#dynamic++;
    this.#mappingRefs[e.mapping]!++;
    const pool = this.config.mappings[e.mapping]!.pool;
    this.#poolRefs[pool]![e.global - this.config.pools[pool]!.start]!++;
  }

  #remove(e: Entry): void {
    this.#forward.delete(ReferenceNatTable.#forwardKey(e));
    this.#reverse.delete(ReferenceNatTable.#reverseKey(e));
    this.#byClass[e.timeoutClass]!.delete(e.id);
    this.#dynamic--;
    this.#mappingRefs[e.mapping]!--;
    const mapping = this.config.mappings[e.mapping]!;
    const offset = e.global - this.config.pools[mapping.pool]!.start;
    const refs = this.#poolRefs[mapping.pool]!;
    refs[offset]!--;
    if (refs[offset] === 0 && !mapping.overload) this.#poolFree[mapping.pool]!.push(offset);
  }

  #expire(e: Entry): void {
    const name = `expired${NAT_TIMEOUT_CLASSES[e.timeoutClass]![0]!.toUpperCase()}${NAT_TIMEOUT_CLASSES[e.timeoutClass]!.slice(1)}`;
    this.#remove(e);
    this.#count("expired");
    this.#count(name as NatCounterName);
  }

  /** The entry that expires first: earliest time, then lower class, then least recently used. */
  #first(): Entry | undefined {
    let best: Entry | undefined;
    for (const list of this.#byClass) {
      const head = list.values().next().value as Entry | undefined;
      if (head !== undefined && (best === undefined || head.expiresAt < best.expiresAt)) best = head;
    }
    return best;
  }

  #reclaim(now: number): boolean {
    const e = this.#first();
    if (e === undefined || e.expiresAt > now) return false;
    this.#expire(e);
    return true;
  }

  #alive(e: Entry | undefined, now: number): Entry | undefined {
    if (e === undefined || e.static || e.expiresAt > now) return e;
    this.#expire(e);
    return undefined;
  }

  #touch(e: Entry, timeoutClass: number, now: number): void {
    this.#byClass[e.timeoutClass]!.delete(e.id);
    e.timeoutClass = timeoutClass;
    e.lastUsedAt = now;
    e.expiresAt = now + this.config.timeouts[timeoutClass]!;
    this.#byClass[timeoutClass]!.set(e.id, e);
  }

  #mappingFor(source: number): number {
    for (const [id, m] of this.config.mappings.entries()) {
      for (const line of this.config.acl.slice(m.aclStart, m.aclStart + m.aclCount)) {
        if ((source & line.mask) >>> 0 === line.address) {
          if (line.permit) return id;
          break;
        }
      }
    }
    return -1;
  }

  /** Translates the packets at `now` in place; returns one {@link NatVerdict} per packet. */
  translate(packets: ReferenceNatPacket[], now: number, egress?: ArrayLike<number>): Uint8Array {
    const t = this.#time(now);
    const verdicts = new Uint8Array(packets.length);
    packets.forEach((p, i) => {
      verdicts[i] = this.#packet(p, t, egress === undefined ? undefined : egress[i]!);
    });
    return verdicts;
  }

  #packet(p: ReferenceNatPacket, now: number, egress: number | undefined): number {
    this.#count("packets");
    const role = this.#roles.get(p.interface);
    const egressRole = egress === undefined || egress === 0xffffffff ? undefined : (this.#roles.get(egress) ?? "none");
    const inbound = role === "outside";
    const outbound = role === "inside" && (egressRole === undefined || egressRole === "outside");
    if (!inbound && !outbound) return this.#verdict("notNat", NatVerdict.notNat);
    if (p.ipVersion !== 4 || (p.status !== "ok" && p.status !== "fragment")) return this.#verdict("skipped", NatVerdict.skipped);
    const protocol = p.protocol ?? 0;
    const src = toIPv4(p.src!);
    const dst = toIPv4(p.dst!);
    const frame = p.frame !== undefined && p.frame.length > 0 ? p.frame : undefined;
    const whole = p.status === "ok";
    if (frame !== undefined) {
      // The rewrite stays inside the frame: the IPv4 header, then the transport fields it touches.
      const need = protocol === 6 ? 20 : protocol === 17 ? 8 : protocol === 1 ? 4 : 0;
      const l3 = p.l3Offset ?? 0;
      const l4 = p.l4Offset ?? 0;
      if (l3 + 20 > frame.length || (whole && (l4 < l3 + 20 || l4 + need > frame.length)))
        return this.#verdict("skipped", NatVerdict.skipped);
    }
    let sport = 0;
    let dport = 0;
    let ported = false;
    if (whole && (protocol === 6 || protocol === 17)) {
      sport = p.srcPort ?? 0;
      dport = p.dstPort ?? 0;
      ported = true;
    } else if (whole && protocol === 1 && ICMP_QUERIES.has(p.icmpType ?? -1)) {
      if (frame === undefined) ported = true;
      else if (p.l4Offset! + 8 <= frame.length) {
        sport = (frame[p.l4Offset! + 4]! << 8) | frame[p.l4Offset! + 5]!;
        ported = true;
      }
      dport = sport;
    }
    const flags = protocol === 6 ? (p.tcpFlags ?? 0) : 0;
    let entry: Entry | undefined;
    if (outbound) {
      const outsidePort = protocol === 1 ? 0 : dport;
      if (ported) entry = this.#alive(this.#forward.get(`x${protocol}|${src}|${sport}|${dst}|${outsidePort}`), now);
      entry ??= this.#alive(this.#forward.get(`s${src}`), now);
      if (entry !== undefined) this.#count("hits");
      else {
        const made = this.#create(protocol, src, sport, dst, dport, flags, ported, now);
        if (typeof made === "number") return made;
        entry = made;
      }
    } else {
      const outsidePort = protocol === 1 ? 0 : sport;
      if (ported) entry = this.#alive(this.#reverse.get(`x${protocol}|${dst}|${dport}|${src}|${outsidePort}`), now);
      entry ??= this.#alive(this.#reverse.get(`s${dst}`), now);
      if (entry === undefined) return this.#verdict("outsideMiss", NatVerdict.outsideMiss);
      this.#count("hits");
    }
    entry.hits++;
    if (entry.static) entry.lastUsedAt = now;
    else {
      let next = entry.timeoutClass;
      if (entry.extended && protocol === 6 && next !== CLASS.finrst) {
        if (flags & (FIN | RST)) next = CLASS.finrst;
        else if (next === CLASS.syn && flags & ACK) next = CLASS.tcp;
      }
      this.#touch(entry, next, now);
    }
    const live = this.#forward.size;
    if (live > this.#counters.peakEntries) this.#counters.peakEntries = live;
    this.#rewrite(p, entry, outbound, protocol, src, dst, sport, dport, ported, frame, whole);
    return outbound ? this.#verdict("translatedOut", NatVerdict.translatedOut) : this.#verdict("translatedIn", NatVerdict.translatedIn);
  }

  #verdict(name: NatCounterName, verdict: number): number {
    this.#count(name);
    return verdict;
  }

  #create(
    protocol: number,
    src: number,
    sport: number,
    dst: number,
    dport: number,
    flags: number,
    ported: boolean,
    now: number,
  ): Entry | number {
    this.#count("misses");
    const id = this.#mappingFor(src);
    if (id < 0) return this.#verdict("noMapping", NatVerdict.noMapping);
    const mapping = this.config.mappings[id]!;
    if (mapping.overload && !ported) return this.#verdict("droppedUntranslatable", NatVerdict.droppedUntranslatable);
    if (this.#dynamic >= this.config.maxEntries && this.#reclaim(now)) this.#count("reclaimed");
    if (this.#dynamic >= this.config.maxEntries) {
      return this.#verdict("droppedMaxEntries", NatVerdict.droppedMaxEntries | NatVerdict.icmpFlag);
    }
    if (this.#forward.size >= this.config.capacity && this.#reclaim(now)) this.#count("reclaimed");
    if (this.#forward.size >= this.config.capacity) {
      return this.#verdict("droppedTableFull", NatVerdict.droppedTableFull | NatVerdict.icmpFlag);
    }
    const pool = this.config.pools[mapping.pool]!;
    if (!mapping.overload) {
      const offset = this.#poolFree[mapping.pool]!.pop();
      if (offset === undefined) {
        this.#poolMisses[mapping.pool]!++;
        return this.#verdict("droppedNoAddress", NatVerdict.droppedNoAddress | NatVerdict.icmpFlag);
      }
      const e = this.#entry(false, false, 0, src, 0, pool.start + offset, 0, 0, 0, CLASS.timeout, id, now);
      this.#link(e);
      this.#count("created");
      return e;
    }
    const global = pool.start + (src % pool.size);
    const outsidePort = protocol === 1 ? 0 : dport;
    const [low, high] = protocol === 1 ? [0, 65535] : sport < 512 ? [1, 511] : sport < 1024 ? [512, 1023] : [1024, 65535];
    let port = Math.max(sport, low);
    let found = false;
    for (let k = 0; k < PORT_TRIES && !found; k++) {
      this.#count("portProbes");
      if (!this.#reverse.has(`x${protocol}|${global}|${port}|${dst}|${outsidePort}`)) found = true;
      else port = port === high ? low : port + 1;
    }
    if (!found) {
      this.#poolMisses[mapping.pool]!++;
      return this.#verdict("droppedNoPort", NatVerdict.droppedNoPort | NatVerdict.icmpFlag);
    }
    const timeoutClass =
      protocol === 6
        ? flags & (FIN | RST)
          ? CLASS.finrst
          : flags & SYN && !(flags & ACK)
            ? CLASS.syn
            : CLASS.tcp
        : protocol === 17
          ? dport === 53
            ? CLASS.dns
            : CLASS.udp
          : CLASS.icmp;
    const e = this.#entry(false, true, protocol, src, sport, global, port, dst, outsidePort, timeoutClass, id, now);
    this.#link(e);
    this.#count("created");
    return e;
  }

  #rewrite(
    p: ReferenceNatPacket,
    e: Entry,
    outbound: boolean,
    protocol: number,
    src: number,
    dst: number,
    sport: number,
    dport: number,
    ported: boolean,
    frame: Uint8Array | undefined,
    whole: boolean,
  ): void {
    const oldAddress = outbound ? src : dst;
    const newAddress = outbound ? e.global : e.local;
    const oldPort = outbound ? sport : dport;
    const newPort = e.extended ? (outbound ? e.globalPort : e.localPort) : oldPort;
    if (outbound) p.src = formatIPv4(newAddress);
    else p.dst = formatIPv4(newAddress);
    if (e.extended && protocol !== 1) {
      if (outbound) p.srcPort = newPort;
      else p.dstPort = newPort;
    }
    if (frame === undefined) {
      this.#count("columnsOnly");
      return;
    }
    const l3 = p.l3Offset!;
    const l4 = p.l4Offset!;
    const addressWords = (a: number) => [a >>> 16, a & 0xffff];
    const put16 = (at: number, v: number) => {
      frame[at] = v >>> 8;
      frame[at + 1] = v & 0xff;
    };
    const get16 = (at: number) => (frame[at]! << 8) | frame[at + 1]!;
    const adjust = (at: number, before: number[], after: number[], udp: boolean) => {
      const checksum = get16(at);
      if (udp && checksum === 0) return;
      // RFC 1624 eqn 3: HC' = ~(~HC + ~m + m'), in one's complement arithmetic.
      let sum = ~checksum & 0xffff;
      for (const m of before) sum += ~m & 0xffff;
      for (const m of after) sum += m;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      let result = ~sum & 0xffff;
      if (udp && result === 0) result = 0xffff;
      put16(at, result);
    };
    const addressAt = l3 + (outbound ? 12 : 16);
    put16(addressAt, newAddress >>> 16);
    put16(addressAt + 2, newAddress & 0xffff);
    adjust(l3 + 10, addressWords(oldAddress), addressWords(newAddress), false);
    if (!whole) return;
    const portAt = l4 + (outbound ? 0 : 2);
    if (protocol === 6 || protocol === 17) {
      const at = l4 + (protocol === 6 ? 16 : 6);
      const before = [...addressWords(oldAddress), oldPort];
      const after = [...addressWords(newAddress), newPort];
      if (newPort !== oldPort) put16(portAt, newPort);
      adjust(at, before, after, protocol === 17);
    } else if (protocol === 1 && ported && newPort !== oldPort) {
      put16(l4 + 4, newPort);
      adjust(l4 + 2, [oldPort], [newPort], false);
    }
  }

  /** Runs the ager at `now`: at most `agerWork` expired translations, in expiry order. */
  age(now: number): number {
    const t = this.#time(now);
    this.#count("agerCalls");
    let removed = 0;
    while (removed < this.config.agerWork && this.#reclaim(t)) removed++;
    this.#count("agerRemoved", removed);
    return removed;
  }

  /** `clear ip nat translation *`. */
  clear(): number {
    let removed = 0;
    for (const list of this.#byClass) {
      for (const e of [...list.values()]) {
        this.#remove(e);
        removed++;
      }
    }
    this.#count("cleared", removed);
    return removed;
  }

  counters(): NatCounters {
    return { ...this.#counters };
  }

  occupancy(): { live: number; dynamic: number; extended: number; peak: number } {
    const live = this.#forward.size;
    let extended = 0;
    for (const e of this.#forward.values()) if (e.extended) extended++;
    return { live, dynamic: this.#dynamic, extended, peak: this.#counters.peakEntries };
  }

  translations(): NatTranslation[] {
    const names = { 6: "tcp", 17: "udp", 1: "icmp" } as const;
    return sortTranslations(
      [...this.#forward.values()].map((e) => ({
        protocol: e.extended ? names[e.protocol as 6 | 17 | 1] : null,
        insideGlobal: formatIPv4(e.global),
        insideGlobalPort: e.extended ? e.globalPort : null,
        insideLocal: formatIPv4(e.local),
        insideLocalPort: e.extended ? e.localPort : null,
        outside: e.extended ? formatIPv4(e.outside) : null,
        outsidePort: e.extended ? (e.protocol === 1 ? e.globalPort : e.outsidePort) : null,
        static: e.static,
        extended: e.extended,
        timeoutClass: e.static ? null : NAT_TIMEOUT_CLASSES[e.timeoutClass]!,
        createdAt: e.createdAt,
        lastUsedAt: e.lastUsedAt,
        expiresAt: e.static ? null : e.expiresAt,
        hits: e.hits,
        mapping: e.static ? null : e.mapping + 1,
      })),
    );
  }

  statistics(): NatStatistics {
    const pools = this.config.pools.map((_, id) => ({
      allocated: this.#poolRefs[id]!.filter((r) => r > 0).length,
      misses: this.#poolMisses[id]!,
    }));
    return natStatistics(this.config, this.translations(), this.counters(), pools, [...this.#mappingRefs]);
  }

  /** The last time seen. */
  get now(): number {
    return this.#last;
  }
}
