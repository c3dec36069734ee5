// `dataplane route` on real captures, its output pcaps read by tshark: no malformed packet the
// input did not already have, every IPv4 header checksum good, every forwarded packet one TTL
// lower with the MACs rewritten; ICMP errors (unreachable: no route, ARP failure; time
// exceeded) decoded as such, with good checksums, quoting the offending packet. Skipped with a
// message when tshark is not installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debianCaptures } from "./helpers/captures.js";
import { writePcap } from "../src/packet/writer.js";
import { ipv4Frame } from "./helpers/router-frames.js";

const tshark = spawnSync("tshark", ["--version"]).status === 0;
const skip = tshark ? false : "tshark is not installed (.ci/run installs it)";

const FORWARD = `hostname R1
interface GigabitEthernet0/0
 mac-address 0000.0c00.0001
 ip address 192.0.2.1 255.255.255.0
 ipv6 address 2001:db8::1/64
interface GigabitEthernet0/1
 mac-address 0000.0c00.0002
 ip address 198.51.100.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 198.51.100.2
arp 198.51.100.2 0000.0c99.0002 arpa
`;
const NO_ROUTE = FORWARD.replace("ip route 0.0.0.0 0.0.0.0 198.51.100.2\n", "");
const ARP_TRAP = FORWARD.replace("ip route 0.0.0.0 0.0.0.0 198.51.100.2", "ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/1");

function route(capture: string, config: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dataplane-route-"));
  writeFileSync(join(dir, "router.cfg"), config);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "route", capture, "--config", join(dir, "router.cfg"), "--out", dir, "--json"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  assert.equal(r.status, 0, `dataplane route ${capture}: ${r.stderr}`);
  return dir;
}

function fields(file: string, filter: string, names: string[]): string[][] {
  const r = spawnSync(
    "tshark",
    ["-r", file, "-o", "ip.check_checksum:TRUE", "-Y", filter, "-T", "fields", "-E", "separator=|", ...names.flatMap((n) => ["-e", n])],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  assert.equal(r.status, 0, `tshark -r ${file} -Y ${filter}: ${r.stderr}`);
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("|"));
}

const captures = debianCaptures().filter((p) =>
  /tcp_ecn\.pcap|basic_ipv4_tcp\.pcap|tcp_http|basic_ipv4_udp|basic_ipv6_udp|dns_valid_response\.pcap/.test(p),
);

test("forwarded frames are valid, one TTL lower, MACs rewritten", { skip }, () => {
  assert.ok(captures.length > 0, "no Debian captures found (.ci/run installs them)");
  for (const capture of captures) {
    const dir = route(capture, FORWARD);
    try {
      const input = fields(
        capture,
        "ip && ip.ttl > 1 && !(ip.dst == 192.0.2.0/24) && !(ip.dst == 198.51.100.0/24) && !(ip.dst >= 224.0.0.0)",
        ["ip.src", "ip.dst", "ip.id", "ip.ttl", "_ws.malformed"],
      );
      const output = fields(join(dir, "GigabitEthernet0_1.pcap"), "ip", [
        "ip.src",
        "ip.dst",
        "ip.id",
        "ip.ttl",
        "_ws.malformed",
        "ip.checksum.status",
        "eth.src",
        "eth.dst",
      ]);
      if (input.length > 0) assert.ok(output.length > 0, `${capture}: nothing forwarded`);
      for (const o of output) {
        assert.ok(
          o[5]!.split(",").every((x) => x === "1"),
          `${capture}: IPv4 header checksums of ${o.join(" ")}`,
        );
        assert.equal(o[6], "00:00:0c:00:00:02", `${capture}: source MAC`);
        assert.equal(o[7], "00:00:0c:99:00:02", `${capture}: destination MAC`);
      }
      const first = (field: string) => field.split(",")[0];
      const key = (r: string[], ttlDelta: number) => `${first(r[0]!)} ${first(r[1]!)} ${first(r[2]!)} ${Number(first(r[3]!)) + ttlDelta}`;
      assert.deepEqual(
        output.map((r) => key(r, 0)).sort(),
        input.map((r) => key(r, -1)).sort(),
        `${capture}: the forwarded packets, TTL one lower`,
      );
      const malformedIn = input.filter((r) => r[4] !== "").length;
      const malformedOut = output.filter((r) => r[4] !== "").length;
      assert.ok(malformedOut <= malformedIn, `${capture}: ${malformedOut} malformed out, ${malformedIn} in`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("no route: ICMP (and ICMPv6) unreachables quote the offending packet", { skip }, () => {
  for (const capture of captures.filter((p) => !p.endsWith("tcp_ecn.pcap"))) {
    const dir = route(capture, NO_ROUTE);
    try {
      const icmp = fields(join(dir, "GigabitEthernet0_0.pcap"), "icmp", [
        "icmp.type",
        "icmp.code",
        "icmp.checksum.status",
        "ip.src",
        "ip.dst",
        "ip.id",
        "ip.checksum.status",
        "_ws.malformed",
      ]);
      const input = new Set(fields(capture, "ip", ["ip.src", "ip.dst", "ip.id"]).map((r) => r.join(" ")));
      for (const r of icmp) {
        assert.equal(r[7], "", `malformed ICMP ${r.join(" ")}`);
        assert.equal(r[0]!.split(",")[0], "3", "type: destination unreachable");
        assert.equal(r[1]!.split(",")[0], "0", "code: network unreachable");
        assert.equal(r[2], "1", "ICMP checksum");
        const [outerSrc, innerSrc] = r[3]!.split(",");
        const [outerDst, innerDst] = r[4]!.split(",");
        const innerId = r[5]!.split(",")[1];
        assert.equal(outerSrc, "192.0.2.1", "from the input interface's address");
        assert.equal(outerDst, innerSrc, "to the offending packet's source");
        assert.ok(
          input.has(`${innerSrc} ${innerDst} ${innerId}`),
          `quoted packet ${innerSrc} → ${innerDst} id ${innerId} is in the capture`,
        );
        assert.ok(
          r[6]!.split(",").every((s) => s === "1"),
          "both IPv4 header checksums good",
        );
      }
      const icmp6 = fields(join(dir, "GigabitEthernet0_0.pcap"), "icmpv6", [
        "icmpv6.type",
        "icmpv6.code",
        "icmpv6.checksum.status",
        "_ws.malformed",
      ]);
      for (const r of icmp6) assert.deepEqual([r[0]!.split(",")[0], r[2], r[3]], ["1", "1", ""], "ICMPv6 unreachable with a good checksum");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test("TTL expiry and ARP failure: time exceeded and host unreachable, quoting the packet", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "dataplane-route-ttl-"));
  try {
    const frames = [
      { ttl: 1, dst: "203.0.113.7", id: 1 },
      { ttl: 64, dst: "203.0.113.8", id: 2 },
    ].map((p, k) => ({
      time: 1_700_000_000_000 + k,
      bytes: ipv4Frame({
        srcMac: "0a:00:00:00:00:09",
        dstMac: "00:00:0c:00:00:01",
        src: "192.0.2.9",
        dst: p.dst,
        protocol: 17,
        ttl: p.ttl,
        payload: 40,
      }),
    }));
    const capture = join(dir, "in.pcap");
    writeFileSync(capture, writePcap(frames, { linkType: 1 }));
    const out = route(capture, ARP_TRAP);
    const icmp = fields(join(out, "GigabitEthernet0_0.pcap"), "icmp", [
      "icmp.type",
      "icmp.code",
      "icmp.checksum.status",
      "ip.dst",
      "ip.ttl",
      "_ws.malformed",
    ]);
    assert.deepEqual(
      icmp.map((r) => [r[0], r[1], r[2], r[3]!.split(",")[1], r[5]]),
      [
        ["11", "0", "1", "203.0.113.7", ""],
        ["3", "1", "1", "203.0.113.8", ""],
      ],
    );
    const arp = fields(join(out, "GigabitEthernet0_1.pcap"), "arp", ["arp.opcode", "arp.dst.proto_ipv4"]);
    assert.ok(arp.length >= 1 && arp.every((r) => r[0] === "1" && r[1] === "203.0.113.8"), "ARP requests for the destination itself");
    rmSync(out, { recursive: true, force: true });
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
});
