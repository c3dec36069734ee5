/**
 * The raw exports of the WebAssembly core (assembly/index.ts). Pointers and handles are byte
 * offsets into the module's memory. Only the component wrappers use these.
 */

/** Allocation helpers shared by every wrapper. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  hashSipHash13(ptr: number, length: number, k0: bigint, k1: bigint): bigint;
}

/** assembly/fib.ts */
export interface FibExports {
  FIB_NEW: WebAssembly.Global;
  FIB_REPLACED: WebAssembly.Global;
  FIB_UNCHANGED: WebAssembly.Global;
  FIB_NO_MEMORY: WebAssembly.Global;
  FIB_BAD_ADJACENCY: WebAssembly.Global;
  FIB_BAD_LENGTH: WebAssembly.Global;
  FIB_HOST_BITS: WebAssembly.Global;
  ADJ_FREE: WebAssembly.Global;
  ADJ_NULL: WebAssembly.Global;
  ADJ_PUNT: WebAssembly.Global;
  ADJ_DROP: WebAssembly.Global;
  ADJ_GLEAN: WebAssembly.Global;
  ADJ_DISCARD: WebAssembly.Global;
  ADJ_NEIGHBOR: WebAssembly.Global;
  fibCreate(limitBytes: number, seedLow: number, seedHigh: number): number;
  /** Frees the FIB and everything it holds. */
  fibDestroy(fib: number): void;
  fibAdjacencyAdd(fib: number, kind: number): number;
  fibAdjacencyRemove(fib: number, id: number): number;
  fibAdjacencyRefs(fib: number, id: number): number;
  fibAdjacencyCount(fib: number): number;
  fibInvalidReason(fib: number): number;
  fibInsert(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number, value: number): number;
  fibDelete(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number): number;
  fibGet(fib: number, family: number, w0: number, w1: number, w2: number, w3: number, length: number): number;
  fibValidateBatch(fib: number, family: number, addresses: number, lengths: number, values: number, count: number): number;
  fibInsertBatch(fib: number, family: number, addresses: number, lengths: number, values: number, count: number, previous: number): number;
  fibDeleteBatch(fib: number, family: number, addresses: number, lengths: number, count: number, results: number): number;
  fibClear(fib: number): void;
  fibLookup4(fib: number, address: number): number;
  fibLookup4Batch(fib: number, addresses: number, out: number, count: number, sources: number): void;
  fibLookup6(fib: number, address: number): number;
  fibLookup6Batch(fib: number, addresses: number, out: number, count: number): void;
  fibLookupPacketBatch(fib: number, batch: number, from: number, count: number, out: number): void;
  fibRouteNext(fib: number, family: number, cursor: number): number;
  fibRouteCapacity(fib: number, family: number): number;
  fibRouteMeta(): number;
  fibKey(word: number): number;
  fibFamilyStats(fib: number, family: number, out: number, countRefs: boolean): void;
  fibStats(fib: number, out: number): void;
  fibAdjacencyKind(fib: number, id: number): number;
  fibLoadShareCreate(fib: number, paths: number, count: number): number;
  fibLoadSharePaths(fib: number, id: number, out: number): number;
  fibLoadShareFrees(fib: number): number;
  fibLongestWithin4(fib: number, network: number, length: number): number;
  fibRouteValue4(fib: number, address: number): number;
}

/** assembly/sampler.ts: one sampler; handles are record addresses. */
export interface SamplerExports {
  SAMPLER_OK: WebAssembly.Global;
  SAMPLER_BAD_MODE: WebAssembly.Global;
  SAMPLER_BAD_INTERVAL: WebAssembly.Global;
  SAMPLER_BAD_STATE: WebAssembly.Global;
  SAMPLER_SAVED_WORDS: WebAssembly.Global;
  samplerSeedStream(sampler: number, seedLow: number, seedHigh: number, stream: number): void;
  samplerCreate(mode: number, interval: number, seedLow: number, seedHigh: number, stream: number): number;
  /** Frees the sampler. */
  samplerDestroy(sampler: number): void;
  samplerReconfigure(sampler: number, mode: number, interval: number): number;
  samplerReseed(sampler: number, seedLow: number, seedHigh: number, stream: number): void;
  samplerSelect(sampler: number, count: number, out: number, base: number): number;
  samplerSelectFrom(sampler: number, positions: number, count: number, out: number, base: number): number;
  samplerSelectMask(sampler: number, count: number, mask: number): number;
  samplerSeen(sampler: number): number;
  samplerSelected(sampler: number): number;
  samplerClearCounters(sampler: number): void;
  samplerSaveState(sampler: number, out: number): void;
  samplerRestoreState(sampler: number, input: number): number;
  samplerNextRandom(sampler: number): number;
  samplerCoinBaseline(sampler: number, count: number, out: number): number;
}

/** assembly/sampler/selector.ts: input filters and sampler slots per interface. */
export interface SelectorExports {
  PROGRAM_FULL: WebAssembly.Global;
  PROGRAM_CLASSES: WebAssembly.Global;
  SELECTOR_OK: WebAssembly.Global;
  SELECTOR_NO_MEMORY: WebAssembly.Global;
  SELECTOR_BAD_SLOT: WebAssembly.Global;
  SELECTOR_BAD_CONFIGURATION: WebAssembly.Global;
  SELECTOR_BAD_PROGRAM: WebAssembly.Global;
  SELECTOR_SLOT_IN_USE: WebAssembly.Global;
  SELECTOR_BATCH_TOO_LARGE: WebAssembly.Global;
  SELECTOR_STATS_WORDS: WebAssembly.Global;
  selectorCreate(maxSlots: number, maxBatch: number, seedLow: number, seedHigh: number, programBytes: number): number;
  /** Frees the selector and everything it holds. */
  selectorDestroy(selector: number): void;
  selectorConfigureSlot(selector: number, slot: number, mode: number, interval: number, samplerId: number): number;
  selectorReleaseSlot(selector: number, slot: number): number;
  selectorSlotSamplerId(selector: number, slot: number): number;
  selectorSlotSampler(selector: number, slot: number): number;
  selectorSlotCounters(selector: number, slot: number, out: number): void;
  selectorLoad(selector: number, program: number, words: number): number;
  selectorRun(selector: number, columns: number, count: number, outIndices: number, outSlots: number): number;
  selectorRunBatch(selector: number, batch: number, from: number, count: number, outIndices: number, outSlots: number): number;
  selectorStats(selector: number, out: number): void;
  selectorClearCounters(selector: number): void;
}

/** assembly/packet.ts: packet batches, the frame parser and the classic-pcap indexer. */
export interface PacketExports {
  PACKET_STATUS_OK: WebAssembly.Global;
  PACKET_STATUS_FRAGMENT: WebAssembly.Global;
  PACKET_STATUS_ARP: WebAssembly.Global;
  PACKET_STATUS_LLC: WebAssembly.Global;
  PACKET_STATUS_NON_IP: WebAssembly.Global;
  PACKET_STATUS_UNSUPPORTED_LINK_TYPE: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_LINK: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_VLAN: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_ARP: WebAssembly.Global;
  PACKET_STATUS_UNSUPPORTED_ARP: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_IP: WebAssembly.Global;
  PACKET_STATUS_BAD_IP_VERSION: WebAssembly.Global;
  PACKET_STATUS_BAD_IP_HEADER_LENGTH: WebAssembly.Global;
  PACKET_STATUS_BAD_IP_TOTAL_LENGTH: WebAssembly.Global;
  PACKET_STATUS_IP_LENGTH_EXCEEDS_FRAME: WebAssembly.Global;
  PACKET_STATUS_FRAGMENT_OVERFLOW: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_IPV6_EXTENSION: WebAssembly.Global;
  PACKET_STATUS_IPV6_EXTENSION_LIMIT: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_TCP: WebAssembly.Global;
  PACKET_STATUS_BAD_TCP_HEADER_LENGTH: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_UDP: WebAssembly.Global;
  PACKET_STATUS_BAD_UDP_LENGTH: WebAssembly.Global;
  PACKET_STATUS_TRUNCATED_ICMP: WebAssembly.Global;
  PACKET_STATUS_FRAME_OUT_OF_BOUNDS: WebAssembly.Global;
  packetBatchBytes(capacity: number, frameBytes: number): number;
  packetBatchFree(batch: number): void;
  PACKET_COLUMN_COUNT: WebAssembly.Global;
  PACKET_STATUS_SLOTS: WebAssembly.Global;
  PACKET_STATUS_FIRST_ERROR: WebAssembly.Global;
  IPV6_EXTENSION_LIMIT: WebAssembly.Global;
  PCAP_SWAPPED: WebAssembly.Global;
  PCAP_NANOSECONDS: WebAssembly.Global;
  PCAP_ERROR_RECORD_TOO_LARGE: WebAssembly.Global;
  packetBatchIndexError(batch: number): number;
  packetBatchCreate(capacity: number, frameBytes: number): number;
  packetBatchColumn(batch: number, id: number): number;
  packetColumnWidth(id: number): number;
  packetBatchFrames(batch: number): number;
  packetBatchStatusCounts(batch: number): number;
  packetBatchCount(batch: number): number;
  packetBatchSetCount(batch: number, count: number): void;
  packetParse(batch: number, from: number, count: number): number;
  packetIndexPcap(batch: number, start: number, end: number, flags: number, linkType: number, iface: number, maxCaptured: number): number;
  packetIndexPcapAndParse(
    batch: number,
    start: number,
    end: number,
    flags: number,
    linkType: number,
    iface: number,
    maxCaptured: number,
  ): number;
  packetBatchPartition(
    batch: number,
    shards: number,
    k0Low: number,
    k0High: number,
    k1Low: number,
    k1High: number,
    out: number,
    outBytes: number,
    table: number,
    work: number,
  ): number;
  packetBatchUnpack(batch: number, src: number, bytes: number): number;
  PACKET_SHARD_RECORD_HEADER: WebAssembly.Global;
  PACKET_SHARD_TABLE_WORDS: WebAssembly.Global;
  PACKET_SHARD_MAX: WebAssembly.Global;
}

/** assembly/arp.ts */
export interface ArpExports {
  arpCreate(count: number, config: number, seedLow: number, seedHigh: number, limitBytes: number): number;
  /** Frees the table and everything it holds. */
  arpDestroy(table: number): void;
  arpResolve(table: number, ifIndex: number, ip: number, now: number): number;
  arpResultMacHigh(table: number): number;
  arpResultMacLow(table: number): number;
  arpResultHandle(table: number): number;
  arpResolveBatch(
    table: number,
    ifIndex: number,
    ips: number,
    count: number,
    now: number,
    verdicts: number,
    macs: number,
    handles: number,
  ): void;
  arpReceiveArp(
    table: number,
    ifIndex: number,
    op: number,
    senderIp: number,
    senderMacHigh: number,
    senderMacLow: number,
    targetIp: number,
    targetMacHigh: number,
    targetMacLow: number,
    ethSourceHigh: number,
    ethSourceLow: number,
    ethDestinationHigh: number,
    ethDestinationLow: number,
    now: number,
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
  arpScanCount(table: number): number;
  ARP_INTERFACE_RECORD_BYTES: WebAssembly.Global;
  arpEntryScan(table: number, ifIndex: number, kind: number, cursor: number, out: number, max: number): number;
  arpHandleCount(table: number): number;
  arpUsedBytes(table: number): number;
  arpHashAgrees(low: number, high: number, k0Low: number, k0High: number, k1Low: number, k1High: number): number;
}

/** assembly/flow.ts: the NetFlow flow cache. */
export interface FlowExports {
  FLOW_RECORD_BYTES: WebAssembly.Global;
  FLOW_EXPORT_RECORD_BYTES: WebAssembly.Global;
  FLOW_COUNTER_SLOTS: WebAssembly.Global;
  FLOW_SIZE_BUCKETS: WebAssembly.Global;
  FLOW_PROTOCOL_CATEGORIES: WebAssembly.Global;
  FLOW_MAX_CAPACITY: WebAssembly.Global;
  FLOW_MAX_PROBE: WebAssembly.Global;
  flowCacheBytes(capacity: number, queueCapacity: number): number;
  flowCacheFree(cache: number): void;
  flowCacheCreate(
    capacity: number,
    queueCapacity: number,
    activeTimeout: number,
    inactiveTimeout: number,
    mask: number,
    maxPackets: number,
    agerBatch: number,
    seedLow: number,
    seedHigh: number,
    seedLow2: number,
    seedHigh2: number,
  ): number;
  flowCacheTableBytes(cache: number): number;
  flowCacheSlots(cache: number): number;
  flowCacheUpdate(cache: number, batch: number, from: number, count: number, direction: number, selection: number): number;
  flowCacheAge(cache: number, now: number): number;
  flowCacheFlush(cache: number, now: number): number;
  flowCacheLive(cache: number): number;
  flowCacheQueue(cache: number): number;
  flowCacheQueueHead(cache: number): number;
  flowCacheQueueCount(cache: number): number;
  flowCacheQueuePop(cache: number, count: number): void;
  FLOW_JSON_LINE_MAX: WebAssembly.Global;
  flowJsonLines(ring: number, ringRecords: number, head: number, count: number, out: number, outBytes: number, bytesOut: number): number;
  flowCacheCounters(cache: number): number;
  flowCacheSizes(cache: number): number;
  flowCacheProtocols(cache: number): number;
  flowCacheClearStatistics(cache: number): void;
  flowCacheOldest(cache: number): number;
  flowCacheNext(cache: number, id: number): number;
  flowCacheEntry(cache: number, id: number): number;
  flowCachePacketHash(cache: number, batch: number, i: number, direction: number): number;
  flowCacheTalkersBytes(capacity: number): number;
  flowCacheTalkersKeep(cache: number): number;
  flowCacheTalkersDrop(cache: number): number;
  flowCacheTalkerSources(cache: number, which: number): number;
  flowHashSelfCheck(seedLow: number, seedHigh: number, count: number): number;
}

/** assembly/route-cache.ts: the fast-switching route cache; handles are record addresses. */
export interface RouteCacheExports {
  routeCacheCreate(
    fib: number,
    limitBytes: number,
    maxEntries: number,
    maxNeighbors: number,
    maxAdjacencies: number,
    seedLow: number,
    seedHigh: number,
  ): number;
  routeCacheDestroy(cache: number): void;
  routeCacheMaxEntries(cache: number): number;
  routeCacheSetAger(cache: number, intervalMs: number, lowDivisor: number, normalDivisor: number, lowMemoryBytes: number): void;
  routeCacheSetInvalidateDelay(cache: number, minimumMs: number, maximumMs: number, quietSeconds: number, threshold: number): void;
  routeCacheSetInterface(cache: number, ifIndex: number, encapsulation: number, mac: number): void;
  routeCacheSetAdjacency(cache: number, id: number, flags: number, ifIndex: number, nextHop: number, mac: number): void;
  routeCacheAdvance(cache: number, now: number): void;
  routeCacheSwitchBatch(cache: number, dst: number, count: number, now: number, verdicts: number, adjacencies: number): number;
  routeCacheLookupBatch(cache: number, dst: number, count: number, now: number, adjacencies: number, entries: number): number;
  routeCacheFill(cache: number, address: number, now: number): number;
  routeCacheLastEntry(cache: number): number;
  routeCacheEntryHeader(cache: number, entry: number): number;
  routeCacheEntryHeaderBytes(cache: number, entry: number): number;
  routeCacheEntryInterface(cache: number, entry: number): number;
  routeCacheRequestInvalidation(cache: number, now: number): void;
  routeCacheClear(cache: number, network: number, length: number, now: number): number;
  routeCacheSetNeighbor(cache: number, address: number, mac: number, now: number): number;
  routeCacheRemoveNeighbor(cache: number, address: number, now: number): number;
  routeCacheLastInvalidated(cache: number): number;
  routeCacheStats(cache: number, out: number): void;
  routeCacheNextEntry(cache: number, entry: number): number;
  routeCacheEntry(cache: number, entry: number, out: number): void;
}

/** assembly/export.ts: NetFlow v5 / v9 / IPFIX encoders. */
export interface ExportExports {
  EXPORT_TEMPLATE_SET_BYTES: WebAssembly.Global;
  EXPORT_COMPACT_TEMPLATE_SET_BYTES: WebAssembly.Global;
  EXPORT_COUNTER_SLOTS: WebAssembly.Global;
  exportLargestRecordBytes(format: number): number;
  exportHeaderBytes(format: number): number;
  exportEncoderBytes(slots: number, maxBytes: number, optionsCapacity: number, samplerTable: boolean): number;
  exportEncoderCreate(
    format: number,
    slots: number,
    maxBytes: number,
    optionsCapacity: number,
    samplerTable: boolean,
    domain: number,
    engine: number,
    v5Sampling: number,
    defaultSamplerId: number,
    refreshMs: number,
    refreshDatagrams: number,
    systemInit: number,
  ): number;
  exportEncoderFree(encoder: number): void;
  exportEncode(
    encoder: number,
    ring: number,
    ringRecords: number,
    head: number,
    count: number,
    now: number,
    maxDatagrams: number,
    maxRecords: number,
  ): number;
  exportWritten(encoder: number): number;
  exportOut(encoder: number): number;
  exportSlotBytes(encoder: number): number;
  exportLengths(encoder: number): number;
  exportCounters(encoder: number): number;
  exportSamplerTable(encoder: number): number;
  exportOptions(encoder: number): number;
  exportSetOptions(encoder: number, bytes: number, templateRecords: number, dataRecords: number, inSequence: boolean): number;
  exportSetCompact(encoder: number, on: boolean): void;
  exportForceTemplates(encoder: number): void;
  exportSequence(encoder: number): number;
  exportSetSystemInit(encoder: number, systemInit: number): void;
}

/** assembly/analysis.ts: top talkers over a flow cache, IP accounting. */
export interface AnalysisExports {
  TOP_QUERY_BYTES: WebAssembly.Global;
  TOP_GROUP_BYTES: WebAssembly.Global;
  TOP_RESULT_BYTES: WebAssembly.Global;
  TOP_MAX_LIMIT: WebAssembly.Global;
  ACCOUNTING_ENTRY_BYTES: WebAssembly.Global;
  topTalkersBytes(maxGroups: number): number;
  topTalkersCreate(maxGroups: number, seedLow: number, seedHigh: number): number;
  topTalkersFree(top: number): void;
  topTalkersQuery(top: number): number;
  topTalkersRun(top: number, cache: number): number;
  topTalkersResults(top: number): number;
  topTalkersCount(top: number, which: number): number;
  ipAccountingBytes(threshold: number): number;
  ipAccountingCreate(threshold: number, seedLow: number, seedHigh: number, seedLow2: number, seedHigh2: number): number;
  ipAccountingFree(table: number): void;
  ipAccountingUpdate(table: number, batch: number, from: number, count: number, selection: number): number;
  ipAccountingColumns(
    table: number,
    version: number,
    src: number,
    dst: number,
    length: number,
    selection: number,
    from: number,
    count: number,
  ): number;
  ipAccountingClear(table: number): void;
  ipAccountingEntries(table: number, checkpoint: boolean): number;
  ipAccountingCount(table: number, which: number): number;
  ipAccountingCounter(table: number, which: number): number;
}

/** assembly/nat.ts: the NAT/PAT translation table. */
export interface NatExports {
  NAT_VERDICT_NOT_NAT: WebAssembly.Global;
  NAT_VERDICT_OUT: WebAssembly.Global;
  NAT_VERDICT_IN: WebAssembly.Global;
  NAT_VERDICT_SKIPPED: WebAssembly.Global;
  NAT_VERDICT_NO_MAPPING: WebAssembly.Global;
  NAT_VERDICT_OUTSIDE_MISS: WebAssembly.Global;
  NAT_VERDICT_DROP_MAX_ENTRIES: WebAssembly.Global;
  NAT_VERDICT_DROP_TABLE_FULL: WebAssembly.Global;
  NAT_VERDICT_DROP_NO_ADDRESS: WebAssembly.Global;
  NAT_VERDICT_DROP_NO_PORT: WebAssembly.Global;
  NAT_VERDICT_DROP_UNTRANSLATABLE: WebAssembly.Global;
  NAT_VERDICT_ICMP: WebAssembly.Global;
  natBytes(capacity: number, poolAddresses: number): number;
  natCreate(
    capacity: number,
    maxEntries: number,
    agerWork: number,
    poolAddresses: number,
    seedLow: number,
    seedHigh: number,
    limitBytes: number,
  ): number;
  natFree(table: number): void;
  natSetRole(table: number, iface: number, role: number): boolean;
  natSetTimeout(table: number, timeoutClass: number, ms: number): void;
  natAddPool(table: number, start: number, size: number): number;
  natAddAcl(table: number, address: number, mask: number, permit: number): number;
  natAddMapping(table: number, pool: number, overload: number, aclStart: number, aclCount: number): number;
  natAddStatic(table: number, local: number, global: number, now: number): number;
  natTranslateBatch(table: number, batch: number, from: number, count: number, now: number, egress: number, verdicts: number): number;
  natTranslateRow(table: number, batch: number, i: number, now: number, egressInterface: number): number;
  natAge(table: number, now: number): number;
  natClear(table: number): number;
  natCounters(table: number): number;
  natOccupancy(table: number, out: number): void;
  natEntryNext(table: number, cursor: number): number;
  natEntry(table: number, entry: number): number;
  natPool(table: number, id: number): number;
  natMapping(table: number, id: number): number;
}

/** assembly/bridge.ts: the transparent-bridging (IRB) table. */
export interface BridgeExports {
  BRIDGE_VERDICT_NOT_BRIDGED: WebAssembly.Global;
  BRIDGE_VERDICT_FORWARD: WebAssembly.Global;
  BRIDGE_VERDICT_FILTER: WebAssembly.Global;
  BRIDGE_VERDICT_FLOOD_UNKNOWN: WebAssembly.Global;
  BRIDGE_VERDICT_FLOOD_BROADCAST: WebAssembly.Global;
  BRIDGE_VERDICT_FLOOD_MULTICAST: WebAssembly.Global;
  BRIDGE_VERDICT_ROUTE: WebAssembly.Global;
  BRIDGE_VERDICT_SKIPPED: WebAssembly.Global;
  BRIDGE_VERDICT_FLOOD_ROUTED: WebAssembly.Global;
  bridgeBytes(capacity: number): number;
  bridgeCreate(capacity: number, agerWork: number, seedLow: number, seedHigh: number, limitBytes: number): number;
  bridgeFree(table: number): void;
  bridgeSetGroup(table: number, group: number, agingMs: number, bviMacHigh: number, bviMacLow: number, hasBvi: number): void;
  bridgeSetPort(table: number, iface: number, group: number): boolean;
  bridgeInputBatch(table: number, batch: number, from: number, count: number, now: number, verdicts: number, ports: number): number;
  bridgeInputRow(table: number, batch: number, i: number, now: number): number;
  bridgeRouteBatch(table: number, group: number, macs: number, count: number, now: number, verdicts: number, ports: number): number;
  bridgeRouteOne(table: number, group: number, macHigh: number, macLow: number, now: number): number;
  bridgeRouteRow(table: number, batch: number, i: number, group: number, now: number): number;
  bridgeResultPort(table: number): number;
  bridgeAge(table: number, now: number): number;
  bridgeClear(table: number, group: number): number;
  bridgeCounters(table: number, group: number): number;
  bridgeOccupancy(table: number, out: number): void;
  bridgeEntryNext(table: number, cursor: number): number;
  bridgeEntry(table: number, entry: number): number;
}

/** assembly/pipeline.ts */
export interface PipelineExports {
  PIPELINE_COUNTERS: WebAssembly.Global;
  PIPELINE_INTERFACE_COUNTERS: WebAssembly.Global;
  pipelineCreate(
    interfaceCount: number,
    maxBatch: number,
    adjCapacity: number,
    outBytes: number,
    icmpRate: number,
    icmpBurst: number,
    tickInterval: number,
  ): number;
  pipelineBytes(
    interfaceCount: number,
    maxBatch: number,
    adjCapacity: number,
    outBytes: number,
    holdSlots: number,
    holdSlotBytes: number,
  ): number;
  pipelineSetComponents(pipeline: number, fib: number, arp: number, flow: number, selector: number, holdSlotBytes: number): void;
  pipelineSetStage(pipeline: number, stage: number, handle: number): void;
  pipelineSetInterface(
    pipeline: number,
    i: number,
    macHigh: number,
    macLow: number,
    address: number,
    flags: number,
    aclIn: number,
    aclOut: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ): void;
  pipelineSetBridging(pipeline: number, i: number, bviGroup: number, bvi: number): void;
  pipelineSetAdjacency(
    pipeline: number,
    id: number,
    iface: number,
    nextHop: number,
    macHigh: number,
    macLow: number,
    fixed: boolean,
  ): boolean;
  pipelineLoadAcls(pipeline: number, directory: number, aclCount: number, aces: number, aceCount: number): void;
  pipelineProcess(pipeline: number, batch: number, now: number, useNow: boolean, parse: boolean): number;
  pipelineTick(pipeline: number, now: number): void;
  pipelineDrainArp(pipeline: number, now: number): void;
  pipelineVerdicts(pipeline: number): number;
  pipelineReasons(pipeline: number): number;
  pipelineEgress(pipeline: number): number;
  pipelineNextHopMacs(pipeline: number): number;
  pipelineHandles(pipeline: number): number;
  pipelineCounters(pipeline: number): number;
  pipelineInterfaceCounters(pipeline: number): number;
  pipelineAceMatches(pipeline: number): number;
  pipelineAclImplicitDenies(pipeline: number): number;
  pipelineOutput(pipeline: number): number;
  pipelineOutputUsed(pipeline: number): number;
  pipelineOutputRecords(pipeline: number): number;
  pipelineOutputClear(pipeline: number): void;
  pipelineFree(pipeline: number): void;
}

/** Everything the module exports. */
export type WasmExports = CoreExports &
  FibExports &
  SamplerExports &
  SelectorExports &
  PacketExports &
  ArpExports &
  FlowExports &
  AnalysisExports &
  RouteCacheExports &
  NatExports &
  BridgeExports &
  PipelineExports &
  ExportExports;
