/**
 * The memory an ARP interface allocates at creation, by the layout of the WebAssembly core
 * (assembly/arp/state.ts): the index (8 bytes per slot, twice the entries of all pools, so
 * load ≤ 0.5), PRESENT records (64 B), INCOMPLETE records (56 B), NEXIST ring positions
 * (16 B), SEEN ring positions (16 B), packet handles (4 + 4 B, and 24 B for the released ring), request and reply rings
 * (24 B), counters and the interface record. Nothing is allocated afterwards.
 */

import type { ArpInterfaceConfig } from "./options.js";

/** Bytes of the interface record itself (`offsetof<ArpIface>()`). */
export const INTERFACE_RECORD_BYTES = 501;
/** Per-interface counters (8 bytes each). */
const COUNTERS = 59;

/** Bytes one interface holds, from its configuration. */
export function arpInterfaceBytes(
  c: Pick<
    ArpInterfaceConfig,
    | "presentEntries"
    | "staticEntries"
    | "incompleteEntries"
    | "nexistEntries"
    | "queuePerInterface"
    | "requestRing"
    | "replyRing"
    | "seenEntries"
  >,
): number {
  const entries = c.presentEntries + c.staticEntries + c.incompleteEntries + c.nexistEntries + c.seenEntries;
  const indexSlots = Math.max(16, entries * 2);
  return (
    INTERFACE_RECORD_BYTES +
    4 * 32 +
    indexSlots * 8 +
    (c.presentEntries + c.staticEntries) * 64 +
    c.incompleteEntries * 56 +
    c.nexistEntries * 16 +
    c.seenEntries * 16 +
    c.queuePerInterface * (4 + 4 + 24) +
    (c.requestRing + c.replyRing) * 24 +
    COUNTERS * 8
  );
}
