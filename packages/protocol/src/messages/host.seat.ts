import { z } from 'zod';
import { defineMessage } from './define.ts';
import { copyIndex, nodeId, playerId } from './fields.ts';

/** The host moves a player to a seat: a free one, or another player's, who takes the first's (SPEC HOST-4). */
export const hostSeat = defineMessage({
  type: 'host.seat',
  schema: z.strictObject({ player: playerId, copy: copyIndex, node: nodeId }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused'],
});
