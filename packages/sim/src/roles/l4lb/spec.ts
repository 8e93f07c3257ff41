import { z } from 'zod';
import { LB_ALGORITHMS } from '../../application/balancing/choices.ts';
import { isPrime, MAGLEV_TABLE_SIZE } from '../../application/balancing/maglev.ts';
import { nodeId, roleNodeFields } from '../nodeFields.ts';
import type { SpecContext } from '../role.ts';

/** Most backends one pool holds. */
export const POOL_BACKENDS_MAX = 64;
/** Largest weight a backend may have. */
export const WEIGHT_MAX = 100;

/** A backend of a pool: a host (a server, usually in a data centre) and its weight (SPEC LB-POOL-1). */
export const backendSchema = z.strictObject({
  host: nodeId,
  weight: z.number().int().min(0).max(WEIGHT_MAX).default(1),
});

/** Health checks of a pool's backends (SPEC LB-HEALTH-1). */
export const lbHealthCheckSchema = z.strictObject({
  intervalMs: z.number().int().min(10).max(600_000).default(1_000),
  /** A probe unanswered this long is missed; at most `intervalMs`. */
  timeoutMs: z.number().int().min(1).max(600_000).default(500),
  /** Probes missed in a row that mark a backend down; one answered probe marks it up again. */
  misses: z.number().int().min(1).max(10).default(3),
});

/** An L4 load balancer in a scenario file (docs/SCENARIOS.md): a leaf node whose address is the service's virtual IP. */
export const l4lbNodeSchema = z.strictObject({
  ...roleNodeFields,
  kind: z.literal('l4lb'),
  /** The virtual IP: clients' flows go `to` this node, and it answers from it. */
  address: z.string(),
  backends: z.array(backendSchema).min(1).max(POOL_BACKENDS_MAX),
  /** How it picks a backend for a new connection (SPEC LB-ALG-1). */
  algorithm: z.enum(LB_ALGORITHMS).default('round-robin'),
  /** The algorithm its bot sets (SPEC LB-BOT-1); without it, `least-connections`. */
  botAlgorithm: z.enum(LB_ALGORITHMS).optional(),
  /** Connection tracking: a connection stays with its backend (SPEC LB-L4-2); off, every packet is picked anew. */
  tracking: z.boolean().default(true),
  /** Most open connections per unit of weight a backend takes; 0: no limit (SPEC LB-L4-3). */
  maxConnsPerWeight: z.number().int().min(0).max(100_000).default(0),
  /** Maglev's table size M, a prime (SPEC LB-MAGLEV-1). */
  maglevTableSize: z.number().int().min(3).max(1_000_003).default(MAGLEV_TABLE_SIZE),
  /** A tracked connection idle this long is forgotten; closed ones linger `lingerMs` for their last ACKs. */
  idleTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
  lingerMs: z.number().int().min(0).max(600_000).default(2_000),
  healthCheck: lbHealthCheckSchema.prefault({}),
  /** A request answered within this many ms earns the balancer its latency bonus (SPEC LB-SCORE-1). */
  latencyTargetMs: z.number().positive().max(600_000).default(200),
});
export type L4lbSpec = z.infer<typeof l4lbNodeSchema>;

/** Backends are distinct hosts; the table size is prime; the health timeout fits the interval (SPEC SCN-2). */
export function checkL4lbSpec(spec: L4lbSpec, ctx: SpecContext): void {
  const seen = new Set<string>();
  spec.backends.forEach((b, i) => {
    const n = ctx.nodes[ctx.nodeIndex.get(b.host) ?? -1];
    if (n?.kind !== 'host')
      ctx.at(`backends[${i}].host`, `"${b.host}" is not a host; expected a server's id`);
    if (seen.has(b.host)) ctx.at(`backends[${i}].host`, `"${b.host}" is listed twice`);
    seen.add(b.host);
  });
  if (!isPrime(spec.maglevTableSize)) ctx.at('maglevTableSize', `${spec.maglevTableSize} is not prime`);
  if (spec.healthCheck.timeoutMs > spec.healthCheck.intervalMs)
    ctx.at('healthCheck.timeoutMs', 'expected timeoutMs ≤ intervalMs');
}
