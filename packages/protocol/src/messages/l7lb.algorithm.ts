import { LB_ALGORITHMS } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, poolName } from './fields.ts';

/** An L7 balancer's player picks how one pool's requests get a backend (SPEC LB-ALG-1, LB-L7-3, LB-L7-7). */
export const l7lbAlgorithm = defineMessage({
  type: 'l7lb.algorithm',
  schema: z.strictObject({ pool: poolName, algorithm: z.enum(LB_ALGORITHMS) }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.algorithm', node, pool: p.pool, algorithm: p.algorithm }),
});
