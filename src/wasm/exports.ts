/**
 * The raw exports of the WebAssembly core (assembly/index.ts). Pointers and handles are byte
 * offsets into the module's memory. Only the component wrappers use these.
 */

/** Allocation helpers shared by every wrapper. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

/** assembly/fib.ts */
export interface FibExports {
  fibCreate(limitBytes: number, seedLow: number, seedHigh: number): number;
  fibAdjacencyAdd(fib: number, kind: number): number;
  fibAdjacencyRemove(fib: number, id: number): number;
  fibAdjacencyRefs(fib: number, id: number): number;
  fibAdjacencyCount(fib: number): number;
  fibPrevious: WebAssembly.Global;
  fibInvalidReason: WebAssembly.Global;
  fibInsert(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number, value: number): number;
  fibDelete(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number): number;
  fibGet(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number): number;
  fibValidateBatch(fib: number, family: number, addresses: number, lengths: number, values: number, count: number): number;
  fibInsertBatch(fib: number, family: number, addresses: number, lengths: number, values: number, count: number, previous: number): number;
  fibDeleteBatch(fib: number, family: number, addresses: number, lengths: number, count: number, results: number): number;
  fibClear(fib: number): void;
  fibLookup4(fib: number, address: number): number;
  fibLookup4Batch(fib: number, addresses: number, out: number, count: number): void;
  fibLookup6(fib: number, address: number): number;
  fibLookup6Batch(fib: number, addresses: number, out: number, count: number): void;
  fibRouteNext(fib: number, family: number, cursor: number): number;
  fibRouteCapacity(fib: number, family: number): number;
  fibRouteMeta(): number;
  fibKey(word: number): number;
  fibFamilyStats(fib: number, family: number, out: number, countRefs: boolean): void;
  fibStats(fib: number, out: number): void;
}

/** assembly/arp.ts */
export interface ArpExports {
  arpCreate(count: number, config: number, seedLow: number, seedHigh: number, limitBytes: number): number;
  arpResolve(table: number, ifIndex: number, ip: number, now: number): number;
  arpResultMacHigh(): number;
  arpResultMacLow(): number;
  arpResultHandle(): number;
  arpResolveBatch(table: number, ifIndex: number, ips: number, count: number, now: number, verdicts: number, macs: number, handles: number): void;
  arpReceiveArp(
    table: number, ifIndex: number, op: number, senderIp: number, senderMacHigh: number, senderMacLow: number,
    targetIp: number, targetMacHigh: number, targetMacLow: number, ethSourceHigh: number, ethSourceLow: number,
    ethDestinationHigh: number, ethDestinationLow: number, now: number,
  ): number;
  arpReceiveIp(table: number, ifIndex: number, srcIp: number, now: number): number;
  arpReceiveIpBatch(table: number, ifIndex: number, srcs: number, count: number, now: number): void;
  arpTick(table: number, now: number): void;
  arpOutputTake(table: number, ifIndex: number, which: number, out: number, max: number): number;
  arpReleasedTake(table: number, ifIndex: number, out: number, max: number): number;
  arpClear(table: number, ifIndex: number, ip: number, now: number): number;
  arpStaticAdd(table: number, ifIndex: number, ip: number, macHigh: number, macLow: number, now: number): number;
  arpStaticRemove(table: number, ifIndex: number, ip: number): number;
  arpCounters(table: number, ifIndex: number, out: number): void;
  arpTableCounters(table: number, out: number): void;
  ARP_OCCUPANCY_WORDS: WebAssembly.Global;
  arpOccupancy(table: number, ifIndex: number, out: number): void;
  arpKindOf(table: number, ifIndex: number, ip: number): number;
  ARP_ENTRY_WORDS: WebAssembly.Global;
  arpScanCount: WebAssembly.Global;
  arpEntryScan(table: number, ifIndex: number, kind: number, cursor: number, out: number, max: number): number;
  arpHandleCount(table: number): number;
  arpHashAgrees(low: number, high: number, k0Low: number, k0High: number, k1Low: number, k1High: number): number;
}

/** Everything the module exports. */
export type WasmExports = CoreExports & FibExports & ArpExports;
