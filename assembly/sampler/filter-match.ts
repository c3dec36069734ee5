// Input filters (NetFlow Input Filters, seed 003:L729–L829): a class is a list of criteria on
// a packet's fields, combined with match-all or match-any, as an MQC class-map. Classes are
// compiled by the TypeScript side (src/sampling/filter-program.ts) into fixed records:
//
//   class      [matchAll (1) or matchAny (0), criterionCount, criterionCount × criterion]
//   criterion  12 words: [kind | negate << 8 | family << 16, a, b, network w0–w3, mask w0–w3, 0]
//
// A class without criteria matches every packet (class-default). Criteria on IP fields never
// match a frame that is not IP (before negation); port criteria need TCP, UDP or SCTP; the
// TCP-flags criterion needs TCP.

import {
  columnU8, columnU16, columnU32, columnAddressWord, COLUMN_IP_VERSION, COLUMN_SOURCE, COLUMN_DESTINATION,
  COLUMN_PROTOCOL, COLUMN_SOURCE_PORT, COLUMN_DESTINATION_PORT, COLUMN_TOS, COLUMN_TCP_FLAGS, COLUMN_INPUT_INTERFACE,
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
@inline function hasPorts(protocol: u32): bool {
  return protocol == 6 || protocol == 17 || protocol == 132;
}

function prefixMatches(program: usize, at: u32, columns: usize, column: usize, i: u32, family: u32): bool {
  if (columnU8(columns, COLUMN_IP_VERSION, i) != family) return false;
  if ((columnAddressWord(columns, column, i, 0) & word(program, at + 7)) != word(program, at + 3)) return false;
  if (family == 4) return true;
  return (columnAddressWord(columns, column, i, 1) & word(program, at + 8)) == word(program, at + 4)
    && (columnAddressWord(columns, column, i, 2) & word(program, at + 9)) == word(program, at + 5)
    && (columnAddressWord(columns, column, i, 3) & word(program, at + 10)) == word(program, at + 6);
}

/** Whether packet i satisfies the criterion at word `at` of the program. */
function criterionMatches(program: usize, at: u32, columns: usize, i: u32): bool {
  const head = word(program, at);
  const kind = head & 0xff;
  const a = word(program, at + 1);
  const b = word(program, at + 2);
  let result = false;
  if (kind == CRITERION_INPUT_INTERFACE) {
    result = columnU32(columns, COLUMN_INPUT_INTERFACE, i) == a;
  } else {
    const version = columnU8(columns, COLUMN_IP_VERSION, i);
    if (version == 4 || version == 6) {
      if (kind == CRITERION_SOURCE_PREFIX) {
        result = prefixMatches(program, at, columns, COLUMN_SOURCE, i, (head >> 16) & 0xff);
      } else if (kind == CRITERION_DESTINATION_PREFIX) {
        result = prefixMatches(program, at, columns, COLUMN_DESTINATION, i, (head >> 16) & 0xff);
      } else if (kind == CRITERION_PROTOCOL) {
        result = columnU8(columns, COLUMN_PROTOCOL, i) == a;
      } else if (kind == CRITERION_TOS) {
        result = (columnU8(columns, COLUMN_TOS, i) & b) == a;
      } else {
        const protocol = columnU8(columns, COLUMN_PROTOCOL, i);
        if (kind == CRITERION_TCP_FLAGS) {
          result = protocol == 6 && (columnU8(columns, COLUMN_TCP_FLAGS, i) & b) == a;
        } else if (hasPorts(protocol)) {
          const port = columnU16(columns, kind == CRITERION_SOURCE_PORT ? COLUMN_SOURCE_PORT : COLUMN_DESTINATION_PORT, i);
          result = port >= a && port <= b;
        }
      }
    }
  }
  return result != (((head >> 8) & 1) != 0);
}

/** Whether packet i belongs to the class at word `at` of the program. */
export function classMatches(program: usize, at: u32, columns: usize, i: u32): bool {
  const matchAll = word(program, at) != 0;
  const count = word(program, at + 1);
  if (count == 0) return true;
  let criterion = at + CLASS_HEADER_WORDS;
  for (let c: u32 = 0; c < count; c++, criterion += CRITERION_WORDS) {
    const hit = criterionMatches(program, criterion, columns, i);
    if (matchAll && !hit) return false;
    if (!matchAll && hit) return true;
  }
  return matchAll;
}
