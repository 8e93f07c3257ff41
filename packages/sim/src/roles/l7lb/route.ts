/**
 * Where the L7 balancer sends one request (SPEC LB-L7-2..4): the pool of the longest
 * path rule, then — with sticky sessions on and a session cookie — the backend the
 * cookie is bound to while it takes requests, else a backend by the pool's algorithm
 * (binding the cookie to it). A cookie whose backend went down or is draining is a
 * sticky miss: counted, and the session moves.
 */
import type { RngState } from '../../engine/rng.ts';
import { pickInPool } from './pick.ts';
import { matchRule } from './rules.ts';
import { type L7lbState, takesRequests } from './state.ts';

/** What the balancer reads of a request: its path, its session cookie ('' without), and a hash of its client. */
export interface L7Request {
  path: string;
  cookie: string;
  clientKey: number;
}

/** Why a request found no backend: no rule matches its path, or its pool has no backend taking requests. */
export type L7Refusal = 'no-route' | 'backend-down';

export type L7Decision =
  | { pool: number; backend: number; sticky: 'off' | 'new' | 'hit' | 'miss' }
  | { pool: number; refused: L7Refusal };

/** The pool and backend for `req`; updates the sessions and sticky misses, not the backends' counters. */
export function routeRequest(
  lb: L7lbState,
  backendNames: (pool: number) => readonly string[],
  req: L7Request,
  rng: RngState,
): L7Decision {
  const rule = matchRule(lb.rules, req.path);
  const poolName = rule < 0 ? undefined : lb.rules[rule]?.pool;
  const pool = poolName === undefined ? -1 : lb.pools.findIndex((p) => p.name === poolName);
  if (pool < 0) return { pool: -1, refused: 'no-route' };
  const p = lb.pools[pool] as L7lbState['pools'][number];
  const sticky = lb.sticky && req.cookie !== '';
  const key = `${p.name}\n${req.cookie}`;
  let outcome: 'off' | 'new' | 'miss' = sticky ? 'new' : 'off';
  if (sticky) {
    const bound = lb.sessions[key];
    const b = bound === undefined ? undefined : p.backends[bound];
    if (b && takesRequests(b)) return { pool, backend: bound as number, sticky: 'hit' };
    if (b) outcome = 'miss';
  }
  const backend = pickInPool(p, backendNames(pool), req.clientKey, rng);
  if (backend < 0) return { pool, refused: 'backend-down' };
  if (outcome === 'miss') lb.stickyMisses++;
  if (sticky) lb.sessions[key] = backend;
  return { pool, backend, sticky: outcome };
}
