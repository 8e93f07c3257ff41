import { WEIGHT_MAX } from '@roundtrip/sim';
import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** An L4 balancer's player sets a backend's weight (SPEC LB-POOL-1, LB-L4-5); the simulation refuses an unknown backend. */
export const l4lbWeight = defineMessage({
  type: 'l4lb.weight',
  schema: z.strictObject({ backend: nodeId, weight: z.number().int().min(0).max(WEIGHT_MAX) }),
  sender: { role: 'l4lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l4lb.weight', node, backend: p.backend, weight: p.weight }),
});
