/**
 * FIFO lanes of slot events scheduled a fixed delay ahead (SPEC SIM-2 order kept),
 * for those too far ahead for the timing wheel: UDP frame deadlines and flow ticks
 * at a fixed interval. As with the event lanes (eventLanes.ts), an event scheduled
 * at now + d comes after every earlier event with the same d in (t, s) order, so a
 * lane is a ring of slot numbers and only lane heads are ordered, in a small heap.
 * The (t, s) of each event stays in its slot (F_T, F_S).
 *
 * Why not the wheel: a wheel spanning 300 ms is 4 MB of buckets, and an event that
 * far ahead lands in a bucket line last touched a rotation ago. A lane is read and
 * written in order, and the wheel keeps only arrivals: 256 KB for the reference.
 * (Measured: frames ~1.4× cheaper where their ends dominate; even on the reference.)
 *
 * The rings are state; `lanesToPlain` lists them canonically for snapshots.
 */
import { EventHeap } from './eventQueue.ts';

export interface SlotLane {
  delayUs: number;
  /** Ring of slot numbers (capacity a power of two), oldest first from `head`. */
  slots: Int32Array;
  head: number;
  count: number;
}

/** A lane's entry in the heap of lane heads: the (t, s) of its head event. */
interface LaneHead {
  t: number;
  s: number;
  lane: number;
}

/** A lane in a snapshot: its slots in order. */
export interface PlainSlotLane {
  delayUs: number;
  slots: number[];
}

const FIRST_RING = 64;

export class SlotLanes {
  private lanes: SlotLane[] = [];
  private byDelayUs = new Map<number, number>();
  /** One reusable head entry per lane; a lane is in `heads` exactly when it is not empty. */
  private headOf: LaneHead[] = [];
  private heads = new EventHeap<LaneHead>([]);

  /** Appends the event of `slot`, due at `tUs` with sequence `seq` (= now + delayUs, the newest seq). */
  push(delayUs: number, slot: number, tUs: number, seq: number): void {
    let i = this.byDelayUs.get(delayUs);
    if (i === undefined) {
      i = this.lanes.length;
      this.lanes.push({ delayUs, slots: new Int32Array(FIRST_RING), head: 0, count: 0 });
      this.headOf.push({ t: 0, s: 0, lane: i });
      this.byDelayUs.set(delayUs, i);
    }
    const lane = this.lanes[i] as SlotLane;
    if (lane.count === lane.slots.length) grow(lane);
    lane.slots[(lane.head + lane.count) & (lane.slots.length - 1)] = slot;
    lane.count++;
    if (lane.count === 1) {
      const entry = this.headOf[i] as LaneHead;
      entry.t = tUs;
      entry.s = seq;
      this.heads.push(entry);
    }
  }

  /** Time of the earliest lane head, µs; +∞ when every lane is empty. */
  peekTimeUs(): number {
    return this.heads.peekTimeUs();
  }

  /** Sequence number of the earliest lane head (meaningful only when not empty). */
  peekSeq(): number {
    return this.heads.peekSeq();
  }

  /**
   * Removes and returns the earliest event's slot; call only when not empty. The
   * lane's next head's (t, s) is read from the slots (`hot`, fields of a slot of `stride`).
   */
  pop(hot: Float64Array, stride: number, tField: number, sField: number): number {
    const entry = this.heads.top() as LaneHead;
    const lane = this.lanes[entry.lane] as SlotLane;
    const slot = lane.slots[lane.head] as number;
    lane.head = (lane.head + 1) & (lane.slots.length - 1);
    lane.count--;
    if (lane.count === 0) {
      lane.head = 0;
      this.heads.pop();
    } else {
      const next = lane.slots[lane.head] as number;
      entry.t = hot[next * stride + tField] as number;
      entry.s = hot[next * stride + sField] as number;
      this.heads.replaceTop(entry);
    }
    return slot;
  }

  /** Events waiting in the lanes. */
  size(): number {
    let n = 0;
    for (const lane of this.lanes) n += lane.count;
    return n;
  }

  /** The lanes as plain data: non-empty ones by delay, each in order (canonical). */
  toPlain(): PlainSlotLane[] {
    return this.lanes
      .filter((lane) => lane.count > 0)
      .sort((a, b) => a.delayUs - b.delayUs)
      .map((lane) => ({
        delayUs: lane.delayUs,
        slots: Array.from(
          { length: lane.count },
          (_, k) => lane.slots[(lane.head + k) & (lane.slots.length - 1)] as number,
        ),
      }));
  }

  /** Lanes from plain data; `timeOf`/`seqOf` give each slot's (t, s). */
  static fromPlain(
    plain: PlainSlotLane[],
    timeOf: (slot: number) => number,
    seqOf: (slot: number) => number,
  ): SlotLanes {
    const lanes = new SlotLanes();
    for (const lane of plain)
      for (const slot of lane.slots) lanes.push(lane.delayUs, slot, timeOf(slot), seqOf(slot));
    return lanes;
  }
}

function grow(lane: SlotLane): void {
  const bigger = new Int32Array(lane.slots.length * 2);
  for (let k = 0; k < lane.count; k++)
    bigger[k] = lane.slots[(lane.head + k) & (lane.slots.length - 1)] as number;
  lane.slots = bigger;
  lane.head = 0;
}
