import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, pathPrefix } from './fields.ts';

/** An L7 balancer's player deletes the rule for `prefix` (SPEC LB-L7-7); the simulation refuses a prefix without one. */
export const l7lbRuleDelete = defineMessage({
  type: 'l7lb.ruleDelete',
  schema: z.strictObject({ prefix: pathPrefix }),
  sender: { role: 'l7lb' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'l7lb.ruleDelete', node, prefix: p.prefix }),
});
