// NAT as a Dataplane stage (`ip nat inside|outside`, seed 000 "NAT/PAT meltdown"), in the order
// IOS applies it: a packet from an outside interface has its destination translated before the
// FIB lookup (it then routes as the inside local address it stands for); a packet from an inside
// interface that leaves through an outside one has its source translated after the output ACL
// (the slot named in forward.ts). The table rewrites the batch's columns and the frame in place
// (addresses, ports, ICMP query ids, checksums by RFC 1624). A translation the table refuses
// (max-entries, budget, pool or ports exhausted, untranslatable for PAT) drops the packet with a
// reason, with an ICMP host unreachable (RFC 792, code 1, rate-limited) when the table asks for one.

import { PacketBatch } from "../packet/batch";
import {
  NatState, MAX_INTERFACES, ROLE_INSIDE, ROLE_OUTSIDE, VERDICT_IN, VERDICT_OUT, VERDICT_ICMP, VERDICT_DROP_MAX_ENTRIES,
  VERDICT_DROP_TABLE_FULL, VERDICT_DROP_NO_ADDRESS, VERDICT_DROP_NO_PORT,
} from "../nat/state";
import { natTranslateRow, natAge } from "../nat";
import {
  Pipeline, REASON_NONE, REASON_NAT_TABLE_FULL, REASON_NAT_NO_ADDRESS, REASON_NAT_UNTRANSLATABLE, C_NAT_IN, C_NAT_OUT, NO_IFACE,
} from "./state";
import { counterAdd } from "./output";
import { icmpError, icmpEligible, ICMP_UNREACHABLE } from "./icmp";

// @ts-ignore: decorator
@inline function roleOf(t: NatState, iface: u32): u32 {
  return iface < MAX_INTERFACES ? <u32>load<u8>(t.roles + <usize>iface) : 0;
}

/** Outside → inside, before routing: returns the packet's destination (translated or not). */
export function natInbound(p: Pipeline, b: PacketBatch, i: u32, iface: u32, time: f64): u32 {
  const t = changetype<NatState>(p.nat);
  if (roleOf(t, iface) == ROLE_OUTSIDE && natTranslateRow(t, b, i, time, NO_IFACE) == VERDICT_IN) counterAdd(p, C_NAT_IN, 1);
  return load<u32>(b.dst + (<usize>i << 4));
}

/** Inside → outside, after the output ACL: REASON_NONE to go on, or the reason of the drop. */
export function natOutbound(p: Pipeline, b: PacketBatch, i: u32, iface: u32, egress: u32, time: f64): u8 {
  const t = changetype<NatState>(p.nat);
  if (roleOf(t, iface) != ROLE_INSIDE || roleOf(t, egress) != ROLE_OUTSIDE) return REASON_NONE;
  const verdict = <u8>natTranslateRow(t, b, i, time, egress);
  if (verdict == VERDICT_OUT) {
    counterAdd(p, C_NAT_OUT, 1);
    return REASON_NONE;
  }
  const code = verdict & ~VERDICT_ICMP;
  if (code < VERDICT_DROP_MAX_ENTRIES) return REASON_NONE; // passed untranslated (no mapping, skipped)
  if (verdict & VERDICT_ICMP) {
    const n = <usize>i;
    const frame = b.frames + <usize>load<u32>(b.frameOffset + (n << 2));
    const l3 = load<u32>(b.l3Offset + (n << 2));
    const eligible = icmpEligible(frame, frame + <usize>l3, 4, <u32>load<u8>(b.protocol + n), <u32>load<u8>(b.icmpType + n),
      <u32>load<u16>(b.fragmentOffset + (n << 1)));
    icmpError(p, frame, load<u32>(b.capturedLength + (n << 2)), l3, 4, iface, ICMP_UNREACHABLE, 1, time, eligible, true);
  }
  if (code == VERDICT_DROP_MAX_ENTRIES || code == VERDICT_DROP_TABLE_FULL) return REASON_NAT_TABLE_FULL;
  if (code == VERDICT_DROP_NO_ADDRESS || code == VERDICT_DROP_NO_PORT) return REASON_NAT_NO_ADDRESS;
  return REASON_NAT_UNTRANSLATABLE;
}

/** The NAT ager on the pipeline's timer grid (bounded work per tick; see natAge). */
export function natTick(p: Pipeline, time: f64): void {
  natAge(changetype<NatState>(p.nat), time);
}
