/**
 * `show ip nat translations [verbose]` and `show ip nat statistics` in the IOS layout (Cisco
 * IOS 12.x, "Verifying NAT Operation and Basic NAT Troubleshooting"): one line per translation
 * with the protocol (`---` for a simple entry) and the inside global, inside local, outside
 * local and outside global address[:port]; verbose adds the times and flags.
 */

import type { NatStatistics, NatTranslation } from "./types.js";

/** Options of the NAT displays. */
export interface NatShowOptions {
  /** `show ip nat translations verbose`. */
  verbose?: boolean;
  /** The time the display is taken at (for `create`, `use` and `left`); default the table's last time. */
  now?: number;
}

const HEADER = "Pro Inside global      Inside local       Outside local      Outside global";

/** hh:mm:ss (IOS prints days as `1d02h` beyond 24 hours). */
export function natDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return `${days}d${two(h)}h`;
  return `${two(h)}:${two(m)}:${two(s)}`;
}

function endpoint(address: string | null, port: number | null): string {
  if (address === null) return "---";
  return port === null ? address : `${address}:${port}`;
}

function column(text: string): string {
  return `${text.padEnd(18)} `;
}

/** One translation line. */
export function renderNatTranslation(t: NatTranslation): string {
  const protocol = (t.protocol ?? "---").padEnd(3);
  return `${protocol} ${column(endpoint(t.insideGlobal, t.insideGlobalPort))}${column(endpoint(t.insideLocal, t.insideLocalPort))}${column(
    endpoint(t.outside, t.outsidePort),
  )}${endpoint(t.outside, t.outsidePort)}`.trimEnd();
}

/** `show ip nat translations [verbose]`. */
export function renderNatTranslations(list: NatTranslation[], options: NatShowOptions = {}): string {
  const now = options.now ?? 0;
  const lines = [HEADER];
  for (const t of list) {
    lines.push(renderNatTranslation(t));
    if (options.verbose) {
      const flags = [t.static ? "static" : null, t.extended ? "extended" : null].filter((f) => f !== null).join(", ") || "none";
      const left = t.expiresAt === null ? "never" : natDuration(t.expiresAt - now);
      const timeout = t.timeoutClass === null ? "" : `timeout ${t.timeoutClass}, `;
      lines.push(
        `    create ${natDuration(now - t.createdAt)}, use ${natDuration(now - t.lastUsedAt)}, left ${left}, ${timeout}` +
          `Map-Id(In): ${t.mapping ?? 0}, flags: ${flags}, use_count: ${t.hits}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `show ip nat statistics`. */
export function renderNatStatistics(s: NatStatistics): string {
  const c = s.counters;
  const lines = [
    `Total active translations: ${s.active} (${s.static} static, ${s.dynamic} dynamic; ${s.extended} extended)`,
    `Peak translations: ${s.peak}`,
    "Outside interfaces:",
    ...s.outsideInterfaces.map((name) => `  ${name}`),
    "Inside interfaces:",
    ...s.insideInterfaces.map((name) => `  ${name}`),
    `Hits: ${c.hits}  Misses: ${c.misses}`,
    `Expired translations: ${c.expired}`,
    "Dynamic mappings:",
  ];
  if (s.mappings.length > 0) lines.push("-- Inside Source");
  for (const m of s.mappings) {
    const target = m.interface ? `interface ${m.pool}` : `pool ${m.pool}`;
    lines.push(`[Id: ${m.id}] access-list ${m.list} ${target}${m.overload ? " overload" : ""} refcount ${m.refcount}`);
    const p = s.pools.find((x) => x.name === m.pool && x.type === (m.interface ? "interface" : "generic"));
    if (p !== undefined && !m.interface) {
      const percent = p.total === 0 ? 0 : Math.floor((p.allocated * 100) / p.total);
      lines.push(` pool ${p.name}: netmask ${p.netmask}`);
      lines.push(`\tstart ${p.start} end ${p.end}`);
      lines.push(`\ttype generic, total addresses ${p.total}, allocated ${p.allocated} (${percent}%), misses ${p.misses}`);
    }
  }
  lines.push(`Limit: max entries ${s.maxEntries}, capacity ${s.capacity}`);
  lines.push(
    `Dropped: max-entries ${c.droppedMaxEntries}, table full ${c.droppedTableFull}, no address ${c.droppedNoAddress}, ` +
      `no port ${c.droppedNoPort}, untranslatable ${c.droppedUntranslatable}`,
  );
  return `${lines.join("\n")}\n`;
}
