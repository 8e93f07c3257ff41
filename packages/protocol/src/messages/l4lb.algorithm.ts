import { LB_ALGORITHMS } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** An L4 balancer's player picks how new connections get a backend (SPEC LB-ALG-1, LB-L4-5). */
export const l4lbAlgorithm = defineMessage({
  type: 'l4lb.algorithm',
  schema: z.strictObject({ algorithm: z.enum(LB_ALGORITHMS) }),
  sender: { role: 'l4lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l4lb.algorithm', node, algorithm: p.algorithm }),
});
