/**
 * The reference composition of the Dataplane: the reference parser, FIB, ARP table, packet
 * selector, flow cache and access-list matcher wired together in plain TypeScript, one packet
 * at a time, from the rules (RFC 1812 forwarding, RFC 1624 checksum update, RFC 792 / 4443
 * errors, RFC 826 frames). It reads the same {@link DataplaneOptions} through the same plan as
 * the WebAssembly {@link Dataplane} and must reach the same verdicts, frames and counters.
 */

import { formatIPv4, formatIPv6, parseIPv4 } from "../net/address.js";
import { formatMac } from "../net/mac.js";
import { ReferenceFib } from "./fib.js";
import { ReferenceArpTable } from "./arp.js";
import { ReferenceFlowCache, type FlowPacket } from "./flow-cache.js";
import { ReferencePacketSelector } from "./packet-selector.js";
import { referenceParse, type ReferenceFields } from "./packet-parser.js";
import { ReferenceAccessList, type AclPacket } from "./acl.js";
import { ReferenceNatTable, type ReferenceNatPacket } from "./nat.js";
import { ReferenceBridgeTable } from "./bridge.js";
import { NatVerdict } from "../nat/types.js";
import { BridgeVerdict } from "../bridge/types.js";
import { bridgePorts, bridgeStageOptions, natStageOptions } from "../dataplane/stages.js";
import { ReferenceRouteCache } from "./route-cache.js";
import { planDataplane, INTERFACE_FLAGS, type DataplanePlan } from "../dataplane/plan.js";
import type { DataplaneOptions } from "../dataplane/options.js";
import type { FilterInput } from "../sampling/filter-input.js";
import {
  type DataplaneCounters,
  type InterfaceCounters,
  type OutputFrame,
  type OutputKind,
  type Reason,
  type Verdict,
  COUNTER_SLOTS,
  INTERFACE_COUNTER_SLOTS,
  INTERFACE_COUNTER_COUNT,
  INTERFACE_SWITCHING_BASE,
  REASON_CODES,
  REASON_COUNTER_BASE,
  INTERFACE_REASON_BASE,
  decodeCounters,
  decodeInterfaceCounters,
} from "../dataplane/verdicts.js";

/** A packet as the reference takes it. */
export interface ReferenceInputPacket {
  frame: Uint8Array;
  time: number;
  interface: number;
  linkType: number;
  wireLength: number;
}

/** A packet's outcome in the reference. */
export interface ReferenceVerdict {
  verdict: Verdict;
  reason?: Reason;
  egress?: number;
  /** Next-hop MAC as a 48-bit number (forwarded). */
  mac?: number;
  handle?: number;
}

const DEFAULTS = { icmpRate: 2, icmpBurst: 2, tickIntervalMs: 100, holdFrameBytes: 2048 };
const BROADCAST = 0xffffffffffff;

function be16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 255;
  b[at + 1] = v & 255;
}
function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, v >>> 16);
  put16(b, at + 2, v & 0xffff);
}
function putMac(b: Uint8Array, at: number, mac: number): void {
  for (let k = 0; k < 6; k++) b[at + k] = Math.floor(mac / 2 ** (8 * (5 - k))) & 255;
}
function macOf(text: string): number {
  return Number.parseInt(text.replaceAll(":", ""), 16);
}

/** RFC 1071: the one's complement of the one's-complement sum of 16-bit words. */
function internetChecksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let k = 0; k < bytes.length; k += 2) sum += (bytes[k]! << 8) | (bytes[k + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

/** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for the TTL/protocol word m going to m'. */
function updatedChecksum(hc: number, m: number, m2: number): number {
  let sum = (~hc & 0xffff) + (~m & 0xffff) + m2;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

interface Held {
  frame: Uint8Array;
  inIface: number;
  egress: number;
  l3: number;
  wire: number;
  eligible: boolean;
  path: number;
}

/** Switching paths (counter order): CEF, fast, process. */
const PATH_CEF = 0;
const PATH_FAST = 1;
const PATH_PROCESS = 2;

/** The reference Dataplane. */
export class ReferenceDataplane {
  readonly plan: DataplanePlan;
  readonly fib = new ReferenceFib();
  readonly arp: ReferenceArpTable;
  readonly flowCache: ReferenceFlowCache | undefined;
  readonly selector: ReferencePacketSelector | undefined;
  readonly acls: ReferenceAccessList[];
  readonly nat: ReferenceNatTable | undefined;
  readonly bridge: ReferenceBridgeTable | undefined;
  readonly #natRoles: (string | undefined)[];
  readonly #bridgePorts: { bviGroup: number; bvi: number }[];
  /** The route cache of fast-switching interfaces. */
  readonly routeCache: ReferenceRouteCache | undefined;
  readonly #slots: number[] = new Array(64).fill(0);
  readonly #ifSlots: number[][];
  readonly #adjacencies = new Map<number, { interface: number; nextHop: number; mac?: number | undefined; family: 4 | 6 }>();
  readonly #held = new Map<number, Held>();
  readonly #icmpRate: number;
  readonly #icmpBurst: number;
  #icmpTokens: number;
  #icmpAt = 0;
  #icmpId = 0;
  readonly #tick: number;
  #nextTick = Number.NaN;
  readonly #holdBytes: number;
  #output: OutputFrame[] = [];
  #current = -1;
  // The packet being switched: its path, the route-cache hit's MAC, a miss awaiting its outcome.
  #path = PATH_CEF;
  #hitMac: number | undefined;
  #miss: { dst: number; adjacency: number; time: number } | undefined;
  #arpSignature = 0;

  constructor(options: DataplaneOptions) {
    const plan = planDataplane(options);
    this.plan = plan;
    this.#icmpRate = options.icmpRate ?? DEFAULTS.icmpRate;
    this.#icmpBurst = options.icmpBurst ?? DEFAULTS.icmpBurst;
    this.#icmpTokens = this.#icmpBurst * 1000;
    this.#tick = options.tickIntervalMs ?? DEFAULTS.tickIntervalMs;
    this.#holdBytes = options.holdFrameBytes ?? DEFAULTS.holdFrameBytes;
    this.arp = new ReferenceArpTable({
      interfaces: plan.interfaces.map((f) => f.arp),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    this.#ifSlots = plan.interfaces.map(() => new Array(INTERFACE_COUNTER_COUNT).fill(0));
    plan.adjacencies.forEach((a, i) => this.#adjacencies.set(6 + i, a));
    for (const r of plan.routes) this.fib.insert(r.prefix, "special" in r.adjacency ? r.adjacency.special : 6 + r.adjacency.planned);
    for (const e of plan.staticArp) this.arp.addStatic(e.ifIndex, e.address, e.mac, 0);
    this.acls = (options.accessLists ?? []).map((l) => new ReferenceAccessList(l));
    const natOptions = natStageOptions(options);
    this.nat = natOptions === undefined ? undefined : new ReferenceNatTable(natOptions);
    this.#natRoles = options.interfaces.map((f) => f.nat);
    const bridgeOptions = bridgeStageOptions(options);
    this.bridge = bridgeOptions === undefined ? undefined : new ReferenceBridgeTable(bridgeOptions);
    this.#bridgePorts = bridgePorts(options);
    const fast = plan.interfaces.some((f) => (f.flags & INTERFACE_FLAGS.fastSwitching) !== 0);
    if (fast || options.routeCache !== undefined) {
      const rc = options.routeCache ?? {};
      this.routeCache = new ReferenceRouteCache({
        fib: this.fib,
        adjacency: () => undefined,
        maxEntries: rc.maxEntries ?? 0x40000000,
        ...(rc.ager === undefined ? {} : { ager: rc.ager }),
        ...(rc.invalidateDelay === undefined ? {} : { invalidateDelay: rc.invalidateDelay }),
        ...(rc.lowMemoryBytes === undefined ? {} : { lowMemoryBytes: rc.lowMemoryBytes }),
      });
    }
    const netflow = options.interfaces.some((f) => f.netflow !== undefined || f.flowEgress) || options.flowCache !== undefined;
    if (netflow) {
      this.flowCache = new ReferenceFlowCache({ ...options.flowCache });
      this.selector = new ReferencePacketSelector(options.seed ?? 0);
      for (const [name, map] of Object.entries(options.samplerMaps ?? {})) this.selector.samplerMap(name, map);
      for (const [name, map] of Object.entries(options.classMaps ?? {})) this.selector.classMap(name, map);
      for (const [name, classes] of Object.entries(options.policyMaps ?? {})) this.selector.policyMap(name, classes);
      options.interfaces.forEach((f, i) => {
        if (f.netflow !== undefined) this.selector!.setInterface(i, f.netflow);
      });
    }
  }

  #count(slot: number, n = 1): void {
    this.#slots[slot]! += n;
  }
  #ifCount(iface: number, slot: number, n = 1): void {
    this.#ifSlots[iface]![slot]! += n;
  }

  /** Runs the packets through (their frames are rewritten in place); returns the verdicts and the output made. */
  process(packets: ReferenceInputPacket[], options: { now?: number } = {}): { verdicts: ReferenceVerdict[]; output: OutputFrame[] } {
    this.#output = [];
    const fields = packets.map((p) => referenceParse(p.frame, p.linkType, p.wireLength));
    this.#count(COUNTER_SLOTS.packetsIn, packets.length);
    // The flow cache reads each packet's own time; `now` drives the router's clock.
    const times = packets.map((p) => p.time);
    this.#ingressFlows(packets, fields, times);
    const verdicts = packets.map((p, i) => this.#forward(p, fields[i]!, i, options.now ?? p.time));
    this.#egressFlows(packets, fields, times, verdicts);
    return { verdicts, output: this.#output };
  }

  /** Runs the ARP timers up to `now`. */
  tick(now: number): OutputFrame[] {
    this.#output = [];
    this.#current = -1;
    this.#ticksUpTo(now);
    return this.#output;
  }

  #flowPacket(p: ReferenceInputPacket, f: ReferenceFields, time: number): FlowPacket {
    const address = (w: number[]) => (f.ipVersion === 6 ? formatIPv6(w) : formatIPv4(w[0] ?? 0));
    return {
      time,
      interface: p.interface,
      status: f.status,
      ipVersion: f.ipVersion,
      src: address(f.src),
      dst: address(f.dst),
      protocol: f.protocol,
      tos: f.tos,
      ttl: f.ttl,
      ipLength: f.ipLength,
      ipId: f.ipId,
      fragmentOffset: f.fragmentOffset,
      fragmentFlags: f.fragmentFlags,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      tcpFlags: f.tcpFlags,
      icmpType: f.icmpType,
      icmpCode: f.icmpCode,
      srcMac: f.srcMac,
      dstMac: f.dstMac,
      vlanOuter: f.vlanOuter,
    };
  }

  #ingressFlows(packets: ReferenceInputPacket[], fields: ReferenceFields[], times: number[]): void {
    if (!this.flowCache || !this.selector || packets.length === 0) return;
    const n = packets.length;
    const input: FilterInput = {
      ipVersion: Uint8Array.from(fields, (f) => f.ipVersion),
      src: new Uint32Array(n * 4),
      dst: new Uint32Array(n * 4),
      protocol: Uint8Array.from(fields, (f) => f.protocol),
      srcPort: Uint16Array.from(fields, (f) => f.srcPort),
      dstPort: Uint16Array.from(fields, (f) => f.dstPort),
      tos: Uint8Array.from(fields, (f) => f.tos),
      tcpFlags: Uint16Array.from(fields, (f) => f.tcpFlags),
      interface: Uint32Array.from(packets, (p) => p.interface),
      status: Uint8Array.from(fields, (f) => f.status),
    };
    fields.forEach((f, i) => {
      f.src.forEach((w, k) => (input.src[i * 4 + k] = w));
      f.dst.forEach((w, k) => (input.dst[i * 4 + k] = w));
    });
    const selected = this.selector.select(input);
    if (selected.indices.length === 0) return;
    const selection = new Uint8Array(n);
    for (const i of selected.indices) selection[i] = 1;
    const flowPackets = packets.map((p, i) => this.#flowPacket(p, fields[i]!, times[i]!));
    this.#count(COUNTER_SLOTS.flowIngress, this.flowCache.update(flowPackets, { direction: "ingress", selection }));
  }

  #egressFlows(packets: ReferenceInputPacket[], fields: ReferenceFields[], times: number[], verdicts: ReferenceVerdict[]): void {
    if (!this.flowCache || packets.length === 0) return;
    const egressOn = this.plan.interfaces.map((f) => (f.flags & INTERFACE_FLAGS.flowEgress) !== 0);
    if (!egressOn.some(Boolean)) return;
    const selection = Uint8Array.from(verdicts, (v) => (v.verdict === "forwarded" && egressOn[v.egress!] ? 1 : 0));
    if (!selection.some((x) => x === 1)) return;
    const flowPackets = packets.map((p, i) => this.#flowPacket(p, fields[i]!, times[i]!));
    this.#count(COUNTER_SLOTS.flowEgress, this.flowCache.update(flowPackets, { direction: "egress", selection }));
  }

  #finish(iface: number, verdict: Verdict, reason?: Reason, extra: Partial<ReferenceVerdict> = {}): ReferenceVerdict {
    if (this.#miss !== undefined) this.#settleMiss(verdict, reason, extra);
    const code = ["forwarded", "queued", "punted", "dropped"].indexOf(verdict);
    this.#count(COUNTER_SLOTS.forwarded + code);
    if (reason !== undefined) this.#count(REASON_COUNTER_BASE + REASON_CODES[reason]);
    if (iface < this.plan.interfaces.length) {
      if (verdict === "dropped") this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.dropsIn);
      if (verdict === "punted") this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.punted);
      if (verdict === "queued") this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.queued);
      if (reason !== undefined) this.#ifCount(iface, INTERFACE_REASON_BASE + REASON_CODES[reason]);
    }
    return { verdict, ...(reason === undefined ? {} : { reason }), ...extra };
  }

  #ticksUpTo(time: number): void {
    if (Number.isNaN(this.#nextTick)) {
      this.#nextTick = Math.floor(time / this.#tick) * this.#tick + this.#tick;
      return;
    }
    if (time < this.#nextTick) return;
    this.#tickAt(this.#nextTick);
    const grid = Math.floor(time / this.#tick) * this.#tick;
    if (grid > this.#nextTick) this.#tickAt(grid);
    this.#nextTick = grid + this.#tick;
  }

  #tickAt(time: number): void {
    this.routeCache?.advance(time);
    this.arp.tick(time);
    this.nat?.age(time);
    this.bridge?.age(time);
    this.#count(COUNTER_SLOTS.arpTicks);
    this.#drainArp(time);
  }

  #emit(iface: number, kind: OutputKind, frame: Uint8Array, time: number): void {
    this.#output.push({ interface: iface, kind, frame, time, after: this.#current });
  }

  #drainArp(time: number): void {
    for (const o of this.arp.drainRequests()) {
      const mac = this.plan.interfaces[o.ifIndex]!.mac;
      const target = o.targetMac === null ? 0 : macOf(o.targetMac);
      const request = o.op === "request";
      const f = new Uint8Array(60);
      putMac(f, 0, request && target === 0 ? BROADCAST : target);
      putMac(f, 6, mac);
      put16(f, 12, 0x0806);
      put16(f, 14, 1);
      put16(f, 16, 0x0800);
      f[18] = 6;
      f[19] = 4;
      put16(f, 20, request ? 1 : 2);
      putMac(f, 22, mac);
      f.set(o.senderIp.split(".").map(Number), 28);
      putMac(f, 32, request ? 0 : target);
      f.set(o.targetIp.split(".").map(Number), 38);
      this.#emit(o.ifIndex, request ? "arp-request" : "arp-reply", f, o.time);
      this.#count(request ? COUNTER_SLOTS.arpRequestsOut : COUNTER_SLOTS.arpRepliesOut);
      this.#ifCount(o.ifIndex, INTERFACE_COUNTER_SLOTS.arpOut);
    }
    for (const r of this.arp.drainReleased()) {
      const held = this.#held.get(r.handle)!;
      this.#held.delete(r.handle);
      if (r.status === "sent") {
        const f = held.frame.slice();
        putMac(f, 0, macOf(r.mac));
        putMac(f, 6, this.plan.interfaces[held.egress]!.mac);
        this.#decrementTtl4(f, held.l3);
        this.#emit(held.egress, "released", f, time);
        this.#count(COUNTER_SLOTS.releasedSent);
        this.#ifCount(held.egress, INTERFACE_COUNTER_SLOTS.packetsOut);
        this.#ifCount(held.egress, INTERFACE_COUNTER_SLOTS.bytesOut, held.wire);
        this.#countOut(held.egress, held.path, held.wire);
        continue;
      }
      const slot =
        r.reason === "resolve-failed"
          ? COUNTER_SLOTS.releasedFailed
          : r.reason === "queue-overflow"
            ? COUNTER_SLOTS.releasedOverflow
            : COUNTER_SLOTS.releasedCleared;
      this.#count(slot);
      if (r.icmp) this.#icmpError(held.frame, held.l3, 4, held.inIface, 3, 1, time, held.eligible, false);
    }
  }

  #decrementTtl4(f: Uint8Array, l3: number): void {
    const m = be16(f, l3 + 8);
    const m2 = (m - 0x100) & 0xffff;
    put16(f, l3 + 10, updatedChecksum(be16(f, l3 + 10), m, m2));
    f[l3 + 8] = m2 >>> 8;
  }

  /** RFC 1812 §4.3.2.7 / RFC 4443 §2.4(e): when an error must not be sent. */
  #eligible(frame: Uint8Array, f: ReferenceFields): boolean {
    if ((frame[0]! & 1) === 1) return false;
    if (f.fragmentOffset !== 0) return false;
    if (f.ipVersion === 4) {
      const src = f.src[0]! >>> 0;
      const dst = f.dst[0]! >>> 0;
      if (src === 0 || src >>> 24 === 127 || src >= 0xe0000000) return false;
      if (dst >= 0xe0000000) return false;
      return !(f.protocol === 1 && [3, 4, 5, 11, 12].includes(f.icmpType));
    }
    if (f.src[0]! >>> 24 === 0xff || f.dst[0]! >>> 24 === 0xff) return false;
    if (f.src.every((w) => w === 0)) return false;
    return !(f.protocol === 58 && f.icmpType < 128);
  }

  #icmpError(
    frame: Uint8Array,
    l3: number,
    version: 4 | 6,
    iface: number,
    type: number,
    code: number,
    time: number,
    eligible: boolean,
    limited: boolean,
  ): void {
    const itf = this.plan.interfaces[iface]!;
    const hasSource = version === 4 ? itf.address !== 0 : (itf.flags & INTERFACE_FLAGS.hasAddress6) !== 0;
    if (!eligible || !hasSource || frame.length <= l3) {
      this.#count(COUNTER_SLOTS.icmpNotAllowed);
      return;
    }
    if (limited) {
      const t = Math.trunc(time);
      if (t > this.#icmpAt) {
        this.#icmpTokens = Math.min(this.#icmpBurst * 1000, this.#icmpTokens + (t - this.#icmpAt) * this.#icmpRate);
        this.#icmpAt = t;
      }
      if (this.#icmpTokens < 1000) {
        this.#count(COUNTER_SLOTS.icmpRateLimited);
        return;
      }
      this.#icmpTokens -= 1000;
    }
    const datagram = frame.subarray(l3);
    const length = version === 4 ? be16(datagram, 2) : 40 + be16(datagram, 4);
    const quote = datagram.subarray(0, Math.min(datagram.length, length, version === 4 ? 576 - 28 : 1280 - 48));
    const headers = version === 4 ? 28 : 48;
    const out = new Uint8Array(14 + headers + quote.length);
    out.set(frame.subarray(6, 12), 0);
    putMac(out, 6, itf.mac);
    const ip = out.subarray(14);
    if (version === 4) {
      put16(out, 12, 0x0800);
      ip[0] = 0x45;
      ip[1] = 0xc0;
      put16(ip, 2, 28 + quote.length);
      put16(ip, 4, this.#icmpId++ & 0xffff);
      ip[8] = 255;
      ip[9] = 1;
      put32(ip, 12, itf.address);
      ip.set(datagram.subarray(12, 16), 16);
      put16(ip, 10, internetChecksum(ip.subarray(0, 20)));
      const icmp = ip.subarray(20);
      icmp[0] = type;
      icmp[1] = code;
      icmp.set(quote, 8);
      put16(icmp, 2, internetChecksum(icmp));
    } else {
      put16(out, 12, 0x86dd);
      ip[0] = 0x60;
      put16(ip, 4, 8 + quote.length);
      ip[6] = 58;
      ip[7] = 255;
      itf.address6.forEach((w, k) => put32(ip, 8 + 4 * k, w));
      ip.set(datagram.subarray(8, 24), 24);
      const icmp = ip.subarray(40);
      icmp[0] = type;
      icmp[1] = code;
      icmp.set(quote, 8);
      let pseudo = 8 + quote.length + 58;
      for (let k = 8; k < 40; k += 2) pseudo += be16(ip, k);
      put16(icmp, 2, internetChecksum(icmp, pseudo));
    }
    this.#emit(iface, "icmp", out, time);
    const exceeded = type === (version === 4 ? 11 : 3);
    this.#count(exceeded ? COUNTER_SLOTS.icmpTimeExceeded : COUNTER_SLOTS.icmpUnreachable);
    this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.icmpOut);
  }

  #aclPacket(f: ReferenceFields): AclPacket {
    return {
      src: f.src[0]! >>> 0,
      dst: f.dst[0]! >>> 0,
      protocol: f.protocol,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      tcpFlags: f.tcpFlags,
      icmpType: f.icmpType,
      icmpCode: f.icmpCode,
      fragment: f.status === 1 || f.fragmentOffset !== 0,
    };
  }

  /** Whether `ip` is on one of the interface's subnets or on-link prefixes (only those can be neighbours). */
  #onLink(iface: number, ip: number): boolean {
    const a = this.plan.interfaces[iface]!.arp;
    const prefixes = [...(a.addresses ?? []), ...((a.onLink ?? []) as string[])];
    return prefixes.some((text) => {
      const [address, bits] = String(text).split("/");
      const length = Number(bits ?? 32);
      const network = address!.split(".").reduce((n, x) => n * 256 + Number(x), 0);
      return length === 0 || Math.floor(network / 2 ** (32 - length)) === Math.floor(ip / 2 ** (32 - length));
    });
  }

  #aclPermits(index: number, f: ReferenceFields): boolean {
    const acl = this.acls[index]!;
    const logged = acl.logged;
    this.#count(COUNTER_SLOTS.aclChecked);
    const permit = acl.permits(this.#aclPacket(f));
    this.#count(COUNTER_SLOTS.aclLogged, acl.logged - logged);
    return permit;
  }

  #forward(p: ReferenceInputPacket, f: ReferenceFields, i: number, time: number): ReferenceVerdict {
    this.#current = i;
    this.#ticksUpTo(time);
    let iface = p.interface;
    const known = iface < this.plan.interfaces.length;
    if (known) {
      this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.packetsIn);
      this.#ifCount(iface, INTERFACE_COUNTER_SLOTS.bytesIn, p.wireLength);
    }
    if (f.status >= 32) return this.#finish(iface, "dropped", "malformed");
    if (!known) return this.#finish(iface, "dropped", "bad-interface");
    if (this.bridge) {
      const routedOn = this.#bridgeInput(p, f, iface, time);
      if (typeof routedOn !== "number") return routedOn;
      iface = routedOn;
    }
    if (f.status === 2) {
      this.arp.receiveArp(
        {
          ifIndex: iface,
          op: f.arpOperation,
          senderIp: f.arpSenderAddress >>> 0,
          senderMac: macOf(f.arpSenderMac),
          targetIp: f.arpTargetAddress >>> 0,
          targetMac: macOf(f.arpTargetMac),
          ethernetSource: macOf(f.srcMac),
          ethernetDestination: macOf(f.dstMac),
        },
        time,
      );
      this.#drainArp(time);
      return this.#finish(iface, "punted", "arp");
    }
    if ((f.status !== 0 && f.status !== 1) || (f.ipVersion !== 4 && f.ipVersion !== 6)) return this.#finish(iface, "dropped", "not-ip");
    if (p.linkType !== 1) return this.#finish(iface, "dropped", "not-ethernet");
    const frame = p.frame;
    const l3 = f.l3Offset;
    const version = f.ipVersion as 4 | 6;
    const itf = this.plan.interfaces[iface]!;
    let adjacency: number;
    if (version === 4) {
      const headerBytes = (frame[l3]! & 15) * 4;
      if (internetChecksum(frame.subarray(l3, l3 + headerBytes)) !== 0) return this.#finish(iface, "dropped", "bad-checksum");
      if (this.#onLink(iface, f.src[0]! >>> 0)) this.arp.receiveIp(iface, f.src[0]! >>> 0, time);
      if (itf.aclIn !== 0 && !this.#aclPermits(itf.aclIn - 1, f)) return this.#finish(iface, "dropped", "acl-denied");
      if ((itf.flags & (INTERFACE_FLAGS.urpfRx | INTERFACE_FLAGS.urpfAny)) !== 0) {
        this.#count(COUNTER_SLOTS.urpfChecked);
        const adj = this.fib.lookup4(f.src[0]! >>> 0);
        const a = this.#adjacencies.get(adj);
        const ok = a !== undefined && ((itf.flags & INTERFACE_FLAGS.urpfRx) === 0 || a.interface === iface);
        if (!ok) return this.#finish(iface, "dropped", "urpf-failed");
      }
      if (this.nat && this.#natRoles[iface] === "outside" && this.#translate(p, f, iface, time, undefined) === NatVerdict.translatedIn) {
        this.#count(COUNTER_SLOTS.natTranslatedIn);
      }
      if (f.dst[0]! >>> 0 >= 0xe0000000) return this.#finish(iface, "punted", "receive");
      adjacency = this.#switch4(iface, itf.flags, f.dst[0]! >>> 0, p.wireLength, time);
    } else {
      if (f.dst[0]! >>> 24 === 0xff) return this.#finish(iface, "punted", "receive");
      this.#hitMac = undefined;
      this.#countPath(iface, PATH_CEF, p.wireLength);
      adjacency = this.fib.lookup6(f.dst);
    }
    if (adjacency === 2) return this.#finish(iface, "punted", "receive");
    const eligible = this.#eligible(frame, f);
    if (f.ttl <= 1) {
      this.#icmpError(frame, l3, version, iface, version === 4 ? 11 : 3, 0, time, eligible, true);
      return this.#finish(iface, "dropped", "ttl-expired");
    }
    if (adjacency === 0) {
      this.#icmpError(frame, l3, version, iface, version === 4 ? 3 : 1, 0, time, eligible, true);
      return this.#finish(iface, "dropped", "no-route");
    }
    if (adjacency === 1) return this.#finish(iface, "dropped", "null-adjacency");
    const a = this.#adjacencies.get(adjacency);
    if (a === undefined) return this.#finish(iface, "dropped", "incomplete-adjacency");
    const egress = a.interface;
    const out = this.plan.interfaces[egress]!;
    if (version === 4 && out.aclOut !== 0 && !this.#aclPermits(out.aclOut - 1, f)) return this.#finish(iface, "dropped", "acl-denied-out");
    if (this.nat && version === 4 && this.#natRoles[iface] === "inside" && this.#natRoles[egress] === "outside") {
      const v = this.#translate(p, f, iface, time, egress);
      if (v === NatVerdict.translatedOut) this.#count(COUNTER_SLOTS.natTranslatedOut);
      else if ((v & 0x7f) >= NatVerdict.droppedMaxEntries) {
        if (v & 0x80) this.#icmpError(frame, l3, 4, iface, 3, 1, time, this.#eligible(frame, f), true);
        const code = v & 0x7f;
        const reason: Reason =
          code === NatVerdict.droppedMaxEntries || code === NatVerdict.droppedTableFull
            ? "nat-table-full"
            : code === NatVerdict.droppedNoAddress || code === NatVerdict.droppedNoPort
              ? "nat-no-address"
              : "nat-untranslatable";
        return this.#finish(iface, "dropped", reason);
      }
    }
    let mac: number;
    if (this.#hitMac !== undefined) mac = this.#hitMac;
    else if (a.mac !== undefined) mac = a.mac;
    else if (version === 6) return this.#finish(iface, "dropped", "nd-unresolved");
    else {
      const target = a.nextHop !== 0 ? a.nextHop : f.dst[0]! >>> 0;
      if (frame.length > this.#holdBytes) {
        const state = this.arp.state(egress, target);
        if (state !== "present" && state !== "static") return this.#finish(iface, "dropped", "frame-too-large");
      }
      const r = this.arp.resolve(egress, target, time);
      if (r.status === "found") mac = macOf(r.mac);
      else if (r.status === "queued") {
        this.#held.set(r.handle, { frame: frame.slice(), inIface: iface, egress, l3, wire: p.wireLength, eligible, path: this.#path });
        this.#drainArp(time);
        return this.#finish(iface, "queued", undefined, { egress, handle: r.handle });
      } else {
        if (r.icmp) this.#icmpError(frame, l3, 4, iface, 3, 1, time, eligible, false);
        this.#drainArp(time);
        const reasons: Record<string, Reason> = {
          nexist: "arp-nexist",
          "rate-limited": "arp-rate-limited",
          "no-slot": "arp-incomplete-full",
          "queue-full": "arp-queue-full",
          "bad-target": "arp-bad-target",
          "bad-interface": "bad-interface",
        };
        return this.#finish(iface, "dropped", reasons[r.reason]!);
      }
    }
    let leaves = egress;
    const group = this.#bridgePorts[egress]!.bviGroup;
    if (this.bridge && group !== 0) {
      const r = this.bridge.route(group, macText(mac), time);
      if (r.verdict === BridgeVerdict.forward && r.port < this.plan.interfaces.length) {
        this.#count(COUNTER_SLOTS.bridged);
        leaves = r.port;
      } else if (r.verdict === BridgeVerdict.floodRouted) return this.#finish(iface, "punted", "bridge-flooded");
    }
    putMac(frame, 0, mac);
    putMac(frame, 6, out.mac);
    if (version === 4) this.#decrementTtl4(frame, l3);
    else frame[l3 + 7] = frame[l3 + 7]! - 1;
    this.#ifCount(leaves, INTERFACE_COUNTER_SLOTS.packetsOut);
    this.#ifCount(leaves, INTERFACE_COUNTER_SLOTS.bytesOut, p.wireLength);
    this.#countOut(leaves, this.#path, p.wireLength);
    return this.#finish(iface, "forwarded", undefined, { egress: leaves, mac });
  }

  /**
   * The bridge stage for a frame received on `iface`: the interface it is routed on (the BVI
   * for frames to the router; the packet's interface then becomes the BVI, as the batch's
   * column does), or its verdict when bridging decided it.
   */
  #bridgeInput(p: ReferenceInputPacket, f: ReferenceFields, iface: number, time: number): number | ReferenceVerdict {
    if (!this.bridge!.config.interfaces.some((i) => i.ifIndex === iface && i.bridgeGroup !== null)) return iface;
    const frame = {
      interface: iface,
      status: "ok",
      linkType: p.linkType,
      srcMac: macText(macOf(f.srcMac)),
      dstMac: macText(macOf(f.dstMac)),
    };
    const { verdicts, ports } = this.bridge!.input([frame], time);
    const verdict = verdicts[0]!;
    const bvi = this.#bridgePorts[iface]!.bvi;
    if (verdict === BridgeVerdict.forward) {
      const port = ports[0]!;
      if (port >= this.plan.interfaces.length) return this.#finish(iface, "dropped", "bad-interface");
      this.#ifCount(port, INTERFACE_COUNTER_SLOTS.packetsOut);
      this.#ifCount(port, INTERFACE_COUNTER_SLOTS.bytesOut, p.wireLength);
      this.#count(COUNTER_SLOTS.bridged);
      return this.#finish(iface, "forwarded", undefined, { egress: port, mac: macOf(f.dstMac) });
    }
    if (verdict === BridgeVerdict.filter) return this.#finish(iface, "dropped", "bridge-filtered");
    const toRouter =
      verdict === BridgeVerdict.route || verdict === BridgeVerdict.floodBroadcast || verdict === BridgeVerdict.floodMulticast;
    if (bvi >= 0 && toRouter) {
      p.interface = bvi;
      return bvi;
    }
    if (toRouter || verdict === BridgeVerdict.floodUnknown) return this.#finish(iface, "punted", "bridge-flooded");
    return iface;
  }

  /** The NAT stage for one IPv4 packet (its frame and fields rewritten in place); the table's verdict. */
  #translate(p: ReferenceInputPacket, f: ReferenceFields, iface: number, time: number, egress: number | undefined): number {
    const packet: ReferenceNatPacket = {
      interface: iface,
      status: f.status === 0 ? "ok" : "fragment",
      ipVersion: 4,
      src: formatIPv4(f.src[0]! >>> 0),
      dst: formatIPv4(f.dst[0]! >>> 0),
      protocol: f.protocol,
      srcPort: f.srcPort,
      dstPort: f.dstPort,
      tcpFlags: f.tcpFlags,
      icmpType: f.icmpType,
      frame: p.frame,
      l3Offset: f.l3Offset,
      l4Offset: f.l4Offset,
    };
    const verdict = this.nat!.translate([packet], time, egress === undefined ? undefined : [egress])[0]!;
    f.src[0] = parseIPv4(packet.src!);
    f.dst[0] = parseIPv4(packet.dst!);
    f.srcPort = packet.srcPort!;
    f.dstPort = packet.dstPort!;
    return verdict;
  }

  #countPath(iface: number, path: number, wire: number): void {
    this.#path = path;
    this.#count(COUNTER_SLOTS.cefSwitched + path);
    this.#ifCount(iface, INTERFACE_SWITCHING_BASE + 4 * path);
    this.#ifCount(iface, INTERFACE_SWITCHING_BASE + 4 * path + 1, wire);
  }

  #countOut(egress: number, path: number, wire: number): void {
    this.#ifCount(egress, INTERFACE_SWITCHING_BASE + 4 * path + 2);
    this.#ifCount(egress, INTERFACE_SWITCHING_BASE + 4 * path + 3, wire);
  }

  /** The switching step for IPv4, per the input interface's mode: the FIB adjacency (0: none). */
  #switch4(iface: number, flags: number, dst: number, wire: number, time: number): number {
    this.#hitMac = undefined;
    const cache = this.routeCache;
    if ((flags & INTERFACE_FLAGS.fastSwitching) !== 0 && cache !== undefined) {
      if (!cache.started) cache.advance(time);
      this.#checkArp(cache);
      const hit = cache.pipelineLookup(dst);
      if (hit !== undefined) {
        this.#hitMac = hit.mac;
        this.#countPath(iface, PATH_FAST, wire);
        return hit.adjacency;
      }
      const adjacency = this.fib.lookup4(dst);
      this.#miss = { dst, adjacency, time };
      this.#countPath(iface, PATH_PROCESS, wire);
      return adjacency;
    }
    this.#countPath(
      iface,
      (flags & (INTERFACE_FLAGS.fastSwitching | INTERFACE_FLAGS.processSwitching)) !== 0 ? PATH_PROCESS : PATH_CEF,
      wire,
    );
    return this.fib.lookup4(dst);
  }

  /** A process-switched miss's outcome: a forwarded packet leaves its entry; otherwise why none was built. */
  #settleMiss(verdict: Verdict, reason: Reason | undefined, extra: Partial<ReferenceVerdict>): void {
    const miss = this.#miss!;
    this.#miss = undefined;
    const cache = this.routeCache!;
    if (verdict === "forwarded") {
      const a = this.#adjacencies.get(miss.adjacency)!;
      const host = a.nextHop === 0 && a.mac === undefined;
      const egress = extra.egress!;
      // Entries only for packets out of interfaces with `ip route-cache` on.
      if ((this.plan.interfaces[egress]!.flags & INTERFACE_FLAGS.processSwitching) !== 0) {
        cache.pipelineMissed("uncacheable");
        return;
      }
      cache.pipelineFill(
        miss.dst,
        miss.time,
        miss.adjacency,
        this.plan.interfaces[egress]!.name,
        host ? miss.dst : a.nextHop,
        extra.mac!,
        this.plan.interfaces[egress]!.mac,
        host,
      );
      return;
    }
    const unresolved: (Reason | undefined)[] = [
      "arp-nexist",
      "arp-rate-limited",
      "arp-queue-full",
      "arp-incomplete-full",
      "arp-bad-target",
    ];
    cache.pipelineMissed(
      reason === "no-route" ? "no-route" : verdict === "queued" || unresolved.includes(reason) ? "unresolved" : "uncacheable",
    );
  }

  /** When ARP's resolved entries changed since the last check, the entries whose MAC ARP no longer holds are invalidated. */
  #checkArp(cache: ReferenceRouteCache): void {
    const c = this.arp.counters();
    const signature = c.presentExpired + c.presentEvicted + c.macMoved + c.cleared + c.staticAdded + c.staticRemoved;
    if (signature === this.#arpSignature) return;
    this.#arpSignature = signature;
    const index = new Map(this.plan.interfaces.map((f, i) => [f.name, i]));
    cache.invalidateWhere((e) => {
      const a = this.#adjacencies.get(e.adjacency);
      if ((a !== undefined && a.mac !== undefined) || e.headerBytes !== 14) return true;
      return this.arp.presentMac(index.get(e.interface)!, e.nextHop) === e.mac;
    });
  }

  /** The counters, as {@link Dataplane.counters} reports them. */
  counters(): DataplaneCounters {
    return decodeCounters(this.#slots);
  }

  /** Per interface counters. */
  interfaceCounters(): InterfaceCounters[] {
    return this.plan.interfaces.map((f, i) => decodeInterfaceCounters(f.name, this.#ifSlots[i]!));
  }

  /** ACL entry counters. */
  accessListMatches(): { matches: number[]; implicitDenies: number }[] {
    return this.acls.map((a) => ({ matches: [...a.matches], implicitDenies: a.implicitDenies }));
  }

  /** `log` entries matched. */
  get aclLogged(): number {
    return this.acls.reduce((n, a) => n + a.logged, 0);
  }
}

/** A frame's MAC as text (for test messages). */
export function macText(mac: number): string {
  const b = new Uint8Array(6);
  putMac(b, 0, mac);
  return formatMac(b);
}
