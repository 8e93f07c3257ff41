import type { LbAlgorithm } from '../../application/balancing/choices.ts';
import { type ServerView, viewServer } from '../../application/server.ts';
import type { SimCore } from '../../engine/core.ts';
import { formatAddress } from '../../network/address.ts';
import { specOf } from './health.ts';
import { type AdminState, eligible, type L4lbState } from './state.ts';

/** One backend in the balancer's panel (SPEC LB-L4-5). */
export interface L4BackendView {
  id: string;
  label: string;
  weight: number;
  admin: AdminState;
  /** What the balancer's health checks say, and whether it takes new connections now. */
  healthy: boolean;
  eligible: boolean;
  /** Connections pinned to it and open; all it was given; broken on it. */
  open: number;
  total: number;
  broken: number;
  /** The host's server (busy, queued, served, refused, open connections, memory), or null without `server`. */
  server: ServerView | null;
}

/** What the L4 balancer's panel and the scene read (SPEC LB-L4-5). */
export interface L4lbView {
  role: 'l4lb';
  id: string;
  /** The virtual IP, dotted. */
  address: string;
  algorithm: LbAlgorithm;
  tracking: boolean;
  maglevTableSize: number;
  backends: L4BackendView[];
  /** Tracked connections open now; new connections given a backend; refused; broken. */
  open: number;
  accepted: number;
  refused: number;
  broken: number;
  /** Open connections of the busiest eligible backend over their mean (1 = even; 0 with none open). */
  imbalance: number;
  dropped: number;
}

export function viewL4lb(sim: SimCore, lb: L4lbState): L4lbView {
  const spec = specOf(sim, lb);
  const backends = lb.backends.map((b) => ({
    id: sim.sc.nodeIds[b.host] ?? '?',
    label: sim.sc.file.nodes[b.host]?.label ?? '',
    weight: b.weight,
    admin: b.admin,
    healthy: b.healthy,
    eligible: eligible(b, spec.maxConnsPerWeight),
    open: b.open,
    total: b.total,
    broken: b.broken,
    server: viewServer(sim, b.host),
  }));
  const loads = lb.backends.filter((b) => eligible(b, 0)).map((b) => b.open);
  const total = loads.reduce((a, x) => a + x, 0);
  return {
    role: 'l4lb',
    id: sim.sc.nodeIds[lb.node] ?? '?',
    address: formatAddress(sim.sc.hostAddr[lb.node] as number),
    algorithm: lb.algorithm,
    tracking: lb.tracking,
    maglevTableSize: spec.maglevTableSize,
    backends,
    open: lb.backends.reduce((a, b) => a + b.open, 0),
    accepted: lb.accepted,
    refused: lb.refused,
    broken: lb.broken,
    imbalance: total === 0 ? 0 : Math.max(...loads) / (total / loads.length),
    dropped: lb.dropped,
  };
}
