import { z } from 'zod';
import { defineMessage } from './define.ts';

/** While paused, the host runs one tick's worth of simulated time, or one simulated second (SPEC HOST-5). */
export const hostStep = defineMessage({
  type: 'host.step',
  schema: z.strictObject({ by: z.enum(['tick', 'second']) }),
  sender: 'host',
  phases: ['paused'],
});
