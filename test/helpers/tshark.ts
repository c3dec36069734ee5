// tshark for the interop tests: whether it is installed (the skip message when not), and the
// fields of every frame of a pcap with checksum validation on for IPv4, TCP and UDP.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** false when tshark runs, else the reason to skip (node:test's `skip` option). */
export const tsharkSkip: false | string =
  spawnSync("tshark", ["--version"]).status === 0 ? false : "tshark is not installed (.ci/run installs it)";

/** Addresses, ports, ICMP id and the checksum statuses (1 good, 0 bad, 3 not present) of NAT'd frames. */
export const NAT_FIELDS = [
  "ip.src",
  "ip.dst",
  "tcp.srcport",
  "tcp.dstport",
  "udp.srcport",
  "udp.dstport",
  "icmp.ident",
  "ip.checksum.status",
  "tcp.checksum.status",
  "udp.checksum.status",
  "icmp.checksum.status",
] as const;

/** One row per frame of the pcap at `path`: the `fields`' values, in order ("" when absent). */
export function tsharkFields(path: string, fields: readonly string[]): string[][] {
  const checks = ["ip", "tcp", "udp"].flatMap((p) => ["-o", `${p}.check_checksum:TRUE`]);
  const args = ["-n", "-r", path, ...checks, "-T", "fields", "-E", "separator=/t", ...fields.flatMap((f) => ["-e", f])];
  const result = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
}
