import { defineMessage } from './define.ts';
import { empty } from './fields.ts';

/** The host resumes a paused round. */
export const hostResume = defineMessage({
  type: 'host.resume',
  schema: empty,
  sender: 'host',
  phases: ['paused'],
});
