/**
 * `show arp` in the IOS layout. The renderer lives with the ARP table (src/arp/show.ts) so that
 * `ArpTable.show()` needs nothing from this layer; it is listed here with the other displays.
 */

export { renderArp, type ArpShowOptions } from "../arp/show.js";
