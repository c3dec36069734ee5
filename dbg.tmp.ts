import { runArpScan } from "./src/sim/arp-scan/scenario.ts";
for (const rate of [50, 500, 5000]) {
  const r = runArpScan({ rate, seconds: 30, models: ["ours"] });
  const m = r.models[0]!;
  console.log(rate, JSON.stringify(m.m4), m.m6.admitRefusedRate, m.m6.admitted);
}
