/**
 * Queue disciplines of one interface (SPEC QUEUE-2..4): FIFO tail drop, strict
 * priority for real-time UDP, and RED. Bounded: each class holds at most the
 * interface's limit, counting the packet in service.
 */
import type { LossReason } from './records.ts';
import { chance, type RngState } from './rng.ts';
import type { LinkDirState } from './state.ts';

/** How an interface orders and drops packets. */
export type QueueDiscipline =
  | { kind: 'fifo' }
  /** Strict priority: UDP (real-time) before TCP; each class tail-drops at the limit. */
  | { kind: 'priority' }
  /** Random Early Detection (Floyd & Jacobson 1993) on the average occupancy. */
  | { kind: 'red'; minThPackets: number; maxThPackets: number; maxP: number; weight: number };

/** Committed packets still being serialized or waiting at `nowUs` (their finish is later). */
export function pendingAt(d: LinkDirState, nowUs: number): number {
  let i = d.pendingHead;
  const finish = d.pendingFinishUs;
  while (i < finish.length && (finish[i] as number) <= nowUs) i++;
  return finish.length - i;
}

/** Forgets committed packets that have finished by `nowUs` (keeps `pendingAt` a short scan). */
export function retireFinished(d: LinkDirState, nowUs: number): void {
  const finish = d.pendingFinishUs;
  // An idle transmitter has finished everything: no need to read the times (the common case).
  let i = d.busyUntilUs <= nowUs ? finish.length : d.pendingHead;
  while (i < finish.length && (finish[i] as number) <= nowUs) i++;
  d.pendingHead = i;
  // Truncating an array costs V8 a new backing store, so retired entries go in batches.
  if (i >= 256 && i * 2 >= finish.length) {
    finish.splice(0, i);
    d.pendingBytes.splice(0, i);
    d.pendingHead = 0;
  }
}

/** Packets held by an interface at `nowUs`: committed and not finished, waiting in either class, and in service. */
export function occupancy(d: LinkDirState, nowUs: number): number {
  return pendingAt(d, nowUs) + (d.inService >= 0 ? 1 : 0) + d.queue.length + d.queueHigh.length;
}

/** Bytes and packets that have left the interface by `nowUs` (committed ones still serializing excluded). */
export function transmitted(d: LinkDirState, nowUs: number): { bytes: number; packets: number } {
  let bytes = d.txBytes;
  let packets = d.txPackets;
  for (let i = d.pendingHead; i < d.pendingFinishUs.length; i++)
    if ((d.pendingFinishUs[i] as number) > nowUs) {
      bytes -= d.pendingBytes[i] as number;
      packets--;
    }
  return { bytes, packets };
}

/**
 * Decides whether the interface admits a packet (`high`: real-time UDP under strict
 * priority), or says why it is dropped; the caller queues or commits an admitted packet. Call `retireFinished` first. RED
 * updates its average on every arrival: avg ← (1−w)·avg + w·q; below minTh it
 * admits, at or above maxTh it drops, in between it drops with
 * p_a = p_b / (1 − count·p_b), p_b = maxP·(avg − minTh)/(maxTh − minTh).
 */
export function admit(
  d: LinkDirState,
  discipline: QueueDiscipline,
  limitPackets: number,
  high: boolean,
  rng: RngState,
): LossReason | null {
  const committed = d.pendingFinishUs.length - d.pendingHead;
  const inService = d.inService >= 0 ? 1 : 0;
  const classHeld = inService + (high ? d.queueHigh.length : d.queue.length + committed);
  if (classHeld >= limitPackets) return 'queue-full';
  if (discipline.kind === 'red') {
    const { minThPackets, maxThPackets, maxP, weight } = discipline;
    const held = committed + inService + d.queue.length + d.queueHigh.length;
    d.redAvgPackets = (1 - weight) * d.redAvgPackets + weight * held;
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
  return null;
}

/** The next packet (slot) to put on the wire under strict priority: the high class first. */
export function takeNext(d: LinkDirState): number | undefined {
  return d.queueHigh.shift() ?? d.queue.shift();
}
