/** Walking an IOS configuration line by line, with the interface each line sits under. */

/** The interface's name in `interface NAME [point-to-point | multipoint]` (`BVI 1` is `BVI1`). */
export function interfaceName(words: string[]): string {
  return words[2] !== undefined && /^\d/.test(words[2]) ? `${words[1]}${words[2]}` : words[1]!;
}

/**
 * Calls `visit` for every non-empty, non-comment line with the interface it belongs to: the
 * last `interface` line while the lines are indented, none after an unindented line.
 */
export function forEachIosLine(text: string, visit: (line: string, under: string | undefined) => void): void {
  let under: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("!")) continue;
    if (!/^\s/.test(raw)) under = undefined;
    if (line.startsWith("interface ")) under = interfaceName(line.split(/\s+/));
    visit(line, under);
  }
}
