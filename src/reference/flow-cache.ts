/**
 * The reference flow cache: the semantics of the WebAssembly {@link FlowCache} (see
 * assembly/flow/cache.ts) in plain TypeScript, with a Map per key and a Map in creation order
 * instead of a hash table and linked lists. It is the oracle of the model-based tests; it is
 * slow and allocates freely.
 */

import type { PacketBatch } from "../packet/batch.js";
import { formatIPv4, formatIPv6 } from "../net/address.js";
import { formatMac } from "../net/mac.js";
import { type FlowCacheOptions, type ResolvedFlowCacheOptions, type FlowUpdateOptions, resolveFlowCacheOptions } from "../flow/options.js";
import { checkTime } from "../common/validation.js";
import type { ExpiredFlow, FlowDirection, FlowEndReason, FlowRecord } from "../flow/record.js";
import {
  type FlowCacheCounters,
  type FlowStatistics,
  PROTOCOL_CATEGORY_NAMES,
  packetSizeBucket,
  protocolCategory,
} from "../flow/statistics.js";

/** One packet as the flow cache reads it: the raw batch columns it uses. */
export interface FlowPacket {
  time: number;
  interface: number;
  /** Parse status code (0 ok, 1 fragment, ...). */
  status: number;
  ipVersion: number;
  src: string;
  dst: string;
  protocol: number;
  tos: number;
  ttl: number;
  ipLength: number;
  ipId: number;
  fragmentOffset: number;
  fragmentFlags: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  icmpType: number;
  icmpCode: number;
  /** "00:00:00:00:00:00" when the frame had none. */
  srcMac: string;
  dstMac: string;
  /** 0xffff when untagged. */
  vlanOuter: number;
}

const NO_MAC = "00:00:00:00:00:00";

/** The packets of a batch as the flow cache reads them (raw columns). */
export function flowPacketsFromBatch(batch: PacketBatch): FlowPacket[] {
  const c = batch.columns;
  const out: FlowPacket[] = [];
  for (let i = 0; i < batch.length; i++) {
    const version = c.ipVersion[i]!;
    const words = (column: Uint32Array) => Array.from(column.subarray(i * 4, i * 4 + 4));
    const address = (column: Uint32Array) => (version === 6 ? formatIPv6(words(column)) : formatIPv4(column[i * 4]!));
    out.push({
      time: c.time[i]!,
      interface: c.interface[i]!,
      status: c.status[i]!,
      ipVersion: version,
      src: address(c.src),
      dst: address(c.dst),
      protocol: c.protocol[i]!,
      tos: c.tos[i]!,
      ttl: c.ttl[i]!,
      ipLength: c.ipLength[i]!,
      ipId: c.ipId[i]!,
      fragmentOffset: c.fragmentOffset[i]!,
      fragmentFlags: c.fragmentFlags[i]!,
      srcPort: c.srcPort[i]!,
      dstPort: c.dstPort[i]!,
      tcpFlags: c.tcpFlags[i]!,
      icmpType: c.icmpType[i]!,
      icmpCode: c.icmpCode[i]!,
      srcMac: formatMac(c.srcMac.subarray(i * 8, i * 8 + 6)),
      dstMac: formatMac(c.dstMac.subarray(i * 8, i * 8 + 6)),
      vlanOuter: c.vlanOuter[i]!,
    });
  }
  return out;
}

interface Flow extends FlowRecord {
  /** The key as a string (the Map key). */
  key: string;
}

type FlowKey = Pick<
  Flow,
  "key" | "ipVersion" | "src" | "dst" | "protocol" | "srcPort" | "dstPort" | "tos" | "direction" | "inputInterface"
>;

function emptyCounters(): Omit<FlowCacheCounters, "activeFlows" | "queuedFlows"> {
  return {
    packetsIn: 0,
    bytesIn: 0,
    packetsAccounted: 0,
    bytesAccounted: 0,
    packetsRefused: 0,
    bytesRefused: 0,
    refused: { notIp: 0, noRoom: 0, probeLimit: 0, counterFull: 0 },
    flowsAdded: 0,
    allocFailures: 0,
    agerPolls: 0,
    agerEntriesExamined: 0,
    exportStalls: 0,
    flowsExpired: 0,
    expired: { inactive: 0, active: 0, "tcp-end": 0, "cache-full": 0, flush: 0, "counter-full": 0 },
    packetsExpired: 0,
    bytesExpired: 0,
    unselected: 0,
    lookups: 0,
    probes: 0,
    longestProbe: 0,
  };
}

/** The reference flow cache (same options and semantics as {@link FlowCache}; no hash, no seed). */
export class ReferenceFlowCache {
  readonly options: Readonly<ResolvedFlowCacheOptions>;
  readonly #byKey = new Map<string, number>();
  /** Live flows by entry id, in creation order (oldest first). */
  readonly #live = new Map<number, Flow>();
  readonly #entries: (Flow | undefined)[] = [];
  readonly #free: number[] = [];
  #fresh = 0;
  #agerCursor = 0;
  #sequence = 0;
  readonly #queue: ExpiredFlow[] = [];
  readonly #counters = emptyCounters();
  readonly #sizes: number[] = new Array(26).fill(0);
  readonly #protocols = PROTOCOL_CATEGORY_NAMES.map((name) => ({ name, flows: 0, packets: 0, bytes: 0, activeMs: 0, idleMs: 0 }));

  constructor(options: FlowCacheOptions = {}) {
    this.options = Object.freeze(resolveFlowCacheOptions(options));
  }

  get activeFlows(): number {
    return this.#live.size;
  }

  get queuedFlows(): number {
    return this.#queue.length;
  }

  /** Accounts packets (the batch's raw columns, see {@link flowPacketsFromBatch}). */
  update(packets: readonly FlowPacket[], options: FlowUpdateOptions = {}): number {
    const direction: FlowDirection = options.direction ?? "ingress";
    const from = options.from ?? 0;
    const end = Math.min(packets.length, from + (options.count ?? packets.length - from));
    const counters = this.#counters;
    let accounted = 0;
    for (let i = from; i < end; i++) {
      if (options.selection && options.selection[i] === 0) {
        counters.unselected++;
        continue;
      }
      const p = packets[i]!;
      const length = p.ipLength;
      counters.packetsIn++;
      counters.bytesIn += length;
      if (p.status > 1 || (p.ipVersion !== 4 && p.ipVersion !== 6)) {
        this.#refuse("notIp", length);
        continue;
      }
      const time = p.time;
      const key = this.#key(p, direction);
      counters.lookups++;
      let id = this.#byKey.get(key.key);
      let flow: Flow;
      if (id !== undefined) {
        flow = this.#entries[id]!;
        let reason = this.#endReason(flow, time);
        if (reason === undefined && flow.packets >= this.options.maxPacketsPerFlow) reason = "counter-full";
        if (reason !== undefined) {
          if (!this.#queueFull()) {
            this.#expire(flow, reason, time, false);
            flow = this.#start(key, id, p, time);
            this.#entries[id] = flow;
            this.#live.set(id, flow);
            counters.flowsAdded++;
          } else if (reason === "counter-full") {
            counters.exportStalls++;
            this.#refuse("counterFull", length);
            continue;
          } else {
            counters.exportStalls++;
          }
        }
      } else {
        if (this.#live.size === this.options.capacity) {
          if (this.#queueFull()) {
            counters.exportStalls++;
            counters.allocFailures++;
            this.#refuse("noRoom", length);
            continue;
          }
          const victim = this.#live.values().next().value as Flow;
          this.#expire(victim, this.#endReason(victim, time) ?? "cache-full", time, true);
          counters.lookups++;
        }
        id = this.#free.length > 0 ? this.#free.pop()! : this.#fresh++;
        flow = this.#start(key, id, p, time);
        this.#entries[id] = flow;
        this.#byKey.set(key.key, id);
        this.#live.set(id, flow);
        counters.flowsAdded++;
      }
      this.#account(flow, p, time, direction);
      counters.packetsAccounted++;
      counters.bytesAccounted += length;
      accounted++;
      if ((p.tcpFlags & 0x005) !== 0 && p.protocol === 6) {
        if (!this.#queueFull()) this.#expire(flow, "tcp-end", time, true);
        else counters.exportStalls++;
      }
    }
    return accounted;
  }

  /** One ager poll at `now`. */
  age(now: number): number {
    checkTime(now);
    const counters = this.#counters;
    counters.agerPolls++;
    let expired = 0;
    let examined = 0;
    while (examined < this.options.agerBatch) {
      const flow = this.#entries[this.#agerCursor];
      if (flow !== undefined) {
        const reason = this.#endReason(flow, now);
        if (reason !== undefined) {
          if (this.#queueFull()) {
            counters.exportStalls++;
            break;
          }
          this.#expire(flow, reason, now, true);
          expired++;
        }
      }
      examined++;
      this.#agerCursor = (this.#agerCursor + 1) % this.options.capacity;
    }
    counters.agerEntriesExamined += examined;
    return expired;
  }

  /** One flush step: expires oldest first while the queue has room; returns the flows left. */
  flushStep(now: number): number {
    checkTime(now);
    while (this.#live.size > 0 && !this.#queueFull()) {
      this.#expire(this.#live.values().next().value as Flow, "flush", now, true);
    }
    return this.#live.size;
  }

  /** Ends every flow and returns the whole export queue. */
  flush(now: number): ExpiredFlow[] {
    const out: ExpiredFlow[] = [];
    for (;;) {
      const left = this.flushStep(now);
      out.push(...this.drain());
      if (left === 0) return out;
    }
  }

  drain(max = Infinity): ExpiredFlow[] {
    return this.#queue.splice(0, Math.min(max, this.#queue.length));
  }

  flows(): FlowRecord[] {
    return [...this.#live.values()].map((flow) => publicRecord(flow));
  }

  counters(): FlowCacheCounters {
    const c = this.#counters;
    return {
      ...c,
      refused: { ...c.refused },
      expired: { ...c.expired },
      activeFlows: this.#live.size,
      queuedFlows: this.#queue.length,
    };
  }

  statistics(): FlowStatistics {
    return { sizeDistribution: [...this.#sizes], protocols: this.#protocols.map((row) => ({ ...row })) };
  }

  #queueFull(): boolean {
    return this.#queue.length === this.options.exportQueueCapacity;
  }

  #refuse(reason: keyof FlowCacheCounters["refused"], length: number): void {
    this.#counters.packetsRefused++;
    this.#counters.bytesRefused += length;
    this.#counters.refused[reason]++;
    if (reason === "probeLimit") this.#counters.allocFailures++;
  }

  #endReason(flow: Flow, now: number): FlowEndReason | undefined {
    if ((flow.tcpFlags & 0x005) !== 0) return "tcp-end";
    const activeDeadline = flow.firstMs + this.options.activeTimeout;
    const inactiveDeadline = flow.lastMs + this.options.inactiveTimeout;
    if (activeDeadline <= inactiveDeadline) return now >= activeDeadline ? "active" : undefined;
    return now >= inactiveDeadline ? "inactive" : undefined;
  }

  #expire(flow: Flow, reason: FlowEndReason, now: number, release: boolean): void {
    const counters = this.#counters;
    this.#queue.push({ ...publicRecord(flow), endReason: reason, expiredMs: now, sequence: this.#sequence++ });
    counters.flowsExpired++;
    counters.expired[reason]++;
    counters.packetsExpired += flow.packets;
    counters.bytesExpired += flow.bytes;
    const row = this.#protocols[protocolCategory(flow)]!;
    row.flows++;
    row.packets += flow.packets;
    row.bytes += flow.bytes;
    row.activeMs += flow.lastMs - flow.firstMs;
    const idle = now - flow.lastMs;
    row.idleMs += Math.max(idle, 0);
    this.#live.delete(flow.entry);
    if (release) {
      this.#byKey.delete(flow.key);
      this.#entries[flow.entry] = undefined;
      this.#free.push(flow.entry);
    }
  }

  #key(p: FlowPacket, direction: FlowDirection): FlowKey {
    const mask = this.options.mask;
    const version = p.ipVersion as 4 | 6;
    const zero = version === 4 ? "0.0.0.0" : "::";
    const src = mask === "destination" ? zero : p.src;
    let protocol = 0,
      srcPort = 0,
      dstPort = 0,
      tos = 0;
    if (mask === "full") {
      protocol = p.protocol;
      tos = p.tos;
      if (protocol === 1 || protocol === 58) dstPort = p.icmpType * 256 + p.icmpCode;
      else {
        srcPort = p.srcPort;
        dstPort = p.dstPort;
      }
    }
    const key = [version, src, p.dst, protocol, srcPort, dstPort, tos, direction, p.interface].join("|");
    return { key, ipVersion: version, src, dst: p.dst, protocol, srcPort, dstPort, tos, direction, inputInterface: p.interface };
  }

  #start(key: FlowKey, id: number, p: FlowPacket, time: number): Flow {
    return {
      ...key,
      entry: id,
      packets: 0,
      bytes: 0,
      firstMs: time,
      lastMs: time,
      tcpFlags: 0,
      minLength: 0xffff,
      maxLength: 0,
      minTtl: 255,
      maxTtl: 0,
      ipId: p.ipId,
    };
  }

  #account(flow: Flow, p: FlowPacket, time: number, direction: FlowDirection): void {
    flow.packets++;
    flow.bytes += p.ipLength;
    if (time > flow.lastMs) flow.lastMs = time;
    const length = Math.min(p.ipLength, 0xffff);
    flow.minLength = Math.min(flow.minLength, length);
    flow.maxLength = Math.max(flow.maxLength, length);
    flow.minTtl = Math.min(flow.minTtl, p.ttl);
    flow.maxTtl = Math.max(flow.maxTtl, p.ttl);
    flow.tcpFlags |= p.tcpFlags;
    if (flow.icmpType === undefined && (p.protocol === 1 || p.protocol === 58)) {
      flow.icmpType = p.icmpType;
      flow.icmpCode = p.icmpCode;
    }
    if (flow.fragmentOffset === undefined && (p.fragmentOffset !== 0 || (p.fragmentFlags & 0x20) !== 0)) {
      flow.fragmentOffset = p.fragmentOffset;
    }
    if (flow.srcMac === undefined && (p.srcMac !== NO_MAC || p.dstMac !== NO_MAC)) {
      flow.srcMac = p.srcMac;
      flow.dstMac = p.dstMac;
    }
    if (p.vlanOuter !== 0xffff) {
      if (direction === "ingress" && flow.inputVlan === undefined) flow.inputVlan = p.vlanOuter;
      if (direction === "egress" && flow.outputVlan === undefined) flow.outputVlan = p.vlanOuter;
    }
    this.#sizes[packetSizeBucket(p.ipLength)]!++;
  }
}

/** The record without the reference's bookkeeping, with fields in the same order as the cache's. */
function publicRecord(flow: Flow): FlowRecord {
  const record: FlowRecord = {
    entry: flow.entry,
    ipVersion: flow.ipVersion,
    src: flow.src,
    dst: flow.dst,
    protocol: flow.protocol,
    srcPort: flow.srcPort,
    dstPort: flow.dstPort,
    tos: flow.tos,
    direction: flow.direction,
    inputInterface: flow.inputInterface,
    packets: flow.packets,
    bytes: flow.bytes,
    firstMs: flow.firstMs,
    lastMs: flow.lastMs,
    tcpFlags: flow.tcpFlags,
    minLength: flow.minLength,
    maxLength: flow.maxLength,
    minTtl: flow.minTtl,
    maxTtl: flow.maxTtl,
    ipId: flow.ipId,
  };
  if (flow.icmpType !== undefined) {
    record.icmpType = flow.icmpType;
    record.icmpCode = flow.icmpCode!;
  }
  if (flow.fragmentOffset !== undefined) record.fragmentOffset = flow.fragmentOffset;
  if (flow.srcMac !== undefined) {
    record.srcMac = flow.srcMac;
    record.dstMac = flow.dstMac!;
  }
  if (flow.inputVlan !== undefined) record.inputVlan = flow.inputVlan;
  if (flow.outputVlan !== undefined) record.outputVlan = flow.outputVlan;
  return record;
}
