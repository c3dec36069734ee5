/**
 * SQL Slammer (Sapphire) as a packet workload (research/seq.md §4, from Moore et al., "Inside
 * the Slammer Worm", IEEE S&P 2003): one 404-byte UDP datagram to port 1434 per target, sent
 * as fast as the host's link allows, to addresses from a linear congruential generator
 * x' = 214013·x + c (mod 2^32) whose increment the worm got wrong (an OR where an XOR was
 * meant, leaving a DLL-dependent register value in it). With an even increment the generator
 * no longer has full period: how long a host's cycle is depends on its starting state, and some
 * hosts cycle over a few addresses only. {@link slammerCycleLength} gives the exact length.
 */

import { ConfigError, describe } from "../../errors.js";
import { draw32 } from "./hash.js";
import { UDP, type WorkloadColumns, writePacketColumns, writePacketFrame } from "./packet-writer.js";
import { ScanWorkload, type ScanOptions } from "./scan-schedule.js";

/** The LCG's multiplier (confirmed by disassembly; research/seq.md §4). */
export const SLAMMER_MULTIPLIER = 214013;
/** The constant the worm ORs into its increment register (research/seq.md §4). */
export const SLAMMER_OR_CONSTANT = 0xffd9613c;
/** The increment Microsoft's rand() uses with that multiplier, which the worm meant to have (odd: full period). */
export const MICROSOFT_RAND_INCREMENT = 2531011;
/** The IP datagram: 20 bytes of IPv4, 8 of UDP, 376 of payload. */
export const SLAMMER_DATAGRAM_BYTES = 404;
/** MS SQL Server Resolution Service, the port Slammer attacks. */
export const SLAMMER_PORT = 1434;
/**
 * Bits one datagram takes on an Ethernet wire: 14 header + 404 + 4 FCS + 8 preamble + 12
 * inter-frame gap = 442 bytes; 100 Mb/s thus carries 28,280 a second (research: 28.3 k pps).
 */
export const SLAMMER_WIRE_BITS = (14 + SLAMMER_DATAGRAM_BYTES + 4 + 8 + 12) * 8;

/** One LCG step. */
export function slammerNext(x: number, increment: number): number {
  return (Math.imul(SLAMMER_MULTIPLIER, x) + increment) >>> 0;
}

/**
 * The period of the sequence x, x', x'', … from `state` with `increment`. With a = 214013
 * (a ≡ 1 mod 4, and a − 1 = 4·53503), x_n − x_0 = d·(a^n − 1)/(a − 1) with d = (a − 1)·x_0 + c,
 * and (a^n − 1)/(a − 1) has exactly as many factors 2 as n; so x_n = x_0 first when n = 2^(32 − v),
 * v the number of factors 2 of d mod 2^32 (and the state is fixed when d ≡ 0).
 */
export function slammerCycleLength(state: number, increment: number): number {
  const d = (Math.imul(SLAMMER_MULTIPLIER - 1, state) + increment) >>> 0;
  if (d === 0) return 1;
  return 2 ** (32 - trailingZeros(d));
}

function trailingZeros(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The increment a host ends up with: the leftover register value ORed with the worm's constant. */
export function slammerIncrement(leftover: number): number {
  return (leftover | SLAMMER_OR_CONSTANT) >>> 0;
}

/**
 * The target address of LCG state x. The worm stores the state as the socket address from an
 * x86 register, least significant byte first on the wire, so the first octet is x's low byte
 * **(inferred)**; the cycle structure does not depend on this choice.
 */
export function slammerAddress(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** Options of {@link Slammer}. */
export interface SlammerOptions extends ScanOptions {
  /** Each host's link speed in bits/s (one value for all, or one per host; default 100 Mb/s). */
  bandwidthBitsPerSecond?: number | ArrayLike<number>;
  /** Each host's starting LCG state (the worm seeds from the tick count; default: drawn from `seed`). */
  states?: ArrayLike<number>;
  /**
   * Each host's increment (default: {@link slammerIncrement} of a 4-byte-aligned leftover value
   * drawn from `seed` — a pointer **(inferred)** — which makes every increment ≡ 4 mod 8).
   */
  increments?: ArrayLike<number>;
}

/** Slammer: bandwidth-limited UDP scanning from the flawed LCG. */
export class Slammer extends ScanWorkload {
  readonly name = "slammer";
  /** Each host's current LCG state. */
  readonly states: Uint32Array;
  /** Each host's increment. */
  readonly increments: Uint32Array;
  readonly #srcPort: Uint16Array;
  readonly #ipId: Uint16Array;

  constructor(options: SlammerOptions) {
    const n = options.hosts.length;
    const seed = (options.seed ?? 1) >>> 0;
    const bandwidth = options.bandwidthBitsPerSecond ?? 100e6;
    const bandwidthOf = (h: number) => (typeof bandwidth === "number" ? bandwidth : bandwidth[h]!);
    if (typeof bandwidth !== "number" && bandwidth.length !== n) {
      throw new ConfigError(
        "workload-bandwidth",
        `bandwidthBitsPerSecond must have one value per host (${n}), got ${describe(bandwidth.length)}`,
        bandwidth.length,
      );
    }
    for (const [name, list] of [
      ["states", options.states],
      ["increments", options.increments],
    ] as const) {
      if (list !== undefined && list.length !== n)
        throw new ConfigError("workload-lcg", `${name} must have one value per host (${n}), got ${describe(list.length)}`, list.length);
    }
    super(
      options,
      [0],
      (h) => {
        const bits = bandwidthOf(h);
        if (!(bits > 0) || !Number.isFinite(bits))
          throw new ConfigError(
            "workload-bandwidth",
            `host ${h}: bandwidth must be a positive number of bits/s, got ${describe(bits)}`,
            bits,
          );
        return (1000 * SLAMMER_WIRE_BITS) / bits;
      },
      (h) => draw32(seed, h, 0xffffffff, 1) / 2 ** 32,
    );
    this.states = Uint32Array.from({ length: n }, (_, h) => (options.states?.[h] ?? draw32(seed, h, 0xffffffff, 2)) >>> 0);
    this.increments = Uint32Array.from(
      { length: n },
      (_, h) => (options.increments?.[h] ?? slammerIncrement(draw32(seed, h, 0xffffffff, 3) & ~3)) >>> 0,
    );
    this.#srcPort = Uint16Array.from({ length: n }, (_, h) => 1024 + (draw32(seed, h, 0xffffffff, 4) % 64512));
    this.#ipId = Uint16Array.from({ length: n }, (_, h) => draw32(seed, h, 0xffffffff, 5));
  }

  protected emit(
    c: WorkloadColumns,
    frames: Uint8Array | undefined,
    i: number,
    s: number,
    _k: number,
    time: number,
    offset: number,
  ): number {
    const h = this.streamHost[s]!;
    const x = slammerNext(this.states[h]!, this.increments[h]!);
    this.states[h] = x;
    const src = this.hosts[h]!;
    const dst = slammerAddress(x);
    const srcPort = this.#srcPort[h]!;
    const ipId = this.#ipId[h]!;
    this.#ipId[h] = ipId + 1;
    writePacketColumns(c, i, time, src, dst, UDP, srcPort, SLAMMER_PORT, SLAMMER_DATAGRAM_BYTES, ipId, 128, 0);
    return frames === undefined
      ? offset
      : writePacketFrame(frames, c, i, offset, src, dst, UDP, srcPort, SLAMMER_PORT, SLAMMER_DATAGRAM_BYTES, ipId, 128, 0);
  }
}
