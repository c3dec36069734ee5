/**
 * `dataplane start` (what `npm start` ran before the Code Red scenario took its place): builds a FIB from a generated full-size Internet
 * table with the real prefix-length distribution, prints its summary and the measured lookup rate.
 */

import { Fib } from "../../fib/fib.js";
import { renderCefSummary } from "../../show/cef.js";
import { generateIPv4Table, generateIPv6Table } from "../../sim/table.js";
import { installTable } from "../../node/table-file.js";
import { Xoshiro128 } from "../../common/random.js";
import { type Command, parseOptions, numberOption } from "../command.js";
import { formatRate } from "../format.js";
import { checkBytes } from "../../common/validation.js";

/** Most generated IPv4 routes (about twice today's Internet table; loading takes seconds). */
const MAX_ROUTES = 2_000_000;
/** Most generated IPv6 routes. */
const MAX_ROUTES6 = 1_000_000;
/** Bytes per IPv4 lookup: its address and result (4 + 4), and a quarter of an IPv6 one (16 + 4). */
const LOOKUP_BYTES = 8 + 20 / 4;
/** Memory the lookup arrays may take: 2^24 lookups. */
const MAX_LOOKUP_BYTES = 2 ** 24 * LOOKUP_BYTES;

/**
 * A size option (an integer from 1) whose memory, `bytesEach` per unit, must fit `maxBytes`:
 * a CapacityError (exit 2) naming the option, the value and the bytes it would need.
 */
function sizeOption(value: string | undefined, name: string, fallback: number, bytesEach: number, maxBytes: number): number {
  const n = numberOption(value, name, fallback, { integer: true, min: 1 });
  checkBytes(
    `start-${name}`,
    `--${name}`,
    n,
    n * bytesEach,
    maxBytes,
    `bytes allowed (at most ${Math.floor(maxBytes / bytesEach).toLocaleString("en-US")})`,
  );
  return n;
}

export const startCommand: Command = {
  name: "start",
  summary: "a full-size FIB, its summary and its lookup rate (npm start runs simulate codered)",
  usage: `usage: dataplane start [--routes N] [--routes6 N] [--lookups N] [--seed S]

Generates a routing table with the prefix-length distribution of today's Internet
(default 901,899 IPv4 and 160,147 IPv6 routes), loads it, prints "show ip cef summary"
and measures batch lookups of random addresses.

  --routes N     IPv4 routes to generate (default 901,899, at most 2,000,000)
  --routes6 N    IPv6 routes to generate (default 160,147, at most 1,000,000)
  --lookups N    random addresses looked up per run (default 4,194,304, at most 16,777,216)
  --seed S       seed of the table and the addresses (default 1)`,
  async run(args) {
    const { values } = parseOptions(
      args,
      {
        routes: { type: "string" },
        routes6: { type: "string" },
        lookups: { type: "string" },
        seed: { type: "string" },
      },
      false,
    );
    // Every size is checked before any work starts, against the memory it implies.
    const seed = numberOption(values.seed, "seed", 1, { integer: true, max: 0xffffffff });
    const routes = numberOption(values.routes, "routes", 901_899, { integer: true, max: MAX_ROUTES });
    const routes6 = numberOption(values.routes6, "routes6", 160_147, { integer: true, max: MAX_ROUTES6 });
    const lookups = sizeOption(values.lookups, "lookups", 4_194_304, LOOKUP_BYTES, MAX_LOOKUP_BYTES);
    const v4 = generateIPv4Table({ count: routes, seed });
    const v6 = generateIPv6Table({ count: routes6, seed: seed + 1 });
    const fib = new Fib({ seed });
    const report = installTable(fib, {
      ipv4: { ...v4, targets: new Array<string>(v4.count).fill("") },
      ipv6: { ...v6, targets: new Array<string>(v6.count).fill("") },
    });
    process.stdout.write(renderCefSummary(fib.summary()));
    console.log(
      `\nGenerated table: ${report.ipv4Routes} IPv4 + ${report.ipv6Routes} IPv6 routes, loaded in ${report.insertMs.toFixed(0)} ms.`,
    );

    const random = new Xoshiro128(seed);
    const addresses = new Uint32Array(lookups);
    for (let i = 0; i < lookups; i++) addresses[i] = random.next();
    const out = new Uint32Array(lookups);
    fib.lookupBatch(addresses, out); // warm-up
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      fib.lookupBatch(addresses, out);
      runs.push(lookups / ((performance.now() - t) / 1000));
    }
    runs.sort((a, b) => a - b);
    let routed = 0;
    for (let i = 0; i < lookups; i++) if (out[i] !== 0) routed++;
    console.log(
      `IPv4 lookupBatch, ${lookups} random addresses (${((100 * routed) / lookups).toFixed(1)}% routed): ${formatRate(runs[2]!, " lookups/s")} (median of 5)`,
    );

    // IPv6: addresses inside random routes of the table (random IPv6 addresses almost never match).
    const count6 = Math.max(1, lookups >> 2);
    const addresses6 = new Uint32Array(count6 * 4);
    for (let i = 0; i < count6; i++) {
      const k = random.below(v6.count);
      for (let w = 0; w < 4; w++) {
        const fixed = Math.max(0, Math.min(32, v6.lengths[k]! - w * 32));
        const keep = fixed === 0 ? 0 : (0xffffffff << (32 - fixed)) >>> 0;
        addresses6[i * 4 + w] = ((v6.addresses[k * 4 + w]! & keep) | (random.next() & ~keep)) >>> 0;
      }
    }
    const out6 = new Uint32Array(count6);
    fib.lookupBatch6(addresses6, out6);
    const runs6: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      fib.lookupBatch6(addresses6, out6);
      runs6.push(count6 / ((performance.now() - t) / 1000));
    }
    runs6.sort((a, b) => a - b);
    console.log(`IPv6 lookupBatch6, ${count6} addresses inside routes: ${formatRate(runs6[2]!, " lookups/s")} (median of 5)`);
    return 0;
  },
};
