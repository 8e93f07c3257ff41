/**
 * Orders the link directions' rings of arrivals (wire.ts) by their head packet's
 * (t, s) — the same order as every other event (SPEC SIM-2). Each ring is already
 * sorted, so only ring heads need a heap: a binary heap of lane numbers with the
 * keys mirrored in typed arrays. Derived data: `attach` rebuilds it from the wire
 * (e.g. after a restore).
 */
import { F_S, F_T, ringPeek, ringPush, ringShift, STRIDE, type WireState } from './wire.ts';

export class ArrivalLanes {
  wire: WireState;
  private lanes = new Int32Array(0);
  private keyT = new Float64Array(0);
  private keyS = new Float64Array(0);
  private size = 0;

  constructor(wire: WireState) {
    this.wire = wire;
    this.attach(wire);
  }

  attach(wire: WireState): void {
    this.wire = wire;
    const n = wire.rings.length;
    this.lanes = new Int32Array(n);
    this.keyT = new Float64Array(n);
    this.keyS = new Float64Array(n);
    this.size = 0;
    for (let lane = 0; lane < n; lane++) if ((wire.ringSize[lane] as number) > 0) this.insert(lane);
  }

  /** Appends an arrival (its slot's t and s already set) to a link direction's ring. */
  push(lane: number, slot: number): void {
    const wasEmpty = this.wire.ringSize[lane] === 0;
    ringPush(this.wire, lane, slot);
    if (wasEmpty) this.insert(lane);
  }

  /** Time of the earliest arrival, µs; +∞ when none. */
  peekTimeUs(): number {
    return this.size > 0 ? (this.keyT[0] as number) : Number.POSITIVE_INFINITY;
  }

  peekSeq(): number {
    return this.keyS[0] as number;
  }

  /** Removes and returns the slot of the earliest arrival; call only when not empty. */
  pop(): number {
    const w = this.wire;
    const lane = this.lanes[0] as number;
    const slot = ringPeek(w, lane);
    ringShift(w, lane);
    if (w.ringSize[lane] === 0) {
      this.size--;
      if (this.size > 0)
        this.siftDown(
          this.lanes[this.size] as number,
          this.keyT[this.size] as number,
          this.keyS[this.size] as number,
        );
    } else {
      const b = ringPeek(w, lane) * STRIDE;
      this.siftDown(lane, w.hot[b + F_T] as number, w.hot[b + F_S] as number);
    }
    return slot;
  }

  private insert(lane: number): void {
    const w = this.wire;
    const b = ringPeek(w, lane) * STRIDE;
    const t = w.hot[b + F_T] as number;
    const s = w.hot[b + F_S] as number;
    let i = this.size++;
    const kt = this.keyT;
    const ks = this.keyS;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = kt[parent] as number;
      const ps = ks[parent] as number;
      if (!(t < pt || (t === pt && s < ps))) break;
      this.lanes[i] = this.lanes[parent] as number;
      kt[i] = pt;
      ks[i] = ps;
      i = parent;
    }
    this.lanes[i] = lane;
    kt[i] = t;
    ks[i] = s;
  }

  /** Places `lane` (keys t, s) from the root down among entries [0, size). */
  private siftDown(lane: number, t: number, s: number): void {
    const n = this.size;
    const kt = this.keyT;
    const ks = this.keyS;
    const lanes = this.lanes;
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
      lanes[i] = lanes[c] as number;
      kt[i] = ct;
      ks[i] = cs;
      i = c;
    }
    lanes[i] = lane;
    kt[i] = t;
    ks[i] = s;
  }
}
