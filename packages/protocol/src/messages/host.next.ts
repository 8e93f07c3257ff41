import { z } from 'zod';
import { TIME_SCALE_MAX, TIME_SCALE_MIN } from '../constants.ts';
import { defineMessage } from './define.ts';

/**
 * The host opens the next round in the same room: another lesson (or the same), with
 * everyone still joined (SPEC HOST-8). Also before a round starts, to change the lesson.
 */
export const hostNext = defineMessage({
  type: 'host.next',
  schema: z.strictObject({
    scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a lesson id such as "lesson-1-postal"'),
    durationS: z.number().min(1).max(3_600).optional(),
    timeScale: z.number().min(TIME_SCALE_MIN).max(TIME_SCALE_MAX).optional(),
  }),
  sender: 'host',
  phases: ['lobby', 'ended'],
});
