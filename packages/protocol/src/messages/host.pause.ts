import { defineMessage } from './define.ts';
import { empty } from './fields.ts';

/** The host pauses the round; commands still apply, time stands still (SPEC CMD-3). */
export const hostPause = defineMessage({
  type: 'host.pause',
  schema: empty,
  sender: 'host',
  phases: ['running'],
});
