import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/** A router's player switches hand forwarding on or off (SPEC RT-5). */
export const handMode = defineMessage({
  type: 'hand.mode',
  schema: z.strictObject({ enabled: z.boolean() }),
  sender: { role: 'router' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'hand.mode', node, enabled: p.enabled }),
});
