/**
 * The npm longest-prefix-match packages a JavaScript user can pick (research/lpm.md §2), behind
 * one interface. They take text addresses, so lookups are timed on prebuilt strings.
 */

import { createRequire } from "node:module";
import { Reader } from "mmdb-lib";
import { formatIPv4 } from "../../src/net/address.js";
import { buildMmdb4 } from "./mmdb-writer.js";

const require = createRequire(import.meta.url);

export interface LpmPeer {
  name: string;
  /** Whether `delete` is supported (churn benchmark). */
  updatable: boolean;
  lookup(address: string): number;
  insert?(address: string, length: number, value: number): void;
  delete?(address: string, length: number): void;
}

export interface PeerTable {
  addresses: Uint32Array;
  lengths: Uint8Array;
  values: Uint32Array;
}

/** arkime-iptrie: a C++ addon (path-compressed binary trie). Undefined when its addon did not build. */
export function arkimeIptrie(table: PeerTable): LpmPeer | { skipped: string } {
  let IPTrie: new () => { add(a: string, l: number, v: number): void; del(a: string, l: number): boolean; find(a: string): number | null };
  try {
    ({ IPTrie } = require("arkime-iptrie"));
  } catch (error) {
    return { skipped: `arkime-iptrie did not load (${(error as Error).message.split("\n")[0]})` };
  }
  const trie = new IPTrie();
  for (let i = 0; i < table.lengths.length; i++) trie.add(formatIPv4(table.addresses[i]!), table.lengths[i]!, table.values[i]!);
  return {
    name: "arkime-iptrie 0.0.9",
    updatable: true,
    lookup: (a) => trie.find(a) ?? 0,
    insert: (a, l, v) => trie.add(a, l, v),
    delete: (a, l) => void trie.del(a, l),
  };
}

/** longest-prefix-match: hash maps and radix tries over binary strings; lookups take "a.b.c.d/32". */
export function longestPrefixMatch(table: PeerTable): LpmPeer {
  const LongestPrefixMatch = require("longest-prefix-match") as new () => {
    addPrefix(p: string, d: unknown): void;
    getMatch(p: string): unknown[];
  };
  const lpm = new LongestPrefixMatch();
  for (let i = 0; i < table.lengths.length; i++) lpm.addPrefix(`${formatIPv4(table.addresses[i]!)}/${table.lengths[i]}`, table.values[i]!);
  return {
    name: "longest-prefix-match 1.3.1",
    updatable: false,
    lookup: (a) => (lpm.getMatch(`${a}/32`)[0] as number | undefined) ?? 0,
    insert: (a, l, v) => lpm.addPrefix(`${a}/${l}`, v),
  };
}

/** mmdb-lib reading a MaxMind DB written from the table (read-only: updates mean a rebuild). */
export function mmdbLib(table: PeerTable): LpmPeer {
  const reader = new Reader(Buffer.from(buildMmdb4(table.addresses, table.lengths, table.values)));
  return { name: "mmdb-lib 3.0.3", updatable: false, lookup: (a) => (reader.get(a) as unknown as number | null) ?? 0 };
}
