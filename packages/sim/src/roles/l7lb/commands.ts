/** What an L7 balancer's player (and its bot) may change (SPEC LB-L7-7). */
import { LB_ALGORITHMS, type LbAlgorithm } from '../../application/balancing/choices.ts';
import { ADMIN_STATES, type AdminState } from '../l4lb/state.ts';
import type { CommandHandler } from '../role.ts';
import { backendGone, closeIdle } from './packetPath.ts';
import { deleteRule, prefixProblem, RULES_MAX, setRule } from './rules.ts';
import { KEEPALIVE_POOL_MAX } from './spec.ts';
import type { L7lbState, L7Pool } from './state.ts';

/** The L7 balancer's commands; `node` names the balancer, `pool` one of its pools, `backend` a backend by host id. */
export type L7lbCommand =
  | { type: 'l7lb.rule'; node: string; prefix: string; pool: string }
  | { type: 'l7lb.ruleDelete'; node: string; prefix: string }
  | { type: 'l7lb.sticky'; node: string; on: boolean }
  | { type: 'l7lb.poolSize'; node: string; size: number }
  | { type: 'l7lb.algorithm'; node: string; pool: string; algorithm: LbAlgorithm }
  | { type: 'l7lb.backend'; node: string; pool: string; backend: string; state: AdminState };

type Handler<T extends L7lbCommand['type']> = CommandHandler<L7lbState, Extract<L7lbCommand, { type: T }>>;

function poolNamed(lb: L7lbState, name: unknown): L7Pool | undefined {
  return lb.pools.find((p) => p.name === name);
}

const rule: Handler<'l7lb.rule'> = (_sim, lb, cmd) => {
  const problem = prefixProblem(cmd.prefix);
  if (problem) return problem;
  if (!poolNamed(lb, cmd.pool)) return `no pool "${String(cmd.pool)}"`;
  return setRule(lb.rules, cmd.prefix, cmd.pool) ? null : `at most ${RULES_MAX} rules`;
};

const ruleDelete: Handler<'l7lb.ruleDelete'> = (_sim, lb, cmd) =>
  deleteRule(lb.rules, cmd.prefix) ? null : `no rule for "${String(cmd.prefix)}"`;

/** Turning sticky sessions off forgets every binding: turned on again, sessions bind anew. */
const sticky: Handler<'l7lb.sticky'> = (_sim, lb, cmd) => {
  if (typeof cmd.on !== 'boolean') return 'on is true or false';
  lb.sticky = cmd.on;
  if (!cmd.on) lb.sessions = {};
  return null;
};

const poolSize: Handler<'l7lb.poolSize'> = (sim, lb, cmd) => {
  if (!Number.isInteger(cmd.size) || cmd.size < 0 || cmd.size > KEEPALIVE_POOL_MAX)
    return `size is a whole number from 0 to ${KEEPALIVE_POOL_MAX}`;
  lb.poolSize = cmd.size;
  for (const p of lb.pools) for (const b of p.backends) closeIdle(sim, lb, b, cmd.size);
  return null;
};

const algorithm: Handler<'l7lb.algorithm'> = (_sim, lb, cmd) => {
  const p = poolNamed(lb, cmd.pool);
  if (!p) return `no pool "${String(cmd.pool)}"`;
  if (!LB_ALGORITHMS.includes(cmd.algorithm)) return `algorithm is one of ${LB_ALGORITHMS.join(', ')}`;
  p.algorithm = cmd.algorithm;
  return null;
};

/** A backend taken `down` loses its requests under way and its idle keep-alive connections; `drain` keeps them for requests under way. */
const backend: Handler<'l7lb.backend'> = (sim, lb, cmd) => {
  const p = poolNamed(lb, cmd.pool);
  if (!p) return `no pool "${String(cmd.pool)}"`;
  const b = p.backends.find((x) => sim.sc.nodeIds[x.host] === cmd.backend);
  if (!b) return `no backend "${String(cmd.backend)}" in pool "${p.name}"`;
  if (!ADMIN_STATES.includes(cmd.state)) return `state is one of ${ADMIN_STATES.join(', ')}`;
  b.admin = cmd.state;
  // Its requests under way fail as backend-down; its idle connections close (SPEC LB-L7-15).
  if (cmd.state === 'down') backendGone(sim, lb, lb.pools.indexOf(p), p.backends.indexOf(b));
  return null;
};

export const l7lbCommands = {
  'l7lb.rule': rule,
  'l7lb.ruleDelete': ruleDelete,
  'l7lb.sticky': sticky,
  'l7lb.poolSize': poolSize,
  'l7lb.algorithm': algorithm,
  'l7lb.backend': backend,
} as const;
