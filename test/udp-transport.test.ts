// UdpTransport sends each datagram as it was when handed over, although the view it gets is
// reused by the exporter at once and the transport itself stages datagrams in one buffer: a
// receiver on 127.0.0.1 gets every datagram of a synchronous burst with its own bytes, in order,
// both when the kernel takes each send at once and when libuv has to queue them (node's
// --test-udp-no-try-send makes every send a queued one).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DATAGRAMS, burst, datagram } from "./helpers/udp-burst.js";

function check(received: Buffer[], errors: number): void {
  assert.equal(errors, 0);
  assert.equal(received.length, DATAGRAMS, "every datagram arrives on loopback");
  const scratch = new Uint8Array(2048);
  received.forEach((message, i) => assert.deepEqual(new Uint8Array(message), datagram(i, scratch), `datagram ${i}`));
}

test("UdpTransport: a synchronous burst arrives datagram for datagram as handed over (sends the kernel takes at once)", async () => {
  const { received, errors } = await burst();
  check(received, errors);
});

test("UdpTransport: the same when libuv queues every send (node --test-udp-no-try-send)", async (t) => {
  const helper = fileURLToPath(new URL("./helpers/udp-burst.ts", import.meta.url));
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const script = `import(${JSON.stringify(helper)}).then((m) => m.printBurst())`;
  const child = spawnSync(process.execPath, ["--test-udp-no-try-send", "--import", "tsx", "--input-type=module", "-e", script], {
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0 && /bad option/.test(child.stderr)) {
    t.skip("this node has no --test-udp-no-try-send");
    return;
  }
  assert.equal(child.status, 0, child.stderr);
  const line = child.stdout.split("\n").find((l) => l.startsWith('{"received"'));
  assert.ok(line, `child output: ${child.stdout.slice(0, 500)}`);
  const report = JSON.parse(line) as { received: string[]; errors: number };
  check(
    report.received.map((m) => Buffer.from(m, "base64")),
    report.errors,
  );
});
