import { z } from 'zod';
import { NICKNAME_MAX_CHARS } from '../constants.ts';
import { defineMessage } from './define.ts';
import { playerId } from './fields.ts';

/** The host gives a player another nickname (an offensive one, say); the room checks it as a join's (SPEC HOST-3). */
export const hostRename = defineMessage({
  type: 'host.rename',
  schema: z.strictObject({
    player: playerId,
    nickname: z
      .string()
      .min(1)
      .max(NICKNAME_MAX_CHARS * 4),
  }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused'],
});
