import { defineMessage } from './define.ts';
import { empty } from './fields.ts';

/** A replica that disagrees with the authority asks for a fresh snapshot (SPEC SYNC-4). */
export const syncResync = defineMessage({
  type: 'sync.resync',
  schema: empty,
  sender: 'anyone',
  phases: ['running', 'paused', 'ended'],
});
