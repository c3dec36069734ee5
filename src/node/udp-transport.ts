/**
 * {@link UdpTransport}: an {@link ExportSink} that sends each export datagram over UDP
 * (`node:dgram`) to one or more collectors, IPv4 and IPv6 alike. Sends are asynchronous; the
 * transport reports its room (datagrams it lets queue in the sockets, default 256) so that the
 * exporter holds records back in the flow cache's queue rather than letting them pile up.
 */

import { type Socket, createSocket } from "node:dgram";
import { ConfigError, describe } from "../errors.js";
import type { ExportSink } from "../export/exporter.js";

/** A collector address. */
export interface Collector {
  host: string;
  port: number;
}

/** Options of a {@link UdpTransport}. */
export interface UdpTransportOptions {
  /** Collectors as `udp://HOST:PORT` (IPv6 in brackets: `udp://[::1]:4739`) or `{ host, port }`. */
  collectors: readonly (string | Collector)[];
  /** Datagrams allowed to wait in the sockets' send queues (default 256). */
  maxQueued?: number;
  /** Socket send buffer in bytes (default: the system's). */
  sendBufferBytes?: number;
}

/** Parses `udp://HOST:PORT` (`udp://[v6]:PORT`). */
export function parseCollector(text: string): Collector {
  const match = /^udp:\/\/(?:\[([0-9a-fA-F:.]+)\]|([^:/[\]]+)):(\d{1,5})$/.exec(text);
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !(port >= 1 && port <= 65535)) {
    throw new ConfigError(
      "collector",
      `invalid collector ${describe(text)}: expected udp://HOST:PORT (IPv6 as udp://[ADDRESS]:PORT)`,
      text,
    );
  }
  return { host: match[1] ?? match[2]!, port };
}

const isIPv6 = (host: string) => host.includes(":");

/** Sends export datagrams to UDP collectors. */
export class UdpTransport implements ExportSink {
  readonly collectors: readonly Collector[];
  readonly #sockets: { socket: Socket; collector: Collector }[] = [];
  readonly #maxQueued: number;
  #pending = 0;
  #errors = 0;
  #sent = 0;
  #closed = false;
  #drained: (() => void)[] = [];

  constructor(options: UdpTransportOptions) {
    if (options === null || typeof options !== "object" || !Array.isArray(options.collectors) || options.collectors.length === 0) {
      throw new ConfigError("collectors", "a UdpTransport needs at least one collector", options);
    }
    this.collectors = options.collectors.map((c) => (typeof c === "string" ? parseCollector(c) : { host: c.host, port: c.port }));
    this.#maxQueued = options.maxQueued ?? 256;
    const byFamily = new Map<string, Socket>();
    for (const collector of this.collectors) {
      const type = isIPv6(collector.host) ? "udp6" : "udp4";
      let socket = byFamily.get(type);
      if (socket === undefined) {
        socket = createSocket({ type, ...(options.sendBufferBytes === undefined ? {} : { sendBufferSize: options.sendBufferBytes }) });
        socket.on("error", () => this.#errors++);
        socket.unref();
        byFamily.set(type, socket);
      }
      this.#sockets.push({ socket, collector });
    }
  }

  /** Datagrams sent, and sends that failed (reported asynchronously). */
  get sent(): number {
    return this.#sent;
  }
  get errors(): number {
    return this.#errors;
  }

  send(datagram: Uint8Array): boolean {
    if (this.#closed) return false;
    const copy = Buffer.from(datagram);
    for (const { socket, collector } of this.#sockets) {
      this.#pending++;
      socket.send(copy, collector.port, collector.host, (error) => {
        this.#pending--;
        if (error) this.#errors++;
        else this.#sent++;
        if (this.#pending <= this.#maxQueued / 2) for (const wake of this.#drained.splice(0)) wake();
      });
    }
    return true;
  }

  room(): number {
    return Math.max(0, Math.floor((this.#maxQueued - this.#pending) / this.#sockets.length));
  }

  /** Resolves when the sockets' queues are at most half full. */
  whenRoom(): Promise<void> {
    if (this.#pending <= this.#maxQueued / 2) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Waits for every pending send, then closes the sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    while (this.#pending > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    this.#closed = true;
    const sockets = new Set(this.#sockets.map((s) => s.socket));
    await Promise.all([...sockets].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
