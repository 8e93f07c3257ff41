import { z } from 'zod';
import { defineMessage } from './define.ts';
import { playerId } from './fields.ts';

/** The host removes a player, who may not come back to this room (SPEC HOST-2). */
export const hostKick = defineMessage({
  type: 'host.kick',
  schema: z.strictObject({ player: playerId }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused', 'ended'],
});
