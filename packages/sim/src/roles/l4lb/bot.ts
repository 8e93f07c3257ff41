/**
 * The L4 balancer's bot at three skills (SPEC LB-BOT-1). A competent bot sets the
 * scenario's bot algorithm (else least connections) with tracking on and every backend
 * in service at its scenario weight. A novice keeps what the scenario gave for 30 s,
 * and meanwhile may flush the connection table when it sees connections break (which
 * breaks more); then it does as the competent bot. An expert does as the competent bot
 * with weights in proportion to each backend's capacity (concurrency ÷ processing time),
 * and every 5 s drains a backend whose queue is over ¾ full, taking it back below ¼.
 */
import { chance } from '../../engine/rng.ts';
import { msToUs } from '../../engine/units.ts';
import { botTimerArg, type RoleHost } from '../role.ts';
import { l4lbCommands } from './commands.ts';
import type { L4lbSpec } from './spec.ts';
import type { AdminState, L4lbState } from './state.ts';

export const L4LB_BOT_SKILLS = ['novice', 'competent', 'expert'] as const;
export const NOVICE_LOOK_S = 10;
export const NOVICE_FIX_LOOK = 3;
export const NOVICE_FLUSH_CHANCE = 0.5;
export const EXPERT_LOOK_S = 5;

function competent(lb: L4lbState, spec: L4lbSpec): void {
  lb.algorithm = spec.botAlgorithm ?? 'least-connections';
  lb.tracking = true;
  lb.backends.forEach((b, i) => {
    b.admin = 'up';
    b.weight = spec.backends[i]?.weight ?? 1;
  });
}

/** Weights 1–10 in proportion to each backend's requests per second at full use (no `server`: the scenario's weight). */
function capacityWeights(sim: RoleHost, lb: L4lbState, spec: L4lbSpec): void {
  const capacity = lb.backends.map((b) => {
    const n = sim.sc.file.nodes[b.host];
    const s = n?.kind === 'host' ? n.server : undefined;
    return s ? s.concurrency / Math.max(s.processingMs, 0.001) : -1;
  });
  const most = Math.max(...capacity);
  if (most <= 0) return;
  lb.backends.forEach((b, i) => {
    const c = capacity[i] as number;
    b.weight = c < 0 ? (spec.backends[i]?.weight ?? 1) : Math.max(1, Math.round((10 * c) / most));
  });
}

export function l4lbBot(sim: RoleHost, lb: L4lbState, spec: L4lbSpec, skill: string): null {
  lb.botLooks = 0;
  lb.botSeenBroken = lb.broken;
  if (skill === 'novice') {
    lb.algorithm = spec.algorithm;
    lb.tracking = spec.tracking;
    schedule(sim, lb, NOVICE_LOOK_S);
  } else if (skill === 'expert') {
    competent(lb, spec);
    capacityWeights(sim, lb, spec);
    schedule(sim, lb, EXPERT_LOOK_S);
  } else competent(lb, spec);
  return null;
}

export function onL4lbBotTimer(sim: RoleHost, lb: L4lbState, spec: L4lbSpec): void {
  lb.botLooks = (lb.botLooks ?? 0) + 1;
  if (lb.botSkill === 'novice') {
    const newlyBroken = lb.broken > (lb.botSeenBroken ?? 0);
    lb.botSeenBroken = lb.broken;
    if (newlyBroken && chance(sim.st.rngBot, NOVICE_FLUSH_CHANCE))
      l4lbCommands['l4lb.flush'](sim, lb, { type: 'l4lb.flush', node: sim.sc.nodeIds[lb.node] ?? '' });
    if (lb.botLooks === NOVICE_FIX_LOOK) return competent(lb, spec);
    return schedule(sim, lb, NOVICE_LOOK_S);
  }
  if (lb.botSkill !== 'expert') return;
  for (const b of lb.backends) drainByQueue(sim, b);
  schedule(sim, lb, EXPERT_LOOK_S);
}

/** An expert's look at one backend: drained when its server's queue is over ¾ full, back up below ¼ (SPEC LB-BOT-1). */
export function drainByQueue(sim: RoleHost, b: { host: number; admin: AdminState }): void {
  const q = sim.st.servers[b.host];
  const n = sim.sc.file.nodes[b.host];
  const limit = n?.kind === 'host' ? (n.server?.queueLimit ?? 0) : 0;
  if (!q || limit === 0) return;
  if (b.admin === 'up' && q.queue.length > (3 * limit) / 4) b.admin = 'drain';
  else if (b.admin === 'drain' && q.queue.length < limit / 4) b.admin = 'up';
}

function schedule(sim: RoleHost, lb: L4lbState, afterS: number): void {
  sim.schedule({
    t: sim.st.nowUs + msToUs(afterS * 1_000),
    k: 'roleTimer',
    node: lb.node,
    arg: botTimerArg(lb),
  });
}
