// The clock of a stateful component (ARP, bridge, NAT): the host passes times in milliseconds
// as f64; the component keeps whole milliseconds and never goes back before the last time it
// saw (a step back is clamped, and counted by the component).

/** Whether the last `clockMs` clamped a step back (AssemblyScript has no multiple returns). */
export let clockSteppedBack = false;

/**
 * `now` as whole milliseconds, never before `last` (the component's last time); a NaN,
 * negative or implausibly large `now` (≥ 9e15) reads as `last`. Sets `clockSteppedBack`.
 */
export function clockMs(now: f64, last: i64): i64 {
  const ms: i64 = now >= 0 && now < 9.0e15 ? <i64>now : last;
  clockSteppedBack = ms < last;
  return clockSteppedBack ? last : ms;
}
