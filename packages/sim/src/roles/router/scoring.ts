import type { LossReason, SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Credit } from '../role.ts';

/**
 * A router's points (SPEC SCORE-5): per delivered packet it forwarded, and per packet
 * that died at it for a reason its player decides (no route, a loop's TTL, hand
 * forwarding too slow). A drop is small next to a delivery, so a learner who tries
 * things is never deep in the negative; a queue or a link losing packets costs nothing.
 */
export const ROUTER_POINTS = { delivered: 1, ownDrop: -1 } as const;

/** Drops a router's player caused (SPEC SCORE-5); others are the network's (queues, links). */
export const ROUTER_OWN_DROPS: readonly LossReason[] = [
  'no-route',
  'ttl-expired',
  'hand-timeout',
  'hand-queue-full',
];

/** Each router on a delivered packet's path earns once, however often the packet passed it; its own drops cost it (SPEC SCORE-5). */
export function scoreRouter(r: SimRecord, credit: Credit, sc: Scenario): void {
  if (r.k === 'frameDelivered' || r.k === 'segmentDelivered') {
    const path = r.path;
    for (let i = 0; i < path.length; i++) {
      const node = path[i] as number;
      if (path.indexOf(node) === i && sc.file.nodes[node]?.kind === 'router')
        credit(node, ROUTER_POINTS.delivered, 'delivered');
    }
  } else if (
    r.k === 'drop' &&
    sc.file.nodes[r.node]?.kind === 'router' &&
    ROUTER_OWN_DROPS.includes(r.reason)
  )
    credit(r.node, ROUTER_POINTS.ownDrop, r.reason);
}
