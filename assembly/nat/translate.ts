// One packet through the NAT table: classify by the interfaces' roles, look the translation up
// (extended entry first, then the simple one), create it from the first matching mapping when
// there is none, and rewrite the packet in place: its columns, and its frame with the IPv4
// header and TCP/UDP/ICMP checksums updated incrementally (RFC 1624). Every packet ends in
// exactly one verdict and one counter (the conservation law the tests check).

import { PacketBatch } from "../packet/batch";
import { PACKET_STATUS_OK, PACKET_STATUS_FRAGMENT } from "../packet/status";
import { be16, setBe16, setBe32, patch16, patch32 } from "./checksum";
import {
  NatState, NIL, ROLE_INSIDE, ROLE_OUTSIDE, MAX_INTERFACES, E_LOCAL, E_GLOBAL, E_LOCAL_PORT, E_GLOBAL_PORT, E_FLAGS,
  E_CLASS, E_EXPIRES, E_HITS, FLAG_STATIC, FLAG_EXTENDED, CLASS_TIMEOUT, CLASS_UDP, CLASS_DNS, CLASS_TCP, CLASS_FINRST,
  CLASS_ICMP, CLASS_SYN, VERDICT_NOT_NAT, VERDICT_OUT, VERDICT_IN, VERDICT_SKIPPED, VERDICT_NO_MAPPING,
  VERDICT_OUTSIDE_MISS, VERDICT_DROP_MAX_ENTRIES, VERDICT_DROP_TABLE_FULL, VERDICT_DROP_NO_ADDRESS, VERDICT_DROP_NO_PORT,
  VERDICT_DROP_UNTRANSLATABLE, VERDICT_ICMP, C_PACKETS, C_TRANSLATED_OUT, C_TRANSLATED_IN, C_HITS, C_MISSES, C_CREATED,
  C_NOT_NAT, C_SKIPPED, C_NO_MAPPING, C_OUTSIDE_MISS, C_DROP_MAX_ENTRIES, C_DROP_TABLE_FULL, C_DROP_NO_ADDRESS,
  C_DROP_NO_PORT, C_DROP_UNTRANSLATABLE, C_PEAK_ENTRIES, C_COLUMNS_ONLY, C_PORT_PROBES, C_RECLAIMED, POOL_BYTES,
  POOL_SIZE, POOL_START, POOL_SLOTS, POOL_FREE_TOP, POOL_MISSES, MAP_BYTES, MAP_POOL, MAP_OVERLOAD, MAP_ACL_START,
  MAP_ACL_COUNT, ACL_BYTES, PORT_PROBES, HINT_FLAGS, HINT_HAS_FORWARD, HINT_HAS_REVERSE, HINT_FORWARD, HINT_REVERSE, HINT_GLOBAL,
  HINT_PORT,
} from "./state";
import {
  entry, count, touch, insertEntry, expireEntry, reclaimOne, findForwardExtended, findForwardSimple,
  findReverseExtended, findReverseSimple, hashForwardSimple, hashReverseSimple, lastHash, findForwardExtendedAt,
  findReverseExtendedAt,
} from "./table";

const TCP: u32 = 6;
const UDP: u32 = 17;
const ICMP: u32 = 1;
const TCP_FIN: u32 = 0x001;
const TCP_SYN: u32 = 0x002;
const TCP_RST: u32 = 0x004;
const TCP_ACK: u32 = 0x010;
const DNS_PORT: u32 = 53;

/** ICMP messages with a query identifier (RFC 792): echo, timestamp, information, address mask. */
// @ts-ignore: decorator
@inline function isIcmpQuery(type: u32): bool {
  return type == 0 || type == 8 || type == 13 || type == 14 || type == 15 || type == 16 || type == 17 || type == 18;
}

/** The timeout class of a new extended entry, from its first packet. */
function classOf(protocol: u32, dstPort: u32, flags: u32): u32 {
  if (protocol == TCP) {
    if (flags & (TCP_FIN | TCP_RST)) return CLASS_FINRST;
    if ((flags & TCP_SYN) && !(flags & TCP_ACK)) return CLASS_SYN;
    return CLASS_TCP;
  }
  if (protocol == UDP) return dstPort == DNS_PORT ? CLASS_DNS : CLASS_UDP;
  return CLASS_ICMP;
}

/** The class after a packet of an existing extended entry (FIN/RST close, an ACK establishes). */
function nextClass(current: u32, protocol: u32, flags: u32): u32 {
  if (protocol != TCP || current == CLASS_FINRST) return current;
  if (flags & (TCP_FIN | TCP_RST)) return CLASS_FINRST;
  if (current == CLASS_SYN && (flags & TCP_ACK)) return CLASS_TCP;
  return current;
}

/** The live, unexpired entry `e` (or NIL); an expired one is removed on the way (lazy expiry). */
function live(t: NatState, e: u32, now: i64): u32 {
  if (e == NIL) return NIL;
  const p = entry(t, e);
  if (!(load<u8>(p + E_FLAGS) & FLAG_STATIC) && load<i64>(p + E_EXPIRES) <= now) {
    expireEntry(t, e);
    return NIL;
  }
  return e;
}

/** The first mapping whose access list permits `source`, or NIL. */
export function matchMapping(t: NatState, source: u32): u32 {
  for (let m: u32 = 0; m < t.mappingCount; m++) {
    const map = t.mappings + <usize>m * MAP_BYTES;
    const start = load<u32>(map + MAP_ACL_START);
    const end = start + load<u32>(map + MAP_ACL_COUNT);
    for (let k = start; k < end; k++) {
      const a = t.acl + <usize>k * ACL_BYTES;
      const mask = load<u32>(a, 4);
      if ((source & mask) == (load<u32>(a) & mask)) {
        if (load<u32>(a, 8)) return m;
        break; // a deny entry ends this access list
      }
    }
  }
  return NIL;
}

// @ts-ignore: decorator
@inline function drop(t: NatState, slot: u32, verdict: u8): u8 {
  count(t, slot);
  return verdict;
}

// outbound()'s results (AssemblyScript has no multiple returns; globals stay in the module).
let resultEntry: u32 = NIL;
let resultVerdict: u8 = 0;
let resultCreated = false;

/**
 * Finds or creates the translation of an inside → outside packet. Sets `resultEntry` (and
 * `resultCreated`) on success, else `resultVerdict` to a drop or pass verdict.
 */
function outbound(
  t: NatState, protocol: u32, src: u32, sport: u32, dst: u32, dport: u32, flags: u32, ported: bool, now: i64, hint: usize,
): void {
  resultEntry = NIL;
  resultCreated = false;
  const oport = protocol == ICMP ? 0 : dport;
  let e: u32 = NIL;
  let forwardHash: u32 = 0;
  const hinted = hint != 0 ? load<u16>(hint + HINT_FLAGS) : 0;
  if (ported) {
    e = live(t, hinted & HINT_HAS_FORWARD
      ? findForwardExtendedAt(t, load<u32>(hint + HINT_FORWARD), protocol, src, sport, dst, oport)
      : findForwardExtended(t, protocol, src, sport, dst, oport), now);
    forwardHash = lastHash;
  }
  // Simple entries (static, pool NAT) are looked up only when there are any: a PAT-only table
  // then spends one index probe per new flow, not two (a scan is all new flows).
  if (e == NIL && t.live != t.extended) e = live(t, findForwardSimple(t, src), now);
  if (e != NIL) {
    resultEntry = e;
    return;
  }
  count(t, C_MISSES);
  const m = matchMapping(t, src);
  if (m == NIL) {
    resultVerdict = drop(t, C_NO_MAPPING, VERDICT_NO_MAPPING);
    return;
  }
  const map = t.mappings + <usize>m * MAP_BYTES;
  const overload = load<u32>(map + MAP_OVERLOAD) != 0;
  if (overload && !ported) {
    resultVerdict = drop(t, C_DROP_UNTRANSLATABLE, VERDICT_DROP_UNTRANSLATABLE);
    return;
  }
  if (t.dynamic >= t.maxEntries && reclaimOne(t, now)) count(t, C_RECLAIMED);
  if (t.dynamic >= t.maxEntries) {
    resultVerdict = drop(t, C_DROP_MAX_ENTRIES, VERDICT_DROP_MAX_ENTRIES | VERDICT_ICMP);
    return;
  }
  if (t.freeHead == NIL && reclaimOne(t, now)) count(t, C_RECLAIMED);
  if (t.freeHead == NIL) {
    resultVerdict = drop(t, C_DROP_TABLE_FULL, VERDICT_DROP_TABLE_FULL | VERDICT_ICMP);
    return;
  }
  const pool = t.pools + <usize>load<u32>(map + MAP_POOL) * POOL_BYTES;
  const first = load<u32>(pool + POOL_SLOTS);
  if (!overload) {
    const top = load<u32>(pool + POOL_FREE_TOP);
    if (top == 0) {
      store<u32>(pool + POOL_MISSES, load<u32>(pool + POOL_MISSES) + 1);
      resultVerdict = drop(t, C_DROP_NO_ADDRESS, VERDICT_DROP_NO_ADDRESS | VERDICT_ICMP);
      return;
    }
    const offset = load<u32>(t.poolFree + (<usize>(first + top - 1) << 2));
    store<u32>(pool + POOL_FREE_TOP, top - 1);
    const global = load<u32>(pool + POOL_START) + offset;
    resultCreated = true;
    resultEntry = insertEntry(t, 0, 0, src, 0, global, 0, 0, 0, CLASS_TIMEOUT, m, first + offset, now, hashForwardSimple(t, src),
      hashReverseSimple(t, global));
    count(t, C_CREATED);
    return;
  }
  // PAT: the inside host keeps one global address (paired pooling), its port if it is free for
  // this outside endpoint, else the next free one in the same range (1-511, 512-1023, 1024-65535;
  // any id for ICMP), at most PORT_PROBES tries.
  const offset = src % load<u32>(pool + POOL_SIZE);
  const global = load<u32>(pool + POOL_START) + offset;
  const lo = portRangeLow(protocol, sport);
  const hi = protocol == ICMP ? 65535 : sport < 512 ? 511 : sport < 1024 ? 1023 : 65535;
  let port = firstPort(protocol, sport);
  let found = false;
  let reverseHash: u32 = 0;
  for (let k: u32 = 0; k < PORT_PROBES; k++) {
    count(t, C_PORT_PROBES);
    const spared = k == 0 && (hinted & HINT_HAS_REVERSE) != 0 && load<u32>(hint + HINT_GLOBAL) == global
      && <u32>load<u16>(hint + HINT_PORT) == port;
    const taken = spared
      ? findReverseExtendedAt(t, load<u32>(hint + HINT_REVERSE), protocol, global, port, dst, oport)
      : findReverseExtended(t, protocol, global, port, dst, oport);
    if (taken == NIL) {
      reverseHash = lastHash;
      found = true;
      break;
    }
    port = port == hi ? lo : port + 1;
  }
  if (!found) {
    store<u32>(pool + POOL_MISSES, load<u32>(pool + POOL_MISSES) + 1);
    resultVerdict = drop(t, C_DROP_NO_PORT, VERDICT_DROP_NO_PORT | VERDICT_ICMP);
    return;
  }
  resultCreated = true;
  resultEntry = insertEntry(t, FLAG_EXTENDED, protocol, src, sport, global, port, dst, oport, classOf(protocol, dport, flags), m,
    first + offset, now, forwardHash, reverseHash);
  count(t, C_CREATED);
}

/** The low end of the port range PAT keeps a port in (1-511, 512-1023, 1024-65535; any id for ICMP). */
// @ts-ignore: decorator
@inline export function portRangeLow(protocol: u32, sport: u32): u32 {
  return protocol == ICMP ? 0 : sport < 512 ? 1 : sport < 1024 ? 512 : 1024;
}

/** The first port PAT tries: the inside local one, raised into its range. */
// @ts-ignore: decorator
@inline export function firstPort(protocol: u32, sport: u32): u32 {
  const lo = portRangeLow(protocol, sport);
  return sport < lo ? lo : sport;
}

/** Records a packet through entry `e`: hit count, use time, TCP state. */
function use(t: NatState, e: u32, protocol: u32, flags: u32, now: i64): void {
  const p = entry(t, e);
  store<u32>(p + E_HITS, load<u32>(p + E_HITS) + 1);
  const f = load<u8>(p + E_FLAGS);
  if (f & FLAG_STATIC) {
    store<i64>(p + E_EXPIRES, now); // a static entry's last use (it never expires)
    return;
  }
  const c = <u32>load<u8>(p + E_CLASS);
  touch(t, e, (f & FLAG_EXTENDED) ? nextClass(c, protocol, flags) : c, now);
}

/**
 * Translates row `i` of the batch. `egressRole` is the role of the packet's output interface
 * when the caller knows it (after routing), or 0xff when it does not; inside → outside
 * translation then needs only an inside input interface.
 */
export function translateRow(t: NatState, b: PacketBatch, i: u32, now: i64, egressRole: u32, hint: usize = 0): u8 {
  const k = <usize>i;
  count(t, C_PACKETS);
  const iface = load<u32>(b.iface + (k << 2));
  const role = iface < MAX_INTERFACES ? <u32>load<u8>(t.roles + <usize>iface) : 0;
  const inbound = role == ROLE_OUTSIDE;
  const outboundPacket = role == ROLE_INSIDE && (egressRole == 0xff || egressRole == ROLE_OUTSIDE);
  if (!inbound && !outboundPacket) return drop(t, C_NOT_NAT, VERDICT_NOT_NAT);
  const status = <u32>load<u8>(b.status + k);
  if (load<u8>(b.ipVersion + k) != 4 || (status != PACKET_STATUS_OK && status != PACKET_STATUS_FRAGMENT)) {
    return drop(t, C_SKIPPED, VERDICT_SKIPPED);
  }
  const protocol = <u32>load<u8>(b.protocol + k);
  const src = load<u32>(b.src + (k << 4));
  const dst = load<u32>(b.dst + (k << 4));
  const cap = load<u32>(b.capturedLength + (k << 2));
  const frame = b.frames + <usize>load<u32>(b.frameOffset + (k << 2));
  const l3 = <usize>load<u32>(b.l3Offset + (k << 2));
  const l4 = <usize>load<u32>(b.l4Offset + (k << 2));
  const hasFrame = cap != 0;
  const whole = status == PACKET_STATUS_OK;
  // The columns may have been filled by hand: the rewrite must stay inside the frame, and the
  // frame inside the batch's frame area (IPv4 header, then the transport fields it touches).
  if (hasFrame) {
    const need = protocol == TCP ? 20 : protocol == UDP ? 8 : protocol == ICMP ? 4 : 0;
    if (<u64>load<u32>(b.frameOffset + (k << 2)) + <u64>cap > <u64>b.frameBytes || l3 + 20 > <usize>cap
      || (whole && (l4 < l3 + 20 || l4 + <usize>need > <usize>cap))) {
      return drop(t, C_SKIPPED, VERDICT_SKIPPED);
    }
  }
  let sport: u32 = 0, dport: u32 = 0;
  let ported = false;
  if (whole && (protocol == TCP || protocol == UDP)) {
    sport = <u32>load<u16>(b.srcPort + (k << 1));
    dport = <u32>load<u16>(b.dstPort + (k << 1));
    ported = true;
  } else if (whole && protocol == ICMP && isIcmpQuery(<u32>load<u8>(b.icmpType + k))) {
    if (!hasFrame) ported = true;
    else if (<u32>l4 + 8 <= cap) {
      sport = be16(frame + l4 + 4);
      ported = true;
    }
    dport = sport;
  }
  const flags = protocol == TCP ? <u32>load<u16>(b.tcpFlags + (k << 1)) : 0;

  let e: u32 = NIL;
  let created = false;
  if (outboundPacket) {
    outbound(t, protocol, src, sport, dst, dport, flags, ported, now, hint);
    if (resultEntry == NIL) return resultVerdict;
    e = resultEntry;
    created = resultCreated;
    if (!created) count(t, C_HITS);
  } else {
    const oport = protocol == ICMP ? 0 : sport;
    if (ported) e = live(t, findReverseExtended(t, protocol, dst, dport, src, oport), now);
    if (e == NIL && t.live != t.extended) e = live(t, findReverseSimple(t, dst), now);
    if (e == NIL) return drop(t, C_OUTSIDE_MISS, VERDICT_OUTSIDE_MISS);
    count(t, C_HITS);
  }
  // A new entry is already in the class its first packet gives, expiring from now, at the tail
  // of that class's list: only its packet count moves.
  if (created) store<u32>(entry(t, e) + E_HITS, 1);
  else use(t, e, protocol, flags, now);
  if (t.live > <u32>load<u64>(t.counters + (<usize>C_PEAK_ENTRIES << 3))) store<u64>(t.counters + (<usize>C_PEAK_ENTRIES << 3), t.live);

  // ---- the rewrite: source on the way out, destination on the way in
  const p = entry(t, e);
  const extended = (load<u8>(p + E_FLAGS) & FLAG_EXTENDED) != 0;
  const oldAddress = outboundPacket ? src : dst;
  const newAddress = outboundPacket ? load<u32>(p + E_GLOBAL) : load<u32>(p + E_LOCAL);
  const oldPort = outboundPacket ? sport : dport;
  const newPort = extended ? <u32>(outboundPacket ? load<u16>(p + E_GLOBAL_PORT) : load<u16>(p + E_LOCAL_PORT)) : oldPort;
  if (outboundPacket) store<u32>(b.src + (k << 4), newAddress);
  else store<u32>(b.dst + (k << 4), newAddress);
  if (protocol != ICMP && extended) {
    if (outboundPacket) store<u16>(b.srcPort + (k << 1), <u16>newPort);
    else store<u16>(b.dstPort + (k << 1), <u16>newPort);
  }
  if (hasFrame) {
    const ip = frame + l3;
    setBe32(ip + (outboundPacket ? 12 : 16), newAddress);
    patch32(ip + 10, oldAddress, newAddress, false);
    if (whole) {
      const tp = frame + l4;
      if (protocol == TCP) {
        patch32(tp + 16, oldAddress, newAddress, false);
        if (newPort != oldPort) {
          setBe16(tp + (outboundPacket ? 0 : 2), newPort);
          patch16(tp + 16, oldPort, newPort, false);
        }
      } else if (protocol == UDP) {
        patch32(tp + 6, oldAddress, newAddress, true);
        if (newPort != oldPort) {
          setBe16(tp + (outboundPacket ? 0 : 2), newPort);
          patch16(tp + 6, oldPort, newPort, true);
        }
      } else if (protocol == ICMP && ported && newPort != oldPort) {
        setBe16(tp + 4, newPort);
        patch16(tp + 2, oldPort, newPort, false);
      }
    }
  } else {
    count(t, C_COLUMNS_ONLY);
  }
  if (outboundPacket) {
    count(t, C_TRANSLATED_OUT);
    return VERDICT_OUT;
  }
  count(t, C_TRANSLATED_IN);
  return VERDICT_IN;
}
