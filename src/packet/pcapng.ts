/**
 * pcapng (draft-ietf-opsawg-pcapng): sections (SHB) in either byte order, interfaces (IDB) each
 * with its own link type, snapshot length and timestamp resolution/offset, and packets in
 * enhanced (EPB), simple (SPB) and obsolete (PB) packet blocks. Other blocks are skipped. The
 * indexer walks blocks that a reader copied into a batch's frame area and appends one packet
 * per packet block, pointing at its bytes in place.
 */

import { CaptureFileError } from "../errors.js";
import type { PacketColumns } from "./columns.js";
import { readU16, readU32, timestampMs } from "./pcap.js";
import { MAX_DATE_TIME } from "../common/validation.js";

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 1;
const OBSOLETE_PACKET = 2;
const SIMPLE_PACKET = 3;
const ENHANCED_PACKET = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPTION_END = 0;
const OPTION_TSRESOL = 9;
const OPTION_TSOFFSET = 14;

/** One interface of the current section. */
export interface PcapngInterface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second (10^6 unless if_tsresol says otherwise). */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  offsetSeconds: number;
}

/** What one indexing step did. */
export interface IndexStep {
  /** Frame-area offset of the first byte not consumed. */
  pos: number;
  /** Bytes of a skipped block that lie beyond the frame area's data (the reader drops them as they arrive). */
  skip: number;
  /** A corrupt block: the reader delivers the packets before it, then throws this. */
  error?: CaptureFileError;
}

/** Splits a 64-bit timestamp into whole seconds and a remainder, exactly. */
export function splitTimestamp(high: number, low: number, unitsPerSecond: number): [number, number] {
  if (high < 0x200000) {
    // Below 2^53: exact in a double.
    const ts = high * 4294967296 + low;
    let seconds = Math.floor(ts / unitsPerSecond);
    let fraction = ts - seconds * unitsPerSecond;
    if (fraction < 0) {
      seconds -= 1;
      fraction += unitsPerSecond;
    } else if (fraction >= unitsPerSecond) {
      seconds += 1;
      fraction -= unitsPerSecond;
    }
    return [seconds, fraction];
  }
  const ts = (BigInt(high) << 32n) | BigInt(low);
  const units = BigInt(unitsPerSecond);
  return [Number(ts / units), Number(ts % units)];
}

/** The section and interface state of a pcapng stream, and its block indexer. */
export class PcapngIndexer {
  /** Whether the current section is little-endian (undefined before the first SHB). */
  little: boolean | undefined;
  /** The interfaces the current section has described so far, by id. */
  interfaces: PcapngInterface[] = [];
  /** Packets whose timestamp fell outside 0 … MAX_DATE_TIME ms (each took the time before it). */
  timestampsOutOfRange = 0;
  /** Time of the last packet, given to simple packet blocks (which carry none). */
  #lastTime = 0;
  readonly #maxCaptured: number;
  readonly #maxBlock: number;

  /** `maxBlock`: the largest block that must be held whole (the frame area's size). */
  constructor(maxCaptured: number, maxBlock: number) {
    this.#maxCaptured = maxCaptured;
    this.#maxBlock = maxBlock;
  }

  /**
   * Indexes the blocks in area[pos, fill), appending packets to the columns from row `count`
   * up to `capacity`. `base` is the file offset of area[0] (for error offsets). Returns the
   * new position (and the new count through `counter`).
   */
  index(
    area: Uint8Array,
    pos: number,
    fill: number,
    base: number,
    c: PacketColumns,
    counter: { count: number },
    capacity: number,
  ): IndexStep {
    let n = counter.count;
    const fail = (code: string, message: string, at: number): IndexStep => {
      counter.count = n;
      return { pos, skip: 0, error: new CaptureFileError(code, message, base + at) };
    };
    while (n < capacity && fill - pos >= 8) {
      const type = readU32(area, pos, this.little ?? true);
      let little = this.little;
      if (type === SECTION_HEADER) {
        if (fill - pos < 12) break;
        const magic = readU32(area, pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) little = true;
        else if (magic === 0x4d3c2b1a) little = false;
        else
          return fail(
            "pcapng-byte-order",
            `pcapng section header with an invalid byte-order magic 0x${magic.toString(16).padStart(8, "0")}`,
            pos + 8,
          );
      } else if (little === undefined) {
        return fail("pcapng-first-block", "not a pcapng file: the first block is not a section header", pos);
      }
      const length = readU32(area, pos + 4, little!);
      if (length < 12 || length % 4 !== 0) {
        return fail(
          "pcapng-block-length",
          `pcapng block of type 0x${(type >>> 0).toString(16)} has an invalid length ${length} (a multiple of 4, at least 12)`,
          pos,
        );
      }
      const isPacket = type === ENHANCED_PACKET || type === SIMPLE_PACKET || type === OBSOLETE_PACKET;
      if (length > this.#maxBlock) {
        if (isPacket || type === SECTION_HEADER || type === INTERFACE_DESCRIPTION) {
          return fail(
            "pcapng-block-too-large",
            `pcapng block of type 0x${(type >>> 0).toString(16)} is ${length} bytes, more than the ${this.#maxBlock} a reader holds`,
            pos,
          );
        }
        // A large block we do not need (name resolution, custom, ...): skip it as it streams by.
        if (pos + length <= fill) {
          pos += length;
          continue;
        }
        counter.count = n;
        return { pos: fill, skip: pos + length - fill };
      }
      if (fill - pos < length) break;
      if (readU32(area, pos + length - 4, little!) !== length) {
        return fail(
          "pcapng-block-trailer",
          `pcapng block of length ${length} ends with a different length ${readU32(area, pos + length - 4, little!)}`,
          pos,
        );
      }
      if (type === SECTION_HEADER) {
        if (length < 28) return fail("pcapng-block-length", `pcapng section header of length ${length} (at least 28)`, pos);
        const major = readU16(area, pos + 12, little!);
        if (major !== 1)
          return fail("pcapng-version", `unsupported pcapng version ${major}.${readU16(area, pos + 14, little!)} (expected 1.x)`, pos + 12);
        this.little = little;
        this.interfaces = [];
      } else if (type === INTERFACE_DESCRIPTION) {
        if (length < 20) return fail("pcapng-block-length", `pcapng interface description of length ${length} (at least 20)`, pos);
        const description: PcapngInterface = {
          linkType: readU16(area, pos + 8, little!),
          snapLength: readU32(area, pos + 12, little!),
          unitsPerSecond: 1e6,
          offsetSeconds: 0,
        };
        const bad = this.#readOptions(area, pos + 16, pos + length - 4, little!, description);
        if (bad !== undefined) return fail("pcapng-option", `pcapng interface description with a malformed option`, bad);
        this.interfaces.push(description);
      } else if (isPacket) {
        let iface: number, high: number, low: number, captured: number, original: number, data: number;
        if (type === SIMPLE_PACKET) {
          if (length < 16) return fail("pcapng-block-length", `pcapng simple packet block of length ${length} (at least 16)`, pos);
          if (this.interfaces.length === 0)
            return fail("pcapng-interface", "pcapng simple packet block before any interface description", pos);
          iface = 0;
          high = low = 0;
          original = readU32(area, pos + 8, little!);
          const snap = this.interfaces[0]!.snapLength;
          captured = Math.min(original, length - 16, snap === 0 ? Infinity : snap);
          data = pos + 12;
        } else {
          if (length < 32) return fail("pcapng-block-length", `pcapng packet block of length ${length} (at least 32)`, pos);
          iface = type === ENHANCED_PACKET ? readU32(area, pos + 8, little!) : readU16(area, pos + 8, little!);
          high = readU32(area, pos + 12, little!);
          low = readU32(area, pos + 16, little!);
          captured = readU32(area, pos + 20, little!);
          original = readU32(area, pos + 24, little!);
          data = pos + 28;
          if (iface >= this.interfaces.length) {
            return fail(
              "pcapng-interface",
              `pcapng packet on interface ${iface}, but the section describes ${this.interfaces.length}`,
              pos + 8,
            );
          }
          if (captured > length - 32) {
            return fail("pcapng-packet-length", `pcapng packet claims ${captured} captured bytes in a block of ${length}`, pos + 20);
          }
        }
        if (captured > this.#maxCaptured) {
          return fail(
            "pcapng-packet-length",
            `pcapng packet claims ${captured} captured bytes, more than the maximum ${this.#maxCaptured}`,
            pos,
          );
        }
        const description = this.interfaces[iface]!;
        let time = this.#lastTime;
        if (type !== SIMPLE_PACKET) {
          const [seconds, fraction] = splitTimestamp(high, low, description.unitsPerSecond);
          const stamped = timestampMs(seconds + description.offsetSeconds, fraction, description.unitsPerSecond);
          // if_tsresol and if_tsoffset can put a time anywhere in ±2^64 units: outside the date
          // range the packet keeps the time before it, and is counted.
          if (stamped >= 0 && stamped <= MAX_DATE_TIME) {
            time = stamped;
            this.#lastTime = time;
          } else this.timestampsOutOfRange++;
        }
        c.time[n] = time;
        c.interface[n] = iface;
        c.capturedLength[n] = captured;
        c.wireLength[n] = original;
        c.frameOffset[n] = data;
        c.linkType[n] = description.linkType;
        n++;
      }
      pos += length;
    }
    counter.count = n;
    return { pos, skip: 0 };
  }

  /** Reads the options an IDB needs; returns the offset of a malformed option, or undefined. */
  #readOptions(area: Uint8Array, at: number, end: number, little: boolean, description: PcapngInterface): number | undefined {
    while (end - at >= 4) {
      const code = readU16(area, at, little);
      const length = readU16(area, at + 2, little);
      if (code === OPTION_END) return undefined;
      const padded = (length + 3) & ~3;
      if (end - at - 4 < padded) return at;
      if (code === OPTION_TSRESOL) {
        if (length !== 1) return at;
        const value = area[at + 4]!;
        const exponent = value & 0x7f;
        const units = value & 0x80 ? 2 ** exponent : 10 ** exponent;
        if (!(units >= 1 && units <= 2 ** 53)) return at;
        description.unitsPerSecond = units;
      } else if (code === OPTION_TSOFFSET) {
        if (length !== 8) return at;
        const lowWord = readU32(area, at + 4 + (little ? 0 : 4), little);
        const highWord = readU32(area, at + 4 + (little ? 4 : 0), little);
        description.offsetSeconds = (highWord | 0) * 4294967296 + lowWord;
      }
      at += 4 + padded;
    }
    return undefined;
  }
}
