/**
 * The receiving side of the TCP-like channel (RFC 9293 3.10.7): demultiplexing,
 * the handshake, cumulative ACKs with RFC 5681 congestion control, in-order
 * delivery and the closing states.
 */

import type { SimCore } from '../engine/core.ts';
import { ACK, FIN, type Packet, RST, SYN, type TcpConn } from '../engine/state.ts';
import { serverEnd } from './endpoint.ts';
import { onDupAck, onNewAck } from './rfc5681.ts';
import { afterSynTimeout, takeRttSample } from './rfc6298.ts';
import {
  advertisedWindow,
  closeConn,
  enterTimeWait,
  finSeq,
  isOpen,
  newConn,
  OOO_MAX,
  SERVER_PORT,
  sample,
  setState,
  startTimer,
  stopTimer,
  type TcpApp,
} from './tcpConn.ts';
import { acknowledgeData, fastRetransmit, sendAck, sendReset, sendSyn, trySend } from './tcpSend.ts';

/** A TCP segment reached host `node`; demultiplex it and run the state machine. */
export function tcpReceive(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  const c = sim.tcpIndex.get(node, p.dstPort, p.srcAddr, p.srcPort);
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
    if (c.synTimedOut) afterSynTimeout(c.rto);
    app.established(sim, c);
  }
  if (p.flags & SYN) return sendAck(sim, app, c); // Duplicate SYN-ACK: our handshake ACK was lost.
  if (p.flags & ACK) onAck(sim, app, c, p);
  if (isOpen(c) && (p.len > 0 || p.flags & FIN)) onData(sim, app, c, p);
}

function passiveOpen(sim: SimCore, app: TcpApp, node: number, p: Packet): void {
  // A server whose connections would outgrow its memory refuses the SYN with a reset (SPEC DC-4).
  const s = sim.st.servers[node];
  const host = s ? sim.sc.file.nodes[node] : undefined;
  const mem = host?.kind === 'host' ? host.server : undefined;
  if (s && mem && mem.memoryKB > 0 && (s.openConns + 1) * mem.connMemoryKB > mem.memoryKB) {
    s.refusedConns++;
    return sendReset(sim, app, node, p);
  }
  const c = newConn(sim, serverEnd(node, p));
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
  // Data transmission begins: a handshake that timed out leaves RTO at 3 s at least (RFC 6298 5.7).
  if (c.synTimedOut) afterSynTimeout(c.rto);
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
  if (c.rttProbeSeq >= 0 && ack >= c.rttProbeSeq) {
    takeRttSample(c.rto, sim.st.nowUs - c.rttProbeSentUs);
    c.rttProbeSeq = -1;
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

/**
 * In-order delivery with a bounded out-of-order buffer (SPEC TCP-DATA-1). Out-of-order
 * segments, segments that fill a hole and FINs are ACKed at once (SPEC TCP-ACK-1).
 */
function onData(sim: SimCore, app: TcpApp, c: TcpConn, p: Packet): void {
  const fin = p.flags & FIN ? 1 : 0;
  if (p.len > 0 && p.seq >= c.rcvNxt && sim.listeners.length > 0) recordDelivered(sim, c, p);
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
  if (isOpen(c)) acknowledgeData(sim, app, c, inOrder, immediate);
}

/** A segment of new data arrived (SPEC MET-1); on a role's own connection (an L7 balancer's to a backend, either end) it is relayed. */
function recordDelivered(sim: SimCore, c: TcpConn, p: Packet): void {
  sim.emit({
    k: 'segmentDelivered',
    tUs: sim.st.nowUs,
    channel: 'tcp',
    flow: c.flow,
    unit: c.unit,
    bytes: p.len,
    path: p.path,
    ...(c.app !== undefined && { relay: true }),
  });
}

function drainOutOfOrder(sim: SimCore, app: TcpApp, c: TcpConn): void {
  if (c.ooo.length === 0) return;
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
