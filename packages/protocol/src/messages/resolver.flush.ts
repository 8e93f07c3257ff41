import { defineMessage } from './define.ts';
import { DURING_ROUND, empty } from './fields.ts';

/** A resolver's player empties its cache (SPEC DNS-6, DNS-16). */
export const resolverFlush = defineMessage({
  type: 'resolver.flush',
  schema: empty,
  sender: { role: 'resolver' },
  phases: DURING_ROUND,
  toCommand: (_p, node) => ({ type: 'resolver.flush', node }),
});
