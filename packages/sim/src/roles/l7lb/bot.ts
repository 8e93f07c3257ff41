/**
 * The L7 balancer's bot at three skills (SPEC LB-L7-10). A competent bot restores the
 * scenario's rules and sticky setting, sets every pool's algorithm to `botAlgorithm`
 * (else least connections), the keep-alive pool size to `botPoolSize`, and every backend
 * in service at its scenario weight. A novice keeps what the scenario gave for 30 s,
 * and meanwhile turns sticky sessions off when it sees sticky misses (which moves every
 * session); then it does as the competent bot. An expert does as the competent bot with
 * a pool size covering its busiest backend's concurrency, and every 5 s drains a backend
 * whose queue is over ¾ full, taking it back below ¼ (as the L4 expert, LB-BOT-1).
 */
import { chance } from '../../engine/rng.ts';
import { msToUs } from '../../engine/units.ts';
import { drainByQueue } from '../l4lb/bot.ts';
import { botTimerArg, type RoleHost } from '../role.ts';
import { closeIdle } from './packetPath.ts';
import { KEEPALIVE_POOL_MAX, type L7lbSpec } from './spec.ts';
import type { L7lbState } from './state.ts';

export const L7LB_BOT_SKILLS = ['novice', 'competent', 'expert'] as const;
export const NOVICE_LOOK_S = 10;
export const NOVICE_FIX_LOOK = 3;
export const NOVICE_UNSTICK_CHANCE = 0.5;
export const EXPERT_LOOK_S = 5;

function setPoolSize(sim: RoleHost, lb: L7lbState, size: number): void {
  lb.poolSize = size;
  for (const p of lb.pools) for (const b of p.backends) closeIdle(sim, lb, b, size);
}

function competent(sim: RoleHost, lb: L7lbState, spec: L7lbSpec): void {
  lb.rules = spec.rules.map((r) => ({ prefix: r.prefix, pool: r.pool }));
  if (lb.sticky && !spec.sticky) lb.sessions = {};
  lb.sticky = spec.sticky;
  setPoolSize(sim, lb, spec.botPoolSize);
  lb.pools.forEach((p, i) => {
    p.algorithm = spec.botAlgorithm ?? 'least-connections';
    p.backends.forEach((b, j) => {
      b.admin = 'up';
      b.weight = spec.pools[i]?.backends[j]?.weight ?? 1;
    });
  });
}

/** The most requests any backend's server works on at once (0 when none has `server`). */
function largestConcurrency(sim: RoleHost, lb: L7lbState): number {
  let most = 0;
  for (const p of lb.pools)
    for (const b of p.backends) {
      const n = sim.sc.file.nodes[b.host];
      if (n?.kind === 'host' && n.server) most = Math.max(most, n.server.concurrency);
    }
  return most;
}

export function l7lbBot(sim: RoleHost, lb: L7lbState, spec: L7lbSpec, skill: string): null {
  lb.botLooks = 0;
  lb.botSeenMisses = lb.stickyMisses;
  if (skill === 'novice') schedule(sim, lb, NOVICE_LOOK_S);
  else if (skill === 'expert') {
    competent(sim, lb, spec);
    setPoolSize(
      sim,
      lb,
      Math.min(KEEPALIVE_POOL_MAX, Math.max(spec.botPoolSize, largestConcurrency(sim, lb))),
    );
    schedule(sim, lb, EXPERT_LOOK_S);
  } else competent(sim, lb, spec);
  return null;
}

export function onL7lbBotTimer(sim: RoleHost, lb: L7lbState, spec: L7lbSpec): void {
  lb.botLooks = (lb.botLooks ?? 0) + 1;
  if (lb.botSkill === 'novice') {
    const missed = lb.stickyMisses > (lb.botSeenMisses ?? 0);
    lb.botSeenMisses = lb.stickyMisses;
    if (missed && lb.sticky && chance(sim.st.rngBot, NOVICE_UNSTICK_CHANCE)) {
      lb.sticky = false;
      lb.sessions = {};
    }
    if (lb.botLooks === NOVICE_FIX_LOOK) return competent(sim, lb, spec);
    return schedule(sim, lb, NOVICE_LOOK_S);
  }
  if (lb.botSkill !== 'expert') return;
  for (const p of lb.pools) for (const b of p.backends) drainByQueue(sim, b);
  schedule(sim, lb, EXPERT_LOOK_S);
}

function schedule(sim: RoleHost, lb: L7lbState, afterS: number): void {
  sim.schedule({
    t: sim.st.nowUs + msToUs(afterS * 1_000),
    k: 'roleTimer',
    node: lb.node,
    arg: botTimerArg(lb),
  });
}
