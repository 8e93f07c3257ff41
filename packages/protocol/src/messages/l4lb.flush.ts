import { defineMessage } from './define.ts';
import { DURING_ROUND, empty } from './fields.ts';

/** An L4 balancer's player restarts it: every tracked connection is forgotten (SPEC LB-L4-2, LB-L4-5). */
export const l4lbFlush = defineMessage({
  type: 'l4lb.flush',
  schema: empty,
  sender: { role: 'l4lb' },
  phases: DURING_ROUND,
  toCommand: (_p, node) => ({ type: 'l4lb.flush', node }),
});
