/**
 * FIFO lanes for events that arrive already in (t, s) order (SPEC SIM-2 ordering kept).
 *
 * An event scheduled at t = now + d, with now never decreasing and sequence
 * numbers always increasing, comes after every earlier event scheduled with the
 * same d in (t, s) order. So all events of one delay form a FIFO: appending keeps
 * them sorted, and only each lane's head needs ordering against the rest. Frame
 * deadlines, flow ticks, request timeouts and jitter-free propagation are such
 * events; moving them out of the big heap shrinks it from tens of thousands of
 * entries to a few thousand, and a lane is read front to back (cache-friendly).
 * (Arrivals over a FIFO interface have lanes of their own: arrivalLanes.ts.)
 *
 * The lanes are part of the state (plain data); the index by delay and the small
 * heap of lane heads are derived and rebuilt by `attach` (e.g. after a restore).
 */
import { EventHeap, type Timed } from './eventQueue.ts';

/** Events of one key (their delay, µs), in (t, s) order from `head`; consumed slots are null. */
export interface EventLane<T> {
  key: number;
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
  private byKey = new Map<number, number>();
  /** One reusable head entry per lane; a lane is in `heads` exactly when it is not empty. */
  private headOf: LaneHead[] = [];
  private heads = new EventHeap<LaneHead>([]);

  constructor(lanes: EventLane<T>[]) {
    this.attach(lanes);
  }

  /** Adopts the state's lanes and rebuilds the derived index and head heap. */
  attach(lanes: EventLane<T>[]): void {
    this.lanes = lanes;
    this.byKey = new Map();
    this.headOf = [];
    this.heads = new EventHeap<LaneHead>([]);
    lanes.forEach((lane, i) => {
      this.byKey.set(lane.key, i);
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

  /** Appends an event to the lane of `key`; it must come after every event already there in (t, s) order. */
  push(key: number, ev: T): void {
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.lanes.length;
      this.lanes.push({ key, head: 0, events: [] });
      this.headOf.push({ t: 0, s: 0, lane: i });
      this.byKey.set(key, i);
    }
    const lane = this.lanes[i] as EventLane<T>;
    const wasEmpty = lane.head === lane.events.length;
    // Cheap guard of the FIFO property (sequence numbers only grow, so t decides).
    if (!wasEmpty && ev.t < (lane.events[lane.events.length - 1] as T).t)
      throw new Error(`simulation invariant broken: lane ${key} receives an event out of order`);
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
