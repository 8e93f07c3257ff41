import { defineMessage } from './define.ts';
import { empty } from './fields.ts';

/** The host deals the players out to seats and teams at random, before the round (SPEC HOST-4). */
export const hostShuffle = defineMessage({
  type: 'host.shuffle',
  schema: empty,
  sender: 'host',
  phases: ['lobby'],
});
