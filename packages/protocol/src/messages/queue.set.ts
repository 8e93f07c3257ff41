import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** Largest RED threshold a player may set, packets (a scenario's queues hold at most 10,000, SPEC SCN-3). */
const RED_THRESHOLD_MAX_PACKETS = 10_000;

/** An interface's queue discipline (SPEC QUEUE-2..4); the simulation refuses RED thresholds out of order. */
const discipline = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fifo') }),
  z.strictObject({ kind: z.literal('priority') }),
  z.strictObject({
    kind: z.literal('red'),
    minThPackets: z.number().positive().max(RED_THRESHOLD_MAX_PACKETS),
    maxThPackets: z.number().positive().max(RED_THRESHOLD_MAX_PACKETS),
    maxP: z.number().gt(0).max(1),
    weight: z.number().gt(0).max(1),
  }),
]);

/** A router's player sets the discipline of its interface towards neighbour `via` (SPEC QUEUE-5). */
export const queueSet = defineMessage({
  type: 'queue.set',
  schema: z.strictObject({ via: nodeId, discipline }),
  sender: { role: 'router' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'queue.set', node, via: p.via, discipline: p.discipline }),
});
