import type { DnsMessage } from '../application/dns/message.ts';
import type { StubState } from '../application/dns/stub.ts';
import type { PageLoadState } from '../application/pageLoad.ts';
import type { ServerState } from '../application/server.ts';
import type { LossMemory, LossModel } from '../link/linkModels.ts';
import type { PendingRing, QueueDiscipline } from '../link/queueing.ts';
import type { RoleState } from '../roles/registry.ts';
import type { QuicConn, QuicHeader } from '../transport/quicTypes.ts';
import type { CcState } from '../transport/rfc5681.ts';
import type { RtoState } from '../transport/rfc6298.ts';
import type { LossReason } from './records.ts';
import type { RngState } from './rng.ts';
import type { WireState } from './wire.ts';

/** TCP flag bits as on the wire. */
export const FIN = 1;
export const SYN = 2;
export const RST = 4;
export const ACK = 16;

/** Transport channel of a packet or flow. `dns` is UDP on the wire (port 53), tagged so dispatch and drawing can tell it apart. */
export type Channel = 'udp' | 'tcp' | 'quic' | 'dns';

/** Header bytes added to every payload: IPv4 20 + UDP 8 / TCP 20 / UDP 8 + a QUIC short header ~20 / UDP 8 (DNS). */
export const HEADER_BYTES: Record<Channel, number> = { udp: 28, tcp: 40, quic: 48, dns: 28 };

/**
 * A packet with real header fields. Plain data so it snapshots (SPEC SIM-2). Inside
 * the network its TTL and path live in its slot (wire.ts); they are written back
 * when it leaves (delivered, dropped or held for hand forwarding).
 */
export interface Packet {
  id: number;
  channel: Channel;
  srcAddr: number;
  dstAddr: number;
  srcPort: number;
  dstPort: number;
  /** TCP flags (FIN/SYN/RST/ACK bits); 0 for UDP. */
  flags: number;
  seq: number;
  ack: number;
  /** TCP: the receive window the sender advertises, bytes; 0 for UDP. */
  wnd: number;
  /** Payload bytes. */
  len: number;
  /** Bytes on the wire (payload + headers). */
  sizeBytes: number;
  ttl: number;
  /** Flow index in the scenario's traffic list. */
  flow: number;
  /** UDP: frame number; TCP: request number. */
  unit: number;
  createdUs: number;
  /** Router node indices this packet was forwarded by, in order. */
  path: number[];
  /** UDP frames only: the record lane of the frame (recordLanes.ts) and its sequence number there; such a packet keeps no object inside the network. */
  frameRef?: number;
  frameSeq?: number;
  /** QUIC packets only: the QUIC header and frames (absent on UDP and TCP packets). */
  quic?: QuicHeader;
  /** DNS packets only: the DNS message (application/dns/message.ts). */
  dns?: DnsMessage;
}

/**
 * One direction of a link: an interface queue (see queueing.ts) and a transmitter.
 *
 * Under FIFO and RED a packet's departure is known the moment it is admitted
 * (after everything admitted before it), so it is committed then: its finish
 * time goes in `pending` and its arrival at the far end is scheduled at
 * once — no event per packet when serialization ends (SPEC LINK-8). Strict
 * priority cannot know that (a later UDP packet overtakes), so it keeps real
 * queues and a transmitter that finishes each packet with an event.
 */
export interface LinkDirState {
  discipline: QueueDiscipline;
  /** Committed packets not yet fully serialized (FIFO and RED): finish times and sizes. */
  pending: PendingRing;
  /** Strict priority: the slot (wire.ts) of the packet being serialized, or −1 when the transmitter is idle. */
  inService: number;
  /** Strict priority: slots of waiting TCP packets (and, briefly after a switch from priority, everything). */
  queue: number[];
  /** Strict priority: slots of waiting real-time UDP packets. */
  queueHigh: number[];
  /** RED's average occupancy and packets since its last drop (−1 below minTh). */
  redAvgPackets: number;
  redCount: number;
  /** The transmitter is busy until this time; ≤ now means idle. */
  busyUntilUs: number;
  /**
   * FIFO and RED: the size of the newest committed packet, which finishes at
   * `busyUntilUs` and is kept here rather than in `pending` (queueing.ts); −1 when none.
   */
  newestBytes: number;
  /** Bytes and packets put on the wire, counted when committed (views subtract those still pending). */
  txBytes: number;
  txPackets: number;
  drops: number;
  /** The loss model's memory for this direction. */
  lossMemory: LossMemory;
  /** Latest arrival time scheduled in this direction (keeps order when jitter must not reorder). */
  lastArrivalUs: number;
}

export interface LinkState {
  up: boolean;
  /** Times the link went down: a packet committed before a failure is lost even if the link is back (SPEC LINK-2). */
  downs: number;
  lossModel: LossModel;
  dirs: [LinkDirState, LinkDirState];
}

/** RFC 9293 connection states (SPEC TCP-STATE-1). */
export type TcpStateName =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** Who a request's endpoint is, TCP or QUIC alike: its host, role, request and 4-tuple. */
export interface EndpointFields {
  /** Host node index this end lives on. */
  node: number;
  role: 'client' | 'server';
  flow: number;
  unit: number;
  localAddr: number;
  localPort: number;
  /** Where to send (a QUIC server updates it when the client's address changes, SPEC QUIC-10). */
  peerAddr: number;
  peerPort: number;
}

/** One end of a TCP-like connection. Sequence numbers are relative: ISS = 0 (SPEC TCP-SEQ-1). */
export interface TcpConn extends EndpointFields {
  id: number;
  state: TcpStateName;
  /** Oldest unacknowledged sequence number. */
  sndUna: number;
  /** Next sequence number to send. */
  sndNxt: number;
  /** Highest sequence number sent so far (sndNxt can fall back on retransmission). */
  sndMax: number;
  /** Application bytes queued to send (in total, over the connection's life). */
  sendBytes: number;
  /** The application has closed: a FIN follows the data. */
  finQueued: boolean;
  /** Next sequence number expected from the peer; -1 before the peer's SYN. */
  rcvNxt: number;
  /** Out-of-order segments held for in-order delivery: [seq, len, fin(0/1)]. */
  ooo: [number, number, number][];
  /** Application bytes delivered in order. */
  deliveredBytes: number;
  rto: RtoState;
  /** Congestion control (RFC 5681). */
  cc: CcState;
  /** The peer's advertised receive window, bytes. */
  sndWndBytes: number;
  /** The ACK number our latest segment carried (a pure ACK is not needed when data or a FIN carried it). */
  ackSent: number;
  /** Full segments received since our last ACK (delayed ACK). */
  ackPending: number;
  /** Delayed-ACK timer generation; the timer fires only if it matches. */
  delAckGen: number;
  /** The latest wake-up event scheduled for the retransmission timer; older ones are ignored when they fire. */
  timerGen: number;
  /** Time the retransmission timer expires; -1 when stopped. */
  timerAtUs: number;
  /** The sequence number the timer's expiry has in event order (taken when it was last started, SPEC TCP-RTO-6). */
  timerSeq: number;
  /** Time of the pending wake-up event (the latest scheduled), −1 when none is pending. */
  wakeAtUs: number;
  /** TIME-WAIT: when it ends (a repeated FIN restarts it, SPEC TCP-STATE-3); −1 before. */
  timeWaitEndUs: number;
  /**
   * The segment being timed for an RTT sample: the sequence number it must be acked
   * past, −1 when none (Karn), and when it was sent. Two numbers, not a pair: a pair
   * was an array allocated per sample.
   */
  rttProbeSeq: number;
  rttProbeSentUs: number;
  retries: number;
  retransmissions: number;
  /** The retransmission timer expired during the handshake (RFC 6298 5.7, SPEC TCP-RTO-7). */
  synTimedOut: boolean;
  /** Application messages (TLS flights, requests, responses) this end has queued (SPEC TLS-1). */
  appSent: number;
  /**
   * HTTP/1.1 keep-alive (SPEC KA-1), client side of a flow with several requests per
   * connection: how many of its requests have started, and how many responses arrived whole.
   */
  reqStarted?: number;
  respDone?: number;
  /**
   * The node of the role whose TCP application owns this connection (an L7 balancer's
   * own connections to a backend, and their server ends on the backend, SPEC LB-L7-11);
   * absent for the request/response application's connections.
   */
  app?: number;
}

/** A TCP request: connect, send the request, receive the response, close (SPEC TRF-2). */
export interface RequestState {
  flow: number;
  unit: number;
  startUs: number;
  /** Streams whose response has been delivered (SPEC H2-2). */
  streamsDone: number;
  /** When the first response byte was delivered in order; -1 before. */
  firstByteUs: number;
  /** The last reason one of this request's packets was lost; '' when none. */
  lastLoss: LossReason | '';
  /** Where that loss happened (a link or node id). */
  lastLossAt: string;
}

/** Scheduled work. Discriminated by `k`; all fields plain data. */
export type SimEvent =
  /** A slot's event (wire.ts: a packet's arrival, a frame's deadline, a flow's tick) beyond the timing wheel's span. */
  | { t: number; s: number; k: 'slot'; slot: number }
  | { t: number; s: number; k: 'txDone'; link: number; dir: 0 | 1 }
  /** A committed packet the link loses, at the moment it leaves the interface. */
  | { t: number; s: number; k: 'wireLoss'; slot: number; node: number; link: number }
  /** A timer a role node scheduled (e.g. a router's hand-forwarding timeout); `arg` is the role's own. */
  | { t: number; s: number; k: 'roleTimer'; node: number; arg: number }
  | { t: number; s: number; k: 'tcpTimer'; conn: number; gen: number }
  | { t: number; s: number; k: 'delAck'; conn: number; gen: number }
  | { t: number; s: number; k: 'quicTimer'; conn: number; gen: number }
  /** A stub resolver's retry timer (application/dns/stub.ts): host `node`, lookup `query`. */
  | { t: number; s: number; k: 'dnsTimer'; node: number; query: number }
  | { t: number; s: number; k: 'script'; index: number }
  /** A server host finished processing a request (application/server.ts): connection `conn`. */
  | { t: number; s: number; k: 'serverDone'; node: number; conn: number };

/** Everything that changes while a scenario runs. Snapshots, restores and hashes as one value. */
export interface SimState {
  nowUs: number;
  /** Next event sequence number. */
  nextSeq: number;
  nextPacketId: number;
  nextConnId: number;
  rngLoss: RngState;
  rngJitter: RngState;
  rngDuplicate: RngState;
  /** Poisson arrivals and random sizes of traffic. */
  rngTraffic: RngState;
  /** RED's early drops. */
  rngQueue: RngState;
  /** Bots' chances (a novice's slips, SPEC BOT-2): apart, so a bot's skill moves no other stream. */
  rngBot: RngState;
  /** Events in a binary heap by (t, s) (eventQueue.ts). */
  events: SimEvent[];
  links: LinkState[];
  /** Packets inside the network, in slots (wire.ts). */
  wire: WireState;
  /** Per node index: its role's state (roles/), or null for hosts. */
  roles: (RoleState | null)[];
  /** Per node index: packets it forwarded by table or by hand (0 for hosts); beside the role's object, which a hop does not read. */
  forwardedByNode: number[];
  /** Open TCP endpoints by id (ascending ids are creation order). */
  conns: Record<number, TcpConn>;
  /** Open QUIC endpoints by id (ids shared with TCP's counter). */
  quicConns: Record<number, QuicConn>;
  /** Per node: how many times the host's address/port binding changed (SPEC QUIC-10); shifts new source ports. */
  hostRebinds: number[];
  /** Per flow: its open TCP and QUIC requests by unit (numeric keys: no key string built per packet). */
  requests: Record<number, RequestState>[];
  /** Per flow: highest UDP frame number delivered so far (-1 before any); older arrivals are reordered. */
  udpHighestUnit: number[];
  /** Per flow: its page loads under way by unit (tcp flows with a `name`; application/pageLoad.ts). */
  pageLoads: Record<number, PageLoadState>[];
  /** Stub resolvers by host node index (hosts with `dns.stub`; application/dns/stub.ts). */
  stubs: Record<number, StubState>;
  /** Per data centre: whether it is dark (SPEC DC-3). */
  dcDown: boolean[];
  /** Per flow: its traffic spike's factor (SPEC TRF-5) and until when it lasts, µs (0: never spiked). */
  spikeFactor: number[];
  spikeUntilUs: number[];
  /** When the last spike of any flow ends, µs: units look at their flow's spike only before it. */
  spikeEndUs: number;
  /** Server hosts' request queues by node index (hosts with `server`; application/server.ts). */
  servers: Record<number, ServerState>;
  /** Draws of GSLB's weighted policy (SPEC GSLB-4). */
  rngGslb: RngState;
  /** Draws of the balancers' two random choices (SPEC LB-ALG-1). */
  rngLb: RngState;
}
