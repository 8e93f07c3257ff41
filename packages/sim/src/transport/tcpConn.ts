/**
 * The TCP-like connection record and what every part of the state machine
 * shares: creation and demultiplexing, state changes, timers, segment building.
 */
import { assert, type SimCore } from '../engine/core.ts';
import { LANE_TIME_WAIT, R_CONN } from '../engine/recordLanes.ts';
import type { LossReason, TcpSampleEvent } from '../engine/records.ts';
import { ACK, type EndpointFields, HEADER_BYTES, type TcpConn, type TcpStateName } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import { newPacketSlot, setTcpHeader } from '../engine/wire.ts';
import { initialCc } from './rfc5681.ts';
import { initialRto } from './rfc6298.ts';

/** The well-known port servers listen on. */
export const SERVER_PORT = 80;

/** Most out-of-order segments a receiver holds (SPEC TCP-DATA-3). */
export const OOO_MAX = 256;

/** Application callbacks: what the request/response layer does as a connection progresses. */
export interface TcpApp {
  /** The connection reached ESTABLISHED. */
  established(sim: SimCore, c: TcpConn): void;
  /** New bytes were delivered in order; `c.deliveredBytes` is the total. */
  delivered(sim: SimCore, c: TcpConn): void;
  /** The peer's FIN arrived (the peer will send no more). */
  peerClosed(sim: SimCore, c: TcpConn): void;
  /** The connection ended abnormally: a reset from the peer ('connection-reset'), or too many retransmissions (''). */
  aborted(sim: SimCore, c: TcpConn, reason: LossReason | ''): void;
  /** Sends the segment in `slot` (see `segment`) from host `node` into the network. */
  transmit(sim: SimCore, node: number, slot: number): void;
}

/** Rebuilds the demultiplexing index from state (after restore). */
export function rebuildConnIndex(sim: SimCore): void {
  sim.tcpIndex.clear();
  for (const c of Object.values(sim.st.conns)) sim.tcpIndex.set(c);
}

export function newConn(sim: SimCore, fields: EndpointFields): TcpConn {
  // Every field written out (no spread): one object of one shape, built in one step.
  const c: TcpConn = {
    node: fields.node,
    role: fields.role,
    flow: fields.flow,
    unit: fields.unit,
    localAddr: fields.localAddr,
    localPort: fields.localPort,
    peerAddr: fields.peerAddr,
    peerPort: fields.peerPort,
    id: sim.st.nextConnId++,
    state: 'CLOSED',
    sndUna: 0,
    sndNxt: 0,
    sndMax: 0,
    sendBytes: 0,
    finQueued: false,
    rcvNxt: -1,
    ooo: [],
    deliveredBytes: 0,
    rto: initialRto(),
    cc: initialCc(sim.sc.file.tcp.mssBytes, sim.sc.file.tcp.initialWindow, sim.sc.file.tcp.rwndBytes),
    sndWndBytes: sim.sc.file.tcp.rwndBytes,
    ackSent: 0,
    ackPending: 0,
    delAckGen: 0,
    timerGen: 0,
    timerAtUs: -1,
    timerSeq: -1,
    wakeAtUs: -1,
    timeWaitEndUs: -1,
    rttProbeSeq: -1,
    rttProbeSentUs: 0,
    retries: 0,
    retransmissions: 0,
    synTimedOut: false,
    appSent: 0,
  };
  sim.st.conns[c.id] = c;
  sim.tcpIndex.set(c);
  // A server host counts its open connections: each holds memory (SPEC DC-4).
  const s = c.role === 'server' ? sim.st.servers[c.node] : undefined;
  if (s) s.peakConns = Math.max(s.peakConns, ++s.openConns);
  return c;
}

export function setState(sim: SimCore, c: TcpConn, to: TcpStateName): void {
  if (sim.listeners.length > 0)
    sim.emit({ k: 'tcpState', tUs: sim.st.nowUs, conn: c.id, role: c.role, from: c.state, to });
  c.state = to;
  sample(sim, c, 'state');
}

/** Reports the connection's congestion-control figures when tracing is on (SPEC TCP-TRACE-1). */
export function sample(sim: SimCore, c: TcpConn, event: TcpSampleEvent): void {
  if (!sim.traceCongestion) return;
  sim.emit({
    k: 'tcpSample',
    tUs: sim.st.nowUs,
    conn: c.id,
    role: c.role,
    flow: c.flow,
    unit: c.unit,
    event,
    state: c.state,
    cwndBytes: c.cc.cwndBytes,
    ssthreshBytes: c.cc.ssthreshBytes,
    flightBytes: c.sndMax - c.sndUna,
    srttUs: c.rto.srttUs,
    rttvarUs: c.rto.rttvarUs,
    rtoUs: c.rto.rtoUs,
    retransmissions: c.retransmissions,
  });
}

/**
 * Whether a connection is still in the state. `closeConn` marks it CLOSED as it removes
 * it (and no connection in the table is CLOSED), so code holding a connection across a
 * call that may close it asks this instead of looking it up.
 */
export function isOpen(c: TcpConn): boolean {
  return c.state !== 'CLOSED';
}

/** Removes a connection from the state (it reached CLOSED or was aborted). */
export function closeConn(sim: SimCore, c: TcpConn): void {
  if (c.state !== 'CLOSED') setState(sim, c, 'CLOSED');
  if (c.role === 'server' && sim.st.conns[c.id] === c) {
    const s = sim.st.servers[c.node];
    const role = s ? undefined : sim.st.roles[c.node];
    if (s) s.openConns--;
    // A role terminating clients' connections (an L7 balancer) forgets this one (SPEC LB-L7-11).
    else if (role && c.app === undefined) sim.sc.roles.of(role).tcpApp?.ended(sim, role, c);
  }
  delete sim.st.conns[c.id];
  sim.tcpIndex.delete(c);
}

/**
 * The host's address binding changed (NAT rebinding, SPEC QUIC-10): a client
 * connection sends from `localPort` from now on. The peer still knows the old
 * 4-tuple, so it will answer the next segment with a reset.
 */
export function rebindConn(sim: SimCore, c: TcpConn, localPort: number): void {
  sim.tcpIndex.delete(c);
  c.localPort = localPort;
  sim.tcpIndex.set(c);
}

export function finSeq(c: TcpConn): number {
  // Relative sequence space: SYN at 0, data 1 … sendBytes, FIN right after the data.
  return 1 + c.sendBytes;
}

/**
 * (Re)starts the retransmission timer (SPEC TCP-RTO-6). The timer is re-armed on
 * nearly every ACK, so it does not get an event each time: its expiry keeps the
 * sequence number it would have had (taken now), and one wake-up event at or
 * before the deadline is enough — when it fires early, it schedules the next at
 * the deadline with that number. Expiries run exactly where a fresh event per
 * restart would have put them in (t, s) order.
 */
export function startTimer(sim: SimCore, c: TcpConn): void {
  // RFC 6298 arithmetic stays exact (SRTT and RTO may be fractional); the timer fires on the next whole µs (SPEC SIM-1).
  c.timerAtUs = sim.st.nowUs + Math.ceil(c.rto.rtoUs);
  c.timerSeq = sim.st.nextSeq++;
  if (c.wakeAtUs >= 0 && c.wakeAtUs <= c.timerAtUs) return;
  armWake(sim, c);
}

/** Schedules the timer's wake-up at its deadline, in the place its expiry has in event order. */
export function armWake(sim: SimCore, c: TcpConn): void {
  c.timerGen++;
  c.wakeAtUs = c.timerAtUs;
  sim.scheduleWithSeq({ t: c.timerAtUs, k: 'tcpTimer', conn: c.id, gen: c.timerGen }, c.timerSeq);
}

/** Stops the timer; a pending wake-up finds it stopped and does nothing. */
export function stopTimer(c: TcpConn): void {
  c.timerAtUs = -1;
}

/** A segment of connection `c`, in a new slot (SIM-7: it keeps no object): ready to send. */
export function segment(sim: SimCore, c: TcpConn, flags: number, seq: number, len: number): number {
  const mss = sim.sc.file.tcp.mssBytes;
  assert(len <= mss, 'segments fit the MSS');
  if (c.rcvNxt >= 0) {
    c.ackSent = c.rcvNxt;
    c.ackPending = 0;
  }
  const slot = segmentSlot(sim, c.peerAddr, len, c.flow, c.unit);
  const withAck = c.rcvNxt >= 0 ? flags | ACK : flags;
  setTcpHeader(
    sim.st.wire,
    slot,
    c.localAddr,
    c.localPort,
    c.peerPort,
    withAck,
    seq,
    Math.max(c.rcvNxt, 0),
    advertisedWindow(sim),
  );
  return slot;
}

/** A new slot for a TCP segment of `len` payload bytes, sent now; its header is the caller's to set. */
export function segmentSlot(sim: SimCore, dstAddr: number, len: number, flow: number, unit: number): number {
  return newPacketSlot(
    sim.st.wire,
    sim.st.nextPacketId++,
    'tcp',
    dstAddr,
    sim.sc.file.initialTtl,
    len + HEADER_BYTES.tcp,
    len,
    flow,
    unit,
    -1,
    0,
    sim.st.nowUs,
  );
}

/**
 * Receive window (SPEC TCP-WIN-1): the application reads in-order data at once, so
 * the whole buffer is free from rcvNxt on; out-of-order data sits inside that
 * window, and the right edge never moves left (RFC 9293 3.8.6).
 */
export function advertisedWindow(sim: SimCore): number {
  return sim.sc.file.tcp.rwndBytes;
}

/** Segment boundaries are fixed multiples of the MSS from byte 1, so retransmissions match the originals. */
export function segmentLength(c: TcpConn, mssBytes: number, seq: number): number {
  return Math.min(mssBytes - ((seq - 1) % mssBytes), finSeq(c) - seq);
}

export function enterTimeWait(sim: SimCore, c: TcpConn): void {
  setState(sim, c, 'TIME-WAIT');
  stopTimer(c);
  const waitUs = 2 * msToUs(sim.sc.file.tcp.mslMs);
  c.timeWaitEndUs = sim.st.nowUs + waitUs;
  const records = sim.st.wire.records;
  const lane = records.laneFor(LANE_TIME_WAIT, waitUs);
  const at = records.recordAt(lane, sim.scheduleRecord(lane, waitUs));
  records.ints(lane)[at + R_CONN] = c.id;
}
