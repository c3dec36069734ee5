/**
 * dataplane: the forwarding data plane of an IP router, with its hot paths in WebAssembly.
 * @packageDocumentation
 */

export {
  DataplaneError, AddressError, PrefixError, MacError, AdjacencyError, CapacityError, ConfigError, InterfaceError, TimeError,
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
export { ArpTable, type ArpInterfaceInfo, type ArpState } from "./arp.js";
export { ReferenceArpTable } from "./reference/arp.js";
export { type ArpOptions, type ArpInterfaceOptions, type ArpParameters, type ArpRetryMode, ARP_DEFAULTS } from "./arp/options.js";
export {
  ArpVerdict, ARP_COUNTER_NAMES, type ArpResolveResult, type ArpDropReason, type ArpOutput, type ArpRelease, type ArpReleaseReason,
  type ArpCounters, type ArpCounterName, type ArpReceiveResult, type ArpOccupancy, type ArpInterfaceOccupancy, type ArpEntry,
} from "./arp/types.js";
export { type ArpPacket } from "./arp/input.js";
export { renderArp, type ArpShowOptions } from "./show/arp.js";
