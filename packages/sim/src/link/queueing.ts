/**
 * Queue disciplines of one interface (SPEC QUEUE-2..4): FIFO tail drop, strict
 * priority for real-time UDP, and RED. Bounded: each class holds at most the
 * interface's limit, counting the packet in service.
 */
import { assert, IFACE_FIFO, IFACE_RED } from '../engine/core.ts';
import type { LossReason } from '../engine/records.ts';
import { chance, type RngState } from '../engine/rng.ts';
import type { LinkDirState } from '../engine/state.ts';

/** How an interface orders and drops packets. */
export type QueueDiscipline =
  | { kind: 'fifo' }
  /** Strict priority: UDP (real-time) before TCP; each class tail-drops at the limit. */
  | { kind: 'priority' }
  /** Random Early Detection (Floyd & Jacobson 1993) on the average occupancy. */
  | { kind: 'red'; minThPackets: number; maxThPackets: number; maxP: number; weight: number };

/**
 * Committed packets of one FIFO or RED interface (SPEC LINK-8): their finish times
 * and sizes in a ring, oldest first. Finish times only grow, so the ring is retired
 * from its head. Typed arrays that grow by doubling and are reused when the
 * interface goes idle: a packet-hop allocates nothing here.
 */
export interface PendingRing {
  /** Finish times, µs; capacity a power of two. */
  finishUs: Float64Array;
  /** Sizes on the wire, bytes (same indices). */
  bytes: Int32Array;
  head: number;
  count: number;
}

/** The ring as plain data for snapshots: its entries still pending at `nowUs`, oldest first (canonical). */
export interface PlainPending {
  finishUs: number[];
  bytes: number[];
}

const FIRST_RING = 8;

function emptyPending(capacity = FIRST_RING): PendingRing {
  return { finishUs: new Float64Array(capacity), bytes: new Int32Array(capacity), head: 0, count: 0 };
}

/** Appends a committed packet (its finish is at or after every earlier one). */
function pushPending(r: PendingRing, finishUs: number, bytes: number): void {
  const mask = r.finishUs.length - 1;
  // SPEC SIM-6: the ring is retired from its head, so its finish times must not go back.
  if (r.count > 0 && finishUs < (r.finishUs[(r.head + r.count - 1) & mask] as number))
    assert(false, 'committed packets finish in the order they were committed');
  if (r.count === r.finishUs.length) growRing(r);
  const i = (r.head + r.count) & (r.finishUs.length - 1);
  r.finishUs[i] = finishUs;
  r.bytes[i] = bytes;
  r.count++;
}

function growRing(r: PendingRing): void {
  const bigger = emptyPending(r.finishUs.length * 2);
  for (let k = 0; k < r.count; k++) {
    const i = (r.head + k) & (r.finishUs.length - 1);
    bigger.finishUs[k] = r.finishUs[i] as number;
    bigger.bytes[k] = r.bytes[i] as number;
  }
  r.finishUs = bigger.finishUs;
  r.bytes = bigger.bytes;
  r.head = 0;
}

function clearPending(r: PendingRing): void {
  r.head = 0;
  r.count = 0;
}

/*
 * An interface's committed packets are the ring's entries (older) plus its newest
 * one, kept in the direction itself: it finishes at `busyUntilUs` and its size is
 * `newestBytes` (−1: none, e.g. under strict priority). A packet sent on an idle
 * interface — nearly every one — touches no ring at all. Every finish time is at or
 * before `busyUntilUs`, so an idle interface holds nothing, whatever stale entries
 * its ring still has; readers count only entries that finish after now.
 */

/** Committed packets still being serialized or waiting at `nowUs` (their finish is later). */
export function pendingAt(d: LinkDirState, nowUs: number): number {
  if (d.busyUntilUs <= nowUs) return 0;
  const r = d.pending;
  const mask = r.finishUs.length - 1;
  let k = 0;
  while (k < r.count && (r.finishUs[(r.head + k) & mask] as number) <= nowUs) k++;
  return r.count - k + (d.newestBytes >= 0 ? 1 : 0);
}

/** Forgets the ring's entries that have finished by `nowUs` (keeps it short). */
export function retireFinished(d: LinkDirState, nowUs: number): void {
  const r = d.pending;
  if (d.busyUntilUs <= nowUs) return clearPending(r);
  const mask = r.finishUs.length - 1;
  while (r.count > 0 && (r.finishUs[r.head] as number) <= nowUs) {
    r.head = (r.head + 1) & mask;
    r.count--;
  }
}

/** Records a packet committed at `nowUs` (FIFO, RED) that finishes at `finishUs`, after every earlier one. */
export function commitPending(d: LinkDirState, nowUs: number, finishUs: number, bytes: number): void {
  if (d.busyUntilUs > nowUs && d.newestBytes >= 0) {
    // The previous newest is still being sent: it joins the ring.
    retireFinished(d, nowUs);
    pushPending(d.pending, d.busyUntilUs, d.newestBytes);
  }
  d.busyUntilUs = finishUs;
  d.newestBytes = bytes;
}

/** Before strict priority moves `busyUntilUs`: the newest committed packet, if still pending, joins the ring. */
export function spillNewest(d: LinkDirState, nowUs: number): void {
  if (d.newestBytes < 0) return;
  if (d.busyUntilUs > nowUs) {
    retireFinished(d, nowUs);
    pushPending(d.pending, d.busyUntilUs, d.newestBytes);
  }
  d.newestBytes = -1;
}

/** Forgets every committed packet (the link went down). */
export function dropPending(d: LinkDirState): void {
  clearPending(d.pending);
  d.newestBytes = -1;
}

/** The committed packets still pending at `nowUs`, oldest first — canonical for snapshots. */
export function pendingToPlain(d: LinkDirState, nowUs: number): PlainPending {
  const plain: PlainPending = { finishUs: [], bytes: [] };
  if (d.busyUntilUs <= nowUs) return plain;
  const r = d.pending;
  const mask = r.finishUs.length - 1;
  for (let k = 0; k < r.count; k++) {
    const i = (r.head + k) & mask;
    if ((r.finishUs[i] as number) <= nowUs) continue;
    plain.finishUs.push(r.finishUs[i] as number);
    plain.bytes.push(r.bytes[i] as number);
  }
  if (d.newestBytes >= 0) {
    plain.finishUs.push(d.busyUntilUs);
    plain.bytes.push(d.newestBytes);
  }
  return plain;
}

/** The ring and newest size back from a snapshot's list: the newest is the last entry when it finishes at `busyUntilUs`. */
export function pendingFromPlain(
  p: PlainPending,
  busyUntilUs: number,
): { pending: PendingRing; newestBytes: number } {
  const n = p.finishUs.length;
  const inline = n > 0 && p.finishUs[n - 1] === busyUntilUs;
  const inRing = inline ? n - 1 : n;
  let capacity = FIRST_RING;
  while (capacity < inRing) capacity *= 2;
  const r = emptyPending(capacity);
  for (let k = 0; k < inRing; k++) pushPending(r, p.finishUs[k] as number, p.bytes[k] as number);
  return { pending: r, newestBytes: inline ? (p.bytes[n - 1] as number) : -1 };
}

/** A link direction's state before its first packet. */
export function emptyDirection(discipline: QueueDiscipline): LinkDirState {
  return {
    discipline,
    pending: emptyPending(),
    inService: -1,
    queue: [],
    queueHigh: [],
    redAvgPackets: 0,
    redCount: -1,
    busyUntilUs: 0,
    newestBytes: -1,
    txBytes: 0,
    txPackets: 0,
    drops: 0,
    lossMemory: { bad: false, decided: 0 },
    lastArrivalUs: 0,
  };
}

/** Packets held by an interface at `nowUs`: committed and not finished, waiting in either class, and in service. */
export function occupancy(d: LinkDirState, nowUs: number): number {
  return pendingAt(d, nowUs) + (d.inService >= 0 ? 1 : 0) + d.queue.length + d.queueHigh.length;
}

/** Bytes and packets that have left the interface by `nowUs` (committed ones still serializing excluded). */
export function transmitted(d: LinkDirState, nowUs: number): { bytes: number; packets: number } {
  return { bytes: transmittedBytes(d, nowUs), packets: d.txPackets - pendingAt(d, nowUs) };
}

/** `transmitted`'s bytes without allocating: the server samples every link's 4× a second per copy. */
export function transmittedBytes(d: LinkDirState, nowUs: number): number {
  if (d.busyUntilUs <= nowUs) return d.txBytes;
  const r = d.pending;
  const mask = r.finishUs.length - 1;
  // newestBytes is -1 when no packet is being serialized.
  let pending = Math.max(d.newestBytes, 0);
  for (let k = 0; k < r.count; k++) {
    const i = (r.head + k) & mask;
    if ((r.finishUs[i] as number) > nowUs) pending += r.bytes[i] as number;
  }
  return d.txBytes - pending;
}

/**
 * Decides whether the interface admits a packet (`kind`: its discipline's IFACE_* kind,
 * from the simulation's derived table; `high`: real-time UDP under strict priority), or
 * says why it is dropped; the caller queues or commits an admitted packet. RED
 * updates its average on every arrival: avg ← (1−w)·avg + w·q; below minTh it
 * admits, at or above maxTh it drops, in between it drops with
 * p_a = p_b / (1 − count·p_b), p_b = maxP·(avg − minTh)/(maxTh − minTh).
 */
export function admit(
  d: LinkDirState,
  kind: number,
  limitPackets: number,
  high: boolean,
  rng: RngState,
  nowUs: number,
): LossReason | null {
  const committed = pendingAt(d, nowUs);
  // FIFO with its transmitter idle has empty queues (what strict priority left was
  // committed when its last packet finished): only committed packets count. The common
  // case, so it reads no queue.
  if (kind === IFACE_FIFO && d.inService < 0) return committed >= limitPackets ? 'queue-full' : null;
  const inService = d.inService >= 0 ? 1 : 0;
  const classHeld = inService + (high ? d.queueHigh.length : d.queue.length + committed);
  if (classHeld >= limitPackets) return 'queue-full';
  if (kind === IFACE_RED) {
    const { minThPackets, maxThPackets, maxP, weight } = d.discipline as Extract<
      QueueDiscipline,
      { kind: 'red' }
    >;
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
