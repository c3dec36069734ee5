// SipHash-1-3, the keyed hash of every traffic-fed table, checked against published outputs of
// the reference implementation (Aumasson & Bernstein, github.com/veorq/SipHash, built with
// cROUNDS = 1, dROUNDS = 3) rather than against itself: the 64-bit hash of the messages
// 00, 00 01, ..., 00 01 ... 3e (lengths 0 to 63) under the all-zero key.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Core } from "../src/wasm/core.js";

const ZERO_KEY_VECTORS = [
  0xd1fba762150c532cn,
  0x68a914128e01e473n,
  0x010bac45c41e3669n,
  0x4d4c9a4a8ef6e0adn,
  0x7cc43f98813e4dbdn,
  0x5abe2169dff36275n,
  0xe3c25f87624f1cdbn,
  0x2f098ab0c751325an,
  0xead411e67ebe2eean,
  0x75927f9d95124362n,
  0xaf9f77a65ab51a1dn,
  0xfe64ce8b6617fcffn,
  0xa6baf4fb0f9fe1c2n,
  0xa0cf3211850f8e0dn,
  0x7f86049379fbfe67n,
  0xf30eb725bb91c9ean,
  0x8972188433a5c5b7n,
  0x4883c49a2c009c1dn,
  0xadc2c0b63044067dn,
  0x091f4a3329f87d19n,
  0x639e355ae68c0100n,
  0xb17bef2cb5213239n,
  0xf8aeb1066236ccfen,
  0x37332b1389daa4ffn,
  0x31185a47af932f3an,
  0xebf352e82ae23e2fn,
  0xed36ff242fe478b2n,
  0x2454d97d299299dfn,
  0x8cd57fe8130d0ac7n,
  0xbe98eb2faf0a0e85n,
  0xd427c34ee09470c6n,
  0x169739443111d49bn,
  0x31ef8061c910629bn,
  0x7fb71d24dfa4c9f6n,
  0x92771f49e836d389n,
  0x3c393cf6f0853bc3n,
  0xac77921fcc642bd3n,
  0x422a9751192ff266n,
  0xc680ae8a8c584ddfn,
  0x6c76b6d34bb6d26bn,
  0x95bc321ab41d8206n,
  0x908a3a97a6d37669n,
  0xfcaf3c64874dd0b4n,
  0xf689479b32b84a44n,
  0xd857641079efd1fdn,
  0x8b581578722633f7n,
  0x83cb09d35ea7bcd4n,
  0x8485f7f5ae725a0dn,
  0xfe1f2445ba50237fn,
  0x23cece041d7866b0n,
  0x416687480b336c09n,
  0xf15960da7e7f3892n,
  0xded6177b9826835an,
  0xf80dae51668be6ben,
  0x17ecc6ee6647df18n,
  0x5220d642b4a52110n,
  0xa4f0cf4ba4adc016n,
  0xe5125bb26d1f2976n,
  0x851b0e75f580d256n,
  0x12605250a37e39acn,
  0xd95a713568daebf1n,
  0xcdcf4a42ec0dd605n,
  0xa5c708712b617164n,
  0x385d3e39e5f37359n,
];

function sipHash13(core: Core, bytes: Uint8Array, k0: bigint, k1: bigint): bigint {
  const w = core.wasm;
  const at = w.alloc(Math.max(1, bytes.length));
  core.views.refresh().u8.set(bytes, at);
  const hash = BigInt.asUintN(64, w.hashSipHash13(at, bytes.length, k0, k1));
  w.free(at);
  return hash;
}

for (const build of ["release", "debug"]) {
  test(`${build} build: SipHash-1-3 gives the reference implementation's outputs for lengths 0 to 63`, async () => {
    if (build === "debug") await import("./helpers/wasm.js");
    const core = new Core(build === "debug" ? { build } : {});
    ZERO_KEY_VECTORS.forEach((expected, length) => {
      const message = Uint8Array.from({ length }, (_, i) => i);
      assert.equal(sipHash13(core, message, 0n, 0n).toString(16), expected.toString(16), `length ${length}`);
    });
    assert.equal(ZERO_KEY_VECTORS.length, 64);
  });
}

test("SipHash-1-3 of an ASCII string under the zero key equals a second published value", () => {
  // "siphash" → 0x8264ceeccb16bcbe (published by an independent SipHash-1-3 implementation's tests).
  assert.equal(sipHash13(new Core(), new TextEncoder().encode("siphash"), 0n, 0n), 0x8264ceeccb16bcben);
});
