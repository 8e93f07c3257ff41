import type { Fib } from '../network/fib.ts';
import type { NetworkHooks } from '../network/network.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { TcpDemux } from '../transport/tcpDemux.ts';
import type { RecordListener, SimRecord } from './records.ts';
import type { LinkDirState, SimEvent, SimState } from './state.ts';

/** An event before the queue gives it a sequence number. */
export type NewEvent = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 's'> : never) : never;

/** What the simulation's modules share: the scenario, the state, scheduling and record output. */
export interface SimCore {
  readonly sc: Scenario;
  st: SimState;
  schedule(ev: NewEvent): void;
  /** Schedules the arrival of the packet in `slot` (wire.ts) at `tUs`, at the node and over the link the slot names. */
  scheduleArrival(slot: number, tUs: number): void;
  /** Schedules the event of any slot (wire.ts: a frame's deadline, a flow's tick …) at `tUs`. */
  scheduleSlot(slot: number, tUs: number): void;
  /** Appends a record due `delayUs` from now to a record lane (wire.records); returns its sequence number there. */
  scheduleRecord(lane: number, delayUs: number): number;
  /** Schedules an event with a sequence number taken earlier (`nextSeq++`): it runs where an event scheduled then would have. */
  scheduleWithSeq(ev: NewEvent, seq: number): void;
  /** The forwarding tables of the nodes that forward (derived; the simulation keeps them in step with the routes and links). */
  readonly fib: Fib;
  /**
   * Per link: its failure count (`downs`) while it is up, −1 while it is down. A packet
   * on it arrives only if this equals the count it left with (SPEC LINK-2). Derived from
   * the links' state and kept in step with it; one typed read instead of the link's object.
   */
  readonly linkGate: Int32Array;
  /**
   * Per link: 1 when its loss model can lose a packet, 0 when it cannot (Bernoulli with
   * p = 0, which draws nothing): a hop on a lossless link reads neither the link's
   * object nor its model. Derived, kept in step with the links' state.
   */
  readonly linkLossy: Uint8Array;
  /** Per interface (link × 2 + direction): IFACE_FIFO, IFACE_RED or IFACE_PRIORITY (derived from its discipline, kept in step with it). */
  readonly ifaceKind: Int8Array;
  /** Per interface: its direction's state object, `st.links[link].dirs[dir]` (derived: follows a restore). */
  readonly ifaceDir: LinkDirState[];
  /** Per node: NODE_HOST, NODE_FORWARD or NODE_ROLE (derived from the role nodes' state by their roles, kept in step with it). */
  readonly nodeMode: Int8Array;
  /** The network's wiring up to the transport layer (application/traffic.ts), for code that sends packets. */
  readonly hooks: NetworkHooks;
  /** A packet (in `slot`, over `link`) arrived at a NODE_ROLE node: its role decides (roles/registry.ts). */
  roleArrive(hooks: NetworkHooks, node: number, slot: number, link: number): void;
  emit(r: SimRecord): void;
  /** Demultiplexing indexes (derived from state; rebuilt on restore): TCP by 4-tuple, QUIC by connection ID. */
  readonly tcpIndex: TcpDemux;
  readonly quicIndex: Map<string, number>;
  /** Record subscribers. Per-packet paths check `listeners.length > 0` before building a record object. */
  listeners: RecordListener[];
  /** Emit `tcpSample` and `quicSample` records at every congestion-control event (observability; not state). */
  traceCongestion: boolean;
}

/**
 * What a node does with an arriving packet: a host takes it; a role node forwards it
 * by its table (the hop path's fast lane, no call into the role) or hands it to its
 * role's `arrive` (roles/role.ts), e.g. a router in hand mode.
 */
export const NODE_HOST = 0;
export const NODE_FORWARD = 1;
export const NODE_ROLE = 2;

/** An interface's queue discipline, as `ifaceKind` holds it. */
export const IFACE_FIFO = 0;
export const IFACE_RED = 1;
export const IFACE_PRIORITY = 2;

/** The result of applying a command: null when it took effect, else why not (SPEC CMD-1). */
export type CommandError = string | null;

/** Throws when an invariant of the simulation is broken: a bug, never bad input. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`simulation invariant broken: ${message}`);
}
