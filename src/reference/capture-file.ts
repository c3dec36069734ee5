/**
 * The reference capture-file reader: reads a whole pcap or pcapng file held in memory, in plain
 * TypeScript with a DataView. It is the oracle the streaming reader (src/packet/reader.ts, with
 * its WebAssembly pcap indexer) is checked against, chunk boundaries and all.
 */

import { splitTimestamp } from "../packet/pcapng.js";
import { MAX_DATE_TIME } from "../common/validation.js";
import { timestampMs, DEFAULT_MAX_CAPTURED_LENGTH } from "../packet/pcap.js";

/** One packet record of a capture file. */
export interface ReferenceRecord {
  time: number;
  interface: number;
  linkType: number;
  wireLength: number;
  /** The captured bytes. */
  bytes: Uint8Array;
}

/** Everything a file holds before the first problem, and that problem's code and byte offset. */
export interface ReferenceCapture {
  records: ReferenceRecord[];
  error?: { code: string; offset: number };
}

interface Interface {
  linkType: number;
  snapLength: number;
  unitsPerSecond: number;
  offsetSeconds: number;
}

/** Reads a capture file; `maxCaptured` and `maxBlock` are the reader's limits. */
export function referenceReadCapture(
  bytes: Uint8Array,
  maxCaptured = DEFAULT_MAX_CAPTURED_LENGTH,
  maxBlock = Infinity,
  pcapInterface = 0,
): ReferenceCapture {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ReferenceRecord[] = [];
  const fail = (code: string, offset: number): ReferenceCapture => ({ records, error: { code, offset } });
  if (bytes.length < 4) return fail("capture-too-short", 0);
  const magic = view.getUint32(0, true);
  if (magic === 0x0a0d0d0a) return readPcapng(bytes, view, records, maxCaptured, maxBlock);
  const kinds: Record<number, [boolean, number]> = {
    2712847316: [true, 1e6],
    3569595041: [false, 1e6],
    2712812621: [true, 1e9],
    1295823521: [false, 1e9],
  };
  const kind = kinds[magic];
  if (kind === undefined) return fail("capture-magic", 0);
  const [little, units] = kind;
  if (bytes.length < 24) return fail("capture-too-short", 0);
  if (view.getUint16(4, little) !== 2) return fail("pcap-version", 4);
  const linkType = view.getUint32(20, little) & 0xffff;
  let at = 24;
  while (at < bytes.length) {
    if (bytes.length - at < 16) return fail("capture-truncated", at);
    const captured = view.getUint32(at + 8, little);
    if (captured > maxCaptured) return fail("pcap-record-too-large", at);
    if (bytes.length - at - 16 < captured) return fail("capture-truncated", at);
    records.push({
      time: timestampMs(view.getUint32(at, little), view.getUint32(at + 4, little), units),
      interface: pcapInterface,
      linkType,
      wireLength: view.getUint32(at + 12, little),
      bytes: bytes.subarray(at + 16, at + 16 + captured),
    });
    at += 16 + captured;
  }
  return { records };
}

function readPcapng(
  bytes: Uint8Array,
  view: DataView,
  records: ReferenceRecord[],
  maxCaptured: number,
  maxBlock: number,
): ReferenceCapture {
  const fail = (code: string, offset: number): ReferenceCapture => ({ records, error: { code, offset } });
  let little = true;
  let interfaces: Interface[] = [];
  let lastTime = 0;
  let at = 0;
  let first = true;
  while (at < bytes.length) {
    const remaining = bytes.length - at;
    if (remaining < 8) return fail("capture-truncated", at);
    const type = view.getUint32(at, little);
    if (type === 0x0a0d0d0a) {
      if (remaining < 12) return fail("capture-truncated", at);
      const order = view.getUint32(at + 8, true);
      if (order === 0x1a2b3c4d) little = true;
      else if (order === 0x4d3c2b1a) little = false;
      else return fail("pcapng-byte-order", at + 8);
    } else if (first) {
      return fail("pcapng-first-block", at);
    }
    const length = view.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0) return fail("pcapng-block-length", at);
    const packetBlock = type === 6 || type === 3 || type === 2;
    if (length > maxBlock) {
      if (packetBlock || type === 0x0a0d0d0a || type === 1) return fail("pcapng-block-too-large", at);
      if (remaining < length) return fail("capture-truncated", at + remaining);
      at += length;
      continue;
    }
    if (remaining < length) return fail("capture-truncated", at);
    if (view.getUint32(at + length - 4, little) !== length) return fail("pcapng-block-trailer", at);
    if (type === 0x0a0d0d0a) {
      if (length < 28) return fail("pcapng-block-length", at);
      if (view.getUint16(at + 12, little) !== 1) return fail("pcapng-version", at + 12);
      interfaces = [];
      first = false;
    } else if (type === 1) {
      if (length < 20) return fail("pcapng-block-length", at);
      const description: Interface = {
        linkType: view.getUint16(at + 8, little),
        snapLength: view.getUint32(at + 12, little),
        unitsPerSecond: 1e6,
        offsetSeconds: 0,
      };
      let option = at + 16;
      const end = at + length - 4;
      while (end - option >= 4) {
        const code = view.getUint16(option, little);
        const size = view.getUint16(option + 2, little);
        if (code === 0) break;
        const padded = Math.ceil(size / 4) * 4;
        if (end - option - 4 < padded) return fail("pcapng-option", option);
        if (code === 9) {
          if (size !== 1) return fail("pcapng-option", option);
          const value = bytes[option + 4]!;
          const units = value & 0x80 ? 2 ** (value & 0x7f) : 10 ** (value & 0x7f);
          if (!(units >= 1 && units <= 2 ** 53)) return fail("pcapng-option", option);
          description.unitsPerSecond = units;
        } else if (code === 14) {
          if (size !== 8) return fail("pcapng-option", option);
          description.offsetSeconds = Number(view.getBigInt64(option + 4, little));
        }
        option += 4 + padded;
      }
      interfaces.push(description);
    } else if (type === 3) {
      if (length < 16) return fail("pcapng-block-length", at);
      if (interfaces.length === 0) return fail("pcapng-interface", at);
      const original = view.getUint32(at + 8, little);
      const snap = interfaces[0]!.snapLength || Infinity;
      const captured = Math.min(original, length - 16, snap);
      if (captured > maxCaptured) return fail("pcapng-packet-length", at);
      records.push({
        time: lastTime,
        interface: 0,
        linkType: interfaces[0]!.linkType,
        wireLength: original,
        bytes: bytes.subarray(at + 12, at + 12 + captured),
      });
    } else if (type === 6 || type === 2) {
      if (length < 32) return fail("pcapng-block-length", at);
      const id = type === 6 ? view.getUint32(at + 8, little) : view.getUint16(at + 8, little);
      if (id >= interfaces.length) return fail("pcapng-interface", at + 8);
      const captured = view.getUint32(at + 20, little);
      if (captured > length - 32) return fail("pcapng-packet-length", at + 20);
      if (captured > maxCaptured) return fail("pcapng-packet-length", at);
      const description = interfaces[id]!;
      const [seconds, fraction] = splitTimestamp(
        view.getUint32(at + 12, little),
        view.getUint32(at + 16, little),
        description.unitsPerSecond,
      );
      const time = timestampMs(seconds + description.offsetSeconds, fraction, description.unitsPerSecond);
      // Out of the date range: the packet keeps the time before it (counted by the reader).
      if (time >= 0 && time <= MAX_DATE_TIME) lastTime = time;
      records.push({
        time: lastTime,
        interface: id,
        linkType: description.linkType,
        wireLength: view.getUint32(at + 24, little),
        bytes: bytes.subarray(at + 28, at + 28 + captured),
      });
    }
    at += length;
  }
  return { records };
}
