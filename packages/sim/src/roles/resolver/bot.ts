/**
 * The resolver's bot at its three skills (SPEC BOT-5): a novice keeps the policy it was
 * given, takes the bot policy only after a while, and may flush its cache when lookups
 * fail (which makes things worse); a competent bot takes the scenario's bot policy; an
 * expert takes it with serve-stale and prefetch on, and raises the minimum TTL while
 * the query rate is high, so fewer lookups wait for the authority. Answer policies per
 * region (GSLB-8) go with the bot policy: the novice keeps the scenario's until its fix.
 */
import { cacheFlush } from '../../application/dns/cache.ts';
import { chance } from '../../engine/rng.ts';
import { msToUs } from '../../engine/units.ts';
import { botTimerArg, type RoleHost } from '../role.ts';
import { botAnswers } from './gslb.ts';
import type { ResolverSpec } from './spec.ts';
import { answersFor, cachePolicyOf, type ResolverState } from './state.ts';
import { viewResolver } from './view.ts';

export const RESOLVER_BOT_SKILLS = ['novice', 'competent', 'expert'] as const;

/** How often a novice looks at its resolver, simulated seconds. */
export const NOVICE_LOOK_S = 10;
/** The look at which a novice takes the bot policy (30 s in). */
export const NOVICE_FIX_LOOK = 3;
/** The chance that a novice who sees new failures flushes its cache. */
export const NOVICE_FLUSH_CHANCE = 0.5;
/** How often an expert looks, simulated seconds. */
export const EXPERT_LOOK_S = 5;
/** Answers per second above which an expert raises the minimum TTL. */
export const EXPERT_BUSY_PER_S = 3;
/** The minimum TTL an expert clamps to while busy, seconds. */
export const EXPERT_BUSY_MIN_TTL_S = 20;

/** The policy the competent bot holds: the scenario's `botPolicy`, else its `policy`. */
function botPolicyOf(spec: ResolverSpec) {
  return cachePolicyOf(spec.botPolicy ?? spec.policy);
}

/** Takes the seat at `skill` (SPEC BOT-5). */
export function resolverBot(sim: RoleHost, r: ResolverState, spec: ResolverSpec, skill: string): null {
  r.botLooks = 0;
  r.botSeenFailures = r.failures;
  if (skill === 'novice') {
    r.policy = cachePolicyOf(spec.policy);
    schedule(sim, r, NOVICE_LOOK_S);
  } else if (skill === 'expert') {
    r.policy = { ...botPolicyOf(spec), serveStale: true, prefetch: true };
    r.answers = answersFor(sim.sc, botAnswers(sim, r));
    schedule(sim, r, EXPERT_LOOK_S);
  } else {
    r.policy = botPolicyOf(spec);
    r.answers = answersFor(sim.sc, botAnswers(sim, r));
  }
  return null;
}

/** The bot's look: the novice's late fix and slips, or the expert's TTL tuning (SPEC BOT-5). */
export function onResolverBotTimer(sim: RoleHost, r: ResolverState, spec: ResolverSpec): void {
  r.botLooks = (r.botLooks ?? 0) + 1;
  if (r.botSkill === 'novice') {
    const newFailures = r.failures > (r.botSeenFailures ?? 0);
    r.botSeenFailures = r.failures;
    if (newFailures && chance(sim.st.rngBot, NOVICE_FLUSH_CHANCE)) cacheFlush(r.cache);
    if (r.botLooks === NOVICE_FIX_LOOK) {
      r.policy = botPolicyOf(spec);
      r.answers = answersFor(sim.sc, botAnswers(sim, r));
    }
    return schedule(sim, r, NOVICE_LOOK_S);
  }
  if (r.botSkill !== 'expert') return;
  const base = botPolicyOf(spec);
  const busy = viewResolver(sim, r).queryRatePerS >= EXPERT_BUSY_PER_S;
  const minTtlS = busy ? Math.min(base.maxTtlS, Math.max(base.minTtlS, EXPERT_BUSY_MIN_TTL_S)) : base.minTtlS;
  r.policy = { ...r.policy, minTtlS };
  schedule(sim, r, EXPERT_LOOK_S);
}

function schedule(sim: RoleHost, r: ResolverState, afterS: number): void {
  sim.schedule({
    t: sim.st.nowUs + msToUs(afterS * 1_000),
    k: 'roleTimer',
    node: r.node,
    arg: botTimerArg(r),
  });
}
