/**
 * The L7 balancer's bookkeeping of a request it forwards (SPEC LB-L7-8): sent to a
 * backend (in flight, a pooled connection taken or a new one opened), then answered
 * (its connection back to the pool, its latency added to its pool's) or failed.
 */
import { acquire, release } from './keepAlivePool.ts';
import type { L7Backend, L7lbState, L7Pool } from './state.ts';

function at(lb: L7lbState, pool: number, backend: number): { p: L7Pool; b: L7Backend } {
  const p = lb.pools[pool] as L7Pool;
  return { p, b: p.backends[backend] as L7Backend };
}

/** The request leaves for backend `backend` of pool `pool`: true when it reuses a pooled connection (no handshake). */
export function noteForwarded(lb: L7lbState, pool: number, backend: number): boolean {
  const { b } = at(lb, pool, backend);
  b.inflight++;
  b.total++;
  lb.routed++;
  return acquire(b.conns);
}

/** Its response is back, `latencyUs` after the request started: true when its connection stays in the pool. */
export function noteAnswered(lb: L7lbState, pool: number, backend: number, latencyUs: number): boolean {
  const { p, b } = at(lb, pool, backend);
  if (b.inflight > 0) b.inflight--;
  p.completed++;
  p.latencySumUs += latencyUs;
  return release(b.conns, lb.poolSize);
}

/** It failed on the backend (reset, timeout): its connection is gone, not pooled. */
export function noteFailed(lb: L7lbState, pool: number, backend: number): void {
  const { p, b } = at(lb, pool, backend);
  if (b.inflight > 0) b.inflight--;
  if (b.conns.busy > 0) b.conns.busy--;
  p.failed++;
}
