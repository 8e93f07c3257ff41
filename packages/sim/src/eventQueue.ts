/**
 * A binary min-heap of events ordered by (time, sequence). The heap is a plain
 * array inside the simulation state so it snapshots as data (SPEC SIM-2).
 */
export interface Timed {
  /** Simulated time of the event, µs. */
  t: number;
  /** Insertion sequence: breaks ties between equal times deterministically. */
  s: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.s < b.s);
}

/** Adds an event to the heap. */
export function heapPush<T extends Timed>(heap: T[], item: T): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as T;
    if (!before(item, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

/** Removes and returns the earliest event, or undefined when empty. */
export function heapPop<T extends Timed>(heap: T[]): T | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  let i = 0;
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    let c = l;
    if (r < n && before(heap[r] as T, heap[l] as T)) c = r;
    if (!before(heap[c] as T, last)) break;
    heap[i] = heap[c] as T;
    i = c;
  }
  heap[i] = last;
  return top;
}
