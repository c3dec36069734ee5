/**
 * The Catalyst MLS views of the flow cache (spec §1.5, §3.3): `show mls ip` (native IOS) and
 * `show mls entry` (hybrid CatOS, `show mls ent`), with the seed's headers. Under the
 * `destination` flow mask only the destination is kept, under `destination-source` the two
 * addresses, under `full` every field ("All these fields are filled in when they are in
 * full-flow mode", 000:L138); a field the mask does not keep prints as `-`.
 */

import { formatMacCisco, parseMac } from "../net/mac.js";
import type { FlowMask, FlowRecord } from "../flow/record.js";
import type { FlowRecordNames } from "./flow-cache.js";

/** `Configured IP flowmask is set to <mask> flow.` and the warning, as `set mls flow` prints them (000:L102–105). */
export function renderSetMlsFlow(mask: FlowMask): string[] {
  const lines = [`Configured IP flowmask is set to ${mask} flow.`];
  if (mask !== "destination") {
    lines.push("Warning: Configuring more specific flow mask may dramatically", "increase the number of MLS entries.");
  }
  return lines;
}

function fields(flow: FlowRecord, mask: FlowMask) {
  const full = mask === "full";
  const ports = full && (flow.protocol === 6 || flow.protocol === 17);
  return {
    src: mask === "destination" ? "-" : flow.src,
    protocol: full ? String(flow.protocol) : "-",
    srcPort: ports ? String(flow.srcPort) : "-",
    dstPort: ports ? String(flow.dstPort) : "-",
    dstMac: flow.dstMac === undefined ? "-" : formatMacCisco(parseMac(flow.dstMac)),
  };
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** `show mls ip` at `now`: two lines per entry under the seed's two header lines (000:L142–144). */
export function renderShowMlsIp(flows: readonly FlowRecord[], mask: FlowMask, now: number, names: FlowRecordNames = {}): string[] {
  const name = names.interfaceName ?? ((index: number) => `If${index}`);
  const lines = [
    "DstIP           SrcIP           Prot:SrcPort:DstPort  Dst i/f:DstMAC ",
    "Pkts         Bytes       SrcDstPorts    SrcDstEncap Age   LastSeen ",
  ];
  for (const flow of flows) {
    const f = fields(flow, mask);
    const dstIf = flow.direction === "egress" ? name(flow.inputInterface) : (names.outputInterface?.(flow) ?? "-");
    const srcIf = flow.direction === "egress" ? "-" : name(flow.inputInterface);
    lines.push(`${flow.dst.padEnd(16)}${f.src.padEnd(16)}${`${f.protocol}:${f.srcPort}:${f.dstPort}`.padEnd(22)}${dstIf}:${f.dstMac}`);
    lines.push(
      `${String(flow.packets).padEnd(13)}${String(flow.bytes).padEnd(12)}${`${srcIf},${dstIf}`.padEnd(15)}${"ARPA,ARPA".padEnd(12)}${String(Math.max(0, Math.floor((now - flow.firstMs) / 1000))).padEnd(6)}${clock(flow.lastMs)}`,
    );
  }
  return lines;
}

/** `show mls entry` (hybrid `show mls ent`) at `now`, in the seed's columns (000:L132–136). */
export function renderShowMlsEntry(flows: readonly FlowRecord[], mask: FlowMask, now: number, names: FlowRecordNames = {}): string[] {
  const name = names.interfaceName ?? ((index: number) => `If${index}`);
  const lines = [
    "Destination-IP  Source-IP     Prot  DstPrt SrcPrt Destination-Mac   Vlan EDst ",
    "ESrc DPort     SPort     Stat-Pkts  Stat-Bytes  Uptime   Age ",
    "-------------- --------------- ----- ------ ------ ----------------- ---- ---- ",
    "---- --------- --------- ---------- ----------- -------- -------- ",
  ];
  const seconds = (ms: number) => clock(Math.max(0, ms));
  for (const flow of flows) {
    const f = fields(flow, mask);
    const vlan = flow.inputVlan === undefined ? "-" : String(flow.inputVlan);
    const dstIf = flow.direction === "egress" ? name(flow.inputInterface) : (names.outputInterface?.(flow) ?? "-");
    const srcIf = flow.direction === "egress" ? "-" : name(flow.inputInterface);
    lines.push(
      `${flow.dst.padEnd(14)} ${f.src.padEnd(15)} ${f.protocol.padEnd(5)} ${f.dstPort.padEnd(6)} ${f.srcPort.padEnd(6)} ${f.dstMac.padEnd(17)} ${vlan.padEnd(4)} ARPA`,
    );
    lines.push(
      `ARPA ${dstIf.padEnd(9)} ${srcIf.padEnd(9)} ${String(flow.packets).padEnd(10)} ${String(flow.bytes).padEnd(11)} ${seconds(now - flow.firstMs).padEnd(8)} ${seconds(now - flow.lastMs)}`,
    );
  }
  return lines;
}
