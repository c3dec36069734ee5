// Stations: the keyed index (linear probing over u64 slots: hash in the high word, station + 1
// in the low word; backward-shift deletion), the per-group expiry lists, learning and aging.

import { sipHashWord } from "../common/hash";
import {
  BridgeState, NIL, S_BYTES, S_MAC, S_EXPIRES, S_LAST_SEEN, S_PORT, S_GROUP, S_FLAGS, S_PREV, S_NEXT, S_RX, FLAG_LIVE,
  G_BYTES, G_AGING, G_HEAD, G_TAIL, G_STATIONS, MAX_GROUPS, COUNTERS, C_LEARNED, C_REFRESHED, C_MOVED, C_AGED, C_LEARN_REFUSED,
} from "./state";

// @ts-ignore: decorator
@inline export function station(t: BridgeState, s: u32): usize {
  return t.stations + <usize>s * S_BYTES;
}
// @ts-ignore: decorator
@inline export function group(t: BridgeState, g: u32): usize {
  return t.groups + <usize>g * G_BYTES;
}
// @ts-ignore: decorator
@inline export function count(t: BridgeState, g: u32, slot: u32): void {
  const p = t.counters + ((<usize>g * COUNTERS + slot) << 3);
  store<u64>(p, load<u64>(p) + 1);
}

// @ts-ignore: decorator
@inline function hashOf(t: BridgeState, g: u32, mac: u64): u32 {
  return <u32>sipHashWord(mac | (<u64>g << 48), t.k0, t.k1);
}

/** The station (live, perhaps expired) for `mac` in group `g`, or NIL. */
export function find(t: BridgeState, g: u32, mac: u64): u32 {
  const h = hashOf(t, g, mac);
  const mask = t.indexMask;
  let i = h & mask;
  let probes: u32 = 0;
  for (;;) {
    const v = load<u64>(t.index + (<usize>i << 3));
    if (v == 0) break;
    if (<u32>(v >> 32) == h) {
      const s = <u32>v - 1;
      const p = station(t, s);
      if (load<u64>(p + S_MAC) == mac && <u32>load<u16>(p + S_GROUP) == g) {
        if (probes > t.longestProbe) t.longestProbe = probes;
        return s;
      }
    }
    i = (i + 1) & mask;
    probes++;
  }
  if (probes > t.longestProbe) t.longestProbe = probes;
  return NIL;
}

function indexInsert(t: BridgeState, h: u32, s: u32): void {
  const mask = t.indexMask;
  let i = h & mask;
  while (load<u64>(t.index + (<usize>i << 3)) != 0) i = (i + 1) & mask;
  store<u64>(t.index + (<usize>i << 3), (<u64>h << 32) | <u64>(s + 1));
}

function indexRemove(t: BridgeState, h: u32, s: u32): void {
  const mask = t.indexMask;
  const value = (<u64>h << 32) | <u64>(s + 1);
  let hole = h & mask;
  while (load<u64>(t.index + (<usize>hole << 3)) != value) hole = (hole + 1) & mask;
  let j = hole;
  for (;;) {
    j = (j + 1) & mask;
    const v = load<u64>(t.index + (<usize>j << 3));
    if (v == 0) break;
    const home = <u32>(v >> 32) & mask;
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      store<u64>(t.index + (<usize>hole << 3), v);
      hole = j;
    }
  }
  store<u64>(t.index + (<usize>hole << 3), 0);
}

function listAppend(t: BridgeState, g: u32, s: u32): void {
  const gp = group(t, g);
  const p = station(t, s);
  const last = load<u32>(gp + G_TAIL);
  store<u32>(p + S_PREV, last);
  store<u32>(p + S_NEXT, NIL);
  if (last == NIL) store<u32>(gp + G_HEAD, s);
  else store<u32>(station(t, last) + S_NEXT, s);
  store<u32>(gp + G_TAIL, s);
}

function listRemove(t: BridgeState, g: u32, s: u32): void {
  const gp = group(t, g);
  const p = station(t, s);
  const prev = load<u32>(p + S_PREV);
  const next = load<u32>(p + S_NEXT);
  if (prev == NIL) store<u32>(gp + G_HEAD, next);
  else store<u32>(station(t, prev) + S_NEXT, next);
  if (next == NIL) store<u32>(gp + G_TAIL, prev);
  else store<u32>(station(t, next) + S_PREV, prev);
}

/** Removes station `s` (its group's count, index, list). */
export function removeStation(t: BridgeState, s: u32): void {
  const p = station(t, s);
  const g = <u32>load<u16>(p + S_GROUP);
  indexRemove(t, hashOf(t, g, load<u64>(p + S_MAC)), s);
  listRemove(t, g, s);
  const gp = group(t, g);
  store<u32>(gp + G_STATIONS, load<u32>(gp + G_STATIONS) - 1);
  store<u8>(p + S_FLAGS, 0);
  store<u32>(p + S_NEXT, t.freeHead);
  t.freeHead = s;
  t.live--;
}

/** Station `s` if it has not expired by `now`; an expired one is aged out (lazily) and NIL returned. */
export function alive(t: BridgeState, s: u32, now: i64): u32 {
  if (s == NIL) return NIL;
  const p = station(t, s);
  if (load<i64>(p + S_EXPIRES) <= now) {
    const g = <u32>load<u16>(p + S_GROUP);
    removeStation(t, s);
    count(t, g, C_AGED);
    return NIL;
  }
  return s;
}

/** Learns `mac` on `port` of group `g` at `now` (refresh, move, or a new station). */
export function learn(t: BridgeState, g: u32, mac: u64, port: u32, now: i64): void {
  const gp = group(t, g);
  const aging = load<i64>(gp + G_AGING);
  let s = alive(t, find(t, g, mac), now);
  if (s != NIL) {
    const p = station(t, s);
    if (load<u32>(p + S_PORT) != port) {
      store<u32>(p + S_PORT, port);
      count(t, g, C_MOVED);
    } else count(t, g, C_REFRESHED);
    store<u32>(p + S_RX, load<u32>(p + S_RX) + 1);
    store<i64>(p + S_LAST_SEEN, now);
    store<i64>(p + S_EXPIRES, now + aging);
    listRemove(t, g, s);
    listAppend(t, g, s);
    return;
  }
  if (t.freeHead == NIL) {
    count(t, g, C_LEARN_REFUSED);
    return;
  }
  s = t.freeHead;
  const p = station(t, s);
  t.freeHead = load<u32>(p + S_NEXT);
  memory.fill(p, 0, S_BYTES);
  store<u64>(p + S_MAC, mac);
  store<i64>(p + S_EXPIRES, now + aging);
  store<i64>(p + S_LAST_SEEN, now);
  store<u32>(p + S_PORT, port);
  store<u16>(p + S_GROUP, <u16>g);
  store<u8>(p + S_FLAGS, FLAG_LIVE);
  store<u32>(p + S_RX, 1);
  indexInsert(t, hashOf(t, g, mac), s);
  listAppend(t, g, s);
  store<u32>(gp + G_STATIONS, load<u32>(gp + G_STATIONS) + 1);
  t.live++;
  count(t, g, C_LEARNED);
}

/** The ager: groups in number order, each group's stations in expiry order, at most agerWork. */
export function age(t: BridgeState, now: i64): u32 {
  let removed: u32 = 0;
  for (let g: u32 = 1; g < MAX_GROUPS && removed < t.agerWork; g++) {
    const gp = group(t, g);
    for (let s = load<u32>(gp + G_HEAD); s != NIL && removed < t.agerWork; s = load<u32>(gp + G_HEAD)) {
      if (load<i64>(station(t, s) + S_EXPIRES) > now) break;
      removeStation(t, s);
      count(t, g, C_AGED);
      removed++;
    }
  }
  return removed;
}
