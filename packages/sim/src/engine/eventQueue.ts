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

/**
 * The same binary heap over the same array — identical layout, so snapshots and
 * hashes do not change — with each entry's (t, s) mirrored in two typed arrays.
 * Sifting compares numbers laid out side by side instead of dereferencing event
 * objects scattered over the JS heap, which is most of the cost of a large heap.
 * The mirror is derived data: `attach` rebuilds it from any heap-ordered array
 * (e.g. after a restore).
 */
export class EventHeap<T extends Timed> {
  /** The heap-ordered events (the array lives in the simulation state). */
  items: T[] = [];
  /** keyT[i], keyS[i] = items[i].t, items[i].s. */
  private keyT = new Float64Array(0);
  private keyS = new Float64Array(0);

  constructor(items: T[]) {
    this.attach(items);
  }

  /** Adopts a heap-ordered array and rebuilds the key mirror from it. */
  attach(items: T[]): void {
    this.items = items;
    this.keyT = new Float64Array(Math.max(1024, items.length * 2));
    this.keyS = new Float64Array(this.keyT.length);
    for (let i = 0; i < items.length; i++) {
      const e = items[i] as T;
      this.keyT[i] = e.t;
      this.keyS[i] = e.s;
    }
  }

  /** Time of the earliest event, µs; +∞ when empty. */
  peekTimeUs(): number {
    return this.items.length > 0 ? (this.keyT[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Sequence number of the earliest event (meaningful only when not empty). */
  peekSeq(): number {
    return this.keyS[0] as number;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    if (i >= this.keyT.length) this.grow();
    const kt = this.keyT;
    const ks = this.keyS;
    const t = item.t;
    const s = item.s;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = kt[parent] as number;
      const ps = ks[parent] as number;
      if (!(t < pt || (t === pt && s < ps))) break;
      items[i] = items[parent] as T;
      kt[i] = pt;
      ks[i] = ps;
      i = parent;
    }
    items[i] = item;
    kt[i] = t;
    ks[i] = s;
  }

  /** The earliest event without removing it, or undefined when empty. */
  top(): T | undefined {
    return this.items[0];
  }

  /** Removes and returns the earliest event, or undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (top === undefined || last === undefined || n === 0) return top;
    this.siftDownFromTop(last, this.keyT[n] as number, this.keyS[n] as number);
    return top;
  }

  /**
   * Replaces the earliest event by `item` (one sift instead of a pop and a push):
   * for an entry whose key moved later, e.g. a lane whose head was consumed.
   */
  replaceTop(item: T): void {
    this.siftDownFromTop(item, item.t, item.s);
  }

  /** Places `last` (keys t, s) from the root down to its place among items[0 .. length). */
  private siftDownFromTop(last: T, t: number, s: number): void {
    const items = this.items;
    const n = items.length;
    const kt = this.keyT;
    const ks = this.keyS;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ct = kt[l] as number;
      let cs = ks[l] as number;
      if (r < n) {
        const rt = kt[r] as number;
        const rs = ks[r] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          c = r;
          ct = rt;
          cs = rs;
        }
      }
      if (!(ct < t || (ct === t && cs < s))) break;
      items[i] = items[c] as T;
      kt[i] = ct;
      ks[i] = cs;
      i = c;
    }
    items[i] = last;
    kt[i] = t;
    ks[i] = s;
  }

  private grow(): void {
    const kt = new Float64Array(this.keyT.length * 2);
    const ks = new Float64Array(kt.length);
    kt.set(this.keyT);
    ks.set(this.keyS);
    this.keyT = kt;
    this.keyS = ks;
  }
}
