/**
 * Topologies for the flooding simulator: a ring with random chords (the default; N/2 chords
 * give a mean degree of 3, roughly the ARPANET of 1980), a bare ring, a full mesh, or explicit
 * edges. Chords and link delays come from the run's seed.
 */

import { ConfigError, describe } from "../errors.js";
import { Xoshiro128 } from "../common/random.js";

/** Most nodes a simulated network may have. */
export const MAX_FLOODING_NODES = 1024;

/** How to build the network. */
export type TopologySpec =
  /** A ring 0–1–…–(N−1)–0 plus `chords` random links between non-adjacent nodes (default N/2: mean degree 3, ARPANET-like). */
  | { kind: "ring-chords"; nodes: number; chords?: number }
  /** A bare ring: one circulating wave at most. */
  | { kind: "ring"; nodes: number }
  /** Every pair of nodes linked. */
  | { kind: "mesh"; nodes: number }
  /** Explicit undirected links [a, b]. */
  | { kind: "edges"; nodes: number; edges: readonly (readonly [number, number])[] };

/** A built network: undirected links and each node's neighbours in link order. */
export interface Topology {
  /** Number of nodes, 0 … nodes − 1. */
  readonly nodes: number;
  /** Undirected links, each once, [a, b] with a < b. */
  readonly edges: readonly (readonly [number, number])[];
  /** Neighbours of each node. */
  readonly neighbours: readonly (readonly number[])[];
}

function checkNodes(nodes: number, min: number): number {
  if (!Number.isInteger(nodes) || nodes < min || nodes > MAX_FLOODING_NODES) {
    throw new ConfigError(
      "topology-nodes",
      `node count must be an integer from ${min} to ${MAX_FLOODING_NODES}, got ${describe(nodes)}`,
      nodes,
    );
  }
  return nodes;
}

function fromEdges(nodes: number, edges: Iterable<readonly [number, number]>): Topology {
  const seen = new Set<number>();
  const list: [number, number][] = [];
  const neighbours: number[][] = Array.from({ length: nodes }, () => []);
  for (const edge of edges) {
    const [x, y] = edge;
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= nodes || y >= nodes || x === y) {
      throw new ConfigError("topology-edge", `a link must join two different nodes of 0 … ${nodes - 1}, got ${describe(edge)}`, edge);
    }
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    if (seen.has(a * nodes + b)) throw new ConfigError("topology-edge", `link ${describe([a, b])} given twice`, edge);
    seen.add(a * nodes + b);
    list.push([a, b]);
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  return { nodes, edges: list, neighbours };
}

function ring(nodes: number): [number, number][] {
  return Array.from({ length: nodes }, (_, i) => [i, (i + 1) % nodes] as [number, number]);
}

/**
 * Builds `spec`, drawing chords from `random` (a seed, or a stream the caller goes on drawing from).
 *
 * @throws ConfigError for a node count out of 3 … 1024 (2 for explicit edges), a chord count
 *   beyond the free pairs, or a bad or repeated link
 */
export function buildTopology(spec: TopologySpec, seedOrRandom: number | Xoshiro128 = 1): Topology {
  const random = typeof seedOrRandom === "number" ? new Xoshiro128(seedOrRandom) : seedOrRandom;
  switch (spec.kind) {
    case "ring":
      return fromEdges(checkNodes(spec.nodes, 3), ring(spec.nodes));
    case "mesh": {
      const nodes = checkNodes(spec.nodes, 2);
      const edges: [number, number][] = [];
      for (let a = 0; a < nodes; a++) for (let b = a + 1; b < nodes; b++) edges.push([a, b]);
      return fromEdges(nodes, edges);
    }
    case "edges":
      return fromEdges(checkNodes(spec.nodes, 2), spec.edges);
    case "ring-chords": {
      const nodes = checkNodes(spec.nodes, 3);
      const chords = spec.chords ?? Math.floor(nodes / 2);
      const free = (nodes * (nodes - 1)) / 2 - nodes;
      if (!Number.isInteger(chords) || chords < 0 || chords > free) {
        throw new ConfigError(
          "topology-chords",
          `chord count must be an integer from 0 to ${free} for ${nodes} nodes, got ${describe(chords)}`,
          chords,
        );
      }
      const edges = ring(nodes);
      const taken = new Set(edges.map(([a, b]) => Math.min(a, b) * nodes + Math.max(a, b)));
      // Rejection sampling is fine while chords are sparse; past half the free pairs, draw from the list.
      if (chords <= free / 2) {
        while (edges.length < nodes + chords) {
          const a = random.below(nodes);
          const b = random.below(nodes);
          const key = Math.min(a, b) * nodes + Math.max(a, b);
          if (a === b || taken.has(key)) continue;
          taken.add(key);
          edges.push([Math.min(a, b), Math.max(a, b)]);
        }
      } else {
        const pairs: [number, number][] = [];
        for (let a = 0; a < nodes; a++) for (let b = a + 1; b < nodes; b++) if (!taken.has(a * nodes + b)) pairs.push([a, b]);
        for (let i = 0; i < chords; i++) {
          const j = i + random.below(pairs.length - i);
          [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
          edges.push(pairs[i]!);
        }
      }
      return fromEdges(nodes, edges);
    }
    default:
      throw new ConfigError(
        "topology-kind",
        `topology kind must be ring-chords, ring, mesh or edges, got ${describe((spec as { kind: unknown }).kind)}`,
        spec,
      );
  }
}
