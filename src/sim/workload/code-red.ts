/**
 * Code Red I and Code Red II as packet workloads (seed 000; spec §1.1, §1.2, §4). Both send TCP
 * SYNs to port 80 from their real (not spoofed) source address; a target that does not answer
 * gets the SYN again 3 s and 9 s later, the Windows 2000 TCP defaults (initial retransmission
 * timeout 3 s, doubled, two retransmissions) that research/arp.md §8.5 uses. The SYN is the
 * 48-byte one of the seed's IP accounting sample (000:L94: rows of 48 bytes per packet).
 */

import { ConfigError, describe } from "../../errors.js";
import { draw32, mix32 } from "./hash.js";
import { TCP, TCP_SYN, type WorkloadColumns, writePacketColumns, writePacketFrame } from "./packet-writer.js";
import { ScanWorkload, type ScanOptions } from "./scan-schedule.js";

/** The Code Red SYN: 20 bytes of IPv4, 20 of TCP, 8 of options (MSS, NOP, NOP, SACK permitted). */
export const CODE_RED_SYN_BYTES = 48;
/** HTTP, the port Code Red probes (0x0050 in `show ip cache flow`). */
export const HTTP_PORT = 80;
/** When an unanswered SYN is sent again, after the first one (Windows 2000: 3 s, then 6 s more). */
export const SYN_RETRANSMIT_MS: readonly number[] = [3000, 9000];
/**
 * First SYNs per second per infected host: CERT's lab measured "> 50,000 hosts/hour" with all
 * threads running (K. Houle, NANOG, 2 Aug 2001; research/seq.md §4), i.e. ≈ 14 a second.
 */
export const CODE_RED_PROBES_PER_SECOND = 14;
/** Windows' ephemeral ports, handed out in turn: 1024 to 5000. */
const EPHEMERAL_FIRST = 1024;
const EPHEMERAL_COUNT = 3977;
/** Windows 2000's default IP TTL. */
const WINDOWS_TTL = 128;

/** Options of the Code Red workloads. */
export interface CodeRedOptions extends ScanOptions {
  /** First SYNs per second per host (default {@link CODE_RED_PROBES_PER_SECOND}). */
  probesPerSecond?: number;
  /** Retransmission times after the first SYN, ms (default 3000 and 9000; `[]` for none). */
  retransmitMs?: readonly number[];
}

/** Options of Code Red I. */
export interface CodeRedIOptions extends CodeRedOptions {
  /**
   * Every instance walks the same target list (default true): "Every infected IIS server can
   * attempt to infect the same set of devices" (000:L30), the fixed PRNG seed of the first
   * version. With false each host draws its own list (the random seed of Code Red v2).
   */
  sharedTargetList?: boolean;
}

abstract class CodeRedBase extends ScanWorkload {
  readonly #portBase: Uint32Array;
  readonly #ipId: Uint16Array;

  constructor(options: CodeRedOptions) {
    const rate = options.probesPerSecond ?? CODE_RED_PROBES_PER_SECOND;
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new ConfigError("workload-rate", `probesPerSecond must be a positive number, got ${describe(rate)}`, rate);
    const retransmit = options.retransmitMs ?? SYN_RETRANSMIT_MS;
    for (const r of retransmit)
      if (!(r > 0) || !Number.isFinite(r))
        throw new ConfigError("workload-retransmit", `retransmission times must be positive ms, got ${describe(r)}`, r);
    const seed = (options.seed ?? 1) >>> 0;
    super(
      options,
      [0, ...retransmit],
      () => 1000 / rate,
      (h) => draw32(seed, h, 0xffffffff, 1) / 2 ** 32,
    );
    const n = this.hosts.length;
    this.#portBase = new Uint32Array(n);
    this.#ipId = new Uint16Array(n);
    for (let h = 0; h < n; h++) {
      this.#portBase[h] = draw32(seed, h, 0xffffffff, 2) % EPHEMERAL_COUNT;
      this.#ipId[h] = draw32(seed, h, 0xffffffff, 3);
    }
  }

  /** The target of host `h`'s probe number `k`. */
  abstract target(h: number, k: number): number;

  protected emit(
    c: WorkloadColumns,
    frames: Uint8Array | undefined,
    i: number,
    s: number,
    k: number,
    time: number,
    offset: number,
  ): number {
    const h = this.streamHost[s]!;
    const src = this.hosts[h]!;
    const dst = this.target(h, k);
    // The retransmissions reuse the SYN's source port: the same connection attempt.
    const j = this.#portBase[h]! + k;
    const srcPort = EPHEMERAL_FIRST + (j - Math.floor(j / EPHEMERAL_COUNT) * EPHEMERAL_COUNT);
    const ipId = this.#ipId[h]!;
    this.#ipId[h] = ipId + 1;
    writePacketColumns(c, i, time, src, dst, TCP, srcPort, HTTP_PORT, CODE_RED_SYN_BYTES, ipId, WINDOWS_TTL, TCP_SYN);
    return frames === undefined
      ? offset
      : writePacketFrame(frames, c, i, offset, src, dst, TCP, srcPort, HTTP_PORT, CODE_RED_SYN_BYTES, ipId, WINDOWS_TTL, TCP_SYN);
  }
}

/**
 * Code Red I: TCP SYNs to port 80 of uniformly random IPv4 addresses (the seed gives no
 * exclusions for it, spec §4.1). With a shared target list, probe k of every host goes to the
 * same address: entry k of one pseudo-random permutation of the address space.
 */
export class CodeRedI extends CodeRedBase {
  readonly name = "code-red-1";
  readonly sharedTargetList: boolean;
  readonly #listKey: number;

  constructor(options: CodeRedIOptions) {
    super(options);
    this.sharedTargetList = options.sharedTargetList ?? true;
    this.#listKey = mix32(this.seed ^ 0x43524931);
  }

  /** Entry `k` of host `h`'s target list (the shared list ignores `h`). */
  target(h: number, k: number): number {
    if (this.sharedTargetList) return codeRedISharedTarget(this.#listKey, k);
    return draw32(this.seed, h, k);
  }
}

/**
 * Entry `k` of the shared list for list key `key`: a bijection of k (two rounds of the
 * finaliser around a key), so the list visits addresses without repeating, like a full-period
 * generator from one fixed seed.
 */
export function codeRedISharedTarget(key: number, k: number): number {
  return mix32((mix32((k ^ key) >>> 0) + key) >>> 0);
}

/** Why a Code Red II candidate is rejected (spec §4.2, 000:L83), or `null` when it is a valid target. */
export function codeRedIIExclusion(candidate: number, self: number): "127" | "224" | "octet-0" | "octet-255" | "self" | null {
  const first = candidate >>> 24;
  if (first === 127) return "127";
  if (first === 224) return "224";
  for (let shift = 0; shift < 32; shift += 8) {
    const octet = (candidate >>> shift) & 0xff;
    if (octet === 0) return "octet-0";
    if (octet === 255) return "octet-255";
  }
  if (candidate === self >>> 0) return "self";
  return null;
}

/**
 * Whether {@link codeRedIIExclusion} accepts a candidate, with word-wide byte tests in place of
 * its loop (the hot path): `(x − 0x01010101) & ~x & 0x80808080` is nonzero exactly when some
 * byte of x is 0 (for 255, the same test on ~x).
 */
function codeRedIIValid(candidate: number, self: number): boolean {
  const first = candidate >>> 24;
  if (first === 127 || first === 224) return false;
  const inverted = ~candidate;
  if (((candidate - 0x01010101) & inverted & 0x80808080) !== 0) return false;
  if (((inverted - 0x01010101) & candidate & 0x80808080) !== 0) return false;
  return candidate !== self >>> 0;
}

/** Most candidates one Code Red II target may take; each is accepted with probability > 1/9, so this is never reached in practice. */
const MAX_CANDIDATES = 10_000;

/**
 * Target number `probe` of Code Red II host number `host` at address `self` (000:L77–83), for
 * worm seed `seed`: with probability 1/8 a random address, 1/2 the host's first octet and three
 * random ones, 3/8 its first two octets and two random ones; a candidate in 127.x.x.x or
 * 224.x.x.x, with an octet 0 or 255, or equal to the host is thrown away and the whole choice
 * (branch and octets) drawn again. Its random numbers are the finaliser of a per-target key
 * (seed, host, probe) plus the draw's index: two mixes per candidate (measured: a third of the
 * time of two full `draw32`s).
 */
export function codeRedIITarget(self: number, seed: number, host: number, probe: number): number {
  return codeRedIITargetOfHost(self, codeRedIIHostKey(seed, host), probe);
}

/** The per-host part of {@link codeRedIITarget}'s key (a generator computes it once per host). */
export function codeRedIIHostKey(seed: number, host: number): number {
  return mix32((mix32((seed ^ 0x43524932) >>> 0) ^ host) >>> 0);
}

/** {@link codeRedIITarget} from the host's key. */
export function codeRedIITargetOfHost(self: number, hostKey: number, probe: number): number {
  const key = hostKey + Math.imul(probe, 0x85ebca6b);
  for (let i = 0; i < MAX_CANDIDATES; i += 2) {
    const branch = mix32((key + Math.imul(i, 0x9e3779b9)) >>> 0) >>> 29;
    const random = mix32((key + Math.imul(i + 1, 0x9e3779b9)) >>> 0);
    let candidate: number;
    if (branch === 0) candidate = random;
    else if (branch <= 4) candidate = ((self & 0xff000000) | (random & 0x00ffffff)) >>> 0;
    else candidate = ((self & 0xffff0000) | (random & 0x0000ffff)) >>> 0;
    if (codeRedIIValid(candidate, self)) return candidate;
  }
  throw new ConfigError("code-red-2-target", `no valid Code Red II target found for host ${describe(self)}`, self);
}

/**
 * Code Red II: the same SYN probes as Code Red I, with targets chosen by {@link codeRedIITarget},
 * each host from its own random stream.
 */
export class CodeRedII extends CodeRedBase {
  readonly name = "code-red-2";
  readonly #hostKeys: Uint32Array;

  constructor(options: CodeRedOptions) {
    super(options);
    this.#hostKeys = Uint32Array.from(this.hosts, (_, h) => codeRedIIHostKey(this.seed, h));
  }

  target(h: number, k: number): number {
    return codeRedIITargetOfHost(this.hosts[h]!, this.#hostKeys[h]!, k);
  }
}
