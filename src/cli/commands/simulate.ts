/**
 * `dataplane simulate <scenario> [options]`: a dispatcher over named scenarios. Each scenario
 * lives in its own file and is listed in SCENARIOS below; adding one is an import and a line.
 */

import { type Command, UsageError } from "../command.js";
import { arpanet1980Scenario } from "./simulate-arpanet-1980.js";
import { bgpChurnScenario } from "./simulate-bgp-churn.js";
import { wormScenario } from "./simulate-worm.js";
import { runCodeRed } from "../../sim/scenarios/codered.js";
import { runCodeRed2 } from "../../sim/scenarios/codered2.js";
import { runSlammer } from "../../sim/scenarios/slammer.js";

/** What a `dataplane simulate` scenario provides. */
export interface SimulationScenario {
  /** The name after `simulate`, e.g. `arpanet-1980`. */
  name: string;
  /** One line for the scenario list. */
  summary: string;
  /** Its options, as shown by `--help`. */
  usage: string;
  /** Runs with the arguments after the name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Every scenario, in the order `--help` lists them. */
export const SCENARIOS: SimulationScenario[] = [
  arpanet1980Scenario,
  wormScenario({
    name: "codered",
    summary: "Code Red against the Code Red document's router, each of its fixes, and all of them",
    description: `The router of Cisco's Code Red document (static route to a broadcast interface with proxy
ARP upstream, RFC 826 ARP, fast switching, full NetFlow, 128 MB) while the IIS servers behind it
are infected at the rate of Code Red v2's spread (359,000 hosts, doubling every 37 min), against
the next-hop route, CEF, negative ARP caching, sampled NetFlow 1-in-100 with top talkers, an
inbound port-80 ACL, and all of them. Per variant: ARP requests/s, memory per table, CPU per
process, established packets lost, MALLOCFAIL and reload times, and how well
"show ip flow top" and "show ip cache flow | include 0050" name the infected servers.`,
    defaultSeconds: 600,
    maxSeconds: 86_400,
    terminalVariants: ["vulnerable", "all fixes"],
    run: ({ seconds, seed, progress }) => runCodeRed({ seconds, seed, progress }).result,
  }),
  wormScenario({
    name: "codered2",
    summary: "Code Red II's locality (3/8 of its probes into its own /16) against a /16 site",
    description: `Code Red II from a site's IIS servers (172.20.128.0/24) whose /16 also holds its clients
(172.20.0.0/17, 3,000 live hosts): 3/8 of the probes stay in the /16 and 1/2 in 172/8, so the
router ARPs on the clients' LAN for addresses that mostly do not exist (the NANOG post's ARP
flood) as well as out of the uplink. The same router variants as codered; Vlan1's ARP rate
is its own column.`,
    defaultSeconds: 300,
    maxSeconds: 86_400,
    terminalVariants: ["vulnerable", "all fixes"],
    run: ({ seconds, seed, progress }) => runCodeRed2({ seconds, seed, progress }).result,
  }),
  wormScenario({
    name: "slammer",
    summary: "SQL Slammer from a site's SQL servers: bandwidth-bound scanning through its router",
    description: `Two SQL servers on 100 Mb/s links, infected as Slammer's spread (doubling every 8.5 s)
reaches them, send 404-byte UDP datagrams to port 1434 from the worm's flawed LCG as fast as
their links allow (28,280/s each) through a 45 Mb/s uplink: the Code Red document's router,
the next-hop route with CEF, an inbound ACL for UDP 1434, and all fixes. Per variant the
uplink's offered load, ARP, memory, CPU, established loss and the NetFlow displays.`,
    defaultSeconds: 60,
    maxSeconds: 3_600,
    terminalVariants: ["vulnerable", "all fixes"],
    run: ({ seconds, seed, progress }) => runSlammer({ seconds, seed, progress }).result,
  }),
  bgpChurnScenario,
];

function scenarioList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  return SCENARIOS.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`).join("\n");
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: `run a named scenario (${SCENARIOS.map((s) => s.name).join(", ")})`,
  get usage() {
    return [`usage: dataplane simulate <scenario> [options]`, "", "Scenarios:", scenarioList(), "", ...SCENARIOS.map((s) => s.usage)].join(
      "\n",
    );
  },
  async run(args) {
    const [name, ...rest] = args;
    if (name === undefined || name.startsWith("-")) throw new UsageError(`name a scenario: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (scenario === undefined)
      throw new UsageError(`unknown scenario ${JSON.stringify(name)}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    return scenario.run(rest);
  },
};
