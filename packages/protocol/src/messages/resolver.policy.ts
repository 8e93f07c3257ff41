import { POLICY_TTL_MAX_S } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** A TTL clamp, whole seconds (the simulation also refuses min above max, SPEC DNS-16). */
const ttlS = z.number().int().min(0).max(POLICY_TTL_MAX_S);

/** A resolver's player sets its cache policy: TTL clamps, serve-stale, prefetch (SPEC DNS-2, DNS-12, DNS-13, DNS-16). */
export const resolverPolicy = defineMessage({
  type: 'resolver.policy',
  schema: z.strictObject({ minTtlS: ttlS, maxTtlS: ttlS, serveStale: z.boolean(), prefetch: z.boolean() }),
  sender: { role: 'resolver' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({
    type: 'resolver.policy',
    node,
    minTtlS: p.minTtlS,
    maxTtlS: p.maxTtlS,
    serveStale: p.serveStale,
    prefetch: p.prefetch,
  }),
});
