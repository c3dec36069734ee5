/** `show running-config`: a {@link RouterConfig} printed in IOS's layout and order. */

import type { RouterConfig } from "./types.js";

/** The configuration as IOS prints it; {@link parseIosConfig} reads it back to the same objects. */
export function renderRunningConfig(c: RouterConfig): string {
  const out: string[] = ["Building configuration...", "", "Current configuration:", "!"];
  if (c.serviceInternal) out.push("service internal", "!");
  if (c.hostname !== undefined) out.push(`hostname ${c.hostname}`, "!");
  if (c.cef === true) out.push("ip cef");
  if (c.cef === false) out.push("no ip cef");
  if (c.cacheAgerInterval) {
    const a = c.cacheAgerInterval;
    out.push(`ip cache-ager-interval ${a.seconds} ${a.lowMemory} ${a.normal}`);
  }
  if (c.cacheInvalidateDelay) {
    const d = c.cacheInvalidateDelay;
    out.push(`ip cache-invalidate-delay ${d.minimum} ${d.maximum} ${d.quiet} ${d.threshold}`);
  }
  if (c.mlsFlow) out.push(`mls flow ip ${c.mlsFlow}`);
  if (c.flowCacheTimeout.active !== undefined) out.push(`ip flow-cache timeout active ${c.flowCacheTimeout.active}`);
  if (c.flowCacheTimeout.inactive !== undefined) out.push(`ip flow-cache timeout inactive ${c.flowCacheTimeout.inactive}`);
  out.push("!");
  for (const m of c.samplerMaps) out.push(`flow-sampler-map ${m.name}`, ` mode ${m.mode} one-out-of ${m.interval}`, "!");
  for (const m of c.classMaps) {
    out.push(`class-map match-${m.match} ${m.name}`);
    for (const x of m.matches) out.push(` match ${x.join(" ")}`);
    out.push("!");
  }
  for (const m of c.policyMaps) {
    out.push(`policy-map ${m.name}`);
    for (const x of m.classes) {
      out.push(`  class ${x.class}`);
      if (x.sampler !== undefined) out.push(`   netflow-sampler ${x.sampler}`);
    }
    out.push("!");
  }
  for (const f of c.interfaces) {
    out.push(`interface ${f.name}`);
    if (f.description !== undefined) out.push(` description ${f.description}`);
    if (f.dot1q !== undefined) out.push(` encapsulation dot1Q ${f.dot1q}`);
    if (f.macAddress !== undefined) out.push(` mac-address ${f.macAddress}`);
    if (f.addresses.length === 0) out.push(" no ip address");
    for (const a of f.addresses) out.push(` ip address ${a.address} ${a.mask}${a.secondary ? " secondary" : ""}`);
    for (const a of f.addresses6) out.push(` ipv6 address ${a}`);
    for (const g of f.accessGroups) out.push(` ip access-group ${g.list} ${g.direction}`);
    if (f.verifyUnicast) {
      const v = f.verifyUnicast;
      out.push(` ip verify unicast source reachable-via ${v.mode}${v.allowDefault ? " allow-default" : ""}${v.list ? ` ${v.list}` : ""}`);
    }
    if (f.directedBroadcast === true) out.push(" ip directed-broadcast");
    if (f.directedBroadcast === false) out.push(" no ip directed-broadcast");
    if (f.proxyArp === true) out.push(" ip proxy-arp");
    if (f.proxyArp === false) out.push(" no ip proxy-arp");
    for (const a of f.accounting) out.push(a === "output-packets" ? " ip accounting output-packets" : ` ip accounting ${a}`);
    for (const r of f.routeCache) out.push(` ${r.enabled ? "" : "no "}ip route-cache${r.mode === "fast" ? "" : ` ${r.mode}`}`);
    if (f.flowIngress) out.push(" ip flow ingress");
    if (f.flowEgress) out.push(" ip flow egress");
    if (f.flowSampler !== undefined) out.push(` flow-sampler ${f.flowSampler}`);
    for (const s of f.servicePolicy) out.push(` service-policy ${s.direction} ${s.name}`);
    if (f.nat !== undefined) out.push(` ip nat ${f.nat}`);
    if (f.arpTimeout !== undefined) out.push(` arp timeout ${f.arpTimeout}`);
    if (f.bridgeGroup !== undefined) out.push(` bridge-group ${f.bridgeGroup}`);
    if (f.shutdown === true) out.push(" shutdown");
    out.push("!");
  }
  for (const b of c.routerBlocks) out.push(b.header, ...b.lines.map((l) => ` ${l}`), "!");
  for (const n of c.nat) {
    if (n.kind === "pool") {
      out.push(
        `ip nat pool ${n.name} ${n.start} ${n.end} ${n.netmask !== undefined ? `netmask ${n.netmask}` : `prefix-length ${n.prefixLength}`}`,
      );
    } else if (n.kind === "inside-source-list") {
      out.push(
        `ip nat inside source list ${n.list} ${n.pool !== undefined ? `pool ${n.pool}` : `interface ${n.interface}`}${n.overload ? " overload" : ""}`,
      );
    } else if (n.kind === "inside-source-static") out.push(`ip nat inside source static ${n.local} ${n.global}`);
    else out.push(`ip nat translation ${n.setting} ${n.value}`);
  }
  if (c.httpServer === true) out.push("ip http server");
  if (c.httpServer === false) out.push("no ip http server");
  for (const field of c.flowCapture) out.push(`ip flow-capture ${field}`);
  out.push(...c.other);
  for (const r of c.routes) {
    out.push(
      `ip route ${r.prefix} ${r.mask} ${r.target}${r.nextHop ? ` ${r.nextHop}` : ""}${r.distance !== undefined ? ` ${r.distance}` : ""}`,
    );
  }
  for (const r of c.routes6) out.push(`ipv6 route ${r.prefix} ${r.interface}`);
  out.push("!");
  if (c.topTalkers) {
    const t = c.topTalkers;
    out.push("ip flow-top-talkers");
    if (t.top !== undefined) out.push(` top ${t.top}`);
    if (t.sortBy !== undefined) out.push(` sort-by ${t.sortBy}`);
    if (t.cacheTimeout !== undefined) out.push(` cache-timeout ${t.cacheTimeout}`);
    for (const m of t.matches) out.push(` match ${m.join(" ")}`);
    out.push("!");
  }
  // Lists in the order they were made: numbered ones as access-list lines, named ones as blocks.
  for (const l of c.accessLists) {
    if (/^\d+$/.test(l.name)) {
      for (const e of l.entries) out.push(`access-list ${l.name} ${e.text}`);
      continue;
    }
    out.push(`ip access-list ${l.kind} ${l.name}`);
    for (const e of l.entries) out.push(` ${e.text}`);
  }
  for (const a of c.arp) out.push(`arp ${a.address} ${a.mac} arpa${a.interface ? ` ${a.interface}` : ""}`);
  for (const b of c.bridge) {
    if (b.kind === "irb") out.push("bridge irb");
    else if (b.kind === "protocol") out.push(`bridge ${b.group} protocol ${b.protocol}`);
    else if (b.kind === "aging-time") out.push(`bridge ${b.group} aging-time ${b.seconds}`);
    else out.push(`bridge ${b.group} route ${b.protocol}`);
  }
  out.push("!", "end");
  return `${out.join("\n")}\n`;
}
