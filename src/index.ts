/**
 * dataplane: the forwarding data plane of an IP router, with its hot paths in WebAssembly.
 * @packageDocumentation
 */

export {
  DataplaneError, AddressError, PrefixError, MacError, AdjacencyError, CapacityError, ConfigError,
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
