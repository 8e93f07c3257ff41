import type { LbAlgorithm } from '../../application/balancing/choices.ts';
import { type ServerView, viewServer } from '../../application/server.ts';
import type { SimCore } from '../../engine/core.ts';
import { formatAddress } from '../../network/address.ts';
import type { AdminState } from '../l4lb/state.ts';
import { busyShare } from './cpu.ts';
import type { PathRule } from './rules.ts';
import type { L7lbSpec } from './spec.ts';
import { type L7lbState, takesRequests } from './state.ts';

/** One backend of a pool in the L7 panel (SPEC LB-L7-9). */
export interface L7BackendView {
  id: string;
  label: string;
  weight: number;
  admin: AdminState;
  healthy: boolean;
  /** Whether it gets new requests now (LB-L7-3). */
  eligible: boolean;
  /** Requests in flight; all it was given. */
  inflight: number;
  total: number;
  /** Keep-alive connections to it: idle in the pool, carrying a request, opened in all, handshakes saved. */
  idle: number;
  busy: number;
  opened: number;
  saved: number;
  server: ServerView | null;
}

export interface L7PoolView {
  name: string;
  algorithm: LbAlgorithm;
  backends: L7BackendView[];
  completed: number;
  failed: number;
  /** Mean latency of its completed requests, ms (0 before the first). */
  meanLatencyMs: number;
  /** Backend handshakes made and saved over the pool's backends. */
  handshakes: number;
  handshakesSaved: number;
}

/** What the L7 balancer's panel and the scene read (SPEC LB-L7-9). */
export interface L7lbView {
  role: 'l7lb';
  id: string;
  address: string;
  rules: PathRule[];
  sticky: boolean;
  stickyMisses: number;
  /** Session cookies bound to a backend now. */
  sessions: number;
  poolSize: number;
  pools: L7PoolView[];
  cpu: {
    serviceUs: number;
    concurrency: number;
    queueLimit: number;
    busy: number;
    queued: number;
    peakQueue: number;
    done: number;
    refused: number;
    /** Work done over concurrency × time since the start, 0–1. */
    busyShare: number;
  };
  routed: number;
  refused: number;
  handshakesSaved: number;
  dropped: number;
}

export function viewL7lb(sim: SimCore, lb: L7lbState): L7lbView {
  const spec = sim.sc.file.nodes[lb.node] as unknown as L7lbSpec;
  const pools = lb.pools.map((p) => {
    const backends = p.backends.map((b) => ({
      id: sim.sc.nodeIds[b.host] ?? '?',
      label: sim.sc.file.nodes[b.host]?.label ?? '',
      weight: b.weight,
      admin: b.admin,
      healthy: b.healthy,
      eligible: takesRequests(b),
      inflight: b.inflight,
      total: b.total,
      idle: b.conns.idle,
      busy: b.conns.busy,
      opened: b.conns.opened,
      saved: b.conns.saved,
      server: viewServer(sim, b.host),
    }));
    return {
      name: p.name,
      algorithm: p.algorithm,
      backends,
      completed: p.completed,
      failed: p.failed,
      meanLatencyMs: p.completed === 0 ? 0 : p.latencySumUs / p.completed / 1_000,
      handshakes: backends.reduce((a, b) => a + b.opened, 0),
      handshakesSaved: backends.reduce((a, b) => a + b.saved, 0),
    };
  });
  const cpu = lb.cpu;
  return {
    role: 'l7lb',
    id: sim.sc.nodeIds[lb.node] ?? '?',
    address: formatAddress(sim.sc.hostAddr[lb.node] as number),
    rules: lb.rules.map((r) => ({ prefix: r.prefix, pool: r.pool })),
    sticky: lb.sticky,
    stickyMisses: lb.stickyMisses,
    sessions: Object.keys(lb.sessions).length,
    poolSize: lb.poolSize,
    pools,
    cpu: {
      ...spec.cpu,
      busy: cpu.active.length,
      queued: cpu.queue.length,
      peakQueue: cpu.peakQueue,
      done: cpu.done,
      refused: cpu.refused,
      busyShare: busyShare(cpu, spec.cpu, sim.st.nowUs),
    },
    routed: lb.routed,
    refused: lb.refused,
    handshakesSaved: pools.reduce((a, p) => a + p.handshakesSaved, 0),
    dropped: lb.dropped,
  };
}
