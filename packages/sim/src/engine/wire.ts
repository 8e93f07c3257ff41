/**
 * Packets inside the network (SPEC SIM-7). A packet between the host that sent it
 * and the host (or drop) that ends it lives in a numbered slot. The fields every
 * hop reads and writes — arrival time and sequence, TTL, destination, size, the
 * link and node of its next arrival, its path — sit together in the first cache
 * line of the slot, so a hop touches one small block of memory instead of an
 * event object, a packet object and its path array scattered over the heap, and
 * allocates nothing. A QUIC or DNS packet keeps the rest of its fields in its `Packet`
 * object, read again only when it leaves the network (`release`). UDP frames and TCP
 * segments keep no object: a frame's id, flow, unit and where its frame's record is
 * (recordLanes.ts), and a segment's header, are in the slot, and a segment gets an
 * object again when it leaves (built then from a slot still in cache, where an object
 * made at sending was cold by then, and some were still alive at a young-generation
 * collection, which copied them).
 *
 * The path (routers that forwarded the packet) is a linked list in a shared pool,
 * newest first. Slot events (packet arrivals, and the ticks of flows not on a fixed
 * interval) wait in the timing wheel at the end of this file, whose buckets are
 * lists threaded through the slots (`I_NEXT`). Records due a fixed delay ahead
 * (frame deadlines, fixed-interval ticks) wait in the wire's record lanes.
 *
 * All of it is state: `wireToPlain`/`wireFromPlain` turn it into plain data for
 * snapshots (msgpack has no typed arrays here) and back, canonically, so equal
 * states give equal bytes whatever the arrays' spare capacity.
 */
import { assert } from './core.ts';
import { defineLayout } from './layout.ts';
import { type PlainRecordLane, RecordLanes } from './recordLanes.ts';
import type { Channel, Packet } from './state.ts';

/**
 * A slot is 128 bytes — two cache lines — seen through two views of the same
 * buffer: float64 (`hot`, STRIDE per slot) and int32 (`ints`, ISTRIDE per slot).
 * The first line holds every field a hop reads or writes; the second what only
 * the ends of a packet's life need, ending in a union: a UDP frame's record, or a
 * TCP segment's header (a QUIC packet keeps neither: its object has them), told
 * apart by the channel. A flow's tick slot (KIND_TICK) uses the same layout — its
 * time, sequence, bucket link, kind, flow and unit — so it shares the pool and the
 * timing wheel.
 */
export const SLOT = defineLayout({
  name: 'slot',
  lineBytes: 64,
  lines: [
    {
      /** The time and sequence number of its next wheel event (µs; wheel order). */
      t: 'f64',
      s: 'f64',
      /** When its last bit left the sending interface, µs. */
      departUs: 'f64',
      /** The next slot in its timing-wheel bucket (−1: last). */
      next: 'i32',
      /** The node it arrives at next and the link it arrives over. */
      node: 'i32',
      link: 'i32',
      /** The link's `downs` when the packet was committed to it. */
      downs: 'i32',
      /** 1 while an arrival of this packet is scheduled (it is on a link or committed to one), else 0. */
      arriving: 'i32',
      ttl: 'i32',
      /** Destination address as int32 (`addr | 0`). */
      dst: 'i32',
      /** Head of its path list in the pool (newest router first); −1 when empty. */
      path: 'i32',
      size: 'i32',
      /** KIND_PACKET, KIND_TICK, or KIND_FREE while the slot is in the pool. */
      kind: 'i32',
    },
    {
      /** When the packet was sent, µs. */
      createdUs: 'f64',
      id: 'i32',
      /** Channel code (CHANNEL_CODE). */
      channel: 'i32',
      flow: 'i32',
      unit: 'i32',
      /** Payload bytes. */
      len: 'i32',
    },
  ],
  alternatives: {
    /** Where its frame's record is: the record lane (−1: none) and its sequence number there. */
    udp: { frame: 'i32', frameSeq: 'f64' },
    /** The header fields a `Packet` has beyond the above. */
    tcp: {
      seq: 'i32',
      srcAddr: 'i32',
      srcPort: 'i32',
      dstPort: 'i32',
      flags: 'i32',
      ack: 'i32',
      wnd: 'i32',
    },
  },
});
export const STRIDE = SLOT.f64Stride;
export const ISTRIDE = SLOT.i32Stride;
/** Float64 offsets within a slot (`hot`), from SLOT. */
export const F_T = SLOT.f64.t;
export const F_S = SLOT.f64.s;
export const F_DEPART = SLOT.f64.departUs;
export const F_CREATED = SLOT.f64.createdUs;
/** Int32 offsets within a slot (`ints`), from SLOT. */
export const I_NEXT = SLOT.i32.next;
export const I_NODE = SLOT.i32.node;
export const I_LINK = SLOT.i32.link;
export const I_DOWNS = SLOT.i32.downs;
export const I_ARRIVING = SLOT.i32.arriving;
export const I_TTL = SLOT.i32.ttl;
export const I_DST = SLOT.i32.dst;
export const I_PATH = SLOT.i32.path;
export const I_SIZE = SLOT.i32.size;
export const I_KIND = SLOT.i32.kind;
export const I_ID = SLOT.i32.id;
export const I_CHANNEL = SLOT.i32.channel;
export const I_FLOW = SLOT.i32.flow;
export const I_UNIT = SLOT.i32.unit;
export const I_LEN = SLOT.i32.len;
/** UDP packets (SLOT's `udp` alternative). */
export const I_FRAME = SLOT.alternatives.udp.i32.frame;
export const F_FRAME_SEQ = SLOT.alternatives.udp.f64.frameSeq;
/** TCP segments (SLOT's `tcp` alternative). */
export const I_SEQ = SLOT.alternatives.tcp.i32.seq;
export const I_SRC_ADDR = SLOT.alternatives.tcp.i32.srcAddr;
export const I_SRC_PORT = SLOT.alternatives.tcp.i32.srcPort;
export const I_DST_PORT = SLOT.alternatives.tcp.i32.dstPort;
export const I_FLAGS = SLOT.alternatives.tcp.i32.flags;
export const I_ACK = SLOT.alternatives.tcp.i32.ack;
export const I_WND = SLOT.alternatives.tcp.i32.wnd;

export const KIND_PACKET = 0;
export const KIND_TICK = 2;
/** A slot in the pool (freed, not yet taken again): freeing it again is a bug. */
export const KIND_FREE = -1;

/** Channel codes in I_CHANNEL. */
export const CHANNEL_CODE: Record<Channel, number> = { udp: 0, tcp: 1, quic: 2, dns: 3 };
export const CHANNELS: readonly Channel[] = ['udp', 'tcp', 'quic', 'dns'];

/** Slots the first buffer holds. */
const FIRST_SLOTS = 1024;

/**
 * Timing-wheel spans, µs (powers of two): events further ahead wait in the event
 * heap. Each simulation sizes its wheel to what its scenario schedules ahead
 * (`wheelSpanUs`), from 4 ms to 524 ms: 8 bytes per µs, so 32 KB to 4 MB.
 */
export const WHEEL_MIN_US = 1 << 12;
export const WHEEL_MAX_US = 1 << 19;

/** The smallest span at least `leadUs` (clamped to the range above). */
export function wheelSpanUs(leadUs: number): number {
  let span = WHEEL_MIN_US;
  while (span < leadUs && span < WHEEL_MAX_US) span *= 2;
  return span;
}

export interface WireState {
  hot: Float64Array;
  /** The same buffer as `hot`, as int32. */
  ints: Int32Array;
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
  /** The wheel's span, µs (a power of two; fixed for a simulation). */
  wheelUs: number;
  /**
   * Timing wheel: per bucket b (time mod wheelUs) the first slot due then at [2b]
   * and the last at [2b + 1]; −1 when empty. Side by side, an append touches one
   * cache line.
   */
  buckets: Int32Array;
  /** Events in the wheel. */
  wheelCount: number;
  /** No event in the wheel is earlier than this time, µs. */
  cursorUs: number;
  /** Records due a fixed delay ahead: UDP frames waiting for their deadline, fixed-interval ticks. */
  records: RecordLanes;
}

export function createWire(wheelUs = WHEEL_MAX_US): WireState {
  const buffer = new ArrayBuffer(FIRST_SLOTS * STRIDE * 8);
  return {
    hot: new Float64Array(buffer),
    ints: new Int32Array(buffer),
    info: [],
    highWater: 0,
    freeSlots: [],
    pathRouter: new Int32Array(4096),
    pathNext: new Int32Array(4096),
    pathHighWater: 0,
    freePath: [],
    wheelUs,
    buckets: new Int32Array(2 * wheelUs).fill(-1),
    wheelCount: 0,
    cursorUs: 0,
    records: new RecordLanes(),
  };
}

/** A free slot (the pool grows when none is left); its fields are the caller's to set. */
export function allocSlot(w: WireState, kind: number): number {
  let slot = w.freeSlots.pop();
  if (slot === undefined) {
    slot = w.highWater++;
    if (slot * STRIDE >= w.hot.length) grow(w, w.hot.length * 2 * 8);
  }
  w.info[slot] = null;
  w.ints[slot * ISTRIDE + I_KIND] = kind;
  w.ints[slot * ISTRIDE + I_PATH] = -1;
  return slot;
}

/** Returns a slot to the pool, with its path cells. */
export function freeSlot(w: WireState, slot: number): void {
  const i = slot * ISTRIDE;
  // SPEC SIM-6: a slot freed twice would be handed out twice.
  if (w.ints[i + I_KIND] === KIND_FREE) assert(false, 'a slot is freed once (it was already in the pool)');
  w.ints[i + I_KIND] = KIND_FREE;
  for (let n = w.ints[i + I_PATH] as number; n >= 0; n = w.pathNext[n] as number) w.freePath.push(n);
  w.ints[i + I_PATH] = -1;
  w.info[slot] = null;
  w.freeSlots.push(slot);
}

/**
 * A new packet slot with every per-packet field set (one place for the layout, whoever
 * sends). `frame` and `frameSeq` fill SLOT's `udp` alternative (−1 and 0 for other
 * channels); a TCP segment's header (`setTcpHeader`) is written over them next.
 */
export function newPacketSlot(
  w: WireState,
  id: number,
  channel: Channel,
  dstAddr: number,
  ttl: number,
  sizeBytes: number,
  len: number,
  flow: number,
  unit: number,
  frame: number,
  frameSeq: number,
  createdUs: number,
): number {
  const slot = allocSlot(w, KIND_PACKET);
  const i = slot * ISTRIDE;
  const ints = w.ints; // after allocSlot, which may have grown the buffer
  ints[i + I_DST] = dstAddr | 0;
  ints[i + I_TTL] = ttl;
  ints[i + I_SIZE] = sizeBytes;
  ints[i + I_ARRIVING] = 0;
  ints[i + I_ID] = id;
  ints[i + I_CHANNEL] = CHANNEL_CODE[channel];
  ints[i + I_FLOW] = flow;
  ints[i + I_UNIT] = unit;
  ints[i + I_FRAME] = frame;
  ints[i + I_LEN] = len;
  w.hot[slot * STRIDE + F_CREATED] = createdUs;
  w.hot[slot * STRIDE + F_FRAME_SEQ] = frameSeq;
  return slot;
}

/**
 * Puts a packet into the network: a slot with its fields taken from the object. A
 * UDP frame's packet (`frameRef` set) and a TCP segment carry everything in their slot
 * and keep no object; a QUIC or DNS packet keeps its own for the layer above.
 */
export function inject(w: WireState, p: Packet): number {
  const slot = newPacketSlot(
    w,
    p.id,
    p.channel,
    p.dstAddr,
    p.ttl,
    p.sizeBytes,
    p.len,
    p.flow,
    p.unit,
    p.frameRef ?? -1,
    p.frameSeq ?? 0,
    p.createdUs,
  );
  if (p.channel === 'tcp')
    setTcpHeader(w, slot, p.srcAddr, p.srcPort, p.dstPort, p.flags, p.seq, p.ack, p.wnd);
  else if (p.frameRef === undefined) w.info[slot] = p;
  for (const router of p.path) pushPath(w, slot, router);
  return slot;
}

/** Writes a TCP segment's header into its slot (made by `newPacketSlot` with channel 'tcp'). */
export function setTcpHeader(
  w: WireState,
  slot: number,
  srcAddr: number,
  srcPort: number,
  dstPort: number,
  flags: number,
  seq: number,
  ack: number,
  wnd: number,
): void {
  const i = slot * ISTRIDE;
  const ints = w.ints;
  ints[i + I_SEQ] = seq;
  ints[i + I_SRC_ADDR] = srcAddr | 0;
  ints[i + I_SRC_PORT] = srcPort;
  ints[i + I_DST_PORT] = dstPort;
  ints[i + I_FLAGS] = flags;
  ints[i + I_ACK] = ack;
  ints[i + I_WND] = wnd;
}

/** A TCP or QUIC packet in the network as an object, left where it is (for records). */
export function packetAt(w: WireState, slot: number): Packet {
  if (w.ints[slot * ISTRIDE + I_CHANNEL] === CHANNEL_CODE.tcp) return tcpPacketOf(w, slot, false);
  const p = w.info[slot];
  assert(p !== null && p !== undefined, 'a QUIC or DNS slot holds a packet object');
  return p;
}

/** A TCP segment's object, built from its slot; the path only when `withPath`. */
function tcpPacketOf(w: WireState, slot: number, withPath: boolean): Packet {
  const i = slot * ISTRIDE;
  const ints = w.ints;
  return {
    id: ints[i + I_ID] as number,
    channel: 'tcp',
    srcAddr: (ints[i + I_SRC_ADDR] as number) >>> 0,
    dstAddr: (ints[i + I_DST] as number) >>> 0,
    srcPort: ints[i + I_SRC_PORT] as number,
    dstPort: ints[i + I_DST_PORT] as number,
    flags: ints[i + I_FLAGS] as number,
    seq: ints[i + I_SEQ] as number,
    ack: ints[i + I_ACK] as number,
    wnd: ints[i + I_WND] as number,
    len: ints[i + I_LEN] as number,
    sizeBytes: ints[i + I_SIZE] as number,
    ttl: ints[i + I_TTL] as number,
    flow: ints[i + I_FLOW] as number,
    unit: ints[i + I_UNIT] as number,
    createdUs: w.hot[slot * STRIDE + F_CREATED] as number,
    path: withPath ? pathOf(w, slot) : [],
  };
}

function grow(w: WireState, bytes: number): void {
  const buffer = new ArrayBuffer(bytes);
  new Uint8Array(buffer).set(new Uint8Array(w.hot.buffer));
  w.hot = new Float64Array(buffer);
  w.ints = new Int32Array(buffer);
}

/**
 * Takes a TCP or QUIC packet out of the network as an object, with its TTL and, when
 * `withPath` (someone will read it: records, hand forwarding), its path; the slot is
 * freed.
 */
export function release(w: WireState, slot: number, withPath: boolean): Packet {
  if (w.ints[slot * ISTRIDE + I_CHANNEL] === CHANNEL_CODE.tcp) {
    const segment = tcpPacketOf(w, slot, withPath);
    freeSlot(w, slot);
    return segment;
  }
  const p = w.info[slot];
  assert(p !== null && p !== undefined, 'a released QUIC or DNS slot holds a packet object');
  p.ttl = w.ints[slot * ISTRIDE + I_TTL] as number;
  if (withPath) p.path = pathOf(w, slot);
  freeSlot(w, slot);
  return p;
}

/** The packet's TCP flags (0 when it has none). */
export function flagsOf(w: WireState, slot: number): number {
  if (w.ints[slot * ISTRIDE + I_CHANNEL] === CHANNEL_CODE.tcp)
    return w.ints[slot * ISTRIDE + I_FLAGS] as number;
  return w.info[slot]?.flags ?? 0;
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
  const i = slot * ISTRIDE + I_PATH;
  w.pathRouter[n] = router;
  w.pathNext[n] = w.ints[i] as number;
  w.ints[i] = n;
}

/** The routers that forwarded the packet, oldest first. */
export function pathOf(w: WireState, slot: number): number[] {
  const head = w.ints[slot * ISTRIDE + I_PATH] as number;
  let length = 0;
  for (let n = head; n >= 0; n = w.pathNext[n] as number) length++;
  const out = new Array<number>(length);
  for (let n = head, i = length - 1; n >= 0; n = w.pathNext[n] as number, i--)
    out[i] = w.pathRouter[n] as number;
  return out;
}

/** A copy of a packet (link duplication): new slot, same fields and path, its own id. */
export function duplicate(w: WireState, slot: number, id: number): number {
  const c = allocSlot(w, KIND_PACKET);
  // Both slots lie in the buffer as it is after allocSlot (which may have grown it).
  w.ints.copyWithin(c * ISTRIDE, slot * ISTRIDE, (slot + 1) * ISTRIDE);
  w.ints[c * ISTRIDE + I_ID] = id;
  w.ints[c * ISTRIDE + I_PATH] = -1;
  for (const router of pathOf(w, slot)) pushPath(w, c, router);
  const p = w.info[slot];
  if (p) w.info[c] = { ...p, id };
  return c;
}

/** The wire as plain data (snapshots): only what is in use; the wheel as its events in (t, s) order. */
export interface PlainWire {
  /** The slots in use as int32 (float64 fields as their two halves: exact). */
  slots: number[];
  info: (Packet | null)[];
  freeSlots: number[];
  pathRouter: number[];
  pathNext: number[];
  freePath: number[];
  wheel: number[];
  records: PlainRecordLane[];
}

export function wireToPlain(w: WireState, nowUs: number): PlainWire {
  return {
    slots: Array.from(w.ints.subarray(0, w.highWater * ISTRIDE)),
    info: w.info.slice(0, w.highWater),
    freeSlots: w.freeSlots,
    pathRouter: Array.from(w.pathRouter.subarray(0, w.pathHighWater)),
    pathNext: Array.from(w.pathNext.subarray(0, w.pathHighWater)),
    freePath: w.freePath,
    wheel: wheelSlots(w, nowUs),
    records: w.records.toPlain(),
  };
}

export function wireFromPlain(p: PlainWire, nowUs: number, wheelUs = WHEEL_MAX_US): WireState {
  const capacity = (n: number, min: number) => Math.max(min, 2 ** Math.ceil(Math.log2(Math.max(1, n))));
  const w = createWire(wheelUs);
  grow(w, capacity(p.slots.length / ISTRIDE, FIRST_SLOTS) * STRIDE * 8);
  w.ints.set(p.slots);
  w.info = p.info;
  w.highWater = p.slots.length / ISTRIDE;
  w.freeSlots = p.freeSlots;
  w.pathRouter = new Int32Array(capacity(p.pathRouter.length, 4096));
  w.pathNext = new Int32Array(w.pathRouter.length);
  w.pathRouter.set(p.pathRouter);
  w.pathNext.set(p.pathNext);
  w.pathHighWater = p.pathRouter.length;
  w.freePath = p.freePath;
  w.cursorUs = nowUs;
  for (const slot of p.wheel) wheelAppend(w, slot, w.hot[slot * STRIDE + F_T] as number);
  w.records = RecordLanes.fromPlain(p.records);
  return w;
}

/**
 * Timing wheel of slot events (SPEC SIM-2 order kept). A bucket holds the events of
 * one exact microsecond, and every event gets its sequence number as it is
 * scheduled, so appending keeps a bucket in (t, s) order; all events in the wheel
 * lie within [now, now + wheelUs), so no two times share a bucket. Finding the
 * next event scans forward from a cursor — at most one step per simulated µs over
 * a run — and costs no heap.
 */

/** Adds a slot's event at `tUs` (its F_T/F_S set by the caller); false when beyond the wheel's span. */
export function wheelPush(w: WireState, slot: number, tUs: number, nowUs: number): boolean {
  if (tUs - nowUs >= w.wheelUs) return false;
  if (w.cursorUs < nowUs) w.cursorUs = nowUs;
  wheelAppend(w, slot, tUs);
  return true;
}

function wheelAppend(w: WireState, slot: number, tUs: number): void {
  const b = 2 * (tUs & (w.wheelUs - 1));
  w.ints[slot * ISTRIDE + I_NEXT] = -1;
  const tail = w.buckets[b + 1] as number;
  if (tail < 0) w.buckets[b] = slot;
  else w.ints[tail * ISTRIDE + I_NEXT] = slot;
  w.buckets[b + 1] = slot;
  w.wheelCount++;
  if (tUs < w.cursorUs) w.cursorUs = tUs;
}

/** Time of the earliest event in the wheel, µs; +∞ when empty. Moves the cursor to it. */
export function wheelPeekTimeUs(w: WireState, nowUs: number): number {
  if (w.wheelCount === 0) return Number.POSITIVE_INFINITY;
  let t = Math.max(w.cursorUs, nowUs);
  const buckets = w.buckets;
  const mask = w.wheelUs - 1;
  while ((buckets[2 * (t & mask)] as number) < 0) t++;
  w.cursorUs = t;
  return t;
}

/** Sequence number of the earliest event; call right after `wheelPeekTimeUs` found one. */
export function wheelPeekSeq(w: WireState): number {
  const slot = w.buckets[2 * (w.cursorUs & (w.wheelUs - 1))] as number;
  return w.hot[slot * STRIDE + F_S] as number;
}

/** Removes and returns the earliest event's slot; call right after `wheelPeekTimeUs` found one. */
export function wheelPop(w: WireState): number {
  const b = 2 * (w.cursorUs & (w.wheelUs - 1));
  const slot = w.buckets[b] as number;
  const next = w.ints[slot * ISTRIDE + I_NEXT] as number;
  w.buckets[b] = next;
  if (next < 0) w.buckets[b + 1] = -1;
  w.wheelCount--;
  return slot;
}

/**
 * The wheel's events in (t, s) order. Scanning the buckets from the cursor costs a step
 * per simulated µs up to the last event (~10^5 in a lesson), on every snapshot and hash;
 * the slots are far fewer. A bucket holds the events of one exact time, so the times of
 * live slots that fall on a non-empty bucket, sorted, give its buckets in order (a free
 * slot's stale time can only name a bucket that is in use for that same time).
 */
export function wheelSlots(w: WireState, nowUs: number): number[] {
  if (w.wheelCount === 0) return [];
  const t0 = Math.max(w.cursorUs, nowUs);
  const mask = w.wheelUs - 1;
  const times: number[] = [];
  for (let slot = 0; slot < w.highWater; slot++) {
    const t = w.hot[slot * STRIDE + F_T] as number;
    if (t >= t0 && t - t0 < w.wheelUs && (w.buckets[2 * (t & mask)] as number) >= 0) times.push(t);
  }
  times.sort((a, b) => a - b);
  const out: number[] = [];
  let last = -1;
  for (const t of times) {
    if (t === last) continue;
    last = t;
    for (
      let slot = w.buckets[2 * (t & mask)] as number;
      slot >= 0;
      slot = w.ints[slot * ISTRIDE + I_NEXT] as number
    )
      out.push(slot);
  }
  // Events of slots never taken through `allocSlot` (beyond the high-water mark) are not found that way: scan.
  return out.length === w.wheelCount ? out : wheelScan(w, t0);
}

/** The wheel's events by a scan of every bucket from `t0` until all are found. */
function wheelScan(w: WireState, t0: number): number[] {
  const out: number[] = [];
  let t = t0;
  for (let n = 0; out.length < w.wheelCount && n < w.wheelUs; n++, t++)
    for (
      let slot = w.buckets[2 * (t & (w.wheelUs - 1))] as number;
      slot >= 0;
      slot = w.ints[slot * ISTRIDE + I_NEXT] as number
    )
      out.push(slot);
  return out;
}
