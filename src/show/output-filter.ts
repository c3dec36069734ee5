/**
 * IOS output filters on any show command: `| include REGEX`, `| exclude REGEX`, `| begin REGEX`
 * (the keywords may be abbreviated, as IOS allows: `| i 0050`). The regular expression is the
 * rest of the line after the keyword and one space, as IOS takes it.
 */

import { ConfigError, describe } from "../errors.js";

/** An output filter: keep lines matching, drop lines matching, or start at the first match. */
export interface OutputFilter {
  kind: "include" | "exclude" | "begin";
  pattern: RegExp;
}

const KINDS = ["include", "exclude", "begin"] as const;

/**
 * Splits `command | filter` into the command and its filter (none when there is no `|`).
 * @throws ConfigError on an unknown filter keyword or a bad regular expression.
 */
export function splitOutputFilter(line: string): { command: string; filter?: OutputFilter } {
  const bar = line.indexOf("|");
  if (bar === -1) return { command: line.trim() };
  const command = line.slice(0, bar).trim();
  const rest = line.slice(bar + 1).replace(/^\s+/, "");
  const space = rest.search(/\s/);
  const keyword = space === -1 ? rest : rest.slice(0, space);
  const kind = KINDS.find((k) => keyword.length > 0 && k.startsWith(keyword));
  if (kind === undefined) {
    throw new ConfigError(
      "show-filter",
      `unknown output filter ${describe(keyword)}: expected | include REGEX, | exclude REGEX or | begin REGEX`,
      keyword,
    );
  }
  const source = space === -1 ? "" : rest.slice(space + 1).trimEnd();
  if (source === "") throw new ConfigError("show-filter", `missing regular expression after | ${kind}`, line);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (error) {
    throw new ConfigError("show-filter", `invalid regular expression ${describe(source)}: ${(error as Error).message}`, source);
  }
  return { command, filter: { kind, pattern } };
}

/** The lines that pass the filter. */
export function applyOutputFilter(lines: readonly string[], filter: OutputFilter | undefined): string[] {
  if (filter === undefined) return [...lines];
  if (filter.kind === "include") return lines.filter((l) => filter.pattern.test(l));
  if (filter.kind === "exclude") return lines.filter((l) => !filter.pattern.test(l));
  const start = lines.findIndex((l) => filter.pattern.test(l));
  return start === -1 ? [] : lines.slice(start);
}
