import type { SimCore } from '../engine/core.ts';
import { type EndpointFields, HEADER_BYTES, type Packet } from '../engine/state.ts';
import { initialWindowBytes, K_INITIAL_RTT_US } from './quicRecovery.ts';
import { sampleQuic } from './quicSample.ts';
import type { QuicConn, QuicRecvStream, QuicSendStream } from './quicTypes.ts';

/** UDP port QUIC servers listen on. */
export const QUIC_PORT = 443;
/** RFC 9000 §14.1: a client's Initial datagrams carry at least 1,200 bytes of UDP payload. */
export const MIN_INITIAL_DATAGRAM_BYTES = 1_200;
/** A connection with nothing in flight and nothing received for this long is discarded (RFC 9000 §10.1). */
export const IDLE_TIMEOUT_US = 10_000_000;
/** Most packets awaiting acknowledgement; the sender waits beyond this (keeps state bounded). */
export const MAX_SENT_PACKETS = 1_024;

/** Stream data bytes per packet: the scenario's MSS, so QUIC and TCP carry equal chunks. */
export function payloadBytes(sim: SimCore): number {
  return sim.sc.file.tcp.mssBytes;
}

/** The largest packet this connection sends (data payload + headers): RFC 9002's max_datagram_size. */
export function maxDatagramBytes(sim: SimCore): number {
  return payloadBytes(sim) + HEADER_BYTES.quic;
}

/** A random-looking 32-bit connection ID from a counter (odd multiplier: distinct inputs, distinct IDs). */
export function connectionId(n: number): number {
  return Math.imul(n, 0x9e3779b1) >>> 0;
}

function cidKey(node: number, cid: number): string {
  return `q:${node}:${cid}`;
}

/** Finds the connection a packet addressed to `cid` at host `node` belongs to (SPEC QUIC-2). */
export function findQuic(sim: SimCore, node: number, cid: number): QuicConn | undefined {
  const id = sim.quicIndex.get(cidKey(node, cid));
  return id === undefined ? undefined : sim.st.quicConns[id];
}

function index(sim: SimCore, q: QuicConn): void {
  sim.quicIndex.set(cidKey(q.node, q.localCid), q.id);
  if (q.originalCid >= 0) sim.quicIndex.set(cidKey(q.node, q.originalCid), q.id);
}

/** Rebuilds the CID index from state (after restore). */
export function rebuildQuicIndex(sim: SimCore): void {
  sim.quicIndex.clear();
  for (const q of Object.values(sim.st.quicConns)) index(sim, q);
}

export function newSendStream(id: number): QuicSendStream {
  return { id, queuedBytes: 0, nextOff: 0, finQueued: false, retx: [] };
}

export function newRecvStream(id: number): QuicRecvStream {
  return { id, deliveredBytes: 0, ooo: [], finalBytes: -1, complete: false };
}

/** A fresh endpoint. The client's first destination CID is random until the server answers with its own. */
export function newQuicConn(
  sim: SimCore,
  fields: EndpointFields & Pick<QuicConn, 'zeroRtt'> & { peerCid: number; originalCid: number },
): QuicConn {
  const id = sim.st.nextConnId++;
  const q: QuicConn = {
    ...fields,
    id,
    localCid: connectionId(2 * id),
    handshakeDone: false,
    nextPn: 0,
    largestAcked: -1,
    sent: [],
    bytesInFlight: 0,
    recvRanges: [],
    recvFloor: 0,
    ackPending: false,
    latestRttUs: 0,
    minRttUs: 0,
    srttUs: K_INITIAL_RTT_US,
    rttvarUs: K_INITIAL_RTT_US / 2,
    hasRttSample: false,
    cwndBytes: initialWindowBytes(maxDatagramBytes(sim)),
    ssthreshBytes: Number.MAX_SAFE_INTEGER,
    recoveryStartUs: -1,
    ptoCount: 0,
    lossTimeUs: -1,
    lastAckElicitingSentUs: 0,
    lastReceivedUs: sim.st.nowUs,
    timerGen: 0,
    timerAtUs: -1,
    crypto: newSendStream(-1),
    cryptoIn: newRecvStream(-1),
    streams: [],
    streamsIn: [],
    rrNext: 0,
    retransmissions: 0,
  };
  sim.st.quicConns[id] = q;
  index(sim, q);
  sampleQuic(sim, q, 'open');
  return q;
}

/** Client: the random CID its first Initial is addressed to. */
export function initialDestinationCid(q: QuicConn): number {
  return connectionId(2 * q.id + 1);
}

/** Forgets a connection (closed, idle or given up). */
export function closeQuic(sim: SimCore, q: QuicConn): void {
  sampleQuic(sim, q, 'close');
  delete sim.st.quicConns[q.id];
  sim.quicIndex.delete(cidKey(q.node, q.localCid));
  if (q.originalCid >= 0) sim.quicIndex.delete(cidKey(q.node, q.originalCid));
}

/** The server follows a client whose address or port changed: the CID, not the 4-tuple, names the connection. */
export function followPeerAddress(q: QuicConn, p: Packet): boolean {
  if (q.role !== 'server' || (p.srcAddr === q.peerAddr && p.srcPort === q.peerPort)) return false;
  q.peerAddr = p.srcAddr;
  q.peerPort = p.srcPort;
  return true;
}
