/**
 * The sending side of the TCP-like channel: opening, the send window, ACKs,
 * closing, retransmission on the RFC 6298 timer and fast retransmit (RFC 5681).
 */
import type { SimCore } from '../engine/core.ts';
import { ACK, FIN, type Packet, RST, SYN, type TcpConn } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import { setTcpHeader } from '../engine/wire.ts';
import { onRetransmitTimeout } from './rfc5681.ts';
import { backOff } from './rfc6298.ts';
import {
  armWake,
  closeConn,
  finSeq,
  newConn,
  sample,
  segment,
  segmentLength,
  segmentSlot,
  setState,
  startTimer,
  type TcpApp,
} from './tcpConn.ts';

/** Active open: sends a SYN (SPEC TCP-HS-1). */
export function openClient(
  sim: SimCore,
  app: TcpApp,
  fields: Pick<TcpConn, 'node' | 'flow' | 'unit' | 'localAddr' | 'localPort' | 'peerAddr' | 'peerPort'>,
): TcpConn {
  const c = newConn(sim, { ...fields, role: 'client' });
  setState(sim, c, 'SYN-SENT');
  sendSyn(sim, app, c, true);
  return c;
}

export function sendSyn(sim: SimCore, app: TcpApp, c: TcpConn, first: boolean): void {
  app.transmit(sim, c.node, segment(sim, c, SYN, 0, 0));
  c.sndNxt = 1;
  c.sndMax = Math.max(c.sndMax, 1);
  if (first) startRttProbe(sim, c, 1);
  startTimer(sim, c);
}

export function sendAck(sim: SimCore, app: TcpApp, c: TcpConn): void {
  c.delAckGen++;
  app.transmit(sim, c.node, segment(sim, c, 0, c.sndNxt, 0));
}

/** The delayed-ACK timer fired with segments still unacknowledged (SPEC TCP-ACK-2). */
export function onDelayedAck(sim: SimCore, app: TcpApp, connId: number, gen: number): void {
  const c = sim.st.conns[connId];
  if (c && c.delAckGen === gen && c.ackPending > 0) sendAck(sim, app, c);
}

/** Data arrived in order: ACK now, or (delayed ACK) every second full segment or when the timer fires. */
export function acknowledgeData(
  sim: SimCore,
  app: TcpApp,
  c: TcpConn,
  inOrder: boolean,
  immediate: boolean,
): void {
  const { delayedAck, delayedAckMs } = sim.sc.file.tcp;
  if (inOrder && c.ackSent === c.rcvNxt) return; // Data or a FIN we just sent carried the ACK.
  if (!delayedAck || immediate || ++c.ackPending >= 2) return sendAck(sim, app, c);
  if (c.ackPending === 1)
    sim.schedule({ t: sim.st.nowUs + msToUs(delayedAckMs), k: 'delAck', conn: c.id, gen: c.delAckGen });
}

/**
 * Sends what the window allows (SPEC TCP-WIN-1): whole segments from sndNxt while
 * they fit in min(cwnd, the peer's receive window), then the FIN once the
 * application closed and all data is out.
 */
export function trySend(sim: SimCore, app: TcpApp, c: TcpConn): void {
  const { mssBytes } = sim.sc.file.tcp;
  const canSendData = c.state === 'ESTABLISHED' || c.state === 'CLOSE-WAIT';
  const canResend = c.state === 'FIN-WAIT-1' || c.state === 'CLOSING' || c.state === 'LAST-ACK';
  if (!canSendData && !canResend) return;
  const dataEnd = finSeq(c);
  const windowEnd = c.sndUna + Math.floor(Math.min(c.cc.cwndBytes, c.sndWndBytes));
  while (c.sndNxt < dataEnd) {
    const len = segmentLength(c, mssBytes, c.sndNxt);
    if (c.sndNxt + len > windowEnd) break;
    const isNew = c.sndNxt >= c.sndMax;
    app.transmit(sim, c.node, segment(sim, c, 0, c.sndNxt, len));
    if (isNew && c.rttProbeSeq < 0) startRttProbe(sim, c, c.sndNxt + len);
    c.sndNxt += len;
  }
  if (c.finQueued && c.sndNxt === dataEnd) {
    app.transmit(sim, c.node, segment(sim, c, FIN, dataEnd, 0));
    c.sndNxt = dataEnd + 1;
    if (c.state === 'ESTABLISHED') setState(sim, c, 'FIN-WAIT-1');
    else if (c.state === 'CLOSE-WAIT') setState(sim, c, 'LAST-ACK');
  }
  c.sndMax = Math.max(c.sndMax, c.sndNxt);
  if (c.timerAtUs < 0 && c.sndUna < c.sndMax) startTimer(sim, c);
}

/** Times the segment sent now for an RTT sample, taken when an ACK passes `ackPastSeq` (SPEC TCP-RTO-2; Karn, TCP-RTO-5). */
function startRttProbe(sim: SimCore, c: TcpConn, ackPastSeq: number): void {
  c.rttProbeSeq = ackPastSeq;
  c.rttProbeSentUs = sim.st.nowUs;
}

/** Application close: a FIN follows the queued data (SPEC TCP-FIN-1). */
export function closeByApp(sim: SimCore, app: TcpApp, c: TcpConn): void {
  c.finQueued = true;
  trySend(sim, app, c);
}

/** RFC 6298 timer expiry: back off, retransmit from the oldest unacknowledged byte (SPEC TCP-RTO-4, TCP-RTO-5). */
export function onTcpTimer(sim: SimCore, app: TcpApp, connId: number, gen: number, seq: number): void {
  const c = sim.st.conns[connId];
  if (!c || c.timerGen !== gen) return;
  c.wakeAtUs = -1;
  if (c.timerAtUs < 0) return;
  // Woken before the timer's own place in event order (it was restarted since): wake again there.
  if (sim.st.nowUs < c.timerAtUs || seq !== c.timerSeq) return armWake(sim, c);
  c.timerAtUs = -1;
  c.retries++;
  if (c.retries > sim.sc.file.tcp.maxRetries) {
    app.aborted(sim, c, '');
    closeConn(sim, c);
    return;
  }
  backOff(c.rto);
  // RFC 5681 3.1: ssthresh from the flight on the first timeout; held when the same segment times out again.
  const ssthresh = c.cc.ssthreshBytes;
  onRetransmitTimeout(c.cc, c.sndMax - c.sndUna, sim.sc.file.tcp.mssBytes);
  if (c.retries > 1) c.cc.ssthreshBytes = ssthresh;
  noteRetransmission(sim, c, c.sndUna);
  c.sndNxt = c.sndUna;
  if (c.state === 'SYN-SENT' || c.state === 'SYN-RECEIVED') {
    c.synTimedOut = true;
    sendSyn(sim, app, c, false);
  } else trySend(sim, app, c);
  if (c.timerAtUs < 0 && c.sndUna < c.sndMax) startTimer(sim, c);
  sample(sim, c, 'timeout');
}

/** Counts and reports a retransmission from `seq`; Karn's rule: nothing sent before it gives an RTT sample. */
function noteRetransmission(sim: SimCore, c: TcpConn, seq: number): void {
  c.rttProbeSeq = -1;
  c.retransmissions++;
  sim.emit({
    k: 'retransmit',
    tUs: sim.st.nowUs,
    channel: 'tcp',
    flow: c.flow,
    unit: c.unit,
    conn: c.id,
    seq,
  });
}

/** 2·MSL has passed in TIME-WAIT (SPEC TCP-STATE-3). */
/** A TIME-WAIT is over — unless a repeated FIN restarted it since (then a later one ends it). */
export function onTimeWait(sim: SimCore, connId: number): void {
  const c = sim.st.conns[connId];
  if (c && c.state === 'TIME-WAIT' && sim.st.nowUs >= c.timeWaitEndUs) closeConn(sim, c);
}

/** Third duplicate ACK: resend the first unacknowledged segment without waiting for the timer (SPEC TCP-CC-4). */
export function fastRetransmit(sim: SimCore, app: TcpApp, c: TcpConn): void {
  const seq = c.sndUna;
  const isFin = c.finQueued && seq === finSeq(c);
  app.transmit(
    sim,
    c.node,
    segment(sim, c, isFin ? FIN : 0, seq, isFin ? 0 : segmentLength(c, sim.sc.file.tcp.mssBytes, seq)),
  );
  noteRetransmission(sim, c, seq);
  startTimer(sim, c);
  sample(sim, c, 'fast-retransmit');
}

/**
 * A segment for no connection is answered with a reset (RFC 9293 3.10.7.1, SPEC TCP-RST-1):
 * seq = its ACK number if it had one, else 0 with an ACK of everything it occupied.
 */
export function sendReset(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  const occupied = p.len + (p.flags & SYN ? 1 : 0) + (p.flags & FIN ? 1 : 0);
  const hasAck = (p.flags & ACK) !== 0;
  const slot = segmentSlot(sim, p.srcAddr, 0, p.flow, p.unit);
  const flags = hasAck ? RST : RST | ACK;
  setTcpHeader(
    sim.st.wire,
    slot,
    p.dstAddr,
    p.dstPort,
    p.srcPort,
    flags,
    hasAck ? p.ack : 0,
    hasAck ? 0 : p.seq + occupied,
    0,
  );
  app.transmit(sim, node, slot);
}
