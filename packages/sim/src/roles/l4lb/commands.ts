/** What an L4 balancer's player (and its bot) may change (SPEC LB-L4-5). */
import { LB_ALGORITHMS, type LbAlgorithm } from '../../application/balancing/choices.ts';
import type { CommandHandler } from '../role.ts';
import { forget, isLive, markBroken } from './conntrack.ts';
import { WEIGHT_MAX } from './spec.ts';
import { ADMIN_STATES, type AdminState, type L4lbState, type TrackedConn } from './state.ts';

/** The L4 balancer's commands; `node` names the balancer, `backend` one of its backends by host id. */
export type L4lbCommand =
  | { type: 'l4lb.algorithm'; node: string; algorithm: LbAlgorithm }
  | { type: 'l4lb.weight'; node: string; backend: string; weight: number }
  | { type: 'l4lb.backend'; node: string; backend: string; state: AdminState }
  | { type: 'l4lb.tracking'; node: string; on: boolean }
  | { type: 'l4lb.flush'; node: string };

type Handler<T extends L4lbCommand['type']> = CommandHandler<L4lbState, Extract<L4lbCommand, { type: T }>>;

/** The index of backend `id` in the pool, or −1. */
export function backendIndex(
  sim: { sc: { nodeIds: readonly string[] } },
  lb: L4lbState,
  id: unknown,
): number {
  return lb.backends.findIndex((b) => sim.sc.nodeIds[b.host] === id);
}

const algorithm: Handler<'l4lb.algorithm'> = (_sim, lb, cmd) => {
  if (!LB_ALGORITHMS.includes(cmd.algorithm)) return `algorithm is one of ${LB_ALGORITHMS.join(', ')}`;
  lb.algorithm = cmd.algorithm;
  return null;
};

const weight: Handler<'l4lb.weight'> = (sim, lb, cmd) => {
  const i = backendIndex(sim, lb, cmd.backend);
  if (i < 0) return `no backend "${String(cmd.backend)}" in this pool`;
  if (!Number.isInteger(cmd.weight) || cmd.weight < 0 || cmd.weight > WEIGHT_MAX)
    return `weight is a whole number from 0 to ${WEIGHT_MAX}`;
  (lb.backends[i] as { weight: number }).weight = cmd.weight;
  return null;
};

const backend: Handler<'l4lb.backend'> = (sim, lb, cmd) => {
  const i = backendIndex(sim, lb, cmd.backend);
  if (i < 0) return `no backend "${String(cmd.backend)}" in this pool`;
  if (!ADMIN_STATES.includes(cmd.state)) return `state is one of ${ADMIN_STATES.join(', ')}`;
  (lb.backends[i] as { admin: AdminState }).admin = cmd.state;
  return null;
};

const tracking: Handler<'l4lb.tracking'> = (_sim, lb, cmd) => {
  if (typeof cmd.on !== 'boolean') return 'on is true or false';
  lb.tracking = cmd.on;
  return null;
};

/**
 * Forgets every tracked connection, as a restarted balancer would (SPEC LB-L4-2): each one
 * established and open breaks (`conn-moved`, counted as LB-L4-4 counts), as its next
 * segment finds no entry.
 */
const flush: Handler<'l4lb.flush'> = (sim, lb) => {
  for (const key of Object.keys(lb.conns)) {
    const conn = lb.conns[Number(key)] as TrackedConn;
    // One still in its handshake is not broken: the client's SYN, sent again, opens a new one.
    if (conn.established && isLive(conn)) markBroken(sim, lb, conn, 'conn-moved');
    forget(lb, Number(key));
  }
  return null;
};

export const l4lbCommands = {
  'l4lb.algorithm': algorithm,
  'l4lb.weight': weight,
  'l4lb.backend': backend,
  'l4lb.tracking': tracking,
  'l4lb.flush': flush,
} as const;
