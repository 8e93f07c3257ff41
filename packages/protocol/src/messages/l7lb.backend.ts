import { ADMIN_STATES } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId, poolName } from './fields.ts';

/** An L7 balancer's player puts a pool's backend in service, drains it or takes it out (SPEC LB-POOL-2, LB-L7-7). */
export const l7lbBackend = defineMessage({
  type: 'l7lb.backend',
  schema: z.strictObject({ pool: poolName, backend: nodeId, state: z.enum(ADMIN_STATES) }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.backend', node, pool: p.pool, backend: p.backend, state: p.state }),
});
