/**
 * The reference packet selector: the same configuration model as `PacketSelector` (sampler
 * maps, class maps, policy maps, per-interface NetFlow), deciding one packet at a time with
 * the reference matcher and reference samplers. Same seed and the same sequence of
 * configuration calls ⇒ the same packets selected, with the same sampler ids.
 *
 * Streams: every sampler that is created takes the master stream's current state, after which
 * the master jumps 2^64. Samplers are created when the configuration changes, in the order of
 * interfaces (ascending), then each policy's classes (in order, class-default last); a sampler
 * whose interface, policy, class and sampler-map definition are unchanged is kept as it is.
 */

import { Xoshiro128 } from "../common/random.js";
import type { SamplerMode } from "../sampling/modes.js";
import type { ClassMapConfig } from "../sampling/filter-criteria.js";
import type { FilterInput } from "../sampling/filter-input.js";
import type { InterfaceNetflow, PolicyMapClass } from "../sampling/packet-selector.js";
import { ReferenceSampler } from "./sampler.js";
import { referenceClassMatches, referencePacket } from "./filter-match.js";

interface MapDefinition {
  id: number;
  mode: SamplerMode;
  interval: number;
}

/** What the reference selects: per accounted packet, its index, sampler id and sampler key. */
export interface ReferenceSelection {
  indices: number[];
  samplerIds: number[];
  /** `interface|sampler` or `interface|policy|class`; "full" for full NetFlow. */
  keys: string[];
}

/** The reference selector. */
export class ReferencePacketSelector {
  readonly #master: Xoshiro128;
  readonly #maps = new Map<string, MapDefinition>();
  readonly #classes = new Map<string, ClassMapConfig>();
  readonly #policies = new Map<string, PolicyMapClass[]>();
  readonly #interfaces = new Map<number, InterfaceNetflow>();
  #samplers = new Map<string, { sampler: ReferenceSampler; map: MapDefinition }>();
  /** Packet counters, as the real selector's. */
  packets = 0;
  malformed = 0;
  notIp = 0;
  notConfigured = 0;
  filteredOut = 0;
  fullAccounted = 0;

  constructor(seed: number | bigint) {
    this.#master = new Xoshiro128(seed);
  }

  /** Defines a sampler map (ids: the smallest unused, from 1). */
  samplerMap(name: string, config: { mode?: SamplerMode; interval: number }): number {
    const old = this.#maps.get(name);
    let id = old?.id;
    if (id === undefined) {
      const used = new Set([...this.#maps.values()].map((m) => m.id));
      for (id = 1; used.has(id); id++);
    }
    this.#maps.set(name, { id, mode: config.mode ?? "random", interval: config.interval });
    this.#rebuild();
    return id;
  }

  /** Defines a class map (no validation: the real selector's refusals are tested on it). */
  classMap(name: string, config: ClassMapConfig): void {
    this.#classes.set(name, config);
  }

  /** Defines a policy map; class-default is tried last. */
  policyMap(name: string, classes: PolicyMapClass[]): void {
    this.#policies.set(name, [
      ...classes.filter((c) => c.class !== "class-default"),
      ...classes.filter((c) => c.class === "class-default"),
    ]);
    this.#rebuild();
  }

  /** Sets (or with null, clears) an interface's NetFlow. */
  setInterface(ifIndex: number, setting: InterfaceNetflow | null): void {
    if (setting === null) this.#interfaces.delete(ifIndex);
    else this.#interfaces.set(ifIndex, setting);
    this.#rebuild();
  }

  #rebuild(): void {
    const next = new Map<string, { sampler: ReferenceSampler; map: MapDefinition }>();
    for (const ifIndex of [...this.#interfaces.keys()].sort((a, b) => a - b)) {
      const setting = this.#interfaces.get(ifIndex)!;
      const wanted: [string, string][] = [];
      if ("sampler" in setting) wanted.push([`${ifIndex}|sampler`, setting.sampler]);
      else if ("servicePolicy" in setting) {
        for (const c of this.#policies.get(setting.servicePolicy) ?? [])
          wanted.push([`${ifIndex}|${setting.servicePolicy}|${c.class}`, c.sampler]);
      }
      for (const [key, mapName] of wanted) {
        const map = this.#maps.get(mapName)!;
        const old = this.#samplers.get(key);
        if (old !== undefined && old.map === map) {
          next.set(key, old);
          continue;
        }
        const rng = new Xoshiro128(0);
        rng.state.set(this.#master.state);
        this.#master.jump();
        next.set(key, { sampler: new ReferenceSampler({ mode: map.mode, interval: map.interval, rng }), map });
      }
    }
    this.#samplers = next;
  }

  /** Decides on the first `count` packets of the columns (default: all), one at a time. */
  select(input: FilterInput, count = input.ipVersion.length): ReferenceSelection {
    const result: ReferenceSelection = { indices: [], samplerIds: [], keys: [] };
    for (let i = 0; i < count; i++) {
      this.packets++;
      const p = referencePacket(input, i);
      // NetFlow sees parsed IP packets only.
      if (p.status >= 32) {
        this.malformed++;
        continue;
      }
      if (p.ipVersion !== 4 && p.ipVersion !== 6) {
        this.notIp++;
        continue;
      }
      const setting = this.#interfaces.get(p.inputInterface);
      if (setting === undefined) {
        this.notConfigured++;
        continue;
      }
      if ("flow" in setting) {
        this.fullAccounted++;
        result.indices.push(i);
        result.samplerIds.push(0);
        result.keys.push("full");
        continue;
      }
      let key: string | undefined;
      if ("sampler" in setting) key = `${p.inputInterface}|sampler`;
      else {
        const entry = this.#policies
          .get(setting.servicePolicy)!
          .find((c) => c.class === "class-default" || referenceClassMatches(this.#classes.get(c.class)!, p));
        if (entry !== undefined) key = `${p.inputInterface}|${setting.servicePolicy}|${entry.class}`;
      }
      if (key === undefined) {
        this.filteredOut++;
        continue;
      }
      const s = this.#samplers.get(key)!;
      if (s.sampler.decide()) {
        result.indices.push(i);
        result.samplerIds.push(s.map.id);
        result.keys.push(key);
      }
    }
    return result;
  }
}
