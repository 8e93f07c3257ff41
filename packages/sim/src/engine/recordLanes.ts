/**
 * Lanes of records due a fixed delay after they were made (SPEC SIM-2 order kept):
 * UDP frames waiting for their deadline, flow ticks at a fixed interval, request
 * deadlines and TCP's TIME-WAIT. An event scheduled at now + d comes after every
 * earlier event with the same d in (t, s) order — now never goes back and sequence
 * numbers only grow — so a lane is a ring already in order, and only lane heads are
 * ordered, in a small heap.
 *
 * A record sits in the ring itself: its (t, s) and int32 fields, 32 bytes (64 for a
 * tick, which carries its flow's numbers). Made, looked up while young (a frame's
 * delivery) and consumed in order, a lane is touched almost only where it is written
 * and read next — where a timing wheel as long as the deadlines (4 MB for 300 ms) or
 * a 128-byte slot per record were cold each time.
 *
 * A record is named by its lane and its sequence number in that lane (the count of
 * records the lane has ever held before it), which stays valid while the ring grows.
 * The lanes are state; `toPlain` lists them, live records only, for snapshots.
 */
import { EventHeap } from './eventQueue.ts';

/** What a lane holds. */
export const LANE_FRAME = 0;
export const LANE_TICK = 1;
export const LANE_REQUEST_TIMEOUT = 2;
export const LANE_TIME_WAIT = 3;
const LANE_KINDS = 4;

/** Int32 fields of a record, at `recordAt(...) + R_*` in `ints(lane)`: the flow (frames, ticks, request deadlines). */
export const R_FLOW = 4;
/** TIME-WAIT: the connection's id. */
export const R_CONN = 4;
/**
 * Frames and request deadlines: the unit; ticks: the unit they start. Frames: the status
 * — bit 0 set once a copy was delivered, above it the last loss (traffic.ts) — and where
 * that loss was. A frame's bit 0 lives beside the ring, in the lane's `delivered` bytes
 * (`isDelivered`, `markDelivered`): a delivery reads and writes it tens of ms after the
 * record was made, when the record is cold and the dense bytes are not. In plain form
 * (snapshots) it is bit 0 of R_STATUS again.
 */
export const R_UNIT = 5;
export const R_STATUS = 6;
export const R_LOSS_AT = 7;

/**
 * Ticks also carry what starting a unit needs from their flow's row (scenario.ts),
 * copied from record to record: a tick reads its record in order instead of a row
 * of a large table at random. Int32 fields: the flow's flags and sending host; float64
 * fields (index within the record's 8): when units stop, the frame size, the frame
 * deadline and the destination address.
 */
export const R_TICK_FLAGS = 6;
export const R_TICK_FROM = 7;
export const F_TICK_STOP_US = 4;
export const F_TICK_FRAME_BYTES = 5;
export const F_TICK_DEADLINE_US = 6;
export const F_TICK_DST_ADDR = 7;

/** A record: float64 t and s, then the int32 fields — 4 float64 (32 bytes), 8 for ticks (64 bytes). */
const F64_PER_RECORD = 4;
const F64_PER_TICK = 8;
const FIRST_RING = 64;

export interface RecordLane {
  kind: number;
  delayUs: number;
  /** Float64 words per record (F64_PER_RECORD, or F64_PER_TICK for ticks). */
  per: number;
  /** The ring (capacity a power of two): record k of the lane at (k & mask) × per. */
  f64: Float64Array;
  i32: Int32Array;
  /** Capacity − 1, in records (kept, not divided out of the ring's length at every use). */
  mask: number;
  /** Sequence number of the oldest live record, and how many are live. */
  headSeq: number;
  count: number;
  /** Frames: 1 once a copy was delivered, per record at (k & mask) (unused, 0, in other lanes). */
  delivered: Uint8Array;
}

/** A lane in a snapshot: its live records' (t, s) and fields, in order. */
export interface PlainRecordLane {
  kind: number;
  delayUs: number;
  headSeq: number;
  records: number[];
}

interface LaneHead {
  t: number;
  s: number;
  lane: number;
}

export class RecordLanes {
  lanes: RecordLane[] = [];
  private byKey = new Map<number, number>();
  private headOf: LaneHead[] = [];
  private heads = new EventHeap<LaneHead>([]);

  /** The lane for records of `kind` due `delayUs` after they are made (created on first use). */
  laneFor(kind: number, delayUs: number): number {
    const key = delayUs * LANE_KINDS + kind;
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.lanes.length;
      this.lanes.push(newLane(kind, delayUs, 0, FIRST_RING));
      this.headOf.push({ t: 0, s: 0, lane: i });
      this.byKey.set(key, i);
    }
    return i;
  }

  /** Appends a record due at `tUs` with sequence `seq` (the newest); returns its sequence number in the lane. */
  append(lane: number, tUs: number, seq: number): number {
    const l = this.lanes[lane] as RecordLane;
    if (l.count * l.per === l.f64.length) grow(l);
    const recordSeq = l.headSeq + l.count;
    const at = (recordSeq & l.mask) * l.per;
    l.f64[at] = tUs;
    l.f64[at + 1] = seq;
    l.delivered[recordSeq & l.mask] = 0;
    l.count++;
    if (l.count === 1) {
      const entry = this.headOf[lane] as LaneHead;
      entry.t = tUs;
      entry.s = seq;
      this.heads.push(entry);
    }
    return recordSeq;
  }

  /** The int32 view of a lane's ring (re-read after `append`, which may grow it). */
  ints(lane: number): Int32Array {
    return (this.lanes[lane] as RecordLane).i32;
  }

  /** The float64 view of the same ring: a record's float64 field f is at `recordAt(...) / 2 + f`. */
  floats(lane: number): Float64Array {
    return (this.lanes[lane] as RecordLane).f64;
  }

  /** Offset in `ints(lane)` of a live record, or −1 when it is no longer (or never was) in the lane. */
  recordAt(lane: number, recordSeq: number): number {
    const l = this.lanes[lane];
    if (!l || recordSeq < l.headSeq || recordSeq >= l.headSeq + l.count) return -1;
    return (recordSeq & l.mask) * l.per * 2;
  }

  /** A frame's delivered bit (its record must be live: `recordAt` ≥ 0). */
  isDelivered(lane: number, recordSeq: number): boolean {
    const l = this.lanes[lane] as RecordLane;
    return l.delivered[recordSeq & l.mask] === 1;
  }

  markDelivered(lane: number, recordSeq: number): void {
    const l = this.lanes[lane] as RecordLane;
    l.delivered[recordSeq & l.mask] = 1;
  }

  /** The delivered bit of the lane's oldest record. */
  headDelivered(lane: number): boolean {
    const l = this.lanes[lane] as RecordLane;
    return l.delivered[l.headSeq & l.mask] === 1;
  }

  /** Time of the earliest lane head, µs; +∞ when every lane is empty. */
  peekTimeUs(): number {
    return this.heads.peekTimeUs();
  }

  /** Sequence number of the earliest lane head (meaningful only when not empty). */
  peekSeq(): number {
    return this.heads.peekSeq();
  }

  /** The lane whose head is earliest; read its record (`headAt`) before `pop`. Only when not empty. */
  topLane(): number {
    return (this.heads.top() as LaneHead).lane;
  }

  /** Offset in `ints(lane)` of the lane's oldest record. */
  headAt(lane: number): number {
    const l = this.lanes[lane] as RecordLane;
    return (l.headSeq & l.mask) * l.per * 2;
  }

  /** Removes the earliest record (the head of `topLane()`). */
  pop(): void {
    const entry = this.heads.top() as LaneHead;
    const l = this.lanes[entry.lane] as RecordLane;
    l.headSeq++;
    l.count--;
    if (l.count === 0) {
      this.heads.pop();
      return;
    }
    const at = (l.headSeq & l.mask) * l.per;
    entry.t = l.f64[at] as number;
    entry.s = l.f64[at + 1] as number;
    this.heads.replaceTop(entry);
  }

  /** Records waiting, over all lanes. */
  size(): number {
    let n = 0;
    for (const l of this.lanes) n += l.count;
    return n;
  }

  /** Every lane (records name theirs by index, so empty ones stay), live records only. */
  toPlain(): PlainRecordLane[] {
    return this.lanes.map((l) => {
      const records: number[] = [];
      for (let k = 0; k < l.count; k++) {
        const at = ((l.headSeq + k) & l.mask) * l.per;
        records.push(l.f64[at] as number, l.f64[at + 1] as number);
        // The remaining words as int32 (float64 fields as their two halves: exact).
        // A frame's delivered bit goes back into its status (R_STATUS bit 0).
        const delivered = l.kind === LANE_FRAME ? (l.delivered[(l.headSeq + k) & l.mask] as number) : 0;
        for (let f = R_FLOW; f < l.per * 2; f++)
          records.push((l.i32[at * 2 + f] as number) | (f === R_STATUS ? delivered : 0));
      }
      return { kind: l.kind, delayUs: l.delayUs, headSeq: l.headSeq, records };
    });
  }

  static fromPlain(plain: PlainRecordLane[]): RecordLanes {
    const lanes = new RecordLanes();
    for (const p of plain) {
      const i = lanes.laneFor(p.kind, p.delayUs);
      const words = perRecord(p.kind) * 2;
      const perPlain = 2 + words - R_FLOW;
      let capacity = FIRST_RING;
      while (capacity * perPlain < p.records.length) capacity *= 2;
      lanes.lanes[i] = newLane(p.kind, p.delayUs, p.headSeq, capacity);
      for (let r = 0; r < p.records.length; r += perPlain) {
        const recordSeq = lanes.append(i, p.records[r] as number, p.records[r + 1] as number);
        const at = lanes.recordAt(i, recordSeq);
        for (let f = R_FLOW; f < words; f++) lanes.ints(i)[at + f] = p.records[r + 2 + f - R_FLOW] as number;
        if (p.kind === LANE_FRAME) {
          const status = lanes.ints(i)[at + R_STATUS] as number;
          lanes.ints(i)[at + R_STATUS] = status & ~1;
          if ((status & 1) !== 0) lanes.markDelivered(i, recordSeq);
        }
      }
    }
    return lanes;
  }
}

function perRecord(kind: number): number {
  return kind === LANE_TICK ? F64_PER_TICK : F64_PER_RECORD;
}

function newLane(kind: number, delayUs: number, headSeq: number, capacity: number): RecordLane {
  const per = perRecord(kind);
  const buffer = new ArrayBuffer(capacity * per * 8);
  return {
    kind,
    delayUs,
    per,
    f64: new Float64Array(buffer),
    i32: new Int32Array(buffer),
    mask: capacity - 1,
    headSeq,
    count: 0,
    delivered: new Uint8Array(capacity),
  };
}

/** Doubles the ring; each live record moves to its place under the new mask (its sequence number stays). */
function grow(l: RecordLane): void {
  const old = { f64: l.f64, i32: l.i32, mask: l.mask };
  const bigger = newLane(l.kind, l.delayUs, l.headSeq, (old.mask + 1) * 2);
  const oldDelivered = l.delivered;
  l.f64 = bigger.f64;
  l.i32 = bigger.i32;
  l.mask = bigger.mask;
  l.delivered = bigger.delivered;
  for (let k = 0; k < l.count; k++) {
    const recordSeq = l.headSeq + k;
    const from = (recordSeq & old.mask) * l.per;
    const to = (recordSeq & l.mask) * l.per;
    // Element by element: a subarray per record moved was 4 of the 46 MB of garbage of a reference run.
    for (let j = 0; j < l.per; j++) l.f64[to + j] = old.f64[from + j] as number;
    l.delivered[recordSeq & l.mask] = oldDelivered[recordSeq & old.mask] as number;
  }
}
