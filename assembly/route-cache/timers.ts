// The time-driven half of the route cache, run at the start of every call that brings `now`:
//
// * invalidation (`ip cache-invalidate-delay MIN MAX QUIET THRESHOLD`): every change of the
//   FIB's version is an invalidation request. The first pending request is held at least MIN
//   seconds; the whole cache is then invalidated as soon as the last QUIET seconds saw at most
//   THRESHOLD requests, and unconditionally once MAX seconds have passed;
// * the ager (`ip cache-ager-interval X Y Z`): every X seconds (0: never) a run examines the
//   next 1/Z of the entries (1/Y when memory is low) in creation order, cyclically, and removes
//   those not used since the ager last examined them. A call performs the runs that are due,
//   at most MAX_RUNS_PER_CALL of them (two full passes), so a long idle gap is bounded work.

import { RouteCache, OFF_USED, OFF_NEXT, RATE_SECONDS, ENTRY_BYTES } from "./state";
import { entryAt, removeEntry, removeAll } from "./table";

export const MAX_RUNS_PER_CALL: u32 = 202;

/** Adds `requests` invalidation requests in the second of `now`. */
export function recordRequests(cache: RouteCache, now: f64, requests: u32): void {
  const second = Math.floor(now / 1000);
  const slot = <usize>(<u64>second % RATE_SECONDS);
  const at = cache.rateSeconds + (slot << 3);
  if (load<f64>(at) != second) {
    store<f64>(at, second);
    store<u32>(cache.rateCounts + (slot << 2), 0);
  }
  store<u32>(cache.rateCounts + (slot << 2), load<u32>(cache.rateCounts + (slot << 2)) + requests);
  cache.counters.invalidationRequests += requests;
  if (cache.pendingSince < 0) cache.pendingSince = now;
}

/** Requests in the `seconds` seconds ending with the second of `now`. */
export function requestsIn(cache: RouteCache, now: f64, seconds: u32): u32 {
  const current = Math.floor(now / 1000);
  let total: u32 = 0;
  for (let back: u32 = 0; back < seconds && back < RATE_SECONDS; back++) {
    const second = current - back;
    if (second < 0) break;
    const slot = <usize>(<u64>second % RATE_SECONDS);
    if (load<f64>(cache.rateSeconds + (slot << 3)) == second) total += load<u32>(cache.rateCounts + (slot << 2));
  }
  return total;
}

/** Invalidates the whole cache (counted per entry in `invalidates`). */
export function invalidateAll(cache: RouteCache, now: f64): void {
  const c = cache.counters;
  c.invalidates += cache.count;
  c.invalidatedFull += cache.count;
  c.fullInvalidations++;
  removeAll(cache);
  cache.pendingSince = -1;
  cache.lastFullInvalidation = now;
}

function ageRun(cache: RouteCache): void {
  const c = cache.counters;
  c.agerRuns++;
  if (cache.count == 0) return;
  const low = <f64>(cache.maxEntries - cache.count) * ENTRY_BYTES < cache.lowMemoryBytes;
  if (low) c.agerLowMemoryRuns++;
  const divisor = low ? cache.agerLowDivisor : cache.agerNormalDivisor;
  let todo = (cache.count + divisor - 1) / divisor;
  while (todo > 0 && cache.count > 0) {
    if (cache.cursor == 0) cache.cursor = cache.head;
    const e = cache.cursor;
    const entry = entryAt(cache, e - 1);
    cache.cursor = load<u32>(entry, OFF_NEXT);
    c.agerExamined++;
    todo--;
    if (load<u32>(entry, OFF_USED)) store<u32>(entry, 0, OFF_USED);
    else {
      removeEntry(cache, e);
      c.aged++;
      c.invalidates++;
    }
  }
}

/** Brings the cache's clock to `now` (never backwards): invalidation first, then the ager. */
export function advance(cache: RouteCache, now: f64): f64 {
  if (!cache.started) {
    cache.started = 1;
    cache.lastNow = now;
    cache.lastFullInvalidation = now;
    cache.nextRun = now + cache.agerIntervalMs;
    cache.seenFibVersion = cache.fib.version;
  }
  if (now < cache.lastNow) now = cache.lastNow;
  cache.lastNow = now;
  const version = cache.fib.version;
  if (version != cache.seenFibVersion) {
    recordRequests(cache, now, <u32>(version - cache.seenFibVersion));
    cache.seenFibVersion = version;
  }
  if (cache.pendingSince >= 0) {
    const held = now - cache.pendingSince;
    if (held >= cache.maximumMs || (held >= cache.minimumMs && requestsIn(cache, now, cache.quietSeconds) <= cache.threshold)) {
      invalidateAll(cache, now);
    }
  }
  if (cache.agerIntervalMs > 0 && now >= cache.nextRun) {
    const due = Math.floor((now - cache.nextRun) / cache.agerIntervalMs) + 1;
    const runs = due < <f64>MAX_RUNS_PER_CALL ? <u32>due : MAX_RUNS_PER_CALL;
    for (let r: u32 = 0; r < runs; r++) ageRun(cache);
    cache.nextRun += due * cache.agerIntervalMs;
  }
  return now;
}
