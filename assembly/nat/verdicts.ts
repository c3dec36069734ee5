// The NAT verdicts under exported names, for the pipeline (values in nat/state.ts).

import {
  VERDICT_NOT_NAT, VERDICT_OUT, VERDICT_IN, VERDICT_SKIPPED, VERDICT_NO_MAPPING, VERDICT_OUTSIDE_MISS,
  VERDICT_DROP_MAX_ENTRIES, VERDICT_DROP_TABLE_FULL, VERDICT_DROP_NO_ADDRESS, VERDICT_DROP_NO_PORT,
  VERDICT_DROP_UNTRANSLATABLE, VERDICT_ICMP,
} from "./state";

/** Neither an inside → outside nor an outside → inside packet: passed untouched. */
export const NAT_VERDICT_NOT_NAT: u8 = VERDICT_NOT_NAT;
/** Inside → outside, source translated. */
export const NAT_VERDICT_OUT: u8 = VERDICT_OUT;
/** Outside → inside, destination translated. */
export const NAT_VERDICT_IN: u8 = VERDICT_IN;
/** Not IPv4, or a parse error: passed untouched. */
export const NAT_VERDICT_SKIPPED: u8 = VERDICT_SKIPPED;
/** Inside packet that no mapping's access list permits: passed untranslated. */
export const NAT_VERDICT_NO_MAPPING: u8 = VERDICT_NO_MAPPING;
/** Outside packet without a translation: passed untranslated. */
export const NAT_VERDICT_OUTSIDE_MISS: u8 = VERDICT_OUTSIDE_MISS;
/** Drop: `ip nat translation max-entries` reached. */
export const NAT_VERDICT_DROP_MAX_ENTRIES: u8 = VERDICT_DROP_MAX_ENTRIES;
/** Drop: the table's entry budget is exhausted. */
export const NAT_VERDICT_DROP_TABLE_FULL: u8 = VERDICT_DROP_TABLE_FULL;
/** Drop: the pool has no free address. */
export const NAT_VERDICT_DROP_NO_ADDRESS: u8 = VERDICT_DROP_NO_ADDRESS;
/** Drop: no free port for PAT. */
export const NAT_VERDICT_DROP_NO_PORT: u8 = VERDICT_DROP_NO_PORT;
/** Drop: PAT cannot translate this packet (no ports: a fragment, another protocol, an ICMP error). */
export const NAT_VERDICT_DROP_UNTRANSLATABLE: u8 = VERDICT_DROP_UNTRANSLATABLE;
/** Flag in a drop verdict: answer with an ICMP host unreachable. */
export const NAT_VERDICT_ICMP: u8 = VERDICT_ICMP;
