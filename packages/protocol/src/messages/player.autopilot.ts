import { z } from 'zod';
import { defineMessage } from './define.ts';

/**
 * A player hands their seat to its bot at `skill`, or takes it back with null
 * (SPEC BOTS-2). The bot is the role's own (the simulation's `seat.bot`); the room
 * checks the skill against the lesson's roles, and the seat stays the player's.
 */
export const playerAutopilot = defineMessage({
  type: 'player.autopilot',
  schema: z.strictObject({
    skill: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a bot skill such as "novice"')
      .nullable(),
  }),
  sender: 'player',
  phases: ['lobby', 'running', 'paused'],
});
