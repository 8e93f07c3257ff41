/**
 * Packets inside the network (SPEC SIM-7). A packet between the host that sent it
 * and the host (or drop) that ends it lives in a numbered slot. The fields every
 * hop reads and writes — arrival time and sequence, TTL, destination, size, the
 * link and node of its next arrival, its path — sit side by side in one
 * Float64Array (`STRIDE` numbers per slot), so a hop touches one small block of
 * memory instead of an event object, a packet object and its path array scattered
 * over the heap, and allocates nothing. The rest of the packet (ports, flags,
 * sequence numbers, flow, QUIC frames …) stays in its `Packet` object, read again
 * only when the packet leaves the network (`release`).
 *
 * The path (routers that forwarded the packet) is a linked list in a shared pool,
 * newest first. Arrivals over a jitter-free FIFO interface come in order, so each
 * link direction keeps them in a ring of slots (`rings`), read by arrivalLanes.ts.
 *
 * All of it is state: `wireToPlain`/`wireFromPlain` turn it into plain data for
 * snapshots (msgpack has no typed arrays here) and back, canonically, so equal
 * states give equal bytes whatever the arrays' spare capacity.
 */
import { assert } from './core.ts';
import type { Packet } from './state.ts';

/** Numbers per slot in `hot`. */
export const STRIDE = 16;
/** Offsets within a slot: the arrival time and sequence number of its next arrival (µs; ring order). */
export const F_T = 0;
export const F_S = 1;
/** When its last bit left the sending interface, µs. */
export const F_DEPART = 2;
export const F_DST = 3;
export const F_TTL = 4;
/** The node it arrives at next and the link it arrives over. */
export const F_NODE = 5;
export const F_LINK = 6;
/** The link's `downs` when the packet was committed to it. */
export const F_DOWNS = 7;
export const F_SIZE = 8;
/** Head of its path list in the pool (newest router first); −1 when empty. */
export const F_PATH = 9;

export interface WireState {
  hot: Float64Array;
  /** Per slot: the packet's object, or null when the slot is free. */
  info: (Packet | null)[];
  /** Slots [0, highWater) have been used. */
  highWater: number;
  /** Free slots below highWater (a stack). */
  freeSlots: number[];
  pathRouter: Int32Array;
  pathNext: Int32Array;
  pathHighWater: number;
  freePath: number[];
  /** Per link direction (2·link + dir): slots arriving over it, in order, from ringHead (lengths are powers of two). */
  rings: Int32Array[];
  ringHead: Int32Array;
  ringSize: Int32Array;
}

export function createWire(linkCount: number): WireState {
  return {
    hot: new Float64Array(1024 * STRIDE),
    info: [],
    highWater: 0,
    freeSlots: [],
    pathRouter: new Int32Array(4096),
    pathNext: new Int32Array(4096),
    pathHighWater: 0,
    freePath: [],
    rings: Array.from({ length: linkCount * 2 }, () => new Int32Array(16)),
    ringHead: new Int32Array(linkCount * 2),
    ringSize: new Int32Array(linkCount * 2),
  };
}

/** Puts a packet into the network: a slot with its hot fields taken from the object. */
export function inject(w: WireState, p: Packet): number {
  let slot = w.freeSlots.pop();
  if (slot === undefined) {
    slot = w.highWater++;
    if (slot * STRIDE >= w.hot.length) {
      const grown = new Float64Array(w.hot.length * 2);
      grown.set(w.hot);
      w.hot = grown;
    }
  }
  w.info[slot] = p;
  const b = slot * STRIDE;
  const h = w.hot;
  h[b + F_DST] = p.dstAddr;
  h[b + F_TTL] = p.ttl;
  h[b + F_SIZE] = p.sizeBytes;
  h[b + F_PATH] = -1;
  for (const router of p.path) pushPath(w, slot, router);
  return slot;
}

/** Takes a packet out of the network: its object gets the TTL and path it has now; the slot is freed. */
export function release(w: WireState, slot: number): Packet {
  const p = w.info[slot];
  assert(p !== null && p !== undefined, 'a released slot holds a packet');
  const b = slot * STRIDE;
  p.ttl = w.hot[b + F_TTL] as number;
  p.path = pathOf(w, slot);
  for (let n = w.hot[b + F_PATH] as number; n >= 0; n = w.pathNext[n] as number) w.freePath.push(n);
  w.info[slot] = null;
  w.freeSlots.push(slot);
  return p;
}

/** The packet's object (fields other than the hot ones may be read; TTL and path are stale). */
export function infoOf(w: WireState, slot: number): Packet {
  return w.info[slot] as Packet;
}

/** Records that `router` forwarded the packet. */
export function pushPath(w: WireState, slot: number, router: number): void {
  let n = w.freePath.pop();
  if (n === undefined) {
    n = w.pathHighWater++;
    if (n >= w.pathRouter.length) {
      const r = new Int32Array(w.pathRouter.length * 2);
      const nx = new Int32Array(r.length);
      r.set(w.pathRouter);
      nx.set(w.pathNext);
      w.pathRouter = r;
      w.pathNext = nx;
    }
  }
  const b = slot * STRIDE + F_PATH;
  w.pathRouter[n] = router;
  w.pathNext[n] = w.hot[b] as number;
  w.hot[b] = n;
}

/** The routers that forwarded the packet, oldest first. */
export function pathOf(w: WireState, slot: number): number[] {
  const out: number[] = [];
  for (let n = w.hot[slot * STRIDE + F_PATH] as number; n >= 0; n = w.pathNext[n] as number)
    out.push(w.pathRouter[n] as number);
  return out.reverse();
}

/** A copy of a packet (link duplication): new slot, same hot fields and path, its own id. */
export function duplicate(w: WireState, slot: number, id: number): number {
  const p = infoOf(w, slot);
  const copy: Packet = { ...p, id, path: pathOf(w, slot) };
  copy.ttl = w.hot[slot * STRIDE + F_TTL] as number;
  const c = inject(w, copy);
  // Copy the remaining hot fields (inject set dst, TTL, size and path).
  const h = w.hot;
  for (const f of [F_T, F_S, F_DEPART, F_NODE, F_LINK, F_DOWNS])
    h[c * STRIDE + f] = h[slot * STRIDE + f] as number;
  return c;
}

/** Appends a slot to a link direction's ring of arrivals. */
export function ringPush(w: WireState, lane: number, slot: number): void {
  let ring = w.rings[lane] as Int32Array;
  const size = w.ringSize[lane] as number;
  const head = w.ringHead[lane] as number;
  if (size === ring.length) {
    // Grow, unrolling the ring so the head is at 0.
    const grown = new Int32Array(ring.length * 2);
    for (let i = 0; i < size; i++) grown[i] = ring[(head + i) & (ring.length - 1)] as number;
    w.rings[lane] = grown;
    w.ringHead[lane] = 0;
    ring = grown;
    ring[size] = slot;
  } else ring[(head + size) & (ring.length - 1)] = slot;
  w.ringSize[lane] = size + 1;
}

/** The slot at a ring's head; call only when the ring is not empty. */
export function ringPeek(w: WireState, lane: number): number {
  return (w.rings[lane] as Int32Array)[w.ringHead[lane] as number] as number;
}

/** Removes a ring's head. */
export function ringShift(w: WireState, lane: number): void {
  const ring = w.rings[lane] as Int32Array;
  w.ringHead[lane] = ((w.ringHead[lane] as number) + 1) & (ring.length - 1);
  w.ringSize[lane] = (w.ringSize[lane] as number) - 1;
}

/** The slots in a ring, head first. */
export function ringSlots(w: WireState, lane: number): number[] {
  const ring = w.rings[lane] as Int32Array;
  const head = w.ringHead[lane] as number;
  return Array.from(
    { length: w.ringSize[lane] as number },
    (_, i) => ring[(head + i) & (ring.length - 1)] as number,
  );
}

/** The wire as plain data (snapshots): only what is in use, rings head first. */
export interface PlainWire {
  hot: number[];
  info: (Packet | null)[];
  freeSlots: number[];
  pathRouter: number[];
  pathNext: number[];
  freePath: number[];
  rings: number[][];
}

export function wireToPlain(w: WireState): PlainWire {
  return {
    hot: Array.from(w.hot.subarray(0, w.highWater * STRIDE)),
    info: w.info.slice(0, w.highWater),
    freeSlots: w.freeSlots,
    pathRouter: Array.from(w.pathRouter.subarray(0, w.pathHighWater)),
    pathNext: Array.from(w.pathNext.subarray(0, w.pathHighWater)),
    freePath: w.freePath,
    rings: w.rings.map((_, lane) => ringSlots(w, lane)),
  };
}

export function wireFromPlain(p: PlainWire): WireState {
  const capacity = (n: number, min: number) => Math.max(min, 2 ** Math.ceil(Math.log2(Math.max(1, n))));
  const hot = new Float64Array(capacity(p.hot.length, 1024 * STRIDE));
  hot.set(p.hot);
  const pathRouter = new Int32Array(capacity(p.pathRouter.length, 4096));
  const pathNext = new Int32Array(pathRouter.length);
  pathRouter.set(p.pathRouter);
  pathNext.set(p.pathNext);
  const rings = p.rings.map((slots) => {
    const ring = new Int32Array(capacity(slots.length + 1, 16));
    ring.set(slots);
    return ring;
  });
  return {
    hot,
    info: p.info,
    highWater: p.hot.length / STRIDE,
    freeSlots: p.freeSlots,
    pathRouter,
    pathNext,
    pathHighWater: p.pathRouter.length,
    freePath: p.freePath,
    rings,
    ringHead: new Int32Array(rings.length),
    ringSize: Int32Array.from(p.rings, (slots) => slots.length),
  };
}
