import { onStubTimer } from '../application/dns/stub.ts';
import { lookupDone } from '../application/pageLoadStart.ts';
import { quicApp } from '../application/quicApp.ts';
import { serverDone, tcpApp } from '../application/tcpApp.ts';
import {
  hooks,
  onFlowTick,
  onFrameRecord,
  onRequestTimeout,
  onTickRecord,
  scheduleFlows,
} from '../application/traffic.ts';
import type { CommandError, NewEvent } from '../engine/core.ts';
import { assert } from '../engine/core.ts';
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
import type { LinkDirState, SimEvent, SimState } from '../engine/state.ts';
import { sToUs } from '../engine/units.ts';
import {
  F_S,
  F_T,
  I_ARRIVING,
  I_FLOW,
  I_KIND,
  I_UNIT,
  ISTRIDE,
  KIND_PACKET,
  STRIDE,
  wheelPeekSeq,
  wheelPeekTimeUs,
  wheelPop,
  wheelPush,
} from '../engine/wire.ts';
import { Fib } from '../network/fib.ts';
import { dropSlot, type NetworkHooks, onArrive, onTxDone, onWireLoss } from '../network/network.ts';
import type { RoleState } from '../roles/registry.ts';
import type { RoleHost } from '../roles/role.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { onQuicTimer } from '../transport/quic.ts';
import { rebuildQuicIndex } from '../transport/quicConn.ts';
import { rebuildConnIndex } from '../transport/tcpConn.ts';
import { TcpDemux } from '../transport/tcpDemux.ts';
import { onDelayedAck, onTcpTimer, onTimeWait } from '../transport/tcpSend.ts';
import { applyCommand, runBotTimer, runScript } from './applyCommand.ts';
import type { SimCommand } from './commands.ts';
import { syncIfaces, syncLinkTables, syncNodeModes } from './derived.ts';
import { initialState, wheelSpanFor } from './initialState.ts';
import { snapshotBytes, stateFromBytes } from './snapshot.ts';

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
export class Simulation implements RoleHost {
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
  readonly hooks: NetworkHooks = hooks;

  constructor(scenario: Scenario, seed: number) {
    this.sc = scenario;
    this.seed = seed >>> 0;
    this.st = initialState(scenario, this.seed);
    this.heap = new EventHeap(this.st.events);
    this.linkGate = new Int32Array(scenario.file.links.length);
    this.linkLossy = new Uint8Array(scenario.file.links.length);
    syncLinkTables(this, this.st);
    this.nodeMode = new Int8Array(scenario.file.nodes.length);
    syncNodeModes(this, this.st, scenario);
    this.ifaceKind = new Int8Array(scenario.file.links.length * 2);
    syncIfaces(this, this.st);
    this.fib = new Fib(
      scenario.file.nodes.map((n) => n.kind !== 'host' && scenario.roles.role(n.kind)?.forwards === true),
      scenario.hostAddr,
    );
    scheduleFlows(this);
    scenario.file.events.forEach((e, index) => {
      this.schedule({ t: sToUs(e.atS), k: 'script', index });
    });
    for (const state of this.st.roles) if (state) scenario.roles.of(state).start?.(this, hooks, state);
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
      case 'roleTimer': {
        const state = this.st.roles[ev.node] as RoleState;
        if (ev.arg >= 0) return this.sc.roles.of(state).onTimer(this, hooks, state, ev.arg);
        return runBotTimer(this, state, ev.arg);
      }
      case 'tcpTimer':
        return onTcpTimer(this, tcpApp, ev.conn, ev.gen, ev.s);
      case 'delAck':
        return onDelayedAck(this, tcpApp, ev.conn, ev.gen);
      case 'quicTimer':
        return onQuicTimer(this, quicApp, ev.conn, ev.gen);
      case 'dnsTimer': {
        const done = onStubTimer(this, ev.node, ev.query);
        if (done) lookupDone(this, done);
        return;
      }
      case 'script':
        return this.runScript(ev.index);
      case 'serverDone':
        return serverDone(this, ev.node, ev.conn);
    }
  }

  private runScript(index: number): void {
    runScript(this, index);
  }

  /** Applies one command now; returns why it was refused, or null (SPEC CMD-1). */
  apply(cmd: SimCommand): CommandError {
    return applyCommand(this, cmd);
  }

  neighbour(node: number, id: string): number {
    const peer = this.sc.nodeIndex.get(id);
    if (peer === undefined) return -1;
    return this.sc.ports[node]?.some((p) => p.peer === peer) ? peer : -1;
  }

  nodeModesChanged(): void {
    syncNodeModes(this, this.st, this.sc);
  }

  interfacesChanged(): void {
    syncIfaces(this, this.st);
  }

  roleArrive(hooks: NetworkHooks, node: number, slot: number, link: number): void {
    const state = this.st.roles[node];
    // A host of a dark data centre (SPEC DC-3): nothing there answers.
    if (!state) return dropSlot(this, hooks, slot, 'host-down', node, -1);
    this.sc.roles.of(state).arrive(this, hooks, state, slot, link);
  }

  /** The whole state as msgpack bytes (SPEC SIM-5). */
  snapshot(): Uint8Array {
    return snapshotBytes(this.st);
  }

  /** Replaces the state with a snapshot taken from a simulation of the same scenario and seed. */
  restore(bytes: Uint8Array): void {
    this.st = stateFromBytes(bytes, wheelSpanFor(this.sc));
    this.fib.clear();
    syncLinkTables(this, this.st);
    syncNodeModes(this, this.st, this.sc);
    syncIfaces(this, this.st);
    rebuildConnIndex(this);
    rebuildQuicIndex(this);
  }

  /** A short hash of the whole state; equal states give equal hashes (SPEC SIM-4). */
  stateHash(): string {
    return hashBytes(this.snapshot());
  }

  /** The state hash of a snapshot this simulation took (the same as `stateHash()` then): one snapshot, two uses. */
  static hashOf(snapshot: Uint8Array): string {
    return hashBytes(snapshot);
  }
}
