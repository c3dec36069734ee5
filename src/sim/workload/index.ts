/** Workload generators: worms, background traffic, BGP updates and the spread model. */

export { type Workload, fillMixed } from "./workload.js";
export { type ScanOptions, ScanWorkload } from "./scan-schedule.js";
export {
  CodeRedI,
  CodeRedII,
  type CodeRedOptions,
  type CodeRedIOptions,
  codeRedIITarget,
  codeRedIIExclusion,
  codeRedISharedTarget,
  CODE_RED_SYN_BYTES,
  CODE_RED_PROBES_PER_SECOND,
  HTTP_PORT,
  SYN_RETRANSMIT_MS,
} from "./code-red.js";
export {
  Slammer,
  type SlammerOptions,
  slammerNext,
  slammerCycleLength,
  slammerIncrement,
  slammerAddress,
  SLAMMER_MULTIPLIER,
  SLAMMER_OR_CONSTANT,
  MICROSOFT_RAND_INCREMENT,
  SLAMMER_DATAGRAM_BYTES,
  SLAMMER_PORT,
  SLAMMER_WIRE_BITS,
} from "./slammer.js";
export { BackgroundTraffic, type BackgroundOptions, type DestinationTable, AliasTable, zipfWeights } from "./background.js";
export {
  BgpUpdateStream,
  type BgpUpdateOptions,
  type BgpEpisode,
  type BgpBurst,
  eventA,
  slammerEpisode,
  episodeRate,
  BGP_BIN_MS,
  TYPICAL_CHANGES_PER_BIN,
  EVENT_A_CHANGES_PER_BIN,
  SLAMMER_CHANGES_PER_BIN,
  SLAMMER_ONSET_MS,
} from "./bgp-updates.js";
export {
  type SpreadModel,
  type SpreadSeries,
  type SpreadSimulationOptions,
  growthRate,
  logisticInfected,
  scanRateForDoubling,
  simulateSpread,
  binomial,
  standardNormal,
  CODE_RED_V2_SPREAD,
  SLAMMER_SPREAD,
  ADDRESS_SPACE,
} from "./spread.js";
export { mix32, draw32 } from "./hash.js";
export {
  type WorkloadColumns,
  workloadColumns,
  writeConstantColumns,
  writePacketColumns,
  writePacketFrame,
  TCP,
  UDP,
  TCP_SYN,
  TCP_ACK,
  CAPTURED_HEADER_BYTES,
} from "./packet-writer.js";
