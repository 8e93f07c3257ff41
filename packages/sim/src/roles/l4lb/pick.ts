/** The balancer's choice of a backend for a connection, by its algorithm (SPEC LB-ALG-1). */
import {
  leastLoaded,
  smoothRoundRobin,
  twoChoices,
  weightedHash,
} from '../../application/balancing/choices.ts';
import { flowKey32, mix32 } from '../../application/balancing/hash32.ts';
import { maglevTable } from '../../application/balancing/maglev.ts';
import type { SimCore } from '../../engine/core.ts';
import type { L4lbSpec } from './spec.ts';
import { eligible, type L4lbState } from './state.ts';

/** Maglev tables by balancer state, rebuilt when the set of eligible backends or their weights change (derived, never state). */
const tables = new WeakMap<L4lbState, { key: string; table: Int32Array }>();

function maglevOf(sim: SimCore, lb: L4lbState, spec: L4lbSpec, ok: readonly boolean[]): Int32Array {
  const weights = lb.backends.map((b, i) => (ok[i] ? b.weight : 0));
  const key = weights.join(',');
  const cached = tables.get(lb);
  if (cached && cached.key === key) return cached.table;
  const names = lb.backends.map((b) => sim.sc.nodeIds[b.host] ?? '');
  const table = maglevTable(names, weights, spec.maglevTableSize);
  tables.set(lb, { key, table });
  return table;
}

/** Why no backend was picked: none is up (`backend-down`), or those up are all full (`pool-overloaded`). */
export function noBackendReason(lb: L4lbState): 'backend-down' | 'pool-overloaded' {
  return lb.backends.some((b) => b.admin === 'up' && b.healthy && b.weight > 0)
    ? 'pool-overloaded'
    : 'backend-down';
}

/**
 * A backend index for the connection from `addr`:`port`, or −1 when none is eligible.
 * `source-hash` hashes the client's address only (a client keeps its backend across
 * connections); `maglev` hashes address and port (connections spread, each keeps its slot).
 */
export function pickBackend(sim: SimCore, lb: L4lbState, spec: L4lbSpec, addr: number, port: number): number {
  const ok = lb.backends.map((b) => eligible(b, spec.maxConnsPerWeight));
  const weights = lb.backends.map((b) => b.weight);
  switch (lb.algorithm) {
    case 'round-robin':
      return smoothRoundRobin(ok, weights, lb.rrCurrent);
    case 'least-connections':
      return leastLoaded(
        ok,
        weights,
        lb.backends.map((b) => b.open),
      );
    case 'source-hash':
      return weightedHash(ok, weights, mix32(addr >>> 0));
    case 'maglev': {
      if (!ok.includes(true)) return -1;
      const table = maglevOf(sim, lb, spec, ok);
      return table[flowKey32(addr, port) % table.length] as number;
    }
    case 'two-choices':
      return twoChoices(
        ok,
        weights,
        lb.backends.map((b) => b.open),
        sim.st.rngLb,
      );
  }
}
