// The FIB's state record (kept apart from fib.ts so that only functions become module exports).

import { Budget } from "../common/budget";
import { PlyTrie } from "./ply-trie";
import { PrefixTable } from "./prefix-table";

// @layout src/fib/layout.ts
/** Slots (f64) of the counters `fibFamilyStats` writes for one family. */
export const FAMILY_ROUTES: u32 = 0;
export const FAMILY_PLIES: u32 = 1;
export const FAMILY_TRIE_BYTES: u32 = 2;
export const FAMILY_TABLE_BYTES: u32 = 3;
export const FAMILY_INSERTS: u32 = 4;
export const FAMILY_INVALIDATIONS: u32 = 5;
export const FAMILY_REVISIONS: u32 = 6;
export const FAMILY_ABORTED: u32 = 7;
export const FAMILY_PEAK_ROUTES: u32 = 8;
export const FAMILY_WIDENINGS: u32 = 9;
export const FAMILY_LEAF_REFS: u32 = 10;
export const FAMILY_NODE_REFS: u32 = 11;
export const FAMILY_STAT_SLOTS: u32 = 12;
/** Slots (f64) of the FIB-wide counters `fibStats` writes. */
export const FIB_STAT_VERSION: u32 = 0;
export const FIB_STAT_RESETS: u32 = 1;
export const FIB_STAT_BUDGET_USED: u32 = 2;
export const FIB_STAT_BUDGET_LIMIT: u32 = 3;
export const FIB_STAT_BUDGET_REFUSALS: u32 = 4;
export const FIB_STAT_BUDGET_PEAK: u32 = 5;
export const FIB_STAT_ADJACENCIES: u32 = 6;
export const FIB_STAT_LOAD_SHARES: u32 = 7;
export const FIB_STAT_LOAD_SHARE_BYTES: u32 = 8;
export const FIB_STAT_LOAD_SHARE_ROUTES: u32 = 9;
export const FIB_STAT_SLOTS: u32 = 10;
// @end-layout

/** Counters per family, in the order `fibStats` writes them. */
@unmanaged export class FamilyStats {
  inserts: u64;
  invalidations: u64;
  revisions: u64;
  aborted: u64;
  peakRoutes: u64;
}
export const STATS_BYTES: i32 = 40;

@unmanaged export class Fib {
  budget: Budget;
  trie4: PlyTrie;
  trie6: PlyTrie;
  routes4: PrefixTable;
  routes6: PrefixTable;
  stats4: FamilyStats;
  stats6: FamilyStats;
  /** Incremented by every change to either table. */
  version: u64;
  resets: u64;
  /** Adjacency table: kind (u8) and route references (u32) per id. */
  adjKinds: usize;
  adjRefs: usize;
  adjCapacity: u32;
  adjCount: u32;
  adjLive: u32;
  /** No id below this (and above the special ones) is free. */
  adjFreeHint: u32;
  /** Per id: the load-sharing element's block (u32 address), 0 for adjacencies. */
  adjData: usize;
  /** Live load-sharing elements, the routes pointing at them, and elements freed so far. */
  loadShareLive: u32;
  loadShareFrees: u32;
  loadShareRefs: u64;
  /** Set when an element may have lost its last route (swept at the end of the update). */
  loadSharePending: u32;
  /** Key of the per-destination path choice. */
  loadShareKey: u64;
  /** Adjacency the last update replaced or deleted (valid when it returned FIB_REPLACED or 1). */
  previous: u32;
  /** Why the route that the last `fibValidateBatch` named is invalid (a negative FIB_ status). */
  invalidReason: i32;
}

