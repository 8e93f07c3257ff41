import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, prefix } from './fields.ts';

/** A router's player deletes the route for `prefix`. */
export const routeDelete = defineMessage({
  type: 'route.delete',
  schema: z.strictObject({ prefix }),
  sender: { role: 'router' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'route.delete', node, prefix: p.prefix }),
});
