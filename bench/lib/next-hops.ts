/** The benches' routers: NEXT_HOPS /24s behind as many statically resolved next hops, and a default route. */
export function resolvedNextHops(count: number) {
  return {
    routes: Array.from({ length: count }, (_, k) => ({
      prefix: `203.0.${k}.0/24`,
      target: { nextHop: `198.51.100.${10 + k}` },
    })).concat([{ prefix: "0.0.0.0/0", target: { nextHop: "198.51.100.10" } }]),
    staticArp: Array.from({ length: count }, (_, k) => ({
      address: `198.51.100.${10 + k}`,
      mac: `0a:00:00:00:00:${(16 + k).toString(16)}`,
    })),
  };
}
