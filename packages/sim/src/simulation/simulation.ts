import { Packr } from 'msgpackr';
import { quicApp } from '../application/quicApp.ts';
import { clientPort } from '../application/requests.ts';
import { tcpApp } from '../application/tcpApp.ts';
import {
  hooks,
  onFlowTick,
  onFrameRecord,
  onRequestTimeout,
  onTickRecord,
  scheduleFlows,
} from '../application/traffic.ts';
import type { NewEvent, SimCore } from '../engine/core.ts';
import {
  assert,
  IFACE_FIFO,
  IFACE_PRIORITY,
  IFACE_RED,
  NODE_BY_HAND,
  NODE_BY_TABLE,
  NODE_HOST,
} from '../engine/core.ts';
import { EventHeap } from '../engine/eventQueue.ts';
import { hashBytes } from '../engine/hash.ts';
import {
  LANE_FRAME,
  LANE_REQUEST_TIMEOUT,
  LANE_TICK,
  R_CONN,
  R_FLOW,
  R_UNIT,
  type RecordLane,
} from '../engine/recordLanes.ts';
import type { RecordListener, SimRecord } from '../engine/records.ts';
import { createRng } from '../engine/rng.ts';
import type { LinkDirState, LinkState, SimEvent, SimState } from '../engine/state.ts';
import { msToUs, sToUs } from '../engine/units.ts';
import {
  createWire,
  F_S,
  F_T,
  I_ARRIVING,
  I_FLOW,
  I_KIND,
  I_UNIT,
  ISTRIDE,
  KIND_PACKET,
  type PlainWire,
  STRIDE,
  wheelPeekSeq,
  wheelPeekTimeUs,
  wheelPop,
  wheelPush,
  wheelSpanUs,
  wireFromPlain,
  wireToPlain,
} from '../engine/wire.ts';
import { emptyDirection, type PlainPending, pendingFromPlain, pendingToPlain } from '../link/queueing.ts';
import { Fib, portTowards } from '../network/fib.ts';
import { deleteRoute, makeRoute, type Route, upsertRoute } from '../network/forwarding.ts';
import {
  commitQueued,
  flushLink,
  forwardHeld,
  onArrive,
  onHandTimeout,
  onTxDone,
  onWireLoss,
} from '../network/network.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { SCENARIO_LIMITS } from '../scenario/scenarioSchema.ts';
import { onQuicTimer, rebindQuic } from '../transport/quic.ts';
import { rebuildQuicIndex } from '../transport/quicConn.ts';
import { rebindConn, rebuildConnIndex } from '../transport/tcpConn.ts';
import { TcpDemux } from '../transport/tcpDemux.ts';
import { onDelayedAck, onTcpTimer, onTimeWait } from '../transport/tcpSend.ts';
import type { CommandError, SimCommand } from './commands.ts';

// Plain msgpack without record extensions: the same bytes in Node and the browser.
const packr = new Packr({ useRecords: false, moreTypes: false });

/**
 * A time in µs as V8 stores it best: a small integer while it fits (< 2^30 µs, ~18
 * minutes). Every time the simulation keeps derives from now; if now is a boxed double
 * (times arrive as doubles from typed arrays and fields), every deadline, event and
 * start time copied from it is a 16-byte box of its own.
 */
function smallTime(tUs: number): number {
  return tUs < 0x40000000 ? tUs | 0 : tUs;
}

/** Most events one advance may process: a runaway guard, far above any lesson's need. */
const MAX_EVENTS_PER_ADVANCE = 50_000_000;

/**
 * A deterministic discrete-event simulation of one network (SPEC SIM-1..6).
 * Given the scenario, the seed and the ordered commands, every copy — the
 * server's and each browser's replica — reaches the same state.
 */
export class Simulation implements SimCore {
  readonly sc: Scenario;
  readonly seed: number;
  st: SimState;
  readonly tcpIndex = new TcpDemux();
  readonly quicIndex = new Map<string, number>();
  listeners: RecordListener[] = [];
  /** Emit `tcpSample` and `quicSample` records (cwnd, ssthresh, SRTT, RTO/PTO …) for lessons and `pnpm sim --trace`. Not state. */
  traceCongestion = false;
  /** Events processed since construction (a performance counter, not state). */
  eventsProcessed = 0;
  /** Packet arrivals at a node since construction: the "packet-hop events" the benchmark reports. */
  packetHops = 0;
  /** The heap over `st.events` with its keys mirrored in typed arrays (derived; follows `st` when replaced). */
  private heap: EventHeap<SimEvent>;
  /** While advancing: (t, s) of the earliest event in the heap and the record lanes, +∞ when none (advanceTo). */
  private otherT = Number.POSITIVE_INFINITY;
  private otherS = 0;
  readonly fib: Fib;
  readonly linkGate: Int32Array;
  readonly nodeMode: Int8Array;
  readonly ifaceKind: Int8Array;
  readonly ifaceDir: LinkDirState[] = [];
  readonly linkLossy: Uint8Array;

  constructor(scenario: Scenario, seed: number) {
    this.sc = scenario;
    this.seed = seed >>> 0;
    this.st = initialState(scenario, this.seed);
    this.heap = new EventHeap(this.st.events);
    this.linkGate = new Int32Array(scenario.file.links.length);
    this.linkLossy = new Uint8Array(scenario.file.links.length);
    this.syncLinkTables();
    this.nodeMode = new Int8Array(scenario.file.nodes.length);
    this.syncNodeModes();
    this.ifaceKind = new Int8Array(scenario.file.links.length * 2);
    this.syncIfaces();
    this.fib = new Fib(
      scenario.file.nodes.map((n) => n.kind === 'router'),
      scenario.hostAddr,
    );
    scheduleFlows(this);
    scenario.file.events.forEach((e, index) => {
      this.schedule({ t: sToUs(e.atS), k: 'script', index });
    });
  }

  /** Simulated now, µs. */
  get nowUs(): number {
    return this.st.nowUs;
  }

  /** Subscribes to records; returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  schedule(ev: NewEvent): void {
    // A hot path: no message string is built unless the invariant breaks.
    if (!(ev.t >= this.st.nowUs && Math.floor(ev.t) === ev.t))
      assert(false, `events are scheduled at an integer µs, never in the past (${ev.k} at ${ev.t})`);
    // Callers pass a fresh object literal, so it becomes the event itself (no copy).
    const event = ev as SimEvent;
    event.s = this.st.nextSeq++;
    this.eventHeap().push(event);
    this.noteOther(event.t, event.s);
  }

  scheduleWithSeq(ev: NewEvent, seq: number): void {
    if (!(ev.t >= this.st.nowUs && Math.floor(ev.t) === ev.t && seq < this.st.nextSeq))
      assert(
        false,
        `an event keeps a sequence number already taken, at an integer µs, never in the past (${ev.k} at ${ev.t})`,
      );
    const event = ev as SimEvent;
    event.s = seq;
    this.eventHeap().push(event);
    this.noteOther(event.t, seq);
  }

  scheduleArrival(slot: number, tUs: number): void {
    this.st.wire.ints[slot * ISTRIDE + I_ARRIVING] = 1;
    this.scheduleSlot(slot, tUs);
  }

  scheduleSlot(slot: number, tUs: number): void {
    if (!(tUs >= this.st.nowUs && Math.floor(tUs) === tUs))
      assert(false, `slot events are scheduled at an integer µs, never in the past (${tUs})`);
    const w = this.st.wire;
    w.hot[slot * STRIDE + F_T] = tUs;
    w.hot[slot * STRIDE + F_S] = this.st.nextSeq;
    // Within the wheel's span (nearly always) no event object is needed.
    if (wheelPush(w, slot, tUs, this.st.nowUs)) this.st.nextSeq++;
    else this.schedule({ t: tUs, k: 'slot', slot });
  }

  scheduleRecord(lane: number, delayUs: number): number {
    if (!(delayUs >= 0 && Math.floor(delayUs) === delayUs))
      assert(false, `records are due a whole number of µs ahead (${delayUs})`);
    const tUs = this.st.nowUs + delayUs;
    const seq = this.st.nextSeq++;
    this.noteOther(tUs, seq);
    return this.st.wire.records.append(lane, tUs, seq, delayUs);
  }

  /** An event was added to the heap or the record lanes: it may now be the earliest of the two (`otherT`, `otherS`). */
  private noteOther(tUs: number, seq: number): void {
    if (tUs < this.otherT || (tUs === this.otherT && seq < this.otherS)) {
      this.otherT = tUs;
      this.otherS = seq;
    }
  }

  /** A slot's event is due: a packet arrives, or a flow's tick slot comes (its first unit, or a Poisson flow's next). */
  private runSlot(slot: number): void {
    const ints = this.st.wire.ints;
    if (ints[slot * ISTRIDE + I_KIND] === KIND_PACKET) {
      this.packetHops++;
      onArrive(this, hooks, slot);
    } else
      onFlowTick(
        this,
        ints[slot * ISTRIDE + I_FLOW] as number,
        ints[slot * ISTRIDE + I_UNIT] as number,
        slot,
      );
  }

  /**
   * The earliest record in the lanes is due: a frame's deadline passes, a flow's next
   * unit starts, a request's deadline passes or a TIME-WAIT ends. Each handler reads
   * the record (the lane's head) and pops it; traffic.ts owns the frame and tick layouts.
   */
  private runRecord(): void {
    const records = this.st.wire.records;
    const lane = records.topLane();
    const kind = (records.lanes[lane] as RecordLane).kind;
    if (kind === LANE_FRAME) return onFrameRecord(this, lane);
    if (kind === LANE_TICK) return onTickRecord(this, lane);
    const at = records.headAt(lane);
    const fields = records.ints(lane);
    const flow = fields[at + R_FLOW] as number;
    const unit = fields[at + R_UNIT] as number;
    const conn = fields[at + R_CONN] as number;
    records.pop();
    if (kind === LANE_REQUEST_TIMEOUT) onRequestTimeout(this, flow, unit);
    else onTimeWait(this, conn);
  }

  /** The heap over the current state's events (re-attached if the state was replaced, e.g. by restore). */
  private eventHeap(): EventHeap<SimEvent> {
    if (this.heap.items !== this.st.events) this.heap.attach(this.st.events);
    return this.heap;
  }

  emit(r: SimRecord): void {
    for (const l of this.listeners) l(r);
  }

  /**
   * Runs every event up to and including `tUs`, then sets now = tUs (SPEC SIM-1).
   * Events come from three sources, merged by (t, s): the event heap, the record
   * lanes and the timing wheel. Packet arrivals (the wheel) are most events, so the
   * earliest of the other two is kept in `otherT`/`otherS` — lowered by whatever
   * schedules there, recomputed after one of them runs — and wheel events run in an
   * inner loop that compares with it alone.
   */
  advanceTo(tUs: number): void {
    assert(Number.isInteger(tUs) && tUs >= this.st.nowUs, 'advanceTo goes forward to an integer time');
    const heap = this.eventHeap();
    const w = this.st.wire;
    const records = w.records;
    let processed = 0;
    for (;;) {
      // The earliest by (t, s) of the heap's top and the record lanes' heads.
      let fromRecords = false;
      this.otherT = heap.peekTimeUs();
      this.otherS = heap.peekSeq();
      const recordT = records.peekTimeUs();
      if (recordT < this.otherT || (recordT === this.otherT && records.peekSeq() < this.otherS)) {
        this.otherT = recordT;
        this.otherS = records.peekSeq();
        fromRecords = true;
      }
      // Wheel events before it.
      const before = processed;
      for (;;) {
        const wheelT = wheelPeekTimeUs(w, this.st.nowUs);
        if (wheelT > tUs) break;
        if (!(wheelT < this.otherT || (wheelT === this.otherT && wheelPeekSeq(w) < this.otherS))) break;
        this.st.nowUs = smallTime(wheelT);
        this.eventsProcessed++;
        this.runSlot(wheelPop(w));
        assert(++processed < MAX_EVENTS_PER_ADVANCE, 'an advance ends');
      }
      // They may have scheduled an earlier event in the heap or a lane: look again.
      if (processed !== before) continue;
      if (this.otherT > tUs) break;
      this.st.nowUs = smallTime(this.otherT);
      this.eventsProcessed++;
      if (fromRecords) this.runRecord();
      else this.dispatch(heap.pop() as SimEvent);
      assert(++processed < MAX_EVENTS_PER_ADVANCE, 'an advance ends');
    }
    this.st.nowUs = smallTime(tUs);
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.k) {
      case 'slot':
        return this.runSlot(ev.slot);
      case 'wireLoss':
        return onWireLoss(this, hooks, ev.slot, ev.node, ev.link);
      case 'txDone':
        return onTxDone(this, hooks, ev.link, ev.dir);
      case 'handTimeout':
        return onHandTimeout(this, hooks, ev.node, ev.packetId);
      case 'tcpTimer':
        return onTcpTimer(this, tcpApp, ev.conn, ev.gen, ev.s);
      case 'delAck':
        return onDelayedAck(this, tcpApp, ev.conn, ev.gen);
      case 'quicTimer':
        return onQuicTimer(this, quicApp, ev.conn, ev.gen);
      case 'script':
        return this.runScript(ev.index);
    }
  }

  private runScript(index: number): void {
    const e = this.sc.file.events[index];
    assert(e !== undefined, 'script index is valid');
    if (e.kind === 'linkDown') this.setLinkUp(e.link, false);
    else if (e.kind === 'linkUp') this.setLinkUp(e.link, true);
    else this.setLinkLoss(e.link, e.loss);
  }

  /** Applies one command now; returns why it was refused, or null (SPEC CMD-1). */
  apply(cmd: SimCommand): CommandError {
    if (cmd.type === 'link.set' || cmd.type === 'link.loss') {
      if (!this.sc.linkIndex.has(cmd.link)) return `unknown link "${cmd.link}"`;
      if (cmd.type === 'link.set') this.setLinkUp(cmd.link, cmd.up);
      else if (!(cmd.loss >= 0 && cmd.loss <= 1)) return 'loss is a probability between 0 and 1';
      else this.setLinkLoss(cmd.link, cmd.loss);
      return null;
    }
    if (cmd.type === 'host.rebind') return this.rebindHost(cmd.host);
    const node = this.sc.nodeIndex.get(cmd.node);
    const router = node === undefined ? null : this.st.routers[node];
    if (!router || node === undefined) return `unknown router "${cmd.node}"`;
    switch (cmd.type) {
      case 'route.set': {
        const via = this.neighbour(node, cmd.via);
        if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
        const route = makeRoute(cmd.prefix, via);
        if (!route) return `"${cmd.prefix}" is not a prefix like 10.2.0.0/16 (host bits zero)`;
        if (
          router.routes.length >= SCENARIO_LIMITS.routesPerRouter &&
          !router.routes.some((r) => r.prefix === cmd.prefix)
        )
          return 'the forwarding table is full';
        upsertRoute(router.routes, route);
        this.fib.invalidate(node);
        return null;
      }
      case 'route.delete':
        if (!deleteRoute(router.routes, cmd.prefix)) return `${cmd.node} has no route for ${cmd.prefix}`;
        this.fib.invalidate(node);
        return null;
      case 'hand.mode':
        router.handForwarding = cmd.enabled;
        this.syncNodeModes();
        if (!cmd.enabled) {
          // Waiting packets now follow the table, in arrival order.
          const waiting = router.handQueue.splice(0);
          for (const w of waiting) forwardHeld(this, hooks, router, w.packet, -1);
        }
        return null;
      case 'hand.forward': {
        const via = this.neighbour(node, cmd.via);
        if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
        const i = router.handQueue.findIndex((w) => w.packet.id === cmd.packetId);
        if (i < 0) return `packet ${cmd.packetId} is not waiting at ${cmd.node}`;
        const [wait] = router.handQueue.splice(i, 1);
        if (wait) forwardHeld(this, hooks, router, wait.packet, via);
        return null;
      }
      case 'queue.set': {
        const via = this.neighbour(node, cmd.via);
        if (via < 0) return `"${cmd.via}" is not a neighbour of ${cmd.node}`;
        const d = cmd.discipline;
        if (
          d.kind === 'red' &&
          !(
            d.minThPackets > 0 &&
            d.minThPackets < d.maxThPackets &&
            d.maxP > 0 &&
            d.maxP <= 1 &&
            d.weight > 0 &&
            d.weight <= 1
          )
        )
          return 'RED needs 0 < minTh < maxTh, 0 < maxP ≤ 1 and 0 < weight ≤ 1';
        const port = portTowards(this, node, via);
        const dir = port ? this.st.links[port.link]?.dirs[port.dir] : undefined;
        if (!dir) return `${cmd.node} has no interface towards ${cmd.via}`;
        dir.discipline = { ...d };
        this.syncIfaces();
        if (port) commitQueued(this, hooks, port.link, port.dir);
        return null;
      }
      case 'seat.bot': {
        const spec = this.sc.file.nodes[node];
        if (spec?.kind !== 'router') return `unknown router "${cmd.node}"`;
        const routes = spec.botRoutes ?? spec.routes;
        router.routes = routes.map(
          (r) => makeRoute(r.prefix, this.sc.nodeIndex.get(r.via) as number) as Route,
        );
        this.fib.invalidate(node);
        return this.apply({ type: 'hand.mode', node: cmd.node, enabled: false });
      }
    }
  }

  /**
   * NAT rebinding (SPEC QUIC-10): the host's client connections send from a new
   * port from now on. QUIC carries on (the server follows the connection ID);
   * TCP's peer sees an unknown 4-tuple and resets.
   */
  private rebindHost(hostId: string): CommandError {
    const node = this.sc.nodeIndex.get(hostId);
    if (node === undefined || this.sc.file.nodes[node]?.kind !== 'host') return `unknown host "${hostId}"`;
    this.st.hostRebinds[node] = (this.st.hostRebinds[node] ?? 0) + 1;
    for (const c of Object.values(this.st.conns))
      if (c.node === node && c.role === 'client') rebindConn(this, c, clientPort(this, node, c.flow, c.unit));
    for (const q of Object.values(this.st.quicConns))
      if (q.node === node && q.role === 'client') rebindQuic(q, clientPort(this, node, q.flow, q.unit));
    return null;
  }

  private neighbour(node: number, id: string): number {
    const peer = this.sc.nodeIndex.get(id);
    if (peer === undefined) return -1;
    return this.sc.ports[node]?.some((p) => p.peer === peer) ? peer : -1;
  }

  private setLinkUp(linkId: string, up: boolean): void {
    const i = this.sc.linkIndex.get(linkId) as number;
    const link = this.st.links[i];
    assert(link !== undefined, 'link exists');
    const wasUp = link.up;
    link.up = up;
    // Which of two parallel links a router uses depends on which are up.
    if (wasUp !== up) this.fib.clear();
    if (wasUp && !up) flushLink(this, hooks, i);
    this.syncLinkTables();
  }

  /** Rebuilds `nodeMode` from the routers' state. */
  private syncNodeModes(): void {
    this.st.routers.forEach((r, node) => {
      this.nodeMode[node] = !r ? NODE_HOST : r.handForwarding ? NODE_BY_HAND : NODE_BY_TABLE;
    });
  }

  /** Rebuilds `ifaceKind` and `ifaceDir` from the links' state. */
  private syncIfaces(): void {
    this.st.links.forEach((l, i) => {
      l.dirs.forEach((d, dir) => {
        this.ifaceDir[i * 2 + dir] = d;
        const kind = d.discipline.kind;
        this.ifaceKind[i * 2 + dir] =
          kind === 'fifo' ? IFACE_FIFO : kind === 'red' ? IFACE_RED : IFACE_PRIORITY;
      });
    });
  }

  /** Rebuilds `linkGate` and `linkLossy` from the links' state. */
  private syncLinkTables(): void {
    this.st.links.forEach((l, i) => {
      this.linkGate[i] = l.up ? l.downs : -1;
      this.linkLossy[i] = l.lossModel.kind === 'bernoulli' && l.lossModel.p <= 0 ? 0 : 1;
    });
  }

  private setLinkLoss(linkId: string, loss: number): void {
    const link = this.st.links[this.sc.linkIndex.get(linkId) as number];
    assert(link !== undefined, 'link exists');
    link.lossModel = { kind: 'bernoulli', p: loss };
    this.syncLinkTables();
  }

  /** The whole state as msgpack bytes (SPEC SIM-5). */
  snapshot(): Uint8Array {
    const nowUs = this.st.nowUs;
    return packr.pack({
      ...this.st,
      links: this.st.links.map((l) => linkToPlain(l, nowUs)),
      wire: wireToPlain(this.st.wire, nowUs),
    });
  }

  /** Replaces the state with a snapshot taken from a simulation of the same scenario and seed. */
  restore(bytes: Uint8Array): void {
    const plain = packr.unpack(bytes) as Omit<SimState, 'wire' | 'links'> & {
      wire: PlainWire;
      links: PlainLink[];
    };
    this.st = {
      ...plain,
      links: plain.links.map(linkFromPlain),
      wire: wireFromPlain(plain.wire, plain.nowUs, wheelSpanFor(this.sc)),
    };
    this.fib.clear();
    this.syncLinkTables();
    this.syncNodeModes();
    this.syncIfaces();
    rebuildConnIndex(this);
    rebuildQuicIndex(this);
  }

  /** A short hash of the whole state; equal states give equal hashes (SPEC SIM-4). */
  stateHash(): string {
    return hashBytes(this.snapshot());
  }
}

/** A link in a snapshot: its interfaces' committed packets as plain lists (typed arrays are not msgpack data here). */
type PlainLink = Omit<LinkState, 'dirs'> & {
  dirs: (Omit<LinkDirState, 'pending' | 'newestBytes'> & { pending: PlainPending })[];
};

function linkToPlain(l: LinkState, nowUs: number): PlainLink {
  return {
    ...l,
    dirs: l.dirs.map((d) => {
      // The newest committed packet goes in the list with the others (canonical: one representation).
      const { newestBytes: _inList, ...rest } = d;
      return { ...rest, pending: pendingToPlain(d, nowUs) };
    }),
  };
}

function linkFromPlain(l: PlainLink): LinkState {
  const [a, b] = l.dirs.map((d) => ({ ...d, ...pendingFromPlain(d.pending, d.busyUntilUs) }));
  assert(a !== undefined && b !== undefined, 'a link has two directions');
  return { ...l, dirs: [a, b] };
}

/** Queueing a packet may wait beyond its link's latency and still arrive through the wheel (later ones use the heap). */
const QUEUEING_MARGIN_US = 8_000;
/** Below this many flows a scenario schedules too few events for a large wheel to pay for its memory. */
const BUSY_FLOWS = 1_000;
/** The wheel's span for scenarios below BUSY_FLOWS: 32 ms, 256 KB (a server holds many such rooms). */
const SMALL_WHEEL_US = 1 << 15;

/**
 * The timing wheel's span for a scenario: the longest link plus a margin for
 * queueing, so packet arrivals never touch the heap, and no larger — the wheel
 * costs 8 bytes per µs and is only fast while it stays in cache. Frame deadlines
 * and fixed-interval flow ticks wait in record lanes (recordLanes.ts). A scenario with
 * few flows (a lesson) keeps a small wheel: its few far events are as cheap in the heap.
 */
function wheelSpanFor(sc: Scenario): number {
  let leadUs = 0;
  for (const l of sc.file.links)
    leadUs = Math.max(leadUs, msToUs(l.latencyMs + l.jitterMs) + QUEUEING_MARGIN_US);
  return wheelSpanUs(sc.file.traffic.length < BUSY_FLOWS ? Math.min(leadUs, SMALL_WHEEL_US) : leadUs);
}

function initialState(sc: Scenario, seed: number): SimState {
  const f = sc.file;
  return {
    nowUs: 0,
    nextSeq: 0,
    nextPacketId: 1,
    nextConnId: 1,
    rngLoss: createRng(seed, 1),
    rngJitter: createRng(seed, 2),
    rngDuplicate: createRng(seed, 3),
    rngTraffic: createRng(seed, 4),
    rngQueue: createRng(seed, 5),
    events: [],
    links: f.links.map((l) => ({
      up: l.up,
      downs: 0,
      lossModel: l.lossModel ?? { kind: 'bernoulli', p: l.loss },
      dirs: [emptyDirection(l.queueDiscipline), emptyDirection(l.queueDiscipline)],
    })),
    wire: createWire(wheelSpanFor(sc)),
    routers: f.nodes.map((n, node) =>
      n.kind === 'router'
        ? {
            node,
            routes: n.routes.map((r) => makeRoute(r.prefix, sc.nodeIndex.get(r.via) as number) as Route),
            handForwarding: n.handForwarding,
            handQueue: [],
            dropped: 0,
          }
        : null,
    ),
    forwardedByNode: f.nodes.map(() => 0),
    conns: {},
    quicConns: {},
    hostRebinds: f.nodes.map(() => 0),
    requests: f.traffic.map(() => ({})),
    udpHighestUnit: f.traffic.map(() => -1),
  };
}
