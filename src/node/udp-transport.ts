/**
 * {@link UdpTransport}: an {@link ExportSink} that sends each export datagram over UDP
 * (`node:dgram`) to one or more collectors, IPv4 and IPv6 alike, on one connected socket each.
 * The transport reports its room (datagrams it lets queue in the sockets, default 256, read from
 * their send queues) so that the exporter holds records back in the flow cache's queue rather
 * than letting them pile up; it works from a synchronous loop too.
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

/** The largest UDP payload (IPv4); larger datagrams (none: the exporter's MTU is at most 65,535) would be copied each. */
const STAGING_BYTES = 65_507;

/**
 * Sends export datagrams to UDP collectors.
 *
 * Each collector has its own connected socket, so that a send from a synchronous loop goes
 * straight to the kernel (Node tries the send at once on a connected, bound socket; only when
 * the kernel's buffer is full does libuv queue it, in order). The room is therefore read from
 * the sockets' send queues ({@link Socket.getSendQueueCount}), which needs no callback to run.
 * Datagrams sent before the sockets are connected wait, in order, and leave when they are
 * ({@link UdpTransport.ready}).
 */
export class UdpTransport implements ExportSink {
  readonly collectors: readonly Collector[];
  readonly #sockets: Socket[] = [];
  readonly #maxQueued: number;
  readonly #ready: Promise<void>;
  #connected = false;
  #backlog: Buffer[] = [];
  #pending = 0;
  #errors = 0;
  #sent = 0;
  #closed = false;
  #staging = Buffer.allocUnsafeSlow(STAGING_BYTES);

  constructor(options: UdpTransportOptions) {
    if (options === null || typeof options !== "object" || !Array.isArray(options.collectors) || options.collectors.length === 0) {
      throw new ConfigError("collectors", "a UdpTransport needs at least one collector", options);
    }
    this.collectors = options.collectors.map((c) => (typeof c === "string" ? parseCollector(c) : { host: c.host, port: c.port }));
    this.#maxQueued = options.maxQueued ?? 256;
    const connecting: Promise<boolean>[] = [];
    for (const collector of this.collectors) {
      const type = isIPv6(collector.host) ? "udp6" : "udp4";
      const socket = createSocket({ type, ...(options.sendBufferBytes === undefined ? {} : { sendBufferSize: options.sendBufferBytes }) });
      socket.on("error", () => this.#errors++);
      socket.unref();
      this.#sockets.push(socket);
      connecting.push(
        new Promise<boolean>((resolve) => {
          const failed = () => resolve(false);
          socket.once("error", failed);
          socket.connect(collector.port, collector.host, () => {
            socket.off("error", failed);
            resolve(true);
          });
        }),
      );
    }
    this.#ready = Promise.all(connecting).then((connected) => {
      this.#connected = true;
      const backlog = this.#backlog.splice(0);
      for (const datagram of backlog) this.#sendNow(datagram, connected);
    });
  }

  /** Resolves when every socket is connected (or failed to: its sends then count as errors) and the datagrams sent before have left. */
  ready(): Promise<void> {
    return this.#ready;
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
    if (!this.#connected) {
      this.#backlog.push(Buffer.from(datagram));
      return true;
    }
    if (datagram.length > this.#staging.length) {
      this.#sendNow(Buffer.from(datagram));
      return true;
    }
    // The datagram goes through one staging buffer: a send that the kernel takes at once (the
    // sockets' queues stay empty) leaves nothing that refers to it, so the buffer serves the
    // next datagram too; a send that libuv had to queue keeps it, and the transport takes a new
    // one. A copy per datagram (~95k on the 5M-packet benchmark) cost an allocation each and
    // fresh pages for the kernel to clear.
    this.#staging.set(datagram);
    this.#sendNow(this.#staging.subarray(0, datagram.length));
    for (const socket of this.#sockets) {
      if (socket.getSendQueueCount() > 0) {
        this.#staging = Buffer.allocUnsafeSlow(STAGING_BYTES);
        break;
      }
    }
    return true;
  }

  #sendNow(datagram: Buffer, connected?: readonly boolean[]): void {
    for (let i = 0; i < this.#sockets.length; i++) {
      if (connected !== undefined && !connected[i]) {
        this.#errors++;
        continue;
      }
      this.#pending++;
      this.#sockets[i]!.send(datagram, this.#afterSend);
    }
  }

  // One callback for every send (a closure per datagram cost an allocation each).
  readonly #afterSend = (error: Error | null) => {
    this.#pending--;
    if (error) this.#errors++;
    else this.#sent++;
  };

  /** Datagrams each socket's send queue can still take (from libuv's queue, read synchronously). */
  room(): number {
    if (!this.#connected) return Math.max(0, this.#maxQueued - this.#backlog.length);
    let queued = 0;
    for (const socket of this.#sockets) queued = Math.max(queued, socket.getSendQueueCount());
    return Math.max(0, this.#maxQueued - queued);
  }

  /** Resolves when the sockets' queues are at most half full. */
  async whenRoom(): Promise<void> {
    while (this.room() < this.#maxQueued / 2) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Waits for every pending send, then closes the sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#ready;
    while (this.#pending > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    this.#closed = true;
    await Promise.all(this.#sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
