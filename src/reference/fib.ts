/**
 * The reference FIB: a plain binary trie (one bit per level), written for obviousness. It is the
 * oracle that tests compare the WebAssembly FIB with, and the TS baseline of the benchmarks.
 */

import { type AddressInput, type Family, parseAddress } from "../net/address.js";
import { type PrefixInput, parsePrefix } from "../net/prefix.js";
import { loadShareBucket, loadShareBucket6 } from "../common/mix.js";

const NONE = 0xffffffff;

/** One family's binary trie over typed arrays: node i has children left[i], right[i] and a value. */
class BinaryTrie {
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  value = new Uint32Array(1024).fill(NONE);
  nodes = 1;
  routes = 0;

  #grow(): void {
    const capacity = this.left.length * 2;
    const left = new Int32Array(capacity);
    left.set(this.left);
    const right = new Int32Array(capacity);
    right.set(this.right);
    const value = new Uint32Array(capacity).fill(NONE);
    value.set(this.value);
    this.left = left;
    this.right = right;
    this.value = value;
  }

  /** Sets the value of a prefix; returns the previous one (NONE if new). */
  set(words: ArrayLike<number>, length: number, adjacency: number): number {
    let node = 0;
    for (let i = 0; i < length; i++) {
      const bit = (words[i >>> 5]! >>> (31 - (i & 31))) & 1;
      const children = bit ? this.right : this.left;
      let child = children[node]!;
      if (child === 0) {
        if (this.nodes === this.left.length) this.#grow();
        child = this.nodes++;
        (bit ? this.right : this.left)[node] = child;
      }
      node = child;
    }
    const previous = this.value[node]!;
    if (previous === NONE) this.routes++;
    this.value[node] = adjacency;
    return previous;
  }

  /** Clears a prefix; returns its value (NONE if absent). Nodes are kept. */
  clear(words: ArrayLike<number>, length: number): number {
    const node = this.#find(words, length);
    if (node < 0) return NONE;
    const previous = this.value[node]!;
    if (previous !== NONE) this.routes--;
    this.value[node] = NONE;
    return previous;
  }

  get(words: ArrayLike<number>, length: number): number {
    const node = this.#find(words, length);
    return node < 0 ? NONE : this.value[node]!;
  }

  #find(words: ArrayLike<number>, length: number): number {
    let node = 0;
    for (let i = 0; i < length && node >= 0; i++) {
      const bit = (words[i >>> 5]! >>> (31 - (i & 31))) & 1;
      node = (bit ? this.right : this.left)[node]! || -1;
    }
    return node;
  }

  /** The value of the longest prefix covering the address, or 0. */
  lookup(words: ArrayLike<number>, bits: number): number {
    let node = 0;
    let best = this.value[0]! === NONE ? 0 : this.value[0]!;
    for (let i = 0; i < bits; i++) {
      const bit = (words[i >>> 5]! >>> (31 - (i & 31))) & 1;
      node = (bit ? this.right : this.left)[node]!;
      if (node === 0) break;
      const v = this.value[node]!;
      if (v !== NONE) best = v;
    }
    return best;
  }

  /** Length of the longest route at or below the node of `words`/`length`, or −1. */
  deepestUnder(words: ArrayLike<number>, length: number): number {
    const start = this.#find(words, length);
    if (start < 0) return -1;
    let best = -1;
    const stack: [number, number][] = [[start, length]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (this.value[node] !== NONE && depth > best) best = depth;
      if (this.left[node]) stack.push([this.left[node]!, depth + 1]);
      if (this.right[node]) stack.push([this.right[node]!, depth + 1]);
    }
    return best;
  }

  /** Every route as [words, length, value]. */
  *entries(bits: number): IterableIterator<[Uint32Array, number, number]> {
    const stack: [number, number, Uint32Array][] = [[0, 0, new Uint32Array(bits / 32)]];
    while (stack.length > 0) {
      const [node, depth, words] = stack.pop()!;
      const value = this.value[node]!;
      if (value !== NONE) yield [words, depth, value];
      if (this.right[node]) {
        const right = words.slice();
        right[depth >>> 5] = (right[depth >>> 5]! | (1 << (31 - (depth & 31)))) >>> 0;
        stack.push([this.right[node]!, depth + 1, right]);
      }
      if (this.left[node]) stack.push([this.left[node]!, depth + 1, words]);
    }
  }
}

/** Route values at or above this stand for a load-shared route: index into the path lists. */
const LOAD_SHARED = 0x40000000;

/** Options of a {@link ReferenceFib}. */
export interface ReferenceFibOptions {
  /** Key of the per-destination path choice (the twin's `Fib.loadSharingKey`). */
  loadSharingKey?: bigint;
}

/**
 * A longest-prefix-match table with the same answers as {@link Fib}, without adjacency
 * bookkeeping. A load-shared route's paths are kept sorted; destination d takes path
 * `paths[bucket % paths.length]`, where `bucket` is the 4-bit keyed hash of d (CEF's 16 buckets
 * dealt out to the paths in turn).
 */
export class ReferenceFib {
  readonly #v4 = new BinaryTrie();
  readonly #v6 = new BinaryTrie();
  readonly #key: bigint;
  readonly #paths: number[][] = [];
  /** Incremented by every change (a new route, a route whose paths change, a deletion), as `Fib.summary().tableVersion`. */
  version = 1;

  constructor(options: ReferenceFibOptions = {}) {
    this.#key = options.loadSharingKey ?? 0n;
  }

  #value(adjacency: number | readonly number[]): number {
    if (typeof adjacency === "number") return adjacency;
    if (adjacency.length === 1) return adjacency[0]!;
    this.#paths.push([...adjacency].sort((a, b) => a - b));
    return LOAD_SHARED + this.#paths.length - 1;
  }

  /** The paths of a route value: one adjacency, or a load-shared list. */
  #pathsOf(value: number): number[] {
    return value >= LOAD_SHARED && value !== NONE ? this.#paths[value - LOAD_SHARED]! : [value];
  }

  #choose4(value: number, destination: number, source = 0): number {
    if (value < LOAD_SHARED) return value;
    const paths = this.#paths[value - LOAD_SHARED]!;
    return paths[loadShareBucket(this.#key, destination, source) % paths.length]!;
  }

  #choose6(value: number, words: ArrayLike<number>): number {
    if (value < LOAD_SHARED) return value;
    const paths = this.#paths[value - LOAD_SHARED]!;
    return paths[loadShareBucket6(this.#key, words) % paths.length]!;
  }

  /** The paths of exactly this prefix, or undefined. */
  paths(prefix: PrefixInput): number[] | undefined {
    const p = parsePrefix(prefix);
    const value = this.#trie(p.family).get(p.words, p.length);
    return value === NONE ? undefined : this.#pathsOf(value);
  }

  /**
   * The route that covers an IPv4 address (longest match): its length and paths, or undefined.
   * The route cache's reference asks this on every miss.
   */
  matchRoute4(address: number): { length: number; paths: number[] } | undefined {
    for (let length = 32; length >= 0; length--) {
      const network = length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
      const value = this.#v4.get([network], length);
      if (value !== NONE) return { length, paths: this.#pathsOf(value) };
    }
    return undefined;
  }

  /** Length of the longest IPv4 route within `network`/`length` (itself included), or −1. */
  longestWithin4(network: number, length: number): number {
    return this.#v4.deepestUnder([network], length);
  }

  /** The path a destination (and source) takes through a list of paths. */
  choosePath4(paths: readonly number[], destination: number, source = 0): number {
    return paths.length === 1 ? paths[0]! : paths[loadShareBucket(this.#key, destination, source) % paths.length]!;
  }

  #trie(family: Family): BinaryTrie {
    return family === 4 ? this.#v4 : this.#v6;
  }

  /** Adds or replaces a route (one adjacency, or up to 16 load-shared paths); true when new. */
  insert(prefix: PrefixInput, adjacency: number | readonly number[]): boolean {
    const p = parsePrefix(prefix);
    const trie = this.#trie(p.family);
    const before = trie.get(p.words, p.length);
    const value = this.#value(adjacency);
    const previous = trie.set(p.words, p.length, value);
    if (before === NONE || this.#pathsOf(before).join(",") !== this.#pathsOf(value).join(",")) this.version++;
    return previous === NONE;
  }

  /** Deletes a route; true when it existed. */
  delete(prefix: PrefixInput): boolean {
    const p = parsePrefix(prefix);
    const existed = this.#trie(p.family).clear(p.words, p.length) !== NONE;
    if (existed) this.version++;
    return existed;
  }

  /** The adjacency of exactly this prefix (a single-path route), or undefined. */
  get(prefix: PrefixInput): number | undefined {
    const p = parsePrefix(prefix);
    const value = this.#trie(p.family).get(p.words, p.length);
    return value === NONE ? undefined : value;
  }

  /** Longest match (the chosen path of a load-shared route), 0 for no route. */
  lookup(address: AddressInput): number {
    const a = parseAddress(address);
    return a.family === 4 ? this.lookup4(a.words[0]!) : this.lookup6(a.words);
  }

  /** IPv4 longest match of an unsigned 32-bit address. */
  lookup4(address: number, source = 0): number {
    return this.#choose4(this.#v4.lookup([address], 32), address, source);
  }

  /** IPv6 longest match of four words. */
  lookup6(words: ArrayLike<number>): number {
    return this.#choose6(this.#v6.lookup(words, 128), words);
  }

  insertBatch(addresses: Uint32Array, lengths: Uint8Array, adjacencies: Uint32Array): void {
    for (let i = 0; i < lengths.length; i++) this.#v4.set([addresses[i]!], lengths[i]!, adjacencies[i]!);
  }

  insertBatch6(addresses: Uint32Array, lengths: Uint8Array, adjacencies: Uint32Array): void {
    for (let i = 0; i < lengths.length; i++) this.#v6.set(addresses.subarray(i * 4, i * 4 + 4), lengths[i]!, adjacencies[i]!);
  }

  deleteBatch(addresses: Uint32Array, lengths: Uint8Array): number {
    let deleted = 0;
    for (let i = 0; i < lengths.length; i++) if (this.#v4.clear([addresses[i]!], lengths[i]!) !== NONE) deleted++;
    return deleted;
  }

  lookupBatch(addresses: Uint32Array, out: Uint32Array = new Uint32Array(addresses.length), sources?: Uint32Array): Uint32Array {
    const one = [0];
    for (let i = 0; i < addresses.length; i++) {
      one[0] = addresses[i]!;
      out[i] = this.#choose4(this.#v4.lookup(one, 32), addresses[i]!, sources?.[i] ?? 0);
    }
    return out;
  }

  lookupBatch6(addresses: Uint32Array, out: Uint32Array = new Uint32Array(addresses.length >>> 2)): Uint32Array {
    for (let i = 0; i < out.length; i++) {
      const words = addresses.subarray(i * 4, i * 4 + 4);
      out[i] = this.#choose6(this.#v6.lookup(words, 128), words);
    }
    return out;
  }

  /** Number of routes (of one family, or both). */
  size(family?: Family): number {
    return family === undefined ? this.#v4.routes + this.#v6.routes : this.#trie(family).routes;
  }

  /** Every route of a family as [words, length, adjacency]. */
  entries(family: Family): IterableIterator<[Uint32Array, number, number]> {
    return this.#trie(family).entries(family === 4 ? 32 : 128);
  }
}
