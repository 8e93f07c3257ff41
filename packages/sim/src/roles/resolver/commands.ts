/** What a resolver's player (and its bot) may change: the cache policy, and flushing the cache (SPEC DNS-16). */
import { cacheFlush } from '../../application/dns/cache.ts';
import type { CommandHandler } from '../role.ts';
import { ANSWER_POLICIES, type AnswerPolicy, answerPolicyProblem } from './gslbSpec.ts';
import { POLICY_TTL_MAX_S, type ResolverPolicy } from './spec.ts';
import { cachePolicyOf, type ResolverState } from './state.ts';

/** The resolver's commands; `node` names the resolver. */
export type ResolverCommand =
  | ({ type: 'resolver.policy'; node: string } & ResolverPolicy)
  | { type: 'resolver.flush'; node: string }
  | ({ type: 'resolver.answer'; node: string } & AnswerPolicy);

type Handler<T extends ResolverCommand['type']> = CommandHandler<
  ResolverState,
  Extract<ResolverCommand, { type: T }>
>;

const isTtl = (s: number) => Number.isInteger(s) && s >= 0 && s <= POLICY_TTL_MAX_S;

const policy: Handler<'resolver.policy'> = (_sim, r, cmd) => {
  if (!isTtl(cmd.minTtlS) || !isTtl(cmd.maxTtlS) || cmd.minTtlS > cmd.maxTtlS)
    return `TTL clamps must be whole seconds with 0 ≤ min ≤ max ≤ ${POLICY_TTL_MAX_S}`;
  r.policy = cachePolicyOf({
    minTtlS: cmd.minTtlS,
    maxTtlS: cmd.maxTtlS,
    serveStale: cmd.serveStale,
    prefetch: cmd.prefetch,
  });
  return null;
};

const flush: Handler<'resolver.flush'> = (_sim, r) => {
  cacheFlush(r.cache);
  return null;
};

/** A region's GSLB answer policy (SPEC GSLB-7): checked like the scenario's, refused with a sentence. */
const answerPolicy: Handler<'resolver.answer'> = (sim, r, cmd) => {
  const { type: _type, node: _node, ...p } = cmd;
  if (!ANSWER_POLICIES.includes(p.policy)) return `policy is one of ${ANSWER_POLICIES.join(', ')}`;
  const problem = answerPolicyProblem(p, sim.sc.file);
  if (problem) return problem;
  const region = sim.sc.regions.regionIndex.get(p.region) as number;
  r.answers[region] = structuredClone(p);
  return null;
};

export const resolverCommands = {
  'resolver.policy': policy,
  'resolver.flush': flush,
  'resolver.answer': answerPolicy,
} as const;
