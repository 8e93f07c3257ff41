import type { DnsFailure, DnsSource, Rcode } from '../application/dns/message.ts';
import type { PageLoadFailure, PageLoadPhase } from '../application/pageLoad.ts';
import type { QuicHeader } from '../transport/quicTypes.ts';
import type { Channel, TcpStateName } from './state.ts';

/** The channels that carry requests (TCP, and QUIC for HTTP/3). */
export type RequestChannel = 'tcp' | 'quic';

/** Why a packet, frame or request was lost (SPEC SCORE-4): every failure carries one. */
export type LossReason =
  | 'queue-full'
  | 'red-drop'
  | 'link-loss'
  | 'link-down'
  | 'ttl-expired'
  | 'no-route'
  | 'hand-timeout'
  | 'hand-queue-full'
  | 'wrong-host'
  | 'deadline-missed'
  | 'timed-out'
  | 'connection-reset'
  | 'host-down'
  | 'backend-down'
  | 'pool-overloaded'
  | 'conn-moved'
  | 'lb-overloaded';

/**
 * Words a player reads for each reason: what happened, not a guess at why (a request on a
 * connection a balancer broke fails `connection-reset` too). FAILURE_REASON_TEXT adds page loads'.
 */
export const LOSS_REASON_TEXT: Record<LossReason, string> = {
  'queue-full': 'dropped: queue full',
  'red-drop': 'dropped early by RED',
  'link-loss': 'lost on the wire',
  'link-down': 'link down',
  'ttl-expired': 'TTL expired: it passed through too many routers',
  'no-route': 'no route to destination',
  'hand-timeout': 'waited too long to be forwarded',
  'hand-queue-full': 'router inbox full',
  'wrong-host': 'delivered to the wrong host',
  'deadline-missed': 'arrived after its deadline',
  'timed-out': 'request timed out',
  'connection-reset': 'the connection was reset or had already broken',
  'host-down': 'host down: its data centre is dark',
  'backend-down': 'dropped by the balancer: its backend is down',
  'pool-overloaded': 'refused by the balancer: every backend is full',
  'lb-overloaded': 'refused by the balancer: its own CPU queue is full',
  'conn-moved': 'dropped by the balancer: the connection moved to a backend that does not know it',
};

/**
 * What the simulation reports as it runs. Records are output, not state: the
 * server's scoring and metrics consume them; replicas use them for visuals.
 */
export type SimRecord =
  | {
      k: 'drop';
      tUs: number;
      packetId: number;
      channel: Channel;
      flow: number;
      unit: number;
      reason: LossReason;
      /** Node index where it died. */
      node: number;
      /** Link index involved, or -1. */
      link: number;
    }
  /** A host put a packet on its link (the packet trace of a connection). */
  | {
      k: 'hostSend';
      tUs: number;
      node: number;
      channel: Channel;
      flags: number;
      seq: number;
      ack: number;
      len: number;
      flow: number;
      unit: number;
      /** QUIC packets: header and frames (read-only; shared with the packet). */
      quic?: QuicHeader;
    }
  | { k: 'frameSent'; tUs: number; flow: number; unit: number }
  | {
      k: 'frameDelivered';
      tUs: number;
      flow: number;
      unit: number;
      latencyUs: number;
      bytes: number;
      path: number[];
      /** A later frame of the same flow arrived first. */
      reordered: boolean;
    }
  | { k: 'frameLost'; tUs: number; flow: number; unit: number; reason: LossReason; at: string }
  /** A stub resolver starts looking up `name` (unit `unit` of a DNS flow). */
  | { k: 'dnsLookup'; tUs: number; flow: number; unit: number; name: string }
  /**
   * The lookup has its answer (NOERROR or NXDOMAIN) after `latencyUs`; `fromCache` says
   * whose cache answered (the stub's own, its resolver's, or none: the authority was asked),
   * `stale` that the resolver served an expired answer (SPEC DNS-5).
   */
  | {
      k: 'dnsResolved';
      tUs: number;
      flow: number;
      unit: number;
      name: string;
      latencyUs: number;
      rcode: Rcode;
      fromCache: DnsSource;
      stale: boolean;
      /** An anycast resolver's lookup: the instance that answered (SPEC ANY-3). */
      resolver?: number;
    }
  /** The lookup failed: no answer after every retry, or SERVFAIL. */
  | {
      k: 'dnsFailed';
      tUs: number;
      flow: number;
      unit: number;
      name: string;
      reason: DnsFailure;
      /** An anycast resolver's lookup: the instance routes led its queries to, −1 none (SPEC ANY-3). */
      resolver?: number;
    }
  /** A resolver answered a GSLB name itself (SPEC GSLB-1): the asker's region, the data centre chosen, and whether it was dark then. */
  | {
      k: 'gslbAnswer';
      tUs: number;
      node: number;
      flow: number;
      unit: number;
      name: string;
      region: string;
      dc: string;
      dark: boolean;
    }
  /** A resolver's answer named `addr`, a host of a dark data centre (SPEC DNS-SCORE-2). */
  | { k: 'deadAnswer'; tUs: number; node: number; flow: number; unit: number; name: string; addr: number }
  /** A balancer gave a new connection to `backend` (SPEC LB-L4-1). */
  | { k: 'lbAssigned'; tUs: number; node: number; flow: number; unit: number; backend: string }
  /** A balancer broke a connection: its backend went down, or it moved to one that does not know it (SPEC LB-L4-4). */
  | {
      k: 'lbConnBroken';
      tUs: number;
      node: number;
      flow: number;
      unit: number;
      backend: string;
      reason: 'backend-down' | 'conn-moved';
    }
  /** A balancer's health checks marked a backend up or down (SPEC LB-HEALTH-1). */
  | { k: 'lbHealth'; tUs: number; node: number; backend: string; up: boolean }
  /** Each health-check interval: the open connections of a balancer's backends that take new ones (SPEC LB-SCORE-1). */
  | { k: 'lbBalance'; tUs: number; node: number; open: number[] }
  /** A resolver's health checks marked a data centre up or down (SPEC GSLB-6). */
  | { k: 'dcHealth'; tUs: number; node: number; dc: string; up: boolean }
  /**
   * A page load completed (SPEC PAGE-1, PAGE-2): each phase's duration, µs — the lookup, the
   * TCP handshake, TLS up to the request, request to first response byte, the rest of the
   * response — and the whole; `source` says whose cache answered the lookup.
   */
  | {
      k: 'pageLoad';
      tUs: number;
      flow: number;
      unit: number;
      name: string;
      source: DnsSource;
      stale: boolean;
      dnsUs: number;
      connectUs: number;
      tlsUs: number;
      firstByteUs: number;
      responseUs: number;
      totalUs: number;
    }
  /** A page load failed in `phase` for `reason` (SPEC PAGE-3). */
  | {
      k: 'pageLoadFailed';
      tUs: number;
      flow: number;
      unit: number;
      name: string;
      phase: PageLoadPhase;
      reason: PageLoadFailure;
      /** Each phase finished before the failure, µs; −1 for the phases not finished. */
      dnsUs: number;
      connectUs: number;
      tlsUs: number;
      firstByteUs: number;
      /** Start → failure, µs. */
      totalUs: number;
    }
  /** A further copy of a frame already delivered (duplication reaches the application). */
  | { k: 'frameDuplicate'; tUs: number; flow: number; unit: number }
  | { k: 'requestStarted'; tUs: number; channel: RequestChannel; flow: number; unit: number }
  | {
      k: 'requestCompleted';
      tUs: number;
      channel: RequestChannel;
      flow: number;
      unit: number;
      latencyUs: number;
      bytes: number;
    }
  | {
      k: 'requestFailed';
      tUs: number;
      channel: RequestChannel;
      flow: number;
      unit: number;
      reason: LossReason;
      at: string;
    }
  /** The first response byte reached the client's application (time to first byte, SPEC TLS-3). */
  | { k: 'firstByte'; tUs: number; channel: RequestChannel; flow: number; unit: number; latencyUs: number }
  /** One stream of a multiplexed request was delivered whole and in order (SPEC H2-2, QUIC-6). */
  | {
      k: 'streamCompleted';
      tUs: number;
      channel: RequestChannel;
      flow: number;
      unit: number;
      stream: number;
      latencyUs: number;
    }
  /**
   * New payload reached the receiver (TCP: a segment; QUIC: a packet with stream or crypto data).
   * `relay`: it reached an end of an L7 balancer's own connection to a backend, bytes the
   * balancer relays for a client — delivered, but not goodput (SPEC MET-1, LB-L7-11).
   */
  | {
      k: 'segmentDelivered';
      tUs: number;
      channel: RequestChannel;
      flow: number;
      unit: number;
      bytes: number;
      path: number[];
      relay?: true;
    }
  /** TCP: a retransmission from `seq`; QUIC: packet number `seq` was declared lost and its frames resent. */
  | {
      k: 'retransmit';
      tUs: number;
      channel: RequestChannel;
      flow: number;
      unit: number;
      conn: number;
      seq: number;
    }
  | {
      k: 'tcpState';
      tUs: number;
      conn: number;
      role: 'client' | 'server';
      from: TcpStateName;
      to: TcpStateName;
    }
  /** A connection's congestion-control figures after an event (only while `traceCongestion` is on). */
  | {
      k: 'tcpSample';
      tUs: number;
      conn: number;
      role: 'client' | 'server';
      flow: number;
      unit: number;
      event: TcpSampleEvent;
      state: TcpStateName;
      cwndBytes: number;
      ssthreshBytes: number;
      flightBytes: number;
      srttUs: number;
      rttvarUs: number;
      rtoUs: number;
      retransmissions: number;
    }
  /** A QUIC endpoint's congestion-control figures after an event (only while `traceCongestion` is on; SPEC QUIC-TRACE-1). */
  | {
      k: 'quicSample';
      tUs: number;
      conn: number;
      role: 'client' | 'server';
      flow: number;
      unit: number;
      event: QuicSampleEvent;
      state: QuicSampleState;
      cwndBytes: number;
      /** Number.MAX_SAFE_INTEGER until the first congestion event (RFC 9002: infinite). */
      ssthreshBytes: number;
      flightBytes: number;
      srttUs: number;
      rttvarUs: number;
      /** The probe timeout the timer uses now: the RFC 9002 PTO doubled `ptoCount` times. */
      ptoUs: number;
      ptoCount: number;
      retransmissions: number;
    };

/** What caused a `tcpSample`. */
export type TcpSampleEvent = 'ack' | 'dupack' | 'fast-retransmit' | 'timeout' | 'state';

/**
 * What caused a `quicSample`: the endpoint opened, an ACK frame was processed,
 * packets were declared lost, the probe timer expired, the handshake finished at
 * this end, or the endpoint closed (done, CONNECTION_CLOSE, gave up or idle).
 */
export type QuicSampleEvent = 'open' | 'ack' | 'loss' | 'pto' | 'handshake' | 'close';

/** A QUIC endpoint's phase in a `quicSample`. */
export type QuicSampleState = 'handshake' | 'established' | 'closed';

/** Receives records as the simulation produces them. */
export type RecordListener = (r: SimRecord) => void;
