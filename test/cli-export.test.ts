// `dataplane flows --export` into `dataplane collect`: every flow of --json arrives and decodes
// to the same fields (v5, v9, IPFIX), no sequence errors; the export file is a pcap of the same
// datagrams; bad export flags fail with one line and exit code 2.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExportDecoder } from "../src/export/decoder.js";
import { readPacketFileSync } from "../src/node/capture-file.js";
import { writePcap } from "../src/packet/writer.js";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const skip = existsSync(CLI) ? false : "dist/cli.js not built (npm run build)";

/** A small capture: TCP, UDP and ICMP flows over IPv4 and IPv6, 64 packets. */
function capture(path: string): void {
  const records = [];
  for (let i = 0; i < 64; i++) {
    const v6 = i % 4 === 3;
    const protocol = [6, 17, 1][i % 3]!;
    const l4 = protocol === 6 ? 20 : 8;
    const ipBytes = v6 ? 40 : 20;
    const frame = new Uint8Array(14 + ipBytes + l4 + 4);
    const v = new DataView(frame.buffer);
    frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
    v.setUint16(12, v6 ? 0x86dd : 0x0800);
    const ip = 14;
    const payload = frame.length - ip - ipBytes;
    const p = v6 ? (protocol === 1 ? 58 : protocol) : protocol;
    if (v6) {
      v.setUint32(ip, 0x60000000);
      v.setUint16(ip + 4, payload);
      v.setUint8(ip + 6, p);
      v.setUint8(ip + 7, 64);
      v.setUint32(ip + 8, 0x20010db8);
      v.setUint32(ip + 20, 1 + (i % 5));
      v.setUint32(ip + 24, 0x20010db8);
      v.setUint32(ip + 36, 99);
    } else {
      v.setUint8(ip, 0x45);
      v.setUint16(ip + 2, frame.length - ip);
      v.setUint8(ip + 8, 64);
      v.setUint8(ip + 9, p);
      v.setUint32(ip + 12, 0xc0000201 + (i % 5));
      v.setUint32(ip + 16, 0xc6336401);
    }
    const t = ip + ipBytes;
    if (protocol === 1) v.setUint8(t, v6 ? 128 : 8);
    else {
      v.setUint16(t, 40000 + (i % 5));
      v.setUint16(t + 2, 443);
      if (protocol === 6) v.setUint8(t + 12, 0x50);
      else v.setUint16(t + 4, l4 + 4);
    }
    records.push({ time: 1_700_000_000_000 + i * 100, bytes: frame });
  }
  writeFileSync(path, writePcap(records, { linkType: 1 }));
}

for (const format of ["ipfix", "v9", "v5"] as const) {
  test(`dataplane flows --export --format ${format} into dataplane collect: every flow, same fields`, { skip }, async () => {
    const work = mkdtempSync(join(tmpdir(), "dataplane-cli-export-"));
    try {
      const input = join(work, "in.pcap");
      capture(input);
      const port = 30300 + (process.pid % 500) + ["ipfix", "v9", "v5"].indexOf(format);
      const collector = spawn("node", [CLI, "collect", "--listen", `udp://127.0.0.1:${port}`, "--json", "--idle", "2"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      collector.stdout.on("data", (d) => (out += d));
      collector.stderr.on("data", (d) => (err += d));
      const exited = new Promise<number>((resolve) => collector.on("exit", (code) => resolve(code ?? -1)));
      await new Promise((resolve) => setTimeout(resolve, 800));
      const file = join(work, "export.pcap");
      const run = spawnSync(
        "node",
        [CLI, "flows", input, "--json", "--export", `udp://127.0.0.1:${port}`, "--format", format, "--export-file", file],
        { encoding: "utf8" },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /exported \d+ flows/);
      const ours = run.stdout
        .trim()
        .split("\n")
        .slice(0, -1)
        .map((l) => JSON.parse(l) as Record<string, number | string>)
        .filter((r) => format !== "v5" || r.ip_version === 4);
      assert.equal(await exited, 0);
      const theirs = out
        .trim()
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, number | string>);
      const key = (src: unknown, dst: unknown, p: unknown, sp: unknown, dp: unknown, n: unknown, b: unknown, f: unknown) =>
        [src, dst, p, sp, dp, n, b, Math.floor(f as number)].join(" ");
      assert.deepEqual(
        theirs.map((r) => key(r.src, r.dst, r.protocol, r.srcPort, r.dstPort, r.packets, r.bytes, r.firstMs)).sort(),
        ours.map((r) => key(r.src, r.dst, r.proto, r.sport, r.dport, r.packets, r.bytes, r.first_ms)).sort(),
      );
      assert.match(err, / 0 malformed, 0 sets without a template, 0 sequence errors/);
      // The pcap holds the same datagrams.
      const decoder = new ExportDecoder();
      let flows = 0;
      for (const batch of readPacketFileSync(file)) {
        for (let i = 0; i < batch.length; i++) {
          const frame = batch.frame(i);
          flows += decoder.decode(frame.subarray(14 + 20 + 8), "pcap")?.flows.length ?? 0;
        }
      }
      assert.equal(flows, ours.length);
      assert.equal(decoder.counters().sequenceErrors, 0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

test("bad export flags: one line, exit code 2", { skip }, () => {
  for (const args of [
    ["--export", "tcp://127.0.0.1:1"],
    ["--export", "udp://127.0.0.1:1", "--format", "v8"],
    ["--rate", "10"],
    ["--export", "udp://127.0.0.1:1", "--rate", "0"],
  ]) {
    const run = spawnSync("node", [CLI, "flows", "/dev/null", ...args], { encoding: "utf8" });
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.match(run.stderr, /^dataplane flows: /);
  }
  const collect = spawnSync("node", [CLI, "collect", "--listen", "http://x"], { encoding: "utf8" });
  assert.equal(collect.status, 2);
  assert.match(collect.stderr, /invalid collector "http:\/\/x"/);
});
