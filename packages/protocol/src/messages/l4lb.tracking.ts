import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** An L4 balancer's player turns connection tracking on or off (SPEC LB-L4-2, LB-L4-5). */
export const l4lbTracking = defineMessage({
  type: 'l4lb.tracking',
  schema: z.strictObject({ on: z.boolean() }),
  sender: { role: 'l4lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l4lb.tracking', node, on: p.on }),
});
