// A burst through UdpTransport to a receiver on 127.0.0.1 (test/udp-transport.test.ts), also
// run in a child node with --test-udp-no-try-send: `printBurst` writes the result as JSON.

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { UdpTransport } from "../../src/node/udp-transport.js";

export const DATAGRAMS = 400;

/** Datagram `i`: its length and every byte depend on `i`, so a datagram overwritten by a later one shows. */
export function datagram(i: number, into: Uint8Array): Uint8Array {
  const length = 200 + ((i * 37) % 1200);
  const view = into.subarray(0, length);
  for (let k = 0; k < length; k++) view[k] = (i * 131 + k * 7) & 255;
  view[0] = i & 255;
  view[1] = i >> 8;
  return view;
}

/** Sends DATAGRAMS datagrams through one reused view in a synchronous loop; resolves with what the receiver got. */
export async function burst(): Promise<{ received: Buffer[]; errors: number }> {
  const receiver = createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024 });
  const received: Buffer[] = [];
  receiver.on("message", (message) => received.push(message));
  await new Promise<void>((resolve) => receiver.bind(0, "127.0.0.1", resolve));
  const transport = new UdpTransport({ collectors: [{ host: "127.0.0.1", port: receiver.address().port }], maxQueued: 1_000_000 });
  await transport.ready();
  const scratch = new Uint8Array(2048);
  for (let i = 0; i < DATAGRAMS; i++) {
    assert.equal(transport.send(datagram(i, scratch)), true);
    // The exporter's next datagram goes where this one was.
    scratch.fill(0xee);
  }
  await transport.close();
  for (let wait = 0; received.length < DATAGRAMS && wait < 200; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
  receiver.close();
  return { received, errors: transport.errors };
}

/** Runs the burst and prints `{ received: base64[], errors }` on stdout. */
export async function printBurst(): Promise<void> {
  const { received, errors } = await burst();
  console.log(JSON.stringify({ received: received.map((m) => m.toString("base64")), errors }));
}
