/**
 * The options of a {@link FlowCache} and their validation: what the cache and its reference
 * (src/reference/flow-cache.ts) both take from the specification (defaults, limits, codes).
 */

import { ConfigError, describe } from "../errors.js";
import { checkInteger } from "../common/validation.js";
import type { Core } from "../wasm/core.js";
import { type FlowDirection, type FlowMask, FLOW_MASKS } from "./record.js";

/** How the packets fed to a cache were sampled (recorded as given, for export and display). */
export interface FlowSamplingConfig {
  /** "random" 1-out-of-N, "deterministic" every N-th, or "none". */
  mode: "random" | "deterministic" | "none";
  /** N. */
  interval: number;
}

/** Options of a {@link FlowCache}. */
export interface FlowCacheOptions {
  /** Flows the cache holds (default 65536, at most 8,388,608). All memory is allocated at creation. */
  capacity?: number;
  /** Ended flows the export queue holds until drained (default 4096). */
  exportQueueCapacity?: number;
  /** Active timeout: a flow ends this many ms after its first packet (default 30 minutes). */
  activeTimeout?: number;
  /** Inactive timeout: a flow ends this many ms after its last packet (default 15 s). */
  inactiveTimeout?: number;
  /** Flow mask (default "full"). */
  mask?: FlowMask;
  /** Packets per flow before the flow is ended and a new one started (default 2^32 − 1). */
  maxPacketsPerFlow?: number;
  /** Entries the ager looks at per poll (default capacity / 32, at least 1). */
  agerBatch?: number;
  /** Key of the flow hash (default: random). Fix it for reproducible runs; a known key forfeits HashDoS resistance. */
  seed?: number | bigint;
  /** The core to live on (default: a new one of its own). */
  core?: Core;
  /** How the packets offered to this cache were sampled (plain data, kept for display and export). */
  sampling?: FlowSamplingConfig;
}

/** Options of {@link FlowCache.update}. */
export interface FlowUpdateOptions {
  /** Direction of the packets (default "ingress"). */
  direction?: FlowDirection;
  /** One byte per packet of the batch: packets whose byte is 0 are not offered (sampled out, filtered). */
  selection?: Uint8Array;
  /** First packet (default 0) and number of packets (default: to the end of the batch). */
  from?: number;
  count?: number;
}

const DEFAULT_CAPACITY = 65536;
const DEFAULT_QUEUE = 4096;
/** Most flows a cache holds: its entries (112 bytes each) are one allocation, which must stay below 1 GiB. */
export const MAX_FLOW_CAPACITY = 1 << 23;
const MAX_QUEUE = 1 << 20;
/** Largest timeout accepted: 100 years in ms (times are f64 ms, exact far beyond that). */
const MAX_TIMEOUT = 100 * 365.25 * 86400e3;

function checkTimeout(value: number, name: string, code: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMEOUT) {
    throw new ConfigError(code, `invalid ${name} ${describe(value)}: expected milliseconds, more than 0 and at most 100 years`, value);
  }
  return value;
}

/** The validated options of a flow cache, as the cache and its reference use them. */
export interface ResolvedFlowCacheOptions {
  capacity: number;
  exportQueueCapacity: number;
  activeTimeout: number;
  inactiveTimeout: number;
  mask: FlowMask;
  maxPacketsPerFlow: number;
  agerBatch: number;
}

/** Validates options and fills in the defaults. */
export function resolveFlowCacheOptions(options: FlowCacheOptions): ResolvedFlowCacheOptions {
  if (options === null || typeof options !== "object")
    throw new ConfigError("flow-options", `invalid flow cache options ${describe(options)}`, options);
  const capacity = checkInteger(options.capacity ?? DEFAULT_CAPACITY, "capacity", "flow-capacity", 1, MAX_FLOW_CAPACITY);
  const mask = options.mask ?? "full";
  if (!FLOW_MASKS.includes(mask)) {
    throw new ConfigError("flow-mask", `invalid flow mask ${describe(mask)}: expected ${FLOW_MASKS.join(", ")}`, mask);
  }
  return {
    capacity,
    exportQueueCapacity: checkInteger(
      options.exportQueueCapacity ?? DEFAULT_QUEUE,
      "exportQueueCapacity",
      "flow-queue-capacity",
      1,
      MAX_QUEUE,
    ),
    activeTimeout: checkTimeout(options.activeTimeout ?? 30 * 60e3, "activeTimeout", "flow-active-timeout"),
    inactiveTimeout: checkTimeout(options.inactiveTimeout ?? 15e3, "inactiveTimeout", "flow-inactive-timeout"),
    mask,
    maxPacketsPerFlow: checkInteger(options.maxPacketsPerFlow ?? 0xffffffff, "maxPacketsPerFlow", "flow-max-packets", 1, 0xffffffff),
    agerBatch: checkInteger(options.agerBatch ?? Math.max(1, Math.ceil(capacity / 32)), "agerBatch", "flow-ager-batch", 1, capacity),
  };
}
