import { z } from 'zod';
import { TEAMS_MAX } from '../constants.ts';
import { defineMessage } from './define.ts';

/** In a competition's lobby, a player moves to team `team`'s first free seat (SPEC COMP-2). */
export const playerTeam = defineMessage({
  type: 'player.team',
  schema: z.strictObject({
    team: z
      .number()
      .int()
      .min(0)
      .max(TEAMS_MAX - 1),
  }),
  sender: 'player',
  phases: ['lobby'],
});
