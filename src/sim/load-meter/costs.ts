/**
 * What each operation of the simulated router costs on its route processor, a 200 MHz MIPS
 * R5000 (the BGP paper's routers, seed 004:L24), in µs of CPU time; and what its entries cost
 * in processor memory, bytes. One number per line, each with where it comes from:
 *
 * - **[bench]** this library's own figure from BENCHMARKS.md (Intel Xeon, Sapphire Rapids
 *   class, 2 shared vCPUs, Node 20), times {@link HOST_TO_R5000}.
 * - **[seed]** a figure or statement in the seeds (line references as in the spec).
 * - **(inferred)** a modelling choice, with its reason.
 *
 * HOST_TO_R5000 = 50: the R5000 runs at 200 MHz against the Xeon's ~3 GHz (×15) and issues at
 * most one integer instruction per cycle in order, against ~3–4 for the Xeon on these loops
 * (×3.5) **(inferred)**. With it the CEF path below (parse + FIB + adjacency, 1.8 µs) leaves
 * room for the driver and buffer work the library does not do, under the ~5 µs per packet of
 * the R5000-based 7200 NPE-200's rated ~200 kpps (vendor rating, not in the seeds; a sanity
 * check only).
 */

/** Xeon nanoseconds (this library's benchmarks) → R5000 nanoseconds. */
export const HOST_TO_R5000 = 50;

const fromBench = (hostNanoseconds: number) => (hostNanoseconds * HOST_TO_R5000) / 1000;

/** Per-operation CPU costs, µs. */
export const COSTS = {
  /** Parsing a packet's headers. [bench] packets: "parse only" 16.3 ns/packet. */
  parseMicroseconds: fromBench(16.3),
  /** One longest-prefix match. [bench] FIB: `lookupBatch` on the real table, random, 136.3 M/s = 7.3 ns. */
  fibLookupMicroseconds: fromBench(7.3),
  /** Reading the adjacency / ARP entry for the rewrite. [bench] ARP: PRESENT hit p50 12.0 ns. */
  adjacencyMicroseconds: fromBench(12.0),
  /** A CEF-switched packet at interrupt level: parse + FIB lookup + adjacency (sum of the three above). */
  cefSwitchMicroseconds: fromBench(16.3 + 7.3 + 12.0),
  /**
   * A fast-switched packet that hits the route cache, at interrupt level: the same work as CEF
   * (a cache lookup in place of the FIB's) **(inferred)**; fast switching pays on misses and in
   * the ager, not per hit.
   */
  fastSwitchMicroseconds: fromBench(16.3 + 7.3 + 12.0),
  /**
   * A process-switched packet in IP Input: queued from interrupt level, scheduled, looked up in
   * the routing table, and (fast switching) a cache entry built. [seed] "Initial packets are
   * process-switched, which causes a short spike in CPU consumption in IP Input" (000:L244) and
   * 100 % CPU in IP Input under NAT (000:L357); ten times a fast-switched packet **(inferred)**:
   * the seeds say "far more" without a figure.
   */
  processSwitchMicroseconds: 10 * fromBench(16.3 + 7.3 + 12.0),
  /**
   * NetFlow accounting of a packet of a cached flow, at interrupt level. [bench] flows: 100,000
   * Zipf flows, 57.3 ns/packet.
   */
  netflowPacketMicroseconds: fromBench(57.3),
  /** NetFlow accounting that creates a flow (every probe of a scan). [bench] flows: 1,000,000 uniform, 164 ns/packet (mostly misses). */
  netflowNewFlowMicroseconds: fromBench(164),
  /** A sampler decision. [bench] sampler: one xoshiro draw per packet in WASM, ≥ 386 M/s = 2.6 ns. */
  samplerDecisionMicroseconds: fromBench(2.6),
  /** An ACL / input-filter check. [bench] packet selector: 3-class policy, 5 criteria, 32.3 M/s = 31 ns. */
  aclCheckMicroseconds: fromBench(31),
  /**
   * An ARP request built and sent by ARP Input, and its INCOMPLETE entry: a packet generated at
   * process level, the cost of a process-switched packet **(inferred)**.
   */
  arpRequestMicroseconds: 10 * fromBench(16.3 + 7.3 + 12.0),
  /** An ARP reply received by ARP Input (entry completed, adjacency built): like a request **(inferred)**. */
  arpReplyMicroseconds: 10 * fromBench(16.3 + 7.3 + 12.0),
  /** A packet refused by a negative (NEXIST) ARP entry, at interrupt level. [bench] ARP: NEXIST hit p50 11.0 ns. */
  arpNegativeHitMicroseconds: fromBench(11.0),
  /** The route-cache ager examining one entry. [bench] FIB: one lookup-sized probe, 7.3 ns **(inferred: an ager step ≈ a lookup)**. */
  cacheAgerEntryMicroseconds: fromBench(7.3),
  /**
   * BGP I/O receiving and queueing one update message. [seed] BGP I/O's uSecs per invocation,
   * 1,020 µs (004:L29), taken as one message per invocation **(inferred)**.
   */
  bgpIoUpdateMicroseconds: 1020,
  /**
   * BGP Router processing one update (RIB-in, filters, best path, FIB, RIB-out; 004:L17).
   * [seed] BGP Router's uSecs per invocation, 260 µs (004:L29), one update per run **(inferred)**.
   * Check: Slammer's ≈ 20,000 updates per 5 min then cost 8.5 % of the CPU in BGP I/O and
   * Router together, within the "< 20 %" rise the paper measured (004:L266).
   */
  bgpRouterUpdateMicroseconds: 260,
  /**
   * BGP Scanner's walk, per route in the BGP table, once a minute. [seed] 004:L29: the Load
   * Meter ran 1,242,536 times, once per 5 s, so the router had been up 71.9 days = 103,545 min;
   * BGP Scanner used 720,698,256 ms of it = 6.96 s per minute (its 5-min column, 11.12 %, agrees);
   * over a table of ~109,000 routes (the CEF summary's 109,212, 000:L279) that is 63.7 µs per
   * route per scan. (Its uSecs, 152,943, is per invocation: the walk yields ~45 times a minute.)
   */
  bgpScannerRouteMicroseconds: (720_698_256 * 1000) / ((1_242_536 * 5) / 60) / 109_212,
  /** The Load Meter's run every 5 s. [seed] uSecs 3 (004:L29: 3,756 ms over 1,242,536 runs). */
  loadMeterRunMicroseconds: 3,
  /**
   * The console's transmit interrupt per character when it drains normally: an interrupt entry
   * and exit and one UART register write, ~1,000 R5000 cycles = 5 µs **(inferred)**. A flush
   * costs the whole line time instead (console.ts).
   */
  consoleCharacterInterruptMicroseconds: 5,
} as const;

/** Processor memory per entry, bytes. */
export const ENTRY_BYTES = {
  /** A CEF FIB route. [seed] 22,299,136 bytes for 109,212 routes in `show ip cef summary` (000:L279) = 204.2. */
  cefRoute: Math.round(22_299_136 / 109_212),
  /** A CEF adjacency. [seed] each special adjacency is a 280-byte block (000:L342–346). */
  cefAdjacency: 280,
  /** An ARP entry (with its adjacency ARP creates one under CEF, 000:L267): an adjacency-sized block **(inferred)**. */
  arpEntry: 280,
  /**
   * A fast-switching route-cache entry. [seed] `show ip cache`: "IP routing cache 2 entries, 332
   * bytes" (000:L222) = 166 bytes per entry. (The library's RouteCache display counts its own
   * 64-byte entries; the simulated router's processor memory is charged the seed's 166.)
   */
  routeCacheEntry: 332 / 2,
  /** A NetFlow cache entry: 64 bytes (Cisco's NetFlow documentation; not in the seeds). */
  netflowEntry: 64,
  /** A NAT translation: ~ an adjacency **(inferred)**; the seed gives only the meltdown point (20,000–40,000, 000:L363). */
  natTranslation: 280,
} as const;
