import { assert, type SimCore } from './core.ts';
import type { LossReason, TcpSampleEvent } from './records.ts';
import { initialCc, onDupAck, onNewAck, onRetransmitTimeout } from './rfc5681.ts';
import { backOff, initialRto, takeRttSample } from './rfc6298.ts';
import { ACK, FIN, HEADER_BYTES, type Packet, RST, SYN, type TcpConn, type TcpStateName } from './state.ts';
import { msToUs } from './units.ts';

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
  /** Sends a packet from host `node` into the network. */
  transmit(sim: SimCore, node: number, p: Packet): void;
}

function connKey(node: number, localPort: number, peerAddr: number, peerPort: number): string {
  return `${node}:${localPort}:${peerAddr}:${peerPort}`;
}

/** Rebuilds the demultiplexing index from state (after restore). */
export function rebuildConnIndex(sim: SimCore): void {
  sim.connIndex.clear();
  for (const c of Object.values(sim.st.conns))
    sim.connIndex.set(connKey(c.node, c.localPort, c.peerAddr, c.peerPort), c.id);
}

function newConn(
  sim: SimCore,
  fields: Pick<
    TcpConn,
    'node' | 'role' | 'flow' | 'unit' | 'localAddr' | 'localPort' | 'peerAddr' | 'peerPort'
  >,
): TcpConn {
  const c: TcpConn = {
    ...fields,
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
    rttProbe: null,
    retries: 0,
    retransmissions: 0,
    appSent: 0,
  };
  sim.st.conns[c.id] = c;
  sim.connIndex.set(connKey(c.node, c.localPort, c.peerAddr, c.peerPort), c.id);
  return c;
}

function setState(sim: SimCore, c: TcpConn, to: TcpStateName): void {
  sim.emit({ k: 'tcpState', tUs: sim.st.nowUs, conn: c.id, role: c.role, from: c.state, to });
  c.state = to;
  sample(sim, c, 'state');
}

/** Reports the connection's congestion-control figures when tracing is on (SPEC TCP-TRACE-1). */
function sample(sim: SimCore, c: TcpConn, event: TcpSampleEvent): void {
  if (!sim.traceTcp) return;
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

/** Removes a connection from the state (it reached CLOSED or was aborted). */
export function closeConn(sim: SimCore, c: TcpConn): void {
  if (c.state !== 'CLOSED') setState(sim, c, 'CLOSED');
  delete sim.st.conns[c.id];
  sim.connIndex.delete(connKey(c.node, c.localPort, c.peerAddr, c.peerPort));
}

/**
 * The host's address binding changed (NAT rebinding, SPEC QUIC-10): a client
 * connection sends from `localPort` from now on. The peer still knows the old
 * 4-tuple, so it will answer the next segment with a reset.
 */
export function rebindConn(sim: SimCore, c: TcpConn, localPort: number): void {
  sim.connIndex.delete(connKey(c.node, c.localPort, c.peerAddr, c.peerPort));
  c.localPort = localPort;
  sim.connIndex.set(connKey(c.node, c.localPort, c.peerAddr, c.peerPort), c.id);
}

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

function finSeq(c: TcpConn): number {
  // Relative sequence space: SYN at 0, data 1 … sendBytes, FIN right after the data.
  return 1 + c.sendBytes;
}

function startTimer(sim: SimCore, c: TcpConn): void {
  c.timerGen++;
  c.timerAtUs = sim.st.nowUs + c.rto.rtoUs;
  sim.schedule({ t: c.timerAtUs, k: 'tcpTimer', conn: c.id, gen: c.timerGen });
}

function stopTimer(c: TcpConn): void {
  c.timerGen++;
  c.timerAtUs = -1;
}

function segment(sim: SimCore, c: TcpConn, flags: number, seq: number, len: number): Packet {
  const mss = sim.sc.file.tcp.mssBytes;
  assert(len <= mss, 'segments fit the MSS');
  if (c.rcvNxt >= 0) {
    c.ackSent = c.rcvNxt;
    c.ackPending = 0;
  }
  return {
    id: sim.st.nextPacketId++,
    channel: 'tcp',
    srcAddr: c.localAddr,
    dstAddr: c.peerAddr,
    srcPort: c.localPort,
    dstPort: c.peerPort,
    flags: c.rcvNxt >= 0 ? flags | ACK : flags,
    seq,
    ack: Math.max(c.rcvNxt, 0),
    wnd: advertisedWindow(sim),
    len,
    sizeBytes: len + HEADER_BYTES.tcp,
    ttl: sim.sc.file.initialTtl,
    flow: c.flow,
    unit: c.unit,
    createdUs: sim.st.nowUs,
    path: [],
  };
}

/**
 * Receive window (SPEC TCP-WIN-1): the application reads in-order data at once, so
 * the whole buffer is free from rcvNxt on; out-of-order data sits inside that
 * window, and the right edge never moves left (RFC 9293 3.8.6).
 */
function advertisedWindow(sim: SimCore): number {
  return sim.sc.file.tcp.rwndBytes;
}

function sendSyn(sim: SimCore, app: TcpApp, c: TcpConn, first: boolean): void {
  app.transmit(sim, c.node, segment(sim, c, SYN, 0, 0));
  c.sndNxt = 1;
  c.sndMax = Math.max(c.sndMax, 1);
  if (first) c.rttProbe = [1, sim.st.nowUs];
  startTimer(sim, c);
}

function sendAck(sim: SimCore, app: TcpApp, c: TcpConn): void {
  c.delAckGen++;
  app.transmit(sim, c.node, segment(sim, c, 0, c.sndNxt, 0));
}

/** The delayed-ACK timer fired with segments still unacknowledged (SPEC TCP-ACK-2). */
export function onDelayedAck(sim: SimCore, app: TcpApp, connId: number, gen: number): void {
  const c = sim.st.conns[connId];
  if (c && c.delAckGen === gen && c.ackPending > 0) sendAck(sim, app, c);
}

/** Data arrived in order: ACK now, or (delayed ACK) every second full segment or when the timer fires. */
function acknowledgeData(sim: SimCore, app: TcpApp, c: TcpConn, inOrder: boolean, immediate: boolean): void {
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
    if (isNew && c.rttProbe === null) c.rttProbe = [c.sndNxt + len, sim.st.nowUs];
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

/** Segment boundaries are fixed multiples of the MSS from byte 1, so retransmissions match the originals. */
function segmentLength(c: TcpConn, mssBytes: number, seq: number): number {
  return Math.min(mssBytes - ((seq - 1) % mssBytes), finSeq(c) - seq);
}

/** Application close: a FIN follows the queued data (SPEC TCP-FIN-1). */
export function closeByApp(sim: SimCore, app: TcpApp, c: TcpConn): void {
  c.finQueued = true;
  trySend(sim, app, c);
}

/** RFC 6298 timer expiry: back off, retransmit from the oldest unacknowledged byte (SPEC TCP-RTO-4, TCP-RTO-5). */
export function onTcpTimer(sim: SimCore, app: TcpApp, connId: number, gen: number): void {
  const c = sim.st.conns[connId];
  if (!c || c.timerGen !== gen) return;
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
  c.rttProbe = null; // Karn: no sample from anything sent before this retransmission.
  c.retransmissions++;
  sim.emit({
    k: 'retransmit',
    tUs: sim.st.nowUs,
    channel: 'tcp',
    flow: c.flow,
    unit: c.unit,
    conn: c.id,
    seq: c.sndUna,
  });
  c.sndNxt = c.sndUna;
  if (c.state === 'SYN-SENT' || c.state === 'SYN-RECEIVED') sendSyn(sim, app, c, false);
  else trySend(sim, app, c);
  if (c.timerAtUs < 0 && c.sndUna < c.sndMax) startTimer(sim, c);
  sample(sim, c, 'timeout');
}

/** 2·MSL has passed in TIME-WAIT (SPEC TCP-STATE-3). */
export function onTimeWait(sim: SimCore, connId: number): void {
  const c = sim.st.conns[connId];
  if (c && c.state === 'TIME-WAIT') closeConn(sim, c);
}

function enterTimeWait(sim: SimCore, c: TcpConn): void {
  setState(sim, c, 'TIME-WAIT');
  stopTimer(c);
  sim.schedule({ t: sim.st.nowUs + 2 * msToUs(sim.sc.file.tcp.mslMs), k: 'timeWait', conn: c.id });
}

/** A TCP segment reached host `node`; demultiplex it and run the state machine. */
export function tcpReceive(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  const id = sim.connIndex.get(connKey(node, p.dstPort, p.srcAddr, p.srcPort));
  const c = id === undefined ? undefined : sim.st.conns[id];
  if (!c) {
    if (p.flags & SYN && !(p.flags & ACK) && p.dstPort === SERVER_PORT) passiveOpen(sim, app, node, p);
    else if (!(p.flags & RST)) sendReset(sim, app, node, p);
    return;
  }
  if (p.flags & RST) {
    app.aborted(sim, c, 'connection-reset');
    closeConn(sim, c);
    return;
  }
  if (c.state === 'SYN-SENT') return onSynSent(sim, app, c, p);
  if (c.state === 'TIME-WAIT') {
    if (p.flags & FIN) {
      sendAck(sim, app, c); // Our last ACK was lost: the peer retransmitted its FIN.
      enterTimeWait(sim, c);
    }
    return;
  }
  if (c.state === 'SYN-RECEIVED') {
    if (p.flags & SYN) return sendSyn(sim, app, c, false); // A repeated SYN: our SYN-ACK was lost.
    if (!(p.flags & ACK) || p.ack < 1) return;
    setState(sim, c, 'ESTABLISHED');
    app.established(sim, c);
  }
  if (p.flags & SYN) return sendAck(sim, app, c); // Duplicate SYN-ACK: our handshake ACK was lost.
  if (p.flags & ACK) onAck(sim, app, c, p);
  if (sim.st.conns[c.id] && (p.len > 0 || p.flags & FIN)) onData(sim, app, c, p);
}

/**
 * A segment for no connection is answered with a reset (RFC 9293 3.10.7.1, SPEC TCP-RST-1):
 * seq = its ACK number if it had one, else 0 with an ACK of everything it occupied.
 */
function sendReset(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  const occupied = p.len + (p.flags & SYN ? 1 : 0) + (p.flags & FIN ? 1 : 0);
  const hasAck = (p.flags & ACK) !== 0;
  app.transmit(sim, node, {
    id: sim.st.nextPacketId++,
    channel: 'tcp',
    srcAddr: p.dstAddr,
    dstAddr: p.srcAddr,
    srcPort: p.dstPort,
    dstPort: p.srcPort,
    flags: hasAck ? RST : RST | ACK,
    seq: hasAck ? p.ack : 0,
    ack: hasAck ? 0 : p.seq + occupied,
    wnd: 0,
    len: 0,
    sizeBytes: HEADER_BYTES.tcp,
    ttl: sim.sc.file.initialTtl,
    flow: p.flow,
    unit: p.unit,
    createdUs: sim.st.nowUs,
    path: [],
  });
}

function passiveOpen(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  const c = newConn(sim, {
    node,
    role: 'server',
    flow: p.flow,
    unit: p.unit,
    localAddr: p.dstAddr,
    localPort: p.dstPort,
    peerAddr: p.srcAddr,
    peerPort: p.srcPort,
  });
  setState(sim, c, 'LISTEN');
  c.rcvNxt = p.seq + 1;
  setState(sim, c, 'SYN-RECEIVED');
  sendSyn(sim, app, c, true);
}

function onSynSent(sim: SimCore, app: TcpApp, c: TcpConn, p: Packet): void {
  if (!(p.flags & SYN && p.flags & ACK && p.ack === 1)) return;
  c.rcvNxt = p.seq + 1;
  onAck(sim, app, c, p);
  setState(sim, c, 'ESTABLISHED');
  sendAck(sim, app, c);
  app.established(sim, c);
  trySend(sim, app, c);
}

function isDuplicateAck(c: TcpConn, p: Packet): boolean {
  // RFC 5681 section 2: data outstanding, no payload, no SYN/FIN, same ACK number, same window.
  return (
    c.sndMax > c.sndUna &&
    p.len === 0 &&
    !(p.flags & (SYN | FIN)) &&
    p.ack === c.sndUna &&
    p.wnd === c.sndWndBytes
  );
}

/** Cumulative ACK processing with congestion control (SPEC TCP-DATA-2, TCP-CC-2..4). */
function onAck(sim: SimCore, app: TcpApp, c: TcpConn, p: Packet): void {
  const mss = sim.sc.file.tcp.mssBytes;
  if (isDuplicateAck(c, p)) {
    if (onDupAck(c.cc, c.sndMax - c.sndUna, mss)) fastRetransmit(sim, app, c);
    else if (c.cc.inFastRecovery) trySend(sim, app, c);
    sample(sim, c, 'dupack');
    return;
  }
  const ack = p.ack;
  if (ack < c.sndUna || ack > c.sndMax) return;
  c.sndWndBytes = p.wnd;
  if (ack === c.sndUna) return trySend(sim, app, c); // A window update.
  if (c.rttProbe && ack >= c.rttProbe[0]) {
    takeRttSample(c.rto, sim.st.nowUs - c.rttProbe[1]);
    c.rttProbe = null;
  }
  // The ACK of our SYN opens the connection; congestion control counts data only.
  if (c.sndUna > 0) onNewAck(c.cc, ack - c.sndUna, mss);
  c.sndUna = ack;
  c.retries = 0;
  if (c.sndNxt < c.sndUna) c.sndNxt = c.sndUna;
  if (c.sndUna === c.sndMax) stopTimer(c);
  else startTimer(sim, c); // RFC 6298 5.3: restart on an ACK of new data.
  const finAcked = c.finQueued && c.sndUna === finSeq(c) + 1;
  if (finAcked && c.state === 'FIN-WAIT-1') setState(sim, c, 'FIN-WAIT-2');
  else if (finAcked && c.state === 'CLOSING') enterTimeWait(sim, c);
  else if (finAcked && c.state === 'LAST-ACK') return closeConn(sim, c);
  trySend(sim, app, c);
  sample(sim, c, 'ack');
}

/** Third duplicate ACK: resend the first unacknowledged segment without waiting for the timer (SPEC TCP-CC-4). */
function fastRetransmit(sim: SimCore, app: TcpApp, c: TcpConn): void {
  const seq = c.sndUna;
  const isFin = c.finQueued && seq === finSeq(c);
  app.transmit(
    sim,
    c.node,
    segment(sim, c, isFin ? FIN : 0, seq, isFin ? 0 : segmentLength(c, sim.sc.file.tcp.mssBytes, seq)),
  );
  c.rttProbe = null; // Karn
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
  startTimer(sim, c);
  sample(sim, c, 'fast-retransmit');
}

/**
 * In-order delivery with a bounded out-of-order buffer (SPEC TCP-DATA-1). Out-of-order
 * segments, segments that fill a hole and FINs are ACKed at once (SPEC TCP-ACK-1).
 */
function onData(sim: SimCore, app: TcpApp, c: TcpConn, p: Packet): void {
  const fin = p.flags & FIN ? 1 : 0;
  if (p.len > 0 && p.seq >= c.rcvNxt)
    sim.emit({
      k: 'segmentDelivered',
      tUs: sim.st.nowUs,
      channel: 'tcp',
      flow: c.flow,
      unit: c.unit,
      bytes: p.len,
      path: p.path,
    });
  let immediate = true;
  const inOrder = p.seq === c.rcvNxt;
  if (inOrder) {
    const before = c.deliveredBytes;
    const filledHole = c.ooo.length > 0;
    accept(sim, app, c, p.len, fin);
    drainOutOfOrder(sim, app, c);
    immediate = fin === 1 || filledHole || c.state !== 'ESTABLISHED';
    if (c.deliveredBytes > before) app.delivered(sim, c);
  } else if (
    p.seq > c.rcvNxt &&
    p.seq + p.len <= c.rcvNxt + advertisedWindow(sim) &&
    c.ooo.length < OOO_MAX &&
    !c.ooo.some((s) => s[0] === p.seq)
  ) {
    c.ooo.push([p.seq, p.len, fin]);
  }
  if (sim.st.conns[c.id]) acknowledgeData(sim, app, c, inOrder, immediate);
}

function drainOutOfOrder(sim: SimCore, app: TcpApp, c: TcpConn): void {
  c.ooo.sort((a, b) => a[0] - b[0]);
  while (c.ooo.length > 0) {
    const [seq, len, fin] = c.ooo[0] as [number, number, number];
    if (seq > c.rcvNxt) break;
    c.ooo.shift();
    if (seq === c.rcvNxt) accept(sim, app, c, len, fin);
  }
}

function accept(sim: SimCore, app: TcpApp, c: TcpConn, len: number, fin: number): void {
  c.rcvNxt += len;
  c.deliveredBytes += len;
  if (!fin) return;
  c.rcvNxt += 1;
  if (c.state === 'ESTABLISHED') {
    setState(sim, c, 'CLOSE-WAIT');
    app.peerClosed(sim, c);
  } else if (c.state === 'FIN-WAIT-1') setState(sim, c, 'CLOSING');
  else if (c.state === 'FIN-WAIT-2') enterTimeWait(sim, c);
}
