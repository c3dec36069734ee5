/**
 * Writing capture files: classic pcap (microsecond or nanosecond, little-endian or big-endian)
 * and pcapng (one section, any number of interfaces, enhanced packet blocks). Used to hand
 * generated traffic to other tools (tshark, tcpdump, softflowd) and by the benchmarks.
 * Arguments of the wrong shape are ConfigErrors naming the record or option.
 */

import { ConfigError, describe } from "../errors.js";
import { checkInteger, checkOptionNames } from "../common/validation.js";

/** One packet to write. */
export interface CaptureRecord {
  /** Milliseconds since the Unix epoch. */
  time: number;
  /** The captured bytes. */
  bytes: Uint8Array;
  /** Bytes on the wire (default: the captured length). */
  wireLength?: number;
  /** pcapng interface id (default 0). */
  interface?: number;
  /**
   * pcapng block to write it in: "enhanced" (default), "simple" (no time or interface: it goes
   * to interface 0) or "obsolete" (the old packet block, type 2).
   */
  block?: "enhanced" | "simple" | "obsolete";
}

/** Options of {@link writePcap}. */
export interface PcapWriteOptions {
  linkType: number;
  nanoseconds?: boolean;
  bigEndian?: boolean;
  snapLength?: number;
}

class Output {
  bytes: Uint8Array;
  view: DataView;
  at = 0;
  constructor(
    size: number,
    readonly little: boolean,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(value: number): void {
    this.view.setUint16(this.at, value, this.little);
    this.at += 2;
  }
  u32(value: number): void {
    this.view.setUint32(this.at, value >>> 0, this.little);
    this.at += 4;
  }
  data(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.at);
    this.at += bytes.length;
  }
  pad(): void {
    this.at = (this.at + 3) & ~3;
  }
}

/** Splits milliseconds into whole seconds and a fraction in `unitsPerSecond` units (rounded). */
function splitTime(ms: number, unitsPerSecond: number): [number, number] {
  let seconds = Math.floor(ms / 1000);
  let fraction = Math.round((ms - seconds * 1000) * (unitsPerSecond / 1000));
  if (fraction >= unitsPerSecond) {
    seconds += 1;
    fraction -= unitsPerSecond;
  }
  return [seconds, fraction];
}

/** Checks the records to write; throws a ConfigError naming the first bad one. */
function checkRecords(records: Iterable<CaptureRecord>, writer: string, interfaces?: number): CaptureRecord[] {
  if (records === null || typeof records !== "object" || !(Symbol.iterator in records)) {
    throw new ConfigError(
      "writer-records",
      `${writer}: invalid records ${describe(records)}: expected an iterable of { time, bytes }`,
      records,
    );
  }
  const list = [...records];
  list.forEach((record, i) => {
    const fail = (what: string, value: unknown): never => {
      throw new ConfigError("writer-record", `${writer}: record ${i}: invalid ${what} ${describe(value)}`, value);
    };
    if (record === null || typeof record !== "object") fail("record", record);
    checkOptionNames(record, ["time", "bytes", "wireLength", "interface", "block"], `${writer} record ${i}`);
    if (typeof record.time !== "number" || !(record.time >= 0 && record.time <= MAX_WRITE_TIME))
      fail("time (ms from 0 to 2^32 s)", record.time);
    if (!(record.bytes instanceof Uint8Array)) fail("bytes (expected a Uint8Array)", record.bytes);
    if (record.wireLength !== undefined)
      checkInteger(record.wireLength, `${writer} record ${i} wireLength`, "writer-record", 0, 0xffffffff);
    if (record.interface !== undefined && interfaces !== undefined)
      checkInteger(record.interface, `${writer} record ${i} interface`, "writer-record", 0, interfaces - 1);
    if (record.block !== undefined && record.block !== "enhanced" && record.block !== "simple" && record.block !== "obsolete")
      fail("block", record.block);
  });
  return list;
}

/** Latest time a classic pcap record can carry: 2^32 − 1 seconds, in ms. */
const MAX_WRITE_TIME = (2 ** 32 - 1) * 1000;

/** A classic pcap file holding the records. */
export function writePcap(records: Iterable<CaptureRecord>, options: PcapWriteOptions): Uint8Array {
  if (options === null || typeof options !== "object") {
    throw new ConfigError("writer-options", `writePcap: invalid options ${describe(options)}: expected { linkType }`, options);
  }
  checkOptionNames(options, ["linkType", "nanoseconds", "bigEndian", "snapLength"], "writePcap");
  checkInteger(options.linkType, "writePcap linkType", "writer-link-type", 0, 0xffffffff);
  if (options.snapLength !== undefined) checkInteger(options.snapLength, "writePcap snapLength", "writer-snap-length", 0, 0xffffffff);
  const list = checkRecords(records, "writePcap");
  const out = new Output(24 + list.reduce((sum, r) => sum + 16 + r.bytes.length, 0), !options.bigEndian);
  const units = options.nanoseconds ? 1e9 : 1e6;
  out.u32(options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  out.u16(2);
  out.u16(4);
  out.u32(0);
  out.u32(0);
  out.u32(options.snapLength ?? 262144);
  out.u32(options.linkType);
  for (const record of list) {
    const [seconds, fraction] = splitTime(record.time, units);
    out.u32(seconds);
    out.u32(fraction);
    out.u32(record.bytes.length);
    out.u32(record.wireLength ?? record.bytes.length);
    out.data(record.bytes);
  }
  return out.bytes;
}

/** One pcapng interface. */
export interface PcapngInterfaceOptions {
  linkType: number;
  snapLength?: number;
  /** if_tsresol: decimal digits of the timestamp unit (6 = microseconds, the default; 9 = ns). */
  timestampDigits?: number;
}

/** A pcapng file: one section with the given interfaces, each record in an enhanced packet block. */
export function writePcapng(
  records: Iterable<CaptureRecord>,
  interfaces: PcapngInterfaceOptions[],
  options: { bigEndian?: boolean } = {},
): Uint8Array {
  if (!Array.isArray(interfaces) || interfaces.length === 0) {
    throw new ConfigError(
      "writer-interfaces",
      `writePcapng: invalid interfaces ${describe(interfaces)}: expected a non-empty list of { linkType }`,
      interfaces,
    );
  }
  interfaces.forEach((description, i) => {
    if (description === null || typeof description !== "object") {
      throw new ConfigError("writer-interfaces", `writePcapng: invalid interface ${i} ${describe(description)}`, description);
    }
    checkOptionNames(description, ["linkType", "snapLength", "timestampDigits"], `writePcapng interface ${i}`);
    checkInteger(description.linkType, `writePcapng interface ${i} linkType`, "writer-link-type", 0, 0xffff);
    if (description.snapLength !== undefined)
      checkInteger(description.snapLength, `writePcapng interface ${i} snapLength`, "writer-snap-length", 0, 0xffffffff);
    if (description.timestampDigits !== undefined)
      checkInteger(description.timestampDigits, `writePcapng interface ${i} timestampDigits`, "writer-timestamp-digits", 0, 9);
  });
  if (options === null || typeof options !== "object") {
    throw new ConfigError("writer-options", `writePcapng: invalid options ${describe(options)}`, options);
  }
  checkOptionNames(options, ["bigEndian"], "writePcapng");
  const list = checkRecords(records, "writePcapng", interfaces.length);
  const size = 28 + interfaces.length * 32 + list.reduce((sum, r) => sum + 32 + ((r.bytes.length + 3) & ~3), 0);
  const out = new Output(size, !options.bigEndian);
  out.u32(0x0a0d0d0a);
  out.u32(28);
  out.u32(0x1a2b3c4d);
  out.u16(1);
  out.u16(0);
  out.u32(0xffffffff);
  out.u32(0xffffffff);
  out.u32(28);
  for (const description of interfaces) {
    const digits = description.timestampDigits ?? 6;
    out.u32(1);
    out.u32(32);
    out.u16(description.linkType);
    out.u16(0);
    out.u32(description.snapLength ?? 262144);
    out.u16(9); // if_tsresol
    out.u16(1);
    out.data(Uint8Array.of(digits));
    out.pad();
    out.u32(0); // opt_endofopt
    out.u32(32);
  }
  for (const record of list) {
    if (record.block === "simple") {
      const length = 16 + ((record.bytes.length + 3) & ~3);
      out.u32(3);
      out.u32(length);
      out.u32(record.wireLength ?? record.bytes.length);
      out.data(record.bytes);
      out.pad();
      out.u32(length);
      continue;
    }
    const id = record.interface ?? 0;
    const units = 10 ** (interfaces[id]?.timestampDigits ?? 6);
    const [seconds, fraction] = splitTime(record.time, units);
    const ticks = BigInt(seconds) * BigInt(units) + BigInt(fraction);
    const length = 32 + ((record.bytes.length + 3) & ~3);
    if (record.block === "obsolete") {
      out.u32(2);
      out.u32(length);
      out.u16(id);
      out.u16(0);
    } else {
      out.u32(6);
      out.u32(length);
      out.u32(id);
    }
    out.u32(Number(ticks >> 32n));
    out.u32(Number(ticks & 0xffffffffn));
    out.u32(record.bytes.length);
    out.u32(record.wireLength ?? record.bytes.length);
    out.data(record.bytes);
    out.pad();
    out.u32(length);
  }
  return out.bytes;
}
