import { KEEPALIVE_POOL_MAX } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** An L7 balancer's player sets how many idle connections it keeps per backend (SPEC LB-L7-5, LB-L7-7). */
export const l7lbPoolSize = defineMessage({
  type: 'l7lb.poolSize',
  schema: z.strictObject({ size: z.number().int().min(0).max(KEEPALIVE_POOL_MAX) }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.poolSize', node, size: p.size }),
});
