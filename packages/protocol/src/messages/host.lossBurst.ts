import { z } from 'zod';
import { defineMessage } from './define.ts';
import { copyIndex, DURING_ROUND, nodeId } from './fields.ts';

/**
 * The host makes a link lose packets for a while, in one copy or (no `copy`) in
 * every copy alike (SPEC HOST-6).
 */
export const hostLossBurst = defineMessage({
  type: 'host.lossBurst',
  schema: z.strictObject({
    copy: copyIndex.optional(),
    link: nodeId,
    lossPct: z.number().min(1).max(100),
    seconds: z.number().int().min(1).max(120),
  }),
  sender: 'host',
  phases: DURING_ROUND,
});
