import { z } from 'zod';
import { defineMessage } from './define.ts';

/** The host shows or hides the leaderboard on students' screens (SPEC HOST-7). */
export const hostLeaderboard = defineMessage({
  type: 'host.leaderboard',
  schema: z.strictObject({ visible: z.boolean() }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused', 'ended'],
});
