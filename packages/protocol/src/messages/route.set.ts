import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId, prefix } from './fields.ts';

/** A router's player adds or replaces the route for `prefix` (SPEC RT-1). */
export const routeSet = defineMessage({
  type: 'route.set',
  schema: z.strictObject({ prefix, via: nodeId }),
  sender: { role: 'router' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'route.set', node, prefix: p.prefix, via: p.via }),
});
