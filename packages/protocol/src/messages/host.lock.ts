import { z } from 'zod';
import { defineMessage } from './define.ts';

/** The host locks the room to new players, or opens it again (SPEC HOST-1). */
export const hostLock = defineMessage({
  type: 'host.lock',
  schema: z.strictObject({ locked: z.boolean() }),
  sender: 'host',
  phases: ['lobby', 'running', 'paused', 'ended'],
});
