// Input filters (NetFlow Input Filters, seed 003:L729–L829): a class is a list of criteria on
// a packet's fields, combined with match-all or match-any, as an MQC class-map. Classes are
// compiled by the TypeScript side (src/sampling/filter-program.ts) into fixed records:
//
//   class      [matchAll (1) or matchAny (0), criterionCount, criterionCount × criterion]
//   criterion  12 words: [kind | negate << 8 | family << 16, a, b, network w0–w3, mask w0–w3, 0]
//
// A class without criteria matches every packet (class-default). The selector offers only IP
// packets that parsed (statuses below 32) to classes. Port criteria need TCP or UDP with its
// transport header (not a non-first fragment, whose ports are 0); the TCP-flags criterion
// needs TCP with its header.
//
// Matching is batch-first: a criterion is evaluated for 64 packets at a time into one u64 word
// of a bitmap, with branch-free predicates in a loop specialised per criterion kind; a class
// is the AND (match-all) or OR (match-any) of its criteria's bitmaps. Branches on packet data
// mispredict on real traffic; these loops have none.

import {
  COLUMN_IP_VERSION, COLUMN_SOURCE, COLUMN_DESTINATION, COLUMN_PROTOCOL, COLUMN_SOURCE_PORT, COLUMN_DESTINATION_PORT,
  COLUMN_TOS, COLUMN_TCP_FLAGS, COLUMN_INPUT_INTERFACE, COLUMN_STATUS, STATUS_OK,
} from "./filter-columns";

export const CRITERION_SOURCE_PREFIX: u32 = 1;
export const CRITERION_DESTINATION_PREFIX: u32 = 2;
export const CRITERION_PROTOCOL: u32 = 3;
export const CRITERION_SOURCE_PORT: u32 = 4;
export const CRITERION_DESTINATION_PORT: u32 = 5;
export const CRITERION_TOS: u32 = 6;
export const CRITERION_TCP_FLAGS: u32 = 7;
export const CRITERION_INPUT_INTERFACE: u32 = 8;
export const CRITERION_LAST: u32 = 8;

/** Words per criterion record. */
export const CRITERION_WORDS: u32 = 12;
/** Words before a class's criteria. */
export const CLASS_HEADER_WORDS: u32 = 2;

// @ts-ignore: decorator
@inline function word(program: usize, index: u32): u32 {
  return load<u32>(program + ((<usize>index) << 2));
}

// @ts-ignore: decorator
@inline function column(columns: usize, offset: usize): usize {
  return <usize>load<u32>(columns + offset);
}

/**
 * Whether packet i satisfies the criterion of `kind` (before negation), without branches on
 * the packet's fields. The column pointers and the criterion's words come in as arguments so
 * that each specialised loop keeps them in locals.
 */
// @ts-ignore: decorator
@inline function predicate(
  kind: u32, i: usize, version: usize, addresses: usize, protocols: usize, ports: usize, bytes: usize, flags: usize, interfaces: usize, statuses: usize,
  a: u32, b: u32, family: u32, n0: u32, n1: u32, n2: u32, n3: u32, m0: u32, m1: u32, m2: u32, m3: u32,
): u32 {
  if (kind == CRITERION_INPUT_INTERFACE) return <u32>(load<u32>(interfaces + (i << 2)) == a);
  const v = <u32>load<u8>(version + i);
  const ip = <u32>(v == 4) | <u32>(v == 6);
  if (kind == CRITERION_SOURCE_PREFIX || kind == CRITERION_DESTINATION_PREFIX) {
    const at = addresses + (i << 4);
    let hit = <u32>(v == family) & <u32>((load<u32>(at) & m0) == n0);
    if (family == 6) {
      hit &= <u32>((load<u32>(at, 4) & m1) == n1) & <u32>((load<u32>(at, 8) & m2) == n2) & <u32>((load<u32>(at, 12) & m3) == n3);
    }
    return hit;
  }
  const protocol = <u32>load<u8>(protocols + i);
  if (kind == CRITERION_PROTOCOL) return ip & <u32>(protocol == a);
  if (kind == CRITERION_TOS) return ip & <u32>((<u32>load<u8>(bytes + i) & b) == a);
  const transport = ip & <u32>(<u32>load<u8>(statuses + i) == STATUS_OK);
  if (kind == CRITERION_TCP_FLAGS) return transport & <u32>(protocol == 6) & <u32>((<u32>load<u16>(flags + (i << 1)) & b) == a);
  // Ports: TCP or UDP, and a ≤ port ≤ b as one unsigned comparison.
  const hasPorts = <u32>(protocol == 6) | <u32>(protocol == 17);
  const port = <u32>load<u16>(ports + (i << 1));
  return transport & hasPorts & <u32>(port - a <= b - a);
}

/** Fills `out` (u64 per 64 packets) with the criterion's bits, for the words where `needed` has any. */
// @ts-ignore: decorator
@inline function fillBits(
  kind: u32, columns: usize, count: u32, needed: usize, out: usize,
  a: u32, b: u32, family: u32, n0: u32, n1: u32, n2: u32, n3: u32, m0: u32, m1: u32, m2: u32, m3: u32, negate: u64,
): void {
  const version = column(columns, COLUMN_IP_VERSION);
  const addresses = column(columns, kind == CRITERION_SOURCE_PREFIX ? COLUMN_SOURCE : COLUMN_DESTINATION);
  const protocols = column(columns, COLUMN_PROTOCOL);
  const ports = column(columns, kind == CRITERION_SOURCE_PORT ? COLUMN_SOURCE_PORT : COLUMN_DESTINATION_PORT);
  const bytes = column(columns, COLUMN_TOS);
  const flags = column(columns, COLUMN_TCP_FLAGS);
  const interfaces = column(columns, COLUMN_INPUT_INTERFACE);
  const statuses = column(columns, COLUMN_STATUS);
  const words = (count + 63) >> 6;
  for (let w: u32 = 0; w < words; w++) {
    const at = out + ((<usize>w) << 3);
    if (load<u64>(needed + ((<usize>w) << 3)) == 0) {
      store<u64>(at, 0);
      continue;
    }
    const base = <usize>(w << 6);
    const end = min<u32>(64, count - (w << 6));
    let bits: u64 = 0;
    for (let j: u32 = 0; j < end; j++) {
      const hit = predicate(kind, base + <usize>j, version, addresses, protocols, ports, bytes, flags, interfaces, statuses, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3);
      bits |= (<u64>hit) << j;
    }
    store<u64>(at, bits ^ negate);
  }
}

/** Evaluates the criterion at word `at` of the program into the bitmap `out`. */
function criterionBits(program: usize, at: u32, columns: usize, count: u32, needed: usize, out: usize): void {
  const head = word(program, at);
  const kind = head & 0xff;
  const negate: u64 = ((head >> 8) & 1) != 0 ? <u64>-1 : 0;
  const family = (head >> 16) & 0xff;
  const a = word(program, at + 1), b = word(program, at + 2);
  const n0 = word(program, at + 3), n1 = word(program, at + 4), n2 = word(program, at + 5), n3 = word(program, at + 6);
  const m0 = word(program, at + 7), m1 = word(program, at + 8), m2 = word(program, at + 9), m3 = word(program, at + 10);
  // One call site per kind, so that each inlined loop is specialised to it.
  switch (kind) {
    case CRITERION_SOURCE_PREFIX:
      fillBits(CRITERION_SOURCE_PREFIX, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_DESTINATION_PREFIX:
      fillBits(CRITERION_DESTINATION_PREFIX, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_PROTOCOL:
      fillBits(CRITERION_PROTOCOL, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_SOURCE_PORT:
      fillBits(CRITERION_SOURCE_PORT, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_DESTINATION_PORT:
      fillBits(CRITERION_DESTINATION_PORT, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_TOS:
      fillBits(CRITERION_TOS, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    case CRITERION_TCP_FLAGS:
      fillBits(CRITERION_TCP_FLAGS, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
    default:
      fillBits(CRITERION_INPUT_INTERFACE, columns, count, needed, out, a, b, family, n0, n1, n2, n3, m0, m1, m2, m3, negate);
      break;
  }
}

/**
 * The bitmap of the packets in `needed` that belong to the class at word `at` of the program
 * (bits outside `needed` are zero), written to `out`; `scratch` is a second bitmap of the same
 * size. Bitmaps hold one bit per packet, 64 per u64 word.
 */
export function classBits(program: usize, at: u32, columns: usize, count: u32, needed: usize, out: usize, scratch: usize): void {
  const words = (count + 63) >> 6;
  const matchAll = word(program, at) != 0;
  const criteria = word(program, at + 1);
  if (criteria == 0) {
    memory.copy(out, needed, (<usize>words) << 3);
    return;
  }
  let criterion = at + CLASS_HEADER_WORDS;
  criterionBits(program, criterion, columns, count, needed, out);
  for (let c: u32 = 1; c < criteria; c++) {
    criterion += CRITERION_WORDS;
    criterionBits(program, criterion, columns, count, needed, scratch);
    for (let w: u32 = 0; w < words; w++) {
      const o = out + ((<usize>w) << 3);
      const s = load<u64>(scratch + ((<usize>w) << 3));
      store<u64>(o, matchAll ? load<u64>(o) & s : load<u64>(o) | s);
    }
  }
  for (let w: u32 = 0; w < words; w++) {
    const o = out + ((<usize>w) << 3);
    store<u64>(o, load<u64>(o) & load<u64>(needed + ((<usize>w) << 3)));
  }
}
