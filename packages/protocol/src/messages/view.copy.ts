import { z } from 'zod';
import { defineMessage } from './define.ts';
import { copyIndex } from './fields.ts';

/** The host or a projector picks the copy (team) whose network it is sent (SPEC HOST-9). */
export const viewCopy = defineMessage({
  type: 'view.copy',
  schema: z.strictObject({ copy: copyIndex }),
  sender: 'viewer',
  phases: ['running', 'paused'],
});
