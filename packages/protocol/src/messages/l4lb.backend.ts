import { ADMIN_STATES } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** An L4 balancer's player puts a backend in service, drains it or takes it out (SPEC LB-POOL-2, LB-L4-5). */
export const l4lbBackend = defineMessage({
  type: 'l4lb.backend',
  schema: z.strictObject({ backend: nodeId, state: z.enum(ADMIN_STATES) }),
  sender: { role: 'l4lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l4lb.backend', node, backend: p.backend, state: p.state }),
});
