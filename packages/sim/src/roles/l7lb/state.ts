import type { LbAlgorithm } from '../../application/balancing/choices.ts';
import type { HealthTarget } from '../../application/balancing/health.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { AdminState } from '../l4lb/state.ts';
import type { RoleStateBase } from '../role.ts';
import { type CpuState, initialCpu } from './cpu.ts';
import { type BackendConns, initialBackendConns } from './keepAlivePool.ts';
import type { PathRule } from './rules.ts';
import type { L7lbSpec } from './spec.ts';

/** One backend of a pool as the L7 balancer sees it: settings, health, requests and its keep-alive pool. */
export interface L7Backend {
  host: number;
  /** What the health checks of its host say (`L7lbState.health`, SPEC LB-HEALTH-1). */
  healthy: boolean;
  weight: number;
  admin: AdminState;
  /** Requests sent to it and not answered yet; all it was given. */
  inflight: number;
  total: number;
  conns: BackendConns;
  /** The ids of its idle keep-alive connections, oldest first (as many as `conns.idle`, SPEC LB-L7-13). */
  idleConns: number[];
}

/** A request the balancer read from a client (SPEC LB-L7-11): its client connection, its flow's unit, where it went. */
export interface L7Req {
  /** The client's connection to the virtual IP (the balancer's end). */
  front: number;
  flow: number;
  unit: number;
  startUs: number;
  /** The pool and backend it was sent to, and the balancer's connection carrying it (−1 before). */
  pool: number;
  backend: number;
  back: number;
}

/** A client's connection to the virtual IP: requests read on it, the one under way (−1: none), and whether its answer is back. */
export interface L7Front {
  k: number;
  req: number;
  ready: boolean;
}

/**
 * The balancer's own connection to a backend (SPEC LB-L7-13): its request (−1 while
 * idle), since when it has been idle, and the bytes sent and expected back in all.
 */
export interface L7Back {
  pool: number;
  backend: number;
  req: number;
  idleSinceUs: number;
  reqEnd: number;
  respEnd: number;
}

/** A pool: its algorithm, backends and the request latencies it has seen (SPEC LB-L7-3). */
export interface L7Pool {
  name: string;
  algorithm: LbAlgorithm;
  backends: L7Backend[];
  /** Smooth round robin's current values, per backend (SPEC LB-ALG-1). */
  rrCurrent: number[];
  completed: number;
  failed: number;
  latencySumUs: number;
}

export interface L7lbState extends RoleStateBase {
  role: 'l7lb';
  node: number;
  dropped: number;
  pools: L7Pool[];
  /** Health checks, one per backend host in order of first appearance in the pools: a host in two pools is probed once (SPEC LB-HEALTH-1). */
  health: HealthTarget[];
  rules: PathRule[];
  sticky: boolean;
  /** Sticky sessions: the backend index a session cookie is bound to, by pool name + "\n" + cookie (SPEC LB-L7-4). */
  sessions: Record<string, number>;
  stickyMisses: number;
  /** Idle connections kept per backend (SPEC LB-L7-5). */
  poolSize: number;
  cpu: CpuState;
  /** Requests read and not yet answered or failed, by id; the next id. */
  reqs: Record<number, L7Req>;
  nextReq: number;
  /** Clients' connections to it by connection id, and its own to backends. */
  fronts: Record<number, L7Front>;
  backs: Record<number, L7Back>;
  /** The next local port it tries for a connection to a backend. */
  nextPort: number;
  /** When its pending idle-timeout timer fires (−1: none pending, SPEC LB-L7-5). */
  idleTimerUs: number;
  /** Requests routed, and those refused with no rule, no backend or a full CPU queue. */
  routed: number;
  refused: number;
  /** The bot's looks so far and the sticky misses it had seen then (SPEC LB-L7-10). */
  botLooks?: number;
  botSeenMisses?: number;
}

export function initialL7lbState(spec: L7lbSpec, node: number, sc: Scenario): L7lbState {
  return {
    role: 'l7lb',
    node,
    dropped: 0,
    pools: spec.pools.map((p) => ({
      name: p.name,
      algorithm: p.algorithm,
      backends: p.backends.map((b) => ({
        host: sc.nodeIndex.get(b.host) as number,
        weight: b.weight,
        admin: 'up',
        healthy: true,
        inflight: 0,
        total: 0,
        conns: initialBackendConns(),
        idleConns: [],
      })),
      rrCurrent: p.backends.map(() => 0),
      completed: 0,
      failed: 0,
      latencySumUs: 0,
    })),
    health: [
      ...new Set(spec.pools.flatMap((p) => p.backends.map((b) => sc.nodeIndex.get(b.host) as number))),
    ].map((host) => ({ host, healthy: true, misses: 0, awaiting: false, sentUs: 0, round: 0 })),
    rules: spec.rules.map((r) => ({ prefix: r.prefix, pool: r.pool })),
    sticky: spec.sticky,
    sessions: {},
    stickyMisses: 0,
    poolSize: spec.keepAlivePoolSize,
    cpu: initialCpu(),
    reqs: {},
    nextReq: 0,
    fronts: {},
    backs: {},
    nextPort: 0,
    idleTimerUs: -1,
    routed: 0,
    refused: 0,
  };
}

/** Whether a backend may take a new request: in service, healthy and weighted (SPEC LB-L7-3). */
export function takesRequests(b: L7Backend): boolean {
  return b.admin === 'up' && b.healthy && b.weight > 0;
}
