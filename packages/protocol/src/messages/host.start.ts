import { defineMessage } from './define.ts';
import { empty } from './fields.ts';

/** The host starts the round: copies open, bots take the empty seats. */
export const hostStart = defineMessage({
  type: 'host.start',
  schema: empty,
  sender: 'host',
  phases: ['lobby'],
});
