// Interop: frames rewritten by NAT are dissected by tshark with checksum validation on; every
// IPv4, TCP, UDP and ICMP checksum must be good, and tshark must see the addresses and ports we
// report. A round trip (inside → outside, the peer's mirrored reply outside → inside) gives
// back the original flow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import fc from "fast-check";
import { NatTable, PacketBatch } from "../src/index.js";
import { writePcap } from "../src/packet/writer.js";
import { type FrameSpec, ipFrame } from "./helpers/ip-frames.js";
import { natOptions } from "./nat-helpers.js";
import { NAT_FIELDS, tsharkFields } from "./helpers/tshark.js";

function tshark(frames: Uint8Array[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), "nat-interop-"));
  try {
    const path = join(dir, "nat.pcap");
    writeFileSync(
      path,
      writePcap(
        frames.map((bytes, i) => ({ time: i, bytes })),
        { linkType: 1 },
      ),
    );
    return tsharkFields(path, NAT_FIELDS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hosts = ["10.1.1.1", "10.1.1.2", "10.2.0.1", "10.3.0.5"];
const flow = fc.record({
  src: fc.constantFrom(...hosts),
  dst: fc.constantFrom("171.69.1.220", "192.0.2.7", "8.8.8.8"),
  protocol: fc.constantFrom("tcp" as const, "udp" as const, "icmp" as const),
  srcPort: fc.integer({ min: 1, max: 65535 }),
  dstPort: fc.integer({ min: 1, max: 65535 }),
  icmpId: fc.integer({ min: 0, max: 65535 }),
  payload: fc.array(fc.nat(255), { maxLength: 9 }),
});

function mirror(frame: Uint8Array): FrameSpec {
  const ip = (at: number) => `${frame[at]}.${frame[at + 1]}.${frame[at + 2]}.${frame[at + 3]}`;
  const word = (at: number) => (frame[at]! << 8) | frame[at + 1]!;
  const protocol = frame[23] === 6 ? "tcp" : frame[23] === 17 ? "udp" : "icmp";
  const payloadStart = protocol === "tcp" ? 54 : protocol === "udp" ? 42 : 42;
  return {
    src: ip(30),
    dst: ip(26),
    protocol,
    srcPort: word(36),
    dstPort: word(34),
    icmpType: 0,
    icmpId: word(38),
    payload: [...frame.subarray(payloadStart)],
  };
}

test("tshark validates every checksum of translated frames, and a round trip restores the flow", () => {
  fc.assert(
    fc.property(fc.array(flow, { minLength: 1, maxLength: 24 }), (flows) => {
      using nat = new NatTable(natOptions({ capacity: 256 }));
      const outFrames = flows.map((f) => ipFrame({ ...f, icmpType: 8 }));
      using out = PacketBatch.from(
        outFrames.map((frame) => ({ interface: 0, frame })),
        { core: nat.core },
      );
      out.parse();
      const verdicts = nat.translate(out, { now: 1000 });
      const translated = [...verdicts.keys()].filter((i) => verdicts[i] === 1);
      if (translated.length === 0) return;
      const outgoing = translated.map((i) => out.frame(i).slice());
      using back = PacketBatch.from(
        outgoing.map((f) => ({ interface: 1, frame: ipFrame(mirror(f)) })),
        { core: nat.core },
      );
      back.parse();
      const backVerdicts = nat.translate(back, { now: 2000 });
      const returned = outgoing.map((_, k) => back.frame(k).slice());
      const rows = tshark([...outgoing, ...returned]);
      for (const [k, row] of rows.entries()) {
        const statuses = row.slice(7).filter((s) => s !== "");
        assert.ok(
          statuses.length >= 2 && statuses.every((s) => s === "1"),
          `frame ${k}: checksum statuses ${JSON.stringify(row.slice(7))}`,
        );
      }
      for (const [k, i] of translated.entries()) {
        const p = out.packet(i);
        assert.deepEqual(rows[k]!.slice(0, 2), [p.src, p.dst], "tshark reads our addresses");
        assert.equal(backVerdicts[k], 2, "the reply is translated back");
        const original = flows[i]!;
        const r = back.packet(k);
        assert.deepEqual([r.src, r.dst], [original.dst, original.src], "round trip: addresses");
        if (original.protocol !== "icmp")
          assert.deepEqual([r.srcPort, r.dstPort], [original.dstPort, original.srcPort], "round trip: ports");
        else assert.equal((returned[k]![38]! << 8) | returned[k]![39]!, original.icmpId, "round trip: the ICMP id");
      }
    }),
    { numRuns: 10 },
  );
});
