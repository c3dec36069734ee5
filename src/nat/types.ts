/**
 * The NAT table's vocabulary, shared by {@link NatTable}, its reference and the displays:
 * verdicts, counters, timeout classes and the translation record.
 */

/** One byte per packet from `NatTable.translate` (values of assembly/nat/state.ts). */
export const NatVerdict = {
  /** Neither inside → outside nor outside → inside: passed untouched. */
  notNat: 0,
  /** Inside → outside: source translated. */
  translatedOut: 1,
  /** Outside → inside: destination translated. */
  translatedIn: 2,
  /** Not IPv4, or a parse error: passed untouched. */
  skipped: 3,
  /** An inside packet no mapping's access list permits: passed untranslated. */
  noMapping: 4,
  /** An outside packet with no translation: passed untranslated. */
  outsideMiss: 5,
  /** Dropped: `ip nat translation max-entries` reached. */
  droppedMaxEntries: 16,
  /** Dropped: the table's entries (its memory budget) are all in use. */
  droppedTableFull: 17,
  /** Dropped: the pool has no free address. */
  droppedNoAddress: 18,
  /** Dropped: PAT found no free port. */
  droppedNoPort: 19,
  /** Dropped: PAT cannot translate a packet without ports (a fragment, GRE, an ICMP error). */
  droppedUntranslatable: 20,
  /** Or'ed into a drop verdict: the pipeline should answer with an ICMP host unreachable. */
  icmpFlag: 0x80,
} as const;

/** Which `ip nat translation ...-timeout` governs an entry (in the core's class order). */
export const NAT_TIMEOUT_CLASSES = ["timeout", "udp", "dns", "tcp", "finrst", "icmp", "syn"] as const;
/** A timeout class. */
export type NatTimeoutClass = (typeof NAT_TIMEOUT_CLASSES)[number];

/** The counters, in the core's slot order. */
export const NAT_COUNTER_NAMES = [
  "packets",
  "translatedOut",
  "translatedIn",
  "hits",
  "misses",
  "created",
  "expired",
  "expiredTimeout",
  "expiredUdp",
  "expiredDns",
  "expiredTcp",
  "expiredFinrst",
  "expiredIcmp",
  "expiredSyn",
  "cleared",
  "notNat",
  "skipped",
  "noMapping",
  "outsideMiss",
  "droppedMaxEntries",
  "droppedTableFull",
  "droppedNoAddress",
  "droppedNoPort",
  "droppedUntranslatable",
  "agerCalls",
  "agerRemoved",
  "peakEntries",
  "clockBackwards",
  "columnsOnly",
  "portProbes",
  "reclaimed",
] as const;

/** A counter's name. */
export type NatCounterName = (typeof NAT_COUNTER_NAMES)[number];

/**
 * Every counter. Conservation: `packets` = `translatedOut + translatedIn + notNat + skipped +
 * noMapping + outsideMiss + droppedMaxEntries + droppedTableFull + droppedNoAddress +
 * droppedNoPort + droppedUntranslatable`; `hits + created` = translated packets.
 */
export type NatCounters = Record<NatCounterName, number>;

/** One translation, as `show ip nat translations` lists it. */
export interface NatTranslation {
  /** "tcp", "udp", "icmp" for extended (PAT) entries; null for simple ones (`---`). */
  protocol: "tcp" | "udp" | "icmp" | null;
  insideGlobal: string;
  /** Port (ICMP: query id) for extended entries, else null. */
  insideGlobalPort: number | null;
  insideLocal: string;
  insideLocalPort: number | null;
  /** The outside address (outside local and outside global are equal: no outside NAT), null for simple entries. */
  outside: string | null;
  /** The outside port; for ICMP the id the outside host sees (the inside global id); null for simple entries. */
  outsidePort: number | null;
  static: boolean;
  extended: boolean;
  /** The timeout class (null for static entries). */
  timeoutClass: NatTimeoutClass | null;
  createdAt: number;
  lastUsedAt: number;
  /** When it expires unless used again (null for static entries). */
  expiresAt: number | null;
  /** Packets translated by it. */
  hits: number;
  /** The mapping (1-based `[Id: n]` of `show ip nat statistics`) that made it, null for static entries. */
  mapping: number | null;
}

/** A pool's use, for `show ip nat statistics`. */
export interface NatPoolStatistics {
  name: string;
  start: string;
  end: string;
  netmask: string;
  total: number;
  /** Addresses with at least one translation. */
  allocated: number;
  /** Allocations that failed (no address, no port). */
  misses: number;
  /** "generic" for `ip nat pool`, "interface" for `... interface NAME overload`. */
  type: "generic" | "interface";
}

/** A mapping's use (`[Id: n] access-list L pool P refcount R`). */
export interface NatMappingStatistics {
  id: number;
  list: string;
  /** The pool's name, or the interface's for interface overload. */
  pool: string;
  interface: boolean;
  overload: boolean;
  refcount: number;
}

/** What `show ip nat statistics` shows. */
export interface NatStatistics {
  active: number;
  static: number;
  dynamic: number;
  extended: number;
  peak: number;
  insideInterfaces: string[];
  outsideInterfaces: string[];
  maxEntries: number;
  capacity: number;
  mappings: NatMappingStatistics[];
  pools: NatPoolStatistics[];
  counters: NatCounters;
}

/** Sorts translations for display: by inside global address and port, simple entries first. */
export function sortTranslations(list: NatTranslation[]): NatTranslation[] {
  const ip = (s: string | null) => (s === null ? -1 : s.split(".").reduce((v, o) => v * 256 + Number(o), 0));
  return list.sort(
    (a, b) =>
      ip(a.insideGlobal) - ip(b.insideGlobal) ||
      (a.insideGlobalPort ?? -1) - (b.insideGlobalPort ?? -1) ||
      (a.protocol ?? "").localeCompare(b.protocol ?? "") ||
      ip(a.outside) - ip(b.outside) ||
      (a.outsidePort ?? -1) - (b.outsidePort ?? -1) ||
      ip(a.insideLocal) - ip(b.insideLocal),
  );
}
