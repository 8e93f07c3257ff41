import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** The host takes a link of one copy down or brings it back up. */
export const hostLink = defineMessage({
  type: 'host.link',
  schema: z.strictObject({ copy: z.number().int().min(0).max(255), link: nodeId, up: z.boolean() }),
  sender: 'host',
  phases: DURING_ROUND,
});
