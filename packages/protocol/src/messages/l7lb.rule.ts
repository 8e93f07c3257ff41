import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, pathPrefix, poolName } from './fields.ts';

/** An L7 balancer's player sends requests whose path starts with `prefix` to `pool`: a new rule, or an existing prefix repointed (SPEC LB-L7-2, LB-L7-7). */
export const l7lbRule = defineMessage({
  type: 'l7lb.rule',
  schema: z.strictObject({ prefix: pathPrefix, pool: poolName }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.rule', node, prefix: p.prefix, pool: p.pool }),
});
