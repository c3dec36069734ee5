// IPv4 access lists as IOS applies them with `ip access-group N in|out`: entries tried in order,
// the first whose criteria all hold decides (permit or deny), and a packet no entry matches is
// denied (the implicit `deny any`). Addresses match under wildcard masks (1 bits: don't care);
// TCP/UDP ports under eq, neq, lt, gt, range; `established` is TCP with ACK or RST; ICMP
// entries may name a type and a code. A non-first fragment carries no layer-4 header: an entry
// with layer-4 criteria matches it on its addresses and protocol when it permits, and never
// when it denies (IOS's fragment rule). Every match counts on its entry; `log` entries count
// the log messages they would send.

import {
  Pipeline, ACE_WORDS, ACE_ACTION, ACE_FLAGS, ACE_PROTOCOL, ACE_SRC, ACE_SRC_WILD, ACE_DST, ACE_DST_WILD, ACE_SRC_OP,
  ACE_SRC_LOW, ACE_SRC_HIGH, ACE_DST_OP, ACE_DST_LOW, ACE_DST_HIGH, ACE_ICMP_TYPE, ACE_ICMP_CODE, ACE_ANY_PROTOCOL,
  ACE_ANY, ACE_FLAG_LOG, ACE_FLAG_ESTABLISHED, PORT_ANY, PORT_EQ, PORT_NEQ, PORT_LT, PORT_GT, C_ACL_LOGGED, C_ACL_CHECKED,
} from "./state";
import { counterAdd } from "./output";

// @ts-ignore: decorator
@inline function word(e: usize, k: u32): u32 {
  return load<u32>(e + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline function portMatches(op: u32, low: u32, high: u32, port: u32): bool {
  if (op == PORT_ANY) return true;
  if (op == PORT_EQ) return port == low;
  if (op == PORT_NEQ) return port != low;
  if (op == PORT_LT) return port < low;
  if (op == PORT_GT) return port > low;
  return port >= low && port <= high;
}

/**
 * Whether access list `acl` (directory index) permits the IPv4 packet described by the
 * arguments; counts the deciding entry (or the implicit deny).
 */
export function aclPermits(
  p: Pipeline, acl: u32, src: u32, dst: u32, protocol: u32, srcPort: u32, dstPort: u32, tcpFlags: u32, icmpType: u32,
  icmpCode: u32, fragment: bool,
): bool {
  counterAdd(p, C_ACL_CHECKED, 1);
  const first = load<u32>(p.aclDirectory + (<usize>acl << 3));
  const count = load<u32>(p.aclDirectory + (<usize>acl << 3) + 4);
  for (let k = first; k < first + count; k++) {
    const e = p.aces + ((<usize>k * ACE_WORDS) << 2);
    const proto = word(e, ACE_PROTOCOL);
    if (proto != ACE_ANY_PROTOCOL && proto != protocol) continue;
    const srcWild = word(e, ACE_SRC_WILD);
    if ((src & ~srcWild) != (word(e, ACE_SRC) & ~srcWild)) continue;
    const dstWild = word(e, ACE_DST_WILD);
    if ((dst & ~dstWild) != (word(e, ACE_DST) & ~dstWild)) continue;
    const permit = word(e, ACE_ACTION) == 1;
    const flags = word(e, ACE_FLAGS);
    const srcOp = word(e, ACE_SRC_OP);
    const dstOp = word(e, ACE_DST_OP);
    const type = word(e, ACE_ICMP_TYPE);
    const layer4 = srcOp != PORT_ANY || dstOp != PORT_ANY || (flags & ACE_FLAG_ESTABLISHED) != 0 || type != ACE_ANY;
    if (layer4) {
      if (fragment) {
        if (!permit) continue;
      } else {
        if (!portMatches(srcOp, word(e, ACE_SRC_LOW), word(e, ACE_SRC_HIGH), srcPort)) continue;
        if (!portMatches(dstOp, word(e, ACE_DST_LOW), word(e, ACE_DST_HIGH), dstPort)) continue;
        if ((flags & ACE_FLAG_ESTABLISHED) != 0 && (tcpFlags & 0x014) == 0) continue;
        if (type != ACE_ANY) {
          if (icmpType != type) continue;
          const code = word(e, ACE_ICMP_CODE);
          if (code != ACE_ANY && icmpCode != code) continue;
        }
      }
    }
    const counter = p.aceMatches + (<usize>k << 3);
    store<u64>(counter, load<u64>(counter) + 1);
    if (flags & ACE_FLAG_LOG) counterAdd(p, C_ACL_LOGGED, 1);
    return permit;
  }
  const implicit = p.aclImplicitDenies + (<usize>acl << 3);
  store<u64>(implicit, load<u64>(implicit) + 1);
  return false;
}
