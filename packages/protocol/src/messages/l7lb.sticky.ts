import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** An L7 balancer's player turns sticky sessions on or off; off forgets every binding (SPEC LB-L7-4, LB-L7-7). */
export const l7lbSticky = defineMessage({
  type: 'l7lb.sticky',
  schema: z.strictObject({ on: z.boolean() }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.sticky', node, on: p.on }),
});
