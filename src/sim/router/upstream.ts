/**
 * The provider's router at the far end of the uplink, as the Code Red note describes it: it
 * runs proxy ARP, so it answers an ARP request for any address it has a route to with its own
 * MAC address (Cisco Doc 12808, 000:L173: "the next-hop router answers with its own MAC"). Its
 * routing table is a full Internet table (the generated one with the real prefix-length
 * distribution, or the real one), held in a {@link Fib}: a request for an address no route
 * covers gets no answer — the unanswered requests that negative ARP caching is about.
 */

import { Fib } from "../../fib/fib.js";
import type { DestinationTable } from "../workload/background.js";
import { ConfigError, describe } from "../../errors.js";

/** Options of {@link ProxyArpUpstream}. */
export interface ProxyArpUpstreamOptions {
  /** The upstream's routing table. */
  table: DestinationTable;
  /** Its MAC address on the shared link, as a 48-bit number (the MAC every proxy reply carries). */
  mac: number;
  /** Its address on the link. */
  address: number;
  seed?: number;
}

/** A proxy-ARP upstream router. */
export class ProxyArpUpstream {
  readonly mac: number;
  readonly address: number;
  readonly #fib: Fib;
  readonly #scratch = new Uint32Array(1);
  readonly #out = new Uint32Array(1);
  /** Requests seen and answered. */
  requests = 0;
  answered = 0;

  constructor(options: ProxyArpUpstreamOptions) {
    const { table } = options;
    if (table.count < 1) throw new ConfigError("upstream-table", `the upstream needs routes, got ${describe(table.count)}`, table.count);
    this.mac = options.mac;
    this.address = options.address >>> 0;
    this.#fib = new Fib({ maxBytes: 512 * 1024 * 1024, ...(options.seed === undefined ? {} : { seed: options.seed }) });
    const adjacency = this.#fib.addAdjacency({ interface: "upstream" });
    this.#fib.insertBatch(
      table.addresses.subarray(0, table.count),
      table.lengths.subarray(0, table.count),
      new Uint32Array(table.count).fill(adjacency),
    );
  }

  /** Whether a request for `address` is answered (the upstream routes it, or it is the upstream itself). */
  answers(address: number): boolean {
    this.requests++;
    if (address >>> 0 === this.address) {
      this.answered++;
      return true;
    }
    this.#scratch[0] = address >>> 0;
    this.#fib.lookupBatch(this.#scratch, this.#out);
    const yes = this.#out[0] !== 0;
    if (yes) this.answered++;
    return yes;
  }

  /** The MAC a request for `address` is answered with (proxy ARP: always its own), or undefined. */
  reply(address: number): number | undefined {
    return this.answers(address) ? this.mac : undefined;
  }

  /** Writes 1 into `out[i]` when `addresses[i]` would be answered, without counting requests. */
  routedBatch(addresses: Uint32Array, out: Uint32Array): void {
    this.#fib.lookupBatch(addresses, out);
  }

  dispose(): void {
    this.#fib.dispose();
  }
}
