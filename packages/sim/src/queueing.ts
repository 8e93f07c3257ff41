/**
 * Queue disciplines of one interface (SPEC QUEUE-2..4): FIFO tail drop, strict
 * priority for real-time UDP, and RED. Bounded: each class holds at most the
 * interface's limit, counting the packet in service.
 */
import type { LossReason } from './records.ts';
import { chance, type RngState } from './rng.ts';
import type { LinkDirState, Packet } from './state.ts';

/** How an interface orders and drops packets. */
export type QueueDiscipline =
  | { kind: 'fifo' }
  /** Strict priority: UDP (real-time) before TCP; each class tail-drops at the limit. */
  | { kind: 'priority' }
  /** Random Early Detection (Floyd & Jacobson 1993) on the average occupancy. */
  | { kind: 'red'; minThPackets: number; maxThPackets: number; maxP: number; weight: number };

/** Packets held by an interface: waiting in either class plus the one being sent. */
export function occupancy(d: LinkDirState): number {
  return (d.inService ? 1 : 0) + d.queue.length + d.queueHigh.length;
}

function isHighPriority(discipline: QueueDiscipline, p: Packet): boolean {
  return discipline.kind === 'priority' && p.channel === 'udp';
}

/**
 * Admits a packet to the interface or says why it is dropped. RED updates its
 * average on every arrival: avg ← (1−w)·avg + w·q; below minTh it admits, at or above
 * maxTh it drops, in between it drops with p_a = p_b / (1 − count·p_b),
 * p_b = maxP·(avg − minTh)/(maxTh − minTh).
 */
export function admit(
  d: LinkDirState,
  discipline: QueueDiscipline,
  limitPackets: number,
  p: Packet,
  rng: RngState,
): LossReason | null {
  const high = isHighPriority(discipline, p);
  const classHeld = (d.inService ? 1 : 0) + (high ? d.queueHigh.length : d.queue.length);
  if (classHeld >= limitPackets) return 'queue-full';
  if (discipline.kind === 'red') {
    const { minThPackets, maxThPackets, maxP, weight } = discipline;
    d.redAvgPackets = (1 - weight) * d.redAvgPackets + weight * occupancy(d);
    if (d.redAvgPackets >= maxThPackets) {
      d.redCount = 0;
      return 'red-drop';
    }
    if (d.redAvgPackets >= minThPackets) {
      d.redCount++;
      const pb = (maxP * (d.redAvgPackets - minThPackets)) / (maxThPackets - minThPackets);
      const pa = d.redCount * pb >= 1 ? 1 : pb / (1 - d.redCount * pb);
      if (chance(rng, pa)) {
        d.redCount = 0;
        return 'red-drop';
      }
    } else d.redCount = -1;
  }
  (high ? d.queueHigh : d.queue).push(p);
  return null;
}

/** The next packet to put on the wire: the high class first. */
export function takeNext(d: LinkDirState): Packet | undefined {
  return d.queueHigh.shift() ?? d.queue.shift();
}
