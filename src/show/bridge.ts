/**
 * The bridge displays in the IOS layout. The renderers live with the table (src/bridge/show.ts) so that
 * the table needs nothing from this layer; they are listed here with the other displays.
 */

export { renderBridge } from "../bridge/show.js";
