// The per-interface index: IPv4 address → (kind, pool slot), one open-addressing table for all
// three pools so that every resolution is one probe sequence. Slots are u64: the address in
// the low word (0 = empty: 0.0.0.0 is never a key) and the reference in the high word.
// Sized at creation for load ≤ 0.5 when every pool is full, positions spread with Lemire's
// multiply-shift (no power-of-two rounding), linear probing, backward-shift deletion (no
// tombstones). The hash is SipHash-1-3 of (interface, address) under the table's secret key:
// scanned addresses come from traffic, so an attacker must not be able to aim them at one run.

import { reduceRange, sipHashWord } from "../common/hash";
import { ArpIface, ArpTableState } from "./state";

/** Home position of `ip` in the interface's index. */
// @ts-ignore: decorator
@inline export function homeOf(table: ArpTableState, f: ArpIface, ip: u32): u32 {
  return reduceRange(<u32>sipHashWord(f.ifKey | <u64>ip, table.k0, table.k1), f.indexCap);
}

/** Position after `i`, wrapping. */
// @ts-ignore: decorator
@inline function nextPosition(f: ArpIface, i: u32): u32 {
  const j = i + 1;
  return j == f.indexCap ? 0 : j;
}

/** The reference stored for `ip`, or 0 when absent. */
// @ts-ignore: decorator
@inline export function indexGet(table: ArpTableState, f: ArpIface, ip: u32): u32 {
  return indexGetAt(f, ip, homeOf(table, f, ip));
}

/** {@link indexGet} with `ip`'s home position already known (`homeOf`). */
export function indexGetAt(f: ArpIface, ip: u32, home: u32): u32 {
  let i = home;
  const base = f.index;
  while (true) {
    const e = load<u64>(base + (<usize>i << 3));
    const key = <u32>e;
    if (key == ip) return <u32>(e >> 32);
    if (key == 0) return 0;
    i = nextPosition(f, i);
  }
  return 0;
}

/** Inserts `ip` (which must be absent) with `ref`. The index never fills: pools bound it. */
// @ts-ignore: decorator
@inline export function indexInsert(table: ArpTableState, f: ArpIface, ip: u32, ref: u32): void {
  indexInsertAt(f, ip, ref, homeOf(table, f, ip));
}

/** {@link indexInsert} with `ip`'s home position already known. */
export function indexInsertAt(f: ArpIface, ip: u32, ref: u32, home: u32): void {
  let i = home;
  const base = f.index;
  let probe: u32 = 0;
  while (load<u32>(base + (<usize>i << 3)) != 0) {
    i = nextPosition(f, i);
    probe++;
  }
  store<u64>(base + (<usize>i << 3), ((<u64>ref) << 32) | <u64>ip);
  f.indexCount++;
  if (probe + 1 > f.maxProbe) f.maxProbe = probe + 1;
}

/** Replaces the reference of `ip` (which must be present). */
// @ts-ignore: decorator
@inline export function indexSet(table: ArpTableState, f: ArpIface, ip: u32, ref: u32): void {
  indexSetAt(f, ip, ref, homeOf(table, f, ip));
}

/** {@link indexSet} with `ip`'s home position already known. */
export function indexSetAt(f: ArpIface, ip: u32, ref: u32, home: u32): void {
  let i = home;
  const base = f.index;
  while (load<u32>(base + (<usize>i << 3)) != ip) i = nextPosition(f, i);
  store<u64>(base + (<usize>i << 3), ((<u64>ref) << 32) | <u64>ip);
}

/** Removes `ip` if present, shifting later members of its run back into the gap. */
// @ts-ignore: decorator
@inline export function indexRemove(table: ArpTableState, f: ArpIface, ip: u32): void {
  indexRemoveAt(table, f, ip, homeOf(table, f, ip));
}

/** {@link indexRemove} with `ip`'s home position already known (`homeOf`). */
export function indexRemoveAt(table: ArpTableState, f: ArpIface, ip: u32, home: u32): void {
  let i = home;
  const base = f.index;
  while (true) {
    const key = load<u32>(base + (<usize>i << 3));
    if (key == ip) break;
    if (key == 0) return;
    i = nextPosition(f, i);
  }
  const cap = f.indexCap;
  let j = i;
  while (true) {
    j = nextPosition(f, j);
    const e = load<u64>(base + (<usize>j << 3));
    const key = <u32>e;
    if (key == 0) break;
    // The member at j may fill the gap at i when i lies on its probe path (home .. j).
    const home = homeOf(table, f, key);
    const fromHome = j >= home ? j - home : j + cap - home;
    const fromGap = j >= i ? j - i : j + cap - i;
    if (fromHome >= fromGap) {
      store<u64>(base + (<usize>i << 3), e);
      i = j;
    }
  }
  store<u64>(base + (<usize>i << 3), 0);
  f.indexCount--;
}

/** Loads the index slot at `home` (its value is meaningless), so that a later access finds it in cache. */
// @ts-ignore: decorator
@inline export function indexTouch(f: ArpIface, home: u32): u64 {
  return load<u64>(f.index + (<usize>home << 3));
}

/** Empties the index. */
export function indexClear(f: ArpIface): void {
  memory.fill(f.index, 0, <usize>f.indexCap << 3);
  f.indexCount = 0;
}
