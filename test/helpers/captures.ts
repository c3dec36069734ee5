// Real captures that Debian packages ship (pathspider, gopacket, python3-dpkt,
// python3-libtrace, pcapfix; .ci/run installs them), for the interop tests.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Where those packages put their test captures. */
export const CAPTURE_DIRECTORIES = [
  "/usr/lib/python3/dist-packages/pathspider/tests/data",
  "/usr/share/gocode/src/github.com/gopacket/gopacket/pcapgo/tests",
  "/usr/share/gocode/src/github.com/google/gopacket",
  "/usr/share/doc/python3-dpkt/examples/data",
  "/usr/share/doc/python3-libtrace/examples",
  "/usr/share/doc/pcapfix/examples", // DAMAGED_CAPTURE_DIRECTORY
];
const CAPTURE_NAME = /\.(pcap|pcapng|cap)(\.gz)?$/;

/** Every non-empty capture file below `directory`, in name order. */
function findCaptures(directory: string, out: string[] = []): string[] {
  if (!existsSync(directory)) return out;
  for (const name of readdirSync(directory).sort()) {
    const path = join(directory, name);
    const stat = statSync(path);
    if (stat.isDirectory()) findCaptures(path, out);
    else if (CAPTURE_NAME.test(name) && stat.size > 0) out.push(path);
  }
  return out;
}

/** pcapfix's examples, damaged on purpose. */
export const DAMAGED_CAPTURE_DIRECTORY = "/usr/share/doc/pcapfix/examples";

/** Every capture in `directories` (all of CAPTURE_DIRECTORIES unless told). */
export function debianCaptures(directories: readonly string[] = CAPTURE_DIRECTORIES): string[] {
  return directories.flatMap((directory) => findCaptures(directory));
}
