/**
 * What the BGP paper's router (seed 004: a 200 MHz MIPS R5000 route processor) spends on BGP
 * churn, in µs of its CPU, and the load of everything else it does; each figure with where it
 * comes from, as in the load meter's cost table (src/sim/load-meter/costs.ts), which holds the
 * per-update BGP I/O and BGP Router costs and the BGP Scanner's per-route walk cost.
 *
 * - **[bench]** this library's figure from BENCHMARKS.md times HOST_TO_R5000 (= 50).
 * - **[seed]** a figure of the seeds (line references as in the spec).
 * - **(inferred)** a modelling choice, with its reason.
 */

import { COSTS, HOST_TO_R5000 } from "../load-meter/costs.js";

/** BGP costs and the background load, µs or % of the CPU. */
export const BGP_COSTS = {
  /** BGP I/O: one update message received and queued. [seed] via COSTS (1,020 µs, 004:L29). */
  ioMessageMicroseconds: COSTS.bgpIoUpdateMicroseconds,
  /** BGP Router: one update through RIB-in, filters, best path, RIB-out. [seed] via COSTS (260 µs, 004:L29). */
  routerUpdateMicroseconds: COSTS.bgpRouterUpdateMicroseconds,
  /**
   * CEF: one forwarding-table change (a route added, re-pointed or removed). [bench] FIB
   * "churn: deleteBatch + insertBatch of 1,024 random routes of the full table", 3.97 M
   * updates/s = 252 ns, × 50.
   */
  cefUpdateMicroseconds: (252 * HOST_TO_R5000) / 1000,
  /** BGP Scanner: one route of the BGP table walked (once a minute). [seed] via COSTS (63.7 µs, 004:L29). */
  scannerRouteMicroseconds: COSTS.bgpScannerRouteMicroseconds,
  /** BGP Scanner's µs per invocation (the walk yields): [seed] uSecs 152,943 (004:L29). */
  scannerSliceMicroseconds: 152_943,
  /** Seconds from the start of one walk to the next: [seed] "once a minute" (004:L26), as the per-route cost above assumes. */
  scannerIntervalSeconds: 60,
  /**
   * Everything else at process level (IP Input: traffic punted to the route processor, SNMP,
   * management), mean % of the CPU **(inferred)**: with the Scanner's 11.6 % on the paper-era
   * table, BGP I/O and Router's ~0.4 % and the interrupt 2 %, the 1-minute average comes to
   * ≈ 22 % (the paper: "typically ≈ 25 %", 004:L134) and BGP's share of the processes' runtime
   * to ≈ 60 % (the paper: "> 60 %" for most routers, 004:L49) — the two cannot both be met
   * exactly with the seed's Scanner cost; this splits the difference.
   */
  otherPercent: 8,
  /** Daily swing of that load (± %, peak 15:00 UTC) **(inferred)**: traffic follows the day. */
  otherDiurnalPercent: 1,
  /**
   * Standard deviation of that load's random part, % (an AR(1) process with a 10-minute time
   * constant) **(inferred)**: chosen so that the CCF of the paper's Slammer period comes out at
   * its 0.5 (004:L266) — the paper gives no figure for the CPU's noise.
   */
  otherNoisePercent: 2,
  /** Time constant of that noise, s **(inferred)**. */
  otherNoiseSeconds: 600,
  /** Work at interrupt level, % ([seed] the sample's "99%/2%", 004:L29; switching is on the line cards, 004:L24). */
  interruptPercent: 2,
} as const;
