/**
 * dataplane: the forwarding data plane of an IP router, with its hot paths in WebAssembly.
 * @packageDocumentation
 */

export {
  DataplaneError, AddressError, PrefixError, MacError, AdjacencyError, CapacityError, ConfigError, CaptureFileError,
} from "./errors.js";
export {
  type Family, type AddressInput, type IPv4Input, type IPv6Input, type Address,
  parseIPv4, parseIPv6, parseAddress, formatIPv4, formatIPv6, formatAddress, toIPv4, toIPv6,
  wordsFromBigInt, bigIntFromWords,
} from "./net/address.js";
export { type Prefix, type PrefixInput, parsePrefix, formatPrefix, networkWords } from "./net/prefix.js";
export { type MacInput, parseMac, formatMac, formatMacCisco } from "./net/mac.js";
export {
  Fib, SpecialAdjacency, type FibOptions, type FibSummary, type FibFamilySummary, type Adjacency,
  type AdjacencyKind, type AdjacencyOptions, type Route,
} from "./fib.js";
export { renderCefSummary } from "./show/cef.js";
export { WasmAbortError, simdSupported } from "./wasm/instance.js";
export {
  PacketBatch, type PacketBatchOptions, DEFAULT_BATCH_CAPACITY, DEFAULT_FRAME_BYTES,
} from "./packet/batch.js";
export {
  PACKET_COLUMNS, COLUMN_NAMES, NO_VLAN, elementsPerPacket, type ColumnName, type ColumnKind, type ColumnSpec, type PacketColumns,
} from "./packet/columns.js";
export { type Packet, type PacketInit } from "./packet/packet.js";
export {
  PACKET_STATUSES, FIRST_ERROR_STATUS, type PacketStatusName, statusName, statusCode, isErrorStatus,
} from "./packet/status.js";
export { LinkType, linkTypeName } from "./packet/link-type.js";
export {
  CaptureReader, readPackets, readPacketsFromBytes, type CaptureReaderOptions, type ByteSource,
  DEFAULT_READER_CAPACITY, DEFAULT_READER_FRAME_BYTES,
} from "./packet/reader.js";
export { type PcapHeader, DEFAULT_MAX_CAPTURED_LENGTH } from "./packet/pcap.js";
export {
  writePcap, writePcapng, type CaptureRecord, type PcapWriteOptions, type PcapngInterfaceOptions,
} from "./packet/writer.js";
export { formatPacketLine, formatStatusCounts, formatPacketTime, formatTcpFlags } from "./show/packet.js";
export {
  FlowCache, type FlowCacheOptions, type FlowUpdateOptions, type FlowSamplingConfig, type ResolvedFlowCacheOptions,
} from "./flow-cache.js";
export {
  type FlowRecord, type ExpiredFlow, type FlowMask, type FlowDirection, type FlowEndReason, FLOW_MASKS, FLOW_END_REASONS,
  FLOW_RECORD_BYTES, EXPORT_RECORD_BYTES, decodeFlowRecord, decodeExpiredFlow,
} from "./flow/record.js";
export {
  type FlowCacheCounters, type FlowStatistics, type FlowProtocolStatistics, PACKET_SIZE_BUCKETS, PROTOCOL_CATEGORY_NAMES,
  packetSizeBucket, protocolCategory,
} from "./flow/statistics.js";
export {
  renderFlowCacheVerbose, renderFlowCacheStatistics, renderFlowRecord, renderPacketSizeDistribution, renderProtocolTable,
  flowJson, FLOW_RECORD_HEADER, type FlowCacheDisplay, type FlowRecordNames,
} from "./show/flow-cache.js";
