// Memory budgets: every table allocates through one, so that a component can never use more
// than its configured bytes. An allocation that would exceed the limit returns 0 and is
// counted as a refusal; the caller applies its own policy (refuse the route, evict, ...).
//
// The module is built with the minimal runtime (TLSF), so freed blocks are reused.
//
// A budget also keeps a ledger of its blocks: each one is preceded by a BLOCK_HEADER_BYTES
// header linking it to the budget's other blocks, so that `budgetRelease` frees every block a
// table ever took and still holds, whatever structure the table keeps them in (component
// destroy functions call it). The headers are bookkeeping like the allocator's own and are not
// counted in `used`; a table has few blocks (its arrays grow by doubling), so they cost little.

@unmanaged export class Budget {
  /** Upper bound on `used`, in bytes. */
  limit: u64;
  /** Bytes currently held through this budget. */
  used: u64;
  /** Highest `used` ever seen. */
  peak: u64;
  /** Allocations refused because they would have exceeded `limit`. */
  refusals: u64;
  /** Header of the most recently allocated block still held (0 when none): the ledger's head. */
  blocks: usize;
}

/** Bytes before every budget block: the previous and next block's headers (keeps 16-byte alignment). */
export const BLOCK_HEADER_BYTES: usize = 16;

export function budgetCreate(limit: u64): Budget {
  const budget = changetype<Budget>(heap.alloc(offsetof<Budget>()));
  budget.limit = limit;
  budget.used = 0;
  budget.peak = 0;
  budget.refusals = 0;
  budget.blocks = 0;
  return budget;
}

/** True when `bytes` more would still fit. */
// @ts-ignore: decorator
@inline export function budgetFits(budget: Budget, bytes: u64): bool {
  return budget.used + bytes <= budget.limit;
}

/**
 * Allocates `bytes` or returns 0, counting the refusal, when over the limit. The block is zeroed
 * unless `zeroed` is false (for callers that initialise every byte they use).
 */
export function budgetAlloc(budget: Budget, bytes: usize, zeroed: bool = true): usize {
  if (!budgetFits(budget, <u64>bytes)) {
    budget.refusals++;
    return 0;
  }
  const header = heap.alloc(bytes + BLOCK_HEADER_BYTES);
  const head = budget.blocks;
  store<usize>(header, 0); // previous
  store<usize>(header, head, sizeof<usize>()); // next
  if (head != 0) store<usize>(head, header);
  budget.blocks = header;
  const ptr = header + BLOCK_HEADER_BYTES;
  if (zeroed) memory.fill(ptr, 0, bytes);
  budget.used += <u64>bytes;
  if (budget.used > budget.peak) budget.peak = budget.used;
  return ptr;
}

/** Returns a block of `bytes` obtained from `budgetAlloc`. */
export function budgetFree(budget: Budget, ptr: usize, bytes: usize): void {
  if (ptr == 0) return;
  const header = ptr - BLOCK_HEADER_BYTES;
  const previous = load<usize>(header);
  const next = load<usize>(header, sizeof<usize>());
  if (previous != 0) store<usize>(previous, next, sizeof<usize>());
  else budget.blocks = next;
  if (next != 0) store<usize>(next, previous);
  heap.free(header);
  budget.used -= <u64>bytes;
}

/**
 * Frees every block the budget still holds and the budget itself: what a table's destroy
 * function calls after freeing the records it allocated outside its budget.
 */
export function budgetRelease(budget: Budget): void {
  let header = budget.blocks;
  while (header != 0) {
    const next = load<usize>(header, sizeof<usize>());
    heap.free(header);
    header = next;
  }
  heap.free(changetype<usize>(budget));
}

/**
 * Grows a block from `oldBytes` to `newBytes`, keeping its contents and zeroing the tail.
 * Returns 0 (and leaves the old block untouched) when the budget cannot hold the new size.
 */
export function budgetGrow(budget: Budget, ptr: usize, oldBytes: usize, newBytes: usize): usize {
  const next = budgetAlloc(budget, newBytes, false);
  if (next == 0) return 0;
  if (ptr != 0) {
    memory.copy(next, ptr, oldBytes);
    budgetFree(budget, ptr, oldBytes);
  }
  memory.fill(next + oldBytes, 0, newBytes - oldBytes);
  return next;
}
