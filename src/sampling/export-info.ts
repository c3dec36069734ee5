/**
 * What a NetFlow v9 or IPFIX exporter needs to report a sampler: plain data, ready for an
 * options template. NetFlow v9 (RFC 3954) uses the Cisco sampler fields FLOW_SAMPLER_ID (48),
 * FLOW_SAMPLER_MODE (49), FLOW_SAMPLER_RANDOM_INTERVAL (50) and the sampler name (84), which
 * RFC 7270 re-registers for IPFIX. IPFIX uses the PSAMP selector fields of RFC 5477:
 * selectorId (302), selectorAlgorithm (304, IANA PSAMP registry) with that algorithm's
 * parameters, selectorName (335), and the running totals selectorIdTotalPktsObserved (318)
 * and selectorIdTotalPktsSelected (319). Only one set of parameters is given per algorithm,
 * never a mixture, because collectors combine them differently (nfdump, pmacct).
 */

import type { SamplerMode } from "./modes.js";

/** An information element with its value, as an options record field. */
export interface InformationElementValue {
  /** IANA IPFIX information element id (NetFlow v9 uses the same numbers). */
  id: number;
  /** IANA name. */
  name: string;
  /** IPFIX abstract data type (RFC 7011 §6.1). */
  type: "unsigned8" | "unsigned16" | "unsigned32" | "unsigned64" | "float64" | "string";
  value: number | string;
}

/** A sampler's configuration and totals for export. */
export interface SamplingExportInfo {
  /** Sampler id: FLOW_SAMPLER_ID in NetFlow v9, selectorId in IPFIX; 1 … 255. */
  samplerId: number;
  /** Sampler (map) name. */
  samplerName: string;
  mode: SamplerMode;
  /** N: one packet out of N. */
  interval: number;
  /** PSAMP selector algorithm (IANA): 1 systematic count-based, 3 random n-out-of-N, 4 uniform probabilistic. */
  selectorAlgorithm: 1 | 3 | 4;
  /** Packets the sampler decided on (its population, after input filters). */
  packetsObserved: number;
  /** Packets it selected. */
  packetsSelected: number;
  /** Fields of the NetFlow v9 sampler options record (48, 49, 50, 84). */
  netflowV9: InformationElementValue[];
  /** Fields of the IPFIX selector options record (302, 304, the algorithm's parameters, 335, 318, 319). */
  ipfix: InformationElementValue[];
}

/** What {@link samplingExportInfo} needs. */
export interface SamplingExportInput {
  samplerId: number;
  samplerName: string;
  mode: SamplerMode;
  interval: number;
  packetsObserved: number;
  packetsSelected: number;
}

/**
 * The export description of a sampler:
 * `deterministic` → algorithm 1 with samplingPacketInterval 1 and samplingPacketSpace N−1;
 * `random` → algorithm 3 with samplingSize 1 and samplingPopulation N;
 * `bernoulli` → algorithm 4 with samplingProbability 1/N;
 * `sflow` → algorithm 4 with samplingProbability 1/N (its skips are not independent, but each
 * packet's inclusion probability is exactly 1/N, which is what collectors scale by).
 * NetFlow v9 has only "deterministic" (1) and "random" (2) sampler modes.
 */
export function samplingExportInfo(input: SamplingExportInput): SamplingExportInfo {
  const { samplerId, samplerName, mode, interval, packetsObserved, packetsSelected } = input;
  const selectorAlgorithm = mode === "deterministic" ? 1 : mode === "random" ? 3 : 4;
  const parameters: InformationElementValue[] =
    selectorAlgorithm === 1
      ? [
          { id: 305, name: "samplingPacketInterval", type: "unsigned32", value: 1 },
          { id: 306, name: "samplingPacketSpace", type: "unsigned32", value: interval - 1 },
        ]
      : selectorAlgorithm === 3
        ? [
            { id: 309, name: "samplingSize", type: "unsigned32", value: 1 },
            { id: 310, name: "samplingPopulation", type: "unsigned32", value: interval },
          ]
        : [{ id: 311, name: "samplingProbability", type: "float64", value: 1 / interval }];
  return {
    samplerId,
    samplerName,
    mode,
    interval,
    selectorAlgorithm,
    packetsObserved,
    packetsSelected,
    netflowV9: [
      { id: 48, name: "samplerId", type: "unsigned8", value: samplerId },
      { id: 49, name: "samplerMode", type: "unsigned8", value: mode === "deterministic" ? 1 : 2 },
      { id: 50, name: "samplerRandomInterval", type: "unsigned32", value: interval },
      { id: 84, name: "samplerName", type: "string", value: samplerName },
    ],
    ipfix: [
      { id: 302, name: "selectorId", type: "unsigned64", value: samplerId },
      { id: 304, name: "selectorAlgorithm", type: "unsigned16", value: selectorAlgorithm },
      ...parameters,
      { id: 335, name: "selectorName", type: "string", value: samplerName },
      { id: 318, name: "selectorIdTotalPktsObserved", type: "unsigned64", value: packetsObserved },
      { id: 319, name: "selectorIdTotalPktsSelected", type: "unsigned64", value: packetsSelected },
    ],
  };
}
