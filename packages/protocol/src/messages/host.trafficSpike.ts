import { z } from 'zod';
import { defineMessage } from './define.ts';
import { copyIndex, DURING_ROUND, nodeId } from './fields.ts';

/**
 * The host multiplies the offered load of one flow (no `flow`: every flow) by `factor`
 * for `seconds` of simulated time, in one copy or (no `copy`) every copy alike (SPEC HOST-6).
 */
export const hostTrafficSpike = defineMessage({
  type: 'host.trafficSpike',
  schema: z.strictObject({
    copy: copyIndex.optional(),
    flow: nodeId.optional(),
    factor: z.number().int().min(2).max(20),
    seconds: z.number().int().min(1).max(120),
  }),
  sender: 'host',
  phases: DURING_ROUND,
});
