/**
 * `dataplane/node`: helpers that need Node's file system (the core package runs anywhere).
 * @packageDocumentation
 */

export { readPacketFile, readPacketFileSync, type PacketFileOptions } from "./capture-file.js";
export {
  ShardedDataplane,
  type ShardedDataplaneOptions,
  type ShardedResult,
} from "./sharded-dataplane.js";
export { installTableRoutes } from "./dataplane-table.js";
export { UdpTransport, parseCollector, type Collector, type UdpTransportOptions } from "./udp-transport.js";
export { PcapTransport, type PcapTransportOptions } from "./pcap-transport.js";
