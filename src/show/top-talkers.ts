/**
 * `show ip flow top ...` and `show ip flow top-talkers [verbose]` in the layouts of the NetFlow
 * seed (spec §3.8, §3.9), and their JSON forms.
 *
 * Dynamic top talkers: `There are <k> top talkers:` (or `There is 1 top talker:`), the aggregated
 * field's column(s) then `bytes`, `pkts`, `flows` right-aligned in width 10, columns two spaces
 * apart, an `=` underline, and `<N> of <M> flows matched.`. Addresses are left-aligned in 15
 * (IPv6: 39), numbers right-aligned in the heading's width (at least 9).
 *
 * Configured top talkers: the flows in the `SrcIf SrcIPaddress DstIf DstIPaddress Pr SrcP DstP
 * Bytes` layout (verbose: the `show ip cache verbose flow` records with bytes for packets and,
 * when the flows were sampled, `Sampler: <id>  Class: <id>`), then `<shown> of <top> top talkers
 * shown. <N> of <M> flows matched.`.
 */

import { formatMacCisco, parseMac } from "../net/mac.js";
import type { TopTalker, TopTalkersResult, ConfiguredTopTalkersResult } from "../analysis/top-talkers.js";
import { type TopFieldSpec, topField } from "../analysis/top-fields.js";
import { type FlowRecordNames, FLOW_RECORD_HEADER, flowJson, renderFlowRecord } from "./flow-cache.js";

/** How values print: interface names (default the index). */
export interface TopTalkersNames {
  interfaceName?: (index: number) => string;
}

interface Column {
  heading: string;
  width: number;
  left: boolean;
  cell: (t: TopTalker) => string;
}

function fieldColumns(field: TopFieldSpec, talkers: readonly TopTalker[], names: TopTalkersNames): Column[] {
  const v6 = talkers.some((t) => t.ipVersion === 6);
  const headings = v6 && field.headings6 ? field.headings6 : field.headings;
  switch (field.kind) {
    case "address":
    case "prefix": {
      const width = Math.max(headings[0]!.length, v6 ? 39 : 15, ...talkers.map((t) => String(t.value).length));
      return [{ heading: headings[0]!, width, left: true, cell: (t) => String(t.value) }];
    }
    case "mac":
      return [{ heading: headings[0]!, width: 14, left: true, cell: (t) => formatMacCisco(parseMac(String(t.value))) }];
    case "icmp":
      return [
        { heading: headings[0]!, width: 9, left: false, cell: (t) => String(t.icmpType) },
        { heading: headings[1]!, width: 9, left: false, cell: (t) => String(t.icmpCode) },
      ];
    default: {
      const interfaceField = field.name === "input-interface" || field.name === "output-interface";
      const cell = (t: TopTalker): string => {
        const n = Number(t.value);
        if (interfaceField && names.interfaceName) return names.interfaceName(n);
        if (field.hexDigits) return `0x${n.toString(16).toUpperCase().padStart(field.hexDigits, "0")}`;
        return String(n);
      };
      const width = Math.max(9, headings[0]!.length, ...talkers.map((t) => cell(t).length));
      return [{ heading: headings[0]!, width, left: interfaceField && names.interfaceName !== undefined, cell }];
    }
  }
}

/** The display of a dynamic top-talkers query, one string per line. */
export function renderTopTalkers(result: TopTalkersResult, names: TopTalkersNames = {}): string[] {
  if (result.unavailable !== undefined) return [result.unavailable];
  const field = topField(result.query.aggregate)!;
  const counts: Column[] = (
    [
      ["bytes", (t: TopTalker) => t.bytes],
      ["pkts", (t: TopTalker) => t.packets],
      ["flows", (t: TopTalker) => t.flows],
    ] as const
  ).map(([heading, get]) => ({ heading, width: 10, left: false, cell: (t: TopTalker) => String(get(t)) }));
  const columns = [...fieldColumns(field, result.talkers, names), ...counts];
  const pad = (c: Column, text: string) => (c.left ? text.padEnd(c.width) : text.padStart(c.width));
  const row = (cells: string[]) => cells.join("  ").trimEnd();
  const k = result.talkers.length;
  return [
    k === 1 ? "There is 1 top talker:" : `There are ${k} top talkers:`,
    row(columns.map((c) => pad(c, c.heading))),
    row(columns.map((c) => "=".repeat(c.width))),
    ...result.talkers.map((t) => row(columns.map((c) => pad(c, c.cell(t))))),
    `${result.matched} of ${result.seen} flows matched.`,
  ];
}

/** The JSON form of a dynamic query: the query, the talkers (field keyword: value), the counts. */
export function topTalkersJson(result: TopTalkersResult): Record<string, unknown> {
  if (result.unavailable !== undefined) return { query: result.query, error: result.unavailable };
  const field = result.query.aggregate;
  return {
    query: result.query,
    talkers: result.talkers.map((t) => ({
      [field]: field === "icmp" ? { type: t.icmpType, code: t.icmpCode } : t.value,
      ...(t.ipVersion !== undefined ? { ip_version: t.ipVersion } : {}),
      bytes: t.bytes,
      pkts: t.packets,
      flows: t.flows,
    })),
    matched: result.matched,
    seen: result.seen,
    aggregates: result.aggregates,
  };
}

/** How configured top talkers print: interface names and, for sampled flows, the sampler and class. */
export interface ConfiguredTopTalkersNames extends FlowRecordNames {
  /** When the flows came through an input filter with a sampler: its id and the class id (`Sampler: 1  Class: 1`). */
  sampler?: { id: number; classId: number };
}

const hex = (value: number, width: number) => value.toString(16).toUpperCase().padStart(width, "0");

/** `show ip flow top-talkers [verbose]`, one string per line. */
export function renderConfiguredTopTalkers(
  result: ConfiguredTopTalkersResult,
  verbose: boolean,
  names: ConfiguredTopTalkersNames = {},
): string[] {
  const footer = `${result.flows.length} of ${result.top} top talkers shown. ${result.matched} of ${result.seen} flows matched.`;
  if (verbose) {
    const layout = {
      counter: "bytes" as const,
      trailingSpace: true,
      ...(names.sampler ? { samplerLine: `Sampler: ${names.sampler.id}  Class: ${names.sampler.classId}  ` } : {}),
    };
    return [
      FLOW_RECORD_HEADER[0]!.replace(/ {2}Pkts$/, " Bytes"),
      FLOW_RECORD_HEADER[1]!,
      ...result.flows.flatMap((flow) => renderFlowRecord(flow, names, layout)),
      footer,
    ];
  }
  const name = names.interfaceName ?? ((index: number) => `If${index}`);
  return [
    "SrcIf         SrcIPaddress    DstIf         DstIPaddress    Pr SrcP DstP Bytes",
    ...result.flows.map((flow) => {
      const egress = flow.direction === "egress";
      const srcIf = egress ? "-" : name(flow.inputInterface);
      const dstIf = egress ? `${name(flow.inputInterface)}*` : (names.outputInterface?.(flow) ?? "-");
      return `${srcIf.padEnd(14)}${flow.src.padEnd(16)}${dstIf.padEnd(14)}${flow.dst.padEnd(16)}${hex(flow.protocol, 2)} ${hex(flow.srcPort, 4)} ${hex(flow.dstPort, 4)}${String(flow.bytes).padStart(6)} `;
    }),
    footer,
  ];
}

/** The JSON form of `show ip flow top-talkers`: the flows (as `dataplane flows --json` writes them) and the counts. */
export function configuredTopTalkersJson(result: ConfiguredTopTalkersResult): Record<string, unknown> {
  return { flows: result.flows.map(flowJson), shown: result.flows.length, top: result.top, matched: result.matched, seen: result.seen };
}
