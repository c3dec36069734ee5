// The read-ahead of natTranslateBatch (measured: a scan at 40,000 translations spent its time in
// cache misses, four per new flow on random index buckets). Before a run of READ_AHEAD_RUN rows
// is translated, this hashes the key of each inside TCP/UDP row and loads, in tight loops of
// independent loads (so that the misses overlap; the hashing is kept out of those loops), the
// forward index bucket of its key, the reverse bucket of the first port PAT will try for it, and
// the buckets of the entries the run may reclaim (the heads of the expiry list). The hashes go to the row's hint, so translateRow does
// not compute them again. Nothing here changes the table: only what is in cache.

import { PacketBatch } from "../packet/batch";
import { PACKET_STATUS_OK } from "../packet/status";
import {
  NatState, NIL, MAX_INTERFACES, ROLE_INSIDE, ROLE_OUTSIDE, E_NEXT, E_FORWARD_HASH, E_REVERSE_HASH, MAP_BYTES, MAP_POOL,
  MAP_OVERLOAD, POOL_BYTES, POOL_START, POOL_SIZE, HINT_BYTES, HINT_FORWARD, HINT_REVERSE, HINT_GLOBAL, HINT_PORT, HINT_FLAGS,
  HINT_HAS_FORWARD, HINT_HAS_REVERSE, READ_AHEAD_RUN,
} from "./state";
import { entry, hashForwardExtended, hashReverseExtended, earliestClass, bucketOf, bucketCandidate } from "./table";
import { matchMapping, firstPort } from "./translate";

const TCP: u32 = 6;
const UDP: u32 = 17;

/** Hints and loads for rows [start, stop) (at most READ_AHEAD_RUN); `egress` as natTranslateBatch takes it. */
export function prepareRun(t: NatState, b: PacketBatch, start: u32, stop: u32, egress: usize): void {
  let sink: u64 = 0;
  let candidates: u32 = 0;
  for (let i = start; i < stop; i++) {
    const hint = t.hints + <usize>(i - start) * HINT_BYTES;
    store<u16>(hint + HINT_FLAGS, 0);
    const k = <usize>i;
    const iface = load<u32>(b.iface + (k << 2));
    if (iface >= MAX_INTERFACES || load<u8>(t.roles + <usize>iface) != ROLE_INSIDE) continue;
    if (egress != 0) {
      const out = load<u32>(egress + (k << 2));
      if (out != 0xffffffff && (out >= MAX_INTERFACES || load<u8>(t.roles + <usize>out) != ROLE_OUTSIDE)) continue;
    }
    const protocol = <u32>load<u8>(b.protocol + k);
    if (load<u8>(b.ipVersion + k) != 4 || load<u8>(b.status + k) != PACKET_STATUS_OK || (protocol != TCP && protocol != UDP)) continue;
    const src = load<u32>(b.src + (k << 4));
    const dst = load<u32>(b.dst + (k << 4));
    const sport = <u32>load<u16>(b.srcPort + (k << 1));
    const dport = <u32>load<u16>(b.dstPort + (k << 1));
    store<u32>(hint + HINT_FORWARD, hashForwardExtended(t, protocol, src, sport, dst, dport));
    store<u16>(hint + HINT_FLAGS, HINT_HAS_FORWARD);
    candidates++;
  }
  if (candidates == 0) return;
  for (let i = start; i < stop; i++) {
    const hint = t.hints + <usize>(i - start) * HINT_BYTES;
    if (load<u16>(hint + HINT_FLAGS) & HINT_HAS_FORWARD) sink += load<u64>(bucketOf(t, t.forward, load<u32>(hint + HINT_FORWARD)));
  }
  // A row whose home bucket holds its tag is most likely an established flow: no new translation,
  // no port to try, but its entry (the key compare and the update read it). For the others, the
  // hash of the first port PAT will try, then its bucket.
  let misses: u32 = 0;
  for (let i = start; i < stop; i++) {
    const hint = t.hints + <usize>(i - start) * HINT_BYTES;
    if (!(load<u16>(hint + HINT_FLAGS) & HINT_HAS_FORWARD)) continue;
    const candidate = bucketCandidate(t, t.forward, load<u32>(hint + HINT_FORWARD));
    if (candidate != NIL) {
      sink += load<u64>(entry(t, candidate));
      continue;
    }
    misses++;
    const k = <usize>i;
    const src = load<u32>(b.src + (k << 4));
    const m = matchMapping(t, src);
    if (m == NIL) continue;
    const map = t.mappings + <usize>m * MAP_BYTES;
    if (!load<u32>(map + MAP_OVERLOAD)) continue;
    const pool = t.pools + <usize>load<u32>(map + MAP_POOL) * POOL_BYTES;
    const global = load<u32>(pool + POOL_START) + src % load<u32>(pool + POOL_SIZE);
    const protocol = <u32>load<u8>(b.protocol + k);
    const port = firstPort(protocol, <u32>load<u16>(b.srcPort + (k << 1)));
    const reverse = hashReverseExtended(t, protocol, global, port, load<u32>(b.dst + (k << 4)), <u32>load<u16>(b.dstPort + (k << 1)));
    store<u32>(hint + HINT_REVERSE, reverse);
    store<u32>(hint + HINT_GLOBAL, global);
    store<u16>(hint + HINT_PORT, <u16>port);
    store<u16>(hint + HINT_FLAGS, HINT_HAS_FORWARD | HINT_HAS_REVERSE);
  }
  for (let i = start; i < stop; i++) {
    const hint = t.hints + <usize>(i - start) * HINT_BYTES;
    if (load<u16>(hint + HINT_FLAGS) & HINT_HAS_REVERSE) sink += load<u64>(bucketOf(t, t.reverse, load<u32>(hint + HINT_REVERSE)));
  }
  // A full table makes room by reclaiming the entries that expire first: their buckets too.
  if (misses > 0 && (t.dynamic + misses > t.maxEntries || t.live + misses > t.capacity)) {
    const c = earliestClass(t);
    let e = c == NIL ? NIL : load<u32>(t.heads + (<usize>c << 2));
    for (let n: u32 = 0; n < misses && e != NIL; n++) {
      const p = entry(t, e);
      sink += load<u64>(bucketOf(t, t.forward, load<u32>(p + E_FORWARD_HASH)));
      sink += load<u64>(bucketOf(t, t.reverse, load<u32>(p + E_REVERSE_HASH)));
      e = load<u32>(p + E_NEXT);
    }
  }
  store<u64>(t.hints + <usize>READ_AHEAD_RUN * HINT_BYTES, sink); // the loads' sink, after the hints
}
