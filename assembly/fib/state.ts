// The FIB's state record (kept apart from fib.ts so that only functions become module exports).

import { Budget } from "../common/budget";
import { PlyTrie } from "./ply-trie";
import { PrefixTable } from "./prefix-table";

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

