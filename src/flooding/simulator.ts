/**
 * A deterministic, event-driven simulator of routing-update flooding as the ARPANET IMPs did
 * it (RFC 789): each node keeps the latest update of one originator, examines every copy that
 * arrives (one CPU cost each, whether kept or not, from a finite FIFO input buffer), accepts a
 * copy iff the rule says it is later than the stored one (or nothing is stored), stores it and
 * floods it to every neighbour but the sender. Options add RFC 789's 100 ms retransmission and
 * one-minute resynchronisation rules, MaxAge, MinLSArrival, an end-to-end checksum and node
 * failures. Time is a manual clock (milliseconds); the same options give the same result.
 */

import { Xoshiro128 } from "../common/random.js";
import { updateChecksum } from "./checksum.js";
import { EventQueue } from "./event-queue.js";
import { type FloodingOptions, type ResolvedFloodingOptions, resolveFloodingOptions } from "./options.js";
import { type SequenceOrder, compareLsaUnchecked, sequenceRule } from "./sequence.js";
import { buildTopology } from "./topology.js";

/** What one run measured (rates are per second of simulated time). */
export interface FloodingResult {
  /** The rule's name (RFC 789 LATER, its strict fix, RFC 1982, lollipop, OSPF). */
  rule: string;
  /** Sequence-number width, bits. */
  bits: number;
  /** Nodes in the network, the originator included. */
  nodes: number;
  /** Undirected links. */
  links: number;
  /** The seed of chords and link delays. */
  seed: number;
  /** Simulated time, ms. */
  durationMs: number;
  /** Sequence numbers injected, in injection order. */
  injected: number[];
  /** Updates examined (each cost one CPU slice). */
  examined: number;
  /** Updates accepted (stored and flooded). */
  accepted: number;
  /** Copies put on links. */
  sent: number;
  /** Copies tail-dropped at a full input buffer. */
  drops: number;
  /** Copies dropped for a bad end-to-end checksum. */
  checksumDrops: number;
  /** Copies dropped at MaxAge. */
  agedOut: number;
  /** Newer copies discarded by MinLSArrival. */
  rateLimited: number;
  /** Copies accepted only by the one-minute resynchronisation rule. */
  resyncAccepts: number;
  /** Copies resent by the 100 ms rule. */
  retransmissions: number;
  /** Copies lost because their node went down. */
  lost: number;
  /** Copies still on links, in input buffers or being examined at the end: sent = examined + drops + lost + unsettled. */
  unsettled: number;
  /** Updates the originator generated while up. */
  originated: number;
  /** Examined per second, network-wide. */
  examinedPerSecond: number;
  /** Examined per second at the node that examined most. */
  busiestNodeExaminedPerSecond: number;
  /** Accepted (and flooded) per second, network-wide. */
  acceptedPerSecond: number;
  /** CPU busy fraction (0 … 1) over the run: the busiest node's and the mean over nodes that were up. */
  cpu: { busiestNode: number; mean: number };
  /** Input-buffer occupancy: time average over the run and nodes, the maximum seen, the capacity. */
  queue: { meanOccupancy: number; maxOccupancy: number; capacity: number };
  /** Time of the last acceptance, ms (null: none). */
  lastAcceptanceMs: number | null;
  /**
   * Updates were still being accepted in the final quiet window: any at all with the originator
   * down; with it up, more than one per node for each origination in the window and the one before.
   */
  stormPersisted: boolean;
  /** Each node's stored sequence number at the end (null: none, or the node is down). */
  finalValues: (number | null)[];
  /** How many nodes that are up hold each value at the end ("none" for no copy). */
  finalValueCounts: Record<string, number>;
  /** Every node that is up holds the same copy at the end. */
  agree: boolean;
  /** The software alarm: nodes whose update process held at least `threshold` of the CPU over some `windowMs`, and when the first tripped. */
  alarm: { windowMs: number; threshold: number; nodes: number; firstAtMs: number | null };
  /** Per bucket of `sampleMs`: mean and busiest-node CPU (0 … 1) and updates accepted. */
  timeline: { sampleMs: number; meanCpu: number[]; busiestCpu: number[]; accepted: number[] };
}

interface Update {
  readonly sequence: number;
  readonly checksum: number;
  /** Time at which the copy's age was 0. */
  readonly bornAt: number;
  readonly valid: boolean;
}

const ARRIVE = 0,
  DONE = 1,
  RETRANSMIT = 2,
  ORIGINATE = 3,
  INJECT = 4,
  FAIL = 5;

interface SimEvent {
  kind: number;
  node: number;
  /** ARRIVE: sender; RETRANSMIT: neighbour; INJECT/FAIL: index. */
  other: number;
  update: Update | null;
  token: number;
}

/**
 * Runs one flooding simulation.
 *
 * @throws ConfigError for any bad or unknown option (see {@link FloodingOptions})
 */
export function simulateFlooding(options: FloodingOptions): FloodingResult {
  return new Simulation(resolveFloodingOptions(options)).run();
}

class Simulation {
  readonly o: ResolvedFloodingOptions;
  readonly n: number;
  readonly neighbours: readonly (readonly number[])[];
  readonly delays: number[][];
  readonly links: number;
  readonly later: (a: number, b: number) => boolean;
  readonly events = new EventQueue<SimEvent>();
  readonly buckets: number;
  now = 0;

  readonly up: boolean[];
  readonly stored: (Update | null)[];
  readonly storedAt: Float64Array;
  readonly busy: boolean[];
  readonly queueFrom: number[][];
  readonly queueUpdate: Update[][];
  readonly queueHead: Int32Array;
  readonly serving: { from: number; update: Update }[];
  readonly queueArea: Float64Array;
  readonly queueChanged: Float64Array;
  readonly busyByBucket: Float64Array;
  readonly examinedByNode: Float64Array;
  readonly acceptedByBucket: Float64Array;
  readonly pending = new Map<number, { update: Update; token: number }>();
  /** The retransmission rule's memory: the last copy each node examined from each neighbour. */
  readonly lastHeard = new Map<number, Update>();
  nextToken = 1;
  maxOccupancy = 0;
  nextSequence: number;

  examined = 0;
  accepted = 0;
  sent = 0;
  drops = 0;
  checksumDrops = 0;
  agedOut = 0;
  rateLimited = 0;
  resyncAccepts = 0;
  retransmissions = 0;
  inFlight = 0;
  lost = 0;
  originated = 0;
  lastAcceptance: number | null = null;
  windowAccepted = 0;
  windowOriginated = 0;

  constructor(options: ResolvedFloodingOptions) {
    this.o = options;
    const random = new Xoshiro128(options.seed);
    const topology = buildTopology(options.topology, random);
    this.n = topology.nodes;
    this.neighbours = topology.neighbours;
    this.links = topology.edges.length;
    const linkDelay = new Map<number, number>();
    for (const [a, b] of topology.edges)
      linkDelay.set(a * this.n + b, options.linkDelayMs * (1 + options.linkJitter * (2 * random.float() - 1)));
    this.delays = topology.neighbours.map((list, x) => list.map((y) => linkDelay.get(Math.min(x, y) * this.n + Math.max(x, y))!));
    const rule = sequenceRule(options.rule, options.bits);
    this.later = rule.laterUnchecked;
    this.buckets = Math.ceil(options.durationMs / options.sampleMs);
    const n = this.n;
    this.up = Array.from({ length: n }, () => true);
    this.stored = Array.from({ length: n }, () => null);
    this.storedAt = new Float64Array(n);
    this.busy = Array.from({ length: n }, () => false);
    this.queueFrom = Array.from({ length: n }, () => []);
    this.queueUpdate = Array.from({ length: n }, () => []);
    this.queueHead = new Int32Array(n);
    this.serving = Array.from({ length: n }, () => ({ from: -1, update: null as unknown as Update }));
    this.queueArea = new Float64Array(n);
    this.queueChanged = new Float64Array(n);
    this.busyByBucket = new Float64Array(n * this.buckets);
    this.examinedByNode = new Float64Array(n);
    this.acceptedByBucket = new Float64Array(this.buckets);
    this.nextSequence = options.firstSequence;
  }

  run(): FloodingResult {
    const o = this.o;
    if (o.originatorDown) this.up[o.originator] = false;
    else this.schedule(0, ORIGINATE, o.originator, -1, null);
    o.injections.forEach((injection, i) => this.schedule(injection.atMs, INJECT, injection.node, i, null));
    o.failures.forEach((failure, i) => this.schedule(failure.atMs, FAIL, failure.node, i, null));
    const end = o.durationMs;
    while (this.events.size > 0 && this.events.peekTime() <= end) {
      this.now = this.events.peekTime();
      const event = this.events.pop()!;
      switch (event.kind) {
        case ARRIVE:
          this.inFlight--;
          this.arrive(event.node, event.other, event.update!);
          break;
        case DONE:
          this.done(event.node);
          break;
        case RETRANSMIT:
          this.retransmit(event.node, event.other, event.token);
          break;
        case ORIGINATE:
          this.originate(event.node);
          break;
        case INJECT:
          this.inject(event.other);
          break;
        case FAIL:
          this.fail(event.node);
          break;
      }
    }
    this.now = end;
    return this.result();
  }

  schedule(time: number, kind: number, node: number, other: number, update: Update | null, token = 0): void {
    this.events.push(time, { kind, node, other, update, token });
  }

  queueLength(node: number): number {
    return this.queueFrom[node]!.length - this.queueHead[node]!;
  }

  touchQueue(node: number): void {
    this.queueArea[node]! += this.queueLength(node) * (this.now - this.queueChanged[node]!);
    this.queueChanged[node] = this.now;
  }

  arrive(node: number, from: number, update: Update): void {
    if (!this.up[node]) {
      this.lost++;
      return;
    }
    if (!this.busy[node]) {
      this.startService(node, from, update);
      return;
    }
    if (this.queueLength(node) >= this.o.bufferCapacity) {
      this.drops++;
      return;
    }
    this.touchQueue(node);
    this.queueFrom[node]!.push(from);
    this.queueUpdate[node]!.push(update);
    const length = this.queueLength(node);
    if (length > this.maxOccupancy) this.maxOccupancy = length;
  }

  startService(node: number, from: number, update: Update): void {
    this.busy[node] = true;
    const serving = this.serving[node]!;
    serving.from = from;
    serving.update = update;
    const finish = this.now + this.o.cpuPerUpdateMs;
    this.addBusy(node, this.now, finish);
    this.schedule(finish, DONE, node, -1, null);
  }

  addBusy(node: number, start: number, finish: number): void {
    const sample = this.o.sampleMs;
    const stop = Math.min(finish, this.o.durationMs);
    let t = start;
    while (t < stop) {
      const bucket = Math.min(Math.floor(t / sample), this.buckets - 1);
      const edge = Math.min(stop, (bucket + 1) * sample);
      this.busyByBucket[node * this.buckets + bucket]! += Math.max(edge - t, 0);
      if (edge <= t) break;
      t = edge;
    }
  }

  done(node: number): void {
    if (!this.up[node]) return;
    const serving = this.serving[node]!;
    this.examine(node, serving.from, serving.update);
    if (this.queueLength(node) > 0) {
      this.touchQueue(node);
      const head = this.queueHead[node]!;
      const from = this.queueFrom[node]![head]!;
      const update = this.queueUpdate[node]![head]!;
      this.queueHead[node] = head + 1;
      // Compact the FIFO now and then so it does not grow without bound.
      if (head + 1 >= 1024 && head + 1 >= this.queueLength(node)) {
        this.queueFrom[node] = this.queueFrom[node]!.slice(head + 1);
        this.queueUpdate[node] = this.queueUpdate[node]!.slice(head + 1);
        this.queueHead[node] = 0;
      }
      this.startService(node, from, update);
    } else {
      this.busy[node] = false;
    }
  }

  age(update: Update): number {
    return this.now - update.bornAt;
  }

  /** How `a` relates to `b` under the run's rule (OSPF: RFC 2328 §13.1 with checksum and age). */
  order(a: Update, b: Update): SequenceOrder {
    if (this.o.rule === "ospf") {
      const maxAge = this.o.maxAgeMs ?? Infinity;
      const answer = compareLsaUnchecked(
        { sequence: a.sequence, checksum: a.checksum, age: this.age(a) },
        { sequence: b.sequence, checksum: b.checksum, age: this.age(b) },
        this.o.bits,
        maxAge,
        this.o.maxAgeDiffMs,
      );
      return answer === "identical" ? "equal" : answer;
    }
    if (a.sequence === b.sequence) return "equal";
    if (this.later(a.sequence, b.sequence)) return "newer";
    if (this.later(b.sequence, a.sequence)) return "older";
    return "incomparable";
  }

  /**
   * The stored copy, forgotten once it reaches MaxAge or, with the end-to-end checksum, when it
   * fails verification (OSPF re-verifies its database, RFC 2328 §12.1.7: a table corrupted in
   * memory is caught, not kept).
   */
  storedCopy(node: number): Update | null {
    const copy = this.stored[node]!;
    if (copy !== null && ((this.o.maxAgeMs !== null && this.age(copy) >= this.o.maxAgeMs) || (this.o.verifyChecksum && !copy.valid))) {
      this.stored[node] = null;
      return null;
    }
    return copy;
  }

  examine(node: number, from: number, update: Update): void {
    const o = this.o;
    this.examined++;
    this.examinedByNode[node]!++;
    if (o.retransmitMs !== null) {
      const key = node * this.n + from;
      this.lastHeard.set(key, update);
      const waiting = this.pending.get(key);
      if (waiting !== undefined) {
        const answer = this.order(update, waiting.update);
        if (answer === "newer" || answer === "equal") this.pending.delete(key);
      }
    }
    // RFC 789: an IMP handles updates generated by other IMPs; its own come back and are ignored.
    if (node === o.originator) return;
    if (o.verifyChecksum && !update.valid) {
      this.checksumDrops++;
      return;
    }
    if (o.maxAgeMs !== null && this.age(update) >= o.maxAgeMs) {
      this.agedOut++;
      return;
    }
    const stored = this.storedCopy(node);
    if (stored !== null) {
      const answer = this.order(update, stored);
      if (answer === "equal") return;
      const sinceStored = this.now - this.storedAt[node]!;
      if (o.resyncMs !== null && sinceStored >= o.resyncMs) {
        if (answer !== "newer") this.resyncAccepts++;
      } else if (answer !== "newer") {
        return;
      } else if (o.minLsArrivalMs !== null && sinceStored < o.minLsArrivalMs) {
        this.rateLimited++;
        return;
      }
    }
    this.stored[node] = update;
    this.storedAt[node] = this.now;
    this.accepted++;
    this.acceptedByBucket[Math.min(Math.floor(this.now / o.sampleMs), this.buckets - 1)]!++;
    this.lastAcceptance = this.now;
    if (this.now > o.durationMs - o.quietWindowMs) this.windowAccepted++;
    this.flood(node, o.floodToSender ? -1 : from, update);
  }

  flood(node: number, except: number, update: Update): void {
    const list = this.neighbours[node]!;
    const delays = this.delays[node]!;
    for (let k = 0; k < list.length; k++) {
      const neighbour = list[k]!;
      if (neighbour === except || !this.up[neighbour]) continue;
      this.send(node, neighbour, delays[k]!, update);
    }
  }

  send(node: number, neighbour: number, delay: number, update: Update): void {
    this.sent++;
    this.inFlight++;
    this.schedule(this.now + delay, ARRIVE, neighbour, node, update);
    if (this.o.retransmitMs !== null) {
      // What the neighbour last sent us already shows it has this one (the echo itself): no timer.
      const heard = this.lastHeard.get(node * this.n + neighbour);
      if (heard !== undefined) {
        const answer = this.order(heard, update);
        if (answer === "newer" || answer === "equal") {
          this.pending.delete(node * this.n + neighbour);
          return;
        }
      }
      const token = this.nextToken++;
      this.pending.set(node * this.n + neighbour, { update, token });
      this.schedule(this.now + this.o.retransmitMs, RETRANSMIT, node, neighbour, null, token);
    }
  }

  retransmit(node: number, neighbour: number, token: number): void {
    const key = node * this.n + neighbour;
    const waiting = this.pending.get(key);
    if (waiting === undefined || waiting.token !== token) return;
    // The IMPs kept no copy of a sent update: it is re-created from the table, so it is resent
    // only while the table still holds it (a newer one was flooded with its own timer).
    if (!this.up[node] || !this.up[neighbour] || this.storedCopy(node) !== waiting.update) {
      this.pending.delete(key);
      return;
    }
    this.retransmissions++;
    const k = this.neighbours[node]!.indexOf(neighbour);
    this.send(node, neighbour, this.delays[node]![k]!, waiting.update);
  }

  makeUpdate(sequence: number, checksum: number, bornAt: number): Update {
    return { sequence, checksum, bornAt, valid: checksum === updateChecksum(this.o.originator, sequence) };
  }

  originate(node: number): void {
    if (!this.up[node]) return;
    const sequence = this.nextSequence;
    this.nextSequence = (sequence + 1) % 2 ** this.o.bits;
    const update = this.makeUpdate(sequence, updateChecksum(this.o.originator, sequence), this.now);
    this.originated++;
    if (this.now > this.o.durationMs - this.o.quietWindowMs) this.windowOriginated++;
    this.stored[node] = update;
    this.storedAt[node] = this.now;
    this.flood(node, -1, update);
    this.schedule(this.now + this.o.originationIntervalMs, ORIGINATE, node, -1, null);
  }

  inject(index: number): void {
    const injection = this.o.injections[index]!;
    if (!this.up[injection.node]) return;
    const checksum = injection.checksum ?? updateChecksum(this.o.originator, injection.sequence);
    const update = this.makeUpdate(injection.sequence, checksum, this.now - (injection.ageMs ?? 0));
    this.stored[injection.node] = update;
    this.storedAt[injection.node] = this.now;
    this.flood(injection.node, -1, update);
  }

  fail(node: number): void {
    if (!this.up[node]) return;
    this.touchQueue(node);
    this.lost += this.queueLength(node) + (this.busy[node] ? 1 : 0);
    this.queueFrom[node] = [];
    this.queueUpdate[node] = [];
    this.queueHead[node] = 0;
    this.busy[node] = false;
    this.up[node] = false;
    this.stored[node] = null;
  }

  result(): FloodingResult {
    const o = this.o;
    const n = this.n;
    const seconds = o.durationMs / 1000;
    for (let node = 0; node < n; node++) if (this.up[node]) this.touchQueue(node);
    const upNodes = [...Array(n).keys()].filter((node) => this.up[node]);
    const busyTotal = new Float64Array(n);
    const meanCpu: number[] = [];
    const busiestCpu: number[] = [];
    for (let bucket = 0; bucket < this.buckets; bucket++) {
      const width = Math.min(o.sampleMs, o.durationMs - bucket * o.sampleMs);
      let sum = 0;
      let most = 0;
      for (const node of upNodes) {
        const busy = this.busyByBucket[node * this.buckets + bucket]!;
        busyTotal[node]! += busy;
        sum += busy;
        if (busy > most) most = busy;
      }
      meanCpu.push(upNodes.length === 0 ? 0 : sum / upNodes.length / width);
      busiestCpu.push(most / width);
    }
    const finalValues = Array.from({ length: n }, (_, node) => (this.up[node] ? (this.storedCopy(node)?.sequence ?? null) : null));
    const finalValueCounts: Record<string, number> = {};
    for (const node of upNodes) {
      const key = String(finalValues[node] ?? "none");
      finalValueCounts[key] = (finalValueCounts[key] ?? 0) + 1;
    }
    const first = upNodes.length === 0 ? null : this.stored[upNodes[0]!]!;
    const agree = upNodes.every((node) => {
      const copy = this.stored[node]!;
      return copy === first || (copy !== null && first !== null && copy.sequence === first.sequence && copy.checksum === first.checksum);
    });
    return {
      rule: o.rule,
      bits: o.bits,
      nodes: n,
      links: this.links,
      seed: o.seed,
      durationMs: o.durationMs,
      injected: o.injections.map((injection) => injection.sequence),
      examined: this.examined,
      accepted: this.accepted,
      sent: this.sent,
      drops: this.drops,
      checksumDrops: this.checksumDrops,
      agedOut: this.agedOut,
      rateLimited: this.rateLimited,
      resyncAccepts: this.resyncAccepts,
      retransmissions: this.retransmissions,
      lost: this.lost,
      unsettled: this.inFlight + upNodes.reduce((sum, node) => sum + this.queueLength(node) + (this.busy[node] ? 1 : 0), 0),
      originated: this.originated,
      examinedPerSecond: this.examined / seconds,
      busiestNodeExaminedPerSecond: Math.max(0, ...this.examinedByNode) / seconds,
      acceptedPerSecond: this.accepted / seconds,
      cpu: {
        busiestNode: Math.max(0, ...busyTotal) / o.durationMs,
        mean: upNodes.length === 0 ? 0 : upNodes.reduce((sum, node) => sum + busyTotal[node]!, 0) / upNodes.length / o.durationMs,
      },
      queue: {
        meanOccupancy:
          upNodes.length === 0 ? 0 : upNodes.reduce((sum, node) => sum + this.queueArea[node]!, 0) / upNodes.length / o.durationMs,
        maxOccupancy: this.maxOccupancy,
        capacity: o.bufferCapacity,
      },
      lastAcceptanceMs: this.lastAcceptance,
      stormPersisted: this.windowAccepted > (o.originatorDown ? 0 : upNodes.length * (this.windowOriginated + 1)),
      finalValues,
      finalValueCounts,
      agree,
      alarm: this.alarm(upNodes),
      timeline: { sampleMs: o.sampleMs, meanCpu, busiestCpu, accepted: Array.from(this.acceptedByBucket) },
    };
  }

  alarm(upNodes: number[]): FloodingResult["alarm"] {
    const { windowMs, threshold } = this.o.alarm;
    const window = Math.max(1, Math.round(windowMs / this.o.sampleMs));
    let nodes = 0;
    let firstAtMs: number | null = null;
    if (window <= this.buckets) {
      for (const node of upNodes) {
        let sum = 0;
        for (let bucket = 0; bucket < this.buckets; bucket++) {
          sum += this.busyByBucket[node * this.buckets + bucket]!;
          if (bucket >= window) sum -= this.busyByBucket[node * this.buckets + bucket - window]!;
          if (bucket >= window - 1 && sum >= threshold * window * this.o.sampleMs) {
            nodes++;
            const at = (bucket + 1) * this.o.sampleMs;
            if (firstAtMs === null || at < firstAtMs) firstAtMs = at;
            break;
          }
        }
      }
    }
    return { windowMs: window * this.o.sampleMs, threshold, nodes, firstAtMs };
  }
}
