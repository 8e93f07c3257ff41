/**
 * FIFO lanes for events scheduled a fixed delay ahead (SPEC SIM-2 ordering kept).
 *
 * An event scheduled at t = now + d, with now never decreasing and sequence
 * numbers always increasing, comes after every earlier event scheduled with the
 * same d in (t, s) order. So all events of one delay form a FIFO: appending keeps
 * them sorted, and only each lane's head needs ordering against the rest. Request
 * timeouts and TIME-WAIT are such events, kept out of the heap this way. (Packet
 * arrivals, frame deadlines and flow ticks wait in the timing wheel, wire.ts.)
 *
 * The lanes are part of the state (plain data); the index by delay and the small
 * heap of lane heads are derived and rebuilt by `attach` (e.g. after a restore).
 */
import { EventHeap, type Timed } from './eventQueue.ts';

/** Events scheduled `delayUs` ahead, in (t, s) order from `head`; consumed slots are null. */
export interface EventLane<T> {
  delayUs: number;
  head: number;
  events: (T | null)[];
}

/** A lane's entry in the heap of lane heads: the (t, s) of its head event. */
interface LaneHead {
  t: number;
  s: number;
  lane: number;
}

/** Consumed slots are dropped from a lane's front once there are this many (and they are half of it). */
const COMPACT_AFTER = 4096;

export class EventLanes<T extends Timed> {
  lanes: EventLane<T>[] = [];
  private byDelayUs = new Map<number, number>();
  /** One reusable head entry per lane; a lane is in `heads` exactly when it is not empty. */
  private headOf: LaneHead[] = [];
  private heads = new EventHeap<LaneHead>([]);

  constructor(lanes: EventLane<T>[]) {
    this.attach(lanes);
  }

  /** Adopts the state's lanes and rebuilds the derived index and head heap. */
  attach(lanes: EventLane<T>[]): void {
    this.lanes = lanes;
    this.byDelayUs = new Map();
    this.headOf = [];
    this.heads = new EventHeap<LaneHead>([]);
    lanes.forEach((lane, i) => {
      this.byDelayUs.set(lane.delayUs, i);
      const entry: LaneHead = { t: 0, s: 0, lane: i };
      this.headOf.push(entry);
      const first = lane.events[lane.head];
      if (first) {
        entry.t = first.t;
        entry.s = first.s;
        this.heads.push(entry);
      }
    });
  }

  /** Appends an event whose time is its scheduling time plus `delayUs`. */
  push(delayUs: number, ev: T): void {
    let i = this.byDelayUs.get(delayUs);
    if (i === undefined) {
      i = this.lanes.length;
      this.lanes.push({ delayUs, head: 0, events: [] });
      this.headOf.push({ t: 0, s: 0, lane: i });
      this.byDelayUs.set(delayUs, i);
    }
    const lane = this.lanes[i] as EventLane<T>;
    const wasEmpty = lane.head === lane.events.length;
    lane.events.push(ev);
    if (wasEmpty) {
      const entry = this.headOf[i] as LaneHead;
      entry.t = ev.t;
      entry.s = ev.s;
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

  /** Removes and returns the earliest lane head; call only when not empty. */
  pop(): T {
    const entry = this.heads.top() as LaneHead;
    const lane = this.lanes[entry.lane] as EventLane<T>;
    const ev = lane.events[lane.head] as T;
    lane.events[lane.head] = null;
    lane.head++;
    if (lane.head === lane.events.length) {
      lane.events.length = 0;
      lane.head = 0;
      this.heads.pop();
    } else {
      if (lane.head >= COMPACT_AFTER && lane.head * 2 >= lane.events.length) {
        lane.events.splice(0, lane.head);
        lane.head = 0;
      }
      const next = lane.events[lane.head] as T;
      entry.t = next.t;
      entry.s = next.s;
      this.heads.replaceTop(entry);
    }
    return ev;
  }
}
