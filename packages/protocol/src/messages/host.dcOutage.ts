import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** The host darkens a data centre of one copy, or brings it back (SPEC DC-3). */
export const hostDcOutage = defineMessage({
  type: 'host.dcOutage',
  schema: z.strictObject({ copy: z.number().int().min(0).max(255), dc: nodeId, down: z.boolean() }),
  sender: 'host',
  phases: DURING_ROUND,
});
