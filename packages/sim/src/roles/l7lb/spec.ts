import { z } from 'zod';
import { LB_ALGORITHMS } from '../../application/balancing/choices.ts';
import { backendSchema, lbHealthCheckSchema, POOL_BACKENDS_MAX } from '../l4lb/spec.ts';
import { nodeId, roleNodeFields } from '../nodeFields.ts';
import type { SpecContext } from '../role.ts';
import { PREFIX_MAX, prefixProblem, RULES_MAX } from './rules.ts';

/** Most pools one L7 balancer holds; most idle connections it keeps per backend. */
export const POOLS_MAX = 8;
export const KEEPALIVE_POOL_MAX = 64;

/** A pool: a name the rules use, its algorithm and its backends (SPEC LB-L7-3). */
export const l7PoolSchema = z.strictObject({
  name: nodeId,
  algorithm: z.enum(LB_ALGORITHMS).default('round-robin'),
  backends: z.array(backendSchema).min(1).max(POOL_BACKENDS_MAX),
});

/** A path rule (SPEC LB-L7-2). */
export const pathRuleSchema = z.strictObject({
  prefix: z.string().min(1).max(PREFIX_MAX),
  pool: nodeId,
});

/** The balancer's CPU for L7 work (SPEC LB-L7-6). */
export const l7CpuSchema = z.strictObject({
  serviceUs: z.number().int().min(1).max(1_000_000).default(200),
  concurrency: z.number().int().min(1).max(64).default(4),
  queueLimit: z.number().int().min(0).max(100_000).default(200),
});

/** An L7 load balancer in a scenario file (docs/SCENARIOS.md): a leaf whose address is the service's virtual IP. */
export const l7lbNodeSchema = z.strictObject({
  ...roleNodeFields,
  kind: z.literal('l7lb'),
  address: z.string(),
  pools: z.array(l7PoolSchema).min(1).max(POOLS_MAX),
  rules: z.array(pathRuleSchema).max(RULES_MAX),
  sticky: z.boolean().default(false),
  keepAlivePoolSize: z.number().int().min(0).max(KEEPALIVE_POOL_MAX).default(4),
  /** What its bot sets (SPEC LB-L7-10): every pool's algorithm (default `least-connections`) and the pool size. */
  botAlgorithm: z.enum(LB_ALGORITHMS).optional(),
  botPoolSize: z.number().int().min(0).max(KEEPALIVE_POOL_MAX).default(8),
  cpu: l7CpuSchema.prefault({}),
  healthCheck: lbHealthCheckSchema.prefault({}),
  latencyTargetMs: z.number().positive().max(600_000).default(200),
});
export type L7lbSpec = z.infer<typeof l7lbNodeSchema>;

/** Pools have distinct names and hosts; rules have valid, distinct prefixes naming pools (SPEC SCN-2, LB-L7-1). */
export function checkL7lbSpec(spec: L7lbSpec, ctx: SpecContext): void {
  const names = new Set<string>();
  spec.pools.forEach((p, i) => {
    if (names.has(p.name)) ctx.at(`pools[${i}].name`, `"${p.name}" is named twice`);
    names.add(p.name);
    const seen = new Set<string>();
    p.backends.forEach((b, j) => {
      const n = ctx.nodes[ctx.nodeIndex.get(b.host) ?? -1];
      if (n?.kind !== 'host')
        ctx.at(`pools[${i}].backends[${j}].host`, `"${b.host}" is not a host; expected a server's id`);
      if (seen.has(b.host)) ctx.at(`pools[${i}].backends[${j}].host`, `"${b.host}" is listed twice`);
      seen.add(b.host);
    });
  });
  const prefixes = new Set<string>();
  spec.rules.forEach((r, i) => {
    const problem = prefixProblem(r.prefix);
    if (problem) ctx.at(`rules[${i}].prefix`, problem);
    if (prefixes.has(r.prefix)) ctx.at(`rules[${i}].prefix`, `"${r.prefix}" has two rules`);
    prefixes.add(r.prefix);
    if (!names.has(r.pool)) ctx.at(`rules[${i}].pool`, `no pool "${r.pool}"`);
  });
  if (spec.healthCheck.timeoutMs > spec.healthCheck.intervalMs)
    ctx.at('healthCheck.timeoutMs', 'expected timeoutMs ≤ intervalMs');
}
