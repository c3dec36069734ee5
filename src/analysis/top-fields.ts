/**
 * The flow fields that `show ip flow top` aggregates, matches and sorts on (seed spec §1.18;
 * the seed names more than 20 without listing them, so the set and the keywords follow the
 * fields this flow cache keeps), what each needs of the cache, and how each is written in a
 * command and in a display. Field numbers are those of assembly/analysis/fields.ts.
 */

import type { FlowMask } from "../flow/record.js";

/** The `ip flow-capture` features (seed spec §1.16) whose fields some aggregations need. */
export type FlowCapture = "fragment-offset" | "icmp" | "ip-id" | "mac-addresses" | "packet-length" | "ttl" | "vlan-id";
/** Every `ip flow-capture` feature. */
export const FLOW_CAPTURES: readonly FlowCapture[] = [
  "fragment-offset",
  "icmp",
  "ip-id",
  "mac-addresses",
  "packet-length",
  "ttl",
  "vlan-id",
];

/** A field keyword of `show ip flow top ... aggregate FIELD` and `match FIELD VALUE`. */
export type TopFieldName =
  | "source-address"
  | "destination-address"
  | "source-prefix"
  | "destination-prefix"
  | "source-port"
  | "destination-port"
  | "protocol"
  | "tos"
  | "input-interface"
  | "output-interface"
  | "source-vlan"
  | "destination-vlan"
  | "source-mac"
  | "destination-mac"
  | "icmp"
  | "min-ttl"
  | "max-ttl"
  | "min-packet-length"
  | "max-packet-length"
  | "fragment-offset"
  | "tcp-flags"
  | "bytes"
  | "packets";

/** How a field's values read and print. */
export type TopFieldKind = "address" | "prefix" | "number" | "mac" | "icmp";

/** One field: its number in WebAssembly, its kind, what the cache must keep, its display. */
export interface TopFieldSpec {
  name: TopFieldName;
  id: number;
  kind: TopFieldKind;
  /** The name in `% <name> is not available for this cache`. */
  description: string;
  /** Key fields it needs: the source address (not under the destination mask) or the full key. */
  key?: "source" | "full";
  /** The `ip flow-capture` feature it needs. */
  capture?: FlowCapture;
  /** Column headings, for IPv4 and IPv6 values (one per column; `icmp` has two). */
  headings: readonly string[];
  headings6?: readonly string[];
  /** Numbers print in hex (4 digits for ports, 2 for protocol-sized fields) when set. */
  hexDigits?: number;
}

const spec = (s: TopFieldSpec): TopFieldSpec => s;

/** Every field, in WebAssembly number order. */
export const TOP_FIELDS: readonly TopFieldSpec[] = [
  spec({
    name: "source-address",
    id: 0,
    kind: "address",
    description: "source address",
    key: "source",
    headings: ["IPV4 SRC-ADDR"],
    headings6: ["IPV6 SRC-ADDR"],
  }),
  spec({
    name: "destination-address",
    id: 1,
    kind: "address",
    description: "destination address",
    headings: ["IPV4 DST-ADDR"],
    headings6: ["IPV6 DST-ADDR"],
  }),
  spec({
    name: "source-prefix",
    id: 2,
    kind: "prefix",
    description: "source prefix",
    key: "source",
    headings: ["IPV4 SRC-PREFIX"],
    headings6: ["IPV6 SRC-PREFIX"],
  }),
  spec({
    name: "destination-prefix",
    id: 3,
    kind: "prefix",
    description: "destination prefix",
    headings: ["IPV4 DST-PREFIX"],
    headings6: ["IPV6 DST-PREFIX"],
  }),
  spec({ name: "source-port", id: 4, kind: "number", description: "source port", key: "full", headings: ["TRNS SRC-PORT"] }),
  spec({ name: "destination-port", id: 5, kind: "number", description: "destination port", key: "full", headings: ["TRNS DST-PORT"] }),
  spec({
    name: "protocol",
    id: 6,
    kind: "number",
    description: "protocol",
    key: "full",
    headings: ["IPV4 PROT"],
    headings6: ["IPV6 PROT"],
  }),
  spec({
    name: "tos",
    id: 7,
    kind: "number",
    description: "ToS",
    key: "full",
    headings: ["IPV4 TOS"],
    headings6: ["IPV6 TC"],
    hexDigits: 2,
  }),
  spec({ name: "input-interface", id: 8, kind: "number", description: "input interface", headings: ["INPUT IF"] }),
  spec({ name: "output-interface", id: 9, kind: "number", description: "output interface", headings: ["OUTPUT IF"] }),
  spec({ name: "source-vlan", id: 10, kind: "number", description: "VLAN id", capture: "vlan-id", headings: ["SRC VLAN"] }),
  spec({ name: "destination-vlan", id: 11, kind: "number", description: "VLAN id", capture: "vlan-id", headings: ["DST VLAN"] }),
  spec({ name: "source-mac", id: 12, kind: "mac", description: "MAC address", capture: "mac-addresses", headings: ["SRC-MAC"] }),
  spec({ name: "destination-mac", id: 13, kind: "mac", description: "MAC address", capture: "mac-addresses", headings: ["DST-MAC"] }),
  spec({ name: "icmp", id: 14, kind: "icmp", description: "ICMP type and code", capture: "icmp", headings: ["ICMP TYPE", "ICMP CODE"] }),
  spec({ name: "min-ttl", id: 15, kind: "number", description: "TTL", capture: "ttl", headings: ["MIN TTL"] }),
  spec({ name: "max-ttl", id: 16, kind: "number", description: "TTL", capture: "ttl", headings: ["MAX TTL"] }),
  spec({
    name: "min-packet-length",
    id: 17,
    kind: "number",
    description: "packet length",
    capture: "packet-length",
    headings: ["MIN PLEN"],
  }),
  spec({
    name: "max-packet-length",
    id: 18,
    kind: "number",
    description: "packet length",
    capture: "packet-length",
    headings: ["MAX PLEN"],
  }),
  spec({
    name: "fragment-offset",
    id: 19,
    kind: "number",
    description: "fragment offset",
    capture: "fragment-offset",
    headings: ["FRAG OFFSET"],
  }),
  spec({ name: "tcp-flags", id: 20, kind: "number", description: "TCP flags", headings: ["TCP FLAGS"], hexDigits: 2 }),
  spec({ name: "bytes", id: 21, kind: "number", description: "bytes", headings: ["BYTES"] }),
  spec({ name: "packets", id: 22, kind: "number", description: "packets", headings: ["PACKETS"] }),
];

/** Every field keyword, in WebAssembly number order. */
export const TOP_FIELD_NAMES: readonly TopFieldName[] = TOP_FIELDS.map((f) => f.name);

const BY_NAME = new Map<string, TopFieldSpec>(TOP_FIELDS.map((f) => [f.name, f]));

/** The field of keyword `name`, or undefined. */
export function topField(name: string): TopFieldSpec | undefined {
  return BY_NAME.get(name);
}

/** What a cache keeps, for deciding which fields are available. */
export interface TopFieldAvailability {
  mask: FlowMask;
  /** The `ip flow-capture` features configured (default: all, since this cache captures every one). */
  captures?: readonly FlowCapture[] | undefined;
}

/** Why `field` is not available for a cache (`% <description> is not available for this cache`), or undefined. */
export function unavailableField(field: TopFieldSpec, availability: TopFieldAvailability): string | undefined {
  const missing =
    (field.key === "full" && availability.mask !== "full") ||
    (field.key === "source" && availability.mask === "destination") ||
    (field.capture !== undefined && availability.captures !== undefined && !availability.captures.includes(field.capture));
  return missing ? `% ${field.description} is not available for this cache` : undefined;
}
