/** `dataplane packets FILE [--json] [--limit N]`: read a pcap/pcapng file and print every packet. */

import { once } from "node:events";
import { CaptureFileError } from "../../errors.js";
import type { CaptureReader } from "../../packet/reader.js";
import { formatPacketLine, formatStatusCounts } from "../../show/packet.js";
import { type Command, DataError, fileArgument, parseOptions, numberOption } from "../command.js";
import { captureBatches, captureProgress, captureSize, timestampWarning } from "../capture.js";

export const packetsCommand: Command = {
  name: "packets",
  summary: "read a pcap or pcapng file and print each parsed packet",
  usage: `usage: dataplane packets FILE [--json] [--limit N]

Reads FILE (classic pcap or pcapng, gzip-compressed or not: recognised by its first bytes),
parses every frame (Ethernet, 802.1Q/QinQ, Linux SLL/SLL2, BSD loopback, raw IP; ARP, IPv4,
IPv6, TCP, UDP, ICMP, ICMPv6) and prints one line per packet, then the number of packets by
parse status. A corrupt file (or gzip stream) is reported with the byte offset of the damage,
after the packets before it (exit code 1); so are timestamps out of range.

  --json      one JSON object per line with the parsed fields; the closing line is
              {"packets": N, "statuses": {...}}
  --limit N   stop after N packets`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      json: { type: "boolean" },
      limit: { type: "string" },
    });
    const path = fileArgument(positionals);
    const limit = numberOption(values.limit, "limit", Infinity, { integer: true, min: 0 });
    const size = captureSize(path);
    const json = values.json === true;
    const progress = captureProgress(path, size);
    const counts: Record<string, number> = {};
    let total = 0;
    let failure: CaptureFileError | undefined;
    let closed = false;
    let reader: CaptureReader | undefined;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") closed = true;
      else throw error;
    });
    try {
      const batches = captureBatches(path, {}, progress, (r) => (reader = r));
      for (const batch of batches) {
        const lines: string[] = [];
        const n = Math.min(batch.length, limit - total);
        for (let i = 0; i < n; i++) {
          const packet = batch.packet(i);
          counts[packet.status] = (counts[packet.status] ?? 0) + 1;
          lines.push(json ? JSON.stringify(packet) : formatPacketLine(total + i + 1, packet));
        }
        total += n;
        if (!closed && lines.length > 0 && !process.stdout.write(`${lines.join("\n")}\n`)) await once(process.stdout, "drain");
        if (total >= limit || closed) break;
      }
    } catch (error) {
      if (!(error instanceof CaptureFileError)) throw error;
      failure = error;
    } finally {
      progress?.finish();
    }
    if (!closed) {
      process.stdout.write(json ? `${JSON.stringify({ packets: total, statuses: counts })}\n` : `${formatStatusCounts(total, counts)}\n`);
    }
    if (failure) throw new DataError(path, failure.message);
    const warning = timestampWarning(reader);
    if (warning) throw new DataError(path, warning);
    return 0;
  },
};
