import { defineMessage } from './define.ts';
import { DURING_ROUND, empty } from './fields.ts';

/** The host ends the round early; the results follow (SPEC ROOM-6). */
export const hostEnd = defineMessage({
  type: 'host.end',
  schema: empty,
  sender: 'host',
  phases: DURING_ROUND,
});
