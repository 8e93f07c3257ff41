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
import { assert } from './core.ts';
import { EventHeap } from './eventQueue.ts';
import { defineLayout } from './layout.ts';

/** What a lane holds. */
export const LANE_FRAME = 0;
export const LANE_TICK = 1;
export const LANE_REQUEST_TIMEOUT = 2;
export const LANE_TIME_WAIT = 3;
const LANE_KINDS = 4;

/**
 * Record layouts, one per lane kind. Every record starts with its (t, s), which the
 * lanes read; frames, ticks and request deadlines go on with their flow and unit
 * (UNIT_HEAD, so R_FLOW and R_UNIT are the same in each). A lane holds records of one
 * kind, so fields of different kinds may sit at the same place.
 */
const RECORD_HEAD = { t: 'f64', s: 'f64' } as const;
const UNIT_HEAD = { ...RECORD_HEAD, flow: 'i32', unit: 'i32' } as const;

/**
 * A UDP frame waiting for its deadline. The status — bit 0 set once a copy was
 * delivered, above it the last loss (traffic.ts) — and where that loss was. A frame's
 * bit 0 lives beside the ring, in the lane's `delivered` bytes (`isDelivered`,
 * `markDelivered`): a delivery reads and writes it tens of ms after the record was
 * made, when the record is cold and the dense bytes are not. In plain form
 * (snapshots) it is bit 0 of R_STATUS again.
 */
export const FRAME_RECORD = defineLayout({
  name: 'frame record',
  lineBytes: 32,
  lines: [{ ...UNIT_HEAD, status: 'i32', lossAt: 'i32' }],
});

/**
 * A fixed-interval tick: the unit it starts, and what starting it needs from the flow's
 * row (flowTable.ts), copied from record to record — a tick reads its record in order
 * instead of a row of a large table at random: the flow's flags and sending host, when
 * units stop, the frame size, the frame deadline and the destination address.
 */
export const TICK_RECORD = defineLayout({
  name: 'tick record',
  lineBytes: 32,
  lines: [
    { ...UNIT_HEAD, flags: 'i32', from: 'i32' },
    { stopUs: 'f64', frameBytes: 'f64', deadlineUs: 'f64', dstAddr: 'f64' },
  ],
});

/** A request's deadline. */
export const REQUEST_TIMEOUT_RECORD = defineLayout({
  name: 'request timeout record',
  lineBytes: 32,
  lines: [UNIT_HEAD],
});

/** TCP's TIME-WAIT: the connection's id. */
export const TIME_WAIT_RECORD = defineLayout({
  name: 'TIME-WAIT record',
  lineBytes: 32,
  lines: [{ ...RECORD_HEAD, conn: 'i32' }],
});

/** Each lane kind's record layout (by LANE_*). */
export const RECORD_LAYOUTS = [FRAME_RECORD, TICK_RECORD, REQUEST_TIMEOUT_RECORD, TIME_WAIT_RECORD] as const;

/** Int32 fields of a record, at `recordAt(...) + R_*` in `ints(lane)`. Frames, ticks, request deadlines: */
export const R_FLOW = FRAME_RECORD.i32.flow;
export const R_UNIT = FRAME_RECORD.i32.unit;
/** Frames. */
export const R_STATUS = FRAME_RECORD.i32.status;
export const R_LOSS_AT = FRAME_RECORD.i32.lossAt;
/** TIME-WAIT. */
export const R_CONN = TIME_WAIT_RECORD.i32.conn;
/** Ticks: int32 fields, and float64 fields at `recordAt(...) / 2 + F_TICK_*` in `floats(lane)`. */
export const R_TICK_FLAGS = TICK_RECORD.i32.flags;
export const R_TICK_FROM = TICK_RECORD.i32.from;
export const F_TICK_STOP_US = TICK_RECORD.f64.stopUs;
export const F_TICK_FRAME_BYTES = TICK_RECORD.f64.frameBytes;
export const F_TICK_DEADLINE_US = TICK_RECORD.f64.deadlineUs;
export const F_TICK_DST_ADDR = TICK_RECORD.f64.dstAddr;
/** The first int32 word after a record's (t, s): snapshots list the words from there. */
const FIRST_FIELD = FRAME_RECORD.i32.flow;

const FIRST_RING = 64;

export interface RecordLane {
  kind: number;
  delayUs: number;
  /** Float64 words per record (its kind's layout's f64Stride). */
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

  /**
   * Appends a record due at `tUs`, `delayUs` after it was made, with sequence `seq` (the
   * newest); returns its sequence number in the lane.
   */
  append(lane: number, tUs: number, seq: number, delayUs: number): number {
    const l = this.lanes[lane] as RecordLane;
    // SPEC SIM-6: a lane is in (t, s) order only if each of its records is due its one delay later.
    if (delayUs !== l.delayUs) assert(false, 'a record is appended to the lane of its own delay');
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
        for (let f = FIRST_FIELD; f < l.per * 2; f++)
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
      const perPlain = 2 + words - FIRST_FIELD;
      let capacity = FIRST_RING;
      while (capacity * perPlain < p.records.length) capacity *= 2;
      lanes.lanes[i] = newLane(p.kind, p.delayUs, p.headSeq, capacity);
      for (let r = 0; r < p.records.length; r += perPlain) {
        const recordSeq = lanes.append(i, p.records[r] as number, p.records[r + 1] as number, p.delayUs);
        const at = lanes.recordAt(i, recordSeq);
        for (let f = FIRST_FIELD; f < words; f++)
          lanes.ints(i)[at + f] = p.records[r + 2 + f - FIRST_FIELD] as number;
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
  return (RECORD_LAYOUTS[kind] as (typeof RECORD_LAYOUTS)[number]).f64Stride;
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
