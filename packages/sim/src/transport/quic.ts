/**
 * The QUIC-like channel's receive path and timer (SPEC QUIC-1..10): demultiplex
 * by connection ID, acknowledge with ranges, reassemble each stream on its own,
 * detect loss per RFC 9002.
 */

import { assert, type SimCore } from '../engine/core.ts';
import type { Packet } from '../engine/state.ts';
import { serverEnd } from './endpoint.ts';
import {
  closeQuic,
  findQuic,
  followPeerAddress,
  maxDatagramBytes,
  newQuicConn,
  newRecvStream,
  QUIC_PORT,
} from './quicConn.ts';
import { detectLostPackets, onAckReceived, recordReceived } from './quicRecovery.ts';
import { sampleQuic } from './quicSample.ts';
import { armTimer, flush, onLost, type QuicApp, sendProbe, timerDeadlineUs } from './quicSend.ts';
import type { QuicConn, QuicRecvStream } from './quicTypes.ts';

/** Most out-of-order pieces one stream holds; the sender's bounded flight keeps it far below. */
export const STREAM_OOO_MAX = 4_096;
/** Most streams a connection accepts from its peer (RFC 9000's MAX_STREAMS, fixed). */
export const MAX_STREAMS = 64;

/** Delivers [off, off+len) in order within one stream; returns how many bytes were new to it. */
function receiveData(rs: QuicRecvStream, off: number, len: number, fin: boolean): number {
  if (fin) rs.finalBytes = off + len;
  const end = off + len;
  if (end <= rs.deliveredBytes || rs.ooo.some(([o, l]) => o === off && l === len)) return 0;
  if (off > rs.deliveredBytes) {
    assert(rs.ooo.length < STREAM_OOO_MAX, 'out-of-order pieces stay within the sender window');
    rs.ooo.push([off, len]);
    return len;
  }
  const fresh = end - rs.deliveredBytes;
  rs.deliveredBytes = end;
  rs.ooo.sort((a, b) => a[0] - b[0]);
  while (rs.ooo.length > 0 && (rs.ooo[0] as [number, number])[0] <= rs.deliveredBytes) {
    const [o, l] = rs.ooo.shift() as [number, number];
    rs.deliveredBytes = Math.max(rs.deliveredBytes, o + l);
  }
  return fresh;
}

function recvStream(q: QuicConn, id: number): QuicRecvStream | undefined {
  let rs = q.streamsIn.find((s) => s.id === id);
  if (!rs && q.streamsIn.length < MAX_STREAMS) {
    rs = newRecvStream(id);
    q.streamsIn.push(rs);
  }
  return rs;
}

/** A server accepts a connection on a client Initial for an unknown CID (SPEC QUIC-2). */
function accept(sim: SimCore, node: number, p: Packet): QuicConn | undefined {
  const h = p.quic;
  if (h?.type !== 'initial' || p.dstPort !== QUIC_PORT) return undefined;
  const f = sim.sc.file.traffic[p.flow];
  return newQuicConn(sim, {
    ...serverEnd(node, p),
    // The ClientHello's pre-shared key says whether this is a 0-RTT resumption.
    zeroRtt: f?.kind === 'quic' && f.zeroRtt && p.unit >= 1,
    peerCid: h.scid,
    originalCid: h.dcid,
  });
}

/** A QUIC packet reached host `node`. Unknown CIDs (other than a new Initial) are dropped silently. */
export function quicReceive(sim: SimCore, app: QuicApp, node: number, p: Packet): void {
  const h = p.quic;
  if (!h) return;
  const q = findQuic(sim, node, h.dcid) ?? accept(sim, node, p);
  if (!q) return;
  followPeerAddress(q, p);
  if (q.role === 'client' && h.scid >= 0) q.peerCid = h.scid;
  q.lastReceivedUs = sim.st.nowUs;
  const ackEliciting = h.frames.some((f) => f.t !== 'ack' && f.t !== 'padding' && f.t !== 'close');
  if (!recordReceived(q, h.pn)) {
    // A duplicate: acknowledge again (our ACK may have been lost), deliver nothing.
    q.ackPending ||= ackEliciting;
    flush(sim, app, q);
    return armTimer(sim, q);
  }
  let fresh = 0;
  for (const f of h.frames) {
    if (f.t === 'ack') {
      const lost = onAckReceived(q, f.ranges, sim.st.nowUs, maxDatagramBytes(sim));
      sampleQuic(sim, q, 'ack');
      onLost(sim, q, lost);
    } else if (f.t === 'crypto') fresh += receiveData(q.cryptoIn, f.off, f.len, false);
    else if (f.t === 'stream') {
      const rs = recvStream(q, f.id);
      if (rs) fresh += receiveData(rs, f.off, f.len, f.fin);
    } else if (f.t === 'close') return closeQuic(sim, q);
  }
  q.ackPending ||= ackEliciting;
  if (fresh > 0 && sim.listeners.length > 0)
    sim.emit({
      k: 'segmentDelivered',
      tUs: sim.st.nowUs,
      channel: 'quic',
      flow: q.flow,
      unit: q.unit,
      bytes: fresh,
      path: p.path,
    });
  app.progressed(sim, q);
  if (!sim.st.quicConns[q.id]) return;
  flush(sim, app, q);
  armTimer(sim, q);
}

/** The connection's timer: time-threshold loss, a probe timeout with backoff, or the idle timeout. */
export function onQuicTimer(sim: SimCore, app: QuicApp, connId: number, gen: number): void {
  const q = sim.st.quicConns[connId];
  if (!q || q.timerGen !== gen) return;
  q.timerAtUs = -1;
  const now = sim.st.nowUs;
  if (now < timerDeadlineUs(q)) return armTimer(sim, q); // woke early: the deadline moved later
  if (q.lossTimeUs >= 0) {
    onLost(sim, q, detectLostPackets(q, now));
    flush(sim, app, q);
  } else if (q.sent.length > 0) {
    q.ptoCount++;
    sampleQuic(sim, q, 'pto');
    if (q.ptoCount > sim.sc.file.tcp.maxRetries) {
      app.aborted(sim, q);
      return closeQuic(sim, q);
    }
    sendProbe(sim, app, q);
  } else {
    app.aborted(sim, q);
    return closeQuic(sim, q);
  }
  armTimer(sim, q);
}

/** NAT rebinding on a client host (SPEC QUIC-10): the connection sends from a new port; the CID stays. */
export function rebindQuic(q: QuicConn, localPort: number): void {
  q.localPort = localPort;
}
