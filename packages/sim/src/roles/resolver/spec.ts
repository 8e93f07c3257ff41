import { z } from 'zod';
import { parseAddress } from '../../network/address.ts';
import { nodeId, roleNodeFields } from '../nodeFields.ts';
import type { SpecContext } from '../role.ts';
import { answerPolicyProblem, answerPolicySchema, healthCheckSchema } from './gslbSpec.ts';

/** Longest TTL a policy may clamp to, seconds (a week). */
export const POLICY_TTL_MAX_S = 604_800;

/** A resolver's cache policy as a scenario (and the `resolver.policy` command) gives it. */
export const resolverPolicySchema = z.strictObject({
  /** TTLs below this are raised to it (TTL 0 stays uncached), seconds (SPEC DNS-2). */
  minTtlS: z.number().int().min(0).max(POLICY_TTL_MAX_S).default(0),
  /** TTLs above this are lowered to it, seconds. */
  maxTtlS: z.number().int().min(0).max(POLICY_TTL_MAX_S).default(86_400),
  /** Answer with an expired entry when the authority does not answer in time (RFC 8767, SPEC DNS-12). */
  serveStale: z.boolean().default(false),
  /** A hit in the last tenth of an entry's TTL refreshes it from upstream (SPEC DNS-13). */
  prefetch: z.boolean().default(false),
});
export type ResolverPolicy = z.infer<typeof resolverPolicySchema>;

/** A recursive resolver in a scenario file (docs/SCENARIOS.md): a node with an address and one link, asking `upstream`. */
export const resolverNodeSchema = z.strictObject({
  ...roleNodeFields,
  kind: z.literal('resolver'),
  /** Its IPv4 address: stubs send their queries here. */
  address: z.string(),
  /** The authoritative server it asks: a host with `dns.zone`. */
  upstream: nodeId,
  /** The policy a player starts with (and a novice bot keeps for a while). */
  policy: resolverPolicySchema.prefault({}),
  /** The policy the bot holds (SPEC BOT-5); without it, `policy`. */
  botPolicy: resolverPolicySchema.optional(),
  /** An upstream query unanswered this long is asked again (SPEC DNS-11). */
  timeoutMs: z.number().positive().max(60_000).default(800),
  /** Upstream retries before the askers get SERVFAIL. */
  retries: z.number().int().min(0).max(10).default(2),
  /** Shares its address with other anycast resolvers: routing picks the instance (SPEC ANY-1). */
  anycast: z.boolean().default(false),
  /**
   * An anycast instance's own address (unique), the source of its upstream queries and
   * health probes so that their answers come back to it and not to the nearest instance.
   */
  unicastAddress: z.string().optional(),
  /** GSLB answer policies per client region a player starts with (SPEC GSLB-2); other regions: `latency`. */
  answers: z.array(answerPolicySchema).max(16).default([]),
  /** The policies its bot sets; without them, failover in order of propagation from each region (SPEC GSLB-8). */
  botAnswers: z.array(answerPolicySchema).max(16).optional(),
  /** Health checks of the GSLB services' data centres (SPEC GSLB-6). */
  healthCheck: healthCheckSchema.prefault({}),
});
export type ResolverSpec = z.infer<typeof resolverNodeSchema>;

/** The upstream is a host with a zone; the policy's clamps are in order (SPEC SCN-2). */
export function checkResolverSpec(spec: ResolverSpec, ctx: SpecContext): void {
  const up = ctx.nodes[ctx.nodeIndex.get(spec.upstream) ?? -1];
  if (up?.kind !== 'host' || !up.dns || !('zone' in up.dns))
    ctx.at('upstream', `"${spec.upstream}" is not a host with dns.zone; expected an authoritative server`);
  if (spec.policy.minTtlS > spec.policy.maxTtlS) ctx.at('policy.minTtlS', 'expected minTtlS ≤ maxTtlS');
  if (spec.botPolicy && spec.botPolicy.minTtlS > spec.botPolicy.maxTtlS)
    ctx.at('botPolicy.minTtlS', 'expected minTtlS ≤ maxTtlS');
  for (const field of ['answers', 'botAnswers'] as const)
    (spec[field] ?? []).forEach((p, i) => {
      const problem = answerPolicyProblem(p, ctx.file);
      if (problem) ctx.at(`${field}[${i}]`, problem);
    });
  if (spec.anycast && spec.unicastAddress === undefined)
    ctx.at(
      'unicastAddress',
      'an anycast resolver needs an address of its own for its upstream queries and probes',
    );
  if (spec.unicastAddress !== undefined) {
    const own = parseAddress(spec.unicastAddress);
    if (own === null) ctx.at('unicastAddress', `"${spec.unicastAddress}" is not an IPv4 address`);
    else if (
      ctx.nodes.some(
        (n, i) =>
          ('address' in n && parseAddress(n.address) === own) ||
          (i !== ctx.node && 'unicastAddress' in n && n.unicastAddress === spec.unicastAddress),
      )
    )
      ctx.at('unicastAddress', `address "${spec.unicastAddress}" is already used; expected a unique address`);
  }
  if (spec.healthCheck.timeoutMs > spec.healthCheck.intervalMs)
    ctx.at('healthCheck.timeoutMs', 'expected timeoutMs ≤ intervalMs');
}
