/**
 * The simulator's pending events: a binary min-heap on (time, insertion order), so events at
 * the same millisecond run in the order they were scheduled and every run is reproducible.
 */

/** A heap of payloads keyed by time; ties go to the earlier insertion. */
export class EventQueue<T> {
  #times: number[] = [];
  #orders: number[] = [];
  #items: T[] = [];
  #next = 0;

  /** Number of pending events. */
  get size(): number {
    return this.#items.length;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.#items.length === 0 ? Infinity : this.#times[0]!;
  }

  /** Schedules `item` at `time`. */
  push(time: number, item: T): void {
    const times = this.#times,
      orders = this.#orders,
      items = this.#items;
    const order = this.#next++;
    let i = items.length;
    times.push(time);
    orders.push(order);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && orders[parent]! < order)) break;
      times[i] = pt;
      orders[i] = orders[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    times[i] = time;
    orders[i] = order;
    items[i] = item;
  }

  /** Removes and returns the earliest event. */
  pop(): T | undefined {
    const times = this.#times,
      orders = this.#orders,
      items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const lastTime = times.pop()!;
    const lastOrder = orders.pop()!;
    const lastItem = items.pop()!;
    const n = items.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (times[right]! < times[left]! || (times[right] === times[left] && orders[right]! < orders[left]!))) child = right;
      const ct = times[child]!;
      if (lastTime < ct || (lastTime === ct && lastOrder < orders[child]!)) break;
      times[i] = ct;
      orders[i] = orders[child]!;
      items[i] = items[child]!;
      i = child;
    }
    times[i] = lastTime;
    orders[i] = lastOrder;
    items[i] = lastItem;
    return top;
  }
}
