import type { SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';

/** A router's points (SPEC SCORE-5): per delivered packet it forwarded, and per packet dropped there. */
export const ROUTER_POINTS = { delivered: 1, drop: -5 } as const;

/** Each router on a delivered packet's path earns once, however often the packet passed it; a drop at a router costs it (SPEC SCORE-5). */
export function scoreRouter(
  r: SimRecord,
  credit: (node: number, points: number) => void,
  sc: Scenario,
): void {
  if (r.k === 'frameDelivered' || r.k === 'segmentDelivered') {
    const path = r.path;
    for (let i = 0; i < path.length; i++) {
      const node = path[i] as number;
      if (path.indexOf(node) === i && sc.file.nodes[node]?.kind === 'router')
        credit(node, ROUTER_POINTS.delivered);
    }
  } else if (r.k === 'drop' && sc.file.nodes[r.node]?.kind === 'router') credit(r.node, ROUTER_POINTS.drop);
}
