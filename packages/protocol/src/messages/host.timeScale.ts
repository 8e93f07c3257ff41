import { z } from 'zod';
import { TIME_SCALE_MAX, TIME_SCALE_MIN } from '../constants.ts';
import { defineMessage } from './define.ts';

/** The host sets simulated seconds per real second, before or during the round. */
export const hostTimeScale = defineMessage({
  type: 'host.timeScale',
  schema: z.strictObject({ scale: z.number().min(TIME_SCALE_MIN).max(TIME_SCALE_MAX) }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused'],
});
