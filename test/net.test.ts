import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  parseIPv4,
  formatIPv4,
  parseIPv6,
  formatIPv6,
  parsePrefix,
  formatPrefix,
  parseMac,
  formatMac,
  formatMacCisco,
  AddressError,
  PrefixError,
  MacError,
  bigIntFromWords,
  wordsFromBigInt,
} from "../src/index.js";
import { macTextToCisco } from "../src/net/mac.js";

test("IPv4 text round-trips for every 32-bit value", () => {
  fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (n) => parseIPv4(formatIPv4(n)) === n));
});

test("IPv4 parsing refuses what is not a dotted quad", () => {
  for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1..2.3", "a.b.c.d"]) {
    assert.throws(
      () => parseIPv4(bad),
      (e: unknown) => e instanceof AddressError && e.value === bad,
      bad,
    );
  }
});

test("IPv6 canonical text round-trips and follows RFC 5952", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 0xffffffff })), { minLength: 4, maxLength: 4 }), (words) => {
      const text = formatIPv6(words);
      assert.deepEqual(
        [...parseIPv6(text)],
        words.map((w) => w >>> 0),
      );
      assert.equal(text, text.toLowerCase());
      assert.ok(!/(^|:)0+[0-9a-f]/.test(text.replace(/::ffff:[\d.]+$/, "")), `leading zeros in ${text}`);
    }),
  );
  assert.equal(formatIPv6(parseIPv6("2001:0db8:0000:0000:0001:0000:0000:0001")), "2001:db8::1:0:0:1");
  assert.equal(formatIPv6(parseIPv6("::ffff:192.0.2.1")), "::ffff:192.0.2.1");
  assert.equal(formatIPv6(parseIPv6("::")), "::");
  assert.equal(formatIPv6(parseIPv6("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");
});

test("IPv6 parsing refuses malformed text, naming it", () => {
  for (const bad of [
    "",
    ":",
    "1:2:3:4:5:6:7",
    "1::2::3",
    "12345::",
    "g::1",
    "1:2:3:4:5:6:7:8:9",
    "::1.2.3",
    "fe80::1%eth0",
    "1:2:3:4:5:6:7:8::",
  ]) {
    assert.throws(
      () => parseIPv6(bad),
      (e: unknown) => e instanceof AddressError && e.value === bad,
      bad,
    );
  }
});

test("bigint and word forms of IPv6 agree", () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => bigIntFromWords(wordsFromBigInt(value)) === value));
});

test("prefixes: valid ones round-trip, invalid ones raise typed errors that name the value", () => {
  assert.equal(formatPrefix(parsePrefix("10.1.0.0/16")), "10.1.0.0/16");
  assert.equal(formatPrefix(parsePrefix("2001:DB8::/32")), "2001:db8::/32");
  assert.equal(formatPrefix(parsePrefix({ address: 0x0a000000, length: 8 })), "10.0.0.0/8");
  const cases: [unknown, string][] = [
    ["10.0.0.0/33", "prefix-length"],
    ["10.0.0.1/8", "prefix-host-bits"],
    ["garbage", "prefix-syntax"],
    ["10.0.0.0/x", "prefix-syntax"],
    ["2001:db8::/129", "prefix-length"],
    ["2001:db8::1/64", "prefix-host-bits"],
    [{ address: "10.0.0.0", length: 1.5 }, "prefix-length"],
  ];
  for (const [input, code] of cases) {
    assert.throws(
      () => parsePrefix(input as never),
      (e: unknown) => e instanceof PrefixError && e.code === code && e.message.includes(JSON.stringify(input).slice(0, 20)),
      String(input),
    );
  }
  assert.throws(
    () => parsePrefix("10.0.0.0/8", 6),
    (e: unknown) => e instanceof PrefixError && e.code === "prefix-family",
  );
  assert.match(
    (() => {
      try {
        parsePrefix("10.0.0.1/8");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })(),
    /10\.0\.0\.0\/8/,
  );
});

test("MAC addresses in the three usual notations", () => {
  const bytes = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e];
  for (const text of ["00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E", "001a.2b3c.4d5e"]) assert.deepEqual([...parseMac(text)], bytes);
  assert.equal(formatMac(bytes), "00:1a:2b:3c:4d:5e");
  assert.equal(formatMacCisco(bytes), "001a.2b3c.4d5e");
  for (const bad of ["00:1a:2b:3c:4d", "00:1a-2b:3c:4d:5e", "zz:1a:2b:3c:4d:5e"]) {
    assert.throws(
      () => parseMac(bad),
      (e: unknown) => e instanceof MacError && e.value === bad,
    );
  }
});

test("MAC text forms agree with a digit-by-digit rendering for random addresses (colon, dash, upper case, dotted)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
      const digits = [...bytes].map((b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
      const dotted = `${digits.slice(0, 4)}.${digits.slice(4, 8)}.${digits.slice(8)}`;
      const colon = digits.match(/../g)!.join(":");
      assert.equal(formatMac(bytes), colon);
      assert.equal(formatMacCisco(bytes), dotted);
      for (const text of [colon, colon.toUpperCase(), colon.replace(/:/g, "-"), dotted]) assert.equal(macTextToCisco(text), dotted, text);
      assert.deepEqual([...parseMac(formatMac(bytes))], [...bytes]);
    }),
  );
  assert.throws(() => macTextToCisco("00:1a:2b:3c:4d:5g"), MacError);
});
