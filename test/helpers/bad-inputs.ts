// Files a user (or an attacker) might hand the CLI: a directory, an empty file, text, a cut and
// a corrupted gzip stream of a good capture, a pcapng whose timestamps are out of any date range.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writePcap, writePcapng } from "../../src/packet/writer.js";

/** A 60-byte Ethernet/IPv4/UDP frame from 10.0.0.1 to 10.0.0.2 (ports 1000 → 53). */
export function udpFrame(k = 0): Uint8Array {
  const frame = new Uint8Array(60);
  frame.set([0, 0, 0x0c, 0, 0, 1, 0, 0, 0x0c, 0, 0, 2, 0x08, 0x00], 0);
  frame.set([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  frame.set([(1000 + k) >> 8, (1000 + k) & 255, 0, 53, 0, 26, 0, 0], 34);
  return frame;
}

/** A good capture of `count` packets a second apart. */
export function goodPcap(count = 200): Uint8Array {
  return writePcap(
    Array.from({ length: count }, (_, i) => ({ time: 1.6e12 + i * 1000, bytes: udpFrame(i % 7) })),
    { linkType: 1 },
  );
}

/** A pcapng file whose packets' timestamps (if_tsresol 10^0, ticks near 2^64) are out of range. */
export function extremeTimestamps(): Uint8Array {
  const file = writePcapng(
    Array.from({ length: 3 }, (_, i) => ({ time: 1000 * i, bytes: udpFrame(i) })),
    [{ linkType: 1, timestampDigits: 0 }],
  );
  const view = new DataView(file.buffer);
  // Section header (28) + interface description (32), then 92-byte enhanced packet blocks.
  for (let k = 0; k < 3; k++) {
    const at = 60 + k * 92;
    view.setUint32(at + 12, 0xffffffff, true);
    view.setUint32(at + 16, 0xfffffff0 + k, true);
  }
  return file;
}

/** Writes the bad inputs into `directory`; returns their paths by name. */
export function writeBadInputs(directory: string): Record<string, string> {
  const paths: Record<string, string> = {};
  const put = (name: string, bytes: Uint8Array | string) => {
    paths[name] = join(directory, name);
    writeFileSync(paths[name]!, bytes);
  };
  paths.directory = join(directory, "a-directory.pcap");
  mkdirSync(paths.directory);
  paths.missing = join(directory, "missing.pcap");
  put("empty.pcap", new Uint8Array(0));
  put("text.pcap", "10.0.0.0/8 is a prefix, not a packet\n");
  const gzip = gzipSync(goodPcap(2000));
  put("truncated.pcap.gz", gzip.subarray(0, Math.floor(gzip.length / 2)));
  const corrupt = Uint8Array.from(gzip);
  for (let i = 40; i < corrupt.length - 8; i += 97) corrupt[i]! ^= 0x5a;
  put("corrupt.pcap.gz", corrupt);
  put("extreme.pcapng", extremeTimestamps());
  return paths;
}
