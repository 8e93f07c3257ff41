/**
 * Plain-data shapes of the QUIC-like channel (SPEC QUIC-1..12): what a packet
 * carries and what one endpoint remembers. Everything snapshots with the state.
 */

import type { EndpointFields } from '../engine/state.ts';

/** Long-header packet types, and the short-header (1-RTT) packet. Labels only: one packet-number space. */
export type QuicPacketType = 'initial' | 'handshake' | '0rtt' | '1rtt';

/** One frame. Offsets and lengths are bytes; ACK ranges are [largest, smallest] packet numbers, descending. */
export type QuicFrame =
  | { t: 'crypto'; off: number; len: number }
  | { t: 'stream'; id: number; off: number; len: number; fin: boolean }
  | { t: 'ack'; ranges: [number, number][] }
  | { t: 'padding'; len: number }
  | { t: 'ping' }
  | { t: 'close' };

/** The QUIC header fields a packet carries (connection IDs instead of addresses identify the connection). */
export interface QuicHeader {
  type: QuicPacketType;
  /** Destination connection ID: how the receiver finds the connection. */
  dcid: number;
  /** Source connection ID (long headers); -1 on short headers. */
  scid: number;
  /** Packet number: monotonic per connection, never reused. */
  pn: number;
  frames: QuicFrame[];
}

/** One direction of a stream (or the crypto stream) on the sending side. */
export interface QuicSendStream {
  /** Stream ID (client-initiated bidirectional: 0, 4, 8 …); -1 for the crypto stream. */
  id: number;
  /** Bytes the application has written so far. */
  queuedBytes: number;
  /** Next offset never sent. */
  nextOff: number;
  /** The application wrote its last byte (a FIN follows queuedBytes). */
  finQueued: boolean;
  /** Ranges declared lost, to send again in new packets: [offset, length, fin(0/1)]. */
  retx: [number, number, number][];
}

/** One direction of a stream on the receiving side: bytes delivered in order within the stream. */
export interface QuicRecvStream {
  id: number;
  /** Bytes delivered in order. */
  deliveredBytes: number;
  /** Received ahead of the in-order point: [offset, length], bounded. */
  ooo: [number, number][];
  /** Stream length once its FIN arrived; -1 before. */
  finalBytes: number;
  /** Every byte up to the FIN was delivered (and reported to the application). */
  complete: boolean;
}

/** A packet awaiting acknowledgement (RFC 9002 A.1.1). */
export interface QuicSentPacket {
  pn: number;
  sentUs: number;
  sizeBytes: number;
  ackEliciting: boolean;
  /** Frames to resend if it is lost (ACK and PADDING frames are never resent). */
  frames: QuicFrame[];
}

/** One end of a QUIC-like connection. */
export interface QuicConn extends EndpointFields {
  id: number;
  localCid: number;
  /** The CID we send to; the client uses a random one until the server's first packet. */
  peerCid: number;
  /** Server: the client's first destination CID, which also finds this connection. -1 on clients. */
  originalCid: number;
  /** 0-RTT resumption: the client sent its requests with the Initial. */
  zeroRtt: boolean;
  /** The handshake finished at this end (TLS 1.3 Finished received or sent). */
  handshakeDone: boolean;
  nextPn: number;
  largestAcked: number;
  sent: QuicSentPacket[];
  bytesInFlight: number;
  /** Received packet numbers as ranges [largest, smallest], descending, bounded. */
  recvRanges: [number, number][];
  /** Packet numbers below this count as received (older ranges were forgotten). */
  recvFloor: number;
  /** An ack-eliciting packet arrived that we have not acknowledged yet. */
  ackPending: boolean;
  // RFC 9002 §5 RTT estimates.
  latestRttUs: number;
  minRttUs: number;
  srttUs: number;
  rttvarUs: number;
  hasRttSample: boolean;
  // RFC 9002 §7 congestion control.
  cwndBytes: number;
  ssthreshBytes: number;
  /** Start of the current recovery period; -1 outside recovery. */
  recoveryStartUs: number;
  ptoCount: number;
  /** Earliest time a packet becomes lost by the time threshold; -1 when none. */
  lossTimeUs: number;
  lastAckElicitingSentUs: number;
  lastReceivedUs: number;
  timerGen: number;
  timerAtUs: number;
  crypto: QuicSendStream;
  cryptoIn: QuicRecvStream;
  streams: QuicSendStream[];
  streamsIn: QuicRecvStream[];
  /** Round-robin position among send streams. */
  rrNext: number;
  retransmissions: number;
}
