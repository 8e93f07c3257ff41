import type { SimCore } from '../engine/core.ts';
import { HEADER_BYTES, type Packet } from '../engine/state.ts';
import {
  IDLE_TIMEOUT_US,
  MAX_SENT_PACKETS,
  MIN_INITIAL_DATAGRAM_BYTES,
  maxDatagramBytes,
  payloadBytes,
} from './quicConn.ts';
import { ackFrame, onCongestionEvent, ptoUs, retransmittable } from './quicRecovery.ts';
import { sampleQuic } from './quicSample.ts';
import type { QuicConn, QuicFrame, QuicPacketType, QuicSendStream, QuicSentPacket } from './quicTypes.ts';
import { CLIENT_HELLO_BYTES, STREAM_CHUNK_BYTES } from './tlsSizes.ts';

/** QUIC's short header (~20 bytes) is part of HEADER_BYTES.quic; Initial padding counts it in the datagram. */
const QUIC_HEADER_BYTES = HEADER_BYTES.quic - HEADER_BYTES.udp;

/** What the request/response layer does as a QUIC connection progresses. */
export interface QuicApp {
  /** New crypto or stream bytes were delivered in order within their stream. */
  progressed(sim: SimCore, q: QuicConn): void;
  /** The connection gave up (too many probe timeouts, or idle). */
  aborted(sim: SimCore, q: QuicConn): void;
  /** Sends a packet from host `node` into the network. */
  transmit(sim: SimCore, node: number, p: Packet): void;
}

function hasData(s: QuicSendStream): boolean {
  return s.retx.length > 0 || s.nextOff < s.queuedBytes;
}

export function hasPendingData(q: QuicConn): boolean {
  return hasData(q.crypto) || q.streams.some(hasData);
}

/** Up to `budget` bytes of a stream: ranges declared lost first (SPEC QUIC-8), then new bytes. */
function take(
  s: QuicSendStream,
  budget: number,
  chunk: number,
): { off: number; len: number; fin: boolean } | null {
  const r = s.retx[0];
  if (r) {
    const [off, rangeLen, fin] = r;
    const len = Math.min(rangeLen, budget);
    if (len === rangeLen) s.retx.shift();
    else r.splice(0, 2, off + len, rangeLen - len);
    return { off, len, fin: len === rangeLen && fin === 1 };
  }
  if (s.nextOff >= s.queuedBytes) return null;
  const off = s.nextOff;
  const len = Math.min(s.queuedBytes - off, budget, chunk);
  s.nextOff += len;
  return { off, len, fin: s.finQueued && s.nextOff === s.queuedBytes };
}

/** Fills a packet: crypto first, then streams taking turns chunk by chunk (SPEC QUIC-6). */
function fillData(q: QuicConn, frames: QuicFrame[], budget: number): number {
  let used = 0;
  for (
    let c = take(q.crypto, budget, budget);
    c;
    c = used < budget ? take(q.crypto, budget - used, budget) : null
  ) {
    frames.push({ t: 'crypto', off: c.off, len: c.len });
    used += c.len;
  }
  let idle = 0;
  while (used < budget && idle < q.streams.length) {
    const i = q.rrNext % q.streams.length;
    q.rrNext = (i + 1) % q.streams.length;
    const s = q.streams[i] as QuicSendStream;
    const f = take(s, budget - used, STREAM_CHUNK_BYTES);
    if (!f) {
      idle++;
      continue;
    }
    idle = 0;
    frames.push({ t: 'stream', id: s.id, off: f.off, len: f.len, fin: f.fin });
    used += f.len;
  }
  return used;
}

function packetType(q: QuicConn, frames: readonly QuicFrame[]): QuicPacketType {
  const helloEnd = q.role === 'client' ? CLIENT_HELLO_BYTES : 1;
  if (frames.some((f) => f.t === 'crypto' && f.off < helloEnd)) return 'initial';
  if (frames.some((f) => f.t === 'crypto')) return 'handshake';
  if (q.role === 'client' && !q.handshakeDone && frames.some((f) => f.t === 'stream')) return '0rtt';
  return '1rtt';
}

/** Sends one packet with a fresh packet number (never reused, SPEC QUIC-7). */
export function sendPacket(
  sim: SimCore,
  app: QuicApp,
  q: QuicConn,
  frames: QuicFrame[],
  dataBytes: number,
): void {
  const type = packetType(q, frames);
  let len = dataBytes;
  if (type === 'initial' && q.role === 'client') {
    const pad = MIN_INITIAL_DATAGRAM_BYTES - QUIC_HEADER_BYTES - len;
    if (pad > 0) frames.push({ t: 'padding', len: pad });
    len += Math.max(0, pad);
  }
  const pn = q.nextPn++;
  const ack = frames.find((f) => f.t === 'ack');
  const p: Packet = {
    id: sim.st.nextPacketId++,
    channel: 'quic',
    srcAddr: q.localAddr,
    dstAddr: q.peerAddr,
    srcPort: q.localPort,
    dstPort: q.peerPort,
    flags: 0,
    seq: pn,
    ack: ack?.t === 'ack' ? (ack.ranges[0]?.[0] ?? 0) : 0,
    wnd: 0,
    len,
    sizeBytes: len + HEADER_BYTES.quic,
    ttl: sim.sc.file.initialTtl,
    flow: q.flow,
    unit: q.unit,
    createdUs: sim.st.nowUs,
    path: [],
    quic: { type, dcid: q.peerCid, scid: type === '1rtt' ? -1 : q.localCid, pn, frames },
  };
  if (frames.some((f) => f.t !== 'ack' && f.t !== 'padding' && f.t !== 'close')) {
    const sp: QuicSentPacket = {
      pn,
      sentUs: sim.st.nowUs,
      sizeBytes: p.sizeBytes,
      ackEliciting: true,
      frames: frames.filter(retransmittable),
    };
    q.sent.push(sp);
    q.bytesInFlight += p.sizeBytes;
    q.lastAckElicitingSentUs = sim.st.nowUs;
  }
  app.transmit(sim, q.node, p);
}

/**
 * Sends what congestion control allows (SPEC QUIC-9): data while a full packet
 * fits in min(cwnd, the flow-control limit), and an ACK if one is owed. A probe
 * may send one data packet beyond the window (RFC 9002 §6.2.4).
 */
export function flush(sim: SimCore, app: QuicApp, q: QuicConn, probe = false): void {
  const mds = maxDatagramBytes(sim);
  const windowBytes = Math.min(q.cwndBytes, sim.sc.file.tcp.rwndBytes);
  let probes = probe ? 1 : 0;
  for (;;) {
    const canData =
      hasPendingData(q) &&
      q.sent.length < MAX_SENT_PACKETS &&
      (probes > 0 || q.bytesInFlight + mds <= windowBytes);
    if (!canData && !q.ackPending) return;
    const frames: QuicFrame[] = [];
    if (q.ackPending && q.recvRanges.length > 0) frames.push(ackFrame(q));
    q.ackPending = false;
    let dataBytes = 0;
    if (canData) {
      const clientHello = q.role === 'client' && (q.crypto.nextOff === 0 || q.crypto.retx[0]?.[0] === 0);
      const budget = clientHello
        ? Math.max(payloadBytes(sim), MIN_INITIAL_DATAGRAM_BYTES - QUIC_HEADER_BYTES)
        : payloadBytes(sim);
      dataBytes = fillData(q, frames, budget);
      probes = Math.max(0, probes - 1);
    }
    if (frames.length === 0) return;
    sendPacket(sim, app, q, frames, dataBytes);
    if (!canData) return;
  }
}

/** Puts a lost (or probed) packet's frames back to be sent in new packets. */
export function requeue(q: QuicConn, frames: readonly QuicFrame[]): void {
  for (const f of frames) {
    if (f.t === 'crypto') q.crypto.retx.push([f.off, f.len, 0]);
    else if (f.t === 'stream') q.streams.find((s) => s.id === f.id)?.retx.push([f.off, f.len, f.fin ? 1 : 0]);
  }
  q.crypto.retx.sort((a, b) => a[0] - b[0]);
  for (const s of q.streams) s.retx.sort((a, b) => a[0] - b[0]);
}

/** Packets declared lost: their frames go again in new packets; the window reacts once per recovery period. */
export function onLost(sim: SimCore, q: QuicConn, lost: readonly QuicSentPacket[]): void {
  let latestSentUs = -1;
  for (const sp of lost) {
    q.bytesInFlight -= sp.sizeBytes;
    latestSentUs = Math.max(latestSentUs, sp.sentUs);
    if (!sp.frames.some((f) => f.t === 'crypto' || f.t === 'stream')) continue;
    requeue(q, sp.frames);
    q.retransmissions++;
    sim.emit({
      k: 'retransmit',
      tUs: sim.st.nowUs,
      channel: 'quic',
      flow: q.flow,
      unit: q.unit,
      conn: q.id,
      seq: sp.pn,
    });
  }
  if (latestSentUs >= 0) onCongestionEvent(q, latestSentUs, sim.st.nowUs, maxDatagramBytes(sim));
  if (lost.length > 0) sampleQuic(sim, q, 'loss');
}

/** RFC 9002 §6.2.4: a probe carries new data if any, else the oldest unacknowledged data, else a PING. */
export function sendProbe(sim: SimCore, app: QuicApp, q: QuicConn): void {
  const oldest = q.sent[0];
  if (!hasPendingData(q) && oldest) requeue(q, oldest.frames);
  if (hasPendingData(q)) flush(sim, app, q, true);
  else sendPacket(sim, app, q, [{ t: 'ping' }], 0);
}

/** When the connection's timer is due: loss time, else the probe timeout with backoff, else the idle timeout. */
export function timerDeadlineUs(q: QuicConn): number {
  if (q.lossTimeUs >= 0) return q.lossTimeUs;
  if (q.sent.length > 0) return Math.ceil(q.lastAckElicitingSentUs + ptoUs(q) * 2 ** q.ptoCount);
  return q.lastReceivedUs + IDLE_TIMEOUT_US;
}

/**
 * Arms the one timer (SPEC QUIC-8). A pending wake-up at or before the deadline
 * is kept (it re-checks when it fires), so a connection has at most one live
 * timer event however often its deadline moves later.
 */
export function armTimer(sim: SimCore, q: QuicConn): void {
  const at = Math.max(sim.st.nowUs, timerDeadlineUs(q));
  if (q.timerAtUs >= 0 && q.timerAtUs <= at) return;
  q.timerGen++;
  q.timerAtUs = at;
  sim.schedule({ t: at, k: 'quicTimer', conn: q.id, gen: q.timerGen });
}
