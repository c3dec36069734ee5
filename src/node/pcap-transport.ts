/**
 * {@link PcapTransport}: an {@link ExportSink} that writes each export datagram to a classic
 * pcap file as an Ethernet / IPv4 / UDP frame (LINKTYPE_ETHERNET), timestamped with its export
 * time, for offline use, replay, and dissection with tshark (which decodes UDP 2055 and 4739
 * as NetFlow / IPFIX without options).
 */

import { closeSync, openSync, writeSync } from "node:fs";
import { ConfigError, describe } from "../errors.js";
import type { ExportSink } from "../export/exporter.js";
import { parseIPv4 } from "../net/address.js";

/** Options of a {@link PcapTransport}. */
export interface PcapTransportOptions {
  /** UDP destination port written in the frames (default 2055; tshark reads 4739 as IPFIX). */
  port?: number;
  /** IPv4 source and destination written in the frames (defaults 127.0.0.1). */
  source?: string;
  destination?: string;
}

const PCAP_MAGIC = 0xa1b2c3d4;
const ETHERNET = 1;
const FRAME_OVERHEAD = 14 + 20 + 8;
const FLUSH_BYTES = 1 << 20;

/** Writes export datagrams to a pcap file (synchronously, buffered). */
export class PcapTransport implements ExportSink {
  readonly path: string;
  readonly #fd: number;
  readonly #port: number;
  readonly #source: number;
  readonly #destination: number;
  readonly #buffer = Buffer.alloc(FLUSH_BYTES + 65536 + 64);
  #used = 0;
  #id = 0;
  #closed = false;

  constructor(path: string, options: PcapTransportOptions = {}) {
    this.path = path;
    const port = options.port ?? 2055;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError("pcap-port", `invalid port ${describe(port)}`, port);
    this.#port = port;
    this.#source = parseIPv4(options.source ?? "127.0.0.1");
    this.#destination = parseIPv4(options.destination ?? "127.0.0.1");
    this.#fd = openSync(path, "w");
    const header = Buffer.alloc(24);
    header.writeUInt32LE(PCAP_MAGIC, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(ETHERNET, 20);
    writeSync(this.#fd, header);
  }

  send(datagram: Uint8Array, now: number): boolean {
    if (this.#closed) return false;
    const b = this.#buffer;
    let p = this.#used;
    const ms = Math.max(0, Math.floor(now));
    const length = FRAME_OVERHEAD + datagram.length;
    b.writeUInt32LE(Math.floor(ms / 1000) >>> 0, p);
    b.writeUInt32LE((ms % 1000) * 1000, p + 4);
    b.writeUInt32LE(length, p + 8);
    b.writeUInt32LE(length, p + 12);
    p += 16;
    b.fill(0, p, p + 12);
    b[p] = 0x02; // locally administered MACs
    b[p + 6] = 0x02;
    b[p + 5] = 1;
    b[p + 11] = 2;
    b.writeUInt16BE(0x0800, p + 12);
    p += 14;
    const ip = p;
    b.writeUInt16BE(0x4500, p);
    b.writeUInt16BE(20 + 8 + datagram.length, p + 2);
    b.writeUInt16BE(this.#id++ & 0xffff, p + 4);
    b.writeUInt16BE(0x4000, p + 6); // don't fragment
    b[p + 8] = 64;
    b[p + 9] = 17;
    b.writeUInt16BE(0, p + 10);
    b.writeUInt32BE(this.#source >>> 0, p + 12);
    b.writeUInt32BE(this.#destination >>> 0, p + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE(~sum & 0xffff, ip + 10);
    p += 20;
    b.writeUInt16BE(this.#port, p); // source port: the same (exporters often use any)
    b.writeUInt16BE(this.#port, p + 2);
    b.writeUInt16BE(8 + datagram.length, p + 4);
    b.writeUInt16BE(0, p + 6); // no UDP checksum (allowed over IPv4)
    p += 8;
    b.set(datagram, p);
    this.#used = p + datagram.length;
    if (this.#used >= FLUSH_BYTES) this.flush();
    return true;
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#used > 0) {
      let done = 0;
      while (done < this.#used) done += writeSync(this.#fd, this.#buffer, done, this.#used - done);
      this.#used = 0;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    closeSync(this.#fd);
  }
}
