/**
 * IPv4 access lists as IOS writes them: numbered standard (1–99, 1300–1999) and extended
 * (100–199, 2000–2699) lists made with `access-list N ...`, and named ones made with
 * `ip access-list standard|extended NAME` and their entry lines. An entry is parsed into an
 * {@link AccessListEntry}; {@link compileAccessLists} lays the lists out as the WebAssembly
 * matcher reads them (assembly/pipeline/acl.ts).
 */

import { ConfigError } from "../errors.js";
import { tryParseIPv4, formatIPv4 } from "../net/address.js";

/** A port comparison of an extended entry. */
export interface PortMatch {
  op: "eq" | "neq" | "lt" | "gt" | "range";
  low: number;
  /** Upper bound of a `range` (inclusive). */
  high?: number;
}

/** An address under a wildcard mask (1 bits: don't care), both as 32-bit numbers. */
export interface WildcardAddress {
  address: number;
  wildcard: number;
}

/** One entry of an access list. */
export interface AccessListEntry {
  action: "permit" | "deny";
  /** IP protocol number, or "ip" for any. Standard lists: "ip". */
  protocol: number | "ip";
  source: WildcardAddress;
  destination: WildcardAddress;
  sourcePort?: PortMatch | undefined;
  destinationPort?: PortMatch | undefined;
  /** TCP segments with ACK or RST set. */
  established?: boolean;
  icmpType?: number;
  icmpCode?: number;
  /** `log`: matches are counted as log messages. */
  log?: boolean;
  /** The entry as written after the list name (for `show access-lists`). */
  text: string;
}

/** An access list: its name (number or name), kind and entries in order. */
export interface AccessList {
  name: string;
  kind: "standard" | "extended";
  entries: AccessListEntry[];
}

/** Protocol keywords of extended entries (IOS names). */
export const ACL_PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipinip: 4,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ahp: 51,
  eigrp: 88,
  ospf: 89,
  pim: 103,
};

/** Port keywords IOS accepts for TCP and UDP. */
export const ACL_PORTS: Readonly<Record<string, number>> = {
  ftp: 21,
  "ftp-data": 20,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  www: 80,
  pop3: 110,
  sunrpc: 111,
  ntp: 123,
  "netbios-ns": 137,
  "netbios-dgm": 138,
  "netbios-ss": 139,
  snmp: 161,
  bgp: 179,
  syslog: 514,
};

/** ICMP message keywords: type, or [type, code]. */
export const ACL_ICMP_MESSAGES: Readonly<Record<string, number | [number, number]>> = {
  "echo-reply": 0,
  unreachable: 3,
  "net-unreachable": [3, 0],
  "host-unreachable": [3, 1],
  "port-unreachable": [3, 3],
  "source-quench": 4,
  redirect: 5,
  echo: 8,
  "time-exceeded": 11,
  "ttl-exceeded": [11, 0],
  "parameter-problem": 12,
};

/** Whether an access-list number is standard, extended, or neither. */
export function numberedListKind(n: number): "standard" | "extended" | undefined {
  if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999)) return "standard";
  if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699)) return "extended";
  return undefined;
}

function fail(reason: string, text: string): never {
  throw new ConfigError("acl-entry", `invalid access-list entry ${JSON.stringify(text)}: ${reason}`, text);
}

function address(token: string | undefined, text: string): number {
  const value = token === undefined ? undefined : tryParseIPv4(token);
  if (value === undefined) fail(`expected an IPv4 address, got ${JSON.stringify(token)}`, text);
  return value;
}

/** Reads an address specification: `any`, `host A`, or `A WILDCARD` (standard lists: `A` alone is a host). */
function readAddress(tokens: string[], at: number, text: string, standard: boolean): [WildcardAddress, number] {
  const token = tokens[at];
  if (token === "any") return [{ address: 0, wildcard: 0xffffffff }, at + 1];
  if (token === "host") return [{ address: address(tokens[at + 1], text), wildcard: 0 }, at + 2];
  const a = address(token, text);
  const next = tokens[at + 1];
  const wildcard = next === undefined ? undefined : tryParseIPv4(next);
  if (wildcard === undefined) {
    if (standard) return [{ address: a, wildcard: 0 }, at + 1];
    fail(`expected a wildcard mask after ${token}`, text);
  }
  return [{ address: a, wildcard }, at + 2];
}

function port(token: string | undefined, text: string): number {
  if (token === undefined) fail("expected a port", text);
  const named = ACL_PORTS[token];
  if (named !== undefined) return named;
  const n = Number(token);
  if (!/^\d+$/.test(token) || n > 65535) fail(`invalid port ${JSON.stringify(token)}`, text);
  return n;
}

function readPort(tokens: string[], at: number, text: string): [PortMatch | undefined, number] {
  const op = tokens[at];
  if (op === "eq" || op === "neq" || op === "lt" || op === "gt") return [{ op, low: port(tokens[at + 1], text) }, at + 2];
  if (op === "range") {
    const low = port(tokens[at + 1], text);
    const high = port(tokens[at + 2], text);
    if (high < low) fail(`range ${low} ${high} is empty`, text);
    return [{ op, low, high }, at + 3];
  }
  return [undefined, at];
}

/**
 * Parses the part of an entry after the list name: `permit|deny ...` of a standard or an
 * extended list.
 * @throws ConfigError naming the entry and what is wrong with it.
 */
export function parseAccessListEntry(text: string, kind: "standard" | "extended"): AccessListEntry {
  const tokens = text.trim().split(/\s+/);
  const action = tokens[0];
  if (action !== "permit" && action !== "deny") fail("expected permit or deny", text);
  const entry: AccessListEntry = {
    action,
    protocol: "ip",
    source: { address: 0, wildcard: 0xffffffff },
    destination: { address: 0, wildcard: 0xffffffff },
    text: tokens.join(" "),
  };
  let at = 1;
  if (kind === "standard") {
    [entry.source, at] = readAddress(tokens, at, text, true);
  } else {
    const p = tokens[at++];
    if (p === undefined) fail("expected a protocol", text);
    if (p === "ip") entry.protocol = "ip";
    else if (ACL_PROTOCOLS[p] !== undefined) entry.protocol = ACL_PROTOCOLS[p]!;
    else if (/^\d+$/.test(p) && Number(p) <= 255) entry.protocol = Number(p);
    else fail(`unknown protocol ${JSON.stringify(p)}`, text);
    const ports = entry.protocol === 6 || entry.protocol === 17;
    [entry.source, at] = readAddress(tokens, at, text, false);
    if (ports) [entry.sourcePort, at] = readPort(tokens, at, text);
    [entry.destination, at] = readAddress(tokens, at, text, false);
    if (ports) [entry.destinationPort, at] = readPort(tokens, at, text);
    if (entry.protocol === 6 && tokens[at] === "established") {
      entry.established = true;
      at++;
    }
    if (entry.protocol === 1 && tokens[at] !== undefined && tokens[at] !== "log") {
      const named = ACL_ICMP_MESSAGES[tokens[at]!];
      if (named !== undefined) {
        if (Array.isArray(named)) [entry.icmpType, entry.icmpCode] = named;
        else entry.icmpType = named;
        at++;
      } else if (/^\d+$/.test(tokens[at]!) && Number(tokens[at]) <= 255) {
        entry.icmpType = Number(tokens[at++]);
        if (tokens[at] !== undefined && /^\d+$/.test(tokens[at]!) && Number(tokens[at]) <= 255) entry.icmpCode = Number(tokens[at++]);
      }
    }
  }
  if (tokens[at] === "log" || tokens[at] === "log-input") {
    entry.log = true;
    at++;
  }
  if (at < tokens.length) fail(`unexpected ${JSON.stringify(tokens.slice(at).join(" "))}`, text);
  return entry;
}

/** An entry as `show access-lists` prints it (the text it was written with). */
export function formatAccessListEntry(entry: AccessListEntry): string {
  return entry.text;
}

/** Words per entry of the compiled form (ACE_WORDS in assembly/pipeline/state.ts). */
export const ACE_WORDS = 16;
const ANY = 0xffffffff;
const PORT_OPS = { eq: 1, neq: 2, lt: 3, gt: 4, range: 5 } as const;

/** The compiled access lists: a directory of (first entry, count) pairs and the entries. */
export interface CompiledAccessLists {
  directory: Uint32Array;
  entries: Uint32Array;
  /** List index by name. */
  index: Map<string, number>;
}

/** Lays the lists out for the WebAssembly matcher. */
export function compileAccessLists(lists: readonly AccessList[]): CompiledAccessLists {
  const total = lists.reduce((n, l) => n + l.entries.length, 0);
  const directory = new Uint32Array(Math.max(1, lists.length) * 2);
  const entries = new Uint32Array(Math.max(1, total) * ACE_WORDS);
  const index = new Map<string, number>();
  let k = 0;
  lists.forEach((list, i) => {
    index.set(list.name, i);
    directory[2 * i] = k;
    directory[2 * i + 1] = list.entries.length;
    for (const e of list.entries) {
      const w = entries.subarray(k * ACE_WORDS, (k + 1) * ACE_WORDS);
      w[0] = e.action === "permit" ? 1 : 0;
      w[1] = (e.log ? 1 : 0) | (e.established ? 2 : 0);
      w[2] = e.protocol === "ip" ? 256 : e.protocol;
      w[3] = e.source.address >>> 0;
      w[4] = e.source.wildcard >>> 0;
      w[5] = e.destination.address >>> 0;
      w[6] = e.destination.wildcard >>> 0;
      w[7] = e.sourcePort ? PORT_OPS[e.sourcePort.op] : 0;
      w[8] = e.sourcePort?.low ?? 0;
      w[9] = e.sourcePort?.high ?? 0;
      w[10] = e.destinationPort ? PORT_OPS[e.destinationPort.op] : 0;
      w[11] = e.destinationPort?.low ?? 0;
      w[12] = e.destinationPort?.high ?? 0;
      w[13] = e.icmpType ?? ANY;
      w[14] = e.icmpCode ?? ANY;
      k++;
    }
  });
  return { directory, entries, index };
}

/** A wildcard address as IOS prints it: `any`, `host A`, or `A, wildcard bits W`. */
export function formatWildcard(w: WildcardAddress): string {
  if (w.wildcard >>> 0 === 0xffffffff) return "any";
  if (w.wildcard === 0) return `host ${formatIPv4(w.address)}`;
  return `${formatIPv4(w.address)} ${formatIPv4(w.wildcard >>> 0)}`;
}
