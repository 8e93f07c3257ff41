/**
 * A backend of one pool for one request, by the pool's algorithm (SPEC LB-L7-3), over
 * the balancing choices every balancer shares (LB-ALG-1). An L7 balancer balances
 * requests, not connections: least connections counts each backend's requests in flight.
 */
import {
  leastLoaded,
  smoothRoundRobin,
  twoChoices,
  weightedHash,
} from '../../application/balancing/choices.ts';
import { mix32 } from '../../application/balancing/hash32.ts';
import { MAGLEV_TABLE_SIZE, maglevTable } from '../../application/balancing/maglev.ts';
import type { RngState } from '../../engine/rng.ts';
import { type L7Pool, takesRequests } from './state.ts';

/** Maglev tables by pool, rebuilt when the eligible weights change (derived, never state). */
const tables = new WeakMap<L7Pool, { key: string; table: Int32Array }>();

function maglevOf(pool: L7Pool, names: readonly string[], weights: readonly number[]): Int32Array {
  const key = weights.join(',');
  const cached = tables.get(pool);
  if (cached && cached.key === key) return cached.table;
  const table = maglevTable(names, weights, MAGLEV_TABLE_SIZE);
  tables.set(pool, { key, table });
  return table;
}

/**
 * The backend index for a request whose client hashes to `clientKey` (its address: a
 * client keeps its backend under `source-hash` and `maglev`), or −1 when no backend of
 * the pool takes requests. `names` are the backends' ids (Maglev's permutations).
 */
export function pickInPool(pool: L7Pool, names: readonly string[], clientKey: number, rng: RngState): number {
  const ok = pool.backends.map(takesRequests);
  const weights = pool.backends.map((b) => b.weight);
  switch (pool.algorithm) {
    case 'round-robin':
      return smoothRoundRobin(ok, weights, pool.rrCurrent);
    case 'least-connections':
      return leastLoaded(
        ok,
        weights,
        pool.backends.map((b) => b.inflight),
      );
    case 'source-hash':
      return weightedHash(ok, weights, mix32(clientKey >>> 0));
    case 'maglev': {
      if (!ok.includes(true)) return -1;
      const table = maglevOf(
        pool,
        names,
        weights.map((w, i) => (ok[i] ? w : 0)),
      );
      return table[mix32(clientKey >>> 0) % table.length] as number;
    }
    case 'two-choices':
      return twoChoices(
        ok,
        weights,
        pool.backends.map((b) => b.inflight),
        rng,
      );
  }
}
