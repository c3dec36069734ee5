/** A router twin for route-cache tests: the WebAssembly Fib + RouteCache and the reference pair, changed together. */

import { Fib, RouteCache, type AdjacencyOptions, type RouteCacheOptions } from "../../src/index.js";
import { ReferenceFib } from "../../src/reference/fib.js";
import { ReferenceRouteCache, type ReferenceAdjacency } from "../../src/reference/route-cache.js";

/** The options a cache of either kind takes (the FIB is the twin's). */
export type CacheOptions = Omit<RouteCacheOptions, "fib">;

/** What tests call on either cache. */
export type AnyCache = RouteCache | ReferenceRouteCache;

const SPECIAL = ["", "null", "punt", "drop", "glean", "discard"];

/** One FIB of each kind with the same routes and adjacencies. */
export class Twin {
  readonly fib: Fib;
  readonly referenceFib: ReferenceFib;
  readonly #adjacencies = new Map<number, ReferenceAdjacency>();

  constructor(seed = 1) {
    this.fib = new Fib({ seed });
    this.referenceFib = new ReferenceFib({ loadSharingKey: this.fib.loadSharingKey });
    SPECIAL.forEach((kind, id) => {
      if (id > 0) this.#adjacencies.set(id, { kind });
    });
  }

  adjacency(options: AdjacencyOptions): number {
    const id = this.fib.addAdjacency(options);
    const record: ReferenceAdjacency = { kind: "neighbor", interface: options.interface };
    if (options.nextHop !== undefined) record.nextHop = String(options.nextHop);
    if (options.mac !== undefined) record.mac = String(options.mac);
    this.#adjacencies.set(id, record);
    return id;
  }

  route(prefix: string, adjacency: number | number[]): void {
    this.fib.insert(prefix, adjacency);
    this.referenceFib.insert(prefix, adjacency);
  }

  unroute(prefix: string): void {
    this.fib.delete(prefix);
    this.referenceFib.delete(prefix);
  }

  /** A cache of the given kind over this twin's FIB of that kind. */
  cache(kind: "wasm" | "reference", options: CacheOptions = {}): AnyCache {
    const [wasm, reference] = this.pair(options);
    if (kind === "wasm") return wasm;
    wasm.dispose();
    return reference;
  }

  /** Both caches, with the same options. */
  pair(options: CacheOptions = {}): [RouteCache, ReferenceRouteCache] {
    const wasm = new RouteCache({ ...options, fib: this.fib });
    const { maxBytes: _b, seed: _s, maxEntries: _e, ...rest } = options;
    const reference = new ReferenceRouteCache({
      ...rest,
      fib: this.referenceFib,
      adjacency: (id) => this.#adjacencies.get(id),
      maxEntries: wasm.maxEntries,
    });
    return [wasm, reference];
  }
}

/** Small caches for tests: 2.5 MB (the 2.1 MB major-network memo and the tables) and few adjacencies. */
export const SMALL: CacheOptions = { maxBytes: 3 * 1024 * 1024, maxAdjacencies: 256, maxNeighbors: 4096 };
