/**
 * Background traffic: established flows from a site's clients toward destinations of a
 * routing table (the real one from ../shared/data, or src/sim/table.ts's generated one),
 * flow popularity Zipf-distributed, packets arriving as a Poisson process. These are the
 * packets a router under attack must keep forwarding: scenarios count their losses.
 */

import { ConfigError, describe } from "../../errors.js";
import type { PacketBatch } from "../../packet/batch.js";
import { Xoshiro128 } from "../../common/random.js";
import { draw32 } from "./hash.js";
import {
  CAPTURED_HEADER_BYTES,
  TCP,
  TCP_ACK,
  UDP,
  type WorkloadColumns,
  workloadColumns,
  writeConstantColumns,
  writePacketColumns,
  writePacketFrame,
} from "./packet-writer.js";
import type { Workload } from "./workload.js";

/** IPv4 prefixes to send toward: network addresses and lengths, as `generateIPv4Table` returns them. */
export interface DestinationTable {
  addresses: Uint32Array;
  lengths: Uint8Array;
  count: number;
}

/** Options of {@link BackgroundTraffic}. */
export interface BackgroundOptions {
  /** Destinations: each flow goes to an address inside one prefix of this table. */
  table: DestinationTable;
  /** Distinct flows (default 10,000). */
  flows?: number;
  /** Zipf exponent of flow popularity (default 1; 0 is uniform). */
  zipf?: number;
  /** Mean packets per second (default 10,000). */
  packetsPerSecond?: number;
  /** The clients' network, e.g. 10.1.0.0 as a number (default 10.1.0.0). */
  clientNetwork?: number;
  /** Its prefix length (default 16). */
  clientLength?: number;
  seed?: number;
  /** Added to every packet time (default 0). */
  originMs?: number;
  /** First packet not before this time, ms from the origin (default 0). */
  startMs?: number;
  /** No packet after this time, ms from the origin (default never). */
  stopMs?: number;
  interface?: number;
  frames?: boolean;
}

/** Destination ports and their shares: web, TLS, DNS (UDP), mail. */
const SERVICES: readonly [port: number, protocol: number, share: number][] = [
  [80, TCP, 0.5],
  [443, TCP, 0.3],
  [53, UDP, 0.1],
  [25, TCP, 0.1],
];
/** Packet sizes of the classic 7:4:1 IMIX (IP total length). */
const IMIX: readonly number[] = [40, 40, 40, 40, 40, 40, 40, 576, 576, 576, 576, 1500];

/**
 * Walker's alias table for a discrete law: one uniform index and one coin per draw, O(1)
 * (Vose's construction, numerically stable).
 */
export class AliasTable {
  readonly probability: Float64Array;
  readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new ConfigError("alias-empty", "an alias table needs at least one weight", n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w))
        throw new ConfigError("alias-weight", `weights must be finite and ≥ 0, got ${describe(w)} at ${i}`, w);
      total += w;
    }
    if (!(total > 0)) throw new ConfigError("alias-weight", "the weights sum to 0", total);
    this.probability = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = Float64Array.from(weights, (w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) (scaled[i]! < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1]!;
      this.probability[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small.push(large.pop()!);
    }
    for (const i of large) this.probability[i] = 1;
    for (const i of small) this.probability[i] = 1;
  }

  /** A draw from two 32-bit random numbers. */
  sample(a: number, b: number): number {
    const i = Math.floor((a / 4294967296) * this.probability.length);
    return b / 4294967296 < this.probability[i]! ? i : this.alias[i]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Zipf weights 1/(k+1)^s for k < n. */
export function zipfWeights(n: number, s: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
}

/** Established background flows toward a routing table's destinations. */
export class BackgroundTraffic implements Workload {
  readonly name = "background";
  /** Per flow: source, destination, ports and protocol. */
  readonly flowSrc: Uint32Array;
  readonly flowDst: Uint32Array;
  readonly flowSrcPort: Uint16Array;
  readonly flowDstPort: Uint16Array;
  readonly flowProtocol: Uint8Array;
  /** Packets emitted so far. */
  emitted = 0;
  readonly #popularity: AliasTable;
  readonly #random: Xoshiro128;
  readonly #meanGapMs: number;
  readonly #originMs: number;
  readonly #stopMs: number;
  readonly #iface: number;
  readonly #frames: boolean;
  #next: number;

  constructor(options: BackgroundOptions) {
    const { table } = options;
    if (table.count < 1 || table.addresses.length < table.count || table.lengths.length < table.count) {
      throw new ConfigError(
        "workload-table",
        `the destination table needs at least one IPv4 prefix (count ${describe(table.count)})`,
        table.count,
      );
    }
    const flows = options.flows ?? 10_000;
    if (!Number.isInteger(flows) || flows < 1 || flows > 1 << 24)
      throw new ConfigError("workload-flows", `flows must be an integer from 1 to 2^24, got ${describe(flows)}`, flows);
    const rate = options.packetsPerSecond ?? 10_000;
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new ConfigError("workload-rate", `packetsPerSecond must be a positive number, got ${describe(rate)}`, rate);
    const s = options.zipf ?? 1;
    if (!(s >= 0) || !Number.isFinite(s)) throw new ConfigError("workload-zipf", `zipf must be a finite number ≥ 0, got ${describe(s)}`, s);
    const clientLength = options.clientLength ?? 16;
    if (!Number.isInteger(clientLength) || clientLength < 1 || clientLength > 30)
      throw new ConfigError("workload-clients", `clientLength must be 1 to 30, got ${describe(clientLength)}`, clientLength);
    const clientNetwork = (options.clientNetwork ?? 0x0a010000) >>> 0;
    const seed = (options.seed ?? 1) >>> 0;
    this.#popularity = new AliasTable(zipfWeights(flows, s));
    this.#random = new Xoshiro128(seed);
    this.#meanGapMs = 1000 / rate;
    this.#originMs = options.originMs ?? 0;
    this.#stopMs = options.stopMs ?? Infinity;
    this.#iface = options.interface ?? 0;
    this.#frames = options.frames ?? false;
    this.flowSrc = new Uint32Array(flows);
    this.flowDst = new Uint32Array(flows);
    this.flowSrcPort = new Uint16Array(flows);
    this.flowDstPort = new Uint16Array(flows);
    this.flowProtocol = new Uint8Array(flows);
    const hostBits = 32 - clientLength;
    const serviceCdf = SERVICES.map((_, i) => SERVICES.slice(0, i + 1).reduce((a, [, , share]) => a + share, 0));
    for (let f = 0; f < flows; f++) {
      const p = draw32(seed, f, 1) % table.count;
      const length = table.lengths[p]!;
      const hostMask = length >= 32 ? 0 : 0xffffffff >>> length;
      this.flowDst[f] = ((table.addresses[p]! & ~hostMask) | (draw32(seed, f, 2) & hostMask)) >>> 0;
      // Client host numbers 1 .. 2^hostBits − 2: neither the network nor the broadcast address.
      this.flowSrc[f] = (clientNetwork + 1 + (draw32(seed, f, 3) % (2 ** hostBits - 2))) >>> 0;
      this.flowSrcPort[f] = 1024 + (draw32(seed, f, 4) % 64512);
      const u = draw32(seed, f, 5) / 4294967296;
      const service = SERVICES[serviceCdf.findIndex((c) => u < c)] ?? SERVICES[0]!;
      this.flowDstPort[f] = service[0];
      this.flowProtocol[f] = service[1];
    }
    this.#next = (options.startMs ?? 0) + this.#gap();
  }

  get nextTime(): number {
    return this.#next > this.#stopMs ? Infinity : this.#originMs + this.#next;
  }

  /**
   * An exponential gap with the configured mean. Math.log rather than the bit-portable
   * portableLog (a third of the whole fill's time, measured): V8 computes it with its own
   * fdlibm port on every platform, so runs under Node repeat bit for bit.
   */
  #gap(): number {
    return -Math.log((this.#random.next() + 1) / 4294967296) * this.#meanGapMs;
  }

  get interfaceIndex(): number {
    return this.#iface;
  }

  fill(batch: PacketBatch, untilMs: number): number {
    const start = batch.length;
    const c = workloadColumns(batch);
    const end = this.fillRange(c, this.#frames ? batch.frames : undefined, batch.frameBytes, start, batch.capacity, untilMs);
    writeConstantColumns(c, start, end, this.#iface);
    batch.length = end;
    return end - start;
  }

  fillRange(
    c: WorkloadColumns,
    batchFrames: Uint8Array | undefined,
    frameBytes: number,
    start: number,
    capacity: number,
    untilMs: number,
  ): number {
    const limit = Math.min(untilMs - this.#originMs, this.#stopMs);
    const frames = this.#frames ? batchFrames : undefined;
    const frameLimit = frameBytes - CAPTURED_HEADER_BYTES;
    const random = this.#random;
    const popularity = this.#popularity;
    // A measured hot loop: everything it reads is in a local; one alias draw, one size draw
    // and one gap per packet. `x - floor(x / n) · n` is x % n for these integers without V8's
    // double modulo (a C call: the draws are unsigned, not small integers).
    const flowSrc = this.flowSrc,
      flowDst = this.flowDst,
      flowSrcPort = this.flowSrcPort,
      flowDstPort = this.flowDstPort,
      flowProtocol = this.flowProtocol;
    const origin = this.#originMs;
    const meanGap = this.#meanGapMs;
    const imixCount = IMIX.length;
    const ipIdBase = this.emitted - start;
    // Frames go after the batch's last packet, whoever wrote it (fillMixed interleaves workloads).
    let offset = frames === undefined || start === 0 ? 0 : c.frameOffset[start - 1]! + c.capturedLength[start - 1]!;
    let i = start;
    let t = this.#next;
    // Xoshiro128**'s state in locals for the loop (the same outputs as random.next(), stored
    // back after it): four draws a packet without a typed-array round trip each.
    const state = random.state;
    let x0 = state[0]!,
      x1 = state[1]!,
      x2 = state[2]!,
      x3 = state[3]!;
    const probability = popularity.probability,
      alias = popularity.alias,
      flowCount = probability.length;
    while (i < capacity && t <= limit && (frames === undefined || offset <= frameLimit)) {
      // Draw 1 and 2: the flow, by the alias table (AliasTable.sample, inline).
      let r = Math.imul(rotl(Math.imul(x1, 5), 7), 9) >>> 0;
      let u = x1 << 9;
      x2 ^= x0;
      x3 ^= x1;
      x1 ^= x2;
      x0 ^= x3;
      x2 ^= u;
      x3 = rotl(x3, 11);
      const column = Math.floor((r / 4294967296) * flowCount);
      r = Math.imul(rotl(Math.imul(x1, 5), 7), 9) >>> 0;
      u = x1 << 9;
      x2 ^= x0;
      x3 ^= x1;
      x1 ^= x2;
      x0 ^= x3;
      x2 ^= u;
      x3 = rotl(x3, 11);
      const f = r / 4294967296 < probability[column]! ? column : alias[column]!;
      const protocol = flowProtocol[f]!;
      let size = 80;
      if (protocol !== UDP) {
        // Draw 3: the IMIX size.
        r = Math.imul(rotl(Math.imul(x1, 5), 7), 9) >>> 0;
        u = x1 << 9;
        x2 ^= x0;
        x3 ^= x1;
        x1 ^= x2;
        x0 ^= x3;
        x2 ^= u;
        x3 = rotl(x3, 11);
        size = IMIX[r - Math.floor(r / imixCount) * imixCount]!;
      }
      const src = flowSrc[f]!,
        dst = flowDst[f]!,
        srcPort = flowSrcPort[f]!,
        dstPort = flowDstPort[f]!;
      const ipId = (ipIdBase + i) & 0xffff;
      writePacketColumns(c, i, origin + t, src, dst, protocol, srcPort, dstPort, size, ipId, 64, TCP_ACK);
      if (frames !== undefined)
        offset = writePacketFrame(frames, c, i, offset, src, dst, protocol, srcPort, dstPort, size, ipId, 64, TCP_ACK);
      i++;
      // Draw 4: the gap of #gap(), inline.
      r = Math.imul(rotl(Math.imul(x1, 5), 7), 9) >>> 0;
      u = x1 << 9;
      x2 ^= x0;
      x3 ^= x1;
      x1 ^= x2;
      x0 ^= x3;
      x2 ^= u;
      x3 = rotl(x3, 11);
      t += -Math.log((r + 1) / 4294967296) * meanGap;
    }
    state[0] = x0;
    state[1] = x1;
    state[2] = x2;
    state[3] = x3;
    this.#next = t;
    this.emitted += i - start;
    return i;
  }
}
