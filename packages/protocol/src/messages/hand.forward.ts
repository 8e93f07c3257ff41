import { z } from 'zod';
import { defineMessage } from './define.ts';
import { DURING_ROUND, nodeId } from './fields.ts';

/** A router's player sends a waiting packet to a neighbour by hand (SPEC RT-5). */
export const handForward = defineMessage({
  type: 'hand.forward',
  schema: z.strictObject({
    packetId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    via: nodeId,
  }),
  sender: { role: 'router' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({ type: 'hand.forward', node, packetId: p.packetId, via: p.via }),
});
