import { answerPolicySchema } from '@roundtrip/sim';
import { defineMessage } from './define.ts';
import { DURING_ROUND } from './fields.ts';

/**
 * A resolver's player sets one client region's GSLB answer policy: latency, geo, weighted
 * (with weights per data centre), failover (with an order) or a data centre chosen by hand
 * (SPEC GSLB-2..5, GSLB-7). The simulation checks the region and data centres.
 */
export const resolverAnswer = defineMessage({
  type: 'resolver.answer',
  schema: answerPolicySchema,
  sender: { role: 'resolver' },
  phases: DURING_ROUND,
  toCommand: (p, node) => ({
    type: 'resolver.answer',
    node,
    region: p.region,
    policy: p.policy,
    ...(p.dc === undefined ? {} : { dc: p.dc }),
    ...(p.weights === undefined ? {} : { weights: { ...p.weights } }),
    ...(p.order === undefined ? {} : { order: [...p.order] }),
  }),
});
