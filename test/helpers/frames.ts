// fast-check generators of valid frames of every kind the parser supports, and of corrupted
// versions of them (truncated, bit-flipped, extended, lying in a length field).
import fc from "fast-check";
import { LinkType } from "../../src/packet/link-type.js";

/** A generated frame: its bytes, link type, wire length and where its length fields are. */
export interface GeneratedFrame {
  bytes: Uint8Array;
  linkType: number;
  wireLength: number;
  /** Offsets and sizes (1 or 2 bytes) of length-like fields, for "lie" corruptions. */
  lengthFields: [number, number][];
}

class Builder {
  bytes: number[] = [];
  lengthFields: [number, number][] = [];
  u8(v: number): this {
    this.bytes.push(v & 255);
    return this;
  }
  u16(v: number, isLength = false): this {
    if (isLength) this.lengthFields.push([this.bytes.length, 2]);
    this.bytes.push((v >> 8) & 255, v & 255);
    return this;
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.bytes.push(bytes[i]! & 255);
    return this;
  }
  set16(at: number, v: number): void {
    this.bytes[at] = (v >> 8) & 255;
    this.bytes[at + 1] = v & 255;
  }
  get length(): number {
    return this.bytes.length;
  }
}

const byteArray = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const mac = byteArray(6, 6);

type Transport =
  | { kind: "tcp"; srcPort: number; dstPort: number; flags: number; options: number; payload: Uint8Array }
  | { kind: "udp"; srcPort: number; dstPort: number; payload: Uint8Array }
  | { kind: "icmp"; type: number; code: number; payload: Uint8Array }
  | { kind: "other"; protocol: number; payload: Uint8Array };

const transport: fc.Arbitrary<Transport> = fc.oneof(
  fc.record({
    kind: fc.constant("tcp" as const),
    srcPort: fc.nat(65535),
    dstPort: fc.nat(65535),
    flags: fc.nat(0xfff),
    options: fc.nat(10),
    payload: byteArray(0, 40),
  }),
  fc.record({ kind: fc.constant("udp" as const), srcPort: fc.nat(65535), dstPort: fc.nat(65535), payload: byteArray(0, 40) }),
  fc.record({ kind: fc.constant("icmp" as const), type: fc.nat(255), code: fc.nat(255), payload: byteArray(0, 40) }),
  fc.record({
    kind: fc.constant("other" as const),
    protocol: fc.constantFrom(2, 4, 41, 47, 50, 89, 103, 132, 59),
    payload: byteArray(0, 40),
  }),
);

function transportBytes(t: Transport, version: 4 | 6): { protocol: number; bytes: Builder } {
  const b = new Builder();
  switch (t.kind) {
    case "tcp":
      b.u16(t.srcPort).u16(t.dstPort).u32(0x01020304).u32(0x05060708);
      b.lengthFields.push([b.length, 1]);
      b.u16((((5 + t.options) & 15) << 12) | t.flags)
        .u16(65535)
        .u16(0)
        .u16(0);
      for (let i = 0; i < t.options * 4; i++) b.u8(1);
      return { protocol: 6, bytes: b.raw(t.payload) };
    case "udp":
      b.u16(t.srcPort)
        .u16(t.dstPort)
        .u16(8 + t.payload.length, true)
        .u16(0);
      return { protocol: 17, bytes: b.raw(t.payload) };
    case "icmp":
      b.u8(t.type).u8(t.code).u16(0).u32(0x11223344);
      return { protocol: version === 4 ? 1 : 58, bytes: b.raw(t.payload) };
    default:
      return { protocol: t.protocol, bytes: b.raw(t.payload) };
  }
}

/** Appends `inner` to `outer`, carrying its length-field offsets along. */
function append(outer: Builder, inner: Builder): void {
  for (const [at, size] of inner.lengthFields) outer.lengthFields.push([at + outer.length, size]);
  outer.raw(inner.bytes);
}

const ipv4 = fc
  .record({
    tos: fc.nat(255),
    ttl: fc.nat(255),
    id: fc.nat(65535),
    flags: fc.constantFrom(0, 0x40, 0x20, 0x60, 0x80),
    fragmentOffset: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(0x1fff) }),
    optionWords: fc.oneof(fc.constant(0), fc.nat(10)),
    src: fc.nat(0xffffffff),
    dst: fc.nat(0xffffffff),
    transport,
  })
  .map((h) => {
    const { protocol, bytes: payload } = transportBytes(h.transport, 4);
    const b = new Builder();
    b.lengthFields.push([0, 1]);
    b.u8(0x40 | (5 + h.optionWords))
      .u8(h.tos)
      .u16(20 + h.optionWords * 4 + payload.length, true)
      .u16(h.id);
    b.u16((h.flags << 8) | (h.flags & 0x20 || h.fragmentOffset ? h.fragmentOffset : 0))
      .u8(h.ttl)
      .u8(protocol)
      .u16(0)
      .u32(h.src)
      .u32(h.dst);
    for (let i = 0; i < h.optionWords; i++) b.u32(i === h.optionWords - 1 ? 0 : 0x01010101);
    append(b, payload);
    return { etherType: 0x0800, builder: b };
  });

type Extension = { type: 0 | 43 | 60 | 51 | 135; words: number } | { type: 44; offset: number; more: boolean; id: number };
const extension: fc.Arbitrary<Extension> = fc.oneof(
  fc.record({ type: fc.constantFrom(0 as const, 43 as const, 60 as const, 51 as const, 135 as const), words: fc.nat(3) }),
  fc.record({
    type: fc.constant(44 as const),
    offset: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(0x1fff) }),
    more: fc.boolean(),
    id: fc.nat(0xffffffff),
  }),
);

const ipv6 = fc
  .record({
    trafficClass: fc.nat(255),
    flowLabel: fc.nat(0xfffff),
    hopLimit: fc.nat(255),
    src: fc.array(fc.nat(0xffffffff), { minLength: 4, maxLength: 4 }),
    dst: fc.array(fc.nat(0xffffffff), { minLength: 4, maxLength: 4 }),
    extensions: fc.oneof(fc.constant<Extension[]>([]), fc.array(extension, { maxLength: 4 })),
    transport,
  })
  .map((h) => {
    const { protocol, bytes: payload } = transportBytes(h.transport, 6);
    const chain = new Builder();
    h.extensions.forEach((e, i) => {
      const next = i + 1 < h.extensions.length ? h.extensions[i + 1]!.type : protocol;
      chain.u8(next);
      if (e.type === 44) {
        chain
          .u8(0)
          .u16((e.offset << 3) | (e.more ? 1 : 0))
          .u32(e.id);
      } else if (e.type === 51) {
        // AH: length in 4-octet units minus 2; keep it a multiple of 8 octets.
        chain.lengthFields.push([chain.length, 1]);
        chain.u8(e.words * 2 + 1);
        for (let k = 0; k < 10 + e.words * 8; k++) chain.u8(0);
      } else {
        chain.lengthFields.push([chain.length, 1]);
        chain.u8(e.words);
        for (let k = 0; k < 6 + e.words * 8; k++) chain.u8(k === 0 ? 1 : 0);
      }
    });
    append(chain, payload);
    const b = new Builder();
    b.u32((6 << 28) | (h.trafficClass << 20) | h.flowLabel).u16(chain.length, true);
    b.u8(h.extensions.length > 0 ? h.extensions[0]!.type : protocol).u8(h.hopLimit);
    for (const w of h.src) b.u32(w);
    for (const w of h.dst) b.u32(w);
    append(b, chain);
    return { etherType: 0x86dd, builder: b };
  });

const arp = fc
  .record({ op: fc.constantFrom(1, 2, 3, 4), sha: mac, spa: fc.nat(0xffffffff), tha: mac, tpa: fc.nat(0xffffffff), other: fc.boolean() })
  .map((a) => {
    const b = new Builder();
    b.u16(a.other ? 6 : 1)
      .u16(0x0800)
      .u8(6)
      .u8(4)
      .u16(a.op)
      .raw(a.sha)
      .u32(a.spa)
      .raw(a.tha)
      .u32(a.tpa);
    return { etherType: 0x0806, builder: b };
  });

const otherEtherType = fc
  .record({ type: fc.constantFrom(0x88cc, 0x8847, 0x8864, 0x8137, 0x22f0), payload: byteArray(0, 40) })
  .map((o) => ({ etherType: o.type, builder: new Builder().raw(o.payload) }));

const network = fc.oneof(
  { weight: 4, arbitrary: ipv4 },
  { weight: 4, arbitrary: ipv6 },
  { weight: 1, arbitrary: arp },
  { weight: 1, arbitrary: otherEtherType },
);
const ipOnly = fc.oneof(ipv4, ipv6);

const ethernet = fc
  .record({
    dst: mac,
    src: mac,
    tags: fc.array(fc.record({ tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100), tci: fc.nat(0xffff) }), { maxLength: 3 }),
    network,
    llc: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: byteArray(3, 60) }),
    pad: fc.boolean(),
  })
  .map((e) => {
    const b = new Builder().raw(e.dst).raw(e.src);
    for (const tag of e.tags) b.u16(tag.tpid).u16(tag.tci);
    if (e.llc !== null) b.u16(e.llc.length, true).raw(e.llc);
    else {
      b.u16(e.network.etherType);
      append(b, e.network.builder);
    }
    while (e.pad && b.length < 60) b.u8(0);
    return { bytes: b, linkType: LinkType.ethernet };
  });

const sll = fc.record({ version: fc.constantFrom(1, 2), src: mac, network, addressLength: fc.constantFrom(6, 6, 0, 8) }).map((s) => {
  const b = new Builder();
  if (s.version === 1) {
    b.u16(0).u16(1).u16(s.addressLength).raw(s.src).u16(0).u16(s.network.etherType);
  } else {
    b.u16(s.network.etherType).u16(0).u32(2).u16(1).u8(0).u8(s.addressLength).raw(s.src).u16(0);
  }
  append(b, s.network.builder);
  return { bytes: b, linkType: s.version === 1 ? LinkType.linuxSll : LinkType.linuxSll2 };
});

const loopback = fc
  .record({ loop: fc.boolean(), bigEndian: fc.boolean(), network: ipOnly, family6: fc.constantFrom(24, 28, 30) })
  .map((l) => {
    const family = l.network.etherType === 0x0800 ? 2 : l.family6;
    const b = new Builder();
    if (l.loop || l.bigEndian) b.u32(family);
    else b.u8(family).u8(0).u8(0).u8(0);
    append(b, l.network.builder);
    return { bytes: b, linkType: l.loop ? LinkType.loop : LinkType.null };
  });

const raw = fc
  .record({ network: ipOnly, linkType: fc.constantFrom(LinkType.raw, LinkType.rawOpenBsd, LinkType.rawBsdOs, 228, 229) })
  .map((r) => {
    const linkType = r.linkType === 228 || r.linkType === 229 ? (r.network.etherType === 0x0800 ? 228 : 229) : r.linkType;
    return { bytes: r.network.builder, linkType };
  });

/** Valid frames of every supported kind. */
export const validFrame: fc.Arbitrary<GeneratedFrame> = fc
  .oneof(
    { weight: 6, arbitrary: ethernet },
    { weight: 2, arbitrary: sll },
    { weight: 1, arbitrary: loopback },
    { weight: 2, arbitrary: raw },
  )
  .map(({ bytes, linkType }) => ({
    bytes: Uint8Array.from(bytes.bytes),
    linkType,
    wireLength: bytes.length,
    lengthFields: bytes.lengthFields,
  }));

type Corruption =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; mask: number }
  | { kind: "extend"; extra: Uint8Array }
  | { kind: "lie"; field: number; value: number }
  | { kind: "nudge"; field: number; delta: number }
  | { kind: "wire"; delta: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("extend" as const), extra: byteArray(1, 32) }),
  fc.record({
    kind: fc.constant("lie" as const),
    field: fc.nat(),
    value: fc.oneof(fc.nat(0xffff), fc.constantFrom(0, 1, 4, 5, 7, 8, 19, 20, 39, 40, 0xffff)),
  }),
  fc.record({ kind: fc.constant("wire" as const), delta: fc.integer({ min: -100, max: 100 }) }),
  // A length off by a little: the boundaries of every length check.
  fc.record({ kind: fc.constant("nudge" as const), field: fc.nat(), delta: fc.integer({ min: -16, max: 16 }) }),
);

function corrupt(frame: GeneratedFrame, changes: Corruption[]): GeneratedFrame {
  let bytes = Uint8Array.from(frame.bytes);
  let wireLength = frame.wireLength;
  for (const change of changes) {
    switch (change.kind) {
      case "truncate":
        bytes = bytes.slice(0, change.at % (bytes.length + 1));
        break;
      case "flip":
        if (bytes.length > 0) bytes[change.at % bytes.length]! ^= change.mask;
        break;
      case "extend": {
        const longer = new Uint8Array(bytes.length + change.extra.length);
        longer.set(bytes);
        longer.set(change.extra, bytes.length);
        bytes = longer;
        wireLength += change.extra.length;
        break;
      }
      case "lie": {
        if (frame.lengthFields.length === 0) break;
        const [at, size] = frame.lengthFields[change.field % frame.lengthFields.length]!;
        if (size === 2 && at + 1 < bytes.length) {
          bytes[at] = change.value >> 8;
          bytes[at + 1] = change.value & 255;
        } else if (size === 1 && at < bytes.length) {
          // A length nibble or byte: keep the version nibble of an IPv4 first byte.
          bytes[at] = at === 0 || (bytes[at]! & 0xf0) === 0x40 ? (bytes[at]! & 0xf0) | (change.value & 15) : change.value & 255;
        }
        break;
      }
      case "wire":
        wireLength = Math.max(0, wireLength + change.delta);
        break;
      case "nudge": {
        if (frame.lengthFields.length === 0) break;
        const [at, size] = frame.lengthFields[change.field % frame.lengthFields.length]!;
        if (size === 2 && at + 1 < bytes.length) {
          const value = (((bytes[at]! << 8) | bytes[at + 1]!) + change.delta) & 0xffff;
          bytes[at] = value >> 8;
          bytes[at + 1] = value & 255;
        } else if (size === 1 && at < bytes.length) {
          const nibble = (bytes[at]! & 0xf0) === 0x40 || (bytes[at]! & 0xf0) === 0x50;
          bytes[at] = nibble ? (bytes[at]! & 0xf0) | ((bytes[at]! + change.delta) & 15) : (bytes[at]! + change.delta) & 255;
        }
        break;
      }
    }
  }
  return { bytes, linkType: frame.linkType, wireLength, lengthFields: frame.lengthFields };
}

/** Valid frames, and the same frames damaged by one to three corruptions. */
export const anyFrame: fc.Arbitrary<GeneratedFrame> = fc.oneof(
  validFrame,
  fc.tuple(validFrame, fc.array(corruption, { minLength: 1, maxLength: 3 })).map(([frame, changes]) => corrupt(frame, changes)),
  fc
    .record({
      bytes: byteArray(0, 80),
      linkType: fc.constantFrom(0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147, 65535),
      wireLength: fc.nat(200),
    })
    .map((r) => ({ ...r, lengthFields: [] })),
);

/**
 * The parser's fast path: untagged Ethernet, IPv4 without options, not a fragment, TCP or UDP;
 * then nudged, lied to or cut, so that every boundary of its checks is crossed both ways.
 */
export const fastPathFrame: fc.Arbitrary<GeneratedFrame> = fc
  .tuple(
    fc.record({
      dst: mac,
      src: mac,
      tos: fc.nat(255),
      ttl: fc.nat(255),
      id: fc.nat(65535),
      flags: fc.constantFrom(0, 0x40),
      addresses: fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff)),
      transport: fc.oneof(
        fc.record({
          kind: fc.constant("tcp" as const),
          srcPort: fc.nat(65535),
          dstPort: fc.nat(65535),
          flags: fc.nat(0xfff),
          options: fc.nat(3),
          payload: byteArray(0, 24),
        }),
        fc.record({ kind: fc.constant("udp" as const), srcPort: fc.nat(65535), dstPort: fc.nat(65535), payload: byteArray(0, 24) }),
      ),
      pad: fc.boolean(),
    }),
    fc.array(corruption, { maxLength: 2 }),
  )
  .map(([f, changes]) => {
    const { protocol, bytes: payload } = transportBytes(f.transport, 4);
    const b = new Builder().raw(f.dst).raw(f.src).u16(0x0800);
    b.u8(0x45)
      .u8(f.tos)
      .u16(20 + payload.length, true)
      .u16(f.id)
      .u16(f.flags << 8)
      .u8(f.ttl)
      .u8(protocol)
      .u16(0)
      .u32(f.addresses[0])
      .u32(f.addresses[1]);
    append(b, payload);
    while (f.pad && b.length < 60) b.u8(0);
    const frame = { bytes: Uint8Array.from(b.bytes), linkType: LinkType.ethernet, wireLength: b.length, lengthFields: b.lengthFields };
    return changes.length > 0 ? corrupt(frame, changes) : frame;
  });
