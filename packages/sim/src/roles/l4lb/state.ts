import type { LbAlgorithm } from '../../application/balancing/choices.ts';
import type { HealthTarget } from '../../application/balancing/health.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { RoleStateBase } from '../role.ts';
import type { L4lbSpec } from './spec.ts';

/** What the balancer's player set for a backend: in service, draining (no new connections), or out (SPEC LB-POOL-2). */
export const ADMIN_STATES = ['up', 'drain', 'down'] as const;
export type AdminState = (typeof ADMIN_STATES)[number];

/** One backend as the balancer sees it: its settings, its health checks and its connections. */
export interface BackendState extends HealthTarget {
  weight: number;
  admin: AdminState;
  /** Connections pinned to it and not closed; all it was given; those broken on it. */
  open: number;
  total: number;
  broken: number;
}

/** A tracked connection (SPEC LB-L4-2), by the balancer's own port towards the backend. */
export interface TrackedConn {
  clientAddr: number;
  clientPort: number;
  backend: number;
  flow: number;
  unit: number;
  lastUs: number;
  /** A segment of the client after its SYN has passed: the client holds the connection established. */
  established: boolean;
  /** FINs seen: 1 from the client, 2 from the backend (bits). */
  fins: number;
  /** When it closed (both FINs, a reset, or broken), µs; −1 while open. */
  closedUs: number;
  /** Why it broke (SPEC LB-L4-4), or '' while whole. */
  broken: '' | 'backend-down' | 'conn-moved';
}

export interface L4lbState extends RoleStateBase {
  role: 'l4lb';
  node: number;
  dropped: number;
  algorithm: LbAlgorithm;
  tracking: boolean;
  backends: BackendState[];
  /** Smooth round robin's current values, per backend (SPEC LB-ALG-1). */
  rrCurrent: number[];
  /** Tracked connections by the balancer's port, and that port by the client's address × 65,536 + port. */
  conns: Record<number, TrackedConn>;
  ports: Record<number, number>;
  /** New connections given a backend; refused for want of one; broken (backend down or moved). */
  accepted: number;
  refused: number;
  broken: number;
  /** The bot's looks so far and the broken connections it had seen then (SPEC LB-BOT-1). */
  botLooks?: number;
  botSeenBroken?: number;
}

export function initialL4lbState(spec: L4lbSpec, node: number, sc: Scenario): L4lbState {
  return {
    role: 'l4lb',
    node,
    dropped: 0,
    algorithm: spec.algorithm,
    tracking: spec.tracking,
    backends: spec.backends.map((b) => ({
      host: sc.nodeIndex.get(b.host) as number,
      weight: b.weight,
      admin: 'up',
      healthy: true,
      misses: 0,
      awaiting: false,
      sentUs: 0,
      round: 0,
      open: 0,
      total: 0,
      broken: 0,
    })),
    rrCurrent: spec.backends.map(() => 0),
    conns: {},
    ports: {},
    accepted: 0,
    refused: 0,
    broken: 0,
  };
}

/** Whether a backend may take a new connection: in service, healthy, weighted, and under its limit (SPEC LB-L4-3). */
export function eligible(b: BackendState, maxConnsPerWeight: number): boolean {
  return (
    b.admin === 'up' &&
    b.healthy &&
    b.weight > 0 &&
    (maxConnsPerWeight === 0 || b.open < maxConnsPerWeight * b.weight)
  );
}
