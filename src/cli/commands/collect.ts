/**
 * `dataplane collect --listen udp://127.0.0.1:2055 [--json] [--count N] [--idle S]`: a small
 * NetFlow v5 / v9 / IPFIX collector that prints every flow it receives (and counts sequence
 * gaps), for users without nfdump.
 */

import { createSocket } from "node:dgram";
import { ExportDecoder, type DecodedFlow } from "../../export/decoder.js";
import { parseCollector } from "../../node/udp-transport.js";
import { ConfigError } from "../../errors.js";
import { type Command, UsageError, parseOptions, numberOption } from "../command.js";

function line(flow: DecodedFlow, version: number): string {
  const ports =
    flow.protocol === 1 || flow.protocol === 58 ? `${flow.dstPort >> 8}.${flow.dstPort & 0xff}` : `${flow.srcPort} -> ${flow.dstPort}`;
  return `v${version} ${new Date(flow.firstMs).toISOString()} ${flow.lastMs - flow.firstMs} ms proto ${flow.protocol} ${flow.src} -> ${flow.dst} ${ports} tos ${flow.tos} in ${flow.inputInterface} packets ${flow.packets} bytes ${flow.bytes}`;
}

export const collectCommand: Command = {
  name: "collect",
  summary: "receive NetFlow v5/v9 and IPFIX datagrams on a UDP port and print the flows",
  usage: `usage: dataplane collect --listen udp://HOST:PORT [--json] [--count N] [--idle S]

Listens on HOST:PORT (IPv6 as udp://[::1]:PORT) for NetFlow v5, NetFlow v9 and IPFIX
datagrams, learns their templates and prints each flow as it arrives, one line each, or as
JSON lines with --json. Sequence numbers are checked per exporter and observation domain;
the counters (datagrams, flows, malformed, sets without a template yet, sequence errors and
the records they say were missed) are printed on stderr at the end.

  --listen URL   where to listen (required)
  --json         one JSON object per flow (the decoder's fields), with exporter and version
  --count N      stop after N flows
  --idle S       stop after S seconds without a datagram (default: run until interrupted)`,
  async run(args) {
    const { values } = parseOptions(
      args,
      { listen: { type: "string" }, json: { type: "boolean" }, count: { type: "string" }, idle: { type: "string" } },
      false,
    );
    if (values.listen === undefined) throw new UsageError("--listen udp://HOST:PORT is required");
    let address: ReturnType<typeof parseCollector>;
    try {
      address = parseCollector(values.listen);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`--listen: ${error.message}`);
      throw error;
    }
    const limit = numberOption(values.count, "count", Infinity, { integer: values.count !== undefined, min: 1 });
    const idle = numberOption(values.idle, "idle", Infinity, { min: 0.001 });
    const json = values.json === true;
    const decoder = new ExportDecoder();
    const socket = createSocket({ type: address.host.includes(":") ? "udp6" : "udp4", recvBufferSize: 8 * 1024 * 1024 });
    let flows = 0;
    let timer: NodeJS.Timeout | undefined;
    const out: string[] = [];
    const flush = () => {
      if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
      out.length = 0;
    };
    const done = new Promise<number>((resolve) => {
      const stop = (code: number) => {
        if (timer) clearTimeout(timer);
        flush();
        socket.close();
        resolve(code);
      };
      const arm = () => {
        if (!Number.isFinite(idle)) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => stop(0), idle * 1000);
      };
      socket.on("error", (error) => {
        console.error(`dataplane collect: ${values.listen}: ${error.message}`);
        stop(1);
      });
      socket.on("listening", arm);
      socket.on("message", (datagram, remote) => {
        arm();
        const source = `${remote.address}:${remote.port}`;
        const message = decoder.decode(datagram, remote.address);
        if (message === undefined) return;
        for (const flow of message.flows) {
          out.push(
            json
              ? JSON.stringify({ exporter: source, version: message.version, domain: message.domain, ...flow })
              : line(flow, message.version),
          );
          if (++flows >= limit) return stop(0);
        }
        if (out.length > 256) flush();
      });
      process.once("SIGINT", () => stop(0));
      process.once("SIGTERM", () => stop(0));
    });
    socket.bind(address.port, address.host);
    const code = await done;
    const c = decoder.counters();
    console.error(
      `${c.datagrams} datagrams, ${c.flows} flows, ${c.optionsRecords} options records, ${c.templates} templates, ${c.malformed} malformed, ${c.setsWithoutTemplate} sets without a template, ${c.sequenceErrors} sequence errors (${c.missing} missing)`,
    );
    return code;
  },
};
