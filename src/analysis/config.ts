/**
 * The configuration lines of this module's features, read from an IOS configuration until the
 * pipeline's IOS parser (src/dataplane/) takes them over: `ip flow-top-talkers` with `top`,
 * `sort-by`, `match ...` and `cache-timeout`; `ip flow-capture <feature>`; `mls flow ip
 * <mask>`; `ip accounting-threshold <n>`; and `ip accounting [output-packets]` under an
 * `interface`. Every other line is returned in `unhandled` (never silently dropped), so that a
 * caller can say which lines waited for the full parser.
 */

import { ConfigError, describe } from "../errors.js";
import type { FlowMask } from "../flow/record.js";
import { FLOW_CAPTURES, type FlowCapture, topField } from "./top-fields.js";
import { type TopMatch, parseMatchValue, parseTopNumber } from "./top-query.js";
import type { TopTalkersConfig } from "./top-talkers.js";

/** What the lines configure. */
export interface AnalysisConfig {
  topTalkers?: TopTalkersConfig;
  /** `ip flow-capture` features (undefined when no such line: every field is available). */
  captures?: FlowCapture[];
  mask?: FlowMask;
  /** Interfaces with `ip accounting [output-packets]`. */
  accountingInterfaces: string[];
  accountingThreshold?: number;
  /** Lines not handled here, with their line numbers (1-based). */
  unhandled: { line: number; text: string }[];
}

/** `match` words of `ip flow-top-talkers` and the field each sets. */
const TOP_TALKERS_MATCH: Record<string, string> = {
  "source address": "source-address",
  "destination address": "destination-address",
  "source port": "source-port",
  "destination port": "destination-port",
  protocol: "protocol",
  tos: "tos",
  "input-interface": "input-interface",
  "output-interface": "output-interface",
  "byte-range": "bytes",
  "packet-range": "packets",
};

function fail(line: number, text: string, why: string): never {
  throw new ConfigError("config-line", `line ${line} ${describe(text.trim())}: ${why}`, text);
}

/** Reads the lines this module handles. @throws ConfigError naming the line and what it accepts. */
export function parseAnalysisConfig(text: string, interfaceIndex?: (name: string) => number | undefined): AnalysisConfig {
  const config: AnalysisConfig = { accountingInterfaces: [], unhandled: [] };
  let mode: "global" | "top-talkers" | "interface" = "global";
  let currentInterface = "";
  let top: { top?: number; sortBy?: "bytes" | "packets"; match: TopMatch[]; cacheTimeoutMs?: number } | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, k) => {
    const line = k + 1;
    const words = raw
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    if (words.length === 0 || words[0] === "!" || (words.length === 1 && (words[0] === "end" || words[0] === "exit"))) return;
    const indented = /^\s/.test(raw);
    if (!indented) mode = "global";
    const joined = words.join(" ");
    if (mode === "top-talkers" && indented) {
      if (words[0] === "top") top!.top = parseTopNumber(words[1], "top", 200, 1);
      else if (words[0] === "sort-by" && (words[1] === "bytes" || words[1] === "packets") && words.length === 2) top!.sortBy = words[1];
      else if (words[0] === "cache-timeout") top!.cacheTimeoutMs = parseTopNumber(words[1], "cache-timeout (ms)", 3_600_000);
      else if (words[0] === "match") {
        const key = Object.keys(TOP_TALKERS_MATCH).find((m) => joined.startsWith(`match ${m} `));
        if (key === undefined) fail(line, raw, `expected match ${Object.keys(TOP_TALKERS_MATCH).join(" | ")} VALUE`);
        const field = topField(TOP_TALKERS_MATCH[key]!)!;
        const values = words.slice(1 + key.split(" ").length);
        const { match, used } = parseMatchValue(field, values, interfaceIndex);
        if (used !== values.length) fail(line, raw, "unexpected words after the value");
        top!.match.push(match);
      } else fail(line, raw, "expected top N, sort-by bytes|packets, match ... or cache-timeout MS");
      return;
    }
    if (mode === "interface" && indented) {
      if (joined === "ip accounting output-packets" || joined === "ip accounting") config.accountingInterfaces.push(currentInterface);
      else config.unhandled.push({ line, text: raw });
      return;
    }
    if (joined === "ip flow-top-talkers") {
      mode = "top-talkers";
      top = { match: [] };
    } else if (words[0] === "interface" && words.length >= 2) {
      mode = "interface";
      currentInterface = words.slice(1).join(" ");
    } else if (words[0] === "ip" && words[1] === "flow-capture") {
      if (!FLOW_CAPTURES.includes(words[2] as FlowCapture) || words.length !== 3)
        fail(line, raw, `expected ip flow-capture ${FLOW_CAPTURES.join(" | ")}`);
      (config.captures ??= []).push(words[2] as FlowCapture);
    } else if (words[0] === "mls" && words[1] === "flow" && words[2] === "ip") {
      const mask = words[3] as FlowMask;
      if (!["full", "destination", "destination-source"].includes(mask) || words.length !== 4)
        fail(line, raw, "expected mls flow ip full | destination-source | destination");
      config.mask = mask;
    } else if (words[0] === "ip" && words[1] === "accounting-threshold") {
      config.accountingThreshold = parseTopNumber(words[2], "ip accounting-threshold", 1 << 22);
    } else {
      config.unhandled.push({ line, text: raw });
    }
  });
  if (top !== undefined) {
    // IOS needs `top` and `sort-by` for the feature to run.
    if (top.top === undefined || top.sortBy === undefined)
      throw new ConfigError("config-top-talkers", "ip flow-top-talkers needs both top N and sort-by bytes|packets", top);
    config.topTalkers = {
      top: top.top,
      sortBy: top.sortBy,
      match: top.match,
      ...(top.cacheTimeoutMs !== undefined ? { cacheTimeoutMs: top.cacheTimeoutMs } : {}),
    };
  }
  return config;
}
