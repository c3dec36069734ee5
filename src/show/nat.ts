/**
 * The nat displays in the IOS layout. The renderers live with the table (src/nat/show.ts) so that
 * the table needs nothing from this layer; they are listed here with the other displays.
 */

export { type NatShowOptions, natDuration, renderNatTranslation, renderNatTranslations, renderNatStatistics } from "../nat/show.js";
