import type { SimRecord } from '../../engine/records.ts';
import type { Scenario } from '../../scenario/scenario.ts';

/** A resolver's points (SPEC DNS-SCORE-1, DNS-SCORE-2): per lookup it answered from its cache, per lookup it had to ask upstream, per lookup that failed. */
export const RESOLVER_POINTS = { fromCache: 2, fromUpstream: 1, failed: -5, deadAnswer: -3 } as const;

/** The resolver a DNS flow's stub asks earns for its lookups' outcomes (SPEC DNS-SCORE-1). */
export function scoreResolver(
  r: SimRecord,
  credit: (node: number, points: number) => void,
  sc: Scenario,
): void {
  // An answer naming a host of a dark data centre (SPEC DNS-SCORE-2).
  if (r.k === 'deadAnswer') return credit(r.node, RESOLVER_POINTS.deadAnswer);
  if (r.k !== 'dnsResolved' && r.k !== 'dnsFailed') return;
  // An anycast lookup names the instance it reached (SPEC ANY-3); −1: it reached none.
  const node = r.resolver ?? (sc.flowEnds[2 * r.flow + 1] as number);
  if (sc.file.nodes[node]?.kind !== 'resolver') return;
  if (r.k === 'dnsFailed') credit(node, RESOLVER_POINTS.failed);
  else if (r.fromCache === 'resolver') credit(node, RESOLVER_POINTS.fromCache);
  else if (r.fromCache === 'authority') credit(node, RESOLVER_POINTS.fromUpstream);
}
