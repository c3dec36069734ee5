// Linear-probing indexes of u64 slots that hold a 32-bit hash in the high word next to a
// non-zero value (0 = an empty slot), with the home slot the hash mapped onto [0, slots) by
// multiply-shift (reduceRange): the flow cache's index and its source table (flow/table.ts,
// flow/talkers.ts).

import { reduceRange } from "./hash";

/**
 * Empties slot `i`, shifting the slots after it back towards their homes so that no probe run
 * is broken (backward-shift deletion, Knuth, TAOCP vol. 3, 6.4 Algorithm R; no tombstones).
 */
export function slotDelete(index: usize, slots: u32, i: u32): void {
  let hole = i;
  let j = i;
  for (;;) {
    j++;
    if (j == slots) j = 0;
    const slot = load<u64>(index + (<usize>j << 3));
    if (slot == 0) break;
    const home = reduceRange(<u32>(slot >> 32), slots);
    // The slot at j may move to the hole unless its home lies cyclically in (hole, j].
    const stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!stays) {
      store<u64>(index + (<usize>hole << 3), slot);
      hole = j;
    }
  }
  store<u64>(index + (<usize>hole << 3), 0);
}
