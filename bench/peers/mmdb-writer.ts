/**
 * A minimal MaxMind DB (format 2.0) writer, so that the `mmdb-lib` reader can be benchmarked as
 * an LPM peer: it only reads prebuilt databases. Layout per the MaxMind DB File Format
 * Specification: a binary search tree of `node_count` nodes with two 32-bit records each
 * (record < node_count: a node; = node_count: no data; > node_count: data at
 * record − node_count − 16 in the data section), 16 zero bytes, the data section, then
 * "\xAB\xCD\xEFMaxMind.com" and the metadata map.
 *
 * Nested prefixes are leaf-pushed, since a record cannot both lead deeper and hold data.
 */

/** Encoders for the few MaxMind DB data types used here. */
function control(type: number, size: number): number[] {
  if (type <= 7) return [(type << 5) | size];
  return [size, type - 7]; // extended type: type bits 0, then type − 7 in the next byte
}
function encodeUint(type: number, value: number | bigint): number[] {
  const bytes: number[] = [];
  let v = BigInt(value);
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return [...control(type, bytes.length), ...bytes];
}
function encodeString(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...control(2, bytes.length), ...bytes];
}
function encodeMap(entries: [string, number[]][]): number[] {
  return [...control(7, entries.length), ...entries.flatMap(([k, v]) => [...encodeString(k), ...v])];
}
function encodeArray(items: number[][]): number[] {
  return [...control(11, items.length), ...items.flat()];
}

/** Builds an IPv4 MaxMind DB mapping each prefix to its (uint32) value. */
export function buildMmdb4(addresses: Uint32Array, lengths: Uint8Array, values: Uint32Array): Uint8Array {
  // Binary trie of the prefixes.
  let capacity = 1 << 20;
  let left: Int32Array = new Int32Array(capacity),
    right: Int32Array = new Int32Array(capacity),
    value: Int32Array = new Int32Array(capacity).fill(-1);
  let nodes = 1;
  for (let i = 0; i < lengths.length; i++) {
    let node = 0;
    for (let b = 0; b < lengths[i]!; b++) {
      const bit = (addresses[i]! >>> (31 - b)) & 1;
      const children = bit ? right : left;
      if (children[node] === 0) {
        if (nodes === capacity) {
          capacity *= 2;
          const grow = (a: Int32Array, fill: number): Int32Array => {
            const next = new Int32Array(capacity).fill(fill);
            next.set(a);
            return next;
          };
          left = grow(left, 0);
          right = grow(right, 0);
          value = grow(value, -1);
        }
        (bit ? right : left)[node] = nodes++;
      }
      node = (bit ? right : left)[node]!;
    }
    value[node] = values[i]!;
  }
  // Data section: one uint32 per distinct value.
  const data: number[] = [];
  const dataOffset = new Map<number, number>();
  for (const v of new Set(values)) {
    dataOffset.set(v, data.length);
    data.push(...encodeUint(6, v));
  }
  // Search tree, leaf-pushed: number the internal nodes in breadth-first order.
  const order: number[] = [];
  const inherited: number[] = [];
  const index = new Int32Array(nodes).fill(-1);
  const isInternal = (n: number): boolean => left[n] !== 0 || right[n] !== 0;
  order.push(0);
  inherited.push(value[0]!);
  index[0] = 0;
  for (let k = 0; k < order.length; k++) {
    const n = order[k]!;
    const carry = value[n]! >= 0 ? value[n]! : inherited[k]!;
    for (const child of [left[n]!, right[n]!]) {
      if (child !== 0 && isInternal(child)) {
        index[child] = order.length;
        order.push(child);
        inherited.push(value[child]! >= 0 ? value[child]! : carry);
      }
    }
  }
  const nodeCount = order.length;
  const tree = new DataView(new ArrayBuffer(nodeCount * 8));
  const record = (child: number, carry: number): number => {
    if (child !== 0 && isInternal(child)) return index[child]!;
    const v = child !== 0 && value[child]! >= 0 ? value[child]! : carry;
    return v >= 0 ? nodeCount + 16 + dataOffset.get(v)! : nodeCount;
  };
  for (let k = 0; k < nodeCount; k++) {
    const n = order[k]!;
    const carry = value[n]! >= 0 ? value[n]! : inherited[k]!;
    tree.setUint32(k * 8, record(left[n]!, carry));
    tree.setUint32(k * 8 + 4, record(right[n]!, carry));
  }
  const metadata = encodeMap([
    ["node_count", encodeUint(6, nodeCount)],
    ["record_size", encodeUint(5, 32)],
    ["ip_version", encodeUint(5, 4)],
    ["database_type", encodeString("dataplane-bench")],
    ["languages", encodeArray([encodeString("en")])],
    ["binary_format_major_version", encodeUint(5, 2)],
    ["binary_format_minor_version", encodeUint(5, 0)],
    ["build_epoch", encodeUint(9, 0)],
    ["description", encodeMap([["en", encodeString("FIB benchmark table")]])],
  ]);
  const marker = [0xab, 0xcd, 0xef, ...new TextEncoder().encode("MaxMind.com")];
  const out = new Uint8Array(nodeCount * 8 + 16 + data.length + marker.length + metadata.length);
  out.set(new Uint8Array(tree.buffer), 0);
  out.set(data, nodeCount * 8 + 16);
  out.set(marker, nodeCount * 8 + 16 + data.length);
  out.set(metadata, nodeCount * 8 + 16 + data.length + marker.length);
  return out;
}
