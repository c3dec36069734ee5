/**
 * `dataplane simulate <scenario> [options]`: a dispatcher over named scenarios. Each scenario
 * lives in its own file and is listed in SCENARIOS below; adding one is an import and a line.
 */

import { type Command, UsageError } from "../command.js";
import { arpanet1980Scenario } from "./simulate-arpanet-1980.js";
import { bgpChurnScenario } from "./simulate-bgp-churn.js";

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
export const SCENARIOS: SimulationScenario[] = [arpanet1980Scenario, bgpChurnScenario];

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
