/**
 * dataplane: the forwarding data plane of an IP router, with its hot paths in WebAssembly.
 *
 * Layer order (a module imports only from its own layer or the layers before it; a test walks
 * the import graph and enforces it; `reference` imports only errors, net, common and
 * type-only modules):
 *
 *   errors, net, common → wasm → packet → fib, route-cache, flow, arp, sampling, nat, bridge →
 *   analysis, export → dataplane → show → sim, flooding → node, cli
 *
 * @packageDocumentation
 */

export {
  DataplaneError,
  AddressError,
  PrefixError,
  MacError,
  AdjacencyError,
  CapacityError,
  ConfigError,
  CaptureFileError,
  InterfaceError,
  TimeError,
  FileError,
} from "./errors.js";
export {
  type Family,
  type AddressInput,
  type IPv4Input,
  type IPv6Input,
  type Address,
  parseIPv4,
  parseIPv6,
  parseAddress,
  formatIPv4,
  formatIPv6,
  formatAddress,
  toIPv4,
  toIPv6,
  wordsFromBigInt,
  bigIntFromWords,
} from "./net/address.js";
export { type Prefix, type PrefixInput, parsePrefix, formatPrefix, networkWords } from "./net/prefix.js";
export { type MacInput, parseMac, formatMac, formatMacCisco } from "./net/mac.js";
export {
  Fib,
  SpecialAdjacency,
  type FibOptions,
  type FibSummary,
  type FibFamilySummary,
  type Adjacency,
  type AdjacencyKind,
  type AdjacencyOptions,
  type Route,
  type FibLoadSharingSummary,
  MAX_LOAD_SHARE_PATHS,
} from "./fib/fib.js";
export { renderCefSummary } from "./show/cef.js";
export { loadShareBucket, loadShareBucket6, fmix64 } from "./common/mix.js";
export { RouteCache, ROUTE_CACHE_ENTRY_BYTES, type RouteCacheOptions, type RouteCacheBatchResult } from "./route-cache/cache.js";
export type {
  RouteCacheAgerOptions,
  RouteCacheInvalidateDelayOptions,
  RouteCacheInterfaceOptions,
  RouteCacheTimers,
} from "./route-cache/options.js";
export {
  type RouteCacheVerdict,
  type RouteCacheEntry,
  type RouteCacheCounters,
  type RouteCacheStatistics,
  ROUTE_CACHE_VERDICTS,
} from "./route-cache/types.js";
export {
  renderRouteCache,
  renderRouteCacheHeader,
  renderRouteCacheEntry,
  showIpCache,
  formatDuration,
  type RouteCacheView,
  type RouteCacheShowOptions,
} from "./show/route-cache.js";
export { Sampler, type SamplerOptions, type SamplerSavedState } from "./sampling/sampler.js";
export { type SamplerMode, SAMPLER_MODES, MAX_SAMPLING_INTERVAL } from "./sampling/modes.js";
export {
  type SamplingExportInfo,
  type SamplingExportInput,
  type InformationElementValue,
  samplingExportInfo,
} from "./sampling/export-info.js";
export {
  PacketSelector,
  type PacketSelectorOptions,
  type SamplerMapConfig,
  type PolicyMapClass,
  type InterfaceNetflow,
  type Selection,
  type SamplerMapStatus,
  type SamplerStatus,
  type SelectorCounters,
} from "./sampling/packet-selector.js";
export {
  type FilterCriterion,
  type ClassMapConfig,
  type PortMatch,
  TcpFlag,
  PROTOCOL_NUMBERS,
} from "./sampling/filter-criteria.js";
export { type FilterInput, type FilterPacket, filterInputFrom, emptyFilterInput } from "./sampling/filter-input.js";
export {
  type Estimate,
  type EstimateOptions,
  type SampledSums,
  SMALL_COUNT,
  estimatePackets,
  estimateTotal,
  estimateShare,
  estimateRatioTotal,
  estimateTcpConnections,
} from "./analysis/estimators.js";
export {
  type SampledFlow,
  type TopTalkerOptions,
  type TopTalkerEstimate,
  type TopTalkers,
  estimateTopTalkers,
} from "./analysis/sampled-top-talkers.js";
export {
  normalCdf,
  normalQuantile,
  chiSquareQuantile,
  chiSquareUpperTail,
  poissonInterval,
  binomialInterval,
  binomialCdf,
} from "./analysis/distributions.js";
export { renderFlowSampler } from "./show/flow-sampler.js";
export { WasmAbortError, simdSupported } from "./wasm/instance.js";
export { Core, type CoreOptions, type CoreMemory, type ComponentMemory, MAX_CORE_BYTES } from "./wasm/core.js";
export {
  PacketBatch,
  type PacketBatchOptions,
  DEFAULT_BATCH_CAPACITY,
  DEFAULT_FRAME_BYTES,
} from "./packet/batch.js";
export {
  PACKET_COLUMNS,
  COLUMN_NAMES,
  NO_VLAN,
  elementsPerPacket,
  type ColumnName,
  type ColumnKind,
  type ColumnSpec,
  type PacketColumns,
} from "./packet/columns.js";
export type { Packet, PacketInit } from "./packet/packet.js";
export {
  PACKET_STATUSES,
  FIRST_ERROR_STATUS,
  type PacketStatusName,
  statusName,
  statusCode,
  isErrorStatus,
} from "./packet/status.js";
export { LinkType, linkTypeName } from "./packet/link-type.js";
export {
  CaptureReader,
  readPackets,
  readPacketsFromBytes,
  type CaptureReaderOptions,
  type ReadPacketsOptions,
  type ByteSource,
  DEFAULT_READER_CAPACITY,
  DEFAULT_READER_FRAME_BYTES,
} from "./packet/reader.js";
export { type PcapHeader, DEFAULT_MAX_CAPTURED_LENGTH } from "./packet/pcap.js";
export {
  writePcap,
  writePcapng,
  type CaptureRecord,
  type PcapWriteOptions,
  type PcapngInterfaceOptions,
} from "./packet/writer.js";
export { formatPacketLine, formatStatusCounts, formatPacketTime, formatTcpFlags } from "./show/packet.js";
export { ArpTable, type ArpInterfaceInfo, type ArpState } from "./arp/table.js";
export { type ArpOptions, type ArpInterfaceOptions, type ArpParameters, type ArpRetryMode, ARP_DEFAULTS } from "./arp/options.js";
export {
  ArpVerdict,
  ARP_COUNTER_NAMES,
  type ArpResolveResult,
  type ArpDropReason,
  type ArpOutput,
  type ArpRelease,
  type ArpReleaseReason,
  type ArpCounters,
  type ArpCounterName,
  type ArpReceiveResult,
  type ArpOccupancy,
  type ArpInterfaceOccupancy,
  type ArpEntry,
} from "./arp/types.js";
export type { ArpPacket } from "./arp/input.js";
export { renderArp, type ArpShowOptions } from "./show/arp.js";
export {
  FlowCache,
  type FlowCacheOptions,
  type FlowUpdateOptions,
  type FlowSamplingConfig,
  type ResolvedFlowCacheOptions,
} from "./flow/cache.js";
export { CaptureTimeAger, type CaptureTimeAgerOptions } from "./flow/capture-time.js";
export {
  type FlowRecord,
  type ExpiredFlow,
  type FlowMask,
  type FlowDirection,
  type FlowEndReason,
  FLOW_MASKS,
  FLOW_END_REASONS,
  FLOW_RECORD_BYTES,
  EXPORT_RECORD_BYTES,
  decodeFlowRecord,
  decodeExpiredFlow,
  writeExportRecordJson,
  EXPORT_RECORD_JSON_MAX_BYTES,
} from "./flow/record.js";
export {
  type FlowCacheCounters,
  type FlowStatistics,
  type FlowProtocolStatistics,
  PACKET_SIZE_BUCKETS,
  PROTOCOL_CATEGORY_NAMES,
  packetSizeBucket,
  protocolCategory,
} from "./flow/statistics.js";
export {
  FlowExporter,
  MemorySink,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportSink,
  type ExportPacing,
  type ExportFromOptions,
  type TemplateRefresh,
  type FlowExporterOptions,
  type FlowExporterCounters,
} from "./export/exporter.js";
export { buildSamplerOptions, type OptionsSets } from "./export/options.js";
export {
  ExportDecoder,
  type DecodedMessage,
  type DecodedFlow,
  type DecodedRecord,
  type DecodedTemplate,
  type TemplateField,
  type FieldValue,
  type DecoderCounters,
} from "./export/decoder.js";
export {
  renderFlowCacheVerbose,
  renderFlowCacheStatistics,
  renderFlowRecord,
  renderPacketSizeDistribution,
  renderProtocolTable,
  flowJson,
  FLOW_RECORD_HEADER,
  type FlowCacheDisplay,
  type FlowRecordNames,
} from "./show/flow-cache.js";
export {
  type SequenceRuleName,
  type SequenceOrder,
  type SequenceRule,
  type SerialOrder,
  type LsaInstance,
  type LsaCompareOptions,
  type LsaOrder,
  SEQUENCE_RULE_NAMES,
  MIN_SEQUENCE_BITS,
  MAX_SEQUENCE_BITS,
  later789,
  laterStrict,
  later1982,
  compareSerialNumbers,
  laterLollipop,
  laterLinear,
  compareLsaInstances,
  sequenceRule,
  defaultSequenceBits,
  signedSequence,
} from "./flooding/sequence.js";
export {
  type RelationCounts,
  type ThreeCycle,
  MAX_BRUTE_FORCE_BITS,
  countRelation,
  findThreeCycle,
  evenlySpreadCycle,
  longestChain,
} from "./flooding/cycles.js";
export { fletcher16, updateChecksum } from "./flooding/checksum.js";
export { type TopologySpec, type Topology, MAX_FLOODING_NODES, buildTopology } from "./flooding/topology.js";
export {
  type FloodingOptions,
  type FloodInjection,
  type NodeFailure,
  type AlarmOptions,
  type ResolvedFloodingOptions,
  FLOODING_DEFAULTS,
  resolveFloodingOptions,
} from "./flooding/options.js";
export { type FloodingResult, simulateFlooding } from "./flooding/simulator.js";
export {
  type Arpanet1980Options,
  type InjectionPattern,
  ARPANET_1980_VALUES,
  arpanet1980,
  arpanet1980Injections,
} from "./flooding/arpanet-1980.js";
export { type FloodingReportRun, renderCpuChartSvg, renderFloodingReportHtml, floodingSummary } from "./flooding/report.js";
export {
  FlowTopTalkers,
  ConfiguredTopTalkers,
  TOP_TALKERS_MAX,
  type TopTalker,
  type TopTalkersResult,
  type TopTalkersConfig,
  type TopTalkersOptions,
  type ConfiguredTopTalkersResult,
} from "./analysis/top-talkers.js";
export {
  parseTopQuery,
  parseMatchValue,
  TOP_MAX_LIMIT,
  type TopQuery,
  type TopMatch,
  type TopSortKey,
  type TopOrder,
} from "./analysis/top-query.js";
export {
  TOP_FIELDS,
  TOP_FIELD_NAMES,
  FLOW_CAPTURES,
  topField,
  unavailableField,
  type TopFieldName,
  type TopFieldSpec,
  type TopFieldKind,
  type FlowCapture,
  type TopFieldAvailability,
} from "./analysis/top-fields.js";
export {
  IpAccounting,
  IP_ACCOUNTING_MAX_THRESHOLD,
  type IpAccountingOptions,
  type IpAccountingEntry,
  type IpAccountingTable,
} from "./analysis/ip-accounting.js";
export { parseAnalysisConfig, type AnalysisConfig } from "./analysis/config.js";
export {
  renderTopTalkers,
  topTalkersJson,
  renderConfiguredTopTalkers,
  configuredTopTalkersJson,
  type TopTalkersNames,
  type ConfiguredTopTalkersNames,
} from "./show/top-talkers.js";
export { renderIpAccounting, ipAccountingJson } from "./show/ip-accounting.js";
export { renderShowMlsIp, renderShowMlsEntry, renderSetMlsFlow } from "./show/mls.js";
export { splitOutputFilter, applyOutputFilter, type OutputFilter } from "./show/output-filter.js";
export {
  ShowRegistry,
  showCommands,
  registerFlowShowCommands,
  type ShowContext,
  type ShowOutput,
  type ShowCommandDefinition,
  type ResolvedShowCommand,
} from "./show/commands.js";
export { renderFlowBrief, renderFlowCacheBrief, FLOW_BRIEF_HEADER, type FlowRecordLayout } from "./show/flow-cache.js";
export { NatTable, type NatTranslateOptions } from "./nat/table.js";
export {
  type NatOptions,
  type NatInterfaceConfig,
  type NatPoolConfig,
  type NatAccessList,
  type NatAccessListEntry,
  type NatInsideSourceConfig,
  type NatStaticConfig,
  type NatTimeouts,
  NAT_DEFAULT_TIMEOUTS,
} from "./nat/options.js";
export {
  NatVerdict,
  NAT_COUNTER_NAMES,
  NAT_TIMEOUT_CLASSES,
  type NatCounterName,
  type NatCounters,
  type NatTimeoutClass,
  type NatTranslation,
  type NatStatistics,
  type NatPoolStatistics,
  type NatMappingStatistics,
} from "./nat/types.js";
export { renderNatTranslations, renderNatStatistics, renderNatTranslation, type NatShowOptions } from "./show/nat.js";
export { BridgeTable, type BridgeInputOptions, type BridgeDecisions } from "./bridge/table.js";
export {
  type BridgeOptions,
  type BridgeGroupConfig,
  type BridgeInterfaceConfig,
  type BridgeBviConfig,
  BRIDGE_DEFAULT_AGING_MS,
} from "./bridge/options.js";
export { BridgeVerdict, BRIDGE_COUNTER_NAMES, type BridgeCounterName, type BridgeCounters, type BridgeStation } from "./bridge/types.js";
export { renderBridge } from "./show/bridge.js";
export { NatConfigParser, parseNatConfig } from "./nat/config.js";
export { BridgeConfigParser, parseBridgeConfig } from "./bridge/config.js";
export {
  Dataplane,
  type PacketVerdict,
  type ProcessResult,
  type RouteColumns,
  type AccessListCounters,
  type AccessListEntryCounters,
} from "./dataplane/dataplane.js";
export type {
  DataplaneOptions,
  DataplaneInterfaceOptions,
  DataplaneRouteCacheOptions,
  RouteTarget,
  StaticRoute,
  StaticArpEntry,
} from "./dataplane/options.js";
export {
  type Verdict,
  type Reason,
  type DataplaneCounters,
  type InterfaceCounters,
  type SwitchingPath,
  type SwitchingPathCounters,
  SWITCHING_PATHS,
  type OutputFrame,
  type OutputKind,
  VERDICTS,
  REASONS,
  PUNT_REASONS,
} from "./dataplane/verdicts.js";
export {
  type AccessList,
  type AccessListEntry,
  type PortMatch as AccessListPortMatch,
  type WildcardAddress,
  parseAccessListEntry,
  numberedListKind,
} from "./dataplane/acl.js";
export { parseIosConfig, renderRunningConfig, ConfigLineError } from "./dataplane/config/parse.js";
export type {
  RouterConfig,
  InterfaceConfig,
  RouteConfig,
  RouteCacheSetting,
  SamplerMapDefinition,
  ClassMapDefinition,
  PolicyMapDefinition,
  TopTalkersConfig as RouterTopTalkersConfig,
  NatCommand,
  BridgeCommand,
} from "./dataplane/config/types.js";
export { dataplaneOptionsFromConfig, switchingOf } from "./dataplane/config/options.js";
export { renderInterfaces, renderInterfaceStats, renderAccessLists, type InterfaceDescription } from "./show/dataplane.js";
