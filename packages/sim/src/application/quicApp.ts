/**
 * HTTP/3-like requests over the QUIC-like channel (SPEC QUIC-3..6): the TLS 1.3
 * handshake rides in CRYPTO frames, each request and its response on its own
 * stream; 0-RTT resumption sends the requests with the Initial.
 */

import type { SimCore } from '../engine/core.ts';
import { inject } from '../engine/wire.ts';
import {
  closeQuic,
  initialDestinationCid,
  newQuicConn,
  newSendStream,
  QUIC_PORT,
} from '../transport/quicConn.ts';
import { sampleQuic } from '../transport/quicSample.ts';
import { armTimer, flush, type QuicApp, sendPacket } from '../transport/quicSend.ts';
import type { QuicConn } from '../transport/quicTypes.ts';
import {
  CLIENT_FINISHED_BYTES,
  CLIENT_HELLO_BYTES,
  SERVER_FLIGHT_BYTES,
  SERVER_RESUMED_FLIGHT_BYTES,
} from '../transport/tlsSizes.ts';
import { resumes } from './appFlights.ts';
import {
  beginRequest,
  clientEnd,
  completeRequest,
  failRequest,
  noteFirstByte,
  noteStreamDone,
  type RequestFlow,
  requestFlow,
  sendFromHost,
} from './requests.ts';

/** Client bidirectional stream IDs: 0, 4, 8 … (RFC 9000 §2.1). */
function streamId(index: number): number {
  return 4 * index;
}

function queueCrypto(q: QuicConn, bytes: number): void {
  q.crypto.queuedBytes += bytes;
}

function queueOnStream(q: QuicConn, id: number, bytes: number): void {
  const s = newSendStream(id);
  s.queuedBytes = bytes;
  s.finQueued = true;
  q.streams.push(s);
}

function streamsOf(f: RequestFlow): number {
  return f.streams;
}

function serverFlightBytes(q: QuicConn): number {
  return q.zeroRtt ? SERVER_RESUMED_FLIGHT_BYTES : SERVER_FLIGHT_BYTES;
}

function clientProgress(sim: SimCore, q: QuicConn, f: RequestFlow): void {
  if (!q.handshakeDone && q.cryptoIn.deliveredBytes >= serverFlightBytes(q)) {
    // Server Finished arrived: our Finished, and (without 0-RTT) the requests, go now.
    q.handshakeDone = true;
    sampleQuic(sim, q, 'handshake');
    queueCrypto(q, CLIENT_FINISHED_BYTES);
    if (!q.zeroRtt) for (let s = 0; s < streamsOf(f); s++) queueOnStream(q, streamId(s), f.requestBytes);
  }
  let done = 0;
  for (const rs of q.streamsIn) {
    if (rs.deliveredBytes > 0) noteFirstByte(sim, 'quic', q.flow, q.unit);
    if (!rs.complete && rs.finalBytes >= 0 && rs.deliveredBytes >= rs.finalBytes) {
      rs.complete = true;
      noteStreamDone(sim, 'quic', q.flow, q.unit, rs.id / 4);
    }
    if (rs.complete) done++;
  }
  if (done < streamsOf(f)) return;
  completeRequest(sim, 'quic', q.flow, q.unit, streamsOf(f) * f.responseBytes);
  // CONNECTION_CLOSE with a last ACK; not retransmitted (the server's idle timeout covers its loss).
  const frames =
    q.recvRanges.length > 0
      ? [{ t: 'ack' as const, ranges: q.recvRanges.map(([a, b]) => [a, b] as [number, number]) }]
      : [];
  sendPacket(sim, quicApp, q, [...frames, { t: 'close' }], 0);
  closeQuic(sim, q);
}

function serverProgress(sim: SimCore, q: QuicConn, f: RequestFlow): void {
  if (q.crypto.queuedBytes === 0 && q.cryptoIn.deliveredBytes >= CLIENT_HELLO_BYTES)
    queueCrypto(q, serverFlightBytes(q));
  if (!q.handshakeDone && q.cryptoIn.deliveredBytes >= CLIENT_HELLO_BYTES + CLIENT_FINISHED_BYTES) {
    q.handshakeDone = true;
    sampleQuic(sim, q, 'handshake');
  }
  // 1-RTT requests are answered once the client's Finished arrived; 0-RTT ones at once.
  if (!q.handshakeDone && !q.zeroRtt) return;
  for (const rs of q.streamsIn) {
    if (rs.finalBytes < 0 || rs.deliveredBytes < rs.finalBytes || rs.complete) continue;
    rs.complete = true;
    queueOnStream(q, rs.id, f.responseBytes);
  }
}

/** The QUIC request/response application (SPEC QUIC-3..6). */
export const quicApp: QuicApp = {
  progressed(sim, q) {
    const f = requestFlow(sim, q.flow);
    if (q.role === 'client') clientProgress(sim, q, f);
    else serverProgress(sim, q, f);
  },
  aborted(sim, q) {
    if (q.role === 'client') failRequest(sim, 'quic', q.flow, q.unit, '');
  },
  transmit(sim, node, p) {
    sendFromHost(sim, sim.hooks, node, inject(sim.st.wire, p));
  },
};

/** Starts one QUIC request: the client's Initial (with the requests on 0-RTT resumption). */
export function startQuicRequest(sim: SimCore, flow: number, unit: number): void {
  const f = requestFlow(sim, flow);
  beginRequest(sim, 'quic', flow, unit);
  const q = newQuicConn(sim, {
    ...clientEnd(sim, flow, unit, QUIC_PORT),
    zeroRtt: f.kind === 'quic' && f.zeroRtt && resumes(unit),
    peerCid: 0,
    originalCid: -1,
  });
  q.peerCid = initialDestinationCid(q);
  queueCrypto(q, CLIENT_HELLO_BYTES);
  if (q.zeroRtt) for (let s = 0; s < streamsOf(f); s++) queueOnStream(q, streamId(s), f.requestBytes);
  flush(sim, quicApp, q);
  armTimer(sim, q);
}
