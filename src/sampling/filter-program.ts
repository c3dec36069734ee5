/**
 * Compiles the per-interface input-filter configuration into the program the WebAssembly
 * selector runs (layout in assembly/sampler/selector.ts and filter-match.ts):
 *
 *   [programCount P, interfaceCount I, P program offsets, I × (ifIndex, program), programs…, classes…]
 *   program    [1 (full NetFlow), 0] or [2 (classes), R, R × (class offset, slot)]
 *   class      [matchAll, C, C × 12-word criterion]
 */

import type { NormalizedClass } from "./filter-criteria.js";

/** What one interface runs: full NetFlow, or classes tried in order, each with its sampler slot. */
export type InterfaceProgram = { kind: "full" } | { kind: "classes"; rules: readonly { class: NormalizedClass; slot: number }[] };

const PROGRAM_FULL = 1;
const PROGRAM_CLASSES = 2;
const CRITERION_WORDS = 12;

/** The program words for a map from interface index to what it runs. */
export function compileProgram(interfaces: ReadonlyMap<number, InterfaceProgram>): Uint32Array {
  const words: number[] = [];
  const entries = [...interfaces.entries()];
  words.push(entries.length, entries.length);
  const offsetsAt = words.length;
  for (let p = 0; p < entries.length; p++) words.push(0);
  entries.forEach(([ifIndex], p) => words.push(ifIndex, p));
  const classOffsets = new Map<NormalizedClass, number>();
  const pending: { at: number; class: NormalizedClass }[] = [];
  entries.forEach(([, program], p) => {
    words[offsetsAt + p] = words.length;
    if (program.kind === "full") {
      words.push(PROGRAM_FULL, 0);
      return;
    }
    words.push(PROGRAM_CLASSES, program.rules.length);
    for (const rule of program.rules) {
      pending.push({ at: words.length, class: rule.class });
      words.push(0, rule.slot);
    }
  });
  for (const { at, class: cls } of pending) {
    let offset = classOffsets.get(cls);
    if (offset === undefined) {
      offset = words.length;
      classOffsets.set(cls, offset);
      words.push(cls.matchAll ? 1 : 0, cls.criteria.length);
      for (const c of cls.criteria) {
        const record = new Array<number>(CRITERION_WORDS).fill(0);
        record[0] = c.kind | (c.negate ? 1 << 8 : 0) | (c.family << 16);
        record[1] = c.a;
        record[2] = c.b;
        for (let w = 0; w < 4; w++) {
          record[3 + w] = c.network[w]!;
          record[7 + w] = c.mask[w]!;
        }
        words.push(...record);
      }
    }
    words[at] = offset;
  }
  return Uint32Array.from(words);
}
